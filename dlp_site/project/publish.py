"""How a new project publishes: the commands its GitHub Actions workflow runs and its officers'
README gives, from one list, so the two cannot disagree (tests/test_project.py checks the
written files against each other).

The workflow installs dlp-site on GitHub's machine from where this copy came (PEP 610's
direct_url.json says): a package index -> `dlp-site==VERSION`; a git repository -> that exact
commit; a web address -> that file. A copy installed from a folder or a file on this computer
cannot be installed there, so `dlp-site init` says so and the officer names the source with
--install (the workflow would otherwise fail at its first step).
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from importlib import metadata
from urllib.parse import urlsplit

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from .. import __version__
from ..errors import ProjectError, visible

DISTRIBUTION = "dlp-site"
SITE = "site"  # dlp-site build's default --out: the whole published site
PYTHON = "3.12"
# What a change must touch to rebuild the site (the workflow's paths filter).
WATCHED = ("data/**", "geo/**", "site_src/**", "mkdocs.yml", ".github/workflows/publish.yml")


@dataclass(frozen=True)
class Source:
    """Where the workflow gets dlp-site: a pip requirement, and whether GitHub's machine can reach it."""

    spec: str
    reachable: bool
    where: str  # in words, for the warning when it is not reachable


@dataclass(frozen=True)
class Step:
    name: str  # the workflow step's name, and the README's words for it
    run: str  # exactly what is typed
    says: str  # what it does, in plain words


def _from_direct_url(text: str) -> Source:
    """The source a direct_url.json (PEP 610) describes."""
    origin = json.loads(text)
    url = str(origin.get("url", ""))
    remote = urlsplit(url).scheme in ("https", "http")
    if "vcs_info" in origin and remote:
        vcs = origin["vcs_info"]
        spec = f"{DISTRIBUTION} @ {vcs.get('vcs', 'git')}+{url}@{vcs.get('commit_id', '')}"
        if origin.get("subdirectory"):
            spec += f"#subdirectory={origin['subdirectory']}"
        return Source(spec, True, url)
    if "archive_info" in origin and remote:
        return Source(f"{DISTRIBUTION} @ {url}", True, url)
    return Source(f"{DISTRIBUTION}=={__version__}", False, url or "a folder on this computer")


def this_source() -> Source:
    """Where the running dlp-site was installed from."""
    try:
        text = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return Source(f"{DISTRIBUTION}=={__version__}", False, "a folder on this computer")
    if text is None:  # installed from a package index, as `pip install dlp-site` does
        return Source(f"{DISTRIBUTION}=={__version__}", True, "a package index")
    return _from_direct_url(text)


def given_source(spec: str) -> Source:
    """--install SPEC: a pip requirement for dlp-site, checked before it is written into a workflow."""
    problem = None
    if "${{" in spec or spec != visible(spec):
        problem = "it holds characters a workflow would read as its own"  # GitHub's ${{ }} expressions
    else:
        try:
            requirement = Requirement(spec)
        except InvalidRequirement as exc:
            problem = str(exc).splitlines()[0]
        else:
            if canonicalize_name(requirement.name) != DISTRIBUTION:
                problem = f"it installs {requirement.name}, not {DISTRIBUTION}"
            elif requirement.marker is not None:
                problem = "it has an environment marker (after ';'): the workflow's machine is always the same"
    if problem:
        raise ProjectError(f"--install {visible(spec)!r}: {problem} (for example --install "
                           f"'{DISTRIBUTION} @ git+https://github.com/YOUR-ORGANISATION/dlp-site@v{__version__}')")
    return Source(str(requirement), True, str(requirement))


def install_step(source: Source) -> Step:
    return Step("Install dlp-site", f"python -m pip install {shlex.quote(source.spec)}",
                f"installs the version of dlp-site that made this folder ({__version__})")


CHECK = Step("Check the data", "dlp-site check --format github",
             "checks every table and setting; each problem is shown on the file and line it is about")
BUILD = Step("Build the site", "dlp-site build",
             f"builds the whole site into the {SITE}/ folder (nothing is built if the data has errors)")


def workflow_steps(source: Source) -> tuple[Step, ...]:
    """In order, on every run: a push to main and a pull request alike."""
    return (install_step(source), CHECK, BUILD)
