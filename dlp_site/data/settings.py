"""programme.yml: the programme's settings, validated like a table row (see validate.py)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    field_validator,
    model_validator,
)

from .cells import Email, Money, ThemeId, Url, in_uk
from .terms import TERM_HINT, Term


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


# org-id.guide identifiers: a list code (country or XI, then the register) and the id in it.
ORG_ID_RE = re.compile(r"(?:[A-Z]{2}|XI)-[A-Z0-9]+-[A-Za-z0-9][A-Za-z0-9._-]*")
GRANT_PREFIX_RE = re.compile(r"360G-[A-Za-z0-9][A-Za-z0-9._-]*")
OGL = ("Open Government Licence v3.0", "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")


class Licence(Settings):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, description="The licence's name, e.g. Open Government Licence v3.0.")
    url: Url = Field(description="The licence's web address.")


class OpenData(Settings):
    """Who publishes the open data and under which identifiers (README: Open data)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    org_id: str | None = Field(
        default=None, description="The council's organisation identifier from org-id.guide, e.g. GB-LAE-BIR: "
        "the funder in the 360Giving data, and the owner of the Open Referral ids.",
        json_schema_extra={"hint": "an org-id such as GB-LAE-BIR (Local Authorities in England: GB-LAE-<code>)"})
    grant_prefix: str | None = Field(
        default=None, description="The 360Giving identifier prefix registered for the council, e.g. 360G-example: "
        "each grant's id is this prefix, '-', the project_id.",
        json_schema_extra={"hint": "the prefix 360Giving gave you, starting 360G-, e.g. 360G-example"})
    licence: Licence = Field(default=Licence(name=OGL[0], url=OGL[1]),
                             description="Licence of every open data file; default the Open Government Licence v3.0.")
    publisher: str | None = Field(default=None, description="Who publishes the data; default local_authority.")
    contact_email: Email | None = Field(default=None,
                                        description="Who to ask about the data; default the site's contact_email.")

    @field_validator("org_id")
    @classmethod
    def _org_id(cls, value: str | None) -> str | None:
        if value is not None and not ORG_ID_RE.fullmatch(value.strip()):
            raise ValueError(f"'{value}' is not an org-id")
        return value.strip() if value else value

    @field_validator("grant_prefix")
    @classmethod
    def _grant_prefix(cls, value: str | None) -> str | None:
        if value is not None and not GRANT_PREFIX_RE.fullmatch(value.strip()):
            raise ValueError(f"'{value}' is not a 360Giving prefix: it starts 360G- and has letters, digits, "
                             "'.', '_' or '-'")
        return value.strip() if value else value


class GlossaryEntry(Settings):
    """A term in the programme's own glossary. An abbreviation gives what it stands for; any
    term may add what it means in plain English."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    stands_for: str | None = Field(default=None, min_length=1, max_length=200)
    meaning: str | None = Field(default=None, min_length=1, max_length=1000)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: object) -> object:
        # A misspelt key is an error naming it (pydantic's own would list Programme's settings).
        unknown = sorted(map(str, set(data) - set(cls.model_fields))) if isinstance(data, dict) else []
        if unknown:
            raise ValueError(f"unknown key '{unknown[0]}': an entry gives stands_for, meaning, or both")
        return data

    @model_validator(mode="after")
    def _something_said(self) -> GlossaryEntry:
        if not (self.stands_for or self.meaning):
            raise ValueError("give stands_for (what an abbreviation stands for), meaning, or both")
        return self


# A glossary term as the data spells it: a word or short phrase on one line (checked, with a
# one-line message, by Programme._glossary_terms; a key's own error would print the key).
GLOSSARY_TERM_LENGTH = 60
GlossaryTerm = Annotated[str, StringConstraints(strip_whitespace=True)]


def _glossary_form(value: object) -> str:
    return "entry" if isinstance(value, dict) else "text"


# A glossary entry is plain text (what an abbreviation stands for, or any other term's meaning)
# or stands_for/meaning. Told apart by its shape, so a wrong entry gets one error, not one for
# each form it might have been.
GlossaryText = Annotated[str, Tag("text"), StringConstraints(min_length=1, max_length=1000)]
GlossaryValue = Annotated[GlossaryText | Annotated[GlossaryEntry, Tag("entry")], Discriminator(_glossary_form)]


class Programme(Settings):
    programme: str = Field(min_length=1, description="Programme name.")
    short_name: str = Field(min_length=1, description="Short name or acronym.")
    local_authority: str = Field(min_length=1, description="The council publishing the site.")
    reporting_term: Term = Field(description="Latest term reported, e.g. 2022-summer.",
                                 json_schema_extra={"hint": TERM_HINT})
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
    funding_note: str | None = Field(
        default=None, max_length=2000,
        description="Why the budget lines and the allocations to projects add up to different totals; "
                    "shown on the Funding page beside both totals.",
    )
    glossary: dict[GlossaryTerm, GlossaryValue] = Field(
        default_factory=dict,
        description="The programme's own terms, added to the site's glossary. An abbreviation in capitals "
                    "(LA: local authority) gives what it stands for, and its first use on a page is "
                    "marked with it; any other term gives its meaning; or give stands_for and meaning.",
    )
    open_data: OpenData = Field(default_factory=OpenData,
                                description="Open data: org_id, grant_prefix, licence, publisher, contact_email.")

    @field_validator("glossary", mode="before")
    @classmethod
    def _glossary_terms(cls, value: object) -> object:
        for term in value if isinstance(value, dict) else ():
            if not (isinstance(term, str) and term.strip() and "\n" not in term
                    and len(term.strip()) <= GLOSSARY_TERM_LENGTH):
                raise ValueError(f"the term {str(term)!r} is not a word or short phrase on one line "
                                 f"(at most {GLOSSARY_TERM_LENGTH} characters)")
        return value

    @property
    def publisher(self) -> str:
        return self.open_data.publisher or self.local_authority

    @property
    def data_contact(self) -> str | None:
        return self.open_data.contact_email or self.contact_email
