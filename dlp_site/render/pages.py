"""The generated pages: the page list, and each page rendered to Markdown ({docs path: text}).

Pages are Jinja2 templates with autoescaping on: every value from the data is HTML-escaped
and placed inside raw HTML blocks, where Markdown does not process it, so school-supplied text
can neither inject HTML nor Markdown (links, images, emphasis). Only fixed, trusted headings
are written as Markdown so they reach the table of contents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..content.posts import Post
from ..data.tables import TABLES
from ..model.glossary import glossary
from ..model.site import Site
from . import quality
from .abbreviations import FirstUse
from .env import environment
from .feeds import feed_paths
from .frontmatter import escaped, front_matter
from .locator import Locators
from .map.geometry import FALLBACK_BUFFER_METRES
from .map.page import EMBED_MAP_PAGE, MAP_PAGE, MapPage, names_json
from .opendata.catalogue import GROUPS, catalogue
from .opendata.common import absolute
from .urls import area_md, partnership_md, project_md, relative, theme_md


@dataclass(frozen=True)
class Page:
    path: str  # Markdown path inside the docs tree
    template: str
    title: str
    context: dict[str, Any]
    description: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # more front matter (main.html reads it)


def find_context(site: Site) -> dict[str, Any]:
    """What the "Find support near you" form (templates/_find.html.j2) needs."""
    some_school = min(site.schools.values(), key=lambda s: s.urn, default=None)
    return {"example_postcode": some_school.postcode if some_school else "B11 4AB"}


# The embeddable map is drawn without the site's header, navigation and footer
# (site_src/overrides/embed.html), and kept out of the site's search: the map page is the one to find.
EMBED_META = {"template": "embed.html", "search": {"exclude": True}, "hide": ["navigation", "toc"]}


# Pages that only gather what other pages say (every measure is on its project's page, every
# partnership's themes on its partnership's page) stay out of the site search: the search
# finds each thing once, where it is explained, and its index, which every page downloads on a
# first visit, is 30 KB (4 KB gzip) smaller.
SEARCH_ONCE = {"search": {"exclude": True}}


def map_method_context(map_page: MapPage | None) -> dict[str, Any]:
    """What the About page's account of how the map is made needs (when there is a map)."""
    return {"mp": map_page, "fallback_km": FALLBACK_BUFFER_METRES / 1000} if map_page else {}


def map_context(site: Site, map_page: MapPage) -> dict[str, Any]:
    return {
        **find_context(site),
        **map_method_context(map_page),
        "names_json": names_json(map_page),
        "citywide": site.projects_in_area(None),
        "embed": embed_code_context(site),
    }


def embed_code_context(site: Site) -> dict[str, str]:
    """The embeddable map's address for the map page's <iframe> code: whole when programme.yml
    gives site_url; otherwise relative, and made whole in the browser (embed-code.js)."""
    p = site.programme
    src = absolute(p, EMBED_MAP_PAGE) or relative(MAP_PAGE, EMBED_MAP_PAGE)
    parts = urlsplit(src)
    return {"src": src, "origin": f"{parts.scheme}://{parts.netloc}" if parts.netloc else "",
            "title": f"{p.short_name or p.programme}: Local Offer map"}


def pages(site: Site, map_page: MapPage | None = None) -> list[Page]:
    p = site.programme
    out = [
        Page("index.md", "home.md.j2", p.programme, find_context(site), f"{p.programme}: {p.local_authority}"),
        Page(MAP_PAGE, "map.md.j2", "Local Offer map", map_context(site, map_page) if map_page else {},
             f"Find {p.short_name or p.programme} projects and schools near you"),
        Page(EMBED_MAP_PAGE, "embed_map.md.j2", f"{p.short_name or p.programme}: Local Offer map",
             map_context(site, map_page) if map_page else {}, meta=EMBED_META),
        Page("projects/index.md", "projects_index.md.j2", "Projects", {}),
        Page("partnerships/index.md", "partnerships_index.md.j2", "Partnerships", {}),
        Page("areas/index.md", "areas_index.md.j2", "Areas", {}),
        Page("themes/index.md", "themes_index.md.j2", "Themes", {}),
        Page("matrix.md", "matrix.md.j2", "Partnerships and themes", {}, meta=SEARCH_ONCE),
        Page("funding.md", "funding.md.j2", "Funding", {}),
        Page("engagement.md", "engagement.md.j2", "Engagement", {}),
        Page("impact.md", "impact.md.j2", "Impact", {}, meta=SEARCH_ONCE),
        Page("data.md", "data.md.j2", "Open data", data_context(site)),
        Page("about.md", "about.md.j2", "About the figures", {"tables": TABLES, **map_method_context(map_page)}),
        Page("glossary.md", "glossary.md.j2", "Glossary", {"terms": glossary(p)},
             "Plain-English meanings of the words and abbreviations used on this site"),
        Page("accessibility.md", "accessibility.md.j2", "Accessibility statement", {"quality": quality}),
    ]
    for project in site.projects.values():
        out.append(Page(project_md(project.project_id), "project.md.j2", project.title,
                        {"project": project}, project.summary))
    for partnership in site.partnerships.values():
        path = partnership_md(partnership.partnership_id)
        out.append(Page(path, "partnership.md.j2", partnership.name,
                        {"partnership": partnership, **_follow(site, path, partnership.name)},
                        meta=_feed_meta(site, path, partnership.name)))
    for area in site.areas.values():
        path = area_md(area.area_id)
        out.append(Page(path, "area.md.j2", f"{area.name} area", {"area": area, **_follow(site, path, area.name)},
                        meta=_feed_meta(site, path, area.name)))
    for theme_id, label in site.themes.items():
        path = theme_md(theme_id)
        out.append(Page(path, "theme.md.j2", label, {"theme_id": theme_id, "label": label,
                                                     **_follow(site, path, label)},
                        meta=_feed_meta(site, path, label)))
    return out


def _follow(site: Site, path: str, name: str) -> dict[str, Any]:
    """The page's own newsletter feeds for its body (None without site_url: no feeds)."""
    return {"follow": {"name": name, **feed_paths(path)} if site.programme.site_url else None}


def _feed_meta(site: Site, path: str, name: str) -> dict[str, Any]:
    """Front matter for main.html's <link rel="alternate feed"> to the page's feeds."""
    if not site.programme.site_url:
        return {}
    return {"dlp_feeds": {"title": escaped(f"{name}: newsletters"), **feed_paths(path)}}


def data_context(site: Site) -> dict[str, Any]:
    entries = catalogue(site)
    groups = [(g, [e for e in entries if e.group == g.key]) for g in GROUPS]
    topics = []
    if site.programme.site_url:
        topics = [("Areas", [(a.name, feed_paths(area_md(a.area_id))) for a in site.areas.values()]),
                  ("Themes", [(label, feed_paths(theme_md(t))) for t, label in site.themes.items()]),
                  ("Partnerships", [(p.name, feed_paths(partnership_md(p.partnership_id)))
                                    for p in site.ordered_partnerships])]
    return {"groups": [(g, mine) for g, mine in groups if mine], "topics": topics,
            "licence": site.programme.open_data.licence}


def render_pages(site: Site, map_page: MapPage, posts: Sequence[Post] = (),
                 skip: frozenset[str] = frozenset()) -> dict[str, str]:
    """Every generated page not in `skip` (hand-written pages win), as {docs path: Markdown}.
    `posts` are the published newsletters, listed on their partnerships' pages."""
    env = environment()
    # What every page of this build may use, passed to each render (the environment is shared).
    build_context = {
        "posts_of": lambda pid: [post for post in posts if pid in post.partnership_ids],
        "site_feed": bool(site.programme.site_url and posts),  # render/docs.py writes it then
        "locator": Locators(site, map_page.geometry),
    }
    out = {}
    terms = glossary(site.programme)
    for page in pages(site, map_page):
        if page.path in skip:
            continue

        def link(target: str, _from: str = page.path) -> str:
            return relative(_from, target)

        first_use = FirstUse(terms)  # each page expands its own first use of an abbreviation
        body = env.get_template(page.template).render(
            site=site, programme=site.programme, page_path=page.path, title=page.title, link=link,
            abbr=first_use.abbr, expand=first_use.expand, abbreviations_in=first_use.used_in,
            **build_context, **page.context,
        )
        # The home page's <title> is the site name alone, so it takes no title of its own.
        title = None if page.path == "index.md" else page.title
        # Headings inside HTML blocks never reach Material's table of contents; a page with no
        # Markdown heading gives the empty contents column's width to its tables instead.
        meta = dict(page.meta)
        if not any(line.startswith("## ") for line in body.splitlines()):
            meta.setdefault("hide", ["toc"])
        out[page.path] = front_matter(title, page.description, **meta) + body
    return out
