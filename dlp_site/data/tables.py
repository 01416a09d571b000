"""The data contract: one declarative table per dataset, with the help text officers see.

Each CSV/XLSX row is validated by a frozen pydantic model. Every field carries a description
(shown on the site's data page and checked by a test) and, where useful, a hint that is printed
with any error in that column. Cell parsers are in cells.py; cross-table rules (references,
uniqueness) in references.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, model_validator

from .cells import (
    MAX_COHORT,
    MAX_SCHOOLS,
    MONEY_HINT,
    Cohort,
    Day,
    Email,
    Id,
    Money,
    Number,
    Postcode,
    SchoolCount,
    Text,
    ThemeList,
    Urn,
    YesNo,
    col,
    in_uk,
)
from .terms import TERM_HINT, Term

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


@dataclass(frozen=True)
class Engagement:
    """Schools taking part out of schools listed: the one way engagement is counted (pages,
    downloads, shortcodes and the check against termly reports)."""

    engaged: int
    total: int

    @classmethod
    def of(cls, schools: Iterable[School]) -> Engagement:
        listed = list(schools)
        return cls(sum(1 for s in listed if s.engaged), len(listed))


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


class Reference(NamedTuple):
    """A column whose values must be keys of another table (a foreign key)."""

    column: str
    table: str


@dataclass(frozen=True)
class Table:
    """One dataset: its file stem, row model, key column, help, folder (data/ or geo/) and the
    columns that refer to other tables. Validation, the open-data descriptions and the
    officers' workbook all read the references from here, so they cannot disagree."""

    name: str
    model: type[Row]
    key: tuple[str, ...]
    required: bool
    help: str
    folder: str = "data"
    references: tuple[Reference, ...] = ()

    @property
    def columns(self) -> list[str]:
        return list(self.model.model_fields)

    @property
    def required_columns(self) -> list[str]:
        return [n for n, f in self.model.model_fields.items() if f.is_required()]


TABLES: tuple[Table, ...] = (
    Table("areas", Area, ("area_id",), True, "The areas of the authority."),
    Table("partnerships", Partnership, ("partnership_id",), True,
          "Primary consortia, secondary networks, Early Years districts and city-wide projects.",
          references=(Reference("area_id", "areas"), Reference("lead_school_urn", "schools"))),
    Table("schools", School, ("urn",), True, "Schools and settings, each in one partnership.",
          references=(Reference("partnership_id", "partnerships"),)),
    Table("projects", Project, ("project_id",), True, "Funded projects, each run by one partnership.",
          references=(Reference("partnership_id", "partnerships"),)),
    Table("kpis", Kpi, ("kpi_id",), False, "Key performance indicators, baseline and latest.",
          references=(Reference("project_id", "projects"),)),
    Table("reports", Report, ("project_id", "term"), False, "Termly reports, one per project per term.",
          references=(Reference("project_id", "projects"),)),
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
    hint = field.json_schema_extra.get("hint")
    return hint if isinstance(hint, str) else None
