"""The layout shows the architecture: data flows one way, module by module, with no cycle.

Every import of the package (function-level ones included, read with ``ast``) goes from a
stage to the same or an earlier one; within a stage no two modules import each other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "copgraph"

#: Stages in the order data flows through them; a module's stage is its first name part.
STAGES = [
    {"__init__", "namespaces"},
    {"records", "worker"},
    {"evidence"},
    {"build"},
    {"store"},
    {"catalog"},
    {"kg"},
    {"quality", "stats", "coverage", "output", "network", "ingest", "draft"},
    {"viz"},
    {"serve"},
    {"docs", "ontology_docs"},
    {"cli", "__main__"},
]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """The copgraph modules a file imports (``from copgraph import x`` counts as copgraph.x)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("copgraph")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "copgraph":
                found |= {f"copgraph.{a.name}" for a in node.names if a.name != "__version__"}
            elif node.module.startswith("copgraph."):
                found.add(node.module)
    return found


def stage_of(module: str) -> int:
    first = module.split(".")[1] if "." in module else "__init__"
    for rank, names in enumerate(STAGES):
        if first in names:
            return rank
    raise AssertionError(f"{module}: no stage; add it to STAGES in {__file__}")


def import_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for path in sorted(PACKAGE.rglob("*.py")):
        importer = module_name(path)
        graph.add_node(importer)
        for imported in imports_of(path):
            if imported != importer and not importer.startswith(imported + "."):
                graph.add_edge(importer, imported)
    return graph


def test_every_module_has_a_stage():
    for module in import_graph():
        stage_of(module)


@pytest.mark.parametrize("edge", sorted(import_graph().edges), ids=" -> ".join)
def test_no_module_imports_a_later_stage(edge):
    importer, imported = edge
    assert stage_of(imported) <= stage_of(importer), f"{importer} imports the later {imported}"


def test_no_import_cycle():
    cycles = list(nx.simple_cycles(import_graph()))
    assert not cycles, f"import cycles: {cycles}"


def test_the_check_sees_a_function_level_back_edge(tmp_path):
    """The check reads imports inside functions too, where the old back-edges hid."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "def f():\n    from copgraph.kg import open_graph\n    from copgraph import viz\n"
    )
    assert imports_of(probe) == {"copgraph.kg", "copgraph.viz"}
