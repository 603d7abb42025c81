"""What a picture holds, as data for the page: nodes with their place and wrapped label, edges
with their evidence, the lines that draw them and how each looks, and group frames.

The layout is chosen by what is drawn: paths (`highlight`) get `path_layout`, a neighbourhood
(`centre`) gets `focus_layout` (mechgraph.viz.layout), anything else `grouped_layout`
(mechgraph.viz.frames). Every position is computed here, in Python, so the same graph always
gives the same picture and labels have room; the page routes the lines between them
(assets/route.js) and physics stays off unless asked for.

The edges between two nodes in one direction share one drawn line (`links`) unless their signs
disagree. A line's look says how it is known: the sign gives its colour and head (green arrow
+, red bar -, grey arrow unsigned); structural links and associations are dashed; a line none of
whose records the review itself states (only curator knowledge, a reference's title or a
hypothesis) is dotted and lighter, and its tooltip says which; on the map, lines of a hub are
pale. Path steps keep their sign colour, drawn thicker; they, and every line of a neighbourhood,
carry their relation as a label, which the page places where it covers nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import networkx as nx

from .. import edges as edge_meaning
from .. import schema
from ..errors import MechGraphError
from . import layout
from .frames import grouped_layout
from .style import (
    _DEFAULT_STYLE,
    BUNDLE_MIN,
    HIGHLIGHT_COLOUR,
    HUB_DEGREE,
    KIND_STYLE,
    LARGE_GRAPH,
    MAX_ZOOM,
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
    around = centre is not None and centre in g and not any_hl
    boxes = layout.boxes_for(g)
    edge_list = sorted(g.edges(keys=True, data=True),
                       key=lambda e: (_node_sort_key(e[0]), _node_sort_key(e[1]), str(e[2])))
    is_hl = {(u, v, k): (u, v, k) in hl_edges or (u, v) in hl_pairs for u, v, k, _ in edge_list}
    labelled = any_hl or around  # relation labels: on the steps of paths, on every line of a neighbourhood
    degree = dict(g.degree())
    pair_count: dict[frozenset, int] = defaultdict(int)
    for u, v, _, _ in edge_list:
        pair_count[frozenset((ids[u], ids[v]))] += 1
    pair_seen: dict[frozenset, int] = defaultdict(int)
    edges = []
    for i, (u, v, k, d) in enumerate(edge_list):
        relation = str(d.get("relation") or k)
        rel = schema.RELATIONS.get(relation)
        sign = edge_meaning.sign_symbol(d, relation)
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
        supports = edge_meaning.edge_supports(d)
        if supports:
            rec["supports"] = supports
            if edge_meaning.REVIEW_SUPPORT not in supports:
                rec["unstated"] = 1
        if (rel and rel.structural) or relation == "associated_with":
            rec["dashed"] = 1
        pair = frozenset((ids[u], ids[v]))
        if pair_count[pair] > 1 or u == v:  # (drawn by vis-network only on large pages: bowed apart)
            pair_seen[pair] += 1
            rec["curve"] = round(0.12 + 0.18 * (pair_seen[pair] - 1), 2)
        if is_hl[(u, v, k)]:
            rec["hl"] = 1
        edges.append(rec)

    hubs = set() if (any_hl or around) else {ids[n] for n in order if degree.get(n, 0) >= HUB_DEGREE}
    links = _links(edges, labelled=labelled, path_view=any_hl, centre=ids.get(centre), hubs=hubs)
    frames: list[dict[str, Any]] = []
    widest = max((layout.text_width(ln["label"], layout.EDGE_FONT_PX) for ln in links if ln.get("label")), default=0.0)
    if any_hl:
        paths = [[tuple(s) for s in p if tuple(s)[0] in g and tuple(s)[1] in g] for p in highlight or []]
        positions = layout.path_layout(g, [p for p in paths if p], boxes, edge_label_w=widest)
    elif around:
        positions = layout.focus_layout(g, centre, boxes, gap=max(90.0, min(widest, 140.0) + 40))
    else:
        positions, frames = grouped_layout(g, boxes, by=group_by, titles=not large)

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

    use_physics = bool(physics)
    return {
        "nodes": nodes,
        "edges": edges,
        "links": links,
        "frames": frames,
        "style": {
            "kinds": {k: {"color": c, "shape": s} for k, (c, s) in KIND_STYLE.items()},
            "default": {"color": _DEFAULT_STYLE[0], "shape": _DEFAULT_STYLE[1]},
            "signs": SIGN_COLOURS,
            "highlight": HIGHLIGHT_COLOUR,
            "levels": schema.EVIDENCE_LEVELS,
            "species": getattr(schema, "SPECIES", {}),
            "supports": edge_meaning.SUPPORT_LABELS,
            "fontPx": layout.FONT_PX,
            "edgeFontPx": layout.EDGE_FONT_PX,
            "titlePx": layout.TITLE_PX,
            "titleLinePx": layout.TITLE_LINE_PX,
            "bundleMin": BUNDLE_MIN,
            "maxZoom": MAX_ZOOM,
        },
        "physics": use_physics,
        "large": large,
        "routed": not large and not use_physics,
        "dim": any_hl,
        "hubs": sorted(hubs),
        "physicsOptions": _physics_options(len(order)),
    }


def _links(edges: list[dict[str, Any]], *, labelled: bool, path_view: bool, centre: str | None,
           hubs: set[str]) -> list[dict[str, Any]]:
    """The lines the page draws: the edges between two nodes in one direction share one line,
    unless they disagree in sign (promotes and inhibits stay two lines); an unsigned edge joins
    the signed line beside it (nivolumab inhibits and targets PD-1: one red line). A line is
    dashed or dotted only when all its edges are; its label lists its relations (on a path
    picture, those of the path's steps)."""
    by_pair: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for e in edges:
        by_pair[(e["from"], e["to"])].append(e)
    links: list[dict[str, Any]] = []
    for (u, v), group in by_pair.items():
        signed = sorted({e["sign"] for e in group if e["sign"] in ("+", "-")})
        parts: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for e in group:
            key = e["sign"] if e["sign"] in ("+", "-") else (signed[0] if len(signed) == 1 else "0")
            parts[key].append(e)
        for key in sorted(parts):
            members = parts[key]
            link: dict[str, Any] = {"id": f"l{len(links)}", "from": u, "to": v, "edges": [e["id"] for e in members],
                                    "sign": key}
            if all(e.get("dashed") for e in members):
                link["dashed"] = 1
            if all(e.get("unstated") for e in members):
                link["unstated"] = 1
            link["strength"] = max(schema.EVIDENCE_LEVELS.get(e.get("level", ""), 1) for e in members)
            hl = [e for e in members if e.get("hl")]
            if hl:
                link["hl"] = 1
            if u in hubs or v in hubs:
                link["hub"] = 1
            shown = hl if path_view else members
            if labelled and shown:
                ordered = sorted(shown, key=lambda e: (e["sign"] not in ("+", "-"), e["relation"]))
                names = list(dict.fromkeys(e["relation"] for e in ordered))
                if len(names) > 1 and "associated_with" in names:  # a causal relation says more (the tooltip has both)
                    names.remove("associated_with")
                link["label"] = " / ".join(name.replace("_", " ") for name in names)  # "subtype of", as read aloud
            link["prio"] = 3 if hl else 2 if centre in (u, v) else 1 if link.get("label") else 0
            for e in members:
                e["link"] = link["id"]
            links.append(link)
    return links


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
