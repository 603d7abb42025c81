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

Complexes and their parts are one candidate: a molecule that is `part_of` exactly one complex
joins that complex's candidate (transitively: a part of a part joins the outermost complex it
belongs to alone), which is named by the complex and lists its parts. Its influence on each
outcome is its best part's (or its own), its evidence pools the parts' references, and a drug
acting on any part acts on it. A molecule that is part of two or more complexes stays a
candidate of its own (which complex it acts through is then not one thing), and each of those
complexes lists it as a shared part. The grouping is read from the graph's part_of edges only.

`stratum` (`targets --in SUBTYPE`, see `strata`): influence counts only the paths that pass one
of the subtype's characterizing features (or start at one).

Every target carries its reasons: the best path to each outcome with the references and support
of each step (and through which part), where the evidence disagrees, the therapies that reach it
and their trials, whether the review proposes it as a target (its `proposals`, with the
locator), and whether a drug in the graph already acts on it. No score depends on a proposal:
the ranks follow the score above.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from .. import edges as _edges
from .. import schema
from ..edges import ref_sort_key
from ..errors import MechGraphError
from . import semantics as sem
from .index import MechanismIndex
from .paths import PathOptions, _steps
from .search import Reach
from .strata import Stratum, feature_refs
from .strata import stratum as get_stratum

TARGET_KINDS = ("gene", "complex", "cytokine", "mirna", "chemical", "cell_type", "cell_state")
MOLECULE_KINDS = ("gene", "complex", "cytokine", "mirna", "chemical")
ACTING_RELATIONS = _edges.ACTING_RELATIONS
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
    parts: list[dict[str, str]] = field(default_factory=list)  # merged parts of a complex
    shared_parts: list[dict[str, Any]] = field(default_factory=list)  # parts ranked on their own (in 2+ complexes)
    proposals: list[dict[str, Any]] = field(default_factory=list)  # the review's proposals naming it or a part
    feature_of: dict[str, Any] | None = None  # with --in: the stratum it (or a part) characterizes

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "kind": self.kind, "score": round(self.score, 4),
            "direction": self.direction, "influence": round(self.influence, 4),
            "p_value": None if self.p_value is None else round(self.p_value, 4),
            "q_value": None if self.q_value is None else round(self.q_value, 4),
            "components": {k: round(v, 4) for k, v in self.components.items()},
            "reasons": self.reasons, "disagreements": self.disagreements,
            "therapies": self.therapies, "evidence": self.evidence,
            "parts": self.parts, "shared_parts": self.shared_parts, "proposals": self.proposals,
            "feature_of": self.feature_of,
        }


@dataclass
class Ranking:
    targets: list[Target]
    outcomes: list[str]
    permutations: int
    seed: int
    candidates: int
    options: dict[str, Any]
    stratum: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        d = {
            "outcomes": self.outcomes, "permutations": self.permutations, "seed": self.seed,
            "candidates": self.candidates, "weights": WEIGHTS, "options": self.options,
            "targets": [t.as_dict() for t in self.targets],
        }
        if self.stratum:
            d["stratum"] = self.stratum
        return d


# --- influence ------------------------------------------------------------------------------


def outcome_reach(index: MechanismIndex, outcome: int, cons, max_len: int = MAX_PATH_LEN,
                  st: Stratum | None = None) -> Reach:
    """The best signed walk of every node to one outcome (one vectorised backward search); with a
    stratum, also the best walk that passes one of its features."""
    return Reach(index, outcome, max_len, cons, backward=True, via=st.via if st else None)


def _marker_scores(index: MechanismIndex, plus_scores: np.ndarray) -> np.ndarray:
    """For every gene a driving cell expresses: MARKER_WEIGHT x the expresses edge's weight x the
    cell's score for raising the outcome (the best such cell)."""
    out = np.zeros(len(index.ids))
    for gene, cells in index.markers.items():
        best = 0.0
        for cell, info in cells:
            if cell != gene and plus_scores[cell] > 0:
                best = max(best, MARKER_WEIGHT * info.weight * float(plus_scores[cell]))
        out[gene] = best
    return out


def _scores(final: np.ndarray) -> np.ndarray:
    return np.where(np.isfinite(final), np.exp(-final) / sem.STEP_PENALTY, 0.0)


def influence_table(index: MechanismIndex, reaches: dict[int, Reach],
                    st: Stratum | None = None) -> dict[int, np.ndarray]:
    """Per outcome, a (3, nodes) array of scores: the best raising path, the best lowering path,
    the best marker route (0 where there is none); in a stratum, paths that pass a feature (a
    feature itself keeps all its paths)."""
    table = {}
    for o, r in reaches.items():
        scores = _scores(r.final)
        if st is not None:
            any_walk = scores
            scores = _scores(r.final_through)
            feats = list(st.features)
            scores[:, feats] = any_walk[:, feats]
        scores[:, o] = 0.0
        table[o] = np.vstack([scores, _marker_scores(index, scores[0])])
    return table


def mean_influence(table: dict[int, np.ndarray], n_nodes: int,
                   groups: dict[int, list[int]] | None = None) -> np.ndarray:
    """Mean over outcomes of each node's best route score; a complex's candidate takes, for each
    outcome, the best of its own and its parts' (`groups`: complex -> its merged parts)."""
    if not table:
        return np.zeros(n_nodes)
    best = np.vstack([t.max(axis=0) for t in table.values()])
    for root, parts in (groups or {}).items():
        best[:, root] = best[:, [root, *parts]].max(axis=1)
    return best.mean(axis=0)


def complex_groups(index: MechanismIndex) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """(complex -> the parts merged into its candidate, part -> the 2+ complexes it belongs to).

    A molecule joins the candidate of the complex it is part_of when that complex is the only
    one; followed upward, so a part of a part joins the outermost complex it belongs to alone."""
    parents: dict[int, list[int]] = {}
    for u, walks in enumerate(index.out):
        if index.kind[u] not in MOLECULE_KINDS:
            continue
        for w, _sign, _, e in walks:
            row = index.edges.rows[e]
            if (row[2] == "part_of" and not row[3] and index.kind[w] == "complex" and w != u
                and w not in parents.get(u, ())):
                parents.setdefault(u, []).append(w)
    shared = {u: sorted(ps, key=lambda x: index.ids[x]) for u, ps in parents.items() if len(ps) > 1}

    def root(u: int) -> int:
        seen = {u}
        while len(parents.get(u, ())) == 1 and parents[u][0] not in seen:
            u = parents[u][0]
            seen.add(u)
        return u

    groups: dict[int, list[int]] = {}
    for u in parents:
        r = root(u)
        if r != u:
            groups.setdefault(r, []).append(u)
    return {r: sorted(ps, key=lambda x: index.ids[x]) for r, ps in groups.items()}, shared


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
        if k not in ACTING_RELATIONS or g.nodes[u].get("kind") not in schema.THERAPY_KINDS:
            continue
        if not _edges.usable_records(a, support):
            continue
        members = {u} | {m for m, _, kk in g.in_edges(u, keys=True) if kk == "subtype_of"}
        trials = sorted({t for m in members for _, t, kk in g.out_edges(m, keys=True) if kk == "tested_in"})
        refs = [str(r) for r in a.get("refs") or ()]
        if u in merged:
            m = merged[u]
            m["relation"] = f"{m['relation']}, {k}"
            m["refs"] = sorted(set(m["refs"]) | set(refs), key=ref_sort_key)
        else:
            merged[u] = {
                "id": u, "name": str(g.nodes[u].get("name", u)), "relation": k, "refs": refs, "trials": trials,
                "furthest_phase": _furthest([g.nodes[t].get("phase") for t in trials]),
            }
    return list(merged.values())


def _evidence(index: MechanismIndex, nodes: list[int]) -> tuple[float, int, str | None]:
    """Half the best usable level on the candidate's (and its parts') edges, half its distinct references."""
    refs: set[str] = set()
    for n in nodes:
        refs |= index.refs[n] or set()
    best = max(index.best_level[n] for n in nodes)
    best_name = next((k for k, v in schema.EVIDENCE_LEVELS.items() if v == best), None) if best else None
    strength = best / max(schema.EVIDENCE_LEVELS.values())
    return 0.5 * strength + 0.5 * min(1.0, len(refs) / 5), len(refs), best_name


def _drugs(g: nx.MultiDiGraph, index: MechanismIndex, nodes: list[int],
           support: frozenset[str]) -> list[dict[str, Any]]:
    """Therapies acting on the candidate or one of its parts, each once (naming the part it acts on)."""
    out: dict[str, dict[str, Any]] = {}
    for n in nodes:
        if n not in index.acted_on:
            continue
        for t in therapies_of(g, index.ids[n], support):
            if t["id"] in out:
                continue
            if n != nodes[0]:
                t = {**t, "acts_on": {"id": index.ids[n], "name": index.name(n)}}
            out[t["id"]] = t
    return list(out.values())


def proposals_of(g: nx.MultiDiGraph, ids: list[str]) -> list[dict[str, Any]]:
    """The review's proposals naming any of these entities (node attribute `proposals`), each once."""
    out, seen = [], set()
    for eid in ids:
        for prop in g.nodes[eid].get("proposals") or ():
            if not isinstance(prop, dict):
                continue
            key = (prop.get("proposes"), tuple(prop.get("entities") or ()), prop.get("therapy"), prop.get("locator"))
            if key not in seen:
                seen.add(key)
                therapy = prop.get("therapy")
                if therapy and therapy in g:
                    prop = {**prop, "therapy_name": str(g.nodes[therapy].get("name", therapy))}
                out.append(prop)
    out.sort(key=lambda p: (p.get("proposes") != "target", str(p.get("locator")), str(p.get("entities"))))
    return out


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
    clone._arrays = None  # type: ignore[attr-defined]
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

AUTO_PERMUTATIONS_UP_TO = 20_000  # mechanism steps; above this the default skips the shuffles


PROGRESS_DELAY = 2.0  # seconds of shuffling before the progress bar shows


def permutation_progress(total: int):
    """A progress bar of the shuffles on stderr: only on a terminal, and only once they have run
    past PROGRESS_DELAY seconds (a quick ranking prints nothing; a pipe or a log never gets one)."""
    import sys  # noqa: PLC0415

    from tqdm import tqdm  # noqa: PLC0415

    return tqdm(total=total, desc="target permutations", unit="shuffle", file=sys.stderr, leave=False,
                delay=PROGRESS_DELAY, disable=not sys.stderr.isatty())


def rank_targets(
    g: nx.MultiDiGraph,
    *,
    top: int | None = 20,
    outcomes: tuple[str, ...] = schema.DISEASE_OUTCOMES,
    permutations: int | None = None,
    seed: int = 0,
    opts: PathOptions | None = None,
    stratum: str | None = None,
) -> Ranking:
    """Rank candidate targets; see the module docstring for the score and its significance.

    `permutations=None` runs DEFAULT_PERMUTATIONS shuffles on graphs of up to
    AUTO_PERMUTATIONS_UP_TO mechanism steps and none on larger ones (pass a number to force it)."""
    if top is not None and top < 0:
        raise MechGraphError("--top must be 0 (all) or more")
    if permutations is not None and permutations < 0:
        raise MechGraphError("--permutations must be 0 or more")
    opts = opts or PathOptions()
    index = opts.index(g)
    if permutations is None:
        permutations = DEFAULT_PERMUTATIONS if len(index.edges) <= AUTO_PERMUTATIONS_UP_TO else 0
    cons = opts.constraints(index)
    st = get_stratum(index, stratum)
    outs = [index.pos[o] for o in outcomes if o in index.pos]
    reaches = {o: outcome_reach(index, o, cons, st=st) for o in outs}
    table = influence_table(index, reaches, st)
    groups, shared = complex_groups(index)
    mean = mean_influence(table, len(index.ids), groups)
    is_candidate = np.fromiter((k in TARGET_KINDS for k in index.kind), dtype=bool, count=len(index.ids))
    is_candidate[outs] = False
    merged = [p for parts in groups.values() for p in parts]
    is_candidate[merged] = False
    candidates = [int(i) for i in np.flatnonzero(is_candidate & (mean > 0))]
    top_influence = float(mean[candidates].max()) if candidates else 1.0

    pvalues: dict[int, float] = {}
    if permutations and outs and candidates:
        rng = random.Random(seed)
        observed = mean[candidates] - 1e-12
        exceed = np.zeros(len(candidates), dtype=np.int64)
        with permutation_progress(permutations) as bar:
            for _ in range(permutations):
                shuffled = shuffled_index(index, rng)
                perm_table = influence_table(shuffled, {o: outcome_reach(shuffled, o, cons, st=st) for o in outs}, st)
                perm = mean_influence(perm_table, len(index.ids), groups)
                exceed += perm[candidates] >= observed
                bar.update(1)
        pvalues = {i: (1 + int(c)) / (1 + permutations) for i, c in zip(candidates, exceed, strict=True)}
    qvalues = _bh({index.ids[i]: p for i, p in pvalues.items()}) if pvalues else {}

    scored = []
    for i in candidates:
        members = [i, *groups.get(i, ())]
        therapies = _drugs(g, index, members, opts.support)
        drug = 0.0
        if therapies:
            drug = min(1.0, 0.5 + max((_phase_bonus(t["furthest_phase"]) if t["trials"] else 0.0) for t in therapies))
        ev, n_refs, best_level = _evidence(index, members)
        comps = {"influence": float(mean[i]) / top_influence, "evidence": ev, "druggability": drug}
        score = sum(WEIGHTS[k] * v for k, v in comps.items())
        scored.append((score, index.ids[i], i, members, comps, therapies, n_refs, best_level))
    scored.sort(key=lambda x: (-round(x[0], 9), x[1]))
    kept = scored[:top] if top else scored
    node = lambda n: {"id": index.ids[n], "name": index.name(n)}  # noqa: E731
    defining = feature_refs(index, st) if st else {}
    results = []
    for score, eid, i, members, comps, therapies, n_refs, best_level in kept:
        reasons, disagreements, directions = _reasons(index, reaches, table, members, st)
        direction = directions.pop() if len(directions) == 1 else "mixed"
        shared_parts = [{**node(p), "complexes": [node(c) for c in cs]} for p, cs in sorted(shared.items()) if i in cs]
        results.append(Target(eid, index.name(i), index.kind[i], score, comps, direction, float(mean[i]),
                              pvalues.get(i),
                              qvalues.get(eid), reasons, therapies, {"distinct_refs": n_refs, "best_level": best_level},
                              disagreements, [node(p) for p in members[1:]], shared_parts,
                              proposals_of(g, [index.ids[m] for m in members]),
                              _feature_of(index, st, defining, members)))
    return Ranking(results, [index.ids[o] for o in outs], permutations if outs else 0, seed, len(scored),
                   opts.as_dict(), st.as_dict(index) if st else None)


def _feature_of(index: MechanismIndex, st: Stratum | None, defining: dict[int, list[str]],
                members: list[int]) -> dict[str, Any] | None:
    """With a stratum: the features among the candidate and its parts, and their references."""
    feats = [m for m in members if m in defining]
    if st is None or not feats:
        return None
    return {"stratum": {"id": index.ids[st.node], "name": index.name(st.node)},
            "features": [{"id": index.ids[m], "name": index.name(m)} for m in feats],
            "refs": _edges.sorted_refs(r for m in feats for r in defining[m])}


def _reasons(index: MechanismIndex, reaches: dict[int, Reach], table: dict[int, np.ndarray], members: list[int],
             st: Stratum | None = None):
    """Per outcome, the best route of the candidate or one of its parts, with its path."""
    reasons, disagreements, directions = [], [], set()
    feats = set(st.features) if st else set()
    for o, scores in table.items():
        node = max(members, key=lambda m: (float(scores[:, m].max()), m == members[0], index.ids[m]))
        plus, minus, marker = (float(x) for x in scores[:, node])
        if max(plus, minus, marker) <= 0:
            continue
        reach = reaches[o]
        if marker > max(plus, minus):
            cell, info = max(
                ((c, i) for c, i in index.markers[node] if c != node),
                key=lambda ci: (MARKER_WEIGHT * ci[1].weight * float(scores[0, ci[0]]), index.ids[ci[0]]),
            )
            nodes, edges = reach.chain(cell, 1, through=bool(st) and cell not in feats)
            steps = _steps(index, [node, cell], [], [info]) + _steps(index, nodes[::-1], edges[::-1])
            sign, do, kind, score = 1, "deplete", "marker", marker
        else:
            sign = 1 if plus >= minus else -1
            nodes, edges = reach.chain(node, sign, through=bool(st) and node not in feats)
            steps = _steps(index, nodes[::-1], edges[::-1])
            do, kind, score = ("block" if sign > 0 else "boost"), "direct", max(plus, minus)
        directions.add(do)
        if plus > 0 and minus > 0 and min(plus, minus) >= DISAGREEMENT * max(plus, minus):
            disagreements.append(f"{index.name(o)}: paths of both signs (raises {plus:.3f}, lowers {minus:.3f})")
        reason = {
            "outcome": index.ids[o], "outcome_name": index.name(o), "sign": _edges.symbol(sign), "route": kind,
            "do": do, "score": round(score, 4), "path": [s.as_dict() for s in steps],
            "refs": sorted({r for s in steps for r in s.refs}, key=ref_sort_key),
            "support": sorted({x for s in steps for x in s.support}),
            "walk": len({st_.source for st_ in steps} | {st_.target for st_ in steps}) < len(steps) + 1,
        }
        if node != members[0]:
            reason["part"] = {"id": index.ids[node], "name": index.name(node)}
        reasons.append(reason)
    return reasons, disagreements, directions
