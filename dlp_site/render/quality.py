"""What the quality gate checks, in one place.

The gate (tests/gate.py, tests/test_gate.py) runs exactly these checks, on exactly these pages,
and the accessibility statement (templates/accessibility.md.j2) is generated from the same
tables, so the statement cannot claim a test that does not run.

To gate a new kind of page, add one line to PAGE_TYPES with the address of one such page in
the example site built from data/ (tests fail if a generated page template has no entry).
"""

from __future__ import annotations

from dataclasses import dataclass

# Pinned in package.json (npm ci installs them); a test checks the two agree.
AXE_CORE_VERSION = "4.14.1"
VNU_VERSION = "26.9.27"
BROWSER = "Chromium (Debian's package), headless"

# axe-core rule tags: every rule for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
# (axe has no "wcag22a" tag: WCAG 2.2's new level A criteria are not automatable.)
AXE_TAGS: tuple[tuple[str, str], ...] = (
    ("wcag2a", "WCAG 2.0 level A"),
    ("wcag2aa", "WCAG 2.0 level AA"),
    ("wcag21a", "WCAG 2.1 level A"),
    ("wcag21aa", "WCAG 2.1 level AA"),
    ("wcag22aa", "WCAG 2.2 level AA"),
)


@dataclass(frozen=True)
class PageType:
    key: str
    label: str  # plain English, for the accessibility statement
    example: str  # address of one such page in the example site, relative to its root


PAGE_TYPES: tuple[PageType, ...] = (
    PageType("home", "the home page", ""),
    PageType("map", "the Local Offer map (with its postcode search, filters and list)", "map/"),
    PageType("embed-map", "the embeddable map (the map page's body, for other websites' frames)", "embed/map/"),
    PageType("projects-index", "the list of projects", "projects/"),
    PageType("partnerships-index", "the list of partnerships", "partnerships/"),
    PageType("areas-index", "the list of areas", "areas/"),
    PageType("themes-index", "the list of themes", "themes/"),
    PageType("project", "a project", "projects/aston-nechells-inclusion/"),
    PageType("partnership", "a partnership", "partnerships/aston-nechells/"),
    PageType("area", "an area", "areas/central/"),
    PageType("theme", "a theme", "themes/semh/"),
    PageType("matrix", "the partnerships and themes table", "matrix/"),
    PageType("impact", "impact (the key performance indicators)", "impact/"),
    PageType("funding", "funding", "funding/"),
    PageType("engagement", "engagement", "engagement/"),
    PageType("open-data", "open data", "data/"),
    PageType("about", "about the figures", "about/"),
    PageType("glossary", "the glossary", "glossary/"),
    PageType("newsletters-index", "the list of newsletters", "newsletters/"),
    PageType("newsletter", "a newsletter", "newsletters/2022-07-20-summer-term-round-up/"),
    PageType("newsletter-category", "newsletters in one category", "newsletters/category/city-wide/"),
    PageType("newsletter-archive", "the newsletter archive", "newsletters/archive/2022/"),
    PageType("accessibility", "this accessibility statement", "accessibility/"),
    PageType("not-found", "the 'page not found' page", "404.html"),
)

# Where pages may fetch from. The site itself is served on LOCAL_HOST by the gate; map tiles
# are the one third-party exception, and only when programme.yml switches tiles on.
LOCAL_HOST = "127.0.0.1"
TILE_HOSTS: dict[str, tuple[str, ...]] = {
    "openstreetmap": ("tile.openstreetmap.org",),
    "none": (),
}


def allowed_hosts(tiles: str) -> frozenset[str]:
    """Hosts a page may request from, given programme.yml's map tiles setting."""
    return frozenset((LOCAL_HOST, *TILE_HOSTS[tiles]))


@dataclass(frozen=True)
class VnuAllowance:
    """One Nu HTML checker error we accept: its exact message, text its element must contain,
    and why. The gate fails if an allowance no longer matches anything, so none can rot."""

    message: str
    element: str
    reason: str


VNU_ALLOWED: tuple[VnuAllowance, ...] = (
    VnuAllowance(
        message="Attribute “autocomplete” is only allowed when the input type is “color”, “date”, "
        "“datetime-local”, “email”, “hidden”, “month”, “number”, “password”, “range”, “search”, "
        "“tel”, “text”, “time”, “url”, or “week”.",
        element='type="checkbox" id="__',
        reason="MkDocs Material's page template (not a block we can override) puts autocomplete=\"off\" "
        "on the hidden checkboxes that open its menu and search on phones, so that Firefox does not "
        "reopen them when you go Back. Browsers and screen readers ignore the attribute on a checkbox; "
        "removing it would mean copying the whole theme template.",
    ),
)


@dataclass(frozen=True)
class AxeException:
    """A rule relaxed for some elements in one state of a page that the gate's load-time check
    does not reach; stated on the accessibility statement as a known limitation."""

    rule: str
    selectors: tuple[str, ...]  # elements the rule is not run on
    where: str  # plain English: when it happens
    criterion: str
    reason: str


# States of the map a parent reaches after loading it (searching, zooming in, opening a popup):
# tests/test_map_browser.py runs axe there with these exceptions and nothing else. At load the
# gate runs every rule on every marker with no exception.
MAP_AXE_EXCEPTIONS: tuple[AxeException, ...] = (
    AxeException(
        rule="target-size",
        selectors=(".leaflet-marker-pane", ".leaflet-control-attribution"),
        where="the Local Offer map, zoomed in",
        criterion="2.5.8 Target Size (Minimum)",
        reason="Nearby pins are grouped into numbered circles, but when the map is zoomed in a pin "
        "can still sit closer than 24 pixels to its neighbour, or to the small credit links in the "
        "map's corner. Every pin's project or school, with its link, is also in the list below the "
        "map on the same page, with full-size links (the 'equivalent' exception of 2.5.8), and the "
        "credits are repeated under 'How this map is made'.",
    ),
)


@dataclass(frozen=True)
class Check:
    key: str  # tests/test_gate.py has a test_<key> for each
    title: str
    plain: str  # what it means for someone using the site


CHECKS: tuple[Check, ...] = (
    Check("axe", "Accessibility rules",
          "One page of every kind is opened in a web browser and checked against every WCAG 2.2 "
          "level A and AA rule that a computer can test."),
    Check("requests", "No tracking, nothing from other websites",
          "Every request a page makes is recorded: a page that loads anything from another website "
          "(a font, a script, a tracker) fails the check."),
    Check("console", "No script errors",
          "A page that reports any error in the browser's console fails the check."),
    Check("csp", "Only scripts the site ships can run",
          "Every page carries a Content-Security-Policy: the browser runs only the scripts the site "
          "ships (its script files, and the page theme's few small scripts, each allowed by its exact "
          "fingerprint), never any other script or event handler in a page, and fetches nothing from "
          "another website (map pictures excepted when the map has them). A page where the browser "
          "blocks anything under that policy fails the check."),
    Check("links", "Links work",
          "Every link from one page of the site to another, or to a place on a page, is followed "
          "and must lead somewhere."),
    Check("alt", "Images are described",
          "Every image must have a text alternative for people who cannot see it."),
    Check("html", "Valid HTML",
          "Every page is checked with the Nu HTML Checker, which screen readers and other "
          "assistive technology rely on; the only accepted exceptions are listed below."),
    Check("reproducible", "Same data, same website",
          "The site is built twice from the same data and the two must be identical, byte for "
          "byte, so a change to the site shows only what really changed."),
)
