"""Combinations and escape routes: where two therapies' mechanisms meet, and what gets around one.

Two therapies: every node that both reach by signed paths (legs that share no other node) is a
meeting point. Where both push it the same way their mechanisms *reinforce* each other; where
they push it opposite ways they *cancel out*. A therapy class answers through its own
statements and its members' mechanisms (`therapies`), and says which member. Meetings at
outcomes (phenotypes, diseases) are listed apart: two therapies that both lower peritoneal
metastasis add up there, but that says nothing about how. What one therapy does to the other's
*efficacy* (paclitaxel enhances the oncolytic adenovirus) is listed as a modifier, never as a
meeting: it is not a step of either mechanism.

One therapy: its *escape routes* are signed paths that raise the outcome it should lower while
bypassing its targets (the first entities its mechanism acts on, through its classes and, for a
class, its members). Each route starts at a candidate target (as in `targets`), one route per
starting entity, best first; a route that passes a node the therapy itself lowers is marked as
partly countered there, and therapies in the graph that act on the route's start are listed as
possible partners.

`--in SUBTYPE` (`strata`): only meetings whose legs pass one of the subtype's features (or meet
at one), only escape routes that pass or start at one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .. import edges as _edges
from ..errors import MechGraphError
from . import semantics as sem
from .index import MechanismIndex
from .paths import LEG_MAX_LEN, PathOptions, SignedPath, _node, _steps, meeting_path, meetings, therapy_reach
from .search import Reach
from .strata import stratum as get_stratum
from .targets import TARGET_KINDS, therapies_of
from .therapies import descents, related_therapies, therapy_classes

DEFAULT_OUTCOME = "peritoneal_metastasis"


@dataclass
class Combination:
    therapies: list[dict[str, str]]
    reinforce: list[SignedPath]
    cancel: list[SignedPath]
    shared_outcomes: list[SignedPath]
    options: dict[str, Any] = field(default_factory=dict)
    modifiers: list[dict[str, Any]] = field(default_factory=list)
    stratum: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        d = {
            "therapies": self.therapies, "options": self.options,
            "reinforce": [p.as_dict() for p in self.reinforce], "cancel": [p.as_dict() for p in self.cancel],
            "shared_outcomes": [p.as_dict() for p in self.shared_outcomes], "modifiers": self.modifiers,
        }
        if self.stratum:
            d["stratum"] = self.stratum
        return d


@dataclass
class EscapeRoutes:
    therapy: dict[str, str]
    outcome: dict[str, str]
    targets: list[dict[str, str]]
    routes: list[dict[str, Any]]
    options: dict[str, Any] = field(default_factory=dict)
    stratum: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        d = {"therapy": self.therapy, "outcome": self.outcome, "targets": self.targets, "routes": self.routes,
             "options": self.options}
        if self.stratum:
            d["stratum"] = self.stratum
        return d


def _therapy(index: MechanismIndex, eid: str) -> int:
    i = index.node(eid)
    if not index.is_therapy(i):
        raise MechGraphError(f"{index.name(i)} is a {index.kind[i]}, not a therapy")
    return i


def modifiers_between(g: nx.MultiDiGraph, index: MechanismIndex, a: int, b: int) -> list[dict[str, Any]]:
    """Efficacy modifiers from one therapy (its classes or members) into the other (its classes or
    members): "paclitaxel enhances the oncolytic adenovirus", never a mechanism step."""
    out = []
    for x, y in ((a, b), (b, a)):
        sources = set(related_therapies(index, x))
        for th in related_therapies(index, y):
            for kk in index.efficacy.get(th, ()):
                info = index.efficacy_edges[kk]
                if index.pos[info.source] not in sources:
                    continue
                out.append({
                    "source": info.source, "source_name": str(g.nodes[info.source].get("name", info.source)),
                    "relation": info.relation, "sign": _edges.symbol(info.sign) if info.sign else "0",
                    "target": info.target, "target_name": index.name(th), "refs": list(info.refs), "level": info.level,
                    "support": list(info.supports),
                })
    out.sort(key=lambda r: (r["source"], r["target"], r["relation"]))
    return out


def combine(g: nx.MultiDiGraph, a: str, b: str, opts: PathOptions | None = None, *,
            stratum: str | None = None) -> Combination:
    """Where the mechanisms of therapies `a` and `b` reinforce each other and where they cancel out."""
    opts = opts or PathOptions()
    index = opts.index(g)
    ia, ib = _therapy(index, a), _therapy(index, b)
    if ia == ib:
        raise MechGraphError("give two different therapies")
    st = get_stratum(index, stratum)
    cons = opts.constraints(index)
    found, reach_a, reach_b = meetings(index, ia, ib, cons=cons, leg_len=min(opts.max_len, LEG_MAX_LEN),
                                       via=st.via if st else None)
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
                       render(groups["outcomes"]), opts.as_dict(), modifiers_between(g, index, ia, ib),
                       st.as_dict(index) if st else None)


def direct_targets(index: MechanismIndex, therapy: int) -> list[int]:
    """The first entities the therapy's mechanism acts on, through its classes and its members
    (not outcomes it is reported to change directly). A step that summarises a chain acts on the
    chain's first entity (a PD-1 antibody acts on PD-1, and so raises T-cell activation): what it
    raises at the end is an effect, and other routes into that effect (other checkpoints) are
    escape routes, not targets."""
    out = []
    for th in therapy_classes(index, therapy) + [m for m in descents(index, therapy) if m != therapy]:
        for w, _, _, e in index.out[th]:
            chain = index.edges[e].chain
            x = index.pos.get(chain[0], w) if chain else w
            if not index.is_therapy(x) and not index.is_outcome(x) and x not in out:
                out.append(x)
    return out


def escape_routes(g: nx.MultiDiGraph, therapy: str, outcome: str = DEFAULT_OUTCOME, opts: PathOptions | None = None,
                  *, stratum: str | None = None) -> EscapeRoutes:
    """Signed paths that raise `outcome` while bypassing the therapy's targets, one per starting entity."""
    opts = opts or PathOptions()
    index = opts.index(g)
    t, o = _therapy(index, therapy), index.node(outcome)
    st = get_stratum(index, stratum)
    targets = [x for x in direct_targets(index, t) if x != o]
    cons = index.constraints(avoid=list(opts.avoid) + [index.ids[x] for x in targets], kinds=opts.kinds,
                             max_degree=opts.max_degree)
    best = Reach(index, o, opts.max_len, cons, backward=True, via=st.via if st else None)
    treach = therapy_reach(index, t, LEG_MAX_LEN, opts.constraints(index))
    lowered = {n for n, s, _ in treach.states() if s == -1 and treach.cost(n, 1) is None}
    starts: dict[int, tuple[float, bool]] = {}
    for x, sign, cost in best.states(through=bool(st)):
        if sign == 1:
            starts[x] = (cost, bool(st))
    if st:
        for x in st.features:
            c = best.cost(x, 1)
            if c is not None and (x not in starts or c < starts[x][0]):
                starts[x] = (c, False)
    routes = []
    for x, (cost, through) in starts.items():
        if x == o or x in targets or index.kind[x] not in TARGET_KINDS:
            continue
        nodes, edges = best.chain(x, 1, through=through)
        nodes, edges = nodes[::-1], edges[::-1]
        if len(set(nodes)) < len(nodes):
            continue
        steps = _steps(index, nodes, edges)
        countered = [index.name(n) for n in nodes[1:-1] + [x] if n in lowered]
        partners = [th for th in therapies_of(g, index.ids[x], opts.support) if th["id"] != index.ids[t]]
        routes.append({
            "start": _node(index, x), "score": round(sem.score_of(cost), 4), "cost": cost,
            "path": SignedPath([_node(index, n) for n in nodes], steps, "+", sem.score_of(cost), cost).as_dict(),
            "countered_at": countered,
            "partners": [{"id": p["id"], "name": p["name"], "relation": p["relation"]} for p in partners],
        })
    routes.sort(key=lambda r: (round(r["cost"], 9), r["start"]["id"]))
    for r in routes:
        r.pop("cost")
    return EscapeRoutes(_node(index, t), _node(index, o), [_node(index, x) for x in targets], routes[: opts.k],
                        opts.as_dict(), st.as_dict(index) if st else None)
