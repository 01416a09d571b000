"""The generated pages: the page list, and each page rendered to Markdown ({docs path: text}).

Pages are Jinja2 templates with autoescaping on: every value from the data is HTML-escaped
and placed inside raw HTML blocks, where Markdown does not process it, so school-supplied text
can neither inject HTML nor Markdown (links, images, emphasis). Only fixed, trusted headings
are written as Markdown so they reach the table of contents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..content.posts import Post
from ..data.tables import TABLES
from ..model.site import Site
from . import quality
from .downloads import DOWNLOADS
from .env import environment
from .frontmatter import front_matter
from .locator import Locators
from .map.geometry import FALLBACK_BUFFER_METRES
from .map.page import MAP_PAGE, MapPage, names_json
from .urls import area_md, partnership_md, project_md, relative, theme_md


@dataclass(frozen=True)
class Page:
    path: str  # Markdown path inside the docs tree
    template: str
    title: str
    context: dict[str, Any]
    description: str | None = None


def find_context(site: Site) -> dict[str, Any]:
    """What the "Find support near you" form (templates/_find.html.j2) needs."""
    some_school = min(site.schools.values(), key=lambda s: s.urn, default=None)
    return {"example_postcode": some_school.postcode if some_school else "B11 4AB"}


def map_context(site: Site, map_page: MapPage) -> dict[str, Any]:
    return {
        **find_context(site),
        "mp": map_page,
        "names_json": names_json(map_page),
        "citywide": site.projects_in_area(None),
        "fallback_km": FALLBACK_BUFFER_METRES / 1000,
    }


def pages(site: Site, map_page: MapPage | None = None) -> list[Page]:
    p = site.programme
    out = [
        Page("index.md", "home.md.j2", p.programme, find_context(site), f"{p.programme}: {p.local_authority}"),
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


def render_pages(site: Site, map_page: MapPage, posts: Sequence[Post] = (),
                 skip: frozenset[str] = frozenset()) -> dict[str, str]:
    """Every generated page not in `skip` (hand-written pages win), as {docs path: Markdown}.
    `posts` are the published newsletters, listed on their partnerships' pages."""
    env = environment()
    env.globals["posts_of"] = lambda pid: [post for post in posts if pid in post.partnership_ids]
    env.globals["locator"] = Locators(site, map_page.geometry)
    out = {}
    for page in pages(site, map_page):
        if page.path in skip:
            continue

        def link(target: str, _from: str = page.path) -> str:
            return relative(_from, target)

        body = env.get_template(page.template).render(
            site=site, programme=site.programme, page_path=page.path, title=page.title, link=link,
            **page.context,
        )
        # The home page's <title> is the site name alone, so it takes no title of its own.
        title = None if page.path == "index.md" else page.title
        out[page.path] = front_matter(title, page.description) + body
    return out
