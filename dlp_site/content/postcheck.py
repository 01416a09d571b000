"""The first wall for newsletters: a post's Markdown checked as Python-Markdown parses it.

A post is parsed with exactly the Markdown extensions MkDocs renders it with, and the parsed
tree (plus any raw HTML the parser set aside) is checked, so every Markdown feature counts: a
link split over lines, a reference defined lines later, an attribute list, a fence. Refused:

- links other than http, https, mailto, tel or relative ones (schemes compared as a browser
  reads them, after HTML character references are decoded: ``&#106;avascript:`` is javascript);
- pictures that are not files beside the post (or elsewhere in the site);
- attribute lists (``{: ...}``): a post cannot set HTML attributes;
- HTML that would take effect (the staged copy shows HTML as text; this catches any place where
  Markdown disagrees with that escaping);
- a top-level heading (the title is the post's only one).

Python-Markdown keeps no source lines, so each problem is placed on the first line at which
the post, read up to that line, shows it.
"""

from __future__ import annotations

import html
import posixpath
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote
from xml.etree import ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.treeprocessors import Treeprocessor

from .addresses import LINK_SCHEMES, as_browser_reads

# What MkDocs renders posts with: mkdocs.yml's markdown_extensions and the three MkDocs always
# adds (toc, tables, fenced_code). The check, the feeds and the email parse with these, so all
# see what the site shows; tests/test_newsletters.py keeps this equal to MkDocs' own list.
EXTENSIONS = ("toc", "tables", "fenced_code", "attr_list", "md_in_html", "admonition")
EXTENSION_CONFIGS = {"toc": {"permalink": False}}

PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")

# Elements and attributes Markdown itself writes with those extensions; anything else in the
# parsed post came from HTML that escaped escaping.
_HEADINGS = {f"h{n}" for n in range(1, 7)}
EXPECTED: dict[str, frozenset[str]] = {
    **{tag: frozenset() for tag in (
        "em", "strong", "code", "pre", "ul", "li", "blockquote", "hr", "br", "table", "thead", "tbody", "tr")},
    **{tag: frozenset({"id"}) for tag in _HEADINGS},  # toc's anchors
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "title"}),
    "ol": frozenset({"start"}),
    "th": frozenset({"style"}),  # tables: style="text-align: ..."
    "td": frozenset({"style"}),
    "div": frozenset({"class"}),  # admonitions: <div class="admonition note">
    "p": frozenset({"class"}),  # and their <p class="admonition-title">
}
# Raw HTML a parser sets aside that is not the author's: fenced code (<pre><code class=...>).
_FENCE_TAGS = {"pre": frozenset({"class"}), "code": frozenset({"class"})}

LINK_HINT = "links start with https://, http://, mailto: or tel:, or are relative, e.g. ../../impact.md"
PICTURE_HINT = "put the picture in data/newsletters/ and use its file name, e.g. ![A description](photo.jpg)"


@dataclass(frozen=True)
class Finding:
    message: str
    hint: str | None = None


def shown(value: str, limit: int = 80) -> str:
    """A value as it can be printed on one line of an error message."""
    text = value.encode("unicode_escape").decode("ascii") if not value.isprintable() else value
    return text if len(text) <= limit else text[: limit - 1] + "…"


def link_finding(value: str) -> Finding | None:
    parts = as_browser_reads(html.unescape(value))
    if parts.scheme and parts.scheme.lower() not in LINK_SCHEMES:
        return Finding(f"link '{shown(value)}' is not allowed", LINK_HINT)
    if not parts.scheme and parts.netloc:
        return Finding(f"link '{shown(value)}' is not allowed", "write the whole address, starting https://")
    return None


def picture_finding(value: str, base: str, pictures: frozenset[str]) -> Finding | None:
    """Pictures are files beside the post (`base` is where the post is in the docs tree) or
    elsewhere in the site; never from another website, never data: or other schemes."""
    parts = as_browser_reads(html.unescape(value))
    if parts.netloc or parts.scheme.lower() in ("http", "https"):
        return Finding(f"image from another website: {shown(value)}", PICTURE_HINT)
    if parts.scheme:
        return Finding(f"picture '{shown(value)}' is not allowed", PICTURE_HINT)
    path = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
    if path == "." or path.startswith("../"):
        return Finding(f"picture '{shown(value)}' is outside the site", PICTURE_HINT)
    if posixpath.dirname(path) == base or path.startswith(base + "/"):
        if posixpath.dirname(path) != base or posixpath.basename(path) not in pictures:
            return Finding(f"no picture '{shown(value)}' beside the post",
                           f"put it in data/newsletters/ ({', '.join(s[1:] for s in PICTURE_SUFFIXES)})")
    return None


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


class _Guard(Treeprocessor):
    """Collects a Finding for everything in the parsed post that is not allowed."""

    def __init__(self, md: markdown.Markdown, findings: list[Finding], base: str, pictures: frozenset[str]):
        super().__init__(md)
        self.findings = findings
        self.base = base
        self.pictures = pictures

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if isinstance(element.tag, str) and element is not root:
                self.element(element.tag, list(element.attrib.items()), EXPECTED)
        for raw in self.md.htmlStash.rawHtmlBlocks:  # fenced code, and any HTML that would be live
            parser = _Tags()
            parser.feed(str(raw))
            parser.close()
            for tag, attrs in parser.found:
                self.element(tag, attrs, _FENCE_TAGS, raw=True)

    def element(self, tag: str, attrs: Iterable[tuple[str, str | None]], expected: dict[str, frozenset[str]],
                *, raw: bool = False) -> None:
        if tag not in expected:
            self.findings.append(Finding(f"HTML would take effect here: <{tag}>",
                                         "HTML in a post is shown as text; write it inside `backticks`, or remove it"))
            return
        if tag == "h1":
            self.findings.append(Finding("a post's title is its only top-level heading",
                                         "start headings with ## instead of #"))
        for name, value in attrs:
            if name not in expected[tag]:
                self.findings.append(Finding(f"a '{name}' attribute on <{tag}> is not allowed in a post",
                                             "a post cannot set HTML attributes: remove the {...}"))
            elif tag == "a" and name == "href":
                self.add(link_finding(value or ""))
            elif tag == "img" and name == "src":
                self.add(picture_finding(value or "", self.base, self.pictures))
            elif name == "style" and (value or "").replace(" ", "") not in (
                    "text-align:left;", "text-align:right;", "text-align:center;"):
                self.findings.append(Finding(f"a '{name}' attribute on <{tag}> is not allowed in a post"))

    def add(self, finding: Finding | None) -> None:
        if finding:
            self.findings.append(finding)


class _NoAttributeLists(AttrListTreeprocessor):
    """attr_list as MkDocs runs it, except that each attribute list is reported, not applied."""

    def __init__(self, md: markdown.Markdown, findings: list[Finding]):
        super().__init__(md)
        self.findings = findings

    def assign_attrs(self, elem: etree.Element, attrs_string: str, *, strict: bool = False) -> str:
        self.findings.append(Finding(f"attribute list '{{{shown(attrs_string.strip(), 60)}}}' is not allowed in a post",
                                     "a post cannot set HTML attributes: remove the {...}"))
        return ""


class _Check(Extension):
    def __init__(self, findings: list[Finding], base: str, pictures: frozenset[str]):
        super().__init__()
        self.findings, self.base, self.pictures = findings, base, pictures

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Same name and priority as attr_list's own processor, which this replaces.
        md.treeprocessors.register(_NoAttributeLists(md, self.findings), "attr_list", 8)
        md.treeprocessors.register(_Guard(md, self.findings, self.base, self.pictures), "dlp_guard", -10)


def check_markdown(text: str, first_line: int, *, base: str, pictures: frozenset[str]) -> list[tuple[int, Finding]]:
    """Every problem in a post's Markdown (as staged: shortcodes replaced, HTML escaped), each
    with its file line; `first_line` is the file line of the text's first line."""
    findings: list[Finding] = []
    md = markdown.Markdown(extensions=[*EXTENSIONS, _Check(findings, base, pictures)],
                           extension_configs=EXTENSION_CONFIGS)

    def found_in(source: str) -> Counter[Finding]:
        findings.clear()
        md.reset()
        md.convert(source)
        return Counter(findings)

    wanted = found_in(text)
    if not wanted:
        return []
    lines = text.splitlines(keepends=True)
    placed: Counter[Finding] = Counter()
    out: list[tuple[int, Finding]] = []
    for n in range(1, len(lines) + 1):
        for finding, count in found_in("".join(lines[:n])).items():
            while placed[finding] < min(count, wanted[finding]):
                placed[finding] += 1
                out.append((first_line + n - 1, finding))
        if placed == wanted:
            break
    out += [(first_line + max(len(lines) - 1, 0), f) for f in (wanted - placed).elements()]
    return sorted(out, key=lambda item: item[0])
