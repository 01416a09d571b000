"""The dlp-site command: parses arguments and calls the pipeline, nothing else.

It is also the one error boundary. Whatever goes wrong ends in one line on stderr:

    exit 0    done
    exit 1    a problem with the data, a file, the disk or the output folder (file: message (hint))
    exit 2    the command was typed wrongly (click's usage message)
    exit 70   an unexpected error, i.e. a bug in dlp-site (--verbose shows the traceback)
    exit 130  stopped with Ctrl-C (143 SIGTERM, 129 SIGHUP); a build stopped before its final
              swap publishes nothing
"""

from __future__ import annotations

import importlib
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .errors import DataError, DlpError, Issue, describe, errors, warnings
from .site.interrupt import Interrupted, held, ignore_from_now, received, stop_on_signals

if TYPE_CHECKING:
    from .model.site import Site

# The heavy pipeline modules (pandas, geopandas, Folium) are imported inside the commands,
# so --help is quick and Ctrl-C during start-up meets our handler, not an import.

data_option = click.option("--data", "data", default="data", show_default=True,
                           type=click.Path(path_type=Path), help="Folder with programme.yml and the tables.")
geo_option = click.option("--geo", "geo", default="geo", show_default=True,
                          type=click.Path(path_type=Path), help="Folder with GeoJSON boundaries (optional).")
src_option = click.option("--site-src", "site_src", default="site_src", show_default=True,
                          type=click.Path(path_type=Path), help="Hand-written pages and theme overrides.")
config_option = click.option("--config", "config", default="mkdocs.yml", show_default=True,
                             type=click.Path(path_type=Path), help="MkDocs configuration.")
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")

EXIT_BUG = 70  # sysexits.h EX_SOFTWARE


def _set(name: str) -> Callable[[click.Context, click.Parameter, bool], None]:
    def callback(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        if value:
            ctx.meta[f"dlp.{name}"] = True  # meta is shared by the group and its commands
    return callback


def common_options(f: Any) -> Any:
    """-q and --verbose, accepted before the command (on the group) or after it."""
    f = click.option("--verbose", "-v", is_flag=True, expose_value=False, callback=_set("verbose"),
                     help="On an unexpected error, show the traceback.")(f)
    return click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_set("quiet"),
                        help="Only print problems.")(f)


def _report(issues: list[Issue]) -> None:
    for issue in issues:
        click.echo(issue.format(), err=True)
    if issues:
        click.echo(f"{len(errors(issues))} error(s), {len(warnings(issues))} warning(s)", err=True)


class Progress:
    def __init__(self, meta: dict[str, Any]):
        self.meta = meta

    @property
    def quiet(self) -> bool:
        return bool(self.meta.get("dlp.quiet"))

    def __call__(self, message: str) -> None:
        if not self.quiet:
            click.echo(message, err=True)


class Bug(DlpError):
    """An unexpected error: a bug in dlp-site, not a problem the officer can fix."""

    exit_code = EXIT_BUG


class Stopped(click.ClickException):
    def __init__(self, exc: Interrupted):
        super().__init__(f"Interrupted by {exc.name}: " + (
            "the new site had already been published." if exc.published else "nothing was published."))
        self.exit_code = exc.exit_code  # type: ignore[misc]  # click reads it from the instance

    def show(self, file: Any = None) -> None:
        click.echo(self.format_message(), err=True)


class Boundary(click.Group):
    """Turns every failure inside a command into one line and an exit code (module doc)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with stop_on_signals():
                # Numerical libraries' C extensions print their own traceback and turn a
                # KeyboardInterrupt raised inside their initialisation into an ImportError, so
                # the pipeline (and all it imports) loads with stop signals held: Ctrl-C then
                # lands a moment later, in our code.
                with held():
                    importlib.import_module(f"{__package__}.pipeline")
                return super().invoke(ctx)
        except BaseException as exc:
            # First of all: a stop signal from here on must not replace the outcome being reported.
            ignore_from_now()
            raise self._one_line(ctx, exc) from None
        finally:
            ignore_from_now()

    def _one_line(self, ctx: click.Context, exc: BaseException) -> BaseException:
        if isinstance(exc, (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit)):
            return exc
        if isinstance(exc, Interrupted):
            return Stopped(exc)
        if (signum := received()) is not None:
            return Stopped(Interrupted(signum))  # a library turned the interrupt into another error
        if isinstance(exc, KeyboardInterrupt):
            return Stopped(Interrupted())
        if not isinstance(exc, Exception):
            return exc  # GeneratorExit and the like: not ours to describe
        self._traceback(ctx)
        return DlpError(describe(exc)) if isinstance(exc, OSError) else Bug(describe(exc))

    @staticmethod
    def _traceback(ctx: click.Context) -> None:
        if ctx.meta.get("dlp.verbose"):
            traceback.print_exc(file=sys.stderr)


@click.group(cls=Boundary)
@click.version_option(__version__, prog_name="dlp-site")
@common_options
@click.pass_context
def main(ctx: click.Context) -> None:
    """Build the programme's public reporting site from its spreadsheets."""
    ctx.obj = Progress(ctx.meta)


@main.command("check")
@common_options
@data_option
@geo_option
@strict_option
@click.pass_obj
def check_cmd(progress: Progress, data: Path, geo: Path, strict: bool) -> None:
    """Check the data and list every problem (file:row:column: message (hint))."""
    from .pipeline import check

    progress(f"Checking data in {data}")
    site, issues = check(data, geo)
    _report(issues)
    if site is None or (strict and warnings(issues)):
        raise DataError(issues, strict=strict)
    progress(f"OK: {len(site.projects)} projects, {len(site.partnerships)} partnerships, "
             f"{len(site.schools)} schools, {len(site.kpis)} KPIs")


out_option = click.option("--out", "out", default="site", show_default=True, type=click.Path(path_type=Path),
                          help="Where to publish the built site (replaced only by a complete build).")


@main.command("stage")
@common_options
@data_option
@geo_option
@src_option
@config_option
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="Folder for the docs tree and its mkdocs.yml (replaced only by a complete stage).")
@strict_option
@click.pass_obj
def stage_cmd(progress: Progress, data: Path, geo: Path, site_src: Path, config: Path, out: Path,
              strict: bool) -> None:
    """Check the data and write the complete docs tree and a generated mkdocs.yml to --out,
    for `mkdocs build -f OUT/mkdocs.yml` (the same site `build` publishes) or another generator."""
    from .pipeline import Paths, stage

    _reported(lambda: stage(Paths(data, geo, site_src, config), out, strict=strict, progress=progress))
    progress(f"Staged into {out}: build it with mkdocs build -f {out / 'mkdocs.yml'}")


@main.command("build")
@common_options
@data_option
@geo_option
@src_option
@config_option
@out_option
@strict_option
@click.pass_obj
def build_cmd(progress: Progress, data: Path, geo: Path, site_src: Path, config: Path, out: Path,
              strict: bool) -> None:
    """Check the data, generate the pages and publish the static site to --out."""
    from .pipeline import Paths, build

    site = _reported(lambda: build(Paths(data, geo, site_src, config), out, strict=strict, progress=progress))
    progress(f"Built {len(site.projects)} project pages into {out}")


def _reported(run: Callable[[], tuple[Site, list[Issue]]]) -> Site:
    """Run a pipeline step and print every problem it found, whether it failed or not."""
    try:
        site, issues = run()
    except DataError as exc:
        _report(exc.issues)
        raise
    _report(issues)
    return site


@main.command("serve")
@common_options
@data_option
@geo_option
@src_option
@config_option
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.pass_obj
def serve_cmd(progress: Progress, data: Path, geo: Path, site_src: Path, config: Path, port: int) -> None:
    """Preview the site at http://127.0.0.1:PORT/, rebuilding when data or pages change."""
    from .pipeline import Paths, preview

    preview(Paths(data, geo, site_src, config), port=port, progress=progress)


@main.group("newsletter")
@common_options
def newsletter_group() -> None:
    """Draft newsletters and export them for email."""


def _checked_site(data: Path, geo: Path, *, newsletters: bool = True) -> Site:
    from .pipeline import check

    site, issues = check(data, geo, newsletters=newsletters)
    if site is None:
        _report(issues)
        raise DataError(issues)
    return site


@newsletter_group.command("draft")
@common_options
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
@common_options
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
    from .content.check import read_posts
    from .newsletter import export_email, find_post

    site = _checked_site(data, geo)
    posts, _ = read_posts(site, data)
    for path in export_email(site, find_post(posts, post), out):
        progress(f"Wrote {path}")

