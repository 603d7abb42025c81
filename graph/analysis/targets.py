"""Candidate therapeutic targets for GCPM, ranked by a transparent score built from the graph.

score = 0.45 * influence + 0.25 * druggability + 0.20 * evidence + 0.10 * centrality, each in [0, 1]:

- influence: for each disease outcome (peritoneal metastasis, immunosuppressive microenvironment,
  malignant ascites, poor survival), the score of the best signed path from the entity to it
  (see analysis/paths.py), averaged over the four outcomes. Its sign says what to do: an entity
  that drives the outcomes (+) is a target to block, one that restrains them (-) a target to boost.
- druggability: 0.5 when some therapy in the graph targets, inhibits, activates, binds or kills
  the entity, plus up to 0.5 for the furthest trial phase any such therapy reached
  (III/IV 0.5, II 0.35, I 0.25, other registered study 0.15).
- evidence: half the strength of the best evidence level on the entity's edges (clinical 1.0 ...
  expert 0.2), half the breadth of distinct references (5 or more give 1.0).
- centrality: degree in the signed (causal) subgraph, divided by the highest degree.

Every target carries its reasons: the best path to each outcome with its references, the
therapies that reach it and the trials that test them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .. import schema
from .paths import _score, best_signed_costs, path_index

TARGET_KINDS = ("gene", "complex", "cytokine", "mirna", "chemical", "cell_type", "cell_state")
THERAPY_KINDS = ("therapy", "therapy_class")
ACTING_RELATIONS = ("targets", "inhibits", "activates", "binds", "kills")
PHASE_BONUS = {"III": 0.5, "IV": 0.5, "II": 0.35, "I": 0.25}
WEIGHTS = {"influence": 0.45, "druggability": 0.25, "evidence": 0.20, "centrality": 0.10}
MAX_PATH_LEN = 5


@dataclass
class Target:
    id: str
    name: str
    kind: str
    score: float
    components: dict[str, float]
    direction: str  # "block" (drives disease), "boost" (restrains it), "mixed" or "none"
    reasons: list[dict[str, Any]] = field(default_factory=list)
    therapies: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "score": round(self.score, 4),
            "direction": self.direction,
            "components": {k: round(v, 4) for k, v in self.components.items()},
            "reasons": self.reasons,
            "therapies": self.therapies,
        }


def _phase_bonus(phase: str | None) -> float:
    if not phase:
        return 0.15
    best = 0.15
    for part in str(phase).replace(" ", "").split("/"):
        best = max(best, PHASE_BONUS.get(part, 0.15))
    return best


def _therapies_of(g: nx.MultiDiGraph, node: str) -> list[dict[str, Any]]:
    """Therapies acting on `node`, with the trials testing them (a class's members' trials count)."""
    out = []
    for u, _, k, a in g.in_edges(node, keys=True, data=True):
        if k not in ACTING_RELATIONS or g.nodes[u].get("kind") not in THERAPY_KINDS:
            continue
        members = {u} | {m for m, _, kk in g.in_edges(u, keys=True) if kk == "subtype_of"}
        trials = sorted(
            {t for m in members for _, t, kk in g.out_edges(m, keys=True) if kk == "tested_in"},
        )
        phases = [g.nodes[t].get("phase") for t in trials]
        out.append(
            {
                "id": u,
                "name": g.nodes[u].get("name", u),
                "relation": k,
                "refs": list(a.get("refs") or []),
                "trials": trials,
                "furthest_phase": _furthest(phases),
            }
        )
    merged: dict[str, dict[str, Any]] = {}
    for t in sorted(out, key=lambda r: (r["id"], r["relation"])):
        if t["id"] in merged:
            m = merged[t["id"]]
            m["relation"] = f"{m['relation']}, {t['relation']}"
            m["refs"] = sorted(set(m["refs"]) | set(t["refs"]), key=lambda r: (not r.isdigit(), int(r) if r.isdigit() else 0, r))
        else:
            merged[t["id"]] = t
    return list(merged.values())


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


def _evidence(g: nx.MultiDiGraph, node: str) -> tuple[float, int, str | None]:
    refs: set[str] = set()
    best = 0
    best_name = None
    for _, _, a in list(g.in_edges(node, data=True)) + list(g.out_edges(node, data=True)):
        refs.update(a.get("refs") or [])
        lvl = a.get("level")
        s = schema.EVIDENCE_LEVELS.get(lvl or "", 0)
        if s > best:
            best, best_name = s, lvl
    refs.discard("review")
    strength = best / max(schema.EVIDENCE_LEVELS.values())
    return 0.5 * strength + 0.5 * min(1.0, len(refs) / 5), len(refs), best_name


def rank_targets(g: nx.MultiDiGraph, *, top: int = 20, outcomes: tuple[str, ...] = schema.DISEASE_OUTCOMES) -> list[Target]:
    """Rank candidate targets; see the module docstring for the score."""
    outcomes = tuple(o for o in outcomes if o in g)
    index = path_index(g)
    per_outcome = {o: best_signed_costs(index, o, MAX_PATH_LEN) for o in outcomes}
    causal = nx.DiGraph()
    for u, v, k, a in g.edges(keys=True, data=True):
        rel = schema.RELATIONS.get(k)
        if rel and rel.sign in (1, -1):
            causal.add_edge(u, v)
    pr = dict(causal.degree())
    pr_max = max(pr.values(), default=1) or 1

    results: list[Target] = []
    for node, attrs in g.nodes(data=True):
        kind = attrs.get("kind")
        if kind not in TARGET_KINDS or node in outcomes:
            continue
        reasons, signed_scores = [], []
        for o in outcomes:
            best = None
            for sign in ("+", "-"):
                hit = per_outcome[o].get((node, sign))
                if hit and (best is None or hit[0] < best[1]):
                    best = (sign, hit[0], hit[1])
            if best is None:
                continue
            sign, cost, walks = best
            path = index.make_path(walks)
            signed_scores.append((sign, _score(cost)))
            reasons.append(
                {
                    "outcome": o,
                    "sign": sign,
                    "score": round(path.score, 4),
                    "path": [s.as_dict() for s in path.steps],
                    "refs": sorted({r for s in path.steps for r in s.refs}, key=lambda r: (not r.isdigit(), int(r) if r.isdigit() else 0, r)),
                }
            )
        influence = sum(s for _, s in signed_scores) / len(outcomes) if outcomes else 0.0
        therapies = _therapies_of(g, node)
        drug = 0.0
        if therapies:
            drug = 0.5 + max(_phase_bonus(t["furthest_phase"]) if t["trials"] else 0.0 for t in therapies)
        if influence == 0 and not therapies:
            continue
        ev, n_refs, best_level = _evidence(g, node)
        cent = pr.get(node, 0.0) / pr_max
        comps = {"influence": influence, "druggability": min(1.0, drug), "evidence": ev, "centrality": cent}
        score = sum(WEIGHTS[k] * v for k, v in comps.items())
        signs = {s for s, _ in signed_scores}
        direction = "none" if not signs else "block" if signs == {"+"} else "boost" if signs == {"-"} else "mixed"
        reasons.append({"evidence": {"distinct_refs": n_refs, "best_level": best_level}})
        results.append(Target(node, attrs.get("name", node), kind, score, comps, direction, reasons, therapies))
    results.sort(key=lambda t: (-round(t.score, 9), t.id))
    return results[:top] if top else results
