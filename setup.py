"""Packaging only (the project is declared in pyproject.toml): put the repository's own site_src/
and mkdocs.yml into the package, so `dlp-site init` has them when installed from a wheel. One
source: dlp_site/project/base.py reads the copy, or the checkout in an editable install."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).parent
BASE = ("site_src", "mkdocs.yml")


class BuildWithBase(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout itself
        target = Path(self.build_lib, "dlp_site", "project", "base")
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for name in BASE:
            source = HERE / name
            if source.is_dir():
                shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", ".*"))
            else:
                shutil.copy2(source, target / name)


setup(cmdclass={"build_py": BuildWithBase})
