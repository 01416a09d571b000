"""Frictionless Table Schema fields, taken from the data contract (data/tables.py) where a column
comes from it, so the published descriptions cannot drift from what `check` enforces.

A contract column's type comes from its row model's annotation (Decimal -> number, int ->
integer, date -> date, yes/no -> boolean, Literal -> string with an enum, Term -> string with
the term pattern), `required` from whether the model requires it, the description from its help
text. Columns we compute (a partnership's name beside its id, a KPI's change) are declared
where they are computed, with the same Field type.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Union

from ...data.tables import TABLES_BY_NAME
from ...data.terms import TERM_RE, Term


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    required: bool = False
    enum: tuple[str, ...] = ()
    pattern: str | None = None
    boolean: tuple[str, str] | None = None  # how true and false are written

    def descriptor(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type, "description": self.description}
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.pattern:
            constraints["pattern"] = self.pattern
        if constraints:
            out["constraints"] = constraints
        if self.boolean:
            out["trueValues"], out["falseValues"] = [self.boolean[0]], [self.boolean[1]]
        return out


def _unwrap(annotation: Any) -> Any:
    """The type inside Optional[...] and Annotated[...]."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        else:
            return annotation


def contract(table: str, column: str, *, name: str | None = None, suppressible: bool = False) -> Field:
    """The field for `column` of a contract table. `suppressible`: published as 'c' where
    disclosure control hides it, so never required (the descriptor lists 'c' as a missing value)."""
    info = TABLES_BY_NAME[table].model.model_fields[column]
    kind = _unwrap(info.annotation)
    field = Field(name or column, "string", info.description or column,
                  required=info.is_required() and not suppressible)
    if typing.get_origin(kind) is typing.Literal:
        return Field(field.name, "string", field.description, field.required, enum=typing.get_args(kind))
    if kind is Term:
        return Field(field.name, "string", field.description, field.required, pattern=TERM_RE.pattern)
    if kind is bool:
        return Field(field.name, "boolean", field.description, field.required, boolean=("yes", "no"))
    simple = {Decimal: "number", int: "integer", date: "date"}
    if isinstance(kind, type) and kind in simple:
        return Field(field.name, simple[kind], field.description, field.required)
    return field
