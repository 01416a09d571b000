"""The stage: the one module that writes the docs tree MkDocs builds from.

A stage folder holds everything a site generator needs, and nothing of the sources:

    mkdocs.yml          generated (site/mkdocs.py): the project's mkdocs.yml with programme.yml's
                        settings, pointed at the folders below, strict, hooks declared
    docs/               site_src's pages and files, then everything generated (render/docs.py);
                        a hand-written page wins over a generated page of the same path
    overrides/          a copy of the theme overrides (mkdocs.yml's theme.custom_dir)
    dlp_site_hooks.py   one line importing dlp-site's MkDocs hooks

`dlp-site stage --out DIR` publishes it for people to read or build with another generator;
`dlp-site build` stages into a temporary folder and builds from there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from ..content.posts import NEWSLETTERS, Post
from ..model.site import Site
from ..render.docs import docs_tree
from ..render.feeds import ATOM, RSS
from ..render.frontmatter import site_settings
from . import mkdocs

OVERRIDES = "overrides"  # theme overrides inside site_src, not pages


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> None:
    """Write {relative path: text or bytes} under root (text as UTF-8)."""
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


def site_src_files(site_src: Path) -> dict[str, bytes]:
    """The council's hand-written pages and files, {docs path: bytes} (theme overrides apart)."""
    if not site_src.is_dir():
        return {}
    return {path.relative_to(site_src).as_posix(): path.read_bytes() for path in sorted(site_src.rglob("*"))
            if path.relative_to(site_src).parts[0] != OVERRIDES and not path.is_dir()}


def stage_files(site: Site, posts: list[Post], attachments: Sequence[Path], site_src: Path, config: Path,
                epoch: int) -> tuple[dict[str, str | bytes], int]:
    """The whole stage as {path in the stage: text or bytes}, and how many files were generated."""
    hand = site_src_files(site_src)
    hand_written = frozenset(name for name in hand if name.endswith(".md"))
    files = docs_tree(site, posts, attachments, skip=hand_written)
    feeds = {kind: f"{NEWSLETTERS}/{name}" for kind, name in (("rss", RSS), ("atom", ATOM))
             if f"{NEWSLETTERS}/{name}" in files}
    generated = mkdocs.generate_config(config, site_settings(site.programme, feeds), epoch)
    # Generated files go over the council's, but no page is generated where a hand-written one
    # is (docs_tree skips those): a hand-written page wins.
    stage: dict[str, str | bytes] = {f"{mkdocs.DOCS}/{name}": content for name, content in {**hand, **files}.items()}
    if generated.overrides is not None and generated.overrides.is_dir():
        stage.update({f"{mkdocs.OVERRIDES}/{path.relative_to(generated.overrides).as_posix()}": path.read_bytes()
                      for path in sorted(generated.overrides.rglob("*")) if path.is_file()})
    stage.update({mkdocs.CONFIG: generated.text, mkdocs.HOOKS: mkdocs.HOOKS_SOURCE})
    return stage, len(files)


def stage(site: Site, posts: list[Post], attachments: Sequence[Path], site_src: Path, config: Path,
          epoch: int, out: Path) -> int:
    """Write the whole stage into the (empty) folder `out`; return how many files were generated."""
    files, count = stage_files(site, posts, attachments, site_src, config, epoch)
    write_tree(out, files)
    return count
