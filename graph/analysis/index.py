"""The mechanism graph prepared for signed search: walkable steps with their signs and costs.

`MechanismIndex` turns a MultiDiGraph into integer-indexed adjacency lists under the rules of
`semantics` and one evidence filter (support, minimum level), once; every path, target, effect
and combination query on the same graph and filter reuses it (`mechanism_index` caches it).
"""

from __future__ import annotations

import math
import statistics
import weakref
from dataclasses import dataclass

import networkx as nx

from .. import edges as _edges
from .. import schema
from ..errors import MechGraphError
from . import semantics as sem

# A walk: (to node, sign: +1/-1, or 0 = passes the sign through, cost, edge number)
Walk = tuple[int, int, float, int]


@dataclass(frozen=True)
class EdgeInfo:
    """One walkable edge as stored, with what its usable evidence says."""

    source: str
    target: str
    relation: str
    reversed: bool  # walked from target to source (a regimen to its components)
    sign: int
    weight: float
    refs: tuple[str, ...]
    level: str | None
    supports: tuple[str, ...]
    chain: tuple[str, ...] = ()  # the molecular chain this edge summarises (ids, without its two ends)


@dataclass(frozen=True)
class Via:
    """What a path must pass: any of `nodes`, or a step whose recorded chain runs through one of
    them (`--via C3` matches THBS2+ CAF -polarizes-> SPP1+ TAM explained through C3). Empty: no
    condition."""

    nodes: frozenset[int] = frozenset()
    edges: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.nodes or self.edges)

    def passed(self, nodes, edges) -> bool:
        """Whether a walk of these nodes and edge numbers passes it."""
        return any(n in self.nodes for n in nodes) or any(e in self.edges for e in edges)


@dataclass(frozen=True)
class Constraints:
    """Per-query limits on the nodes a path may pass through (its interior nodes)."""

    avoid: frozenset[int] = frozenset()
    kinds: frozenset[str] | None = None  # interior nodes must be of these kinds (None: any walkable kind)
    max_degree: int | None = None

    def interior_ok(self, index: MechanismIndex, n: int) -> bool:
        if n in self.avoid:
            return False
        if self.kinds is not None and index.kind[n] not in self.kinds and index.kind[n] not in schema.THERAPY_KINDS:
            return False  # a therapy's own class chain is part of its mechanism, whatever the kinds
        if self.max_degree is not None and index.degree[n] > self.max_degree:
            return False
        return True


class MechanismIndex:
    """Walkable steps of a mechanism graph under one evidence filter and hub penalty."""

    def __init__(
        self,
        g: nx.MultiDiGraph,
        *,
        support: frozenset[str] = _edges.DEFAULT_SUPPORT,
        min_level: str | None = None,
        hub_penalty: float = sem.DEFAULT_HUB_PENALTY,
    ):
        if min_level is not None and min_level not in schema.EVIDENCE_LEVELS:
            raise MechGraphError(f"unknown evidence level {min_level!r}; choose from "
                                 f"{', '.join(schema.EVIDENCE_LEVELS)}")
        if hub_penalty < 0:
            raise MechGraphError("the hub penalty must be 0 or more")
        self.g = g
        self.support = support
        self.min_level = min_level
        self.hub_penalty = hub_penalty
        self.ids: list[str] = list(g.nodes)
        self.pos: dict[str, int] = {n: i for i, n in enumerate(self.ids)}
        nodes = g._node  # direct access: this loop runs over every edge of graphs with 10^6 edges
        self.kind: list[str] = [str(nodes[n].get("kind") or "") for n in self.ids]
        n = len(self.ids)
        self.out: list[list[Walk]] = [[] for _ in range(n)]
        self.inc: list[list[Walk]] = [[] for _ in range(n)]  # walks into a node, keyed by where they start
        self.degree: list[int] = [0] * n
        self.edges = _Edges(self)
        # non-therapy -> therapy edges: they change a therapy's efficacy (clinical associations)
        self.efficacy: dict[int, list[int]] = {}
        self.efficacy_edges = _Edges(self)
        # cell -expresses-> gene: markers, not mechanism steps; a therapy can deplete the cell through them
        self.markers: dict[int, list[tuple[int, EdgeInfo]]] = {}
        marker_rows: list[tuple[int, int, tuple]] = []
        # per node, from the usable evidence of all its edges: the strongest level, the distinct references
        self.best_level: list[int] = [0] * n
        self.refs: list[set[str] | None] = [None] * n
        # therapies acting on a node (edges.ACTING_RELATIONS) by usable evidence
        self.acted_on: dict[int, list[int]] = {}
        # walk edges that summarise a recorded molecular chain: edge number -> chain ids
        self.chains: dict[int, tuple[str, ...]] = {}
        levels = schema.EVIDENCE_LEVELS
        floor = levels.get(min_level, 0) if min_level else 0
        weigh = _edges.weigh
        rules: dict[tuple[str, str, str], tuple] = {}
        pos, kind, degree, best_level, node_refs = self.pos, self.kind, self.degree, self.best_level, self.refs
        out, inc, rows, eff_rows = self.out, self.inc, self.edges.rows, self.efficacy_edges.rows
        log = math.log
        step_penalty_cost = -log(sem.STEP_PENALTY)
        for u, nbrs in g._succ.items():
            iu = pos[u]
            ku = kind[iu]
            for v, keyed in nbrs.items():
                iv = pos[v]
                kv = kind[iv]
                for rel, attrs in keyed.items():
                    relation = attrs.get("relation", rel)
                    rule_key = (relation, ku, kv)
                    r = rules.get(rule_key)
                    if r is None:
                        r = rules[rule_key] = _classify(relation, ku, kv)
                    counts, acting, rule, efficacy, marker = r
                    if counts:
                        degree[iu] += 1
                        degree[iv] += 1
                    evidence = attrs.get("evidence")
                    if evidence:
                        recs = [x for x in evidence if (x.get("support") or "review_text") in support
                                and (not floor or levels.get(x.get("level") or "", 0) >= floor)]
                    else:
                        recs = _edges.usable_records(attrs, support, min_level)
                    if not recs:
                        continue
                    best_s, weight, edge_refs, _ = weigh(recs, None if evidence else len(attrs.get("refs") or ()))
                    for i in (iu, iv):
                        if best_s > best_level[i]:
                            best_level[i] = best_s
                    real_refs = edge_refs - {"review"}
                    if real_refs:
                        for i in (iu, iv):
                            bucket = node_refs[i]
                            if bucket is None:
                                node_refs[i] = set(real_refs)
                            else:
                                bucket.update(real_refs)
                    if acting:
                        lst = self.acted_on.setdefault(iv, [])
                        if iu not in lst:
                            lst.append(iu)
                    if rule is None and not efficacy and not marker:
                        continue
                    row = (u, v, relation, bool(rule and rule[1]),
                           rule[0] if rule else _edges.relation_sign(relation), weight)
                    if marker:
                        marker_rows.append((iv, iu, row))
                        continue
                    if efficacy:
                        self.efficacy.setdefault(iv, []).append(len(eff_rows))
                        eff_rows.append(row)
                        continue
                    sign, rev = rule
                    e = len(rows)
                    rows.append(row)
                    chain = attrs.get("chain")
                    if chain:
                        self.chains[e] = tuple(str(c) for c in chain)
                    cost = -log(weight) + step_penalty_cost
                    if rev:
                        out[iv].append((iu, sign, cost, e))
                        inc[iu].append((iv, sign, cost, e))
                    else:
                        out[iu].append((iv, sign, cost, e))
                        inc[iv].append((iu, sign, cost, e))
        for gene, cell, row in marker_rows:
            self.markers.setdefault(gene, []).append((cell, self.edges.make(row)))
        # a node of typical degree (the median of the connected ones) costs nothing extra; a hub of
        # m times that degree multiplies a path's score by m**-hub_penalty
        given = g.graph.get("typical_degree")
        if given is not None:
            # a part of a bigger graph (the Neo4j backend's bounded fetch): each node carries its
            # degree in the whole graph, and the graph the whole graph's typical degree, so that
            # the hub penalty is the one the whole graph gives
            for i, node_id in enumerate(self.ids):
                d = nodes[node_id].get("mechgraph_degree")
                if d is not None:
                    degree[i] = int(d)
            self.typical_degree = max(1.0, float(given))
        else:
            connected = sorted(d for d in self.degree if d > 0)
            self.typical_degree = max(1.0, float(statistics.median(connected))) if connected else 1.0
        ref = self.typical_degree
        self.hub: list[float] = [hub_penalty * math.log(d / ref) if d > ref else 0.0 for d in self.degree]
        # chain node -> the walk edges explained through it; (source, target) -> chains of summary edges
        self.chain_edges: dict[int, list[int]] = {}
        self.summaries: dict[tuple[int, int], set[tuple[int, ...]]] = {}
        for e, chain in self.chains.items():
            u, v, _, rev, *_ = rows[e]
            a, b = (self.pos[v], self.pos[u]) if rev else (self.pos[u], self.pos[v])
            ids = tuple(self.pos[c] for c in chain if c in self.pos)
            for c in set(ids):
                self.chain_edges.setdefault(c, []).append(e)
            if len(ids) == len(chain):  # (a chain with a link outside this part of a graph is never walked in it)
                self.summaries.setdefault((a, b), set()).add(ids)

    # --- lookups ------------------------------------------------------------------------------
    def id_rank(self):
        """Each node's rank among the ids in sorted order (a numpy array), for ties broken by id."""
        rank = getattr(self, "_id_rank", None)
        if rank is None:
            import numpy as np

            rank = np.empty(len(self.ids), dtype=np.int64)
            rank[np.argsort(np.asarray(self.ids, dtype=object))] = np.arange(len(self.ids))
            self._id_rank = rank
        return rank

    def node(self, eid: str) -> int:
        try:
            return self.pos[eid]
        except KeyError:
            raise MechGraphError(f"{eid!r} is not in the graph") from None

    def name(self, i: int) -> str:
        return str(self.g.nodes[self.ids[i]].get("name", self.ids[i]))

    def is_therapy(self, i: int) -> bool:
        return self.kind[i] in schema.THERAPY_KINDS

    def is_outcome(self, i: int) -> bool:
        return self.kind[i] in schema.OUTCOME_KINDS

    def via(self, nodes) -> Via:
        """The Via of these node numbers: the nodes, and the steps explained through one of them."""
        nodes = frozenset(nodes)
        return Via(nodes, frozenset(e for n in nodes for e in self.chain_edges.get(n, ())))

    def expands_summary(self, nodes: list[int]) -> bool:
        """Whether a walk runs a recorded chain link by link (THBS2+ CAF -> C3 -> C3aR1 -> SPP1+ TAM)
        where a summary edge of its two ends records that chain: the same mechanism as the summary
        step, which shows the chain under it, so answers list it once, as the summary."""
        if not self.summaries:
            return False
        for i, a in enumerate(nodes):
            for j in range(i + 2, len(nodes)):
                chains = self.summaries.get((a, nodes[j]))
                if chains and tuple(nodes[i + 1:j]) in chains:
                    return True
        return False

    def constraints(self, *, avoid=(), kinds=None, max_degree: int | None = None) -> Constraints:
        """Constraints from entity ids and kind names, checked."""
        if kinds is not None:
            unknown = sorted(set(kinds) - set(schema.ENTITY_KINDS))
            if unknown:
                raise MechGraphError(f"unknown kind {', '.join(unknown)}; choose from {', '.join(schema.ENTITY_KINDS)}")
            kinds = frozenset(kinds)
        if max_degree is not None and max_degree < 1:
            raise MechGraphError("--max-degree must be at least 1")
        return Constraints(frozenset(self.node(a) for a in avoid), kinds, max_degree)


def _classify(relation: str, ku: str, kv: str) -> tuple:
    """(counts for degree, a therapy acting on its target, walk rule, efficacy edge, marker edge)."""
    rule = _edges.walk_rule(relation, ku, kv)
    return (
        _edges.counts_for_degree(relation, ku, kv),
        _edges.is_acting(relation, ku, kv),
        rule,
        rule is None and _edges.is_efficacy_edge(relation, ku, kv),
        rule is None and _edges.is_marker(relation, ku, kv),
    )


class _Edges:
    """The walkable edges of an index: compact rows, turned into EdgeInfo (with references, level
    and support from their usable records) only when a path shows them."""

    def __init__(self, index: MechanismIndex):
        self.index = index
        self.rows: list[tuple] = []
        self._made: dict[int, EdgeInfo] = {}

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, e: int) -> EdgeInfo:
        info = self._made.get(e)
        if info is None:
            info = self._made[e] = self.make(self.rows[e])
        return info

    def make(self, row: tuple) -> EdgeInfo:
        u, v, relation, rev, sign, weight = row
        ix = self.index
        attrs = ix.g.edges[u, v, relation] if ix.g.has_edge(u, v, relation) else next(
            a for k, a in ix.g[u][v].items() if a.get("relation", k) == relation)
        records = _edges.usable_records(attrs, ix.support, ix.min_level)
        refs = _edges.sorted_refs(r.get("ref") for r in records)
        if not refs and not attrs.get("evidence"):
            refs = [str(r) for r in attrs.get("refs") or ()]
        level = _edges.best_level(records) or attrs.get("level")
        supports = tuple(sorted({_edges.record_support(r) for r in records}))
        chain = tuple(str(c) for c in attrs.get("chain") or ())
        return EdgeInfo(u, v, relation, rev, sign, weight, tuple(refs), level, supports, chain)


_CACHE: weakref.WeakKeyDictionary[nx.MultiDiGraph, dict] = weakref.WeakKeyDictionary()


def mechanism_index(
    g: nx.MultiDiGraph,
    *,
    support: frozenset[str] = _edges.DEFAULT_SUPPORT,
    min_level: str | None = None,
    hub_penalty: float = sem.DEFAULT_HUB_PENALTY,
) -> MechanismIndex:
    """The MechanismIndex of a graph under a filter, built once and reused.

    The cache is keyed on the graph object, its number of nodes and its number of linked pairs
    (both cost microseconds; counting every edge of a 10^6-edge graph took longer than a path
    query). Graphs are mutable: after changing a graph in place in a way that keeps both counts
    (a second relation between two nodes already linked, an edited attribute), call
    `forget(g)`."""
    key = (g.number_of_nodes(), sum(map(len, g._succ.values())), frozenset(support), min_level, float(hub_penalty))
    per_graph = _CACHE.setdefault(g, {})
    index = per_graph.get(key)
    if index is None:
        if len(per_graph) > 8:
            per_graph.clear()
        index = per_graph[key] = MechanismIndex(g, support=frozenset(support), min_level=min_level,
                                                hub_penalty=hub_penalty)
    return index


def forget(g: nx.MultiDiGraph) -> None:
    """Drop the cached indexes of a graph (after editing it in place)."""
    _CACHE.pop(g, None)
