"""Newsletter posts: what a post is, and reading one officer's Markdown file into a Post.

Posts are the council's own content, like its tables, so they live beside the data in
``data/newsletters/*.md`` (another council's data folder brings its own newsletters, or none).
Each post is front matter (title, date, categories, ...) and Markdown with shortcodes such as
``[[kpi some-kpi-id]]`` (shortcodes.py) that are replaced at build time by figures from the
validated data. The source files are never edited.

Post text is untrusted like every other text, and two walls stand between it and a reader:

1. at check time the post's Markdown is parsed as MkDocs will parse it and every link, picture,
   attribute list and piece of live HTML is checked (check.py, postcheck.py); in the staged copy
   each ``<`` outside code is written as ``&lt;`` so HTML in a post shows as text, and shortcode
   output is rendered by autoescaped templates whose values are also made inert to Markdown
   (render/posts.py, ``inert``);
2. the HTML of every post is cleaned with an allow-list wherever it leaves us (render/sanitize.py).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..data.rows import MISSING_SETTING, key_lines, pydantic_issues
from ..data.yamlfile import YamlProblem, load_yaml
from ..errors import Issue, Level, suggest
from ..model.site import Site
from .categories import CITYWIDE, categories_of, category_label

NEWSLETTERS = "newsletters"  # folder in data/ and the blog plugin's blog_dir in mkdocs.yml
POSTS_DOCS = f"{NEWSLETTERS}/posts"  # where the blog plugin reads posts in the docs tree
MORE = "<!-- more -->"  # the blog plugin's excerpt separator, kept as HTML on purpose


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


def _split(text: str) -> tuple[str | None, str, int]:
    """(front matter text, body, line of first body line); None when there is no front matter."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1:]), i + 2
    return None, text, 1


def read_post(path: Path, label: str, site: Site, issues: list[Issue]) -> Post | None:
    """The post in one file, or None after adding its problems to `issues`."""
    text = path.read_text(encoding="utf-8-sig")
    slug = path.stem  # a safe name: newsfiles.scan accepts no other
    head, body, body_line = _split(text)
    if head is None:
        issues.append(Issue(label, 1, None, "the post has no front matter",
                            "start with a line '---', then title: and date:, then another '---'"))
        return None
    try:
        raw, head_lines = load_yaml(head)
        raw = raw or {}
    except YamlProblem as exc:
        issues.append(Issue(label, exc.line + 1 if exc.line else 1, None, f"the front matter: {exc}",
                            exc.hint))
        return None
    lines = {k: v + 1 for k, v in head_lines.items()}  # +1: the opening --- line
    if not isinstance(raw, dict):
        issues.append(Issue(label, 2, None, "expected 'key: value' lines in the front matter"))
        return None
    for key in ("categories", "partnerships"):
        if isinstance(raw.get(key), str):
            raw[key] = [raw[key]]  # one category may be written without a list
    try:
        meta = FrontMatter.model_validate(raw)
    except ValidationError as exc:
        line_of = key_lines(lines)
        issues += pydantic_issues(exc, FrontMatter, label, lambda path: line_of(path) or 1, missing=MISSING_SETTING)
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


def check_excerpt(posts: list[Post]) -> list[Issue]:
    """Warn when a post has no excerpt separator: the whole post then shows on the index."""
    return [Issue(p.label, None, None, f"no '{MORE}' line: the whole post shows on the newsletters page",
                  "put it after the first paragraph", Level.WARNING)
            for p in posts if MORE not in p.body]


def published(posts: list[Post]) -> list[Post]:
    return [p for p in posts if not p.meta.draft]


