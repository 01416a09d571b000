"""School terms: the one Term type for "2022-summer", used by data, model, render and tools/.

A term is written YEAR-season in the data (2022-summer; seasons spring, summer, autumn), shown
as "Summer term 2022", ordered by the calendar, and ends on the last day of its last month
(the build date of a site that reports it, unless SOURCE_DATE_EPOCH says otherwise).
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

SEASONS = ("spring", "summer", "autumn")  # calendar order within a year
LAST_MONTH = {"spring": 3, "summer": 7, "autumn": 12}  # the month each term ends
TERM_RE = re.compile(r"\d{4}-(autumn|spring|summer)")  # always fullmatch
TERM_HINT = "write the term as YEAR-season, e.g. 2022-summer; seasons are autumn, spring, summer"


class Term(str):
    """A term, as its text ('2022-summer'): equal to and printed as that text, ordered by the calendar."""

    __slots__ = ()

    @classmethod
    def parse(cls, value: object) -> Term:
        """A Term from a cell or setting ('2022-Summer ' reads as 2022-summer); ValueError otherwise."""
        if isinstance(value, Term):
            return value
        text = str(value).strip().lower()
        if not TERM_RE.fullmatch(text):
            raise ValueError(f"'{value}' is not a term")
        return cls(text)

    @property
    def year(self) -> int:
        return int(self[:4])

    @property
    def season(self) -> str:
        return self[5:]

    @property
    def key(self) -> tuple[int, int]:
        return self.year, SEASONS.index(self.season)

    # Calendar order, not the text's: 2022-spring < 2022-summer < 2022-autumn.
    def __lt__(self, other: str) -> bool:
        return self.key < Term.parse(other).key

    def __le__(self, other: str) -> bool:
        return self.key <= Term.parse(other).key

    def __gt__(self, other: str) -> bool:
        return self.key > Term.parse(other).key

    def __ge__(self, other: str) -> bool:
        return self.key >= Term.parse(other).key

    __hash__ = str.__hash__

    @property
    def text(self) -> str:
        """'Summer term 2022'."""
        return f"{self.season.capitalize()} term {self.year}"

    @property
    def last_day(self) -> date:
        month = LAST_MONTH[self.season]
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def end_epoch(self) -> int:
        """Midnight UTC at the start of the term's last day, in seconds since 1970."""
        return calendar.timegm(self.last_day.timetuple())

    @classmethod
    def __get_pydantic_core_schema__(cls, _source: Any, _handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        # Cells and settings are parsed with Term.parse; a Term is written back as its text.
        return core_schema.no_info_plain_validator_function(cls.parse, serialization=core_schema.to_string_ser_schema())
