"""The pipeline: check -> stage -> site generator -> publish.

Everything is read and checked before anything is written (load, validate, model, newsletters);
the stage is written into a folder of ours (site/stage.py), never into site_src/; MkDocs builds
from it into a folder beside --out; and only a complete, strict build replaces the published
site (site/publish.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .content.check import attachments, read_posts
from .content.posts import Post, check_excerpt, published
from .data.load import load
from .data.validate import validate
from .errors import DataError, Issue, Level, errors, warnings
from .model.site import Site
from .site import incremental, mkdocs
from .site.leftovers import DOCS_PREFIX, clean_stale_temp, make_owned, temp_parent
from .site.publish import check_target, clean_beside, publish, staging_dir
from .site.serve import serve
from .site.stage import stage as write_stage
from .site.stage import stage_files

Progress = Callable[[str], None]


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


def _checked(paths: Paths, out: Path, strict: bool, progress: Progress) -> tuple[Site, Checked]:
    """Clean up after killed runs, check everything, and refuse an --out that is not ours."""
    # What killed runs left behind goes first (only folders of ours whose maker is gone).
    clean_beside(out)
    clean_stale_temp()
    progress(f"Checking data in {paths.data}")
    checked = check_all(paths.data, paths.geo)
    if checked.site is None or (strict and warnings(checked.issues)):
        raise DataError(checked.issues, strict=strict)
    mkdocs.check_config(paths.config)
    check_target(out, [p for p in (paths.data, paths.geo, paths.site_src) if p], paths.config.parent)
    return checked.site, checked


def _stage(site: Site, checked: Checked, paths: Paths, folder: Path, progress: Progress) -> Path:
    epoch = mkdocs.build_epoch(site.programme.reporting_term)
    count = write_stage(site, checked.posts, attachments(paths.data), paths.site_src, paths.config, epoch, folder)
    progress(f"Wrote {count} generated files")
    return folder / mkdocs.CONFIG


def stage(paths: Paths, out: Path, *, strict: bool = False, progress: Progress = _quiet) -> tuple[Site, list[Issue]]:
    """Publish the stage itself to `out`: the docs tree and its mkdocs.yml, for people to read
    and for any MkDocs-compatible generator (`mkdocs build -f OUT/mkdocs.yml`)."""
    site, checked = _checked(paths, out, strict, progress)
    new = staging_dir(out)
    try:
        _stage(site, checked, paths, new.path, progress)
        progress(f"Publishing the stage to {out}")
        publish(new, out)
    except BaseException:
        new.remove()
        raise
    return site, checked.issues


def build(paths: Paths, out: Path, *, strict: bool = False, progress: Progress = _quiet) -> tuple[Site, list[Issue]]:
    """Check, stage into a temporary folder, build it with MkDocs beside `out`, publish."""
    site, checked = _checked(paths, out, strict, progress)
    tmp = make_owned(temp_parent(), DOCS_PREFIX)
    try:
        config = _stage(site, checked, paths, tmp.path, progress)
        new = staging_dir(out)
        try:
            progress("Building the site with MkDocs (strict)")
            mkdocs.build(config, new.path, mkdocs.build_epoch(site.programme.reporting_term), progress)
            progress(f"Publishing to {out}")
            publish(new, out)
        except BaseException:
            new.remove()
            raise
    finally:
        tmp.remove()
    return site, checked.issues


def rebuild_preview(paths: Paths, out: Path, kept: incremental.KeptStage, progress: Progress) -> list[Issue]:
    """One preview rebuild: the same check and stage as `build`, then MkDocs redoes only the pages
    whose staged source changed, into a copy of the site being served (site/incremental.py);
    whole the first time, or when files were added or removed or the theme changed."""
    index = out / "search" / "search_index.json"
    new = staging_dir(out)
    # The copy of the site being served, which a dirty build starts from, is made while the
    # data is checked and staged (a thread: copying waits on the disk, not the interpreter).
    with ThreadPoolExecutor(max_workers=1) as pool:
        copied = pool.submit(shutil.copytree, out, new.path, dirs_exist_ok=True) if index.is_file() else None
        try:
            site, checked = _checked(paths, out, False, progress)
            epoch = mkdocs.build_epoch(site.programme.reporting_term)
            files, count = stage_files(site, checked.posts, attachments(paths.data), paths.site_src, paths.config,
                                       epoch)
            changes = kept.update(files)
            if copied:
                copied.result()  # copy2: the pages keep their times, which the dirty build compares
        except BaseException:
            pool.shutdown(wait=True)
            new.remove()
            raise
    progress(f"Staged {count} generated files: {len(changes.changed | changes.added | changes.removed)} changed")
    dirty = copied is not None and changes.pages_only and kept.built
    try:
        if dirty and changes.none:
            new.remove()
            return checked.issues
        kept.built = False
        progress(f"Building the site with MkDocs ({'only what changed' if dirty else 'strict'})")
        mkdocs.build(kept.folder / mkdocs.CONFIG, new.path, epoch, progress, dirty=dirty)  # whole: cleans first
        if dirty:
            partial = new.path / index.relative_to(out)
            partial.write_bytes(incremental.merge_search_index(index.read_bytes(), partial.read_bytes()))
        publish(new, out)
        kept.built = True
    except BaseException:
        new.remove()
        raise
    return checked.issues


def preview(paths: Paths, *, port: int, progress: Progress) -> None:
    """Serve the site at 127.0.0.1:port, built as `build` builds it, again whenever a source changes."""
    kept: list[incremental.KeptStage] = []  # made with the first build, in the preview's own folder

    def rebuild(out: Path) -> list[Issue]:
        if not kept:
            kept.append(incremental.KeptStage(out.parent / "stage"))
        return rebuild_preview(paths, out, kept[0], progress)

    serve(rebuild, [p for p in (paths.data, paths.geo, paths.site_src, paths.config) if p is not None],
          port=port, progress=progress)
