"""The live preview serves the site, and a bad edit keeps the last good preview."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .conftest import ROOT, edit


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, deadline: float) -> str:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode("utf-8")
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_rebuilds_and_survives_bad_data(othertown: Path):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "dlp_site", "serve", "--data", str(othertown), "--site-src",
         str(ROOT / "site_src"), "--config", str(ROOT / "mkdocs.yml"), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}/projects/early-signs/"
        assert "Early Signs Together" in get(url, time.monotonic() + 60)
        edit(othertown, "projects.csv", "Early Signs Together", "Early Signs Renamed")
        deadline = time.monotonic() + 60
        while "Early Signs Renamed" not in get(url, deadline):
            assert time.monotonic() < deadline, "preview did not rebuild"
            time.sleep(0.3)
        edit(othertown, "projects.csv", ",120000,80000,", ",oops,80000,")
        time.sleep(3)
        assert "Early Signs Renamed" in get(url, time.monotonic() + 10)  # last good preview kept
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=20)
    assert "projects.csv:2:allocation_gbp: 'oops' is not an amount of money" in output
    assert "The preview shows the last good build." in output
