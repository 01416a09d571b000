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

import shutil
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


def copy_site_src(site_src: Path, docs: Path) -> frozenset[str]:
    """Copy the council's hand-written pages and files; return the pages (their .md paths)."""
    pages: set[str] = set()
    if not site_src.is_dir():
        return frozenset()
    for path in sorted(site_src.rglob("*")):
        rel = path.relative_to(site_src)
        if rel.parts[0] == OVERRIDES or path.is_dir():
            continue
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        if path.suffix == ".md":
            pages.add(rel.as_posix())
    return frozenset(pages)


def stage(site: Site, posts: list[Post], attachments: Sequence[Path], site_src: Path, config: Path,
          epoch: int, out: Path) -> int:
    """Write the whole stage into the (empty) folder `out`; return how many files were generated."""
    docs = out / mkdocs.DOCS
    hand_written = copy_site_src(site_src, docs)
    files = docs_tree(site, posts, attachments, skip=hand_written)
    write_tree(docs, files)
    feeds = {kind: f"{NEWSLETTERS}/{name}" for kind, name in (("rss", RSS), ("atom", ATOM))
             if f"{NEWSLETTERS}/{name}" in files}
    generated = mkdocs.generate_config(config, site_settings(site.programme, feeds), epoch)
    if generated.overrides is not None and generated.overrides.is_dir():
        shutil.copytree(generated.overrides, out / mkdocs.OVERRIDES)
    write_tree(out, {mkdocs.CONFIG: generated.text, mkdocs.HOOKS: mkdocs.HOOKS_SOURCE})
    return len(files)
