"""MkDocs hooks dlp-site adds to every build (build.run_mkdocs registers this module as a plugin,
so no mkdocs.yml can leave them out):

- each post's HTML, and each post excerpt on the newsletters, category and archive pages, goes
  through the allow-list (sanitize.py) after MkDocs and the blog plugin have rendered it.
"""

from __future__ import annotations

from typing import Any

from mkdocs.plugins import event_priority

from .posts import POSTS_DOCS
from .sanitize import clean_post_html


def is_post(page: Any) -> bool:
    return page.file.src_uri.startswith(POSTS_DOCS + "/")


def on_page_content(html: str, *, page: Any, config: Any, files: Any) -> str | None:
    return clean_post_html(html) if is_post(page) else None


@event_priority(-200)  # after the blog plugin (-100) has rendered the excerpts for this page
def on_page_context(context: dict, *, page: Any, config: Any, nav: Any) -> dict:
    for excerpt in context.get("posts") or ():
        excerpt.content = clean_post_html(excerpt.content)
    return context

