"""The architecture, read from the source: layers that import only downwards, no circle, small
modules, a thin command line, pictures that draw what they are given, one home for the errors,
folders that say what they hold, and no path hacks or backend probes."""

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


def python_files() -> list[Path]:
    """Every Python file of the checkout: the package, the tests and their support, the benchmarks, the scripts."""
    return sorted(p for top in ("graph", "tests", "benchmarks", "scripts") for p in (ROOT / top).rglob("*.py"))


def test_no_module_over_800_lines():
    big = {str(p.relative_to(ROOT)): n for p in python_files()
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert big == {}


def folders() -> list[Path]:
    """The package's folders, the tests' support and the benchmarks: each a package with an __init__."""
    return [*sorted(p.parent for p in PACKAGE.rglob("__init__.py")), ROOT / "tests" / "support", ROOT / "benchmarks"]


def test_every_folder_says_what_lives_there():
    """Each folder's __init__ has a paragraph that names every module in it (as `name`)."""
    for folder in folders():
        doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8"))) or ""
        where = folder.relative_to(ROOT)
        assert len(doc.split()) >= 25, f"{where}/__init__.py needs a paragraph saying what lives there"
        if folder == PACKAGE:  # the top: its docstring lists the layers, README the modules
            continue
        unnamed = [p.stem for p in sorted(folder.glob("*.py")) if p.stem not in ("__init__", "__main__")
                   and f"`{p.stem}`" not in doc]
        assert unnamed == [], f"{folder.relative_to(ROOT)}/__init__.py does not name {unnamed}"


def public_names(package: str) -> set[str]:
    """The `__all__` of a package of mechgraph, read from its __init__ without importing it."""
    init = PACKAGE.joinpath(*package.split(".")[1:], "__init__.py")
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return {ast.literal_eval(e) for e in node.value.elts}
    return set()


def test_the_cli_only_formats():
    """The command line holds no analysis: its modules reach the rest of the package only through
    the public names of a folder (its __all__) and the top modules, and nothing below imports it."""
    folders_ = {module_name(p.parent / "__init__.py") for p in PACKAGE.glob("*/__init__.py")}
    tops = {name for name, path in modules().items() if path.parent == PACKAGE and path.stem != "__init__"}
    reaching_in = []
    for name, path in modules().items():
        if not name.startswith("mechgraph.cli"):
            continue
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not node.level:
                continue
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
            if target.startswith("mechgraph.cli") or target in tops:
                continue
            if target == "mechgraph":  # `from .. import schema`: top modules only
                bad = [a.name for a in node.names if f"mechgraph.{a.name}" not in tops]
            elif target in folders_:
                bad = [a.name for a in node.names if a.name not in public_names(target)]
            else:
                bad = ["(a module inside a folder)"]
            reaching_in += [(name, target, b) for b in bad]
    assert reaching_in == []
    importers = sorted(a for a, b in import_graph().edges if b.startswith("mechgraph.cli")
                       and not a.startswith("mechgraph.cli"))
    assert importers == ["mechgraph.__main__"]


def test_every_error_lives_in_errors_py():
    """One base and its subclasses, in one module: no error a user can get is defined elsewhere."""
    ours = {n.name for n in ast.parse((PACKAGE / "errors.py").read_text(encoding="utf-8")).body
            if isinstance(n, ast.ClassDef)}
    elsewhere = []
    for name, path in modules().items():
        if name == "mechgraph.errors":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(isinstance(b, ast.Name) and b.id in ours for b in node.bases):
                elsewhere.append(f"{name}.{node.name}")
    assert "MechGraphError" in ours and elsewhere == []


def test_no_import_path_hacks():
    """Imports work through the installed package and pytest's pythonpath: nothing edits sys.path or
    loads a file by its path."""
    hacks = []
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and node.attr == "path" and isinstance(node.value, ast.Name)
                    and node.value.id == "sys"):
                hacks.append(f"{path.relative_to(ROOT)}:{node.lineno}: sys.path")
            elif isinstance(node, ast.Attribute) and node.attr == "spec_from_file_location":
                hacks.append(f"{path.relative_to(ROOT)}:{node.lineno}: spec_from_file_location")
    assert hacks == []


def test_no_probes_of_backends():
    """What a backend can do is said by its protocol (store.protocol: Backend, BoundedBackend), never
    guessed with hasattr/getattr on it."""
    probes = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("hasattr", "getattr") and node.args):
                subject = ast.unparse(node.args[0])
                if "backend" in subject.lower():
                    probes.append(f"{name}:{node.lineno}: {ast.unparse(node)}")
    assert probes == []


def test_the_neo4j_backend_is_bounded_and_the_embedded_one_is_not():
    import networkx as nx

    from mechgraph.store import Backend, BoundedBackend
    from mechgraph.store.embedded import NetworkXBackend
    from mechgraph.store.neo4j_backend import Neo4jBackend

    members = [m for m in vars(BoundedBackend) if not m.startswith("_") and callable(getattr(BoundedBackend, m))]
    assert members and all(callable(getattr(Neo4jBackend, m, None)) for m in members)
    embedded = NetworkXBackend(nx.MultiDiGraph())
    assert isinstance(embedded, Backend) and not isinstance(embedded, BoundedBackend)


def test_no_backend_imports_another():
    g = import_graph()
    backends = {"mechgraph.store.embedded", "mechgraph.store.neo4j_backend", "mechgraph.store.neo4j_load"}
    embedded_to_neo4j = [(a, b) for a,
                         b in g.edges if a == "mechgraph.store.embedded" and b.startswith("mechgraph.store.neo4j")]
    neo4j_to_embedded = [(a, b) for a,
                         b in g.edges if a.startswith("mechgraph.store.neo4j") and b == "mechgraph.store.embedded"]
    assert backends <= set(g) and embedded_to_neo4j == [] and neo4j_to_embedded == []


def test_nothing_imports_a_top_level_graph_package():
    offenders = []
    for path in python_files():
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
    # (`from .. import x` names the package too)
    allowed = {"mechgraph", "mechgraph.schema", "mechgraph.edges", "mechgraph.errors", "mechgraph.fsio"}
    reaching_out = sorted(
        (a, b) for a, b in import_graph().edges
        if a.startswith("mechgraph.viz") and not b.startswith("mechgraph.viz") and b not in allowed
    )
    assert reaching_out == []
    assert "mechgraph.viz.views" not in modules()  # the application service lives above viz now
