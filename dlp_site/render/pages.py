"""Render the Site into Markdown pages (and open-data downloads) in a staging docs tree.

Pages are Jinja2 templates with autoescaping on: every value from the data is HTML-escaped
and placed inside raw HTML blocks, where Markdown does not process it, so school-supplied text
can neither inject HTML nor Markdown (links, images, emphasis). Only fixed, trusted headings
are written as Markdown so they reach the table of contents.
"""

from __future__ import annotations

import csv
import html
import io
import operator
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml

from ..data.tables import TABLES
from ..model import kpis
from ..model.site import KIND_LABELS, PHASE_LABELS, RAG_LABELS, Site
from . import charts, quality
from .locator import Locators
from .map.folium_map import KIND_LETTERS
from .map.geometry import FALLBACK_BUFFER_METRES, map_geometry
from .map.page import MAP_PAGE, MapPage, names_json, write_map_files

TEMPLATES = Path(__file__).parent / "templates"


def md_url(md_path: str) -> str:
    """The directory URL MkDocs gives a Markdown file (use_directory_urls)."""
    stem = md_path[:-3] if md_path.endswith(".md") else md_path
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative(from_md: str, to: str) -> str:
    """Relative link from one page to another page (.md) or a file, as MkDocs will serve them."""
    target = md_url(to) if to.endswith(".md") else to
    base = md_url(from_md)
    rel = posixpath.relpath("/" + target, "/" + base) if target else posixpath.relpath("/", "/" + base)
    if to.endswith(".md"):
        return "./" if rel == "." else rel.rstrip("/") + "/"
    return rel


@dataclass(frozen=True)
class Page:
    path: str  # Markdown path inside the docs tree
    template: str
    title: str
    context: dict[str, Any]
    description: str | None = None


def project_md(project_id: str) -> str:
    return f"projects/{project_id}.md"


def partnership_md(partnership_id: str) -> str:
    return f"partnerships/{partnership_id}.md"


def area_md(area_id: str) -> str:
    return f"areas/{area_id}.md"


def theme_md(theme_id: str) -> str:
    return f"themes/{theme_id}.md"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template emits HTML (inside Markdown files)
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        money=kpis.money,
        long_date=kpis.long_date,
        money_short=kpis.money_short,
        term=kpis.term_text,
        share=kpis.share,
        plain=kpis.plain,
        kind=KIND_LABELS.__getitem__,
        phase=PHASE_LABELS.__getitem__,
        rag=RAG_LABELS.__getitem__,
    )
    env.globals.update(
        SUPPRESSED=kpis.SUPPRESSED,
        SUPPRESSED_MEANING=kpis.SUPPRESSED_MEANING,
        kpi_chart=charts.kpi_chart,
        allocation_chart=charts.allocation_chart,
        engagement_chart=charts.engagement_chart,
        project_md=project_md,
        partnership_md=partnership_md,
        area_md=area_md,
        theme_md=theme_md,
        KIND_LABELS=KIND_LABELS,
        KIND_LETTERS=KIND_LETTERS,
        PHASE_LABELS=PHASE_LABELS,
        name_of=operator.attrgetter("name"),
    )
    return env


def front_matter(title: str | None, description: str | None) -> str:
    # MkDocs themes insert page titles without escaping, so the title is escaped here, once.
    meta = {"title": html.escape(title)} if title else {}
    if description:
        meta["description"] = html.escape(description)
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=True) + "---\n\n"


def map_context(site: Site, map_page: MapPage) -> dict[str, Any]:
    some_school = min(site.schools.values(), key=lambda s: s.urn, default=None)
    return {
        "mp": map_page,
        "names_json": names_json(map_page),
        "citywide": site.projects_in_area(None),
        "example_postcode": some_school.postcode if some_school else "B11 4AB",
        "fallback_km": FALLBACK_BUFFER_METRES / 1000,
    }


def pages(site: Site, map_page: MapPage | None = None) -> list[Page]:
    p = site.programme
    out = [
        Page("index.md", "home.md.j2", p.programme, {}, f"{p.programme}: {p.local_authority}"),
        Page(MAP_PAGE, "map.md.j2", "Local Offer map", map_context(site, map_page) if map_page else {},
             f"Find {p.short_name or p.programme} projects and schools near you"),
        Page("projects/index.md", "projects_index.md.j2", "Projects", {}),
        Page("partnerships/index.md", "partnerships_index.md.j2", "Partnerships", {}),
        Page("areas/index.md", "areas_index.md.j2", "Areas", {}),
        Page("themes/index.md", "themes_index.md.j2", "Themes", {}),
        Page("matrix.md", "matrix.md.j2", "Partnerships and themes", {}),
        Page("funding.md", "funding.md.j2", "Funding", {}),
        Page("engagement.md", "engagement.md.j2", "Engagement", {}),
        Page("impact.md", "impact.md.j2", "Impact", {}),
        Page("data.md", "data.md.j2", "Open data", {"downloads": DOWNLOADS}),
        Page("about.md", "about.md.j2", "About the figures", {"tables": TABLES}),
        Page("accessibility.md", "accessibility.md.j2", "Accessibility statement", {"quality": quality}),
    ]
    for project in site.projects.values():
        out.append(Page(project_md(project.project_id), "project.md.j2", project.title,
                        {"project": project}, project.summary))
    for partnership in site.partnerships.values():
        out.append(Page(partnership_md(partnership.partnership_id), "partnership.md.j2", partnership.name,
                        {"partnership": partnership}))
    for area in site.areas.values():
        out.append(Page(area_md(area.area_id), "area.md.j2", f"{area.name} area", {"area": area}))
    for theme_id, label in site.themes.items():
        out.append(Page(theme_md(theme_id), "theme.md.j2", label, {"theme_id": theme_id, "label": label}))
    return out


def render_pages(site: Site, docs_dir: Path, skip: set[str] = frozenset(), posts: Sequence[Any] = ()) -> list[str]:
    """Write every generated page not in `skip` (hand-written pages win); return their paths.
    `posts` are the published newsletters (posts.Post), listed on their partnerships' pages."""
    env = environment()
    env.globals["posts_of"] = lambda pid: [post for post in posts if pid in post.partnership_ids]
    geometry = map_geometry(site)
    env.globals["locator"] = Locators(site, geometry)
    map_page = write_map_files(site, geometry, docs_dir)
    written = []
    for page in pages(site, map_page):
        if page.path in skip:
            continue

        def link(target: str, _from: str = page.path) -> str:
            return relative(_from, target)

        body = env.get_template(page.template).render(
            site=site, programme=site.programme, page_path=page.path, title=page.title, link=link,
            **page.context,
        )
        target = docs_dir / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        # The home page's <title> is the site name alone, so it takes no title of its own.
        title = None if page.path == "index.md" else page.title
        target.write_text(front_matter(title, page.description) + body, encoding="utf-8")
        written.append(page.path)
    write_downloads(site, docs_dir / "downloads")
    return written


# --- open data ------------------------------------------------------------------------------

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


def _csv(rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return buffer.getvalue()


def write_downloads(site: Site, out_dir: Path) -> None:
    """Open data as CSV. Suppression is applied here exactly as on the pages."""
    out_dir.mkdir(parents=True, exist_ok=True)
    c = kpis.SUPPRESSED
    projects = [["project_id", "title", "partnership_id", "partnership", "area", "themes", "status",
                 "allocation_gbp", "spend_gbp", "start_date"]]
    for pr in sorted(site.projects.values(), key=lambda p: p.project_id):
        partnership = site.partnership_of(pr)
        area = site.area_of(partnership)
        projects.append([pr.project_id, pr.title, partnership.partnership_id, partnership.name,
                         area.name if area else "City-wide", ";".join(pr.themes), pr.status,
                         pr.allocation_gbp, pr.spend_gbp, pr.start_date.isoformat()])
    kpi_rows = [["kpi_id", "project_id", "measure", "unit", "direction", "baseline", "baseline_period", "latest",
             "latest_period", "change", "change_unit", "outcome", "cohort"]]
    for r in site.all_kpis:
        k = r.kpi
        change = r.change
        kpi_rows.append([k.kpi_id, k.project_id, k.measure, k.unit, k.direction,
                     c if r.baseline_suppressed else kpis.plain(k.baseline), k.baseline_period,
                     c if r.latest_suppressed else kpis.plain(k.latest), k.latest_period,
                     c if change is None else kpis.plain(change),
                     "percentage points" if k.unit == "percent" else k.unit,
                     r.outcome or c, r.cohort_text])
    reports = [["project_id", "term", "rag", "schools_engaged", "schools_total", "spend_gbp"]]
    for rep in site.reports:
        reports.append([rep.project_id, rep.term, rep.rag, rep.schools_engaged, rep.schools_total, rep.spend_gbp])
    engagement = [["partnership_id", "partnership", "kind", "schools_engaged", "schools_total"]]
    for p in sorted(site.partnerships.values(), key=lambda p: p.partnership_id):
        schools = site.schools_of(p.partnership_id)
        engagement.append([p.partnership_id, p.name, p.kind, sum(s.engaged for s in schools), len(schools)])
    funding = [["line", "amount_gbp", "notes"]] + [[f.line, f.amount_gbp, f.notes or ""] for f in site.funding]
    for name, rows in (("projects.csv", projects), ("kpis.csv", kpi_rows), ("reports.csv", reports),
                       ("engagement.csv", engagement), ("funding.csv", funding)):
        (out_dir / name).write_text(_csv(rows), encoding="utf-8")
