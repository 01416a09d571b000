"""How much dlp-site adds to MkDocs: the CPU time of `dlp-site build` against plain `mkdocs build`
of the tree `dlp-site stage` writes, on the same machine, in interleaved runs.

    .venv/bin/python bench/build_ratio.py [--pairs 5] [--before DIR]

Each run is a fresh process, timed by the CPU it and its children used (user + system), so
another program on the machine slows the wall clock but hardly the figure. Runs alternate
(dlp-site, mkdocs, dlp-site, ...) so a slow spell hits both; the medians are compared.
--before DIR (a checkout of an earlier dlp-site, e.g. `git archive` of main into /tmp) adds
its `dlp-site build` to each round, run with the same Python and packages, for before/after
figures in one run. The two sites are compared file by file: the build must publish exactly
what MkDocs makes of the stage. Target (issue 15): at most 1.3x. Nothing here is a unit test.

dlp-site keeps the map and compiled templates between builds (render/cachedir.py), so it is
timed twice a round: a first build, with an empty cache folder of its own, and a build again
(the cache the previous rounds filled), which is what an officer's next build of the same
programme is, whether or not they edited newsletters, reports, measures or funding.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.3
CLI = "import sys; from dlp_site.cli import main; sys.exit(main())"
FIRST = "dlp-site build, first (empty cache)"
AGAIN = "dlp-site build, again"


def cpu(command: list[str], *, cwd: Path, env: dict[str, str]) -> float:
    """CPU seconds (user + system) a command and everything it started used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def differences(left: Path, right: Path) -> list[str]:
    """Paths whose bytes differ, or that only one side has."""
    out: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        out.extend(prefix + name for name in cmp.left_only + cmp.right_only + cmp.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        out.extend(prefix + name for name in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right), "")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--before", type=Path, help="an earlier dlp-site checkout, timed in the same rounds")
    args = parser.parse_args()
    python = sys.executable
    mkdocs = str(Path(python).with_name("mkdocs"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "DLP_SITE_CACHE": str(work / "cache")}
        subprocess.run([python, "-c", CLI, "stage", "-q", "--out", str(work / "stage")], cwd=ROOT, env=env, check=True)
        epoch = next(line for line in (work / "stage" / "mkdocs.yml").read_text().splitlines()
                     if "SOURCE_DATE_EPOCH=" in line).split("SOURCE_DATE_EPOCH=")[1].split()[0]
        runs: dict[str, tuple[list[str], Path, dict[str, str]]] = {
            FIRST: ([python, "-c", CLI, "build", "-q", "--out", str(work / "first")], ROOT, env),
            AGAIN: ([python, "-c", CLI, "build", "-q", "--out", str(work / "site")], ROOT, env),
            "mkdocs build (staged)": ([mkdocs, "build", "-q", "-f", str(work / "stage" / "mkdocs.yml"),
                                       "-d", str(work / "bare")], ROOT, {**os.environ, "SOURCE_DATE_EPOCH": epoch}),
        }
        if args.before:
            runs["dlp-site build (before)"] = ([python, "-c", CLI, "build", "-q", "--out", str(work / "before")],
                                               args.before, {**os.environ, "PYTHONPATH": str(args.before.resolve())})
        times: dict[str, list[float]] = {name: [] for name in runs}
        for round_ in range(args.pairs):
            for name, (command, cwd, run_env) in runs.items():
                if name == FIRST:  # a cache folder nobody has used
                    run_env = {**run_env, "DLP_SITE_CACHE": str(work / f"empty-{round_}")}
                times[name].append(cpu(command, cwd=cwd, env=run_env))
        # .dlp-site marks a published folder as ours (site/leftovers.py): MkDocs has no such file.
        different = [f"{name} ({which})" for which in ("site", "first")
                     for name in differences(work / which, work / "bare") if name != ".dlp-site"]
        shutil.rmtree(work / "stage")
    median = {name: statistics.median(values) for name, values in times.items()}
    bare = median["mkdocs build (staged)"]
    print(f"CPU seconds (user + system), median of {args.pairs} interleaved rounds, on {os.cpu_count()} cores")
    for name, values in times.items():
        figures = ", ".join(f"{v:.2f}" for v in values)
        print(f"  {name:<34} {median[name]:6.2f} s  {median[name] / bare:5.2f}x mkdocs  (runs: {figures})")
    for name in (AGAIN, FIRST):
        ratio = median[name] / bare
        print(f"{name} / mkdocs build = {ratio:.2f}x (target <= {TARGET}x): {'ok' if ratio <= TARGET else 'OVER'}")
    ratio = median[AGAIN] / bare
    print("published site = mkdocs build of the stage, byte for byte: "
          + ("yes" if not different else f"NO, {len(different)} files differ: {', '.join(different[:5])}"))
    return 0 if ratio <= TARGET and not different else 1


if __name__ == "__main__":
    sys.exit(main())
