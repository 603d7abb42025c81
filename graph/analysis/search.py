"""Signed search on a MechanismIndex: best path per (node, sign), and the k best simple signed paths.

Costs are additive: each step costs -log(weight) - log(0.8), and each node a path passes through
(not its ends) costs hub_penalty * log(degree), so a path's score exp(-cost) / 0.8 is the product
of its step weights, 0.8 per step after the first, and degree**-hub_penalty per intermediate node
(the degree damping of Hetionet's degree-weighted path count, applied to one path).

`best_signed` is a Dijkstra over (node, sign) states from one node, forward or backward; it keeps
one best path per state and never extends a path into a node already on it. `k_best_paths`
enumerates simple paths best-first with an exact lower bound on what is left (a backward
Dijkstra over (node, sign, via seen) states), so the first complete paths it finds are the k
cheapest with the asked-for sign; the sign is part of the search state, not a filter afterwards.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

from ..errors import MechGraphError
from .index import Constraints, MechanismIndex

EPS = 1e-9
MAX_POPS = 400_000  # bound on the partial paths one query examines (huge, dense graphs)

State = tuple[int, int]  # (node, sign of the path so far: +1 / -1)


@dataclass
class Found:
    """A path as node numbers and edge numbers of the index, with its net sign and cost."""

    nodes: list[int]
    edges: list[int]
    sign: int
    cost: float


def hops(index: MechanismIndex, start: int, cutoff: int, cons: Constraints, *, backward: bool = False) -> dict[int, int]:
    """Hop distances from `start` (or to it, backward) up to `cutoff`, through allowed nodes only."""
    adj = index.inc if backward else index.out
    dist = {start: 0}
    frontier = [start]
    for depth in range(1, cutoff + 1):
        nxt = []
        for u in frontier:
            if u != start and not cons.interior_ok(index, u):
                continue
            for w, *_ in adj[u]:
                if w not in dist and w not in cons.avoid:
                    dist[w] = depth
                    nxt.append(w)
        if not nxt:
            break
        frontier = nxt
    return dist


def best_signed(
    index: MechanismIndex,
    start: int,
    *,
    max_len: int,
    cons: Constraints,
    backward: bool = False,
    region: set[int] | dict[int, int] | None = None,
) -> dict[State, tuple[float, State | None, int, int]]:
    """For every (node, sign) reachable from `start` (forward) or reaching it (backward) in at most
    `max_len` steps: (cost, previous state, edge number, steps). The sign is that of the path
    between the node and `start`; intermediate nodes pay the hub cost, the two ends do not."""
    adj = index.inc if backward else index.out
    hub = index.hub
    best: dict[State, tuple[float, State | None, int, int]] = {(start, 1): (0.0, None, -1, 0)}
    heap: list[tuple[float, int, int, int]] = [(0.0, 0, start, 1)]
    while heap:
        cost, steps, u, s = heapq.heappop(heap)
        entry = best.get((u, s))
        if entry is None or entry[0] < cost - EPS:
            continue
        if steps >= max_len or (u != start and not cons.interior_ok(index, u)):
            continue
        on_path = _path_nodes(best, (u, s))
        extra = hub[u] if u != start else 0.0
        for w, sign, c, e in adj[u]:
            if w in on_path or w in cons.avoid or (region is not None and w not in region):
                continue
            ns = s * sign if sign else s
            nc = cost + c + extra
            old = best.get((w, ns))
            if old is None or nc < old[0] - EPS or (abs(nc - old[0]) <= EPS and _tie(index, best, (u, s), e, old)):
                best[(w, ns)] = (nc, (u, s), e, steps + 1)
                heapq.heappush(heap, (nc, steps + 1, w, ns))
    return best


def _path_nodes(best, state: State) -> set[int]:
    nodes = set()
    while state is not None:
        nodes.add(state[0])
        state = best[state][1]
    return nodes


def _tie(index: MechanismIndex, best, prev: State, edge: int, old) -> bool:
    """Equal cost: keep the path that is shorter, then has the smaller node ids and relations, so the
    answer does not depend on the order the store returned the edges in."""
    new_key = (best[prev][3] + 1, _chain_key(index, best, prev, edge))
    old_key = (old[3], _chain_key(index, best, old[1], old[2]))
    return new_key < old_key


def _chain_key(index: MechanismIndex, best, state: State | None, edge: int) -> tuple:
    edges = [edge]
    while state is not None and best[state][1] is not None:
        edges.append(best[state][2])
        state = best[state][1]
    infos = [index.edges[e] for e in edges]
    return tuple((i.source, i.target, i.relation) for i in infos)


def chain(best, state: State) -> tuple[list[int], list[int]]:
    """Nodes and edges of the best path to `state`, in the order they were walked from the start."""
    nodes, edges = [state[0]], []
    while best[state][1] is not None:
        _, prev, e, _ = best[state]
        edges.append(e)
        nodes.append(prev[0])
        state = prev
    return nodes[::-1], edges[::-1]


def k_best_paths(
    index: MechanismIndex,
    source: int,
    target: int,
    *,
    k: int,
    max_len: int,
    cons: Constraints,
    sign: int | None = None,
    via: int | None = None,
) -> tuple[list[Found], bool]:
    """The k cheapest simple paths source -> target of at most max_len steps, optionally of one net
    sign and through one node; and whether the search stopped at its work bound first."""
    if k < 1 or max_len < 1:
        raise MechGraphError("k and max-len must be at least 1")
    if source == target:
        return [], False
    fwd = hops(index, source, max_len, cons)
    if target not in fwd:
        return [], False
    bwd = hops(index, target, max_len, cons, backward=True)
    region = {n for n, d in bwd.items() if n in fwd and fwd[n] + d <= max_len}
    if via is not None and via not in region:
        return [], False
    h = _lower_bounds(index, target, region, cons, sign, via, source)
    start_flag = via is None or source == via
    start = (source, 1, start_flag)
    if start not in h:
        return [], False
    tie = lambda nodes, edges: (tuple(index.ids[n] for n in nodes), tuple(index.edges[e].relation for e in edges))  # noqa: E731
    heap = [(h[start], 0, tie([source], []), 0.0, [source], [], 1, start_flag)]
    found: list[Found] = []
    pops = 0
    truncated = False
    while heap:
        f, length, _, g, nodes, edges, s, flag = heapq.heappop(heap)
        if len(found) >= k and f > sorted(p.cost for p in found)[k - 1] + EPS:
            break
        pops += 1
        if pops > MAX_POPS:
            truncated = True
            break
        u = nodes[-1]
        if u == target:
            found.append(Found(nodes, edges, s, g))
            continue
        if length >= max_len or (u != source and not cons.interior_ok(index, u)):
            continue
        extra = index.hub[u] if u != source else 0.0
        seen = set(nodes)
        for w, step_sign, c, e in index.out[u]:
            if w in seen or w not in region or length + 1 + bwd[w] > max_len:
                continue
            ns = s * step_sign if step_sign else s
            nflag = flag or w == via
            hw = h.get((w, ns, nflag))
            if hw is None:
                continue
            ng = g + c + extra
            wh = index.hub[w] if w not in (source, target) else 0.0
            nn, ne = nodes + [w], edges + [e]
            heapq.heappush(heap, (ng + wh + hw, length + 1, tie(nn, ne), ng, nn, ne, ns, nflag))
    found.sort(key=lambda p: (round(p.cost, 9), len(p.edges), tie(p.nodes, p.edges)))
    return found[:k], truncated


def _lower_bounds(
    index: MechanismIndex, target: int, region: set[int], cons: Constraints, sign: int | None, via: int | None, source: int
) -> dict[tuple[int, int, bool], float]:
    """Exact cheapest-walk cost from every state (node, sign so far, via seen so far) to a goal state
    at the target, over the region: a lower bound on the cost of any simple path's remainder. It
    leaves out the hub cost of the state's own node and of the target.

    A step u -> w turns (u, s, f) into (w, s * step sign, f or w == via); the goals are
    (target, wanted sign, True). Without `via` the flag is always True."""
    dist: dict[tuple[int, int, bool], float] = {}
    heap: list[tuple[float, tuple[int, int, bool]]] = []
    for s in (sign,) if sign is not None else (1, -1):
        dist[(target, s, True)] = 0.0
        heap.append((0.0, (target, s, True)))
    heapq.heapify(heap)
    while heap:
        d, (w, sw, fw) = heapq.heappop(heap)
        if dist.get((w, sw, fw), math.inf) < d - EPS:
            continue
        if w != target and w != source and not cons.interior_ok(index, w):
            continue  # w may only be an end of the path; nothing continues through it
        if via is not None and w == via:
            if not fw:
                continue
            pred_flags: tuple[bool, ...] = (False, True)
        else:
            pred_flags = (fw,)
        extra = index.hub[w] if w != target else 0.0
        for a, step_sign, c, _ in index.inc[w]:
            if a not in region:
                continue
            sa = sw * step_sign if step_sign else sw
            nd = d + c + extra
            for fa in pred_flags:
                key = (a, sa, fa)
                if nd < dist.get(key, math.inf) - EPS:
                    dist[key] = nd
                    heapq.heappush(heap, (nd, key))
    return dist
