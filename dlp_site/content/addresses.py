"""Addresses in posts as a browser reads them, and which schemes a post may link to: shared by
the Markdown check (postcheck.py) and the allow-list (render/sanitize.py), so both walls read an
address the same way."""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit

LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

_TAB_NEWLINE = {9: None, 10: None, 13: None}
_CONTROL_OR_SPACE = "".join(map(chr, range(33)))


def as_browser_reads(url: str) -> SplitResult:
    """An attribute's (already HTML-decoded) address split as a browser reads it: tabs and
    newlines anywhere are dropped, controls and spaces at either end are stripped, and a
    backslash counts as a slash (so "\\\\host" is another host, like "//host")."""
    return urlsplit(url.translate(_TAB_NEWLINE).strip(_CONTROL_OR_SPACE).replace("\\", "/"))


def is_relative(url: str) -> bool:
    """True for an address on the same site: no scheme and no host."""
    parts = as_browser_reads(url)
    return not parts.scheme and not parts.netloc
