"""Exports (node-link JSON, GraphML) and reading them back as the graph, losslessly.

GraphML holds only flat values, so list and mapping attributes are written as JSON text and
the graph records which attributes those are; Cytoscape and Gephi open the file as it is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from . import schema
from .errors import ExportError, SeedError

FORMATS = ("json", "graphml")
NODE_CORE = ("id", "name", "kind", "name_zh", "synonyms", "xrefs", "category", "description")
EDGE_CORE = ("source", "target", "relation", "sign", "evidence", "refs", "level")
SCHEMA_VERSION = 1


def to_node_link(g: nx.MultiDiGraph) -> dict[str, Any]:
    """The graph as node-link JSON with a fixed key order, nodes and edges sorted."""
    nodes = []
    for n in sorted(g.nodes):
        a = g.nodes[n]
        row: dict[str, Any] = {k: a.get(k) for k in NODE_CORE}
        row["id"] = n
        row.update({k: a[k] for k in sorted(a) if k not in NODE_CORE})
        nodes.append(row)
    edges = []
    for u, v, k in sorted(g.edges(keys=True)):
        a = g.edges[u, v, k]
        row = {"source": u, "target": v, "relation": k}
        row.update({key: a.get(key) for key in EDGE_CORE[3:]})
        row.update({key: a[key] for key in sorted(a) if key not in EDGE_CORE})
        edges.append(row)
    axes = g.graph.get("axes") or {}
    axes = {k: dict(sorted(axes[k].items())) for k in sorted(axes)}
    meta = {"name": g.graph.get("name", "mechgraph"), "schema_version": SCHEMA_VERSION, "axes": axes}
    return {"graph": meta, "nodes": nodes, "edges": edges}


def _graphml_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    flat = nx.MultiDiGraph()
    json_keys: set[str] = set()

    def flatten(prefix: str, attrs: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for k, v in sorted(attrs.items()):  # sorted: GraphML key order must not depend on the store
            if v is None:
                continue
            if isinstance(v, (list, dict, tuple)):
                out[k] = json.dumps(v, ensure_ascii=False)
                json_keys.add(f"{prefix}:{k}")
            else:
                out[k] = v
        return out

    for n in sorted(g.nodes):
        flat.add_node(n, **flatten("node", dict(g.nodes[n])))
    for u, v, k in sorted(g.edges(keys=True)):
        attrs = flatten("edge", dict(g.edges[u, v, k]))
        attrs.setdefault("relation", k)
        flat.add_edge(u, v, key=k, **attrs)
    flat.graph["name"] = g.graph.get("name", "mechgraph")
    flat.graph["schema_version"] = SCHEMA_VERSION
    flat.graph["axes"] = json.dumps(g.graph.get("axes", {}), ensure_ascii=False, sort_keys=True)
    flat.graph["mechgraph_json_keys"] = json.dumps(sorted(json_keys))
    return flat


def export_graph(g: nx.MultiDiGraph, path: Path | str, fmt: str = "json") -> Path:
    """Write the graph to `path` as node-link JSON or GraphML; return the path written."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        if fmt == "json":
            tmp.write_text(json.dumps(to_node_link(g), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        else:
            nx.write_graphml(_graphml_graph(g), tmp, encoding="utf-8", prettyprint=True)
        tmp.replace(path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"{path}: cannot write: {e.strerror or e}") from None
    return path


def format_for(path: Path | str) -> str:
    """The export format implied by a file name."""
    suffix = Path(path).suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in (".graphml", ".xml"):
        return "graphml"
    raise ExportError(f"{path}: cannot tell the format from the extension; use .json or .graphml")


def read_graph(path: Path | str) -> nx.MultiDiGraph:
    """Read an exported JSON or GraphML file back into the mechanism graph, checking it."""
    path = Path(path)
    fmt = format_for(path)
    if not path.is_file():
        raise ExportError(f"{path}: no such file")
    if fmt == "json":
        g = _read_json(path)
    else:
        g = _read_graphml(path)
    _check(g, str(path))
    return g


def _read_json(path: Path) -> nx.MultiDiGraph:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise SeedError([f"{path}:1: not valid UTF-8"]) from None
    except json.JSONDecodeError as e:
        raise SeedError([f"{path}:{e.lineno}: invalid JSON: {e.msg}"]) from None
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list) or not isinstance(data.get("edges"), list):
        raise SeedError([f"{path}:1: not a mechgraph export: expected an object with 'nodes' and 'edges' lists"])
    meta = data.get("graph") if isinstance(data.get("graph"), dict) else {}
    g = nx.MultiDiGraph(name=meta.get("name", "mechgraph"), axes=meta.get("axes") or {})
    problems = []
    for i, row in enumerate(data["nodes"]):
        if not isinstance(row, dict) or not isinstance(row.get("id"), str):
            problems.append(f"{path}:1: node #{i} has no string 'id'")
            continue
        g.add_node(row["id"], **{k: v for k, v in row.items() if v is not None})
    for i, row in enumerate(data["edges"]):
        if not isinstance(row, dict) or not all(isinstance(row.get(k), str) for k in ("source", "target", "relation")):
            problems.append(f"{path}:1: edge #{i} needs string 'source', 'target' and 'relation'")
            continue
        attrs = {k: v for k, v in row.items() if k not in ("source", "target") and v is not None}
        for end in ("source", "target"):
            if row[end] not in g:
                problems.append(f"{path}:1: edge #{i} {end} {row[end]!r} is not a node")
        if problems and problems[-1].startswith(f"{path}:1: edge #{i} "):
            continue
        g.add_edge(row["source"], row["target"], key=row["relation"], **attrs)
    if problems:
        raise SeedError(problems[:50])
    return g


def _read_graphml(path: Path) -> nx.MultiDiGraph:
    try:
        flat = nx.read_graphml(path, force_multigraph=True)
    except Exception as e:  # the XML parser and networkx raise many types; all mean "unreadable"
        raise SeedError([f"{path}:1: not a readable GraphML file: {str(e).splitlines()[0] if str(e) else type(e).__name__}"]) from None
    try:
        json_keys = set(json.loads(flat.graph.get("mechgraph_json_keys", "[]")))
        axes = json.loads(flat.graph.get("axes", "{}"))
    except (TypeError, json.JSONDecodeError):
        raise SeedError([f"{path}:1: graph attributes are not mechgraph's"]) from None
    g = nx.MultiDiGraph(name=flat.graph.get("name", "mechgraph"), axes=axes)

    def unflatten(prefix: str, attrs: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for k, v in attrs.items():
            if f"{prefix}:{k}" in json_keys and isinstance(v, str):
                try:
                    out[k] = json.loads(v)
                except json.JSONDecodeError:
                    raise SeedError([f"{path}:1: attribute {k!r} is not valid JSON"]) from None
            else:
                out[k] = v
        return out

    for n, a in flat.nodes(data=True):
        g.add_node(n, **unflatten("node", a))
    for u, v, k, a in flat.edges(keys=True, data=True):
        attrs = unflatten("edge", a)
        attrs.pop("id", None)
        g.add_edge(u, v, key=attrs.get("relation", k), **attrs)
    return g


def _check(g: nx.MultiDiGraph, where: str) -> None:
    problems = []
    for n, a in g.nodes(data=True):
        kind = a.get("kind")
        if kind not in schema.ENTITY_KINDS:
            problems.append(f"{where}:1: node {n!r} has unknown kind {kind!r}")
        if not a.get("name"):
            problems.append(f"{where}:1: node {n!r} has no name")
        a.setdefault("id", n)
    for u, v, k, a in g.edges(keys=True, data=True):
        if k not in schema.RELATIONS:
            problems.append(f"{where}:1: edge {u} -{k}-> {v} has unknown relation {k!r}")
        ev = a.get("evidence")
        if not isinstance(ev, list) or not ev:
            problems.append(f"{where}:1: edge {u} -{k}-> {v} has no evidence")
    if problems:
        raise SeedError(problems[:50])
