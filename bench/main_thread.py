"""What keeps a phone busy as a page loads: its main thread's long tasks, traced in Chromium.

    .venv/bin/python bench/main_thread.py [--site DIR] [--before DIR] [--page map/] [--runs 7]

Lighthouse (bench/lighthouse.py) gives the score the issue's targets are set in, but its
blocking time is simulated from one trace, and on a shared 2-core machine its score moves by
5 points or more between runs of the same page; a change of 50 ms is lost in that. This
script measures what the score is made of, directly: it loads the page (served with gzip, as
bench/lighthouse.py serves it) in Debian's Chromium, with the phone's screen size and the
CPU slowed 4 times (Lighthouse's own factor, here applied for real by Chromium), records a
performance trace, and reads the page's main thread from it:

- blocking time: each task's time over 50 ms, summed, from the first contentful paint until
  4 s after the page's load event (Total Blocking Time, measured rather than simulated);
- the longest task, and DOMContentLoaded's (where Material's script and ours start);
- with --tasks, every long task and what filled it (layout, style, which script).

It prints the median of --runs page loads; with --before, another built site is loaded in
turn with it, run by run, so both are measured on the same machine at the same time. There
is no target: use it to see whether a change to a page's scripts or markup made a phone's
wait shorter, then confirm with bench/lighthouse.py. Nothing here is a unit test.
"""

from __future__ import annotations

import argparse
import base64
import json
import statistics
import sys
import tempfile
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.lighthouse import GzipHandler, example_site  # noqa: E402
from tests.gate import chromium, serve_with  # noqa: E402

CPU_SLOWDOWN = 4  # Lighthouse's mobile preset: a mid-range phone is taken to be 4x slower
PHONE = {"width": 412, "height": 823}  # the preset's screen, in CSS pixels
LONG_MS = 50  # a task longer than this blocks input (Total Blocking Time counts the rest)
QUIET_MS = 4000  # after "load", how long the page is left to finish its own slices of work
# Inside a task, what its time went on: the trace's events that say so, and the detail to show.
WORK = {"EvaluateScript": "url", "FunctionCall": "url", "TimerFire": None, "EventDispatch": "type",
        "ParseHTML": None, "UpdateLayoutTree": None, "Layout": None, "Paint": None}


@dataclass(frozen=True)
class Task:
    start_ms: float  # from the first contentful paint
    ms: float
    parts: list[tuple[str, float]]  # what it did, longest first


@dataclass(frozen=True)
class Load:
    blocking_ms: float
    longest_ms: float
    dom_content_loaded_ms: float
    tasks: list[Task]  # the long ones, after the first contentful paint


def trace(page: Any, url: str) -> list[dict[str, Any]]:
    """The trace of one load of `url` in `page` (a new context's), with the CPU slowed down."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    cdp.send("Tracing.start", {"categories": "devtools.timeline,disabled-by-default-devtools.timeline,loading",
                               "transferMode": "ReturnAsStream"})
    page.goto(url, wait_until="load")
    page.wait_for_timeout(QUIET_MS)
    done: dict[str, Any] = {}
    cdp.on("Tracing.tracingComplete", lambda event: done.update(event))
    cdp.send("Tracing.end")
    while "stream" not in done:
        page.wait_for_timeout(50)
    data = b""
    while True:
        chunk = cdp.send("IO.read", {"handle": done["stream"]})
        data += base64.b64decode(chunk["data"]) if chunk.get("base64Encoded") else chunk["data"].encode()
        if chunk.get("eof"):
            break
    events = json.loads(data)
    return list(events["traceEvents"] if isinstance(events, dict) else events)


def _detail(event: dict[str, Any]) -> str:
    key = WORK[event["name"]]
    data = event.get("args", {}).get("data", {})
    value = str(data.get(key) or "") if key else ""
    return event["name"] + (" " + value.rsplit("/", 1)[-1] if value else "")


def read(events: list[dict[str, Any]], url: str) -> Load:
    """The page's main thread in a trace: the thread that parsed `url`."""
    parsed = next(e for e in events if e.get("name") == "ParseHTML"
                  and e.get("args", {}).get("beginData", {}).get("url") == url)
    mine = sorted((e for e in events if e.get("pid") == parsed["pid"] and e.get("tid") == parsed["tid"]
                   and e.get("ph") == "X"), key=lambda e: e["ts"])
    paint = min(e["ts"] for e in events if e.get("name") == "firstContentfulPaint" and e.get("pid") == parsed["pid"])
    tasks = [e for e in mine if e["name"] == "RunTask" and e["ts"] >= paint]
    long = []
    for task in tasks:
        if task["dur"] / 1000 <= LONG_MS:
            continue
        end = task["ts"] + task["dur"]
        parts: Counter[str] = Counter()
        for e in mine:
            if task["ts"] <= e["ts"] < end and e["name"] in WORK:
                parts[_detail(e)] += e["dur"] / 1000
        long.append(Task((task["ts"] - paint) / 1000, task["dur"] / 1000, parts.most_common(4)))
    loaded = [e["dur"] / 1000 for e in mine if e["name"] == "EventDispatch"
              and e.get("args", {}).get("data", {}).get("type") == "DOMContentLoaded"]
    return Load(blocking_ms=sum(t.ms - LONG_MS for t in long),
                longest_ms=max((t["dur"] for t in tasks), default=0) / 1000,
                dom_content_loaded_ms=max(loaded, default=0.0), tasks=long)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build the example)")
    parser.add_argument("--before", type=Path, help="another built site, loaded in turn with it")
    parser.add_argument("--page", default="map/", help="the page's address in the site (default: map/)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--tasks", action="store_true", help="list each load's long tasks")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        site = args.site or example_site(Path(tmp))
        sites = {"": site} if args.before is None else {"before": args.before, "after": site}
        bases = {label: stack.enter_context(serve_with(GzipHandler, path)) for label, path in sites.items()}
        browser = stack.enter_context(chromium())
        loads: dict[str, list[Load]] = {label: [] for label in sites}
        for _ in range(args.runs):
            for label, base in bases.items():
                context = browser.new_context(viewport=PHONE)
                try:
                    url = base + args.page
                    loads[label].append(read(trace(context.new_page(), url), url))
                finally:
                    context.close()
    print(f"{args.page}: main thread with the CPU {CPU_SLOWDOWN}x slower, median of {args.runs} loads")
    for label, measured in loads.items():
        blocking = [m.blocking_ms for m in measured]
        print(f"  {label + ': ' if label else ''}blocking time {statistics.median(blocking):.0f} ms"
              f" (runs: {', '.join(f'{b:.0f}' for b in blocking)}); longest task"
              f" {statistics.median(m.longest_ms for m in measured):.0f} ms; DOMContentLoaded"
              f" {statistics.median(m.dom_content_loaded_ms for m in measured):.0f} ms")
        if args.tasks:
            for n, load in enumerate(measured, 1):
                print(f"    load {n}:")
                for task in load.tasks:
                    parts = ", ".join(f"{name} {ms:.0f}" for name, ms in task.parts)
                    print(f"      {task.start_ms:6.0f} ms after first paint: {task.ms:4.0f} ms  ({parts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
