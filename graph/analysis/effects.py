"""The effect of a therapy on an outcome, decided by the strongest evidence that bears on it.

Lines of evidence, each with a direction (lowers, raises, or null), a level and a strength:

1. Reported results: edges from the therapy, one of its classes or one of its members (never a
   sibling) into the outcome. Each *observation* is one line (records sharing an `observation`
   key count once, on the most specific therapy that carries them); its level is its study's.
   An inhibits edge lowers, promotes raises; an association with direction `none` is a null
   result, `negative` lowers and `positive` raises. Strength: the evidence weight of its
   records, x0.8 when it is a class's or a member's result rather than the therapy's own. A
   trial's result counts for every outcome it measured (the seeds hold one edge per outcome).
2. Mechanisms: the best signed paths from the therapy (or, for a class, from its members) to the
   outcome, at most `k` of each sign, with the step weights of `path` and, by default, no hub
   penalty (the penalty ranks answers by how specific they are; it is not evidence). A path's
   level is its weakest signed step's; its strength is its score. Paths that differ only in
   which member of a class they start from are one line (the members listed). A path that only
   walks to a related therapy's reported result is that result, not a mechanism.

The verdict and the number follow the hierarchy (`hierarchy`): the strongest level with any line
decides; lower levels are listed as support or contradiction and never outvote it, and the net
lies in the deciding level's band, so a mouse study can never outscore a randomised trial. The
text says which level decided and on what ("decided by a randomised trial (ref 38): OS 13.2 vs
13.0 months (P=0.97)"); only trials are called trials.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .. import edges as _edges
from .. import schema
from ..curation.studies import slug  # the loader's key for a study's result row
from ..errors import MechGraphError
from . import hierarchy as hi
from . import semantics as sem
from .index import MechanismIndex
from .paths import PathOptions, SignedPath, _node, to_signed_path
from .search import k_best_paths
from .therapies import descents, leading_therapies, member_note, merge_key, related_therapies, therapy_classes

DEFAULT_OUTCOME = "peritoneal_metastasis"
HUMAN_LEVELS = schema.HUMAN_LEVELS
MAX_STRENGTH = hi.MAX_STRENGTH
RELATED_THERAPY_DISCOUNT = 0.8
PATHS_PER_SIGN = 10
NO_CLEAR_EFFECT = hi.NO_CLEAR_EFFECT
OUTCOME_KINDS = ("phenotype", "disease")  # what a reported result elsewhere may be on


@dataclass
class Result:
    """One observation of the therapy (or a class or member of it) on the outcome."""

    therapy: dict[str, str]
    relation: str
    direction: str  # lowers, raises, null
    strength: float
    level: str | None
    refs: list[str]
    support: list[str]
    figures: list[str]
    context: str | None
    observation: str | None = None
    role: str = ""  # decides, supports, contradicts
    own: bool = True  # the therapy's own result (not a class's or a member's)

    def as_dict(self) -> dict[str, Any]:
        return {
            "therapy": self.therapy, "own": self.own, "relation": self.relation, "direction": self.direction,
            "strength": round(self.strength, 4), "level": self.level, "level_label": hi.label(self.level),
            "trial": hi.is_trial(self.level), "role": self.role, "refs": self.refs, "support": self.support,
            "figures": self.figures, "context": self.context, "observation": self.observation,
        }


@dataclass
class Mechanism:
    """One mechanism line: a signed path with its level (its weakest signed step's)."""

    path: SignedPath
    direction: str
    level: str | None
    role: str = ""

    @property
    def strength(self) -> float:
        return self.path.score

    def as_dict(self) -> dict[str, Any]:
        return {**self.path.as_dict(), "direction": self.direction, "level": self.level,
                "level_label": hi.label(self.level), "role": self.role}


@dataclass
class Effect:
    therapy: dict[str, str]
    outcome: dict[str, str]
    net: float
    verdict: str
    decided_by: dict[str, Any] | None
    tiers: list[dict[str, Any]]
    results: list[Result]
    lowering: list[Mechanism]
    raising: list[Mechanism]
    disagreements: list[str]
    limits: list[dict[str, Any]]
    enhancers: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    other_outcomes: list[dict[str, Any]] = field(default_factory=list)
    trials: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "therapy": self.therapy, "outcome": self.outcome, "net": round(self.net, 4), "verdict": self.verdict,
            "decided_by": self.decided_by, "tiers": self.tiers, "counts": self.counts,
            "results": [c.as_dict() for c in self.results], "lowering": [p.as_dict() for p in self.lowering],
            "raising": [p.as_dict() for p in self.raising], "disagreements": self.disagreements,
            "limits": self.limits, "enhancers": self.enhancers, "other_outcomes": self.other_outcomes,
            "trials": self.trials,
        }


def _direction(relation: str, attrs: dict[str, Any]) -> str:
    if relation == "associated_with":
        return {"negative": "lowers", "positive": "raises"}.get(str(attrs.get("direction")), "null")
    sign = _edges.relation_sign(relation)
    return "lowers" if sign == -1 else "raises" if sign == 1 else "null"


def endpoints(g: nx.MultiDiGraph, therapies: list[str]) -> dict[str, str]:
    """Observation key -> the endpoint it measured ('median overall survival'), from the results
    of the studies these therapies are tested in (a study's result rows are recorded on the
    edges they bear on under the key `<study>_<endpoint>`, or the row's own `observation`)."""
    out: dict[str, str] = {}
    for t in therapies:
        for _, study, key in g.out_edges(t, keys=True):
            if key != "tested_in":
                continue
            for row in g.nodes[study].get("results") or ():
                if isinstance(row, dict) and row.get("endpoint"):
                    endpoint = str(row["endpoint"])
                    out[str(row.get("observation") or f"{study}_{slug(endpoint)}")] = endpoint
    return out


def reported_results(g: nx.MultiDiGraph, index: MechanismIndex, therapy: int, outcome: int, support: frozenset[str],
                     min_level: str | None = None) -> list[Result]:
    """Every observation of the therapy, its classes and its members on the outcome, each once;
    figures name the endpoint they measured where the study says it."""
    out: list[Result] = []
    seen: set[str] = set()
    o = index.ids[outcome]
    named = endpoints(g, [index.ids[th] for th in related_therapies(index, therapy)])
    for th in related_therapies(index, therapy):
        t = index.ids[th]
        if not g.has_edge(t, o):
            continue
        for rel, a in sorted(g[t][o].items()):
            relation = a.get("relation", rel)
            if relation != "associated_with" and _edges.relation_sign(relation) not in (1, -1):
                continue  # a reported result says the outcome went down, up, or did not change
            groups: dict[str, list[dict[str, Any]]] = {}
            for i, r in enumerate(_edges.usable_records(a, support, min_level)):
                key = _edges.observation_key(r)
                groups.setdefault(f"key:{key}" if key else f"record:{i}", []).append(r)
            # records without a key on one edge: one observation per reference (a second study is a second line)
            merged: dict[str, list[dict[str, Any]]] = {}
            for k, recs in groups.items():
                if k.startswith("record:"):
                    k = f"ref:{recs[0].get('ref')}:{recs[0].get('level')}"
                merged.setdefault(k, []).extend(recs)
            for k, recs in merged.items():
                if k.startswith("key:"):
                    if k in seen:
                        continue  # one observation, already counted on a more specific therapy
                    seen.add(k)
                refs = _edges.sorted_refs(r.get("ref") for r in recs)
                own = th == therapy
                strength = sem.step_weight_of(recs, refs) * (1.0 if own else RELATED_THERAPY_DISCOUNT)
                figures = [f"{named[r['observation']]}, {r['figures']}" if r.get("observation") in named
                           else str(r["figures"])
                           for r in recs if r.get("figures")]
                out.append(Result(
                    _node(index, th), relation, _direction(relation, a), min(MAX_STRENGTH, strength),
                    _edges.best_level(recs), refs, sorted({_edges.record_support(r) for r in recs}), figures,
                    a.get("context"), k[4:] if k.startswith("key:") else None, own=own,
                ))
    out.sort(key=lambda c: (-hi.rank(c.level), not c.own, -c.strength, c.therapy["id"], c.relation, c.refs))
    return out


def other_outcomes(g: nx.MultiDiGraph, index: MechanismIndex, therapy: int, outcome: int, support: frozenset[str],
                   min_level: str | None = None) -> list[dict[str, Any]]:
    """The other outcomes (phenotypes, diseases) on which the therapy, a class or a member of it
    has reported results, strongest level first: where its clinical evidence lies when the
    outcome asked about has none, or only weaker."""
    found: set[str] = set()
    for th in related_therapies(index, therapy):
        for _, x in g.out_edges(index.ids[th]):
            if x != index.ids[outcome] and g.nodes[x].get("kind") in OUTCOME_KINDS and x in index.pos:
                found.add(x)
    rows = []
    for x in sorted(found):
        res = reported_results(g, index, therapy, index.pos[x], support, min_level)
        if not res:
            continue
        top = max(hi.rank(r.level) for r in res)
        best = [r for r in res if hi.rank(r.level) == top]
        level = hi.level_of(top)
        rows.append({"outcome": _node(index, index.pos[x]), "level": level, "label": hi.label(level),
                     "directions": sorted({r.direction for r in best}),
                     "refs": _edges.sorted_refs(ref for r in best for ref in r.refs)})
    rows.sort(key=lambda r: (-hi.rank(r["level"]), r["outcome"]["name"]))
    return rows


def trials_of(g: nx.MultiDiGraph, index: MechanismIndex, therapy: int) -> list[dict[str, Any]]:
    """The clinical studies in the graph that test the therapy, a class or a member of it (its
    `tested_in` edges), strongest design first: level (from the study's design: a cohort is not
    a trial), phase, and whether the review reports their results."""
    rows: dict[str, dict[str, Any]] = {}
    for th in related_therapies(index, therapy):
        for _, study, key, e in g.out_edges(index.ids[th], keys=True, data=True):
            if key != "tested_in":
                continue
            a = g.nodes[study]
            level = _edges.best_level(e.get("evidence") or [])
            row = rows.setdefault(study, {"id": study, "name": str(a.get("name", study)), "level": level,
                                          "level_label": hi.label(level), "trial": hi.is_trial(level),
                                          "phase": a.get("phase"), "results": bool(a.get("results")),
                                          "therapies": []})
            if index.name(th) not in row["therapies"]:
                row["therapies"].append(index.name(th))
    return sorted(rows.values(), key=lambda r: (not r["results"], -hi.rank(r["level"]), r["name"]))


def path_level(path: SignedPath) -> str | None:
    """A mechanism path's level: its weakest signed step's (membership steps only classify)."""
    return hi.weakest(st.level for st in path.steps if st.sign in ("+", "-")) or hi.LOWEST


def mechanism_paths(index: MechanismIndex, t: int, o: int, opts: PathOptions, k: int) -> dict[int, list]:
    """The k best signed paths of each sign from the therapy (or its members) to the outcome."""
    cons = opts.constraints(index)
    down, key = descents(index, t), merge_key(index)
    return {sign: k_best_paths(index, t, o, k=k, max_len=opts.max_len, cons=cons, sign=sign, descents=down,
                               merge_key=key)[0]
            for sign in (-1, 1)}


def therapy_effect(g: nx.MultiDiGraph, therapy: str, outcome: str = DEFAULT_OUTCOME, *, opts: PathOptions | None = None,
                   k: int = PATHS_PER_SIGN, max_len: int = 5) -> Effect:
    """The effect of `therapy` on `outcome` (entity ids) under the evidence hierarchy; see the
    module docstring. The hub penalty ranks answers by specificity; it is not evidence, so
    effects default to none (pass `opts` with a hub_penalty to use one)."""
    opts = opts or PathOptions(max_len=max_len, hub_penalty=0.0)
    index = opts.index(g)
    t, o = index.node(therapy), index.node(outcome)
    if not index.is_therapy(t):
        raise MechGraphError(f"{index.name(t)} is a {index.kind[t]}, not a therapy; `effect` takes a therapy")
    if t == o:
        raise MechGraphError("the therapy and the outcome must differ")
    results = reported_results(g, index, t, o, opts.support, opts.min_level)
    related = set(related_therapies(index, t))
    down = descents(index, t)
    lines: dict[int, list[Mechanism]] = {}
    for sign, found in mechanism_paths(index, t, o, opts, k).items():
        kept = []
        for f in found:
            n = leading_therapies(index, f.nodes)
            if n == len(f.nodes) - 1 and f.nodes[n - 1] in related:
                continue  # a related therapy's reported result on the outcome: counted as a result
            p = to_signed_path(index, f)
            note = member_note(index, down, f.nodes, f.edges)
            if note:
                p.through["from"] = note
            kept.append(Mechanism(p, "lowers" if sign < 0 else "raises", path_level(p)))
        lines[sign] = kept
    lowering, raising = lines[-1], lines[1]
    net, verdict, decided, tiers, disagreements = _decide(results, lowering, raising)
    counts = {
        "results_lowers": sum(c.direction == "lowers" for c in results),
        "results_raises": sum(c.direction == "raises" for c in results),
        "results_null": sum(c.direction == "null" for c in results),
        "paths_lowering": len(lowering), "paths_raising": len(raising),
        "supporting": sum(x.role == "supports" for x in [*results, *lowering, *raising]),
        "contradicting": sum(x.role == "contradicts" for x in [*results, *lowering, *raising]),
    }
    limits, enhancers = efficacy_modifiers(g, index, t)
    return Effect(_node(index, t), _node(index, o), net, verdict, decided, tiers, results, lowering, raising,
                  disagreements, limits, enhancers, counts,
                  other_outcomes(g, index, t, o, opts.support, opts.min_level), trials_of(g, index, t))


def _decide(results: list[Result], lowering: list[Mechanism], raising: list[Mechanism]):
    """(net, verdict, decided_by, tiers, disagreements) under the hierarchy."""
    lines = [*results, *lowering, *raising]
    if not lines:
        return 0.0, "no evidence: no reported result and no signed path", None, [], []
    by_level: dict[int, list] = {}
    for x in lines:
        by_level.setdefault(hi.rank(x.level), []).append(x)
    top = max(by_level)
    top_level = hi.level_of(top)
    deciding = by_level[top]
    strengths = {d: [x.strength for x in deciding if x.direction == d] for d in ("lowers", "raises", "null")}
    level_net, belief = hi.level_net(strengths["lowers"], strengths["raises"], strengths["null"])
    dirs = sorted({x.direction for x in deciding})
    word = "lowers" if level_net < 0 else "raises"
    if abs(level_net) >= NO_CLEAR_EFFECT:
        head, verdict_dir = word, word
    elif dirs == ["null"] or "null" in dirs:
        head, verdict_dir = "no clear effect", "null"
    elif len(dirs) == 1 and level_net != 0:
        head, verdict_dir = f"weakly {word}", word
    else:
        head, verdict_dir = "no clear effect", "null"
    for x in deciding:
        x.role = "decides"
    tiers = [{"level": top_level, "label": hi.label(top_level), "role": "decides", "net": round(level_net, 4),
              "belief": {k: round(v, 4) for k, v in belief.items()},
              "lines": {d: sum(x.direction == d for x in deciding) for d in ("lowers", "raises", "null")}}]
    disagreements = []
    if len(dirs) > 1:
        disagreements.append(f"the {hi.label(top_level)} evidence itself disagrees: " + ", ".join(
            f"{sum(x.direction == d for x in deciding)} {d}" for d in dirs))
    for r in sorted(by_level, reverse=True)[1:]:
        level = hi.level_of(r)
        group = by_level[r]
        for x in group:
            x.role = "supports" if x.direction == verdict_dir else "contradicts"
        roles = {x.role for x in group}
        role = roles.pop() if len(roles) == 1 else "mixed"
        tiers.append({"level": level, "label": hi.label(level), "role": role, "net": None, "belief": None,
                      "lines": {d: sum(x.direction == d for x in group) for d in ("lowers", "raises", "null")}})
        against = [x for x in group if x.role == "contradicts"]
        if against:
            said = "/".join("finds no effect" if d == "null" else d for d in sorted({x.direction for x in against}))
            n = len(against)
            disagreements.append(f"{hi.label(level)} evidence ({n} line{'s' if n != 1 else ''}) says it {said}; "
                                 f"the {hi.label(top_level)} evidence decides: {head}")
    decided = _decided_by(top_level, deciding, verdict_dir, head)
    verdict = f"{head}, {decided['text']}"
    return hi.placed(level_net, top_level), verdict, decided, tiers, disagreements


def _decided_by(level: str, deciding: list, direction: str, head: str) -> dict[str, Any]:
    """What decided the verdict, in words and as data."""
    res = [x for x in deciding if isinstance(x, Result)]
    mech = [x for x in deciding if isinstance(x, Mechanism)]
    refs = _edges.sorted_refs(r for x in res for r in x.refs) if res else _edges.sorted_refs(
        r for x in mech for st in x.path.steps for r in st.refs)
    agreeing = [x for x in res if x.direction == direction] or res
    figures = [f for x in agreeing for f in x.figures]
    if res and not mech:
        n = len({tuple(x.refs) for x in res})  # studies; one study's endpoints are one study
        who = hi.with_article(level) if n == 1 else hi.label(level, n)
        text = f"decided by {who} (ref {', '.join(refs) or '-'})"
        if figures:
            text += ": " + "; ".join(figures)
    else:
        parts = []
        if res:
            parts.append(f"{len(res)} reported result{'s' if len(res) != 1 else ''}")
        if mech:
            parts.append(f"{len(mech)} mechanism path{'s' if len(mech) != 1 else ''}")
        if res:
            text = (f"decided by evidence at the level of {hi.with_article(level)} ({', '.join(parts)}; ref "
                    f"{', '.join(refs) or '-'})")
        else:  # no study measured this outcome: say so before the level, which is a path's weakest step
            text = (f"by mechanism only, no reported result on it (decided at the level of "
                    f"{hi.with_article(level)}, the weakest step of the deciding path; {', '.join(parts)}; ref "
                    f"{', '.join(refs) or '-'})")
    return {"level": level, "label": hi.label(level), "trial": hi.is_trial(level), "direction": direction,
            "mechanism_only": not res, "refs": refs, "figures": figures, "text": text,
            "band": [round(x, 4) for x in hi.band(level)]}


def efficacy_modifiers(g: nx.MultiDiGraph, index: MechanismIndex,
                       therapy: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """What the graph says lowers (impairs) and raises (enhances) this therapy's efficacy: edges
    into it or into a class it belongs to. Modifiers, never mechanism steps."""
    lower, raise_ = [], []
    for th in therapy_classes(index, therapy):
        for kk in index.efficacy.get(th, ()):
            info = index.efficacy_edges[kk]
            if info.sign not in (1, -1):
                continue
            a = g.edges[info.source, info.target, info.relation]
            row = {
                "source": info.source, "source_name": str(g.nodes[info.source].get("name", info.source)),
                "relation": info.relation, "target": info.target, "target_name": index.name(th),
                "context": a.get("context"), "refs": list(info.refs), "level": info.level,
                "support": list(info.supports),
                "figures": [e["figures"] for e in a.get("evidence") or [] if e.get("figures")],
            }
            (lower if info.sign == -1 else raise_).append(row)
    for rows in (lower, raise_):
        rows.sort(key=lambda r: (r["target"] != index.ids[therapy], r["target"], r["source"], r["relation"]))
    return lower, raise_
