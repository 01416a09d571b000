"""A post's HTML outside the site (the feeds and email): absolute links, then the allow-list.

The body is parsed with the same Markdown extensions as the site (postcheck.EXTENSIONS), links
and pictures are made absolute, and the result goes through sanitize.clean_post_html last.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from ..content.postcheck import EXTENSION_CONFIGS, EXTENSIONS
from ..content.posts import MORE, NEWSLETTERS, POSTS_DOCS, Post
from ..model.site import Site
from .posts import markdown_body
from .sanitize import clean_post_html
from .urls import md_url


class _AbsoluteLinks(Treeprocessor):
    """Rewrite relative links and images (to .md pages or files) as absolute addresses."""

    def __init__(self, md: markdown.Markdown, post: Post, site_url: str):
        super().__init__(md)
        self.post = post
        self.site_url = site_url

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag not in ("a", "img"):
                continue
            key = "href" if element.tag == "a" else "src"
            value = element.get(key)
            if value is not None:
                element.set(key, absolute_url(self.site_url, self.post, value))


def absolute_url(site_url: str, post: Post, target: str) -> str:
    """An address on the site for a link written in (or generated for) a post."""
    parts = urlsplit(target)
    if parts.scheme or target.startswith("//"):
        return target
    if not parts.path:
        return urljoin(site_url, md_url(post.page)) + target
    path = posixpath.normpath(posixpath.join(posixpath.dirname(post.docs_path), parts.path)).lstrip("/")
    if path.startswith(POSTS_DOCS + "/"):
        # The blog plugin serves posts at newsletters/<slug>/ and the files beside them at
        # newsletters/<name>: the posts/ folder exists only in the docs tree.
        path = f"{NEWSLETTERS}/{path[len(POSTS_DOCS) + 1:]}"
    url = urljoin(site_url, md_url(path) if path.endswith(".md") else path)
    return url + (f"#{parts.fragment}" if parts.fragment else "")


def html_of(site: Site, post: Post, *, excerpt: bool = False) -> str:
    """The post body as clean HTML with absolute links (for the feed and email); needs site_url."""
    site_url = site.programme.site_url or ""
    body = markdown_body(site, post)
    if excerpt:
        body = body.split(MORE, 1)[0]
    body = body.replace(MORE, "")  # only the blog index needs the separator

    class Absolute(Extension):
        def extendMarkdown(self, md: markdown.Markdown) -> None:
            md.treeprocessors.register(_AbsoluteLinks(md, post, site_url), "dlp_absolute", 0)

    converted = markdown.markdown(body, extensions=[*EXTENSIONS, Absolute()], extension_configs=EXTENSION_CONFIGS)
    return clean_post_html(converted, own_origin=site_url or None)
