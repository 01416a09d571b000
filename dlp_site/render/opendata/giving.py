"""360Giving: the council's funding of each project as a grant (downloads/360giving.json and .csv).

One grant per project allocation:
- id: programme.yml's open_data.grant_prefix, '-', the project_id;
- fundingOrganization: the council, by open_data.org_id, named local_authority;
- recipientOrganization: the partnership's lead school as GB-EDU-<URN> (the org-id list of DfE
  school URNs) when lead_school_urn is given; otherwise the partnership itself, which has no
  registered identifier, so it gets one under the council's prefix:
  <grant_prefix>-partnership-<partnership_id> (360Giving's rule for unregistered recipients);
- amountAwarded: allocation_gbp, exactly (Decimal, never a float); awardDate and plannedDates'
  startDate: the project's start_date; currency GBP;
- beneficiaryLocation: the partnership's area by name (the whole authority for a city-wide
  partnership), country GB; grantProgramme: the programme; classifications: its themes.
Spend is not amountDisbursed: it is what the partnership has spent, not what the council paid.
Published only when open_data has both org_id and grant_prefix (identifiers cannot be guessed).
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from ...model.site import Site
from ..downloads import FOLDER, Download, csv_text, table
from ..urls import project_md
from .common import absolute, drop_none, json_text, slug
from .tableschema import Field

JSON = "360giving.json"
CSV = "360giving.csv"
SCHEMA_VERSION = "1.4"  # the 360Giving standard's major.minor these files follow


def available(site: Site) -> bool:
    o = site.programme.open_data
    return bool(o.org_id and o.grant_prefix and site.projects)


def grants(site: Site) -> list[dict[str, Any]]:
    p = site.programme
    prefix, org_id = p.open_data.grant_prefix, p.open_data.org_id
    assert prefix and org_id, "360Giving needs open_data.org_id and grant_prefix"
    out = []
    for project in sorted(site.projects.values(), key=lambda pr: pr.project_id):
        partnership = site.partnership_of(project)
        area = site.area_of(partnership)
        lead = site.schools.get(partnership.lead_school_urn) if partnership.lead_school_urn else None
        recipient = ({"id": f"GB-EDU-{lead.urn}", "name": lead.name,
                      "description": f"Lead school of {partnership.name}"} if lead else
                     {"id": f"{prefix}-partnership-{partnership.partnership_id}", "name": partnership.name})
        out.append(drop_none({
            "id": f"{prefix}-{project.project_id}",
            "title": project.title,
            "description": project.summary,
            "currency": "GBP",
            "amountAwarded": project.allocation_gbp,
            "awardDate": project.start_date.isoformat(),
            "plannedDates": [{"startDate": project.start_date.isoformat()}],
            "url": absolute(p, project_md(project.project_id)),
            "recipientOrganization": [recipient],
            "fundingOrganization": [{"id": org_id, "name": p.local_authority}],
            "beneficiaryLocation": [{"name": area.name if area else p.local_authority, "countryCode": "GB"}],
            "grantProgramme": [drop_none({"code": slug(p.short_name), "title": p.programme,
                                          "url": absolute(p, "index.md")})],
            "classifications": [{"vocabulary": "dlp-themes", "code": t, "title": site.themes.get(t, t)}
                                for t in project.themes],
        }))
    return out


def _one(key: str, inner: str) -> Any:
    return lambda g: g[key][0].get(inner, "")


CSV_DOWNLOAD = Download(
    CSV, "The same grants as 360giving.json, one row each, with 360Giving's column titles.", None, (
        (Field("Identifier", "string", "The grant's 360Giving identifier.", required=True), itemgetter("id")),
        (Field("Title", "string", "The project's title.", required=True), itemgetter("title")),
        (Field("Description", "string", "The project's summary.", required=True), itemgetter("description")),
        (Field("Currency", "string", "Always GBP.", required=True, enum=("GBP",)), itemgetter("currency")),
        (Field("Amount Awarded", "number", "The allocation, in pounds.", required=True),
         itemgetter("amountAwarded")),
        (Field("Award Date", "date", "The project's start date.", required=True), itemgetter("awardDate")),
        (Field("Planned Dates:Start Date", "date", "The project's start date."),
         lambda g: g["plannedDates"][0]["startDate"]),
        (Field("Recipient Org:Identifier", "string", "GB-EDU-<URN> of the lead school, or the partnership's "
               "identifier under the council's prefix.", required=True), _one("recipientOrganization", "id")),
        (Field("Recipient Org:Name", "string", "The lead school or partnership.", required=True),
         _one("recipientOrganization", "name")),
        (Field("Funding Org:Identifier", "string", "The council's org-id.", required=True),
         _one("fundingOrganization", "id")),
        (Field("Funding Org:Name", "string", "The council.", required=True), _one("fundingOrganization", "name")),
        (Field("Beneficiary Location:Name", "string", "The partnership's area, or the whole authority."),
         _one("beneficiaryLocation", "name")),
        (Field("Beneficiary Location:Country Code", "string", "Always GB."),
         _one("beneficiaryLocation", "countryCode")),
        (Field("Grant Programme:Code", "string", "The programme's short name as an id."),
         _one("grantProgramme", "code")),
        (Field("Grant Programme:Title", "string", "The programme."), _one("grantProgramme", "title")),
        (Field("URL", "string", "The project's page."), lambda g: g.get("url", "")),
    ), lambda site: grants(site), key=("Identifier",))


def giving(site: Site) -> dict[str, str]:
    """{docs path: text}: the 360Giving package and its flat CSV view; nothing without identifiers."""
    if not available(site):
        return {}
    p = site.programme
    modified = p.reporting_term.last_day.isoformat()
    package = drop_none({
        "grants": grants(site),
        "version": SCHEMA_VERSION,
        "title": f"{p.programme}: grants to school partnerships",
        "description": f"Each project funded by {p.local_authority} through {p.programme}, as a 360Giving grant.",
        "identifier": f"{p.open_data.grant_prefix}-{slug(p.short_name)}-grants",
        "issued": modified,
        "modified": modified,
        "publisher": drop_none({"name": p.publisher, "identifier": p.open_data.org_id,
                                "website": absolute(p, "index.md")}),
        "license": p.open_data.licence.url,
        "downloadURL": absolute(p, f"{FOLDER}/{JSON}"),
        "accessURL": absolute(p, "data.md"),
    })
    return {f"{FOLDER}/{JSON}": json_text(package), f"{FOLDER}/{CSV}": csv_text(table(CSV_DOWNLOAD, site))}
