"""`dlp-site stage`: the docs tree and a generated mkdocs.yml that any MkDocs 1.x builds as
`dlp-site build` does.

- plain `mkdocs build -f STAGE/mkdocs.yml` gives byte for byte the site `dlp-site build` publishes
  (with the same SOURCE_DATE_EPOCH, which the generated file's header states);
- the generated file declares dlp-site's hooks, so even a plain MkDocs build of a stage runs
  the newsletter allow-list (wall 2), and `dlp-site build` refuses a configuration without them;
- ProperDocs (a drop-in MkDocs 1.x fork) builds the same pages from the same stage.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from dlp_site.cli import main
from dlp_site.errors import BuildError, PublishError
from dlp_site.pipeline import stage
from dlp_site.site import mkdocs

from .conftest import ROOT, paths, tree_digest

MARKER = ".dlp-site"  # dlp-site's ownership mark in a published folder, not part of the site


def generator(tool: str, config: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """`mkdocs build` or `properdocs build` as a person would run it, in its own process."""
    epoch = re.search(r"SOURCE_DATE_EPOCH=(\d+)", config.read_text(encoding="utf-8"))
    assert epoch, "the generated mkdocs.yml states the build date to use"
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch.group(1), "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", tool, "build", "-q", "-f", str(config), "-d", str(out)],
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("stage") / "example"
    stage(paths(ROOT / "data"), out)
    return out


def site_files(root: Path) -> dict[str, str]:
    return {name: digest for name, digest in tree_digest(root).items() if name != MARKER}


def test_stage_holds_the_docs_tree_and_its_configuration(staged: Path):
    assert sorted(p.name for p in staged.iterdir()) == [MARKER, "dlp_site_hooks.py", "docs", "mkdocs.yml",
                                                        "overrides"]
    config = (staged / "mkdocs.yml").read_text(encoding="utf-8")
    assert "docs_dir: docs\n" in config and "custom_dir: overrides\n" in config and "strict: true\n" in config
    assert "hooks:\n- dlp_site_hooks.py\n" in config
    assert "categories_slugify: !!python/name:dlp_site.content.categories.category_slug" in config
    # Officers can read what is generated: Markdown pages, next to their own.
    docs = staged / "docs"
    projects = (docs / "projects" / "index.md").read_text(encoding="utf-8")
    assert projects.startswith("---\nhide:\n- toc\ntitle: Projects\n")
    assert (docs / "assets" / "dlp.css").is_file()  # from site_src
    assert (docs / "newsletters" / "feed_rss.xml").is_file()


def test_plain_mkdocs_builds_what_dlp_site_build_publishes(staged: Path, example_site: Path, tmp_path: Path):
    generator("mkdocs", staged / "mkdocs.yml", tmp_path / "plain")
    built, plain = site_files(example_site), site_files(tmp_path / "plain")
    assert built.keys() == plain.keys()
    assert [name for name in built if built[name] != plain[name]] == []


def test_properdocs_builds_the_same_pages(staged: Path, example_site: Path, tmp_path: Path):
    generator("properdocs", staged / "mkdocs.yml", tmp_path / "properdocs")

    def pages(root: Path) -> list[str]:
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html"))

    assert pages(tmp_path / "properdocs") == pages(example_site)
    assert len(pages(example_site)) > 100


def test_a_plain_mkdocs_build_of_a_stage_runs_the_allow_list(tmp_path: Path):
    """Something only wall 2 removes (HTML put straight into a staged post, as if the Markdown
    check had missed it) comes out clean from plain MkDocs, because the stage declares the hooks."""
    out = tmp_path / "stage"
    stage(paths(ROOT / "data"), out)
    post = max((out / "docs" / "newsletters" / "posts").glob("*.md"))  # the newest: first on the listing
    text = post.read_text(encoding="utf-8")
    live = ('\n<p><img src="x.png" onerror="alert(1)"><a href="javascript:alert(2)">link</a></p>\n'
            "<script>alert(3)</script>\n<iframe src=\"https://example.org\"></iframe>\n")
    post.write_text(text.replace("<!-- more -->", live + "\n<!-- more -->", 1), encoding="utf-8")
    generator("mkdocs", out / "mkdocs.yml", tmp_path / "site")
    page = tmp_path / "site" / "newsletters" / post.stem / "index.html"
    listing = tmp_path / "site" / "newsletters" / "index.html"
    for built in (page, listing):
        article = lxml.html.parse(str(built)).getroot().xpath("//article")[0]
        assert article.xpath(".//script | .//iframe | .//*[@onerror]") == [], built
        assert not [a for a in article.xpath(".//a/@href") if a.lower().startswith("javascript:")], built
        assert article.xpath(".//img[@src='x.png']"), built  # the post is there, defused


def test_dlp_site_build_refuses_a_configuration_without_the_hooks(staged: Path, tmp_path: Path):
    config = tmp_path / "mkdocs.yml"
    text = (staged / "mkdocs.yml").read_text(encoding="utf-8")
    for old, new in (("hooks:\n- dlp_site_hooks.py\n", "hooks: []\n"), ("docs_dir: docs", f"docs_dir: {staged}/docs"),
                     ("custom_dir: overrides", f"custom_dir: {staged}/overrides")):
        assert old in text
        text = text.replace(old, new)
    config.write_text(text, encoding="utf-8")
    with pytest.raises(BuildError, match="does not declare dlp-site's hooks"):
        mkdocs.build(config, tmp_path / "site", 0, lambda _: None)


def test_cli_stage_progress_and_refusals(othertown: Path, tmp_path: Path):
    out = tmp_path / "stage"
    args = ["stage", "--data", str(othertown), "--geo", str(othertown / "no-geo"), "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert f"Staged into {out}: build it with mkdocs build -f {out / 'mkdocs.yml'}" in result.output
    again = CliRunner().invoke(main, ["-q", *args])  # a stage of ours is replaced
    assert (again.exit_code, again.output) == (0, "")
    foreign = tmp_path / "thesis"
    foreign.mkdir()
    (foreign / "chapter.docx").write_text("do not delete")
    with pytest.raises(PublishError, match="not made by dlp-site"):
        stage(paths(othertown), foreign)
    assert [p.name for p in foreign.iterdir()] == ["chapter.docx"]
