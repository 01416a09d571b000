"""The Local Offer map, built with Folium and taken apart for a MkDocs Material page.

Wrapped the way geopandas' `explore` wraps Folium: geometry arrives in WGS84 and the caller
decides where the output goes. No text a school or officer wrote goes into Folium's script at
all, only geometry and ids (checked slugs): Folium's tooltips insert text as HTML and Folium
re-reads scripts as Jinja templates. An area's name, like everything a marker shows, is copied
as text from the page's list by map.js. Three departures from a stock Folium page:

- No CDN: the Map's default JS/CSS lists are emptied on the instance; the page template loads
  Leaflet and Leaflet.markercluster from the site's own vendored copies. Nothing we draw needs
  jQuery, Bootstrap or Font Awesome (no Folium Popup objects, which call jQuery's `$`).
- Only the map's script is kept. Folium's page header (html/body styles, a viewport tag that
  blocks zooming) would break the Material page and fail WCAG, so it is dropped.
- Element ids are numbered, not random, so two builds of the same data are byte-identical.

Markers go in a MarkerCluster that Folium draws empty: the page script (site assets
`dlp-site/map.js`), which owns filtering and the postcode search, makes each marker from its row
of the page's list, which says where it goes (`data-at`, from `places.py`). Sending each place
once, in the list, instead of again as a row of Folium's data tied to the list by the row's id,
keeps the page within its weight budget.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import folium
from branca.element import Element
from folium.plugins import MarkerCluster

from ...model.labels import KIND_LABELS
from ...model.site import Site
from .geometry import TILED_KINDS, MapGeometry, feature
from .places import KIND_COLOURS, RenderedMap

MAX_ZOOM = 18
MIN_ZOOM = 9
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'

# Leaflet.GestureHandling (vendored): one finger scrolls the page over the map and two move
# it; the mouse wheel scrolls the page unless Ctrl is held (or, map.js adds, the map has
# focus). Its own messages come in 50 languages chosen by the browser's language; the page is
# in English and these say how to zoom here.
GESTURE_HANDLING = {
    "text": {
        "touch": "Use two fingers to move the map",
        "scroll": "To zoom, hold Ctrl and scroll, or select the map first",
        "scrollMac": "To zoom, hold \u2318 and scroll, or select the map first",
    },
    "duration": 1500,
}

CLUSTER_ICON = "function (cluster) { return window.dlpLocalOffer.clusterIcon(cluster); }"


@contextmanager
def _numbered_ids() -> Iterator[None]:
    """Folium names every element with 32 random hex digits; number them instead."""
    counter = itertools.count(1)
    original = Element.__dict__["_generate_id"]
    Element._generate_id = classmethod(lambda cls: f"{next(counter):04d}")  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        Element._generate_id = original  # type: ignore[method-assign]


def _style(kind: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    colour = KIND_COLOURS[kind]
    return lambda _feature: {"color": colour, "weight": 2, "fillColor": colour, "fillOpacity": 0.08}


def _add_areas(m: folium.Map, site: Site, geometry: MapGeometry) -> dict[str, str]:
    """One layer of areas per kind of partnership (only primary consortia shown at first);
    returns {kind: layer variable name}. map.js gives each area a tooltip and a popup made
    from the page's list (its partnership's name; its link and projects)."""
    layers = {}
    for kind in TILED_KINDS:
        shapes = [a for a in geometry.areas.values() if site.partnerships[a.partnership_id].kind == kind]
        if not shapes:
            continue
        group = folium.FeatureGroup(name=f"{KIND_LABELS[kind]} areas", show=kind == TILED_KINDS[0])
        collection = {"type": "FeatureCollection", "features": [
            feature(a.geometry, partnership_id=a.partnership_id) for a in shapes
        ]}
        folium.GeoJson(collection, style_function=_style(kind)).add_to(group)
        group.add_to(m)
        layers[kind] = group.get_name()
    return layers


def _add_markers(m: folium.Map) -> str:
    """Projects and schools in one cluster layer: two would draw clusters on top of each other
    (overlapping touch targets, WCAG 2.5.8). The page's "Show" filter picks either. map.js
    fills it from the page's list."""
    cluster = MarkerCluster(name="Projects and schools", icon_create_function=CLUSTER_ICON,
                            options={"showCoverageOnHover": False, "maxClusterRadius": 60,
                                     "spiderfyDistanceMultiplier": 1.6})
    cluster.add_to(m)
    return cluster.get_name()


def build_map(site: Site, geometry: MapGeometry) -> RenderedMap:
    settings = site.programme.map
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    with _numbered_ids():
        m = folium.Map(
            location=list(settings.centre) if settings.centre else [(min_lat + max_lat) / 2, (min_lon + max_lon) / 2],
            zoom_start=settings.zoom,
            tiles=None,
            # Folium passes min/max zoom only to its own tile layer; without tiles the map itself
            # needs them (markercluster throws without a maxZoom).
            minZoom=MIN_ZOOM,
            maxZoom=MAX_ZOOM,
            control_scale=True,
            gestureHandling=True,
            gestureHandlingOptions=GESTURE_HANDLING,
        )
        m.default_js = []
        m.default_css = []
        if settings.tiles == "openstreetmap":
            folium.TileLayer("OpenStreetMap", name="Street map", attr=OSM_ATTRIBUTION, max_zoom=MAX_ZOOM,
                             control=False).add_to(m)
        if geometry.boundary is not None:
            folium.GeoJson(feature(geometry.boundary), name="Boundary", control=False, interactive=False,
                           style_function=lambda _f: {"color": "#505a5f", "weight": 2, "fill": False,
                                                      "dashArray": "6 4"}).add_to(m)
        area_layers = _add_areas(m, site, geometry)
        cluster = _add_markers(m)
        folium.LayerControl(collapsed=True).add_to(m)
        if not settings.centre:
            m.fit_bounds([[min_lat, min_lon], [max_lat, max_lon]])

        figure = m.get_root()
        figure.render()
        names = {"map": m.get_name(), "cluster": cluster, **{f"areas_{k}": v for k, v in area_layers.items()}}
        return RenderedMap(script=figure.script.render(), names=names, map=m)  # type: ignore[attr-defined]
