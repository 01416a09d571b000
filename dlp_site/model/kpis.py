"""Truthful figures: KPI change arithmetic, disclosure control and how each figure is stated.

Rules (also stated on the site's methodology page):
- a change in a percentage is a difference in percentage points, never 'per cent';
- 'better' follows the KPI's direction: for a decrease KPI a falling value is an improvement;
- months are shown as years and months;
- a KPI whose cohort is below the disclosure threshold is suppressed entirely, and a pupil
  count between 1 and threshold-1 is suppressed as a value; anything that would let a reader
  work a suppressed value back out (the change, the relative change) is suppressed with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..data.tables import Kpi

SUPPRESSED = "c"
SUPPRESSED_MEANING = "suppressed to protect privacy (fewer pupils than the disclosure threshold)"


def plain(number: Decimal, places: int | None = None) -> str:
    """A decimal without exponent or trailing zeros, e.g. 43.40 -> 43.4, 20 -> 20."""
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def decimals(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def years_months(months: Decimal) -> str:
    total = int(abs(months).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    years, rest = divmod(total, 12)
    parts = []
    if years:
        parts.append(f"{years} year" + ("s" if years != 1 else ""))
    if rest or not years:
        parts.append(f"{rest} month" + ("s" if rest != 1 else ""))
    return " ".join(parts)


def value_text(value: Decimal, unit: str) -> str:
    if unit == "percent":
        return f"{plain(value)}%"
    if unit == "months":
        return years_months(value)
    if unit == "days":
        return f"{plain(value)} day" + ("" if value == 1 else "s")
    return plain(value)


@dataclass(frozen=True)
class KpiResult:
    """One KPI as it may be published: every figure already suppressed where it must be."""

    kpi: Kpi
    threshold: int
    cohort_suppressed: bool
    baseline_suppressed: bool
    latest_suppressed: bool

    @classmethod
    def of(cls, kpi: Kpi, threshold: int) -> KpiResult:
        cohort_small = kpi.cohort < threshold

        def small_count(v: Decimal) -> bool:
            return kpi.unit == "count" and 0 < v < threshold

        return cls(kpi, threshold, cohort_small,
                   cohort_small or small_count(kpi.baseline), cohort_small or small_count(kpi.latest))

    @property
    def any_suppressed(self) -> bool:
        return self.baseline_suppressed or self.latest_suppressed

    @property
    def change(self) -> Decimal | None:
        if self.any_suppressed:
            return None
        return self.kpi.latest - self.kpi.baseline

    @property
    def relative(self) -> Decimal | None:
        """Relative change in per cent, for units where that is meaningful (not percentages)."""
        if self.any_suppressed or self.kpi.unit == "percent" or self.kpi.baseline == 0:
            return None
        return (self.kpi.latest - self.kpi.baseline) * 100 / self.kpi.baseline

    @property
    def outcome(self) -> str | None:
        """'improved', 'worsened' or 'no change'; None when publishing it would disclose a value."""
        k = self.kpi
        if self.cohort_suppressed or (self.baseline_suppressed and self.latest_suppressed):
            return None
        if self.any_suppressed:
            # One value is suppressed (1..threshold-1); the order is still safe to state when the
            # other value is at or above the threshold, because then it is already implied.
            other = k.baseline if self.latest_suppressed else k.latest
            if other < self.threshold:
                return None
        if k.latest == k.baseline:
            return "no change"
        rose = k.latest > k.baseline
        return "improved" if rose == (k.direction == "increase") else "worsened"

    @property
    def baseline_text(self) -> str:
        return SUPPRESSED if self.baseline_suppressed else value_text(self.kpi.baseline, self.kpi.unit)

    @property
    def latest_text(self) -> str:
        return SUPPRESSED if self.latest_suppressed else value_text(self.kpi.latest, self.kpi.unit)

    @property
    def cohort_text(self) -> str:
        return SUPPRESSED if self.cohort_suppressed else str(self.kpi.cohort)

    @property
    def change_text(self) -> str:
        change = self.change
        if change is None:
            return SUPPRESSED
        if change == 0:
            return "no change"
        sign = "+" if change > 0 else "−"
        unit = self.kpi.unit
        places = max(decimals(self.kpi.baseline), decimals(self.kpi.latest))
        if unit == "percent":
            size = plain(abs(change), places)
            return f"{sign}{size} percentage point" + ("" if abs(change) == 1 else "s")
        if unit == "months":
            text = f"{sign}{years_months(change)}"
        elif unit == "days":
            text = f"{sign}{plain(abs(change), places)} day" + ("" if abs(change) == 1 else "s")
        else:
            text = f"{sign}{plain(abs(change), places)}"
        relative = self.relative
        if relative is not None:
            text += f" ({sign}{plain(abs(relative), 0)}%)"
        return text

    @property
    def sentence(self) -> str:
        """The whole result in one plain-English sentence (used as a chart's text alternative)."""
        k = self.kpi
        if self.cohort_suppressed:
            return f"{k.measure}: figures suppressed because fewer than {self.threshold} pupils were measured."
        text = (f"{k.measure}: {self.baseline_text} in {k.baseline_period.text}, "
                f"{self.latest_text} in {k.latest_period.text}")
        if self.change is not None:
            text += f", a change of {self.change_text}"
        if self.outcome:
            text += f" ({self.outcome}; {'higher' if k.direction == 'increase' else 'lower'} is better)"
        text += "."
        if self.any_suppressed:
            text += f" Values shown as {SUPPRESSED} are {SUPPRESSED_MEANING}."
        return text

    @property
    def evidence_key(self) -> tuple[int, Decimal, str]:
        """Order for 'best-evidenced improvements': largest cohort, then the larger change."""
        size = abs(self.change or Decimal(0))
        return (-self.kpi.cohort, -size, self.kpi.kpi_id)
