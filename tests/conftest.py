"""Shared fixtures: copies of small datasets to break on purpose, and one real build of the example."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from dlp_site.pipeline import Paths, build
from dlp_site.render.cachedir import ENV as CACHE_ENV

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
OTHERTOWN = FIXTURES / "othertown"


def paths(data: Path, geo: Path | None = None) -> Paths:
    """Build paths for a dataset. Only the example uses the example's geo/ (Birmingham's
    outline); other datasets get the `geo` folder given, or none (areas derived from schools)."""
    if geo is None and data == ROOT / "data":
        geo = ROOT / "geo"
    return Paths(data=data, geo=geo, site_src=ROOT / "site_src", config=ROOT / "mkdocs.yml")


def edit(data: Path, name: str, old: str, new: str) -> None:
    """Replace text in one file of a dataset copy; the text must be there (keeps tests honest)."""
    path = data / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session", autouse=True)
def build_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Builds in tests (and the builds they start) keep their cache here, not in the user's."""
    folder = tmp_path_factory.mktemp("cache")
    os.environ[CACHE_ENV] = str(folder)
    return folder


@pytest.fixture
def othertown(tmp_path: Path) -> Path:
    """A private copy of the small second-council dataset."""
    target = tmp_path / "data"
    shutil.copytree(OTHERTOWN, target)
    return target


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped example data built once for real with MkDocs."""
    out = tmp_path_factory.mktemp("example") / "site"
    build(paths(ROOT / "data"), out)
    return out


@pytest.fixture(scope="session")
def othertown_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("othertown") / "site"
    build(paths(OTHERTOWN), out)
    return out


# --- the real browser, shared by the quality gate and the map tests --------------------------

def tiles_off(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    data = tmp_path_factory.mktemp(name) / "data"
    shutil.copytree(ROOT / "data", data)
    edit(data, "programme.yml", "tiles: openstreetmap", "tiles: none")
    return data


@pytest.fixture(scope="session")
def gate_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example data with map tiles switched off: no third-party request is allowed at all."""
    return tiles_off(tmp_path_factory, "gate")


@pytest.fixture(scope="session")
def gate_site(gate_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gate-site") / "site"
    build(paths(gate_data), out)
    return out


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (Playwright allows one sync driver at a time)."""
    from . import gate

    gate.require_tools()
    with gate.chromium() as b:
        yield b


@pytest.fixture(scope="session")
def gate_url(gate_site: Path):
    from . import gate

    with gate.serve(gate_site) as url:
        yield url
