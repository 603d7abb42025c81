"""The architecture drawn from the imports: layers that import only downwards, no circle, small modules."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

from tests.support.checkout import ROOT

PACKAGE = ROOT / "graph"
MAX_LINES = 800

# Lower numbers sit lower; a module may import its own layer's modules and any lower layer.
LAYERS = {
    "errors": 0, "schema": 0, "props": 0, "edges": 0, "fsio": 0,
    "curation": 1,
    "cypher": 2,
    "io": 3,
    "store": 4,
    "analysis": 5,
    "omics": 6,
    "viz": 7,
    "pipeline": 8, "views": 8,
    "cli": 9,
    "__main__": 10,
}


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = ["mechgraph", *rel.parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path) -> set[str]:
    """Every mechgraph module `path` imports, at module level or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("mechgraph"):
                out.add(target)
                for alias in node.names:  # `from . import schema` imports a module
                    out.add(f"{target}.{alias.name}")
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("mechgraph")}
    known = modules()
    return {t for t in out if t in known and t != name}


def layer(name: str) -> int | None:
    parts = name.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 1 else None


def import_graph() -> nx.DiGraph:
    g = nx.DiGraph()
    for name, path in modules().items():
        g.add_node(name)
        for target in imports_of(name, path):
            g.add_edge(name, target)
    return g


def test_every_module_has_a_layer():
    missing = [m for m in modules() if m != "mechgraph" and layer(m) is None]
    assert missing == [], f"give these a layer in LAYERS: {missing}"


def test_imports_only_run_downwards():
    upward = [
        (a, b) for a, b in import_graph().edges
        if layer(a) is not None and layer(b) is not None and layer(b) > layer(a)
    ]
    assert upward == []


def test_no_circle_of_imports():
    # package __init__ files re-export their modules: a module importing its own package's
    # __init__ is not a circle of ideas, so only module-to-module edges are checked
    g = import_graph()
    g.remove_nodes_from([n for n in list(g) if modules()[n].name == "__init__.py"])
    cycles = list(nx.simple_cycles(g))
    assert cycles == []


def test_no_module_over_800_lines():
    big = {name: n for name, path in modules().items() if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert big == {}


def test_every_subpackage_says_what_lives_there():
    for init in PACKAGE.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc.split()) >= 25, f"{init.relative_to(ROOT)} needs a paragraph saying what lives there"


def test_no_backend_imports_another():
    g = import_graph()
    backends = {"mechgraph.store.embedded", "mechgraph.store.neo4j_backend", "mechgraph.store.neo4j_load"}
    embedded_to_neo4j = [(a, b) for a, b in g.edges if a == "mechgraph.store.embedded" and b.startswith("mechgraph.store.neo4j")]
    neo4j_to_embedded = [(a, b) for a, b in g.edges if a.startswith("mechgraph.store.neo4j") and b == "mechgraph.store.embedded"]
    assert backends <= set(g) and embedded_to_neo4j == [] and neo4j_to_embedded == []


def test_nothing_imports_a_top_level_graph_package():
    offenders = []
    for path in list(PACKAGE.rglob("*.py")) + list((ROOT / "tests").glob("*.py")) + list((ROOT / "scripts").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] == "graph":
                offenders.append(str(path))
            elif isinstance(node, ast.Import) and any(a.name.split(".")[0] == "graph" for a in node.names):
                offenders.append(str(path))
    assert offenders == []


def test_viz_draws_what_it_is_given():
    """The pictures import no store, analysis, export or curation: `mechgraph.views` (above them)
    chooses what to draw and hands `viz` a graph; viz reads only the vocabulary, what an edge
    means (graph/edges.py), the errors, and the atomic writer every output goes through (fsio)."""
    allowed = {"mechgraph", "mechgraph.schema", "mechgraph.edges", "mechgraph.errors", "mechgraph.fsio"}  # (`from .. import x` names the package too)
    reaching_out = sorted(
        (a, b) for a, b in import_graph().edges
        if a.startswith("mechgraph.viz") and not b.startswith("mechgraph.viz") and b not in allowed
    )
    assert reaching_out == []
    assert "mechgraph.viz.views" not in modules()  # the application service lives above viz now
