"""The part of a stored graph one analysis needs, so that a database backend need not ship it all.

A backend that can search on its own server (the Neo4j backend: `ball`, `therapy_chain`,
`induced_analysis_graph`) gives `path` only the entities a path of at most `max_len` steps can
pass through; any other backend gives its whole analysis graph. The answer is the same, because:

* Directed (`path A B`): a node on a path of at most L steps from A to B is at most d steps from A
  and at most L - d steps back from B. The region is the nodes whose distance from A plus their
  distance to B is at most L (breadth-first, over every relation a step can walk, ignoring
  evidence filters: a superset), with every edge among them.
* Toward a therapy T: each leg has at most `LEG_MAX_LEN` (and `max_len`) steps, from A and from T,
  so the region is both forward neighbourhoods, plus T's classes (its efficacy edges hang there).
* The hub penalty reads each node's degree in the whole graph and the whole graph's typical
  degree, both computed on the server (see `MechanismIndex`), not from the region.
Via and avoided entities are always included, so that naming one behaves as on the whole graph.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from .. import schema
from . import semantics as sem
from .paths import LEG_MAX_LEN, PathAnswer, PathOptions, find_paths

_KINDS = (None, *schema.ENTITY_KINDS)


def walk_relations() -> tuple[list[str], list[str]]:
    """Relations a mechanism step may walk from source to target, and those it may walk from
    target to source (a regimen to its components), under `semantics.walk_rule` for any kinds."""
    rules = {r: [sem.walk_rule(r, ku, kv) for ku in _KINDS for kv in _KINDS] for r in schema.RELATIONS}
    along = sorted(r for r, rs in rules.items() if any(x is not None and not x[1] for x in rs))
    against = sorted(r for r, rs in rules.items() if any(x is not None and x[1] for x in rs))
    return along, against


def degree_relations() -> list[str]:
    """Relations that count toward a node's degree for the hub penalty between two entities that
    are neither therapies nor publications/trials (`semantics.counts_for_degree`)."""
    return sorted(r for r in schema.RELATIONS if sem.counts_for_degree(r, None, None))


def _bounded(backend: Any) -> bool:
    return all(hasattr(backend, m) for m in ("ball", "therapy_chain", "induced_analysis_graph"))


def path_graph(backend: Any, source: str, target: str, opts: PathOptions) -> nx.MultiDiGraph:
    """The graph `find_paths(_, source, target, opts)` needs from `backend`: a bounded region
    when the backend can choose one on its server, else its whole analysis graph."""
    if not _bounded(backend):
        return backend.analysis_graph()
    opts.check()
    along, against = walk_relations()
    skip = list(sem.NEVER_WALKED_KINDS)
    target_kind = (backend.entity(target) or {}).get("kind")
    source_kind = (backend.entity(source) or {}).get("kind")
    keep = {source, target, *opts.via, *opts.avoid}
    if target_kind in sem.THERAPY_KINDS:
        if source_kind not in sem.THERAPY_KINDS and source != target:
            leg = min(opts.max_len, LEG_MAX_LEN)
            keep |= set(backend.ball([source], leg, along=along, against=against, skip_kinds=skip))
            keep |= set(backend.ball([target], leg, along=along, against=against, skip_kinds=skip))
            keep |= set(backend.therapy_chain(target, "subtype_of", list(sem.THERAPY_KINDS)))
    elif source != target:
        ahead = backend.ball([source], opts.max_len, along=along, against=against, skip_kinds=skip)
        if target in ahead:
            back = backend.ball([target], opts.max_len, along=along, against=against, skip_kinds=skip, reverse=True)
            keep |= {n for n, d in ahead.items() if n in back and d + back[n] <= opts.max_len}
    return backend.induced_analysis_graph(
        sorted(keep), degree_relations=degree_relations(), degree_skip_kinds=[*sem.THERAPY_KINDS, *sem.NEVER_WALKED_KINDS]
    )


def find_paths_in(backend: Any, source: str, target: str, opts: PathOptions) -> PathAnswer:
    """`find_paths` on whatever backend holds the graph, fetching only what it needs."""
    return find_paths(path_graph(backend, source, target, opts), source, target, opts)
