"""Newsletter posts: read and check the officer's Markdown files, resolve shortcodes, stage them.

Posts are the council's own content, like its tables, so they live beside the data in
``data/newsletters/*.md`` (another council's data folder brings its own newsletters, or none).
Each post is front matter (title, date, categories, ...) and Markdown with shortcodes such as
``[[kpi some-kpi-id]]`` that are replaced at build time by figures from the validated data.

Post text is untrusted like every other text, and two walls stand between it and a reader:

1. at check time the post's Markdown is parsed as MkDocs will parse it and every link, picture,
   attribute list and piece of live HTML is checked (postcheck.py); in the staged copy each
   ``<`` outside code is written as ``&lt;`` so HTML in a post shows as text, and shortcode
   output is rendered by autoescaped templates whose values are also made inert to Markdown
   (see ``inert``);
2. the HTML of every post is cleaned with an allow-list wherever it leaves us (sanitize.py).

Which files in data/newsletters are posts or published beside them is newsfiles.py's business.
The source files are never edited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import posixpath
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..data.validate import suggest
from ..data.yamlfile import YamlProblem, load_yaml
from ..errors import Issue, Level
from ..model.kpis import KpiResult
from ..model.site import Site
from .newsfiles import scan
from .postcheck import check_markdown

NEWSLETTERS = "newsletters"  # folder in data/ and the blog plugin's blog_dir in mkdocs.yml
POSTS_DOCS = f"{NEWSLETTERS}/posts"  # where the blog plugin reads posts in the docs tree
CITYWIDE = "City-wide"
MORE = "<!-- more -->"  # the blog plugin's excerpt separator, kept as HTML on purpose


# --- shortcodes -------------------------------------------------------------------------------

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


# --- front matter -----------------------------------------------------------------------------

class FrontMatter(BaseModel):
    """What an officer writes between the --- lines at the top of a post."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1, description="The headline of the post.")
    date: dt.date = Field(description="Publication date, YYYY-MM-DD.")
    categories: tuple[str, ...] = Field(
        default=(), description=f"{CITYWIDE}, an area, a partnership or a theme, by name.")
    partnerships: tuple[str, ...] = Field(
        default=(), description="Ids of partnerships publishing the post; it is listed on their pages.")
    author: str | None = Field(default=None, description="Who wrote it (shown as 'By ...').")
    description: str | None = Field(default=None, description="One sentence for search engines and the feed.")
    draft: bool = Field(default=False, description="true keeps the post off the site until the line is deleted.")

    @field_validator("title")
    @classmethod
    def _one_line(cls, title: str) -> str:
        # The title is also an email's Subject header, where a line break would end the header.
        if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in title):
            raise ValueError("the title must be one line of text, without line breaks or control characters")
        return title


@dataclass(frozen=True)
class Post:
    source: Path
    label: str  # how messages name the file, e.g. newsletters/summer-2022.md
    slug: str  # the file name without .md: the post's address is newsletters/<slug>/
    meta: FrontMatter
    categories: tuple[str, ...]  # canonical category names, partnerships' names included
    partnership_ids: tuple[str, ...]
    body: str
    body_line: int  # file line of the first body line

    @property
    def docs_path(self) -> str:
        return f"{POSTS_DOCS}/{self.slug}.md"

    @property
    def page(self) -> str:
        """The page as render.relative/md_url see it (the blog plugin serves it at newsletters/<slug>/)."""
        return f"{NEWSLETTERS}/{self.slug}.md"


def category_slug(text: str, separator: str = "-") -> str:
    """Category page addresses (categories_slugify in mkdocs.yml): Material's slug, shortened
    with a stable hash when long, because a partnership name can be longer than a file name may be."""
    from pymdownx.slugs import slugify  # what the blog plugin uses by default

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
    named = [(CITYWIDE, None)] + [(a.name, None) for a in site.areas.values()]
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


def _split(text: str) -> tuple[str | None, str, int]:
    """(front matter text, body, line of first body line); None when there is no front matter."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1:]), i + 2
    return None, text, 1


def _read_one(path: Path, label: str, site: Site, issues: list[Issue]) -> Post | None:
    text = path.read_text(encoding="utf-8-sig")
    slug = path.stem  # a safe name: newsfiles.scan accepts no other
    head, body, body_line = _split(text)
    if head is None:
        issues.append(Issue(label, 1, None, "the post has no front matter",
                            "start with a line '---', then title: and date:, then another '---'"))
        return None
    try:
        raw, key_lines = load_yaml(head)
        raw = raw or {}
    except YamlProblem as exc:
        issues.append(Issue(label, exc.line + 1 if exc.line else 1, None, f"the front matter: {exc}",
                            exc.hint))
        return None
    lines = {k: v + 1 for k, v in key_lines.items()}  # +1: the opening --- line
    if not isinstance(raw, dict):
        issues.append(Issue(label, 2, None, "expected 'key: value' lines in the front matter"))
        return None
    for key in ("categories", "partnerships"):
        if isinstance(raw.get(key), str):
            raw[key] = [raw[key]]  # one category may be written without a list
    try:
        meta = FrontMatter.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            key = str(err["loc"][0]) if err["loc"] else None
            field = FrontMatter.model_fields.get(key or "")
            hint = field.description if field else f"allowed: {', '.join(FrontMatter.model_fields)}"
            message = "this setting is required" if err["type"] == "missing" else err["msg"].removeprefix(
                "Value error, ")
            issues.append(Issue(label, lines.get(tuple(str(p) for p in err["loc"]), 1), key, message, hint))
        return None

    allowed = categories_of(site)
    categories: list[str] = []
    partnership_ids: list[str] = []
    for i, name in enumerate(meta.categories):
        found = allowed.get(name.strip().lower())
        if found is None:
            issues.append(Issue(label, lines.get(("categories", str(i))), "categories",
                                f"unknown category '{name}'",
                                suggest(name, [v[0] for v in allowed.values()])
                                or f"use {CITYWIDE} or the name of an area, partnership or theme"))
            continue
        categories.append(found[0])
        if found[1]:
            partnership_ids.append(found[1])
    for i, pid in enumerate(meta.partnerships):
        if pid not in site.partnerships:
            issues.append(Issue(label, lines.get(("partnerships", str(i))), "partnerships",
                                f"unknown partnership id '{pid}'", suggest(pid, list(site.partnerships))))
            continue
        partnership_ids.append(pid)
        if label := category_label(site.partnerships[pid].name):
            categories.append(label)
    return Post(path, label, slug, meta, tuple(dict.fromkeys(categories)),
                tuple(dict.fromkeys(partnership_ids)), body, body_line)


def read_posts(site: Site, data_dir: Path) -> tuple[list[Post], list[Issue]]:
    """Every post in data/newsletters/, newest first, and every problem in any of them (and in
    any other file there)."""
    folder = scan(Path(data_dir) / NEWSLETTERS, NEWSLETTERS)
    posts: list[Post] = []
    issues: list[Issue] = list(folder.issues)
    for path in folder.posts:
        label = f"{NEWSLETTERS}/{path.name}"
        post = _read_one(path, label, site, issues)
        if post is None:
            continue
        issues += check_body(post, site, folder.pictures)
        posts.append(post)
    posts.sort(key=lambda p: (p.meta.date, p.slug), reverse=True)
    return posts, issues


# --- the body ---------------------------------------------------------------------------------

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


def _prose_lines(post: Post):
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


def _ids(site: Site, kind: str) -> list[str]:
    return list(_kpis(site) if kind == "kpi" else site.partnerships if kind == "partnership" else site.projects)


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
        elif spec.kind and lookup(site, spec.kind, sc.arg) is None:
            problem(sc.line, f"{text}: unknown {spec.kind.replace('kpi', 'KPI')} id '{sc.arg}'",
                    suggest(sc.arg, _ids(site, spec.kind)))
        elif spec.block and not sc.alone:
            problem(sc.line, f"{text} must be on a line of its own", "put a blank line before and after it")
    # The Markdown as MkDocs will see it, with each shortcode replaced by a plain word.
    staged = _substitute(post, lambda _sc: "shortcode", escape_html=True)
    for line_no, finding in check_markdown(staged, post.body_line, base=POSTS_DOCS, pictures=pictures):
        problem(line_no, finding.message, finding.hint)
    return issues


def check_excerpt(posts: list[Post]) -> list[Issue]:
    """Warn when a post has no excerpt separator: the whole post then shows on the index."""
    return [Issue(p.label, None, None, f"no '{MORE}' line: the whole post shows on the newsletters page",
                  "put it after the first paragraph", Level.WARNING)
            for p in posts if MORE not in p.body]


# --- resolving --------------------------------------------------------------------------------

Render = Callable[[str, Any], str]  # (shortcode name, object) -> output


def resolve(post: Post, site: Site, render: Render, *, escape_html: bool = True) -> str:
    """The body with every shortcode replaced (and, for the site, every '<' outside code escaped).

    Call only for posts whose check_body found no problems.
    """
    def replace(sc: Found) -> str:
        spec = SHORTCODES[sc.name]
        obj = lookup(site, spec.kind, sc.arg) if spec.kind else None
        rendered = render(sc.name, obj).strip("\n")
        # Blocks stand apart so Markdown treats them as HTML blocks, not paragraph text.
        return f"\n{rendered}\n" if spec.block else rendered

    return _substitute(post, replace, escape_html)


def _substitute(post: Post, replace: Callable[[Found], str], escape_html: bool) -> str:
    """The body with each shortcode replaced and (with escape_html) '<' escaped outside code."""
    by_line: dict[int, list[Found]] = {}
    for sc in shortcodes_in(post):
        by_line.setdefault(sc.line, []).append(sc)
    out = []
    for line_no, line, prose in _prose_lines(post):
        if prose is None or line.strip() == MORE:
            out.append(line)
            continue
        pieces, pos = [], 0
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


def shortcode_renderer(site: Site, link: Callable[[str], str], env: jinja2.Environment, template: str) -> Render:
    """Render shortcodes with the macros in `template` (HTML for pages, text for email)."""
    module_src = '{% import "' + template + '" as s with context %}{{ s[name](obj) }}'
    compiled = env.from_string(module_src)

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
    """Front matter the blog plugin understands, with the text escaped (themes do not escape)."""
    meta: dict[str, Any] = {"title": html.escape(post.meta.title), "date": post.meta.date}
    if post.categories:
        meta["categories"] = list(post.categories)  # already plain words (category_label)
    if post.meta.description:
        meta["description"] = html.escape(post.meta.description)
    if post.meta.draft:
        meta["draft"] = True
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=True) + "---\n\n" + body


def shortcode_env(text: bool = False) -> jinja2.Environment:
    from ..render.pages import environment  # render imports nothing from here; keep the import local

    env = environment()
    if text:
        env.autoescape = False  # the plain-text part of an email: nothing is HTML
    else:
        env.finalize = inert
    return env


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


def published(posts: list[Post]) -> list[Post]:
    return [p for p in posts if not p.meta.draft]


def stage(site: Site, posts: list[Post], data_dir: Path, docs: Path, *, feed: bool) -> list[str]:
    """Write the posts (resolved), the files beside them and the newsletters index into docs."""
    written = []
    env = shortcode_env()
    target_dir = docs / POSTS_DOCS
    target_dir.mkdir(parents=True, exist_ok=True)
    for post in posts:
        (docs / post.docs_path).write_text(staged_text(post, markdown_body(site, post, env)), encoding="utf-8")
        written.append(post.docs_path)
    # Pictures and documents a post links to by file name (only those newsfiles accepts; the
    # blog plugin publishes them at newsletters/<name>, beside the posts' own folders).
    for path in scan(Path(data_dir) / NEWSLETTERS, NEWSLETTERS).files:
        (target_dir / path.name).write_bytes(path.read_bytes())
    index = docs / NEWSLETTERS / "index.md"
    if not index.exists():  # a hand-written newsletters/index.md in site_src wins
        from ..render.pages import environment, front_matter

        text = environment().get_template("newsletters_index.md.j2").render(
            programme=site.programme, feed=feed, count=len(published(posts)))
        description = f"Newsletters and updates from {site.programme.programme}."
        index.write_text(front_matter("Newsletters", description) + text, encoding="utf-8")
        written.append(f"{NEWSLETTERS}/index.md")
    return written
