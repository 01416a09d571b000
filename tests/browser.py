"""A real browser for tests: Debian's Chromium driven by Playwright, and a local web server.

`scripts/test` installs Chromium (apt) and Playwright (pip); Playwright's own browser download
cannot run here, so the system Chromium is launched by path. Tests that need a browser skip
with a clear reason only when no Chromium is installed at all.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(os.environ.get("DLP_TEST_ARTIFACTS", Path(__file__).resolve().parents[1] / "test-artifacts"))


def chromium_path() -> str | None:
    return os.environ.get("DLP_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep pytest output readable
        pass


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 (a free port) for the duration of the block."""
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator:
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (scripts/test installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageLog:
    """Everything a page did that a test may want to fail on."""

    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def open_page(browser, *, width: int = 1200, height: int = 900, block_external: bool = True):
    """A new page that records requests, failures, console errors, script errors and dialogs.

    With block_external, every request not to 127.0.0.1 is aborted (and still recorded), as
    on a machine with no internet."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    log = PageLog()
    page.on("request", lambda r: log.requests.append(r.url))
    page.on("requestfailed", lambda r: log.failed.append(r.url))
    page.on("response", lambda r: log.failed.append(r.url) if r.status >= 400 else None)
    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))

    def dialog(d) -> None:
        log.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    if block_external:
        page.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    return page, log
