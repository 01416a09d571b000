"""Newsletters: posts written as an officer would, built for real with MkDocs, the feeds parsed
with feedparser, the email parsed with the stdlib email parser, and the draft checked against
the model's figures."""

from __future__ import annotations

import datetime as dt
import email
import html
import json
import re
import shutil
from email import policy
from pathlib import Path

import feedparser
import pytest
import yaml
from click.testing import CliRunner

from dlp_site.cli import main
from dlp_site.content.check import read_posts
from dlp_site.content.shortcodes import SHORTCODES, resolve
from dlp_site.errors import DataError, NewsletterError, errors
from dlp_site.newsletter import draft
from dlp_site.pipeline import build, check
from dlp_site.render.draft import improvement_size
from dlp_site.render.email import email as email_of
from dlp_site.render.posts import shortcode_env, shortcode_renderer

from .conftest import OTHERTOWN, ROOT, paths, tree_digest
from .test_build import broken_links
from .test_escaping import Audit, emphasis_findings, poison

HOSTILE_TITLE = '<script>alert(1)</script> "><img src=x onerror=alert(1)> ]]> & more'
HOSTILE_BODY = """Hello <script>alert(1)</script> there.

"><img src=x onerror=alert(1)>

]]> <b>not bold</b> `<code>kept</code>`
"""
SUPPRESSED_KPI = "senneleys-park-inclusion-parent-confidence"  # cohort 3, below the threshold of 5


def post(folder: Path, name: str, meta: dict, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n" + body,
                    encoding="utf-8")
    return path


OFFICER_POST = """Schools in [[partnership fays]] have [[engagement fays]] taking part this term.

<!-- more -->

## Fewer suspensions

Suspensions went from [[kpi fays-suspensions]].

[[project fays-wellbeing-and-behaviour]]

Parent confidence at Senneleys Park: [[kpi senneleys-park-inclusion-parent-confidence]].

[[kpi-card senneleys-park-inclusion-parent-confidence]]

Read more on the [impact page](../../impact.md).
"""


@pytest.fixture(scope="module")
def news(tmp_path_factory) -> tuple[Path, Path]:
    """The example data plus an officer's post and a hostile one, built once; (data, site)."""
    root = tmp_path_factory.mktemp("news")
    data = root / "data"
    shutil.copytree(ROOT / "data", data)
    folder = data / "newsletters"
    post(folder, "2022-07-25-fays-update.md",
         {"title": "FAYS: calmer classrooms", "date": dt.date(2022, 7, 25),
          "categories": ["east", "Behaviour support"], "partnerships": ["fays"], "author": "FAYS consortium"},
         OFFICER_POST)
    post(folder, "2022-07-01-hostile.md",
         {"title": HOSTILE_TITLE, "date": dt.date(2022, 7, 1), "categories": ["City-wide"],
          "description": HOSTILE_TITLE}, HOSTILE_BODY)
    out = root / "site"
    build(paths(data), out)
    return data, out


def article(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return text[text.index("<article"):text.index("</article>")]


def test_officer_post_is_on_the_site_feed_and_partnership_page(news):
    data, site = news
    page = site / "newsletters" / "2022-07-25-fays-update" / "index.html"
    body = article(page)
    assert "FAYS: calmer classrooms" in body and "By FAYS consortium" in body
    assert "[[" not in body
    assert 'href="../../partnerships/fays/"' in body and 'href="../../impact/"' in body
    index = (site / "newsletters" / "index.html").read_text(encoding="utf-8")
    assert 'href="2022-07-25-fays-update/"' in index
    assert (site / "newsletters" / "category" / "fays" / "index.html").exists()
    assert (site / "newsletters" / "category" / "behaviour-support" / "index.html").exists()
    partnership = (site / "partnerships" / "fays" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../../newsletters/2022-07-25-fays-update/">FAYS: calmer classrooms</a>' in partnership
    for name in ("feed_rss.xml", "feed_atom.xml"):
        feed = feedparser.parse((site / "newsletters" / name).read_bytes())
        assert feed.bozo == 0, feed.get("bozo_exception")
        titles = [e.title for e in feed.entries]
        assert "FAYS: calmer classrooms" in titles
        entry = feed.entries[titles.index("FAYS: calmer classrooms")]
        assert entry.link == "https://dlp.example.org/newsletters/2022-07-25-fays-update/"
        assert {t.term for t in entry.tags} == {"East", "Behaviour support", "FAYS"}
        assert "https://dlp.example.org/partnerships/fays/" in entry.content[0].value
    assert broken_links(site) == []


def test_feed_dates_come_from_the_posts(news):
    _, site = news
    atom = feedparser.parse((site / "newsletters" / "feed_atom.xml").read_bytes())
    assert atom.feed.updated.startswith("2022-07-25")  # the newest post, not the build time
    rss = (site / "newsletters" / "feed_rss.xml").read_text(encoding="utf-8")
    assert "<lastBuildDate>Mon, 25 Jul 2022 00:00:00 +0000</lastBuildDate>" in rss


def test_figures_in_a_post_match_the_model_and_stay_suppressed(news):
    data, site = news
    model, _ = check(data, None)
    kpis = {r.kpi.kpi_id: r for r in model.all_kpis}
    body = article(site / "newsletters" / "2022-07-25-fays-update" / "index.html")
    fays = kpis["fays-suspensions"]
    # (parentheses in shortcode output are character references, inert to Markdown)
    assert f"{fays.baseline_text} to {fays.latest_text}, a change of {fays.change_text}" in html.unescape(body)
    hidden = kpis[SUPPRESSED_KPI]
    assert hidden.cohort_suppressed
    assert "54.3" not in body and "65.6" not in body and ">3<" not in body
    assert body.count('<span class="dlp-suppressed">c<span class="dlp-sr-only"> (suppressed)</span></span>') >= 3
    feed = (site / "newsletters" / "feed_atom.xml").read_text(encoding="utf-8")
    assert "54.3" not in feed and "65.6" not in feed
    posts, _ = read_posts(model, data)
    mail = email_of(model, next(p for p in posts if p.slug == "2022-07-25-fays-update"))
    assert "54.3" not in mail.html + mail.text and "c to c, a change of c" in mail.text


def test_hostile_post_is_escaped_on_the_page(news):
    _, site = news
    page = site / "newsletters" / "2022-07-01-hostile" / "index.html"
    text = page.read_text(encoding="utf-8")
    for html_file in [page, site / "newsletters" / "index.html", site / "newsletters" / "category" / "city-wide"
                      / "index.html"]:
        audit = Audit()
        audit.feed(html_file.read_text(encoding="utf-8"))
        assert audit.findings == []
    assert "<script>alert(1)" not in text and "<b>not bold</b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<code>&lt;code&gt;kept&lt;/code&gt;</code>" in text  # code is shown as written, once escaped
    head = text[: text.index("</head>")]
    assert "<script>alert" not in head and "<img src=x" not in head and "&lt;script&gt;" in head
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = [d for d in index["docs"] if d["location"].startswith("newsletters/2022-07-01-hostile/")]
    assert docs and all("<script>" not in d["title"] + d["text"] and "<img" not in d["text"] for d in docs)


def test_hostile_post_is_escaped_in_the_feeds(news):
    _, site = news
    for name in ("feed_rss.xml", "feed_atom.xml"):
        raw = (site / "newsletters" / name).read_text(encoding="utf-8")
        assert "<script>" not in raw and "<img src=x" not in raw and "]]>" not in raw
        feed = feedparser.parse(raw.encode("utf-8"), sanitize_html=False)
        assert feed.bozo == 0
        entry = next(e for e in feed.entries if "hostile" in e.link)
        assert entry.title == HOSTILE_TITLE  # the exact text survives as text
        content = entry.content[0].value
        assert "<script>" not in content and "<img" not in content and "<b>" not in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_email_export_is_one_inline_styled_html_file_plus_plain_text(news, tmp_path):
    data, _ = news
    out = tmp_path / "export"
    source = data / "newsletters" / "2022-07-25-fays-update.md"
    result = CliRunner().invoke(main, ["-q", "newsletter", "export", str(source), "--data", str(data),
                                       "--geo", str(ROOT / "geo"), "--format", "email", "--out", str(out)])
    assert result.exit_code == 0, result.output
    html_file = (out / "2022-07-25-fays-update.html").read_text(encoding="utf-8")
    assert "<style" not in html_file and 'style="' in html_file
    message = email.message_from_bytes((out / "2022-07-25-fays-update.eml").read_bytes(), policy=policy.default)
    assert message["Subject"] == "FAYS: calmer classrooms"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "FAYS: calmer classrooms" in text and "https://dlp.example.org/newsletters/2022-07-25-fays-update/" in text
    assert "[[" not in text + html
    links = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert links and all(link.startswith(("https://dlp.example.org/", "mailto:")) for link in links), links
    assert "https://dlp.example.org/impact/" in links and "https://dlp.example.org/partnerships/fays/" in links


def test_hostile_post_is_escaped_in_the_email(news):
    data, _ = news
    model, _ = check(data, None)
    posts, _ = read_posts(model, data)
    mail = email_of(model, next(p for p in posts if p.slug == "2022-07-01-hostile"))
    parsed = email.message_from_bytes(mail.message.as_bytes(), policy=policy.default)
    assert parsed["Subject"] == HOSTILE_TITLE
    html = parsed.get_body(("html",)).get_content()
    audit = Audit()
    audit.feed(html)
    assert audit.findings == []
    assert "<script>" not in html and "<b>not bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unknown_ids_are_reported_with_file_and_line_and_nothing_is_published(othertown, tmp_path):
    post(othertown / "newsletters", "spring-news.md",
         {"title": "Spring news", "date": "2024-04-01", "categories": ["Stourside", "Nowhere"]},
         "Intro.\n\n<!-- more -->\n\nScreening: [[kpi es-screen]].\n\nSuspensions: [[kpi no-such-kpi]].\n\n"
         "[[project vale-hub]] inline is not allowed\n\n[[wibble]]\n")
    out = tmp_path / "site"
    build(paths(OTHERTOWN), out)
    before = tree_digest(out)
    result = CliRunner().invoke(main, ["build", "--data", str(othertown), "--geo", str(ROOT / "geo"),
                                       "--site-src", str(ROOT / "site_src"), "--config", str(ROOT / "mkdocs.yml"),
                                       "--out", str(out)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "newsletters/spring-news.md:15: [[kpi no-such-kpi]]: unknown KPI id 'no-such-kpi'" in lines
    assert any(line.startswith("newsletters/spring-news.md:6:categories: unknown category 'Nowhere'")
               for line in lines)
    assert any(line.startswith("newsletters/spring-news.md:17: [[project vale-hub]] must be on a line of its own")
               for line in lines)
    assert any(line.startswith("newsletters/spring-news.md:19: unknown shortcode [[wibble]]") for line in lines)
    assert "4 problems in the data" in result.output
    assert tree_digest(out) == before


def test_unsafe_links_and_remote_images_are_refused(othertown):
    post(othertown / "newsletters", "links.md", {"title": "Links", "date": "2024-04-01"},
         "[x](javascript:alert(1))\n\n![pixel](https://evil.example/p.png)\n\n[ok](https://example.org)\n\n# Top\n")
    site, issues = check(othertown, None)
    assert site is None
    assert [(i.row, i.message.split(":")[0]) for i in errors(issues) if i.path == "newsletters/links.md"] == [
        (6, "link 'javascript"), (8, "image from another website"),
        (12, "a post's title is its only top-level heading")]


def test_without_site_url_posts_build_but_the_feed_is_skipped_with_a_warning(othertown, tmp_path):
    post(othertown / "newsletters", "spring-news.md",
         {"title": "Spring news", "date": "2024-04-01", "partnerships": ["vale-secondaries"]},
         "Intro.\n\n<!-- more -->\n\nSuspensions went from [[kpi vh-susp]].\n")
    out = tmp_path / "site"
    _, issues = build(paths(othertown), out)
    assert [i.column for i in issues] == ["site_url"]
    assert (out / "newsletters" / "spring-news" / "index.html").exists()
    assert not (out / "newsletters" / "feed_rss.xml").exists()
    assert "application/rss+xml" not in (out / "index.html").read_text(encoding="utf-8")  # no link to a missing feed
    partnership = (out / "partnerships" / "vale-secondaries" / "index.html").read_text(encoding="utf-8")
    assert "../../newsletters/spring-news/" in partnership
    with pytest.raises(DataError):
        build(paths(othertown), out, strict=True)


def test_hostile_data_inside_shortcodes_stays_text(othertown, tmp_path):
    poison(othertown)
    post(othertown / "newsletters", "spring-news.md",
         {"title": "Spring news", "date": "2024-04-01", "partnerships": ["stourside-primaries"]},
         "From [[partnership stourside-primaries]]: [[engagement stourside-primaries]].\n\n<!-- more -->\n\n"
         "[[project early-signs]]\n\n[[kpi-card es-screen]]\n\nStatus [[rag early-signs]].\n")
    out = tmp_path / "site"
    build(paths(othertown), out)
    findings = []
    for path in sorted((out / "newsletters").rglob("*.html")) + [out / "partnerships" / "stourside-primaries"
                                                                  / "index.html"]:
        text = path.read_text(encoding="utf-8")
        audit = Audit()
        audit.feed(text)
        findings += [f"{path.relative_to(out)}: {f}" for f in audit.findings + emphasis_findings(text)]
    assert findings == []
    page = (out / "newsletters" / "spring-news" / "index.html").read_text(encoding="utf-8")
    assert "xss-md-link" in page and 'href="../../projects/early-signs/"' in page


# --- draft ------------------------------------------------------------------------------------

def expected_improvements(site, term: str) -> list[str]:
    """Worked out here from the raw KPI rows, not from KpiResult.outcome."""
    found = []
    for k in site.kpis:
        better = k.latest > k.baseline if k.direction == "increase" else k.latest < k.baseline
        if (k.latest_period == term and better and k.cohort >= site.programme.disclosure_threshold and k.baseline
                and not (k.unit == "count" and (0 < k.baseline < 5 or 0 < k.latest < 5))):
            found.append((-abs(k.latest - k.baseline) / abs(k.baseline), k.kpi_id))
    return [kpi_id for _, kpi_id in sorted(found)[:5]]


def test_draft_figures_match_the_data(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    site, _ = check(data, None)
    path = draft(site, data, today=dt.date(2022, 7, 22))
    assert path == data / "newsletters" / "2022-summer-newsletter.md"
    text = path.read_text(encoding="utf-8")
    codes = re.findall(r"\[\[([a-z-]+) ([a-z0-9-]+)\]\]", text)
    cards = [i for name, i in codes if name == "kpi-card"]
    assert cards == expected_improvements(site, "2022-summer")
    assert all(improvement_size(r) > 0 for r in site.all_kpis if r.kpi.kpi_id in cards)

    history: dict[str, list] = {}
    for r in sorted(site.reports, key=lambda r: (r.term[:4], ["spring", "summer", "autumn"].index(r.term[5:]))):
        history.setdefault(r.project_id, []).append(r)
    changed = sorted(p for p, reports in history.items()
                     if len(reports) > 1 and reports[-1].term == "2022-summer" and reports[-1].rag != reports[-2].rag)
    assert [i for name, i in codes if name == "project"] == changed

    # The built draft shows exactly the model's figures for each code.
    posts, issues = read_posts(site, data)
    assert issues == []
    draft_post = next(p for p in posts if p.slug == "2022-summer-newsletter")
    assert draft_post.meta.draft
    text_env = shortcode_env(text=True)
    body = resolve(draft_post, site, shortcode_renderer(site, str, text_env, "_shortcodes.txt.j2"), escape_html=False)
    for r in site.all_kpis:
        if r.kpi.kpi_id in cards:
            assert r.sentence in body
    for _, pid in (c for c in codes if c[0] == "engagement"):
        schools = site.schools_of(pid)
        assert f"{sum(s.engaged for s in schools)} of {len(schools)} schools" in body


def test_draft_never_overwrites(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(OTHERTOWN, data)
    site, _ = check(data, None)
    path = draft(site, data)
    path.write_text("my edits", encoding="utf-8")
    with pytest.raises(NewsletterError, match="already exists"):
        draft(site, data)
    result = CliRunner().invoke(main, ["newsletter", "draft", "--data", str(data), "--geo", str(ROOT / "geo")])
    assert result.exit_code == 1 and "already exists" in result.output
    assert path.read_text(encoding="utf-8") == "my edits"
    with pytest.raises(NewsletterError, match="after the reporting term"):
        draft(site, data, term="2030-summer")


def test_fresh_draft_builds(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(OTHERTOWN, data)
    site, _ = check(data, None)
    path = draft(site, data, term="2024-spring")
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true", "draft: false"), encoding="utf-8")
    out = tmp_path / "site"
    build(paths(data), out)
    assert (out / "newsletters" / "2024-spring-newsletter" / "index.html").exists()


# --- print and docs ---------------------------------------------------------------------------

def test_print_stylesheet_is_linked_and_sets_a4(example_site: Path):
    css = (ROOT / "site_src" / "assets" / "print.css").read_text(encoding="utf-8")
    assert "@media print" in css and re.search(r"@page\s*{\s*size:\s*A4", css)
    page = (example_site / "newsletters" / "2022-07-20-summer-term-round-up" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../assets/print.css"' in page
    assert (example_site / "assets" / "print.css").exists()


def test_every_page_links_the_feeds_for_feed_readers(example_site: Path):
    for page in ("index.html", "projects/cole-heath-send-training/index.html"):
        head = (example_site / page).read_text(encoding="utf-8").split("</head>")[0]
        for kind, name in (("rss", "feed_rss.xml"), ("atom", "feed_atom.xml")):
            link = re.search(rf'<link rel="alternate feed" type="application/{kind}\+xml" [^>]*href="([^"]+)"', head)
            assert link and (example_site / page).parent.joinpath(link.group(1)).resolve() == \
                (example_site / "newsletters" / name).resolve()


def test_example_newsletters_are_on_the_site(example_site: Path):
    for slug in ("2022-07-20-summer-term-round-up", "2022-06-10-cole-heath-seeing-children-sooner",
                 "2022-03-25-erdington-early-speech"):
        assert (example_site / "newsletters" / slug / "index.html").exists()
    feed = feedparser.parse((example_site / "newsletters" / "feed_rss.xml").read_bytes())
    assert feed.bozo == 0 and len(feed.entries) == 3


def test_readme_documents_every_shortcode():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Newsletters"):]
    for name in SHORTCODES:
        assert f"`[[{name}" in section, f"shortcode {name} not in the README's Newsletters section"


def test_each_post_is_rendered_once_for_all_the_feeds_it_is_in(monkeypatch):
    """A post is in the site's feed and in the feeds of its areas, themes and partnerships;
    rendering it (shortcodes, Markdown, sanitising) once per build is what keeps feeds cheap."""
    from dlp_site.content.check import attachments
    from dlp_site.content.posts import published
    from dlp_site.render import docs, feeds

    rendered: list[tuple[str, bool]] = []
    real = feeds.html_of

    def counted(site, post, *, excerpt=False):
        rendered.append((post.docs_path, excerpt))
        return real(site, post, excerpt=excerpt)

    monkeypatch.setattr(feeds, "html_of", counted)
    site, _ = check(ROOT / "data", ROOT / "geo")
    checked_posts = read_posts(site, ROOT / "data")[0]
    files = docs.docs_tree(site, checked_posts, attachments(ROOT / "data"))
    in_topic_feeds = sum(1 for path, body in files.items() if path.endswith("feed_atom.xml") and b"<entry>" in body)
    assert in_topic_feeds > len(published(checked_posts))  # posts are in several feeds each
    assert sorted(rendered) == sorted(set(rendered))  # ... and rendered once each
    assert {path for path, _ in rendered} == {p.docs_path for p in published(checked_posts)}
