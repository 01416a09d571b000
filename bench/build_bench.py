"""Build-time benchmark: the example data and a synthetic dataset N times its size.

    .venv/bin/python bench/build_bench.py [--data data] [--scale 10] [--repeat 1]

Prints, for each dataset, the entity counts, pages built and the time of each pipeline step
(check, render, MkDocs), then the ratio of the scaled build to the example (target, issue 15:
at most 1.1 times the scale, so 11x for --scale 10), and what the map page weighs. Linear scaling
(ratio close to the scale factor or below) is the budget: entity pages are kept out of the
MkDocs nav because nav rendering costs pages x nav entries, which made builds quadratic.
Timings are printed, never asserted: this machine's numbers are for comparison only.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dlp_site.content.check import attachments  # noqa: E402
from dlp_site.pipeline import Paths, check_all  # noqa: E402
from dlp_site.site import mkdocs  # noqa: E402
from dlp_site.site.stage import stage  # noqa: E402

# Columns holding ids that must be made unique per copy, by table.
ID_COLUMNS = {
    "areas.csv": ["area_id"],
    "partnerships.csv": ["partnership_id", "area_id"],
    "schools.csv": ["partnership_id"],
    "projects.csv": ["project_id", "partnership_id"],
    "kpis.csv": ["kpi_id", "project_id"],
    "reports.csv": ["project_id"],
}
NAME_COLUMNS = {"areas.csv": "name", "partnerships.csv": "name", "schools.csv": "name", "projects.csv": "title"}


def synthesise(source: Path, target: Path, scale: int) -> None:
    """Copy a dataset `scale` times over, suffixing ids, URNs and names so every copy is distinct."""
    shutil.copytree(source, target)
    # Copies' URNs stay 7 digits, as real ones are (the data checks refuse more): 1,000,000 +
    # copy x 1,000 + the school's row, for up to 8,999 copies of up to 1,000 schools.
    schools = list(csv.DictReader(io.StringIO((source / "schools.csv").read_text(encoding="utf-8-sig"))))
    row_of = {school["urn"]: i for i, school in enumerate(schools)}
    assert len(schools) < 1000 and scale < 9000, "too many schools or copies for 7-digit URNs"

    def urn(original: str, copy: int) -> str:
        return str(1_000_000 + copy * 1000 + row_of[original])

    for name in (*ID_COLUMNS, "funding.csv"):
        path = source / name
        if not path.exists():
            continue
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        if not rows:
            continue
        out_rows = []
        copies = 1 if name == "funding.csv" else scale
        for copy in range(copies):
            for row in rows:
                row = dict(row)
                if copy:
                    for column in ID_COLUMNS.get(name, []):
                        if row.get(column):
                            row[column] = f"{row[column]}-x{copy}"
                    if name in NAME_COLUMNS:
                        row[NAME_COLUMNS[name]] = f"{row[NAME_COLUMNS[name]]} ({copy + 1})"
                    if name == "schools.csv":
                        row["urn"] = urn(row["urn"], copy)
                    if name == "partnerships.csv" and row.get("lead_school_urn"):
                        row["lead_school_urn"] = urn(row["lead_school_urn"], copy)
                out_rows.append(row)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(out_rows)
        (target / name).write_text(buffer.getvalue(), encoding="utf-8")


def timed_build(data: Path, work: Path) -> dict[str, float | int]:
    paths = Paths(data, ROOT / "geo", ROOT / "site_src", ROOT / "mkdocs.yml")
    t0 = time.perf_counter()
    checked = check_all(paths.data, paths.geo)
    site = checked.site
    if site is None:
        raise SystemExit("\n".join(i.format() for i in checked.issues))
    t1 = time.perf_counter()
    folder = work / "stage"
    folder.mkdir()
    epoch = mkdocs.build_epoch(site.programme.reporting_term)
    stage(site, checked.posts, attachments(paths.data), paths.site_src, paths.config, epoch, folder)
    written = list((folder / mkdocs.DOCS).rglob("*.md"))
    t2 = time.perf_counter()
    mkdocs.build(folder / mkdocs.CONFIG, work / "site", epoch, lambda _: None)
    t3 = time.perf_counter()
    # The map page's own weight: its HTML (the list of every place) and its data, gzipped.
    map_files = [work / "site" / "map" / "index.html", work / "site" / "map" / "local-offer.js"]
    map_kb = sum(len(gzip.compress(f.read_bytes(), 9)) for f in map_files) / 1024
    rows = (work / "site" / "map" / "index.html").read_text(encoding="utf-8").count("<tr")
    return {
        "map_kb": map_kb, "map_rows": rows,
        "projects": len(site.projects), "partnerships": len(site.partnerships), "schools": len(site.schools),
        "kpis": len(site.kpis), "pages": len(written), "check": t1 - t0, "render": t2 - t1, "mkdocs": t3 - t2,
        "total": t3 - t0,
    }


def best_of(data: Path, repeat: int) -> dict[str, float | int]:
    runs = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="dlp-bench-") as tmp:
            runs.append(timed_build(data, Path(tmp)))
    return min(runs, key=lambda r: r["total"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=1, help="runs per dataset; the fastest is kept")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="dlp-bench-data-") as tmp:
        scaled = Path(tmp) / f"x{args.scale}"
        synthesise(args.data, scaled, args.scale)
        results = [("example", best_of(args.data, args.repeat)),
                   (f"synthetic x{args.scale}", best_of(scaled, args.repeat))]

    header = f"{'dataset':<16}{'projects':>9}{'schools':>9}{'pages':>7}{'check s':>9}{'render s':>10}" \
             f"{'mkdocs s':>10}{'total s':>9}{'ms/page':>9}"
    print(header)
    for label, r in results:
        print(f"{label:<16}{r['projects']:>9}{r['schools']:>9}{r['pages']:>7}{r['check']:>9.2f}"
              f"{r['render']:>10.2f}{r['mkdocs']:>10.2f}{r['total']:>9.2f}{1000 * r['total'] / r['pages']:>9.1f}")
    base, big = results[0][1], results[1][1]
    ratio, budget = big["total"] / base["total"], args.scale * 1.1
    print(f"pages ratio {big['pages'] / base['pages']:.1f}x, time ratio {ratio:.1f}x "
          f"(target: at most {budget:.0f}x, the data's {args.scale}x and a tenth): "
          f"{'ok' if ratio <= budget else 'OVER'}")
    for label, r in results:
        print(f"{label}: map page HTML and data {r['map_kb']:.0f} KB gzip, {r['map_rows']} table rows")


if __name__ == "__main__":
    main()
