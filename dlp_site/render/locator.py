"""Small locator maps for project and partnership pages: plain SVG, no script, no tiles.

One interactive map per page would cost every project page Leaflet and a data file; a
locator only has to answer "where is this?", so it is drawn at build time: the authority's
outline, the partnership's area highlighted and its schools as dots, with a sentence saying the
same in words (the SVG's <title> and <desc>, shown to screen readers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from ..model.site import Site
from .map.geometry import MapGeometry

WIDTH = 240
PAD = 6
COMPASS = ("east", "north-east", "north", "north-west", "west", "south-west", "south", "south-east")


@dataclass(frozen=True)
class Locator:
    width: int
    height: int
    outline: str  # SVG path data
    area: str  # SVG path data; empty when the partnership has no area (city-wide)
    dots: list[tuple[float, float]]
    title: str
    summary: str


class _Projection:
    """Equirectangular, longitude scaled by cos(latitude): true enough at city scale."""

    def __init__(self, bounds: tuple[float, float, float, float]):
        min_lon, min_lat, max_lon, max_lat = bounds
        self.k = math.cos(math.radians((min_lat + max_lat) / 2))
        self.min_lon, self.max_lat = min_lon, max_lat
        span_x = max((max_lon - min_lon) * self.k, 1e-9)
        span_y = max(max_lat - min_lat, 1e-9)
        self.scale = (WIDTH - 2 * PAD) / span_x
        self.height = round(span_y * self.scale + 2 * PAD)

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (round(PAD + (lon - self.min_lon) * self.k * self.scale, 1),
                round(PAD + (self.max_lat - lat) * self.scale, 1))

    def path(self, geometry: BaseGeometry | None) -> str:
        if geometry is None or geometry.is_empty:
            return ""
        rings = []
        for polygon in shapely.get_parts(geometry):
            for ring in [polygon.exterior, *polygon.interiors]:
                points = [self.xy(x, y) for x, y in ring.coords[:-1]]
                rings.append("M" + "L".join(f"{x:g} {y:g}" for x, y in points) + "Z")
        return "".join(rings)


def _direction(point: Point, centre: Point, k: float) -> str:
    dx, dy = (point.x - centre.x) * k, point.y - centre.y
    if math.hypot(dx, dy) < 0.008:  # under about a kilometre from the middle
        return "in the centre"
    sector = round(math.degrees(math.atan2(dy, dx)) / 45) % 8
    return f"in the {COMPASS[sector]}"


class Locators:
    """Locator maps for one build: the projection and the authority's outline are worked out
    once, since every page shares them."""

    def __init__(self, site: Site, geometry: MapGeometry):
        self.site = site
        self.geometry = geometry
        self.projection = _Projection(geometry.bounds) if geometry.boundary is not None else None
        self.outline = self.projection.path(geometry.boundary) if self.projection else ""

    def __call__(self, partnership_id: str) -> Locator | None:
        if self.projection is None:
            return None
        site, geometry, projection = self.site, self.geometry, self.projection
        partnership = site.partnerships[partnership_id]
        schools = site.schools_of(partnership_id)
        area = geometry.areas.get(partnership_id)
        place = site.programme.local_authority
        if area is not None and geometry.boundary is not None:
            where = _direction(area.geometry.centroid, geometry.boundary.centroid, projection.k)
            summary = (f"{partnership.name} works {where} of the {place} area (highlighted), "
                       f"with {len(schools)} school{'s' if len(schools) != 1 else ''} shown as dots.")
        else:
            summary = f"{partnership.name} works across the whole {place} area (outlined)."
        return Locator(
            width=WIDTH,
            height=projection.height,
            outline=self.outline,
            area=projection.path(area.geometry) if area else "",
            dots=[projection.xy(float(s.longitude), float(s.latitude)) for s in schools],
            title=f"Where {partnership.name} works",
            summary=summary,
        )
