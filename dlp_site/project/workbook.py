"""The officers' workbook (`dlp-site template`): one sheet per table of the data contract, with
the header row the check expects, every column's help as the header cell's comment and as the
message Excel shows on selecting a cell, drop-down lists for fixed lists and for references to
another sheet, number and date formats, and an About sheet. Everything is read from the contract
(data/columns.py), so the workbook cannot drift from the checks.

Reference drop-downs offer the other sheet's key column through a named range that grows with
it (a new partnership row appears in the projects' partnership_id list at once). Fixed lists
longer than Excel's 255-character limit on a typed list go through a hidden lists sheet.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import TypeAdapter, ValidationError

from .. import __version__
from ..data.cells import MAX_FIGURE
from ..data.columns import Column, columns
from ..data.load import load
from ..data.tables import TABLES, TABLES_BY_NAME, Table
from ..data.workbook import LAST_SERIAL, LISTS_SHEET
from ..errors import DataError, Issue, ProjectError, errors

DATA_TABLES = tuple(t for t in TABLES if t.folder == "data")
ABOUT_SHEET = "About"
LAST_ROW = 1_048_576  # Excel's last row: validations and formats cover the whole column
LIST_LIMIT = 255  # characters in a drop-down list typed into the validation itself
# Excel's limits on a data validation's messages.
TITLE_LIMIT, PROMPT_LIMIT, ERROR_LIMIT = 32, 255, 225
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
PROSE_WIDTH = 48


@dataclass
class Filled:
    """Rows to put in one sheet: its header (the contract's columns plus any others the source
    had) and each row's cells as text, as the officer typed them."""

    header: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _help(column: Column) -> str:
    """The header cell's comment: everything the contract says about the column."""
    lines = [column.description]
    if column.hint:
        lines.append(f"Format: {column.hint}.")
    if column.choices:
        lines.append(f"One of: {', '.join(column.choices)} (choose from the drop-down).")
    if column.refers_to:
        key = TABLES_BY_NAME[column.refers_to].key[0]
        lines.append(f"A {key} from the {column.refers_to} sheet (choose from the drop-down).")
    if column.example:
        lines.append(f"Example: {column.example}")
    lines.append("Required." if column.required else "Optional: leave empty if it does not apply.")
    return "\n".join(lines)


def _prompt(column: Column, themes: Mapping[str, str]) -> str:
    text = column.description
    if column.refers_to:
        text += f" Choose from the drop-down: it lists the {column.refers_to} sheet's ids (add a row there first)."
    elif column.choices:
        text += f" Choose one of: {', '.join(column.choices)}."
    elif column.name == "themes" and themes:
        text += f" Ids: {', '.join(themes)}."
    elif column.hint:
        text += f" Format: {column.hint}."
    if not column.required:
        text += " Optional."
    return _clip(text, PROMPT_LIMIT)


class Lists:
    """The hidden sheet holding fixed lists too long to type into a validation."""

    def __init__(self, book: Workbook):
        self.book = book
        self.sheet: Worksheet | None = None

    def range_for(self, values: Sequence[str]) -> str:
        if self.sheet is None:
            self.sheet = self.book.create_sheet(LISTS_SHEET)
            self.sheet.sheet_state = "veryHidden"  # not even in Excel's Unhide list: it is ours
        letter = get_column_letter(self.sheet.max_column + (1 if self.sheet["A1"].value is not None else 0))
        for row, value in enumerate(values, start=1):
            self.sheet[f"{letter}{row}"] = value
        return f"{quote_sheetname(LISTS_SHEET)}!${letter}$1:${letter}${len(values)}"


def _ids_name(table: Table) -> str:
    return f"{table.name}_ids"


def _key_range(table: Table) -> str:
    """The key column of a table's sheet, from row 2 down to its last filled row."""
    letter = get_column_letter(table.columns.index(table.key[0]) + 1)
    sheet = quote_sheetname(table.name)
    return f"OFFSET({sheet}!${letter}$2,0,0,MAX(1,COUNTA({sheet}!${letter}:${letter})-1),1)"


def _validation(column: Column, lists: Lists, themes: Mapping[str, str]) -> DataValidation:
    """What Excel checks as a cell is typed, and the message it shows on selecting one."""
    title = _clip(column.name, TITLE_LIMIT)
    check = DataValidation(showInputMessage=True, promptTitle=title, prompt=_prompt(column, themes),
                           allow_blank=True)
    cell = column.cell
    if column.refers_to:
        target = TABLES_BY_NAME[column.refers_to]
        check.type, check.formula1 = "list", _ids_name(target)
        # A warning, not a stop: the row it refers to may be added later.
        check.errorStyle, check.errorTitle = "warning", _clip(f"Not in {column.refers_to}", TITLE_LIMIT)
        check.error = _clip(f"That {target.key[0]} is not in the {column.refers_to} sheet yet. Add it there "
                            "first, or check the spelling.", ERROR_LIMIT)
    elif column.choices:
        typed = ",".join(column.choices)
        check.type = "list"
        check.formula1 = f'"{typed}"' if len(typed) <= LIST_LIMIT else lists.range_for(column.choices)
        check.errorStyle, check.errorTitle = "stop", "Not on the list"
        check.error = _clip(f"{column.name} is one of: {', '.join(column.choices)}.", ERROR_LIMIT)
    elif cell.kind in ("decimal", "whole"):
        low = cell.minimum if cell.minimum is not None else -MAX_FIGURE
        high = cell.maximum if cell.maximum is not None else MAX_FIGURE
        check.type, check.operator, check.formula1, check.formula2 = cell.kind, "between", str(low), str(high)
        check.errorStyle, check.errorTitle = "stop", "Not a number" if cell.kind == "decimal" else "Not a whole number"
        check.error = _clip(f"{column.name}: {column.hint or f'a number from {low:,} to {high:,}'}.", ERROR_LIMIT)
    elif cell.kind == "date":
        check.type, check.operator, check.formula1, check.formula2 = "date", "between", "1", str(LAST_SERIAL)
        check.errorStyle, check.errorTitle = "stop", "Not a date"
        check.error = _clip(f"{column.name} is a date: {column.hint or 'e.g. 2021-09-01'}.", ERROR_LIMIT)
    else:
        return check  # input message only: any value may be typed
    check.showErrorMessage = True
    return check


def _typed(column: Column | None, table: Table) -> TypeAdapter[Any] | None:
    if column is None or column.cell.kind == "text":
        return None
    annotation = table.model.model_fields[column.name].annotation
    return TypeAdapter(annotation) if annotation is not None else None


def _put(cell: Any, value: Any) -> None:
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text: '=1+1' or '#N/A' typed as text is not a formula or error


def _fill(sheet: Worksheet, table: Table, filled: Filled, by_name: Mapping[str, Column]) -> None:
    adapters = {name: _typed(by_name.get(name), table) for name in filled.header}
    for r, row in enumerate(filled.rows, start=2):
        for c, name in enumerate(filled.header, start=1):
            text = row.get(name, "")
            if text == "":
                continue
            if ILLEGAL_CHARACTERS_RE.search(text):
                raise ProjectError(f"{table.name}, row {r}, {name}: the cell holds a control character a workbook "
                                   "cannot store (remove it from the source, then run the command again)")
            value: Any = text
            adapter = adapters[name]
            if adapter is not None:
                try:
                    value = adapter.validate_python(text)  # a number, a date: typed as Excel types it
                except ValidationError:
                    value = text  # kept as typed; `dlp-site check` will say what is wrong with it
            if isinstance(value, Decimal) and value == value.to_integral_value():
                value = int(value)
            cell = sheet.cell(r, c)
            _put(cell, value)
            column = by_name.get(name)
            if column is not None:
                cell.number_format = column.cell.number_format


def _table_sheet(book: Workbook, table: Table, filled: Filled, lists: Lists, themes: Mapping[str, str]) -> None:
    sheet = book.create_sheet(table.name)
    by_name = {c.name: c for c in columns(table)}
    for index, name in enumerate(filled.header, start=1):
        letter = get_column_letter(index)
        head = sheet.cell(1, index, name)
        head.font, head.fill = Font(bold=True), HEADER_FILL
        column = by_name.get(name)
        dimension = sheet.column_dimensions[letter]
        dimension.width = PROSE_WIDTH if column and column.cell.number_format == "General" \
            and column.cell.kind == "text" else max(14, len(name) + 4)
        if column is None:
            head.comment = Comment("Not a dlp-site column: the check ignores it (with a warning).", "dlp-site")
            continue
        head.comment = Comment(_help(column), "dlp-site", width=320, height=180)
        dimension.number_format = column.cell.number_format  # what new cells in the column are typed as
        check = _validation(column, lists, themes)
        check.add(f"{letter}2:{letter}{LAST_ROW}")
        sheet.add_data_validation(check)
    sheet.freeze_panes = "A2"
    _fill(sheet, table, filled, by_name)


def _about(book: Workbook, tables: Sequence[Table], themes: Mapping[str, str]) -> None:
    sheet = book.active
    assert sheet is not None
    sheet.title = ABOUT_SHEET
    lines: list[tuple[str, ...]] = [
        ("Programme data for dlp-site",),
        (),
        ("One sheet per table. Row 1 of each holds the column names exactly as dlp-site reads them: keep them "
         "as they are (a column you add is ignored, with a warning).",),
        ("Select a cell (or hover over a column name) to see what goes in it. Columns with a fixed list, or that "
         "refer to another sheet, offer a drop-down.",),
        ("Ids (area_id, partnership_id, project_id, kpi_id) are lower-case letters, digits and hyphens: they become "
         "web addresses.",),
        ("Dates are typed like 2021-09-01; money in pounds (304522.41); percentages without the % sign (43.4); "
         "terms like 2022-summer.",),
        ("Keep the workbook in the data folder beside programme.yml, then run: dlp-site check",),
        ("Hidden sheets are never read. Each table has one home: if a table is in this workbook, delete its CSV "
         "file.",),
        (),
        ("Sheet", "Needed", "What it holds", "Columns"),
        *((t.name, "yes" if t.required else "no", t.help, ", ".join(t.columns)) for t in tables),
    ]
    if themes:
        lines += [(), ("Theme id", "Theme")] + [(key, label) for key, label in themes.items()]
    lines += [(), (f"Made by dlp-site {__version__} (dlp-site template).",)]
    for line in lines:
        sheet.append(list(line))
    sheet["A1"].font = Font(bold=True, size=14)
    for row in sheet.iter_rows():
        if sum(1 for cell in row if cell.value is not None) > 1:  # the tables wrap; sentences run on
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if cell.value in ("Sheet", "Needed", "What it holds", "Columns", "Theme id", "Theme"):
                    cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (22, 10, 60, 60), strict=True):
        sheet.column_dimensions[letter].width = width


def build_workbook(filled: Mapping[str, Filled] | None = None, themes: Mapping[str, str] | None = None,
                   tables: Sequence[Table] = DATA_TABLES) -> Workbook:
    """The workbook for `tables`, with the rows in `filled` (table name -> rows), if any."""
    filled = filled or {}
    themes = themes or {}
    book = Workbook()
    _about(book, tables, themes)
    lists = Lists(book)
    for table in tables:
        _table_sheet(book, table, filled.get(table.name) or Filled(table.columns), lists, themes)
    names = {c.refers_to for t in tables for c in columns(t) if c.refers_to}
    for table in tables:
        if table.name in names:
            book.defined_names[_ids_name(table)] = DefinedName(_ids_name(table), attr_text=_key_range(table))
    return book


def save_new(book: Workbook, out: Path) -> None:
    """Save to `out`, which must not exist yet: the workbook appears whole or not at all."""
    if out.exists():
        raise ProjectError(f"{out}: already exists (choose another name, or move the old file away first)")
    if out.suffix.lower() != ".xlsx":
        raise ProjectError(f"{out}: the workbook's name must end in .xlsx")
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = out.with_name(f".{out.name}.new-{os.getpid()}")
    try:
        book.save(temp)
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)


def rows_from(data: Path) -> tuple[dict[str, Filled], dict[str, str], list[Issue]]:
    """The tables of a data folder as the officers typed them (nothing is judged: a wrong value
    is carried over for the check to explain), its themes, and the problems reading it. A file
    that exists but cannot be read is an error: the workbook would silently lack it."""
    raw = load(data)
    failed = [i for i in errors(raw.issues) if i.file != "programme.yml" and (data / i.file).exists()]
    if failed:
        raise DataError(failed, outcome="no workbook was written")
    filled = {}
    for name, table in raw.tables.items():
        contract = TABLES_BY_NAME[name].columns
        header = contract + [h for h in table.header if h and h not in contract]
        filled[name] = Filled(header, [dict(row.values) for row in table.rows])
    themes = raw.programme.get("themes") if isinstance(raw.programme, dict) else None
    labels = {str(k): str(v) for k, v in themes.items()} if isinstance(themes, dict) else {}
    return filled, labels, [i for i in raw.issues if i not in failed and (data / i.file).exists()]
