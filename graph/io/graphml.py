"""GraphML for Cytoscape and Gephi: flat values, the columns Cytoscape users expect, and back.

Cytoscape (File > Import > Network from File) reads every GraphML key as a column. Besides the
graph's own attributes (lists and mappings travel as JSON text) each file carries:

- nodes: `name` (as in the graph) and `represents` (the node's CURIE, where it has one);
- edges: `name` (`source (interaction) target`), `interaction` (the relation), `sign` as an
  integer (+1, -1, 0; the graph's own symbol in `sign_symbol`), `score` as a double (the weight
  of the evidence, see mechgraph.io.columns) and `support` (how the edge is known).

Each edge's GraphML id is unique, `SOURCE--RELATION--TARGET` (a graph has one edge of a relation
between two nodes), so tools that key edges by id (igraph, Gephi) keep all of them. A node's `id`
attribute, always its GraphML id, is not written again as a data column: igraph takes node ids
into a vertex attribute named `id` and would warn about the clash. Reading the file back restores it.

The graph records which attributes are JSON text and which columns were added, so reading the
file back gives the graph exactly as it was written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from .. import edges as meaning
from ..errors import GraphFileError
from . import columns
from .nodelink import SCHEMA_VERSION

NODE_COLUMNS = ("represents",)
EDGE_COLUMNS = ("name", "interaction", "sign", "sign_symbol", "score", "support")


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

    # a column is added only where no node (edge) has an attribute of that name already
    node_keys = {k for _, a in g.nodes(data=True) for k in a}
    edge_keys = {k for *_, a in g.edges(keys=True, data=True) for k in a} - {"sign"}
    node_cols = [c for c in NODE_COLUMNS if c not in node_keys]
    edge_cols = [c for c in EDGE_COLUMNS if c not in edge_keys]
    if "sign_symbol" not in edge_cols:  # the graph's own sign would have nowhere to go
        edge_cols.remove("sign")
    names = {n: str(a.get("name") or n) for n, a in g.nodes(data=True)}

    for n in sorted(g.nodes):
        node = dict(g.nodes[n])
        if node.get("id") == n:  # the GraphML id says it; a data key `id` clashes in igraph
            del node["id"]
        attrs = flatten("node", node)
        if "represents" in node_cols:
            curie = columns.represents(g.nodes[n])
            if curie:
                attrs["represents"] = curie
        flat.add_node(n, **attrs)
    for u, v, k in sorted(g.edges(keys=True)):
        a = g.edges[u, v, k]
        attrs = flatten("edge", dict(a))
        attrs.setdefault("relation", k)
        symbol = meaning.sign_symbol(a, k)
        derived = {
            "name": columns.edge_name(names[u], k, names[v]),
            "interaction": k,
            "sign": meaning.sign_int(symbol),
            "score": round(meaning.evidence_weight(a), 6),
            "support": "; ".join(meaning.edge_supports(a)),
        }
        if "sign" in a:
            derived["sign_symbol"] = a["sign"]
        for c in edge_cols:
            if c in derived and (c != "support" or derived[c]):
                attrs[c] = derived[c]
        flat.add_edge(u, v, key=edge_id(u, k, v), **attrs)  # networkx writes the key as the edge's id
    flat.graph["name"] = g.graph.get("name", "mechgraph")
    flat.graph["schema_version"] = SCHEMA_VERSION
    flat.graph["axes"] = json.dumps(g.graph.get("axes", {}), ensure_ascii=False, sort_keys=True)
    flat.graph["mechgraph_json_keys"] = json.dumps(sorted(json_keys))
    flat.graph["mechgraph_added_columns"] = json.dumps([f"node:{c}" for c in node_cols]
                                                       + [f"edge:{c}" for c in edge_cols])
    return flat


def edge_id(u: Any, relation: str, v: Any) -> str:
    """An edge's GraphML id: unique, since a graph has one edge of a relation between two nodes."""
    return f"{u}--{relation}--{v}"


def write_graphml(g: nx.MultiDiGraph, path: Path) -> None:
    """Write GraphML through networkx, with Cytoscape's columns (typed `sign` and `score`)."""
    nx.write_graphml(_graphml_graph(g), path, encoding="utf-8", prettyprint=True)


def repeated_ids(path: Path) -> list[str]:
    """Problems (FILE:LINE) for node or edge ids a GraphML file gives twice: networkx would merge
    the two silently, keeping whichever came last."""
    import xml.parsers.expat

    seen: dict[tuple[str, str], int] = {}
    problems: list[str] = []
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")

    def start(tag: str, attrs: dict[str, str]) -> None:
        what = tag.rsplit(" ", 1)[-1]
        if what in ("node", "edge") and "id" in attrs:
            line = parser.CurrentLineNumber
            first = seen.setdefault((what, attrs["id"]), line)
            if first != line and len(problems) < 50:
                problems.append(f"{path}:{line}: {what} id {attrs['id']!r} is given twice (first on line {first})")

    parser.StartElementHandler = start
    try:
        with open(path, "rb") as f:
            parser.ParseFile(f)
    except xml.parsers.expat.ExpatError:
        return []  # networkx's reader names what is wrong with the XML
    return problems


def read_graphml(path: Path) -> nx.MultiDiGraph:
    """Read a GraphML file mechgraph wrote back into the graph, dropping the added columns; ids
    given twice, and the same edge (source, relation, target) twice, are refused."""
    repeated = repeated_ids(path)
    if repeated:
        raise GraphFileError(repeated)
    try:
        flat = nx.read_graphml(path, force_multigraph=True)
    except Exception as e:  # the XML parser and networkx raise many types; all mean "unreadable"
        raise GraphFileError([f"{path}:1: not a readable GraphML file: "
                              f"{str(e).splitlines()[0] if str(e) else type(e).__name__}"]) from None
    try:
        json_keys = set(json.loads(flat.graph.get("mechgraph_json_keys", "[]")))
        added = set(json.loads(flat.graph.get("mechgraph_added_columns", "[]")))
        axes = json.loads(flat.graph.get("axes", "{}"))
    except (TypeError, json.JSONDecodeError, RecursionError):
        raise GraphFileError([f"{path}:1: graph attributes are not mechgraph's"]) from None
    g = nx.MultiDiGraph(name=flat.graph.get("name", "mechgraph"), axes=axes)

    def unflatten(prefix: str, attrs: dict[str, Any]) -> dict[str, Any]:
        out = {}
        symbol = attrs.get("sign_symbol") if f"{prefix}:sign_symbol" in added else None
        for k, v in attrs.items():
            if f"{prefix}:{k}" in added:
                continue
            if f"{prefix}:{k}" in json_keys and isinstance(v, str):
                try:
                    out[k] = json.loads(v)
                except (json.JSONDecodeError, RecursionError):
                    raise GraphFileError([f"{path}:1: attribute {k!r} is not valid JSON"]) from None
            else:
                out[k] = v
        if symbol is not None:
            out["sign"] = symbol
        return out

    for n, a in flat.nodes(data=True):
        g.add_node(n, **{"id": n, **unflatten("node", a)})
    twice = []
    for u, v, k, a in flat.edges(keys=True, data=True):
        attrs = unflatten("edge", a)
        attrs.pop("id", None)
        relation = attrs.get("relation", k)
        if g.has_edge(u, v, key=relation):
            twice.append(f"{path}:1: edge {u} -{relation}-> {v} is given twice")
            continue
        g.add_edge(u, v, key=relation, **attrs)
    if twice:
        raise GraphFileError(twice[:50])
    return g
