"""Shortcodes: [[kpi some-id]] and friends in a post, found, looked up and replaced.

Finding and replacing work line by line on the post's Markdown, skipping fenced code and code
spans, and (for the site) escape every '<' outside code so HTML in a post shows as text. What
each shortcode renders to is the renderer's business (render/posts.py): here it is a callback.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from markdown.extensions.fenced_code import FencedBlockPreprocessor

from ..model.kpis import KpiResult
from ..model.site import Site
from .posts import MORE, Post


@dataclass(frozen=True)
class Shortcode:
    name: str
    kind: str | None  # what the id names: kpi, partnership, project; None takes no id
    block: bool  # a block must be on a line of its own
    help: str


SHORTCODES = {s.name: s for s in (
    Shortcode("kpi", "kpi", False, "A KPI's baseline to latest and the change, e.g. 39.1% to 44.7%, "
              "a change of +5.6 percentage points. Suppressed values show as c."),
    Shortcode("engagement", "partnership", False, "A partnership's schools taking part, e.g. 9 of 10 schools (90%)."),
    Shortcode("rag", "project", False, "A project's RAG rating in its latest report, with the "
              "previous rating when it changed."),
    Shortcode("partnership", "partnership", False, "A partnership's name, linked to its page."),
    Shortcode("project", "project", True, "A project card: title (linked), partnership, status, summary "
              "and money."),
    Shortcode("kpi-card", "kpi", True, "One KPI as a small table: measure, baseline, latest, change, "
              "outcome and pupils measured."),
    Shortcode("headlines", None, True, "The programme's headline figures (money, projects, schools, KPIs)."),
)}

# [[name]] or [[name id]]; anything else between [[ and ]] is reported, not passed through.
SHORTCODE_RE = re.compile(r"\[\[(.*?)\]\]")
# A code span on one line; a backslash before a backtick makes it a plain backtick.
CODE_SPAN_RE = re.compile(r"(?<!\\)(`+)(.+?)\1")


@dataclass(frozen=True)
class Found:
    line: int  # file line
    start: int
    end: int
    name: str
    arg: str | None
    alone: bool  # the only thing on its line


def _fenced_lines(body: str) -> set[int]:
    """Indexes of the body lines inside fenced code, found with the fenced_code extension's own
    pattern (a fence starts in the first column and must be closed by the same fence)."""
    inside: set[int] = set()
    for m in FencedBlockPreprocessor.FENCED_BLOCK_RE.finditer(body):
        first = body.count("\n", 0, m.start())
        inside.update(range(first, first + m.group().count("\n") + 1))
    return inside


def _prose_lines(post: Post) -> Iterator[tuple[int, str, str | None]]:
    """(file line, text, text with code spans blanked; None in fenced code) for each body line.

    Only where to escape '<' and look for shortcodes depends on this; postcheck parses the
    result with Markdown itself and refuses the post if any HTML would still take effect."""
    fenced = _fenced_lines(post.body)
    for i, line in enumerate(post.body.splitlines(keepends=True)):
        if i in fenced:
            yield post.body_line + i, line, None
        else:
            yield post.body_line + i, line, CODE_SPAN_RE.sub(lambda m: " " * len(m.group()), line)


def shortcodes_in(post: Post) -> list[Found]:
    found = []
    for line_no, line, prose in _prose_lines(post):
        if prose is None:
            continue
        for m in SHORTCODE_RE.finditer(prose):
            parts = m.group(1).split()
            found.append(Found(line_no, m.start(), m.end(), parts[0] if parts else "",
                               " ".join(parts[1:]) or None, line.strip() == m.group()))
    return found


def lookup(site: Site, kind: str, key: str) -> Any:
    """The object a shortcode id names, or None."""
    if kind == "kpi":
        return _kpis(site).get(key)
    if kind == "partnership":
        return site.partnerships.get(key)
    return site.projects.get(key)


def _kpis(site: Site) -> dict[str, KpiResult]:
    return {r.kpi.kpi_id: r for r in site.all_kpis}


def ids_of(site: Site, kind: str) -> list[str]:
    """Every id a shortcode of `kind` may name (for 'did you mean')."""
    return list(_kpis(site) if kind == "kpi" else site.partnerships if kind == "partnership" else site.projects)


Render = Callable[[str, Any], str]  # (shortcode name, object) -> output


def resolve(post: Post, site: Site, render: Render, *, escape_html: bool = True) -> str:
    """The body with every shortcode replaced (and, for the site, every '<' outside code escaped).

    Call only for posts whose check_body found no problems.
    """
    def replace(sc: Found) -> str:
        spec = SHORTCODES[sc.name]
        obj = lookup(site, spec.kind, sc.arg) if spec.kind and sc.arg else None
        rendered = render(sc.name, obj).strip("\n")
        # Blocks stand apart so Markdown treats them as HTML blocks, not paragraph text.
        return f"\n{rendered}\n" if spec.block else rendered

    return substitute(post, replace, escape_html)


def substitute(post: Post, replace: Callable[[Found], str], escape_html: bool) -> str:
    """The body with each shortcode replaced and (with escape_html) '<' escaped outside code."""
    by_line: dict[int, list[Found]] = {}
    for sc in shortcodes_in(post):
        by_line.setdefault(sc.line, []).append(sc)
    out = []
    for line_no, line, prose in _prose_lines(post):
        if prose is None or line.strip() == MORE:
            out.append(line)
            continue
        pieces: list[str] = []
        pos = 0
        for sc in by_line.get(line_no, []):
            pieces.append(_escape_prose(line[pos:sc.start], prose[pos:sc.start], escape_html))
            pieces.append(replace(sc))
            pos = sc.end
        pieces.append(_escape_prose(line[pos:], prose[pos:], escape_html))
        out.append("".join(pieces))
    return "".join(out)


def _escape_prose(text: str, prose: str, escape_html: bool) -> str:
    """Escape '<' outside code spans: no tag can be formed, so no HTML in a post takes effect."""
    if not escape_html:
        return text
    return "".join("&lt;" if c == "<" and p == "<" else c for c, p in zip(text, prose, strict=True))
