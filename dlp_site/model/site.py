"""The validated programme as one aggregate with the lookups the pages need.

Built only from data that passed validation, so every reference here resolves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any, TypeVar

from ..data.rows import ValidData
from ..data.settings import Programme
from ..data.tables import Area, Engagement, FundingLine, Kpi, Partnership, PostcodePoint, Project, Report, School
from ..data.terms import Term
from .kpis import KpiResult
from .labels import KIND_LABELS, PHASE_LABELS

T = TypeVar("T")


def _grouped(rows: Iterable[T], key: Callable[[T], str]) -> dict[str, list[T]]:
    """Rows by key, each group in the order given."""
    out: dict[str, list[T]] = defaultdict(list)
    for row in rows:
        out[key(row)].append(row)
    return out


@dataclass(frozen=True)
class RagChange:
    project: Project
    before: Report | None  # the previous report, only when its rating differs
    now: Report | None  # the latest report; None when the project has not reported

    @property
    def rag(self) -> str:
        return self.now.rag if self.now else self.project.status


@dataclass
class Site:
    programme: Programme
    areas: dict[str, Area]
    partnerships: dict[str, Partnership]
    schools: dict[int, School]
    projects: dict[str, Project]
    kpis: list[Kpi]
    reports: list[Report]
    funding: list[FundingLine]
    geo: dict[str, Any] = field(default_factory=dict)
    postcodes: list[PostcodePoint] = field(default_factory=list)

    @classmethod
    def from_valid(cls, data: ValidData) -> Site:
        assert data.programme is not None, "build a Site only from data without errors"
        return cls(
            programme=data.programme,
            areas={a.area_id: a for a in data.areas},
            partnerships={p.partnership_id: p for p in data.partnerships},
            schools={s.urn: s for s in data.schools},
            projects={p.project_id: p for p in data.projects},
            kpis=list(data.kpis),
            reports=sorted(data.reports, key=lambda r: (r.project_id, r.term)),
            funding=list(data.funding),
            geo=data.geo,
            postcodes=list(data.postcodes),
        )

    # --- lookups ------------------------------------------------------------------------

    @cached_property
    def _schools_by_partnership(self) -> dict[str, list[School]]:
        return _grouped(sorted(self.schools.values(), key=lambda s: s.name), lambda s: s.partnership_id)

    @cached_property
    def _projects_by_partnership(self) -> dict[str, list[Project]]:
        return _grouped(sorted(self.projects.values(), key=lambda p: p.title), lambda p: p.partnership_id)

    @cached_property
    def _kpis_by_project(self) -> dict[str, list[KpiResult]]:
        results = [KpiResult.of(k, self.programme.disclosure_threshold) for k in self.kpis]
        return _grouped(results, lambda r: r.kpi.project_id)

    @cached_property
    def _reports_by_project(self) -> dict[str, list[Report]]:
        return _grouped(self.reports, lambda r: r.project_id)

    def schools_of(self, partnership_id: str) -> list[School]:
        return self._schools_by_partnership.get(partnership_id, [])

    def projects_of(self, partnership_id: str) -> list[Project]:
        return self._projects_by_partnership.get(partnership_id, [])

    def partnership_of(self, project: Project) -> Partnership:
        return self.partnerships[project.partnership_id]

    def area_of(self, partnership: Partnership) -> Area | None:
        return self.areas.get(partnership.area_id) if partnership.area_id else None

    def project_area(self, project: Project) -> Area | None:
        return self.area_of(self.partnership_of(project))

    @cached_property
    def ordered_partnerships(self) -> list[Partnership]:
        """Partnerships by kind (consortia, networks, Early Years, city-wide), then name."""
        return sorted(self.partnerships.values(), key=lambda p: (list(KIND_LABELS).index(p.kind), p.name))

    def partnerships_in(self, area_id: str) -> list[Partnership]:
        return [p for p in self.ordered_partnerships if p.area_id == area_id]

    def _partnerships_of_area(self, area_id: str | None) -> list[Partnership]:
        """An area's partnerships; None means the city-wide ones (which have no area)."""
        return self.partnerships_in(area_id) if area_id else self.citywide_partnerships()

    def schools_in(self, area_id: str | None) -> list[School]:
        return sorted((s for p in self._partnerships_of_area(area_id) for s in self.schools_of(p.partnership_id)),
                      key=lambda s: (s.name, s.urn))

    def citywide_partnerships(self) -> list[Partnership]:
        return sorted((p for p in self.partnerships.values() if p.area_id is None), key=lambda p: p.name)

    def projects_in_area(self, area_id: str | None) -> list[Project]:
        return [pr for p in self._partnerships_of_area(area_id) for pr in self.projects_of(p.partnership_id)]

    def projects_by_area(self) -> list[tuple[Area | None, list[Project]]]:
        """Every project once, grouped by area in the areas' order, city-wide (None) last;
        areas without projects are left out."""
        groups: list[tuple[Area | None, list[Project]]] = [
            (a, self.projects_in_area(a.area_id)) for a in self.areas.values()]
        groups.append((None, self.projects_in_area(None)))
        return [(area, projects) for area, projects in groups if projects]

    def area_names(self, projects: list[Project]) -> list[str]:
        names = {(a.name if (a := self.project_area(p)) else "City-wide") for p in projects}
        return sorted(names)

    def projects_with_theme(self, theme_id: str) -> list[Project]:
        return sorted((p for p in self.projects.values() if theme_id in p.themes), key=lambda p: p.title)

    def kpis_of(self, project_id: str) -> list[KpiResult]:
        return self._kpis_by_project.get(project_id, [])

    def reports_of(self, project_id: str) -> list[Report]:
        return self._reports_by_project.get(project_id, [])

    def latest_report(self, project_id: str) -> Report | None:
        reports = self.reports_of(project_id)
        return reports[-1] if reports else None

    def rag_change(self, project: Project, term: Term | None = None) -> RagChange:
        """The project's RAG rating in its latest report (up to `term`), with the previous
        report's rating when it was different: the one reading of a RAG history."""
        reports = [r for r in self.reports_of(project.project_id) if term is None or r.term <= term]
        now = reports[-1] if reports else None
        before = reports[-2] if len(reports) > 1 and reports[-2].rag != reports[-1].rag else None
        return RagChange(project, before, now)

    def phases_of(self, project: Project) -> list[str]:
        phases = {s.phase for s in self.schools_of(project.partnership_id)}
        return [p for p in PHASE_LABELS if p in phases]

    def similar(self, project: Project, limit: int = 5) -> list[tuple[Project, list[str]]]:
        """Projects in other localities sharing a theme, most shared themes first."""
        here = self.partnership_of(project)
        found = []
        for other in self.projects.values():
            there = self.partnership_of(other)
            if other.project_id == project.project_id or there.partnership_id == here.partnership_id:
                continue
            if here.area_id is not None and there.area_id == here.area_id:
                continue
            shared = [t for t in project.themes if t in other.themes]
            if shared:
                found.append((other, shared))
        found.sort(key=lambda pair: (-len(pair[1]), pair[0].title))
        return found[:limit]

    # --- programme-wide figures ---------------------------------------------------------

    @cached_property
    def all_kpis(self) -> list[KpiResult]:
        return [r for p in sorted(self.projects) for r in self.kpis_of(p)]

    @property
    def total_allocation(self) -> Decimal:
        return sum((p.allocation_gbp for p in self.projects.values()), Decimal(0))

    @property
    def total_spend(self) -> Decimal:
        return sum((p.spend_gbp for p in self.projects.values()), Decimal(0))

    @property
    def total_funding(self) -> Decimal:
        return sum((f.amount_gbp for f in self.funding), Decimal(0))

    @cached_property
    def engagement(self) -> Engagement:
        """Schools taking part across the programme."""
        return Engagement.of(self.schools.values())

    def engagement_of(self, partnership_id: str) -> Engagement:
        return Engagement.of(self.schools_of(partnership_id))

    def engagement_by_partnership(self) -> list[tuple[Partnership, Engagement]]:
        """Partnerships that list schools, with their engagement."""
        return [(p, self.engagement_of(p.partnership_id)) for p in self.ordered_partnerships
                if self.schools_of(p.partnership_id)]

    def allocation_by_partnership(self) -> list[tuple[Partnership, Decimal, Decimal]]:
        """(partnership, allocated, spent) for partnerships that run projects."""
        out = []
        for p in self.ordered_partnerships:
            projects = self.projects_of(p.partnership_id)
            if projects:
                out.append((p, sum((pr.allocation_gbp for pr in projects), Decimal(0)),
                            sum((pr.spend_gbp for pr in projects), Decimal(0))))
        return out

    def engagement_by_phase(self) -> list[tuple[str, Engagement]]:
        return [(phase, Engagement.of(s for s in self.schools.values() if s.phase == phase))
                for phase in PHASE_LABELS if any(s.phase == phase for s in self.schools.values())]

    def best_evidenced(self, limit: int = 5) -> list[KpiResult]:
        improved = [k for k in self.all_kpis if k.outcome == "improved" and not k.any_suppressed]
        return sorted(improved, key=lambda k: k.evidence_key)[:limit]

    def latest_term_reports(self) -> list[tuple[Project, Report]]:
        term = self.programme.reporting_term
        return [(self.projects[r.project_id], r) for r in self.reports if r.term == term]

    @property
    def themes(self) -> dict[str, str]:
        return self.programme.themes

    def theme_matrix(self) -> list[tuple[Partnership, list[bool]]]:
        rows = []
        for p in self.ordered_partnerships:
            themes = {t for pr in self.projects_of(p.partnership_id) for t in pr.themes}
            rows.append((p, [t in themes for t in self.themes]))
        return rows
