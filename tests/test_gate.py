"""The quality gate: the example site, built with map tiles off, served on 127.0.0.1 and
checked in headless Chromium (axe-core, requests, console) and as files (links, alt text,
Nu HTML checker, reproducibility). What runs, and on which pages, is dlp_site/render/quality.py.

Run it alone with `.venv/bin/python -m pytest tests/test_gate.py` (after `bash scripts/test`
has installed Chromium and the npm tools once).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import struct
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from markupsafe import escape

from dlp_site.data.settings import MapSettings
from dlp_site.pipeline import Paths, build, check
from dlp_site.render import quality
from dlp_site.render.pages import pages
from dlp_site.render.urls import md_url
from dlp_site.site.mkdocs import build_epoch

from . import gate
from .conftest import OTHERTOWN, ROOT, paths, tiles_off, tree_digest

PAGE_TYPES = {t.key: t for t in quality.PAGE_TYPES}


@pytest.fixture(scope="session")
def tiles(gate_data: Path) -> str:
    site, _ = check(gate_data, ROOT / "geo")
    return site.programme.map.tiles


@pytest.fixture(scope="session")
def reports(browser, gate_url: str, tiles: str) -> dict[str, gate.PageReport]:
    """Each page type audited once; the axe, request and console tests read the same report."""
    allowed = quality.allowed_hosts(tiles)
    return {t.key: gate.audit(browser, gate_url + t.example, allowed) for t in quality.PAGE_TYPES}


def _lines(problems: list[str]) -> str:
    return "\n".join(problems)


# --- in the browser, one page of every type ----------------------------------------------------

@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_axe(reports: dict[str, gate.PageReport], kind: str):
    report = reports[kind]
    assert report.violations == [], f"{report.url}\n{_lines(report.violations)}"


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_requests(reports: dict[str, gate.PageReport], kind: str):
    report = reports[kind]
    assert report.foreign_requests == [], f"{report.url} requested\n{_lines(report.foreign_requests)}"


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_console(reports: dict[str, gate.PageReport], kind: str):
    report = reports[kind]
    assert report.console_errors == [], f"{report.url}\n{_lines(report.console_errors)}"


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_csp(reports: dict[str, gate.PageReport], kind: str):
    report = reports[kind]
    assert report.csp_violations == [], f"{report.url}\n{_lines(report.csp_violations)}"


def test_gate_site_has_tiles_off_so_only_the_site_itself_may_be_requested(tiles: str):
    assert tiles == "none"
    assert quality.allowed_hosts(tiles) == {"127.0.0.1"}
    assert "tile.openstreetmap.org" in quality.allowed_hosts("openstreetmap")
    # Every tiles setting programme.yml accepts says which hosts it needs.
    assert set(quality.TILE_HOSTS) == set(MapSettings.model_fields["tiles"].annotation.__args__)


# --- over every built page ---------------------------------------------------------------------

def test_links(gate_site: Path):
    assert gate.broken_links(gate_site) == []


def test_data_links(gate_site: Path):
    broken = gate.broken_data_links(gate_site, "https://dlp.example.org/")
    assert broken == []
    # It looks: the open data and the topic feeds are full of the site's own addresses.
    assert len(list(gate_site.rglob("feed_atom.xml"))) > 50 and (gate_site / "data.json").is_file()


def test_a_broken_data_link_is_reported(tmp_path: Path):
    (tmp_path / "here").mkdir()
    (tmp_path / "here" / "index.html").write_text("<p>here</p>", encoding="utf-8")
    (tmp_path / "data.json").write_text(json.dumps({"a": ["https://x.example/here/", "https://x.example/gone.csv",
                                                          "https://other.example/gone.csv"]}), encoding="utf-8")
    (tmp_path / "feed.xml").write_text('<feed xmlns="http://www.w3.org/2005/Atom"><link href="https://x.example/'
                                       'nope/"/></feed>', encoding="utf-8")
    assert gate.broken_data_links(tmp_path, "https://x.example/") == [
        "data.json -> https://x.example/gone.csv", "feed.xml -> https://x.example/nope/"]


def test_alt(gate_site: Path):
    assert gate.missing_alt(gate_site) == []
    # The charts are the site's images: they are checked, not skipped.
    assert (gate_site / "engagement" / "index.html").read_text(encoding="utf-8").count('role="img"') == 2


@pytest.fixture(scope="session")
def vnu_messages(gate_site: Path) -> list[dict]:
    gate.require_tools()
    return gate.run_vnu(gate_site)


def test_html(vnu_messages: list[dict]):
    problems, unused = gate.vnu_problems(vnu_messages, quality.VNU_ALLOWED)
    assert problems == [], _lines(problems)
    assert unused == [], f"allow-list entries no longer needed, remove them from dlp_site/render/quality.py: {unused}"


def test_reproducible(gate_site: Path, tmp_path_factory: pytest.TempPathFactory):
    # The same data from another folder, built into another folder: every byte the same.
    again = tmp_path_factory.mktemp("gate-again") / "elsewhere" / "site"
    environ = dict(os.environ)
    build(paths(tiles_off(tmp_path_factory, "gate-copy")), again)
    assert dict(os.environ) == environ  # the build date is set for MkDocs only while it builds
    first, second = tree_digest(gate_site), tree_digest(again)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


# --- the gate's own honesty --------------------------------------------------------------------

def test_every_generated_template_has_a_page_type(gate_data: Path):
    site, _ = check(gate_data, ROOT / "geo")
    examples = {t.example for t in quality.PAGE_TYPES}
    generated = pages(site)
    covered = {p.template for p in generated if md_url(p.path) in examples}
    assert covered == {p.template for p in generated}


def test_every_page_type_example_exists(gate_site: Path):
    for t in quality.PAGE_TYPES:
        path = gate_site / t.example
        assert (path / "index.html" if t.example.endswith("/") or not t.example else path).is_file(), t


def test_every_check_in_the_statement_is_a_test_here():
    module = sys.modules[__name__]
    for c in quality.CHECKS:
        assert callable(getattr(module, f"test_{c.key}", None)), f"no test_{c.key} for {c.title}"


def test_npm_pins_match_what_the_statement_says():
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    # terser minifies our scripts (tools/minify_js.py); it checks nothing, so the statement omits it.
    checkers = {name: version for name, version in package.items() if name != "terser"}
    assert checkers == {"axe-core": quality.AXE_CORE_VERSION, "vnu-jar": quality.VNU_VERSION}
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    assert lock["node_modules/axe-core"]["version"] == quality.AXE_CORE_VERSION
    assert lock["node_modules/vnu-jar"]["version"] == quality.VNU_VERSION


def test_accessibility_statement_says_what_the_gate_tests(gate_site: Path):
    page = (gate_site / "accessibility" / "index.html").read_text(encoding="utf-8")
    assert f"axe-core {quality.AXE_CORE_VERSION}" in page
    assert f"Nu HTML Checker {quality.VNU_VERSION}" in page
    for tag, meaning in quality.AXE_TAGS:
        assert f"<code>{tag}</code>" in page and meaning in page
    for t in quality.PAGE_TYPES:
        assert escape(t.label) in page, t
    for c in quality.CHECKS:
        assert c.title in page, c
    for allowance in quality.VNU_ALLOWED:
        assert escape(allowance.message) in page and escape(allowance.reason) in page


# --- build dates: from SOURCE_DATE_EPOCH or the data, never the clock -------------------------

def test_build_date_comes_from_the_reporting_term_or_source_date_epoch():
    assert build_epoch("2022-summer", {}) == 1659225600  # 2022-07-31T00:00:00Z
    assert build_epoch("2023-autumn", {}) == 1703980800  # 2023-12-31
    assert build_epoch("2024-spring", {}) == 1711843200  # 2024-03-31
    assert build_epoch("2022-summer", {"SOURCE_DATE_EPOCH": "86400"}) == 86400


def test_sitemap_dates_are_the_build_date(gate_site: Path):
    expected = build_epoch("2022-summer")  # SOURCE_DATE_EPOCH if the environment sets it
    day = datetime.fromtimestamp(expected, timezone.utc).date().isoformat()
    sitemap = (gate_site / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count(f"<lastmod>{day}</lastmod>") == sitemap.count("<lastmod>") > 0
    raw = (gate_site / "sitemap.xml.gz").read_bytes()
    midnight = int(datetime.fromisoformat(day).replace(tzinfo=timezone.utc).timestamp())
    assert struct.unpack("<I", raw[4:8])[0] == midnight  # gzip header mtime: the build day
    assert gzip.decompress(raw).decode("utf-8") == sitemap


# --- a page broken on purpose: each problem must be reported, by the same functions -----------

BROKEN_PAGE = """# Broken on purpose

<p><img src="../assets/dot.svg"></p>
<p><a href="../no-such-page/">A dead link</a> and <a href="../about/#no-such-anchor">a broken anchor</a>.</p>
<script src="https://cdn.example.org/x.js"></script>
<script>window.dlpInline = "ran";</script>
<p><img src="../assets/dot.svg" alt="A dot" onload="window.dlpHandler = 'ran'"></p>
"""
DOT_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><circle cx="4" cy="4" r="4"/></svg>\n'


@pytest.fixture(scope="session")
def broken_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small second council's site plus one hand-written page with an image without alt
    text, an external script, an inline script, an inline event handler, a dead internal link
    and a broken anchor. MkDocs strict mode does not look inside raw HTML, so only the gate can
    catch these."""
    root = tmp_path_factory.mktemp("broken")
    src = root / "site_src"
    shutil.copytree(ROOT / "site_src", src)
    (src / "assets" / "dot.svg").write_text(DOT_SVG, encoding="utf-8")
    (src / "broken.md").write_text(BROKEN_PAGE, encoding="utf-8")
    out = root / "site"
    build(Paths(OTHERTOWN, ROOT / "geo", src, ROOT / "mkdocs.yml"), out)
    return out


@pytest.fixture(scope="session")
def broken_url(broken_site: Path):
    with gate.serve(broken_site) as url:
        yield url + "broken/"


def test_broken_page_fails_in_the_browser(browser, broken_url: str):
    report = gate.audit(browser, broken_url, quality.allowed_hosts("none"))
    assert any(v.startswith("image-alt (critical)") and "img" in v and "dequeuniversity.com" in v
               for v in report.violations), report.violations
    assert report.foreign_requests == ["https://cdn.example.org/x.js"]
    # The browser refuses the script (before loading it) and says so in the console.
    assert any("https://cdn.example.org/x.js' violates the following Content Security Policy" in e
               for e in report.console_errors), report.console_errors
    # The Content-Security-Policy blocks the external script, the inline one and the handler,
    # and the gate reports each (the request above is only recorded: it never leaves the machine).
    blocked = sorted(v.split(" in ")[0] for v in report.csp_violations)
    assert blocked == ["script-src-attr blocked inline", "script-src-elem blocked https://cdn.example.org/x.js",
                       "script-src-elem blocked inline"], report.csp_violations


def test_request_check_tolerates_only_the_hosts_it_is_given(browser, broken_url: str):
    # As it would tolerate tile hosts when tiles are on; the request is still never sent.
    report = gate.audit(browser, broken_url, quality.allowed_hosts("none") | {"cdn.example.org"})
    assert report.foreign_requests == []


def test_broken_page_fails_the_file_checks(broken_site: Path):
    assert gate.broken_links(broken_site) == [
        "broken/index.html -> ../no-such-page/",
        "broken/index.html -> ../about/#no-such-anchor (no such anchor)",
    ]
    assert gate.missing_alt(broken_site) == ["broken/index.html: <img> ../assets/dot.svg has no text alternative"]
    problems, unused = gate.vnu_problems(gate.run_vnu(broken_site), quality.VNU_ALLOWED)
    assert unused == []
    assert any(p.startswith("broken/index.html:") and "“img” element must have an “alt” attribute" in p
               for p in problems), problems


def test_an_allowance_that_matches_nothing_is_reported():
    stale = quality.VnuAllowance("No such message.", "<p", "kept by mistake")
    message = {"page": "index.html", "lastLine": 3, "message": "Stray end tag “div”.", "extract": "</div>"}
    problems, unused = gate.vnu_problems([message], (*quality.VNU_ALLOWED, stale))
    assert problems == ["index.html:3: Stray end tag “div”. in '</div>'"]
    assert unused == [*quality.VNU_ALLOWED, stale]
