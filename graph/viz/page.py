"""The page: one self-contained HTML document per picture.

`render_html` turns a graph into one HTML document that works offline: vis-network is inlined
from the installed pyvis distribution's own asset file, and the page's script (`assets/route.js`,
the line router; `assets/export.js`, the SVG/PNG export; `assets/page.js`, the page itself) and
stylesheet (`assets/page.css`); the page makes no request to any host. What is drawn and where
comes from `scene.page_data`. `write_html` writes the page (the one place a page is written);
SVG and PNG are in `export`, the notebook form in `notebook`.

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
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import MechGraphError
from .overlay import add_overlay
from .scene import page_data
from .style import (
    _DEFAULT_STYLE,
    KIND_LABELS,
    KIND_STYLE,
    SIGN_COLOURS,
    SIGN_LABELS,
)

# vis-network as the pyvis distribution ships it (a declared dependency), not a copy of ours.
VIS_NETWORK_ASSET = ("templates", "lib", "vis-9.1.2", "vis-network.min.js")


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


@functools.cache
def _asset(name: str) -> str:
    """One of the page's own assets (`page.js`, `page.css`), shipped as package data."""
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def page_script() -> str:
    """The page's own script: the router, the exporter and the page, in one inline script."""
    return "\n".join(_asset(name) for name in ("route.js", "export.js", "page.js"))


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


def _legend_edge(colour: str, end: str, dash: str = "", width: float = 2.0, opacity: float = 1.0) -> str:
    c = html.escape(colour)
    dash = f' stroke-dasharray="{dash}"' if dash else ""
    if opacity < 1:
        dash += f' stroke-opacity="{opacity}"'

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


def _legend_bundle() -> str:
    c = html.escape(SIGN_COLOURS["-"])
    return (
        '<svg width="34" height="16" viewBox="0 0 34 16" aria-hidden="true">'
        f'<path d="M2 2 Q12 2 16 8 M2 8 L16 8 M2 14 Q12 14 16 8" fill="none" stroke="{c}" stroke-width="1.3"/>'
        f'<line x1="16" y1="8" x2="29" y2="8" stroke="{c}" stroke-width="2"/>'
        f'<line x1="29" y1="3" x2="29" y2="13" stroke="{c}" stroke-width="2.5"/></svg>'
    )


def _legend_html(data: dict[str, Any]) -> str:
    present = {n["kind"] or "other" for n in data["nodes"]}
    rows = []
    for kind in [k for k in KIND_STYLE if k in present] + sorted(present - set(KIND_STYLE)):
        colour, shape = KIND_STYLE.get(kind, _DEFAULT_STYLE)
        label = KIND_LABELS.get(kind, kind.replace("_", " "))
        rows.append(f"<li>{_legend_symbol(shape, colour)}<span>{html.escape(label)}</span></li>")
    edges = data["edges"]
    signs = [
        f"<li>{_legend_edge(SIGN_COLOURS['+'], 'arrow')}<span>{html.escape(SIGN_LABELS['+'])}</span></li>",
        f"<li>{_legend_edge(SIGN_COLOURS['-'], 'bar')}<span>{html.escape(SIGN_LABELS['-'])}</span></li>",
        f"<li>{_legend_edge(SIGN_COLOURS['0'], 'arrow')}<span>{html.escape(SIGN_LABELS['0'])}</span></li>",
        f"<li>{_legend_edge(SIGN_COLOURS['0'], 'arrow', dash='4 3')}"
        "<span>dashed: association or structural link</span></li>",
    ]
    if any(e.get("unstated") for e in edges):
        signs.append(
            f"<li>{_legend_edge(SIGN_COLOURS['+'], 'arrow', dash='1.5 3', opacity=0.55)}"
            "<span>dotted, pale: not stated by the review (curator, reference title or hypothesis)</span></li>"
        )
    signs.append(f"<li>{_legend_edge('#666666', '', width=4)}<span>thicker: stronger evidence</span></li>")
    if data.get("routed"):
        signs.append(f"<li>{_legend_bundle()}<span>lines of one kind into one node from one side share one "
                     "head</span></li>")
    if data.get("hubs"):
        signs.append(f"<li>{_legend_edge(SIGN_COLOURS['+'], 'arrow', opacity=0.4)}"
                     "<span>pale: a line of a hub (hover or click the hub to bring them forward)</span></li>")
    if data["dim"]:
        signs.append(f"<li>{_legend_edge(SIGN_COLOURS['-'], 'bar', width=5)}"
                     "<span>bold, labelled: a step of the highlighted paths, coloured by its sign</span></li>")
    return (
        '<details id="mg-legend" open><summary>Legend</summary>'
        f'<ul class="mg-kinds">{"".join(rows)}</ul><ul class="mg-signs">{"".join(signs)}</ul></details>'
    )


def render_html(
    g: nx.MultiDiGraph,
    *,
    title: str = "mechgraph",
    highlight: list[list[tuple[str, str, str]]] | None = None,
    centre: Any = None,
    group_by: str = "axis",
    physics: bool | None = None,
    vis_source: str | None = None,
) -> str:
    """One self-contained HTML document drawing `g` (the same input gives the same bytes).

    The layout is computed in Python (see mechgraph.viz.layout): paths when `highlight` is given
    (a list of paths, each a list of (source, target, relation) steps, drawn bold in their sign's
    colour with their relation), a neighbourhood around `centre`, otherwise groups by axis (or
    by cell type, `group_by="cell"`). physics=True lets vis-network move the nodes from there.
    `vis_source` replaces the inlined vis-network (the notebook form loads it once per notebook).
    """
    data = page_data(g, highlight=highlight, centre=centre, group_by=group_by, physics=physics)
    add_overlay(data, g)  # expression data laid over the graph (viz --data), when the graph carries it
    vis_js = _vis_js() if vis_source is None else vis_source
    page_js = page_script()
    csp = (
        "default-src 'none'; "
        f"script-src '{_sha256(vis_js)}' '{_sha256(page_js)}'; "
        "style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )
    n, m = len(data["nodes"]), len(data["edges"])
    count = f"{n} node{'s' if n != 1 else ''} · {m} edge{'s' if m != 1 else ''}"
    t = html.escape(str(title), quote=True)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(csp, quote=False)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="mechgraph">\n'
        f"<title>{t}</title>\n<style>{_asset('page.css')}</style>\n</head>\n<body>\n"
        '<div id="mg-network" role="img" aria-label="mechanism graph"></div>\n'
        '<div id="mg-status">drawing…</div>\n'
        '<div id="mg-top">'
        f'<h1 id="mg-title">{t}<span id="mg-count">{html.escape(count)}</span></h1>'
        '<div id="mg-bar"><input id="mg-search" type="search" placeholder="find a node by name or synonym" '
        'autocomplete="off" spellcheck="false" aria-label="find a node">'
        '<button id="mg-fit" type="button" title="fit the whole picture">fit</button>'
        '<button id="mg-svg" type="button" title="save the picture as SVG (vector, for slides and papers)">SVG</button>'
        '<button id="mg-png" type="button" title="save the picture as PNG (2x resolution)">PNG</button></div>'
        '<ul id="mg-results" role="listbox"></ul></div>\n'
        f"{_legend_html(data)}\n"
        '<aside id="mg-details" hidden><button id="mg-close" type="button" aria-label="close">×</button>'
        '<div id="mg-details-body"></div></aside>\n'
        '<div id="mg-tooltip" hidden></div>\n'
        f'<script type="application/json" id="mg-data">{_json_for_script(data)}</script>\n'
        f"<script>{vis_js}</script>\n"
        f"<script>{page_js}</script>\n"
        "</body>\n</html>\n"
    )


def write_html(g: nx.MultiDiGraph, path: str | Path, *, publication: Any = None, **kw: Any) -> Path:
    """Write `render_html(g, **kw)` to `path` (parent folders created) and return the path.

    The page is written whole or not at all (mechgraph.fsio); with `publication` it is staged there
    and published with that publication's other outputs."""
    from ..fsio import Publication

    p = Path(path)
    page = render_html(g, **kw)
    if publication is not None:
        Path(publication.file(p)).write_text(page, encoding="utf-8")
        return p
    with Publication() as pub:
        Path(pub.file(p)).write_text(page, encoding="utf-8")
    return p
