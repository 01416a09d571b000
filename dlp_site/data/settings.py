"""programme.yml: the programme's settings, validated like a table row (see validate.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .cells import Email, Money, ThemeId, Url, in_uk
from .terms import TERM_HINT, Term


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class MapSettings(Settings):
    centre: tuple[float, float] | None = Field(
        default=None, description="Map centre as [latitude, longitude]; default: the schools' centre.",
        examples=[[52.5, -1.9]],
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
    name: str = Field(description="What the factor counts.", examples=["Pupils with EHC plans"])
    weight_percent: Decimal = Field(ge=0, le=100, description="Its share of the money, 0 to 100.", examples=[50])
    note: str | None = Field(default=None, description="A note on the factor (optional).")


class AllocationFormula(Settings):
    description: str | None = Field(default=None, description="How the formula works, in a sentence or two.",
                                    examples=["Money is shared between partnerships by the needs of their pupils."])
    factors: tuple[FormulaFactor, ...] = Field(default=(), description="The factors and their weights.")


class DataSource(Settings):
    title: str = Field(description="Name of the source.", examples=["Termly returns from partnerships"])
    date: str | None = Field(default=None, description="When it was published or collected (optional).",
                             examples=["2025-07"])
    note: str | None = Field(default=None, description="Licence or caveats (optional).")


class Programme(Settings):
    programme: str = Field(min_length=1, description="Programme name.")
    short_name: str = Field(min_length=1, description="Short name or acronym.")
    local_authority: str = Field(min_length=1, description="The council publishing the site.")
    reporting_term: Term = Field(description="Latest term reported, e.g. 2022-summer.",
                                 json_schema_extra={"hint": TERM_HINT})
    themes: dict[ThemeId, str] = Field(min_length=1, description="Theme id -> label.",
                                       examples=[{"semh": "Social, emotional and mental health"}])
    disclosure_threshold: int = Field(
        default=5, ge=1, description="Pupil counts below this are suppressed everywhere."
    )
    site_url: Url | None = Field(default=None, description="Public address of the site.",
                                 examples=["https://example.github.io/send-programme/"])
    contact_email: Email | None = Field(default=None, description="Contact for the accessibility statement.",
                                        examples=["send-team@example.org"])
    illustrative_note: str | None = Field(
        default=None, description="Plain statement of which figures are illustrative; shown on every page.",
        examples=["School names and spend are illustrative."],
    )
    data_sources: tuple[DataSource, ...] = Field(default=(), description="Sources and licences.")
    allocation_formula: AllocationFormula | None = Field(default=None, description="How money was allocated.")
    average_allocation: dict[str, Money] = Field(
        default_factory=dict, description="Average notional allocation per school, by phase.",
        examples=[{"primary": 3500, "secondary": 5000}],
    )
    map: MapSettings = Field(default_factory=MapSettings, description="Map settings.")
