"""Read officers' YAML (programme.yml, newsletter front matter) safely.

YAML anchors and aliases (`&a` / `*a`) let a 700-byte file expand to gigabytes (the "billion
laughs" bomb), and nothing an officer writes needs them. The loader refuses them while
*composing*, before anything is expanded, so memory stays bounded whatever the file holds.
Every key is also mapped to its line for messages, from the same parse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml


@dataclass(frozen=True)
class YamlProblem(Exception):
    """Why a YAML text could not be read, with its 1-based line in the text (if known)."""

    line: int | None
    message: str
    hint: str

    def __str__(self) -> str:
        return self.message


ALIAS_HINT = "write the value out in full: anchors (&name) and aliases (*name) are not read"


def _line(event: yaml.Event) -> int | None:
    """The 1-based line an event starts on, when the parser knows it."""
    return event.start_mark.line + 1 if event.start_mark is not None else None


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that stops at the first anchor or alias, before it can be expanded."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]  # PyYAML's stubs leave it untyped
        anchor = getattr(event, "anchor", None)
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem(_line(event), f"the alias *{anchor} is not allowed", ALIAS_HINT)
        if anchor is not None:
            raise YamlProblem(_line(event), f"the anchor &{anchor} is not allowed", ALIAS_HINT)
        return super().compose_node(parent, index)


def _lines(node: yaml.Node) -> dict[tuple[str, ...], int]:
    """Each key path of the document -> its 1-based line (iterative: depth is not bounded)."""
    lines: dict[tuple[str, ...], int] = {}
    stack: list[tuple[yaml.Node, tuple[str, ...]]] = [(node, ())]
    while stack:
        current, path = stack.pop()
        if isinstance(current, yaml.MappingNode):
            children = [(path + (str(k.value),), k, v) for k, v in current.value]
        elif isinstance(current, yaml.SequenceNode):
            children = [(path + (str(i),), v, v) for i, v in enumerate(current.value)]
        else:
            continue
        for sub, mark_node, value in children:
            lines[sub] = mark_node.start_mark.line + 1
            stack.append((value, sub))
    return lines


def load_yaml(text: str) -> tuple[Any, dict[tuple[str, ...], int]]:
    """Parse one YAML document into plain Python values and the line of every key.

    Raises YamlProblem for invalid YAML, anchors or aliases, or nesting too deep to read.
    """
    loader = _NoAliasLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        return loader.construct_document(node), _lines(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise YamlProblem(mark.line + 1 if mark else None, f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
                          "check indentation and that text containing ':' is in quotes") from None
    except RecursionError:
        raise YamlProblem(None, "the YAML is nested too deeply to read",
                          "settings are at most a few levels deep; check the indentation") from None
    finally:
        loader.dispose()


def refuse_aliases(text: str) -> YamlProblem | None:
    """For YAML read by someone else (mkdocs.yml): find an anchor or alias without building anything."""
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            anchor = getattr(event, "anchor", None)
            if isinstance(event, yaml.AliasEvent) or anchor is not None:
                sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
                return YamlProblem(_line(event), f"{sign}{anchor}: anchors and aliases "
                                   "are not allowed", ALIAS_HINT)
    except yaml.YAMLError:
        return None  # MkDocs reports its own syntax errors with its own tags in mind
    return None
