"""Node-link JSON: the graph with every attribute, nodes and edges in a fixed order, and back.

The file is networkx's node-link format as `networkx.node_link_graph` reads it without options:
`directed` and `multigraph` are true, each edge carries its `key` (the relation, which is also
its `relation`), so `nx.node_link_graph(json.load(f))` gives the same MultiDiGraph as
`mechgraph --from FILE` (less the `id` networkx moves out of each node's attributes).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import GraphFileError

NODE_CORE = ("id", "name", "kind", "name_zh", "synonyms", "xrefs", "category", "description")
EDGE_CORE = ("source", "target", "key", "relation", "sign", "evidence", "refs", "level")
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
        row = {"source": u, "target": v, "key": k, "relation": k}
        row.update({key: a.get(key) for key in EDGE_CORE[4:]})
        row.update({key: a[key] for key in sorted(a) if key not in EDGE_CORE})
        edges.append(row)
    axes = g.graph.get("axes") or {}
    axes = {k: dict(sorted(axes[k].items())) for k in sorted(axes)}
    meta = {"name": g.graph.get("name", "mechgraph"), "schema_version": SCHEMA_VERSION, "axes": axes}
    return {"directed": True, "multigraph": True, "graph": meta, "nodes": nodes, "edges": edges}


def write_json(g: nx.MultiDiGraph, path: Path) -> None:
    """Write node-link JSON (one attribute per line, UTF-8, Chinese names as they are)."""
    path.write_text(json.dumps(to_node_link(g), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def read_json(path: Path) -> nx.MultiDiGraph:
    """Read node-link JSON back; a node id or an edge (source, relation, target) given twice is an
    error, not a silent merge (mechgraph.io.verify checks the types afterwards)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise GraphFileError([f"{path}:1: not valid UTF-8"]) from None
    except json.JSONDecodeError as e:
        raise GraphFileError([f"{path}:{e.lineno}: invalid JSON: {e.msg}"]) from None
    except RecursionError:
        raise GraphFileError([f"{path}:1: JSON nested too deeply to be a mechgraph export"]) from None
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list) or not isinstance(data.get("edges"), list):
        raise GraphFileError([f"{path}:1: not a mechgraph export: expected an object with 'nodes' and 'edges' lists"])
    meta = data.get("graph") if isinstance(data.get("graph"), dict) else {}
    g = nx.MultiDiGraph(name=meta.get("name", "mechgraph"), axes=meta.get("axes") or {})
    problems = []
    for i, row in enumerate(data["nodes"]):
        if not isinstance(row, dict) or not isinstance(row.get("id"), str):
            problems.append(f"{path}:1: node #{i} has no string 'id'")
            continue
        if row["id"] in g:
            problems.append(f"{path}:1: node #{i}: id {row['id']!r} is given twice")
            continue
        g.add_node(row["id"])
        g.nodes[row["id"]].update({k: v for k, v in row.items() if v is not None})
    for i, row in enumerate(data["edges"]):
        if not isinstance(row, dict) or not all(isinstance(row.get(k), str) for k in ("source", "target", "relation")):
            problems.append(f"{path}:1: edge #{i} needs string 'source', 'target' and 'relation'")
            continue
        attrs = {k: v for k, v in row.items() if k not in ("source", "target", "key") and v is not None}
        if row.get("key") is not None and row["key"] != row["relation"]:
            problems.append(f"{path}:1: edge #{i} has key {row['key']!r}, not its relation {row['relation']!r} "
                            "(an edge is keyed by its relation)")
            continue
        missing = [end for end in ("source", "target") if row[end] not in g]
        for end in missing:
            problems.append(f"{path}:1: edge #{i} {end} {row[end]!r} is not a node")
        if missing:
            continue
        if g.has_edge(row["source"], row["target"], key=row["relation"]):
            problems.append(f"{path}:1: edge #{i} {row['source']} -{row['relation']}-> {row['target']} is given twice")
            continue
        g.add_edge(row["source"], row["target"], key=row["relation"])
        g.edges[row["source"], row["target"], row["relation"]].update(attrs)
    if problems:
        raise GraphFileError(problems[:50])
    return g
