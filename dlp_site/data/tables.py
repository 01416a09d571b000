"""The data contract: one declarative table per dataset, with the help text officers see.

Each CSV/XLSX row is validated by a frozen pydantic model. Every field carries a description
(shown on the site's data page and checked by a test) and, where useful, a hint that is printed
with any error in that column. Cross-table rules (references, uniqueness) live in validate.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

# --- cell parsers ---------------------------------------------------------------------------
# Each raises ValueError with a message written for a council officer, not a developer.

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
TERM_RE = re.compile(r"^(\d{4})-(autumn|spring|summer)$")
SEASONS = ("spring", "summer", "autumn")  # calendar order within a year
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
    if not SLUG_RE.match(value):
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
    return _decimal(value, text, "a number")


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


def _term(value: str) -> str:
    text = str(value).strip().lower()
    if not TERM_RE.match(text):
        raise ValueError(f"'{value}' is not a term")
    return text


def term_key(term: str) -> tuple[int, int]:
    year, season = term.split("-")
    return int(year), SEASONS.index(season)


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
    if not re.match(r"^[a-z0-9][a-z0-9_-]*$", value):
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


Id = Annotated[str, BeforeValidator(_text), AfterValidator(_slug)]
ThemeId = Annotated[str, BeforeValidator(_text), AfterValidator(_slug_or_snake)]
Text = Annotated[str, BeforeValidator(_text)]
Money = Annotated[Decimal, BeforeValidator(_money)]
Number = Annotated[Decimal, BeforeValidator(_number)]
MAX_SCHOOLS = 10_000
MAX_COHORT = 1_000_000
MAX_URN = 9_999_999  # URNs are six digits today
SchoolCount = Annotated[int, BeforeValidator(_whole), AfterValidator(_non_negative), _at_most(MAX_SCHOOLS)]
Cohort = Annotated[int, BeforeValidator(_whole), AfterValidator(_positive), _at_most(MAX_COHORT)]
Term = Annotated[str, BeforeValidator(_term)]
Day = Annotated[date, BeforeValidator(_date)]
Postcode = Annotated[str, BeforeValidator(_postcode)]
YesNo = Annotated[bool, BeforeValidator(_yes_no)]
ThemeList = Annotated[tuple[str, ...], BeforeValidator(_id_list)]
Urn = Annotated[int, BeforeValidator(_whole), AfterValidator(_positive), _at_most(MAX_URN)]
Email = Annotated[str, BeforeValidator(_email)]
Url = Annotated[str, BeforeValidator(_url)]


def col(description: str, hint: str | None = None, example: str | None = None, **kw: Any) -> Any:
    extra = {"hint": hint, "example": example}
    return Field(description=description, json_schema_extra=extra, **kw)


PartnershipKind = Literal["primary_consortium", "secondary_network", "early_years", "citywide"]
Phase = Literal[
    "nursery",
    "primary",
    "secondary",
    "all_through",
    "special",
    "resource_base",
    "post16",
    "alternative_provision",
]
Rag = Literal["green", "amber", "red"]
Unit = Literal["percent", "count", "days", "months", "score"]
Direction = Literal["increase", "decrease"]

# What a KPI value may be, by unit (inclusive). Wide enough for any real measure, narrow enough
# that a slipped decimal point or a pasted serial number is caught.
UNIT_RANGES: dict[str, tuple[Decimal, Decimal]] = {
    "percent": (Decimal(0), Decimal(100)),
    "count": (Decimal(0), Decimal(1_000_000)),
    "days": (Decimal(0), Decimal(3_660)),  # ten years
    "months": (Decimal(0), Decimal(600)),  # fifty years, e.g. a reading age
    "score": (Decimal(-10_000), Decimal(10_000)),  # scales differ and may be negative
}
RANGES_TEXT = "; ".join(f"{unit} {low:,} to {high:,}" for unit, (low, high) in UNIT_RANGES.items())
UNIT_HINTS = {unit: f"a {unit} value is between {low:,} and {high:,}" for unit, (low, high) in UNIT_RANGES.items()}
UNIT_HINTS["percent"] = "percentages are written 0 to 100, e.g. 43.4"

TERM_HINT = "write the term as YEAR-season, e.g. 2022-summer; seasons are autumn, spring, summer"
MONEY_HINT = f"pounds and pence, £0 to £{MAX_MONEY:,.0f}, e.g. 304522.41"


class Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class Area(Row):
    area_id: Id = col("Short id used in web addresses.", example="north-west")
    name: Text = col("Name of the area as people know it.", example="North West")


class Partnership(Row):
    partnership_id: Id = col("Short id used in web addresses.", example="sparklers")
    name: Text = col("Name of the consortium, network, district or city-wide project.")
    kind: PartnershipKind = col(
        "What sort of partnership it is.",
        hint="one of primary_consortium, secondary_network, early_years, citywide",
    )
    area_id: Id | None = col(
        "The area it belongs to (an area_id from areas). Leave empty only for citywide.",
        default=None,
    )
    contact_email: Email | None = col(
        "A role address schools can write to about this partnership's work (optional).",
        hint="an email address such as send-team@council.gov.uk", default=None,
    )
    lead_school_urn: Urn | None = col("URN of the lead (banker) school (optional).", default=None)


class Located(Row):
    """A row with a WGS84 point that must lie in the UK (schools, postcode centroids)."""

    @model_validator(mode="after")
    def _in_uk(self) -> Located:
        lat, lon = float(self.latitude), float(self.longitude)  # type: ignore[attr-defined]
        if in_uk(lat, lon):
            return self
        if in_uk(lon, lat):
            raise LocationError("latitude and longitude look swapped")
        raise LocationError(f"location {lat}, {lon} is outside the UK")


class School(Located):
    urn: Urn = col("Unique Reference Number from Get Information About Schools.", example="103456")
    name: Text = col("School or setting name.")
    phase: Phase = col(
        "Phase of education.",
        hint="one of nursery, primary, secondary, all_through, special, resource_base, post16, "
        "alternative_provision",
    )
    postcode: Postcode = col("The school's postcode.", hint="a UK postcode such as B11 4AB")
    latitude: Number = col("Latitude in decimal degrees (WGS84).", example="52.4587")
    longitude: Number = col("Longitude in decimal degrees (WGS84); negative west of Greenwich.")
    partnership_id: Id = col("The partnership it belongs to (a partnership_id).")
    engaged: YesNo = col("Whether the school is taking part in its partnership's projects.", hint="yes or no")


class PostcodePoint(Located):
    postcode: Postcode = col("A full postcode.", hint="a UK postcode such as B11 4AB")
    latitude: Number = col("Latitude of the postcode's centre in decimal degrees (WGS84).", example="52.4587")
    longitude: Number = col("Longitude of the postcode's centre in decimal degrees (WGS84).", example="-1.8483")


class LocationError(ValueError):
    """A whole-row location problem, reported against the latitude column."""

    column = "latitude"
    hint = "latitude is about 50 to 60 in the UK and longitude about -8 to 2"


class Project(Row):
    project_id: Id = col("Short id used in web addresses.", example="sparklers-semh-hub")
    title: Text = col("Project title.")
    partnership_id: Id = col("The partnership running it (a partnership_id).")
    themes: ThemeList = col(
        "Theme ids from programme.yml, separated by ';'.", hint="e.g. semh;autism", example="semh;autism"
    )
    summary: Text = col("A short plain-English summary for parents and schools.")
    status: Rag = col("Overall RAG status.", hint="green, amber or red")
    allocation_gbp: Money = col("Money allocated to the project.", hint=MONEY_HINT)
    spend_gbp: Money = col("Money spent to date.", hint=MONEY_HINT)
    start_date: Day = col("Date the project started.", hint="a date such as 2021-09-01 or 01/09/2021")


class Kpi(Row):
    kpi_id: Id = col("Short unique id for the measure.")
    project_id: Id = col("The project it measures (a project_id).")
    measure: Text = col("What is measured, in plain English.")
    unit: Unit = col("Unit of the values.", hint="one of percent, count, days, months, score")
    direction: Direction = col(
        "Which way is better: increase (e.g. attendance) or decrease (e.g. exclusions).",
        hint="increase or decrease",
    )
    baseline: Number = col(f"Value at the start ({RANGES_TEXT}).", hint="a number; percentages without the % sign")
    baseline_period: Term = col("Term the baseline was measured.", hint=TERM_HINT)
    latest: Number = col("Most recent value (same ranges as baseline).",
                         hint="a number; percentages without the % sign")
    latest_period: Term = col("Term the latest value was measured.", hint=TERM_HINT)
    cohort: Cohort = col(
        f"Number of pupils measured (1 to {MAX_COHORT:,}). "
        "Values for cohorts below the disclosure threshold are suppressed.",
        hint="a whole number of pupils",
    )
    note: Text | None = col("Where the figures come from, or caveats (optional).", default=None)

    @model_validator(mode="after")
    def _in_range(self) -> Kpi:
        low, high = UNIT_RANGES[self.unit]
        for column in ("baseline", "latest"):
            value = getattr(self, column)
            if not low <= value <= high:
                message = (f"{value} is not a percentage between 0 and 100" if self.unit == "percent"
                           else f"{value} is outside the range for {self.unit}, {low:,} to {high:,}")
                raise ColumnError(column, message, UNIT_HINTS[self.unit])
        return self


class ColumnError(ValueError):
    """A row-level rule that belongs to one column."""

    def __init__(self, column: str, message: str, hint: str | None = None):
        super().__init__(message)
        self.column = column
        self.hint = hint


class Report(Row):
    project_id: Id = col("The project reporting (a project_id).")
    term: Term = col("The term the report covers.", hint=TERM_HINT)
    rag: Rag = col("RAG rating for the term.", hint="green, amber or red")
    schools_engaged: SchoolCount = col(f"Schools actively taking part this term (0 to {MAX_SCHOOLS:,}).")
    schools_total: SchoolCount = col(f"Schools in the partnership this term (0 to {MAX_SCHOOLS:,}).")
    spend_gbp: Money = col("Cumulative spend to the end of the term.", hint=MONEY_HINT)
    highlights: Text | None = col("What went well.", default=None)
    barriers: Text | None = col("What got in the way.", default=None)
    learning: Text | None = col("What the partnership learned.", default=None)
    parent_voice: Text | None = col("What parents and carers said.", default=None)
    cyp_voice: Text | None = col("What children and young people said.", default=None)

    @model_validator(mode="after")
    def _engaged_le_total(self) -> Report:
        if self.schools_engaged > self.schools_total:
            raise ColumnError(
                "schools_engaged",
                f"{self.schools_engaged} schools engaged is more than the {self.schools_total} in total",
                "schools_engaged counts schools taking part, so it cannot exceed schools_total",
            )
        return self


class FundingLine(Row):
    line: Text = col("Budget line.")
    amount_gbp: Money = col("Amount for the line.", hint=MONEY_HINT)
    notes: Text | None = col("Notes (optional).", default=None)


# --- programme.yml ---------------------------------------------------------------------------


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class MapSettings(Settings):
    centre: tuple[float, float] | None = Field(
        default=None, description="Map centre as [latitude, longitude]; default: the schools' centre."
    )
    zoom: int = Field(default=11, ge=1, le=18, description="Initial zoom level.")

    @model_validator(mode="after")
    def _centre_in_uk(self) -> MapSettings:
        if self.centre is not None and not in_uk(*self.centre):
            raise ValueError(f"the map centre {list(self.centre)} is not [latitude, longitude] in the UK")
        return self
    tiles: Literal["openstreetmap", "none"] = Field(
        default="openstreetmap", description="Background tiles: openstreetmap or none."
    )


class FormulaFactor(Settings):
    name: str
    weight_percent: Decimal = Field(ge=0, le=100)
    note: str | None = None


class AllocationFormula(Settings):
    description: str | None = None
    factors: tuple[FormulaFactor, ...] = ()


class DataSource(Settings):
    title: str
    date: str | None = None
    note: str | None = None


class Programme(Settings):
    programme: str = Field(min_length=1, description="Programme name.")
    short_name: str = Field(min_length=1, description="Short name or acronym.")
    local_authority: str = Field(min_length=1, description="The council publishing the site.")
    reporting_term: Term = Field(description="Latest term reported, e.g. 2022-summer.")
    themes: dict[ThemeId, str] = Field(min_length=1, description="Theme id -> label.")
    disclosure_threshold: int = Field(
        default=5, ge=1, description="Pupil counts below this are suppressed everywhere."
    )
    site_url: Url | None = Field(default=None, description="Public address of the site.")
    contact_email: Email | None = Field(default=None, description="Contact for the accessibility statement.")
    illustrative_note: str | None = Field(
        default=None, description="Plain statement of which figures are illustrative; shown on every page."
    )
    data_sources: tuple[DataSource, ...] = Field(default=(), description="Sources and licences.")
    allocation_formula: AllocationFormula | None = Field(default=None, description="How money was allocated.")
    average_allocation: dict[str, Money] = Field(
        default_factory=dict, description="Average notional allocation per school, by phase."
    )
    map: MapSettings = Field(default_factory=MapSettings, description="Map settings.")


@dataclass(frozen=True)
class Table:
    """One dataset: its file stem, row model, key column, help and folder (data/ or geo/)."""

    name: str
    model: type[Row]
    key: tuple[str, ...]
    required: bool
    help: str
    folder: str = "data"

    @property
    def columns(self) -> list[str]:
        return list(self.model.model_fields)

    @property
    def required_columns(self) -> list[str]:
        return [n for n, f in self.model.model_fields.items() if f.is_required()]


TABLES: tuple[Table, ...] = (
    Table("areas", Area, ("area_id",), True, "The areas of the authority."),
    Table("partnerships", Partnership, ("partnership_id",), True,
          "Primary consortia, secondary networks, Early Years districts and city-wide projects."),
    Table("schools", School, ("urn",), True, "Schools and settings, each in one partnership."),
    Table("projects", Project, ("project_id",), True, "Funded projects, each run by one partnership."),
    Table("kpis", Kpi, ("kpi_id",), False, "Key performance indicators, baseline and latest."),
    Table("reports", Report, ("project_id", "term"), False, "Termly reports, one per project per term."),
    Table("funding", FundingLine, ("line",), False, "Budget lines of the whole programme."),
    Table("postcodes", PostcodePoint, ("postcode",), False,
          "Postcode centres for the map's postcode search (for example from the ONS Postcode Directory). "
          "Without it, the search uses the schools' own postcodes and the centres of their sectors "
          "and districts.", folder="geo"),
)
TABLES_BY_NAME = {t.name: t for t in TABLES}


def field_hint(model: type[BaseModel], column: str) -> str | None:
    field = model.model_fields.get(column)
    if field is None or not isinstance(field.json_schema_extra, dict):
        return None
    return field.json_schema_extra.get("hint")
