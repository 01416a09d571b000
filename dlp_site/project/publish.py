"""How a new project publishes: the commands its GitHub Actions workflow runs and its officers'
README gives, from one list, so the two cannot disagree (tests/test_project.py checks the
written files against each other).
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import __version__

# The version that wrote the project: its pages, theme and workflow were made for this one.
INSTALL_SPEC = f"dlp-site=={__version__}"
SITE = "site"  # dlp-site build's default --out: the whole published site
PYTHON = "3.12"
# What a change must touch to rebuild the site (the workflow's paths filter).
WATCHED = ("data/**", "geo/**", "site_src/**", "mkdocs.yml", ".github/workflows/publish.yml")


@dataclass(frozen=True)
class Step:
    name: str  # the workflow step's name, and the README's words for it
    run: str  # exactly what is typed
    says: str  # what it does, in plain words


INSTALL = Step("Install dlp-site", f'python -m pip install "{INSTALL_SPEC}"',
               f"installs the version of dlp-site that made this folder ({__version__})")
CHECK = Step("Check the data", "dlp-site check --format github",
             "checks every table and setting; each problem is shown on the file and line it is about")
BUILD = Step("Build the site", "dlp-site build",
             f"builds the whole site into the {SITE}/ folder (nothing is built if the data has errors)")
# In order, on every run: a push to main and a pull request alike.
WORKFLOW_STEPS = (INSTALL, CHECK, BUILD)
