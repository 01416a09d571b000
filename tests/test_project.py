"""`dlp-site init`: a new council's folder that builds as it is, from an installed package too;
its programme.yml describes every setting; its workflow runs exactly what its README says."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import lxml.html
import markdown
import pytest
import yaml
from click.testing import CliRunner
from pydantic import Field

from dlp_site import __version__
from dlp_site.cli import main
from dlp_site.data.settings import Programme
from dlp_site.project import publish, settings_file
from dlp_site.project.scaffold import EXAMPLE_ROWS, settings

from .conftest import ROOT
from .test_hostile import run

COUNCIL = "Northmoor Borough Council"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("new") / "northmoor"
    code, lines = run("init", folder, "--council", COUNCIL)
    assert code == 0, lines
    return folder


@pytest.fixture(scope="module")
def built(project: Path) -> Path:
    """`dlp-site build`, run inside the new folder with every option left at its default."""
    before = Path.cwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, ["build"])
    finally:
        os.chdir(before)
    assert result.exit_code == 0, result.output
    return project / "site"


def test_init_writes_the_folder_the_issue_lists(project: Path):
    files = {p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()}
    assert {"data/programme.yml", "data/programme.xlsx", "mkdocs.yml", "README.md",
            ".github/workflows/publish.yml", ".gitignore"} <= files
    assert {f for f in files if f.startswith("site_src/")} == {
        p.relative_to(ROOT).as_posix() for p in (ROOT / "site_src").rglob("*") if p.is_file()}
    assert not list(project.parent.glob(".northmoor.new-*"))  # nothing of ours left beside it


def test_the_new_folder_builds_as_it_is_and_never_mentions_birmingham(project: Path, built: Path):
    pages = [p for p in built.rglob("*") if p.is_file()]
    assert (built / "projects" / "north-talk-early" / "index.html").exists()
    home = (built / "index.html").read_text(encoding="utf-8")
    assert COUNCIL in home and "Some figures on this site are illustrative" in home
    assert "every figure on it is made up" in (built / "about" / "index.html").read_text(encoding="utf-8")
    for path in [*pages, *(p for p in project.rglob("*") if p.is_file() and built not in p.parents)]:
        text = path.read_bytes().decode("utf-8", errors="replace").lower()
        assert "birmingham" not in text, path


def test_the_example_rows_are_one_per_sheet_and_check_clean(project: Path):
    code, lines = run("check", "--data", project / "data", "--geo", project / "geo")
    assert code == 0 and lines[-1] == "OK: 1 projects, 1 partnerships, 1 schools, 1 KPIs"
    assert all(len(rows) == 1 for rows in EXAMPLE_ROWS.values())


def test_init_never_writes_into_a_folder_with_files(tmp_path: Path):
    (tmp_path / "mine.txt").write_text("keep me")
    code, lines = run("init", tmp_path)
    assert code == 1 and lines == [f"Error: {tmp_path}: already exists and is not empty (dlp-site init only "
                                   "writes a new folder)"]
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]


# --- programme.yml ---------------------------------------------------------------------------------

def test_programme_yml_describes_every_setting(project: Path):
    text = (project / "data" / "programme.yml").read_text(encoding="utf-8")
    lines = text.splitlines()
    for name, field in Programme.model_fields.items():
        assert any(line.startswith((f"{name}:", f"# {name}:")) for line in lines), f"{name} is not in programme.yml"
        assert f"# {field.description}" in text, f"{name}'s description is not in programme.yml"


def switch_on(text: str, name: str) -> str:
    """What the file's header tells an officer to do: delete the '# ' of the setting and its lines."""
    lines, out, inside = text.splitlines(), [], False
    for line in lines:
        if line == f"# {name}:" or line.startswith(f"# {name}: "):
            inside = True
        elif inside and not line.startswith(("#   ", "# - ")):
            inside = False
        out.append(line[2:] if inside else line)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("name", [n for n in Programme.model_fields if n not in settings("x")])
def test_each_commented_setting_can_be_switched_on_as_the_file_says(project: Path, name: str):
    text = switch_on((project / "data" / "programme.yml").read_text(encoding="utf-8"), name)
    values = yaml.safe_load(text)
    assert name in values
    Programme.model_validate(values)  # the example is a valid value


def test_a_setting_added_to_settings_py_appears_without_changing_the_writer(monkeypatch: pytest.MonkeyPatch):
    class Later(Programme):
        newsletter_footer: str | None = Field(default=None, description="Words under every newsletter.",
                                              examples=["Sent by the SEND team."])

    monkeypatch.setattr(settings_file, "Programme", Later)
    text = settings_file.programme_yml(settings("x"))
    assert "# Words under every newsletter.\n# newsletter_footer: Sent by the SEND team.\n" in text


# --- the workflow and the officers' README ---------------------------------------------------------

def readme_commands(readme: str) -> list[str]:
    """The commands in the code block after 'The workflow runs these commands' (parsed as Markdown)."""
    page = lxml.html.fromstring(markdown.markdown(readme, extensions=["fenced_code"]))
    (intro,) = [p for p in page.iter("p") if p.text_content().startswith("The workflow runs these commands")]
    block = intro.getnext()
    assert block is not None and block.tag == "pre"
    return block.text_content().strip().splitlines()


def test_the_workflow_runs_exactly_the_commands_the_readme_gives(project: Path):
    workflow = yaml.safe_load((project / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    runs = [step["run"] for step in steps if "run" in step]
    readme = (project / "README.md").read_text(encoding="utf-8")
    source = publish.this_source()
    assert runs == readme_commands(readme) == [s.run for s in publish.workflow_steps(source)]
    assert runs == [f"python -m pip install dlp-site=={__version__}", "dlp-site check --format github",
                    "dlp-site build"]
    # And the officers' own copies of the commands are the same words.
    for command in ("dlp-site check", "dlp-site serve", "dlp-site build", publish.install_step(source).run):
        assert f"\n{command}\n" in readme


def test_the_workflow_publishes_main_and_only_previews_pull_requests(project: Path):
    workflow = yaml.safe_load((project / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    for event in ("push", "pull_request"):
        assert set(triggers[event]["paths"]) >= {"data/**", "site_src/**", "mkdocs.yml"}
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read"}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    uses = {step.get("uses", "").split("@")[0]: step for step in build["steps"]}
    assert {"actions/checkout", "actions/setup-python", "actions/upload-artifact",
            "actions/upload-pages-artifact"} <= set(uses)
    assert uses["actions/upload-artifact"]["if"] == "github.event_name == 'pull_request'"
    assert uses["actions/upload-artifact"]["with"]["path"] == publish.SITE
    assert uses["actions/upload-pages-artifact"]["if"] == "github.event_name != 'pull_request'"
    assert deploy["if"] == "github.event_name != 'pull_request'" and deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/configure-pages", "actions/deploy-pages"]


def test_the_workflow_commands_succeed_in_the_new_folder(project: Path, built: Path):
    """What the workflow runs after installing, run here: the check prints no annotation and the
    build (the `built` fixture) published the site."""
    result = subprocess.run([sys.executable, "-m", "dlp_site", *publish.CHECK.run.split()[1:]], cwd=project,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and result.stdout == "", result.stderr
    assert (built / "index.html").exists()


# --- where the workflow gets dlp-site ------------------------------------------------------------

GIT = "git+https://github.com/example-council/dlp-site@v0.1.0"


def test_init_install_names_where_the_workflow_gets_dlp_site(tmp_path: Path):
    """--install is written into the workflow and the officers' README as one shell word, and is
    read back by the shell as exactly the requirement given."""
    folder = tmp_path / "council"
    code, lines = run("init", folder, "--install", f"dlp-site @ {GIT}", "-q")
    assert (code, lines) == (0, [])  # a source GitHub can reach: no warning
    workflow = yaml.safe_load((folder / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    (install,) = [step["run"] for step in workflow["jobs"]["build"]["steps"] if step.get("name") == "Install dlp-site"]
    assert shlex.split(install) == ["python", "-m", "pip", "install", f"dlp-site @ {GIT}"]
    assert install == readme_commands((folder / "README.md").read_text(encoding="utf-8"))[0]


@pytest.mark.parametrize("spec, words", [
    ("mkdocs==1.6", "installs mkdocs, not dlp-site"),
    ("dlp-site==0.1.0; sys_platform == 'win32'", "environment marker"),
    ("dlp-site @ https://example.org/${{secrets.TOKEN}}.whl", "characters a workflow would read"),
    ("dlp-site ==", "--install 'dlp-site =='"),
])
def test_init_refuses_an_install_that_is_not_dlp_site_and_writes_nothing(tmp_path: Path, spec: str, words: str):
    code, lines = run("init", tmp_path / "council", "--install", spec)
    assert code == 1 and len(lines) == 1 and words in lines[0], lines
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("origin, spec, reachable", [
    # PEP 610's own examples, as pip writes them into direct_url.json.
    ({"url": "https://github.com/example-council/dlp-site.git",
      "vcs_info": {"vcs": "git", "commit_id": "7921be1537eac1e97bc40179a57f0349c2aee67d", "requested_revision": "v1"}},
     "dlp-site @ git+https://github.com/example-council/dlp-site.git@7921be1537eac1e97bc40179a57f0349c2aee67d", True),
    ({"url": "https://files.example.org/dlp_site-0.1.0-py3-none-any.whl", "archive_info": {"hashes": {}}},
     "dlp-site @ https://files.example.org/dlp_site-0.1.0-py3-none-any.whl", True),
    ({"url": "file:///home/officer/dlp-site", "dir_info": {"editable": True}}, f"dlp-site=={__version__}", False),
    ({"url": "file:///tmp/dlp_site-0.1.0-py3-none-any.whl", "archive_info": {}}, f"dlp-site=={__version__}", False),
    ({"url": "file:///home/officer/dlp-site", "vcs_info": {"vcs": "git", "commit_id": "abc"}},
     f"dlp-site=={__version__}", False),
])
def test_the_workflow_installs_dlp_site_from_where_this_copy_came(origin: dict, spec: str, reachable: bool):
    source = publish._from_direct_url(json.dumps(origin))
    assert (source.spec, source.reachable) == (spec, reachable)


# --- from an installed package ---------------------------------------------------------------------

def test_init_works_from_an_installed_wheel_with_the_repositorys_own_files(tmp_path: Path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    target = tmp_path / "installed"
    (wheel,) = wheels.glob("dlp_site-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=600)
    env = {**os.environ, "PYTHONPATH": str(target)}
    folder = tmp_path / "council"
    where = subprocess.run(
        [sys.executable, "-c", "import dlp_site.project.base as b; print(b.__file__); print(b.base_folder())"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert where == [str(target / "dlp_site" / "project" / "base.py"), str(target / "dlp_site" / "project" / "base")]
    init = subprocess.run([sys.executable, "-m", "dlp_site", "init", str(folder)], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    # pip recorded a wheel file on this computer (direct_url.json): GitHub cannot install from there.
    (warning,) = [line for line in init.stderr.splitlines() if line.startswith("warning:")]
    assert "file://" in warning and f"dlp-site=={__version__}" in warning and "--install" in warning
    for rel in ["mkdocs.yml", *(p.relative_to(ROOT).as_posix() for p in (ROOT / "site_src").rglob("*")
                                if p.is_file())]:
        assert (folder / rel).read_bytes() == (ROOT / rel).read_bytes(), rel
    build = subprocess.run([sys.executable, "-m", "dlp_site", "build", "-q"], cwd=folder, env=env,
                           capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr
    assert (folder / "site" / "index.html").exists()


# --- what a person sees ---------------------------------------------------------------------------

NEW_PAGES = ["", "map/", "projects/", "projects/north-talk-early/", "partnerships/north-primaries/", "areas/north/",
             "themes/speech_language/", "impact/", "funding/", "engagement/", "about/", "accessibility/"]


def test_the_new_councils_site_passes_the_quality_gate_in_a_browser(built: Path, browser):
    """A site of one row a table is still a whole site: every page passes axe, asks no host but
    itself (and the map tiles, which programme.yml leaves on), and has no script error."""
    from dlp_site.render import quality

    from . import gate
    from .browser import ARTIFACTS

    allowed = quality.allowed_hosts("openstreetmap")
    problems = []
    with gate.serve(built) as url:
        for page in NEW_PAGES:
            report = gate.audit(browser, url + page, allowed)
            # Tile requests are allowed but never leave this machine: their failure is ours, not the page's.
            console = [e for e in report.console_errors if "tile.openstreetmap.org" not in e]
            problems += [f"{page}: {p}" for p in (*report.violations, *report.foreign_requests, *console,
                                                   *report.csp_violations)]
        ARTIFACTS.mkdir(exist_ok=True)
        for page, name in (("", "init-home"), ("projects/north-talk-early/", "init-project")):
            phone, _ = gate.open_page(browser, width=360, height=780)
            phone.goto(url + page, wait_until="networkidle")
            phone.screenshot(path=str(ARTIFACTS / f"{name}-360.png"), full_page=True)
            phone.context.close()
    assert problems == []
