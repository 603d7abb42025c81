"""Candidate therapeutic targets for GCPM, ranked by a transparent score built from the graph.

Candidates are what a therapy could act on: genes, complexes, cytokines, miRNAs, chemicals, and
cells (cell types and states, which can be depleted or reprogrammed). Tumour cells themselves,
processes, outcomes and therapies are not candidates.

score = 0.50 * influence + 0.30 * evidence + 0.20 * druggability, each in [0, 1]:

- influence: for each disease outcome (schema.DISEASE_OUTCOMES), the score of the best signed
  path from the candidate to it, found by one backward search over (node, sign) per outcome with
  the same step weights and hub penalty as `path` (analysis/paths.py), so a hub gains nothing
  from being a hub; averaged over the outcomes and divided by the best candidate's. A gene that
  a cell expresses is also a handle on that cell: when the cell drives an outcome, depleting it
  through the gene lowers the outcome (route "marker", weighted 0.5 and by the expresses edge).
  The sign says what to do: `block` a driver, `boost` a brake, `deplete` the cell a marker
  marks; `mixed` when the outcomes (or the evidence for one outcome) disagree.
- evidence: half the strength of the best usable evidence level on the candidate's own edges,
  half the number of distinct references (5 or more give 1).
- druggability: 0.5 when a therapy in the graph acts on the candidate, plus up to 0.5 for the
  furthest trial phase of those therapies (III/IV 0.5, II 0.35, I 0.25, other registered 0.15).

Significance: the influence of every candidate is recomputed on `permutations` degree-preserving
shuffles of the signed mechanism edges (each node keeps its in- and out-degree, each edge its sign
and weight); p = (1 + shuffles with at least the observed influence) / (1 + shuffles), with
Benjamini-Hochberg q-values over the candidates. A seeded generator makes it reproducible.

Every target carries its reasons: the best path to each outcome with the references and support
of each step, where the evidence disagrees, the therapies that reach it and their trials.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .. import schema
from ..errors import MechGraphError
from . import semantics as sem
from .index import MechanismIndex
from .paths import PathOptions, _steps
from .search import best_signed, chain

TARGET_KINDS = ("gene", "complex", "cytokine", "mirna", "chemical", "cell_type", "cell_state")
ACTING_RELATIONS = ("targets", "inhibits", "activates", "binds", "kills")
PHASE_BONUS = {"III": 0.5, "IV": 0.5, "II": 0.35, "I": 0.25}
WEIGHTS = {"influence": 0.50, "evidence": 0.30, "druggability": 0.20}
MAX_PATH_LEN = 5
MARKER_WEIGHT = 0.5
DISAGREEMENT = 0.5  # both signs reach an outcome, the weaker at least half as strong: the evidence disagrees
DEFAULT_PERMUTATIONS = 100
SWAPS_PER_EDGE = 5


@dataclass
class Target:
    id: str
    name: str
    kind: str
    score: float
    components: dict[str, float]
    direction: str
    influence: float
    p_value: float | None = None
    q_value: float | None = None
    reasons: list[dict[str, Any]] = field(default_factory=list)
    therapies: list[dict[str, Any]] = field(default_factory=list)
    evidence: dict[str, Any] = field(default_factory=dict)
    disagreements: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "kind": self.kind, "score": round(self.score, 4),
            "direction": self.direction, "influence": round(self.influence, 4),
            "p_value": None if self.p_value is None else round(self.p_value, 4),
            "q_value": None if self.q_value is None else round(self.q_value, 4),
            "components": {k: round(v, 4) for k, v in self.components.items()},
            "reasons": self.reasons, "disagreements": self.disagreements,
            "therapies": self.therapies, "evidence": self.evidence,
        }


@dataclass
class Ranking:
    targets: list[Target]
    outcomes: list[str]
    permutations: int
    seed: int
    candidates: int
    options: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcomes": self.outcomes, "permutations": self.permutations, "seed": self.seed,
            "candidates": self.candidates, "weights": WEIGHTS, "options": self.options,
            "targets": [t.as_dict() for t in self.targets],
        }


# --- influence ------------------------------------------------------------------------------


def outcome_influence(index: MechanismIndex, outcome: int, cons, max_len: int = MAX_PATH_LEN) -> dict:
    """Best signed path of every node to one outcome: {(node, sign): (cost, prev, edge, steps)}."""
    return best_signed(index, outcome, max_len=max_len, cons=cons, backward=True)


def _influence(index: MechanismIndex, per_outcome: dict[int, dict], node: int) -> dict[int, dict[str, Any]]:
    """Per outcome: the best direct route of each sign and the best marker route, as scores."""
    out = {}
    for o, best in per_outcome.items():
        routes: dict[str, Any] = {}
        for sign in (1, -1):
            hit = best.get((node, sign))
            if hit is not None:
                routes[sign] = (sem.score_of(hit[0]), ("direct", (node, sign)))
        for cell, info in index.markers.get(node, ()):
            hit = best.get((cell, 1))
            if hit is None or cell == node:
                continue
            score = MARKER_WEIGHT * info.weight * sem.score_of(hit[0])
            if score > routes.get("marker", (0,))[0]:
                routes["marker"] = (score, ("marker", (cell, 1), info))
        if routes:
            out[o] = routes
    return out


def _value(routes: dict) -> float:
    return max(r[0] for r in routes.values())


def _mean_influence(influence: dict[int, dict], n_outcomes: int) -> float:
    return sum(_value(r) for r in influence.values()) / n_outcomes if n_outcomes else 0.0


# --- druggability and evidence --------------------------------------------------------------


def _phase_bonus(phase: str | None) -> float:
    best = 0.15
    for part in str(phase or "").replace(" ", "").split("/"):
        best = max(best, PHASE_BONUS.get(part, 0.15))
    return best


def _furthest(phases: list[str | None]) -> str | None:
    order = {"I": 1, "II": 2, "III": 3, "IV": 4}
    best, rank = None, 0
    for p in phases:
        for part in str(p or "").replace(" ", "").split("/"):
            if order.get(part, 0) > rank:
                best, rank = part, order[part]
    if best is None and any(phases):
        return next(p for p in phases if p)
    return best


def therapies_of(g: nx.MultiDiGraph, node: str, support: frozenset[str]) -> list[dict[str, Any]]:
    """Therapies acting on `node` (by usable evidence), with the trials testing them or their members."""
    merged: dict[str, dict[str, Any]] = {}
    for u, _, k, a in sorted(g.in_edges(node, keys=True, data=True), key=lambda e: (e[0], e[2])):
        if k not in ACTING_RELATIONS or g.nodes[u].get("kind") not in sem.THERAPY_KINDS:
            continue
        if not sem.usable_records(a, support):
            continue
        members = {u} | {m for m, _, kk in g.in_edges(u, keys=True) if kk == "subtype_of"}
        trials = sorted({t for m in members for _, t, kk in g.out_edges(m, keys=True) if kk == "tested_in"})
        refs = [str(r) for r in a.get("refs") or ()]
        if u in merged:
            m = merged[u]
            m["relation"] = f"{m['relation']}, {k}"
            m["refs"] = sorted(set(m["refs"]) | set(refs), key=_ref_key)
        else:
            merged[u] = {
                "id": u, "name": str(g.nodes[u].get("name", u)), "relation": k, "refs": refs, "trials": trials,
                "furthest_phase": _furthest([g.nodes[t].get("phase") for t in trials]),
            }
    return list(merged.values())


def _ref_key(r: str) -> tuple[int, int, str]:
    return (0, int(r), "") if r.isdigit() else (1, 0, r)


def _evidence(g: nx.MultiDiGraph, node: str, support: frozenset[str]) -> tuple[float, int, str | None]:
    refs: set[str] = set()
    best, best_name = 0, None
    for _, _, a in list(g.in_edges(node, data=True)) + list(g.out_edges(node, data=True)):
        for rec in sem.usable_records(a, support):
            if rec.get("ref"):
                refs.add(str(rec["ref"]))
            lvl = rec.get("level")
            if schema.EVIDENCE_LEVELS.get(lvl or "", 0) > best:
                best, best_name = schema.EVIDENCE_LEVELS[lvl], lvl
    refs.discard("review")
    strength = best / max(schema.EVIDENCE_LEVELS.values())
    return 0.5 * strength + 0.5 * min(1.0, len(refs) / 5), len(refs), best_name


# --- significance ---------------------------------------------------------------------------


def shuffled_index(index: MechanismIndex, rng: random.Random) -> MechanismIndex:
    """A copy of the index whose signed mechanism steps between non-therapy nodes are shuffled by
    degree-preserving swaps (a->b, c->d become a->d, c->b); each step keeps its sign and cost."""
    fixed_out: list[list] = [[] for _ in index.ids]
    movable: list[list] = []
    for u, walks in enumerate(index.out):
        for w, sign, cost, e in walks:
            if sign != 0 and not index.is_therapy(u) and not index.is_therapy(w):
                movable.append([u, w, sign, cost, e])
            else:
                fixed_out[u].append((w, sign, cost, e))
    # a canonical order, so the same seed shuffles the same way whatever order the store returned
    movable.sort(key=lambda x: (index.ids[x[0]], index.ids[x[1]], index.edges[x[4]].relation, x[4]))
    pairs = {(a, b) for a, b, *_ in movable}
    m = len(movable)
    for _ in range(SWAPS_PER_EDGE * m if m > 1 else 0):
        i, j = rng.randrange(m), rng.randrange(m)
        a, b = movable[i][0], movable[i][1]
        c, d = movable[j][0], movable[j][1]
        if i == j or a == d or c == b or (a, d) in pairs or (c, b) in pairs:
            continue
        pairs -= {(a, b), (c, d)}
        pairs |= {(a, d), (c, b)}
        movable[i][1], movable[j][1] = d, b
    out = fixed_out
    for a, b, sign, cost, e in movable:
        out[a].append((b, sign, cost, e))
    inc: list[list] = [[] for _ in index.ids]
    for a, walks in enumerate(out):
        for w, sign, cost, e in walks:
            inc[w].append((a, sign, cost, e))
    clone = copy.copy(index)
    clone.out, clone.inc = out, inc
    return clone


def _bh(pvalues: dict[str, float]) -> dict[str, float]:
    """Benjamini-Hochberg q-values."""
    items = sorted(pvalues.items(), key=lambda kv: kv[1])
    n = len(items)
    q, running = {}, 1.0
    for rank in range(n, 0, -1):
        key, p = items[rank - 1]
        running = min(running, p * n / rank)
        q[key] = min(1.0, max(p, running))
    return q


# --- the ranking ----------------------------------------------------------------------------


def rank_targets(
    g: nx.MultiDiGraph,
    *,
    top: int | None = 20,
    outcomes: tuple[str, ...] = schema.DISEASE_OUTCOMES,
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int = 0,
    opts: PathOptions | None = None,
) -> Ranking:
    """Rank candidate targets; see the module docstring for the score and its significance."""
    if top is not None and top < 0:
        raise MechGraphError("--top must be 0 (all) or more")
    if permutations < 0:
        raise MechGraphError("--permutations must be 0 or more")
    opts = opts or PathOptions()
    index = opts.index(g)
    cons = opts.constraints(index)
    outs = [index.pos[o] for o in outcomes if o in index.pos]
    per_outcome = {o: outcome_influence(index, o, cons) for o in outs}
    candidates = [i for i, k in enumerate(index.kind) if k in TARGET_KINDS and i not in outs]
    influence = {i: _influence(index, per_outcome, i) for i in candidates}
    mean = {i: _mean_influence(influence[i], len(outs)) for i in candidates}
    top_influence = max(mean.values(), default=0.0) or 1.0

    pvalues: dict[int, float] = {}
    if permutations and outs:
        rng = random.Random(seed)
        exceed = {i: 0 for i in candidates if mean[i] > 0}
        for _ in range(permutations):
            shuffled = shuffled_index(index, rng)
            per = {o: outcome_influence(shuffled, o, cons) for o in outs}
            for i in exceed:
                if _mean_influence(_influence(shuffled, per, i), len(outs)) >= mean[i] - 1e-12:
                    exceed[i] += 1
        pvalues = {i: (1 + c) / (1 + permutations) for i, c in exceed.items()}
    qvalues = _bh({index.ids[i]: p for i, p in pvalues.items()}) if pvalues else {}

    results = []
    for i in candidates:
        eid = index.ids[i]
        if mean[i] == 0:
            continue  # no signed path to any outcome: nothing in the graph makes it a target for GCPM
        therapies = therapies_of(g, eid, opts.support)
        drug = 0.0
        if therapies:
            drug = min(1.0, 0.5 + max((_phase_bonus(t["furthest_phase"]) if t["trials"] else 0.0) for t in therapies))
        ev, n_refs, best_level = _evidence(g, eid, opts.support)
        comps = {"influence": mean[i] / top_influence, "evidence": ev, "druggability": drug}
        score = sum(WEIGHTS[k] * v for k, v in comps.items())
        reasons, disagreements, directions = _reasons(index, per_outcome, influence[i], i)
        direction = directions.pop() if len(directions) == 1 else "mixed"
        t = Target(eid, index.name(i), index.kind[i], score, comps, direction, mean[i], pvalues.get(i), qvalues.get(eid),
                   reasons, therapies, {"distinct_refs": n_refs, "best_level": best_level}, disagreements)
        results.append(t)
    results.sort(key=lambda t: (-round(t.score, 9), t.id))
    kept = results[:top] if top else results
    return Ranking(kept, [index.ids[o] for o in outs], permutations if outs else 0, seed, len(results), opts.as_dict())


def _reasons(index: MechanismIndex, per_outcome: dict[int, dict], influence: dict[int, dict], node: int):
    reasons, disagreements, directions = [], [], set()
    for o, routes in influence.items():
        best_key = max(routes, key=lambda k: (routes[k][0], str(k)))
        score, route = routes[best_key]
        best = per_outcome[o]
        if route[0] == "direct":
            nodes, edges = chain(best, route[1])
            steps = _steps(index, nodes[::-1], edges[::-1])
            sign = route[1][1]
            do = "block" if sign > 0 else "boost"
            kind = "direct"
        else:
            cell_state, info = route[1], route[2]
            nodes, edges = chain(best, cell_state)
            marker_step = _steps(index, [node, cell_state[0]], [], [info])
            steps = marker_step + _steps(index, nodes[::-1], edges[::-1])
            sign, do, kind = 1, "deplete", "marker"
        directions.add(do)
        if 1 in routes and -1 in routes:
            weak, strong = sorted((routes[1][0], routes[-1][0]))
            if weak >= DISAGREEMENT * strong:
                disagreements.append(
                    f"{index.name(o)}: paths of both signs (raises {routes[1][0]:.3f}, lowers {routes[-1][0]:.3f})"
                )
        reasons.append({
            "outcome": index.ids[o], "outcome_name": index.name(o), "sign": sem.sign_symbol(sign), "route": kind,
            "do": do, "score": round(score, 4), "path": [s.as_dict() for s in steps],
            "refs": sorted({r for s in steps for r in s.refs}, key=_ref_key),
            "support": sorted({x for s in steps for x in s.support}),
        })
    return reasons, disagreements, directions
