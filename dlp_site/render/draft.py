"""A newsletter draft for a term: what changed, as a post whose figures are shortcodes.

A draft is a starting point an officer edits: its figures are shortcodes, so they are filled
in (and suppressed where they must be) from the data at every build, exactly as on the site.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ..data.tables import Partnership
from ..data.terms import Term
from ..model.kpis import KpiResult
from ..model.site import RagChange, Site
from .env import environment


@dataclass(frozen=True)
class TermNews:
    """What changed in one term, as the draft presents it."""

    term: Term
    improvements: list[KpiResult]
    rag_changes: list[RagChange]  # projects whose rating changed this term
    newly_engaged: list[Partnership]


def improvement_size(r: KpiResult) -> Decimal:
    """How large an improvement is, relative to its baseline, so units compare fairly
    (a fall of 19 waiting days from 40 ranks with a rise from 39% to 59%)."""
    return abs(r.kpi.latest - r.kpi.baseline) / abs(r.kpi.baseline)


def largest_improvements(site: Site, term: Term, limit: int = 5) -> list[KpiResult]:
    """KPIs last measured in `term` that improved (in the KPI's own direction), largest first.
    Suppressed KPIs are left out: their change cannot be published."""
    found = [r for r in site.all_kpis
             if r.kpi.latest_period == term and r.outcome == "improved" and not r.any_suppressed
             and r.kpi.baseline != 0]
    return sorted(found, key=lambda r: (-improvement_size(r), r.kpi.kpi_id))[:limit]


def rag_changes(site: Site, term: Term) -> list[RagChange]:
    """Projects whose report for `term` changed their RAG rating."""
    changes = [site.rag_change(site.projects[project_id], term) for project_id in sorted(site.projects)]
    return [c for c in changes if c.before is not None and c.now is not None and c.now.term == term]


def newly_engaged(site: Site, term: Term) -> list[Partnership]:
    """Partnerships whose termly reports show schools engaged in `term` and in no earlier term."""
    out = []
    for p in site.ordered_partnerships:
        reports = [r for pr in site.projects_of(p.partnership_id) for r in site.reports_of(pr.project_id)]
        now = sum(r.schools_engaged for r in reports if r.term == term)
        before = sum(r.schools_engaged for r in reports if r.term < term)
        if now > 0 and before == 0:
            out.append(p)
    return out


def term_news(site: Site, term: Term) -> TermNews:
    return TermNews(term, largest_improvements(site, term), rag_changes(site, term), newly_engaged(site, term))


def draft_text(site: Site, term: Term, today: dt.date) -> str:
    return environment().get_template("newsletter_draft.md.j2").render(
        news=term_news(site, term), date=today.isoformat(), programme=site.programme)
