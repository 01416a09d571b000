"""Open data: the programme's tables as CSV downloads, suppressed exactly as on the pages.

Each download is declared once, column by column: a Table Schema field (from the data contract
where the column comes from it, see opendata/tableschema.py) and how to read its value. The CSV
and its description in downloads/datapackage.json (opendata/catalogue.py) both come from here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from ..data.tables import TABLES_BY_NAME
from ..model.kpis import SUPPRESSED, plain
from ..model.site import Site
from .opendata.tableschema import Field, contract

FOLDER = "downloads"  # in the docs tree
Rows = list[list[object]]  # a header row, then the data
Column = tuple[Field, Callable[[Any], object]]


@dataclass(frozen=True)
class Download:
    name: str  # the file name in downloads/
    description: str
    table: str | None  # the contract table it has one row per key of (its primary and foreign keys)
    columns: tuple[Column, ...]
    rows: Callable[[Site], Iterable[Any]]
    suppressed: bool = False  # holds 'c' where disclosure control hides a value
    key: tuple[str, ...] = ()  # its primary key when it lists no contract table

    @property
    def fields(self) -> list[Field]:
        return [f for f, _ in self.columns]


def _c(table: str, column: str, value: Callable[[Any], object] | None = None, **kw: Any) -> Column:
    """A column straight from the contract (its value read from the row model unless given)."""
    return contract(table, column, **kw), value or attrgetter(column)


def _f(name: str, kind: str, description: str, value: Callable[[Any], object], **kw: Any) -> Column:
    return Field(name, kind, description, **kw), value


def _all(table: str) -> tuple[Column, ...]:
    """Every column of a contract table, as the officers typed it."""
    def cell(column: str) -> Callable[[Any], object]:
        def read(row: Any) -> object:
            value = getattr(row, column)
            if isinstance(value, bool):
                return "yes" if value else "no"
            if isinstance(value, tuple):
                return ";".join(value)
            return "" if value is None else value
        return read

    return tuple(_c(table, c, cell(c)) for c in TABLES_BY_NAME[table].columns)


def _kpi(value: object, suppressed: bool) -> object:
    return SUPPRESSED if suppressed else value


_PROJECT = "projects"
DOWNLOADS_LIST: tuple[Download, ...] = (
    Download("projects.csv", "One row per project: partnership, area, themes, RAG status, allocation and spend.",
             "projects", (
                 _c(_PROJECT, "project_id", lambda r: r[0].project_id),
                 _c(_PROJECT, "title", lambda r: r[0].title),
                 _c(_PROJECT, "partnership_id", lambda r: r[0].partnership_id),
                 _f("partnership", "string", "Name of the partnership running it.", lambda r: r[1].name,
                    required=True),
                 _f("area", "string", "Name of its partnership's area, or City-wide.",
                    lambda r: r[2].name if r[2] else "City-wide", required=True),
                 _c(_PROJECT, "themes", lambda r: ";".join(r[0].themes)),
                 _c(_PROJECT, "status", lambda r: r[0].status),
                 _c(_PROJECT, "allocation_gbp", lambda r: r[0].allocation_gbp),
                 _c(_PROJECT, "spend_gbp", lambda r: r[0].spend_gbp),
                 _c(_PROJECT, "start_date", lambda r: r[0].start_date.isoformat()),
             ),
             lambda site: [(pr, site.partnership_of(pr), site.project_area(pr))
                           for pr in sorted(site.projects.values(), key=lambda p: p.project_id)]),
    Download("kpis.csv", "Every KPI with baseline, latest and change; small cohorts suppressed as 'c'.", "kpis", (
        _c("kpis", "kpi_id", lambda r: r.kpi.kpi_id),
        _c("kpis", "project_id", lambda r: r.kpi.project_id),
        _c("kpis", "measure", lambda r: r.kpi.measure),
        _c("kpis", "unit", lambda r: r.kpi.unit),
        _c("kpis", "direction", lambda r: r.kpi.direction),
        _c("kpis", "baseline", lambda r: _kpi(plain(r.kpi.baseline), r.baseline_suppressed), suppressible=True),
        _c("kpis", "baseline_period", lambda r: r.kpi.baseline_period),
        _c("kpis", "latest", lambda r: _kpi(plain(r.kpi.latest), r.latest_suppressed), suppressible=True),
        _c("kpis", "latest_period", lambda r: r.kpi.latest_period),
        _f("change", "number", "Latest minus baseline, in change_unit; 'c' where suppressed.",
           lambda r: SUPPRESSED if r.change is None else plain(r.change)),
        _f("change_unit", "string", "The unit of change: percentage points for percentages, else the KPI's unit.",
           lambda r: "percentage points" if r.kpi.unit == "percent" else r.kpi.unit, required=True),
        _f("outcome", "string", "Whether the KPI improved, following its direction; 'c' where suppressed.",
           lambda r: r.outcome or SUPPRESSED, enum=("improved", "worsened", "no change")),
        _c("kpis", "cohort", lambda r: r.cohort_text, suppressible=True),
    ), lambda site: site.all_kpis, suppressed=True),
    Download("reports.csv", "Termly reports: RAG, schools engaged and spend to date.", "reports", tuple(
        _c("reports", c) for c in ("project_id", "term", "rag", "schools_engaged", "schools_total", "spend_gbp")),
        lambda site: site.reports),
    Download("engagement.csv", "Schools engaged by partnership.", "partnerships", (
        _c("partnerships", "partnership_id", lambda r: r[0].partnership_id),
        _c("partnerships", "name", lambda r: r[0].name, name="partnership"),
        _c("partnerships", "kind", lambda r: r[0].kind),
        _f("schools_engaged", "integer", "Schools taking part (engaged = yes).", lambda r: r[1].engaged,
           required=True),
        _f("schools_total", "integer", "Schools listed for the partnership.", lambda r: r[1].total, required=True),
    ), lambda site: [(p, site.engagement_of(p.partnership_id))
                     for p in sorted(site.partnerships.values(), key=lambda p: p.partnership_id)]),
    Download("funding.csv", "Budget lines of the programme.", "funding", (
        _c("funding", "line"), _c("funding", "amount_gbp"), _c("funding", "notes", lambda f: f.notes or "")),
        lambda site: site.funding),
    Download("areas.csv", "The areas of the authority.", "areas", _all("areas"),
             lambda site: sorted(site.areas.values(), key=lambda a: a.area_id)),
    Download("partnerships.csv", "Every partnership: kind, area, contact address and lead school.", "partnerships",
             _all("partnerships"), lambda site: sorted(site.partnerships.values(), key=lambda p: p.partnership_id)),
    Download("schools.csv", "Schools and settings: phase, postcode, location, partnership and whether taking part.",
             "schools", _all("schools"), lambda site: sorted(site.schools.values(), key=lambda s: s.urn)),
)
DOWNLOADS = {d.name: d.description for d in DOWNLOADS_LIST}


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text from schools (CSV injection), keep numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """Rows as CSV (None as an empty cell), every text cell guarded against formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([[_cell("" if v is None else v) for v in row] for row in rows])
    return buffer.getvalue()


def table(download: Download, site: Site) -> Rows:
    rows: Rows = [[f.name for f in download.fields]]
    rows += [[value(row) for _, value in download.columns] for row in download.rows(site)]
    return rows


def downloads(site: Site) -> dict[str, str]:
    """Open data as CSV, {docs path: text}. Suppression is applied here exactly as on the pages."""
    return {f"{FOLDER}/{d.name}": csv_text(table(d, site)) for d in DOWNLOADS_LIST}
