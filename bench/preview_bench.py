"""How long an officer waits for the preview: from saving an edit to the changed page being served.

    .venv/bin/python bench/preview_bench.py [--runs 5] [--before DIR]

Copies the example project (data, geo, site_src, mkdocs.yml) into a temporary folder, starts the
real `dlp-site serve` there, and times two kinds of edit, --runs times each: a sentence added to
one newsletter, and one project's summary changed in projects.csv. The clock starts when the
file is saved and stops when the page that shows the edit, fetched over HTTP every 50 ms,
has it. --before DIR runs the same with an earlier dlp-site checkout (same Python and
packages), one after the other in the same run. Target (issue 15): a median of at most 3 s.
Wall-clock times on a shared machine are noisy: compare figures from one run. Not a unit test.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 3.0
CLI = "import sys; from dlp_site.cli import main; sys.exit(main())"
POST = "2022-07-20-summer-term-round-up"
PROJECT = "aston-nechells-inclusion"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_for(url: str, text: str, limit: float = 60.0) -> float:
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if text in fetch(url):
            return time.monotonic() - start
        time.sleep(0.05)
    raise SystemExit(f"preview_bench: {url} never showed {text!r} within {limit:.0f} s")


def edit_post(project: Path, marker: str) -> None:
    path = project / "data" / "newsletters" / f"{POST}.md"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{marker}\n", encoding="utf-8")


def edit_project(project: Path, marker: str) -> None:
    path = project / "data" / "projects.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    for row in rows:
        if row["project_id"] == PROJECT:
            row["summary"] = f"{row['summary'].split(' Edited ')[0]} Edited {marker}."
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def measure(checkout: Path, runs: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        for name in ("data", "geo", "site_src"):
            shutil.copytree(ROOT / name, project / name)
        shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        server = subprocess.Popen([sys.executable, "-c", CLI, "serve", "-q", "--port", str(port)], cwd=project,
                                  env={**os.environ, "PYTHONPATH": str(checkout)},
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(base, "</html>", limit=120)
            edits: dict[str, tuple[Callable[[Path, str], None], str]] = {
                "one newsletter": (edit_post, f"newsletters/{POST}/"),
                "one row of projects.csv": (edit_project, f"projects/{PROJECT}/"),
            }
            times: dict[str, list[float]] = {name: [] for name in edits}
            for i in range(runs):
                for name, (edit, page) in edits.items():
                    marker = f"Preview check {i} {name.split()[1]} {time.monotonic_ns()}"
                    edit(project, marker)
                    times[name].append(wait_for(base + page, marker))
                    time.sleep(1.0)  # let the server settle before the next edit
            return times
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", type=Path, help="an earlier dlp-site checkout, measured in the same run")
    args = parser.parse_args()
    checkouts = {"": ROOT} if not args.before else {"before: ": args.before.resolve(), "after: ": ROOT}
    print(f"Seconds from saving an edit to the page being served, median of {args.runs} (target <= {TARGET} s)")
    ok = True
    for label, checkout in checkouts.items():
        for name, values in measure(checkout, args.runs).items():
            median = statistics.median(values)
            ok = ok and (median <= TARGET or label == "before: ")
            print(f"  {label + name:<34} {median:5.2f} s  {'ok' if median <= TARGET else 'OVER'}  "
                  f"(runs: {', '.join(f'{v:.2f}' for v in values)})", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
