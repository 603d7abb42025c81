"""Where clinical validation is missing: mechanisms supported only by preclinical or in vitro work."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

from .. import edges as _edges
from .. import schema

PRECLINICAL = ("preclinical_in_vivo", "in_vitro")
# the malignant cells are not a grouping of mechanisms
CELL_KINDS = tuple(k for k in schema.CELL_KINDS if k != "tumour_cell")


def evidence_gaps(g: nx.MultiDiGraph, *, by: str = "axis",
                  support: frozenset[str] = _edges.DEFAULT_SUPPORT) -> dict[str, list[dict[str, Any]]]:
    """Signed mechanism edges whose every usable evidence record is preclinical in vivo or in vitro.

    Grouped by axis (`by="axis"`; untagged edges under "(no axis)") or by the cell type or state
    at either end (`by="cell"`; edges touching no cell under "(no cell)").
    """
    if by not in ("axis", "cell"):
        raise ValueError("by must be 'axis' or 'cell'")
    axes = g.graph.get("axes") or {}
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for u, v, k, a in sorted(g.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        rel = schema.RELATIONS.get(k)
        if rel is None or rel.structural:
            continue
        records = _edges.usable_records(a, support)
        levels = {e.get("level") for e in records}
        if not levels or not levels <= set(PRECLINICAL):
            continue
        row = {
            "source": u,
            "source_name": str(g.nodes[u].get("name", u)),
            "relation": k,
            "target": v,
            "target_name": str(g.nodes[v].get("name", v)),
            "sign": a.get("sign"),
            "levels": sorted(levels),
            "refs": sorted({str(e["ref"]) for e in records if e.get("ref")},
                           key=lambda r: (not r.isdigit(), int(r) if r.isdigit() else 0, r)),
            "species": sorted({e.get("species") for e in records if e.get("species")}),
            "support": sorted({_edges.record_support(e) for e in records}),
        }
        if by == "axis":
            keys = [axes.get(x, {}).get("name", x) for x in a.get("axes") or []] or ["(no axis)"]
        else:
            keys = [str(g.nodes[n].get("name", n)) for n in (u, v)
                    if g.nodes[n].get("kind") in CELL_KINDS] or ["(no cell)"]
        for key in keys:
            groups[key].append(row)
    return dict(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])))
