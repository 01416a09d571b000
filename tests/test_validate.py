"""Bad input: every kind of problem is reported with file, row (as Excel shows it), column and a hint."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dlp_site.cli import main
from dlp_site.data.load import load
from dlp_site.data.validate import validate
from dlp_site.errors import Level

from .conftest import edit


def problems(data: Path):
    _, issues = validate(load(data, None))
    return issues


def formatted(data: Path) -> list[str]:
    return [i.format() for i in problems(data)]


def test_clean_fixture_has_no_problems(othertown: Path):
    assert problems(othertown) == []


# (file, old text, new text, expected location prefix, expected words in the message)
CASES = [
    pytest.param("projects.csv", "project_id,title,", "project_ref,title,",
                 "projects.csv:1:project_id", "required column is missing", id="missing-column"),
    pytest.param("projects.csv", ",120000,80000,", ",lots,80000,",
                 "projects.csv:2:allocation_gbp", "'lots' is not an amount of money", id="wrong-type"),
    pytest.param("projects.csv", "Early Signs Together,", ",",
                 "projects.csv:2:title", "empty but a value is required", id="empty-required"),
    pytest.param("projects.csv", "vale-hub,Vale", "early-signs,Vale",
                 "projects.csv:3:project_id", "duplicate project_id 'early-signs'", id="duplicate-id"),
    pytest.param("schools.csv", "800002,Canal Side Primary,primary,DY1 2AB,52.5080,-2.0900,stourside-primaries",
                 "800002,Canal Side Primary,primary,DY1 2AB,52.5080,-2.0900,stourside-primary",
                 "schools.csv:3:partnership_id", "unknown partnership 'stourside-primary'", id="unknown-partnership"),
    pytest.param("partnerships.csv", "primary_consortium,stourside", "primary_consortium,stour-side",
                 "partnerships.csv:2:area_id", "unknown area 'stour-side'", id="unknown-area"),
    pytest.param("kpis.csv", "vh-susp,vale-hub,", "vh-susp,vale-hubb,",
                 "kpis.csv:3:project_id", "unknown project 'vale-hubb'", id="unknown-project"),
    pytest.param("projects.csv", "early_identification;workforce", "early_identification;work_force",
                 "projects.csv:2:themes", "unknown theme 'work_force'", id="unknown-theme"),
    pytest.param("partnerships.csv", "secondary_network", "secondary_networks",
                 "partnerships.csv:3:kind", "'secondary_networks' is not one of", id="unknown-enum"),
    pytest.param("schools.csv", "52.5120,-2.0810", "52.5120,20.0810",
                 "schools.csv:2:latitude", "outside the UK", id="outside-uk"),
    pytest.param("schools.csv", "52.5120,-2.0810", "-2.0810,52.5120",
                 "schools.csv:2:latitude", "latitude and longitude look swapped", id="swapped-coordinates"),
    pytest.param("schools.csv", "DY1 1AA", "DY1 1A",
                 "schools.csv:2:postcode", "'DY1 1A' is not a valid UK postcode", id="bad-postcode"),
    pytest.param("projects.csv", ",90000,30000,", ",90000,-30000,",
                 "projects.csv:3:spend_gbp", "negative", id="negative-money"),
    pytest.param("kpis.csv", "percent,increase,40,", "percent,increase,140,",
                 "kpis.csv:2:baseline", "140 is not a percentage between 0 and 100", id="percent-range"),
    pytest.param("reports.csv", "early-signs,2023-autumn,", "early-signs,autumn 2023,",
                 "reports.csv:2:term", "'autumn 2023' is not a term", id="malformed-term"),
    pytest.param("projects.csv", "2023-09-04\nvale-hub", "2023-13-45\nvale-hub",
                 "projects.csv:2:start_date", "'2023-13-45' is not a date", id="malformed-date"),
    pytest.param("reports.csv", "early-signs,2024-spring,green,1,2", "early-signs,2024-spring,green,3,2",
                 "reports.csv:3:schools_engaged", "3 schools engaged is more than the 2 in total", id="engaged>total"),
    pytest.param("reports.csv", "vale-hub,2024-spring,amber,1,1,30000,Hub opened.,Recruitment.,,,",
                 "vale-hub,2024-spring,amber,1,1,30000,Hub opened.,Recruitment.,,,\n"
                 "vale-hub,2024-spring,amber,1,1,30000,Again.,,,,",
                 "reports.csv:5:term", "a second report for vale-hub in 2024-spring", id="duplicate-report"),
    pytest.param("kpis.csv", "2023-autumn,75.5,2024-spring", "2024-spring,75.5,2023-autumn",
                 "kpis.csv:2:latest_period", "is before the baseline", id="periods-reversed"),
    pytest.param("programme.yml", "reporting_term: 2024-spring", "reporting_term: spring 2024",
                 "programme.yml:5:reporting_term", "'spring 2024' is not a term", id="programme-term"),
    pytest.param("partnerships.csv", "vale-secondaries,Upper Vale Secondary Group,secondary_network,upper-vale",
                 "vale-secondaries,Upper Vale Secondary Group,secondary_network,",
                 "partnerships.csv:3:area_id", "only citywide partnerships may have no area", id="area-required"),
]


@pytest.mark.parametrize("name, old, new, where, words", CASES)
def test_each_error_kind_is_located_and_explained(othertown: Path, name, old, new, where, words):
    edit(othertown, name, old, new)
    found = [i for i in problems(othertown) if i.format().startswith(where)]
    assert found, f"nothing reported at {where}; got {formatted(othertown)}"
    issue = found[0]
    assert issue.level is Level.ERROR
    assert words in issue.format()
    # Every error says what to do about it, not only what is wrong.
    assert issue.hint, issue.format()


def test_overspend_is_a_warning_not_an_error(othertown: Path):
    edit(othertown, "projects.csv", ",90000,30000,", ",90000,130000,")
    issues = problems(othertown)
    assert [i.format() for i in issues] == [
        "projects.csv:3:spend_gbp: warning: spend £130,000.00 is far above the allocation £90,000.00 (144%) "
        "(check the figure; overspends need explaining in the report)"
    ]


def test_unknown_column_warns_with_suggestion(othertown: Path):
    edit(othertown, "schools.csv", "partnership_id,engaged", "partnership_id,engaged,enagaged_since")
    (warning,) = problems(othertown)
    assert warning.level is Level.WARNING
    assert warning.format().startswith("schools.csv:1:enagaged_since: warning: unknown column")


def test_every_problem_is_reported_at_once_and_exit_code_is_1(othertown: Path):
    edit(othertown, "schools.csv", "DY1 1AA", "not a postcode")
    edit(othertown, "projects.csv", ",120000,80000,", ",£1x,80000,")
    edit(othertown, "kpis.csv", "vh-susp,vale-hub,", "vh-susp,nowhere,")
    edit(othertown, "areas.csv", "upper-vale,Upper Vale", "stourside,Upper Vale")
    result = CliRunner().invoke(main, ["check", "--data", str(othertown)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    for expected in ("areas.csv:3:area_id: duplicate area_id 'stourside'",
                     "schools.csv:2:postcode: 'not a postcode' is not a valid UK postcode",
                     "projects.csv:2:allocation_gbp: '£1x' is not an amount of money",
                     "kpis.csv:3:project_id: unknown project 'nowhere'"):
        assert any(line.startswith(expected) for line in lines), (expected, result.output)
    assert "Error: " in result.output and "nothing was built or published" in result.output
    assert "Traceback" not in result.output


def test_clean_check_exits_0_and_strict_fails_on_warnings(othertown: Path):
    runner = CliRunner()
    assert runner.invoke(main, ["-q", "check", "--data", str(othertown)]).exit_code == 0
    edit(othertown, "projects.csv", ",90000,30000,", ",90000,130000,")
    assert runner.invoke(main, ["check", "--data", str(othertown)]).exit_code == 0
    assert runner.invoke(main, ["check", "--strict", "--data", str(othertown)]).exit_code == 1


def test_missing_required_file(othertown: Path):
    (othertown / "schools.csv").unlink()
    assert "schools.csv: file not found (add schools.csv or a sheet named 'schools' in a workbook)" in \
        formatted(othertown)


def test_typo_in_enum_suggests_the_right_value(othertown: Path):
    edit(othertown, "projects.csv", "green,120000", "gren,120000")
    (issue,) = problems(othertown)
    assert issue.hint == "did you mean 'green'?"


def test_javascript_email_is_rejected(othertown: Path):
    header = "partnership_id,name,kind,area_id"
    edit(othertown, "partnerships.csv", header, header + ",contact_email")
    row = "primary_consortium,stourside"
    edit(othertown, "partnerships.csv", row, row + ",javascript:alert(1)")
    expected = "partnerships.csv:2:contact_email: 'javascript:alert(1)' is not an email address"
    assert any(line.startswith(expected) for line in formatted(othertown))


def test_geojson_boundaries_are_checked(othertown: Path, tmp_path: Path):
    import json

    geo = tmp_path / "geo"
    geo.mkdir()
    square = [[[-2.1, 52.5], [-2.0, 52.5], [-2.0, 52.6], [-2.1, 52.5]]]
    swapped = [[[52.5, -2.1], [52.5, -2.0], [52.6, -2.0], [52.5, -2.1]]]
    features = [
        {"type": "Feature", "properties": {"partnership_id": "stourside-primaries"},
         "geometry": {"type": "Polygon", "coordinates": square}},
        {"type": "Feature", "properties": {"partnership_id": "vale-secondarys"},
         "geometry": {"type": "Polygon", "coordinates": swapped}},
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [-2.1, 52.5]}},
    ]
    (geo / "partnerships.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    lines = [i.format() for i in validate(load(othertown, geo))[1]]
    assert lines == [
        "geo/partnerships.geojson:2:geometry: 4 points lie outside the UK, e.g. [52.5, -2.1] "
        "(GeoJSON is longitude, latitude in WGS84 (EPSG:4326); reproject or swap the axes)",
        "geo/partnerships.geojson:2:partnership_id: unknown partnership 'vale-secondarys' "
        "(did you mean 'vale-secondaries'?)",
        "geo/partnerships.geojson:3:geometry: geometry type 'Point' is not a polygon "
        "(boundaries must be Polygon or MultiPolygon features)",
        "geo/partnerships.geojson:3:partnership_id: the area has no partnership_id "
        "(each area needs a partnership_id property from partnerships)",
    ]


def test_a_broken_row_in_one_table_does_not_hide_unknown_ids_in_another(othertown: Path):
    # kpi 'stour-side' is broken (empty measure); an area reference 'stour-side' is still unknown.
    edit(othertown, "kpis.csv", "es-screen,early-signs,Pupils screened by the end of Reception,",
         "stour-side,early-signs,,")
    edit(othertown, "partnerships.csv", "primary_consortium,stourside", "primary_consortium,stour-side")
    lines = formatted(othertown)
    assert any(line.startswith("kpis.csv:2:measure: this cell is empty") for line in lines), lines
    assert any(line.startswith("partnerships.csv:2:area_id: unknown area 'stour-side'") for line in lines), lines


def test_the_contract_declares_references_to_real_columns_and_keys():
    """Validation, the open-data descriptions and the officers' workbook all read references
    from the contract: each must name a column of its table and a table with a one-column key."""
    from dlp_site.data.tables import TABLES, TABLES_BY_NAME

    declared = {(spec.name, ref.column, ref.table) for spec in TABLES for ref in spec.references}
    assert ("reports", "project_id", "projects") in declared
    for table, column, target in declared:
        assert column in TABLES_BY_NAME[table].columns
        assert len(TABLES_BY_NAME[target].key) == 1


def test_a_lead_school_must_be_a_school(othertown: Path):
    edit(othertown, "partnerships.csv", "partnership_id,name,kind,area_id\n",
         "partnership_id,name,kind,area_id,lead_school_urn\n")
    edit(othertown, "partnerships.csv", "primary_consortium,stourside\n", "primary_consortium,stourside,999999\n")
    assert [line for line in formatted(othertown) if ":lead_school_urn:" in line] == [
        "partnerships.csv:2:lead_school_urn: unknown school '999999' (add it to schools first, or fix the spelling)"]
