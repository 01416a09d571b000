"""Geometry for the no-JavaScript SVG charts. Templates draw them; this module only measures.

Every chart is paired with a data table on its page, and each SVG carries a text summary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..data.tables import Engagement
from ..model.kpis import KpiResult
from .formats import money, share

WIDTH = 680
LABEL_W = 250  # room for the row label on the left
VALUE_W = 150  # room for the value text on the right
BAR_H = 14
ROW_H = 40


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    label: str  # the value as text, drawn beside the bar
    series: int  # 0: baseline/allocated (outlined), 1: latest/spent/engaged (filled)


@dataclass(frozen=True)
class ChartRow:
    label: str
    y: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Chart:
    title: str
    summary: str
    height: int
    rows: tuple[ChartRow, ...]
    legend: tuple[str, ...]
    plot_x: int = LABEL_W
    plot_w: int = WIDTH - LABEL_W - VALUE_W
    width: int = WIDTH


def _scale(value: Decimal, top: Decimal, plot_w: int) -> float:
    if top <= 0:
        return 0.0
    return round(float(value / top) * plot_w, 1)


def _rows(items: list[tuple[str, list[tuple[Decimal, str, int]]]], top: Decimal, plot_w: int) -> tuple[ChartRow, ...]:
    rows = []
    for i, (label, values) in enumerate(items):
        y0 = 30 + i * (ROW_H + 6 * (len(values) - 1))
        bars = tuple(Bar(y0 + j * (BAR_H + 4), _scale(v, top, plot_w), text, series)
                     for j, (v, text, series) in enumerate(values))
        rows.append(ChartRow(label, y0, bars))
    return tuple(rows)


def _height(n_rows: int, bars_per_row: int) -> int:
    return 40 + n_rows * (ROW_H + 6 * (bars_per_row - 1))


def kpi_chart(result: KpiResult) -> Chart | None:
    """Baseline and latest as two bars; None when the KPI is suppressed (no figures to draw)."""
    if result.any_suppressed:
        return None
    k = result.kpi
    top = Decimal(100) if k.unit == "percent" else max(k.baseline, k.latest, Decimal(1)) * Decimal("1.1")
    # Narrower than the other charts, with short row labels, so text stays legible on a phone.
    width, label_w = 420, 80
    plot_w = width - label_w - VALUE_W
    rows = _rows([
        ("Baseline", [(k.baseline, result.baseline_text, 0)]),
        ("Latest", [(k.latest, result.latest_text, 1)]),
    ], top, plot_w)
    return Chart(k.measure, result.sentence, _height(2, 1), rows, (), plot_x=label_w, plot_w=plot_w, width=width)


def allocation_chart(items: list[tuple[Any, Decimal, Decimal]], title: str,
                     label: Callable[[Any], str] = str) -> Chart:
    """Allocation and spend by partnership (or area): two bars a row; `label` names each row's key."""
    top = max([max(a, s) for _, a, s in items] + [Decimal(1)])
    plot_w = WIDTH - LABEL_W - VALUE_W
    rows = _rows([(label(key), [(a, f"{money(a)} allocated", 0), (s, f"{money(s)} spent ({share(s, a)})", 1)])
                  for key, a, s in items], top, plot_w)
    total_a = sum((a for _, a, _ in items), Decimal(0))
    total_s = sum((s for _, _, s in items), Decimal(0))
    summary = (f"{title}. In total {money(total_a)} was allocated and {money(total_s)} spent "
               f"({share(total_s, total_a)}). The table below gives every figure.")
    return Chart(title, summary, _height(len(items), 2), rows, ("Allocated", "Spent"))


def engagement_chart(items: list[tuple[Any, Engagement]], title: str, label: Callable[[Any], str] = str) -> Chart:
    """Share of schools engaged, one bar per row, scaled to 100%; `label` names each row's key."""
    plot_w = WIDTH - LABEL_W - VALUE_W
    rows = _rows([(label(key), [(Decimal(e.engaged * 100) / Decimal(e.total) if e.total else Decimal(0),
                                 f"{share(e.engaged, e.total)} ({e.engaged} of {e.total})", 1)])
                  for key, e in items], Decimal(100), plot_w)
    engaged = sum(e.engaged for _, e in items)
    total = sum(e.total for _, e in items)
    summary = (f"{title}. Overall {engaged} of {total} schools ({share(engaged, total)}) are engaged. "
               "The table below gives every figure.")
    return Chart(title, summary, _height(len(items), 1), rows, ())
