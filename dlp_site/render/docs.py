"""The whole generated docs tree as {docs path: text or bytes}: pages, posts, feeds, the map's
files, open-data downloads and the package's browser assets. Nothing here writes a file; the
stage (site/stage.py) writes what this returns on top of the council's own site_src/."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..content.posts import POSTS_DOCS, Post, published
from ..model.site import Site
from .downloads import downloads
from .feeds import Entries, feeds, topic_feeds
from .map.cache import drawn
from .map.page import assets, map_page
from .opendata.catalogue import catalogue_files
from .opendata.giving import giving
from .opendata.oruk import oruk, records
from .opendata.oruk_tabular import tabular
from .pages import render_pages
from .posts import post_pages

Files = dict[str, str | bytes]


def open_data(site: Site) -> dict[str, str]:
    """The CSV downloads, 360Giving, Open Referral UK and the catalogue describing them."""
    recs = records(site)  # once: the API and the tables hold the same records
    return {**downloads(site), **giving(site), **oruk(site, recs), **tabular(site.programme, recs),
            **catalogue_files(site)}


def pages_and_data(site: Site, posts: Sequence[Post] = (), skip: frozenset[str] = frozenset()) -> dict[str, str]:
    """The generated pages with the map's files and the open data (the golden files' subject)."""
    page = map_page(site, *drawn(site))
    return {**page.files, **render_pages(site, page, published(list(posts)), skip), **open_data(site)}


def docs_tree(site: Site, posts: list[Post], attachments: Sequence[Path] = (),
              skip: frozenset[str] = frozenset()) -> Files:
    """Everything generated for the docs tree. `posts`: every checked post (drafts are staged
    and the blog plugin leaves them out); `attachments`: the pictures and documents published
    beside them; `skip`: hand-written pages, which win over generated ones of the same path."""
    feed = bool(site.programme.site_url and published(posts))
    files: Files = {**assets(), **post_pages(site, posts, feed=feed, skip=skip)}
    # Pictures and documents a post links to by file name (the blog plugin publishes them at
    # newsletters/<name>, beside the posts' own folders).
    files.update({f"{POSTS_DOCS}/{path.name}": path.read_bytes() for path in attachments})
    entries = Entries(site)  # each post rendered once for all the feeds it is in
    if feed:
        files.update(feeds(site, posts, entries))
    if site.programme.site_url:  # every area, theme and partnership, even before its first post
        files.update(topic_feeds(site, posts, entries))
    files.update(pages_and_data(site, posts, skip))
    return files
