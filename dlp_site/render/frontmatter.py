"""Everything from the data that MkDocs' theme prints, escaped here and only here.

MkDocs' and Material's templates insert page titles, descriptions, the site name, the
copyright line and `extra` values without escaping, so any of them taken from the data (a
project title, the programme's name, a council's name) is HTML-escaped by `escaped` before it
reaches MkDocs: in each page's front matter (`front_matter`) and in the generated mkdocs.yml
(`site_settings`). Text inside pages is escaped by the autoescaped templates instead.
"""

from __future__ import annotations

import html
from typing import Any

import yaml

from ..data.settings import Programme


def escaped(text: str) -> str:
    return html.escape(text)


def front_matter(title: str | None, description: str | None = None, **fields: Any) -> str:
    """The YAML block at the top of a generated page or staged post (the one writer of it)."""
    meta = dict(fields)
    if title:
        meta["title"] = escaped(title)
    if description:
        meta["description"] = escaped(description)
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=True) + "---\n\n"


def site_settings(programme: Programme, feeds: dict[str, str]) -> dict[str, Any]:
    """The mkdocs.yml settings that come from programme.yml. `feeds`: kind -> address of each
    newsletter feed, for <link rel="alternate"> in every page's head."""
    return {
        "site_name": escaped(programme.programme),
        "site_url": programme.site_url or None,
        "copyright": escaped(f"Published by {programme.local_authority}"),
        "extra": {"dlp": {
            "tiles": programme.map.tiles,  # the Content-Security-Policy allows tile hosts only when they are on
            "illustrative_note": escaped(programme.illustrative_note) if programme.illustrative_note else "",
            "local_authority": escaped(programme.local_authority),
            "feeds": feeds,
        }},
    }
