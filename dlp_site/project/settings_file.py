"""programme.yml for a new project, written from the settings' own declarations (data/settings.py):
every setting is there with its description as a comment; the ones given are set, the others
are commented out with their default or an example, ready to switch on. A setting added to
settings.py appears here without any change to this file.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import to_jsonable_python

from .. import __version__
from ..data.settings import Programme

HEADER = f"""\
# programme.yml: the programme's settings (written by dlp-site {__version__}).
#
# Lines starting with # are notes. A setting shown after a # is switched off: to use it, delete
# the '# ' in front of it and of the indented lines under it, and change the value. Keep the
# indentation: it is how YAML knows what belongs to what. `dlp-site check` says what is wrong,
# with the line.
"""


@dataclass(frozen=True)
class Block:
    name: str
    notes: list[str]  # the description, as comment lines
    text: str  # the setting as YAML
    active: bool

    def lines(self) -> list[str]:
        body = self.text.splitlines() if self.active else [f"# {line}" for line in self.text.splitlines()]
        return [*self.notes, *body]


def _model(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The settings model a field holds (one, or a list of them), if any."""
    args = [a for a in typing.get_args(annotation) if a is not type(None) and a is not Ellipsis]
    for candidate in (annotation, *args):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate, candidate is not annotation and typing.get_origin(annotation) is tuple
    return None, False


def example(info: FieldInfo) -> Any:
    """A value to show for a setting: its first example, else a filled-in settings model, else its default."""
    if info.examples:
        return to_jsonable_python(info.examples[0])
    if info.is_required() and _model(info.annotation)[0] is None:
        return None  # nothing to suggest: the officer must write it
    default = info.get_default(call_default_factory=True)
    model, many = _model(info.annotation)
    if model is not None and not isinstance(default, BaseModel):
        item = {name: example(sub) for name, sub in model.model_fields.items()}
        item = {k: v for k, v in item.items() if v not in (None, (), [], {})}
        return [item] if many else item
    if isinstance(default, BaseModel):
        return {name: example(sub) if getattr(default, name) is None else to_jsonable_python(getattr(default, name))
                for name, sub in type(default).model_fields.items()}
    return to_jsonable_python(default)


class _Dumper(yaml.SafeDumper):
    """Short lists of plain values on one line ([52.5, -1.9]); everything else in blocks."""


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flat = all(not isinstance(item, (dict, list)) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flat)


_Dumper.add_representer(list, _represent_list)


def _notes(name: str, info: FieldInfo) -> list[str]:
    """The description as notes that cannot be mistaken for a setting (no 'name:')."""
    first = f"# {info.description or name}"
    first += " Required." if info.is_required() else ""
    return [first, *_sub_notes(info, 1)]


def _sub_notes(info: FieldInfo, depth: int) -> list[str]:
    """The fields of a setting that holds settings, indented by depth."""
    model, _ = _model(info.annotation)
    if model is None:
        return []
    notes = []
    for sub, field in model.model_fields.items():
        notes.append(f"#{'  ' * depth} {sub} - {field.description or sub}")
        notes += _sub_notes(field, depth + 1)
    return notes


def blocks(given: Mapping[str, Any]) -> list[Block]:
    """One block per setting, in settings.py's order."""
    found = []
    for name, info in Programme.model_fields.items():
        active = name in given
        value = to_jsonable_python(given[name]) if active else example(info)
        text = yaml.dump({name: value}, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                         default_flow_style=False, width=100)
        found.append(Block(name, _notes(name, info), text, active))
    return found


def programme_yml(given: Mapping[str, Any]) -> str:
    """The file: `given` settings set, every other one commented out."""
    parts = [HEADER]
    for block in blocks(given):
        parts.append("\n".join(block.lines()) + "\n")
    return "\n".join(parts)
