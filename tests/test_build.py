"""Real MkDocs builds: the pages exist, link up, stay out of the nav, and publishing is safe."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dlp_site.cli import main
from dlp_site.errors import DataError, PublishError
from dlp_site.pipeline import build

from .conftest import ROOT, edit, paths, tree_digest
from .gate import broken_links


def all_text(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*")
                     if p.is_file() and p.suffix in {".html", ".json", ".csv", ".xml", ".txt"})


def test_second_council_builds_a_site_of_its_own(othertown_site: Path):
    home = (othertown_site / "index.html").read_text(encoding="utf-8")
    assert "<title>Delivering Better Value in SEND</title>" in home
    assert "<title>Early Signs Together - Delivering Better Value in SEND</title>" in \
        (othertown_site / "projects" / "early-signs" / "index.html").read_text(encoding="utf-8")
    assert "Northmoor Metropolitan Borough Council" in home
    assert "Birmingham" not in all_text(othertown_site)
    for page in ("projects/early-signs", "partnerships/vale-secondaries", "areas/upper-vale",
                 "themes/inclusion_hubs", "projects", "partnerships", "areas", "themes", "matrix", "funding",
                 "engagement", "impact", "data", "about", "accessibility"):
        assert (othertown_site / page / "index.html").exists(), page


def test_every_internal_link_and_anchor_resolves(othertown_site: Path):
    assert broken_links(othertown_site) == []


def test_entity_pages_are_kept_out_of_the_nav(othertown_site: Path):
    home = (othertown_site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('md-sidebar--primary'):home.index('md-sidebar--secondary')]
    assert "projects/" in nav
    assert "projects/early-signs/" not in nav and "partnerships/vale-secondaries/" not in nav


def test_small_cohort_values_appear_nowhere(othertown_site: Path):
    # vh-small has a cohort of 6 against a threshold of 10: its distinctive values must not leak
    # into pages, the search index or the downloads.
    text = all_text(othertown_site)
    assert "Wellbeing score" in text
    assert "61.37" not in text and "48.91" not in text
    kpis_csv = (othertown_site / "downloads" / "kpis.csv").read_text(encoding="utf-8")
    assert "vh-small,vale-hub,Wellbeing score,score,increase,c,2023-autumn,c,2024-spring,c,score,c,c" in kpis_csv


def test_kpi_figures_on_project_page(othertown_site: Path):
    page = (othertown_site / "projects" / "early-signs" / "index.html").read_text(encoding="utf-8")
    assert "40%" in page and "75.5%" in page and "+35.5 percentage points" in page
    assert '<svg class="dlp-chart"' in page and "<table class=\"dlp-kpis dlp-stack\"" in page


def test_failed_build_leaves_previous_site_byte_for_byte(othertown: Path, tmp_path: Path):
    out = tmp_path / "site"
    build(paths(othertown), out)
    before = tree_digest(out)
    edit(othertown, "projects.csv", ",120000,80000,", ",-5,80000,")
    with pytest.raises(DataError):
        build(paths(othertown), out)
    assert tree_digest(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["data", "site"]  # no staging left behind


def test_mkdocs_failure_also_leaves_site_untouched(othertown: Path, tmp_path: Path):
    out = tmp_path / "site"
    build(paths(othertown), out)
    before = tree_digest(out)
    src = tmp_path / "site_src"
    src.mkdir()
    (src / "extra.md").write_text("# Extra\n\n[broken](missing-page.md)\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--data", str(othertown), "--site-src", str(src),
                                       "--config", str(ROOT / "mkdocs.yml"), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "strict mode" in result.output
    assert tree_digest(out) == before


def test_rebuild_replaces_site_and_reflects_new_data(othertown: Path, tmp_path: Path):
    out = tmp_path / "site"
    build(paths(othertown), out)
    edit(othertown, "projects.csv", "Early Signs Together", "Early Signs Together Again")
    build(paths(othertown), out)
    assert "Early Signs Together Again" in (out / "projects" / "early-signs" / "index.html").read_text()
    assert (out / ".dlp-site").exists()


def test_refuses_to_replace_a_folder_it_did_not_make(othertown: Path, tmp_path: Path):
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.docx").write_text("do not delete")
    with pytest.raises(PublishError, match="not made by dlp-site"):
        build(paths(othertown), out)
    assert (out / "thesis.docx").read_text() == "do not delete"


def test_hand_written_page_replaces_generated_one(othertown: Path, tmp_path: Path):
    src = tmp_path / "site_src"
    shutil.copytree(ROOT / "site_src" / "assets", src / "assets")
    (src / "accessibility.md").write_text("# Our own statement\n\nWritten by the council.\n", encoding="utf-8")
    out = tmp_path / "site"
    build(paths(othertown).__class__(othertown, None, src, ROOT / "mkdocs.yml"), out)
    assert "Written by the council." in (out / "accessibility" / "index.html").read_text()


def test_cli_build_progress_and_quiet(othertown: Path, tmp_path: Path):
    runner = CliRunner()
    args = ["build", "--data", str(othertown), "--site-src", str(ROOT / "site_src"),
            "--config", str(ROOT / "mkdocs.yml"), "--out", str(tmp_path / "site")]
    loud = runner.invoke(main, args)
    assert loud.exit_code == 0, loud.output
    assert "Building the site with MkDocs" in loud.output
    quiet = runner.invoke(main, ["-q", *args])
    assert quiet.exit_code == 0 and quiet.output == ""


def test_no_council_is_hard_coded_in_code_templates_or_pages():
    places = [ROOT / "dlp_site", ROOT / "site_src", ROOT / "mkdocs.yml"]
    offenders = []
    for place in places:
        files = [place] if place.is_file() else [p for p in place.rglob("*") if p.is_file()]
        for path in files:
            if path.suffix in {".pyc"}:
                continue
            if re.search(r"(?i:birmingham)|\bBCC\b|\bDLP\b", path.read_text(encoding="utf-8", errors="ignore")):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_search_index_holds_each_fact_once(gate_site: Path):
    """Every first visit downloads the search index: a project's measures are in it as the
    sentences under its charts, not again as the table's cells; a measure with no sentence
    (too few pupils measured) keeps its table; list filters and report history stay out."""
    docs = json.loads((gate_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    kpis = {d["location"].split("/")[1]: d["text"] for d in docs
            if d["location"].startswith("projects/") and d["location"].endswith("#key-performance-indicators")}
    with_table = {p for p, text in kpis.items() if "Key performance indicators for" in text}
    assert kpis and with_table and with_table != set(kpis)
    pages = {p: (gate_site / "projects" / p / "index.html").read_text(encoding="utf-8") for p in kpis}
    # A table stays exactly where a measure has no chart, so no sentence, to be found by.
    def measures(html: str) -> int:
        table = html[html.index('<table class="dlp-kpis'):]
        return table[:table.index("</table>")].count("<tr") - 1  # less the heading row

    assert with_table == {p for p, html in pages.items() if html.count('<figure class="dlp-figure">') < measures(html)}
    assert all("a change of" in kpis[p] for p in set(kpis) - with_table)
    assert not any("Report history" in d["text"] or "All areas" in d["text"] for d in docs)
