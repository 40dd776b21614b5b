"""The kit's module graph: no import cycles, and writes interpreted in one place."""

from __future__ import annotations

import ast
from pathlib import Path

import conformance
from conformance.effects import Effect, effects_of

PACKAGE = Path(conformance.__file__).resolve().parent


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The conformance modules a file imports, `if TYPE_CHECKING:` included (a cycle all the same)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("conformance"):
            for alias in node.names:  # `from conformance.rules import patch` imports a module
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in modules else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("conformance"))
    return found


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_kit_has_no_import_cycles() -> None:
    paths = list(PACKAGE.rglob("*.py"))
    modules = {_module(path) for path in paths}
    graph = {_module(path): _imports(path, modules) - {_module(path)} for path in paths}
    done: set[str] = set()
    cycles = []

    def visit(module: str, trail: list[str]) -> None:
        for target in graph.get(module, ()):
            if target in trail:
                cycles.append(trail[trail.index(target):] + [target])
            elif target not in done:
                visit(target, [*trail, target])
        done.add(module)

    for module in graph:
        visit(module, [module])
    assert not cycles, cycles[:3]
    assert "conformance.context" not in graph["conformance.registry"]


def test_a_write_is_read_the_same_way_for_tracking_and_reproductions() -> None:
    created = effects_of("POST", "/models/", 201, None, {"name": "a"}, {"name": "a "})
    assert created == [Effect("created", "a"), Effect("created", "a ")]
    assert effects_of("POST", "/models/", 409, None, {"name": "a"}, None) == []
    assert effects_of("PATCH", "/models/{name}", 200, "a", {"name": "b"}, None) == [Effect("renamed", "b", old="a")]
    assert effects_of("PATCH", "/models/{name}", 200, "a", {"summary": "x"}, None) == []
    assert effects_of("PATCH", "/models/{name}", 409, "a", {"name": "b"}, None) == []
    assert effects_of("delete", "/models/{name}", 200, "a", None, None) == [Effect("deleted", "a")]
    assert effects_of("DELETE", "/models/{name}", 404, "a", None, None) == []
