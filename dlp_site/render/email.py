"""The `dlp-site newsletter` commands: draft a post for a term, export a post as an email.

A draft is a starting point an officer edits: its figures are shortcodes, so they are filled
in (and suppressed where they must be) from the data at every build, exactly as on the site.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urljoin

from markupsafe import Markup

from ..content.posts import MORE, NEWSLETTERS, Post, resolve, shortcode_env, shortcode_renderer
from ..data.tables import TERM_RE, Project, Report, term_key
from ..errors import DlpError
from ..model.kpis import KpiResult, long_date
from ..model.site import Partnership, Site
from .pages import environment, md_url
from .post_html import html_of


class NewsletterError(DlpError):
    """A newsletter command could not do what was asked (nothing was written)."""


# --- draft ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TermNews:
    """What changed in one term, as the draft presents it."""

    term: str
    improvements: list[KpiResult]
    rag_changes: list[tuple[Project, Report, Report]]  # project, previous report, this term's
    newly_engaged: list[Partnership]


def improvement_size(r: KpiResult) -> Decimal:
    """How large an improvement is, relative to its baseline, so units compare fairly
    (a fall of 19 waiting days from 40 ranks with a rise from 39% to 59%)."""
    return abs(r.kpi.latest - r.kpi.baseline) / abs(r.kpi.baseline)


def largest_improvements(site: Site, term: str, limit: int = 5) -> list[KpiResult]:
    """KPIs last measured in `term` that improved (in the KPI's own direction), largest first.
    Suppressed KPIs are left out: their change cannot be published."""
    found = [r for r in site.all_kpis
             if r.kpi.latest_period == term and r.outcome == "improved" and not r.any_suppressed
             and r.kpi.baseline != 0]
    return sorted(found, key=lambda r: (-improvement_size(r), r.kpi.kpi_id))[:limit]


def rag_changes(site: Site, term: str) -> list[tuple[Project, Report, Report]]:
    out = []
    for project_id in sorted(site.projects):
        reports = [r for r in site.reports_of(project_id) if term_key(r.term) <= term_key(term)]
        if len(reports) >= 2 and reports[-1].term == term and reports[-2].rag != reports[-1].rag:
            out.append((site.projects[project_id], reports[-2], reports[-1]))
    return out


def newly_engaged(site: Site, term: str) -> list[Partnership]:
    """Partnerships whose termly reports show schools engaged in `term` and in no earlier term."""
    out = []
    for p in site.ordered_partnerships:
        reports = [r for pr in site.projects_of(p.partnership_id) for r in site.reports_of(pr.project_id)]
        now = sum(r.schools_engaged for r in reports if r.term == term)
        before = sum(r.schools_engaged for r in reports if term_key(r.term) < term_key(term))
        if now > 0 and before == 0:
            out.append(p)
    return out


def term_news(site: Site, term: str) -> TermNews:
    return TermNews(term, largest_improvements(site, term), rag_changes(site, term), newly_engaged(site, term))


def draft(site: Site, data_dir: Path, term: str | None = None, today: dt.date | None = None) -> Path:
    """Write data/newsletters/<term>-newsletter.md; never replaces an existing file."""
    term = term or site.programme.reporting_term
    if not TERM_RE.match(term):
        raise NewsletterError(f"'{term}' is not a term: write it like 2022-summer")
    if term_key(term) > term_key(site.programme.reporting_term):
        raise NewsletterError(f"{term} is after the reporting term {site.programme.reporting_term} in programme.yml")
    path = Path(data_dir) / NEWSLETTERS / f"{term}-newsletter.md"
    text = environment().get_template("newsletter_draft.md.j2").render(
        news=term_news(site, term), date=(today or dt.date.today()).isoformat(), programme=site.programme)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as out:  # "x": fail rather than overwrite
            out.write(text)
    except FileExistsError:
        raise NewsletterError(f"{path} already exists; edit it, or move it away to draft again") from None
    return path


# --- email export -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Email:
    html: str
    text: str
    message: EmailMessage


def find_post(posts: list[Post], name: str) -> Post:
    wanted = Path(name)
    for post in posts:
        if post.source.resolve() == wanted.resolve() or post.slug in (name, wanted.stem):
            return post
    raise NewsletterError(f"no newsletter '{name}' in {NEWSLETTERS}/ (give its file, e.g. "
                          f"data/{NEWSLETTERS}/{posts[0].slug if posts else 'my-post'}.md)")


def email(site: Site, post: Post) -> Email:
    """One HTML file with inline styles and absolute links, the same as plain text, and both
    as a multipart/alternative message a mail client can open."""
    import css_inline

    p = site.programme
    if not p.site_url:
        raise NewsletterError("an email needs absolute links: set site_url in programme.yml")
    url = urljoin(p.site_url, md_url(post.page))
    context = dict(post=post, programme=p, url=url, date=long_date(post.meta.date),
                   categories=post.categories)
    page = environment().get_template("email.html.j2").render(body=Markup(html_of(site, post)), **context)
    inlined = css_inline.inline(page)

    def absolute(target: str) -> str:
        return urljoin(p.site_url, md_url(target))

    text_env = shortcode_env(text=True)
    body = resolve(post, site, shortcode_renderer(site, absolute, text_env, "_shortcodes.txt.j2"), escape_html=False)
    text = text_env.get_template("email.txt.j2").render(body=body.replace(MORE, ""), **context)
    text = re.sub(r"\n{3,}", "\n\n", text)  # blocks stand apart on the page; one blank line is enough here

    message = EmailMessage(policy=SMTP)
    message["Subject"] = post.meta.title  # one line: FrontMatter refuses line breaks in a title
    if p.contact_email:
        # An Address object, not "name <address>" text: a comma or quote in the programme's
        # name stays inside one quoted display name instead of starting a second mailbox
        # (and the name is put on one line: a header cannot hold a line break).
        message["From"] = Address(display_name=" ".join(p.programme.split()), addr_spec=p.contact_email)
    message["Date"] = format_datetime(dt.datetime.combine(post.meta.date, dt.time(9, 0), tzinfo=dt.timezone.utc))
    message.set_content(text)
    message.add_alternative(inlined, subtype="html")
    return Email(inlined, text, message)


def export_email(site: Site, post: Post, out_dir: Path) -> list[Path]:
    result = email(site, post)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {f"{post.slug}.html": result.html, f"{post.slug}.txt": result.text}
    written = []
    for name, text in files.items():
        (out_dir / name).write_text(text, encoding="utf-8")
        written.append(out_dir / name)
    (out_dir / f"{post.slug}.eml").write_bytes(result.message.as_bytes())
    written.append(out_dir / f"{post.slug}.eml")
    return written


