"""Pictures: interactive, self-contained HTML views of the mechanism graph that work offline,
and the same drawings as SVG or PNG.

This layer draws the graph it is given; choosing what to draw (names, paths, titles) is the
job of `mechgraph.views` above it. `select` cuts the part of a graph a picture shows (a
neighbourhood, an axis, paths, filters by kind, relation, level or support) and says when it
would be too dense to read; `layout` places every node in Python with room for its wrapped
label (a neighbourhood, paths in columns), `frames` the map's groups (by axis or cell type) in
titled frames; `scene` turns a graph into the page's data (positions, the lines to draw and how
each looks, which carry relation labels), with `overlay` carrying expression data into it; `style`
holds the look (colour and shape per kind, colour per sign); `page` writes the HTML with
vis-network from the installed pyvis package and the page's own scripts (`assets/route.js`
routes every line round the nodes and labels, `assets/export.js` exports the drawing,
`assets/page.js` is the page) and stylesheet; `export` writes html, or svg/png through
`browser` (headless Chromium over the DevTools pipe); `notebook` shows pictures in Jupyter,
sending vis-network once per notebook. This layer imports only `schema`, `edges` (an edge's sign
and how it is known), `errors` and `fsio` (every file written whole) from the rest of the package.
"""

from .export import FORMATS, write_picture
from .notebook import init_notebook, show
from .page import render_html, write_html
from .select import density_warning, select_subgraph

__all__ = ["FORMATS", "density_warning", "init_notebook", "render_html", "select_subgraph", "show", "write_html",
           "write_picture"]
