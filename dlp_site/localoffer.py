"""The Local Offer map page: its markers, popups, postcode table and files.

render.py calls `write_map_files` once per build; the page's own Markdown comes from
templates/map.md.j2 like every other page. Files written into the docs tree:

- assets/dlp-site/...     Leaflet, Leaflet.markercluster (vendored, with licences), map.js, map.css
- map/local-offer.js      the marker data, then Folium's script for the map
- map/postcodes.json      the whole postcode table (see postcodes.py)
"""

from __future__ import annotations

import functools
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .geometry import MapGeometry
from .mapping import MapPlace, RenderedMap, build_map, json_for_html, places_data, popup_renderer
from .model import Site
from .postcodes import PostcodeTable, postcode_table

MAP_PAGE = "map/index.md"
ASSETS = Path(__file__).parent / "assets"
ASSET_DIR = "assets/dlp-site"  # inside the docs tree; site_src/assets stays the council's own
VENDOR_LICENCES = ("leaflet/LICENSE", "leaflet.markercluster/MIT-LICENCE.txt")


@dataclass(frozen=True)
class MapPage:
    """What map.md.j2 needs besides the Site."""

    rendered: RenderedMap
    geometry: MapGeometry
    postcodes: PostcodeTable
    places: dict[str, list[MapPlace]]

    @property
    def vendor_versions(self) -> list[str]:
        return [(ASSETS / "vendor" / name / "VERSION").read_text(encoding="utf-8").strip()
                for name in ("leaflet", "leaflet.markercluster")]


def school_themes(site: Site) -> dict[str, tuple[str, ...]]:
    """A school 'has' the themes of its partnership's projects (for the theme filter)."""
    return {pid: tuple(sorted({t for pr in site.projects_of(pid) for t in pr.themes}))
            for pid in site.partnerships}


def map_places(site: Site, geometry: MapGeometry, env: jinja2.Environment,
               link) -> dict[str, list[MapPlace]]:
    popup = functools.partial(popup_renderer(env), site=site)
    projects = []
    for project in sorted(site.projects.values(), key=lambda p: p.title):
        partnership = site.partnership_of(project)
        anchor = geometry.anchor(partnership.partnership_id)
        if anchor is None:
            continue  # city-wide: listed on the page, not pinned anywhere
        url = link(f"projects/{project.project_id}.md")
        latest = site.latest_report(project.project_id)
        projects.append(MapPlace(
            key=project.project_id, lat=anchor[0], lon=anchor[1], title=project.title, kind=partnership.kind,
            themes=project.themes, phases=tuple(site.phases_of(project)),
            partnership=partnership.partnership_id, url=url,
            popup=popup(kind="project", project=project, partnership=partnership, latest=latest, url=url,
                        partnership_url=link(f"partnerships/{partnership.partnership_id}.md")),
        ))
    themes = school_themes(site)
    schools = []
    for school in sorted(site.schools.values(), key=lambda s: s.name):
        partnership = site.partnerships[school.partnership_id]
        url = link(f"partnerships/{partnership.partnership_id}.md") + f"#school-{school.urn}"
        schools.append(MapPlace(
            key=str(school.urn), lat=round(float(school.latitude), 5), lon=round(float(school.longitude), 5),
            title=school.name, kind=partnership.kind, themes=themes[partnership.partnership_id],
            phases=(school.phase,), partnership=partnership.partnership_id, url=url,
            popup=popup(kind="school", school=school, partnership=partnership, url=url),
        ))
    return {"projects": projects, "schools": schools}


def copy_assets(docs: Path) -> None:
    """The package's own browser assets (map.js, map.css, vendored Leaflet), copied at staging."""
    target = docs / ASSET_DIR
    shutil.copytree(ASSETS, target, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("VERSION", "__pycache__"))


def write_map_files(site: Site, geometry: MapGeometry, env: jinja2.Environment, docs: Path, link) -> MapPage:
    places = map_places(site, geometry, env, link)
    popup = functools.partial(popup_renderer(env), site=site)

    def area_popup(pid: str) -> str:
        partnership = site.partnerships[pid]
        return popup(kind="area", partnership=partnership, projects=site.projects_of(pid),
                     url=link(f"partnerships/{pid}.md"))

    rendered = build_map(site, geometry, places, area_popup)
    table = postcode_table(site)
    out = docs / "map"
    out.mkdir(parents=True, exist_ok=True)
    # Data first: Folium's marker callbacks read it as they run.
    (out / "local-offer.js").write_text(
        f"window.dlpLocalOffer.load({places_data(places)});\n{rendered.script.strip()}\n", encoding="utf-8")
    (out / "postcodes.json").write_text(json_for_html(table.as_json()), encoding="utf-8")
    return MapPage(rendered, geometry, table, places)


def names_json(page: MapPage) -> str:
    return json.dumps(page.rendered.names, sort_keys=True)
