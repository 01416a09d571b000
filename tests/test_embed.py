"""The embeddable map (embed/map/) as a council's Local Offer page would use it: the code the map
page offers, pasted into a page on another origin, in a real Chromium.

The site and the "council's page" are served on two ports of 127.0.0.1, so the frame is
cross-origin exactly as on the web (a different port is a different origin). The code is taken
from the map page as a person would copy it, with the example's public address swapped for the
test server's."""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from dlp_site.pipeline import check
from dlp_site.render.quality import AXE_TAGS

from .browser import ARTIFACTS, open_page, serve
from .conftest import OTHERTOWN, ROOT
from .gate import AXE_RUN, inject_axe

PUBLIC = "https://dlp.example.org"  # data/programme.yml's site_url
SIZES = {"phone": (360, 740), "desktop": (1280, 800)}


@pytest.fixture(scope="module")
def example(gate_data: Path):
    site, _ = check(gate_data, ROOT / "geo")
    return site


def _code(browser, gate_url: str, query: str = "") -> str:
    """The embed code as the map page shows it after choosing filters (its address's query)."""
    page, _ = open_page(browser, width=1280, height=800)
    try:
        page.goto(f"{gate_url}map/{query}")
        page.locator("#dlp-embed").scroll_into_view_if_needed()  # its script loads when it is in view
        page.wait_for_selector("#dlp-embed-copy:not([hidden])")
        return page.text_content("#dlp-embed-code")
    finally:
        page.context.close()


@pytest.fixture
def council(tmp_path: Path, gate_url: str):
    """A council's page on another origin holding the pasted code; yields a function that
    writes the page around some code and returns its address."""
    site_origin = gate_url.rstrip("/")
    with serve(tmp_path) as host_url:
        assert urlsplit(host_url).port != urlsplit(gate_url).port  # another origin

        def page_with(code: str) -> str:
            pasted = code.replace(PUBLIC, site_origin)
            (tmp_path / "local-offer.html").write_text(
                "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>SEND Local Offer</title>"
                "<meta name='viewport' content='width=device-width'></head><body><main><h1>Support for "
                f"autistic children</h1><p>Projects in our schools:</p>{pasted}<p>After the map.</p>"
                "</main></body></html>",
                encoding="utf-8")
            return f"{host_url}local-offer.html"

        yield page_with


def _frame(page):
    page.wait_for_selector("#dlp-map-embed")
    frame = page.frame_locator("#dlp-map-embed")
    frame.locator("#dlp-map-rows tr").first.wait_for(state="attached")
    return next(f for f in page.frames if f.url.split("?")[0].endswith("/embed/map/"))


def _fits(page, frame) -> None:
    """The frame is as tall as its page: it grew, and nothing scrolls inside it. The page
    settles (the map, fonts, results) while the height travels, so compare the two afresh
    until they agree (polled; no timing is asserted)."""
    outer = "document.getElementById('dlp-map-embed').getBoundingClientRect().height"
    inner = "document.body.getBoundingClientRect().height"
    for _ in range(100):
        if abs(page.evaluate(outer) - frame.evaluate(inner)) <= 1:
            break
        page.wait_for_timeout(100)
    assert abs(page.evaluate(outer) - frame.evaluate(inner)) <= 1, (page.evaluate(outer), frame.evaluate(inner))
    assert frame.evaluate("document.documentElement.scrollHeight <= window.innerHeight + 1")


def test_the_embed_page_has_the_map_and_none_of_the_sites_frame(gate_site: Path):
    page = (gate_site / "embed" / "map" / "index.html").read_text(encoding="utf-8")
    for chrome in ("md-header", "md-tabs", "md-sidebar", "md-footer", "md-search"):
        assert f'class="{chrome}' not in page and f" {chrome}" not in page, chrome
    for part in ('id="dlp-find-form"', 'id="dlp-map-block"', 'id="dlp-map-list"', "map/local-offer.js",
                 "assets/dlp-site/embed.js", '<meta name="robots" content="noindex">'):
        assert part in page, part
    # Its searches stay in the frame: the form leads to this page, not to the map page.
    assert 'data-dlp-find="./"' in page or 'data-dlp-find="."' in page


@pytest.mark.parametrize("size", SIZES)
def test_the_code_from_the_map_page_embeds_the_filtered_map_on_another_origin(browser, gate_url, council, example,
                                                                              size):
    theme = next(t for t in example.themes if 0 < len(example.projects_with_theme(t)) < len(example.projects))
    code = _code(browser, gate_url, f"?theme={theme}")
    assert f'src="{PUBLIC}/embed/map/?theme={theme}"' in code  # the filter chosen on the map page
    assert f'event.origin === "{PUBLIC}"' in code
    assert 'title="' in code
    width, height = SIZES[size]
    page, log = open_page(browser, width=width, height=height)
    try:
        page.goto(council(code))
        frame = _frame(page)
        # map.js applies the filters once its markers are made, a slice of work at a time, and
        # then says what is shown: wait for that, not for the page's height, which may settle first.
        frame.wait_for_function("() => document.getElementById('dlp-map-status').textContent !== ''")
        _fits(page, frame)
        assert frame.evaluate("window.innerHeight") > 900  # grew past the code's starting height
        # The theme in the address applies: only its projects are listed.
        shown = frame.eval_on_selector_all("#dlp-map-rows tr[data-layer=projects]",
                                           "rows => rows.filter(r => !r.hidden).map(r => r.dataset.themes)")
        assert shown and all(theme in themes.split() for themes in shown)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"embed-{size}.png"), full_page=False)

        # A search in the frame: results in the frame, and the frame grows with them.
        before = frame.evaluate("document.body.getBoundingClientRect().height")
        school = min(example.schools.values(), key=lambda s: s.urn)
        frame.fill("#dlp-find-input", school.postcode)
        frame.press("#dlp-find-input", "Enter")
        frame.wait_for_selector("#dlp-results:not([hidden])")
        assert frame.url.split("#")[0].endswith(f"/embed/map/?theme={theme}")  # still the embed, still filtered
        _fits(page, frame)
        assert frame.evaluate("document.body.getBoundingClientRect().height") > before
        page.screenshot(path=str(ARTIFACTS / f"embed-{size}-results.png"), full_page=True)

        # axe in the frame, after the search (WCAG 2.0-2.2 A and AA).
        inject_axe(frame)
        result = frame.evaluate(AXE_RUN, [tag for tag, _ in AXE_TAGS])
        assert [v["id"] for v in result["violations"]] == []

        # Nothing from a third party, no blocked script, no errors.
        assert [u for u in log.requests if urlsplit(u).hostname != "127.0.0.1"] == []
        assert log.csp_violations == [] and log.console_errors == [] and log.page_errors == []

        # A project's page opens in the whole window, not in the box.
        link = frame.locator("#dlp-map-rows tr[data-layer=projects] th a").first
        href = link.get_attribute("href")
        with page.expect_navigation():
            link.click()
        assert page.url.startswith(gate_url) and "/projects/" in page.url, page.url
        assert html.unescape(href).strip("./").split("/")[-2] in page.url
    finally:
        page.context.close()


def test_opened_on_its_own_the_embed_page_is_an_ordinary_page(browser, gate_url):
    """Not in a frame, embed.js stays out of the way: it sends no height messages (to itself),
    and links open in the same tab, as usual."""
    page, log = open_page(browser, width=1280, height=800)
    try:
        page.add_init_script("window.__heights = []; window.addEventListener('message', e => "
                             "e.data && e.data.type === 'dlp-site:height' && window.__heights.push(e.data.height));")
        page.goto(f"{gate_url}embed/map/")
        page.wait_for_selector("#dlp-map-block:not([hidden])")
        page.wait_for_load_state("load")
        page.wait_for_timeout(200)  # a message posted at load is delivered after a turn of the event loop
        assert page.evaluate("window.__heights") == []
        link = page.locator("#dlp-map-rows tr[data-layer=projects] th a").first
        link.click()
        page.wait_for_url("**/projects/**")
        assert len(page.context.pages) == 1
        assert log.console_errors == [] and log.page_errors == []
    finally:
        page.context.close()


def test_the_embed_honours_the_maps_address_parameters(browser, gate_url, example):
    """A Local Offer page about one area (or one kind of partnership) embeds the map filtered
    to it: ?area=, ?kind=, ?theme= and ?show= work as on the map page. A city-wide project is
    open to families in every area, so it stays in an area's list."""
    area = next(iter(example.areas))
    page, log = open_page(browser, width=1280, height=800)
    try:
        page.goto(f"{gate_url}embed/map/?area={area}&show=projects")
        page.wait_for_selector("#dlp-map-block:not([hidden])")
        assert page.input_value("#m-area") == area and page.input_value("#m-layer") == "projects"
        shown = page.eval_on_selector_all("#dlp-map-rows tr[data-layer]:not([hidden])", "rows => rows.map(r => r.id)")
        expected = {f"map-project-{p.project_id}" for p in example.projects_in_area(area)}
        expected |= {f"map-project-{p.project_id}" for p in example.projects_in_area(None)}
        assert set(shown) == expected
        page.goto(f"{gate_url}embed/map/?kind=secondary_network&show=schools")
        page.wait_for_selector("#dlp-map-block:not([hidden])")
        shown = page.eval_on_selector_all("#dlp-map-rows tr[data-layer]:not([hidden])", "rows => rows.map(r => r.id)")
        assert set(shown) == {f"map-school-{s.urn}" for s in example.schools.values()
                              if example.partnerships[s.partnership_id].kind == "secondary_network"}
        assert log.console_errors == [] and log.page_errors == []
    finally:
        page.context.close()


def test_a_council_without_site_url_gets_whole_code_that_embeds_its_own_map(browser, council, othertown_site: Path):
    """othertown's programme.yml has no site_url: the page can only write the frame's address
    relative to itself, and the browser makes it whole (embed-code.js) before it is copied."""
    site, _ = check(OTHERTOWN, None)
    theme = next(iter(site.themes))
    with serve(othertown_site) as url:
        code = _code(browser, url, f"?theme={theme}")
        origin = url.rstrip("/")
        assert f'src="{origin}/embed/map/?theme={theme}"' in code and f'event.origin === "{origin}"' in code
        page, log = open_page(browser, width=1280, height=800)
        try:
            page.goto(council(code))
            frame = _frame(page)
            _fits(page, frame)
            shown = frame.eval_on_selector_all("#dlp-map-rows tr[data-layer=projects]",
                                               "rows => rows.filter(r => !r.hidden).map(r => r.id)")
            assert set(shown) == {f"map-project-{p.project_id}" for p in site.projects_with_theme(theme)}
            assert [u for u in log.requests if urlsplit(u).hostname != "127.0.0.1"] == []
            assert log.csp_violations == [] and log.console_errors == [] and log.page_errors == []
        finally:
            page.context.close()
