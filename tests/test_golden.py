"""Golden files: the Markdown and CSV generated for the small second-council dataset.

A change to templates or figures shows up here as a reviewable diff of the generated pages.
Folium's own script (map/local-offer.js) is not kept here: test_map.py checks the map's
options and GeoJSON instead, which say what matters without freezing Folium's output.
After reviewing the diff the test prints, regenerate the files with one command:

    .venv/bin/python -m tests.test_golden

and review `git diff tests/golden` before committing. The test itself never writes them.
"""

from __future__ import annotations

import difflib
import shutil
import sys
import tempfile
from pathlib import Path

from dlp_site.pipeline import check
from dlp_site.render.docs import pages_and_data
from dlp_site.site.stage import write_tree

from .conftest import OTHERTOWN

GOLDEN = Path(__file__).parent / "golden" / "othertown"
NOT_GOLDEN = {"map/local-offer.js"}
MAX_DIFF_LINES = 120


def generated(tmp_path: Path) -> dict[str, str]:
    site, issues = check(OTHERTOWN, None)
    assert site is not None, issues
    docs = tmp_path / "docs"
    write_tree(docs, pages_and_data(site))
    return {name: p.read_text(encoding="utf-8") for p in sorted(docs.rglob("*"))
            if p.is_file() and (name := p.relative_to(docs).as_posix()) not in NOT_GOLDEN}


def golden() -> dict[str, str]:
    return {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(GOLDEN.rglob("*")) if p.is_file()}


def differences(expected: dict[str, str], actual: dict[str, str]) -> str:
    """A unified diff (golden -> generated) of every changed, added or removed file."""
    lines: list[str] = []
    for name in sorted(set(expected) | set(actual)):
        before, after = expected.get(name), actual.get(name)
        if before == after:
            continue
        lines += difflib.unified_diff((before or "").splitlines(), (after or "").splitlines(),
                                      f"golden/{name}" if before is not None else "/dev/null",
                                      f"generated/{name}" if after is not None else "/dev/null", lineterm="")
    if len(lines) > MAX_DIFF_LINES:
        lines = lines[:MAX_DIFF_LINES] + [f"... {len(lines) - MAX_DIFF_LINES} more lines"]
    return "\n".join(lines)


def test_generated_pages_match_golden_files(tmp_path: Path):
    diff = differences(golden(), generated(tmp_path))
    assert not diff, ("generated pages differ from the golden files; if the change is intended, "
                      "regenerate with `.venv/bin/python -m tests.test_golden`\n" + diff)


def regenerate() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pages = generated(Path(tmp))
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for name, text in pages.items():
        (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
        (GOLDEN / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(pages)} files to {GOLDEN}; review them with: git diff --stat tests/golden", file=sys.stderr)


if __name__ == "__main__":
    regenerate()
