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
from typing import Any

import networkx as nx

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


@dataclass(frozen=True)
class Constraints:
    """Per-query limits on the nodes a path may pass through (its interior nodes)."""

    avoid: frozenset[int] = frozenset()
    kinds: frozenset[str] | None = None  # interior nodes must be of these kinds (None: any walkable kind)
    max_degree: int | None = None

    def interior_ok(self, index: "MechanismIndex", n: int) -> bool:
        if n in self.avoid:
            return False
        if self.kinds is not None and index.kind[n] not in self.kinds and index.kind[n] not in sem.THERAPY_KINDS:
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
        support: frozenset[str] = sem.DEFAULT_SUPPORT,
        min_level: str | None = None,
        hub_penalty: float = sem.DEFAULT_HUB_PENALTY,
    ):
        if min_level is not None and min_level not in schema.EVIDENCE_LEVELS:
            raise MechGraphError(f"unknown evidence level {min_level!r}; choose from {', '.join(schema.EVIDENCE_LEVELS)}")
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
        self.edges: list[EdgeInfo] = []
        # non-therapy -> therapy edges: they change a therapy's efficacy (clinical associations)
        self.efficacy: dict[int, list[int]] = {}
        self.efficacy_edges: list[EdgeInfo] = []
        # cell -expresses-> gene: markers, not mechanism steps; a therapy can deplete the cell through them
        self.markers: dict[int, list[tuple[int, EdgeInfo]]] = {}
        # per node, from the usable evidence of all its edges: the strongest level, the distinct references
        self.best_level: list[int] = [0] * n
        self.refs: list[set[str] | None] = [None] * n
        # therapies acting on a node (targets, inhibits, activates, binds, kills) by usable evidence
        self.acted_on: dict[int, list[int]] = {}
        levels = schema.EVIDENCE_LEVELS
        pos, kind = self.pos, self.kind
        for u, nbrs in g._succ.items():
            iu = pos[u]
            ku = kind[iu]
            for v, keyed in nbrs.items():
                iv = pos[v]
                kv = kind[iv]
                for rel, attrs in keyed.items():
                    relation = attrs.get("relation", rel)
                    if sem.counts_for_degree(relation, ku, kv):
                        self.degree[iu] += 1
                        self.degree[iv] += 1
                    records = sem.usable_records(attrs, support, min_level)
                    if not records:
                        continue
                    for rec in records:
                        strength = levels.get(rec.get("level") or "", 0)
                        ref = rec.get("ref")
                        for i in (iu, iv):
                            if strength > self.best_level[i]:
                                self.best_level[i] = strength
                            if ref and ref != "review":
                                bucket = self.refs[i]
                                if bucket is None:
                                    bucket = self.refs[i] = set()
                                bucket.add(str(ref))
                    if relation in sem.ACTING_RELATIONS and ku in sem.THERAPY_KINDS and kv not in sem.THERAPY_KINDS:
                        acting = self.acted_on.setdefault(iv, [])
                        if iu not in acting:
                            acting.append(iu)
                    rule = sem.walk_rule(relation, ku, kv)
                    efficacy = rule is None and sem.is_efficacy_edge(ku, kv)
                    marker = rule is None and relation == "expresses" and ku in sem.CELL_KINDS
                    if rule is None and not efficacy and not marker:
                        continue
                    info = self._edge_info(u, v, relation, attrs, records, rule)
                    if marker:
                        self.markers.setdefault(iv, []).append((iu, info))
                        continue
                    if efficacy:
                        self.efficacy.setdefault(iv, []).append(len(self.efficacy_edges))
                        self.efficacy_edges.append(info)
                        continue
                    sign, rev = rule
                    e = len(self.edges)
                    self.edges.append(info)
                    cost = sem.step_cost(info.weight)
                    a, b = (iv, iu) if rev else (iu, iv)
                    self.out[a].append((b, sign, cost, e))
                    self.inc[b].append((a, sign, cost, e))
        # a node of typical degree (the median of the connected ones) costs nothing extra; a hub of
        # m times that degree multiplies a path's score by m**-hub_penalty
        connected = sorted(d for d in self.degree if d > 0)
        self.typical_degree = max(1.0, float(statistics.median(connected))) if connected else 1.0
        ref = self.typical_degree
        self.hub: list[float] = [hub_penalty * math.log(d / ref) if d > ref else 0.0 for d in self.degree]

    @staticmethod
    def _edge_info(u: str, v: str, relation: str, attrs: dict[str, Any], records: list[dict[str, Any]], rule) -> EdgeInfo:
        refs = sorted({str(r["ref"]) for r in records if r.get("ref")}, key=_ref_key)
        if not refs and not attrs.get("evidence"):
            refs = [str(r) for r in attrs.get("refs") or ()]
        levels = [r.get("level") for r in records if r.get("level") in schema.EVIDENCE_LEVELS]
        level = max(levels, key=schema.EVIDENCE_LEVELS.__getitem__) if levels else attrs.get("level")
        supports = tuple(sorted({sem.record_support(r) for r in records}))
        sign = rule[0] if rule else (schema.RELATIONS[relation].sign if relation in schema.RELATIONS else 0)
        weight = sem.step_weight_of(records, refs)
        return EdgeInfo(u, v, relation, bool(rule and rule[1]), sign or 0, weight, tuple(refs), level, supports)

    # --- lookups ------------------------------------------------------------------------------
    def node(self, eid: str) -> int:
        try:
            return self.pos[eid]
        except KeyError:
            raise MechGraphError(f"{eid!r} is not in the graph") from None

    def name(self, i: int) -> str:
        return str(self.g.nodes[self.ids[i]].get("name", self.ids[i]))

    def is_therapy(self, i: int) -> bool:
        return self.kind[i] in sem.THERAPY_KINDS

    def is_outcome(self, i: int) -> bool:
        return self.kind[i] in sem.OUTCOME_KINDS

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


def _ref_key(ref: str) -> tuple[int, int, str]:
    return (0, int(ref), "") if ref.isdigit() else (1, 0, ref)


_CACHE: "weakref.WeakKeyDictionary[nx.MultiDiGraph, dict]" = weakref.WeakKeyDictionary()


def mechanism_index(
    g: nx.MultiDiGraph,
    *,
    support: frozenset[str] = sem.DEFAULT_SUPPORT,
    min_level: str | None = None,
    hub_penalty: float = sem.DEFAULT_HUB_PENALTY,
) -> MechanismIndex:
    """The MechanismIndex of a graph under a filter, built once and reused while the graph's size
    is unchanged (graphs are mutable: after editing one in place without changing its size, build
    a MechanismIndex yourself)."""
    n_edges = sum(len(keys) for nbrs in g._succ.values() for keys in nbrs.values())
    key = (g.number_of_nodes(), n_edges, frozenset(support), min_level, float(hub_penalty))
    per_graph = _CACHE.setdefault(g, {})
    index = per_graph.get(key)
    if index is None:
        if len(per_graph) > 8:
            per_graph.clear()
        index = per_graph[key] = MechanismIndex(g, support=frozenset(support), min_level=min_level, hub_penalty=hub_penalty)
    return index
