"""The real browser for the map tests and the benchmark: the quality gate's Chromium, web
server and page recorder (gate.py). Screenshots go to test-artifacts/."""

from __future__ import annotations

import os
from pathlib import Path

from .gate import PageLog, chromium, open_page, serve  # noqa: F401 - shared with the map tests and the bench

ARTIFACTS = Path(os.environ.get("DLP_TEST_ARTIFACTS", Path(__file__).resolve().parents[1] / "test-artifacts"))
