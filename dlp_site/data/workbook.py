"""Read an Excel workbook's sheets as rows of text, saying what a careless save can hide.

- A hidden sheet is never read: hiding is how officers park old drafts, and what is hidden in
  Excel must not appear on a public site. Each is named in a warning.
- A formula saved without its result (a workbook written by a script, or saved by a program that
  does not calculate) reads as an empty cell; each such cell is reported, since publishing a
  blank where a figure was meant would be wrong.
- A password-protected workbook is an encrypted container, not a zip file: say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import Issue

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of encrypted workbooks and old .xls files
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


@dataclass
class Sheet:
    title: str
    label: str  # as shown in messages: book.xlsx[title]
    records: list[list[str]]
    # Formula cells saved without a value, reported only if the sheet is used as a table.
    uncached: list[Issue] = field(default_factory=list)


@dataclass
class Workbook:
    sheets: list[Sheet]  # visible sheets only
    hidden: list[str]


class WorkbookProblem(Exception):
    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


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


def read_workbook(path: Path) -> Workbook:
    """Raise WorkbookProblem when the file cannot be read as a workbook at all."""
    from openpyxl import load_workbook  # imported lazily: only officers with workbooks need it

    problem = _not_a_workbook(path)
    if problem:
        raise problem
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise WorkbookProblem(f"cannot open the workbook ({type(exc).__name__}: {exc})",
                              "it may be damaged or another kind of file renamed .xlsx; "
                              "save it again from Excel as .xlsx") from exc
    try:
        sheets: list[Sheet] = []
        hidden: list[str] = []
        for worksheet in book.worksheets:
            if worksheet.sheet_state != "visible":
                hidden.append(worksheet.title)
                continue
            records = [[_cell(v) for v in row] for row in worksheet.iter_rows(values_only=True)]
            sheets.append(Sheet(worksheet.title, f"{path.name}[{worksheet.title}]", records))
    finally:
        book.close()
    formulas = _formulas(path)
    for sheet in sheets:
        header = [h.strip().lower() for h in sheet.records[0]] if sheet.records else []
        for (r, c), formula in sorted(formulas.get(sheet.title, {}).items()):
            if r < len(sheet.records) and sheet.records[r][c] == "":
                column = header[c] if c < len(header) and header[c] else f"column {c + 1}"
                sheet.uncached.append(Issue(
                    sheet.label, r + 1, column, f"the formula {formula} was saved without its result",
                    "open the workbook in Excel (which calculates it) and save it again, or type the value"))
    return Workbook(sheets, hidden)
