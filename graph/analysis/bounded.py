"""Bounded fetches: the part of a stored graph one analysis needs, so that a database need not ship it all.

A backend that can search on its own server (a `mechgraph.store.BoundedBackend`: Neo4j, with
`ball`, `therapy_chain`, `induced_analysis_graph`, `grow_analysis_graph`) gives `path`, `effect`
and `combine` only the entities their answers can pass through; any other backend gives its
whole analysis graph. The answer is the same, because:

* Directed (`path A B`): a node on a path of at most L steps from A to B is at most d steps from A
  and at most L - d steps back from B. The region is the nodes whose distance from A plus their
  distance to B is at most L (breadth-first, over every relation a step can walk, ignoring
  evidence filters: a superset), with every edge among them.
* Toward a therapy T: each leg has at most `LEG_MAX_LEN` (and `max_len`) steps, from A and from T,
  so the region is both forward neighbourhoods, plus T's classes (its efficacy edges hang there).
* A therapy's members (a class answers through them, `therapies`) start walks of their own:
  they are fetched with the therapy, and their walks are part of the region.
* A summary edge that records a chain (`chains`) shows its links: every region is completed
  with the steps out of the ends and the entities of the chains it holds. Adding real edges
  never changes an answer the region already settles: any path they make is a path of the
  whole graph, and every path the answer could use is in the region already.
* The hub penalty reads each node's degree in the whole graph and the whole graph's typical
  degree, both computed on the server (see `MechanismIndex`), not from the region.
Via and avoided entities are always included, so that naming one behaves as on the whole graph.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import networkx as nx

from .. import edges as _edges
from .. import schema
from ..store.protocol import Backend, BoundedBackend
from .chains import chain_nodes
from .index import MechanismIndex, forget
from .paths import LEG_MAX_LEN, PathAnswer, PathOptions, find_paths
from .therapies import descents

_KINDS = (None, *schema.ENTITY_KINDS)


def walk_relations() -> tuple[list[str], list[str]]:
    """Relations a mechanism step may walk from source to target, and those it may walk from
    target to source (a regimen to its components), under `semantics.walk_rule` for any kinds."""
    rules = {r: [_edges.walk_rule(r, ku, kv) for ku in _KINDS for kv in _KINDS] for r in schema.RELATIONS}
    along = sorted(r for r, rs in rules.items() if any(x is not None and not x[1] for x in rs))
    against = sorted(r for r, rs in rules.items() if any(x is not None and x[1] for x in rs))
    return along, against


def degree_relations() -> list[str]:
    """Relations that count toward a node's degree for the hub penalty between two entities that
    are neither therapies nor publications/trials (`semantics.counts_for_degree`)."""
    return sorted(r for r in schema.RELATIONS if _edges.counts_for_degree(r, None, None))


_DEGREE_SKIP = [*schema.THERAPY_KINDS, *schema.NEVER_WALKED_KINDS]
RING = 0.25  # each round of the directed search loads the nodes within this cost of its cheapest unloaded one
LAST_BUDGET = 12.0  # beyond this cost bound, fetch the hop-bounded region instead (rare: few paths exist)


def _cheapest(index: MechanismIndex, start: int, *, backward: bool, loaded: set[str],
              starts: dict[int, float] | None = None) -> dict[str, float]:
    """Cheapest walk cost from `start` (or to it, backward) of every node reached by expanding
    only the nodes whose steps are loaded (Dijkstra); forward, a walk may also start at one of
    `starts` (a therapy's members) at its descent cost. A node's hub cost counts when a walk
    passes it, never at the ends. Ignores signs, step limits and constraints: a lower bound. A
    node that is reached but not loaded has its exact cost when it is the cheapest such node."""
    import heapq

    origin = {start: 0.0, **(starts or {})}
    dist = dict(origin)
    heap = [(c, n) for n, c in origin.items()]
    heapq.heapify(heap)
    done = set()
    while heap:
        c, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        if index.ids[u] not in loaded:
            continue
        extra = index.hub[u] if u not in origin else 0.0
        for w, _, step, _ in (index.inc[u] if backward else index.out[u]):
            nc = c + step + extra
            if nc < dist.get(w, math.inf):
                dist[w] = nc
                heapq.heappush(heap, (nc, w))
    return {index.ids[n]: c for n, c in dist.items()}


def _fetch() -> dict[str, Any]:
    """The step relations and degree rules of every fetch (keyword arguments of `grow_analysis_graph`)."""
    along, against = walk_relations()
    return dict(along=along, against=against, skip_kinds=list(schema.NEVER_WALKED_KINDS),
                degree_relations=degree_relations(), degree_skip_kinds=_DEGREE_SKIP)


def _members(backend: BoundedBackend, therapy: str) -> list[str]:
    """A therapy's members, transitively (nothing when it is not a therapy)."""
    if (backend.entity(therapy) or {}).get("kind") not in schema.THERAPY_KINDS:
        return []
    return backend.therapy_chain(therapy, "subtype_of", list(schema.THERAPY_KINDS), reverse=True)


def with_chains(backend: BoundedBackend, g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Complete a region with the links of the chains its edges record (the steps out of each
    summary edge's source and of the chain's entities), so that answers can show them."""
    want = sorted(chain_nodes(g))
    if want:
        backend.grow_analysis_graph(g, want, **{**_fetch(), "against": []})
        forget(g)
    return g


def _grow_between(
    backend: BoundedBackend, source: str, target: str, opts: PathOptions,
    settled: Callable[[nx.MultiDiGraph, float], bool]
) -> nx.MultiDiGraph | None:
    """The graph around `source` and `target`, grown by cost (a bidirectional Dijkstra that
    fetches a node's steps only when it expands it) until `settled(graph, bound)` says the
    answer sought is exact, or until one side has loaded all it reaches; None when the bound
    passes LAST_BUDGET first (then the caller fetches more).

    Let every node the source reaches at cost < a have its steps out loaded, and every node that
    reaches the target at cost < b its steps in. A path of cost < a + b has a last node reached at
    < a from the source; every later node reaches the target at < b (hub and step costs are never
    negative), so each step of the path is loaded. Paths found in the loaded part are real paths
    with their real costs (degrees are the whole graph's), so any k best paths found that cost
    less than the bound a + b are the k best of the whole graph. Each round loads the next ring
    of the side whose ring has fewer edges."""
    fetch = _fetch()
    g = nx.MultiDiGraph()
    typical = backend.typical_degree(degree_relations=fetch["degree_relations"], degree_skip_kinds=_DEGREE_SKIP)
    g.graph["typical_degree"] = typical if typical is not None else 1.0
    members = _members(backend, source)
    backend.grow_analysis_graph(g, [source, *members], **fetch)
    backend.grow_analysis_graph(g, [target], reverse=True, **fetch)
    if source not in g or target not in g:
        return g  # the analysis says which end is not in the graph
    extras = [x for x in sorted({*opts.via, *opts.avoid}) if x not in g]
    if extras:
        backend.grow_analysis_graph(g, extras, **{**fetch, "along": [], "against": []})
    loaded = {False: {source, *members}, True: {target}}  # keyed by backward
    while True:
        index = opts.index(g)  # cached: the analysis reuses it
        down = {m: d.cost for m, d in descents(index, index.pos[source]).items() if m != index.pos[source]} \
            if index.is_therapy(index.pos[source]) else {}
        rings, bound = {}, {}
        for backward, start in ((False, source), (True, target)):
            dist = _cheapest(index, index.pos[start], backward=backward, loaded=loaded[backward],
                             starts=None if backward else down)
            frontier = {n: c for n, c in dist.items() if n not in loaded[backward]}
            bound[backward] = min(frontier.values(), default=math.inf)
            rings[backward] = sorted(n for n, c in frontier.items() if c <= bound[backward] + RING)
        reach = bound[False] + bound[True]
        if settled(g, reach) or not math.isfinite(reach):
            return g  # (an infinite bound: one side has loaded all it reaches, so every path is loaded)
        if reach > LAST_BUDGET:
            return None
        work = {side: sum(g.nodes[n].get("mechgraph_degree", 0) + 1 for n in ring) for side, ring in rings.items()}
        backward = work[True] < work[False]  # the ring with fewer edges to fetch
        backend.grow_analysis_graph(g, rings[backward], reverse=backward, **fetch)
        forget(g)  # edited in place: the cached index is stale
        loaded[backward].update(rings[backward])


def _directed_answer(backend: BoundedBackend, source: str, target: str, opts: PathOptions) -> PathAnswer | None:
    """The directed answer from the graph around both ends grown by cost (`_grow_between`), or
    None when that bound grows too far."""

    def settled(g: nx.MultiDiGraph, bound: float) -> bool:
        answer = find_paths(g, source, target, opts)
        return len(answer.paths) >= opts.k and max(p.cost for p in answer.paths) < bound - 1e-9

    g = _grow_between(backend, source, target, opts, settled)
    if g is None:
        return None
    return find_paths(with_chains(backend, g), source, target, opts)


def effect_graph(backend: Backend, therapy: str, outcome: str, opts: PathOptions, k: int) -> nx.MultiDiGraph:
    """The graph `effects.therapy_effect(_, therapy, outcome, opts=opts, k=k)` needs: on a
    backend that can grow a region, the graph around both ends until the k best signed paths of
    each sign are settled (`_grow_between`), plus the therapy's classes and member therapies
    with all their edges (the clinical results) and every edge into its classes (what limits
    its efficacy); else (or when fewer than k paths of a sign exist) the whole analysis graph."""
    if not isinstance(backend, BoundedBackend):
        return backend.analysis_graph()
    opts.check()
    from .effects import mechanism_paths

    if therapy == outcome or (backend.entity(therapy) or {}).get("kind") not in schema.THERAPY_KINDS:
        # the analysis refuses these with its own message; it needs only the two ends to say so
        return backend.induced_analysis_graph([therapy, outcome], degree_relations=degree_relations(),
                                              degree_skip_kinds=_DEGREE_SKIP)

    def settled(g: nx.MultiDiGraph, bound: float) -> bool:
        index = opts.index(g)
        for found in mechanism_paths(index, index.pos[therapy], index.pos[outcome], opts, k).values():
            if len(found) < k or max(f.cost for f in found) >= bound - 1e-9:
                return False
        return True

    g = _grow_between(backend, therapy, outcome, opts, settled)
    if g is None or therapy not in g or outcome not in g:
        return backend.analysis_graph()
    kinds = list(schema.THERAPY_KINDS)
    classes = backend.therapy_chain(therapy, "subtype_of", kinds)
    members = backend.therapy_chain(therapy, "subtype_of", kinds, reverse=True)
    fetch = dict(along=sorted(schema.RELATIONS), against=[], degree_relations=degree_relations(),
                 degree_skip_kinds=_DEGREE_SKIP)
    # real edges only: a path they add costs at least the bound, so the paths above stay the k best
    backend.grow_analysis_graph(g, sorted({therapy, *classes, *members}), **fetch)
    backend.grow_analysis_graph(g, sorted({therapy, *classes}), reverse=True, **fetch)
    forget(g)
    return with_chains(backend, g)


def therapy_effect_in(backend: Backend, therapy: str, outcome: str, opts: PathOptions, k: int):
    """`effects.therapy_effect` on whatever backend holds the graph, fetching only what it needs."""
    from .effects import therapy_effect

    return therapy_effect(effect_graph(backend, therapy, outcome, opts, k), therapy, outcome, opts=opts, k=k)


def legs_graph(backend: BoundedBackend, starts: list[str], leg: int, keep: set[str]) -> nx.MultiDiGraph:
    """Every walk of at most `leg` steps from each of `starts` and from their members (a class
    answers through them): the steps out of each entity fewer than `leg` steps from one of them
    (breadth-first on the server; the entities `leg` steps away are ends of walks, so their own
    steps are not fetched), with whole-graph degrees, and the entities `keep` (the ends, via and
    avoided ones) with theirs; completed with the links of the chains it holds."""
    fetch = _fetch()
    along, against = fetch["along"], fetch["against"]
    g = nx.MultiDiGraph()
    typical = backend.typical_degree(degree_relations=fetch["degree_relations"], degree_skip_kinds=_DEGREE_SKIP)
    g.graph["typical_degree"] = typical if typical is not None else 1.0
    inner: set[str] = set()
    for start in starts:
        near = backend.ball([start, *_members(backend, start)], leg - 1, along=along, against=against,
                            skip_kinds=list(schema.NEVER_WALKED_KINDS))
        inner |= set(near)
    backend.grow_analysis_graph(g, sorted(inner), **fetch)
    backend.grow_analysis_graph(g, sorted(keep), **{**fetch, "along": [], "against": []})
    return with_chains(backend, g)


def path_graph(backend: Backend, source: str, target: str, opts: PathOptions) -> nx.MultiDiGraph:
    """The graph `find_paths(_, source, target, opts)` needs from `backend`: a bounded region
    when the backend can choose one on its server, else its whole analysis graph. The region is
    every node within `max_len` steps both ways (directed) or the two legs' neighbourhoods and
    the therapy's classes (toward a therapy)."""
    if not isinstance(backend, BoundedBackend):
        return backend.analysis_graph()
    opts.check()
    along, against = walk_relations()
    skip = list(schema.NEVER_WALKED_KINDS)
    target_kind = (backend.entity(target) or {}).get("kind")
    source_kind = (backend.entity(source) or {}).get("kind")
    keep = {source, target, *opts.via, *opts.avoid}
    if target_kind in schema.THERAPY_KINDS:
        if source_kind not in schema.THERAPY_KINDS and source != target:
            classes = backend.therapy_chain(target, "subtype_of", list(schema.THERAPY_KINDS))
            g = legs_graph(backend, [source, target], min(opts.max_len, LEG_MAX_LEN), keep)
            backend.grow_analysis_graph(g, sorted({target, *classes}), along=sorted(schema.RELATIONS), reverse=True,
                                        degree_relations=degree_relations(), degree_skip_kinds=_DEGREE_SKIP)
            backend.grow_analysis_graph(g, classes, along=along, against=against, skip_kinds=skip,
                                        degree_relations=degree_relations(), degree_skip_kinds=_DEGREE_SKIP)
            return g
    elif source != target:
        members = _members(backend, source)
        ahead = backend.ball([source, *members], opts.max_len, along=along, against=against, skip_kinds=skip)
        if target in ahead:
            back = backend.ball([target], opts.max_len, along=along, against=against, skip_kinds=skip, reverse=True)
            keep |= {n for n, d in ahead.items() if n in back and d + back[n] <= opts.max_len} | set(members)
    return with_chains(backend, backend.induced_analysis_graph(sorted(keep), degree_relations=degree_relations(),
                                                               degree_skip_kinds=_DEGREE_SKIP))


def find_paths_in(backend: Backend, source: str, target: str, opts: PathOptions) -> PathAnswer:
    """`find_paths` on whatever backend holds the graph, fetching only what it needs: on a
    backend that can grow a region, the directed question first by cost (usually a few dozen
    nodes), then by hops."""
    if isinstance(backend, BoundedBackend) and source != target:
        opts.check()
        kinds = {k: (backend.entity(x) or {}).get("kind") for k, x in (("s", source), ("t", target))}
        if kinds["t"] not in schema.THERAPY_KINDS:
            answer = _directed_answer(backend, source, target, opts)
            if answer is not None:
                return answer
    return find_paths(path_graph(backend, source, target, opts), source, target, opts)


def combine_graph(backend: Backend, a: str, b: str, opts: PathOptions, stratum: str | None = None) -> nx.MultiDiGraph:
    """The graph `combine.combine(_, a, b, opts, stratum=...)` needs: every meeting leg has at
    most `min(max_len, LEG_MAX_LEN)` steps from either therapy (or one of its members), so on a
    backend that can search on its server, the entities within that many steps of each (with
    every edge among them and whole-graph degrees), and the subtype with its features; else the
    whole analysis graph."""
    if not isinstance(backend, BoundedBackend):
        return backend.analysis_graph()
    opts.check()
    leg = min(opts.max_len, LEG_MAX_LEN)
    keep = {a, b, *opts.via, *opts.avoid, *([stratum] if stratum else [])}
    if a == b:
        return backend.induced_analysis_graph(sorted(keep), degree_relations=degree_relations(),
                                              degree_skip_kinds=_DEGREE_SKIP)
    g = legs_graph(backend, [a, b], leg, keep)
    if stratum:
        backend.grow_analysis_graph(g, [stratum], **_fetch())
    # what one does to the other's efficacy: the edges into each therapy, its classes and members
    kinds = list(schema.THERAPY_KINDS)
    family = sorted({x for t in (a, b) for x in (t, *backend.therapy_chain(t, "subtype_of", kinds),
                                                   *backend.therapy_chain(t, "subtype_of", kinds, reverse=True))})
    backend.grow_analysis_graph(g, family, along=sorted(schema.RELATIONS), reverse=True,
                                degree_relations=degree_relations(), degree_skip_kinds=_DEGREE_SKIP)
    forget(g)
    return g


def combine_in(backend: Backend, a: str, b: str, opts: PathOptions, stratum: str | None = None):
    """`combine.combine` of two therapies on whatever backend holds the graph, fetching only what it needs."""
    from .combine import combine

    return combine(combine_graph(backend, a, b, opts, stratum), a, b, opts, stratum=stratum)


def escape_routes_in(backend: Backend, therapy: str, outcome: str, opts: PathOptions, stratum: str | None = None):
    """`combine.escape_routes` of one therapy toward an outcome (on the whole analysis graph: its routes may start
    anywhere)."""
    from .combine import escape_routes

    return escape_routes(backend.analysis_graph(), therapy, outcome, opts, stratum=stratum)
