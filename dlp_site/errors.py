"""Problems found in the data, and the exceptions the CLI turns into one clean error.

Every problem is an :class:`Issue` that names the file, the row as the officer sees it in
Excel (header = row 1) and the column, so a non-developer can go straight to the cell.
"""

from __future__ import annotations

import difflib
import errno
import unicodedata
from dataclasses import dataclass
from enum import Enum

import click


def visible(text: str) -> str:
    """Show characters that print as nothing (zero-width space, NUL, a non-breaking space...)
    as escapes like \\u200b, so a message about them can be read and acted on."""
    def show(char: str) -> str:
        if char == " " or unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"):
            return char
        if char in "\t\n\r":
            return repr(char)[1:-1]
        return f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}"

    return "".join(show(c) for c in text)


class Level(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Issue:
    path: str
    row: int | None
    column: str | None
    message: str
    hint: str | None = None
    level: Level = Level.ERROR

    def format(self) -> str:
        where = self.path
        if self.row is not None:
            where += f":{self.row}"
        if self.column:
            where += f":{self.column}"
        # Errors read exactly file:row:column: message (hint); warnings say so.
        label = "warning: " if self.level is Level.WARNING else ""
        text = f"{where}: {label}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return visible(text)


def errors(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.level is Level.ERROR]


def warnings(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.level is Level.WARNING]


class DlpError(click.ClickException):
    """Base of every error meant for the person running the command (no traceback)."""


class DataError(DlpError):
    def __init__(self, issues: list[Issue], strict: bool = False):
        self.issues = issues
        failing = issues if strict else errors(issues)
        noun = "problem" if len(failing) == 1 else "problems"
        super().__init__(f"{len(failing)} {noun} in the data; nothing was built or published.")


class BuildError(DlpError):
    """MkDocs or the page generator failed after the data was valid."""


class PublishError(DlpError):
    """The output directory could not be replaced safely."""


class NewsletterError(DlpError):
    """A newsletter command could not do what was asked (nothing was written)."""


OS_HINTS = {
    errno.ENOSPC: "the disk is full: free some space and run it again",
    errno.EDQUOT: "your disk quota is used up: free some space and run it again",
    errno.EACCES: "check that you may read or write there",
    errno.EPERM: "the file or folder is locked or protected",
    errno.EROFS: "the disk is read-only",
    errno.ENAMETOOLONG: "the path is too long for the file system",
    errno.EISDIR: "a folder has the name a file should have",
    errno.ENOTDIR: "a file has the name a folder should have",
    errno.EADDRINUSE: "another program uses that port: stop it or choose another with --port",
}


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


def describe(exc: Exception) -> str:
    """One line for a failure that is not a DlpError: a file or disk problem (OSError) reads
    'file: what happened (hint)'; anything else is a bug in dlp-site and says so."""
    if isinstance(exc, OSError):
        text = f"{exc.filename}: {exc.strerror or exc}" if exc.filename else f"{exc.strerror or exc}"
        hint = OS_HINTS.get(exc.errno or 0)
        return visible(_one_line(f"{text} ({hint})" if hint else text))
    return visible(f"unexpected {type(exc).__name__}: {_one_line(str(exc))} "
                   "(a bug in dlp-site: run with --verbose for details, and report it)")


def suggest(value: str, choices: list[str]) -> str | None:
    """A 'did you mean' hint for a value that is not one of `choices`."""
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None
