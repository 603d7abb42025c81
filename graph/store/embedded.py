"""The embedded backend: the mechanism graph held in a NetworkX MultiDiGraph. Needs no server."""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from ..errors import QueryError
from ..props import entity_names
from .protocol import Stats


def graph_stats(g: nx.MultiDiGraph) -> Stats:
    """Counts by kind and relation, evidence records and distinct references cited."""
    kinds = Counter(a.get("kind", "?") for _, a in g.nodes(data=True))
    rels = Counter(k for _, _, k in g.edges(keys=True))
    refs: set[str] = set()
    n_ev = 0
    for _, _, a in g.edges(data=True):
        for ev in a.get("evidence") or []:
            n_ev += 1
            if ev.get("ref"):
                refs.add(ev["ref"])
    return Stats(g.number_of_nodes(), g.number_of_edges(), dict(kinds), dict(rels), n_ev, len(refs))


class NetworkXBackend:
    """Backend over an in-memory MultiDiGraph keyed by relation."""

    name = "networkx"

    def __init__(self, g: nx.MultiDiGraph):
        self.g = g
        self._names: dict[str, list[str]] | None = None
        self._engine = None

    def to_networkx(self) -> nx.MultiDiGraph:
        return self.g

    def analysis_graph(self) -> nx.MultiDiGraph:
        return self.g

    def stats(self) -> Stats:
        return graph_stats(self.g)

    def entity(self, eid: str) -> dict[str, Any] | None:
        if eid not in self.g:
            return None
        return dict(self.g.nodes[eid])

    def _index(self) -> dict[str, list[str]]:
        if self._names is None:
            index: dict[str, list[str]] = {}
            for n, a in self.g.nodes(data=True):
                for name in {x.casefold() for x in entity_names({**a, "id": n})}:
                    index.setdefault(name, []).append(n)
            self._names = index
        return self._names

    def lookup(self, text: str) -> list[str]:
        return sorted(self._index().get(text.strip().casefold(), []))

    def name_index(self) -> list[tuple[str, list[str]]]:
        return [(n, entity_names({**a, "id": n})) for n, a in self.g.nodes(data=True)]

    def edges_of(self, eid: str) -> list[tuple[str, str, str, dict[str, Any]]]:
        out = [(u, v, k, dict(a)) for u, v, k, a in self.g.out_edges(eid, keys=True, data=True)]
        out += [(u, v, k, dict(a)) for u, v, k, a in self.g.in_edges(eid, keys=True, data=True)]
        return out

    def cypher(self, text: str, params: dict[str, Any] | None = None, *, write: bool = False,
               limits: Any = None) -> list[dict[str, Any]]:
        """Run read-only Cypher on the embedded engine, within `limits` (cypher.limits.QueryLimits;
        default: 10 s and 1024 MB)."""
        if write:
            raise QueryError("the embedded backend is read-only; writes need --backend neo4j")
        from ..cypher import CypherEngine

        if self._engine is None:
            self._engine = CypherEngine(self.g)
        return self._engine.run(text, params or {}, limits=limits)

    def close(self) -> None:
        pass

