"""Pages to interact with in the real browser (the quality gate's Chromium and server, see
gate.py), recording everything a test may want to fail on. Screenshots go to test-artifacts/."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .gate import chromium, serve  # noqa: F401 - re-exported for the map tests and the benchmark

ARTIFACTS = Path(os.environ.get("DLP_TEST_ARTIFACTS", Path(__file__).resolve().parents[1] / "test-artifacts"))


@dataclass
class PageLog:
    """Everything a page did that a test may want to fail on."""

    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def open_page(browser, *, width: int = 1200, height: int = 900, block_external: bool = True, **context):
    """A new page that records requests, failures, console errors, script errors and dialogs.

    With block_external, every request not to 127.0.0.1 is aborted (and still recorded), as
    on a machine with no internet. Other keywords go to the browser context (e.g. a
    geolocation and the permission to read it)."""
    context = browser.new_context(viewport={"width": width, "height": height}, **context)
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
