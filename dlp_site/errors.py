"""Problems found in the data, and the exceptions the CLI turns into one clean error.

Every problem is an :class:`Issue` that names the file, the row as the officer sees it in
Excel (header = row 1) and the column, so a non-developer can go straight to the cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import click


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
        return text


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
