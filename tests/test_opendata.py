"""Open data in the published standards, checked against those standards on real builds.

- every Open Referral UK file against the HSDS-UK 3.0 JSON schemas (vendored in the package,
  dlp_site/render/opendata/schemata/oruk-3.0) and the API's root and page envelope (its openapi.json);
- downloads/360giving.json against the 360Giving package schema (tests/schemas/360giving);
- downloads/datapackage.json and oruk/tabular/datapackage.json with `frictionless validate`;
- data.json parsed, every address in it resolving to a built file;
- suppression ('c') kept in every output, hostile text kept as data in JSON and escaped in
  XML and HTML, and the second council's own identifiers.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import feedparser
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from lxml import etree
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from dlp_site.pipeline import build, check
from dlp_site.render.opendata.oruk_tabular import SCHEMATA

from .conftest import OTHERTOWN, ROOT, edit, paths
from .test_escaping import Audit, emphasis_findings, poison
from .test_newsletters import post

GIVING = Path(__file__).parent / "schemas" / "360giving"
GRANT_URLS = ("https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json",
              "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.3/schema/360-giving-schema.json")
SITE_URL = "https://send.northmoor.example/dbv/"
LIST_ITEMS = {"services": "service.json", "taxonomies": "taxonomy.json", "taxonomy_terms": "taxonomy_term.json",
              "service_at_locations": "service_at_location.json"}


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# --- the validators ----------------------------------------------------------------------------

def _oruk_registry() -> Registry:
    resources = [(p.name, Resource.from_contents(_load(p), default_specification=DRAFT202012))
                 for p in sorted(SCHEMATA.glob("*.json")) if p.name != "openapi.json"]
    return Registry().with_resources(resources)


ORUK_REGISTRY = _oruk_registry()
OPENAPI = _load(SCHEMATA / "openapi.json")


def oruk_errors(doc: Any, schema_name: str) -> list[str]:
    validator = Draft202012Validator({"$ref": schema_name}, registry=ORUK_REGISTRY, format_checker=FormatChecker())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def page_errors(doc: Any) -> list[str]:
    """The paged list envelope: the openapi's Page schema, every field of it present."""
    page = OPENAPI["components"]["schemas"]["Page"]
    schema = {**page, "required": [*page["properties"], "contents"]}
    return [e.message for e in Draft202012Validator(schema).iter_errors(doc)]


def undefined_fields(doc: Any, schema_name: str) -> list[str]:
    """Keys the standard does not define (a made-up field would pass the schemas, which allow
    extra properties). A service_at_location's nested `service` is ORUK's own list form."""
    schema = ORUK_REGISTRY.get_or_retrieve(schema_name).value.contents
    found = []
    for key, value in doc.items():
        prop = schema["properties"].get(key)
        if prop is None:
            if not (schema_name == "service_at_location.json" and key == "service"):
                found.append(f"{schema_name}: {key}")
            continue
        ref = prop.get("$ref") or prop.get("items", {}).get("$ref")
        for item in (value if isinstance(value, list) else [value]):
            if ref and isinstance(item, dict):
                found += undefined_fields(item, ref)
    return found


def validate_oruk(site: Path) -> tuple[int, list[str]]:
    """Every JSON file under oruk/ against what it must be; (files checked, problems)."""
    root = site / "oruk"
    problems: list[str] = []
    checked = 0
    index = _load(root / "index.json")
    index_schema = OPENAPI["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    problems += [f"index.json: {e.message}" for e in Draft202012Validator(index_schema).iter_errors(index)]
    problems += [] if index["version"] == "HSDS-UK-3.0" else ["index.json: version"]
    checked += 1
    for folder, schema in LIST_ITEMS.items():
        listed = _load(root / f"{folder}.json")
        problems += [f"{folder}.json: {e}" for e in page_errors(listed)]
        items = listed["contents"]
        files = sorted((root / folder).glob("*.json"))
        checked += 1 + len(files)
        if {i["id"] for i in items} != {p.stem for p in files}:
            problems.append(f"{folder}.json does not list exactly the files in {folder}/")
        for where, doc in [*((f"{folder}.json#{i['id']}", i) for i in items),
                           *((f"{folder}/{p.name}", _load(p)) for p in files)]:
            problems += [f"{where}: {e}" for e in oruk_errors(doc, schema) + undefined_fields(doc, schema)]
            if folder == "service_at_locations":  # the service it nests, in ORUK's list form
                problems += [f"{where} service: {e}" for e in oruk_errors(doc["service"], "service.json")]
                problems += [] if doc["service"]["id"] == doc["service_id"] else [f"{where}: service_id"]
    return checked, problems


def giving_errors(doc: Any) -> list[str]:
    grant = _load(GIVING / "360-giving-schema.json")
    registry = Registry().with_resources((url, DRAFT202012.create_resource(grant)) for url in GRANT_URLS)
    validator = Draft202012Validator(_load(GIVING / "360-giving-package-schema.json"), registry=registry,
                                     format_checker=FormatChecker())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def frictionless(descriptor: Path) -> subprocess.CompletedProcess[str]:
    command = Path(sys.executable).parent / "frictionless"
    return subprocess.run([str(command), "validate", str(descriptor)], capture_output=True, text=True,
                          cwd=descriptor.parent, timeout=300)


# --- the builds --------------------------------------------------------------------------------

def _open_town(tmp_path_factory: pytest.TempPathFactory, name: str, hostile: bool) -> Path:
    """The second council with a site_url (for feeds and data.json) and two newsletters: one from
    a partnership quoting its small-cohort KPI, one filed under an area and a theme."""
    root = tmp_path_factory.mktemp(name)
    data = root / "data"
    shutil.copytree(OTHERTOWN, data)
    edit(data, "programme.yml", "reporting_term:", f"site_url: {SITE_URL}\nreporting_term:")
    if hostile:
        poison(data)
    post(data / "newsletters", "2024-04-02-vale.md",
         {"title": "Vale news", "date": "2024-04-02", "partnerships": ["vale-secondaries"]},
         "Wellbeing: [[kpi vh-small]].\n\n<!-- more -->\n\nSuspensions: [[kpi vh-susp]].\n")
    post(data / "newsletters", "2024-03-01-workforce.md",
         {"title": "Workforce <b>news</b>", "date": "2024-03-01", "categories": ["Workforce development"]},
         "Training for all.\n\n<!-- more -->\n\nMore.\n")
    out = root / "site"
    build(paths(data), out)
    return out


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _open_town(tmp_path_factory, "open-town", hostile=False)


@pytest.fixture(scope="module")
def hostile_town(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _open_town(tmp_path_factory, "hostile-town", hostile=True)


SITES = ["example_site", "othertown_site", "town", "hostile_town"]


# --- Open Referral UK --------------------------------------------------------------------------

@pytest.mark.parametrize("site", SITES)
def test_every_oruk_file_is_valid_hsds_uk_3(site: str, request: pytest.FixtureRequest):
    checked, problems = validate_oruk(request.getfixturevalue(site))
    assert problems == []
    assert checked > 10


def test_the_validator_catches_a_broken_service(example_site: Path):
    some = next((example_site / "oruk" / "services").glob("*.json"))
    service = _load(some)
    assert oruk_errors(service, "service.json") == []
    broken = {**service, "status": "open", "id": "project-1"}
    del broken["name"]
    assert len(oruk_errors(broken, "service.json")) == 3  # status enum, id format uuid, name required
    assert undefined_fields({**service, "phone": "0121"}, "service.json") == ["service.json: phone"]


def test_oruk_maps_projects_schools_and_themes(example_site: Path):
    services = _load(example_site / "oruk" / "services.json")["contents"]
    site, _ = check(ROOT / "data", ROOT / "geo")
    assert site is not None
    assert len(services) == len(site.projects)
    # A project whose partnership lists a school not taking part: only those taking part are locations.
    project = next(pr for pr in sorted(site.projects.values(), key=lambda pr: pr.project_id)
                   if not all(s.engaged for s in site.schools_of(pr.partnership_id)))
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, "dlp-site:GB-LAE-BIR:DLP")  # as the README documents
    sid = str(uuid.uuid5(namespace, f"service/{project.project_id}"))
    full = _load(example_site / "oruk" / "services" / f"{sid}.json")
    assert full["name"] == project.title
    assert full["url"] == f"https://dlp.example.org/projects/{project.project_id}/"
    assert full["assured_date"] == "2022-07-31" and full["status"] == "active"
    engaged = [s for s in site.schools_of(project.partnership_id) if s.engaged]
    locations = [sal["location"] for sal in full["service_at_locations"]]
    assert sorted(loc["external_identifier"] for loc in locations) == sorted(str(s.urn) for s in engaged)
    school = engaged[0]
    loc = next(loc for loc in locations if loc["external_identifier"] == str(school.urn))
    assert Decimal(str(loc["latitude"])) == school.latitude
    assert loc["addresses"][0]["postal_code"] == school.postcode and loc["addresses"][0]["city"] == ""
    terms = {(a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["term"]) for a in full["attributes"]}
    assert {t for tax, t in terms if tax == "dlp-themes"} == set(project.themes)
    assert {t for tax, t in terms if tax == "dlp-phases"} == set(site.phases_of(project))


def test_status_follows_the_reporting_term(othertown_site: Path):
    status = {s["name"]: s["status"] for s in _load(othertown_site / "oruk" / "services.json")["contents"]}
    # Borough Outreach has no report for 2024-spring; the other two reported that term.
    assert status == {"Early Signs Together": "active", "Vale Inclusion Hub": "active", "Borough Outreach": "inactive"}


def test_oruk_tabular_package_is_valid(example_site: Path, othertown_site: Path):
    for site in (example_site, othertown_site):
        result = frictionless(site / "oruk" / "tabular" / "datapackage.json")
        assert result.returncode == 0, result.stdout[-3000:]
    services = list(csv.DictReader(io.StringIO(
        (example_site / "oruk" / "tabular" / "services.csv").read_text(encoding="utf-8"))))
    assert len(services) == 44 and {"id", "organization_id", "name", "status"} <= set(services[0])


# --- 360Giving ---------------------------------------------------------------------------------

@pytest.mark.parametrize("site", ["example_site", "othertown_site"])
def test_360giving_is_valid(site: str, request: pytest.FixtureRequest):
    doc = _load(request.getfixturevalue(site) / "downloads" / "360giving.json")
    assert giving_errors(doc) == []
    assert giving_errors({**doc, "grants": [{**doc["grants"][0], "awardDate": "1 Sept 2021"}]})  # it can fail


def test_360giving_money_is_exact_and_recipients_are_identified(example_site: Path):
    raw = (example_site / "downloads" / "360giving.json").read_text(encoding="utf-8")
    grants = json.loads(raw, parse_float=Decimal)["grants"]
    site, _ = check(ROOT / "data", ROOT / "geo")
    assert site is not None
    assert sum(g["amountAwarded"] for g in grants) == site.total_allocation
    assert '"amountAwarded": 122239.80' in raw  # the figure as typed: a float would print 122239.8
    grant = next(g for g in grants if g["id"] == "360G-dlp-example-sparklers-send-champions")
    lead = site.partnerships["sparklers"].lead_school_urn
    assert grant["recipientOrganization"][0]["id"] == f"GB-EDU-{lead}"
    assert grant["fundingOrganization"] == [{"id": "GB-LAE-BIR", "name": "Birmingham City Council"}]
    flat = list(csv.DictReader(io.StringIO((example_site / "downloads" / "360giving.csv").read_text("utf-8"))))
    assert [r["Identifier"] for r in flat] == [g["id"] for g in grants]
    assert flat[[r["Identifier"] for r in flat].index(grant["id"])]["Amount Awarded"] == "193119.29"


# --- the catalogue -----------------------------------------------------------------------------

@pytest.mark.parametrize("site", ["example_site", "othertown_site", "town"])
def test_frictionless_validates_the_downloads(site: str, request: pytest.FixtureRequest):
    result = frictionless(request.getfixturevalue(site) / "downloads" / "datapackage.json")
    assert result.returncode == 0, result.stdout[-3000:]


def test_datapackage_takes_types_keys_and_enums_from_the_contract(example_site: Path):
    package = _load(example_site / "downloads" / "datapackage.json")
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) >= {"projects", "kpis", "reports", "engagement", "funding", "areas", "partnerships",
                              "schools", "360giving"}
    projects = resources["projects"]["schema"]
    fields = {f["name"]: f for f in projects["fields"]}
    assert fields["status"]["constraints"]["enum"] == ["green", "amber", "red"]
    assert fields["allocation_gbp"]["type"] == "number" and fields["start_date"]["type"] == "date"
    assert projects["primaryKey"] == ["project_id"]
    assert projects["foreignKeys"] == [{"fields": "partnership_id",
                                        "reference": {"resource": "partnerships", "fields": "partnership_id"}}]
    assert {fk["fields"] for fk in resources["partnerships"]["schema"]["foreignKeys"]} == {"area_id",
                                                                                           "lead_school_urn"}
    assert resources["reports"]["schema"]["primaryKey"] == ["project_id", "term"]
    kpis = resources["kpis"]["schema"]
    assert kpis["missingValues"] == ["", "c"]
    assert "required" not in {f["name"]: f for f in kpis["fields"]}["baseline"].get("constraints", {})
    assert package["licenses"][0]["title"] == "Open Government Licence v3.0"


def test_data_json_describes_every_file_by_a_working_address(example_site: Path):
    catalog = _load(example_site / "data.json")
    assert catalog["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    urls = []
    for dataset in catalog["dataset"]:
        assert {"title", "description", "identifier", "license", "issued", "modified", "distribution"} <= set(dataset)
        urls += [d["downloadURL"] for d in dataset["distribution"]]
    assert len(urls) >= 15
    for url in urls:
        assert url.startswith("https://dlp.example.org/")
        assert (example_site / url.removeprefix("https://dlp.example.org/")).is_file(), url


def test_open_data_page_lists_every_file_with_purpose_format_and_licence(example_site: Path):
    page = (example_site / "data" / "index.html").read_text(encoding="utf-8")
    catalog = _load(example_site / "data.json")
    for dataset in catalog["dataset"]:
        for d in dataset["distribution"]:
            path = d["downloadURL"].removeprefix("https://dlp.example.org/")
            assert f'href="../{path}"' in page, path
    assert page.count("Open Government Licence v3.0</a></td>") == sum(len(d["distribution"])
                                                                       for d in catalog["dataset"])
    assert 'href="../areas/east/feed_rss.xml"' in page


# --- the second council's own identifiers, without a site_url ------------------------------------

def test_othertown_publishes_under_its_own_identifiers(othertown_site: Path, example_site: Path):
    grants = _load(othertown_site / "downloads" / "360giving.json")
    assert {g["id"] for g in grants["grants"]} == {f"360G-northmoor-dbv-{p}" for p in
                                                   ("early-signs", "vale-hub", "outreach")}
    assert {g["fundingOrganization"][0]["id"] for g in grants["grants"]} == {"GB-LAE-NMB"}
    # No lead school in its data: the partnership is the recipient, under the council's prefix.
    assert grants["grants"][0]["recipientOrganization"][0]["id"].startswith("360G-northmoor-dbv-partnership-")
    assert grants["publisher"]["name"] == "Northmoor SEND Data Team"
    assert grants["license"] == "https://creativecommons.org/licenses/by/4.0/"
    package = _load(othertown_site / "downloads" / "datapackage.json")
    assert package["licenses"][0]["title"] == "Creative Commons Attribution 4.0 International"
    ours = {t["name"]: t["id"] for t in _load(othertown_site / "oruk" / "taxonomies.json")["contents"]}
    theirs = {t["name"]: t["id"] for t in _load(example_site / "oruk" / "taxonomies.json")["contents"]}
    assert ours.keys() == theirs.keys() and not set(ours.values()) & set(theirs.values())
    # Without site_url: no absolute addresses to give, so no data.json and no url fields.
    assert not (othertown_site / "data.json").exists()
    assert "url" not in _load(othertown_site / "oruk" / "services.json")["contents"][0]
    page = (othertown_site / "data" / "index.html").read_text(encoding="utf-8")
    assert "Creative Commons Attribution 4.0 International" in page and "feed_rss.xml" not in page


def test_a_bad_open_data_setting_is_reported_with_its_line(othertown: Path):
    edit(othertown, "programme.yml", "org_id: GB-LAE-NMB", "org_id: Northmoor")
    edit(othertown, "programme.yml", "grant_prefix: 360G-northmoor-dbv", "grnt_prefix: 360G-northmoor-dbv")
    site, issues = check(othertown, None)
    assert site is None
    assert [(i.path, i.row, i.column, i.message) for i in issues] == [
        ("programme.yml", 18, "open_data.org_id", "'Northmoor' is not an org-id"),
        ("programme.yml", 19, "open_data.grnt_prefix", "unknown setting")]
    assert issues[0].hint == "an org-id such as GB-LAE-BIR (Local Authorities in England: GB-LAE-<code>)"
    assert issues[1].hint == "did you mean 'grant_prefix'?"


# --- suppression, topic feeds, hostile text ------------------------------------------------------

def test_suppressed_values_stay_c_everywhere(town: Path):
    # vh-small was measured on 6 pupils (threshold 10): 61.37 and 48.91 must appear nowhere.
    rows = csv.DictReader(io.StringIO((town / "downloads" / "kpis.csv").read_text("utf-8")))
    kpis = {r["kpi_id"]: r for r in rows}
    assert (kpis["vh-small"]["baseline"], kpis["vh-small"]["latest"], kpis["vh-small"]["cohort"]) == ("c", "c", "c")
    outputs = [*town.glob("oruk/**/*.*"), *town.glob("downloads/*"), town / "data.json",
               *town.glob("*/*/feed_*.xml"), *town.glob("newsletters/feed_*.xml")]
    assert len(outputs) > 40
    for path in outputs:
        text = path.read_text(encoding="utf-8")
        assert "61.37" not in text and "48.91" not in text, path
    vale = (town / "partnerships" / "vale-secondaries" / "feed_atom.xml").read_text(encoding="utf-8")
    assert "Wellbeing: c (suppressed) to c (suppressed), a change of c (suppressed).</summary>" in vale


def test_topic_feeds_hold_the_posts_tagged_with_them(town: Path):
    def titles(path: str) -> list[str]:
        parsed = feedparser.parse((town / path).read_bytes())
        assert not parsed.bozo, (path, parsed.bozo_exception)
        return [e.title for e in parsed.entries]

    assert titles("partnerships/vale-secondaries/feed_rss.xml") == ["Vale news"]
    assert titles("areas/upper-vale/feed_atom.xml") == ["Vale news"]  # through its partnership
    assert titles("themes/workforce/feed_rss.xml") == ["Workforce <b>news</b>"]
    assert titles("areas/stourside/feed_rss.xml") == []  # empty, and still a feed to subscribe to
    feed = feedparser.parse((town / "areas/upper-vale/feed_atom.xml").read_bytes()).feed
    assert feed.title == "Delivering Better Value in SEND: newsletters about Upper Vale"
    assert feed.link == SITE_URL + "areas/upper-vale/"
    page = (town / "areas" / "upper-vale" / "index.html").read_text(encoding="utf-8")
    head, body = page.split("</head>", 1)
    assert '<link rel="alternate feed" type="application/rss+xml" title="Upper Vale: newsletters (RSS)" ' \
           'href="feed_rss.xml">' in head
    assert 'href="feed_atom.xml" type="application/atom+xml">Atom feed</a>' in body


def test_hostile_text_stays_data_in_json_and_escaped_in_xml_and_html(hostile_town: Path):
    services = _load(hostile_town / "oruk" / "services.json")["contents"]
    assert any("<script>alert('xss-script')</script>" in s["description"] for s in services)  # data, intact
    findings = []
    for path in sorted([*hostile_town.glob("*/*/feed_*.xml"), *hostile_town.glob("newsletters/feed_*.xml")]):
        tree = etree.fromstring(path.read_bytes())  # well-formed XML
        tags = {etree.QName(e).localname for e in tree.iter() if isinstance(e.tag, str)}
        findings += [f"{path}: <{t}>" for t in tags & {"script", "img", "a", "b"}]
    page = (hostile_town / "data" / "index.html").read_text(encoding="utf-8")
    audit = Audit()
    audit.feed(page)
    findings += audit.findings + emphasis_findings(page)
    for path in hostile_town.glob("areas/*/index.html"):
        head = path.read_text(encoding="utf-8").split("</head>")[0]
        findings += ["payload in head"] if "<script>alert" in head or "<img src=x" in head else []
    assert findings == []
    for path in hostile_town.glob("oruk/tabular/*.csv"):
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")):
            for cell in row:
                if cell.startswith(("=", "+", "-", "@")):
                    float(cell)  # only numbers may start like a formula
