"""The Local Offer map in a real browser (Debian Chromium), with every non-local request blocked.

What a parent sees: the page loads without errors, areas and markers appear, filters narrow the
map and the list, a school's postcode lists that school's projects first, bad postcodes get a
polite message, the page fits a 360 px phone (screenshot in test-artifacts/), and hostile text
from schools stays text inside popups, tooltips and search results.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dlp_site.pipeline import build, check

from .browser import ARTIFACTS, open_page, serve
from .conftest import OTHERTOWN, ROOT, paths
from .gate import axe_violations
from .test_escaping import poison

SCHOOL_POSTCODE = "B27 6DH"  # Acocks Green Mulberry Primary School, in Cole Heath


def _build(tmp_path_factory, name: str, data_from: Path, hostile: bool = False) -> Path:
    root = tmp_path_factory.mktemp(name)
    data = root / "data"
    shutil.copytree(data_from, data)
    if hostile:
        poison(data)
    out = root / "site"
    geo = ROOT / "geo" if data_from == ROOT / "data" else None
    build(paths(data, geo), out)
    return out


@pytest.fixture(scope="module")
def offline_url(gate_url: str) -> str:
    """The quality gate's build of the example, with tiles: none, so the page has no reason to
    leave 127.0.0.1 at all."""
    return gate_url


@pytest.fixture(scope="module")
def example():
    site, _ = check(ROOT / "data", ROOT / "geo")
    return site


def _load(browser, url: str, **kwargs):
    page, log = open_page(browser, **kwargs)
    page.goto(url + "map/")
    page.wait_for_selector(".leaflet-marker-icon")
    return page, log


def test_map_loads_offline_without_errors_and_draws_areas_and_markers(browser, offline_url, example):
    page, log = _load(browser, offline_url)
    assert log.console_errors == [] and log.page_errors == [] and log.failed == []
    assert [u for u in log.requests if not u.startswith("http://127.0.0.1")] == []
    assert page.locator("path.leaflet-interactive").count() >= len(
        [p for p in example.partnerships.values() if p.kind == "primary_consortium"])
    assert page.locator(".leaflet-marker-icon").count() > 5
    status = page.text_content("#dlp-map-status")
    located = [p for p in example.projects.values() if example.partnership_of(p).kind != "citywide"]
    assert status == (f"Showing {len(located)} of {len(located)} projects and "
                      f"{len(example.schools)} of {len(example.schools)} schools on the map.")
    assert page.locator(".leaflet-tile").count() == 0  # tiles: none


def test_filters_narrow_the_map_and_the_list(browser, offline_url, example):
    page, log = _load(browser, offline_url)
    page.select_option("#m-theme", "semh")
    semh = [p for p in example.projects.values() if "semh" in p.themes]
    located = [p for p in semh if example.partnership_of(p).kind != "citywide"]
    schools = [s for s in example.schools.values()
               if any("semh" in pr.themes for pr in example.projects_of(s.partnership_id))]
    total = len([p for p in example.projects.values() if example.partnership_of(p).kind != "citywide"])
    assert page.text_content("#dlp-map-status") == (
        f"Showing {len(located)} of {total} projects and {len(schools)} of {len(example.schools)} schools on the map.")
    visible_projects = page.locator('#dlp-map-rows tr[data-layer="projects"]:not([hidden])').count()
    assert visible_projects == len(semh)  # the list keeps city-wide projects too

    page.select_option("#m-theme", "")
    page.select_option("#m-kind", "secondary_network")
    page.select_option("#m-layer", "projects")
    networks = [p for p in example.projects.values() if example.partnership_of(p).kind == "secondary_network"]
    assert page.text_content("#dlp-map-status").startswith(f"Showing {len(networks)} of {total} projects and 0 of")
    # Choosing a kind shows that kind's areas (the layer control's checkbox follows).
    checked = page.eval_on_selector_all(".leaflet-control-layers-overlays input",
                                        "els => els.map(e => [e.nextElementSibling.textContent.trim(), e.checked])")
    assert ["Secondary network areas", True] in checked and ["Primary consortium areas", False] in checked
    assert log.console_errors == [] and log.page_errors == []


_ON_MAP = "window['{cluster}'].getLayers().map(m => m.options.title).sort()"
_KEPT = """Array.from(document.querySelectorAll('#dlp-map-rows tr[data-at]:not([hidden])')).map(r =>
    (r.dataset.layer === 'projects' ? 'Project: ' + r.querySelector('[data-part=title]').textContent
     : 'School: ' + r.cells[0].textContent).trim()).sort()"""


def _markers_are_the_rows_kept(page, log, cluster: str) -> None:
    """The markers on the map are exactly the rows the filters keep, once the fills are over."""
    on_map = _ON_MAP.format(cluster=cluster)
    page.wait_for_function(f"() => JSON.stringify({on_map}) === JSON.stringify({_KEPT})")
    page.wait_for_timeout(300)  # a fill the filters did not wait for would still be adding markers
    assert page.evaluate(on_map) == page.evaluate(_KEPT)
    assert 0 < len(page.evaluate(_KEPT)) < page.locator("#dlp-map-rows tr[data-at]").count()
    assert log.console_errors == [] and log.page_errors == []


_TWO_CHANGES = """() => {
    const kind = document.getElementById('m-kind');
    kind.value = ''; kind.dispatchEvent(new Event('change'));
    kind.value = 'secondary_network'; kind.dispatchEvent(new Event('change'));
}"""


def _slow(page) -> None:
    """A processor 20 times slower than this machine's, so that one fill of every marker takes
    many slices, and what a test does next comes while the fill is going on."""
    page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 20})


def test_filters_changed_while_the_markers_are_being_added_wait_for_them(browser, offline_url):
    """On a slow phone the filters fill the cluster layer in slices (map.js's fill), and a fill
    cannot be stopped: filters changed meanwhile are applied when it ends. Applied at once, the
    old fill would go on adding markers the new filters hide."""
    page, log = _load(browser, offline_url)
    _slow(page)  # the second change comes while the first one's fill is going on
    page.evaluate(_TWO_CHANGES)
    _markers_are_the_rows_kept(page, log, _names(page)["cluster"])


def test_filters_changed_while_the_markers_come_back_on_wait_for_them(browser, offline_url):
    """Switched back on (the layers control), the cluster layer is refilled by markercluster's
    own chunked loading, which cannot be stopped either: the filters wait for it too."""
    page, log = _load(browser, offline_url)
    names = _names(page)
    # markercluster's chunks as short as the clock allows: its refill of every marker stops
    # after its first 200 and carries on in a later task.
    page.evaluate(f"""() => {{
        const map = window['{names["map"]}'], cluster = window['{names["cluster"]}'];
        cluster.options.chunkInterval = 0;
        map.removeLayer(cluster);
        const kind = document.getElementById('m-kind');
        kind.dispatchEvent(new Event('change'));  // every marker (no kind chosen), kept until...
        map.addLayer(cluster);  // ...switched back on: markercluster adds them, 200 at a time
        kind.value = 'secondary_network'; kind.dispatchEvent(new Event('change'));
    }}""")
    _markers_are_the_rows_kept(page, log, names["cluster"])


def test_markers_switched_off_while_being_added_come_back_on_as_the_filters_keep(browser, offline_url):
    """The layers control can switch the markers off in the middle of a fill: switched back on,
    they are the rows the filters keep, and nothing failed meanwhile."""
    page, log = _load(browser, offline_url)
    names = _names(page)
    _slow(page)
    page.evaluate(f"""() => {{
        const kind = document.getElementById('m-kind');
        kind.value = 'primary_consortium'; kind.dispatchEvent(new Event('change'));
        window['{names["map"]}'].removeLayer(window['{names["cluster"]}']);  // after its first slice
    }}""")
    page.wait_for_timeout(1000)
    page.evaluate(f"() => window['{names['map']}'].addLayer(window['{names['cluster']}'])")
    _markers_are_the_rows_kept(page, log, names["cluster"])


def test_a_zoom_while_the_markers_are_being_added_shows_each_marker_once(browser, offline_url):
    """Zoomed between two slices of a fill, the map shows the markers added so far. A marker on
    show that a later one then joins in a cluster must leave the map: left on, it is shown
    twice, on its own and counted in its cluster."""
    page, log = _load(browser, offline_url)
    names = _names(page)
    map_, cluster = f"window['{names['map']}']", f"window['{names['cluster']}']"
    every = page.locator("#dlp-map-rows tr[data-at]").count()
    _slow(page)
    # The same filters again (the layer is filled again), then, between each two of its slices,
    # a zoom in or out, until every marker is in (the fill's last step is in the same slice).
    page.evaluate(f"""() => new Promise(done => {{
        const out = {map_}.getZoom(), into = out + 1;
        document.getElementById('m-theme').dispatchEvent(new Event('change'));
        (function between() {{
            if ({cluster}.getLayers().length === {every}) return done();
            {map_}.setZoom({map_}.getZoom() === out ? into : out, {{animate: false}});
            setTimeout(between, 0);
        }})();
    }})""")
    # Each marker shown on its own (on the map) must have no cluster above it that is shown too.
    twice = page.evaluate(f"""() => {cluster}.getLayers().filter(m => {map_}.hasLayer(m)).filter(m => {{
        for (let c = m.__parent; c; c = c.__parent) if ({map_}.hasLayer(c)) return true;
        return false;
    }}).map(m => m.options.title)""")
    assert twice == [] and page.locator(".leaflet-marker-icon").count() > 0
    assert log.console_errors == [] and log.page_errors == []


def test_filters_narrow_the_nearest_results_without_moving_the_map(browser, offline_url, example):
    page, _ = _load(browser, offline_url)
    page.fill("#dlp-find-input", SCHOOL_POSTCODE)
    page.press("#dlp-find-input", "Enter")
    page.wait_for_selector("#dlp-results:not([hidden])")
    _settled(page)
    name = _names(page)["map"]
    view = page.evaluate(f"[window['{name}'].getCenter(), window['{name}'].getZoom()]")
    page.select_option("#m-theme", "autism")
    listed = page.locator("#dlp-results .dlp-result:not(.dlp-result--school) .dlp-result__title a").all_text_contents()
    autism = {p.title for p in example.projects.values() if "autism" in p.themes}
    assert listed and set(listed) <= autism
    assert page.evaluate(f"[window['{name}'].getCenter(), window['{name}'].getZoom()]") == view


def test_filters_can_be_linked_to(browser, offline_url, example):
    page, _ = open_page(browser)
    page.goto(offline_url + "map/?theme=autism&show=projects")
    page.wait_for_selector("#dlp-map-block:not([hidden])")
    assert page.input_value("#m-theme") == "autism" and page.input_value("#m-layer") == "projects"


def test_a_schools_postcode_lists_that_schools_projects_first(browser, offline_url, example):
    page, log = _load(browser, offline_url)
    school = next(s for s in example.schools.values() if s.postcode == SCHOOL_POSTCODE)
    own = {p.title for p in example.projects_of(school.partnership_id)}
    assert own, "pick a school whose partnership runs projects"
    page.fill("#dlp-find-input", SCHOOL_POSTCODE.lower().replace(" ", ""))  # as people type it
    page.press("#dlp-find-input", "Enter")
    page.wait_for_selector("#dlp-results:not([hidden])")
    projects = page.locator("#dlp-results .dlp-result:not(.dlp-result--school)")
    first = [projects.nth(i).locator(".dlp-result__title a").text_content() for i in range(len(own))]
    assert set(first) == own
    assert "Less than 0.1 miles" in projects.nth(0).text_content()
    first_school = page.locator("#dlp-results .dlp-result--school").first.text_content()
    assert first_school.startswith(school.name) and "Less than 0.1 miles" in first_school
    assert page.text_content(".dlp-results__heading") == f"Support near {SCHOOL_POSTCODE}"
    # The focus moves to the results' heading.
    assert page.evaluate("document.activeElement.classList.contains('dlp-results__heading')")
    assert page.evaluate(f"window['{_names(page)['map']}'].getZoom()") == 14  # the map zoomed there
    # The lookup table was fetched whole; nothing carried the postcode.
    assert not [u for u in log.requests if "B27" in u.upper() or "6DH" in u.upper()]
    assert any(u.endswith("map/postcodes.json") for u in log.requests)


def _settled(page) -> None:
    """Wait until the map has finished zooming and the clusters have finished moving, so
    axe sees the map at rest rather than markers mid-animation."""
    name = _names(page)["map"]
    page.wait_for_function(f"""() => !window['{name}']._animatingZoom && !window['{name}']._panAnim?._inProgress
        && !document.querySelector('.leaflet-cluster-anim')""")
    page.wait_for_timeout(300)  # markercluster's fade-in, which has no flag to wait on


def _names(page) -> dict:
    import json

    return json.loads(page.get_attribute("#dlp-map-block", "data-names"))


@pytest.mark.parametrize(("typed", "message"), [
    ("", "Enter a postcode, or the name of your child's school."),
    ("hello", "No school on this map matches \u201chello\u201d"),
    ("ZE1 0AA", "Sorry, we couldn't find ZE1 0AA."),
])
def test_bad_postcodes_get_a_clear_polite_message(browser, offline_url, typed, message):
    page, log = _load(browser, offline_url)
    page.fill("#dlp-find-input", typed)
    page.click("#dlp-find-form button[type=submit]")
    # A function, not an expression string: the page's CSP (rightly) forbids Playwright's eval.
    page.wait_for_function("() => document.getElementById('dlp-find-error').textContent !== ''")
    assert message in page.text_content("#dlp-find-error")
    assert page.get_attribute("#dlp-find-input", "aria-invalid") == "true"
    assert page.is_hidden("#dlp-results")
    assert log.page_errors == []


def test_an_unlisted_postcode_falls_back_to_its_sector(browser, offline_url):
    page, _ = _load(browser, offline_url)
    page.fill("#dlp-find-input", "B27 6ZZ")
    page.press("#dlp-find-input", "Enter")
    page.wait_for_selector("#dlp-results:not([hidden])")
    assert "middle of the B27 6 area" in page.text_content("#dlp-results-note")


def test_use_my_location_lists_what_is_near_the_device(browser, offline_url, example):
    school = next(s for s in example.schools.values() if s.postcode == SCHOOL_POSTCODE)
    here = {"latitude": float(school.latitude), "longitude": float(school.longitude)}
    page, log = open_page(browser, geolocation=here, permissions=["geolocation"])
    page.goto(offline_url + "map/")
    page.wait_for_selector(".leaflet-marker-icon")
    page.click("#dlp-locate")
    page.wait_for_selector("#dlp-results:not([hidden])")
    assert page.text_content(".dlp-results__heading") == "Support near your location"
    own = {p.title for p in example.projects_of(school.partnership_id)}
    projects = page.locator("#dlp-results .dlp-result:not(.dlp-result--school) .dlp-result__title a")
    assert {projects.nth(i).text_content() for i in range(len(own))} == own
    assert log.page_errors == [] and not [u for u in log.requests if "52.4" in u]  # nothing sent


def test_markers_work_from_the_keyboard(browser, offline_url):
    page, _ = _load(browser, offline_url)
    page.select_option("#m-layer", "projects")
    name = _names(page)["map"]
    page.evaluate(f"window['{name}'].setZoom(16)")
    page.wait_for_timeout(400)
    marker = page.locator(".leaflet-marker-icon.dlp-pin").first
    marker.focus()
    assert marker.get_attribute("role") == "button" and marker.get_attribute("title").startswith("Project: ")
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup-content a")


def test_school_popups_name_the_themes_of_their_partnerships_projects(browser, offline_url, example):
    page, _ = _load(browser, offline_url)
    school = next(s for s in example.schools.values() if s.postcode == SCHOOL_POSTCODE)
    text = page.evaluate(f"""() => {{
        const cluster = window[JSON.parse(document.getElementById('dlp-map-block').dataset.names).cluster];
        const marker = cluster.getLayers().find(m => m.options.title === 'School: ' + {school.name!r});
        return marker.getPopup().getContent()().textContent;
    }}""")
    themes = sorted({example.themes[t] for p in example.projects_of(school.partnership_id) for t in p.themes})
    assert school.name in text and "Taking part: Yes" in text
    assert all(name in text for name in themes)


def test_no_axe_violations_after_a_search_with_a_popup_and_the_layer_list_open(browser, offline_url):
    """The gate checks the map as it loads; this checks the states a parent gets it into."""
    page, log = _load(browser, offline_url)
    page.fill("#dlp-find-input", SCHOOL_POSTCODE)
    page.press("#dlp-find-input", "Enter")
    page.wait_for_selector("#dlp-results:not([hidden])")
    _settled(page)
    page.evaluate("document.querySelector('.leaflet-marker-icon.dlp-pin, .leaflet-marker-icon.dlp-dot').click()")
    page.wait_for_selector(".leaflet-popup-content")
    page.hover(".leaflet-control-layers")
    page.wait_for_selector(".leaflet-control-layers-expanded")
    _settled(page)
    violations = axe_violations(page)
    assert violations == []
    assert log.console_errors == [] and log.page_errors == []


def test_fits_a_360px_phone(browser, offline_url):
    page, log = _load(browser, offline_url, width=360, height=740)
    page.fill("#dlp-find-input", SCHOOL_POSTCODE)
    page.press("#dlp-find-input", "Enter")
    page.wait_for_selector("#dlp-results:not([hidden])")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = page.locator(".dlp-map").bounding_box()
    assert box["width"] <= 360 and box["height"] >= 300
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map-360px.png"), full_page=True)
    page.locator(".dlp-map-frame").screenshot(path=str(ARTIFACTS / "map-360px-map.png"))
    assert log.console_errors == []


def test_with_tiles_on_and_no_network_only_tiles_fail(browser, tmp_path_factory, example):
    site = _build(tmp_path_factory, "tiles", ROOT / "data")  # the example: openstreetmap tiles
    with serve(site) as url:
        page, log = _load(browser, url)
        external = {u.split("/")[2] for u in log.requests if not u.startswith("http://127.0.0.1")}
        assert external == {"tile.openstreetmap.org"}
        assert all("tile.openstreetmap.org" in u for u in log.failed)
        assert log.page_errors == []
        assert page.locator("path.leaflet-interactive").count() > 0
        assert page.locator(".leaflet-control-attribution").text_content().endswith("OpenStreetMap contributors")


def test_hostile_text_stays_text_in_popups_tooltips_and_results(browser, tmp_path_factory):
    site = _build(tmp_path_factory, "hostile-map", OTHERTOWN, hostile=True)
    with serve(site) as url:
        page, log = _load(browser, url)
        names = _names(page)
        # Open every marker's popup, and every area's tooltip and popup (Folium binds those
        # on the GeoJSON layer, which opens them for one of its features at a time).
        opened = page.evaluate(f"""() => {{
            const map = window['{names['map']}'];
            const seen = {{tooltips: [], popups: [], markers: [], injected: 0}};
            window['{names['cluster']}'].getLayers().forEach(m => {{
                L.popup().setLatLng(m.getLatLng()).setContent(m.getPopup().getContent()).openOn(map);
                const content = document.querySelector('.leaflet-popup-content');
                seen.markers.push(content.textContent);
                seen.injected += content.querySelectorAll('img, script, b').length;
            }});
            Object.keys({names!r}).filter(k => k.startsWith('areas_')).forEach(k => {{
                const group = window[{names!r}[k]];
                map.addLayer(group);
                group.eachLayer(g => g.eachLayer(l => {{
                    l.fire('mouseover', {{latlng: l.getCenter()}}, true);
                    seen.tooltips.push(document.querySelector('.leaflet-tooltip').textContent);
                    l.fire('click', {{latlng: l.getCenter()}}, true);
                    seen.popups.push(document.querySelector('.leaflet-popup-content').textContent);
                }}));
            }});
            return seen;
        }}""")
        page.fill("#dlp-find-input", "DY1 1AA")
        page.press("#dlp-find-input", "Enter")
        page.wait_for_selector("#dlp-results:not([hidden])")
        page.wait_for_timeout(300)
        assert log.dialogs == [] and log.page_errors == []
        injected = page.evaluate("""() => document.querySelectorAll(`.leaflet-pane img[src="x"],
            .leaflet-pane script, .leaflet-pane b, #dlp-results img, #dlp-results script`).length""")
        assert injected == 0
        assert "<script>alert('xss-script')</script>" in page.text_content("#dlp-results")
        for text in opened["tooltips"] + opened["popups"]:
            assert "<img src=x onerror=alert('xss-img')>" in text and "{{ 7 * 7 }}" in text
        assert len(opened["tooltips"]) == len(opened["popups"]) == 2  # one area per kind
        assert len(opened["markers"]) == 6 and opened["injected"] == 0  # 2 projects, 4 schools
        assert all("<script>alert('xss-script')</script>" in text for text in opened["markers"])
