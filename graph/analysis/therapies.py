"""Therapies and their classes: what an answer about a therapy may read of its relatives.

Membership is read one way at a time, never up then down:

* Up: a member acts through what is stated of its classes (nivolumab inhibits PD-1/PD-L1 as the
  PD-1 antibody class does). The signed search walks member -subtype_of-> class as a step that
  passes the sign through (`edges.walk_rule`).
* Down: a class (or any therapy with members) acts through its own statements *and* its members'
  mechanisms, transitively (immune checkpoint blockade acts through nivolumab's inhibition of
  PD-1). An answer about a therapy may start at any of its members, after a descent down the
  membership chain (`descents`); the descent is shown, and says which member the answer is
  through, but it is never counted as a mechanism step.

Never up then down: a member's answer may not descend from its class to a sibling (nivolumab
does not acquire catumaxomab's mechanism because both are intraperitoneal or antibody therapies),
because descents start only at the therapy asked about.

Answers that differ only in which member they go through are one answer (`merge_key`): the
cheapest is shown, and `alike_members` lists every member whose own stated action is the same.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Hashable
from typing import Any

from .index import MechanismIndex
from .search import Descent


def _membership(index: MechanismIndex, e: int) -> bool:
    u, v, relation, rev, *_ = index.edges.rows[e]
    return relation == "subtype_of" and not rev


def therapy_classes(index: MechanismIndex, therapy: int) -> list[int]:
    """The therapy and every class it belongs to (subtype_of, transitively), nearest first."""
    out, queue = [therapy], [therapy]
    while queue:
        u = queue.pop(0)
        for w, _, _, e in index.out[u]:
            if index.is_therapy(w) and w not in out and _membership(index, e):
                out.append(w)
                queue.append(w)
    return out


def descents(index: MechanismIndex, therapy: int) -> dict[int, Descent]:
    """The therapy and its members, transitively (members of members), each with the cheapest
    descent to it: the membership steps from the therapy down, and their cost."""
    best: dict[int, Descent] = {therapy: Descent((therapy,), (), 0.0)}
    heap = [(0.0, index.ids[therapy], therapy)]
    done: set[int] = set()
    while heap:
        cost, _, c = heapq.heappop(heap)
        if c in done:
            continue
        done.add(c)
        here = best[c]
        for m, _, step, e in index.inc[c]:
            if not index.is_therapy(m) or m in here.nodes or not _membership(index, e):
                continue
            total = cost + step
            if m not in best or total < best[m].cost - 1e-12:
                best[m] = Descent(here.nodes + (m,), here.edges + (e,), total)
                heapq.heappush(heap, (total, index.ids[m], m))
    return best


def related_therapies(index: MechanismIndex, therapy: int) -> list[int]:
    """Whose reported results bear on the therapy: the therapy, its classes (nearest first), then
    its members (nearest first). Siblings never: no class is descended from above the therapy."""
    down = descents(index, therapy)
    members = sorted((m for m in down if m != therapy), key=lambda m: (len(down[m].edges), index.ids[m]))
    return therapy_classes(index, therapy) + members


def leading_therapies(index: MechanismIndex, nodes: list[int]) -> int:
    """How many nodes at the start of a path are therapies (the therapy, its members and classes)."""
    n = 0
    while n < len(nodes) and index.is_therapy(nodes[n]):
        n += 1
    return n


def merge_key(index: MechanismIndex) -> Callable[[list[int], list[int]], Hashable]:
    """The key under which two answers from one therapy are the same answer: everything after the
    therapies at its start (the acting step's relation, the nodes and relations that follow)."""
    rows = index.edges.rows

    def key(nodes: list[int], edges: list[int]) -> Hashable:
        n = leading_therapies(index, nodes)
        if n == 0 or n >= len(nodes):
            return (tuple(nodes), tuple(edges))
        return (tuple(nodes[n:]), tuple(rows[e][2] for e in edges[n - 1:]))

    return key


def alike_members(index: MechanismIndex, down: dict[int, Descent], nodes: list[int], edges: list[int]) -> list[int]:
    """The members of the asked therapy whose own stated action is the path's acting step (the
    same relation on the same entity): the path holds through each of them. Empty when the path
    is not through a member."""
    n = leading_therapies(index, nodes)
    if n == 0 or n >= len(nodes) or nodes[0] not in down or len(down) < 2:
        return []
    first = nodes[n - 1]
    if first not in down or first == nodes[0]:
        return []
    acting = index.edges.rows[edges[n - 1]]
    target = nodes[n]
    out = []
    for m in down:
        if m == nodes[0]:
            continue
        for w, _, _, e in index.out[m]:
            r = index.edges.rows[e]
            if w == target and r[2] == acting[2] and r[4] == acting[4]:
                out.append(m)
                break
    return sorted(out, key=lambda m: (m != first, index.ids[m]))


def member_note(index: MechanismIndex, down: dict[int, Descent], nodes: list[int],
                edges: list[int]) -> dict[str, Any] | None:
    """Which member an answer about a therapy goes through ({member, class, also}), or None."""
    if nodes[0] not in down:
        return None
    n = leading_therapies(index, nodes)
    member = None
    for i in range(1, n):
        if nodes[i] in down and down[nodes[i]].nodes == tuple(nodes[: i + 1]):
            member = i
    if member is None:
        return None
    m = nodes[member]
    alike = [x for x in alike_members(index, down, nodes, edges) if x != m]
    parent = nodes[member - 1]
    node = lambda i: {"id": index.ids[i], "name": index.name(i)}  # noqa: E731
    return {"member": node(m), "class": node(parent), "also": [node(x) for x in alike]}
