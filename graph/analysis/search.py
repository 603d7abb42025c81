"""Signed search on a MechanismIndex: the best walk to every state, and the k best simple signed paths.

Costs are additive: each step costs -log(weight) - log(0.8), and each node a path passes through
(not its ends) costs hub_penalty * log(degree), so a path's score exp(-cost) / 0.8 is the product
of its step weights, 0.8 per step after the first, and degree**-hub_penalty per intermediate node
(the degree damping of Hetionet's degree-weighted path count, applied to one path).

`Reach` holds, for one start node, the cheapest signed walk of at most `max_len` steps to (or,
backward, from) every (node, sign), computed with the vectorised Bellman-Ford of `arrays`.
`k_best_paths` enumerates simple paths best-first, guided by an exact lower bound on what is
left (a backward Reach over (node, sign, via passed) states with the steps still allowed), so
the first complete paths it finds are the k cheapest with the asked-for sign; the sign is part
of the search state, not a filter afterwards.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from ..errors import MechGraphError
from .arrays import bellman_ford, reach, walk_chain
from .index import Constraints, MechanismIndex

EPS = 1e-9
MAX_POPS = 400_000  # bound on the partial paths one query examines (huge, dense graphs)


@dataclass
class Found:
    """A path as node numbers and edge numbers of the index, with its net sign and cost."""

    nodes: list[int]
    edges: list[int]
    sign: int
    cost: float


class Reach:
    """The cheapest signed walk of at most `max_len` steps between `start` and every node: from
    `start` (forward) or to it (backward). The sign of a state is that of the walk."""

    def __init__(self, index: MechanismIndex, start: int, max_len: int, cons: Constraints, *, backward: bool = False):
        self.index, self.start, self.backward = index, start, backward
        self.dists = bellman_ford(index, start, max_len, cons, backward=backward)
        self.final = self.dists[-1]

    def cost(self, node: int, sign: int) -> float | None:
        c = self.final[0 if sign > 0 else 1, node]
        return float(c) if np.isfinite(c) else None

    def states(self) -> Iterator[tuple[int, int, float]]:
        """Every reachable (node, sign, cost), the start included (sign +, cost 0)."""
        for row, sign in ((0, 1), (1, -1)):
            for node in np.flatnonzero(np.isfinite(self.final[row])):
                yield int(node), sign, float(self.final[row, node])

    def chain(self, node: int, sign: int) -> tuple[list[int], list[int]]:
        """Nodes and edges of the cheapest walk, listed from the start."""
        if node == self.start and sign > 0:
            return [node], []
        return walk_chain(self.index, self.dists, self.start, node, sign, backward=self.backward)


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
    ahead = reach(index, source, max_len, cons)
    if not np.isfinite(ahead[target]):
        return [], False
    if via is not None and not np.isfinite(ahead[via]):
        return [], False
    allowed = np.isfinite(ahead)
    signs = (sign,) if sign is not None else (1, -1)
    bounds = bellman_ford(index, target, max_len, cons, backward=True, allowed=allowed, via=via, goal_signs=signs)
    passed = 2 if via is not None else 0

    def h(node: int, s: int, flag: bool, remaining: int) -> float:
        return float(bounds[remaining][(0 if s > 0 else 1) + (passed if flag else 0), node])

    start_flag = via is None or source == via
    tie = lambda nodes, edges: (tuple(index.ids[n] for n in nodes), tuple(index.edges[e].relation for e in edges))  # noqa: E731
    h0 = h(source, 1, start_flag, max_len)
    if not math.isfinite(h0):
        return [], False
    heap = [(h0, 0, tie([source], []), 0.0, [source], [], 1, start_flag)]
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
            if flag and (sign is None or s == sign):
                found.append(Found(nodes, edges, s, g))
            continue
        if length >= max_len or (u != source and not cons.interior_ok(index, u)):
            continue
        extra = index.hub[u] if u != source else 0.0
        seen = set(nodes)
        remaining = max_len - length - 1
        for w, step_sign, c, e in index.out[u]:
            if w in seen or not allowed[w]:
                continue
            ns = s * step_sign if step_sign else s
            nflag = flag or w == via
            hw = h(w, ns, nflag, remaining)
            if not math.isfinite(hw):
                continue
            ng = g + c + extra
            wh = index.hub[w] if w != target else 0.0
            nn, ne = nodes + [w], edges + [e]
            heapq.heappush(heap, (ng + wh + hw, length + 1, tie(nn, ne), ng, nn, ne, ns, nflag))
    found.sort(key=lambda p: (round(p.cost, 9), len(p.edges), tie(p.nodes, p.edges)))
    return found[:k], truncated
