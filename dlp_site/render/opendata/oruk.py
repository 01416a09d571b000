"""Open Referral UK (HSDS-UK 3.0): every project as a service that SEND service directories can import.

What goes where (README: Open Referral UK says the same for people importing the feed):

- a project is a `service`: name = title, description = summary, url = its page (with site_url),
  email = its partnership's contact_email, status (below), assured_date = the last day of the
  reporting term (the figures and texts are as at that term), `funding` = the council's
  allocation, `service_areas` = the partnership's area (or the whole authority for a city-wide
  partnership);
- its partnership is the `organization` (email and web page as above);
- each school taking part (engaged = yes) is a `location` reached through `service_at_location`:
  name, latitude and longitude, external_identifier = the school's URN, and one physical
  `address` with the school's name as its first line and its postcode. The data has no street,
  town or county, so `city` and `state_province` are empty strings, never guesses;
- themes and school phases are `attributes` linking the service to taxonomy terms of the
  `dlp-themes` and `dlp-phases` taxonomies (phases: those of the partnership's schools);
- status is `active` when the project had started by the end of the reporting term and reported
  in that term (or, for a programme without termly reports, had started); `inactive` otherwise;
- no `contacts`: an HSDS-UK 3.0 contact holds a name and job title only, which the data does not
  have; the partnership's email is on the service and the organization instead.

Ids are UUIDs, uuid5 of the programme's namespace (common.id_namespace) and '<kind>/<key>': the
same data always gives the same ids, and a directory can update what it imported.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from ...data.tables import Project, School
from ...model.labels import KIND_LABELS, PHASE_LABELS
from ...model.site import Site
from ..formats import money
from ..urls import area_md, partnership_md, project_md, theme_md
from .common import absolute, drop_none, id_namespace, json_text

FOLDER = "oruk"
VERSION = "HSDS-UK-3.0"  # what the ORUK validator reads from the API root
PROFILE = "https://openreferraluk.org/"
THEMES = "dlp-themes"
PHASES = "dlp-phases"
Record = dict[str, Any]
Records = dict[str, list[Record]]  # HSDS object name -> its records, as flat as a CSV row


class Ids:
    """Stable UUIDs for one programme."""

    def __init__(self, site: Site):
        self.namespace = id_namespace(site.programme)

    def __call__(self, kind: str, *key: object) -> str:
        return str(uuid.uuid5(self.namespace, "/".join([kind, *map(str, key)])))


def is_active(site: Site, project: Project) -> bool:
    term = site.programme.reporting_term
    if project.start_date > term.last_day:
        return False
    if not site.reports:  # a programme that keeps no termly reports
        return True
    return any(r.term == term for r in site.reports_of(project.project_id))


def _taxonomies(site: Site, ids: Ids) -> tuple[list[Record], list[Record]]:
    p = site.programme
    vocabularies: list[tuple[str, str, list[tuple[str, str, str | None]]]] = [
        (THEMES, f"The themes of {p.programme}.", [(t, label, theme_md(t)) for t, label in site.themes.items()]),
        (PHASES, "Phases of education of the schools taking part.",
         [(code, label, None) for code, label in PHASE_LABELS.items()]),
    ]
    taxonomies, terms = [], []
    for name, description, entries in vocabularies:
        taxonomy_id = ids("taxonomy", name)
        taxonomies.append(drop_none({"id": taxonomy_id, "name": name, "description": description,
                                     "uri": absolute(p, "themes/index.md") if name == THEMES else None}))
        for code, label, page in entries:
            terms.append(drop_none({
                "id": ids("taxonomy_term", name, code), "name": label, "term": code,
                "description": f"{label} ({name})", "taxonomy": name, "taxonomy_id": taxonomy_id,
                "term_uri": absolute(p, page) if page else None}))
    return taxonomies, terms


def _location(site: Site, ids: Ids, school: School) -> tuple[Record, Record]:
    location = {
        "id": ids("location", school.urn), "location_type": "physical", "name": school.name,
        "description": f"School or setting ({PHASE_LABELS[school.phase]})",
        "latitude": school.latitude, "longitude": school.longitude,
        "external_identifier": str(school.urn), "external_identifier_type": "DfE URN",
    }
    address = {
        "id": ids("address", school.urn), "location_id": location["id"], "address_type": "physical",
        "address_1": school.name, "city": "", "state_province": "", "postal_code": school.postcode,
        "country": "GB",
    }
    return location, address


def records(site: Site) -> Records:
    """Every HSDS object of the feed, flat (foreign keys as ids), in a stable order."""
    p = site.programme
    ids = Ids(site)
    out: Records = {name: [] for name in ("organization", "service", "location", "address", "service_at_location",
                                          "attribute", "funding", "service_area")}
    out["taxonomy"], out["taxonomy_term"] = _taxonomies(site, ids)
    seen_orgs: set[str] = set()
    seen_schools: set[int] = set()
    for project in sorted(site.projects.values(), key=lambda pr: pr.project_id):
        partnership = site.partnership_of(project)
        area = site.area_of(partnership)
        org_id = ids("organization", partnership.partnership_id)
        if partnership.partnership_id not in seen_orgs:
            seen_orgs.add(partnership.partnership_id)
            where = f"the {area.name} area of {p.local_authority}" if area else f"all of {p.local_authority}'s area"
            out["organization"].append(drop_none({
                "id": org_id, "name": partnership.name,
                "description": f"{KIND_LABELS[partnership.kind]} partnership of schools in {where}, "
                               f"funded through {p.programme}.",
                "email": partnership.contact_email,
                "website": absolute(p, partnership_md(partnership.partnership_id))}))
        service_id = ids("service", project.project_id)
        out["service"].append(drop_none({
            "id": service_id, "organization_id": org_id, "name": project.title, "description": project.summary,
            "url": absolute(p, project_md(project.project_id)), "email": partnership.contact_email,
            "status": "active" if is_active(site, project) else "inactive",
            "assured_date": p.reporting_term.last_day.isoformat()}))
        out["funding"].append({"id": ids("funding", project.project_id), "service_id": service_id,
                               "source": f"{p.local_authority}, through {p.programme}: "
                                         f"{money(project.allocation_gbp)} allocated."})
        out["service_area"].append(drop_none({
            "id": ids("service_area", project.project_id), "service_id": service_id,
            "name": area.name if area else p.local_authority,
            "uri": absolute(p, area_md(area.area_id)) if area else None}))
        for school in site.schools_of(partnership.partnership_id):
            if not school.engaged:
                continue
            location, address = _location(site, ids, school)
            if school.urn not in seen_schools:
                seen_schools.add(school.urn)
                out["location"].append(location)
                out["address"].append(address)
            out["service_at_location"].append({
                "id": ids("service_at_location", project.project_id, school.urn),
                "service_id": service_id, "location_id": location["id"]})
        tagged = [(THEMES, t, "theme") for t in project.themes] + \
                 [(PHASES, ph, "phase") for ph in site.phases_of(project)]
        for taxonomy, code, link_type in tagged:
            out["attribute"].append({
                "id": ids("attribute", project.project_id, taxonomy, code), "link_id": service_id,
                "link_type": link_type, "link_entity": "service",
                "taxonomy_term_id": ids("taxonomy_term", taxonomy, code)})
    for name in ("location", "address"):
        out[name].sort(key=lambda r: r["id"])
    return out


# --- the static API ---------------------------------------------------------------------------------

def _by_id(rows: Iterable[Record]) -> dict[str, Record]:
    return {r["id"]: r for r in rows}


def _without(record: Record, *keys: str) -> Record:
    return {k: v for k, v in record.items() if k not in keys}


class Api:
    """The JSON documents of the static API, composed from the flat records."""

    def __init__(self, recs: Records):
        self.recs = recs
        self.organizations = _by_id(recs["organization"])
        self.locations = _by_id(recs["location"])
        self.terms = _by_id(recs["taxonomy_term"])
        self.addresses: dict[str, list[Record]] = {}
        for a in recs["address"]:
            self.addresses.setdefault(a["location_id"], []).append(a)

    def _children(self, name: str, key: str, value: str) -> list[Record]:
        return [r for r in self.recs[name] if r[key] == value]

    def service_summary(self, service: Record) -> Record:
        """A service's own fields and its organization's: what a list holds."""
        return {**service, "organization": self.organizations[service["organization_id"]]}

    def location(self, location_id: str) -> Record:
        return {**self.locations[location_id], "addresses": self.addresses.get(location_id, [])}

    def service_at_location(self, sal: Record, service: Record, full: bool) -> Record:
        location = self.location(sal["location_id"]) if full else self.locations[sal["location_id"]]
        return {**sal, "location": location, "service": self.service_summary(service)}

    def service(self, service: Record) -> Record:
        sid = service["id"]
        return {
            **self.service_summary(service),
            "service_at_locations": [{**sal, "location": self.location(sal["location_id"])}
                                     for sal in self._children("service_at_location", "service_id", sid)],
            "attributes": [{**_without(a, "link_entity"), "taxonomy_term": self.terms[a["taxonomy_term_id"]]}
                           for a in self._children("attribute", "link_id", sid)],
            "funding": self._children("funding", "service_id", sid),
            "service_areas": self._children("service_area", "service_id", sid),
        }

    def taxonomy(self, taxonomy: Record) -> Record:
        return {**taxonomy, "taxonomy_terms": self._children("taxonomy_term", "taxonomy_id", taxonomy["id"])}


def page(contents: list[Record]) -> Record:
    """A list response: every item on one page. A static site cannot answer ?page=N, so a
    directory reads the whole list in one request (README: Open Referral UK)."""
    return {"total_items": len(contents), "total_pages": 1, "page_number": 1, "size": len(contents),
            "first_page": True, "last_page": True, "empty": not contents, "contents": contents}


def oruk(site: Site, recs: Records | None = None) -> dict[str, str]:
    """The static API under oruk/: {docs path: JSON text} (`recs`: records(site), if made already)."""
    recs = recs or records(site)
    api = Api(recs)
    services = {s["id"]: s for s in recs["service"]}
    files: dict[str, Any] = {"index.json": {"version": VERSION, "profile": PROFILE}}
    files["services.json"] = page([api.service_summary(s) for s in recs["service"]])
    files.update({f"services/{s['id']}.json": api.service(s) for s in recs["service"]})
    files["taxonomies.json"] = page([api.taxonomy(t) for t in recs["taxonomy"]])
    files.update({f"taxonomies/{t['id']}.json": api.taxonomy(t) for t in recs["taxonomy"]})
    files["taxonomy_terms.json"] = page(recs["taxonomy_term"])
    files.update({f"taxonomy_terms/{t['id']}.json": t for t in recs["taxonomy_term"]})
    sals = recs["service_at_location"]
    files["service_at_locations.json"] = page(
        [api.service_at_location(sal, services[sal["service_id"]], full=False) for sal in sals])
    files.update({f"service_at_locations/{sal['id']}.json":
                  api.service_at_location(sal, services[sal["service_id"]], full=True) for sal in sals})
    return {f"{FOLDER}/{name}": json_text(doc) for name, doc in files.items()}
