"""The effect of a therapy on an outcome: trial results first, then mechanisms, bounded and honest.

Lines of evidence, each with a direction (lowers, raises, or null) and a strength in (0, 0.9]:

1. Clinical results come first: edges from the therapy, one of its classes or one of its member
   therapies to the outcome whose usable evidence is human (clinical trial, observational human,
   case report). An inhibits edge lowers, promotes raises; an association with direction `none`
   is a null result, `negative` lowers and `positive` raises. Strength: the evidence weight of
   the edge, x0.8 when it belongs to a class or a member rather than the therapy itself.
2. Mechanisms: the best signed paths from the therapy to the outcome (at most `k` of each sign,
   found by a signed search, with the step weights of `path` and, by default, no hub penalty:
   the penalty ranks answers by how specific they are, it is not evidence). Strength: the path's
   score. Paths that share steps are counted as separate lines, so the belief is an optimistic
   summary; the listed paths show what it rests on. A direct edge already counted as a clinical result is not counted again.

Belief in each direction is a noisy-OR over its lines, 1 - prod(1 - strength), so it lies in
[0, 1) and grows with independent support without ever reaching certainty. The net effect is
(belief raises - belief lowers) x (1 - belief null), in [-1, 1]: negative means the therapy
lowers the outcome. Null results shrink it toward 0 rather than vanish outside the total. Where
lines disagree (within the clinical results, within the mechanisms, or between the two), the
answer lists the disagreement instead of hiding it in the sum. The sign rules of each step
(kills, expresses, abundance versus activity) are those of `semantics`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .. import schema
from ..edges import sorted_refs
from ..errors import MechGraphError
from . import semantics as sem
from .index import MechanismIndex
from .paths import PathOptions, SignedPath, _node, therapy_classes, to_signed_path
from .search import k_best_paths

DEFAULT_OUTCOME = "peritoneal_metastasis"
HUMAN_LEVELS = schema.HUMAN_LEVELS
MAX_STRENGTH = 0.9
RELATED_THERAPY_DISCOUNT = 0.8
PATHS_PER_SIGN = 10
NO_CLEAR_EFFECT = 0.1


@dataclass
class ClinicalResult:
    therapy: dict[str, str]
    relation: str
    direction: str  # lowers, raises, null
    strength: float
    level: str | None
    refs: list[str]
    support: list[str]
    figures: list[str]
    context: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "therapy": self.therapy, "relation": self.relation, "direction": self.direction,
            "strength": round(self.strength, 4), "level": self.level, "refs": self.refs, "support": self.support,
            "figures": self.figures, "context": self.context,
        }


@dataclass
class Effect:
    therapy: dict[str, str]
    outcome: dict[str, str]
    net: float
    belief: dict[str, float]
    verdict: str
    clinical: list[ClinicalResult]
    lowering: list[SignedPath]
    raising: list[SignedPath]
    disagreements: list[str]
    limits: list[dict[str, Any]]
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "therapy": self.therapy, "outcome": self.outcome, "net": round(self.net, 4),
            "belief": {k: round(v, 4) for k, v in self.belief.items()}, "verdict": self.verdict, "counts": self.counts,
            "clinical": [c.as_dict() for c in self.clinical], "lowering": [p.as_dict() for p in self.lowering],
            "raising": [p.as_dict() for p in self.raising], "disagreements": self.disagreements, "limits": self.limits,
        }


def _noisy_or(strengths: list[float]) -> float:
    p = 1.0
    for s in strengths:
        p *= 1.0 - min(MAX_STRENGTH, s)
    return 1.0 - p


def _related_therapies(index: MechanismIndex, therapy: int) -> list[int]:
    """The therapy, its classes, and the therapies that are members of it."""
    out = therapy_classes(index, therapy)
    for u, walks in enumerate(index.out):
        if u in out or not index.is_therapy(u):
            continue
        if therapy in therapy_classes(index, u):
            out.append(u)
    return out


def clinical_results(g: nx.MultiDiGraph, index: MechanismIndex, therapy: int, outcome: int, support: frozenset[str]) -> list[ClinicalResult]:
    """Direct therapy -> outcome edges with human evidence, for the therapy, its classes and members."""
    out = []
    o = index.ids[outcome]
    for th in _related_therapies(index, therapy):
        t = index.ids[th]
        if not g.has_edge(t, o):
            continue
        for rel, a in sorted(g[t][o].items()):
            relation = a.get("relation", rel)
            records = [r for r in sem.usable_records(a, support) if r.get("level") in HUMAN_LEVELS]
            if not records:
                continue
            if relation == "associated_with":
                direction = {"negative": "lowers", "positive": "raises"}.get(str(a.get("direction")), "null")
            else:
                sign = schema.RELATIONS[relation].sign if relation in schema.RELATIONS else 0
                direction = "lowers" if sign == -1 else "raises" if sign == 1 else "null"
            refs = sorted_refs(r.get("ref") for r in records)
            strength = sem.step_weight_of(records, refs) * (1.0 if th == therapy else RELATED_THERAPY_DISCOUNT)
            levels = [r["level"] for r in records]
            out.append(ClinicalResult(
                _node(index, th), relation, direction, min(MAX_STRENGTH, strength),
                max(levels, key=schema.EVIDENCE_LEVELS.__getitem__), refs, sorted({sem.record_support(r) for r in records}),
                [r["figures"] for r in records if r.get("figures")], a.get("context"),
            ))
    out.sort(key=lambda c: (c.therapy["id"] != index.ids[therapy], -c.strength, c.therapy["id"], c.relation))
    return out


def therapy_effect(g: nx.MultiDiGraph, therapy: str, outcome: str = DEFAULT_OUTCOME, *, opts: PathOptions | None = None,
                   k: int = PATHS_PER_SIGN, max_len: int = 5) -> Effect:
    """The bounded net effect of `therapy` on `outcome` (entity ids); see the module docstring.

    The hub penalty ranks answers by specificity; it is not evidence, so effects default to none
    (pass `opts` with a hub_penalty to use one)."""
    opts = opts or PathOptions(max_len=max_len, hub_penalty=0.0)
    index = opts.index(g)
    t, o = index.node(therapy), index.node(outcome)
    if not index.is_therapy(t):
        raise MechGraphError(f"{index.name(t)} is a {index.kind[t]}, not a therapy; `effect` takes a therapy")
    if t == o:
        raise MechGraphError("the therapy and the outcome must differ")
    cons = opts.constraints(index)
    clinical = clinical_results(g, index, t, o, opts.support)
    clinical_edges = {(c.therapy["id"], c.relation) for c in clinical}
    paths: dict[int, list[SignedPath]] = {}
    for sign in (-1, 1):
        found, _ = k_best_paths(index, t, o, k=k, max_len=opts.max_len, cons=cons, sign=sign)
        kept = []
        for f in found:
            p = to_signed_path(index, f)
            if len(p.steps) == 1 and (p.steps[0].source, p.steps[0].relation) in clinical_edges:
                continue  # the same edge is already a clinical result
            kept.append(p)
        paths[sign] = kept
    lowering, raising = paths[-1], paths[1]
    strengths = {
        "lowers": [c.strength for c in clinical if c.direction == "lowers"] + [p.score for p in lowering],
        "raises": [c.strength for c in clinical if c.direction == "raises"] + [p.score for p in raising],
        "null": [c.strength for c in clinical if c.direction == "null"],
    }
    belief = {k_: _noisy_or(v) for k_, v in strengths.items()}
    net = (belief["raises"] - belief["lowers"]) * (1.0 - belief["null"])
    disagreements = _disagreements(clinical, lowering, raising)
    verdict = _verdict(net, clinical, lowering, raising)
    counts = {
        "clinical_lowers": sum(c.direction == "lowers" for c in clinical),
        "clinical_raises": sum(c.direction == "raises" for c in clinical),
        "clinical_null": sum(c.direction == "null" for c in clinical),
        "paths_lowering": len(lowering), "paths_raising": len(raising),
    }
    lean = "lowers" if net < 0 else "raises"
    counts["supporting"] = len(strengths[lean]) if abs(net) >= NO_CLEAR_EFFECT else 0
    counts["contradicting"] = (len(strengths["raises" if lean == "lowers" else "lowers"]) + counts["clinical_null"]
                               if abs(net) >= NO_CLEAR_EFFECT else 0)
    return Effect(_node(index, t), _node(index, o), net, belief, verdict, clinical, lowering, raising, disagreements,
                  efficacy_limits(g, index, t), counts)


def _verdict(net: float, clinical: list[ClinicalResult], lowering: list, raising: list) -> str:
    if not clinical and not lowering and not raising:
        return "no evidence: no trial result and no signed path"
    parts = []
    if clinical:
        dirs = sorted({c.direction for c in clinical})
        if dirs == ["null"]:
            parts.append("trials found no effect")
        elif len(dirs) == 1:
            parts.append(f"trials: {dirs[0]}")
        else:
            parts.append("trials disagree (" + ", ".join(f"{sum(c.direction == d for c in clinical)} {d}" for d in dirs) + ")")
    if lowering or raising:
        if lowering and raising:
            parts.append(f"mechanisms point both ways ({len(lowering)} lower, {len(raising)} raise)")
        else:
            parts.append(f"mechanisms: {'lowers' if lowering else 'raises'}")
    word = "lowers" if net < 0 else "raises"
    one_way = not (lowering and raising) and not any(c.direction != word for c in clinical)
    if abs(net) >= NO_CLEAR_EFFECT:
        head = word
    elif one_way and net != 0:
        head = f"weakly {word}"
    else:
        head = "no clear effect"
    return f"{head} ({'; '.join(parts)})"


def _disagreements(clinical: list[ClinicalResult], lowering: list, raising: list) -> list[str]:
    out = []
    dirs = {c.direction for c in clinical}
    if len(dirs) > 1:
        out.append("clinical results disagree: " + ", ".join(
            f"{c.therapy['name']} {c.direction} (ref {', '.join(c.refs) or '-'})" for c in clinical))
    if lowering and raising:
        out.append(f"mechanisms disagree: {len(lowering)} paths lower the outcome and {len(raising)} raise it")
    mech = ("lowers" if lowering else "") or ("raises" if raising else "")
    if clinical and mech and not (lowering and raising):
        signed = {d for d in dirs if d != "null"}
        if "null" in dirs and not signed:
            out.append(f"trials found no effect, while the mechanisms say it {mech} the outcome")
        elif signed and mech not in signed:
            out.append(f"trials say it {'/'.join(sorted(signed))}, while the mechanisms say it {mech} the outcome")
    return out


def efficacy_limits(g: nx.MultiDiGraph, index: MechanismIndex, therapy: int) -> list[dict[str, Any]]:
    """What the graph says lowers this therapy's efficacy: '-' edges into it or into a class it belongs to."""
    out = []
    for th in therapy_classes(index, therapy):
        for kk in index.efficacy.get(th, ()):
            info = index.efficacy_edges[kk]
            if info.sign != -1:
                continue
            a = g.edges[info.source, info.target, info.relation]
            out.append({
                "source": info.source, "source_name": str(g.nodes[info.source].get("name", info.source)),
                "relation": info.relation, "target": info.target, "target_name": index.name(th),
                "context": a.get("context"), "refs": list(info.refs), "level": info.level, "support": list(info.supports),
                "figures": [e["figures"] for e in a.get("evidence") or [] if e.get("figures")],
            })
    out.sort(key=lambda r: (r["target"] != index.ids[therapy], r["target"], r["source"], r["relation"]))
    return out
