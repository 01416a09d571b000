"""`dlp-site template`: the officers' workbook, read back with openpyxl and compared with the data
contract, and `template --from data` building the same site as the CSV files."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Literal

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from dlp_site.cli import main
from dlp_site.data.columns import Column, columns
from dlp_site.data.load import load
from dlp_site.data.tables import TABLES_BY_NAME, Row, Table
from dlp_site.data.validate import validate
from dlp_site.data.workbook import LISTS_SHEET, read_workbook
from dlp_site.pipeline import Paths, build
from dlp_site.project.workbook import (
    ABOUT_SHEET,
    DATA_TABLES,
    ERROR_LIMIT,
    PROMPT_LIMIT,
    TITLE_LIMIT,
    build_workbook,
    save_new,
)

from .conftest import ROOT, tree_digest
from .test_hostile import run


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("template") / "programme.xlsx"
    result = CliRunner().invoke(main, ["template", str(out)])
    assert result.exit_code == 0, result.output
    return out


def validation_of(sheet: Worksheet, letter: str) -> DataValidation:
    found = [v for v in sheet.data_validations.dataValidation if f"{letter}2:{letter}1048576" in str(v.sqref)]
    assert len(found) == 1, f"{sheet.title}!{letter}: {len(found)} validations"
    return found[0]


def test_a_sheet_and_header_row_per_table_exactly_as_the_contract(template: Path):
    book = load_workbook(template)
    assert book.sheetnames == [ABOUT_SHEET, *(t.name for t in DATA_TABLES)]
    for table in DATA_TABLES:
        sheet = book[table.name]
        assert [c.value for c in sheet[1]] == table.columns
        assert sheet.max_row == 1  # empty: nothing to delete before use
        assert sheet.freeze_panes == "A2"


def test_every_column_has_its_help_and_format(template: Path):
    book = load_workbook(template)
    for table in DATA_TABLES:
        sheet = book[table.name]
        for index, column in enumerate(columns(table)):
            head = sheet.cell(1, index + 1)
            letter = head.column_letter
            assert head.comment is not None and column.description in head.comment.text, (table.name, column.name)
            assert ("Required." if column.required else "Optional") in head.comment.text
            if column.hint:
                assert column.hint in head.comment.text
            assert sheet.column_dimensions[letter].number_format == column.cell.number_format, column.name
            check = validation_of(sheet, letter)
            assert check.showInputMessage and check.prompt.startswith(column.description[:40])
            assert len(check.prompt) <= PROMPT_LIMIT and len(check.promptTitle) <= TITLE_LIMIT
            assert len(check.error or "") <= ERROR_LIMIT and len(check.errorTitle or "") <= TITLE_LIMIT


def test_number_and_date_columns_are_formatted_as_such():
    projects = {c.name: c for c in columns(TABLES_BY_NAME["projects"])}
    assert projects["allocation_gbp"].cell.number_format == "#,##0.00"
    assert projects["start_date"].cell.number_format == "yyyy-mm-dd"
    assert projects["project_id"].cell.number_format == "@"  # ids stay text: no 1-2 turned into a date
    assert projects["summary"].cell.number_format == "General"  # Excel shows long text-formatted cells as ###
    assert {c.name: c.cell.kind for c in columns(TABLES_BY_NAME["kpis"])}["cohort"] == "whole"


def fixed_and_references() -> list[tuple[Table, Column]]:
    return [(t, c) for t in DATA_TABLES for c in columns(t) if c.choices or c.refers_to]


def test_the_contract_has_the_fixed_lists_and_references_the_issue_names():
    named = {c.name for _, c in fixed_and_references()}
    assert named >= {"kind", "phase", "status", "rag", "unit", "direction", "engaged", "partnership_id",
                     "project_id", "area_id", "lead_school_urn"}


@pytest.mark.parametrize("table,column", fixed_and_references(), ids=lambda x: getattr(x, "name", ""))
def test_every_fixed_list_and_reference_column_has_a_drop_down(template: Path, table: Table, column: Column):
    book = load_workbook(template)
    sheet = book[table.name]
    letter = sheet.cell(1, table.columns.index(column.name) + 1).column_letter
    check = validation_of(sheet, letter)
    assert check.type == "list" and check.showErrorMessage and check.error and check.prompt
    if column.refers_to:
        # A named range over the other sheet's key column that grows with it.
        target = TABLES_BY_NAME[column.refers_to]
        name = book.defined_names[check.formula1]
        key = chr(ord("A") + target.columns.index(target.key[0]))
        assert name.attr_text.startswith(f"OFFSET('{target.name}'!${key}$2,")
        assert f"COUNTA('{target.name}'!${key}:${key})" in name.attr_text
        assert check.errorStyle == "warning" and column.refers_to in check.error
    else:
        assert check.formula1 == '"' + ",".join(column.choices) + '"'
        assert check.errorStyle == "stop" and all(choice in check.error for choice in column.choices)


class Colour(Row):
    """A made-up table whose fixed list is longer than Excel allows in a typed list."""

    colour: Literal[tuple(f"colour-number-{n:03}" for n in range(40))]  # type: ignore[valid-type]


def test_a_list_longer_than_255_characters_goes_through_the_hidden_lists_sheet(tmp_path: Path):
    table = Table("colours", Colour, ("colour",), False, "Colours.")
    out = tmp_path / "long.xlsx"
    save_new(build_workbook(tables=[table]), out)
    book = load_workbook(out)
    assert book[LISTS_SHEET].sheet_state == "veryHidden"
    check = validation_of(book["colours"], "A")
    assert check.formula1 == f"'{LISTS_SHEET}'!$A$1:$A$40"
    assert [c.value for c in book[LISTS_SHEET]["A"]] == [f"colour-number-{n:03}" for n in range(40)]
    # The reader knows the lists sheet is the template's own: no 'hidden sheet' warning.
    assert read_workbook(out).hidden == []


def test_template_never_overwrites_and_says_so_in_one_line(template: Path):
    before = template.read_bytes()
    code, lines = run("template", template)
    assert code == 1 and lines == [f"Error: {template}: already exists (choose another name, or move the old "
                                   "file away first)"]
    assert template.read_bytes() == before


def test_from_data_carries_every_row_and_unknown_column(othertown: Path, tmp_path: Path):
    text = (othertown / "areas.csv").read_text(encoding="utf-8").splitlines()
    (othertown / "areas.csv").write_text("\n".join([text[0] + ",officer_note", text[1] + ",check the name",
                                                    *text[2:]]) + "\n", encoding="utf-8")
    out = tmp_path / "moved" / "programme.xlsx"
    code, _ = run("template", "--from", othertown, out)
    assert code == 0
    shutil.copy(othertown / "programme.yml", out.parent)
    moved, original = load(out.parent), load(othertown)
    assert moved.tables.keys() == original.tables.keys()
    assert moved.tables["areas"].header == ["area_id", "name", "officer_note"]
    assert moved.tables["areas"].rows[0].values["officer_note"] == "check the name"
    # The same values (a number is the same number: 52.5120 comes back from Excel as 52.512).
    (moved_rows, moved_issues), (rows, issues) = validate(moved), validate(original)
    assert [i.message for i in moved_issues] == [i.message for i in issues] == ["unknown column, ignored"]
    for table in DATA_TABLES:
        assert getattr(moved_rows, table.name) == getattr(rows, table.name), table.name


def test_from_data_refuses_a_file_it_cannot_read(othertown: Path, tmp_path: Path):
    (othertown / "areas.csv").write_bytes(b"area_id,name\nstourside,Stour\x81side\n")
    out = tmp_path / "programme.xlsx"
    code, lines = run("template", "--from", othertown, out)
    assert code == 1 and not out.exists()
    assert lines[0].startswith("areas.csv:2: cannot read byte 0x81")
    assert lines[-1] == "Error: 1 problem in the data; no workbook was written."


def test_a_control_character_the_workbook_cannot_hold_is_one_line(othertown: Path, tmp_path: Path):
    (othertown / "areas.csv").write_text("area_id,name\nstourside,Stour\x07side\n", encoding="utf-8")
    code, lines = run("template", "--from", othertown, tmp_path / "x.xlsx")
    assert code == 1 and lines[-1] == ("Error: areas, row 2, name: the cell holds a control character a workbook "
                                       "cannot store (remove it from the source, then run the command again)")


def test_the_example_built_from_the_workbook_alone_is_the_same_site(example_site: Path, tmp_path: Path):
    """template --from data, then a data folder with only programme.yml, the newsletters and the
    workbook: every file of the built site is byte for byte the one built from the CSV files."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(ROOT / "data" / "programme.yml", data)
    shutil.copytree(ROOT / "data" / "newsletters", data / "newsletters")
    code, _ = run("template", "--from", ROOT / "data", data / "programme.xlsx")
    assert code == 0
    out = tmp_path / "site"
    _, issues = build(Paths(data, ROOT / "geo", ROOT / "site_src", ROOT / "mkdocs.yml"), out)
    assert issues == []
    built, expected = tree_digest(out), tree_digest(example_site)
    assert built.keys() == expected.keys()
    assert [p for p in built if built[p] != expected[p]] == []


def test_from_a_folder_that_is_not_there_is_a_usage_error(tmp_path: Path):
    code, lines = run("template", "--from", tmp_path / "nowhere", tmp_path / "x.xlsx")
    assert code == 2 and lines[-1] == f"Error: Invalid value for '--from': Directory '{tmp_path / 'nowhere'}' " \
                                      "does not exist."
    assert not (tmp_path / "x.xlsx").exists()
