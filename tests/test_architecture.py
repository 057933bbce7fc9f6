"""The package's rooms and their order (docs/architecture.md): a lower room never imports a higher one.

Imports are read from the source with :mod:`ast`, those inside functions
included, so that a lazy import cannot hide a dependency; imports for type
checkers only (under ``if TYPE_CHECKING:``) are left out, as they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "unadocs"

#: Each room and its floor: a module may import modules of its own floor's room or of lower floors, never higher.
#: certificate, export and seal share a floor but not a room: none of them imports another (DESIGN.md).
FLOORS = {
    "unadocs._version": 0, "unadocs.errors": 0, "unadocs.files": 0, "unadocs.filenames": 0, "unadocs.resources": 0,
    "unadocs.model": 1,
    "unadocs.checks": 2, "unadocs.catalogs": 2, "unadocs.load": 2, "unadocs.summary": 2, "unadocs.schema": 2, "unadocs.starter": 2,
    "unadocs.record": 3, "unadocs.agreement": 3,
    "unadocs.certificate": 4, "unadocs.export": 4, "unadocs.seal": 4,
    "unadocs.verifier": 5, "unadocs.issuing": 5,
    "unadocs._progress": 6, "unadocs.cli": 7,
    "unadocs": 8,
}
#: Rooms on one floor that must not import each other.
APART = {4}


def module_names() -> dict[str, Path]:
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def runtime_imports(path: Path, known: set[str]) -> set[str]:
    """The package's modules that ``path`` imports when it runs, wherever the import statement stands."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module:
                found.add(child.module)
                found.update(f"{child.module}.{alias.name}" for alias in child.names)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {name for name in found if name in known}


def graph() -> dict[str, set[str]]:
    names = module_names()
    return {name: runtime_imports(path, set(names)) - {name} for name, path in names.items()}


def room(module: str) -> str:
    return max((prefix for prefix in FLOORS if module == prefix or module.startswith(prefix + ".")), key=len)


def test_every_module_has_a_room() -> None:
    assert all(room(name) for name in module_names())


def test_no_module_imports_a_higher_room_or_a_room_beside_it() -> None:
    wrong = []
    for module, imported in graph().items():
        for other in imported:
            mine, theirs = room(module), room(other)
            if FLOORS[theirs] > FLOORS[mine] or (mine != theirs and FLOORS[mine] == FLOORS[theirs] in APART):
                wrong.append(f"{module} -> {other}")
    assert sorted(wrong) == []


def test_the_import_graph_is_read_correctly() -> None:
    """The checker sees imports inside functions and ignores those for type checkers only."""
    imported = graph()
    assert "unadocs.issuing.run" in imported["unadocs.issuing.api"]  # a module-level import
    assert "unadocs.certificate.render" in imported["unadocs.issuing.run"]  # imported inside a function
    assert "unadocs.issuing.run" not in imported["unadocs.record"]
    assert "unadocs.record" not in imported["unadocs.model.rules"]
    assert "unadocs.model.consortium" not in imported["unadocs.model.rules"]  # only under TYPE_CHECKING


def test_no_import_cycle_between_modules() -> None:
    """No module reaches itself through its imports (Tarjan's strongly connected components of the graph)."""
    imports = graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:  # recursion depth is the length of an import chain: a few dozen
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(imports[module]):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(imports):
        if module not in index:
            visit(module)
    assert cycles == []
