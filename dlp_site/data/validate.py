"""Every input checked: rows and settings on their own (rows.py), then across tables
(references.py), then the boundaries in geo/. Never stops at the first problem: every Issue is
collected, each with the file, row (or line) and column an officer can go to."""

from __future__ import annotations

from ..errors import Issue, Level, suggest
from .geojson import check_geojson
from .load import RawData
from .references import check_references
from .rows import ValidData, check_programme, parse_rows
from .tables import TABLES


def validate(raw: RawData) -> tuple[ValidData, list[Issue]]:
    issues = list(raw.issues)
    data = ValidData(programme=check_programme(raw, issues), geo=dict(raw.geo))
    # A cell the reader already reported (a formula without its result...) is not reported
    # again as empty: one message a cell.
    reported = {(i.path, i.row, i.column) for i in raw.issues if i.level is Level.ERROR and i.row and i.column}
    for spec in TABLES:
        table = raw.tables.get(spec.name)
        if table is not None:
            found: list[Issue] = []
            setattr(data, spec.name, parse_rows(table, data, found))
            issues += [i for i in found if (i.path, i.row, i.column) not in reported]
    check_references(data, raw, issues)
    check_geo(data, {p.partnership_id for p in data.partnerships}, issues)
    return data, sorted(set(issues), key=_order)


def _order(issue: Issue) -> tuple[str, int, str, str]:
    return (issue.path, issue.row or 0, issue.column or "", issue.message)


def check_geo(data: ValidData, partnership_ids: set[str], issues: list[Issue]) -> None:
    """Boundaries in geo/ (see geojson.py); partnership areas must name known partnerships.
    The checked collections replace what was read, so the map is built from exactly them."""
    for name in list(data.geo):
        data.geo[name], properties = check_geojson(name, data.geo[name], issues)
        if name != "partnerships":
            continue
        for number, found in properties.items():
            pid = found.get("partnership_id")
            if pid is None:
                issues.append(Issue(f"geo/{name}.geojson", number, "partnership_id", "the area has no partnership_id",
                                    "each area needs a partnership_id property from partnerships"))
            elif pid not in partnership_ids:
                issues.append(Issue(f"geo/{name}.geojson", number, "partnership_id", f"unknown partnership {pid!r}",
                                    suggest(str(pid), sorted(partnership_ids))
                                    or "each area needs a partnership_id property from partnerships"))
