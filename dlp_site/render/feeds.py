"""The newsletters' RSS and Atom feeds, written with feedgen (which escapes all text as XML).

Chosen over mkdocs-rss-plugin because that plugin dates entries from git history or the build
clock; these feeds take every date from the posts themselves, so two builds of the same input
are byte-identical, and entries reuse the same shortcode rendering (suppression included).
Feeds need absolute addresses, so they are written only when programme.yml has site_url.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, time, timezone
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator
from lxml import html as lxml_html

from ..content.categories import category_label
from ..content.posts import NEWSLETTERS, Post, published
from ..model.site import Site
from .post_html import html_of
from .urls import area_md, md_url, partnership_md, theme_md

RSS = "feed_rss.xml"
ATOM = "feed_atom.xml"


def _when(post: Post) -> datetime:
    return datetime.combine(post.meta.date, time(0, 0), tzinfo=timezone.utc)


@dataclass(frozen=True)
class Topic:
    """An area, theme or partnership people can follow: its page and the posts tagged with it."""

    page: str  # the docs path of its page, e.g. areas/east.md
    name: str
    posts: tuple[Post, ...]

    @property
    def paths(self) -> dict[str, str]:
        return feed_paths(self.page)


def feed_paths(page: str) -> dict[str, str]:
    """kind -> docs path of a topic's feeds, beside its page: areas/east.md -> areas/east/feed_rss.xml."""
    return {"rss": f"{page[:-3]}/{RSS}", "atom": f"{page[:-3]}/{ATOM}"}


def topics(site: Site, posts: list[Post]) -> list[Topic]:
    """Every area, theme and partnership with its published posts: an area's are those tagged
    with it or with one of its partnerships; a theme's and a partnership's, those tagged with it.
    Each has feeds even with no post yet, so a parent can subscribe before the first one."""
    posts = published(posts)

    def tagged(name: str) -> tuple[Post, ...]:
        label = category_label(name)
        return tuple(post for post in posts if label and label in post.categories)

    out = []
    for area in site.areas.values():
        pids = {p.partnership_id for p in site.partnerships_in(area.area_id)}
        mine = set(tagged(area.name)) | {post for post in posts if pids & set(post.partnership_ids)}
        out.append(Topic(area_md(area.area_id), area.name, tuple(p for p in posts if p in mine)))
    for theme_id, label in site.themes.items():
        out.append(Topic(theme_md(theme_id), label, tagged(label)))
    for partnership in site.partnerships.values():
        out.append(Topic(partnership_md(partnership.partnership_id), partnership.name,
                         tuple(p for p in posts if partnership.partnership_id in p.partnership_ids)))
    return out


class Entries:
    """Each post's feed text (its summary and its HTML), worked out once per build: a post is in
    the site's feed and in the feed of every area, theme and partnership it is about, and
    rendering it (shortcodes, Markdown, sanitising) is most of what a feed costs."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self._summaries: dict[str, str] = {}
        self._contents: dict[str, str] = {}

    def summary(self, post: Post) -> str:
        if post.docs_path not in self._summaries:
            text = post.meta.description or lxml_html.fromstring(
                f"<div>{html_of(self.site, post, excerpt=True)}</div>").text_content().strip()
            self._summaries[post.docs_path] = text or post.meta.title
        return self._summaries[post.docs_path]

    def content(self, post: Post) -> str:
        if post.docs_path not in self._contents:
            self._contents[post.docs_path] = html_of(self.site, post)
        return self._contents[post.docs_path]


def feed(site: Site, posts: list[Post], topic: Topic | None = None, entries: Entries | None = None) -> FeedGenerator:
    """The newsletters' feed, or one topic's (its page is the feed's home, its name in the title)."""
    entries = entries or Entries(site)
    p = site.programme
    assert p.site_url, "feeds need site_url"
    posts = published(posts) if topic is None else list(topic.posts)
    home = urljoin(p.site_url, md_url(topic.page) if topic else f"{NEWSLETTERS}/")
    fg = FeedGenerator()
    fg.id(home)
    if topic is None:
        fg.title(f"{p.programme}: newsletters")
        fg.subtitle(f"Newsletters and updates from {p.programme}, {p.local_authority}.")
        fg.link(href=urljoin(home, ATOM), rel="self")
    else:
        fg.title(f"{p.programme}: newsletters about {topic.name}")
        fg.subtitle(f"Newsletters from {p.programme}, {p.local_authority}, about {topic.name}.")
        fg.link(href=urljoin(p.site_url, topic.paths["atom"]), rel="self")
    fg.author(name=p.local_authority, email=p.contact_email)
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
        summary = entries.summary(post)
        # Atom's <summary> is plain text; RSS's <description> is HTML to feed readers, so it
        # gets the same text HTML-escaped (feedgen then escapes both for XML). The order
        # matters: summary() also sets the RSS description, description() then replaces it,
        # and content() replaces the Atom content description() set.
        entry.summary(summary)
        entry.description(html.escape(summary))
        entry.content(entries.content(post), type="html")
        if post.meta.author:
            entry.author(name=post.meta.author)
        for name in post.categories:
            entry.category(term=name)
    return fg


def feeds(site: Site, posts: list[Post], entries: Entries | None = None) -> dict[str, bytes]:
    """The newsletters' RSS and Atom files, {docs path: bytes}."""
    fg = feed(site, posts, entries=entries)
    return {f"{NEWSLETTERS}/{RSS}": fg.rss_str(pretty=True), f"{NEWSLETTERS}/{ATOM}": fg.atom_str(pretty=True)}


def topic_feeds(site: Site, posts: list[Post], entries: Entries | None = None) -> dict[str, bytes]:
    """RSS and Atom for every area, theme and partnership, {docs path: bytes}; needs site_url."""
    entries = entries or Entries(site)
    out = {}
    for topic in topics(site, posts):
        fg = feed(site, posts, topic, entries)
        out[topic.paths["rss"]] = fg.rss_str(pretty=True)
        out[topic.paths["atom"]] = fg.atom_str(pretty=True)
    return out
