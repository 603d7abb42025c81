"""Pictures in Jupyter: vis-network sent to the notebook once, each picture small after that.

    from mechgraph.viz import show
    show(g)                                   # the map
    show(g, highlight=paths, title="...")     # any render_html option

`show` returns an object notebooks display inline (`_repr_html_`; an IPython `HTML` when IPython
is there). Each picture is the usual page in an iframe (so its script and style stay apart
from the notebook's), but without vis-network inside: the first `show` of a kernel session
(or `init_notebook()`) also sends vis-network to the notebook page once, and every picture's
page takes it from there (`parent.vis`; the iframe is same-origin for that). vis-network is
about 460 KB; the seed map's page without it is about 100 KB, a small neighbourhood a few tens
of KB, so a notebook with ten pictures holds one copy of the library instead of ten.

If the notebook page lost the library (the browser tab was reloaded while the kernel kept
running, or the first picture's output was cleared), a picture says so and asks for
`init_notebook()`; `show(g, standalone=True)` embeds a complete page, library included.
"""

from __future__ import annotations

import html
from typing import Any

import networkx as nx

from .page import _vis_js, render_html

_SENT = False  # whether this kernel session has sent vis-network to the notebook page

# Run vis-network with AMD and CommonJS hidden, so it sets window.vis even in notebooks that
# load RequireJS (the classic Notebook does, and an anonymous define() there would fail).
_LIBRARY_WRAPPER = "(function (define, exports, module) {{\n{source}\n}}).call(window);"


class _HTMLFrame:
    """Minimal stand-in for IPython.display.HTML."""

    def __init__(self, data: str):
        self.data = data

    def _repr_html_(self) -> str:
        return self.data


def _display(markup: str) -> Any:
    try:
        from IPython.display import HTML  # type: ignore[import-not-found]  # noqa: PLC0415
    except ImportError:
        return _HTMLFrame(markup)
    return HTML(markup)


def library_html() -> str:
    """The script that puts vis-network on the notebook page as `window.vis`."""
    return f'<script data-mechgraph="vis-network">{_LIBRARY_WRAPPER.format(source=_vis_js())}</script>'


def init_notebook() -> Any:
    """Send vis-network to the notebook page (once per page; later pictures reuse it)."""
    global _SENT
    _SENT = True
    return _display(library_html())


def frame_html(g: nx.MultiDiGraph, *, height: int = 720, standalone: bool = False, **kw: Any) -> str:
    """The picture as an iframe: a complete page (`standalone`), or one that uses the notebook's vis."""
    page = render_html(g, **kw) if standalone else render_html(g, vis_source="", **kw)
    sandbox = ("allow-scripts allow-popups allow-popups-to-escape-sandbox allow-downloads"
               + ("" if standalone else " allow-same-origin"))
    return (
        f'<iframe srcdoc="{html.escape(page, quote=True)}" '
        f'style="width:100%;height:{int(height)}px;border:1px solid #ddd" sandbox="{sandbox}"></iframe>'
    )


def show(g: nx.MultiDiGraph, *, height: int = 720, standalone: bool = False, **kw: Any) -> Any:
    """The picture for Jupyter (see the module docstring); `kw` are render_html's options."""
    global _SENT
    parts = []
    if not standalone and not _SENT:
        parts.append(library_html())
        _SENT = True
    parts.append(frame_html(g, height=height, standalone=standalone, **kw))
    return _display("<div>" + "".join(parts) + "</div>")
