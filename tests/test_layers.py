"""The package's imports run one way: commands → pipeline → targets → outputs → model → usage → sources → core."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "modelsync"
LAYERS = ("core", "sources", "usage", "model", "outputs", "targets", "pipeline", "commands", "cli")  # lowest first


def module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, name: str, modules: set[str]) -> set[str]:
    """The package's modules that one module imports, wherever the import stands (TYPE_CHECKING too)."""
    base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            start = ".".join(base[: len(base) - node.level + 1] if node.level else [])
            target = ".".join(p for p in (start, node.module or "") if p) if node.level else node.module or ""
            wanted = [f"{target}.{alias.name}" for alias in node.names] + [target]
        elif isinstance(node, ast.Import):
            wanted = [alias.name for alias in node.names]
        else:
            continue
        found |= {next((w for w in wanted if w in modules), "")} - {"", name}
    return found


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    paths = {module_name(p, package): p for p in package.rglob("*.py")}
    return {name: imported(path, name, set(paths)) for name, path in paths.items()}


def layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def upward(graph: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{a} -> {b}"
        for a, names in graph.items()
        for b in names
        if (layer(a) or 0) < (layer(b) or 0) and layer(a) is not None
    )


def test_no_module_imports_one_that_imports_it_back() -> None:
    try:
        tuple(TopologicalSorter(import_graph()).static_order())
    except CycleError as exc:
        pytest.fail(f"an import cycle: {' -> '.join(exc.args[1])}")


def test_no_import_points_back_up_the_pipeline() -> None:
    assert upward(import_graph()) == []


def test_the_package_top_shows_the_pipeline_in_a_few_modules() -> None:
    assert len([p for p in PACKAGE.glob("*.py") if p.name != "__init__.py"]) <= 10


def test_no_module_outgrows_300_lines() -> None:
    sizes = {
        str(p.relative_to(PACKAGE)): len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.rglob("*.py")
    }
    assert {path: n for path, n in sizes.items() if n > 300} == {}
