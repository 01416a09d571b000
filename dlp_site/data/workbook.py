"""Read an Excel workbook's sheets as rows of text, as Excel shows them, saying what a careless
save can hide.

- A hidden sheet is never read: hiding is how officers park old drafts, and what is hidden in
  Excel must not appear on a public site. Each is named in a warning (except the drop-down lists
  sheet dlp-site's own template keeps hidden).
- A formula is read as its result, as Excel saved it. One saved without its result (a workbook
  written by a script, or saved by a program that does not calculate) reads as an empty cell;
  each such cell is reported, since publishing a blank where a figure was meant would be wrong.
  So is a formula whose result is an error (#N/A, #REF!...).
- Numbers are read to Excel's 15 significant digits (what Excel shows, not a binary float's
  tail); a cell formatted as a percentage shows 43.4% for 0.434 and is read as 43.4; a number in
  a date column is Excel's date serial (a date column formatted as General) and is read as the
  date, with a warning.
- Merged cells: Excel shows the value across the whole merged range, so a range down one column
  is read as that value on every row (with a warning: sorting breaks merged cells); a range across
  columns cannot be read as anything but a mistake, and is an error.
- A password-protected workbook is an encrypted container, not a zip file: say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import Issue, Level, sheet_label

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of encrypted workbooks and old .xls files
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
# The hidden sheet behind the template's longer drop-down lists (dlp_site/project/workbook.py).
LISTS_SHEET = "lists"
LAST_SERIAL = 2_958_465  # 9999-12-31, the last date Excel has
SERIAL_HINT = "in Excel, select the column and choose Home > Number Format > Short Date, or type the date as 2021-09-01"


@dataclass
class Sheet:
    title: str
    label: str  # as shown in messages: book.xlsx[title]
    records: list[list[str]]
    # Problems of the sheet's cells (formulas without results, error values, merged cells),
    # reported only if the sheet is used as a table.
    issues: list[Issue] = field(default_factory=list)
    # Cells Excel stores as numbers: (row, column) from 0 -> the number, for date serials.
    numbers: dict[tuple[int, int], float] = field(default_factory=dict)
    failed: set[tuple[int, int]] = field(default_factory=set)  # cells showing a formula's error
    epoch: datetime = datetime(1899, 12, 30)

    def read_dates(self, columns: set[str]) -> list[Issue]:
        """Numbers in the named date columns are Excel's date serials: read them as the dates."""
        from openpyxl.utils.datetime import from_excel

        header = self.records[0] if self.records else []
        found: list[Issue] = []
        for (r, c), number in sorted(self.numbers.items()):
            name = header[c].strip().lower() if r > 0 and c < len(header) else ""
            if name not in columns or not 1 <= number <= LAST_SERIAL or not float(number).is_integer():
                continue
            day = from_excel(number, self.epoch).date().isoformat()
            found.append(Issue(self.label, r + 1, name, f"{self.records[r][c]} is a date stored as a number "
                               f"(Excel's date serial); it was read as {day}", SERIAL_HINT, Level.WARNING))
            self.records[r][c] = day
        return found


@dataclass
class Workbook:
    sheets: list[Sheet]  # visible sheets only
    hidden: list[str]  # hidden sheets' titles, except the template's lists sheet


class WorkbookProblem(Exception):
    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


def _number(value: float | int, number_format: str) -> str:
    if isinstance(value, float):
        # Excel keeps 15 significant digits; 0.1+0.2 is 0.3 in the cell, not 0.30000000000000004.
        number = Decimal(format(value, ".15g"))
    else:
        number = Decimal(value)
    if "%" in number_format.replace('"%"', "").replace("\\%", ""):
        number *= 100  # 43.4% is stored as 0.434
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def _cell(value: Any, number_format: str = "General") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"  # as Excel shows it
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return _number(value, number_format)
    return str(value)


def _not_a_workbook(path: Path) -> WorkbookProblem | None:
    with path.open("rb") as handle:
        head = handle.read(len(OLE_MAGIC))
        if head != OLE_MAGIC:
            return None
        rest = handle.read()
    if ENCRYPTED_STREAM in rest:
        return WorkbookProblem("the workbook is password-protected (encrypted), so it cannot be read",
                               "in Excel, File > Info > Protect Workbook > Encrypt with Password: clear the "
                               "password, save, and keep the protected copy out of the data folder")
    return WorkbookProblem("this is an Excel 97-2003 (.xls) workbook with an .xlsx name",
                           "open it in Excel and save it as 'Excel Workbook (.xlsx)'")


def _formulas(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """(row, column) -> formula text for every formula cell, by sheet title (0-based indices)."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=False)
    try:
        return {
            sheet.title: {(r, c): value for r, row in enumerate(sheet.iter_rows(values_only=True))
                          for c, value in enumerate(row) if isinstance(value, str) and value.startswith("=")}
            for sheet in book.worksheets if sheet.sheet_state == "visible"
        }
    finally:
        book.close()


def _column(header: list[str], c: int) -> str:
    name = header[c].strip().lower() if c < len(header) else ""
    return name or f"column {c + 1}"


def _read_sheet(worksheet: Any, label: str) -> Sheet:
    sheet = Sheet(worksheet.title, label, [])
    errors: list[tuple[int, int, str]] = []
    for r, row in enumerate(worksheet.iter_rows()):
        record = []
        for c, cell in enumerate(row):
            if cell.data_type == "e":  # a formula's error, e.g. #N/A
                errors.append((r, c, str(cell.value)))
                sheet.failed.add((r, c))
                record.append("")
                continue
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                sheet.numbers[(r, c)] = cell.value
            record.append(_cell(cell.value, cell.number_format or "General"))
        sheet.records.append(record)
    header = sheet.records[0] if sheet.records else []
    for r, c, value in errors:
        sheet.issues.append(Issue(label, r + 1, _column(header, c), f"the cell shows the error {value}",
                                  "a formula there failed: correct it, or type the value"))
    for merged in sorted(worksheet.merged_cells.ranges, key=lambda m: (m.min_row, m.min_col)):
        _merged(sheet, merged, header)
    return sheet


def _merged(sheet: Sheet, merged: Any, header: list[str]) -> None:
    top, left = merged.min_row - 1, merged.min_col - 1
    if top >= len(sheet.records) or left >= len(sheet.records[top]) or not sheet.records[top][left].strip():
        return  # an empty merged range is only formatting
    value = sheet.records[top][left]
    column = _column(header, left) if top > 0 else None
    if merged.min_col != merged.max_col:
        sheet.issues.append(Issue(sheet.label, top + 1, column, f"cells {merged.coord} are merged across columns",
                                  "unmerge them (Home > Merge & Center) and put each value in its own column"))
        return
    for r in range(top + 1, min(merged.max_row, len(sheet.records))):
        while len(sheet.records[r]) <= left:
            sheet.records[r].append("")
        sheet.records[r][left] = value
        sheet.numbers.pop((r, left), None)
        if (top, left) in sheet.numbers:
            sheet.numbers[(r, left)] = sheet.numbers[(top, left)]
    sheet.issues.append(Issue(sheet.label, top + 1, column, f"cells {merged.coord} are merged; each of their rows "
                              f"was read as {value!r}", "unmerge them (Home > Merge & Center) and fill in each row: "
                              "sorting or filtering breaks merged cells", Level.WARNING))


def read_workbook(path: Path) -> Workbook:
    """Raise WorkbookProblem when the file cannot be read as a workbook at all."""
    from openpyxl import load_workbook  # imported lazily: only officers with workbooks need it

    problem = _not_a_workbook(path)
    if problem:
        raise problem
    try:
        # Not read-only: merged cells are only known to a fully loaded sheet.
        book = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise WorkbookProblem(f"cannot open the workbook ({type(exc).__name__}: {exc})",
                              "it may be damaged or another kind of file renamed .xlsx; "
                              "save it again from Excel as .xlsx") from exc
    sheets: list[Sheet] = []
    hidden: list[str] = []
    for worksheet in book.worksheets:
        if worksheet.sheet_state != "visible":
            if worksheet.title != LISTS_SHEET:
                hidden.append(worksheet.title)
            continue
        sheet = _read_sheet(worksheet, sheet_label(path.name, worksheet.title))
        sheet.epoch = book.epoch
        sheets.append(sheet)
    formulas = _formulas(path)
    for sheet in sheets:
        header = sheet.records[0] if sheet.records else []
        for (r, c), formula in sorted(formulas.get(sheet.title, {}).items()):
            if r < len(sheet.records) and c < len(sheet.records[r]) and sheet.records[r][c] == "" \
                    and (r, c) not in sheet.failed:
                sheet.issues.append(Issue(
                    sheet.label, r + 1, _column(header, c), f"the formula {formula} was saved without its result",
                    "open the workbook in Excel (which calculates it) and save it again, or type the value"))
    return Workbook(sheets, hidden)
