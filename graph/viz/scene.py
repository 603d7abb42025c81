"""What a picture holds, as data for the page: nodes with their place and wrapped label, edges
with their look and evidence, group frames, and the labels of highlighted steps.

The layout is chosen by what is drawn: paths (`highlight`) get `path_layout`, a neighbourhood
(`centre`) gets `focus_layout`, anything else `grouped_layout` (mechgraph.viz.layout). Every
position is computed here, in Python, so the same graph always gives the same picture and
labels have room; the browser only draws (physics stays off unless asked for).

An edge's look says how it is known: the sign gives its colour and head (green arrow +, red
bar -, grey arrow unsigned); structural links and associations are dashed; an edge none of whose
records the review itself states (only curator knowledge, a reference's title or a hypothesis)
is dotted and lighter, and its tooltip says which. Highlighted steps keep their sign colour,
drawn thicker, and carry their relation as a label placed where it covers no node.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import networkx as nx

from .. import schema
from ..errors import MechGraphError
from ..io import columns
from . import layout
from .style import (
    _DEFAULT_STYLE,
    HIGHLIGHT_COLOUR,
    KIND_STYLE,
    LARGE_GRAPH,
    PHYSICS,
    PHYSICS_SMALL,
    SIGN_COLOURS,
    SMALL_GRAPH,
)


def _node_sort_key(n: Any) -> tuple[str, str]:
    return (type(n).__name__, str(n))


def _str_list(v: Any) -> list[str]:
    if v is None:
        return []
    if isinstance(v, (list, tuple, set)):
        return [str(x) for x in v]
    return [str(v)]


def _opt_str(v: Any) -> str | None:
    return None if v is None or v == "" else str(v)


def highlight_sets(g: nx.MultiDiGraph, highlight: Sequence[Sequence[Sequence[str]]] | None):
    """The highlighted edges (exact, or any edge between the pair), and their nodes."""
    hl_edges: set[tuple[Any, Any, Any]] = set()
    hl_pairs: set[tuple[Any, Any]] = set()
    hl_nodes: set[Any] = set()
    for path in highlight or []:
        for step in path:
            if len(step) != 3:
                raise MechGraphError(f"a highlighted step must be (source, target, relation), got {step!r}")
            u, v, k = step
            hl_nodes.update(x for x in (u, v) if x in g)
            if g.has_edge(u, v, key=k):
                hl_edges.add((u, v, k))
            elif g.has_edge(u, v):
                hl_pairs.add((u, v))
    return hl_edges, hl_pairs, hl_nodes


def _evidence_items(d: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for ev in d.get("evidence") or []:
        if not isinstance(ev, dict):
            continue
        item = {}
        for key in ("ref", "doi", "species", "level", "summary", "model", "support", "locator"):
            s = _opt_str(ev.get(key))
            if s:
                item[key] = s
        figs = _str_list(ev.get("figures"))
        if figs:
            item["figures"] = figs
        out.append(item)
    return out


def page_data(
    g: nx.MultiDiGraph,
    *,
    highlight: list[list[tuple[str, str, str]]] | None = None,
    centre: Any = None,
    group_by: str = "axis",
    physics: bool | None = None,
) -> dict[str, Any]:
    """Everything page.js needs to draw `g`, positions included."""
    order = sorted(g.nodes, key=_node_sort_key)
    ids = {n: str(n) for n in order}
    large = len(order) > LARGE_GRAPH
    hl_edges, hl_pairs, hl_nodes = highlight_sets(g, highlight)
    any_hl = bool(hl_edges or hl_pairs or hl_nodes)
    boxes = layout.boxes_for(g)

    frames: list[dict[str, Any]] = []
    step_labels: list[tuple[Any, Any, str]] = []
    label_text = _step_label_texts(g, hl_edges, hl_pairs) if any_hl else {}
    if any_hl:
        step_labels = [(u, v, t) for (u, v), t in sorted(label_text.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1])))]
        widest = max((layout.text_width(t, layout.EDGE_FONT_PX) for *_, t in step_labels), default=0.0)
        paths = [[tuple(s) for s in p if tuple(s)[0] in g and tuple(s)[1] in g] for p in highlight or []]
        positions = layout.path_layout(g, [p for p in paths if p], boxes, edge_label_w=widest)
    elif centre is not None and centre in g:
        positions = layout.focus_layout(g, centre, boxes)
    else:
        positions, frames = layout.grouped_layout(g, boxes, by=group_by, titles=not large)
    # a highlighted step that would run over another node bows round it, its label on the curve
    step_curves: dict[tuple[Any, Any], tuple[float, bool]] = {}
    for u, v, _ in step_labels:
        others = [_symbol_rect(layout.node_rect(positions[n], boxes[n])) for n in g.nodes if n not in (u, v)]
        parallel = len(g[u][v]) if g.has_edge(u, v) else 0
        parallel += len(g[v][u]) if g.has_edge(v, u) else 0
        if parallel == 1:
            step_curves[(u, v)] = layout.clear_curve(positions[u], positions[v], others)
    label_at = layout.place_edge_labels(step_labels, positions, boxes, step_curves) if step_labels else {}

    rects = {n: layout.node_rect(positions[n], boxes[n]) for n in g.nodes} if not large else {}
    degree = dict(g.degree())
    nodes = []
    for n in order:
        d = g.nodes[n]
        box = boxes[n]
        rec: dict[str, Any] = {"id": ids[n], "name": str(d.get("name") or n), "kind": str(d.get("kind") or "")}
        for k in ("name_zh", "description"):
            s = _opt_str(d.get(k))
            if s:
                rec[k] = s
        for k in ("synonyms", "xrefs", "axes"):
            lst = _str_list(d.get(k))
            if lst:
                rec[k] = lst
        rec["deg"] = degree.get(n, 0)
        rec["label"] = "\n".join(box.lines)
        rec["size"] = box.size
        rec["box"] = [round(box.w, 1), round(box.below, 1)]
        if n in hl_nodes:
            rec["hl"] = 1
        if n == centre:
            rec["centre"] = 1
        x, y = positions[n]
        rec["x"], rec["y"] = x, y
        nodes.append(rec)

    edge_list = sorted(g.edges(keys=True, data=True), key=lambda e: (_node_sort_key(e[0]), _node_sort_key(e[1]), str(e[2])))
    pair_count: dict[frozenset, int] = defaultdict(int)
    for u, v, _, _ in edge_list:
        pair_count[frozenset((ids[u], ids[v]))] += 1
    pair_seen: dict[frozenset, int] = defaultdict(int)
    labelled: set[tuple[Any, Any]] = set()
    edges = []
    for i, (u, v, k, d) in enumerate(edge_list):
        relation = str(d.get("relation") or k)
        rel = schema.RELATIONS.get(relation)
        sign = columns.sign_symbol(d, relation)
        rec = {"id": f"e{i}", "from": ids[u], "to": ids[v], "relation": relation, "sign": sign}
        for key in ("level", "context", "direction"):
            s = _opt_str(d.get(key))
            if s:
                rec[key] = s
        refs = _str_list(d.get("refs"))
        if refs:
            rec["refs"] = refs
        evidence = _evidence_items(d)
        if evidence:
            rec["evidence"] = evidence
        supports = columns.edge_supports(d)
        if supports:
            rec["supports"] = supports
            if columns.REVIEW_SUPPORT not in supports:
                rec["unstated"] = 1
        if (rel and rel.structural) or relation == "associated_with":
            rec["dashed"] = 1
        pair = frozenset((ids[u], ids[v]))
        if pair_count[pair] > 1 or u == v:
            pair_seen[pair] += 1
            rec["curve"] = round(0.12 + 0.18 * (pair_seen[pair] - 1), 2)
        elif not large and (u, v, k) not in hl_edges and (u, v) not in hl_pairs and _aligned(positions[u], positions[v]) \
                and _runs_through_nodes(positions[u], positions[v], [r for n, r in rects.items() if n not in (u, v)]):
            rec["curve"] = 0.3  # along a row or column: bow round the nodes on the straight line
        if (u, v, k) in hl_edges or (u, v) in hl_pairs:
            rec["hl"] = 1
            roundness, clockwise = step_curves.get((u, v), (0.0, True))
            if roundness:
                rec["curve"] = roundness
                if not clockwise:
                    rec["ccw"] = 1
            pair_key = (u, v) if (u, v) in label_at else (v, u)
            if pair_key in label_at and pair_key not in labelled:
                labelled.add(pair_key)
                rec["label_at"] = list(label_at[pair_key])
                rec["label"] = label_text[pair_key]
        edges.append(rec)

    use_physics = bool(physics)
    return {
        "nodes": nodes,
        "edges": edges,
        "frames": frames,
        "style": {
            "kinds": {k: {"color": c, "shape": s} for k, (c, s) in KIND_STYLE.items()},
            "default": {"color": _DEFAULT_STYLE[0], "shape": _DEFAULT_STYLE[1]},
            "signs": SIGN_COLOURS,
            "highlight": HIGHLIGHT_COLOUR,
            "levels": schema.EVIDENCE_LEVELS,
            "species": getattr(schema, "SPECIES", {}),
            "supports": columns.SUPPORT_LABELS,
            "fontPx": layout.FONT_PX,
            "edgeFontPx": layout.EDGE_FONT_PX,
        },
        "physics": use_physics,
        "large": large,
        "dim": any_hl,
        "physicsOptions": _physics_options(len(order)),
    }


def _step_label_texts(g: nx.MultiDiGraph, hl_edges: set, hl_pairs: set) -> dict[tuple[Any, Any], str]:
    """One label per highlighted pair of nodes: its relations (both ways), e.g. `inhibits / targets`."""
    texts: dict[tuple[Any, Any], list[str]] = defaultdict(list)
    for u, v, k in sorted(hl_edges, key=lambda e: tuple(map(str, e))):
        key = (u, v) if (v, u) not in texts else (v, u)
        texts[key].append(str(g.edges[u, v, k].get("relation") or k))
    for u, v in sorted(hl_pairs, key=lambda e: tuple(map(str, e))):
        for k in sorted(g[u][v], key=str):
            texts[(u, v)].append(str(g.edges[u, v, k].get("relation") or k))
    return {key: " / ".join(dict.fromkeys(vals)) for key, vals in texts.items()}


def _symbol_rect(r: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The part of a node box an edge must not cross: the symbol and the label's upper lines."""
    x0, y0, x1, y1 = r
    return (x0 + (x1 - x0) * 0.15, y0, x1 - (x1 - x0) * 0.15, y0 + (y1 - y0) * 0.8)


def _aligned(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) < 12 or abs(a[1] - b[1]) < 12


def _runs_through_nodes(a: tuple[float, float], b: tuple[float, float], rects: list[tuple[float, float, float, float]]) -> bool:
    """Whether the straight segment a-b passes over the symbol of another node (its box's top
    part), as an edge between two nodes of one row or column does."""
    for x0, y0, x1, y1 in rects:
        sym = (x0 + (x1 - x0) * 0.25, y0, x1 - (x1 - x0) * 0.25, y0 + min(y1 - y0, 2 * (y1 - y0) / 3))
        if _segment_hits(a, b, sym):
            return True
    return False


def _segment_hits(a: tuple[float, float], b: tuple[float, float], r: tuple[float, float, float, float]) -> bool:
    """Liang-Barsky: does the segment a-b meet the rectangle r?"""
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - r[0]), (dx, r[2] - a[0]), (-dy, a[1] - r[1]), (dy, r[3] - a[1])):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def _physics_options(n: int) -> dict[str, Any]:
    """vis-network physics, used only when asked for (physics=True): force-directed from the
    computed layout, stabilised off-screen in capped iterations, then stopped."""
    return {
        "enabled": True,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": dict(PHYSICS_SMALL if n <= SMALL_GRAPH else PHYSICS),
        "maxVelocity": 60,
        "minVelocity": 1.5,
        "timestep": 0.45,
        "stabilization": {
            "enabled": True,
            "iterations": 1000 if n <= 120 else 600 if n <= LARGE_GRAPH else max(30, min(150, 300_000 // n)),
            "updateInterval": 50,
            "fit": True,
        },
    }
