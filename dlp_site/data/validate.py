"""Schema and cross-dataset checks. Never stops at the first problem: every Issue is collected."""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Issue, Level
from .geojson import check_geojson
from .load import RawData, RawTable
from .tables import (
    TABLES,
    TABLES_BY_NAME,
    Area,
    ColumnError,
    FundingLine,
    Kpi,
    LocationError,
    Partnership,
    PostcodePoint,
    Programme,
    Project,
    Report,
    School,
    field_hint,
    term_key,
)

# Spend above allocation by more than this share is flagged for a second look.
OVERSPEND_TOLERANCE = Decimal("0.10")


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


def suggest(value: str, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def _friendly(err: dict[str, Any], model: type[BaseModel]) -> tuple[str, str, str | None]:
    """Turn one pydantic error into (column, message, hint) an officer can act on."""
    column = ".".join(str(p) for p in err["loc"]) if err["loc"] else ""
    hint = field_hint(model, column) if column else None
    if hint is None and column in model.model_fields:
        hint = f"{column}: {model.model_fields[column].description}"
    kind = err["type"]
    value = err.get("input")
    if kind == "missing":
        return column, "this cell is empty but a value is required", hint
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        allowed = [e.strip().strip("'") for e in expected.replace(" or ", ", ").split(",")]
        return column, f"'{value}' is not one of: {', '.join(allowed)}", suggest(str(value).strip(), allowed) or hint
    if kind == "value_error":
        exc = err.get("ctx", {}).get("error")
        if isinstance(exc, ColumnError):
            return exc.column, str(exc), exc.hint
        if isinstance(exc, LocationError):
            return exc.column, str(exc), exc.hint
        return column, str(exc) if exc else err["msg"], hint
    return column, err["msg"], hint


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
            for err in exc.errors(include_url=False):
                column, message, hint = _friendly(err, spec.model)
                issues.append(Issue(table.source, raw.row, column or None, message, hint))
            continue
        data.where[id(row)] = (table.source, raw.row)
        rows.append(row)
    return rows


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
        for err in exc.errors(include_url=False):
            path = tuple(str(p) for p in err["loc"])
            line = None
            for n in range(len(path), 0, -1):
                line = raw.programme_lines.get(path[:n])
                if line:
                    break
            column, message, hint = _friendly(err, Programme)
            if path and path[0] == "reporting_term":
                hint = "write the term as YEAR-season, e.g. 2022-summer"
            issues.append(Issue("programme.yml", line, ".".join(path) or None, message, hint))
        return None


def validate(raw: RawData) -> tuple[ValidData, list[Issue]]:
    issues = list(raw.issues)
    data = ValidData(programme=check_programme(raw, issues), geo=dict(raw.geo))
    for spec in TABLES:
        table = raw.tables.get(spec.name)
        if table is not None:
            setattr(data, spec.name, parse_rows(table, data, issues))
    cross_check(data, raw, issues)
    check_geo(data, {p.partnership_id for p in data.partnerships}, issues)
    return data, sorted(set(issues), key=_order)


def _order(issue: Issue) -> tuple:
    return (issue.path, issue.row or 0, issue.column or "", issue.message)


def cross_check(data: ValidData, raw: RawData, issues: list[Issue]) -> None:
    def at(row: Any, column: str, message: str, hint: str | None = None, level: Level = Level.ERROR) -> None:
        source, number = data.where[id(row)]
        issues.append(Issue(source, number, column, message, hint, level))

    def unique(rows: list[Any], key: str) -> dict[Any, Any]:
        seen: dict[Any, Any] = {}
        for row in rows:
            value = getattr(row, key)
            if value in seen:
                first = data.where[id(seen[value])][1]
                at(row, key, f"duplicate {key} '{value}'", f"it is already used on row {first}")
            else:
                seen[value] = row
        return seen

    areas = unique(data.areas, "area_id")
    partnerships = unique(data.partnerships, "partnership_id")
    schools = unique(data.schools, "urn")
    projects = unique(data.projects, "project_id")
    unique(data.kpis, "kpi_id")
    unique(data.funding, "line")
    unique(data.postcodes, "postcode")

    # A reference is only checked when the table it points at loaded at all; otherwise
    # every row would repeat the one real problem (a missing or broken file).
    targets = {"areas": areas, "partnerships": partnerships, "projects": projects}

    def ref(row: Any, column: str, value: Any, table: str) -> bool:
        target = targets[table]
        if table not in raw.tables or value in target or str(value) in data.broken_ids.get(table, set()):
            return True
        what = table[:-1]
        at(row, column, f"unknown {what} '{value}'", suggest(str(value), [str(k) for k in target])
           or f"add it to {table} first, or fix the spelling")
        return False

    for p in data.partnerships:
        if p.area_id is None and p.kind != "citywide":
            at(p, "area_id", "this cell is empty but a value is required",
               "only citywide partnerships may have no area")
        elif p.area_id is not None:
            ref(p, "area_id", p.area_id, "areas")

    school_partnership: dict[int, str] = {}
    for s in data.schools:
        ref(s, "partnership_id", s.partnership_id, "partnerships")
        school_partnership[s.urn] = s.partnership_id
    for p in data.partnerships:
        if p.lead_school_urn is not None and "schools" in raw.tables:
            if p.lead_school_urn not in schools:
                at(p, "lead_school_urn", f"unknown school URN {p.lead_school_urn}", "it must be a urn in schools")
            elif school_partnership[p.lead_school_urn] != p.partnership_id:
                at(p, "lead_school_urn", f"school {p.lead_school_urn} belongs to another partnership",
                   "the lead school should be one of the partnership's own schools", Level.WARNING)

    themes = list(data.programme.themes) if data.programme else []
    for pr in data.projects:
        ref(pr, "partnership_id", pr.partnership_id, "partnerships")
        if data.programme:
            for theme in pr.themes:
                if theme not in data.programme.themes:
                    at(pr, "themes", f"unknown theme '{theme}'",
                       suggest(theme, themes) or f"themes are listed in programme.yml: {', '.join(themes)}")
        _overspend(pr, pr.spend_gbp, pr.allocation_gbp, at)

    reporting = term_key(data.programme.reporting_term) if data.programme else None
    for k in data.kpis:
        ref(k, "project_id", k.project_id, "projects")
        if term_key(k.latest_period) < term_key(k.baseline_period):
            at(k, "latest_period", f"latest period {k.latest_period} is before the baseline {k.baseline_period}",
               "swap the two, or correct the term")
        if reporting and term_key(k.latest_period) > reporting:
            at(k, "latest_period", f"{k.latest_period} is after the reporting term {data.programme.reporting_term}",
               "raise reporting_term in programme.yml when a new term is reported")

    seen_reports: dict[tuple[str, str], Report] = {}
    engaged_by_partnership = Counter(s.partnership_id for s in data.schools if s.engaged)
    total_by_partnership = Counter(s.partnership_id for s in data.schools)
    latest_report: dict[str, Report] = {}
    for r in data.reports:
        if not ref(r, "project_id", r.project_id, "projects"):
            continue
        key = (r.project_id, r.term)
        if key in seen_reports:
            first = data.where[id(seen_reports[key])][1]
            at(r, "term", f"a second report for {r.project_id} in {r.term}", f"the first is on row {first}")
            continue
        seen_reports[key] = r
        if reporting and term_key(r.term) > reporting:
            at(r, "term", f"{r.term} is after the reporting term {data.programme.reporting_term}",
               "raise reporting_term in programme.yml when a new term is reported")
        if r.project_id not in projects:
            continue  # its project row is broken and already reported
        _overspend(r, r.spend_gbp, projects[r.project_id].allocation_gbp, at)
        if r.project_id not in latest_report or term_key(r.term) > term_key(latest_report[r.project_id].term):
            latest_report[r.project_id] = r
    if "schools" in raw.tables:
        for project_id, r in latest_report.items():
            pid = projects[project_id].partnership_id
            if total_by_partnership[pid] and r.schools_total != total_by_partnership[pid]:
                at(r, "schools_total",
                   f"{r.schools_total} schools reported but schools lists {total_by_partnership[pid]} in {pid}",
                   "update schools or the report so the two agree", Level.WARNING)
            elif total_by_partnership[pid] and r.schools_engaged != engaged_by_partnership[pid]:
                at(r, "schools_engaged",
                   f"{r.schools_engaged} schools engaged reported but schools marks "
                   f"{engaged_by_partnership[pid]} engaged in {pid}",
                   "update the engaged column in schools or the report", Level.WARNING)


def check_geo(data: ValidData, partnership_ids: set[str], issues: list[Issue]) -> None:
    """Boundaries in geo/ (see geojson.py); partnership areas must name known partnerships.
    The checked collections replace what was read, so the map is built from exactly them."""
    for name in list(data.geo):
        data.geo[name], properties = check_geojson(name, data.geo[name], issues)
        if name != "partnerships":
            continue
        for number, found in properties.items():
            pid = found.get("partnership_id")
            if pid is None:
                issues.append(Issue(f"geo/{name}.geojson", number, "partnership_id", "the area has no partnership_id",
                                    "each area needs a partnership_id property from partnerships"))
            elif pid not in partnership_ids:
                issues.append(Issue(f"geo/{name}.geojson", number, "partnership_id", f"unknown partnership {pid!r}",
                                    suggest(str(pid), sorted(partnership_ids))
                                    or "each area needs a partnership_id property from partnerships"))


def _overspend(row: Any, spend: Decimal, allocation: Decimal, at: Any) -> None:
    if spend > allocation * (1 + OVERSPEND_TOLERANCE):
        share = (spend / allocation * 100).quantize(Decimal("1")) if allocation else None
        at(row, "spend_gbp",
           f"spend £{spend:,.2f} is far above the allocation £{allocation:,.2f}"
           + (f" ({share}%)" if share is not None else ""),
           "check the figure; overspends need explaining in the report", Level.WARNING)
