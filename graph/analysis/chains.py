"""Explained chains: a summary edge that records the molecular chain it stands for.

The review often states a mechanism twice: as a summary (THBS2+ CAF polarizes macrophages into
SPP1+ TAMs) and as the chain that explains it (THBS2+ CAF secretes C3, C3 activates C3aR1 on
macrophages, C3aR1 drives the SPP1+ state). The seeds record the chain on the summary edge
(`chain: [c3, c3ar1]`, see docs/data-model.md), and answers:

* show the chain under the summary step (`chain_detail`: the chain's entities and each link's
  relation, sign and references), so the summary never hides how it works;
* let `--via C3` match a path whose step is explained through C3 (`MechanismIndex.via`);
* list a path that runs the chain link by link beside its summary once, as the summary
  (`MechanismIndex.expands_summary`).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from .. import edges as _edges
from .index import EdgeInfo, MechanismIndex


def _name(index: MechanismIndex, eid: str) -> str:
    g = index.g
    return str(g.nodes[eid].get("name", eid)) if eid in g else eid


def link(index: MechanismIndex, a: str, b: str) -> dict[str, Any]:
    """One link of a chain: the best signed walk step a -> b under the index's evidence filter,
    else the stored edge with all its evidence (`usable: false`), else a bare link."""
    ia, ib = index.pos.get(a), index.pos.get(b)
    if ia is not None and ib is not None:
        best = None
        for w, sign, cost, e in index.out[ia]:
            if w == ib and sign != 0:
                cand = (cost, index.edges[e].relation, e)
                best = cand if best is None or cand < best else best
        if best is not None:
            info = index.edges[best[2]]
            return {"source": a, "target": b, "relation": info.relation, "sign": _edges.symbol(info.sign),
                    "refs": list(info.refs), "level": info.level, "support": list(info.supports), "usable": True}
    g = index.g
    if g.has_edge(a, b):
        for key, attrs in sorted(g[a][b].items()):
            relation = attrs.get("relation", key)
            rule = _edges.walk_rule(relation, g.nodes[a].get("kind"), g.nodes[b].get("kind"))
            if rule is None or rule[0] == 0:
                continue
            recs = _edges.records(attrs)
            return {"source": a, "target": b, "relation": relation, "sign": _edges.symbol(rule[0]),
                    "refs": _edges.sorted_refs(r.get("ref") for r in recs), "level": _edges.best_level(recs),
                    "support": sorted({_edges.record_support(r) for r in recs}), "usable": False}
    return {"source": a, "target": b, "relation": None, "sign": None, "refs": [], "level": None, "support": [],
            "usable": False}


def chain_detail(index: MechanismIndex, info: EdgeInfo) -> dict[str, Any] | None:
    """The chain a summary step records: its entities from end to end and each link, or None."""
    if not info.chain:
        return None
    ids = [info.source, *info.chain, info.target]
    return {
        "nodes": [{"id": x, "name": _name(index, x)} for x in ids],
        "links": [link(index, a, b) for a, b in pairwise(ids)],
    }


def chain_nodes(g) -> set[str]:
    """Every entity named in a recorded chain of a graph's edges, with the ends of those edges
    (what a partial graph must hold to show the chains' links)."""
    out: set[str] = set()
    for u, v, attrs in g.edges(data=True):
        chain = attrs.get("chain")
        if chain:
            out.update([u, v, *map(str, chain)])
    return out
