"""Signed search on a MechanismIndex: the best walk to every state, and the k best simple signed paths.

Costs are additive: each step costs -log(weight) - log(0.8), and each node a path passes through
(not its ends) costs hub_penalty * log(degree), so a path's score exp(-cost) / 0.8 is the product
of its step weights, 0.8 per step after the first, and degree**-hub_penalty per intermediate node
(the degree damping of Hetionet's degree-weighted path count, applied to one path).

`Reach` holds, for one start node, the cheapest signed walk of at most `max_len` steps to (or,
backward, from) every (node, sign), computed with the vectorised Bellman-Ford of `sweeps`.
`k_best_paths` enumerates simple paths best-first, guided by an exact lower bound on what is
left (a backward Reach over (node, sign, via passed) states with the steps still allowed), so
the first complete paths it finds are the k cheapest with the asked-for sign; the sign is part
of the search state, not a filter afterwards.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field

import numpy as np

from ..errors import MechGraphError
from .index import Constraints, MechanismIndex, Via
from .sweeps import bellman_ford, reach, walk_chain

EPS = 1e-9
MAX_POPS = 400_000  # bound on the partial paths one query examines (huge, dense graphs)


@dataclass
class Found:
    """A path as node numbers and edge numbers of the index, with its net sign and cost; `merged`
    holds the node lists of equal answers through other members of a class (see `k_best_paths`)."""

    nodes: list[int]
    edges: list[int]
    sign: int
    cost: float
    merged: list[list[int]] = field(default_factory=list)


@dataclass(frozen=True)
class Descent:
    """How an answer about a therapy reaches one of its members: down the membership chain from
    the therapy (subtype_of steps walked backward, shown but never counted as mechanism steps),
    at the cost of those steps. The therapy itself is its own descent of no steps."""

    nodes: tuple[int, ...]
    edges: tuple[int, ...]
    cost: float


class Reach:
    """The cheapest signed walk of at most `max_len` steps between `start` and every node: from
    `start` (forward) or to it (backward). The sign of a state is that of the walk. Forward, the
    walk may also start at a member of `start` (`descents`: a class acts through its members);
    `via` also keeps the best walks that pass it (`cost(..., through=True)`, `chain(..., through=True)`)."""

    def __init__(self, index: MechanismIndex, start: int, max_len: int, cons: Constraints, *, backward: bool = False,
                 descents: dict[int, Descent] | None = None, via: Via | None = None):
        self.index, self.start, self.backward = index, start, backward
        self.descents = {m: d for m, d in (descents or {}).items() if m != start} if not backward else {}
        self.via = via if via else None
        sources = {m: d.cost for m, d in self.descents.items()}
        self.dists = bellman_ford(index, start, max_len, cons, backward=backward, sources=sources or None, via=self.via,
                                  goal_signs=(1,))
        last = self.dists[-1]
        self.final = last[2:] if self.via else last  # any walk
        self.final_through = last[:2] if self.via else None

    def cost(self, node: int, sign: int, *, through: bool = False) -> float | None:
        table = self.final_through if through else self.final
        c = table[0 if sign > 0 else 1, node]
        return float(c) if np.isfinite(c) else None

    def states(self, *, through: bool = False) -> Iterator[tuple[int, int, float]]:
        """Every reachable (node, sign, cost), the start included (sign +, cost 0)."""
        table = self.final_through if through else self.final
        for row, sign in ((0, 1), (1, -1)):
            for node in np.flatnonzero(np.isfinite(table[row])):
                yield int(node), sign, float(table[row, node])

    def chain(self, node: int, sign: int, *, through: bool = False) -> tuple[list[int], list[int]]:
        """Nodes and edges of the cheapest walk, listed from the start (a member's walk after its
        descent from the start)."""
        via_start = not self.backward and self.via is not None and node in self.via.nodes
        if node == self.start and sign > 0 and (not through or via_start):
            return [node], []
        nodes, edges = walk_chain(self.index, self.dists, self.start, node, sign, backward=self.backward,
                                  via=self.via, through=through, sources=self.descents or None)
        d = self.descents.get(nodes[0])
        if d is not None:
            nodes, edges = list(d.nodes) + nodes[1:], list(d.edges) + edges
        return nodes, edges

    def descent_steps(self, nodes: list[int]) -> int:
        """How many steps at the start of a chain are the descent to a member."""
        return max((len(d.edges) for d in self.descents.values()
                    if len(nodes) >= len(d.nodes) and tuple(nodes[: len(d.nodes)]) == d.nodes), default=0)


def k_best_paths(
    index: MechanismIndex,
    source: int,
    target: int,
    *,
    k: int,
    max_len: int,
    cons: Constraints,
    sign: int | None = None,
    via: Via | int | None = None,
    descents: dict[int, Descent] | None = None,
    merge_key: Callable[[list[int], list[int]], Hashable] | None = None,
) -> tuple[list[Found], bool]:
    """The k cheapest simple paths source -> target of at most max_len steps, optionally of one net
    sign and passing `via` (a node, or a step explained through it); and whether the search
    stopped at its work bound first.

    `descents`: the members of a therapy class the paths may also start from (after their
    descent, which `max_len` does not count). `merge_key`: answers with an equal key are one
    answer (the cheapest), the others' node lists kept in its `merged`. A path that runs a
    recorded chain link by link beside the summary edge that records it is never an answer of its
    own (`MechanismIndex.expands_summary`)."""
    if k < 1 or max_len < 1:
        raise MechGraphError("k and max-len must be at least 1")
    if source == target:
        return [], False
    if isinstance(via, int):
        via = index.via([via])
    via = via if via else None
    descents = {m: d for m, d in (descents or {}).items() if m != source and m != target and cons.interior_ok(index, m)}
    sources = {m: d.cost for m, d in descents.items()}
    ahead = reach(index, source, max_len, cons, sources=sources or None)
    if not np.isfinite(ahead[target]):
        return [], False
    if via is not None and not any(np.isfinite(ahead[n]) for n in via.nodes) and not via.edges:
        return [], False
    allowed = np.isfinite(ahead)
    signs = (sign,) if sign is not None else (1, -1)
    bounds = bellman_ford(index, target, max_len, cons, backward=True, allowed=allowed, via=via, goal_signs=signs)
    passed = 2 if via is not None else 0

    def h(node: int, s: int, flag: bool, remaining: int) -> float:
        return float(bounds[remaining][(0 if s > 0 else 1) + (passed if flag else 0), node])

    def passes(node: int, edge: int | None) -> bool:
        return via is not None and (node in via.nodes or (edge is not None and edge in via.edges))

    def tie(nodes: tuple[int, ...], edges: tuple[int, ...]) -> tuple:
        return tuple(index.ids[n] for n in nodes), tuple(index.edges[e].relation for e in edges)

    heap = []
    for m, d in [(source, Descent((source,), (), 0.0)), *sorted(descents.items())]:
        flag = via is None or any(passes(n, None) for n in d.nodes) or any(passes(-1, e) for e in d.edges)
        hm = h(m, 1, flag, max_len)
        if math.isfinite(hm):
            nodes0, edges0 = list(d.nodes), list(d.edges)
            heap.append((d.cost + hm, 0, tie(nodes0, edges0), d.cost, nodes0, edges0, 1, flag))
    heapq.heapify(heap)
    found: list[Found] = []
    keys: dict[Hashable, Found] = {}
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
            if flag and (sign is None or s == sign) and not index.expands_summary(nodes):
                key = merge_key(nodes, edges) if merge_key else None
                if key is not None and key in keys:
                    keys[key].merged.append(nodes)
                else:
                    p = Found(nodes, edges, s, g)
                    found.append(p)
                    if key is not None:
                        keys[key] = p
            continue
        if length >= max_len or (length and not cons.interior_ok(index, u)):
            continue
        extra = index.hub[u] if length else 0.0
        seen = set(nodes)
        remaining = max_len - length - 1
        for w, step_sign, c, e in index.out[u]:
            if w in seen or not allowed[w]:
                continue
            ns = s * step_sign if step_sign else s
            nflag = flag or passes(w, e)
            hw = h(w, ns, nflag, remaining)
            if not math.isfinite(hw):
                continue
            ng = g + c + extra
            wh = index.hub[w] if w != target else 0.0
            nn, ne = nodes + [w], edges + [e]
            heapq.heappush(heap, (ng + wh + hw, length + 1, tie(nn, ne), ng, nn, ne, ns, nflag))
    found.sort(key=lambda p: (round(p.cost, 9), len(p.edges), tie(p.nodes, p.edges)))
    return found[:k], truncated
