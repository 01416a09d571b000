"""Page speed on a phone: Lighthouse's mobile performance score for every page type.

    .venv/bin/python bench/lighthouse.py [--site DIR] [--runs 3] [--only map,home]

Builds the example site (or takes a built one with --site), serves it on 127.0.0.1 with gzip,
as every real web host does (Python's http.server does not compress, which roughly halves
the score of a page with a large script), and runs Lighthouse (pinned in
bench/lighthouse/package.json; `npm ci` there on first use) with its default mobile preset:
a mid-range phone on a slow 4G connection, simulated. Debian's chromium is the browser.

For each page type in dlp_site's quality list it prints the median of --runs runs of the
performance score, first and largest contentful paint, total blocking time and the number of
page elements, beside the target (95). Lighthouse's simulated throttling scales the CPU work
it observes, so a busy machine scores lower: run it on an idle machine, and compare figures
taken in one run. Nothing here is a unit test.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dlp_site.render.quality import PAGE_TYPES  # noqa: E402
from tests.gate import serve_with  # noqa: E402

TARGET = 95
TOOLS = ROOT / "bench" / "lighthouse"
LIGHTHOUSE = TOOLS / "node_modules" / ".bin" / "lighthouse"
# What a static host compresses (nginx's gzip_types, Netlify, GitHub Pages): text, not images.
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv", ".geojson")


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files, gzipped (level 6, as nginx and most hosts use) when the browser asks."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's address
            path = path / "index.html"
        if (not path.name.endswith(COMPRESSED) or not path.is_file()
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return _Body(body)


class _Body:
    """What send_head returns: a file-like object the handler copies to the socket."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    sys.exit("bench/lighthouse.py: no Chromium found (Debian: sudo apt-get install chromium)")


def example_site(folder: Path) -> Path:
    """The example built into `folder`/site, for a script given no --site."""
    from dlp_site.pipeline import Paths, build

    site = folder / "site"
    build(Paths(ROOT / "data", ROOT / "geo", ROOT / "site_src", ROOT / "mkdocs.yml"), site)
    return site


def lighthouse_installed() -> None:
    if LIGHTHOUSE.exists():
        return
    subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
                   cwd=TOOLS, check=True)


def run_once(url: str, browser: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(
            [str(LIGHTHOUSE), url, "--only-categories=performance", "--output=json",
             f"--output-path={report}", "--quiet",
             "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
            check=True, env={**os.environ, "CHROME_PATH": browser},
        )
        data = json.loads(report.read_text(encoding="utf-8"))
    audits = data["audits"]
    return {
        "score": round(data["categories"]["performance"]["score"] * 100),
        "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "si": audits["speed-index"]["numericValue"] / 1000,
        "dom": audits["dom-size"]["numericValue"] if "numericValue" in audits["dom-size"] else 0,
        "kb": audits["total-byte-weight"]["numericValue"] / 1024,
    }


COLUMNS = (("score", "score", 5, ".0f"), ("fcp", "FCP s", 6, ".1f"), ("lcp", "LCP s", 6, ".1f"),
           ("tbt", "TBT ms", 7, ".0f"), ("cls", "CLS", 5, ".2f"), ("si", "SI s", 5, ".1f"),
           ("dom", "DOM", 6, ".0f"), ("kb", "KB", 7, ".1f"))


def row(label: str, runs: list[dict[str, float]]) -> str:
    med = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    figures = " ".join(f"{med[key]:>{width}{fmt}}" for key, _, width, fmt in COLUMNS)
    verdict = "ok" if med["score"] >= TARGET else "UNDER"
    return f"  {label:<30} {figures}  {verdict}  (runs: {', '.join(str(r['score']) for r in runs)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the example)")
    parser.add_argument("--before", type=Path, help="another built site, measured in the same run "
                        "(runs interleaved page by page), to compare before and after a change")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", help="page types, comma-separated (default: all)")
    args = parser.parse_args()
    lighthouse_installed()
    browser = chromium()
    only = set(args.only.split(",")) if args.only else None
    types = [t for t in PAGE_TYPES if only is None or t.key in only]
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as servers:
        site = args.site or example_site(Path(tmp))
        sites = {"": servers.enter_context(serve_with(GzipHandler, site))}
        if args.before:
            sites = {"before: ": servers.enter_context(serve_with(GzipHandler, args.before)), "after: ": sites[""]}
        print(f"Lighthouse mobile performance, median of {args.runs} (target >= {TARGET})")
        print(f"  {'page type':<30} " + " ".join(f"{title:>{width}}" for _, title, width, _ in COLUMNS))
        missed = []
        for page in types:
            runs: dict[str, list[dict[str, float]]] = {label: [] for label in sites}
            for _ in range(args.runs):
                for label, base in sites.items():
                    runs[label].append(run_once(base + page.example, browser))
            for label, measured in runs.items():
                print(row(label + page.key, measured), flush=True)
            if statistics.median(r["score"] for r in runs[list(sites)[-1]]) < TARGET:
                missed.append(page.key)
    print(f"{len(types) - len(missed)} of {len(types)} page types at or above {TARGET}"
          + (f"; under: {', '.join(missed)}" if missed else ""))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
