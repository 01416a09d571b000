"""The Local Offer map page: its markers, area popups, postcode table and files.

`map_page` is called once per build; the page's own Markdown comes from templates/map.md.j2
like every other page. Its files, returned as {docs path: text} for the stage to write:

- assets/dlp-site/...     Leaflet, Leaflet.markercluster, Leaflet.GestureHandling (vendored, with
                          licences), map.js, map.css, and search.js / search.css (the "Find
                          support near you" form, also on the home page); and the map page's
                          scripts as one file (map-page.js), its stylesheets as another
                          (map-page.css)
- map/local-offer.js      the call that starts map.js, then Folium's script
- map/postcodes.json      the whole postcode table (see postcodes.py)
- map/search.json         every school's URN, name, partnership and postcode (the search's
                          suggestions and "search by school") and each project's summary in
                          one line (for the results); fetched whole on the first search, like
                          the postcode table, so nothing typed is ever sent
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import rcssmin
import rjsmin
import tinycss2
from tinycss2 import ast as css
from tinycss2.serializer import serialize_string_value, serialize_url

from ...model.site import Site
from ..formats import one_line
from .geometry import MapGeometry
from .places import ROW_IDS, MapPlace, RenderedMap
from .postcodes import PostcodeTable, postcode_table

MAP_PAGE = "map/index.md"
EMBED_MAP_PAGE = "embed/map/index.md"  # the same body, for other websites' <iframe>s (embed_map.md.j2)
ASSETS = Path(__file__).parent.parent / "assets"
ASSET_DIR = "assets/dlp-site"  # inside the docs tree; site_src/assets stays the council's own


# A list of this many projects, open, is about as large as the example's whole map page.
FOLD_PROJECTS_OVER = 150


@dataclass(frozen=True)
class MapPage:
    """What map.md.j2 needs besides the Site."""

    rendered: RenderedMap
    geometry: MapGeometry
    postcodes: PostcodeTable
    places: dict[str, list[MapPlace]]
    files: dict[str, str]  # map/local-offer.js and map/postcodes.json
    # Whether each area's projects are folded away under it, like its schools: with more than
    # FOLD_PROJECTS_OVER projects, open tables would be thousands of rows a phone must lay out
    # before it draws the map (at 30 times the example: 33,000 elements).
    fold_projects: bool

    @cached_property
    def pins(self) -> dict[str, str]:
        """Where each place's marker goes, by the id of its row in the list: the row's data-at,
        from which map.js makes the marker ("LAT LON"; a city-wide project has none)."""
        return {p.row_id: f"{p.lat} {p.lon}" for layer in self.places.values() for p in layer}

    @property
    def vendor_versions(self) -> list[str]:
        # VERSION's first line is package@version; any further lines note changes made to it.
        return [(ASSETS / "vendor" / name / "VERSION").read_text(encoding="utf-8").splitlines()[0]
                for name in ("leaflet", "leaflet.markercluster", "leaflet-gesture-handling")]


def map_places(site: Site, geometry: MapGeometry) -> dict[str, list[MapPlace]]:
    projects = []
    for project in sorted(site.projects.values(), key=lambda p: p.title):
        anchor = geometry.anchor(project.partnership_id)
        if anchor is not None:  # city-wide projects are listed on the page, not pinned anywhere
            projects.append(MapPlace(project.project_id, anchor[0], anchor[1],
                                     ROW_IDS["projects"].format(project.project_id)))
    schools = [MapPlace(str(s.urn), round(float(s.latitude), 4), round(float(s.longitude), 4),
                        ROW_IDS["schools"].format(s.urn))
               for s in sorted(site.schools.values(), key=lambda s: s.name)]
    return {"projects": projects, "schools": schools}


# The map page's scripts, in the order they run, served as one file (MAP_BUNDLE): a phone
# makes one request instead of four, and one gzip stream is 1.3 KB smaller than four (the
# page has a 200 KB budget). Each file is also published on its own, as vendored. search.js
# is not in it: map.js loads it when the search is first used (2.4 KB less on a first visit).
MAP_SCRIPTS = ("vendor/leaflet/leaflet.js", "vendor/leaflet-gesture-handling/leaflet-gesture-handling.js",
                "vendor/leaflet.markercluster/leaflet.markercluster.js", "map.js")
MAP_BUNDLE = "map-page.js"
# Its stylesheets likewise, in the order the page used to link them (the cascade is unchanged):
# one request instead of five, and 1.8 KB less gzip (Leaflet's own CSS is minified here too).
MAP_STYLESHEETS = ("vendor/leaflet/leaflet.css", "vendor/leaflet.markercluster/MarkerCluster.css",
                   "vendor/leaflet-gesture-handling/leaflet-gesture-handling.min.css", "map.css", "search.css")
MAP_STYLE_BUNDLE = "map-page.css"


def _rebase(nodes: list[css.Node], folder: str) -> list[css.Node]:
    """CSS component values with each relative url() (leaflet.css's images/layers.png) made
    relative to ASSET_DIR, where the bundle is, instead of to `folder`; data:, #fragment and
    absolute URLs as they were. Blocks and functions are rebased in place."""
    def rebased(url: str) -> str:
        if not folder or url.startswith(("#", "/")) or ":" in url.split("/")[0]:
            return url
        return posixpath.normpath(posixpath.join(folder, url))

    for i, node in enumerate(nodes):
        if isinstance(node, css.URLToken):
            url = rebased(node.value)
            nodes[i] = css.URLToken(node.source_line, node.source_column, url, f"url({serialize_url(url)})")
        elif isinstance(node, css.FunctionBlock) and node.lower_name == "url":
            node.arguments = [css.StringToken(a.source_line, a.source_column, url := rebased(a.value),
                                              f'"{serialize_string_value(url)}"')
                              if isinstance(a, css.StringToken) else a for a in node.arguments]
        elif isinstance(node, css.FunctionBlock):
            _rebase(node.arguments, folder)
        elif isinstance(node, (css.CurlyBracketsBlock, css.SquareBracketsBlock, css.ParenthesesBlock)):
            _rebase(node.content, folder)
    return nodes


# Our own scripts as terser minified them (tools/minify_js.py: NAME.min.js, committed beside
# NAME.js, which stays readable): shorter local names save the map page 0.9 KB gzip over
# stripping spaces alone. Leaflet.GestureHandling too: it is vendored as its readable build
# (our copy is already cut down), and minified it is 0.14 KB gzip less.
MINIFIED = ("map.js", "search.js", "vendor/leaflet-gesture-handling/leaflet-gesture-handling.js")


def minified_name(name: str) -> str:
    return name.removesuffix(".js") + ".min.js"


_MINIFIED_COPIES = {minified_name(name) for name in MINIFIED}  # published as their sources


def stamp(name: str, source: str) -> str:
    """The first line of NAME.min.js: which source it was made from."""
    return f"/* {name} minified by tools/minify_js.py from sha256:{hashlib.sha256(source.encode()).hexdigest()} */"


def _own_script(source: Path) -> str:
    """A script of ours as published: terser's output when it was made from this very source
    (an edit not yet minified again falls back to rjsmin, correct but larger), else rjsmin's.
    Only tools/minify_js.py writes the stamp, and only for MINIFIED."""
    text = source.read_text(encoding="utf-8")
    packed = source.with_name(minified_name(source.name))
    if packed.is_file():
        first, _, body = packed.read_text(encoding="utf-8").partition("\n")
        if first == stamp(source.name, text):
            return body
    return str(rjsmin.jsmin(text))


# Leaflet adds .leaflet-oldie to the map, and draws with VML, only in Internet Explorer 8 and
# older, which cannot run the page's scripts at all: their rules are left out of the bundle
# (0.2 KB gzip; the map page has a budget). leaflet.css itself is published as it came.
IE8_ONLY = (".leaflet-oldie", ".lvml", ".leaflet-vml-shape")


def _ie8_only(rule: css.Node) -> bool:
    if not isinstance(rule, css.QualifiedRule):
        return False
    selectors = tinycss2.serialize(rule.prelude).split(",")
    return all(any(mark in selector for mark in IE8_ONLY) for selector in selectors)


def _bundled(stylesheet: str, folder: str) -> str:
    """One stylesheet for the map page's bundle: url()s rebased, IE8-only rules left out."""
    rules = [r for r in tinycss2.parse_stylesheet(stylesheet) if not _ie8_only(r)]
    for rule in rules:
        if isinstance(rule, (css.QualifiedRule, css.AtRule)):
            _rebase(rule.prelude, folder)
            if rule.content is not None:
                _rebase(rule.content, folder)
    return tinycss2.serialize(rules)


def assets() -> dict[str, str | bytes]:
    """The package's own browser assets for the docs tree: vendored Leaflet as published
    (already minified, with licences), map.js / map.css / search.js / search.css and
    Leaflet.GestureHandling minified (readable in the repo), and the map page's scripts as one
    file."""
    out: dict[str, str | bytes] = {}
    for source in sorted(ASSETS.rglob("*")):
        rel = source.relative_to(ASSETS)
        if (not source.is_file() or source.name == "VERSION" or "__pycache__" in rel.parts
                or rel.as_posix() in _MINIFIED_COPIES):
            continue
        target = f"{ASSET_DIR}/{rel.as_posix()}"
        if source.suffix not in (".js", ".css"):
            out[target] = source.read_bytes()
            continue
        text = source.read_text(encoding="utf-8")
        if rel.parts[0] != "vendor" or rel.as_posix() in MINIFIED:
            text = rcssmin.cssmin(text) if source.suffix == ".css" else _own_script(source)
        out[target] = text
    out[f"{ASSET_DIR}/{MAP_STYLE_BUNDLE}"] = rcssmin.cssmin("\n".join(
        _bundled(str(out[f"{ASSET_DIR}/{name}"]), posixpath.dirname(name)) for name in MAP_STYLESHEETS))
    out[f"{ASSET_DIR}/{MAP_BUNDLE}"] = "".join(
        f"/* {name} */\n{str(out[f'{ASSET_DIR}/{name}']).strip()}\n;\n" for name in MAP_SCRIPTS)
    return out


def search_json(site: Site) -> str:
    """What the search needs besides the postcode table: [urn, name, partnership's name,
    postcode] for every school, by name (suggested as you type, and matched against a school's
    name), and each project's summary in one line (for its search result; the list on the page
    leaves summaries out to keep the page within its weight budget)."""
    schools = [[s.urn, s.name, site.partnerships[s.partnership_id].name, s.postcode]
               for s in sorted(site.schools.values(), key=lambda s: (s.name, s.urn))]
    summaries = {p.project_id: one_line(p.summary) for p in site.projects.values()}
    return json.dumps({"schools": schools, "summaries": summaries}, separators=(",", ":"),
                      ensure_ascii=False, sort_keys=True)


def map_page(site: Site, geometry: MapGeometry, rendered: RenderedMap | None = None) -> MapPage:
    """The page's parts; `rendered`: Folium's map of this site and geometry when the cache had
    it (cache.py), otherwise it is drawn here."""
    places = map_places(site, geometry)
    if rendered is None:
        from .folium_map import build_map  # Folium (and pandas, which it imports) only when drawing

        rendered = build_map(site, geometry)
    table = postcode_table(site)
    files = {
        # load() reads the page's list (map.js). Minified like map.js: Folium indents its
        # script generously (the page has a budget).
        "map/local-offer.js": rjsmin.jsmin(f"window.dlpLocalOffer.load();\n{rendered.script.strip()}\n") + "\n",
        "map/postcodes.json": json.dumps(table.as_json(), separators=(",", ":"), sort_keys=True),
        "map/search.json": search_json(site),
    }
    return MapPage(rendered, geometry, table, places, files, fold_projects=len(site.projects) > FOLD_PROJECTS_OVER)


def names_json(page: MapPage) -> str:
    return json.dumps(page.rendered.names, sort_keys=True, separators=(",", ":"))
