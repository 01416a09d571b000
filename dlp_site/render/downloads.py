"""Open data: the programme's tables as CSV downloads, suppressed exactly as on the pages."""

from __future__ import annotations

import csv
import io
from typing import Any

from ..model.kpis import SUPPRESSED, plain
from ..model.site import Site

FOLDER = "downloads"  # in the docs tree
Rows = list[list[object]]  # a header row, then the data
DOWNLOADS = {
    "projects.csv": "One row per project: partnership, area, themes, RAG status, allocation and spend.",
    "kpis.csv": "Every KPI with baseline, latest and change; small cohorts suppressed as 'c'.",
    "reports.csv": "Termly reports: RAG, schools engaged and spend to date.",
    "engagement.csv": "Schools engaged by partnership.",
    "funding.csv": "Budget lines of the programme.",
}


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text from schools (CSV injection), keep numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def _csv(rows: Rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return buffer.getvalue()


def downloads(site: Site) -> dict[str, str]:
    """Open data as CSV, {docs path: text}. Suppression is applied here exactly as on the pages."""
    c = SUPPRESSED
    projects: Rows = [["project_id", "title", "partnership_id", "partnership", "area", "themes", "status",
                 "allocation_gbp", "spend_gbp", "start_date"]]
    for pr in sorted(site.projects.values(), key=lambda p: p.project_id):
        partnership = site.partnership_of(pr)
        area = site.area_of(partnership)
        projects.append([pr.project_id, pr.title, partnership.partnership_id, partnership.name,
                         area.name if area else "City-wide", ";".join(pr.themes), pr.status,
                         pr.allocation_gbp, pr.spend_gbp, pr.start_date.isoformat()])
    kpi_rows: Rows = [["kpi_id", "project_id", "measure", "unit", "direction", "baseline", "baseline_period", "latest",
             "latest_period", "change", "change_unit", "outcome", "cohort"]]
    for r in site.all_kpis:
        k = r.kpi
        change = r.change
        kpi_rows.append([k.kpi_id, k.project_id, k.measure, k.unit, k.direction,
                     c if r.baseline_suppressed else plain(k.baseline), k.baseline_period,
                     c if r.latest_suppressed else plain(k.latest), k.latest_period,
                     c if change is None else plain(change),
                     "percentage points" if k.unit == "percent" else k.unit,
                     r.outcome or c, r.cohort_text])
    reports: Rows = [["project_id", "term", "rag", "schools_engaged", "schools_total", "spend_gbp"]]
    for rep in site.reports:
        reports.append([rep.project_id, rep.term, rep.rag, rep.schools_engaged, rep.schools_total, rep.spend_gbp])
    engagement: Rows = [["partnership_id", "partnership", "kind", "schools_engaged", "schools_total"]]
    for p in sorted(site.partnerships.values(), key=lambda p: p.partnership_id):
        counted = site.engagement_of(p.partnership_id)
        engagement.append([p.partnership_id, p.name, p.kind, counted.engaged, counted.total])
    funding: Rows = [["line", "amount_gbp", "notes"]]
    funding += [[f.line, f.amount_gbp, f.notes or ""] for f in site.funding]
    tables = {"projects.csv": projects, "kpis.csv": kpi_rows, "reports.csv": reports,
              "engagement.csv": engagement, "funding.csv": funding}
    return {f"{FOLDER}/{name}": _csv(rows) for name, rows in tables.items()}
