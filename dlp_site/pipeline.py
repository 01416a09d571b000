"""The pipeline: load -> validate -> model -> render (staging docs) -> MkDocs -> publish.

Everything is read and checked before anything is written, generated pages go to a temporary
docs tree (never into site_src/), MkDocs builds into a temporary directory beside --out, and
only a complete, strict build replaces the published site.
"""

from __future__ import annotations

import calendar
import html
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .content.posts import NEWSLETTERS, Post, check_excerpt, published, read_posts
from .content.posts import stage as stage_posts
from .data.load import load
from .data.validate import validate
from .data.yamlfile import refuse_aliases
from .errors import BuildError, DataError, Issue, Level, errors, warnings
from .model.site import Site
from .render.feeds import ATOM, RSS, write_feeds
from .render.map.page import copy_assets
from .render.pages import render_pages
from .site.leftovers import DOCS_PREFIX, clean_stale_temp, make_owned, temp_parent
from .site.publish import check_target, clean_beside, publish, staging_dir

Progress = Callable[[str], None]
OVERRIDES = "overrides"  # theme overrides inside site_src, not pages


@dataclass(frozen=True)
class Paths:
    data: Path
    geo: Path | None
    site_src: Path
    config: Path


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class Checked:
    site: Site | None  # only when there are no errors
    posts: list[Post]  # the newsletters, read and checked once for the whole build
    issues: list[Issue]


def check_all(data: Path, geo: Path | None, *, newsletters: bool = True) -> Checked:
    """Load and validate everything, newsletters too unless told not to."""
    valid, issues = validate(load(data, geo))
    if errors(issues):
        return Checked(None, [], issues)
    site = Site.from_valid(valid)
    posts: list[Post] = []
    if newsletters:
        posts, problems = read_posts(site, data)
        issues += problems + check_excerpt(posts)
        if published(posts) and not site.programme.site_url:
            issues.append(Issue("programme.yml", None, "site_url", "no newsletter feed without site_url",
                                "set site_url to the site's public address to publish RSS and Atom feeds",
                                Level.WARNING))
    return Checked(None if errors(issues) else site, posts, issues)


def check(data: Path, geo: Path | None, *, newsletters: bool = True) -> tuple[Site | None, list[Issue]]:
    """Load and validate everything; return the Site only when there are no errors."""
    checked = check_all(data, geo, newsletters=newsletters)
    return checked.site, checked.issues


def stage_docs(site: Site, site_src: Path, docs: Path, data: Path | None = None,
               posts: list[Post] = ()) -> list[str]:
    """Copy hand-written pages, then write generated ones (a hand-written page of the same
    name wins, so an officer can replace any generated page), then the newsletters (files
    beside them come from data/newsletters)."""
    hand_written: set[str] = set()
    if site_src.is_dir():
        for path in sorted(site_src.rglob("*")):
            rel = path.relative_to(site_src)
            if rel.parts[0] == OVERRIDES or path.is_dir():
                continue
            target = docs / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            if path.suffix == ".md":
                hand_written.add(rel.as_posix())
    copy_assets(docs)
    posts = list(posts)
    feed = bool(site.programme.site_url and published(posts))
    written = stage_posts(site, posts, data, docs, feed=feed) if data is not None else []
    if feed:
        written += write_feeds(site, posts, docs / NEWSLETTERS)
    return written + render_pages(site, docs, skip=hand_written, posts=published(posts))


class _MkDocsLog(logging.Handler):
    """Forward MkDocs' warnings to our progress output in its usual 'WARNING - ...' form."""

    def __init__(self, progress: Progress):
        super().__init__(logging.WARNING)
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        self.progress(f"{record.levelname} - {record.getMessage()}")


# Last month of each school term: the site states the programme as at the end of its
# reporting term, so that is its build date unless SOURCE_DATE_EPOCH says otherwise.
TERM_LAST_MONTH = {"autumn": 12, "spring": 3, "summer": 7}


def build_epoch(reporting_term: str, environ: dict[str, str] | None = None) -> int:
    """The build date MkDocs writes (sitemap lastmod, gzip header), in seconds since 1970.

    SOURCE_DATE_EPOCH when set (https://reproducible-builds.org/specs/source-date-epoch/);
    otherwise midnight UTC on the last day of the reporting term, so the same data always
    builds the same bytes, whenever and wherever it is built.
    """
    env = os.environ if environ is None else environ
    if env.get("SOURCE_DATE_EPOCH", "").strip():
        return int(env["SOURCE_DATE_EPOCH"])
    year, season = reporting_term.split("-")
    month = TERM_LAST_MONTH[season]
    return calendar.timegm((int(year), month, calendar.monthrange(int(year), month)[1], 0, 0, 0))


@contextmanager
def _source_date_epoch(epoch: int) -> Iterator[None]:
    """MkDocs reads SOURCE_DATE_EPOCH from the environment; set it for one build only."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def run_mkdocs(site: Site, config_file: Path, docs: Path, site_dir: Path, progress: Progress) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from .site import hooks


    p = site.programme
    # MkDocs' theme templates do not escape, so names from the data are escaped here.
    config = load_config(
        config_file=str(config_file),
        docs_dir=str(docs),
        site_dir=str(site_dir),
        site_name=html.escape(p.programme),
        site_url=p.site_url or None,
        copyright=html.escape(f"Published by {p.local_authority}"),
        strict=True,
    )
    # Our hooks (post sanitising, the Content-Security-Policy) are registered here rather than
    # under hooks: in mkdocs.yml, so that no configuration can build the site without them.
    config.plugins["dlp_site.site.hooks"] = hooks
    config["extra"]["dlp"] = {
        "tiles": p.map.tiles,  # the Content-Security-Policy allows tile hosts only when they are on
        "illustrative_note": html.escape(p.illustrative_note) if p.illustrative_note else "",
        "local_authority": html.escape(p.local_authority),
        # Feed addresses for <link rel="alternate"> in every page's head (feed readers find them).
        "feeds": {kind: f"{NEWSLETTERS}/{name}" for kind, name in (("rss", RSS), ("atom", ATOM))
                  if (docs / NEWSLETTERS / name).exists()},
    }
    logger = logging.getLogger("mkdocs")
    handler = _MkDocsLog(progress)
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with _source_date_epoch(build_epoch(p.reporting_term)):
            mkdocs_build(config)
    except MkDocsException as exc:
        raise BuildError(f"MkDocs failed: {exc}") from exc
    finally:
        logger.removeHandler(handler)


def _check_config(config: Path) -> None:
    if not config.exists():
        raise BuildError(f"MkDocs configuration {config} not found")
    problem = refuse_aliases(config.read_text(encoding="utf-8-sig"))
    if problem:
        raise BuildError(f"{config.name}:{problem.line}: {problem} ({problem.hint})")


def build(paths: Paths, out: Path, *, strict: bool = False, progress: Progress = _quiet) -> tuple[Site, list[Issue]]:
    # What killed builds left behind goes first (only folders of ours whose maker is gone).
    clean_beside(out)
    clean_stale_temp()
    progress(f"Checking data in {paths.data}")
    checked = check_all(paths.data, paths.geo)
    site, issues = checked.site, checked.issues
    if site is None or (strict and warnings(issues)):
        raise DataError(issues, strict=strict)
    _check_config(paths.config)
    check_target(out, [p for p in (paths.data, paths.geo, paths.site_src) if p], paths.config.parent)

    tmp = make_owned(temp_parent(), DOCS_PREFIX)
    try:
        docs = tmp.path / "docs"
        docs.mkdir()
        written = stage_docs(site, paths.site_src, docs, paths.data, checked.posts)
        progress(f"Wrote {len(written)} generated pages")
        new = staging_dir(out)
        try:
            progress("Building the site with MkDocs (strict)")
            run_mkdocs(site, paths.config, docs, new.path, progress)
            progress(f"Publishing to {out}")
            publish(new, out)
        except BaseException:
            new.remove()
            raise
    finally:
        tmp.remove()
    return site, issues
