"""Files as officers produce them: Excel's UTF-8 with BOM, Windows-1252 CSVs, and workbooks."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook

from dlp_site.data.load import load
from dlp_site.data.validate import validate

from .conftest import edit


def issues_of(data: Path) -> list[str]:
    return [i.format() for i in validate(load(data, None))[1]]


def test_utf8_with_bom_reads_header_correctly(othertown: Path):
    path = othertown / "areas.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    valid, issues = validate(load(othertown, None))
    assert issues == []
    assert [a.area_id for a in valid.areas] == ["stourside", "upper-vale"]


def test_windows_1252_pound_sign_is_read(othertown: Path):
    edit(othertown, "funding.csv", "Projects,260000,", "Projects,260000,Includes £20k for training")
    path = othertown / "funding.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    valid, issues = validate(load(othertown, None))
    assert issues == []
    assert valid.funding[0].notes == "Includes £20k for training"


def test_money_written_with_pound_sign_and_commas_is_accepted(othertown: Path):
    edit(othertown, "projects.csv", ",120000,80000,", ',"£120,000.00","£80,000",')
    valid, issues = validate(load(othertown, None))
    assert issues == []
    assert str(valid.projects[0].allocation_gbp) == "120000.00"


def test_unreadable_encoding_names_file_and_line(othertown: Path):
    path = othertown / "areas.csv"
    path.write_bytes(b"area_id,name\nstourside,Stour\x81side\n")
    assert issues_of(othertown)[0].startswith(
        "areas.csv:2: cannot read byte 0x81: the file is neither UTF-8 nor Windows-1252")


def _sheet_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_workbook_with_named_sheets_replaces_csvs(othertown: Path):
    book = Workbook()
    book.remove(book.active)
    for name in ("projects", "kpis"):
        sheet = book.create_sheet(name)
        for row in _sheet_rows(othertown / f"{name}.csv"):
            # Excel stores numbers as numbers: check they come back as the officer typed them.
            sheet.append([float(c) if c.replace(".", "", 1).isdigit() else c for c in row])
        (othertown / f"{name}.csv").unlink()
    book.save(othertown / "programme-data.xlsx")
    valid, issues = validate(load(othertown, None))
    assert issues == []
    assert {p.project_id for p in valid.projects} == {"early-signs", "vale-hub", "outreach"}
    assert str(valid.kpis[0].latest) == "75.5" and valid.kpis[0].cohort == 60


def test_single_sheet_workbook_named_after_table_and_errors_name_the_sheet(othertown: Path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    rows = _sheet_rows(othertown / "areas.csv")
    rows[2][0] = "Upper Vale!"
    for row in rows:
        sheet.append(row)
    book.save(othertown / "areas.xlsx")
    (othertown / "areas.csv").unlink()
    assert any(line.startswith("areas.xlsx[Sheet1]:3:area_id: 'Upper Vale!' is not a valid id")
               for line in issues_of(othertown))


def test_same_table_in_csv_and_workbook_is_an_error(othertown: Path):
    book = Workbook()
    book.active.title = "areas"
    book.active.append(["area_id", "name"])
    book.save(othertown / "extra.xlsx")
    assert "areas.csv: the areas table is given twice (it is also in extra.xlsx[areas]; delete one so " \
           "nobody edits the wrong copy)" in issues_of(othertown)


def test_blank_rows_are_ignored_and_row_numbers_match_excel(othertown: Path):
    edit(othertown, "areas.csv", "stourside,Stourside\n", "stourside,Stourside\n,\n\n")
    edit(othertown, "areas.csv", "upper-vale,Upper Vale", "Upper Vale,Upper Vale")
    assert issues_of(othertown)[0].startswith("areas.csv:5:area_id:")
