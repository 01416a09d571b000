"""Every page readable on a 360x740 phone and a 1280x800 desktop, in real Chromium.

What a parent or a school office sees: no page scrolls sideways; tables never break a word and
stack into labelled rows on a phone (still tables to a screen reader); the long lists are
grouped, with contents, and their filters live in the address (and are hidden without
JavaScript); the partnerships x themes matrix keeps its headings in view; chart text is at
least 12 px as drawn; "Back to top" never covers a chart's key; the first use of every
abbreviation on a page is expanded. The example and the othertown fixture both; screenshots of
every page this work changed, at both sizes, in test-artifacts/readable/.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dlp_site.model.glossary import glossary
from dlp_site.pipeline import check
from dlp_site.render import quality
from dlp_site.render.formats import money, share

from .browser import ARTIFACTS, open_page, serve
from .conftest import OTHERTOWN, ROOT

PHONE = (360, 740)
DESKTOP = (1280, 800)
SHOTS = ARTIFACTS / "readable"

# Pages this work changed, with the part of each worth a second screenshot.
CHANGED = {
    "": ".dlp-kpis",
    "projects/": "#area-east",
    "impact/": "#dlp-kpi-list h3",
    "matrix/": ".dlp-matrix-wrap, .dlp-matrix-list",
    "funding/": ".dlp-chart-key",
    "engagement/": "figure.dlp-figure",
    "glossary/": ".dlp-glossary",
    "themes/semh/": "#contacts",
    "projects/cole-heath-send-training/": "figure.dlp-figure",
    "partnerships/cole-heath/": ".dlp-schools",
}


@contextmanager
def window(browser, size: tuple[int, int], **options) -> Iterator:
    """A page in a fresh browser window of this size (options go to the context), closed after."""
    page, _ = open_page(browser, width=size[0], height=size[1], **options)
    try:
        yield page
    finally:
        page.context.close()


@pytest.fixture(scope="module")
def othertown_url(othertown_site: Path):
    with serve(othertown_site) as url:
        yield url


def pages_of(site: Path) -> list[str]:
    """Every page of a built site, as addresses relative to its root."""
    return sorted(p.relative_to(site).as_posix().removesuffix("index.html") for p in site.rglob("*.html"))


# Measured in the page: how far the page itself scrolls sideways, and which element sticks out.
SIDEWAYS = """() => {
  const root = document.documentElement, extra = root.scrollWidth - root.clientWidth;
  if (extra <= 0) return null;
  const out = [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1);
  return extra + ' px wider, e.g. ' + out.slice(-3).map(el => el.tagName + '.' + el.className).join(', ');
}"""


# Tables that do not fit their box (they scroll inside it, with a cue): on a desktop, none should.
CRAMPED = """() => [...document.querySelectorAll('.dlp-table-wrap')].filter(w => w.scrollWidth > w.clientWidth + 1)
  .map(w => (w.getAttribute('aria-label') || '?') + ' needs ' + w.scrollWidth + ' px of ' + w.clientWidth)"""


def sideways(browser, base: str, addresses: list[str], size: tuple[int, int], tables: bool = False) -> list[str]:
    """Pages that scroll sideways at this size (and with `tables`, tables that overflow their box)."""
    problems = []
    with window(browser, size) as page:
        for address in addresses:
            page.goto(base + address, wait_until="load")
            found = page.evaluate(SIDEWAYS)
            if found:
                problems.append(f"{address or '/'}: {found}")
            if tables:
                problems += [f"{address or '/'}: {t}" for t in page.evaluate(CRAMPED)]
    return problems


def test_no_page_of_the_example_scrolls_sideways_on_a_phone(browser, gate_site: Path, gate_url: str):
    addresses = pages_of(gate_site)
    assert len(addresses) > 100 and "glossary/" in addresses
    assert sideways(browser, gate_url, addresses, PHONE) == []


def test_no_page_of_othertown_scrolls_sideways_on_a_phone(browser, othertown_site: Path, othertown_url: str):
    assert sideways(browser, othertown_url, pages_of(othertown_site), PHONE) == []


def test_no_page_type_scrolls_sideways_on_a_desktop_nor_any_table_in_its_box(browser, gate_url: str):
    # The map page's own list is left to the map's work (issue 12's other half).
    addresses = [t.example for t in quality.PAGE_TYPES]
    assert sideways(browser, gate_url, addresses, DESKTOP) == []
    assert sideways(browser, gate_url, [a for a in addresses if a != "map/"], DESKTOP, tables=True) == []


# --- tables ------------------------------------------------------------------------------------

# Every word (split at spaces, hyphens and slashes, where a line may break) in the table cells
# of the page, with the number of line boxes it is drawn on: a word broken inside is on two.
BROKEN_WORDS = """selector => {
  const broken = [];
  for (const cell of document.querySelectorAll(selector)) {
    if (!cell.getClientRects().length) continue;  // not displayed
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/[^\\s\\-\\/]+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(m[0] + ' (' + cell.tagName + ')');
      }
    }
  }
  return broken;
}"""
CELLS = ".dlp-table-wrap th, .dlp-table-wrap td"


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "360"])
@pytest.mark.parametrize("address", ["projects/", "impact/", "", "themes/semh/", "funding/"])
def test_table_cells_never_break_a_word(browser, gate_url: str, address: str, size):
    with window(browser, size) as page:
        page.goto(gate_url + address, wait_until="load")
        assert page.locator(CELLS).count() > 10
        assert page.evaluate(BROKEN_WORDS, CELLS) == []


def test_on_a_phone_the_improvements_table_shows_every_column_labelled(browser, gate_url: str):
    with window(browser, PHONE) as page:
        page.goto(gate_url, wait_until="load")
        row = page.locator("table.dlp-kpis tbody tr").first
        assert row.locator("th .dlp-kpi-project a").is_visible()
        for label in ("Baseline", "Latest", "Change", "Outcome", "Pupils measured"):
            cell = row.locator(f'td[data-label="{label}"]')
            box = cell.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0], (label, box)
            drawn = cell.evaluate("c => getComputedStyle(c, '::before').content")
            assert label in drawn, (label, drawn)
        # Still a table to a screen reader: the column headers are in the accessibility tree.
        tree = page.locator("table.dlp-kpis").first.aria_snapshot()
        assert "- table" in tree and "- columnheader \"Latest\"" in tree and "- cell" in tree, tree
        # Nothing in any table scrolls sideways on this page: the wide ones stacked.
        wide = page.evaluate("() => [...document.querySelectorAll('.dlp-table-wrap')]"
                             ".filter(w => w.scrollWidth > w.clientWidth + 1).length")
        assert wide == 0


# --- long lists: grouped, with contents; filters in the address, hidden without JavaScript -----

VISIBLE_ROWS = "sel => [...document.querySelectorAll(sel + ' tbody tr')].filter(r => r.getClientRects().length)"


def test_project_filters_are_kept_in_the_address(browser, gate_url: str, example_data):
    with window(browser, DESKTOP) as page:
        page.goto(gate_url + "projects/", wait_until="load")
        page.select_option("#dlp-project-list-theme", "semh")
        assert page.url.endswith("projects/?theme=semh")
        page.select_option("#dlp-project-list-area", "east")
        assert page.url.endswith("projects/?theme=semh&area=east")
        # Shared as an address: another reader opens exactly this list.
        page.goto(gate_url + "projects/?area=east&theme=semh", wait_until="load")
        rows = page.evaluate(VISIBLE_ROWS + ".map(r => r.dataset.themes + '|' + r.dataset.area)",
                             "#dlp-project-list")
        expected = [p for p in example_data.projects.values() if "semh" in p.themes
                    and (a := example_data.project_area(p)) is not None and a.area_id == "east"]
        assert len(rows) == len(expected) > 0
        assert all("semh" in r.split("|")[0].split() and r.endswith("|east") for r in rows)
        assert page.text_content("#dlp-project-list-status") == \
            f"Showing {len(expected)} of {len(example_data.projects)} projects."
        # Groups and contents entries with nothing left in them are hidden.
        assert page.locator('[data-dlp-group="area-central"]').is_hidden()
        assert page.locator('[data-dlp-contents-for="area-central"]').is_hidden()
        assert page.locator('[data-dlp-contents-for="area-east"]').text_content().endswith(
            f"{len(expected)} project" + ("" if len(expected) == 1 else "s"))


def test_impact_finds_one_projects_or_one_themes_measures(browser, gate_url: str, example_data):
    project = next(p for p in example_data.projects.values() if len(example_data.kpis_of(p.project_id)) > 1)
    with window(browser, PHONE) as page:
        page.goto(gate_url + f"impact/?project={project.project_id}", wait_until="load")
        rows = page.evaluate(VISIBLE_ROWS + ".map(r => r.dataset.project)", "#dlp-kpi-list")
        assert rows == [project.project_id] * len(example_data.kpis_of(project.project_id))
        assert page.locator(f"#project-{project.project_id}").is_visible()
        page.goto(gate_url + "impact/?theme=autism", wait_until="load")
        themes = page.evaluate(VISIBLE_ROWS + ".map(r => r.dataset.themes)", "#dlp-kpi-list")
        autism = [r for r in example_data.all_kpis if "autism" in example_data.projects[r.kpi.project_id].themes]
        assert len(themes) == len(autism) > 0 and all("autism" in t.split() for t in themes)


@pytest.mark.parametrize("address, list_id", [("projects/", "dlp-project-list"), ("impact/", "dlp-kpi-list")])
def test_without_javascript_the_filters_are_hidden_and_the_list_is_whole(browser, gate_url: str, address, list_id):
    with window(browser, PHONE, java_script_enabled=False) as page:
        page.goto(gate_url + address, wait_until="load")
        assert page.locator("form.dlp-filters").count() == 1
        assert page.locator("form.dlp-filters").is_hidden()
        rows = page.locator(f"#{list_id} tbody tr")
        assert len(page.evaluate(VISIBLE_ROWS, f"#{list_id}")) == rows.count() > 10
        # The contents list leads to every group.
        targets = page.eval_on_selector_all(".dlp-contents a", "links => links.map(a => a.hash.slice(1))")
        assert len(targets) >= 2
        for target in targets:
            assert page.locator(f'[id="{target}"]').is_visible(), target


# --- the matrix --------------------------------------------------------------------------------

def test_matrix_on_a_desktop_keeps_headings_in_view(browser, gate_url: str, example_data):
    with window(browser, DESKTOP) as page:
        page.goto(gate_url + "matrix/", wait_until="load")
        wrap = page.locator(".dlp-matrix-wrap")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= DESKTOP[0]
        assert page.locator(".dlp-matrix-list").is_hidden()
        box = wrap.bounding_box()
        themes = page.locator("th.dlp-matrix__theme")
        assert themes.count() == len(example_data.themes)
        for i in range(themes.count()):  # every theme's column in view, none scrolled off
            th = themes.nth(i).bounding_box()
            assert box["x"] <= th["x"] and th["x"] + th["width"] <= box["x"] + box["width"] + 1, i
        # Scroll the table to its last row and right edge: headings and names stay in view.
        wrap.evaluate("w => { w.scrollTop = w.scrollHeight; w.scrollLeft = w.scrollWidth; }")
        assert wrap.evaluate("w => w.scrollTop") > 0
        page.wait_for_timeout(100)
        box = wrap.bounding_box()
        head = page.locator(".dlp-matrix thead th").first.bounding_box()
        assert abs(head["y"] - box["y"]) <= 2 and abs(head["x"] - box["x"]) <= 2
        last_theme = themes.last.bounding_box()
        assert abs(last_theme["y"] - box["y"]) <= 2
        last = page.locator(".dlp-matrix tbody th").last.bounding_box()
        assert abs(last["x"] - box["x"]) <= 2 and last["y"] + last["height"] <= box["y"] + box["height"] + 1


def test_matrix_on_a_phone_lists_each_partnerships_themes(browser, gate_url: str, example_data):
    with window(browser, PHONE) as page:
        page.goto(gate_url + "matrix/", wait_until="load")
        assert page.locator(".dlp-matrix-wrap").is_hidden()
        rows = page.locator(".dlp-matrix-list li.dlp-summary-list__row")
        assert rows.count() == len(example_data.partnerships)
        first, cells = example_data.theme_matrix()[0]
        listed = rows.first.locator(".dlp-tag").all_text_contents()
        assert listed == [label for (t, label), on in zip(example_data.themes.items(), cells, strict=True) if on]
        assert first.name in rows.first.text_content()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE[0]


# --- charts ------------------------------------------------------------------------------------

# Each line of chart text as drawn: its font size in CSS pixels (the SVG is scaled down to fit),
# its box, and whether it lies inside the chart (text outside the drawing is cut off).
CHART_TEXT = """() => [...document.querySelectorAll('svg.dlp-chart')].flatMap(svg => {
  const scale = svg.getScreenCTM().a, frame = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].flatMap(t => {
    const parts = t.querySelectorAll('tspan').length ? [...t.querySelectorAll('tspan')] : [t];
    return parts.map(part => {
      const r = part.getBoundingClientRect();
      return {text: part.textContent, px: parseFloat(getComputedStyle(part).fontSize) * scale, height: r.height,
              inside: r.left >= frame.left - 0.5 && r.right <= frame.right + 0.5
                      && r.top >= frame.top - 0.5 && r.bottom <= frame.bottom + 0.5};
    });
  });
})"""


def chart_problems(browser, base: str, addresses: list[str]) -> list[str]:
    problems, seen = [], 0
    with window(browser, PHONE) as page:
        for address in addresses:
            page.goto(base + address, wait_until="load")
            for t in page.evaluate(CHART_TEXT):
                seen += 1
                if t["px"] < 12 or t["height"] < 12:
                    problems.append(f"{address}: {t['text']!r} drawn at {t['px']:.1f} px ({t['height']:.1f} px high)")
                if not t["inside"] or t["text"].endswith("…"):
                    problems.append(f"{address}: {t['text']!r} is cut off")
    assert seen > 10
    return problems


def test_chart_text_is_at_least_12px_on_a_phone_and_never_cut_off(browser, gate_url: str, example_data):
    with_chart = next(p.project_id for p in example_data.projects.values()
                      if any(not r.any_suppressed for r in example_data.kpis_of(p.project_id)))
    assert chart_problems(browser, gate_url, ["funding/", "engagement/", f"projects/{with_chart}/"]) == []


def test_othertown_chart_text_is_at_least_12px_on_a_phone(browser, othertown_url: str):
    assert chart_problems(browser, othertown_url, ["funding/", "engagement/"]) == []


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["360", "1280"])
def test_back_to_top_never_covers_a_chart_key(browser, gate_url: str, size):
    with window(browser, size) as page:
        page.goto(gate_url + "funding/", wait_until="load")
        key = page.locator(".dlp-chart-key").first
        top = key.evaluate("k => k.getBoundingClientRect().top + window.scrollY")
        # The key near the top, the middle and the bottom of the window, reached by scrolling
        # up, which is when Material shows the button.
        for at in (60, size[1] // 2, size[1] - 80):
            page.evaluate(f"window.scrollTo(0, {top - at + 600})")
            page.wait_for_timeout(150)
            page.evaluate(f"window.scrollTo(0, {top - at})")
            button = page.locator(".md-top")
            button.wait_for(state="visible")
            page.wait_for_timeout(200)  # its fade-in transition
            b, k = button.bounding_box(), key.bounding_box()
            overlap = (b["x"] < k["x"] + k["width"] and k["x"] < b["x"] + b["width"]
                       and b["y"] < k["y"] + k["height"] and k["y"] < b["y"] + b["height"])
            assert not overlap, (at, b, k)


# --- plain English -----------------------------------------------------------------------------

class _FirstUses(HTMLParser):
    """The text of a page's article in order, and for each abbreviation its first use: inside
    <abbr title="...">, or right after the words it stands for, or neither."""

    def __init__(self, terms: dict[str, str]) -> None:
        super().__init__()
        self.terms = terms
        self.pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, terms)) + r")s?(?![\w-])")
        self.depth = 0  # inside <article>
        self.skip = 0  # inside <svg>, <script>, <style>, <option> (which can hold no markup)
        self.abbr: list[str | None] = []
        self.text = ""
        self.first: dict[str, bool] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1
        elif tag in ("svg", "script", "style", "option"):
            self.skip += 1
        elif tag == "abbr":
            self.abbr.append(dict(attrs).get("title"))

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1
        elif tag in ("svg", "script", "style", "option"):
            self.skip -= 1
        elif tag == "abbr" and self.abbr:
            self.abbr.pop()

    def handle_data(self, data):
        if not self.depth or self.skip:
            return
        for m in self.pattern.finditer(data):
            term = m.group(1)
            if term in self.first:
                continue
            before = (self.text + data[:m.start()]).casefold().rstrip(" (")
            stands_for = self.terms[term]
            self.first[term] = bool(self.abbr and self.abbr[-1] == stands_for) or \
                before.endswith(stands_for.casefold()) or before.endswith(stands_for.casefold() + "s")
        self.text += data


def test_first_use_of_each_abbreviation_on_a_page_is_expanded(gate_site: Path, example_data):
    terms = {t.term: t.stands_for for t in glossary(example_data.programme) if t.is_abbreviation}
    assert {"SEND", "SEMH", "KPI", "DLP", "BCC", "BEP"} <= set(terms)
    problems, checked = [], 0
    for page in sorted(gate_site.rglob("*.html")):
        address = page.relative_to(gate_site).as_posix()
        if address.startswith("newsletters/"):
            # Newsletters are officers' own words: they spell out their abbreviations.
            continue
        parser = _FirstUses(terms)
        parser.feed(page.read_text(encoding="utf-8"))
        checked += len(parser.first)
        problems += [f"{address}: {term}" for term, ok in parser.first.items() if not ok]
    assert checked > 100
    assert problems == [], problems


def test_glossary_is_in_the_menu_and_defines_the_programme_and_its_terms(gate_site: Path, othertown_site: Path):
    page = (gate_site / "glossary" / "index.html").read_text(encoding="utf-8")
    for words in ('<abbr title="Developing Local Provision">DLP</abbr>', "Birmingham Education Partnership",
                  '<abbr title="special educational needs coordinator">SENCO</abbr>', "percentage points",
                  "fewer than 5 pupils", 'id="term-high-needs-block"'):
        assert words in page, words
    assert 'href="glossary/"' in (gate_site / "index.html").read_text(encoding="utf-8")
    other = (othertown_site / "glossary" / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="Delivering Better Value in SEND">DBV</abbr>' in other and "fewer than 10 pupils" in other
    assert "Birmingham" not in other


# Each content heading's text colour as drawn (alpha blended onto the white page) and weight.
HEADINGS = """() => [...document.querySelectorAll('.md-content .md-typeset :is(h1, h2, h3)')]
  .filter(h => h.getClientRects().length).map(h => {
    const s = getComputedStyle(h), [r, g, b, a = 1] = s.color.match(/[\\d.]+/g).map(Number);
    return {text: h.textContent.trim(), rgb: [r, g, b].map(c => c * a + 255 * (1 - a)), weight: Number(s.fontWeight)};
  })"""


def contrast_on_white(rgb: list[float]) -> float:
    """WCAG 2 contrast ratio of a colour against white."""
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    luminance = 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
    return 1.05 / (luminance + 0.05)


def test_headings_are_in_full_contrast_text(browser, gate_url: str):
    """Material draws h1 in 54% black (4.6:1) and h2 in a light weight; ours are near-black and bold."""
    problems, seen = [], 0
    with window(browser, PHONE) as page:
        for address in ("", "projects/", "impact/", "funding/", "glossary/", "themes/semh/", "data/",
                        "projects/cole-heath-send-training/"):
            page.goto(gate_url + address, wait_until="load")
            for h in page.evaluate(HEADINGS):
                seen += 1
                ratio = contrast_on_white(h["rgb"])
                if ratio < 15 or h["weight"] < 700:
                    problems.append(f"{address}: {h['text']!r} at {ratio:.1f}:1, weight {h['weight']}")
    assert seen > 30
    assert problems == [], problems


def test_a_wrong_glossary_entry_is_one_line_naming_it(tmp_path: Path):
    """One error for each wrong entry (not one for each form it might have been), on its line."""
    data = tmp_path / "data"
    shutil.copytree(OTHERTOWN, data)
    with (data / "programme.yml").open("a", encoding="utf-8") as f:
        f.write('glossary:\n  XY: {}\n  ZZ: [1]\n  CD: {stands_for: Cee Dee, meanning: x}\n  EF: Ee Eff\n'
                '  "two\\nlines": x\n')
    site, issues = check(data, None)
    assert site is None
    assert [(i.row, i.column, i.message) for i in issues] == [
        (25, "glossary", "the term 'two\\nlines' is not a word or short phrase on one line (at most 60 characters)")]
    (data / "programme.yml").write_text((OTHERTOWN / "programme.yml").read_text(encoding="utf-8")
                                        + "glossary:\n  XY: {}\n  ZZ: [1]\n  CD: {stands_for: Cee Dee, meanning: x}\n"
                                        "  EF: Ee Eff\n", encoding="utf-8")
    site, issues = check(data, None)
    assert site is None
    assert [(i.row, i.column, i.message) for i in issues] == [
        (26, "glossary.XY.entry", "give stands_for (what an abbreviation stands for), meaning, or both"),
        (27, "glossary.ZZ.text", "Input should be a valid string"),
        (28, "glossary.CD.entry", "unknown key 'meanning': an entry gives stands_for, meaning, or both"),
    ]


def test_funding_page_explains_the_totals_and_names_overspends(gate_site: Path, example_data):
    page = (gate_site / "funding" / "index.html").read_text(encoding="utf-8")
    assert "budget lines add up to £7,000,000" in page and "add up to £8,354,763, £1,354,763 more" in page
    assert "Why the totals differ." in page and "not allocated to any project" in page
    over = [(p, a, s) for p, a, s in example_data.allocation_by_partnership() if s > a]
    assert len(over) == 2
    assert "2 partnerships have spent more than their allocation: " in page
    for p, a, s in over:
        assert f"{p.name} ({share(s, a)}, {money(s - a)} over)" in page
    assert page.count('class="dlp-over"') == 2
    assert "<dd><abbr title=\"Birmingham City Council\">BCC</abbr>: Birmingham City Council</dd>" in page


def test_theme_pages_say_whom_to_contact(gate_site: Path, example_data):
    page = (gate_site / "themes" / "semh" / "index.html").read_text(encoding="utf-8")
    assert 'href="#contacts"' in page and 'id="contacts"' in page
    running = {p.partnership_id for p in example_data.projects_with_theme("semh")}
    for pid in running:
        email = example_data.partnerships[pid].contact_email
        assert f'href="mailto:{email}"' in page, pid


# --- screenshots -------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["360", "1280"])
def test_screenshots_of_every_changed_page(browser, gate_url: str, othertown_url: str, size):
    """Saved for people to look at (the other tests check what they show)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    with window(browser, size) as page:
        for address, part in [*CHANGED.items(), *((f"othertown:{a}", None) for a in ("funding/", "matrix/"))]:
            base, where = (othertown_url, address.split(":", 1)[1]) if address.startswith("othertown:") \
                else (gate_url, address)
            page.goto(base + where, wait_until="load")
            name = (address.strip("/").replace("/", "-").replace(":", "-") or "home") + f"-{size[0]}"
            page.screenshot(path=str(SHOTS / f"{name}.png"))
            if part:
                target = page.locator(part).locator("visible=true").first
                target.scroll_into_view_if_needed()
                page.evaluate("window.scrollBy(0, -60)")  # below Material's header
                page.wait_for_timeout(100)
                page.screenshot(path=str(SHOTS / f"{name}-detail.png"))
        assert len(list(SHOTS.glob(f"*-{size[0]}*.png"))) >= 2 * len(CHANGED)


@pytest.fixture(scope="module")
def example_data():
    site, _ = check(ROOT / "data", ROOT / "geo")
    assert site is not None
    return site

