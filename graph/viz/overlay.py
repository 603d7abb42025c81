"""The data overlay on the page: copies `overlay_value` / `overlay_label` of nodes and edges into the page data.

`mechgraph.omics.picture.annotate` puts these attributes on the graph (`viz --data`, `overlay -o`);
`add_overlay` carries them into the JSON the page script reads (`ov`, `ovl` on nodes and edges,
`overlay` at the top), and assets/page.js colours nodes by `ov` (white to red; grey when the
data does not measure them) and widens edges by it. Without the attributes nothing changes.
"""

from __future__ import annotations

from typing import Any

import networkx as nx


def add_overlay(data: dict[str, Any], g: nx.MultiDiGraph) -> None:
    """Add the overlay fields to page data built from `g` (in place); no-op for a graph without an overlay."""
    meta = g.graph.get("overlay")
    if not meta:
        return
    by_id = {str(n): n for n in g.nodes}
    for rec in data["nodes"]:
        a = g.nodes[by_id[rec["id"]]]
        if a.get("overlay_value") is not None:
            rec["ov"] = float(a["overlay_value"])
            rec["ovl"] = str(a.get("overlay_label") or "")
    for rec in data["edges"]:
        u, v = by_id.get(rec["from"]), by_id.get(rec["to"])
        if u is None or v is None or not g.has_edge(u, v, key=rec["relation"]):
            continue
        a = g.edges[u, v, rec["relation"]]
        if a.get("overlay_value") is not None:
            rec["ov"] = float(a["overlay_value"])
            rec["ovl"] = str(a.get("overlay_label") or "")
    data["overlay"] = {"data": str(meta.get("data", "")), "method": str(meta.get("method", ""))}
