"""The `dlp-site newsletter` verbs: draft a post for a term into data/newsletters, and export a
post as an email into a folder. Thin: the words come from render/draft.py and render/email.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .content.posts import NEWSLETTERS, Post
from .data.terms import Term
from .errors import NewsletterError
from .model.site import Site
from .render.draft import draft_text
from .render.email import email


def draft(site: Site, data_dir: Path, term: str | None = None, today: dt.date | None = None) -> Path:
    """Write data/newsletters/<term>-newsletter.md; never replaces an existing file."""
    try:
        chosen = Term.parse(term) if term else site.programme.reporting_term
    except ValueError:
        raise NewsletterError(f"'{term}' is not a term: write it like 2022-summer") from None
    if chosen > site.programme.reporting_term:
        raise NewsletterError(f"{chosen} is after the reporting term {site.programme.reporting_term} in programme.yml")
    path = Path(data_dir) / NEWSLETTERS / f"{chosen}-newsletter.md"
    text = draft_text(site, chosen, today or dt.date.today())
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as out:  # "x": fail rather than overwrite
            out.write(text)
    except FileExistsError:
        raise NewsletterError(f"{path} already exists; edit it, or move it away to draft again") from None
    return path


def find_post(posts: list[Post], name: str) -> Post:
    wanted = Path(name)
    for post in posts:
        if post.source.resolve() == wanted.resolve() or post.slug in (name, wanted.stem):
            return post
    raise NewsletterError(f"no newsletter '{name}' in {NEWSLETTERS}/ (give its file, e.g. "
                          f"data/{NEWSLETTERS}/{posts[0].slug if posts else 'my-post'}.md)")


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


