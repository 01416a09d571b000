"""Posts as the site, the feeds and email show them: shortcodes rendered by templates, front
matter the blog plugin understands, and the newsletters index page. Pure: text out."""

from __future__ import annotations

import functools
import html
import posixpath
from collections.abc import Callable
from typing import Any

import jinja2
from markupsafe import Markup

from ..content.posts import NEWSLETTERS, Post, published
from ..content.shortcodes import Render, resolve
from ..model.site import Site
from .cachedir import bytecode_cache
from .env import environment
from .frontmatter import front_matter

# Characters Markdown gives meaning to. In shortcode output every value from the data is
# written with these as numeric character references, which Markdown passes through as text,
# so a project title like "**x**" or "[x](javascript:...)" stays literal even where the
# output is processed as Markdown (inline shortcodes, link text, markdown="span" blocks).
_MARKDOWN_CHARS = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_{}[]()!|~"})


def inert(value: Any) -> Markup:
    """HTML-escape a value and make it inert to Markdown (for finalize in shortcode templates)."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(str(value)).translate(_MARKDOWN_CHARS))


@functools.cache
def _dispatcher(env: jinja2.Environment, template: str) -> jinja2.Template:
    """One template per environment that calls a shortcode's macro by name (compiled once)."""
    return env.from_string('{% import "' + template + '" as s with context %}{{ s[name](obj) }}')


def shortcode_renderer(site: Site, link: Callable[[str], str], env: jinja2.Environment, template: str) -> Render:
    """Render shortcodes with the macros in `template` (HTML for pages, text for email)."""
    compiled = _dispatcher(env, template)

    def render(name: str, obj: Any) -> str:
        return compiled.render(site=site, programme=site.programme, link=link, name=name.replace("-", "_"),
                               obj=obj)

    return render


def markdown_link(from_md: str) -> Callable[[str], str]:
    """Links written as Markdown (.md paths relative to the staged post), which MkDocs resolves and
    checks, and rewrites for the blog index, category and archive pages that show excerpts."""
    base = posixpath.dirname(from_md)

    def link(target: str) -> str:
        return posixpath.relpath(target, base)

    return link


def staged_text(post: Post, body: str) -> str:
    """Front matter the blog plugin understands, then the body."""
    fields: dict[str, Any] = {"date": post.meta.date}
    if post.categories:
        fields["categories"] = list(post.categories)  # already plain words (category_label)
    if post.meta.draft:
        fields["draft"] = True
    return front_matter(post.meta.title, post.meta.description, **fields) + body


@functools.cache
def shortcode_env(text: bool = False) -> jinja2.Environment:
    """The environment shortcodes render in, made once per process: compiling its templates is
    most of the cost of rendering a post, which happens for the page, every feed and the email.
    Nothing changes it after it is made (pages.py's own environment is a separate one)."""
    # An overlay: the shared filters and globals, its own settings and compiled templates.
    if text:
        # The plain-text part of an email: nothing is HTML. Each overlay compiles templates its own
        # way, so each keeps its own compiled templates.
        return environment().overlay(autoescape=False, bytecode_cache=bytecode_cache("email-text"))
    return environment().overlay(finalize=inert, bytecode_cache=bytecode_cache("shortcodes"))


def site_renderer(site: Site, post: Post, env: jinja2.Environment) -> Render:
    """Shortcodes as they appear on the site, in the feed and in email HTML."""
    to_md = markdown_link(post.docs_path)
    return shortcode_renderer(site, lambda target: Markup(html.escape(to_md(target))), env, "_shortcodes.html.j2")


def markdown_body(site: Site, post: Post, env: jinja2.Environment | None = None) -> str:
    """The post's Markdown as MkDocs (or the feed and email) should see it: shortcodes resolved,
    HTML escaped, with a byline when the post names an author or partnerships."""
    env = env or shortcode_env()
    header = env.get_template("post_header.html.j2").render(
        post=post, partnerships=[site.partnerships[p] for p in post.partnership_ids],
        link=lambda target: Markup(html.escape(markdown_link(post.docs_path)(target))),
    )
    return header + resolve(post, site, site_renderer(site, post, env))


def post_pages(site: Site, posts: list[Post], *, feed: bool, skip: frozenset[str] = frozenset()) -> dict[str, str]:
    """The posts (resolved) and the newsletters index (unless `skip` holds a hand-written one)."""
    env = shortcode_env()
    pages = {post.docs_path: staged_text(post, markdown_body(site, post, env)) for post in posts}
    index = f"{NEWSLETTERS}/index.md"
    if index not in skip:
        text = environment().get_template("newsletters_index.md.j2").render(
            programme=site.programme, feed=feed, count=len(published(posts)))
        description = f"Newsletters and updates from {site.programme.programme}."
        pages[index] = front_matter("Newsletters", description) + text
    return pages
