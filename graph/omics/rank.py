"""Targets for a sample: the graph's target ranking re-weighted by what the data expresses and which
pathways are active.

The graph's ranking (`mechgraph.analysis.targets.rank_targets`, every candidate) is kept as it is,
and each target's score is multiplied by a data factor:

    data score = graph score x (0.5 + d),  d in [0, 1]

    d = the mean of the parts the data can measure:
      expression  a gene, cytokine or complex: the largest fraction of a group's cells expressing
                  it (a table: its highest group mean / the highest group mean of any graph gene);
                  a cell entity: its abundance (the cells of its groups) / the most abundant
                  mapped cell entity's
      activity    the best ligand -> receptor activity the target takes part in (as ligand, as
                  receptor, as their complex, or, for a cell, as sender or receiver group): its
                  score / the best score of all activities, times (1 - p) where there is a
                  p-value; activities whose ligand or receptor is expressed by fewer than
                  `expr_prop` of its group count 0

A target the data cannot measure keeps d = 0.5 (factor 1, its graph score) and says so: a gene
outside the data's panel is not evidence against it. A target the data measures as silent
(d = 0) keeps half its score. Every target carries `data.reason`, the data's part of its
reasons ("C3AR1 expressed in 64% of SPP1+ TAM; C3-C3AR1 activity rank 3 of 6").

`compare_conditions`: per sample (its own cells; activities without permutations), the same data
score for every target; then, per target, Welch's t-test of the per-sample scores of condition A
against condition B (samples are the replicates, cells within a sample are not independent), with
Benjamini-Hochberg q-values over the targets. Needs at least two samples per condition.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import replace
from typing import Any

import networkx as nx
import numpy as np

from .. import schema
from ..analysis.paths import PathOptions
from ..analysis.targets import rank_targets
from ..errors import DataError
from . import genes as gm
from .extras import require
from .read import Expression, open_expression
from .score import NOT_MEASURED, SILENT, STATUSES, Overlay, OverlayOptions, compute_overlay

FACTOR_FLOOR = 0.5  # data score = graph score x (FACTOR_FLOOR + d)
NEUTRAL = 0.5  # d of a target the data cannot measure


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def normalisers(ov: Overlay) -> dict[str, float]:
    """The largest values d is scaled by: any graph gene's group mean, a cell entity's abundance, an activity's score.
    """
    return {
        "gene": max((v["score"] or 0.0 for e in ov.entities.values() if e["kind"] not in schema.CELL_KINDS
                     for v in e["by_group"].values()),
                    default=0.0),
        "cell": max((e.get("abundance") or 0.0 for e in ov.entities.values()), default=0.0),
        "activity": max((r["score"] for r in ov.lr), default=0.0),
    }


def data_part(target_id: str, kind: str, ov: Overlay, scale: dict[str, float] | None = None,
              parts: list[str] | None = None) -> dict[str, Any]:
    """d and its reasons for one target (see the module docstring). `scale` (default: `normalisers(ov)`)
    lets per-sample overlays share the whole data set's scale, so samples compare on one footing.
    A complex that stands for its parts (`parts`, see analysis.targets) is expressed as its best
    expressed part when the data has no expression of the complex itself."""
    scale = scale or normalisers(ov)
    ent = ov.entities.get(target_id)
    if (ent is None or not ent.get("by_group")) and parts:
        measured = [ov.entities[p] for p in parts if ov.entities.get(p, {}).get("by_group")]
        if measured:
            ent = max(measured, key=lambda e: (max((v["fraction"] or 0.0, v["score"] or 0.0)
                                                   for v in e["by_group"].values()),
                                               e["name"]))
    names = ov.names
    reasons: list[str] = []
    expression = None
    cells = ov.kind == "cells"
    if ent is not None and kind not in schema.CELL_KINDS and ent["by_group"]:
        by = ent["by_group"]
        label = ent.get("symbol") or ent["name"]
        if cells:
            best = max(by, key=lambda g: (by[g]["fraction"] or 0.0, by[g]["score"] or 0.0))
            expression = by[best]["fraction"] or 0.0
            reasons.append(f"{label} expressed in {_pct(expression)} of {best} cells" if expression
                           else f"{label} not expressed in any group")
        else:
            top = scale["gene"]
            best = max(by, key=lambda g: by[g]["score"] or 0.0)
            val = by[best]["score"] or 0.0
            expression = min(1.0, val / top) if top > 0 else 0.0
            reasons.append(f"{label} mean {val:.3g} in {best} (table of group means)" if val
                           else f"{label} not expressed in any column")
    elif ent is not None and kind in schema.CELL_KINDS and cells and ent.get("abundance") is not None:
        top = scale["cell"]
        expression = min(1.0, ent["abundance"] / top) if top > 0 else 0.0
        reasons.append(f"{ent['name']}: {_pct(ent['abundance'])} of cells ({', '.join(ent['groups'])})")
    activity = None
    rows = _activities_of(target_id, kind, ov)
    if rows is not None:
        best_score = scale["activity"]
        usable = [r for r in rows if r["expressed"] is not False]
        if usable and best_score > 0:
            r = usable[0]
            activity = min(1.0, r["score"] / best_score) * (1 - r["p_value"] if r["p_value"] is not None else 1.0)
            pair = next(p for p in ov.pairs if p["ligand"] == r["ligand"] and p["receptor"] == r["receptor"])
            p_txt = f", p {r['p_value']:.3g}" if r["p_value"] is not None else ""
            reasons.append(f"{names.get(r['ligand'], r['ligand'])}-{names.get(r['receptor'], r['receptor'])} activity "
                           "rank "
                           f"{pair['rank']} of {pair['of']} ({r['sender']} -> {r['receiver']}, {ov.method} "
                           f"{r['score']:.3g}{p_txt})")
        else:
            activity = 0.0
            reasons.append(f"its ligand-receptor pairs: {SILENT} (measured, no expressed activity)")
    parts = [x for x in (expression, activity) if x is not None]
    if not parts:
        why = "no group of the data stands for it" if kind in schema.CELL_KINDS else "its gene is not in the data"
        return {"d": None, "factor": 1.0, "expression": None, "activity": None, "reason": f"{NOT_MEASURED} ({why})"}
    d = float(np.mean(parts))
    return {"d": round(d, 4), "factor": round(FACTOR_FLOOR + d, 4),
            "expression": None if expression is None else round(expression, 4),
            "activity": None if activity is None else round(activity, 4), "reason": "; ".join(reasons)}


def _activities_of(target_id: str, kind: str, ov: Overlay) -> list[dict[str, Any]] | None:
    """The activity records the target takes part in (best first), or None when it is in no measured pair."""
    if kind in schema.CELL_KINDS:
        groups = set(ov.entities.get(target_id, {}).get("groups") or [])
        if not groups or not any(p["measured"] for p in ov.pairs):
            return None  # no pair of the graph is in the data: its activities are not measured, not silent
        return [r for r in ov.lr if r["sender"] in groups or r["receiver"] in groups]
    pairs = [p for p in ov.pairs if p["measured"] and target_id in (p["ligand"], p["receptor"], p["complex"])]
    if not pairs:
        return None
    keys = {(p["ligand"], p["receptor"]) for p in pairs}
    return [r for r in ov.lr if (r["ligand"], r["receptor"]) in keys]


def rank_with_data(g: nx.MultiDiGraph, ov: Overlay, *, top: int = 20, permutations: int | None = None, seed: int = 0,
                   opts: PathOptions | None = None) -> dict[str, Any]:
    """The graph's ranking re-weighted by the data (see the module docstring), as a dict like Ranking.as_dict()."""
    ranking = rank_targets(g, top=0, permutations=permutations, seed=seed, opts=opts).as_dict()
    for t in ranking["targets"]:
        part = data_part(t["id"], t["kind"], ov, parts=[p["id"] for p in t.get("parts") or ()])
        t["graph_score"] = t["score"]
        t["score"] = round(t["score"] * part["factor"], 4)
        t["data"] = part
    ranking["targets"].sort(key=lambda t: (-t["score"], t["id"]))
    if top:
        ranking["targets"] = ranking["targets"][:top]
    ranking["data"] = {"path": ov.path, "kind": ov.kind, "genes_found": ov.gene_map.found,
                       "genes_total": ov.gene_map.total,
                       "method": ov.method,
                       "formula": f"data score = graph score x ({FACTOR_FLOOR} + d); d = mean(expression, activity) "
                                                     f"where measured, {NEUTRAL} where not", "notes": ov.notes,
                       "units": ov.units, "statuses": STATUSES}
    return ranking


def targets_for_data(g: nx.MultiDiGraph, data: str, *, groupby: str | None = None, sample: str | None = None,
                     layer: str | None = None,
                     gene_column: str | None = None, mapping_file: str | None = None,
                     overlay_options: OverlayOptions | None = None,
                     compare: tuple[str, str] | None = None, condition: str | None = None, top: int = 20,
                     permutations: int | None = None, seed: int = 0, opts: PathOptions | None = None) -> dict[str, Any]:
    """What `targets --data` runs: the re-weighted ranking, or with `compare` the two conditions compared over samples.
    """
    mapping = gm.read_mapping(mapping_file, g) if mapping_file else None
    if compare and not sample:
        raise DataError("--compare needs --sample COLUMN: conditions are compared over replicate samples")
    if compare and not condition:
        raise DataError("--compare needs --condition COLUMN: the obs column whose values A and B are")
    limits = overlay_options or OverlayOptions()
    expr = open_expression(data, groupby=groupby, sample=sample, layer=layer, gene_column=gene_column,
                           condition=condition, max_groups=limits.max_groups, max_table_mb=limits.max_table_mb)
    if compare:
        return compare_conditions(g, expr, compare, mapping=mapping, overlay_options=overlay_options, top=top,
                                  permutations=permutations, seed=seed, opts=opts)
    ov = compute_overlay(g, expr, mapping=mapping, options=overlay_options)
    return rank_with_data(g, ov, top=top, permutations=permutations, seed=seed, opts=opts)


def _subset(expr: Expression, rows: np.ndarray) -> Expression:
    if expr.values is None:
        raise DataError(f"{expr.path}: the genes must be loaded before the samples are split")
    return replace(expr, values=expr.values[rows], group_codes=expr.group_codes[rows], sample_labels=None,
                   sample_codes=None, notes=[], condition_of=None)


def compare_conditions(g: nx.MultiDiGraph, expr: Expression, compare: tuple[str, str], *, mapping=None,
                       overlay_options: OverlayOptions | None = None, top: int = 20, permutations: int | None = None,
                       seed: int = 0, opts: PathOptions | None = None) -> dict[str, Any]:
    """Per-sample data scores of every target, compared between two conditions with Welch's t-test (see the module
    docstring)."""
    stats = require("scipy.stats", "--compare")
    a, b = compare
    cond = expr.condition_of or {}
    values = sorted(set(cond.values()))
    for c in (a, b):
        if c not in values:
            raise DataError(f"{expr.path}: no sample has condition {c!r}; conditions: "
                            f"{', '.join(map(repr, values)) or '(none)'}")
    samples = {c: sorted(s for s, v in cond.items() if v == c) for c in (a, b)}
    for c, ss in samples.items():
        if len(ss) < 2:
            raise DataError(f"{expr.path}: condition {c!r} has {len(ss)} sample{'s' if len(ss) != 1 else ''}; "
                            "a comparison over replicates needs at least 2 per condition")
    base_opts = overlay_options or OverlayOptions()
    whole = compute_overlay(g, expr, mapping=mapping, options=replace(base_opts, permutations=0))
    graph_rank = rank_targets(g, top=0, permutations=permutations, seed=seed, opts=opts).as_dict()
    scale = normalisers(whole)
    per_sample: dict[str, dict[str, float]] = {}
    sample_codes = expr.sample_codes if expr.sample_codes is not None else np.zeros(expr.n_obs, dtype=np.int32)
    sample_labels = expr.sample_labels or []
    for s in samples[a] + samples[b]:
        rows = np.flatnonzero(sample_codes == sample_labels.index(s))
        sub = _subset(expr, rows)
        ov = _overlay_loaded(g, sub, whole, replace(base_opts, permutations=0))
        per_sample[s] = {}
        for t in graph_rank["targets"]:
            parts = [p["id"] for p in t.get("parts") or ()]
            per_sample[s][t["id"]] = t["score"] * data_part(t["id"], t["kind"], ov, scale, parts)["factor"]
    rows_out = []
    pvals = []
    for t in graph_rank["targets"]:
        xa = np.array([per_sample[s][t["id"]] for s in samples[a]])
        xb = np.array([per_sample[s][t["id"]] for s in samples[b]])
        if np.ptp(np.concatenate([xa, xb])) == 0:
            tstat, p = 0.0, 1.0
        elif np.ptp(xa) == 0 and np.ptp(xb) == 0:  # no spread within either condition: the t statistic is infinite
            tstat, p = math.copysign(math.inf, float(xa.mean() - xb.mean())), 0.0
        else:
            with warnings.catch_warnings():  # near-identical samples: scipy warns, the answer is still the t-test's
                warnings.simplefilter("ignore", RuntimeWarning)
                res = stats.ttest_ind(xa, xb, equal_var=False)
            tstat, p = float(res.statistic), float(res.pvalue)
            if math.isnan(p):
                tstat, p = 0.0, 1.0
        pvals.append(p)
        rows_out.append({"id": t["id"], "name": t["name"], "kind": t["kind"], "graph_score": t["score"],
                         f"mean_{a}": round(float(xa.mean()), 4), f"mean_{b}": round(float(xb.mean()), 4),
                         "difference": round(float(xa.mean() - xb.mean()), 4),
                         "t": round(tstat, 4) if math.isfinite(tstat) else None,
                         "p_value": round(p, 6),
                         "note": "" if math.isfinite(tstat) else "no spread within either condition",
                         "per_sample": {s: round(per_sample[s][t["id"]], 4) for s in samples[a] + samples[b]}})
    q = _bh(pvals)
    for r, qq in zip(rows_out, q, strict=True):
        r["q_value"] = round(qq, 6)
    rows_out.sort(key=lambda r: (r["p_value"], -abs(r["difference"]), r["id"]))
    return {"compare": [a, b], "samples": samples, "test": "Welch's t-test on per-sample data scores, BH q-values",
            "targets": rows_out[:top] if top else rows_out, "candidates": len(rows_out),
            "data": {"path": expr.path, "genes_found": whole.gene_map.found, "genes_total": whole.gene_map.total,
                     "notes": whole.notes}}


def _overlay_loaded(g: nx.MultiDiGraph, sub: Expression, whole: Overlay, options: OverlayOptions) -> Overlay:
    """compute_overlay on a subset whose genes are already loaded (the symbols are the kept ones)."""
    sub = replace(sub, symbols=list(sub.kept), _column={s: i for i, s in enumerate(sub.kept)}, _matrix=sub.values)
    mapping = {gm._norm(k): v for k, v in whole.cell_map.entity_of.items()}
    for u in whole.cell_map.unmapped:
        mapping[gm._norm(u)] = None
    return compute_overlay(g, sub, mapping=mapping, options=options)


def _bh(p: list[float]) -> list[float]:
    """Benjamini-Hochberg q-values, in the input order."""
    n = len(p)
    order = sorted(range(n), key=lambda i: p[i])
    q = [1.0] * n
    running = 1.0
    for rank in range(n, 0, -1):
        i = order[rank - 1]
        running = min(running, p[i] * n / rank)
        q[i] = min(1.0, running)
    return q
