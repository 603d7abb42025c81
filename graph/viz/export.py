"""Pictures as files: the interactive HTML page, or the same drawing as SVG or PNG.

`write_picture(g, path, fmt, **render_kw)` writes `render_html(g, **render_kw)` as it is
(html), or opens that page in Debian's headless Chromium (mechgraph.viz.browser) at 1600x1000 and
asks it for its own export (`mechgraphExport`, assets/export.js: the drawing calls the page makes,
recorded and written as SVG paths and text, or replayed onto a canvas for PNG), so the file shows
exactly what the page draws, the routed lines included, with the title above and a legend below.
Why through the browser and not a Python renderer: the lines are routed by the page's script
(round the labels as the browser measures them, and again after a node is dragged), so the page
is the one place that knows the drawing; a second renderer would drift from it.
"""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import MechGraphError
from .browser import HEIGHT, WIDTH, Browser, CDPError, PageRun
from .page import render_html, write_html

FORMATS = ("html", "svg", "png")
PNG_SCALE = 2.0  # pixels per canvas unit: sharp on a slide


def write_picture(g: nx.MultiDiGraph, path: str | Path, fmt: str = "html", **kw: Any) -> Path:
    """Write the picture of `g` to `path` as html, svg or png (see the module docstring)."""
    if fmt not in FORMATS:
        raise MechGraphError(f"unknown picture format {fmt!r}; choose from {', '.join(FORMATS)}")
    publication = kw.pop("publication", None)
    if fmt == "html":
        return write_html(g, path, publication=publication, **kw)
    return _write_bytes(path, export_bytes(render_html(g, **kw), fmt), publication)


def export_bytes(page: str, fmt: str, *, browser: Browser | None = None, scale: float = PNG_SCALE) -> bytes:
    """The SVG or PNG a page's own export gives, drawn in headless Chromium at 1600x1000."""
    own = browser is None
    try:
        b = browser or Browser()
    except (CDPError, OSError) as e:
        raise MechGraphError(f"could not start chromium to draw the {fmt.upper()}: {e}") from None
    try:
        with tempfile.TemporaryDirectory(prefix="mechgraph-picture-") as tmp:
            page_file = Path(tmp) / "picture.html"
            page_file.write_text(page, encoding="utf-8")
            run = PageRun(b, page_file, width=WIDTH, height=HEIGHT)
            try:
                if run.errors:
                    raise MechGraphError(f"the page failed in chromium: {run.errors[0]}")
                out = run.eval(f"mechgraphExport({fmt!r}, {float(scale)!r})")
            finally:
                run.close()
    except CDPError as e:
        raise MechGraphError(f"chromium could not draw the {fmt.upper()}: {e}") from None
    finally:
        if own:
            b.close()
    if fmt == "svg":
        return str(out).encode("utf-8")
    prefix = "data:image/png;base64,"
    if not isinstance(out, str) or not out.startswith(prefix):
        raise MechGraphError("chromium gave no PNG for the picture")
    return base64.b64decode(out[len(prefix):])


def _write_bytes(path: str | Path, data: bytes, publication: Any = None) -> Path:
    """Write a picture file whole or not at all (mechgraph.fsio; parent folders created) and return
    its path; with `publication` it is staged there and published with its other outputs."""
    from ..fsio import Publication

    p = Path(path)
    if publication is not None:
        Path(publication.file(p)).write_bytes(data)
        return p
    with Publication() as pub:
        Path(pub.file(p)).write_bytes(data)
    return p
