"""The catalogue: what the site publishes as open data, described for people and for harvesters.

- `catalogue(site)` lists every published data file with its purpose, format and dataset: the
  Open data page shows it, and data.json is written from it;
- downloads/datapackage.json: a Frictionless Tabular Data Package of every CSV in downloads/,
  each with its Table Schema (types, required, enums, primary and foreign keys) taken from the
  download declarations (render/downloads.py), which take them from the data contract; 'c'
  (suppressed) is a missing value in the tables that hold it;
- data.json: a DCAT catalogue (the Project Open Data 1.1 "data.json" that data.gov.uk and CKAN's
  DCAT harvesters read), one dataset per group below, with absolute addresses: only with site_url.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...data.tables import TABLES_BY_NAME
from ...model.kpis import SUPPRESSED, SUPPRESSED_MEANING
from ...model.site import Site
from ..downloads import DOWNLOADS_LIST, FOLDER, Download
from . import giving
from .common import absolute, drop_none, json_text, slug
from .oruk import FOLDER as ORUK
from .oruk_tabular import TABULAR

DATAPACKAGE = f"{FOLDER}/datapackage.json"
DCAT = "data.json"


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    description: str
    conforms_to: str | None = None


@dataclass(frozen=True)
class Entry:
    path: str  # in the docs tree
    purpose: str
    format: str
    media_type: str
    group: str

    @property
    def name(self) -> str:
        """The path inside its folder (the Open data page names the folder once)."""
        return self.path.split("/", 1)[-1]


GROUPS = (
    Group("figures", "Figures", "The programme's projects, partnerships, schools, KPIs, termly reports, engagement "
          "and funding as CSV tables, described by a Frictionless data package. Small numbers of pupils are "
          f"suppressed as '{SUPPRESSED}'."),
    Group("grants", "Grants (360Giving)", "Each project's allocation as a grant in the 360Giving Data Standard.",
          "https://standard.threesixtygiving.org/"),
    Group("services", "Services (Open Referral UK)", "Every project as a service in Open Referral UK (HSDS-UK 3.0), "
          "for SEND and family service directories to import.", "https://openreferraluk.org/"),
)


def _stem(name: str) -> str:
    return name.rsplit(".", 1)[0]


def csv_downloads(site: Site) -> list[Download]:
    return [*DOWNLOADS_LIST, *([giving.CSV_DOWNLOAD] if giving.available(site) else [])]


def catalogue(site: Site) -> list[Entry]:
    """Every open-data file the site publishes (the per-item Open Referral files are described
    by their lists), in the order the Open data page shows them."""
    out = [Entry(f"{FOLDER}/{d.name}", d.description, "CSV", "text/csv", "figures")
           for d in DOWNLOADS_LIST]
    out.append(Entry(DATAPACKAGE, "Describes every CSV file above: columns, types, keys and allowed values "
                     "(Frictionless Data Package).", "JSON", "application/json", "figures"))
    if giving.available(site):
        out += [Entry(f"{FOLDER}/{giving.JSON}", "Every project's allocation as a 360Giving grant: "
                      "funder, recipient, amount and date.", "JSON", "application/json", "grants"),
                Entry(f"{FOLDER}/{giving.CSV}", giving.CSV_DOWNLOAD.description, "CSV", "text/csv", "grants")]
    out += [
        Entry(f"{ORUK}/index.json", "The Open Referral UK feed's root: its version and profile.", "JSON",
              "application/json", "services"),
        Entry(f"{ORUK}/services.json", "Every project as a service, with its partnership; each in full at "
              "oruk/services/<id>.json.", "JSON", "application/json", "services"),
        Entry(f"{ORUK}/service_at_locations.json", "Where each service runs: the schools taking part; each in "
              "full at oruk/service_at_locations/<id>.json.", "JSON", "application/json", "services"),
        Entry(f"{ORUK}/taxonomies.json", "The taxonomies of themes (dlp-themes) and school phases (dlp-phases); "
              "each at oruk/taxonomies/<id>.json.", "JSON", "application/json", "services"),
        Entry(f"{ORUK}/taxonomy_terms.json", "Every theme and phase term; each at oruk/taxonomy_terms/<id>.json.",
              "JSON", "application/json", "services"),
        Entry(f"{TABULAR}/datapackage.json", "The same feed as CSV tables (HSDS tabular data package) for "
              "directories that import files.", "JSON", "application/json", "services"),
    ]
    return out


# --- downloads/datapackage.json ------------------------------------------------------------------

def _resource(d: Download, canonical: dict[str, Download]) -> dict[str, Any]:
    names = [f.name for f in d.fields]
    schema: dict[str, Any] = {"fields": [f.descriptor() for f in d.fields]}
    key = list(TABLES_BY_NAME[d.table].key) if d.table else list(d.key)
    if key:
        schema["primaryKey"] = key
    foreign = []
    if d.table:
        table = TABLES_BY_NAME[d.table]
        targets = [(r.column, r.table) for r in table.references]
        if canonical.get(d.table) is not d:  # e.g. engagement.csv: one row per partnership
            targets += [(k, d.table) for k in table.key]
        for column, target in targets:
            if column in names and target in canonical:
                foreign.append({"fields": column, "reference": {
                    "resource": _stem(canonical[target].name), "fields": TABLES_BY_NAME[target].key[0]}})
    if foreign:
        schema["foreignKeys"] = foreign
    if d.suppressed:
        schema["missingValues"] = ["", SUPPRESSED]
    return {"name": _stem(d.name), "path": d.name, "description": d.description, "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": schema}


def datapackage(site: Site) -> dict[str, Any]:
    p = site.programme
    downloads = csv_downloads(site)
    canonical = {_stem(d.name): d for d in downloads if d.table and _stem(d.name) == d.table}
    return drop_none({
        "profile": "tabular-data-package",
        "name": f"{slug(p.short_name)}-open-data",
        "title": f"{p.programme}: open data",
        "description": f"{GROUPS[0].description} '{SUPPRESSED}' means {SUPPRESSED_MEANING}; tools that read this "
                       "package treat it as a missing value.",
        "homepage": absolute(p, "data.md"),
        "licenses": [{"title": p.open_data.licence.name, "path": p.open_data.licence.url}],
        "contributors": [drop_none({"title": p.publisher, "role": "publisher", "email": p.data_contact})],
        "keywords": list(site.themes.values()),
        "resources": [_resource(d, canonical) for d in downloads],
    })


# --- data.json (DCAT) ----------------------------------------------------------------------------

def dcat(site: Site) -> dict[str, Any]:
    p = site.programme
    assert p.site_url, "a DCAT catalogue needs site_url"
    modified = p.reporting_term.last_day.isoformat()
    entries = catalogue(site)
    datasets = []
    for group in GROUPS:
        mine = [e for e in entries if e.group == group.key]
        if not mine:
            continue
        datasets.append(drop_none({
            "@type": "dcat:Dataset",
            "identifier": f"{absolute(p, 'data.md')}#{group.key}",
            "title": f"{p.programme}: {group.title.lower()}",
            "description": group.description,
            "keyword": list(site.themes.values()),
            "issued": modified,  # the edition: the site is republished with each term's data
            "modified": modified,
            "publisher": {"@type": "org:Organization", "name": p.publisher},
            "contactPoint": drop_none({"@type": "vcard:Contact", "fn": p.publisher,
                                       "hasEmail": f"mailto:{p.data_contact}" if p.data_contact else None}),
            "accessLevel": "public",
            "license": p.open_data.licence.url,
            "rights": p.open_data.licence.name,
            "landingPage": absolute(p, "data.md"),
            "spatial": p.local_authority,
            "conformsTo": group.conforms_to,
            "distribution": [drop_none({
                "@type": "dcat:Distribution", "title": e.path.rsplit("/", 1)[-1], "description": e.purpose,
                "downloadURL": absolute(p, e.path), "mediaType": e.media_type, "format": e.format,
                "describedBy": absolute(p, DATAPACKAGE) if e.format == "CSV" and group.key == "figures" else None,
                "describedByType": "application/json" if e.format == "CSV" and group.key == "figures" else None,
            }) for e in mine],
        }))
    return {
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@type": "dcat:Catalog",
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
        "dataset": datasets,
    }


def catalogue_files(site: Site) -> dict[str, str]:
    """{docs path: text}: downloads/datapackage.json, and data.json when site_url is set."""
    files = {DATAPACKAGE: json_text(datapackage(site))}
    if site.programme.site_url:
        files[DCAT] = json_text(dcat(site))
    return files
