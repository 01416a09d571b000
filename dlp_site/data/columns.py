"""The contract as a spreadsheet sees it: each table's columns with their help, the kind of cell
(text, decimal, whole number, date), the fixed list a value comes from and the table a value
refers to. Read from tables.py and the Cell markers in cells.py, never written twice: the
officers' workbook (drop-downs, formats, comments) and the workbook reader use this.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic.fields import FieldInfo

from .cells import TEXT, Cell
from .tables import Table


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    hint: str | None
    example: str | None
    required: bool
    cell: Cell
    choices: tuple[str, ...]  # the fixed list of values, if any (a Literal, yes/no)
    refers_to: str | None  # the table whose key this column holds, if any


def _parts(annotation: Any) -> tuple[Any, tuple[Any, ...]]:
    """The type of a field without Optional, and its Annotated metadata."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = inner[0] if len(inner) == 1 else annotation
    if typing.get_origin(annotation) is typing.Annotated:
        base, *metadata = typing.get_args(annotation)
        return base, tuple(metadata)
    return annotation, ()


def _cell(info: FieldInfo) -> tuple[Cell, tuple[str, ...]]:
    base, metadata = _parts(info.annotation)
    cells = [m for m in (*info.metadata, *metadata) if isinstance(m, Cell)]
    cell = cells[0] if cells else TEXT
    if typing.get_origin(base) is typing.Literal:
        return cell, tuple(str(v) for v in typing.get_args(base))
    return cell, cell.choices


def _extra(info: FieldInfo, key: str) -> str | None:
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    value = extra.get(key)
    return value if isinstance(value, str) else None


def columns(table: Table) -> list[Column]:
    """The table's columns in the contract's order."""
    refers = {r.column: r.table for r in table.references}
    found = []
    for name, info in table.model.model_fields.items():
        cell, choices = _cell(info)
        found.append(Column(name, info.description or "", _extra(info, "hint"), _extra(info, "example"),
                            info.is_required(), cell, choices, refers.get(name)))
    return found


def date_columns(table: Table) -> set[str]:
    return {c.name for c in columns(table) if c.cell.kind == "date"}
