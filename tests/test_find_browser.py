"""A parent's journeys, "Find support near you" to results, in a real browser (Debian Chromium)
on a phone (360 x 740, touch) and a school office desktop (1280 x 800), for the example and
for another council's data (othertown).

From the home page: a full postcode, an outward code ("B27") and a school's name chosen from
the suggestions with the keyboard each lead to results on the map page whose address can be
shared, and no request that reaches the web server carries what was typed. Results say who a
project is for, what it offers, its status in words, how far it is and how to get it. A new
search clears the old results, an unknown postcode too. Over the map one finger and the mouse
wheel scroll the page and leave the map where it was. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

from dlp_site.model.labels import PHASE_LABELS, RAG_LABELS
from dlp_site.pipeline import check

from .browser import ARTIFACTS, open_page, serve
from .conftest import OTHERTOWN, ROOT
from .gate import axe_violations

SIZES = {"phone": (360, 740), "desktop": (1280, 800)}


@dataclass
class Journey:
    """One council's site and what a parent there would type."""

    name: str
    url: str
    received: list[str]  # every request line (and Referer) the web server received
    site: object  # the checked Site
    postcode: str  # a school's postcode
    outward: str
    school_typed: str  # part of one school's name, matching no other
    school_urn: str


@pytest.fixture(scope="module", params=["example", "othertown"])
def journey(request, tmp_path_factory):
    if request.param == "example":
        built: Path = request.getfixturevalue("gate_site")
        site, _ = check(request.getfixturevalue("gate_data"), ROOT / "geo")
        facts = ("B27 6DH", "B27", "acocks mulberry", "900130")
    else:
        built = request.getfixturevalue("othertown_site")
        site, _ = check(OTHERTOWN, None)
        facts = ("DY1 1AA", "DY1", "stourside br", "800001")
    received: list[str] = []
    with serve(built, received) as url:
        yield Journey(request.param, url, received, site, *facts)


def _school(j: Journey):
    return next(s for s in j.site.schools.values() if str(s.urn) == j.school_urn)


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _open(browser, size: str, **kwargs):
    width, height = SIZES[size]
    touch = {"has_touch": True, "is_mobile": True} if size == "phone" else {}
    return open_page(browser, width=width, height=height, **touch, **kwargs)


def _search_from_home(page, j: Journey, typed: str) -> None:
    page.goto(j.url)
    page.fill("#dlp-find-input", typed)
    page.press("#dlp-find-input", "Enter")
    page.wait_for_selector("#dlp-results:not([hidden])")


def _nothing_typed_was_sent(j: Journey, *typed: str) -> None:
    assert j.received, "the server saw the pages being loaded"
    for text in typed:
        for form in {text, text.replace(" ", ""), quote(text), text.replace(" ", "+")}:
            assert not [r for r in j.received if form.lower() in r.lower()], form


def _cards(page) -> list[dict]:
    """Each project result: its title and its facts by label."""
    return page.eval_on_selector_all("#dlp-results .dlp-result:not(.dlp-result--school)", """cards => cards.map(c => ({
        title: c.querySelector('.dlp-result__title').textContent.trim(),
        distance: (c.querySelector('.dlp-result__distance') || {textContent: ''}).textContent,
        text: c.textContent,
        facts: Object.fromEntries([...c.querySelectorAll('dt')].map(
            dt => [dt.textContent, dt.nextElementSibling.textContent.trim()])),
    }))""")


@pytest.mark.parametrize("size", SIZES)
def test_home_search_by_postcode_gives_results_that_answer_is_this_for_my_child(browser, journey, size):
    j = journey
    j.received.clear()
    page, log = _open(browser, size)
    page.goto(j.url)
    # The form is in the page, with the sentence on how families get support and the contact.
    how = page.text_content(".dlp-find__how")
    assert "SENCO" in how and (j.site.programme.contact_email or "") in how
    _shot(page, f"find-{j.name}-{size}-home")
    _search_from_home(page, j, j.postcode.lower().replace(" ", ""))  # as people type it
    assert page.url == f"{j.url}map/#near={quote(j.postcode)}"  # an address to share
    assert page.text_content(".dlp-results__heading") == f"Support near {j.postcode}"
    assert page.evaluate("document.activeElement.classList.contains('dlp-results__heading')")
    school = _school(j)
    own = [p for p in j.site.projects_of(school.partnership_id)]
    cards = _cards(page)
    assert {c["title"] for c in cards[:len(own)]} == {p.title for p in own}  # the school's own first
    first = cards[0]
    project = next(p for p in own if p.title == first["title"])
    partnership = j.site.partnerships[school.partnership_id]
    assert first["distance"] == "Less than 0.1 miles away."
    assert first["facts"]["Who it is for"] == ", ".join(PHASE_LABELS[ph] for ph in j.site.phases_of(project))
    assert first["facts"]["Themes"] == "; ".join(j.site.themes[t] for t in project.themes)
    assert first["facts"]["Status"] == RAG_LABELS[project.status]
    assert "SENCO" in first["facts"]["How to get it"]
    if partnership.contact_email:
        assert partnership.contact_email in first["facts"]["How to get it"]
    assert project.summary.split(".")[0] in first["text"]  # one line of what it offers
    citywide = {p.title for p in j.site.projects_in_area(None)}
    assert citywide <= {c["title"] for c in cards}
    _shot(page, f"find-{j.name}-{size}-postcode-results")
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size][0]
    _nothing_typed_was_sent(j, j.postcode)
    assert log.console_errors == [] and log.page_errors == [] and log.csp_violations == []


@pytest.mark.parametrize("size", SIZES)
def test_home_search_by_outward_code(browser, journey, size):
    j = journey
    page, log = _open(browser, size)
    _search_from_home(page, j, j.outward.lower())
    assert page.url.endswith(f"map/#near={j.outward}")
    assert page.text_content(".dlp-results__heading") == f"Support near {j.outward}"
    assert f"{j.outward} is a postcode district" in page.text_content("#dlp-results-note")
    school = _school(j)
    assert {p.title for p in j.site.projects_of(school.partnership_id)} <= {c["title"] for c in _cards(page)}
    _shot(page, f"find-{j.name}-{size}-outward-results")
    assert log.page_errors == []


@pytest.mark.parametrize("size", SIZES)
def test_home_search_by_school_name_with_the_keyboard(browser, journey, size):
    j = journey
    j.received.clear()
    school = _school(j)
    page, log = _open(browser, size)
    page.goto(j.url)
    box = page.locator("#dlp-find-input")
    box.focus()
    page.keyboard.type(j.school_typed, delay=20)
    page.wait_for_selector("#dlp-find-options:not([hidden]) [role=option]")
    assert box.get_attribute("aria-expanded") == "true"
    assert page.locator("#dlp-find-options [role=option]").all_inner_texts()[0].startswith(school.name)
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "dlp-find-options-0"
    assert page.get_attribute("#dlp-find-options-0", "aria-selected") == "true"
    page.wait_for_function("() => document.getElementById('dlp-find-status').textContent.includes('1 school matches')")
    _shot(page, f"find-{j.name}-{size}-school-suggestions")
    page.keyboard.press("Enter")  # chooses the suggestion
    assert box.input_value() == school.name and box.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")  # searches
    page.wait_for_selector("#dlp-results:not([hidden])")
    assert page.url == f"{j.url}map/#school={quote(school.name)}"
    assert page.text_content(".dlp-results__heading") == f"Support for children at {school.name}"
    partnership = j.site.partnerships[school.partnership_id]
    assert partnership.name in page.text_content("#dlp-results-note")
    # Every project its partnership runs, and every city-wide one, and nothing else.
    expected = {p.title for p in j.site.projects_of(school.partnership_id)} | {
        p.title for p in j.site.projects_in_area(None)}
    assert sorted(c["title"] for c in _cards(page)) == sorted(expected)
    _shot(page, f"find-{j.name}-{size}-school-results")
    _nothing_typed_was_sent(j, j.school_typed, school.name)
    assert log.console_errors == [] and log.page_errors == []


def test_a_city_wide_schools_results_are_its_partnerships_projects(browser, journey):
    j = journey
    school = next((s for s in j.site.schools.values()
                   if j.site.partnerships[s.partnership_id].kind == "citywide"), None)
    if school is None:
        pytest.skip(f"{j.name} has no school in a city-wide partnership")
    page, _ = _open(browser, "desktop")
    page.goto(f"{j.url}map/#school={school.urn}")  # the school choices link by URN
    page.wait_for_selector("#dlp-results:not([hidden])")
    titles = sorted(c["title"] for c in _cards(page))
    assert titles == sorted(p.title for p in j.site.projects_of(school.partnership_id))
    assert len(page.locator("#dlp-results h3").all()) == 1  # no second "City-wide projects" group


@pytest.mark.parametrize("size", SIZES)
def test_a_new_search_clears_the_old_results_and_an_unknown_postcode_does_too(browser, journey, size):
    j = journey
    page, log = _open(browser, size)
    page.goto(f"{j.url}map/#near={quote(j.postcode)}")
    page.wait_for_selector("#dlp-results:not([hidden])")
    assert _cards(page)
    page.fill("#dlp-find-input", "ZZ9 9ZZ")
    page.press("#dlp-find-input", "Enter")
    page.wait_for_function("() => document.getElementById('dlp-find-error').textContent !== ''")
    assert "Sorry, we couldn't find ZZ9 9ZZ" in page.text_content("#dlp-find-error")
    assert page.is_hidden("#dlp-results") and page.text_content("#dlp-results-body") == ""
    assert page.get_attribute("#dlp-find-input", "aria-invalid") == "true"
    _shot(page, f"find-{j.name}-{size}-unknown-postcode")
    school = _school(j)
    page.fill("#dlp-find-input", school.name)
    page.press("#dlp-find-input", "Enter")
    page.wait_for_selector("#dlp-results:not([hidden])")
    assert page.text_content("#dlp-find-error") == ""
    assert page.get_attribute("#dlp-find-input", "aria-invalid") is None
    assert "miles away" not in page.text_content("#dlp-results")  # nothing left of the postcode's
    # The address kept each search: Back gives the unknown postcode's message, then the
    # first postcode's results again.
    page.go_back()
    page.wait_for_function("() => document.getElementById('dlp-find-error').textContent.includes('ZZ9 9ZZ')")
    assert page.is_hidden("#dlp-results")
    page.go_back()
    page.wait_for_function("() => document.querySelector('.dlp-results__heading').textContent === "
                           f"'Support near {j.postcode}' && !document.getElementById('dlp-results').hidden")
    assert log.page_errors == []



@pytest.mark.parametrize("size", SIZES)
def test_axe_finds_nothing_after_a_search_nor_with_the_suggestions_open(browser, journey, size):
    """The gate checks each page as it loads; this checks the map page in the states a search
    leaves it in: results shown (with the map's pins), then the school suggestions open."""
    j = journey
    page, log = _open(browser, size)
    _search_from_home(page, j, j.postcode)
    page.wait_for_selector(".leaflet-marker-icon")
    assert axe_violations(page) == []
    page.fill("#dlp-find-input", j.school_typed)
    page.wait_for_selector("#dlp-find-options:not([hidden]) [role=option]")
    assert axe_violations(page) == []
    _shot(page, f"find-{j.name}-{size}-axe-suggestions")
    assert log.page_errors == [] and log.csp_violations == []

def _map_view(page) -> list:
    return page.evaluate("""() => {
        const names = JSON.parse(document.getElementById('dlp-map-block').dataset.names);
        const map = window[names.map];
        return [map.getCenter().lat, map.getCenter().lng, map.getZoom()];
    }""")


def _map_in_view(page, j: Journey, size: str):
    page.goto(j.url + "map/")
    page.wait_for_selector(".leaflet-marker-icon")
    page.evaluate("""() => {
        const box = document.querySelector('.dlp-map').getBoundingClientRect();
        window.scrollTo(0, scrollY + box.top - 60);
    }""")
    page.wait_for_timeout(200)
    box = page.locator(".dlp-map").bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_one_finger_over_the_map_scrolls_the_page_and_leaves_the_map(browser, journey):
    """CDP Input.synthesizeScrollGesture with touch input scrolls nothing in this headless
    Chromium, not even a plain page (FIELD-NOTES); raw touch events are what a finger sends."""
    j = journey
    page, log = _open(browser, "phone")
    x, y = _map_in_view(page, j, "phone")
    before, top = _map_view(page), page.evaluate("scrollY")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - 20 * step}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(500)
    assert page.evaluate("scrollY") - top >= 150  # the page moved with the finger
    assert _map_view(page) == before  # and the map did not
    _shot(page, f"find-{j.name}-phone-after-swipe")
    assert log.page_errors == []


def test_the_wheel_over_the_map_scrolls_the_page_unless_ctrl_is_held(browser, journey):
    j = journey
    page, log = _open(browser, "desktop")
    x, y = _map_in_view(page, j, "desktop")
    before, top = _map_view(page), page.evaluate("scrollY")
    page.mouse.move(x, y)
    page.mouse.wheel(0, 300)
    page.wait_for_function(f"() => scrollY > {top}")
    assert page.evaluate("scrollY") - top >= 200 and _map_view(page) == before
    # With Ctrl held the wheel zooms the map (its first turn included) and the page stays.
    x, y = _map_in_view(page, j, "desktop")
    top = page.evaluate("scrollY")
    page.mouse.move(x, y)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -200)
    page.keyboard.up("Control")
    page.wait_for_timeout(600)
    assert _map_view(page)[2] > before[2] and page.evaluate("scrollY") == top
    assert log.page_errors == []


def test_without_javascript_the_map_page_leads_with_its_list(browser, journey):
    j = journey
    page, _ = _open(browser, "phone", java_script_enabled=False)
    page.goto(j.url + "map/")
    assert page.is_hidden("#dlp-map-block") and page.is_hidden("#dlp-find-form")
    notice = page.locator("noscript >> xpath=..").locator(".dlp-notice")
    assert "map need JavaScript" in notice.text_content()
    list_top = page.locator("#dlp-map-list").bounding_box()["y"]
    assert notice.bounding_box()["y"] < list_top < 1400  # the note, then the list, near the top
    _shot(page, f"find-{j.name}-phone-no-javascript")
    page.goto(j.url)
    assert page.is_hidden("#dlp-find-form") and "search needs JavaScript" in page.text_content(".dlp-notice")


# Layout shifts (the web's "cumulative layout shift"), summed as Chromium reports them from
# the first paint until the page's scripts have finished setting it up. 0.1 is the line the
# web's own guidance draws between a page that stays put and one that jumps under a finger.
LAYOUT_SHIFTS = """
window.__shifts = 0;
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) { if (!e.hadRecentInput) window.__shifts += e.value; });
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_pages_do_not_jump_when_their_scripts_start(browser, journey, size):
    """Controls that need a script (the search, the filters, the map) are in the page from its
    first paint, so nothing moves under a reader's finger when the scripts start."""
    j = journey
    page, log = _open(browser, size)
    page.add_init_script(LAYOUT_SHIFTS)
    shifts = {}
    for address, ready in (("", "#dlp-find-form"), ("map/", ".leaflet-marker-icon"),
                           ("projects/", "form.dlp-filters"), ("embed/map/", ".leaflet-marker-icon")):
        page.goto(j.url + address)
        page.wait_for_selector(ready)
        page.wait_for_load_state("networkidle")
        shifts[address or "home"] = round(page.evaluate("window.__shifts"), 3)
    assert all(value < 0.1 for value in shifts.values()), shifts
    assert log.page_errors == []


def test_skip_links_reach_the_search_and_the_list(browser, journey):
    j = journey
    page, _ = _open(browser, "desktop")
    page.goto(j.url + "map/")
    page.wait_for_selector(".leaflet-marker-icon")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "dlp-find-input"
    to_list = page.locator('a.dlp-skip[href="#dlp-map-list"]').first
    to_list.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#dlp-map-list"
    assert page.locator("#dlp-map-list").bounding_box()["y"] < 200


def test_area_outlines_are_not_tab_stops_and_map_targets_are_44px(browser, journey):
    j = journey
    page, _ = _open(browser, "phone")
    page.goto(j.url + "map/")
    page.wait_for_selector(".leaflet-marker-icon")
    outlines = page.eval_on_selector_all("path.leaflet-interactive", "ps => ps.map(p => p.getAttribute('tabindex'))")
    assert outlines and set(outlines) == {"-1"}
    for selector in (".leaflet-control-zoom-in", ".leaflet-control-zoom-out", ".leaflet-control-layers-toggle",
                     ".leaflet-marker-icon"):
        box = page.locator(selector).first.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, selector
    scale = page.locator(".leaflet-control-scale").bounding_box()
    credits = page.locator(".leaflet-control-attribution").bounding_box()
    assert scale["x"] + scale["width"] <= credits["x"] or credits["y"] + credits["height"] <= scale["y"]
    # A popup opened near the top left corner is moved clear of the zoom buttons.
    page.evaluate("""() => {
        const names = JSON.parse(document.getElementById('dlp-map-block').dataset.names);
        const map = window[names.map];
        const marker = window[names.cluster].getLayers()[0];
        map.setView(marker.getLatLng(), 18, {animate: false});
        map.panBy([map.getSize().x / 2 - 30, map.getSize().y / 2 - 30], {animate: false});
        window[names.cluster].zoomToShowLayer(marker, () => marker.openPopup());
    }""")
    page.wait_for_selector(".leaflet-popup-content")
    page.wait_for_timeout(600)
    popup = page.locator(".leaflet-popup-content-wrapper").bounding_box()
    zoom = page.locator(".leaflet-control-zoom").bounding_box()
    close = page.locator(".leaflet-popup-close-button").bounding_box()
    assert close["width"] >= 44 and close["height"] >= 44
    overlap_x = min(popup["x"] + popup["width"], zoom["x"] + zoom["width"]) - max(popup["x"], zoom["x"])
    overlap_y = min(popup["y"] + popup["height"], zoom["y"] + zoom["height"]) - max(popup["y"], zoom["y"])
    assert overlap_x <= 0 or overlap_y <= 0, (popup, zoom)
    frame = page.locator(".dlp-map").bounding_box()  # and is not cut off at the map's edges
    assert frame["x"] <= popup["x"] and popup["x"] + popup["width"] <= frame["x"] + frame["width"], (popup, frame)
    assert close["x"] + close["width"] <= frame["x"] + frame["width"]
    # Nor does its end run under the scale or the credits: a tall one scrolls inside.
    assert popup["y"] + popup["height"] <= min(scale["y"], credits["y"]), (popup, scale, credits)
    assert axe_violations(page) == []  # a popup that scrolls can be scrolled from the keyboard
    page.locator(".dlp-map-frame").screenshot(path=str(ARTIFACTS / f"find-{j.name}-phone-popup.png"))
