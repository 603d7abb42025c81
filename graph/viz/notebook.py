"""Pictures in Jupyter: `show(g)` returns an object that notebooks display inline."""

from __future__ import annotations

import html
from typing import Any

import networkx as nx

from .page import render_html


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
