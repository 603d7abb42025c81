"""Pictures: interactive, self-contained HTML views of the mechanism graph that work offline.

`select` cuts the part of the graph a picture shows (a neighbourhood, an axis, paths in context,
filters) and says when it would be too dense to read; `layout` places large graphs in Python;
`style` holds the look (colour and shape per kind, colour per sign); `page` writes the HTML with
vis-network from the installed pyvis package and the page's own `assets/page.js` and
`assets/page.css`, and embeds it in Jupyter. This layer imports `schema` and `errors`.
"""

from .notebook import show
from .page import render_html, write_html
from .select import density_warning, select_subgraph

__all__ = ["density_warning", "render_html", "select_subgraph", "show", "write_html"]
