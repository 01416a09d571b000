"""The map's shapes: partnership areas and the outline they were clipped to, in WGS84.

Made once per build by areas.py (with geopandas), or read back from the cache (cache.py),
which is why nothing here needs more than shapely."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

FALLBACK_BUFFER_METRES = 1500  # around all schools when there is no authority outline (areas.py)
TILED_KINDS = ("primary_consortium", "secondary_network", "early_years")
# Areas are rounded to this grid (areas.py), which each shape keeps: shapely snaps what it
# computes from one (a centroid, for the locator maps) to the same grid.
GRID_DEGREES = 1e-3


@dataclass(frozen=True)
class AreaShape:
    partnership_id: str
    geometry: BaseGeometry  # WGS84


@dataclass(frozen=True)
class MapGeometry:
    areas: dict[str, AreaShape]  # partnership_id -> area (city-wide partnerships have none)
    boundary: BaseGeometry | None  # WGS84 outline the areas were clipped to
    source: str  # "supplied" (geo/partnerships.geojson) or "derived" (Voronoi cells)
    boundary_source: str  # "authority" (geo/authority.geojson) or "buffer"

    @cached_property
    def bounds(self) -> tuple[float, float, float, float]:
        """(min lon, min lat, max lon, max lat) of everything drawn."""
        shapes = [a.geometry for a in self.areas.values()] + ([self.boundary] if self.boundary else [])
        min_x, min_y, max_x, max_y = (float(v) for v in shapely.total_bounds(shapes))
        return min_x, min_y, max_x, max_y

    def anchor(self, partnership_id: str) -> tuple[float, float] | None:
        """A (lat, lon) inside the partnership's area, where its project markers go."""
        area = self.areas.get(partnership_id)
        if area is None:
            return None
        point = area.geometry.representative_point()
        return round(point.y, 4), round(point.x, 4)


def feature(geometry: BaseGeometry, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": mapping(geometry)}
