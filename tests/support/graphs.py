"""Small hand-built graphs in the project's shape, whose right answers a test can work out by hand."""

from __future__ import annotations

import networkx as nx


def ev(ref: str = "1", level: str = "observational_human", support: str = "review_text") -> list[dict]:
    """One evidence record (as a list, an edge's `evidence`) of this reference, level and support."""
    return [{"ref": ref, "doi": f"10.1000/{ref}", "species": "patients", "level": level, "summary": "test evidence",
             "support": support}]


def small_graph(edges: list[tuple], kinds: dict[str, str] | None = None) -> nx.MultiDiGraph:
    """A MultiDiGraph in the project's shape from (source, relation, target, level[, support]) tuples."""
    from mechgraph import schema

    kinds = kinds or {}
    g = nx.MultiDiGraph(name="test", axes={})
    for u, rel, v, level, *rest in edges:
        support = rest[0] if rest else "review_text"
        for n in (u, v):
            if n not in g:
                g.add_node(n, id=n, name=n.upper(), kind=kinds.get(n, "gene"), synonyms=[], xrefs=[],
                           axes=[], caveats=[])
        sign = schema.SIGN_SYMBOLS[schema.RELATIONS[rel].sign]
        g.add_edge(u, v, key=rel, relation=rel, sign=sign, evidence=ev(level=level, support=support), refs=["1"],
                   level=level, supports=[support])
    return g
