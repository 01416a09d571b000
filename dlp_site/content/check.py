"""Read data/newsletters and check every post: front matter, shortcodes, links and pictures.

Everything is reported at once, each problem with its file and line; only posts without a
problem are built.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Issue, suggest
from ..model.site import Site
from .newsfiles import scan
from .postcheck import check_markdown
from .posts import NEWSLETTERS, POSTS_DOCS, Post, read_post
from .shortcodes import SHORTCODES, ids_of, lookup, shortcodes_in, substitute


def read_posts(site: Site, data_dir: Path) -> tuple[list[Post], list[Issue]]:
    """Every post in data/newsletters/, newest first, and every problem in any of them (and in
    any other file there)."""
    folder = scan(Path(data_dir) / NEWSLETTERS, NEWSLETTERS)
    posts: list[Post] = []
    issues: list[Issue] = list(folder.issues)
    for path in folder.posts:
        label = f"{NEWSLETTERS}/{path.name}"
        post = read_post(path, label, site, issues)
        if post is None:
            continue
        issues += check_body(post, site, folder.pictures)
        posts.append(post)
    posts.sort(key=lambda p: (p.meta.date, p.slug), reverse=True)
    return posts, issues


def check_body(post: Post, site: Site, pictures: frozenset[str] = frozenset()) -> list[Issue]:
    """Every problem in a post's body, each with its file line (`pictures`: the picture files
    published beside the posts)."""
    issues = []

    def problem(line: int, message: str, hint: str | None = None) -> None:
        issues.append(Issue(post.label, line, None, message, hint))

    for sc in shortcodes_in(post):
        spec = SHORTCODES.get(sc.name)
        text = f"[[{sc.name}{' ' + sc.arg if sc.arg else ''}]]"
        if spec is None:
            problem(sc.line, f"unknown shortcode {text}",
                    suggest(sc.name, list(SHORTCODES)) or f"use one of: {', '.join(SHORTCODES)}")
        elif spec.kind is None and sc.arg:
            problem(sc.line, f"{text}: [[{sc.name}]] takes no id")
        elif spec.kind and not sc.arg:
            problem(sc.line, f"{text}: give the {spec.kind} id, e.g. [[{sc.name} some-id]]")
        elif spec.kind and sc.arg and lookup(site, spec.kind, sc.arg) is None:
            problem(sc.line, f"{text}: unknown {spec.kind.replace('kpi', 'KPI')} id '{sc.arg}'",
                    suggest(sc.arg, ids_of(site, spec.kind)))
        elif spec.block and not sc.alone:
            problem(sc.line, f"{text} must be on a line of its own", "put a blank line before and after it")
    # The Markdown as MkDocs will see it, with each shortcode replaced by a plain word.
    staged = substitute(post, lambda _sc: "shortcode", escape_html=True)
    for line_no, finding in check_markdown(staged, post.body_line, base=POSTS_DOCS, pictures=pictures):
        problem(line_no, finding.message, finding.hint)
    return issues


def attachments(data_dir: Path) -> list[Path]:
    """The pictures and documents published beside the posts (only those newsfiles accepts)."""
    return scan(Path(data_dir) / NEWSLETTERS, NEWSLETTERS).files
