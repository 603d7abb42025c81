"""Pictures: interactive, self-contained HTML views of the mechanism graph that work offline.

`select` cuts the part of the graph a picture shows (a neighbourhood, an axis, paths,
filters by kind, relation, level or support) and says when it would be too dense to read;
`layout` places every node in Python with room for its wrapped label (groups by axis, a
neighbourhood, paths in columns); `scene` turns a graph into the page's data (positions, how
each edge looks, the labels of highlighted steps); `style` holds the look (colour and shape per
kind, colour per sign); `page` writes the HTML with vis-network from the installed pyvis
package and the page's own `assets/page.js` and `assets/page.css`; `views` are the pictures
`mechgraph viz` draws, named and titled; `notebook` shows them in Jupyter, sending vis-network
once per notebook. This layer imports `schema`, `errors`, `io.columns`, and (in `views`) the
store's name lookup and the path search.
"""

from .notebook import init_notebook, show
from .page import render_html, write_html
from .select import density_warning, select_subgraph

__all__ = ["density_warning", "init_notebook", "render_html", "select_subgraph", "show", "write_html"]
