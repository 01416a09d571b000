"""The dlp-site command: parses arguments and calls the pipeline, nothing else."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .build import Paths, build, check
from .errors import DataError, Issue, errors, warnings

data_option = click.option("--data", "data", default="data", show_default=True,
                           type=click.Path(path_type=Path), help="Folder with programme.yml and the tables.")
geo_option = click.option("--geo", "geo", default="geo", show_default=True,
                          type=click.Path(path_type=Path), help="Folder with GeoJSON boundaries (optional).")
src_option = click.option("--site-src", "site_src", default="site_src", show_default=True,
                          type=click.Path(path_type=Path), help="Hand-written pages and theme overrides.")
config_option = click.option("--config", "config", default="mkdocs.yml", show_default=True,
                             type=click.Path(path_type=Path), help="MkDocs configuration.")
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")


def _report(issues: list[Issue]) -> None:
    for issue in issues:
        click.echo(issue.format(), err=True)
    if issues:
        click.echo(f"{len(errors(issues))} error(s), {len(warnings(issues))} warning(s)", err=True)


class Progress:
    def __init__(self, quiet: bool):
        self.quiet = quiet

    def __call__(self, message: str) -> None:
        if not self.quiet:
            click.echo(message, err=True)


@click.group()
@click.version_option(__version__, prog_name="dlp-site")
@click.option("-q", "--quiet", is_flag=True, help="Only print problems.")
@click.pass_context
def main(ctx: click.Context, quiet: bool) -> None:
    """Build the programme's public reporting site from its spreadsheets."""
    ctx.obj = Progress(quiet)


@main.command("check")
@data_option
@geo_option
@strict_option
@click.pass_obj
def check_cmd(progress: Progress, data: Path, geo: Path, strict: bool) -> None:
    """Check the data and list every problem (file:row:column: message (hint))."""
    progress(f"Checking data in {data}")
    site, issues = check(data, geo)
    _report(issues)
    if site is None or (strict and warnings(issues)):
        raise DataError(issues, strict=strict)
    progress(f"OK: {len(site.projects)} projects, {len(site.partnerships)} partnerships, "
             f"{len(site.schools)} schools, {len(site.kpis)} KPIs")


@main.command("build")
@data_option
@geo_option
@src_option
@config_option
@click.option("--out", "out", default="site", show_default=True, type=click.Path(path_type=Path),
              help="Where to publish the built site (replaced only by a complete build).")
@strict_option
@click.pass_obj
def build_cmd(progress: Progress, data: Path, geo: Path, site_src: Path, config: Path, out: Path,
              strict: bool) -> None:
    """Check the data, generate the pages and publish the static site to --out."""
    try:
        site, issues = build(Paths(data, geo, site_src, config), out, strict=strict, progress=progress)
    except DataError as exc:
        _report(exc.issues)
        raise
    _report(issues)
    progress(f"Built {len(site.projects)} project pages into {out}")


@main.command("serve")
@data_option
@geo_option
@src_option
@config_option
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.pass_obj
def serve_cmd(progress: Progress, data: Path, geo: Path, site_src: Path, config: Path, port: int) -> None:
    """Preview the site at http://127.0.0.1:PORT/, rebuilding when data or pages change."""
    from .serve import serve

    serve(Paths(data, geo, site_src, config), port=port, progress=progress)


@main.group("newsletter")
def newsletter_group() -> None:
    """Draft newsletters and export them for email."""


def _checked_site(data: Path, geo: Path, *, newsletters: bool = True):
    site, issues = check(data, geo, newsletters=newsletters)
    if site is None:
        _report(issues)
        raise DataError(issues)
    return site


@newsletter_group.command("draft")
@data_option
@geo_option
@click.option("--term", default=None, help="Term to report, e.g. 2022-summer (default: reporting_term).")
@click.pass_obj
def draft_cmd(progress: Progress, data: Path, geo: Path, term: str | None) -> None:
    """Write a new post for a term, pre-filled with its figures as shortcodes (never overwrites)."""
    from .newsletter import draft

    # Other posts are not checked: a half-written newsletter must not stop a new draft.
    path = draft(_checked_site(data, geo, newsletters=False), data, term)
    progress(f"Wrote {path}: edit it, delete the draft: line, then run dlp-site build")


@newsletter_group.command("export")
@click.argument("post")
@data_option
@geo_option
@click.option("--format", "fmt", type=click.Choice(["email"]), default="email", show_default=True,
              help="What to export for.")
@click.option("--out", "out", default="newsletter-export", show_default=True, type=click.Path(path_type=Path),
              help="Folder for the .html, .txt and .eml files.")
@click.pass_obj
def export_cmd(progress: Progress, post: str, data: Path, geo: Path, fmt: str, out: Path) -> None:
    """Export POST (a file in data/newsletters, or its name) as email: HTML, plain text and .eml."""
    from .newsletter import export_email, find_post
    from .posts import read_posts

    site = _checked_site(data, geo)
    posts, _ = read_posts(site, data)
    for path in export_email(site, find_post(posts, post), out):
        progress(f"Wrote {path}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
