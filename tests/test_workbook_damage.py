"""What Excel does to a workbook, read back as the officer sees it or reported with the workbook,
sheet, row (as Excel numbers it) and column.

Each case starts from the officers' own template filled with the second council's data
(`dlp-site template --from`), damages it the way Excel or an officer would, and runs the real
`dlp-site check`. Formulas with saved results are written by editing the sheet's XML, since
openpyxl (like any program that does not calculate) saves formulas without them.
"""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from dlp_site.data.load import load
from dlp_site.data.validate import ValidData, validate
from dlp_site.errors import split_label
from dlp_site.project.workbook import build_workbook, rows_from, save_new

from .test_hostile import run

BOOK = "programme.xlsx"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.fixture
def data(othertown: Path) -> Path:
    """The second council's data with its tables moved into one workbook made by `template --from`."""
    filled, themes, _ = rows_from(othertown)
    save_new(build_workbook(filled, themes), othertown / BOOK)
    for csv in othertown.glob("*.csv"):
        csv.unlink()
    return othertown


def damage(data: Path, change: Callable[[dict[str, Worksheet]], None]) -> None:
    book = load_workbook(data / BOOK)
    change({sheet.title: sheet for sheet in book.worksheets})
    book.save(data / BOOK)


def cache(data: Path, sheet: str, results: dict[str, str]) -> None:
    """Give formula cells the results Excel would have saved with them (`results`: cell -> value)."""
    book = load_workbook(data / BOOK, read_only=True)
    index = book.sheetnames.index(sheet) + 1
    book.close()
    name = f"xl/worksheets/sheet{index}.xml"
    with zipfile.ZipFile(data / BOOK) as old:
        parts = {item: old.read(item) for item in old.namelist()}
    root = etree.fromstring(parts[name])
    for ref, value in results.items():
        (cell,) = [c for c in root.iter(f"{{{MAIN}}}c") if c.get("r") == ref]
        assert cell.find(f"{{{MAIN}}}f") is not None, f"{ref} holds no formula"
        saved = cell.find(f"{{{MAIN}}}v")  # openpyxl writes an empty one
        (saved if saved is not None else etree.SubElement(cell, f"{{{MAIN}}}v")).text = value
    parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(data / BOOK, "w", zipfile.ZIP_DEFLATED) as new:
        for item, content in parts.items():
            new.writestr(item, content)


def check(data: Path) -> tuple[int, list[str]]:
    return run("check", "--data", data, "--geo", data / "no-geo")


def reports(data: Path, code: int, *expected: str) -> list[str]:
    """Run the check: its exit code is `code` and each expected line is among its lines."""
    exit_code, lines = check(data)
    assert exit_code == code, lines
    assert [line for line in expected if line not in lines] == [], lines
    return lines


def valid(data: Path) -> ValidData:
    rows, issues = validate(load(data, None))
    assert not [i for i in issues if i.level.value == "error"], [i.format() for i in issues]
    return rows


def test_the_template_filled_from_csv_checks_clean(data: Path):
    assert check(data) == (0, ["Checking data in " + str(data), "OK: 3 projects, 3 partnerships, 4 schools, 3 KPIs"])


def test_a_value_not_in_the_drop_down_names_workbook_sheet_row_and_column(data: Path):
    # Excel's drop-down stops typing, not pasting: a pasted value reaches the check.
    damage(data, lambda s: s["projects"].__setitem__("F3", "purple"))
    reports(data, 1, "programme.xlsx[projects]:3:status: 'purple' is not one of: green, amber, red (green, amber "
                     "or red)")


def test_numbers_stored_as_text_and_trailing_spaces_are_read_as_meant(data: Path):
    def change(sheets: dict[str, Worksheet]) -> None:
        sheets["projects"]["G2"] = "120000"  # a number stored as text (Excel's green triangle)
        sheets["projects"]["G2"].data_type = "s"
        sheets["projects"]["F2"] = "green "  # a trailing space after a drop-down value
        sheets["kpis"]["B2"] = " early-signs\u00a0"  # spaces, one of them non-breaking, round an id
        sheets["schools"]["A2"] = "800001"  # a URN typed as text
        sheets["schools"]["A2"].data_type = "s"
    damage(data, change)
    assert check(data)[0] == 0
    rows = valid(data)
    assert rows.projects[0].allocation_gbp == Decimal("120000.00") and rows.projects[0].status == "green"
    assert rows.kpis[0].project_id == "early-signs" and rows.schools[0].urn == 800001


def test_a_date_stored_as_a_serial_number_is_read_as_the_date_with_a_warning(data: Path):
    def change(sheets: dict[str, Worksheet]) -> None:
        sheets["projects"]["I3"] = 45173  # 2023-09-04 in a cell formatted General
        sheets["projects"]["I3"].number_format = "General"
    damage(data, change)
    reports(data, 0, "programme.xlsx[projects]:3:start_date: warning: 45173 is a date stored as a number (Excel's "
                     "date serial); it was read as 2023-09-04 (in Excel, select the column and choose Home > Number "
                     "Format > Short Date, or type the date as 2021-09-01)")
    assert valid(data).projects[1].start_date == dt.date(2023, 9, 4)


def test_formulas_are_read_as_their_saved_results(data: Path):
    def change(sheets: dict[str, Worksheet]) -> None:
        sheets["projects"]["H2"] = "=G2*2/3"  # spend as a share of the allocation
        sheets["kpis"]["H2"] = "=0.1+0.2+75.2"  # a float's tail: Excel shows 75.5
    damage(data, change)
    cache(data, "projects", {"H2": "80000"})
    cache(data, "kpis", {"H2": "75.500000000000014"})
    assert check(data)[0] == 0
    rows = valid(data)
    assert rows.projects[0].spend_gbp == Decimal("80000.00")
    assert str(rows.kpis[0].latest) == "75.5"


def test_a_formula_saved_without_its_result_or_with_an_error_is_reported(data: Path):
    def change(sheets: dict[str, Worksheet]) -> None:
        sheets["projects"]["H2"] = "=G2*2/3"
        sheets["funding"]["B3"] = "#N/A"  # what a failed VLOOKUP leaves
    damage(data, change)
    lines = reports(data, 1, "programme.xlsx[projects]:2:spend_gbp: the formula =G2*2/3 was saved without its "
                             "result (open the workbook in Excel (which calculates it) and save it again, or type the "
                             "value)",
                    "programme.xlsx[funding]:3:amount_gbp: the cell shows the error #N/A (a formula there failed: "
                    "correct it, or type the value)")
    # One message for each cell: not a second 'empty cell' error as well.
    assert not [line for line in lines if line.startswith(("programme.xlsx[funding]:3:amount_gbp: this cell",
                                                           "programme.xlsx[projects]:2:spend_gbp: this cell"))]


def test_a_percentage_formatted_cell_is_read_as_excel_shows_it(data: Path):
    def change(sheets: dict[str, Worksheet]) -> None:
        sheets["kpis"]["H2"] = 0.755  # typed as 75.5% in a percent-formatted cell
        sheets["kpis"]["H2"].number_format = "0.0%"
    damage(data, change)
    assert check(data)[0] == 0
    assert str(valid(data).kpis[0].latest) == "75.5"


def test_merged_cells_down_a_column_are_read_on_every_row_with_a_warning(data: Path):
    def change(sheets: dict[str, Worksheet]) -> None:
        sheets["schools"].merge_cells("G2:G3")  # both schools of one partnership, merged
    damage(data, change)
    reports(data, 0, "programme.xlsx[schools]:2:partnership_id: warning: cells G2:G3 are merged; each of their "
                     "rows was read as 'stourside-primaries' (unmerge them (Home > Merge & Center) and fill in each "
                     "row: sorting or filtering breaks merged cells)")
    assert [s.partnership_id for s in valid(data).schools[:2]] == ["stourside-primaries"] * 2


def test_merged_cells_across_columns_are_an_error(data: Path):
    damage(data, lambda s: s["reports"].merge_cells("G2:H2"))  # highlights and barriers as one cell
    reports(data, 1, "programme.xlsx[reports]:2:highlights: cells G2:H2 are merged across columns (unmerge them "
                     "(Home > Merge & Center) and put each value in its own column)")


def test_the_template_keeps_text_that_looks_like_a_formula_as_text(othertown: Path, tmp_path: Path):
    summary = '=HYPERLINK("http://x") #N/A'
    text = (othertown / "projects.csv").read_text(encoding="utf-8")
    quoted = '"=HYPERLINK(""http://x"") #N/A"'  # the CSV way of writing it
    (othertown / "projects.csv").write_text(text.replace("Training staff to spot needs early.", quoted),
                                            encoding="utf-8")
    filled, themes, _ = rows_from(othertown)
    out = tmp_path / "moved"
    shutil.copytree(othertown, out, ignore=shutil.ignore_patterns("*.csv"))
    save_new(build_workbook(filled, themes), out / BOOK)
    assert valid(out).projects[0].summary == summary


def test_a_label_splits_into_workbook_and_sheet():
    assert split_label("programme.xlsx[projects]") == ("programme.xlsx", "projects")
    assert split_label("old [2024].xlsx[kpis]") == ("old [2024].xlsx", "kpis")
    assert split_label("projects.csv") == ("projects.csv", None)
