"""What the map shows and the names the page shares with it, without Folium: kept apart so
that a build whose map comes from the cache (cache.py) never imports Folium or pandas."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

KIND_COLOURS = {  # Okabe-Ito, distinguishable with the common colour-vision deficiencies
    "primary_consortium": "#0060a0",
    "secondary_network": "#b34700",
    "early_years": "#00775a",
    "citywide": "#8c3b74",
}
KIND_LETTERS = {"primary_consortium": "P", "secondary_network": "S", "early_years": "E", "citywide": "C"}
ROW_IDS = {"projects": "map-project-{}", "schools": "map-school-{}"}  # as in map.md.j2's list


@dataclass(frozen=True)
class MapPlace:
    """One marker: a project (inside its partnership's area) or a school (at its postcode),
    tied to its row in the page's list, which holds everything the marker shows."""

    key: str
    lat: float
    lon: float
    row_id: str


@dataclass(frozen=True)
class RenderedMap:
    script: str  # Folium's JavaScript for the map, its layers and markers
    names: dict[str, str]  # JavaScript variable names the page script needs
    # The folium.Map itself, for tests to check options and layers (as geopandas does); None
    # when the map came from the cache (render/map/cache.py), which keeps only the script.
    map: Any = None
