"""Signed mechanism paths: the k best paths between two entities, with the sign of every step.

Scoring. Each step gets a weight from its strongest evidence level (clinical trial 1.0,
observational human 0.9, preclinical in vivo 0.8, in vitro 0.7, expert statement 0.6), raised
by 5% for each further reference (capped at 1.0). A path's score is the product of its step
weights times 0.8 for every step after the first, so short paths on strong evidence win.
As a cost (-log score) this is additive, so the k best paths are found with Yen's k-shortest
simple paths rather than by enumerating every path.

Signs. A path's sign is the product of its step signs; any unsigned step (binds, targets,
associated_with) makes the path unsigned ("0"). Structural steps (subtype_of, part_of,
tested_in) carry no sign and pass the sign through. In directed search a subtype inherits the
mechanisms of its class (THBS2+ CAF -> CAF -> ...), and an effect on a therapy class reaches
each therapy in it (... -| PD-1 antibody -> sintilimab), walked against the stored direction.
"""

from __future__ import annotations

import heapq
import math
import weakref
from dataclasses import dataclass, field
from itertools import islice, product
from typing import Any, Iterator

import networkx as nx

from .. import schema
from ..errors import MechGraphError

LEVEL_WEIGHT = {"clinical_trial": 1.0, "observational_human": 0.9, "preclinical_in_vivo": 0.8, "in_vitro": 0.7, "expert_statement": 0.6}
EXTRA_REF_BONUS = 0.05
STEP_PENALTY = 0.8
EXCLUDED_KINDS = ("publication",)
MAX_YEN_PATHS = 5_000  # node paths examined at most per query, to bound the work on huge graphs


def step_weight(attrs: dict[str, Any]) -> float:
    """Weight of one edge from its strongest evidence level and number of references."""
    w = LEVEL_WEIGHT.get(attrs.get("level") or "", 0.5)
    n_refs = len(attrs.get("refs") or [])
    return min(1.0, w * (1 + EXTRA_REF_BONUS * max(0, n_refs - 1)))


def step_cost(attrs: dict[str, Any]) -> float:
    return -math.log(step_weight(attrs)) - math.log(STEP_PENALTY)


def relation_sign(relation: str) -> int | None:
    rel = schema.RELATIONS.get(relation)
    return rel.sign if rel else 0


def combine_signs(signs: list[int | None]) -> str:
    """Net sign of a path: product of signed steps; unsigned if any step is 0; '=' steps pass through."""
    net = 1
    for s in signs:
        if s is None:
            continue
        if s == 0:
            return "0"
        net *= s
    return "+" if net > 0 else "-"


@dataclass
class Step:
    source: str
    target: str
    relation: str
    sign: str
    refs: list[str]
    level: str | None
    reversed: bool = False  # walked against the stored direction

    def as_dict(self) -> dict[str, Any]:
        d = {"source": self.source, "target": self.target, "relation": self.relation, "sign": self.sign, "refs": self.refs, "level": self.level}
        if self.reversed:
            d["reversed"] = True
        return d


@dataclass
class SignedPath:
    nodes: list[dict[str, str]]
    steps: list[Step]
    sign: str
    score: float
    cost: float = field(repr=False, default=0.0)

    def as_dict(self) -> dict[str, Any]:
        return {"nodes": self.nodes, "steps": [s.as_dict() for s in self.steps], "sign": self.sign, "score": round(self.score, 4)}

    def sort_key(self) -> tuple:
        return (round(self.cost, 9), len(self.steps), self.sign == "0", [s.source for s in self.steps] + [s.target for s in self.steps[-1:]], [s.relation for s in self.steps])


# A walkable edge: (from, to, relation, attrs, reversed)
Walk = tuple[str, str, str, dict[str, Any], bool]


class PathIndex:
    """The graph prepared for path search: which edges may be walked which way, and their costs."""

    def __init__(self, g: nx.MultiDiGraph, *, undirected: bool = False):
        self.g = g
        self.undirected = undirected
        self.out: dict[str, list[Walk]] = {n: [] for n in g.nodes if g.nodes[n].get("kind") not in EXCLUDED_KINDS}
        for u, v, k, a in g.edges(keys=True, data=True):
            if u not in self.out or v not in self.out:
                continue
            forward, backward = True, undirected
            if k == "subtype_of" and not undirected and g.nodes[v].get("kind") == "therapy_class":
                forward, backward = False, True  # an effect on a therapy class reaches its members
            if forward:
                self.out[u].append((u, v, k, a, False))
            if backward:
                self.out[v].append((v, u, k, a, True))
        self.simple = nx.DiGraph()
        self.simple.add_nodes_from(self.out)
        for n, walks in self.out.items():
            for frm, to, k, a, rev in walks:
                c = step_cost(a)
                if self.simple.has_edge(frm, to):
                    if c < self.simple[frm][to]["cost"]:
                        self.simple[frm][to]["cost"] = c
                else:
                    self.simple.add_edge(frm, to, cost=c)

    def walks(self, frm: str, to: str) -> list[Walk]:
        return [w for w in self.out.get(frm, []) if w[1] == to]

    def make_path(self, walks: list[Walk]) -> SignedPath:
        steps, signs, cost = [], [], 0.0
        for frm, to, k, a, rev in walks:
            s = relation_sign(k)
            signs.append(s)
            cost += step_cost(a)
            src, tgt = (to, frm) if rev else (frm, to)
            steps.append(Step(src, tgt, k, schema.SIGN_SYMBOLS[s], list(a.get("refs") or []), a.get("level"), rev))
        node_ids = [walks[0][0]] + [w[1] for w in walks]
        nodes = [{"id": n, "name": str(self.g.nodes[n].get("name", n))} for n in node_ids]
        return SignedPath(nodes, steps, combine_signs(signs), _score(cost), cost)

    def expand(self, node_path: list[str]) -> Iterator[SignedPath]:
        """Every edge path along a node path (parallel relations give separate paths)."""
        options = [self.walks(a, b) for a, b in zip(node_path, node_path[1:])]
        for combo in product(*options):
            yield self.make_path(list(combo))


_INDEX_CACHE: "weakref.WeakKeyDictionary[nx.MultiDiGraph, dict]" = weakref.WeakKeyDictionary()


def path_index(g: nx.MultiDiGraph, *, undirected: bool = False) -> PathIndex:
    """The PathIndex of a graph, built once and reused until the graph's size changes.

    Building it walks every edge; repeated path, target and effect queries on one graph (a
    notebook, a server, the benchmark) should not pay for it each time. Graphs are mutable, so
    the cache is keyed on the node and edge counts as well: edit a graph in place without
    changing its size and you must call PathIndex(g) yourself.
    """
    n_edges = sum(len(keys) for nbrs in g._succ.values() for keys in nbrs.values())  # g.size() is 40x slower
    key = (g.number_of_nodes(), n_edges, undirected)
    per_graph = _INDEX_CACHE.setdefault(g, {})
    index = per_graph.get(key)
    if index is None:
        per_graph.clear()
        index = per_graph[key] = PathIndex(g, undirected=undirected)
    return index


def _score(cost: float) -> float:
    # cost includes -log(STEP_PENALTY) per step; the first step is not penalised.
    return math.exp(-cost) / STEP_PENALTY


def k_best_paths(index: PathIndex, source: str, target: str, k: int = 5, max_len: int = 6) -> list[SignedPath]:
    """The k best simple paths from source to target of at most max_len steps, best first.

    Ties at the k-th place are broken by length, then node ids, then relations, so the answer
    does not depend on the order the store returned the edges in.
    """
    if k < 1 or max_len < 1:
        raise MechGraphError("--k and --max-len must be at least 1")
    for n in (source, target):
        if n not in index.simple:
            raise MechGraphError(f"{n!r} is not part of the path graph (publications are left out)")
    if source == target:
        return []
    found: list[SignedPath] = []
    search = _within_reach(index.simple, source, target, max_len)
    if search is None:
        return []
    try:
        gen = nx.shortest_simple_paths(search, source, target, weight="cost")
        for node_path in islice(gen, MAX_YEN_PATHS):
            lower = nx.path_weight(search, node_path, "cost")
            if len(found) >= k:
                kth = sorted(p.cost for p in found)[k - 1]
                if lower > kth + 1e-9:
                    break
            if len(node_path) - 1 > max_len:
                continue
            found.extend(index.expand(node_path))
    except nx.NetworkXNoPath:
        return []
    found.sort(key=SignedPath.sort_key)
    return found[:k]


def _bfs(adj: dict, start: str, cutoff: int, allowed=None) -> dict[str, int]:
    """Hop distances from `start` over an adjacency dict, up to `cutoff`, optionally pruned."""
    dist = {start: 0}
    frontier = [start]
    for depth in range(1, cutoff + 1):
        nxt = []
        for u in frontier:
            for v in adj[u]:
                if v not in dist and (allowed is None or allowed(v, depth)):
                    dist[v] = depth
                    nxt.append(v)
        if not nxt:
            break
        frontier = nxt
    return dist


def _within_reach(simple: nx.DiGraph, source: str, target: str, max_len: int) -> nx.DiGraph | None:
    """The part of the graph a path of at most max_len steps can use, or None if none reaches.

    A node v lies on such a path only if dist(source, v) + dist(v, target) <= max_len, so Yen's
    search can run on that (usually much smaller) subgraph and give exactly the same paths.
    """
    ahead = _bfs(simple._succ, source, max_len)
    if target not in ahead:
        return None
    behind = _bfs(simple._pred, target, max_len, lambda v, d: v in ahead and ahead[v] + d <= max_len)
    keep = {n for n, d in behind.items() if ahead[n] + d <= max_len}
    if len(keep) == simple.number_of_nodes():
        return simple
    sub = nx.DiGraph()
    sub.add_nodes_from(keep)
    sub.add_edges_from((u, v, a) for u in keep for v, a in simple._succ[u].items() if v in keep)
    return sub


def signed_paths(g: nx.MultiDiGraph, source: str, target: str, *, k: int = 5, max_len: int = 6, undirected: bool = False) -> list[SignedPath]:
    """The k best signed paths between two entity ids of the graph."""
    return k_best_paths(path_index(g, undirected=undirected), source, target, k=k, max_len=max_len)


def all_simple_walks(index: PathIndex, source: str, target: str, max_len: int, limit: int = 20_000) -> list[SignedPath]:
    """Every simple path up to max_len (bounded by `limit`), for effect summaries."""
    out: list[SignedPath] = []
    stack: list[tuple[str, list[Walk], set[str]]] = [(source, [], {source})]
    while stack and len(out) < limit:
        node, walks, seen = stack.pop()
        for w in index.out.get(node, []):
            nxt = w[1]
            if nxt in seen:
                continue
            if nxt == target:
                out.append(index.make_path(walks + [w]))
            elif len(walks) + 1 < max_len:
                stack.append((nxt, walks + [w], seen | {nxt}))
    out.sort(key=SignedPath.sort_key)
    return out


def best_signed_costs(index: PathIndex, target: str, max_len: int) -> dict[tuple[str, str], tuple[float, list[Walk]]]:
    """For every node, the cheapest path to `target` of each net sign ('+', '-', '0'), up to max_len steps.

    A Dijkstra over (node, sign-so-far) states walking edges backwards from the target; used to
    rank targets by their signed influence on an outcome. Paths that revisit a node are dropped.
    Equal costs are settled by length, node ids and relations, so the path shown as a target's
    reason does not depend on the order the store returned the edges in.
    """
    incoming: dict[str, list[Walk]] = {}
    for walks in index.out.values():
        for w in walks:
            incoming.setdefault(w[1], []).append(w)
    # state: (node, sign of the path from node to target); sign None = only structural steps so far
    best: dict[tuple[str, Any], tuple[float, list[Walk]]] = {(target, None): (0.0, [])}
    heap: list[tuple[float, int, str, Any]] = [(0.0, 0, target, None)]
    counter = 0
    while heap:
        cost, _, node, sign = heapq.heappop(heap)
        if best.get((node, sign), (math.inf,))[0] < cost - 1e-12:
            continue
        walks = best[(node, sign)][1]
        if len(walks) >= max_len:
            continue
        on_path = {node} | {w[1] for w in walks}
        for w in incoming.get(node, []):
            prev = w[0]
            if prev in on_path:
                continue
            s = relation_sign(w[2])
            new_sign = _mul(s, sign)
            c = cost + step_cost(w[3])
            key = (prev, new_sign)
            old_c, old_walks = best.get(key, (math.inf, None))
            if c < old_c - 1e-12 or (c <= old_c + 1e-12 and _walks_key([w] + walks) < _walks_key(old_walks)):
                best[key] = (c, [w] + walks)
                counter += 1
                heapq.heappush(heap, (c, counter, prev, new_sign))
    out = {}
    for (node, sign), (c, walks) in best.items():
        if node == target or sign is None:
            continue
        out[(node, sign)] = (c, walks)
    return out


def _walks_key(walks: list[Walk]) -> tuple:
    """Order of equally cheap paths: shorter first, then by node ids, then by relations."""
    return (len(walks), [w[0] for w in walks], [w[2] for w in walks])


def _mul(step: int | None, rest: Any) -> Any:
    """Sign of a path after prepending a step with sign `step` to a path of sign `rest`."""
    if step is None:
        return rest
    if step == 0 or rest == "0":
        return "0"
    if rest is None:
        return "+" if step > 0 else "-"
    r = 1 if rest == "+" else -1
    return "+" if step * r > 0 else "-"
