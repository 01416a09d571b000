"""KPI arithmetic: percentage points, direction, years and months, and disclosure control."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dlp_site.data.tables import Kpi
from dlp_site.model.kpis import KpiResult, years_months
from dlp_site.render.formats import money_short


def kpi(unit="percent", direction="increase", baseline="23.2", latest="43.4", cohort=40, **kw) -> KpiResult:
    row = Kpi(kpi_id="k", project_id="p", measure="Reading at the expected standard", unit=unit,
              direction=direction, baseline=baseline, baseline_period="2021-autumn", latest=latest,
              latest_period="2022-summer", cohort=cohort, **kw)
    return KpiResult.of(row, threshold=5)


def test_percentage_change_is_in_percentage_points_not_per_cent():
    r = kpi()
    assert r.change == Decimal("20.2")
    assert r.change_text == "+20.2 percentage points"
    assert r.relative is None  # no misleading '87%' for a percentage
    assert r.outcome == "improved"
    assert r.baseline_text == "23.2%" and r.latest_text == "43.4%"


def test_evaluation_attendance_figure_is_corrected():
    # The evaluation reported 93% -> 98% as 'increased by 4.3%'; it is 5 percentage points.
    assert kpi(baseline="93", latest="98").change_text == "+5 percentage points"


def test_decrease_kpi_counts_a_fall_as_improvement():
    r = kpi(unit="count", direction="decrease", baseline="17", latest="9")
    assert r.outcome == "improved"
    assert r.change_text == "−8 (−47%)"
    assert kpi(unit="count", direction="decrease", baseline="9", latest="17").outcome == "worsened"
    assert kpi(unit="percent", direction="decrease", baseline="7.4", latest="1.69").change_text == \
        "−5.71 percentage points"


def test_no_change():
    r = kpi(baseline="50", latest="50")
    assert r.outcome == "no change" and r.change_text == "no change"


def test_months_render_as_years_and_months():
    r = kpi(unit="months", baseline="122", latest="184")
    assert r.baseline_text == "10 years 2 months"
    assert r.latest_text == "15 years 4 months"
    assert r.change_text.startswith("+5 years 2 months")
    assert years_months(Decimal(12)) == "1 year"
    assert years_months(Decimal(1)) == "1 month"
    assert years_months(Decimal(0)) == "0 months"


def test_days_keep_decimals():
    r = kpi(unit="days", direction="decrease", baseline="17.9", latest="9.4")
    assert r.change_text == "−8.5 days (−47%)"
    assert r.outcome == "improved"


def test_small_cohort_suppresses_everything():
    r = kpi(cohort=4)
    assert (r.baseline_text, r.latest_text, r.change_text, r.cohort_text) == ("c", "c", "c", "c")
    assert r.outcome is None and r.change is None
    assert "23.2" not in r.sentence and "43.4" not in r.sentence


def test_cohort_at_threshold_is_published():
    assert kpi(cohort=5).latest_text == "43.4%"


def test_small_count_is_suppressed_with_anything_that_reveals_it():
    r = kpi(unit="count", direction="decrease", baseline="20", latest="1", cohort=48)
    assert r.baseline_text == "20" and r.latest_text == "c"
    assert r.change is None and r.relative is None and r.change_text == "c"
    # 20 -> fewer than 5 is a fall whatever the suppressed value is, so the outcome is safe to state.
    assert r.outcome == "improved"
    assert "1" not in r.change_text


def test_outcome_withheld_when_it_would_order_two_small_values():
    r = kpi(unit="count", direction="decrease", baseline="6", latest="1", cohort=48)
    assert r.outcome == "improved"
    r = kpi(unit="count", direction="decrease", baseline="3", latest="1", cohort=48)
    assert r.outcome is None


def test_zero_is_not_suppressed():
    r = kpi(unit="count", direction="decrease", baseline="10", latest="0", cohort=10)
    assert r.latest_text == "0" and r.change_text == "−10 (−100%)"


@pytest.mark.parametrize("amount, text", [("7000000", "£7 million"), ("4500000", "£4.5 million"),
                                          ("304522.41", "£305 thousand"), ("8300", "£8,300")])
def test_money_short(amount, text):
    assert money_short(Decimal(amount)) == text
