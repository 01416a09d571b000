"""`dlp-site init`: a new council's project folder that builds as it is.

    data/programme.yml              every setting, described (settings_file.py)
    data/programme.xlsx             the officers' workbook with one made-up row per sheet (workbook.py)
    site_src/, mkdocs.yml           the repository's own (base.py)
    README.md                       for officers: edit, check, preview, publish
    .github/workflows/publish.yml   check, build and publish to GitHub Pages (publish.py)
    .gitignore                      the built site and Excel's lock files stay out of git

The folder is written beside its final place and renamed into it, so it appears whole or not at all.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import jinja2
import yaml

from .. import __version__
from ..data.tables import TABLES_BY_NAME
from ..errors import ProjectError, visible
from . import publish
from .base import base_files
from .settings_file import programme_yml
from .workbook import Filled, build_workbook

TEMPLATES = Path(__file__).parent / "templates"
DEFAULT_COUNCIL = "Example Council"
THEMES = {
    "speech_language": "Speech, language and communication",
    "semh": "Social, emotional and mental health",
    "autism": "Autism",
}
# One made-up row per table: enough for every page to be built, and nothing about any real
# council (the postcode and coordinates are a real place's only so the map has somewhere to be).
EXAMPLE_ROWS: dict[str, list[dict[str, str]]] = {
    "areas": [{"area_id": "north", "name": "North"}],
    "partnerships": [{"partnership_id": "north-primaries", "name": "North Primary Partnership",
                      "kind": "primary_consortium", "area_id": "north"}],
    "schools": [{"urn": "100001", "name": "Example Primary School", "phase": "primary", "postcode": "NN1 1AA",
                 "latitude": "52.2370", "longitude": "-0.8970", "partnership_id": "north-primaries",
                 "engaged": "yes"}],
    "projects": [{"project_id": "north-talk-early", "title": "Talk Early (an example project)",
                  "partnership_id": "north-primaries", "themes": "speech_language",
                  "summary": "An example row: replace it with one of your projects.", "status": "green",
                  "allocation_gbp": "50000", "spend_gbp": "12000", "start_date": "2024-09-02"}],
    "kpis": [{"kpi_id": "north-talk-early-screened", "project_id": "north-talk-early",
              "measure": "Pupils screened for speech and language needs", "unit": "percent",
              "direction": "increase", "baseline": "40", "baseline_period": "2024-autumn", "latest": "55",
              "latest_period": "2025-summer", "cohort": "30", "note": "Made-up figures."}],
    "reports": [{"project_id": "north-talk-early", "term": "2025-summer", "rag": "green", "schools_engaged": "1",
                 "schools_total": "1", "spend_gbp": "12000", "highlights": "An example report: replace it."}],
    "funding": [{"line": "Projects", "amount_gbp": "50000", "notes": "An example line: replace it."}],
}
REPORTING_TERM = "2025-summer"
GITIGNORE = """\
# The built site, a stage and exported newsletters are made from this folder: never edit them.
/site/
/stage/
/newsletter-export/
.venv/
# Excel's lock file while a workbook is open.
~$*
"""


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                             autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["yaml"] = yaml_scalar
    return env


def yaml_scalar(value: str) -> str:
    """A string as a YAML scalar, quoted only where YAML needs it (PyYAML decides)."""
    text = yaml.safe_dump(value, allow_unicode=True, width=1_000_000)
    return text.removesuffix("\n").removesuffix("\n...")


def settings(council: str) -> dict[str, object]:
    return {
        "programme": f"{council} SEND programme",
        "short_name": "SEND programme",
        "local_authority": council,
        "reporting_term": REPORTING_TERM,
        "themes": THEMES,
        "illustrative_note": "This is an example site made by dlp-site init: every figure on it is made up.",
    }


def workbook_bytes() -> bytes:
    filled = {name: Filled(TABLES_BY_NAME[name].columns, rows) for name, rows in EXAMPLE_ROWS.items()}
    buffer = io.BytesIO()
    build_workbook(filled, THEMES).save(buffer)
    return buffer.getvalue()


def project_files(council: str, source: publish.Source) -> dict[str, str | bytes | Path]:
    """{path in the new folder: text, bytes, or a file to copy}."""
    env = _environment()
    context = {"council": council, "version": __version__, "steps": publish.workflow_steps(source),
               "install": publish.install_step(source).run, "site": publish.SITE,
               "watched": publish.WATCHED, "python": publish.PYTHON}
    files: dict[str, str | bytes | Path] = {
        "data/programme.yml": programme_yml(settings(council)),
        "data/programme.xlsx": workbook_bytes(),
        "README.md": env.get_template("README.md.j2").render(context),
        ".github/workflows/publish.yml": env.get_template("publish.yml.j2").render(context),
        ".gitignore": GITIGNORE,
    }
    files.update(base_files())
    return files


def _council(name: str | None) -> str:
    council = " ".join((name or DEFAULT_COUNCIL).split())
    if not council or council != visible(council) or len(council) > 200:
        raise ProjectError(f"--council {visible(name or '')!r}: give the council's name as plain words, "
                           "up to 200 characters")
    return council


def init(folder: Path, council: str | None = None, source: publish.Source | None = None) -> list[str]:
    """Write a new project into `folder` (new or empty) whose workflow installs dlp-site from
    `source` (by default, where this dlp-site came from); return the paths written."""
    name = _council(council)
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ProjectError(f"{folder}: already exists and is not empty (dlp-site init only writes a new folder)")
    files = project_files(name, source or publish.this_source())
    folder.parent.mkdir(parents=True, exist_ok=True)
    temp = folder.parent / f".{folder.name}.new-{os.getpid()}"
    try:
        for rel, content in files.items():
            target = temp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                shutil.copyfile(content, target)
            elif isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        if folder.exists():
            folder.rmdir()  # empty, as checked
        os.replace(temp, folder)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    return sorted(files)
