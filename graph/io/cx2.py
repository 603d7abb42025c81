"""CX2, the Cytoscape Exchange format of NDEx and Cytoscape, written and read through ndex2.

The file is built with `ndex2.cx2.CX2Network` (the NDEx team's own model) and read back with
`ndex2.cx2.RawCX2NetworkFactory`, so what NDEx and Cytoscape parse is what the tests parse.

Nodes carry `name`, `kind`, `category` (Biolink), `represents` (the node's CURIE), and every
other attribute of the graph; edges carry `interaction` (the relation), `sign` (+1, -1, 0),
`score` (the weight of the evidence), `level`, `supports`, `refs`, `dois` and the evidence records
as JSON text (`evidence_json`). Values Neo4j and CX2 cannot hold as they are (mappings, lists of
mappings) travel as JSON text under `<name>_json`, as in the Neo4j store (mechgraph.props), so
reading a file back gives the graph as it was written.

The visual style: one shape and colour per entity kind (the pictures' own, mechgraph.viz.style
has the same table), green arrows for activation (+1), red T-bars for inhibition (-1), grey
arrows for unsigned steps, wider lines for stronger evidence, and dotted lines for an edge no
record of which the review itself states (curator knowledge, a reference's title, a hypothesis).

The layout: each node's `x` and `y`, when the caller gives positions (`mechgraph export` passes
the map's own, the grouped layout `mechgraph viz` draws, with publications and trials in rows
below it), so Cytoscape and NDEx open the network as the map draws it. This layer cannot import
the pictures (mechgraph.viz sits above it), so the positions come in as an argument.

The network is named (`name`: the graph's name, or NETWORK_NAME for a graph that has none of its
own), with `description`, `version` (the mechgraph version that wrote it) and `source` (what the
graph was built from) attributes.

ndex2 is optional (`pip install 'mechgraph[exchange]'`) and imported only when CX2 is written or
read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from .. import edges as meaning
from .. import props, schema
from ..errors import ExportError, GraphFileError
from . import columns
from .nodelink import SCHEMA_VERSION

INSTALL_HINT = "pip install 'mechgraph[exchange]' (or: pip install ndex2)"
DEFAULT_GRAPH_NAME = "mechgraph"  # the name curation gives every graph it builds
NETWORK_NAME = "GCPM immunology mechanism graph (mechgraph)"
Positions = dict[Any, tuple[float, float]]

# kind -> (colour, CX2 node shape); the colours are the pictures' (mechgraph.viz.style)
KIND_LOOK: dict[str, tuple[str, str]] = {
    "cell_type": ("#1f6fb4", "ellipse"),
    "cell_state": ("#5bb8f0", "ellipse"),
    "tumour_cell": ("#4b2991", "ellipse"),
    "gene": ("#7b3fa0", "diamond"),
    "complex": ("#c39be0", "diamond"),
    "mirna": ("#e05fb8", "vee"),
    "cytokine": ("#f08c00", "triangle"),
    "chemical": ("#a08a00", "vee"),
    "process": ("#0ca5a5", "rectangle"),
    "disease": ("#7a0019", "octagon"),
    "phenotype": ("#e0356f", "octagon"),
    "therapy": ("#e8b000", "hexagon"),
    "therapy_class": ("#a6582a", "hexagon"),
    "clinical_trial": ("#5c6b7a", "round-rectangle"),
    "publication": ("#b4b4b4", "parallelogram"),
}
SIGN_LOOK = {1: ("#2b9348", "triangle"), -1: ("#d62828", "tee"), 0: ("#9aa0a6", "triangle")}
LEVEL_WIDTH = {"randomised_trial": 4.5, "nonrandomised_trial": 4.0, "observational_human": 3.0, "case_report": 2.75,
               "preclinical_in_vivo": 2.5, "in_vitro": 2.0, "expert_statement": 1.5}

NODE_COLUMNS = ("represents",)
EDGE_COLUMNS = ("interaction", "sign", "sign_symbol", "score", "supports", "stated_by_review")


def _ndex2_cx2():
    try:
        from ndex2 import cx2  # noqa: PLC0415 - optional and slow to import
    except ImportError:
        raise ExportError(f"CX2 needs the ndex2 package: {INSTALL_HINT}") from None
    return cx2


def _cx2_type(v: Any) -> str | None:
    """The CX2 data type of a value; None for an empty list (any list type fits it)."""
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer" if -(2**31) <= v < 2**31 else "long"
    if isinstance(v, float):
        return "double"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        inner = {_cx2_type(x) for x in v}
        if not inner:
            return None
        if inner == {"integer", "long"}:
            inner = {"long"}
        return f"list_of_{inner.pop()}" if len(inner) == 1 else "mixed"
    return "mixed"


def _declare(rows: list[dict[str, Any]]) -> tuple[dict[str, dict[str, str]], set[str]]:
    """Attribute declarations for one aspect, and the attributes that must travel as JSON text."""
    seen: dict[str, set[str | None]] = {}
    for row in rows:
        for k, v in row.items():
            seen.setdefault(k, set()).add(_cx2_type(v))
    decl: dict[str, dict[str, str]] = {}
    as_json: set[str] = set()
    for k, types in sorted(seen.items()):
        has_empty_list = None in types
        known = {t for t in types if t is not None}
        if known == {"integer", "long"}:
            known = {"long"}
        if not known:  # only empty lists
            decl[k] = {"d": "list_of_string"}
        elif (len(known) == 1 and "mixed" not in known
              and (not has_empty_list or next(iter(known)).startswith("list_of_"))):
            decl[k] = {"d": next(iter(known))}
        else:  # one name, several types: JSON text keeps each value as it is
            as_json.add(k)
    for k in as_json:
        decl[k + props.JSON_SUFFIX] = {"d": "string"}
    return decl, as_json


def _encode(row: dict[str, Any], as_json: set[str], decl: dict[str, dict[str, str]]) -> dict[str, Any]:
    out = {}
    for k, v in row.items():
        if k in as_json:
            out[k + props.JSON_SUFFIX] = json.dumps(v, ensure_ascii=False)
        else:
            out[k] = v
    return out


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("mechgraph")
    except PackageNotFoundError:
        return "unknown"


def to_cx2(g: nx.MultiDiGraph, positions: Positions | None = None, source: str | None = None) -> list[dict[str, Any]]:
    """The graph as CX2 (a list of aspects), built with ndex2's CX2Network; each node at its
    position where `positions` gives one."""
    cx2 = _ndex2_cx2()
    node_ids = {n: i for i, n in enumerate(sorted(g.nodes, key=str))}
    node_keys = {k for _, a in g.nodes(data=True) for k in a}
    edge_keys = {k for *_, a in g.edges(keys=True, data=True) for k in a} - {"sign"}
    node_cols = [c for c in NODE_COLUMNS if c not in node_keys]
    edge_cols = [c for c in EDGE_COLUMNS if c not in edge_keys]
    if "sign_symbol" not in edge_cols and "sign" in edge_cols:
        edge_cols.remove("sign")

    node_rows = []
    for n in node_ids:
        a = g.nodes[n]
        row = props.to_properties({k: v for k, v in a.items() if k != "id"})
        row["mechgraph_id"] = str(n)
        row.setdefault("name", str(n))
        row.setdefault("category", columns.biolink_category(a))
        curie = columns.represents(a)
        if curie and "represents" in node_cols:
            row["represents"] = curie
        node_rows.append(row)
    edge_rows, ends = [], []
    for u, v, k in sorted(g.edges(keys=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2]))):
        a = g.edges[u, v, k]
        row = props.edge_properties(dict(a))
        row.setdefault("relation", k)
        symbol = meaning.sign_symbol(a, k)
        supports = meaning.edge_supports(a)
        derived: dict[str, Any] = {
            "interaction": k,
            "sign": meaning.sign_int(symbol),
            "score": round(meaning.evidence_weight(a), 6),
            "supports": supports,
        }
        if "sign" in a:
            derived["sign_symbol"] = a["sign"]
        if supports:
            derived["stated_by_review"] = meaning.REVIEW_SUPPORT in supports
        row.update({c: derived[c] for c in edge_cols if c in derived})
        edge_rows.append(row)
        ends.append((node_ids[u], node_ids[v]))

    node_decl, node_json = _declare(node_rows)
    edge_decl, edge_json = _declare(edge_rows)
    net = cx2.CX2Network()
    graph_name = str(g.graph.get("name") or DEFAULT_GRAPH_NAME)
    meta: dict[str, Any] = {
        "name": NETWORK_NAME if graph_name == DEFAULT_GRAPH_NAME else graph_name,
        "description": "Signed, evidence-backed mechanism graph written by mechgraph "
                       "(sign: +1 activation, -1 inhibition, 0 unsigned; score: weight of the evidence; "
                       "node positions: the map mechgraph draws).",
        "version": _version(),
        "mechgraph_graph_name": graph_name,
        "mechgraph_schema_version": SCHEMA_VERSION,
        "mechgraph_axes": json.dumps(g.graph.get("axes") or {}, ensure_ascii=False, sort_keys=True),
        "mechgraph_added_columns": [f"node:{c}" for c in node_cols] + [f"edge:{c}" for c in edge_cols],
    }
    if source:
        meta["source"] = source
    net.set_attribute_declarations({"nodes": node_decl, "edges": edge_decl, "networkAttributes": {
        k: {"d": "list_of_string" if isinstance(v, list) else "integer" if isinstance(v, int) else "string"}
        for k, v in meta.items()
    }})
    net.set_network_attributes(meta)
    positions = positions or {}
    for i, (n, row) in enumerate(zip(node_ids, node_rows, strict=True)):
        x, y = positions.get(n, (None, None))
        net.add_node(node_id=i, attributes=_encode(row, node_json, node_decl), x=x, y=y)
    for i, (row, (s, t)) in enumerate(zip(edge_rows, ends, strict=True)):
        net.add_edge(edge_id=i, source=s, target=t, attributes=_encode(row, edge_json, edge_decl))
    net.set_visual_properties(visual_style())
    return net.to_cx2()


def visual_style() -> dict[str, Any]:
    """The CX2 visual properties: shape and colour by kind, colour and arrow by sign."""

    def discrete(attribute: str, kind: str, pairs: list[tuple[Any, Any]]) -> dict[str, Any]:
        return {"type": "DISCRETE", "definition": {"attribute": attribute, "type": kind,
                                                   "map": [{"v": v, "vp": vp} for v, vp in pairs]}}

    kinds = sorted(KIND_LOOK)
    signs = sorted(SIGN_LOOK)
    return {
        "default": {
            "network": {"NETWORK_BACKGROUND_COLOR": "#FFFFFF"},
            "node": {
                "NODE_SHAPE": "ellipse", "NODE_BACKGROUND_COLOR": "#888888", "NODE_WIDTH": 30, "NODE_HEIGHT": 30,
                "NODE_BORDER_WIDTH": 0, "NODE_LABEL_FONT_SIZE": 12, "NODE_LABEL_COLOR": "#1D1D1D",
                "NODE_LABEL_MAX_WIDTH": 120,
                "NODE_LABEL_POSITION": {"HORIZONTAL_ALIGN": "center", "VERTICAL_ALIGN": "top",
                                        "HORIZONTAL_ANCHOR": "center", "VERTICAL_ANCHOR": "bottom",
                                        "MARGIN_X": 0, "MARGIN_Y": 0, "JUSTIFICATION": "center"},
            },
            "edge": {
                "EDGE_LINE_COLOR": SIGN_LOOK[0][0], "EDGE_TARGET_ARROW_COLOR": SIGN_LOOK[0][0],
                "EDGE_TARGET_ARROW_SHAPE": "triangle", "EDGE_SOURCE_ARROW_SHAPE": "none",
                "EDGE_WIDTH": 1.5, "EDGE_LINE_STYLE": "solid", "EDGE_CURVED": True,
            },
        },
        "nodeMapping": {
            "NODE_LABEL": {"type": "PASSTHROUGH", "definition": {"attribute": "name", "type": "string"}},
            "NODE_SHAPE": discrete("kind", "string", [(k, KIND_LOOK[k][1]) for k in kinds]),
            "NODE_BACKGROUND_COLOR": discrete("kind", "string", [(k, KIND_LOOK[k][0]) for k in kinds]),
        },
        "edgeMapping": {
            "EDGE_LINE_COLOR": discrete("sign", "integer", [(s, SIGN_LOOK[s][0]) for s in signs]),
            "EDGE_TARGET_ARROW_COLOR": discrete("sign", "integer", [(s, SIGN_LOOK[s][0]) for s in signs]),
            "EDGE_TARGET_ARROW_SHAPE": discrete("sign", "integer", [(s, SIGN_LOOK[s][1]) for s in signs]),
            "EDGE_WIDTH": discrete("level", "string", sorted(LEVEL_WIDTH.items())),
            "EDGE_LINE_STYLE": discrete("stated_by_review", "boolean", [(True, "solid"), (False, "dotted")]),
        },
    }


def write_cx2(g: nx.MultiDiGraph, path: Path, *, positions: Positions | None = None, source: str | None = None) -> None:
    """Write CX2 JSON (NDEx, Cytoscape), through ndex2, with the node positions given."""
    data = to_cx2(g, positions, source)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def read_cx2(path: Path) -> nx.MultiDiGraph:
    """Read a CX2 file mechgraph wrote back into the graph, parsed by ndex2's RawCX2NetworkFactory."""
    cx2 = _ndex2_cx2()
    from ndex2.exceptions import NDExError  # noqa: PLC0415

    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        net = cx2.RawCX2NetworkFactory().get_cx2network(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, NDExError, TypeError, KeyError, AttributeError, ValueError) as e:
        raise GraphFileError([f"{path}:1: not a readable CX2 file: "
                              f"{str(e).splitlines()[0] if str(e) else type(e).__name__}"]) from None
    except RecursionError:
        raise GraphFileError([f"{path}:1: not a readable CX2 file: nested too deeply"]) from None
    meta = net.get_network_attributes()
    if not isinstance(meta, dict):
        raise GraphFileError([f"{path}:1: network attributes are not mechgraph's"])
    added_columns = meta.get("mechgraph_added_columns") or []
    added = set(added_columns) if isinstance(added_columns,
                                             list) and all(isinstance(c, str) for c in added_columns) else set()
    try:
        axes = json.loads(meta.get("mechgraph_axes") or "{}")
    except (json.JSONDecodeError, TypeError, RecursionError):
        raise GraphFileError([f"{path}:1: network attributes are not mechgraph's"]) from None
    g = nx.MultiDiGraph(name=meta.get("mechgraph_graph_name") or meta.get("name", DEFAULT_GRAPH_NAME), axes=axes)
    keys: dict[int, str] = {}
    problems: list[str] = []
    for nid, node in net.get_nodes().items():
        v = dict(node.get("v") or {}) if isinstance(node, dict) else {}
        key = v.pop("mechgraph_id", None)
        if key is None:
            raise GraphFileError([f"{path}:1: node {nid} has no mechgraph_id; not a CX2 file mechgraph wrote"])
        if not isinstance(key, str) or not key:
            problems.append(f"{path}:1: node {nid}: mechgraph_id must be text, not {key!r}")
            continue
        if key in g:
            problems.append(f"{path}:1: node {nid}: mechgraph_id {key!r} is given twice")
            continue
        for c in NODE_COLUMNS:
            if f"node:{c}" in added:
                v.pop(c, None)
        keys[nid] = key
        g.add_node(key)
        g.nodes[key].update(_from_properties(v, path, f"node {nid}"))
        g.nodes[key]["id"] = key
    for eid, edge in net.get_edges().items():
        v = dict(edge.get("v") or {}) if isinstance(edge, dict) else {}
        symbol = v.pop("sign_symbol", None) if "edge:sign_symbol" in added else None
        for c in EDGE_COLUMNS:
            if f"edge:{c}" in added:
                v.pop(c, None)
        attrs = _from_properties(v, path, f"edge {eid}", edge=True)
        if symbol is not None:
            attrs["sign"] = symbol
        relation = attrs.get("relation")
        if not isinstance(relation, str) or relation not in schema.RELATIONS:
            raise GraphFileError([f"{path}:1: edge {eid} has unknown relation {relation!r}"])
        ends = [edge.get(end) for end in ("s", "t")]
        missing = [str(x) for x in ends if x not in keys]
        if missing:
            problems.append(f"{path}:1: edge {eid} joins node {', '.join(missing)}, which is not in the file")
            continue
        u, t = keys[ends[0]], keys[ends[1]]
        if g.has_edge(u, t, key=relation):
            problems.append(f"{path}:1: edge {eid} {u} -{relation}-> {t} is given twice")
            continue
        g.add_edge(u, t, key=relation)
        g.edges[u, t, relation].update(attrs)
    if problems:
        raise GraphFileError(problems[:50])
    return g


def _from_properties(v: dict, path: Path, what: str, *, edge: bool = False) -> dict:
    """props.from_properties, with JSON text that does not parse as one clear problem."""
    try:
        return props.from_properties(v, edge=edge)
    except (json.JSONDecodeError, RecursionError, TypeError):
        raise GraphFileError([f"{path}:1: {what} has an attribute that is not the JSON mechgraph writes"]) from None
