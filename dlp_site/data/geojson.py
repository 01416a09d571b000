"""GeoJSON boundaries in geo/: read, check the structure, build and repair the geometry.

Whatever passes here is exactly what the map is built from (a FeatureCollection whose every
geometry is a valid Polygon or MultiPolygon built by shapely), so `check` saying OK means
`build` can draw it. Row in messages = the feature's number (1-based).

Repair: an invalid polygon (a "bowtie" whose edges cross, overlapping parts) is repaired with
shapely's make_valid only when the repair is unambiguous: GEOS's two readings of the drawing,
"structure" (rings as shells and holes) and "linework" (every enclosed area), give the same
polygon to within 0.1% of its area. A bowtie passes (both give its two triangles); parts that
overlap, or a hole outside its shell, do not (one reading fills what the other leaves out), and
are errors to fix in the GIS.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from ..errors import Issue, Level
from .cells import in_uk

GEO_TYPES = ("Polygon", "MultiPolygon")
EXPORT_HINT = "export the layer again as GeoJSON in WGS84 (EPSG:4326)"
REPAIR_TOLERANCE = 0.001  # share of the area the two repairs may differ by


def read_geojson(path: Path, source: str) -> tuple[Any, Issue | None]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, Issue(source, None, None, f"not valid GeoJSON: byte {exc.start} is not UTF-8", EXPORT_HINT)
    try:
        return json.loads(text), None
    except RecursionError:
        return None, Issue(source, None, None, "not valid GeoJSON: it is nested too deeply to read", EXPORT_HINT)
    except ValueError as exc:
        return None, Issue(source, None, None, f"not valid GeoJSON: {exc}", EXPORT_HINT)


def _kind(value: Any) -> str:
    return type(value).__name__ if not isinstance(value, dict) else f"an object of type {value.get('type')!r}"


def _features(doc: Any) -> tuple[list[Any] | None, str | None]:
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        return [doc], None  # one feature on its own is as good as a collection of one
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        return None, f"expected a GeoJSON FeatureCollection, found {_kind(doc)}"
    features = doc.get("features")
    if not isinstance(features, list):
        return None, f"'features' must be a list of features, found {_kind(features)}"
    if not features:
        return None, "the FeatureCollection has no features"
    return features, None


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _coordinates_problem(kind: str, coordinates: Any) -> str | None:
    """Check the nesting GeoJSON requires (no recursion: depth is exactly that of the type)."""
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return "the coordinates are not a list of polygons"
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return "a polygon is not a list of rings"
        for ring in polygon:
            if not isinstance(ring, list):
                return "a ring is not a list of [longitude, latitude] positions"
            for position in ring:
                if not isinstance(position, list) or len(position) not in (2, 3) \
                        or not all(_number(v) for v in position):
                    return f"{json.dumps(position)[:40]} is not a [longitude, latitude] position of two numbers"
            closed = len(ring) if ring and ring[0] == ring[-1] else len(ring) + 1
            if closed < 4:
                return f"a ring of {len(ring)} points: a polygon ring needs at least 3 corners"
    return None


def _repaired(geometry: BaseGeometry) -> BaseGeometry | None:
    """The repaired polygon when both readings of the drawing agree, else None."""
    def polygonal(g: BaseGeometry) -> BaseGeometry:
        parts = [p for p in shapely.get_parts(g) if p.geom_type in GEO_TYPES and not p.is_empty]
        return shapely.union_all(parts) if parts else shapely.Polygon()

    structure = polygonal(shapely.make_valid(geometry, method="structure", keep_collapsed=False))
    linework = polygonal(shapely.make_valid(geometry, method="linework"))
    if structure.is_empty or linework.is_empty:
        return None
    if structure.symmetric_difference(linework).area > REPAIR_TOLERANCE * structure.area:
        return None
    return structure


def _geometry(raw: dict[str, Any], source: str, number: int, issues: list[Issue]) -> BaseGeometry | None:
    def problem(message: str, hint: str, level: Level = Level.ERROR) -> None:
        issues.append(Issue(source, number, "geometry", message, hint, level))

    kind = raw.get("type")
    if kind not in GEO_TYPES:
        problem(f"geometry type {kind!r} is not a polygon", "boundaries must be Polygon or MultiPolygon features")
        return None
    bad_shape = _coordinates_problem(kind, raw.get("coordinates"))
    if bad_shape:
        problem(bad_shape, EXPORT_HINT)
        return None
    positions = [p for polygon in ([raw["coordinates"]] if kind == "Polygon" else raw["coordinates"])
                 for ring in polygon for p in ring]
    outside = [p for p in positions if not in_uk(p[1], p[0])]  # GeoJSON positions are [lon, lat]
    if outside:
        problem(f"{len(outside)} points lie outside the UK, e.g. {outside[0][:2]}",
                "GeoJSON is longitude, latitude in WGS84 (EPSG:4326); reproject or swap the axes")
        return None
    try:
        geometry = shape(raw)
        if geometry.is_valid:
            return geometry
        reason = shapely.is_valid_reason(geometry)
        repaired = _repaired(geometry)
    except (ValueError, TypeError, shapely.errors.GEOSException) as exc:
        problem(f"the geometry cannot be built: {exc}", EXPORT_HINT)
        return None
    if repaired is None:
        problem(f"the polygon is not valid ({reason}) and cannot be repaired safely",
                "fix it in the GIS (e.g. QGIS: Vector > Geometry Tools > Check Validity, or Fix Geometries)")
        return None
    problem(f"the polygon is not valid ({reason}); it was repaired", "fix it in the GIS to silence this",
            Level.WARNING)
    return repaired


def check_geojson(name: str, doc: Any, issues: list[Issue]) -> tuple[dict[str, Any] | None, dict[int, dict[str, Any]]]:
    """A FeatureCollection of valid polygons built from `doc` (None if it has errors, which are
    reported), and every feature's properties by feature number, for checks of their own."""
    source = f"geo/{name}.geojson"
    features, problem = _features(doc)
    if features is None:
        assert problem is not None  # _features says why it found none
        issues.append(Issue(source, None, None, problem, EXPORT_HINT))
        return None, {}
    clean = []
    found: dict[int, dict[str, Any]] = {}
    failed = False
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            issues.append(Issue(source, number, None, f"expected a Feature, found {_kind(feature)}", EXPORT_HINT))
            failed = True
            continue
        properties = feature.get("properties")
        if properties is not None and not isinstance(properties, dict):
            issues.append(Issue(source, number, "properties", f"'properties' must be an object, "
                                f"found {_kind(properties)}", EXPORT_HINT))
            failed = True
            continue
        found[number] = dict(properties or {})
        raw = feature.get("geometry")
        if not isinstance(raw, dict):
            issues.append(Issue(source, number, "geometry", f"'geometry' must be an object, found {_kind(raw)}",
                                "every boundary feature needs a Polygon or MultiPolygon geometry"))
            failed = True
            continue
        geometry = _geometry(raw, source, number, issues)
        if geometry is None:
            failed = True
            continue
        clean.append({"type": "Feature", "properties": found[number], "geometry": mapping(geometry)})
    return (None if failed else {"type": "FeatureCollection", "features": clean}), found
