"""A newsletter as an email: one HTML file with inline styles and absolute links, the same as
plain text, and both as a multipart/alternative message (the `newsletter export` command)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from urllib.parse import urljoin

import css_inline
from markupsafe import Markup

from ..content.posts import MORE, Post
from ..content.shortcodes import resolve
from ..errors import NewsletterError
from ..model.site import Site
from .env import environment
from .formats import long_date
from .post_html import html_of
from .posts import shortcode_env, shortcode_renderer
from .urls import md_url


@dataclass(frozen=True)
class Email:
    html: str
    text: str
    message: EmailMessage


def email(site: Site, post: Post) -> Email:
    """One HTML file with inline styles and absolute links, the same as plain text, and both
    as a multipart/alternative message a mail client can open."""
    p = site.programme
    site_url = p.site_url
    if not site_url:
        raise NewsletterError("an email needs absolute links: set site_url in programme.yml")
    url = urljoin(site_url, md_url(post.page))
    context = dict(post=post, programme=p, url=url, date=long_date(post.meta.date),
                   categories=post.categories)
    page = environment().get_template("email.html.j2").render(body=Markup(html_of(site, post)), **context)
    inlined = css_inline.inline(page)

    def absolute(target: str) -> str:
        return urljoin(site_url, md_url(target))

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
