"""The Content-Security-Policy every page carries (a <meta> written by overrides/main.html).

It is the browser's own wall behind the sanitiser: scripts only from the site's own files (and
the few inline scripts MkDocs Material writes, allowed by their hashes), so an inline event
handler, a ``javascript:`` address or an injected <script> does not run; and nothing is fetched
from another host, except map tiles when programme.yml switches them on.

Styles may be inline (``style-src-attr``): our pages size bars and meters with style
attributes and Leaflet positions the map with them. A style cannot run script, and any picture
it names is still held to ``img-src``. Pictures may be ``data:`` addresses because Material
draws its icons with them. Directives a <meta> cannot carry (frame-ancestors, report-uri)
are left out rather than ignored with a console error.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from html.parser import HTMLParser

from .quality import TILE_HOSTS


def script_hash(text: str) -> str:
    """A CSP source allowing exactly one inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


class _InlineScripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._inline = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self._inline = tag == "script" and "src" not in a and a.get("type") in (None, "", "text/javascript", "module")
        if self._inline:
            self.scripts.append("")

    def handle_data(self, data: str) -> None:
        if self._inline:
            self.scripts[-1] += data

    def handle_endtag(self, tag: str) -> None:
        self._inline = False


def inline_scripts(html: str) -> list[str]:
    """The text of each inline (executable) script in some HTML."""
    parser = _InlineScripts()
    parser.feed(html)
    parser.close()
    return parser.scripts


def policy(*, tiles: str, script_hashes: Iterable[str] = ()) -> str:
    """The policy for a page, given programme.yml's map tiles setting."""
    tile_sources = [f"https://{host}" for host in TILE_HOSTS[tiles]]
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *sorted(set(script_hashes))],
        "style-src": ["'self'", "'unsafe-inline'"],  # browsers without the two below
        "style-src-elem": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", *tile_sources],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())
