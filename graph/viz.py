"""Pathway pictures: interactive, self-contained HTML views of the mechanism graph.

`select_subgraph` cuts the part of the graph a picture should show; `render_html` turns a graph
into one HTML document that works offline (vis-network is inlined from `graph/assets/`, the page
makes no request to any host); `write_html` writes it; `show` embeds it in Jupyter;
`density_warning` says when a picture will be too dense to read.

Safety: every string taken from the data reaches the page only as JSON inside
`<script type="application/json">` (with `<`, `>` and `&` escaped as `\\u003c` etc.) and is put into
the DOM with `textContent` only. A Content-Security-Policy allows only the page's own two scripts
(by hash) and no network access at all.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from . import schema
from .errors import MechGraphError

Edge = tuple[str, str, str]

# --------------------------------------------------------------------------------------------
# Look
# --------------------------------------------------------------------------------------------

# kind -> (colour, vis-network shape). Shapes with the label below the symbol only, so every
# kind reads the same way; kinds that share a shape differ clearly in colour.
KIND_STYLE: dict[str, tuple[str, str]] = {
    "cell_type": ("#1f6fb4", "dot"),
    "cell_state": ("#5bb8f0", "dot"),
    "gene": ("#7b3fa0", "diamond"),
    "complex": ("#c39be0", "diamond"),
    "mirna": ("#e05fb8", "triangleDown"),
    "cytokine": ("#f08c00", "triangle"),
    "chemical": ("#a08a00", "triangleDown"),
    "process": ("#0ca5a5", "square"),
    "disease": ("#7a0019", "star"),
    "phenotype": ("#e0356f", "star"),
    "therapy": ("#e8b000", "hexagon"),
    "therapy_class": ("#a6582a", "hexagon"),
    "clinical_trial": ("#5c6b7a", "square"),
    "publication": ("#b4b4b4", "dot"),
}
_DEFAULT_STYLE = ("#888888", "dot")

KIND_LABELS = {"mirna": "miRNA"}

SIGN_COLOURS = {"+": "#2b9348", "-": "#d62828", "0": "#9aa0a6"}
SIGN_LABELS = {"+": "promotes / activates (+)", "-": "inhibits / kills (−)", "0": "binds, targets, structural (0)"}
HIGHLIGHT_COLOUR = "#ff6a00"

LARGE_GRAPH = 300  # above this many nodes: layout computed in Python, physics off
DENSE_NODES = 400
DENSE_EDGES = 1000
DENSE_RATIO = 5.0  # edges per node
EDGE_LABELS_UP_TO = 60  # relation names drawn on edges only in small pictures (and on highlighted edges)
# vis-network forceAtlas2Based settings: compact for the whole graph, roomier up to 150 nodes
PHYSICS = {
    "gravitationalConstant": -75,
    "centralGravity": 0.03,
    "springLength": 70,
    "springConstant": 0.06,
    "damping": 0.5,
    "avoidOverlap": 0.6,
}
PHYSICS_SMALL = {**PHYSICS, "centralGravity": 0.012, "springLength": 110}
SMALL_GRAPH = 80
HUB_LABELS = 35  # this many best-connected nodes are labelled legibly even in the zoomed-out overview

_ASSET_JS = "vis-network.min.js"


# --------------------------------------------------------------------------------------------
# Selecting the part to draw
# --------------------------------------------------------------------------------------------


def _check_values(what: str, given: Iterable[str], valid: Iterable[str], plural: str | None = None) -> None:
    valid = list(valid)
    for v in given:
        if v not in valid:
            listed = ", ".join(valid) if valid else "(none)"
            raise MechGraphError(f"unknown {what} {v!r}; valid {plural or what + 's'}: {listed}")


def _hops(g: nx.MultiDiGraph, start: Iterable[Any], depth: int) -> set[Any]:
    """Nodes within `depth` hops of any start node, ignoring edge direction."""
    seen = set(start)
    frontier = deque((n, 0) for n in seen)
    while frontier:
        n, d = frontier.popleft()
        if d >= depth:
            continue
        for m in _neighbours(g, n):
            if m not in seen:
                seen.add(m)
                frontier.append((m, d + 1))
    return seen


def _neighbours(g: nx.MultiDiGraph, n: Any) -> Iterable[Any]:
    yield from g.successors(n)
    yield from g.predecessors(n)


def select_subgraph(
    g: nx.MultiDiGraph,
    *,
    around: str | None = None,
    depth: int = 1,
    kinds: list[str] | None = None,
    relations: list[str] | None = None,
    min_level: str | None = None,
    axis: str | None = None,
    paths: list[list[tuple[str, str, str]]] | None = None,
    path_context: int = 1,
) -> nx.MultiDiGraph:
    """The part of `g` a picture should show.

    Selectors (each narrows the node set; combined, they intersect):
      around  -- the node and everything within `depth` hops of it, ignoring direction;
      axis    -- nodes tagged with the axis, plus the endpoints of edges tagged with it; edges
                 tagged with the axis, plus untagged edges joining two such nodes;
      paths   -- the path edges and nodes, plus `path_context` hops around the path nodes.
    Filters (applied to what the selectors kept):
      kinds     -- keep only nodes of these kinds;
      relations -- keep only edges of these relations;
      min_level -- keep only edges whose best evidence level is at least this strong.
    A node left without edges by the edge filters (relations, min_level) is dropped too, unless
    it is the `around` node or on a path. Path nodes and edges are never filtered out.
    Unknown kind, relation, level, axis or node -> MechGraphError listing the valid values.
    """
    if isinstance(kinds, str):
        kinds = [kinds]
    if isinstance(relations, str):
        relations = [relations]
    if kinds is not None:
        _check_values("kind", kinds, schema.ENTITY_KINDS)
    if relations is not None:
        _check_values("relation", relations, schema.RELATIONS)
    if min_level is not None:
        _check_values("level", [min_level], schema.EVIDENCE_LEVELS)
    if axis is not None:
        known_axes = set(g.graph.get("axes") or {})
        known_axes |= {a for _, d in g.nodes(data=True) for a in d.get("axes") or []}
        known_axes |= {a for *_, d in g.edges(keys=True, data=True) for a in d.get("axes") or []}
        _check_values("axis", [axis], sorted(known_axes), "axes")
    if depth < 0 or path_context < 0:
        raise MechGraphError("depth and path_context must be 0 or more")

    nodes: set[Any] = set(g.nodes)
    edges: set[tuple[Any, Any, Any]] = set(g.edges(keys=True))
    keep_nodes: set[Any] = set()  # exempt from the filters
    keep_edges: set[tuple[Any, Any, Any]] = set()

    if around is not None:
        if around not in g:
            raise MechGraphError(f"no node with id {around!r}")
        nodes &= _hops(g, [around], depth)
        keep_nodes.add(around)

    if axis is not None:
        tagged_edges = {(u, v, k) for u, v, k, d in g.edges(keys=True, data=True) if axis in (d.get("axes") or [])}
        tagged_nodes = {n for n, d in g.nodes(data=True) if axis in (d.get("axes") or [])}
        axis_nodes = tagged_nodes | {u for u, _, _ in tagged_edges} | {v for _, v, _ in tagged_edges}
        untagged_inside = {
            (u, v, k)
            for u, v, k, d in g.edges(keys=True, data=True)
            if not d.get("axes") and u in tagged_nodes and v in tagged_nodes
        }
        nodes &= axis_nodes
        edges &= tagged_edges | untagged_inside

    if paths:
        path_edges: set[tuple[Any, Any, Any]] = set()
        for path in paths:
            for step in path:
                if len(step) != 3:
                    raise MechGraphError(f"a path step must be (source, target, relation), got {step!r}")
                u, v, k = step
                if not g.has_edge(u, v, key=k):
                    raise MechGraphError(f"the graph has no edge {u} -{k}-> {v}")
                path_edges.add((u, v, k))
        path_nodes = {u for u, _, _ in path_edges} | {v for _, v, _ in path_edges}
        nodes &= _hops(g, path_nodes, path_context)
        nodes |= path_nodes
        keep_nodes |= path_nodes
        keep_edges |= path_edges

    if kinds is not None:
        wanted = set(kinds)
        nodes = {n for n in nodes if n in keep_nodes or g.nodes[n].get("kind") in wanted}

    edges = {(u, v, k) for u, v, k in edges if u in nodes and v in nodes}
    before = {x for u, v, _ in edges for x in (u, v)}
    if relations is not None:
        wanted_rel = set(relations)
        edges = {e for e in edges if e in keep_edges or g.edges[e].get("relation", e[2]) in wanted_rel}
    if min_level is not None:
        floor = schema.EVIDENCE_LEVELS[min_level]
        edges = {
            e
            for e in edges
            if e in keep_edges or schema.EVIDENCE_LEVELS.get(g.edges[e].get("level", ""), 0) >= floor
        }
    edges |= keep_edges
    if relations is not None or min_level is not None:
        after = {x for u, v, _ in edges for x in (u, v)}
        nodes -= (before - after) - keep_nodes

    sub = nx.MultiDiGraph()
    sub.graph.update(g.graph)
    for n, d in g.nodes(data=True):
        if n in nodes:
            sub.add_node(n, **d)
    for u, v, k, d in g.edges(keys=True, data=True):
        if (u, v, k) in edges:
            sub.add_edge(u, v, key=k, **d)
    return sub


# --------------------------------------------------------------------------------------------
# Density
# --------------------------------------------------------------------------------------------


def density_warning(g: nx.MultiDiGraph) -> str | None:
    """One line saying the picture will be too dense to read, or None."""
    n, m = g.number_of_nodes(), g.number_of_edges()
    hint = "narrow it: around one node, by kind, relation, evidence level or axis"
    if n > DENSE_NODES:
        return f"{n} nodes and {m} edges are too many to read in one picture; {hint}"
    if m > DENSE_EDGES:
        return f"{m} edges are too many to read in one picture; {hint}"
    if n >= 20 and m / n > DENSE_RATIO:
        return f"{m / n:.1f} edges per node make a tangle that is hard to read; {hint}"
    return None


# --------------------------------------------------------------------------------------------
# Layout for large graphs (pure Python, deterministic, linear time)
# --------------------------------------------------------------------------------------------


def _radial_layout(order: list[Any], adj: dict[Any, list[Any]]) -> dict[Any, tuple[float, float]]:
    """Radial BFS-tree layout per connected component, components packed in rows.

    Cheap (O(nodes + edges)) and deterministic; used where force-directed layout in the browser
    would take too long. Neighbours end up in the same wedge, hubs in the middle.
    """
    index = {n: i for i, n in enumerate(order)}
    seen: set[Any] = set()
    comps: list[list[Any]] = []
    for n in order:
        if n in seen:
            continue
        comp, queue = [n], deque([n])
        seen.add(n)
        while queue:
            x = queue.popleft()
            for y in adj[x]:
                if y not in seen:
                    seen.add(y)
                    comp.append(y)
                    queue.append(y)
        comps.append(comp)

    sep, step = 46.0, 130.0
    placed: list[tuple[float, dict[Any, tuple[float, float]]]] = []
    for comp in comps:
        root = min(comp, key=lambda x: (-len(adj[x]), index[x]))
        parent = {root: None}
        children: dict[Any, list[Any]] = defaultdict(list)
        depth_of = {root: 0}
        bfs = [root]
        queue = deque([root])
        while queue:
            x = queue.popleft()
            for y in sorted(adj[x], key=index.__getitem__):
                if y not in parent:
                    parent[y] = x
                    depth_of[y] = depth_of[x] + 1
                    children[x].append(y)
                    bfs.append(y)
                    queue.append(y)
        weight = {}
        for x in reversed(bfs):
            weight[x] = max(1, sum(weight[c] for c in children[x]))
        ring_count: dict[int, int] = defaultdict(int)
        for x in bfs:
            ring_count[depth_of[x]] += 1
        radius = {0: 0.0}
        for d in range(1, max(ring_count) + 1):
            radius[d] = max(radius[d - 1] + step, ring_count[d] * sep / (2 * math.pi))
        wedge = {root: (0.0, 2 * math.pi)}
        pos = {}
        for x in bfs:
            a0, a1 = wedge[x]
            r = radius[depth_of[x]]
            mid = (a0 + a1) / 2
            pos[x] = (r * math.cos(mid), r * math.sin(mid))
            start = a0
            for c in children[x]:
                span = (a1 - a0) * weight[c] / weight[x]
                wedge[c] = (start, start + span)
                start += span
        placed.append((radius[max(ring_count)] + sep, pos))

    # shelf packing, biggest first
    placed.sort(key=lambda rp: -rp[0])
    total = sum((2 * r) ** 2 for r, _ in placed)
    width = max(2 * placed[0][0], math.sqrt(total) * 1.15) if placed else 0
    out: dict[Any, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for r, pos in placed:
        if x > 0 and x + 2 * r > width:
            x, y, row_h = 0.0, y + row_h, 0.0
        cx, cy = x + r, y + r
        for n, (px, py) in pos.items():
            out[n] = (round(cx + px, 1), round(cy + py, 1))
        x += 2 * r
        row_h = max(row_h, 2 * r)
    return out


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------


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


def _highlight_sets(g: nx.MultiDiGraph, highlight: Sequence[Sequence[Sequence[str]]] | None):
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


def _page_data(g: nx.MultiDiGraph, highlight, physics: bool | None) -> dict[str, Any]:
    order = sorted(g.nodes, key=_node_sort_key)
    ids = {n: str(n) for n in order}
    large = len(order) > LARGE_GRAPH
    use_physics = (not large) if physics is None else bool(physics)
    hl_edges, hl_pairs, hl_nodes = _highlight_sets(g, highlight)
    any_hl = bool(hl_edges or hl_pairs or hl_nodes)

    positions: dict[Any, tuple[float, float]] = {}
    if large or not use_physics:
        adj: dict[Any, list[Any]] = {n: [] for n in order}
        for u, v in g.edges():
            if u != v:
                adj[u].append(v)
                adj[v].append(u)
        positions = _radial_layout(order, adj)

    degree = dict(g.degree())
    nodes = []
    for n in order:
        d = g.nodes[n]
        kind = str(d.get("kind") or "")
        rec: dict[str, Any] = {
            "id": ids[n],
            "name": str(d.get("name") or n),
            "kind": kind,
        }
        for k in ("name_zh", "description"):
            s = _opt_str(d.get(k))
            if s:
                rec[k] = s
        for k in ("synonyms", "xrefs", "axes"):
            lst = _str_list(d.get(k))
            if lst:
                rec[k] = lst
        rec["deg"] = degree.get(n, 0)
        if n in hl_nodes:
            rec["hl"] = 1
        if n in positions:
            rec["x"], rec["y"] = positions[n]
        nodes.append(rec)

    edge_list = sorted(
        g.edges(keys=True, data=True), key=lambda e: (_node_sort_key(e[0]), _node_sort_key(e[1]), str(e[2]))
    )
    pair_count: dict[frozenset, int] = defaultdict(int)
    for u, v, _, _ in edge_list:
        pair_count[frozenset((ids[u], ids[v]))] += 1
    pair_seen: dict[frozenset, int] = defaultdict(int)
    edges = []
    for i, (u, v, k, d) in enumerate(edge_list):
        relation = str(d.get("relation") or k)
        rel = schema.RELATIONS.get(relation)
        sign = str(d.get("sign") or (rel.sign_symbol if rel else "0"))
        rec = {"id": f"e{i}", "from": ids[u], "to": ids[v], "relation": relation, "sign": sign}
        level = _opt_str(d.get("level"))
        if level:
            rec["level"] = level
        for key in ("context", "direction"):
            s = _opt_str(d.get(key))
            if s:
                rec[key] = s
        refs = _str_list(d.get("refs"))
        if refs:
            rec["refs"] = refs
        evidence = []
        for ev in d.get("evidence") or []:
            if not isinstance(ev, dict):
                continue
            item = {}
            for key in ("ref", "doi", "species", "level", "summary", "model"):
                s = _opt_str(ev.get(key))
                if s:
                    item[key] = s
            figs = _str_list(ev.get("figures"))
            if figs:
                item["figures"] = figs
            evidence.append(item)
        if evidence:
            rec["evidence"] = evidence
        if (rel and rel.structural) or relation == "associated_with":
            rec["dashed"] = 1
        pair = frozenset((ids[u], ids[v]))
        if pair_count[pair] > 1 or u == v:
            pair_seen[pair] += 1
            rec["curve"] = round(0.12 + 0.18 * (pair_seen[pair] - 1), 2)
        if (u, v, k) in hl_edges or (u, v) in hl_pairs:
            rec["hl"] = 1
        edges.append(rec)

    return {
        "nodes": nodes,
        "edges": edges,
        "style": {
            "kinds": {k: {"color": c, "shape": s} for k, (c, s) in KIND_STYLE.items()},
            "default": {"color": _DEFAULT_STYLE[0], "shape": _DEFAULT_STYLE[1]},
            "signs": SIGN_COLOURS,
            "highlight": HIGHLIGHT_COLOUR,
            "levels": schema.EVIDENCE_LEVELS,
            "species": getattr(schema, "SPECIES", {}),
        },
        "physics": use_physics,
        "large": large,
        "dim": any_hl,
        "edgeLabels": len(edges) <= EDGE_LABELS_UP_TO,
        "physicsOptions": _physics_options(len(order)),
        "hubLabels": HUB_LABELS,
    }


def _physics_options(n: int) -> dict[str, Any]:
    """vis-network physics: force-directed, stabilised off-screen in capped iterations, then stopped."""
    return {
        "enabled": True,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": dict(PHYSICS_SMALL if n <= SMALL_GRAPH else PHYSICS),
        "maxVelocity": 60,
        "minVelocity": 1.5,
        "timestep": 0.45,
        "stabilization": {
            "enabled": True,
            # physics is on for large graphs only when asked for; keep that bounded (~10 s at 5,000 nodes)
            "iterations": 1000 if n <= 120 else 600 if n <= LARGE_GRAPH else max(30, min(150, 300_000 // n)),
            "updateInterval": 50,
            "fit": True,
        },
    }


def _json_for_script(data: Any) -> str:
    """JSON safe to place inside <script type="application/json">: no <, >, & characters."""
    s = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return (
        s.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _vis_js() -> str:
    try:
        text = resources.files("graph").joinpath("assets", _ASSET_JS).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):  # fall back to the copy in the installed pyvis wheel
        text = (
            resources.files("pyvis")
            .joinpath("templates", "lib", "vis-9.1.2", _ASSET_JS)
            .read_text(encoding="utf-8")
        )
    # split on "\n" only: str.splitlines() would also cut at U+2028 etc. inside string literals
    lines = [ln for ln in text.split("\n") if not ln.startswith("//# sourceMappingURL=")]
    out = "\n".join(lines)
    if "</script" in out.lower():  # cannot happen with the vendored file; refuse rather than break the page
        raise MechGraphError("vis-network asset contains '</script'")
    return out


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _legend_symbol(shape: str, colour: str) -> str:
    c = html.escape(colour)
    body = {
        "dot": f'<circle cx="9" cy="9" r="6.5" fill="{c}"/>',
        "diamond": f'<polygon points="9,1.5 16.5,9 9,16.5 1.5,9" fill="{c}"/>',
        "square": f'<rect x="3" y="3" width="12" height="12" fill="{c}"/>',
        "triangle": f'<polygon points="9,2 16.5,15.5 1.5,15.5" fill="{c}"/>',
        "triangleDown": f'<polygon points="1.5,2.5 16.5,2.5 9,16" fill="{c}"/>',
        "star": f'<polygon points="9,1 11.1,6.3 16.6,6.5 12.3,10 13.8,15.5 9,12.4 4.2,15.5 5.7,10 1.4,6.5 6.9,6.3" '
        f'fill="{c}"/>',
        "hexagon": f'<polygon points="9,1.5 15.5,5.2 15.5,12.8 9,16.5 2.5,12.8 2.5,5.2" fill="{c}"/>',
    }.get(shape, f'<circle cx="9" cy="9" r="6.5" fill="{c}"/>')
    return f'<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">{body}</svg>'


def _legend_edge(colour: str, end: str, dashed: bool = False, width: float = 2.0) -> str:
    c = html.escape(colour)
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    if end == "bar":
        head = f'<line x1="29" y1="3" x2="29" y2="13" stroke="{c}" stroke-width="2.5"/>'
        x2 = 29
    elif end == "arrow":
        head = f'<polygon points="22,3.5 31,8 22,12.5" fill="{c}"/>'
        x2 = 23
    else:
        head, x2 = "", 31
    return (
        f'<svg width="34" height="16" viewBox="0 0 34 16" aria-hidden="true">'
        f'<line x1="2" y1="8" x2="{x2}" y2="8" stroke="{c}" stroke-width="{width}"{dash}/>{head}</svg>'
    )


def _legend_html(g: nx.MultiDiGraph, highlighted: bool) -> str:
    present = {str(d.get("kind") or "other") for _, d in g.nodes(data=True)}
    rows = []
    for kind in [k for k in KIND_STYLE if k in present] + sorted(present - set(KIND_STYLE)):
        colour, shape = KIND_STYLE.get(kind, _DEFAULT_STYLE)
        label = KIND_LABELS.get(kind, kind.replace("_", " "))
        rows.append(f"<li>{_legend_symbol(shape, colour)}<span>{html.escape(label)}</span></li>")
    signs = [
        f"<li>{_legend_edge(SIGN_COLOURS['+'], 'arrow')}<span>{html.escape(SIGN_LABELS['+'])}</span></li>",
        f"<li>{_legend_edge(SIGN_COLOURS['-'], 'bar')}<span>{html.escape(SIGN_LABELS['-'])}</span></li>",
        f"<li>{_legend_edge(SIGN_COLOURS['0'], 'arrow')}<span>{html.escape(SIGN_LABELS['0'])}</span></li>",
        f"<li>{_legend_edge(SIGN_COLOURS['0'], 'arrow', dashed=True)}"
        "<span>dashed: association or structural link</span></li>",
        f"<li>{_legend_edge('#666666', '', width=4)}<span>thicker: stronger evidence</span></li>",
    ]
    if highlighted:
        signs.append(f"<li>{_legend_edge(HIGHLIGHT_COLOUR, 'arrow', width=5)}<span>highlighted path</span></li>")
    return (
        '<details id="mg-legend" open><summary>Legend</summary>'
        f'<ul class="mg-kinds">{"".join(rows)}</ul><ul class="mg-signs">{"".join(signs)}</ul></details>'
    )


_CSS = """
*{box-sizing:border-box}
html,body{margin:0;height:100%;overflow:hidden;background:#fff;color:#222;
 font:14px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","Helvetica Neue",
 Arial,sans-serif}
#mg-network{position:absolute;inset:0;background:#fff}
#mg-network:focus{outline:none}
.vis-network{position:relative;overflow:hidden;touch-action:none}
.vis-network canvas{display:block}
div.vis-tooltip{display:none!important}
#mg-top{position:absolute;top:10px;left:10px;z-index:10;display:flex;flex-direction:column;gap:6px;max-width:360px}
#mg-title{margin:0;font-size:16px;font-weight:600;background:rgba(255,255,255,.9);padding:2px 6px;border-radius:4px}
#mg-count{display:block;font-weight:400;color:#666;font-size:12px}
#mg-bar{display:flex;gap:6px}
#mg-fit{padding:5px 10px;border:1px solid #aaa;border-radius:6px;background:#fff;font:inherit;font-size:12px;
 cursor:pointer}
#mg-search{width:270px;padding:6px 9px;border:1px solid #aaa;border-radius:6px;font:inherit;background:#fff}
#mg-results{list-style:none;margin:0;padding:0;background:#fff;border:1px solid #ccc;border-radius:6px;
 max-height:280px;overflow:auto;box-shadow:0 3px 10px rgba(0,0,0,.15)}
#mg-results:empty{display:none}
#mg-results li{padding:4px 9px;cursor:pointer;border-bottom:1px solid #eee}
#mg-results li:hover,#mg-results li.mg-active{background:#eef5ff}
#mg-results li small{color:#777;margin-left:6px}
#mg-legend{position:absolute;left:10px;bottom:10px;z-index:10;background:rgba(255,255,255,.93);border:1px solid #ddd;
 border-radius:6px;padding:6px 10px;font-size:12px;max-height:calc(100% - 120px);overflow:auto}
#mg-legend summary{cursor:pointer;font-weight:600}
#mg-legend ul{list-style:none;margin:4px 0 0;padding:0}
#mg-legend ul.mg-kinds{columns:2;column-gap:14px}
#mg-legend li{display:flex;align-items:center;gap:6px;margin:2px 0;break-inside:avoid}
#mg-legend ul.mg-signs{border-top:1px solid #e4e4e4;margin-top:6px;padding-top:4px}
#mg-tooltip{position:absolute;z-index:30;pointer-events:none;max-width:420px;background:#fffef6;
 border:1px solid #b9b59a;
 border-radius:5px;box-shadow:2px 3px 10px rgba(0,0,0,.2);padding:7px 9px;font-size:12.5px}
#mg-details{position:absolute;top:10px;right:10px;max-height:calc(100% - 20px);width:380px;z-index:20;overflow:auto;
 background:#fff;
 border:1px solid #ccc;border-radius:6px;box-shadow:0 3px 14px rgba(0,0,0,.18);padding:10px 12px;font-size:13px}
#mg-close{position:absolute;top:6px;right:8px;border:0;background:none;font-size:18px;cursor:pointer;color:#666}
[hidden]{display:none!important}
.mg-h{font-weight:600;font-size:14px;margin-bottom:3px;padding-right:18px}
.mg-kind{display:inline-block;padding:0 6px;border-radius:8px;color:#fff;font-size:11px;margin-right:4px}
.mg-row{margin:2px 0}.mg-row b{color:#555;font-weight:600;margin-right:4px}
.mg-ev{border-top:1px solid #eee;margin-top:5px;padding-top:4px}
.mg-ev .mg-meta{color:#555;font-size:11.5px}
.mg-muted{color:#777;font-size:11.5px}
#mg-status{position:absolute;top:50%;left:50%;transform:translate(-50%,-50%);z-index:5;color:#888;font-size:15px}
a{color:#1a5fb4}
"""

_JS = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("mg-data").textContent);
  var S = DATA.style;
  var t0 = performance.now();

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function hexA(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + ((n >> 16) & 255) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + a + ")";
  }
  function kindStyle(k) { return S.kinds[k] || S["default"]; }
  function levelText(l) {
    if (!l) return "";
    var s = S.levels[l];
    return l.replace(/_/g, " ") + (s ? " (" + s + "/5)" : "");
  }
  function doiLink(doi) {
    var a = el("a", null, "doi:" + doi);
    a.href = "https://doi.org/" + doi.split("/").map(encodeURIComponent).join("/");
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  function row(label, value) {
    var r = el("div", "mg-row");
    r.appendChild(el("b", null, label));
    if (value instanceof Node) r.appendChild(value); else r.appendChild(document.createTextNode(String(value)));
    return r;
  }

  var nodeById = {}, edgeById = {};
  DATA.nodes.forEach(function (n) { nodeById[n.id] = n; });
  DATA.edges.forEach(function (e) { edgeById[e.id] = e; });

  function nodeInfo(n, full) {
    var box = el("div");
    box.appendChild(el("div", "mg-h", n.name));
    var st = kindStyle(n.kind);
    var k = el("span", "mg-kind", n.kind === "mirna" ? "miRNA" : (n.kind || "?").replace(/_/g, " "));
    k.style.background = st.color;
    box.appendChild(k);
    if (n.name_zh) box.appendChild(row("Chinese", n.name_zh));
    if (n.synonyms) box.appendChild(row("synonyms", n.synonyms.join("; ")));
    if (n.xrefs) box.appendChild(row("xrefs", n.xrefs.join(", ")));
    if (n.description) box.appendChild(el("div", "mg-row", n.description));
    if (full) {
      box.appendChild(row("id", n.id));
      if (n.axes) box.appendChild(row("axes", n.axes.join(", ")));
      box.appendChild(row("links", n.deg));
    } else {
      box.appendChild(el("div", "mg-muted", "click for details"));
    }
    return box;
  }
  function edgeInfo(e, full) {
    var box = el("div");
    var a = nodeById[e.from], b = nodeById[e.to];
    var head = (a ? a.name : e.from) + "  \u2014" + e.relation + "\u2192  " + (b ? b.name : e.to);
    box.appendChild(el("div", "mg-h", head));
    box.appendChild(row("relation", e.relation + "  (sign " + e.sign + ")"));
    if (e.direction) box.appendChild(row("direction", e.direction));
    if (e.level) box.appendChild(row("evidence", levelText(e.level)));
    if (e.context) box.appendChild(row("context", e.context));
    var evs = e.evidence || [];
    var shown = full ? evs : evs.slice(0, 3);
    shown.forEach(function (ev) {
      var d = el("div", "mg-ev");
      var meta = el("div", "mg-meta");
      var bits = [];
      if (ev.ref) bits.push("ref " + ev.ref);
      if (ev.species) bits.push(ev.species.replace(/_/g, " "));
      if (ev.level) bits.push(levelText(ev.level));
      meta.textContent = bits.join(" \u00b7 ");
      d.appendChild(meta);
      if (ev.doi) { var p = el("div", "mg-meta"); p.appendChild(doiLink(ev.doi)); d.appendChild(p); }
      if (ev.summary) d.appendChild(el("div", null, ev.summary));
      if (full && ev.model) d.appendChild(el("div", "mg-muted", "model: " + ev.model));
      if (full && ev.figures) d.appendChild(el("div", "mg-muted", "figures: " + ev.figures.join(", ")));
      box.appendChild(d);
    });
    if (!full) {
      var more = evs.length > shown.length ? (evs.length - shown.length) + " more; " : "";
      box.appendChild(el("div", "mg-muted", more + "click for details and links"));
    }
    return box;
  }

  // ---- vis data ----
  var dim = DATA.dim;
  var LABEL_MAX = 30;
  var physics = DATA.physics;
  var visNodes = DATA.nodes.map(function (n) {
    var st = kindStyle(n.kind);
    var pub = n.kind === "publication";
    var root = Math.sqrt(n.deg || 0);
    var size = pub ? 7 : Math.min(30, 11 + 2.2 * root);
    // hubs get bigger labels, so zoomed out only they are labelled (drawThreshold), zoomed in all are
    var fsize = n.hl ? 18 : pub ? 10 : Math.min(20, 12 + 1.8 * root);
    var label = n.name.length > LABEL_MAX && !n.hl ? n.name.slice(0, LABEL_MAX - 1).trim() + "\u2026" : n.name;
    var faded = dim && !n.hl;
    var bg = faded ? hexA(st.color, 0.35) : st.color;
    var v = {
      id: n.id, label: label, shape: st.shape, size: size,
      color: { background: bg, border: n.hl ? S.highlight : bg,
               highlight: { background: st.color, border: "#222" }, hover: { background: st.color, border: "#444" } },
      borderWidth: n.hl ? 4 : 1,
      widthConstraint: { maximum: n.hl ? 230 : 170 },
      font: { color: faded ? "#8f8f8f" : "#1d1d1d", size: fsize }
    };
    if (n.x !== undefined) { v.x = n.x; v.y = n.y; }
    if (physics && !n.deg) v.physics = false;  // unlinked nodes go in a column beside the graph
    return v;
  });
  var visEdges = DATA.edges.map(function (e) {
    var c = S.signs[e.sign] || S.signs["0"];
    var strength = S.levels[e.level] || 1;
    var faded = dim && !e.hl;
    var col = e.hl ? S.highlight : (faded ? hexA(c, 0.28) : c);
    var v = {
      id: e.id, from: e.from, to: e.to,
      color: { color: col, highlight: e.hl ? S.highlight : c, hover: e.hl ? S.highlight : c, inherit: false },
      width: e.hl ? 5 : 0.6 + 0.45 * strength,
      dashes: e.dashed ? [5, 4] : false,
      arrows: { to: { enabled: true, type: e.sign === "-" ? "bar" : "arrow", scaleFactor: e.sign === "-" ? 0.8 : 0.6 } }
    };
    if (e.curve) v.smooth = { enabled: true, type: "curvedCW", roundness: e.curve };
    if (DATA.edgeLabels || e.hl) {
      v.label = e.relation;
      v.font = { size: e.hl ? 13 : 10, color: e.hl ? "#8a3a00" : "#666", strokeWidth: 3, strokeColor: "#fff",
                 align: "middle" };
    }
    return v;
  });

  var P = DATA.physicsOptions;
  var visById = {};
  visNodes.forEach(function (v) { visById[v.id] = v; });
  var options = {
    autoResize: true,
    layout: { randomSeed: 7, improvedLayout: physics && !DATA.large && DATA.nodes.length <= 250 },
    nodes: { font: { size: 14, face: "system-ui, sans-serif", strokeWidth: 4, strokeColor: "#ffffff" },
             widthConstraint: { maximum: 170 }, scaling: { label: { drawThreshold: 10 } } },
    edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 0.8 },
    interaction: { hover: true, tooltipDelay: 100000, hideEdgesOnDrag: DATA.large, hideEdgesOnZoom: DATA.large,
                   navigationButtons: false, keyboard: false, multiselect: false },
    physics: physics ? P : { enabled: false }
  };

  var container = document.getElementById("mg-network");
  var data = { nodes: new vis.DataSet(visNodes), edges: new vis.DataSet(visEdges) };
  var network = new vis.Network(container, data, options);
  window.mechgraphNetwork = network;

  var status = document.getElementById("mg-status");
  var settled = !physics;
  function markReady() {
    if (document.body.getAttribute("data-ready")) return;
    status.hidden = true;
    var ms = Math.round(performance.now());
    window.__mechgraph = { ready: true, drawnAt: ms, renderMs: Math.round(performance.now() - t0),
                           nodes: DATA.nodes.length, edges: DATA.edges.length };
    document.body.setAttribute("data-ready", "1");
  }
  function placeUnlinked() {
    var lone = DATA.nodes.filter(function (n) { return !n.deg; }).map(function (n) { return n.id; });
    if (!lone.length || lone.length === DATA.nodes.length) return;
    var pos = network.getPositions();
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    DATA.nodes.forEach(function (n) {
      if (!n.deg) return;
      var p = pos[n.id];
      x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y);
    });
    var dy = 46, dx = 150;
    var perCol = Math.max(1, Math.floor((y1 - y0) / dy) + 1);
    lone.forEach(function (id, i) {
      network.moveNode(id, x1 + 170 + dx * Math.floor(i / perCol), y0 + dy * (i % perCol));
    });
  }
  // fit the drawing into the part of the window the overlays (title, search, legend) leave free
  function fitView(animate) {
    var W = container.clientWidth, H = container.clientHeight, pad = 24;
    var left = 0;
    if (W >= 900) {
      var top = document.getElementById("mg-top"), legend = document.getElementById("mg-legend");
      left = Math.max(top.offsetWidth, legend.offsetWidth) + 20;
    }
    var pos = network.getPositions(), ids = Object.keys(pos);
    if (!ids.length) return;
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    ids.forEach(function (id) {
      var p = pos[id], v = visById[id];
      var half = v ? Math.max(v.size, Math.min(85, 0.3 * v.font.size * v.label.length)) : 25;
      x0 = Math.min(x0, p.x - half); x1 = Math.max(x1, p.x + half);
      y0 = Math.min(y0, p.y - (v ? v.size : 25)); y1 = Math.max(y1, p.y + (v ? v.size + 1.3 * v.font.size : 25));
    });
    var s = Math.min((W - left - 2 * pad) / Math.max(1, x1 - x0), (H - 2 * pad) / Math.max(1, y1 - y0), 1.2);
    network.moveTo({ position: { x: (x0 + x1) / 2 - left / 2 / s, y: (y0 + y1) / 2 }, scale: s,
                     animation: animate ? { duration: 300 } : false });
  }
  window.mechgraphFit = fitView;
  // in the overview, labels of the best-connected nodes (and of highlighted ones) are enlarged so
  // they read at >= 11.5 px; the rest appear as one zooms in (nodes.scaling.label.drawThreshold)
  function labelHubs() {
    var want = 11.5 / network.getScale();
    if (want > 32) return;
    var ranked = DATA.nodes.filter(function (n) { return n.kind !== "publication" && n.deg > 0; });
    ranked.sort(function (a, b) { return (b.deg - a.deg) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0); });
    var pick = ranked.slice(0, DATA.hubLabels).concat(DATA.nodes.filter(function (n) { return n.hl; }));
    var upd = [];
    pick.forEach(function (n) {
      var v = visById[n.id], f = Math.min(32, Math.max(v.font.size, want));
      if (f > v.font.size + 0.1) {
        v.font = { color: v.font.color, size: f };
        upd.push({ id: n.id, font: v.font });
      }
    });
    if (upd.length) { data.nodes.update(upd); fitView(false); }
  }
  document.getElementById("mg-fit").addEventListener("click", function () { fitView(true); });
  network.on("stabilizationIterationsDone", function () {
    network.setOptions({ physics: false });
    placeUnlinked();
    settled = true;
    fitView(false);
    labelHubs();
  });
  network.on("afterDrawing", function () { if (settled) markReady(); });
  if (!physics) { fitView(false); labelHubs(); }

  // ---- tooltip (own element, built with textContent) ----
  var tip = document.getElementById("mg-tooltip");
  var lastPointer = { x: 0, y: 0 };
  container.addEventListener("mousemove", function (ev) {
    var r = container.getBoundingClientRect();
    lastPointer = { x: ev.clientX - r.left, y: ev.clientY - r.top };
    if (!tip.hidden) placeTip();
  });
  function placeTip() {
    var w = container.clientWidth, h = container.clientHeight;
    var x = lastPointer.x + 14, y = lastPointer.y + 14;
    var tw = tip.offsetWidth, th = tip.offsetHeight;
    if (x + tw > w - 4) x = Math.max(4, lastPointer.x - tw - 14);
    if (y + th > h - 4) y = Math.max(4, lastPointer.y - th - 14);
    tip.style.left = x + "px"; tip.style.top = y + "px";
  }
  function showTip(content) { tip.replaceChildren(content); tip.hidden = false; placeTip(); }
  function hideTip() { tip.hidden = true; }
  network.on("hoverNode", function (p) { var n = nodeById[p.node]; if (n) showTip(nodeInfo(n, false)); });
  network.on("hoverEdge", function (p) { var e = edgeById[p.edge]; if (e) showTip(edgeInfo(e, false)); });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);

  // ---- details panel ----
  var panel = document.getElementById("mg-details");
  var panelBody = document.getElementById("mg-details-body");
  function showDetails(content) { panelBody.replaceChildren(content); panel.hidden = false; }
  document.getElementById("mg-close").addEventListener("click", function () {
    panel.hidden = true;
    network.unselectAll();
  });
  network.on("click", function (p) {
    hideTip();
    if (p.nodes.length) { showDetails(nodeInfo(nodeById[p.nodes[0]], true)); }
    else if (p.edges.length) { showDetails(edgeInfo(edgeById[p.edges[0]], true)); }
    else { panel.hidden = true; }
  });

  // ---- search ----
  var input = document.getElementById("mg-search");
  var results = document.getElementById("mg-results");
  var index = DATA.nodes.map(function (n) {
    var hay = [n.name, n.name_zh || "", n.id].concat(n.synonyms || []).join("\n").toLowerCase();
    return { n: n, hay: hay, name: n.name.toLowerCase() };
  });
  function search(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    var hits = index.filter(function (it) { return it.hay.indexOf(q) !== -1; });
    hits.sort(function (a, b) {
      var ra = a.name === q ? 0 : a.name.indexOf(q) === 0 ? 1 : a.name.indexOf(q) !== -1 ? 2 : 3;
      var rb = b.name === q ? 0 : b.name.indexOf(q) === 0 ? 1 : b.name.indexOf(q) !== -1 ? 2 : 3;
      return ra - rb || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    });
    return hits.map(function (it) { return it.n; });
  }
  function focusNode(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 400 } });
    showDetails(nodeInfo(nodeById[id], true));
    results.replaceChildren();
  }
  window.mechgraphFocus = focusNode;
  window.mechgraphSearch = function (q) { return search(q).map(function (n) { return n.id; }); };
  var current = [];
  input.addEventListener("input", function () {
    current = search(input.value).slice(0, 15);
    var items = current.map(function (n, i) {
      var li = el("li", i === 0 ? "mg-active" : null, n.name);
      li.setAttribute("data-id", n.id);
      var extra = [n.kind.replace(/_/g, " ")];
      if (n.name_zh) extra.push(n.name_zh);
      li.appendChild(el("small", null, extra.join(" \u00b7 ")));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); focusNode(n.id); });
      return li;
    });
    if (input.value.trim() && !items.length) items = [el("li", "mg-muted", "no match")];
    results.replaceChildren.apply(results, items);
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && current.length) { ev.preventDefault(); focusNode(current[0].id); }
    if (ev.key === "Escape") { input.value = ""; results.replaceChildren(); }
  });
})();
"""


def render_html(
    g: nx.MultiDiGraph,
    *,
    title: str = "mechgraph",
    highlight: list[list[tuple[str, str, str]]] | None = None,
    physics: bool | None = None,
) -> str:
    """One self-contained HTML document drawing `g` (deterministic for the same input).

    physics=None chooses by size: force-directed layout in the browser (settles, then stops) up
    to LARGE_GRAPH nodes, a precomputed layout without physics above. `highlight` is a list of
    paths, each a list of (source, target, relation) edges, drawn thicker in a distinct colour.
    """
    data = _page_data(g, highlight, physics)
    vis_js = _vis_js()
    csp = (
        "default-src 'none'; "
        f"script-src '{_sha256(vis_js)}' '{_sha256(_JS)}'; "
        "style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )
    n, m = len(data["nodes"]), len(data["edges"])
    count = f"{n} node{'s' if n != 1 else ''} · {m} edge{'s' if m != 1 else ''}"
    status = "laying out…" if data["physics"] else "drawing…"
    t = html.escape(str(title), quote=True)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(csp, quote=False)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="mechgraph">\n'
        f"<title>{t}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        '<div id="mg-network" role="img" aria-label="mechanism graph"></div>\n'
        f'<div id="mg-status">{status}</div>\n'
        '<div id="mg-top">'
        f'<h1 id="mg-title">{t}<span id="mg-count">{html.escape(count)}</span></h1>'
        '<div id="mg-bar"><input id="mg-search" type="search" placeholder="find a node by name or synonym" '
        'autocomplete="off" spellcheck="false" aria-label="find a node">'
        '<button id="mg-fit" type="button" title="fit the whole picture">fit</button></div>'
        '<ul id="mg-results" role="listbox"></ul></div>\n'
        f"{_legend_html(g, bool(data['dim']))}\n"
        '<aside id="mg-details" hidden><button id="mg-close" type="button" aria-label="close">×</button>'
        '<div id="mg-details-body"></div></aside>\n'
        '<div id="mg-tooltip" hidden></div>\n'
        f'<script type="application/json" id="mg-data">{_json_for_script(data)}</script>\n'
        f"<script>{vis_js}</script>\n"
        f"<script>{_JS}</script>\n"
        "</body>\n</html>\n"
    )


def write_html(g: nx.MultiDiGraph, path: str | Path, **kw: Any) -> Path:
    """Write `render_html(g, **kw)` to `path` (parent folders created) and return the path."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(render_html(g, **kw), encoding="utf-8")
    return p


class _HTMLFrame:
    """Minimal stand-in for IPython.display.HTML."""

    def __init__(self, data: str):
        self.data = data

    def _repr_html_(self) -> str:
        return self.data


def show(g: nx.MultiDiGraph, *, height: int = 720, **kw: Any) -> Any:
    """The picture for Jupyter: the page in an iframe (srcdoc, escaped), with `_repr_html_`."""
    page = render_html(g, **kw)
    frame = (
        f'<div><iframe srcdoc="{html.escape(page, quote=True)}" '
        f'style="width:100%;height:{int(height)}px;border:1px solid #ddd" '
        'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"></iframe></div>'
    )
    try:
        from IPython.display import HTML  # type: ignore[import-not-found]
    except ImportError:
        return _HTMLFrame(frame)
    return HTML(frame)
