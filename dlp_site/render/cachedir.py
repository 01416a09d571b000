"""The folder where builds keep what they can make again: the map's shapes and script
(map/cache.py) and Jinja's compiled templates, ours and the theme's (site/mkdocs.py). A build
reads and writes it only to skip work; with it missing, unusable or switched off, builds make
everything and publish the same bytes.

Where: $DLP_SITE_CACHE, or the user's cache folder (platformdirs: ~/.cache/dlp-site on
Linux, ~/Library/Caches/dlp-site on a Mac, AppData\\Local\\dlp-site\\Cache on Windows).
DLP_SITE_CACHE=off switches it off. What is read from it is run (compiled templates) or
published (the map's script), so a folder is used only when it is private: made 0700, a real
folder (not a link), owned by whoever builds (as Jinja checks its own default folder), inside a
folder nobody else can write to.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import jinja2
import platformdirs
from jinja2.bccache import FileSystemBytecodeCache

ENV = "DLP_SITE_CACHE"
OFF = "off"


def _ours(folder: Path, shut: int) -> bool:
    """A real folder (not a link), owned by whoever builds, with none of the `shut` permissions."""
    try:
        info = folder.lstat()
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    if hasattr(os, "getuid"):  # POSIX; on Windows the user's AppData is private already
        return info.st_uid == os.getuid() and not info.st_mode & shut
    return True


def cache_dir(name: str) -> Path | None:
    """<cache folder>/<name>, made if need be; None when caching is off or the folder is not
    safely ours (the build then makes everything, as the first build does)."""
    root = os.environ.get(ENV) or platformdirs.user_cache_dir("dlp-site", appauthor=False)
    if root.strip().lower() == OFF:
        return None
    folder = Path(root) / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    # Nobody else may write where the folder is (and so swap it), or open the folder itself.
    usable = _ours(folder.parent, stat.S_IWGRP | stat.S_IWOTH) and _ours(folder, stat.S_IRWXG | stat.S_IRWXO)
    return folder if usable else None


class _ByName(FileSystemBytecodeCache):
    """Entries keyed by the template's name only, not also its file: for templates read from
    a new temporary folder on every build (the stage's theme overrides), which keyed by file
    would never be found again, each build leaving one more entry. A name loads one file in
    an environment, and Jinja checks the entry against that file's source as ever."""

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(name)


def bytecode_cache(variant: str, *, by_name: bool = False) -> FileSystemBytecodeCache | None:
    """Jinja's own bytecode cache (it checks each entry against the template's source), per
    Jinja version and per `variant` of an environment: the same template compiles differently
    with other settings (the email's overlay does not autoescape), and compiled code from
    another version of Jinja must not load. Jinja keys an entry by the template's name and
    file; `by_name`: by its name alone (_ByName)."""
    folder = cache_dir("jinja")
    pattern = f"{jinja2.__version__}-{variant}-%s.cache"
    if folder is None:
        return None
    return _ByName(str(folder), pattern) if by_name else FileSystemBytecodeCache(str(folder), pattern)
