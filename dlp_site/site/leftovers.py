"""Temporary folders that are ours, and removing the ones a killed run left behind.

Every temporary folder dlp-site makes is
- named by us: a fixed prefix, then the pid of the process that made it (`.site.new-4242-x1y2`
  beside --out, `dlp-docs-4242-x1y2` and `dlp-serve-4242-x1y2` in the temporary directory);
- marked by us: a marker file inside it, written as soon as it exists;
- locked by us: its maker holds an flock on the folder for as long as it uses it. The kernel
  drops the lock when the process dies, however it dies (even kill -9), so a folder whose lock
  can be taken belongs to nobody.

`clean_stale` removes a folder only when all three hold (an empty folder with our name whose
maker's pid is gone also goes: the maker died before writing the marker). Anything else that
merely looks similar is left alone. Without flock (Windows) stale folders are not cleaned.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

TEMP_MARKER = ".dlp-site-temp"
TEMP_MARKER_TEXT = "A temporary folder of dlp-site; it is removed when the command ends.\n"
DOCS_PREFIX = "dlp-docs-"
SERVE_PREFIX = "dlp-serve-"


@dataclass
class Owned:
    """A temporary folder of ours, locked while this process uses it."""

    path: Path
    marker: str
    fd: int | None

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def remove(self) -> None:
        remove_tree(self.path, self.marker)
        self.release()


def _lock(path: Path, *, wait: bool) -> int | None:
    """An fd holding an exclusive flock on the folder, or None if another process holds it."""
    if fcntl is None:
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except OSError:
        os.close(fd)
        return None
    return fd


def make_owned(parent: Path, prefix: str, marker: str = TEMP_MARKER, marker_text: str = TEMP_MARKER_TEXT) -> Owned:
    path = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))
    owned = Owned(path, marker, _lock(path, wait=True))
    try:
        (path / marker).write_text(marker_text, encoding="utf-8")
    except BaseException:
        owned.remove()
        raise
    return owned


def remove_tree(path: Path, marker: str) -> None:
    """Delete a folder of ours with its marker last, so a run killed half-way through deleting
    still leaves a folder the next run recognises (and finishes off)."""
    try:
        entries = list(os.scandir(path))
    except FileNotFoundError:
        return
    for entry in entries:
        if entry.name == marker:
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            _unlink(entry.path)
    _unlink(os.path.join(path, marker))
    try:
        os.rmdir(path)
    except FileNotFoundError:
        pass


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _pid_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # exists, but another user's
    return False


def clean_stale(parent: Path, prefixes: tuple[str, ...], marker: str) -> list[Path]:
    """Remove folders in `parent` that a dead dlp-site run left behind. Returns what went."""
    if fcntl is None or not parent.is_dir():
        return []
    pattern = re.compile("^(?:" + "|".join(re.escape(p) for p in prefixes) + r")(\d+)-[A-Za-z0-9_]+$")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed  # cleaning up is a courtesy: never a reason to fail
    for entry in entries:
        match = pattern.match(entry.name)
        if not match:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except FileNotFoundError:
            continue
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            continue
        path = Path(entry.path)
        fd = _lock(path, wait=False)
        if fd is None:
            continue  # its maker is still running
        try:
            if (path / marker).is_file():
                remove_tree(path, marker)
                removed.append(path)
            elif _pid_gone(int(match.group(1))):
                try:
                    os.rmdir(path)  # only if empty: its maker died before marking it
                    removed.append(path)
                except OSError:
                    pass
        finally:
            os.close(fd)
    return removed


def temp_parent() -> Path:
    return Path(tempfile.gettempdir())


def clean_stale_temp() -> list[Path]:
    return clean_stale(temp_parent(), (DOCS_PREFIX, SERVE_PREFIX), TEMP_MARKER)
