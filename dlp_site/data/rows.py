"""Each row and each setting checked on its own: pydantic errors become Issues an officer can act on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Issue, Level, suggest
from .load import RawData, RawTable
from .settings import Programme
from .tables import (
    TABLES_BY_NAME,
    Area,
    ColumnError,
    FundingLine,
    Kpi,
    LocationError,
    Partnership,
    PostcodePoint,
    Project,
    Report,
    School,
    field_hint,
)

MISSING_CELL = "this cell is empty but a value is required"
MISSING_SETTING = "this setting is required"


@dataclass
class ValidData:
    """The rows that passed their own checks, with the source row of each for later messages."""

    programme: Programme | None
    areas: list[Area] = field(default_factory=list)
    partnerships: list[Partnership] = field(default_factory=list)
    schools: list[School] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    kpis: list[Kpi] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    funding: list[FundingLine] = field(default_factory=list)
    postcodes: list[PostcodePoint] = field(default_factory=list)
    geo: dict[str, Any] = field(default_factory=dict)
    where: dict[int, tuple[str, int]] = field(default_factory=dict)  # id(row) -> (source, row)
    # Ids of rows that exist but failed their own checks: references to them are not
    # reported again, so one mistake gives one message rather than a cascade.
    broken_ids: dict[str, set[str]] = field(default_factory=dict)  # table name -> ids


def _owner(model: type[BaseModel], loc: tuple[str, ...]) -> tuple[type[BaseModel], str]:
    """The model that declares the last key of `loc` (a nested settings block such as
    open_data.org_id is declared by its own model), and that key."""
    for i, key in enumerate(loc[:-1]):
        field = model.model_fields.get(key)
        inner = field.annotation if field else None
        if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
            return model, ".".join(loc[i:])
        model = inner
    return model, loc[-1] if loc else ""


def _friendly(err: Any, model: type[BaseModel], missing: str) -> tuple[str, str, str | None]:
    """One pydantic error as (column, message, hint) an officer can act on."""
    column = ".".join(str(p) for p in err["loc"]) if err["loc"] else ""
    owner, name = _owner(model, tuple(str(p) for p in err["loc"]))
    hint = field_hint(owner, name) if name else None
    if hint is None and name in owner.model_fields:
        hint = f"{column}: {owner.model_fields[name].description}"
    kind = err["type"]
    value = err.get("input")
    if kind == "missing":
        return column, missing, hint
    if kind == "extra_forbidden":
        return column, "unknown setting", suggest(name, list(owner.model_fields)) or \
            f"allowed: {', '.join(owner.model_fields)}"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        allowed = [e.strip().strip("'") for e in expected.replace(" or ", ", ").split(",")]
        return column, f"'{value}' is not one of: {', '.join(allowed)}", suggest(str(value).strip(), allowed) or hint
    if kind == "value_error":
        exc = err.get("ctx", {}).get("error")
        if isinstance(exc, (ColumnError, LocationError)):
            return exc.column, str(exc), exc.hint
        return column, str(exc) if exc else err["msg"], hint
    return column, err["msg"], hint


def pydantic_issues(exc: ValidationError, model: type[BaseModel], source: str,
                    line_of: Callable[[tuple[str, ...]], int | None], *, missing: str) -> list[Issue]:
    """Every error pydantic found in one row, settings file or front matter, as Issues: the one
    conversion used for tables, programme.yml and newsletter front matter. `line_of` gives the
    row or line of an error's location (a key path)."""
    issues = []
    for err in exc.errors(include_url=False):
        column, message, hint = _friendly(err, model, missing)
        issues.append(Issue(source, line_of(tuple(str(p) for p in err["loc"])), column or None, message, hint))
    return issues


def key_lines(lines: dict[tuple[str, ...], int]) -> Callable[[tuple[str, ...]], int | None]:
    """The line of a key path in a YAML file, or of the nearest key above it."""
    def line_of(path: tuple[str, ...]) -> int | None:
        for n in range(len(path), 0, -1):
            if path[:n] in lines:
                return lines[path[:n]]
        return None

    return line_of


def check_columns(table: RawTable, issues: list[Issue]) -> bool:
    spec = TABLES_BY_NAME[table.name]
    ok = True
    for column in spec.required_columns:
        if column not in table.header:
            ok = False
            issues.append(Issue(table.source, 1, column, "required column is missing",
                                suggest(column, [h for h in table.header if h not in spec.columns])
                                or f"add a column headed '{column}'"))
    for column in table.header:
        if column and column not in spec.columns:
            issues.append(Issue(table.source, 1, column, "unknown column, ignored",
                                suggest(column, spec.columns) or f"known columns: {', '.join(spec.columns)}",
                                Level.WARNING))
    return ok


def parse_rows(table: RawTable, data: ValidData, issues: list[Issue]) -> list[Any]:
    spec = TABLES_BY_NAME[table.name]
    if not check_columns(table, issues):
        return []
    rows = []
    for raw in table.rows:
        # An empty cell means 'not given': optional columns take their default and
        # required ones report 'missing' rather than a confusing type error.
        values = {k: v for k, v in raw.values.items() if k in spec.columns and v.strip() != ""}
        try:
            row = spec.model.model_validate(values)
        except ValidationError as exc:
            data.broken_ids.setdefault(table.name, set()).update(raw.values.get(k, "").strip() for k in spec.key)
            issues += pydantic_issues(exc, spec.model, table.source, _row(raw.row), missing=MISSING_CELL)
            continue
        data.where[id(row)] = (table.source, raw.row)
        rows.append(row)
    return rows


def _row(number: int) -> Callable[[tuple[str, ...]], int | None]:
    """Every error in a table row is on that row."""
    return lambda _path: number


def check_programme(raw: RawData, issues: list[Issue]) -> Programme | None:
    if raw.programme is None:
        return None
    known = set(Programme.model_fields)
    for key in raw.programme:
        if key not in known:
            issues.append(Issue("programme.yml", raw.programme_lines.get((key,)), key, "unknown setting, ignored",
                                suggest(key, sorted(known)), Level.WARNING))
    try:
        return Programme.model_validate(raw.programme)
    except ValidationError as exc:
        issues += pydantic_issues(exc, Programme, "programme.yml", key_lines(raw.programme_lines),
                                  missing=MISSING_SETTING)
        return None
