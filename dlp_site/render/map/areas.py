"""Partnership areas, built from the validated data with geopandas (the cache, cache.py, keeps
them between builds of the same data).

Areas come from geo/partnerships.geojson when the council supplies it. Otherwise each kind of
partnership (primary consortia, secondary networks, Early Years districts) tiles the authority
on its own: Voronoi cells around that kind's schools, merged by partnership and clipped to
geo/authority.geojson (or to a buffer around all schools). Kinds are tiled separately because
their schools overlap on the ground; one tiling of every school would cut each consortium into
fragments wherever a nursery or secondary school sits.

Geometry is worked in metres (British National Grid, EPSG:27700; every location was checked to
be in the UK), simplified as a coverage so neighbouring areas keep their shared edges, and
returned in WGS84 longitude/latitude rounded to 3 decimal places (at most about 55 m north-south
and 35 m east-west: within the simplification's own 80 m, and the areas are approximate anyway;
each decimal place costs the map page about half a kilobyte).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import MultiPoint, Point, shape
from shapely.geometry.base import BaseGeometry

from ...model.site import Site
from .geometry import FALLBACK_BUFFER_METRES, GRID_DEGREES, TILED_KINDS, AreaShape, MapGeometry

METRES = "EPSG:27700"
WGS84 = "EPSG:4326"
SIMPLIFY_METRES = 80  # well under a street block at the zoom levels a parent uses; areas are approximate


def _frame(geometries: list[BaseGeometry], crs: str, **columns: list[Any]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=geometries, crs=crs)


def _union(doc: dict[str, Any] | None) -> BaseGeometry | None:
    if not doc:
        return None
    return shapely.union_all([shape(f["geometry"]) for f in doc.get("features", []) if f.get("geometry")])


def _school_points(site: Site) -> gpd.GeoDataFrame:
    schools = sorted(site.schools.values(), key=lambda s: s.urn)
    frame = _frame([Point(float(s.longitude), float(s.latitude)) for s in schools], WGS84,
                   partnership_id=[s.partnership_id for s in schools],
                   kind=[site.partnerships[s.partnership_id].kind for s in schools])
    return frame.to_crs(METRES)


def _tile(points: gpd.GeoDataFrame, clip: BaseGeometry) -> gpd.GeoDataFrame:
    """Voronoi cells of one kind's schools, merged by partnership and clipped."""
    unique = points.drop_duplicates(subset="geometry")
    if unique["partnership_id"].nunique() == 1 or len(unique) < 3:
        # One partnership (or too few points for cells) covers everything its kind covers.
        merged = points.dissolve(by="partnership_id").reset_index()
        merged["geometry"] = merged.buffer(FALLBACK_BUFFER_METRES).intersection(clip)
        return merged[["partnership_id", "geometry"]]
    cells = gpd.GeoSeries(
        shapely.get_parts(shapely.voronoi_polygons(MultiPoint(list(unique.geometry)), extend_to=clip)),
        crs=METRES,
    )
    joined = gpd.sjoin(_frame(list(cells), METRES), unique[["partnership_id", "geometry"]],
                       predicate="contains", how="inner")
    merged = joined.dissolve(by="partnership_id").reset_index()
    merged["geometry"] = merged.intersection(clip)
    return merged[["partnership_id", "geometry"]]


def _simplified(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Coverage simplification keeps shared edges shared (no slivers or gaps between areas)."""
    out = frame.copy()
    out["geometry"] = shapely.make_valid(out.geometry.values)
    try:
        out["geometry"] = out.geometry.simplify_coverage(SIMPLIFY_METRES)
    except (AttributeError, shapely.errors.GEOSException):
        # Older GEOS without coverage simplification, or a supplied layer that is not a
        # clean coverage (overlapping areas): simplify each area on its own instead.
        out["geometry"] = out.geometry.simplify(SIMPLIFY_METRES, preserve_topology=True)
    return out


def _rounded(geometry: BaseGeometry) -> BaseGeometry:
    return shapely.set_precision(geometry, GRID_DEGREES)


def map_geometry(site: Site) -> MapGeometry:
    points = _school_points(site)
    authority = _union(site.geo.get("authority"))
    if authority is not None:
        clip = gpd.GeoSeries([authority], crs=WGS84).to_crs(METRES).iloc[0]
        boundary_source = "authority"
    else:
        clip = shapely.union_all(points.geometry.values).convex_hull.buffer(FALLBACK_BUFFER_METRES)
        boundary_source = "buffer"

    supplied = site.geo.get("partnerships")
    if supplied:
        features = [f for f in supplied.get("features", []) if f.get("geometry")]
        frame = _frame([shape(f["geometry"]) for f in features], WGS84,
                       partnership_id=[f["properties"]["partnership_id"] for f in features])
        frame = frame.to_crs(METRES).dissolve(by="partnership_id").reset_index()
        source = "supplied"
    else:
        tiles = [_tile(points[points["kind"] == kind], clip) for kind in TILED_KINDS
                 if (points["kind"] == kind).any()]
        frame = gpd.GeoDataFrame(
            {"partnership_id": [pid for t in tiles for pid in t["partnership_id"]]},
            geometry=[g for t in tiles for g in t.geometry], crs=METRES,
        ) if tiles else _frame([], METRES, partnership_id=[])
        source = "derived"

    # Simplify each kind's tiling as its own coverage (different kinds overlap by design).
    kinds = frame["partnership_id"].map(lambda pid: site.partnerships[pid].kind)
    parts = [_simplified(frame[kinds == kind]) for kind in sorted(set(kinds))]
    simplified = gpd.GeoDataFrame(
        {"partnership_id": [pid for p in parts for pid in p["partnership_id"]]},
        geometry=[g for p in parts for g in p.geometry], crs=METRES,
    ).to_crs(WGS84)
    boundary = gpd.GeoSeries([clip], crs=METRES).simplify(SIMPLIFY_METRES).to_crs(WGS84).iloc[0]
    areas = {
        pid: AreaShape(pid, _rounded(geom))
        for pid, geom in sorted(zip(simplified["partnership_id"], simplified.geometry, strict=True))
        if geom is not None and not geom.is_empty
    }
    return MapGeometry(areas, _rounded(boundary), source, boundary_source)
