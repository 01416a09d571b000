"""The shipped example (Birmingham's DLP programme) built for real: the evaluation's figures
come out truthfully, and what is illustrative is said on every page."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from dlp_site.pipeline import check

from .conftest import ROOT
from .test_build import broken_links


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_example_data_is_clean():
    site, issues = check(ROOT / "data", ROOT / "geo")
    assert site is not None and issues == []
    kinds = [p.kind for p in site.partnerships.values()]
    assert (kinds.count("primary_consortium"), kinds.count("secondary_network")) == (16, 7)
    assert len(site.projects) == 44 and len(site.areas) == 6
    assert site.total_funding == Decimal("7000000.00")


def test_appendix_one_allocations_are_kept_to_the_penny():
    site, _ = check(ROOT / "data", ROOT / "geo")
    by_partnership: dict[str, Decimal] = {}
    for p in site.projects.values():
        by_partnership[p.partnership_id] = by_partnership.get(p.partnership_id, Decimal(0)) + p.allocation_gbp
    assert by_partnership["sparklers"] == Decimal("321865.48")
    assert by_partnership["handsworth"] == Decimal("312793.94")
    assert by_partnership["east-network"] + by_partnership["eastwards"] + by_partnership["cole-heath"] \
        + by_partnership["fays"] + by_partnership["saltley-plus"] == Decimal("1620589.70")  # see data/README.md


def test_evaluation_kpis_are_reported_truthfully(example_site: Path):
    eastwards = page(example_site, "projects/eastwards-language-and-reading")
    assert "23.2%" in eastwards and "43.4%" in eastwards and "+20.2 percentage points" in eastwards
    north_west = page(example_site, "projects/north-west-reading-and-attendance")
    assert "+5 percentage points" in north_west  # the evaluation said 4.3%
    south_west = page(example_site, "projects/south-west-reading-and-attendance")
    assert "10 years 2 months" in south_west and "15 years 4 months" in south_west
    fair_access = page(example_site, "projects/fair-access")
    assert "−8.5 days (−47%)" in fair_access


def test_small_counts_are_suppressed_in_pages_and_downloads(example_site: Path):
    # Erdington's exclusions fell from 20 to 1: one child is below the threshold of 5.
    erdington = page(example_site, "projects/erdington-adhd-and-wellbeing")
    assert "Fixed-term exclusions for children using Motional resources" in erdington
    rows = {r["kpi_id"]: r for r in csv.DictReader(io.StringIO(
        (example_site / "downloads" / "kpis.csv").read_text(encoding="utf-8")))}
    motional = rows["erdington-motional-exclusions"]
    assert (motional["baseline"], motional["latest"], motional["change"], motional["outcome"]) == \
        ("20", "c", "c", "improved")


def test_illustrative_figures_are_flagged_on_every_page(example_site: Path):
    for path in example_site.rglob("index.html"):
        assert "Some figures on this site are illustrative." in path.read_text(encoding="utf-8"), path
    assert "Illustrative (made up)" in page(example_site, "about")


def test_example_links_resolve(example_site: Path):
    assert broken_links(example_site) == []


def test_home_headlines(example_site: Path):
    home = (example_site / "index.html").read_text(encoding="utf-8")
    assert "44</p>" in home and "of 255</p>" in home
    assert "Best-evidenced improvements" in home and "Latest news" in home
