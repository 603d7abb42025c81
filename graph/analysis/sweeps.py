"""Signed sweeps: hop-limited Bellman-Ford over (node, sign) states, vectorised with numpy.

A graph with 10^6 edges is too large to search state by state in Python a few times per query,
so the searches that sweep the whole graph (the best path of every node to an outcome, every
node a therapy reaches, the lower bounds that guide the k-best enumeration) relax all edges at
once, one array pass per step. `D[k][s, v]` is the cost of the cheapest signed walk of at most
k steps between v and the start whose sign is + (s = 0) or - (s = 1), with the same costs as
`search` (step costs, and the hub cost of every node passed through, not of the two ends).

Walks may pass a node twice with opposite signs; such a walk is never cheaper than a simple one
of the same sign unless the two signs differ, which is rare, and `walk_chain` reports the walk as
it is, preferring simple predecessors where costs tie.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .index import Constraints, MechanismIndex, Via

INF = np.inf
TOL = 1e-9


@dataclass
class IndexArrays:
    """The walks of a MechanismIndex as arrays, grouped by start (`out`) and by end (`inc`)."""

    n: int
    hub: np.ndarray
    # grouped by the walk's start node: src sorted, with the start offset of every group
    out_src: np.ndarray
    out_dst: np.ndarray
    out_sign: np.ndarray
    out_cost: np.ndarray
    out_edge: np.ndarray
    out_starts: np.ndarray
    out_nodes: np.ndarray
    # grouped by the walk's end node
    inc_src: np.ndarray
    inc_dst: np.ndarray
    inc_sign: np.ndarray
    inc_cost: np.ndarray
    inc_edge: np.ndarray
    inc_starts: np.ndarray
    inc_nodes: np.ndarray


def index_arrays(index: MechanismIndex) -> IndexArrays:
    """The arrays of an index, built once and kept on it."""
    cached = getattr(index, "_arrays", None)
    if cached is not None:
        return cached
    src, dst, sign, cost, edge = [], [], [], [], []
    for u, walks in enumerate(index.out):
        for w, s, c, e in walks:
            src.append(u)
            dst.append(w)
            sign.append(s)
            cost.append(c)
            edge.append(e)
    src_a = np.asarray(src, dtype=np.int64)
    dst_a = np.asarray(dst, dtype=np.int64)
    sign_a = np.asarray(sign, dtype=np.int8)
    cost_a = np.asarray(cost, dtype=np.float64)
    edge_a = np.asarray(edge, dtype=np.int64)

    def grouped(key: np.ndarray):
        order = np.argsort(key, kind="stable")
        k = key[order]
        nodes, starts = np.unique(k, return_index=True)
        return order, starts, nodes

    o_order, o_starts, o_nodes = grouped(src_a)
    i_order, i_starts, i_nodes = grouped(dst_a)
    arrays = IndexArrays(
        len(index.ids), np.asarray(index.hub, dtype=np.float64),
        src_a[o_order], dst_a[o_order], sign_a[o_order], cost_a[o_order], edge_a[o_order], o_starts, o_nodes,
        src_a[i_order], dst_a[i_order], sign_a[i_order], cost_a[i_order], edge_a[i_order], i_starts, i_nodes,
    )
    index._arrays = arrays  # type: ignore[attr-defined]
    return arrays


def node_mask(index: MechanismIndex, cons: Constraints) -> np.ndarray:
    """True for nodes a walk may pass through under the constraints."""
    if cons.kinds is None and cons.max_degree is None and not cons.avoid:
        return np.ones(len(index.ids), dtype=bool)
    return np.fromiter((cons.interior_ok(index, i) for i in range(len(index.ids))), dtype=bool, count=len(index.ids))


def avoid_mask(index: MechanismIndex, cons: Constraints) -> np.ndarray:
    mask = np.zeros(len(index.ids), dtype=bool)
    if cons.avoid:
        mask[list(cons.avoid)] = True
    return mask


def _origin(n: int, start: int, sources) -> np.ndarray:
    origin = np.zeros(n, dtype=bool)
    origin[start] = True
    if sources:
        origin[list(sources)] = True
    return origin


def reach(index: MechanismIndex, start: int, max_len: int, cons: Constraints, *, backward: bool = False,
          sources: dict[int, float] | None = None) -> np.ndarray:
    """Hop distance of every node from `start` (or to it, backward) through allowed nodes, up to
    `max_len`; inf beyond. `sources` are further starting nodes (a therapy's members), at hop 0.
    One vectorised pass over the edges per hop."""
    a = index_arrays(index)
    frm, to = (a.out_dst, a.out_src) if backward else (a.out_src, a.out_dst)
    origin = _origin(a.n, start, sources)
    through = node_mask(index, cons) | origin
    ok = through[frm] & ~avoid_mask(index, cons)[to]
    dist = np.full(a.n, INF)
    dist[origin] = 0
    frontier = origin.copy()
    for depth in range(1, max_len + 1):
        hit = to[ok & frontier[frm]]
        hit = hit[~np.isfinite(dist[hit])]
        if not len(hit):
            break
        dist[hit] = depth
        frontier[:] = False
        frontier[hit] = True
    return dist


def via_masks(index: MechanismIndex, via: Via | None) -> tuple[np.ndarray, np.ndarray] | None:
    """Boolean masks over nodes and over edge numbers of what passes `via`; None for no condition."""
    if not via:
        return None
    nodes = np.zeros(len(index.ids), dtype=bool)
    if via.nodes:
        nodes[list(via.nodes)] = True
    edges = np.zeros(len(index.edges) + 1, dtype=bool)
    if via.edges:
        edges[list(via.edges)] = True
    return nodes, edges


def bellman_ford(
    index: MechanismIndex,
    start: int,
    max_len: int,
    cons: Constraints,
    *,
    backward: bool = False,
    allowed: np.ndarray | None = None,
    via: Via | None = None,
    goal_signs: tuple[int, ...] = (1,),
    sources: dict[int, float] | None = None,
) -> list[np.ndarray]:
    """D[0..max_len]: the cost of the cheapest signed walk of at most k steps from `start`
    (forward) or to it (backward), for every state; inf where there is none. States are rows:
    0 = sign +, 1 = sign -; with `via`, rows 0 and 1 are walks that pass `via` (a node of it, or
    a step whose recorded chain runs through one; forward: up to and including the walk's last
    node; backward: after the walk's first node), rows 2 and 3 any walk. `goal_signs` are the
    signs the walk must have at the start node (backward: the net sign wanted). `sources`
    (forward only) are further starting nodes with their starting costs (the members of a
    therapy class: a class acts through its members). A walk passes only through nodes the
    constraints allow, never enters an avoided node or re-enters `start`, and (when `allowed` is
    given) stays on the allowed nodes."""
    a = index_arrays(index)
    if backward:  # a state at `new` (where the walk starts) comes from a state at `head` (its next node)
        new, head, sign, cost = a.out_src, a.out_dst, a.out_sign, a.out_cost
        edge, starts, nodes = a.out_edge, a.out_starts, a.out_nodes
    else:
        new, head, sign, cost = a.inc_dst, a.inc_src, a.inc_sign, a.inc_cost
        edge, starts, nodes = a.inc_edge, a.inc_starts, a.inc_nodes
    origin = _origin(a.n, start, None if backward else sources)
    through = node_mask(index, cons) | origin
    usable = through[head] & ~avoid_mask(index, cons)[new] & (new != start)
    if allowed is not None:
        usable &= allowed[new] & allowed[head]
    step = np.where(usable, cost + np.where(origin[head], 0.0, a.hub[head]), INF)
    flip = sign < 0
    masks = via_masks(index, via)
    rows = 4 if masks is not None else 2
    d = np.full((rows, a.n), INF)
    for gs in goal_signs:
        d[(0 if gs > 0 else 1) + (2 if masks is not None else 0), start] = 0.0
    if sources and not backward:
        for s, c in sources.items():
            d[2 if masks is not None else 0, s] = min(d[2 if masks is not None else 0, s], c)
    if masks is not None and not backward:
        for s in np.flatnonzero(origin & masks[0]):  # a walk that starts at via has passed it
            d[0, s] = d[2, s]
    # the node whose passing counts: backward the walk's next node, forward the node it reaches
    at_via = (masks[0][head if backward else new] | masks[1][edge]) if masks is not None else None
    out = [d]
    for _ in range(max_len):
        nxt = d.copy()
        for f in ((0, 2) if masks is not None else (0,)):
            if masks is not None and f == 0:
                # still to pass via: passing it now (its node next, or a step through its chain) lifts the condition
                src_plus = np.where(at_via, d[2, head], d[0, head])
                src_minus = np.where(at_via, d[3, head], d[1, head])
            else:
                src_plus, src_minus = d[f, head], d[f + 1, head]
            plus = src_plus + step
            minus = src_minus + step
            if len(nodes):
                nxt[f, nodes] = np.minimum(nxt[f, nodes], np.minimum.reduceat(np.where(flip, minus, plus), starts))
                nxt[f + 1, nodes] = np.minimum(nxt[f + 1, nodes],
                                               np.minimum.reduceat(np.where(flip, plus, minus), starts))
        out.append(nxt)
        if np.array_equal(nxt, d):
            out.extend([nxt] * (max_len + 1 - len(out)))
            break
        d = nxt
    return out


def steps_needed(dists: list[np.ndarray], row: int, node: int) -> int | None:
    """The fewest steps with which the best cost of a state is reached, or None when unreachable."""
    best = dists[-1][row, node]
    if not np.isfinite(best):
        return None
    for k, d in enumerate(dists):
        if d[row, node] <= best + TOL:
            return k
    return len(dists) - 1


def walk_chain(index: MechanismIndex, dists: list[np.ndarray], start: int, node: int, sign: int, *, backward: bool,
               via: Via | None = None, through: bool = True, sources=None) -> tuple[list[int], list[int]]:
    """Nodes and edge numbers of a cheapest walk between `start` (or, forward, one of `sources`)
    and the state (node, sign), listed from where it starts; ties go to the successor with the
    smaller id and relation, preferring nodes not yet on the walk and therapy classes (a class's
    own statement is more general than one member's). With `via`, the walk passes
    it when `through`, else it is any walk."""
    si = (0 if sign > 0 else 1) + (2 if via and not through else 0)
    k = steps_needed(dists, si, node)
    if k is None:
        raise ValueError("state not reachable")
    origin = {start, *(sources or ())}
    nodes, edges = [node], []
    u, s = node, si
    target_cost = dists[k][si, node]
    while k > 0:
        options = []
        walks = index.out[u] if backward else index.inc[u]
        for w, step_sign, c, e in walks:
            prev = (s % 2 if step_sign >= 0 else 1 - s % 2)
            if via:
                prev += 2 if s >= 2 or (w if backward else u) in via.nodes or e in via.edges else 0
            cost = dists[k - 1][prev, w] + c + (index.hub[w] if w not in origin else 0.0)
            if abs(cost - target_cost) <= TOL * max(1.0, abs(target_cost)):
                info = index.edges[e]
                options.append((w in nodes, index.kind[w] != "therapy_class", index.ids[w], info.relation, w, e, prev))
        if not options:
            raise ValueError("inconsistent distances")
        *_, w, e, prev_row = min(options)
        nodes.append(w)
        edges.append(e)
        u, s = w, prev_row
        k -= 1
        target_cost = dists[k][s, u]
        # fewer steps may already give the same cost
        while k > 0 and dists[k - 1][s, u] <= target_cost + TOL:
            k -= 1
    if u not in origin:
        raise ValueError("walk does not reach the start")
    return nodes[::-1], edges[::-1]
