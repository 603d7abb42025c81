"""GraphML: flat values that Cytoscape and Gephi open; lists and mappings travel as JSON text.

The graph records which attributes are JSON text, so reading the file back is exact.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import SeedError
from .nodelink import SCHEMA_VERSION


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


def write_graphml(g: nx.MultiDiGraph, path: Path) -> None:
    """Write GraphML through networkx."""
    nx.write_graphml(_graphml_graph(g), path, encoding="utf-8", prettyprint=True)


def read_graphml(path: Path) -> nx.MultiDiGraph:
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
