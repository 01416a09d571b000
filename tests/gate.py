"""The quality gate's machinery: each function checks a built site (or one served page) and
returns its problems as readable lines, so a test can assert `== []` and print them all.

What is checked, on which pages, and the accepted exceptions live in dlp_site/render/quality.py,
which the accessibility statement also reads.
"""

from __future__ import annotations

import functools
import json
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from dlp_site.render.quality import AXE_TAGS, LOCAL_HOST, MAP_AXE_EXCEPTIONS, VnuAllowance

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def require_tools() -> None:
    missing = [str(p) for p in (AXE_JS, VNU_JAR, Path(CHROMIUM)) if not p.exists()]
    assert not missing, f"missing {missing}: run `bash scripts/test` once (it installs Chromium and runs npm ci)"


# --- static checks over every built page -----------------------------------------------------

class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.images: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        for key in ("href", "src"):
            if a.get(key):
                self.links.append(a[key])
        if tag in ("img", "area") or (tag == "input" and a.get("type") == "image") or \
                (tag == "svg" and a.get("role") == "img"):
            self.images.append((tag, a))


def parse(path: Path) -> _Tags:
    parser = _Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _pages(site: Path) -> dict[Path, _Tags]:
    return {p: parse(p) for p in sorted(site.rglob("*.html"))}


def broken_links(site: Path) -> list[str]:
    """Every internal href/src (and #anchor) in every page resolves to a built file."""
    broken = []
    pages = _pages(site)
    for page, parsed in pages.items():
        # 404.html is served at any depth, so MkDocs gives it root-relative links on purpose.
        base = site if page.name == "404.html" else page.parent
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue
            path = unquote(parts.path)
            if path.startswith("/"):
                target = (site / path.lstrip("/")).resolve()
            else:
                target = (base / path).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(site.resolve()) or not target.exists():
                broken.append(f"{page.relative_to(site)} -> {link}")
            elif parts.fragment and target.suffix == ".html":
                if unquote(parts.fragment) not in pages.get(target, parse(target)).ids:
                    broken.append(f"{page.relative_to(site)} -> {link} (no such anchor)")
    return broken


def _strings(data: object) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def broken_data_links(site: Path, site_url: str) -> list[str]:
    """Every address of the site itself in the open data (JSON) and the feeds (XML links)
    resolves to a built file or page: a harvester or a directory follows them blind."""
    from lxml import etree

    broken = []
    for path in sorted([*site.rglob("*.json"), *site.rglob("*.xml")]):
        if path.name.startswith("search_index") or path.name == "sitemap.xml":
            continue
        if path.suffix == ".json":
            urls = [u for u in _strings(json.loads(path.read_text(encoding="utf-8"))) if u.startswith(site_url)]
        else:
            tree = etree.fromstring(path.read_bytes())
            urls = [e.get("href") or (e.text or "").strip() for e in tree.iter("{*}link", "link")]
        for url in urls:
            if not url.startswith(site_url):
                continue
            target = site / unquote(urlsplit(url).path[len(urlsplit(site_url).path):])
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{path.relative_to(site)} -> {url}")
    return broken


def missing_alt(site: Path) -> list[str]:
    """Every image has a text alternative; alt="" only on images hidden from assistive technology."""
    missing = []
    for page, parsed in _pages(site).items():
        for tag, a in parsed.images:
            hidden = a.get("aria-hidden") == "true" or a.get("role") in ("presentation", "none")
            if tag == "svg":
                ok = bool(a.get("aria-label") or a.get("aria-labelledby"))
            else:
                ok = bool((a.get("alt") or "").strip()) or (a.get("alt") == "" and hidden)
            if not ok:
                what = a.get("src") or a.get("href") or a.get("class") or ""
                missing.append(f"{page.relative_to(site)}: <{tag}> {what} has no text alternative")
    return missing


def run_vnu(site: Path) -> list[dict]:
    """Nu HTML checker errors for every HTML file under `site` (one Java start for all)."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--skip-non-html", str(site)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode in (0, 1), result.stderr  # 1 means "found errors"
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    for m in messages:
        m["page"] = Path(unquote(urlsplit(m.get("url", "")).path)).relative_to(site.resolve()).as_posix()
    return messages


def vnu_problems(messages: list[dict], allowed: tuple[VnuAllowance, ...]) -> tuple[list[str], list[VnuAllowance]]:
    """Split vnu errors into (errors not allowed, allowances that matched nothing)."""
    used: set[VnuAllowance] = set()
    problems = []
    for m in messages:
        match = next((a for a in allowed if m["message"] == a.message and a.element in m.get("extract", "")), None)
        if match:
            used.add(match)
        else:
            problems.append(f"{m['page']}:{m.get('lastLine', '?')}: {m['message']} in {m.get('extract', '').strip()!r}")
    return problems, [a for a in allowed if a not in used]


# --- the browser checks on served pages ------------------------------------------------------

class _QuietHandler(SimpleHTTPRequestHandler):
    received: list[str] | None = None  # when a list, every request line and Referer go in it

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        return None

    def parse_request(self) -> bool:
        ok = super().parse_request()
        if self.received is not None:
            self.received.append(f"{self.requestline} Referer: {self.headers.get('Referer', '')}")
        return ok


@contextmanager
def serve(site: Path, received: list[str] | None = None) -> Iterator[str]:
    """Serve `site` on 127.0.0.1 (a free port); yield its base URL. Given a list, every
    request the server receives (its request line and Referer header) is added to it: what
    a page really sent, as opposed to what the browser reports."""
    handler = type("_Handler", (_QuietHandler,), {"received": received})
    with serve_with(handler, site) as url:
        yield url


@contextmanager
def serve_with(handler: type[SimpleHTTPRequestHandler], site: Path) -> Iterator[str]:
    """Serve `site` on 127.0.0.1 (a free port) with `handler`, in a thread; yield its base URL."""
    server = ThreadingHTTPServer((LOCAL_HOST, 0), functools.partial(handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator[object]:
    """One headless Debian Chromium, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageLog:
    """Everything a page did that a test may want to fail on."""

    requests: list[str] = field(default_factory=list)  # every request, workers' included
    failed: list[str] = field(default_factory=list)  # aborted, failed or answered 4xx/5xx
    console_errors: list[str] = field(default_factory=list)  # text (url:line)
    page_errors: list[str] = field(default_factory=list)  # uncaught script errors
    dialogs: list[str] = field(default_factory=list)  # alert/confirm/prompt messages (dismissed)
    csp_violations: list[str] = field(default_factory=list)  # what the Content-Security-Policy blocked


# Every securitypolicyviolation event, reported through a binding (Playwright's init scripts and
# bindings are outside the page's Content-Security-Policy, like a browser extension).
CSP_LISTENER = """document.addEventListener('securitypolicyviolation', e => window.__dlpCspViolation(
  `${e.effectiveDirective} blocked ${e.blockedURI} in ${e.sourceFile || e.documentURI}` +
  `:${e.lineNumber}${e.sample ? ' (' + e.sample + ')' : ''}`));"""


def inject_axe(frame) -> None:
    """Load axe-core into a frame. Evaluated through the DevTools protocol, not added as a
    <script>: the page's Content-Security-Policy rightly refuses inline scripts."""
    frame.evaluate(AXE_JS.read_text(encoding="utf-8"))


def axe_violations(page) -> list[str]:
    """axe-core on the page as it is now (after a search, with a popup open...): every rule on
    the whole page except each relaxed map rule (MAP_AXE_EXCEPTIONS, listed on the accessibility
    statement), which then runs on everything outside its selector."""
    inject_axe(page)
    tags = [tag for tag, _ in AXE_TAGS]
    relaxed = {e.rule: list(e.selectors) for e in MAP_AXE_EXCEPTIONS}
    everything = page.evaluate("""([tags, off]) => axe.run(document, {runOnly: {type: 'tag', values: tags},
        rules: Object.fromEntries(off.map(r => [r, {enabled: false}])), resultTypes: ['violations']})""",
                               [tags, list(relaxed)])
    violations = [f"{v['id']}: {n['target']} {n['failureSummary']}" for v in everything["violations"]
                  for n in v["nodes"]]
    for rule, selectors in relaxed.items():
        scoped = page.evaluate("""([rule, selectors]) => axe.run({exclude: selectors.map(s => [s])},
            {runOnly: {type: 'rule', values: [rule]}, resultTypes: ['violations']})""", [rule, selectors])
        violations += [f"{v['id']}: {n['target']}" for v in scoped["violations"] for n in v["nodes"]]
    return violations


def open_page(browser, *, width: int = 1200, height: int = 900, **context_options):
    """A page in a fresh browser context that records everything in a PageLog.

    Requests are recorded on the context, so a background worker's (Material's search) count
    too. Nothing leaves this machine: every request to a host other than LOCAL_HOST is aborted
    after being recorded. Other keywords go to the context (e.g. a geolocation)."""
    context = browser.new_context(viewport={"width": width, "height": height}, **context_options)
    log = PageLog()

    def route(r):
        return r.continue_() if urlsplit(r.request.url).hostname == LOCAL_HOST else r.abort()

    def dialog(d) -> None:
        log.dialogs.append(d.message)
        d.dismiss()

    context.route("**/*", route)
    context.expose_binding("__dlpCspViolation", lambda _source, text: log.csp_violations.append(text))
    context.add_init_script(CSP_LISTENER)
    context.on("request", lambda req: log.requests.append(req.url))
    context.on("requestfailed", lambda req: log.failed.append(req.url))
    context.on("response", lambda r: log.failed.append(r.url) if r.status >= 400 else None)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and log.console_errors.append(
        f"{m.text} ({m.location.get('url', '')}:{m.location.get('lineNumber', '')})"))
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    page.on("dialog", dialog)
    return page, log


@dataclass
class PageReport:
    url: str
    violations: list[str] = field(default_factory=list)  # axe: rule, element, help link
    foreign_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)


AXE_RUN = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"""


def audit(browser, url: str, allowed: frozenset[str]) -> PageReport:
    """Load one page in a fresh browser context and run axe, the request check and the console check.

    Every request is recorded; any to a host outside `allowed` is reported. Nothing leaves this
    machine: requests to other hosts are aborted after being recorded, whether allowed or not.
    """
    report = PageReport(url)
    page, log = open_page(browser, width=1280, height=720)  # Playwright's default window
    try:
        response = page.goto(url, wait_until="networkidle")
        assert response is not None and response.status == 200, f"{url}: HTTP {response and response.status}"
        for frame in page.frames:  # axe checks iframes (the map) only where it is loaded too
            inject_axe(frame)
        result = page.evaluate(AXE_RUN, [tag for tag, _ in AXE_TAGS])
        for v in result["violations"]:
            for node in v["nodes"]:
                target = " ".join(map(str, node["target"]))
                report.violations.append(f"{v['id']} ({v['impact']}): {v['help']} at `{target}` - {v['helpUrl']}")
    finally:
        page.context.close()
    report.foreign_requests = [u for u in log.requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")
                               and urlsplit(u).hostname not in allowed]
    report.console_errors = log.console_errors + [f"uncaught: {e}" for e in log.page_errors]
    report.csp_violations = list(log.csp_violations)
    return report
