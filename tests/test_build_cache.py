"""What builds keep between them (render/cachedir.py, render/map/cache.py): the same bytes with
or without it, never stale, never someone else's, and the map's libraries not even imported
when the map has not changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
import shapely

from dlp_site.pipeline import build, check_all
from dlp_site.render.cachedir import ENV, cache_dir
from dlp_site.render.map import cache
from dlp_site.render.map.areas import map_geometry
from dlp_site.render.map.folium_map import build_map

from .conftest import OTHERTOWN, ROOT, edit, paths, tree_digest

HEAVY = ("folium", "geopandas", "pandas")
# Stage in a new process (a build's first step, which draws the map and renders every page),
# then say which of the map's libraries that process imported.
STAGE = f"""
import sys
from dlp_site.cli import main
sys.argv = ["dlp-site", "stage", "-q", "--data", sys.argv[1], "--geo", sys.argv[2], "--out", sys.argv[3]]
try:
    main()
except SystemExit as exit:
    assert not exit.code, exit.code
print(" ".join(m for m in {HEAVY!r} if m in sys.modules))
"""


def stage(data: Path, out: Path, cache_folder: Path | str, geo: Path = ROOT / "geo") -> list[str]:
    env = {**os.environ, ENV: str(cache_folder)}
    done = subprocess.run([sys.executable, "-c", STAGE, str(data), str(geo), str(out)], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return done.stdout.split()


def map_entries(folder: Path) -> list[Path]:
    return sorted((folder / "map").glob("map-*.json"))


def test_a_cached_build_stages_the_same_bytes_without_importing_the_map_libraries(tmp_path: Path):
    folder = tmp_path / "cache"
    assert stage(ROOT / "data", tmp_path / "off", "off") == list(HEAVY)
    assert stage(ROOT / "data", tmp_path / "first", folder) == list(HEAVY)
    assert len(map_entries(folder)) == 1
    assert list((folder / "jinja").iterdir()), "compiled templates are kept"
    assert stage(ROOT / "data", tmp_path / "again", folder) == [], "the map came from the cache"
    expected = tree_digest(tmp_path / "off")
    assert tree_digest(tmp_path / "first") == expected
    assert tree_digest(tmp_path / "again") == expected


def test_the_map_is_drawn_again_only_when_what_it_shows_changes(tmp_path: Path, othertown: Path):
    folder = tmp_path / "cache"
    geo = tmp_path / "no-geo"
    geo.mkdir()
    stage(othertown, tmp_path / "first", folder, geo)
    # Neither a report nor a project is in Folium's part of the map (a project's pin is in the
    # page's list): the same entry is used.
    edit(othertown, "reports.csv", "Training started.", "Training has started.")
    edit(othertown, "projects.csv", "Early Signs Together", "Early Signs Together Again")
    assert stage(othertown, tmp_path / "report", folder, geo) == []
    assert len(map_entries(folder)) == 1
    # A school moved: its marker and its partnership's area move with it.
    schools = (othertown / "schools.csv").read_text(encoding="utf-8").splitlines()
    fields = schools[1].split(",")
    header = schools[0].split(",")
    lat = header.index("latitude")
    moved = fields.copy()
    moved[lat] = f"{float(fields[lat]) + 0.01:.4f}"
    edit(othertown, "schools.csv", ",".join(fields), ",".join(moved))
    assert stage(othertown, tmp_path / "moved", folder, geo) == list(HEAVY)
    assert len(map_entries(folder)) == 2
    # Its marker (its row's place in the list) and its partnership's area (Folium's script).
    pin = f'data-at="{float(moved[lat])} {float(fields[lat + 1])}"'
    assert pin in (tmp_path / "moved" / "docs" / "map" / "index.md").read_text(encoding="utf-8")
    script = "docs/map/local-offer.js"
    assert (tmp_path / "moved" / script).read_bytes() != (tmp_path / "first" / script).read_bytes()


def test_the_map_drawn_from_its_part_of_the_site_is_the_map_of_the_whole_site():
    """The cache keys and draws the map from `drawn_from(site)`: nothing the map shows may be
    left out of it (a measure or report the map used would otherwise never redraw it)."""
    for data, geo in ((ROOT / "data", ROOT / "geo"), (OTHERTOWN, None)):
        site = check_all(data, geo).site
        assert site is not None
        part = cache.drawn_from(site)
        whole_geometry, part_geometry = map_geometry(site), map_geometry(part)
        assert part_geometry == whole_geometry
        whole = build_map(site, whole_geometry)
        drawn = build_map(part, part_geometry)
        assert (drawn.script, drawn.names) == (whole.script, whole.names)


def test_an_unreadable_entry_is_drawn_again_and_replaced(tmp_path: Path):
    folder = tmp_path / "cache"
    stage(ROOT / "data", tmp_path / "first", folder)
    [entry] = map_entries(folder)
    good = json.loads(entry.read_text(encoding="utf-8"))
    for damage in ("{not json", json.dumps({**good, "areas": {"x": "zz"}}), json.dumps({**good, "script": 1})):
        entry.write_text(damage, encoding="utf-8")
        assert stage(ROOT / "data", tmp_path / "again", folder) == list(HEAVY)
        assert json.loads(entry.read_text(encoding="utf-8")) == good
        assert tree_digest(tmp_path / "again") == tree_digest(tmp_path / "first")


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_cache_folder_others_could_write_or_read_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(ENV, str(tmp_path / "mine"))
    assert cache_dir("map") == tmp_path / "mine" / "map"
    assert (tmp_path / "mine" / "map").stat().st_mode & 0o777 == 0o700
    (tmp_path / "mine" / "map").chmod(0o750)  # others may read it
    assert cache_dir("map") is None
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)  # others could swap the folder for their own
    monkeypatch.setenv(ENV, str(shared))
    assert cache_dir("map") is None
    (tmp_path / "elsewhere").mkdir(mode=0o700)
    (tmp_path / "linked").mkdir()
    (tmp_path / "linked" / "map").symlink_to(tmp_path / "elsewhere")
    monkeypatch.setenv(ENV, str(tmp_path / "linked"))
    assert cache_dir("map") is None
    monkeypatch.setenv(ENV, "off")
    assert cache_dir("map") is None


def test_shapes_read_from_the_cache_are_the_shapes_drawn(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Equal coordinates are not enough: shapely snaps what it computes from a shape (the
    locator maps' centroids) to the grid the shape was rounded to, which WKB does not keep."""
    monkeypatch.setenv(ENV, str(tmp_path / "cache"))
    site = check_all(ROOT / "data", ROOT / "geo").site
    assert site is not None
    drawn, _ = cache.drawn(site)
    assert len(map_entries(tmp_path / "cache")) == 1
    read, _ = cache.drawn(site)
    assert read is not drawn
    pairs = [(drawn.areas[pid].geometry, read.areas[pid].geometry) for pid in drawn.areas] + [
        (drawn.boundary, read.boundary)]
    for a, b in pairs:
        assert shapely.to_wkb(a) == shapely.to_wkb(b)
        assert shapely.get_precision(a) == shapely.get_precision(b)
        assert a.centroid.equals_exact(b.centroid, 0)


def test_the_theme_s_templates_compiled_by_one_build_are_used_by_the_next(monkeypatch: pytest.MonkeyPatch,
                                                                          tmp_path: Path):
    """MkDocs' environment for the theme keeps what it compiles in the build cache
    (site/mkdocs.py): the next build, from a stage in another temporary folder, compiles none of
    Material's templates or the overrides, adds no entries and publishes the same bytes."""
    monkeypatch.setenv(ENV, str(tmp_path / "cache"))
    compiled: list[str] = []
    compile_ = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, *args, **kwargs):
        compiled.append(filename or "")
        return compile_(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    theme = ("/material/", "/overrides/")
    build(paths(ROOT / "data"), tmp_path / "first")
    assert sum(any(part in f for part in theme) for f in compiled) > 40
    entries = sorted((tmp_path / "cache" / "jinja").iterdir())
    compiled.clear()
    build(paths(ROOT / "data"), tmp_path / "again")
    assert [f for f in compiled if any(part in f for part in theme)] == []
    assert sorted((tmp_path / "cache" / "jinja").iterdir()) == entries
    assert tree_digest(tmp_path / "again") == tree_digest(tmp_path / "first")
