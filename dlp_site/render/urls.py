"""Addresses: the Markdown path of each generated page and the links between them, as MkDocs
serves them (use_directory_urls)."""

from __future__ import annotations

import posixpath


def md_url(md_path: str) -> str:
    """The directory URL MkDocs gives a Markdown file (use_directory_urls)."""
    stem = md_path[:-3] if md_path.endswith(".md") else md_path
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative(from_md: str, to: str) -> str:
    """Relative link from one page to another page (.md) or a file, as MkDocs will serve them."""
    target = md_url(to) if to.endswith(".md") else to
    base = md_url(from_md)
    rel = posixpath.relpath("/" + target, "/" + base) if target else posixpath.relpath("/", "/" + base)
    if to.endswith(".md"):
        return "./" if rel == "." else rel.rstrip("/") + "/"
    return rel


def project_md(project_id: str) -> str:
    return f"projects/{project_id}.md"


def partnership_md(partnership_id: str) -> str:
    return f"partnerships/{partnership_id}.md"


def area_md(area_id: str) -> str:
    return f"areas/{area_id}.md"


def theme_md(theme_id: str) -> str:
    return f"themes/{theme_id}.md"
