"""Hostile and careless input: every bad file ends in one clear line and the right exit code,
never a traceback, and whatever `check` accepts, `build` can build.

Each case is a small edit of the second council's dataset made here in code (datasette-style),
run through the real command line.
"""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from dlp_site.cli import main

from .conftest import ROOT, edit, tree_digest

# --- running the command ----------------------------------------------------------------------


def run(*args: str) -> tuple[int, list[str]]:
    """The command's exit code and its stderr lines; a traceback fails the test outright."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"uncaught {result.exception!r}\n{result.output}")
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.stderr.splitlines()


def check(data: Path, geo: Path) -> tuple[int, list[str]]:
    return run("check", "--data", data, "--geo", geo)


def build(data: Path, geo: Path, out: Path) -> tuple[int, list[str]]:
    return run("build", "--data", data, "--geo", geo, "--site-src", ROOT / "site_src",
               "--config", ROOT / "mkdocs.yml", "--out", out)


@pytest.fixture
def geo(tmp_path: Path) -> Path:
    folder = tmp_path / "geo"
    folder.mkdir()
    return folder


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def replace_cell(data: Path, name: str, old: str, new: str) -> None:
    edit(data, name, old, new)


# --- cases: (edit, the line the officer sees, exit code) --------------------------------------

def yaml_bomb(levels: int = 9) -> str:
    """Nine levels of nine-way aliases: ~700 bytes that expand to 9**9 strings."""
    lines = ['a0: &a0 ["lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def alias_in_post(data: Path, geo: Path) -> None:
    (data / "newsletters").mkdir()
    write(data / "newsletters" / "2024-03-update.md",
          "---\ntitle: Update\ndate: 2024-03-01\n" + yaml_bomb(2) + "---\n\nHello.\n")


def big_cell(data: Path, geo: Path) -> None:
    replace_cell(data, "projects.csv", "Training staff to spot needs early.", "x" * 140_000)


def stray_quote(data: Path, geo: Path) -> None:
    rows = "".join(f"p{i},Title {i},stourside-primaries,workforce,Summary {i}.,green,1,1,2023-09-04\n"
                   for i in range(3000))  # over 128 KB: the old reader's field limit
    text = (data / "projects.csv").read_text(encoding="utf-8")
    write(data / "projects.csv", text.replace("Training staff", '"Training staff', 1) + rows)


def utf16(data: Path, geo: Path) -> None:
    text = (data / "areas.csv").read_text(encoding="utf-8").replace(",", "\t")
    (data / "areas.csv").write_bytes(text.replace("\n", "\r\n").encode("utf-16"))  # Excel's "Unicode Text"


def geojson(doc: object, name: str = "authority") -> Callable[[Path, Path], None]:
    def apply(data: Path, geo: Path) -> None:
        write(geo / f"{name}.geojson", doc if isinstance(doc, str) else json.dumps(doc))
    return apply


def polygon(*rings: list) -> dict:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": list(rings)}}]}


SQUARE = [[-2.2, 52.4], [-1.9, 52.4], [-1.9, 52.6], [-2.2, 52.6], [-2.2, 52.4]]
BOWTIE = [[-2.2, 52.4], [-1.9, 52.6], [-1.9, 52.4], [-2.2, 52.6], [-2.2, 52.4]]


def nested(depth: int) -> str:
    return '{"type": "FeatureCollection", "features": [' + "[" * depth + "]" * depth + "]}"


def deep_coordinates(depth: int) -> dict:
    coords: list = [-2.1, 52.5]
    for _ in range(depth):
        coords = [coords]
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": coords}}]}


def cell(name: str, old: str, new: str) -> Callable[[Path, Path], None]:
    return lambda data, geo: replace_cell(data, name, old, new)


def allocation(value: str) -> Callable[[Path, Path], None]:
    return cell("projects.csv", ",120000,80000,", f",{value},80000,")


def count_kpi(baseline: str) -> Callable[[Path, Path], None]:
    return cell("kpis.csv", ",count,decrease,30,", f",count,decrease,{baseline},")


def workbook(hidden_funding: bool = False, formula: bool = False) -> Callable[[Path, Path], None]:
    def apply(data: Path, geo: Path) -> None:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "areas"
        sheet.append(["area_id", "name"])
        sheet.append(["stourside", "Stourside"])
        sheet.append(["upper-vale", "=A3" if formula else "Upper Vale"])
        if hidden_funding:
            draft = book.create_sheet("funding")
            draft.sheet_state = "hidden"
            draft.append(["line", "amount_gbp", "notes"])
            draft.append(["OLD DRAFT - DO NOT PUBLISH", 999_999_999, ""])
            (data / "funding.csv").unlink()
        book.save(data / "dlp.xlsx")  # openpyxl saves formulas without their results
        (data / "areas.csv").unlink()
    return apply


def encrypted_workbook(data: Path, geo: Path) -> None:
    """What Excel writes for File > Info > Encrypt with Password: an OLE2 compound file whose
    streams are EncryptionInfo and EncryptedPackage (header and directory names only here)."""
    header = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)
    names = b"".join(n.encode("utf-16-le").ljust(128, b"\0") for n in ("Root Entry", "EncryptionInfo",
                                                                        "EncryptedPackage"))
    (data / "dlp.xlsx").write_bytes(header + names)


CASES = [
    # id, edit, expected line (a prefix of it), exit code
    # Small aliases here; the full bomb runs under a memory limit in its own test below.
    ("yaml-alias-programme", lambda d, g: write(d / "programme.yml", (d / "programme.yml").read_text() + yaml_bomb(2)),
     "programme.yml:25: the anchor &a0 is not allowed (write the value out in full", 1),
    ("yaml-alias-post", alias_in_post,
     "newsletters/2024-03-update.md:4: the front matter: the anchor &a0 is not allowed", 1),
    ("money-1e30", allocation("1e30"),
     "projects.csv:2:allocation_gbp: '1e30' is far too large to be an amount of money here", 1),
    ("money-28-digits", allocation("1234567890123456789012345678"),
     "projects.csv:2:allocation_gbp: '1234567890123456789012345678' is far too large", 1),
    ("money-over-a-billion", allocation("2000000000"),
     "projects.csv:2:allocation_gbp: £2,000,000,000 is more than the largest amount allowed, £1,000,000,000", 1),
    ("csv-cell-too-long", big_cell,
     "projects.csv:2:summary: the cell holds 140,000 characters, more than a spreadsheet cell can (32,767)", 1),
    ("csv-stray-quote", stray_quote,
     "projects.csv:2: cannot read the row: unexpected end of data (check for a stray double quote", 1),
    ("features-5", geojson({"type": "FeatureCollection", "features": 5}),
     "geo/authority.geojson: 'features' must be a list of features, found int", 1),
    ("features-string-list", geojson({"type": "FeatureCollection", "features": ["x"]}),
     "geo/authority.geojson:1: expected a Feature, found str", 1),
    ("geometry-string", geojson({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": "x"}]}),
     "geo/authority.geojson:1:geometry: 'geometry' must be an object, found str", 1),
    ("properties-string", geojson({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": "x", "geometry": {"type": "Polygon", "coordinates": [SQUARE]}}]}),
     "geo/authority.geojson:1:properties: 'properties' must be an object, found str", 1),
    ("geojson-100000-deep", geojson(nested(100_000)),
     "geo/authority.geojson: not valid GeoJSON: it is nested too deeply to read", 1),
    ("hidden-sheet", workbook(hidden_funding=True),
     "dlp.xlsx[funding]: warning: the sheet is hidden, so it was not read (unhide it", 0),
    ("utf16-csv", utf16,
     "areas.csv: warning: the file is saved as UTF-16 ('Unicode Text'); it was read as UTF-16", 0),
    ("encrypted-workbook", encrypted_workbook,
     "dlp.xlsx: the workbook is password-protected (encrypted), so it cannot be read", 1),
    ("formula-without-value", workbook(formula=True),
     "dlp.xlsx[areas]:3:name: the formula =A3 was saved without its result", 1),
    ("zero-width-space-in-id", cell("projects.csv", "early-signs,Early", "early\u200bsigns,Early"),
     "projects.csv:2:project_id: 'early\\u200bsigns' is not a valid id", 1),
    ("kpi-1e400", count_kpi("1e400"),
     "kpis.csv:3:baseline: '1e400' is far too large to be a number here", 1),
    ("kpi-out-of-range", count_kpi("3000000"),
     "kpis.csv:3:baseline: 3000000 is outside the range for count, 0 to 1,000,000", 1),
    ("id-con", cell("areas.csv", "stourside,Stourside", "con,Stourside"),
     "areas.csv:2:area_id: 'con' cannot be an id: Windows reserves the name for a device", 1),
    ("id-com1", cell("projects.csv", "early-signs,Early", "com1,Early"),
     "projects.csv:2:project_id: 'com1' cannot be an id: Windows reserves the name", 1),
]


@pytest.mark.parametrize("name,change,expected,code", CASES, ids=[c[0] for c in CASES])
def test_each_bad_file_gets_one_clear_line(othertown: Path, geo: Path, name, change, expected, code):
    change(othertown, geo)
    exit_code, lines = check(othertown, geo)
    assert [line for line in lines if line.startswith(expected)], "\n".join(lines)
    assert exit_code == code, "\n".join(lines)


def test_a_hidden_sheet_is_not_published(othertown: Path, geo: Path, tmp_path: Path):
    workbook(hidden_funding=True)(othertown, geo)
    out = tmp_path / "site"
    code, lines = build(othertown, geo, out)
    assert code == 0, lines
    published = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*")
                          if p.is_file() and p.suffix in {".html", ".csv", ".json"})
    assert "DO NOT PUBLISH" not in published and "999,999,999" not in published
    assert "999999999" not in published


def test_utf16_csv_is_read_as_utf16(othertown: Path, geo: Path):
    from dlp_site.pipeline import check as check_data

    utf16(othertown, geo)
    site, _ = check_data(othertown, geo)
    assert site is not None and site.areas["upper-vale"].name == "Upper Vale"


# --- check OK means build OK ------------------------------------------------------------------

BUILD_CASES = [
    ("bowtie", geojson(polygon(BOWTIE)), "geo/authority.geojson:1:geometry: warning: the polygon is not valid "
     "(Self-intersection[-2.05 52.5]); it was repaired"),
    ("overlapping-parts", geojson({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
     "geometry": {"type": "MultiPolygon", "coordinates": [[SQUARE], [[[-2.0, 52.5], [-1.8, 52.5], [-1.8, 52.7],
                                                                       [-2.0, 52.7], [-2.0, 52.5]]]]}}]}),
     "geo/authority.geojson:1:geometry: the polygon is not valid (Self-intersection"),
    ("two-point-ring", geojson(polygon([[-2.1, 52.5], [-2.0, 52.5]])),
     "geo/authority.geojson:1:geometry: a ring of 2 points: a polygon ring needs at least 3 corners"),
    ("string-coordinates", geojson(polygon([["-2.2", "52.4"], ["-1.9", "52.4"], ["-1.9", "52.6"], ["-2.2", "52.4"]])),
     'geo/authority.geojson:1:geometry: ["-2.2", "52.4"] is not a [longitude, latitude] position'),
    ("coordinates-900-deep", geojson(deep_coordinates(900)),
     "geo/authority.geojson:1:geometry: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ is not a [longitude, latitude]"),
    ("project-id-300", cell("projects.csv", "early-signs,Early", "e" * 300 + ",Early"),
     "projects.csv:2:project_id: the id is 300 characters long; ids are at most 80"),
    ("single-feature", geojson({"type": "Feature", "properties": {},
                                "geometry": {"type": "Polygon", "coordinates": [SQUARE]}}), None),
    ("single-feature-partnership", geojson({"type": "Feature", "properties": {"partnership_id": "stourside-primaries"},
                                            "geometry": {"type": "Polygon", "coordinates": [SQUARE]}},
                                           "partnerships"), None),
]


@pytest.mark.parametrize("name,change,expected", BUILD_CASES, ids=[c[0] for c in BUILD_CASES])
def test_what_check_accepts_build_builds(othertown: Path, geo: Path, tmp_path: Path, name, change, expected):
    change(othertown, geo)
    code, lines = check(othertown, geo)
    if expected:
        assert [line for line in lines if line.startswith(expected)], "\n".join(lines)
    accepted = expected is None or ": warning: " in expected
    assert code == (0 if accepted else 1), "\n".join(lines)
    out = tmp_path / "site"
    if accepted:
        built, lines = build(othertown, geo, out)
        assert built == 0, "\n".join(lines)
        about = (out / "about" / "index.html").read_text(encoding="utf-8")  # how the map is made
        if "partnership" in name:  # the one supplied area is used, not silently dropped
            assert "Partnership areas are the boundaries the council supplied." in about
            script = (out / "map" / "local-offer.js").read_text(encoding="utf-8")
            assert '"partnership_id":"stourside-primaries"' in script  # local-offer.js is minified
    else:
        assert build(othertown, geo, out)[0] == 1 and not out.exists()


# --- memory: the alias bomb runs in a child process with a hard address-space limit -----------

def test_yaml_alias_bomb_is_refused_in_bounded_memory(othertown: Path, tmp_path: Path):
    write(othertown / "programme.yml", (othertown / "programme.yml").read_text() + yaml_bomb(9))
    limit = 600 * 2**20  # the bomb needs tens of GB; a normal check runs well inside this

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    result = subprocess.run([sys.executable, "-m", "dlp_site", "check", "--data", str(othertown),
                             "--geo", str(tmp_path / "no-geo")], preexec_fn=cap, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert "programme.yml:25: the anchor &a0 is not allowed" in result.stderr


# --- the CLI ----------------------------------------------------------------------------------

def test_quiet_and_verbose_go_before_or_after_the_command(othertown: Path):
    for args in (["-q", "check"], ["check", "-q"], ["check", "--quiet"], ["--verbose", "check", "-q"]):
        code, lines = run(*args, "--data", othertown, "--geo", othertown / "none")
        assert (code, lines) == (0, []), args


def test_an_unexpected_error_is_one_line_unless_verbose(othertown: Path, monkeypatch):
    import dlp_site.pipeline

    def broken(*_a, **_k):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(dlp_site.pipeline, "check_all", broken)
    code, lines = run("check", "--data", othertown)
    assert code == 70
    assert lines[-1] == ("Error: unexpected ZeroDivisionError: division by zero "
                         "(a bug in dlp-site: run with --verbose for details, and report it)")
    result = CliRunner().invoke(main, ["check", "--verbose", "--data", str(othertown)])
    assert result.exit_code == 70 and "Traceback" in result.stderr and "broken" in result.stderr


def test_a_file_problem_is_file_message_hint(othertown: Path):
    (othertown / "areas.csv").unlink()
    (othertown / "areas.csv").mkdir()  # a folder where a file should be: the system's own error
    code, lines = run("check", "--data", othertown)
    assert code == 1
    assert lines[-1] == f"Error: {othertown / 'areas.csv'}: Is a directory (a folder has the name a file should have)"


@pytest.mark.parametrize("inside", ["site_src", "data"])
def test_out_inside_the_sources_is_refused(othertown: Path, tmp_path: Path, inside: str):
    src = tmp_path / "site_src"
    src.mkdir()
    source = {"site_src": src, "data": othertown}[inside]
    before = tree_digest(source)
    result = CliRunner().invoke(main, ["build", "--data", str(othertown), "--site-src", str(src),
                                       "--config", str(ROOT / "mkdocs.yml"), "--out", str(source / "site")])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: refusing to publish to {source / 'site'}: it is inside the source folder {source}; "
        "choose an --out outside data/, geo/ and site_src/")
    assert tree_digest(source) == before


def test_dates_are_written_without_glibc_only_formats():
    from datetime import date

    from dlp_site.render.formats import long_date

    assert long_date(date(2021, 9, 1)) == "1 September 2021"
    glibc_only = re.compile(r"strftime\([^)]*%-")  # %-d, %-m: glibc only, not Windows or macOS
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "dlp_site").rglob("*")
                 if p.suffix in {".py", ".j2"} and glibc_only.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
