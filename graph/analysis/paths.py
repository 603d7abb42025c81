"""Paths: how one entity bears on another, with the sign of every step and the paper behind it.

Two kinds of question, chosen by what the target is (the rules of each step are in `semantics`):

* To anything but a therapy (`path "THBS2+ CAF" "peritoneal metastasis"`): the k best directed
  signed paths. A path's sign is the product of its steps' signs.
* To a therapy (`path "CD8+ T cell" nivolumab`): a therapy acts through its mechanism of action,
  its targets and what they do (nivolumab -| PD-1 -| CD8+ T cell). An entity bears on the therapy
  where its own signed influence meets the therapy's at a shared node. Each answer has two legs,
  one from the entity and one from the therapy, and says whether the entity works *with* the
  therapy there (both push the meeting node the same way) or *against* it. When the meeting node
  is the entity itself, the therapy acts on it directly: the entity is its *effector* (the
  therapy raises it) or its *target* (the therapy lowers it). Meetings at outcomes (phenotypes,
  diseases) are listed apart as shared outcomes, and clinical associations (an entity that
  changes the therapy's efficacy, such as peritoneal metastasis lowering the response to PD-1
  antibodies) in a section of their own: neither is ranked as a mechanism.

Scores: each step weighs its best usable evidence level (randomised trial 1.0, non-randomised
trial 0.95, observational human 0.9, case report 0.85, preclinical in vivo 0.8, in vitro 0.7, expert
statement 0.6), +5% per further reference, x0.7 when only a reference's title supports it; a path multiplies its step
weights, 0.8 per step after the first, and degree**-0.5 for each node it passes through, so that
generic hubs do not flood the answers (`hub_penalty`, `max_degree`). Options: `sign`, `via`,
`avoid`, `kinds` (kinds of entity a path may pass through), `min_level`, `support`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from .. import edges as _edges
from ..errors import MechGraphError
from . import semantics as sem
from .chains import chain_detail
from .index import Constraints, MechanismIndex, Via, mechanism_index
from .search import Found, Reach, k_best_paths
from .therapies import descents, member_note, merge_key, therapy_classes  # noqa: F401  (therapy_classes: re-exported)

DEFAULT_K = 5
DEFAULT_MAX_LEN = 6
LEG_MAX_LEN = 4  # each leg of a meeting answer


@dataclass
class Step:
    """One edge of a path, as stored (source -> target), and which way the path walks it."""

    source: str
    target: str
    relation: str
    sign: str  # "+", "-", or "=" for a step that passes the sign through
    refs: list[str]
    level: str | None
    support: list[str]
    direction: str = "forward"  # "backward": the path walks the edge from its target to its source
    chain: dict[str, Any] | None = None  # the molecular chain a summary edge records (`chains.chain_detail`)

    def as_dict(self) -> dict[str, Any]:
        d = {
            "source": self.source, "target": self.target, "relation": self.relation, "sign": self.sign,
            "refs": self.refs, "level": self.level, "support": self.support, "direction": self.direction,
        }
        if self.chain:
            d["chain"] = self.chain
        return d


@dataclass
class SignedPath:
    """A path with its steps, net sign and score; a meeting answer also names its meeting node."""

    nodes: list[dict[str, str]]
    steps: list[Step]
    sign: str
    score: float
    cost: float = field(repr=False, default=0.0)
    meeting: dict[str, str] | None = None
    relation: str | None = None  # with, against, effector, target (meeting answers)
    legs: dict[str, int] | None = None  # steps in the "from" leg and in the "to" leg
    # which member of an asked-about class a leg goes through ("to": the therapy's leg; "from" too in combine)
    through: dict[str, dict[str, Any]] = field(default_factory=dict)
    as_member: bool = False  # the entity is a member (subtype, part) of the meeting node the therapy acts on

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "nodes": self.nodes, "steps": [s.as_dict() for s in self.steps], "sign": self.sign,
            "score": round(self.score, 4),
        }
        if self.meeting is not None:
            d["meeting"] = self.meeting
            d["relation"] = self.relation
            d["legs"] = self.legs
        if self.through:
            d["through"] = self.through
        if self.as_member:
            d["as_member"] = True
        return d


@dataclass
class PathAnswer:
    """All that `path` answers: the ranked paths, and (toward a therapy) the sections kept apart."""

    source: dict[str, str]
    target: dict[str, str]
    mode: str  # "directed" or "mechanism"
    paths: list[SignedPath]
    shared_outcomes: list[SignedPath] = field(default_factory=list)
    associations: list[SignedPath] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    truncated: bool = False

    def verdict(self) -> str:
        """The answer in one line: where the two meet and how (with, against, effector, target),
        through which member of a class, or that they meet only at outcomes or not at all, and
        the strongest modifier of the therapy's efficacy; for a directed question, the best
        path's sign and what it passes. Path pictures take their title from it."""
        return verdict_line(self)

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "from": self.source, "to": self.target, "mode": self.mode, "verdict": self.verdict(),
            "options": self.options, "paths": [p.as_dict() for p in self.paths],
        }
        if self.mode == "mechanism":
            d["shared_outcomes"] = [p.as_dict() for p in self.shared_outcomes]
            d["associations"] = [p.as_dict() for p in self.associations]
        if self.truncated:
            d["truncated"] = True
        return d


# --- building paths from index numbers ------------------------------------------------------


def _node(index: MechanismIndex, i: int) -> dict[str, str]:
    return {"id": index.ids[i], "name": index.name(i)}


def _steps(index: MechanismIndex, nodes: list[int], edges: list[int], infos=None) -> list[Step]:
    out = []
    infos = infos or [index.edges[e] for e in edges]
    for i, info in enumerate(infos):
        forward = (info.source, info.target) == (index.ids[nodes[i]], index.ids[nodes[i + 1]])
        sign = "=" if info.sign == 0 else _edges.symbol(info.sign)
        out.append(Step(info.source, info.target, info.relation, sign, list(info.refs), info.level, list(info.supports),
                        "forward" if forward else "backward", chain_detail(index, info)))
    return out


def to_signed_path(index: MechanismIndex, found: Found) -> SignedPath:
    return SignedPath(
        [_node(index, n) for n in found.nodes], _steps(index, found.nodes, found.edges),
        _edges.symbol(found.sign), sem.score_of(found.cost), found.cost,
    )


# --- options --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PathOptions:
    """Search options shared by path, effect and combine."""

    k: int = DEFAULT_K
    max_len: int = DEFAULT_MAX_LEN
    sign: str | None = None  # "+" or "-"
    via: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    kinds: tuple[str, ...] | None = None
    max_degree: int | None = None
    hub_penalty: float = sem.DEFAULT_HUB_PENALTY
    min_level: str | None = None
    support: frozenset[str] = _edges.DEFAULT_SUPPORT

    def check(self) -> None:
        if self.k < 1:
            raise MechGraphError("--k must be at least 1")
        if self.max_len < 1:
            raise MechGraphError("--max-len must be at least 1")
        if self.sign not in (None, "+", "-"):
            raise MechGraphError("--sign must be + or -")
        if len(self.via) > 1:
            raise MechGraphError("give at most one --via node")

    def index(self, g: nx.MultiDiGraph) -> MechanismIndex:
        return mechanism_index(g, support=self.support, min_level=self.min_level, hub_penalty=self.hub_penalty)

    def constraints(self, index: MechanismIndex) -> Constraints:
        return index.constraints(avoid=self.avoid, kinds=self.kinds, max_degree=self.max_degree)

    def as_dict(self) -> dict[str, Any]:
        return {
            "k": self.k, "max_len": self.max_len, "sign": self.sign, "via": list(self.via), "avoid": list(self.avoid),
            "kinds": list(self.kinds) if self.kinds is not None else None, "max_degree": self.max_degree,
            "hub_penalty": self.hub_penalty, "min_level": self.min_level, "support": sorted(self.support),
        }


def _sign_int(sign: str | None) -> int | None:
    """The `sign` option as a walk sign: +1 or -1, or None for either."""
    return None if sign is None else _edges.sign_int(sign)


# --- the questions --------------------------------------------------------------------------


def _via(index: MechanismIndex, opts: PathOptions) -> Via | None:
    return index.via([index.node(opts.via[0])]) if opts.via else None


def directed(index: MechanismIndex, s: int, t: int, opts: PathOptions) -> tuple[list[SignedPath], bool]:
    """The k best directed signed paths s -> t; from a therapy, also through its members (one
    answer for paths that differ only in the member, which it names)."""
    cons = opts.constraints(index)
    down = descents(index, s) if index.is_therapy(s) else None
    found, truncated = k_best_paths(index, s, t, k=opts.k, max_len=opts.max_len, cons=cons, sign=_sign_int(opts.sign),
                                    via=_via(index, opts), descents=down, merge_key=merge_key(index) if down else None)
    paths = []
    for f in found:
        p = to_signed_path(index, f)
        note = member_note(index, down, f.nodes, f.edges) if down else None
        if note:
            p.through["from"] = note
        paths.append(p)
    return paths, truncated


def signed_paths(g: nx.MultiDiGraph, source: str, target: str, opts: PathOptions | None = None,
                 **kw: Any) -> list[SignedPath]:
    """The k best directed signed paths from `source` to `target` (entity ids)."""
    opts = opts or PathOptions(**kw)
    opts.check()
    index = opts.index(g)
    return directed(index, index.node(source), index.node(target), opts)[0]


def find_paths(g: nx.MultiDiGraph, source: str, target: str, opts: PathOptions | None = None, **kw: Any) -> PathAnswer:
    """Answer `path SOURCE TARGET`: directed paths, or mechanism meetings when the target is a therapy."""
    opts = opts or PathOptions(**kw)
    opts.check()
    index = opts.index(g)
    s, t = index.node(source), index.node(target)
    if s == t:
        raise MechGraphError("the two ends of a path must differ")
    if index.is_therapy(t):
        if index.is_therapy(s):
            raise MechGraphError("both ends are therapies: `mechgraph combine A B` shows where their mechanisms meet")
        return _mechanism_answer(index, s, t, opts)
    paths, truncated = directed(index, s, t, opts)
    return PathAnswer(_node(index, s), _node(index, t), "directed", paths, options=opts.as_dict(), truncated=truncated)


@dataclass
class Meeting:
    node: int
    from_sign: int
    to_sign: int
    cost: float
    through: tuple[bool, bool] = (False, False)  # which leg passes `via` (when one is asked for)


def therapy_reach(index: MechanismIndex, start: int, leg_len: int, cons: Constraints, via: Via | None = None) -> Reach:
    """The signed walks from `start`; a therapy's start at its members too (`therapies.descents`)."""
    return Reach(index, start, leg_len, cons,
                 descents=descents(index, start) if index.is_therapy(start) else None, via=via)


def _membership_only(index: MechanismIndex, edges: list[int]) -> bool:
    return bool(edges) and all(index.edges[e].sign == 0 for e in edges)


def meetings(
    index: MechanismIndex,
    a: int,
    b: int,
    *,
    cons: Constraints,
    leg_len: int,
    via: Via | None = None,
) -> tuple[Iterator[Meeting], Reach, Reach]:
    """Every node both `a` and `b` reach by signed paths (legs that share no other node), cheapest
    first, one meeting per pair of leg signs. A therapy's leg may start at one of its members.
    `b`'s leg ends in a signed step, never in membership (what a node belongs to is not what the
    therapy does); `a`'s leg may be membership only when `a` is not a therapy: `a` is then one of
    what the therapy acts on (M2 macrophages are among the accessory cells catumaxomab recruits).
    `b` is never a meeting node; `a` may be (a leg of no steps). With `via`, one of the legs
    passes it (the cheaper way). The meetings are produced lazily: the combined costs of all
    nodes are computed at once, and legs are only traced for the candidates a caller asks for."""
    reach_a = therapy_reach(index, a, leg_len, cons, via)
    reach_b = therapy_reach(index, b, leg_len, cons, via)
    hub = np.asarray(index.hub)
    hub_at = hub.copy()
    hub_at[a] = 0.0
    costs, nodes_all, sa_all, sb_all, side_all = [], [], [], [], []
    for ra, sa in ((0, 1), (1, -1)):
        for rb, sb in ((0, 1), (1, -1)):
            if via:
                by_a = reach_a.final_through[ra] + reach_b.final[rb]
                by_b = reach_a.final[ra] + reach_b.final_through[rb]
                side = by_a <= by_b  # True: a's leg passes via
                total = np.minimum(by_a, by_b) + hub_at
            else:
                total = reach_a.final[ra] + reach_b.final[rb] + hub_at
                side = np.zeros(len(total), dtype=bool)
            total[b] = np.inf
            if cons.avoid:
                total[list(cons.avoid)] = np.inf
            nodes = np.flatnonzero(np.isfinite(total))
            costs.append(total[nodes])
            nodes_all.append(nodes)
            sa_all.append(np.full(len(nodes), sa))
            sb_all.append(np.full(len(nodes), sb))
            side_all.append(side[nodes])
    cost_v, node_v = np.concatenate(costs), np.concatenate(nodes_all)
    sa_v, sb_v, side_v = np.concatenate(sa_all), np.concatenate(sb_all), np.concatenate(side_all)
    order = np.lexsort((-sb_v, -sa_v, index.id_rank()[node_v], np.round(cost_v, 9)))
    combined = ((float(cost_v[i]), int(sa_v[i]), int(sb_v[i]), int(node_v[i]), bool(side_v[i])) for i in order)
    a_is_therapy = index.is_therapy(a)

    def generate() -> Iterator[Meeting]:
        for cost, sa, sb, m, side in combined:
            through = (bool(via) and side, bool(via) and not side)
            nodes_a, edges_a = reach_a.chain(m, sa, through=through[0])
            nodes_b, edges_b = reach_b.chain(m, sb, through=through[1])
            if edges_b and index.edges[edges_b[-1]].sign == 0:
                continue  # the therapy's leg ends in membership: it says what its last node belongs to
            if (edges_a and index.edges[edges_a[-1]].sign == 0
                    and (a_is_therapy or not _membership_only(index, edges_a))):
                continue
            if set(nodes_a[:-1]) & set(nodes_b) or set(nodes_b[:-1]) & set(nodes_a):
                continue  # the legs cross before m: an earlier node is the real meeting
            if len(set(nodes_a)) < len(nodes_a) or len(set(nodes_b)) < len(nodes_b):
                continue  # a leg that passes a node twice is not a mechanism
            if via and not via.passed(nodes_a + nodes_b, edges_a + edges_b):
                continue
            yield Meeting(m, sa, sb, cost, through)

    return generate(), reach_a, reach_b


def meeting_path(index: MechanismIndex, mt: Meeting, reach_a: Reach, reach_b: Reach) -> SignedPath:
    """A meeting as one path: the first leg walked forward, the second walked back to its start."""
    nodes_a, edges_a = reach_a.chain(mt.node, mt.from_sign, through=mt.through[0])
    nodes_b, edges_b = reach_b.chain(mt.node, mt.to_sign, through=mt.through[1])
    nodes = nodes_a + nodes_b[::-1][1:]
    edges = edges_a + edges_b[::-1]
    as_member = not index.is_therapy(nodes_a[0]) and _membership_only(index, edges_a)
    if len(nodes_a) == 1 or as_member:
        relation = "effector" if mt.to_sign > 0 else "target"
    else:
        relation = "with" if mt.from_sign == mt.to_sign else "against"
    through = {}
    for side, reach, leg_nodes, leg_edges in (("from", reach_a, nodes_a, edges_a), ("to", reach_b, nodes_b, edges_b)):
        if reach.descents:
            note = member_note(index, {reach.start: None, **reach.descents}, leg_nodes, leg_edges)
            if note:
                through[side] = note
    return SignedPath(
        [_node(index, n) for n in nodes], _steps(index, nodes, edges), _edges.symbol(mt.from_sign * mt.to_sign),
        sem.score_of(mt.cost), mt.cost, _node(index, mt.node), relation, {"from": len(edges_a), "to": len(edges_b)},
        through, as_member,
    )


def _mechanism_answer(index: MechanismIndex, s: int, t: int, opts: PathOptions) -> PathAnswer:
    cons = opts.constraints(index)
    leg_len = min(opts.max_len, LEG_MAX_LEN)
    found, reach_s, reach_t = meetings(index, s, t, cons=cons, leg_len=leg_len, via=_via(index, opts))
    want = _sign_int(opts.sign)
    mech: list[Meeting] = []
    outcomes: list[Meeting] = []
    for mt in found:
        if len(mech) >= opts.k and len(outcomes) >= opts.k:
            break
        if want is not None and mt.from_sign * mt.to_sign != want:
            continue
        to_nodes, to_edges = reach_t.chain(mt.node, mt.to_sign, through=mt.through[1])
        steps = len(reach_s.chain(mt.node, mt.from_sign, through=mt.through[0])[1]) + len(to_edges) \
            - reach_t.descent_steps(to_nodes)
        if steps > opts.max_len:
            continue
        group = outcomes if index.is_outcome(mt.node) and mt.node != s else mech
        if len(group) < opts.k:
            group.append(mt)
    paths = [meeting_path(index, mt, reach_s, reach_t) for mt in mech]
    shared = [meeting_path(index, mt, reach_s, reach_t) for mt in outcomes]
    assoc = efficacy_associations(index, s, t, cons=cons, leg_len=leg_len, k=opts.k, via=_via(index, opts))[: opts.k]
    return PathAnswer(_node(index, s), _node(index, t), "mechanism", paths, shared, assoc, opts.as_dict())


def efficacy_associations(index: MechanismIndex, s: int, therapy: int, *, cons: Constraints, leg_len: int, k: int,
                          via: Via | None = None) -> list[SignedPath]:
    """How `s` bears on the therapy's efficacy through edges into the therapy or its classes:
    `s` changes X (or is X), and X raises or lowers the efficacy (enhances, impairs: a modifier of
    the therapy, never a step of a mechanism). Up to `k` routes to each X (its own mechanism may
    reach X several ways: THBS2+ CAF raises the immunosuppressive microenvironment as a CAF and
    through SPP1+ TAMs), the best first."""
    out = []
    for th in therapy_classes(index, therapy):
        for kk in index.efficacy.get(th, ()):
            info = index.efficacy_edges[kk]
            x = index.pos[info.source]
            weight_cost = sem.step_cost(info.weight)
            if x == s:
                routes = [Found([s], [], 1, 0.0)] if not via or via.passed([s], []) else []
            else:
                routes, _ = k_best_paths(index, s, x, k=k, max_len=leg_len, cons=cons, via=via)
            for f in routes:
                total = f.cost + weight_cost + (index.hub[x] if x != s else 0.0)
                steps = _steps(index, f.nodes + [th], f.edges, [index.edges[e] for e in f.edges] + [info])
                sign = f.sign * (info.sign or 0)
                out.append(SignedPath([_node(index, n) for n in f.nodes + [th]], steps,
                                      "0" if sign == 0 else _edges.symbol(sign), sem.score_of(total), total))
    out.sort(key=lambda p: (round(p.cost, 9), [n["id"] for n in p.nodes], [st.relation for st in p.steps]))
    return out


# --- the verdict in one line ----------------------------------------------------------------


def _article(name: str) -> str:
    return "an" if name[:1].lower() in "aeiou" else "a"


def through_text(note: dict[str, Any] | None) -> str:
    """'through nivolumab, a PD-1 antibody (also pembrolizumab)' for a member note, or ''."""
    if not note:
        return ""
    cls = note["class"]["name"]
    names = [x["name"] for x in note.get("also") or ()]
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    also = f"; the same through {', '.join(names[:3])}{more}" if names else ""
    return f"through {note['member']['name']}, {_article(cls)} {cls}{also}"


def meeting_sentence(source: str, therapy: str, p: dict[str, Any]) -> str:
    """One meeting answer in words (from its JSON form)."""
    at = p["meeting"]["name"]
    rel = p["relation"]
    if rel in ("effector", "target"):
        verb = "raises" if rel == "effector" else "lowers"
        if p.get("as_member"):
            text = f"{therapy} {verb} {at}, of which {source} is one: its {rel}"
        else:
            text = f"{therapy} {verb} {source}: its {rel}"
    else:
        text = f"{source} works {rel} {therapy} at {at}"
    member = through_text((p.get("through") or {}).get("to"))
    return f"{text} ({member})" if member else text


def association_sentence(source: str, p: dict[str, Any]) -> str:
    """One efficacy association in words: 'X lowers the efficacy of T (through Y)'."""
    effect = _edges.SIGN_VERB.get(p["sign"], "changes")
    names = [n["name"] for n in p["nodes"]]
    mid = f" (through {', '.join(names[1:-1])})" if len(names) > 2 else ""
    return f"{source} {effect} the efficacy of {names[-1]}{mid}"


def verdict_line(answer: PathAnswer) -> str:
    src, dst = answer.source["name"], answer.target["name"]
    if answer.mode == "directed":
        if not answer.paths:
            return f"no path from {src} to {dst} within {answer.options.get('max_len', DEFAULT_MAX_LEN)} steps"
        p = answer.paths[0]
        inner = [n["name"] for n in p.nodes[1:-1]]
        how = f" through {', '.join(inner)}" if inner else " directly"
        return f"{src} {'raises' if p.sign == '+' else 'lowers'} {dst}{how}"
    parts: list[tuple[float, str]] = []
    if answer.paths:
        parts.append((answer.paths[0].score, meeting_sentence(src, dst, answer.paths[0].as_dict())))
    if answer.associations:
        parts.append((answer.associations[0].score, association_sentence(src, answer.associations[0].as_dict())))
    parts.sort(key=lambda x: -x[0])
    text = [t for _, t in parts]
    if not answer.paths:
        if answer.shared_outcomes:
            names = list(dict.fromkeys(p.meeting["name"] for p in answer.shared_outcomes if p.meeting))
            text.insert(0, f"no mechanistic meeting point, only shared outcomes ({', '.join(names)})")
        else:
            text.insert(0, "no mechanistic meeting point")
    return "; ".join(text)


def path_ids(paths: Iterable[SignedPath]) -> list[list[tuple[str, str, str]]]:
    """(source, target, relation) of each step of each path, as the pictures highlight them."""
    return [[(st.source, st.target, st.relation) for st in p.steps] for p in paths]
