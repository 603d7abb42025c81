"""The overlay in the picture: node and edge attributes the page colours by (`viz --data`, `overlay -o`).

`annotate(g, overlay)` returns a copy of the graph whose measured entities carry `overlay_value`
(0..1: a gene's largest expressing fraction in a group, or, from a table, its highest group mean
over the highest of any graph gene; a cell entity's abundance over the most abundant one's) and
`overlay_label` (the sentence behind the value), and whose ligand -> receptor edges carry their
best activity over the best of all (`overlay_value`) and its sender -> receiver pair, score and
p-value (`overlay_label`), as does the pair's complex node (C3/C3aR1). The page (graph/viz/page.py)
colours nodes and widens edges by them.
"""

from __future__ import annotations

import copy
from typing import Any

import networkx as nx

from .. import schema
from .genes import LR_RELATIONS
from .score import Overlay


def node_values(ov: Overlay) -> dict[str, tuple[float, str]]:
    """Entity -> (value 0..1, label) for every entity the data measures."""
    out: dict[str, tuple[float, str]] = {}
    cells = ov.kind == "cells"
    gene_top = max((v["score"] or 0.0 for e in ov.entities.values() if e["kind"] not in schema.CELL_KINDS
                    for v in e["by_group"].values()),
                   default=0.0)
    cell_top = max((e.get("abundance") or 0.0 for e in ov.entities.values() if e["kind"] in schema.CELL_KINDS),
                   default=0.0)
    for eid, e in ov.entities.items():
        if e["kind"] in schema.CELL_KINDS:
            if e.get("abundance") is not None and cell_top > 0:
                out[eid] = (e["abundance"] / cell_top,
                            f"{100 * e['abundance']:.0f}% of cells ({', '.join(e['groups'])})")
            continue
        by = e["by_group"]
        if not by:  # a ligand-receptor complex: drawn through its pair's edge
            continue
        if cells:
            best = max(by, key=lambda g: (by[g]["fraction"] or 0.0, by[g]["score"] or 0.0))
            frac = by[best]["fraction"] or 0.0
            out[eid] = (frac, f"expressed in {100 * frac:.0f}% of {best} cells (mean {by[best]['score']:.3g})")
        else:
            best = max(by, key=lambda g: by[g]["score"] or 0.0)
            val = by[best]["score"] or 0.0
            out[eid] = (val / gene_top if gene_top > 0 else 0.0, f"mean {val:.3g} in {best}")
    return out


def annotate(g: nx.MultiDiGraph, ov: Overlay) -> nx.MultiDiGraph:
    """A copy of `g` with `overlay_value` / `overlay_label` on measured nodes and on active ligand -> receptor edges."""
    out = copy.deepcopy(g)
    for eid, (value, label) in node_values(ov).items():
        if eid in out:
            out.nodes[eid]["overlay_value"] = round(float(value), 4)
            out.nodes[eid]["overlay_label"] = label
    top = max((r["score"] for r in ov.lr), default=0.0)
    for pair in ov.pairs:
        b = pair["best"]
        if b is None:
            continue
        value = 0.0 if b["expressed"] is False or top <= 0 else b["score"] / top
        p = f", p {b['p_value']:.3g}" if b["p_value"] is not None else ""
        label = (f"activity rank {pair['rank']} of {pair['of']}: {b['sender']} -> {b['receiver']}, "
                 f"{ov.method} {b['score']:.3g}{p}")
        if pair["complex"] and pair["complex"] in out:  # the pair's complex node shows the same activity
            out.nodes[pair["complex"]]["overlay_value"] = round(float(value), 4)
            out.nodes[pair["complex"]]["overlay_label"] = label
        for rel in LR_RELATIONS:
            if out.has_edge(pair["ligand"], pair["receptor"], key=rel):
                attrs: dict[str, Any] = out.edges[pair["ligand"], pair["receptor"], rel]
                attrs["overlay_value"] = round(float(value), 4)
                attrs["overlay_label"] = label
    out.graph["overlay"] = {"data": ov.path, "method": ov.method}
    return out


def overlay_graph(g: nx.MultiDiGraph, data: Any, **read: Any) -> nx.MultiDiGraph:
    """`viz --data`: score the graph on the expression file `data` (`score.run_overlay`, with its
    reading options) and return the annotated copy the page colours by."""
    from .score import run_overlay

    return annotate(g, run_overlay(g, data, **read))
