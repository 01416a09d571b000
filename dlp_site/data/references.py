"""Rules across tables: unique keys, references between tables, and figures that must agree.

One small check per table. A reference is only checked when the table it points at loaded at
all; otherwise every row would repeat the one real problem (a missing or broken file).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from ..errors import Issue, Level, suggest
from .load import RawData
from .rows import ValidData
from .tables import TABLES, Engagement, Report, School
from .terms import Term

# Spend above allocation by more than this share is flagged for a second look.
OVERSPEND_TOLERANCE = Decimal("0.10")
AFTER_REPORTING = "raise reporting_term in programme.yml when a new term is reported"


class Checks:
    """Where each row came from, the rows by key, and how to report a problem against a cell."""

    def __init__(self, data: ValidData, raw: RawData, issues: list[Issue]):
        self.data, self.raw, self.issues = data, raw, issues
        self.keys: dict[str, dict[Any, Any]] = {}
        self.unresolved: set[int] = set()  # id() of rows with a reference that names nothing
        self.reporting: Term | None = data.programme.reporting_term if data.programme else None

    def at(self, row: Any, column: str, message: str, hint: str | None = None, level: Level = Level.ERROR) -> None:
        source, number = self.data.where[id(row)]
        self.issues.append(Issue(source, number, column, message, hint, level))

    def unique(self, table: str, key: str) -> None:
        seen: dict[Any, Any] = {}
        for row in getattr(self.data, table):
            value = getattr(row, key)
            if value in seen:
                first = self.data.where[id(seen[value])][1]
                self.at(row, key, f"duplicate {key} '{value}'", f"it is already used on row {first}")
            else:
                seen[value] = row
        self.keys[table] = seen

    def ref(self, row: Any, column: str, value: Any, table: str) -> bool:
        """True when `value` names a row of `table` (or that table could not be checked)."""
        target = self.keys[table]
        if table not in self.raw.tables or value in target or str(value) in self.data.broken_ids.get(table, set()):
            return True
        self.at(row, column, f"unknown {table[:-1]} '{value}'", suggest(str(value), [str(k) for k in target])
                or f"add it to {table} first, or fix the spelling")
        return False

    def not_after_reporting(self, row: Any, column: str, term: Term) -> None:
        if self.reporting and term > self.reporting:
            self.at(row, column, f"{term} is after the reporting term {self.reporting}", AFTER_REPORTING)

    def overspend(self, row: Any, spend: Decimal, allocation: Decimal) -> None:
        if spend > allocation * (1 + OVERSPEND_TOLERANCE):
            share = (spend / allocation * 100).quantize(Decimal("1")) if allocation else None
            self.at(row, "spend_gbp",
                    f"spend £{spend:,.2f} is far above the allocation £{allocation:,.2f}"
                    + (f" ({share}%)" if share is not None else ""),
                    "check the figure; overspends need explaining in the report", Level.WARNING)


def check_references(data: ValidData, raw: RawData, issues: list[Issue]) -> None:
    checks = Checks(data, raw, issues)
    for spec in TABLES:
        if len(spec.key) == 1:
            checks.unique(spec.name, spec.key[0])
    check_declared(checks)
    check_partnerships(checks)
    check_projects(checks)
    check_kpis(checks)
    check_reports(checks)


def check_declared(c: Checks) -> None:
    """Every reference the contract declares (tables.Reference), in every row."""
    for spec in TABLES:
        for row in getattr(c.data, spec.name):
            for column, table in spec.references:
                value = getattr(row, column)
                if value is not None and not c.ref(row, column, value, table):
                    c.unresolved.add(id(row))


def check_partnerships(c: Checks) -> None:
    schools: dict[int, School] = c.keys["schools"]
    for p in c.data.partnerships:
        if p.area_id is None and p.kind != "citywide":
            c.at(p, "area_id", "this cell is empty but a value is required",
                 "only citywide partnerships may have no area")
        lead = schools.get(p.lead_school_urn) if p.lead_school_urn is not None else None
        if lead is not None and lead.partnership_id != p.partnership_id:
            c.at(p, "lead_school_urn", f"school {p.lead_school_urn} belongs to another partnership",
                 "the lead school should be one of the partnership's own schools", Level.WARNING)


def check_projects(c: Checks) -> None:
    themes = c.data.programme.themes if c.data.programme else None
    for pr in c.data.projects:
        c.overspend(pr, pr.spend_gbp, pr.allocation_gbp)
        for theme in pr.themes:
            if themes is not None and theme not in themes:
                c.at(pr, "themes", f"unknown theme '{theme}'",
                     suggest(theme, list(themes)) or f"themes are listed in programme.yml: {', '.join(themes)}")


def check_kpis(c: Checks) -> None:
    for k in c.data.kpis:
        if k.latest_period < k.baseline_period:
            c.at(k, "latest_period", f"latest period {k.latest_period} is before the baseline {k.baseline_period}",
                 "swap the two, or correct the term")
        c.not_after_reporting(k, "latest_period", k.latest_period)


def check_reports(c: Checks) -> None:
    """One report per project and term, none after the reporting term, spend against the
    allocation, and each project's latest report against the schools table."""
    projects = c.keys["projects"]
    seen: dict[tuple[str, Term], Report] = {}
    latest: dict[str, Report] = {}
    for r in c.data.reports:
        if id(r) in c.unresolved:
            continue
        if (r.project_id, r.term) in seen:
            first = c.data.where[id(seen[r.project_id, r.term])][1]
            c.at(r, "term", f"a second report for {r.project_id} in {r.term}", f"the first is on row {first}")
            continue
        seen[r.project_id, r.term] = r
        c.not_after_reporting(r, "term", r.term)
        if r.project_id not in projects:
            continue  # its project row is broken and already reported
        c.overspend(r, r.spend_gbp, projects[r.project_id].allocation_gbp)
        if r.project_id not in latest or r.term > latest[r.project_id].term:
            latest[r.project_id] = r
    if "schools" in c.raw.tables:
        check_reported_schools(c, latest)


def check_reported_schools(c: Checks, latest: dict[str, Report]) -> None:
    """A project's latest report should count the schools its partnership lists (warnings)."""
    by_partnership: dict[str, list[School]] = defaultdict(list)
    for s in c.data.schools:
        by_partnership[s.partnership_id].append(s)
    for project_id, r in latest.items():
        pid = c.keys["projects"][project_id].partnership_id
        listed = Engagement.of(by_partnership[pid])
        if listed.total and r.schools_total != listed.total:
            c.at(r, "schools_total", f"{r.schools_total} schools reported but schools lists {listed.total} in {pid}",
                 "update schools or the report so the two agree", Level.WARNING)
        elif listed.total and r.schools_engaged != listed.engaged:
            c.at(r, "schools_engaged",
                 f"{r.schools_engaged} schools engaged reported but schools marks {listed.engaged} engaged in {pid}",
                 "update the engaged column in schools or the report", Level.WARNING)
