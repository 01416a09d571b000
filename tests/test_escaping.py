"""Hostile text from schools in every free-text field is shown as text, never run or rendered.

The payloads go into every text column of every table, the build runs for real, and every
output file (pages, search index, sitemap, downloads) is parsed to prove no payload became
markup, a script, an event handler, a link, an image or Markdown emphasis.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dlp_site.pipeline import build

from .conftest import OTHERTOWN, paths

PAYLOADS = [
    "<script>alert('xss-script')</script>",
    '"><img src=x onerror=alert(\'xss-img\')>',
    "[xss-link](javascript:alert('xss-md-link'))",
    "![xss-image](https://evil.example/pixel.png)",
    "**xss-bold** _xss-em_ <b>xss-b</b>",
    "<a href=\"javascript:alert('xss-a')\">xss-anchor</a>",
    "{{ 7 * 7 }} {% raw %} xss-jinja",
    "=HYPERLINK(\"https://evil.example\",\"xss-formula\")",
]
HOSTILE = " ".join(PAYLOADS)
# What a spreadsheet reads as the start of a formula (a tab or CR before '=' still counts). Each
# poisoned cell starts with one of these, row by row, so every one must be neutralised.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

TEXT_COLUMNS = {
    "areas.csv": ["name"],
    "partnerships.csv": ["name"],
    "schools.csv": ["name"],
    "projects.csv": ["title", "summary"],
    "kpis.csv": ["measure"],
    "reports.csv": ["highlights", "barriers", "learning", "parent_voice", "cyp_voice"],
    "funding.csv": ["line", "notes"],
}


def poison(data: Path) -> None:
    starts = itertools.cycle(FORMULA_STARTS)  # cell by cell, so every start reaches every table
    for name, columns in TEXT_COLUMNS.items():
        path = data / name
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        fields = list(rows[0].keys())
        for i, row in enumerate(rows):
            for column in columns:
                if column not in fields:
                    fields.append(column)
                # Unique per row so duplicate-name rules (funding lines) still pass.
                start = next(starts)
                row[column] = f"{start}{HOSTILE} #{i} start-{ord(start)}"
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    programme = data / "programme.yml"
    text = programme.read_text(encoding="utf-8")
    text = text.replace("programme: Delivering Better Value in SEND", f"programme: {json.dumps(HOSTILE)}")
    text = text.replace("illustrative_note: This is a test dataset; every figure is invented.",
                        f"illustrative_note: {json.dumps(HOSTILE)}")
    text = text.replace("  inclusion_hubs: Inclusion hubs", f"  inclusion_hubs: {json.dumps(HOSTILE)}")
    # Abbreviations are marked inside data text (render/abbreviations.py): hostile text around
    # them, and a hostile expansion that lands in a title attribute.
    note = next(line for line in text.splitlines() if line.startswith("funding_note:"))
    text = text.replace(note, f"funding_note: {json.dumps(HOSTILE + ' SEND XSSA DBV ' + HOSTILE)}")
    text += f"glossary:\n  XSSA: {json.dumps(HOSTILE)}\n  DBV: {json.dumps(HOSTILE)}\n"
    programme.write_text(text, encoding="utf-8")


class Audit(HTMLParser):
    """Collects anything in a page that a payload could have turned into live markup."""

    def __init__(self) -> None:
        super().__init__()
        self.findings: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.findings.append(f"event handler {name}={value!r} on <{tag}>")
            if name in ("href", "src") and (value.lower().startswith("javascript:") or "evil.example" in value):
                self.findings.append(f"{name}={value!r} on <{tag}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.findings.append("injected <img>")
        self.in_script = tag == "script"

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        if self.in_script and "xss" in data:
            self.findings.append(f"script containing payload: {data[:60]!r}")


def emphasis_findings(text: str) -> list[str]:
    bad = ["<strong>xss-bold</strong>", "<em>xss-em</em>", "<b>xss-b</b>", ">xss-anchor</a>",
           "<script>alert"]
    found = [b for b in bad if b in text]
    # "{{ 7 * 7 }} {% raw %} xss-jinja" evaluated by any template engine leaves "49 ... xss-jinja".
    if re.search(r"49[^<{]{0,20}xss-jinja", text):
        found.append("template expression evaluated")
    return found


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(OTHERTOWN, data)
    poison(data)
    out = root / "site"
    build(paths(data), out)
    return out


def test_payloads_reached_the_pages_as_text(hostile_site: Path):
    page = (hostile_site / "projects" / "early-signs" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;xss-script&#39;)&lt;/script&gt;" in page
    assert "[xss-link](javascript:alert(&#39;xss-md-link&#39;))" in page
    assert "{{ 7 * 7 }}" in page


def test_no_payload_becomes_markup_in_any_page(hostile_site: Path):
    findings = []
    for path in sorted(hostile_site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        audit = Audit()
        audit.feed(text)
        findings += [f"{path.relative_to(hostile_site)}: {f}" for f in audit.findings + emphasis_findings(text)]
    assert findings == []


def test_search_index_holds_payloads_only_as_escaped_text(hostile_site: Path):

    index = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = [doc["title"] + " " + doc["text"] for doc in index["docs"]]
    joined = "\n".join(texts)
    assert "xss-script" in joined  # it was indexed...
    assert "<script>" not in joined and "<img" not in joined and "<b>xss-b" not in joined  # ...as text


def test_titles_are_escaped_in_head(hostile_site: Path):
    page = (hostile_site / "projects" / "early-signs" / "index.html").read_text(encoding="utf-8")
    head = page[: page.index("</head>")]
    assert "<script>alert" not in head and "<img src=x" not in head
    assert "&lt;script&gt;" in head


def test_downloads_neutralise_spreadsheet_formulas(hostile_site: Path):
    starts = set()
    for path in (hostile_site / "downloads").glob("*.csv"):
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")):
            for cell in row:
                if cell.startswith(FORMULA_STARTS):  # only numbers may start like a formula
                    float(cell)
                if marker := re.search(r" start-(\d+)$", cell):
                    start = chr(int(marker.group(1)))
                    starts.add(start)
                    if start.isspace():  # the loader trims text, so nothing is left to guard
                        assert cell.startswith("<script>"), (path.name, cell)
                    else:  # shown as text by a spreadsheet, with the text intact
                        assert cell.startswith("'" + start + "<script>"), (path.name, cell)
    assert starts == set(FORMULA_STARTS)  # a cell with each kind of start reached the downloads
