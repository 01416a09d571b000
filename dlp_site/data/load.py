"""Parse only: read each table from CSV or XLSX and programme.yml, keeping where each value came from.

Nothing here judges the values; problems with the files themselves (unreadable encoding, two
sources for one table, a missing required file) are returned as Issues, never raised.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Issue, Level, sheet_label
from .columns import date_columns
from .geojson import read_geojson
from .tables import TABLES
from .workbook import Sheet, WorkbookProblem, read_workbook
from .yamlfile import YamlProblem, load_yaml

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


def _utf16(raw: bytes) -> str | None:
    """The UTF-16 codec for Excel's 'Unicode Text': a byte-order mark, or NULs in every other byte."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = raw[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    # Mostly-ASCII text in UTF-16 has a NUL in (nearly) every high byte and none in the low ones.
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


SAVE_AS_UTF8 = "in Excel use File > Save As > 'CSV UTF-8 (Comma delimited)'"


def decode(raw: bytes, source: str) -> tuple[str | None, Issue | None]:
    """UTF-8 (with or without Excel's BOM), UTF-16 (Excel's 'Unicode Text', read with a
    warning), or, failing those, Windows-1252 (Excel's 'CSV')."""
    save_as = SAVE_AS_UTF8 if source.endswith(".csv") else "save it as UTF-8"
    codec = _utf16(raw)
    if codec:
        try:
            text = raw.decode(codec).lstrip("\ufeff")
        except UnicodeDecodeError:
            return None, Issue(source, None, None, "the file looks like UTF-16 text but cannot be read as it",
                               save_as)
        return text, Issue(source, None, None, "the file is saved as UTF-16 ('Unicode Text'); it was read as UTF-16",
                           save_as + " to silence this", Level.WARNING)
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return None, Issue(source, line, None, "the file contains NUL bytes, so it is not a text file",
                           f"is it a workbook or another file renamed? {save_as}")
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
            save_as,
        )


# Excel's own limit on a cell; anything longer did not come from a spreadsheet cell.
MAX_CELL = 32_767
# What the csv module may read as one field before giving up (its default is 131,072): well
# above MAX_CELL, so an over-long cell is reported by _table with its row, and bounded, so a
# stray quote in a huge file stops at 1 MiB rather than reading the whole file as one cell.
CSV_FIELD_LIMIT = 1 << 20
STRAY_QUOTE = ('check for a stray double quote (\"): a cell that starts with one runs on until the next; '
               'in Excel, save the file again as CSV UTF-8')


def read_csv(path: Path, name: str, source: str | None = None) -> tuple[RawTable | None, list[Issue]]:
    source = source or path.name
    text, problem = decode(path.read_bytes(), source)
    if text is None:
        assert problem is not None  # decode says why whenever it cannot read
        return None, [problem]
    notes = [problem] if problem else []
    # Excel's 'Unicode Text' (and 'Text (Tab delimited)') separate cells with tabs.
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    records: list[list[str]] = []
    limit = csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            records.append(record)
    except csv.Error as exc:
        # The row (as Excel counts rows) of the record that could not be finished.
        return None, notes + [Issue(source, len(records) + 1, None, f"cannot read the row: {exc}", STRAY_QUOTE)]
    finally:
        csv.field_size_limit(limit)
    table, issues = _table(name, source, records)
    return table, notes + issues


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
        # Spaces before or after a value are never meant (an id typed 'green ' is 'green').
        values = {h: (record[i].strip() if i < len(record) else "") for i, h in enumerate(header) if h}
        for column, value in values.items():
            if len(value) > MAX_CELL:
                issues.append(Issue(source, index, column, f"the cell holds {len(value):,} characters, more "
                                    f"than a spreadsheet cell can ({MAX_CELL:,})", STRAY_QUOTE))
                values[column] = value[:MAX_CELL]  # reported here; checked on as far as a cell goes
        extra = [c for c in record[len(header):] if c.strip()]
        if extra:
            issues.append(Issue(source, index, None, "the row has more cells than there are column names",
                                "check for a stray comma or a value typed past the last column"))
        rows.append(RawRow(index, values))
    return RawTable(name, source, header, rows), issues


def read_programme(path: Path) -> tuple[dict[str, Any] | None, dict[tuple[str, ...], int], list[Issue]]:
    source = path.name
    if not path.exists():
        return None, {}, [Issue(source, None, None, "file not found",
                                "every data directory needs programme.yml; copy the example one")]
    text, problem = decode(path.read_bytes(), source)
    if text is None:
        assert problem is not None  # decode says why whenever it cannot read
        return None, {}, [problem]
    notes = [problem] if problem else []
    try:
        data, lines = load_yaml(text)
    except YamlProblem as exc:
        return None, {}, notes + [Issue(source, exc.line, None, exc.message, exc.hint)]
    if not isinstance(data, dict):
        return None, {}, notes + [Issue(source, 1, None, "expected settings written as 'key: value' lines")]
    return data, lines, notes


def read_sheets(data_dir: Path, issues: list[Issue]) -> tuple[dict[str, Sheet], dict[str, str]]:
    """The visible sheets of every workbook in data/, by the table each supplies, and the hidden
    sheets that would have supplied a table (table name -> sheet label)."""
    # Workbooks: a sheet named like a table supplies that table; a workbook named like a
    # table with a single sheet supplies it too.
    sheets: dict[str, Sheet] = {}
    hidden: dict[str, str] = {}  # table name -> the hidden sheet that would have supplied it
    table_names = {t.name for t in TABLES}
    for book in sorted(data_dir.glob("*.xlsx")):
        if book.name.startswith("~$"):
            continue  # Excel's lock file while the workbook is open
        try:
            workbook = read_workbook(book)
        except WorkbookProblem as exc:
            issues.append(Issue(book.name, None, None, str(exc), exc.hint))
            continue
        for title in workbook.hidden:
            issues.append(Issue(sheet_label(book.name, title), None, None, "the sheet is hidden, so it was not read",
                                "unhide it (right-click a sheet tab > Unhide) to publish it, or delete it",
                                Level.WARNING))
            hidden.setdefault(title.strip().lower(), sheet_label(book.name, title))
        for sheet in workbook.sheets:
            key = sheet.title.strip().lower()
            if len(workbook.sheets) == 1 and not workbook.hidden and book.stem.lower() in table_names:
                key = book.stem.lower()
            if key in sheets:
                issues.append(Issue(sheet.label, None, None, f"a second source for the {key} table",
                                    f"it is also in {sheets[key].label}; keep only one"))
                continue
            sheets[key] = sheet
    return sheets, hidden


def load(data_dir: Path, geo_dir: Path | None = None) -> RawData:
    data_dir = Path(data_dir)
    issues: list[Issue] = []
    if not data_dir.is_dir():
        issues.append(Issue(str(data_dir), None, None, "data directory not found",
                            "pass --data with the folder holding programme.yml and the CSV files"))
        return RawData(data_dir, None, {}, {}, issues)

    programme, lines, problems = read_programme(data_dir / "programme.yml")
    issues += problems

    sheets, hidden = read_sheets(data_dir, issues)
    tables: dict[str, RawTable] = {}
    for spec in (t for t in TABLES if t.folder == "data"):
        csv_path = data_dir / f"{spec.name}.csv"
        in_sheet = spec.name in sheets
        if csv_path.exists() and in_sheet:
            issues.append(Issue(csv_path.name, None, None, f"the {spec.name} table is given twice",
                                f"it is also in {sheets[spec.name].label}; delete one so nobody edits the wrong copy"))
            continue
        if csv_path.exists():
            table, problems = read_csv(csv_path, spec.name)
        elif in_sheet:
            sheet = sheets[spec.name]
            dates = sheet.read_dates(date_columns(spec))
            table, problems = _table(spec.name, sheet.label, sheet.records)
            problems += sheet.issues + dates
        else:
            if spec.required:
                hint = (f"the sheet {hidden[spec.name]} is hidden: unhide it to use it" if spec.name in hidden
                        else f"add {spec.name}.csv or a sheet named '{spec.name}' in a workbook")
                issues.append(Issue(f"{spec.name}.csv", None, None, "file not found", hint))
            continue
        issues += problems
        if table is not None:
            tables[spec.name] = table

    if geo_dir is None:
        return RawData(data_dir, programme, lines, tables, issues, {})
    geo = load_geo(geo_dir, issues)
    for spec in (t for t in TABLES if t.folder == "geo"):
        csv_path = Path(geo_dir) / f"{spec.name}.csv"
        if csv_path.exists():
            table, problems = read_csv(csv_path, spec.name, f"geo/{csv_path.name}")
            issues += problems
            if table is not None:
                tables[spec.name] = table
    return RawData(data_dir, programme, lines, tables, issues, geo)


def load_geo(geo_dir: Path, issues: list[Issue]) -> dict[str, Any]:
    """GeoJSON files in geo/ (optional). Read here; their structure and geometry are checked by validate."""
    geo: dict[str, Any] = {}
    geo_dir = Path(geo_dir)
    if not geo_dir.is_dir():
        return geo
    for path in sorted(geo_dir.glob("*.geojson")):
        doc, problem = read_geojson(path, f"geo/{path.name}")
        if problem:
            issues.append(problem)
        else:
            geo[path.stem] = doc
    return geo
