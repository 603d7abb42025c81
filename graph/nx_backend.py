"""The embedded backend: the mechanism graph held in a NetworkX MultiDiGraph. Needs no server."""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterator

import networkx as nx

from .backend import EdgeKey, Stats
from .errors import QueryError


def entity_names(attrs: dict[str, Any]) -> list[str]:
    """Every name an entity answers to: id, English and Chinese name, synonyms."""
    names = [attrs.get("id"), attrs.get("name"), attrs.get("name_zh"), *(attrs.get("synonyms") or [])]
    return [str(n) for n in names if n]


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

    def cypher(self, text: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[dict[str, Any]]:
        if write:
            raise QueryError("the embedded backend is read-only; writes need --backend neo4j")
        from .cypher_nx import CypherEngine

        if self._engine is None:
            self._engine = CypherEngine(self.g)
        return self._engine.run(text, params or {})

    def simple_paths(self, source: str, target: str, max_len: int, *, undirected: bool = False) -> Iterator[list[EdgeKey]]:
        yield from simple_edge_paths(self.g, source, target, max_len, undirected=undirected)

    def close(self) -> None:
        pass


def simple_edge_paths(g: nx.MultiDiGraph, source: str, target: str, max_len: int, *, undirected: bool = False) -> Iterator[list[EdgeKey]]:
    """Depth-first enumeration of simple paths as edge keys; undirected walks edges both ways.

    Parallel edges (two relations between one pair) give distinct paths. Edge keys always name
    the stored direction (source, target, relation), whichever way the walk crossed them.
    """
    if source not in g or target not in g or source == target:
        return
    succ, pred = g._succ, g._pred  # adjacency dicts: n -> nbr -> key -> attrs

    def steps(n: str):
        for nbr, keys in succ[n].items():
            for k in keys:
                yield nbr, (n, nbr, k)
        if undirected:
            for nbr, keys in pred[n].items():
                for k in keys:
                    yield nbr, (nbr, n, k)

    path_nodes = [source]
    on_path = {source}
    edges: list[EdgeKey] = []
    stack = [steps(source)]
    while stack:
        nxt = next(stack[-1], None)
        if nxt is None:
            stack.pop()
            on_path.discard(path_nodes.pop())
            if edges:
                edges.pop()
            continue
        nbr, ekey = nxt
        if nbr in on_path:
            continue
        if nbr == target:
            yield edges + [ekey]
            continue
        if len(edges) + 1 < max_len:
            path_nodes.append(nbr)
            on_path.add(nbr)
            edges.append(ekey)
            stack.append(steps(nbr))
