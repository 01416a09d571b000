"""Problems found in the data, and the exceptions the CLI turns into one clean error.

Every problem is an :class:`Issue` that names the file, the row as the officer sees it in
Excel (header = row 1) and the column, so a non-developer can go straight to the cell.
"""

from __future__ import annotations

import difflib
import errno
import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

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


def sheet_label(file: str, sheet: str) -> str:
    """How messages name a sheet of a workbook: book.xlsx[sheet]."""
    return f"{file}[{sheet}]"


def split_label(path: str) -> tuple[str, str | None]:
    """(file, sheet) of a label made by sheet_label, (path, None) for any other file. Excel
    forbids '[' and ']' in sheet names, so the last '[' starts the sheet's name."""
    if path.endswith("]") and "[" in path:
        file, _, sheet = path[:-1].rpartition("[")
        if file:
            return file, sheet
    return path, None


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

    @property
    def file(self) -> str:
        return split_label(self.path)[0]

    @property
    def sheet(self) -> str | None:
        return split_label(self.path)[1]


# --- the same problems for machines: GitHub annotations and JSON ----------------------------------

def real_file(issue: Issue, data: Path, geo: Path | None) -> str:
    """The problem's file as a path from where the command ran (data/projects.csv): messages
    name files inside data/ by their name, and files of the geo folder as geo/NAME."""
    file = issue.file
    if file.startswith("geo/") and geo is not None:
        return (geo / file[len("geo/"):]).as_posix()
    if Path(file).is_absolute() or Path(file) == data:
        return Path(file).as_posix()
    return (data / file).as_posix()


def _escape_data(text: str) -> str:
    # GitHub's workflow-command rules (@actions/core, command.ts): escapeData.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(issue: Issue, file: str) -> str:
    """One `::error file=...,line=...,title=...::message` workflow command: GitHub shows it on the
    file and line. A workbook has no lines, so its sheet, row and column go in the title."""
    where = issue.file if issue.sheet is None else f"{issue.file}, sheet {issue.sheet}"
    if issue.row is not None:
        where += f", row {issue.row}"
    if issue.column:
        where += f", column {issue.column}"
    props = {"file": file}
    if issue.row is not None and issue.sheet is None:
        props["line"] = str(issue.row)
    props["title"] = where
    message = issue.message + (f" ({issue.hint})" if issue.hint else "")
    command = "warning" if issue.level is Level.WARNING else "error"
    fields = ",".join(f"{key}={_escape_property(visible(value))}" for key, value in props.items())
    return f"::{command} {fields}::{_escape_data(visible(message))}"


def as_json(issue: Issue, file: str) -> dict[str, object]:
    return {"file": file, "sheet": issue.sheet, "row": issue.row, "column": issue.column,
            "message": issue.message, "hint": issue.hint, "level": issue.level.value, "text": issue.format()}


def machine_report(fmt: str, issues: list[Issue], file: Callable[[Issue], str]) -> str:
    """Every problem for a machine: `github`, one workflow command a line (nothing when all is
    well); `json`, one JSON document. `file` gives each problem's real path."""
    if fmt == "github":
        return "".join(github_annotation(i, file(i)) + "\n" for i in issues)
    return json.dumps({"errors": len(errors(issues)), "warnings": len(warnings(issues)),
                       "problems": [as_json(i, file(i)) for i in issues]}, ensure_ascii=False, indent=2) + "\n"


def errors(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.level is Level.ERROR]


def warnings(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.level is Level.WARNING]


class DlpError(click.ClickException):
    """Base of every error meant for the person running the command (no traceback)."""


class DataError(DlpError):
    def __init__(self, issues: list[Issue], strict: bool = False, outcome: str = "nothing was built or published"):
        self.issues = issues
        failing = issues if strict else errors(issues)
        noun = "problem" if len(failing) == 1 else "problems"
        super().__init__(f"{len(failing)} {noun} in the data; {outcome}.")


class BuildError(DlpError):
    """MkDocs or the page generator failed after the data was valid."""


class PublishError(DlpError):
    """The output directory could not be replaced safely."""


class ProjectError(DlpError):
    """A workbook template or a new project folder could not be written (nothing was written)."""


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
