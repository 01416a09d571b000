"""Parse only: read each table from CSV or XLSX and programme.yml, keeping where each value came from.

Nothing here judges the values; problems with the files themselves (unreadable encoding, two
sources for one table, a missing required file) are returned as Issues, never raised.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from .errors import Issue
from .schema import TABLES

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class RawRow:
    row: int  # as the officer sees it in Excel: header is row 1
    values: dict[str, str]


@dataclass
class RawTable:
    name: str
    source: str  # file name as shown in messages, e.g. projects.csv or dlp.xlsx[projects]
    header: list[str]
    rows: list[RawRow]


@dataclass
class RawData:
    data_dir: Path
    programme: dict[str, Any] | None
    programme_lines: dict[tuple[str, ...], int]
    tables: dict[str, RawTable]
    issues: list[Issue] = field(default_factory=list)
    geo: dict[str, Any] = field(default_factory=dict)


def decode(raw: bytes, source: str) -> tuple[str | None, Issue | None]:
    """UTF-8 (with or without Excel's BOM) or, failing that, Windows-1252 (Excel's 'CSV')."""
    if raw.startswith(BOM):
        raw = raw[len(BOM):]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, Issue(
            source, line, None,
            f"cannot read byte 0x{raw[exc.start]:02x}: the file is neither UTF-8 nor Windows-1252",
            "in Excel use File > Save As > 'CSV UTF-8 (Comma delimited)'",
        )


def read_csv(path: Path, name: str, source: str | None = None) -> tuple[RawTable | None, list[Issue]]:
    source = source or path.name
    text, problem = decode(path.read_bytes(), source)
    if problem:
        return None, [problem]
    reader = csv.reader(io.StringIO(text, newline=""))
    records = list(reader)
    return _table(name, source, records)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx_sheets(path: Path) -> dict[str, list[list[str]]]:
    from openpyxl import load_workbook  # imported lazily: only officers with workbooks need it

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        return {
            sheet.title: [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            for sheet in workbook.worksheets
        }
    finally:
        workbook.close()


def _table(name: str, source: str, records: list[list[str]]) -> tuple[RawTable | None, list[Issue]]:
    # Excel pads sheets and CSVs with empty trailing rows and columns; they carry nothing.
    while records and not any(c.strip() for c in records[-1]):
        records.pop()
    if not records:
        return None, [Issue(source, None, None, "the file is empty", "the first row must hold the column names")]
    header = [h.strip().lower() for h in records[0]]
    while header and header[-1] == "":
        header.pop()
    issues: list[Issue] = []
    seen: set[str] = set()
    for h in header:
        if h and h in seen:
            issues.append(Issue(source, 1, h, "the column appears twice", "delete one of the two columns"))
        seen.add(h)
    rows = []
    for index, record in enumerate(records[1:], start=2):
        if not any(c.strip() for c in record):
            continue  # blank spacer rows are common in officer-edited sheets
        values = {h: (record[i] if i < len(record) else "") for i, h in enumerate(header) if h}
        extra = [c for c in record[len(header):] if c.strip()]
        if extra:
            issues.append(Issue(source, index, None, "the row has more cells than there are column names",
                                "check for a stray comma or a value typed past the last column"))
        rows.append(RawRow(index, values))
    return RawTable(name, source, header, rows), issues


def yaml_lines(text: str) -> dict[tuple[str, ...], int]:
    """Map each key path in a YAML mapping to its 1-based line, for messages."""
    lines: dict[tuple[str, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = path + (str(key.value),)
                lines[sub] = key.start_mark.line + 1
                walk(value, sub)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                sub = path + (str(i),)
                lines[sub] = item.start_mark.line + 1
                walk(item, sub)

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return lines
    if root is not None:
        walk(root, ())
    return lines


def read_programme(path: Path) -> tuple[dict[str, Any] | None, dict[tuple[str, ...], int], list[Issue]]:
    source = path.name
    if not path.exists():
        return None, {}, [Issue(source, None, None, "file not found",
                                "every data directory needs programme.yml; copy the example one")]
    text, problem = decode(path.read_bytes(), source)
    if problem:
        return None, {}, [problem]
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark else None
        return None, {}, [Issue(source, row, None, f"not valid YAML: {getattr(exc, 'problem', exc)}",
                                "check indentation and that text containing ':' is in quotes")]
    if not isinstance(data, dict):
        return None, {}, [Issue(source, 1, None, "expected settings written as 'key: value' lines")]
    return data, yaml_lines(text), []


def load(data_dir: Path, geo_dir: Path | None = None) -> RawData:
    data_dir = Path(data_dir)
    issues: list[Issue] = []
    if not data_dir.is_dir():
        issues.append(Issue(str(data_dir), None, None, "data directory not found",
                            "pass --data with the folder holding programme.yml and the CSV files"))
        return RawData(data_dir, None, {}, {}, issues)

    programme, lines, problems = read_programme(data_dir / "programme.yml")
    issues += problems

    # Workbooks: a sheet named like a table supplies that table; a workbook named like a
    # table with a single sheet supplies it too.
    sheets: dict[str, tuple[str, list[list[str]]]] = {}
    for book in sorted(data_dir.glob("*.xlsx")):
        if book.name.startswith("~$"):
            continue  # Excel's lock file while the workbook is open
        try:
            content = read_xlsx_sheets(book)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            issues.append(Issue(book.name, None, None, f"cannot open the workbook: {exc}",
                                "save it again from Excel as .xlsx"))
            continue
        for title, records in content.items():
            key = title.strip().lower()
            if len(content) == 1 and book.stem.lower() in {t.name for t in TABLES}:
                key = book.stem.lower()
            label = f"{book.name}[{title}]"
            if key in sheets:
                issues.append(Issue(label, None, None, f"a second source for the {key} table",
                                    f"it is also in {sheets[key][0]}; keep only one"))
                continue
            sheets[key] = (label, records)

    tables: dict[str, RawTable] = {}
    for spec in (t for t in TABLES if t.folder == "data"):
        csv_path = data_dir / f"{spec.name}.csv"
        in_sheet = spec.name in sheets
        if csv_path.exists() and in_sheet:
            issues.append(Issue(csv_path.name, None, None, f"the {spec.name} table is given twice",
                                f"it is also in {sheets[spec.name][0]}; delete one so nobody edits the wrong copy"))
            continue
        if csv_path.exists():
            table, problems = read_csv(csv_path, spec.name)
        elif in_sheet:
            label, records = sheets[spec.name]
            table, problems = _table(spec.name, label, records)
        else:
            if spec.required:
                issues.append(Issue(f"{spec.name}.csv", None, None, "file not found",
                                    f"add {spec.name}.csv or a sheet named '{spec.name}' in a workbook"))
            continue
        issues += problems
        if table is not None:
            tables[spec.name] = table

    geo = load_geo(geo_dir, issues) if geo_dir is not None else {}
    for spec in (t for t in TABLES if t.folder == "geo" and geo_dir is not None):
        csv_path = Path(geo_dir) / f"{spec.name}.csv"
        if csv_path.exists():
            table, problems = read_csv(csv_path, spec.name, f"geo/{csv_path.name}")
            issues += problems
            if table is not None:
                tables[spec.name] = table
    return RawData(data_dir, programme, lines, tables, issues, geo)


def load_geo(geo_dir: Path, issues: list[Issue]) -> dict[str, Any]:
    """GeoJSON files in geo/ (optional). Read here; their geometry is checked by validate."""
    import json

    geo: dict[str, Any] = {}
    geo_dir = Path(geo_dir)
    if not geo_dir.is_dir():
        return geo
    for path in sorted(geo_dir.glob("*.geojson")):
        try:
            geo[path.stem] = json.loads(path.read_text(encoding="utf-8-sig"))
        except (ValueError, UnicodeDecodeError) as exc:
            issues.append(Issue(f"geo/{path.name}", None, None, f"not valid GeoJSON: {exc}",
                                "export it again as GeoJSON in WGS84 (EPSG:4326)"))
    return geo
