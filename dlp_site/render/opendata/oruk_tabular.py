"""The Open Referral UK feed as an HSDS tabular data package: oruk/tabular/*.csv and datapackage.json.

The columns, their types and constraints come from the HSDS-UK 3.0 schemas vendored beside this
module (schemata/oruk-3.0/, see its README): each schema names its CSV file (`path`), its
properties and which are required. Every scalar property becomes a column, in the schema's
order, so a directory's importer finds the standard columns even where we have no value.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from ...data.settings import Programme
from ..downloads import csv_text
from .common import json_text, slug
from .oruk import FOLDER, Records

SCHEMATA = Path(__file__).parent / "schemata" / "oruk-3.0"
TABULAR = f"{FOLDER}/tabular"
# Required by the standard but never in our data (a school's town and county): written empty,
# and not marked required in our descriptor, so the package says truthfully what it holds.
UNKNOWN = {"address": {"city", "state_province"}}
_TYPES = {"string": "string", "number": "number", "integer": "integer", "boolean": "boolean"}


@cache
def schema(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMATA / f"{name}.json").read_text(encoding="utf-8"))
    return data


def _scalar(prop: dict[str, Any]) -> bool:
    return "$ref" not in prop and prop.get("type") not in ("array", "object")


def columns(name: str) -> list[str]:
    """The CSV columns of one HSDS object: its scalar properties, then any column only the
    tabular form requires (attribute.link_entity)."""
    s = schema(name)
    names = [k for k, prop in s["properties"].items() if _scalar(prop)]
    return names + [k for k in s.get("tabular_required", []) if k not in names]


def _field(name: str, column: str) -> dict[str, Any]:
    s = schema(name)
    prop = s["properties"].get(column, {"type": "string", "description": "The kind of record link_id is (service)."})
    field: dict[str, Any] = {"name": column, "type": _TYPES.get(prop.get("type", "string"), "string")}
    if prop.get("description"):
        field["description"] = prop["description"]
    fmt = prop.get("format")
    if prop.get("datapackage_type") in ("date", "datetime"):
        field["type"] = prop["datapackage_type"]
    elif fmt == "date-time":
        field["type"] = "datetime"
    elif fmt in ("uuid", "email", "uri"):
        field["format"] = fmt
    constraints: dict[str, Any] = {}
    required = set(s.get("required", [])) | set(s.get("tabular_required", []))
    if column in required and column not in UNKNOWN.get(name, set()):
        constraints["required"] = True
    if (prop.get("constraints") or {}).get("unique"):
        constraints["unique"] = True
    if "enum" in prop:
        constraints["enum"] = prop["enum"]
    if constraints:
        field["constraints"] = constraints
    return field


def _foreign_keys(name: str, tables: set[str]) -> list[dict[str, Any]]:
    """`<object>_id` columns that name another table of the package."""
    return [{"fields": c, "reference": {"resource": c[:-3], "fields": "id"}}
            for c in columns(name) if c.endswith("_id") and c[:-3] in tables and c[:-3] != name]


def tabular(programme: Programme, recs: Records) -> dict[str, str]:
    """{docs path: text}: one CSV per HSDS object we publish, and the package descriptor."""
    tables = set(recs)
    files: dict[str, str] = {}
    resources = []
    for name in sorted(recs, key=lambda n: schema(n)["datapackage_metadata"]["order"]):
        s = schema(name)
        cols = columns(name)
        files[f"{TABULAR}/{s['path']}"] = csv_text([cols, *([row.get(c) for c in cols] for row in recs[name])])
        resources.append({
            "name": name, "path": s["path"], "description": s["description"], "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {"fields": [_field(name, c) for c in cols], "primaryKey": "id",
                       "foreignKeys": _foreign_keys(name, tables)},
        })
    descriptor = {
        "profile": "tabular-data-package", "name": f"{slug(programme.short_name)}-open-referral-uk",
        "title": f"{programme.programme}: projects as Open Referral UK (HSDS-UK 3.0) services",
        "licenses": [{"title": programme.open_data.licence.name, "path": programme.open_data.licence.url}],
        "resources": resources,
    }
    files[f"{TABULAR}/datapackage.json"] = json_text(descriptor)
    return files
