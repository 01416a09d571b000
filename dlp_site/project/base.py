"""The site_src/ and mkdocs.yml a new project starts with: the repository's own, one source.

The repository keeps them at its top (where `dlp-site build` reads them for the example site).
Building the package (setup.py) copies them into dlp_site/project/base/, so an installed
dlp-site has them; an editable install, run from a checkout, reads the checkout's.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ProjectError

PACKAGED = Path(__file__).parent / "base"
CHECKOUT = Path(__file__).resolve().parents[2]
SITE_SRC = "site_src"
MKDOCS = "mkdocs.yml"
SKIP = {"__pycache__", ".DS_Store", "Thumbs.db"}


def base_folder() -> Path:
    """The folder holding site_src/ and mkdocs.yml for new projects."""
    for folder in (PACKAGED, CHECKOUT):
        if (folder / SITE_SRC).is_dir() and (folder / MKDOCS).is_file():
            return folder
    raise ProjectError("dlp-site's own site_src/ and mkdocs.yml are missing from this installation "
                       "(reinstall dlp-site)")


def base_files() -> dict[str, Path]:
    """{path in the new project: file to copy} for site_src/ and mkdocs.yml."""
    folder = base_folder()
    files = {MKDOCS: folder / MKDOCS}
    for path in sorted((folder / SITE_SRC).rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not SKIP.intersection(rel.parts):
            files[rel.as_posix()] = path
    return files
