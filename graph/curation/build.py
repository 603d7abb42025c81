"""The in-memory mechanism graph: a NetworkX MultiDiGraph keyed by relation.

Nodes carry the entity fields, and `proposals` (the review's proposals that name the entity, see
proposals.py); edges carry relation, sign and the full evidence records (each with its support,
locator, design and level, and its `observation` key where the curators named one), plus
summaries of them: `refs` (the references cited), `level` (the strongest level) and `supports`
(the distinct supports, sorted), and `chain` (the ids of the molecular chain the edge summarises)
where the seeds give one. Attributes whose value would be empty (None) are left out, so a graph
survives a round trip through any export format.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from .. import edges as _edges
from .. import schema
from .proposals import proposals_by_entity
from .seeds import SeedData, read_seeds

EDGE_CORE = ("relation", "sign", "evidence", "refs", "level", "supports")


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in d.items():
        if k.startswith("_") or v is None:
            continue
        out[k] = v
    return out


def build_graph(data: SeedData) -> nx.MultiDiGraph:
    """Turn validated seed records into the mechanism graph."""
    g = nx.MultiDiGraph(name="mechgraph", axes={k: _clean(v) for k, v in data.axes.items()})
    proposals = proposals_by_entity(data)
    for eid, ent in data.entities.items():
        attrs = _clean(ent)
        if attrs.get("results"):
            attrs["results"] = [_clean(row) for row in attrs["results"]]
        for k in ("cited_as", "locators"):
            if not attrs.get(k):
                attrs.pop(k, None)
        if eid in proposals:
            attrs["proposals"] = proposals[eid]
        attrs["category"] = schema.biolink_category(ent["kind"], ent.get("modality"))
        attrs["seed_file"] = data.source_file(ent["_file"])
        attrs["seed_line"] = ent["_line"]
        g.add_node(eid, **attrs)
    for e in data.edges:
        rel = schema.RELATIONS[e["relation"]]
        attrs = _clean({k: v for k, v in e.items() if k not in ("source", "target")})
        attrs["sign"] = rel.sign_symbol
        attrs["evidence"] = [_clean(ev) for ev in e["evidence"]]
        attrs["refs"] = sorted({ev["ref"] for ev in e["evidence"] if ev.get("ref")}, key=_edges.ref_sort_key)
        level = _edges.best_level(e["evidence"])
        if level:
            attrs["level"] = level
        supports = _edges.edge_supports({"evidence": e["evidence"]})
        if supports:
            attrs["supports"] = supports
        for k in ("axes", "caveats", "chain"):
            if not attrs.get(k):
                attrs.pop(k, None)
        attrs["seed_file"] = data.source_file(e["_file"])
        attrs["seed_line"] = e["_line"]
        g.add_edge(e["source"], e["target"], key=e["relation"], **attrs)
    for _n, attrs in g.nodes(data=True):
        for k in ("synonyms", "xrefs", "axes", "caveats"):
            attrs.setdefault(k, [])
    return g


def graph_from_seeds(path: Path | str | None = None) -> nx.MultiDiGraph:
    """Validate the seed files under `path` (default: the project's seeds) and build the graph."""
    return build_graph(read_seeds(path))


def check_seeds(path: Path | str | None = None) -> dict[str, int]:
    """`mechgraph validate`: read, check and build the seeds under `path`; how many entities, edges
    and references they hold. Raises SeedError listing every problem."""
    data = read_seeds(path)
    g = build_graph(data)
    return {"entities": g.number_of_nodes(), "edges": g.number_of_edges(), "references": len(data.references)}
