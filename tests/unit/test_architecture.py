"""The layers point one way (docs/architecture.md): an import that points up, or a cycle between
modules, fails here. The graph is read with ``ast`` from the source, lazy imports included.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

PACKAGE = "socializioz"
SOURCE = Path(__file__).resolve().parents[2] / PACKAGE

# A layer may import only layers of a lower rank (and itself).
RANK: dict[str, int] = {
    "domain": 0,
    "settings": 0,
    "routes": 0,
    "logredact": 0,  # the log filter: plain regexes, used by integrations and installed by the app module
    "i18n": 1,
    "models": 1,
    "db": 1,
    "security": 2,
    "integrations": 3,  # above security: the sandbox signs its tenants with the app's keyring
    "services": 4,
    "state": 5,
    "web": 5,
    "scheduler": 5,  # wires the refresh job (a service) to APScheduler, like web wires routes
    "components": 6,
    "pages": 7,
    "cli": 8,
    "socializioz": 8,  # the app module and the command line wire everything
}
# Leaves that import nothing of the app.
LEAVES = {"domain", "settings", "routes", "logredact"}
# The UI reaches the database only through services (they own the unit of work).
UI_MAY_NOT_IMPORT = {"state": {"db", "models"}, "components": {"db", "models"}, "pages": {"db", "models"}}


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else PACKAGE


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(tree: ast.AST, module: str, is_package: bool) -> Iterable[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # "from socializioz.pages import routes" imports a submodule; ``import_graph`` folds
            # names that are not modules ("from x import func") back onto their module.
            yield from (f"{target}.{alias.name}" for alias in node.names)


def import_graph(root: Path = SOURCE) -> dict[str, set[str]]:
    """module -> the app modules it imports (anywhere in its body)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        module = _module_name(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets = {
            t for t in _imports(tree, module, path.name == "__init__.py") if t == PACKAGE or t.startswith(PACKAGE + ".")
        }
        graph[module] = targets - {module}
    known = set(graph)
    # "from socializioz.services import auth" names a module; "from socializioz.x import func" does not.
    return {m: {t if t in known else t.rsplit(".", 1)[0] for t in ts} - {m} for m, ts in graph.items()}


def layer_violations(graph: Mapping[str, set[str]]) -> list[str]:
    problems = []
    for module, targets in graph.items():
        source = layer_of(module)
        for target in targets:
            dest = layer_of(target)
            if dest == source or target == PACKAGE:
                continue
            if source not in RANK or dest not in RANK:
                problems.append(f"{module} -> {target}: layer {source if source not in RANK else dest!r} has no rank")
            elif source in LEAVES:
                problems.append(f"{module} -> {target}: {source} imports nothing of the app")
            elif RANK[dest] >= RANK[source]:
                problems.append(f"{module} -> {target}: {source} may not import {dest} (points up or sideways)")
            elif dest in UI_MAY_NOT_IMPORT.get(source, set()):
                problems.append(f"{module} -> {target}: {source} reaches the database only through services")
    return sorted(problems)


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in graph:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_layers_point_one_way() -> None:
    assert layer_violations(import_graph()) == []


def test_no_import_cycles_between_modules() -> None:
    assert cycles(import_graph()) == []


def test_every_layer_has_a_rank() -> None:
    assert {layer_of(m) for m in import_graph()} <= set(RANK)


@pytest.mark.parametrize(
    ("module", "target"),
    [
        ("socializioz.state.accounts", "socializioz.pages.connections"),  # state -> pages
        ("socializioz.domain.plans", "socializioz.services.auth"),  # domain imports the app
        ("socializioz.services.connect", "socializioz.state.session"),  # services -> state
        ("socializioz.state.accounts", "socializioz.db"),  # UI -> database
    ],
)
def test_the_checker_catches_an_upward_import(module: str, target: str) -> None:
    graph = {module: {target}, target: set()}
    assert layer_violations(graph), f"{module} -> {target} should be refused"


def test_the_checker_catches_a_cycle() -> None:
    graph = {"socializioz.state.a": {"socializioz.state.b"}, "socializioz.state.b": {"socializioz.state.a"}}
    assert cycles(graph) == [["socializioz.state.a", "socializioz.state.b"]]


def test_the_graph_reads_relative_and_lazy_imports(tmp_path: Path) -> None:
    package = tmp_path / PACKAGE
    (package / "state").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "state" / "__init__.py").write_text("")
    (package / "pages.py").write_text("")
    (package / "state" / "a.py").write_text("from . import b\n\ndef f():\n    from socializioz import pages\n")
    (package / "state" / "b.py").write_text("")
    graph = import_graph(package)
    assert graph["socializioz.state.a"] == {"socializioz.state.b", "socializioz.pages"}
