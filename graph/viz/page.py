"""The page: one self-contained HTML document per picture, and its Jupyter form.

`render_html` turns a graph into one HTML document that works offline: vis-network is inlined
from the installed pyvis distribution's own asset file, and the page's script and stylesheet
from `assets/page.js` and `assets/page.css`; the page makes no request to any host.
`write_html` writes it; `show` embeds it in Jupyter.

Safety: every string taken from the data reaches the page only as JSON inside
`<script type="application/json">` (with `<`, `>` and `&` escaped as `\\u003c` etc.) and is put into
the DOM with `textContent` only. A Content-Security-Policy allows only the page's own two scripts
(by hash) and no network access at all.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
from collections import defaultdict
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from .. import schema
from ..errors import MechGraphError
from .layout import _radial_layout
from .overlay import add_overlay
from .style import (
    _DEFAULT_STYLE,
    EDGE_LABELS_UP_TO,
    HIGHLIGHT_COLOUR,
    HUB_LABELS,
    KIND_LABELS,
    KIND_STYLE,
    LARGE_GRAPH,
    PHYSICS,
    PHYSICS_SMALL,
    SIGN_COLOURS,
    SIGN_LABELS,
    SMALL_GRAPH,
)

Edge = tuple[str, str, str]

# vis-network as the pyvis distribution ships it (a declared dependency), not a copy of ours.
VIS_NETWORK_ASSET = ("templates", "lib", "vis-9.1.2", "vis-network.min.js")

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


@functools.lru_cache(maxsize=1)
def _vis_js() -> str:
    """vis-network's standalone build, read from the installed pyvis package."""
    try:
        text = resources.files("pyvis").joinpath(*VIS_NETWORK_ASSET).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError) as e:
        raise MechGraphError(
            f"cannot find vis-network in the installed pyvis package ({'/'.join(VIS_NETWORK_ASSET)}): {e}; "
            "reinstall it with: pip install --force-reinstall 'pyvis>=0.3.2'"
        ) from None
    # split on "\n" only: str.splitlines() would also cut at U+2028 etc. inside string literals
    lines = [ln for ln in text.split("\n") if not ln.startswith("//# sourceMappingURL=")]
    out = "\n".join(lines)
    if "</script" in out.lower():  # would end the inline script early; refuse rather than break the page
        raise MechGraphError("the vis-network asset contains '</script'; it cannot be inlined safely")
    return out


@functools.lru_cache(maxsize=None)
def _asset(name: str) -> str:
    """One of the page's own assets (`page.js`, `page.css`), shipped as package data."""
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


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
    add_overlay(data, g)  # expression data laid over the graph (viz --data), when the graph carries it
    vis_js = _vis_js()
    page_js = _asset("page.js")
    csp = (
        "default-src 'none'; "
        f"script-src '{_sha256(vis_js)}' '{_sha256(page_js)}'; "
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
        f"<title>{t}</title>\n<style>{_asset('page.css')}</style>\n</head>\n<body>\n"
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
        f"<script>{page_js}</script>\n"
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
