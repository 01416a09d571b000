"""The Local Offer map: geometry, postcode table, the Folium map object and the built page.

Browser behaviour (markers, filters, the postcode search, a phone viewport) is tested in
test_map_browser.py; here the map is checked the way geopandas tests `explore`: map options,
GeoJSON properties and the files written, not whole-HTML snapshots.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import folium
import lxml.html
import pytest
import rjsmin
import shapely
import tinycss2
from folium.plugins import MarkerCluster
from shapely.geometry import Point

from dlp_site.pipeline import build, check
from dlp_site.render.docs import pages_and_data
from dlp_site.render.map import page as map_page_module
from dlp_site.render.map.areas import map_geometry
from dlp_site.render.map.page import (
    ASSET_DIR,
    ASSETS,
    MAP_STYLE_BUNDLE,
    MAP_STYLESHEETS,
    MINIFIED,
    _ie8_only,
    _own_script,
    assets,
    map_page,
    minified_name,
)
from dlp_site.render.map.postcodes import postcode_table
from dlp_site.site.stage import write_tree

from .conftest import OTHERTOWN, ROOT, edit, paths


@pytest.fixture(scope="module")
def example():
    site, issues = check(ROOT / "data", ROOT / "geo")
    assert site is not None, issues
    return site


@pytest.fixture(scope="module")
def example_geometry(example):
    return map_geometry(example)


def test_every_local_partnership_gets_an_area_and_city_wide_ones_none(example, example_geometry):
    local = {pid for pid, p in example.partnerships.items() if p.kind != "citywide"}
    assert example_geometry.source == "derived" and example_geometry.boundary_source == "authority"
    assert set(example_geometry.areas) == local
    for area in example_geometry.areas.values():
        assert area.geometry.is_valid and not area.geometry.is_empty


def test_each_school_lies_in_its_own_partnerships_area(example, example_geometry):
    # Simplification moves edges by at most SIMPLIFY_METRES (80 m, ~0.0012 degrees).
    misplaced = [
        (s.name, s.partnership_id) for s in example.schools.values()
        if s.partnership_id in example_geometry.areas
        and not example_geometry.areas[s.partnership_id].geometry.buffer(0.0015).contains(
            Point(float(s.longitude), float(s.latitude)))
    ]
    assert misplaced == []


def test_areas_of_one_kind_tile_without_overlaps_and_stay_inside_the_boundary(example, example_geometry):
    # The outline and the areas are simplified separately, so they can differ by 2 x 80 m.
    boundary = example_geometry.boundary.buffer(0.003)
    by_kind: dict[str, list] = {}
    for pid, area in example_geometry.areas.items():
        assert boundary.contains(area.geometry), pid
        by_kind.setdefault(example.partnerships[pid].kind, []).append(area.geometry)
    for kind, shapes in by_kind.items():
        total = sum(s.area for s in shapes)
        union = shapely.union_all(shapes).area
        assert total - union < 0.001 * total, f"{kind} areas overlap"  # coverage simplification kept edges shared


def test_supplied_partnership_boundaries_win_over_derived_ones(othertown: Path, tmp_path: Path):
    geo = tmp_path / "geo"
    geo.mkdir()
    square = [[-2.10, 52.50], [-2.07, 52.50], [-2.07, 52.52], [-2.10, 52.52], [-2.10, 52.50]]
    (geo / "partnerships.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"partnership_id": "stourside-primaries"},
         "geometry": {"type": "Polygon", "coordinates": [square]}}]}), encoding="utf-8")
    (geo / "postcodes.csv").write_text("postcode,latitude,longitude\nDY1 1AA,52.5120,-2.0810\n"
                                       "DY5 3QT,52.4700,-2.1100\n", encoding="utf-8")
    site, issues = check(othertown, geo)
    assert site is not None, issues
    geometry = map_geometry(site)
    assert geometry.source == "supplied" and geometry.boundary_source == "buffer"
    assert set(geometry.areas) == {"stourside-primaries"}
    assert geometry.areas["stourside-primaries"].geometry.equals(shapely.Polygon(square))

    out = tmp_path / "site"
    build(paths(othertown, geo), out)
    about = (out / "about" / "index.html").read_text(encoding="utf-8")  # how the map is made
    assert "Partnership areas are the boundaries the council supplied." in about
    assert "a list of 2 postcodes supplied by the council" in about
    table = json.loads((out / "map" / "postcodes.json").read_text(encoding="utf-8"))
    assert set(table["full"]) == {"DY1 1AA", "DY5 3QT"} and "DY5" in table["district"]


def test_postcode_table_from_schools_has_full_sector_and_district_centres(example):
    table = postcode_table(example)
    assert table.source == "schools"
    school = next(s for s in example.schools.values() if s.postcode == "B27 6DH")
    assert table.full["B27 6DH"] == (round(float(school.latitude), 4), round(float(school.longitude), 4))
    assert "B27 6" in table.sectors and "B27" in table.districts
    in_sector = [v for k, v in table.full.items() if k.startswith("B27 6")]
    assert table.sectors["B27 6"][0] == pytest.approx(sum(p[0] for p in in_sector) / len(in_sector), abs=1e-4)


def test_supplied_postcode_file_is_validated_and_used(othertown: Path, tmp_path: Path):
    geo = tmp_path / "geo"
    geo.mkdir()
    (geo / "postcodes.csv").write_text(
        "postcode,latitude,longitude\nDY1 1AA,52.5120,-2.0810\ndy12ab,52.5080,-2.0900\n"
        "DY9 9ZZ,-2.1,52.5\nNOT A PC,52.5,-2.1\nDY1 1AA,52.5,-2.1\n", encoding="utf-8")
    _, issues = check(othertown, geo)
    found = {(i.path, i.row, i.column) for i in issues}
    assert ("geo/postcodes.csv", 4, "latitude") in found  # swapped
    assert ("geo/postcodes.csv", 5, "postcode") in found  # malformed
    assert ("geo/postcodes.csv", 6, "postcode") in found  # duplicate
    assert all("hint" not in str(i) or i.hint for i in issues)

    (geo / "postcodes.csv").write_text(
        "postcode,latitude,longitude\nDY1 1AA,52.5120,-2.0810\ndy12ab,52.5080,-2.0900\nDY5 3QT,52.47,-2.11\n",
        encoding="utf-8")
    site, issues = check(othertown, geo)
    assert site is not None, issues
    table = postcode_table(site)
    assert table.source == "supplied"
    assert set(table.full) == {"DY1 1AA", "DY1 2AB", "DY5 3QT"}
    assert table.districts["DY5"] == (52.47, -2.11)


def _map_files(site, tmp_path: Path):
    page = map_page(site, map_geometry(site))
    write_tree(tmp_path, page.files)
    return page


def test_folium_output_loads_nothing_from_a_cdn_and_has_numbered_ids(example, tmp_path: Path):
    page = _map_files(example, tmp_path / "a")
    script = page.rendered.script
    urls = set(re.findall(r"https?://[^\s\"'`)\\]+", script))
    assert urls <= {"https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://www.openstreetmap.org/copyright"}
    assert "$(" not in script and "jquery" not in script.lower()  # no Folium Popup objects
    assert not re.search(r"_[0-9a-f]{32}\b", script), "random Folium ids leak into the output"
    assert page.rendered.names["map"] == "map_0001"
    _map_files(example, tmp_path / "b")
    assert (tmp_path / "a" / "map" / "local-offer.js").read_bytes() == \
        (tmp_path / "b" / "map" / "local-offer.js").read_bytes()


def test_second_council_map_options_layers_and_geojson(othertown: Path, tmp_path: Path):
    """What the Folium map holds, checked on the object as geopandas tests `explore` (this
    replaced a golden snapshot of Folium's whole script, which any Folium release rewrites)."""
    site, _ = check(othertown, None)
    page = _map_files(site, tmp_path)
    m = page.rendered.map
    assert m.options["zoom"] == site.programme.map.zoom and (m.options["minZoom"], m.options["maxZoom"]) == (9, 18)
    assert m.location == list(site.programme.map.centre) == [52.51, -2.08]  # programme.yml's centre
    children = list(m._children.values())
    assert not any(isinstance(c, folium.TileLayer) for c in children)  # tiles: none in this dataset
    boundary = next(c for c in children if isinstance(c, folium.GeoJson))
    assert boundary.layer_name == "Boundary"
    assert [f["geometry"]["type"] for f in boundary.data["features"]] == ["Polygon"]
    groups = {c.layer_name: c for c in children if isinstance(c, folium.FeatureGroup)}
    assert set(groups) == {"Primary consortium areas", "Secondary network areas"}
    assert groups["Primary consortium areas"].show and not groups["Secondary network areas"].show
    drawn = []
    for group in groups.values():
        layer = next(c for c in group._children.values() if isinstance(c, folium.GeoJson))
        for f in layer.data["features"]:
            assert f["geometry"]["type"] in ("Polygon", "MultiPolygon")
            assert list(f["properties"]) == ["partnership_id"]  # names come from the page (map.js)
            drawn.append(f["properties"]["partnership_id"])
    assert sorted(drawn) == sorted(pid for pid, p in site.partnerships.items() if p.kind != "citywide")
    # The cluster layer is drawn empty: map.js fills it from the page's list (data-at).
    cluster = next(c for c in children if isinstance(c, MarkerCluster))
    assert not any(isinstance(c, folium.Marker) for c in cluster._children.values())
    assert cluster.options["maxClusterRadius"] == 60


def test_tiles_none_means_no_tile_layer(othertown: Path, tmp_path: Path):
    site, _ = check(othertown, None)
    assert site.programme.map.tiles == "none"
    script = _map_files(site, tmp_path).rendered.script
    assert "L.tileLayer" not in script and "http" not in script
    # markercluster needs the map itself to have a max zoom when there are no tiles
    assert '"maxZoom": 18' in script.split("L.map(")[1].split(");")[0]


def test_map_data_places_every_located_project_and_every_school(example, tmp_path: Path):
    page = _map_files(example, tmp_path)
    citywide = {p.project_id for p in example.projects.values()
                if example.partnership_of(p).kind == "citywide"}
    assert {p.key for p in page.places["projects"]} == set(example.projects) - citywide
    assert len(page.places["schools"]) == len(example.schools)
    # Where each marker goes, by the id of its row in the page's list (the row's data-at).
    assert len(page.pins) == len(page.places["projects"]) + len(page.places["schools"])
    lat, lon = map(float, page.pins["map-project-cole-heath-send-training"].split())
    assert page.geometry.areas["cole-heath"].geometry.contains(Point(lon, lat))
    school = next(s for s in example.schools.values() if s.postcode == "B27 6DH")
    where = f"{round(float(school.latitude), 4)} {round(float(school.longitude), 4)}"
    assert page.pins[f"map-school-{school.urn}"] == where
    # No data in Folium's script: the places are in the list, and a school's themes and their
    # names are read from the list and the theme filter (test_map_browser.py checks popups).
    text = (tmp_path / "map" / "local-offer.js").read_text(encoding="utf-8")
    assert text.startswith("window.dlpLocalOffer.load();") and "map-school-" not in text


def test_every_row_but_the_citywide_projects_has_a_place_on_the_map(example, example_site: Path):
    page = (example_site / "map" / "index.html").read_text(encoding="utf-8")
    rows = dict(re.findall(r'<tr id="(map-(?:project|school)-[^"]+)"[^>]*?(?: data-at="([^"]*)")?>', page))
    pinned = {row_id for row_id, at in rows.items() if at}
    citywide = {f"map-project-{p.project_id}" for p in example.projects.values()
                if example.partnership_of(p).kind == "citywide"}
    assert len(rows) == len(example.projects) + len(example.schools)
    assert set(rows) - pinned == citywide  # listed, but with no pin
    for at in map(rows.get, pinned):
        lat, lon = map(float, at.split(" "))
        assert 52.3 < lat < 52.7 and -2.1 < lon < -1.7  # in Birmingham


def test_hostile_names_are_escaped_in_map_popups_tooltips_and_folium(othertown: Path, tmp_path: Path):
    hostile = "<img src=x onerror=alert(1)> {{ 7 * 7 }} {% raw %}"
    edit(othertown, "partnerships.csv", "Stourside Primary Cluster", hostile)
    edit(othertown, "schools.csv", "Stourside Brook Primary", "<script>alert(2)</script>")
    site, issues = check(othertown, None)
    assert site is not None, issues
    page = _map_files(site, tmp_path)
    script = page.rendered.script
    # No name reaches Folium's script (its tooltips are HTML, and it re-reads scripts as Jinja):
    # map.js copies an area's name from the list as text (test_map_browser.py opens them).
    assert "onerror" not in script and "7 * 7" not in script and "Stourside" not in script
    # Marker popups are copies of the list's cells, which the page template escaped.
    assert "alert(2)" not in (tmp_path / "map" / "local-offer.js").read_text(encoding="utf-8")


def test_built_map_page_links_only_local_assets_that_exist(example_site: Path):
    page = (example_site / "map" / "index.html").read_text(encoding="utf-8")
    refs = re.findall(r'<script[^>]+src="([^"]+)"|<link rel="stylesheet"[^>]+href="([^"]+)"', page)
    refs = [a or b for a, b in refs]
    assert refs, "no scripts or stylesheets found"
    for ref in refs:
        assert not ref.startswith(("http:", "https:", "//")), ref
        target = (example_site / "map" / ref.split("?")[0].split("#")[0]).resolve()
        assert target.exists(), ref
    for licence in ("leaflet/LICENSE", "leaflet.markercluster/MIT-LICENCE.txt"):
        assert (example_site / "assets" / "dlp-site" / "vendor" / licence).exists()
    assert 'href="map/"' in (example_site / "index.html").read_text(encoding="utf-8")  # in the nav


def test_map_page_lists_everything_grouped_by_area(example, example_site: Path):
    page = (example_site / "map" / "index.html").read_text(encoding="utf-8")
    for area in example.areas.values():
        assert f'id="area-{area.area_id}"' in page
    for project in example.projects.values():
        assert f'href="../projects/{project.project_id}/"' in page
    assert page.count('data-layer="schools"') == len(example.schools)
    assert 'id="area-citywide"' in page
    # How the map is made is on the About page; the map page links to it and keeps the privacy line.
    assert 'href="../about/#map"' in page and "never sent anywhere" in page
    about = (example_site / "about" / "index.html").read_text(encoding="utf-8")
    assert "Voronoi" in about
    assert "authority&rsquo;s outline" in about or "authority's outline" in about


def test_locator_maps_describe_where_the_partnership_works(example_site: Path):
    page = (example_site / "partnerships" / "cole-heath" / "index.html").read_text(encoding="utf-8")
    assert '<svg data-search-exclude viewBox="0 0 240' in page and 'role="img"' in page
    assert re.search(r"Cole Heath works in the (south-)?east of the Birmingham City Council area", page)
    project = (example_site / "projects" / "cole-heath-send-training" / "index.html").read_text(encoding="utf-8")
    assert "dlp-locator" in project


def test_example_postcode_file_is_not_needed(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(OTHERTOWN, data)
    site, issues = check(data, tmp_path / "no-geo-here")
    assert site is not None, issues
    assert map_geometry(site).boundary_source == "buffer"


def test_our_scripts_are_published_as_terser_minified_them(tmp_path: Path):
    """map.js, search.js and the vendored Leaflet.GestureHandling are published as
    tools/minify_js.py made them (NAME.min.js), and only while NAME.min.js was made from the
    source as it is: an edit not minified again is published through rjsmin instead (correct,
    only larger), and this test says to run it."""
    sys.path.insert(0, str(ROOT / "tools"))
    import minify_js

    published = assets()
    for name in MINIFIED:
        source = ASSETS / name
        assert minify_js.TERSER.exists(), "run `npm ci` (package.json pins terser)"
        expected = minify_js.minified(source)
        committed = (ASSETS / minified_name(name)).read_text(encoding="utf-8")
        assert committed == expected, f"{name} changed: run `.venv/bin/python tools/minify_js.py`"
        assert published[f"assets/dlp-site/{name}"] == expected.partition("\n")[2]
        assert f"assets/dlp-site/{minified_name(name)}" not in published
        # The source edited (one more comment) and not minified again: rjsmin's output instead.
        edited = tmp_path / source.name
        edited.write_text(source.read_text(encoding="utf-8") + "\n// edited\n", encoding="utf-8")
        shutil.copy(ASSETS / minified_name(name), tmp_path / minified_name(source.name))
        assert _own_script(edited) == rjsmin.jsmin(edited.read_text(encoding="utf-8"))


def test_the_map_stylesheet_bundle_leaves_out_only_internet_explorer_8_rules():
    files = assets()
    bundle = tinycss2.parse_stylesheet(str(files[f"{ASSET_DIR}/{MAP_STYLE_BUNDLE}"]), skip_whitespace=True,
                                       skip_comments=True)
    sources = [r for name in MAP_STYLESHEETS
               for r in tinycss2.parse_stylesheet(str(files[f"{ASSET_DIR}/{name}"]), skip_whitespace=True,
                                                  skip_comments=True)]
    dropped = [tinycss2.serialize(r.prelude).strip() for r in sources if _ie8_only(r)]
    assert len(dropped) == 5 and all("oldie" in s or "vml" in s for s in dropped)  # leaflet.css 1.9.4's
    assert len(bundle) == len(sources) - len(dropped)
    text = tinycss2.serialize(bundle)
    assert "leaflet-oldie" not in text and "VML" not in text and ".leaflet-popup-tip" in text


def test_a_large_programme_folds_each_areas_projects_away_like_its_schools(example, monkeypatch):
    """Over FOLD_PROJECTS_OVER projects, each area's projects are in a closed <details> named
    with their number, as its schools always are: a phone lays out the headings, not thousands
    of rows, before it draws the map. The example's projects stay open."""
    def tables(md: str) -> dict[str, lxml.html.HtmlElement]:
        rows = lxml.html.fromstring(md).get_element_by_id("dlp-map-rows")
        return {t.get("aria-label"): t for t in rows.xpath(".//div[@class='dlp-table-wrap']")}

    small = tables(pages_and_data(example)["map/index.md"])
    monkeypatch.setattr(map_page_module, "FOLD_PROJECTS_OVER", len(example.projects) - 1)
    large = tables(pages_and_data(example)["map/index.md"])
    assert small.keys() == large.keys() and any(label.startswith("Projects in") for label in small)
    for label, table in large.items():
        folded = table.getparent()
        assert folded.tag == "details" and folded.get("open") is None, label
        count = len(table.xpath(".//tbody/tr"))
        assert folded.findtext("summary") == f"{label} ({count})"
        before = small[label].getparent()
        assert before.tag == ("div" if label.startswith(("Projects", "City-wide")) else "details"), label
