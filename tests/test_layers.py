"""The package's folders are the pipeline's stages, and imports only go one way.

errors <- data <- model <- content <- render <- site <- pipeline, newsletter, project <- cli <- __main__:
a module may import its own stage or an earlier one, never a later one, and no two modules may
import each other, directly or round a loop. Every import counts, including those inside
functions and under TYPE_CHECKING, so a cycle cannot be hidden in a function body.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "dlp_site"
STAGES = {
    "__init__": 0, "errors": 0,
    "data": 1, "model": 2, "content": 3, "render": 4, "site": 5,
    "pipeline": 6, "newsletter": 6, "project": 6, "cli": 7, "__main__": 8,
}
# The only modules that may import MkDocs: the driver, and the hooks MkDocs itself loads.
MKDOCS_IMPORTERS = {"dlp_site.site.mkdocs", "dlp_site.site.hooks"}
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, path: Path) -> set[str]:
    """Every module `name` imports, absolute, wherever the import statement is."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.add(module)
            # `from . import x` and `from .pkg import mod` name modules too.
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: {m for m in imports(name, path) if m in known and m != name} for name, path in known.items()}


def stage_of(module: str) -> int:
    parts = module.split(".")
    return STAGES[parts[1] if len(parts) > 1 else "__init__"]


def upward(edges: dict[str, set[str]]) -> list[str]:
    return sorted(f"{a} -> {b}" for a, targets in edges.items() for b in targets if stage_of(b) > stage_of(a))


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_every_module_is_in_a_stage():
    for name in modules():
        assert stage_of(name) >= 0, name  # KeyError for a module outside the known stages


def test_no_module_imports_a_later_stage():
    assert upward(graph()) == []


def test_no_import_cycles():
    assert cycles(graph()) == []


def test_the_checks_can_fail():
    """The two checks above, on a made-up graph with an upward edge and a loop."""
    made_up = {"dlp_site.data.a": {"dlp_site.render.b"}, "dlp_site.render.b": {"dlp_site.render.c"},
               "dlp_site.render.c": {"dlp_site.render.b"}}
    assert upward(made_up) == ["dlp_site.data.a -> dlp_site.render.b"]
    assert cycles(made_up) == [["dlp_site.render.b", "dlp_site.render.c"]]


def test_function_level_imports_are_seen(tmp_path: Path):
    module = tmp_path / "x.py"
    module.write_text("def f():\n    from ..render.pages import render_pages\n    import dlp_site.cli\n")
    assert imports("dlp_site.data.x", module) >= {"dlp_site.render.pages", "dlp_site.cli"}


def test_only_the_driver_and_the_hooks_import_mkdocs():
    importers = {name for name, path in modules().items()
                 if any(m == "mkdocs" or m.startswith("mkdocs.") for m in imports(name, path))}
    assert importers == MKDOCS_IMPORTERS


def test_no_module_is_too_long():
    long = {name: n for name, path in modules().items() if (n := len(path.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def test_the_stages_are_folders():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    # project/ is beside cli.py: the files of a new council's project (workbook, scaffold).
    assert folders == {"data", "model", "content", "render", "site", "project"}
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top == {"__init__", "__main__", "cli", "errors", "pipeline", "newsletter"}
