"""Cell parsers: how one spreadsheet cell becomes a value, with messages written for officers.

Each parser raises ValueError with a message a council officer can act on; the Annotated types
below (Id, Money, Postcode...) are what the row models in tables.py and the settings in
settings.py are built from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field

# Ids: lower-case letters, digits and hyphens. Always fullmatch: "$" would accept a final newline.
SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]*")
THEME_ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]*")  # theme ids may also use '_'

# The UK postcode format (BS 7666), outward code then inward code.
POSTCODE_RE = re.compile(
    r"^(GIR ?0AA|(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"
    r"|[A-PR-UWYZ][0-9][A-HJKSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) ?[0-9][ABD-HJLNP-UW-Z]{2})$"
)
# Generous bounding box of the UK including Northern Ireland and Shetland.
UK_LAT = (49.8, 60.9)
UK_LON = (-8.7, 1.8)


def in_uk(lat: float, lon: float) -> bool:
    return UK_LAT[0] <= lat <= UK_LAT[1] and UK_LON[0] <= lon <= UK_LON[1]


MAX_ID = 80  # ids become folder names and web addresses: short enough for every file system
# Names Windows reserves for devices, whatever the extension: a folder called 'con' cannot exist.
WINDOWS_DEVICES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def _portable(value: str) -> str:
    if len(value) > MAX_ID:
        raise ValueError(f"the id is {len(value)} characters long; ids are at most {MAX_ID}")
    if value.split(".")[0] in WINDOWS_DEVICES:
        raise ValueError(f"'{value}' cannot be an id: Windows reserves the name for a device")
    return value


def _slug(value: str) -> str:
    if not SLUG_RE.fullmatch(value):
        raise ValueError(
            f"'{value}' is not a valid id: use lower-case letters, digits and hyphens, "
            "starting with a letter or digit"
        )
    return _portable(value)


# Bounds on figures, so a typo (1e30, a pasted 28-digit number) is an error rather than a
# published absurdity. Money is per cell, in pounds.
MAX_MONEY = Decimal(1_000_000_000)
MAX_FIGURE = Decimal(10) ** 15  # no cell is read as a number beyond this, whatever its column
MAX_NUMBER_TEXT = 40  # characters in a numeric cell


def _decimal(value: Any, text: str, what: str) -> Decimal:
    if len(text) > MAX_NUMBER_TEXT:
        raise ValueError(f"a {len(text)}-character cell is not {what}")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"'{value}' is not {what}") from None
    if not number.is_finite():
        raise ValueError(f"'{value}' is not {what}")
    if abs(number) > MAX_FIGURE:
        raise ValueError(f"'{value}' is far too large to be {what} here")
    return number


def _money(value: Any) -> Decimal:
    text = str(value).strip().replace("£", "").replace(",", "").replace(" ", "")
    amount = _decimal(value, text, "an amount of money")
    if amount < 0:
        raise ValueError(f"amount {value} is negative")
    if amount > MAX_MONEY:
        raise ValueError(f"£{amount:,.0f} is more than the largest amount allowed, £{MAX_MONEY:,.0f}")
    return amount.quantize(Decimal("0.01"))


def _number(value: Any) -> Decimal:
    text = str(value).strip().replace(",", "")
    if text.endswith("%"):
        text = text[:-1]
    return _plain(_decimal(value, text, "a number"))


def _plain(number: Decimal) -> Decimal:
    """The number's value without the zeros it was typed with: a workbook stores -1.8222 where a
    CSV says -1.82220, and the same data must publish the same figures whichever it came from."""
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def _at_most(limit: int) -> Any:
    def check(value: int) -> int:
        if value > limit:
            raise ValueError(f"{value:,} is more than {limit:,}")
        return value
    return AfterValidator(check)


def _whole(value: Any) -> int:
    number = _number(value)
    if number != number.to_integral_value():
        raise ValueError(f"'{value}' is not a whole number")
    return int(number)


def _non_negative(value: int) -> int:
    if value < 0:
        raise ValueError(f"{value} is negative")
    return value


def _positive(value: int) -> int:
    if value <= 0:
        raise ValueError(f"{value} must be at least 1")
    return value



def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{value}' is not a date")


def _postcode(value: str) -> str:
    text = " ".join(str(value).upper().split())
    if not POSTCODE_RE.match(text):
        raise ValueError(f"'{value}' is not a valid UK postcode")
    compact = text.replace(" ", "")
    return f"{compact[:-3]} {compact[-3:]}"


def _yes_no(value: Any) -> bool:
    text = str(value).strip().lower()
    if text in ("yes", "y", "true"):
        return True
    if text in ("no", "n", "false"):
        return False
    raise ValueError(f"'{value}' is not yes or no")


def _id_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, (list, tuple)):
        parts = [str(p).strip() for p in value]
    else:
        parts = [p.strip() for p in str(value).split(";")]
    parts = [p for p in parts if p]
    if not parts:
        raise ValueError("no theme ids given")
    for part in parts:
        _slug_or_snake(part)
    return tuple(dict.fromkeys(parts))


def _slug_or_snake(value: str) -> str:
    if not THEME_ID_RE.fullmatch(value):
        raise ValueError(f"'{value}' is not a valid id: use lower-case letters, digits, '_' or '-'")
    return _portable(value)


def _text(value: Any) -> str:
    return str(value).strip()


EMAIL_RE = re.compile(r"^[^@\s<>\"'()]+@[^@\s<>\"'()]+\.[A-Za-z]{2,}$")


def _email(value: Any) -> str:
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:"):]
    if not EMAIL_RE.match(text):
        raise ValueError(f"'{value}' is not an email address")
    return text


def _url(value: Any) -> str:
    text = str(value).strip()
    if not re.match(r"^https?://[^\s<>\"']+$", text):
        raise ValueError(f"'{value}' is not a web address starting with https://")
    return text


@dataclass(frozen=True)
class Cell:
    """How a column of this type is typed in a spreadsheet. Metadata only (pydantic ignores it):
    the officers' workbook formats and checks its cells with it (data/columns.py), and the
    workbook reader knows which columns hold dates."""

    kind: Literal["text", "decimal", "whole", "date"] = "text"
    number_format: str = "@"  # Excel's: '@' keeps what is typed as text (ids, terms, postcodes)
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    choices: tuple[str, ...] = ()


TEXT = Cell()
# Free text stays General: Excel shows a text-formatted cell of over 255 characters as ####.
PROSE = Cell(number_format="General")
Id = Annotated[str, BeforeValidator(_text), AfterValidator(_slug), TEXT]
ThemeId = Annotated[str, BeforeValidator(_text), AfterValidator(_slug_or_snake), TEXT]
Text = Annotated[str, BeforeValidator(_text), PROSE]
Money = Annotated[Decimal, BeforeValidator(_money), Cell("decimal", "#,##0.00", Decimal(0), MAX_MONEY)]
# General: latitudes and KPI values show as many decimals as were typed.
Number = Annotated[Decimal, BeforeValidator(_number), Cell("decimal", "General")]
MAX_SCHOOLS = 10_000
MAX_COHORT = 1_000_000
MAX_URN = 9_999_999  # URNs are six digits today
SchoolCount = Annotated[int, BeforeValidator(_whole), AfterValidator(_non_negative), _at_most(MAX_SCHOOLS),
                        Cell("whole", "0", Decimal(0), Decimal(MAX_SCHOOLS))]
Cohort = Annotated[int, BeforeValidator(_whole), AfterValidator(_positive), _at_most(MAX_COHORT),
                   Cell("whole", "0", Decimal(1), Decimal(MAX_COHORT))]
Day = Annotated[date, BeforeValidator(_date), Cell("date", "yyyy-mm-dd")]
Postcode = Annotated[str, BeforeValidator(_postcode), TEXT]
YesNo = Annotated[bool, BeforeValidator(_yes_no), Cell(choices=("yes", "no"))]
ThemeList = Annotated[tuple[str, ...], BeforeValidator(_id_list), TEXT]
Urn = Annotated[int, BeforeValidator(_whole), AfterValidator(_positive), _at_most(MAX_URN),
                Cell("whole", "0", Decimal(1), Decimal(MAX_URN))]
Email = Annotated[str, BeforeValidator(_email), TEXT]
Url = Annotated[str, BeforeValidator(_url), TEXT]


def col(description: str, hint: str | None = None, example: str | None = None, **kw: Any) -> Any:
    extra: dict[str, Any] = {"hint": hint, "example": example}
    return Field(description=description, json_schema_extra=extra, **kw)



MONEY_HINT = f"pounds and pence, £0 to £{MAX_MONEY:,.0f}, e.g. 304522.41"
