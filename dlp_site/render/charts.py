"""Geometry for the no-JavaScript SVG charts. Templates draw them; this module only measures.

Every chart is paired with a data table on its page, and each SVG carries a text summary.

Charts are drawn for a phone first. An SVG scales as a whole, so its text is only as large as
the narrowest screen allows: the drawing is WIDTH units wide and its text FONT units high,
which is 12.8 px on a 360 px phone (328 px of content); the stylesheet caps how wide a chart
grows on a desktop. Each row's name is written in full on its own line(s) above its bars (never
cut short), each bar carries its value in words ("£312,794 allocated"), and the key to the bar
styles is HTML above the drawing, where nothing floats over it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..data.tables import Engagement
from ..model.kpis import KpiResult
from .formats import money, share

WIDTH = 360  # drawing units; the narrowest content area (a 360 px phone) is 328 px
FONT = 14  # text size in drawing units (dlp.css sets the same): 14 x 328 / 360 = 12.8 px on that phone
CHAR_W = 8.2  # a generous average character width at FONT, to wrap and to leave room for values
LINE_H = 18  # one line of a row's name
BAR_H = 14
BAR_GAP = 5
ROW_GAP = 14
TOP = 4


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    label: str  # the value as text, drawn beside the bar
    series: int  # 0: baseline/allocated (outlined), 1: latest/spent/engaged (filled)


@dataclass(frozen=True)
class ChartRow:
    lines: tuple[str, ...]  # the row's name, wrapped to the chart's width
    y: float  # baseline of the first line
    bars: tuple[Bar, ...]

    @property
    def label(self) -> str:
        return " ".join(self.lines)


@dataclass(frozen=True)
class Chart:
    title: str
    summary: str
    height: float
    rows: tuple[ChartRow, ...]
    legend: tuple[str, ...]  # series names for the key (series 0 first); empty for one series
    plot_w: float
    track: bool = False  # draw each bar's full length (100%) faintly behind it, for shares
    width: int = WIDTH
    font: int = FONT
    line_h: int = LINE_H
    bar_h: int = BAR_H


def _scale(value: Decimal, top: Decimal, plot_w: float) -> float:
    if top <= 0:
        return 0.0
    return round(float(value / top) * plot_w, 1)


def wrap(label: str, width: int = WIDTH) -> tuple[str, ...]:
    """A row's name in lines that fit the drawing, broken between words (a word longer than a
    whole line, which no name should have, is split rather than cut off)."""
    return tuple(textwrap.wrap(label, max(8, int(width / CHAR_W)))) or ("",)


def _layout(items: list[tuple[str, list[tuple[Decimal, str, int]]]], top: Decimal,
            legend: tuple[str, ...] = ()) -> tuple[tuple[ChartRow, ...], float, float]:
    """Rows top to bottom: name lines, then one bar per value with its text after it. The bars
    leave room on the right for the longest value text. Returns (rows, plot width, height)."""
    longest = max((len(text) for _, values in items for _, text, _ in values), default=0)
    plot_w = max(WIDTH / 3, WIDTH - longest * CHAR_W - 8)
    rows, y = [], float(TOP)
    for label, values in items:
        lines = wrap(label)
        first = y + FONT
        bar_y = y + len(lines) * LINE_H + 2
        bars = tuple(Bar(bar_y + j * (BAR_H + BAR_GAP), _scale(v, top, plot_w), text, series)
                     for j, (v, text, series) in enumerate(values))
        rows.append(ChartRow(lines, first, bars))
        y = bar_y + len(values) * (BAR_H + BAR_GAP) - BAR_GAP + ROW_GAP
    return tuple(rows), plot_w, y - ROW_GAP + TOP


def kpi_chart(result: KpiResult) -> Chart | None:
    """Baseline and latest as two bars; None when the KPI is suppressed (no figures to draw)."""
    if result.any_suppressed:
        return None
    k = result.kpi
    top = Decimal(100) if k.unit == "percent" else max(k.baseline, k.latest, Decimal(1)) * Decimal("1.1")
    rows, plot_w, height = _layout([
        (f"Baseline ({k.baseline_period.text})", [(k.baseline, result.baseline_text, 0)]),
        (f"Latest ({k.latest_period.text})", [(k.latest, result.latest_text, 1)]),
    ], top)
    # Each row is named (Baseline, Latest), so the chart needs no key.
    return Chart(k.measure, result.sentence, height, rows, (), plot_w, track=k.unit == "percent")


def allocation_chart(items: list[tuple[Any, Decimal, Decimal]], title: str,
                     label: Callable[[Any], str] = str) -> Chart:
    """Allocation and spend by partnership (or area): two bars a row; `label` names each row's key.
    A row that spent more than its allocation says so in words in its name."""
    top = max([max(a, s) for _, a, s in items] + [Decimal(1)])
    rows, plot_w, height = _layout(
        [(label(key) + (" (spent more than allocated)" if s > a else ""),
          [(a, f"{money(a)} allocated", 0), (s, f"{money(s)} spent ({share(s, a)})", 1)])
         for key, a, s in items], top)
    total_a = sum((a for _, a, _ in items), Decimal(0))
    total_s = sum((s for _, _, s in items), Decimal(0))
    summary = (f"{title}. In total {money(total_a)} was allocated and {money(total_s)} spent "
               f"({share(total_s, total_a)}). The table below gives every figure.")
    return Chart(title, summary, height, rows, ("Allocated", "Spent"), plot_w)


def engagement_chart(items: list[tuple[Any, Engagement]], title: str, label: Callable[[Any], str] = str) -> Chart:
    """Share of schools engaged, one bar per row, scaled to 100%; `label` names each row's key."""
    rows, plot_w, height = _layout(
        [(label(key), [(Decimal(e.engaged * 100) / Decimal(e.total) if e.total else Decimal(0),
                        f"{share(e.engaged, e.total)} ({e.engaged} of {e.total})", 1)])
         for key, e in items], Decimal(100))
    engaged = sum(e.engaged for _, e in items)
    total = sum(e.total for _, e in items)
    summary = (f"{title}. Overall {engaged} of {total} schools ({share(engaged, total)}) are engaged. "
               "The table below gives every figure.")
    return Chart(title, summary, height, rows, (), plot_w, track=True)
