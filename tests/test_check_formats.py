"""`dlp-site check --format github` and `--format json` on every bad-input fixture: the same
problems as the plain text, each with its real file (and sheet), row and column, escaped as
GitHub's workflow commands require."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dlp_site.cli import main
from dlp_site.errors import Issue, Level, github_annotation, visible

from .conftest import edit
from .test_hostile import CASES as HOSTILE
from .test_validate import CASES as VALIDATE


def check(data: Path, geo: Path, fmt: str) -> tuple[int, str, list[str]]:
    result = CliRunner().invoke(main, ["check", "--data", str(data), "--geo", str(geo), "--format", fmt])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr.splitlines()


def unescape(text: str, prop: bool = False) -> str:
    if prop:
        text = text.replace("%3A", ":").replace("%2C", ",")
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def parse_annotation(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command as the runner reads it: ::name key=value,key=value::message."""
    assert line.startswith("::"), line
    head, message = line[2:].split("::", 1)
    name, _, props = head.partition(" ")
    fields = dict(pair.split("=", 1) for pair in props.split(",")) if props else {}
    return name, {k: unescape(v, prop=True) for k, v in fields.items()}, unescape(message)


def all_formats(data: Path, geo: Path) -> tuple[int, list[str], list[str], dict]:
    code, _, text = check(data, geo, "text")
    github_code, github, _ = check(data, geo, "github")
    json_code, out, _ = check(data, geo, "json")
    assert code == github_code == json_code
    return code, text, github.splitlines(), json.loads(out)


def agree(text: list[str], github: list[str], doc: dict, data: Path, geo: Path) -> None:
    """The three formats report the same problems, in the same order."""
    problems = doc["problems"]
    assert text[0].startswith("Checking data in")
    assert text[1 : 1 + len(problems)] == [p["text"] for p in problems]
    assert doc["errors"] == sum(p["level"] == "error" for p in problems)
    assert doc["warnings"] == sum(p["level"] == "warning" for p in problems)
    assert len(github) == len(problems)
    for line, problem in zip(github, problems, strict=True):
        name, props, message = parse_annotation(line)
        assert name == problem["level"]
        assert props["file"] == problem["file"]
        assert message == visible(problem["message"] + (f" ({problem['hint']})" if problem["hint"] else ""))
        if problem["row"] is not None and problem["sheet"] is None:
            assert props["line"] == str(problem["row"])
        if problem["sheet"] is not None:
            assert "line" not in props  # a workbook has no lines: sheet, row and column are in the title
            assert f"sheet {problem['sheet']}" in props["title"]
            assert problem["row"] is None or f"row {problem['row']}" in props["title"]
        if problem["column"]:
            assert f"column {problem['column']}" in props["title"]
        # The file is where the officer finds it, from where the command ran.
        assert Path(problem["file"]).exists() or problem["text"].endswith(("file not found",)), problem
        assert problem["file"].startswith((data.as_posix(), geo.as_posix()))


@pytest.fixture
def geo(tmp_path: Path) -> Path:
    folder = tmp_path / "geo"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("name,change,expected,code", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_fixtures_in_every_format(othertown: Path, geo: Path, name, change, expected, code):
    change(othertown, geo)
    exit_code, text, github, doc = all_formats(othertown, geo)
    assert exit_code == code
    agree(text, github, doc, othertown, geo)
    (problem,) = [p for p in doc["problems"] if p["text"].startswith(expected)][:1]
    if "xlsx[" in expected:  # a sheet: the file and the sheet apart
        assert problem["file"] == (othertown / "dlp.xlsx").as_posix() and problem["sheet"] in ("funding", "areas")


@pytest.mark.parametrize("name, old, new, where, words", VALIDATE)
def test_validation_fixtures_in_every_format(othertown: Path, geo: Path, name, old, new, where, words):
    edit(othertown, name, old, new)
    exit_code, text, github, doc = all_formats(othertown, geo)
    assert exit_code == 1
    agree(text, github, doc, othertown, geo)
    file, row, column = where.split(":")
    found = [p for p in doc["problems"] if p["file"] == (othertown / file).as_posix() and p["row"] == int(row)
             and p["column"] == column and words in p["text"]]
    assert found and found[0]["level"] == "error" and found[0]["hint"]


def test_a_clean_check_prints_an_empty_list_and_nothing_for_github(othertown: Path, geo: Path):
    code, _, github, doc = all_formats(othertown, geo)
    assert code == 0 and github == [] and doc == {"errors": 0, "warnings": 0, "problems": []}


def test_github_escaping_follows_the_workflow_command_rules():
    issue = Issue("odd, name: 1.csv", 3, "note", "50% done\r\nnext: line, here", "a hint: 100%", Level.WARNING)
    line = github_annotation(issue, "data/odd, name: 1.csv")
    assert line == ("::warning file=data/odd%2C name%3A 1.csv,line=3,title=odd%2C name%3A 1.csv%2C row 3%2C "
                    "column note::50%25 done\\r\\nnext: line, here (a hint: 100%25)")
    # The runner reads back exactly one annotation, with the comma and colon inside the values.
    name, props, message = parse_annotation(line)
    assert (name, props["file"], props["line"]) == ("warning", "data/odd, name: 1.csv", "3")
    assert message == "50% done\\r\\nnext: line, here (a hint: 100%)"
