"""Golden files: the Markdown and CSV generated for the small second-council dataset.

A change to templates or figures shows up here as a reviewable diff of the generated pages.
After reviewing the diff, regenerate with:

    DLP_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from dlp_site.build import check
from dlp_site.render import render_pages

from .conftest import OTHERTOWN

GOLDEN = Path(__file__).parent / "golden" / "othertown"


def generated(tmp_path: Path) -> dict[str, str]:
    site, issues = check(OTHERTOWN, None)
    assert site is not None, issues
    docs = tmp_path / "docs"
    render_pages(site, docs)
    return {p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(docs.rglob("*")) if p.is_file()}


def test_generated_pages_match_golden_files(tmp_path: Path):
    pages = generated(tmp_path)
    if os.environ.get("DLP_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, text in pages.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(text, encoding="utf-8")
    golden = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
              for p in sorted(GOLDEN.rglob("*")) if p.is_file()}
    assert sorted(pages) == sorted(golden), "pages added or removed: review, then regenerate (see module doc)"
    changed = [name for name in pages if pages[name] != golden[name]]
    assert changed == [], f"generated output differs from golden files: {changed}"
