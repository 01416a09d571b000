"""Newsletter categories: the names a post may file itself under, and their page addresses.

A category is "City-wide", an area, a theme or a partnership, by name. mkdocs.yml's
categories_slugify points at category_slug here, so the blog plugin's category pages get
addresses that fit in a file name however long a partnership's name is.
"""

from __future__ import annotations

import hashlib
import re

from pymdownx.slugs import slugify  # what the blog plugin uses by default

from ..model.site import Site

CITYWIDE = "City-wide"


def category_slug(text: str, separator: str = "-") -> str:
    """Category page addresses (categories_slugify in mkdocs.yml): Material's slug, shortened
    with a stable hash when long, because a partnership name can be longer than a file name may be."""
    slug = slugify(case="lower")(text, separator)
    if len(slug) <= 60:
        return slug
    return slug[:50].rstrip(separator) + separator + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def category_label(name: str) -> str:
    """A category's name as the blog shows it: plain words only. The blog plugin writes category
    pages as Markdown ('# name') and MkDocs puts the heading's text, unescaped, into <title>, so
    no character that HTML or Markdown gives meaning to may reach it ('&' becomes 'and')."""
    text = re.sub(r"[^\w\s,.'’:/()+-]|_", " ", name.replace("&", " and "))
    return " ".join(text.split())


def categories_of(site: Site) -> dict[str, tuple[str, str | None]]:
    """Allowed category names (lower-cased, as in the data or as shown) -> (name as shown,
    partnership id if it is a partnership)."""
    named: list[tuple[str, str | None]] = [(CITYWIDE, None)]
    named += [(a.name, None) for a in site.areas.values()]
    named += [(label, None) for label in site.themes.values()]
    named += [(p.name, p.partnership_id) for p in site.ordered_partnerships]
    out: dict[str, tuple[str, str | None]] = {}
    for name, pid in named:
        label = category_label(name)
        if label:  # a name made only of symbols cannot be a category
            for key in (name.strip().lower(), label.lower()):
                if pid or key not in out:
                    out[key] = (label, pid)
    return out
