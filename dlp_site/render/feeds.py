"""The newsletters' RSS and Atom feeds, written with feedgen (which escapes all text as XML).

Chosen over mkdocs-rss-plugin because that plugin dates entries from git history or the build
clock; these feeds take every date from the posts themselves, so two builds of the same input
are byte-identical, and entries reuse the same shortcode rendering (suppression included).
Feeds need absolute addresses, so they are written only when programme.yml has site_url.
"""

from __future__ import annotations

import html
from datetime import datetime, time, timezone
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator
from lxml import html as lxml_html

from ..content.posts import NEWSLETTERS, Post, published
from ..model.site import Site
from .post_html import html_of
from .urls import md_url

RSS = "feed_rss.xml"
ATOM = "feed_atom.xml"


def _when(post: Post) -> datetime:
    return datetime.combine(post.meta.date, time(0, 0), tzinfo=timezone.utc)


def feed(site: Site, posts: list[Post]) -> FeedGenerator:
    p = site.programme
    assert p.site_url, "feeds need site_url"
    posts = published(posts)
    home = urljoin(p.site_url, f"{NEWSLETTERS}/")
    fg = FeedGenerator()
    fg.id(home)
    fg.title(f"{p.programme}: newsletters")
    fg.subtitle(f"Newsletters and updates from {p.programme}, {p.local_authority}.")
    fg.author(name=p.local_authority, email=p.contact_email)
    fg.link(href=urljoin(home, ATOM), rel="self")
    fg.link(href=home, rel="alternate")  # last: RSS takes the channel's <link> from it
    fg.language("en-GB")
    # No build clock: the feed changes only when a post does.
    newest = _when(posts[0]) if posts else datetime(2000, 1, 1, tzinfo=timezone.utc)
    fg.updated(newest)
    fg.lastBuildDate(newest)
    for post in reversed(posts):  # feedgen puts the last added first
        url = urljoin(p.site_url, md_url(post.page))
        entry = fg.add_entry()
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.title(post.meta.title)
        entry.link(href=url)
        entry.published(_when(post))
        entry.updated(_when(post))
        summary = post.meta.description or lxml_html.fromstring(
            f"<div>{html_of(site, post, excerpt=True)}</div>").text_content().strip()
        summary = summary or post.meta.title
        # Atom's <summary> is plain text; RSS's <description> is HTML to feed readers, so it
        # gets the same text HTML-escaped (feedgen then escapes both for XML). The order
        # matters: summary() also sets the RSS description, description() then replaces it,
        # and content() replaces the Atom content description() set.
        entry.summary(summary)
        entry.description(html.escape(summary))
        entry.content(html_of(site, post), type="html")
        if post.meta.author:
            entry.author(name=post.meta.author)
        for name in post.categories:
            entry.category(term=name)
    return fg


def feeds(site: Site, posts: list[Post]) -> dict[str, bytes]:
    """The RSS and Atom files, {docs path: bytes}."""
    fg = feed(site, posts)
    return {f"{NEWSLETTERS}/{RSS}": fg.rss_str(pretty=True), f"{NEWSLETTERS}/{ATOM}": fg.atom_str(pretty=True)}
