"""The postcode lookup table for the map's "find near me" search.

The search runs entirely in the parent's browser: the page downloads this whole table (never
a part chosen by what was typed), so the postcode never leaves the device. The table holds:

- full postcodes: from geo/postcodes.csv when the council supplies one (for example the ONS
  Postcode Directory for the authority), otherwise the schools' own postcodes;
- sectors ("B27 6") and districts ("B27"): the centre of the full postcodes in each, so any
  postcode in the authority finds somewhere near even when its exact centre is not listed.

Coordinates are rounded to 4 decimal places (about 10 m), which is plenty for "how far".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ...model.site import Site

PLACES = 4


@dataclass(frozen=True)
class PostcodeTable:
    full: dict[str, tuple[float, float]]
    sectors: dict[str, tuple[float, float]]
    districts: dict[str, tuple[float, float]]
    source: str  # "supplied" (geo/postcodes.csv) or "schools"

    def as_json(self) -> dict[str, dict[str, tuple[float, float]]]:
        return {"full": self.full, "sector": self.sectors, "district": self.districts}


def sector(postcode: str) -> str:
    """'B27 6DH' -> 'B27 6' (postcodes are already normalised with one space)."""
    return postcode[:-2]


def district(postcode: str) -> str:
    return postcode.split(" ")[0]


def _centres(points: Iterable[tuple[str, float, float]]) -> dict[str, tuple[float, float]]:
    groups: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for key, lat, lon in points:
        groups[key].append((lat, lon))
    return {
        key: (round(sum(p[0] for p in pts) / len(pts), PLACES), round(sum(p[1] for p in pts) / len(pts), PLACES))
        for key, pts in sorted(groups.items())
    }


def postcode_table(site: Site) -> PostcodeTable:
    if site.postcodes:
        rows = [(p.postcode, float(p.latitude), float(p.longitude)) for p in site.postcodes]
        source = "supplied"
    else:
        rows = [(s.postcode, float(s.latitude), float(s.longitude)) for s in site.schools.values()]
        source = "schools"
    full = _centres(rows)  # several schools can share a postcode: use their centre
    return PostcodeTable(
        full=full,
        sectors=_centres((sector(pc), lat, lon) for pc, (lat, lon) in full.items()),
        districts=_centres((district(pc), lat, lon) for pc, (lat, lon) in full.items()),
        source=source,
    )
