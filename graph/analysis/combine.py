"""Combinations and escape routes: where two therapies' mechanisms meet, and what gets around one.

Two therapies: every node that both reach by signed paths (legs that share no other node) is a
meeting point. Where both push it the same way their mechanisms *reinforce* each other; where
they push it opposite ways they *cancel out*. Meetings at outcomes (phenotypes, diseases) are
listed apart: two therapies that both lower peritoneal metastasis add up there, but that says
nothing about how.

One therapy: its *escape routes* are signed paths that raise the outcome it should lower while
bypassing its targets (the first entities its mechanism acts on, through its classes). Each
route starts at a candidate target (as in `targets`), one route per starting entity, best first;
a route that passes a node the therapy itself lowers is marked as partly countered there, and
therapies in the graph that act on the route's start are listed as possible partners.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ..errors import MechGraphError
from . import semantics as sem
from .index import MechanismIndex
from .paths import LEG_MAX_LEN, PathOptions, SignedPath, _node, _steps, meeting_path, meetings, therapy_classes
from .search import Reach
from .targets import TARGET_KINDS, therapies_of

DEFAULT_OUTCOME = "peritoneal_metastasis"


@dataclass
class Combination:
    therapies: list[dict[str, str]]
    reinforce: list[SignedPath]
    cancel: list[SignedPath]
    shared_outcomes: list[SignedPath]
    options: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "therapies": self.therapies, "options": self.options,
            "reinforce": [p.as_dict() for p in self.reinforce], "cancel": [p.as_dict() for p in self.cancel],
            "shared_outcomes": [p.as_dict() for p in self.shared_outcomes],
        }


@dataclass
class EscapeRoutes:
    therapy: dict[str, str]
    outcome: dict[str, str]
    targets: list[dict[str, str]]
    routes: list[dict[str, Any]]
    options: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"therapy": self.therapy, "outcome": self.outcome, "targets": self.targets, "routes": self.routes, "options": self.options}


def _therapy(index: MechanismIndex, eid: str) -> int:
    i = index.node(eid)
    if not index.is_therapy(i):
        raise MechGraphError(f"{index.name(i)} is a {index.kind[i]}, not a therapy")
    return i


def combine(g: nx.MultiDiGraph, a: str, b: str, opts: PathOptions | None = None) -> Combination:
    """Where the mechanisms of therapies `a` and `b` reinforce each other and where they cancel out."""
    opts = opts or PathOptions()
    index = opts.index(g)
    ia, ib = _therapy(index, a), _therapy(index, b)
    if ia == ib:
        raise MechGraphError("give two different therapies")
    cons = opts.constraints(index)
    found, reach_a, reach_b = meetings(index, ia, ib, cons=cons, leg_len=min(opts.max_len, LEG_MAX_LEN))
    groups: dict[str, list] = {"reinforce": [], "cancel": [], "outcomes": []}
    for mt in found:
        if all(len(v) >= opts.k for v in groups.values()):
            break
        if mt.node == ia or index.is_therapy(mt.node):
            continue  # a therapy's own class chain is not a meeting point
        if index.is_outcome(mt.node):
            group = groups["outcomes"]
        else:
            group = groups["reinforce" if mt.from_sign == mt.to_sign else "cancel"]
        if len(group) < opts.k:
            group.append(mt)

    def render(mts):
        out = []
        for mt in mts:
            p = meeting_path(index, mt, reach_a, reach_b)
            p.relation = "reinforce" if mt.from_sign == mt.to_sign else "cancel"
            out.append(p)
        return out

    return Combination([_node(index, ia), _node(index, ib)], render(groups["reinforce"]), render(groups["cancel"]),
                       render(groups["outcomes"]), opts.as_dict())


def direct_targets(index: MechanismIndex, therapy: int) -> list[int]:
    """The first entities the therapy's mechanism acts on, through its classes (not outcomes it is
    reported to change directly)."""
    out = []
    for th in therapy_classes(index, therapy):
        for w, _, _, _ in index.out[th]:
            if not index.is_therapy(w) and not index.is_outcome(w) and w not in out:
                out.append(w)
    return out


def escape_routes(g: nx.MultiDiGraph, therapy: str, outcome: str = DEFAULT_OUTCOME, opts: PathOptions | None = None) -> EscapeRoutes:
    """Signed paths that raise `outcome` while bypassing the therapy's targets, one per starting entity."""
    opts = opts or PathOptions()
    index = opts.index(g)
    t, o = _therapy(index, therapy), index.node(outcome)
    targets = [x for x in direct_targets(index, t) if x != o]
    cons = index.constraints(avoid=list(opts.avoid) + [index.ids[x] for x in targets], kinds=opts.kinds, max_degree=opts.max_degree)
    best = Reach(index, o, opts.max_len, cons, backward=True)
    therapy_reach = Reach(index, t, LEG_MAX_LEN, opts.constraints(index))
    lowered = {n for n, s, _ in therapy_reach.states() if s == -1 and therapy_reach.cost(n, 1) is None}
    routes = []
    for x, sign, cost in best.states():
        if sign != 1 or x == o or x in targets or index.kind[x] not in TARGET_KINDS:
            continue
        nodes, edges = best.chain(x, sign)
        nodes, edges = nodes[::-1], edges[::-1]
        if len(set(nodes)) < len(nodes):
            continue
        steps = _steps(index, nodes, edges)
        countered = [index.name(n) for n in nodes[1:-1] + [x] if n in lowered]
        partners = [th for th in therapies_of(g, index.ids[x], opts.support) if th["id"] != index.ids[t]]
        routes.append({
            "start": _node(index, x), "score": round(sem.score_of(cost), 4), "cost": cost,
            "path": SignedPath([_node(index, n) for n in nodes], steps, "+", sem.score_of(cost), cost).as_dict(),
            "countered_at": countered, "partners": [{"id": p["id"], "name": p["name"], "relation": p["relation"]} for p in partners],
        })
    routes.sort(key=lambda r: (round(r["cost"], 9), r["start"]["id"]))
    for r in routes:
        r.pop("cost")
    return EscapeRoutes(_node(index, t), _node(index, o), [_node(index, x) for x in targets], routes[: opts.k], opts.as_dict())
