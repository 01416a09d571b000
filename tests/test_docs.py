"""Docs stay honest: every column of the data contract is documented where officers read it."""

from __future__ import annotations

import re
from pathlib import Path

from dlp_site.data.settings import Programme
from dlp_site.data.tables import TABLES

from .conftest import ROOT


def test_every_column_has_help_text():
    for table in TABLES:
        for name, field in table.model.model_fields.items():
            assert field.description, f"{table.name}.{name} has no description"


def test_every_column_is_on_the_sites_data_page(othertown_site: Path):
    about = (othertown_site / "about" / "index.html").read_text(encoding="utf-8")
    for table in TABLES:
        assert f'id="table-{table.name}"' in about
        for name in table.columns:
            assert f"<code>{name}</code>" in about, f"{table.name}.{name} missing from the about page"


def readme_columns(readme: str, table: str) -> set[str]:
    """The names in code spans on the table's own row of the README ('| `projects` | ...'),
    split at commas: a column counts only where it is listed, not anywhere in the prose."""
    row = next((line for line in readme.splitlines() if line.startswith(f"| `{table}`")), "")
    return {name.strip() for span in re.findall(r"`([^`]*)`", row) for name in span.split(",")}


def test_readme_names_every_table_column_and_setting():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for table in TABLES:
        listed = readme_columns(readme, table.name)
        assert listed, f"the README has no row for the {table.name} table"
        missing = [name for name in table.columns if name not in listed]
        assert missing == [], f"{table.name} columns not listed on its README row: {missing}"
    for name in Programme.model_fields:
        assert f"`{name}`" in readme, f"programme.yml setting {name} not in README"


def test_readme_starts_with_the_two_fresh_machine_commands():
    lines = [line.strip() for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()]
    commands = [line for line in lines[:12] if line.startswith(("python3 ", "bash "))]
    assert commands == [
        "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/dlp-site build",
        "bash scripts/test",
    ]


def test_the_for_officers_section_gives_real_commands():
    """Every `dlp-site ...` command in the README's "For officers" section is one the command line
    accepts as written (parsed by click, not run), and the section walks the whole round."""
    import shlex

    import click
    import lxml.html
    import markdown

    from dlp_site.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## For officers", 1)[1].split("\n## ", 1)[0]
    page = lxml.html.fromstring(markdown.markdown(section, extensions=["fenced_code"]))
    commands = [line.strip() for block in page.iter("pre") for line in block.text_content().splitlines()
                if line.strip().startswith("dlp-site ")]
    verbs = [shlex.split(c)[1] for c in commands]
    for step in ("init", "template", "check", "serve", "build"):
        assert step in verbs, f"the For officers section never runs dlp-site {step}"
    for command in commands:
        name, *args = shlex.split(command)[1:]
        verb = main.commands[name]
        with verb.make_context(name, args, parent=click.Context(main)) as ctx:
            assert ctx.command is verb, command
