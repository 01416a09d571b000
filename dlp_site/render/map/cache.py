"""The map's shapes and Folium's script, kept between builds of the same data.

Drawing the map is most of what a build adds to MkDocs, and nearly all of that is importing
geopandas, pandas and Folium (about 1.2 s of CPU on a 2-core machine; the drawing itself takes
0.2 s). They are needed only when the map changes: not when an officer rebuilds after editing a
newsletter, a project, a report, a measure or the funding, which Folium's part of the map
does not show.

The map is drawn from a copy of the Site holding only what it shows (`drawn_from`: the
programme, partnerships, schools and boundaries), and an entry is keyed by a SHA-256
of that copy (as JSON, pydantic's serialisation of the dataclass), of dlp-site's own code and of
the versions of the libraries that draw it. What is not in the copy cannot reach the map, and
any change to what is makes a new key, so an entry can never be stale, only unused; the newest
KEEP entries are kept. An entry is data, never code: the areas as
WKB (read back on the grid they were rounded to), the script as text and the names as JSON.
Anything unreadable in it is treated as absent.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import shapely
from pydantic import TypeAdapter

from ...model.site import Site
from ..cachedir import cache_dir
from .geometry import GRID_DEGREES, AreaShape, MapGeometry
from .places import RenderedMap

FORMAT = 1  # of an entry; part of the key
KEEP = 8  # entries: a few datasets (the example, the council's, a test copy) each keep theirs
PACKAGE = Path(__file__).resolve().parents[2]  # dlp_site/
LIBRARIES = ("folium", "branca", "geopandas", "shapely", "pyproj", "pandas", "numpy")


def _library(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


def drawn_from(site: Site) -> Site:
    """The part of the Site the map is drawn from (and keyed by): no projects (their pins are
    in the page's list, page.py), measures, reports, funding, areas' names or postcode table,
    so editing those keeps the cached map."""
    return dataclasses.replace(site, areas={}, projects={}, kpis=[], reports=[], funding=[], postcodes=[])


@functools.cache
def _code() -> bytes:
    """dlp-site's own code and the map libraries' versions, read once per process: the code
    that draws the map is the code this process imported (the preview rebuilds many times)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(" ".join(f"{name}={_library(name)}" for name in LIBRARIES).encode())
    return digest.digest()


def key(site: Site) -> str:
    digest = hashlib.sha256(f"format {FORMAT}\n".encode() + _code())
    digest.update(TypeAdapter(Site).dump_json(site, warnings=False))
    return digest.hexdigest()


def _shape(wkb: Any) -> Any:
    if not isinstance(wkb, str):
        raise TypeError("not WKB")
    # WKB holds the coordinates but not the grid they were rounded to (geometry.py): put back,
    # point by point (nothing moves or is reordered), or a centroid comes out unrounded.
    return shapely.set_precision(shapely.from_wkb(bytes.fromhex(wkb)), GRID_DEGREES, mode="pointwise")


def _read(path: Path) -> tuple[MapGeometry, RenderedMap]:
    entry = json.loads(path.read_text(encoding="utf-8"))
    areas = {pid: AreaShape(pid, _shape(wkb)) for pid, wkb in entry["areas"].items()}
    boundary = _shape(entry["boundary"]) if entry["boundary"] is not None else None
    geometry = MapGeometry(areas, boundary, str(entry["source"]), str(entry["boundary_source"]))
    names = entry["names"]
    if not isinstance(entry["script"], str) or not all(isinstance(v, str) for v in names.values()):
        raise TypeError("not a script")
    return geometry, RenderedMap(entry["script"], dict(names))


def _write(path: Path, geometry: MapGeometry, rendered: RenderedMap) -> None:
    entry = {
        "areas": {pid: shapely.to_wkb(a.geometry, hex=True) for pid, a in geometry.areas.items()},
        "boundary": shapely.to_wkb(geometry.boundary, hex=True) if geometry.boundary is not None else None,
        "source": geometry.source,
        "boundary_source": geometry.boundary_source,
        "script": rendered.script,
        "names": rendered.names,
    }
    # Whole or not at all: another build may read the entry while this one writes it.
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=".map-", suffix=".tmp",
                                     delete=False) as out:
        json.dump(entry, out)
    try:
        os.replace(out.name, path)
    except OSError:
        Path(out.name).unlink(missing_ok=True)
        return
    entries = sorted(path.parent.glob("map-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)


def drawn(site: Site) -> tuple[MapGeometry, RenderedMap]:
    """The site's map geometry and Folium's script for it: from the cache, or drawn (and kept)."""
    site = drawn_from(site)
    folder = cache_dir("map")
    path = folder / f"map-{key(site)}.json" if folder else None
    if path is not None:
        try:
            found = _read(path)
        except (OSError, ValueError, TypeError, KeyError, AttributeError, shapely.errors.ShapelyError):
            pass  # none yet, or unreadable: drawn below, and kept
        else:
            with contextlib.suppress(OSError):
                os.utime(path)  # the newest entries are the ones kept
            return found
    from .areas import map_geometry  # geopandas only when the map is drawn
    from .folium_map import build_map  # Folium and pandas likewise

    geometry = map_geometry(site)
    rendered = build_map(site, geometry)
    if path is not None:
        with contextlib.suppress(OSError):
            _write(path, geometry, rendered)
    return geometry, rendered
