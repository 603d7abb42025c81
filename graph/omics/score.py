"""Scoring the graph on expression data: genes and cells per group, ligand -> receptor activity, mechanisms.

Per group (a cell type or cluster): each gene's mean expression and the fraction of the group's
cells that express it (> 0); a complex's values are the minimum over its components. A cell
entity gets the cells of the groups that stand for it (its abundance, per sample with --sample)
and a marker score: the mean, over the genes the graph says it expresses or secretes, of each
gene's group mean divided by that gene's highest group mean (0..1).

Ligand -> receptor activity follows CellPhoneDB (Efremova et al. 2020, Nat Protoc 15:1484) as
LIANA+ implements it among its basic methods (Dimitrov et al. 2024, Nat Cell Biol 26:1613;
`liana.mt.cellphonedb`): for a pair and a sender -> receiver pair of groups,

    lr_mean = (mean ligand in the sender + mean receptor in the receiver) / 2, 0 if either is 0
    lr_prod = mean ligand in the sender x mean receptor in the receiver  (NATMI's and Connectome's magnitude)

with the fraction of sender cells expressing the ligand and of receiver cells expressing the
receptor (LIANA's `expr_prop`: below 0.1 on either side the interaction counts as not expressed)
and a permutation p-value: the group labels are shuffled over the cells `permutations` times
(1000 by default, as in LIANA), the score recomputed each time, and p = (1 + shuffles scoring at
least the observed) / (1 + shuffles). That differs from LIANA's count / shuffles only in never
being 0. Groups with fewer than `min_cells` (5) cells are left out of the activities, as in LIANA.
A table of group means has no cells: activities there have no fractions and no p-value.

Mechanisms: each ligand -> receptor edge and each cell -expresses/secretes-> gene edge of the
graph is `supported`, `silent` or `not measured` (STATUSES below, the one vocabulary `overlay`,
`targets --data` and `viz --data` use). A cell's marker score needs at least `min_marker_genes`
(3) of its marker genes in the data; with fewer it is withheld and the output says so (one gene
high in a group says little about which cell the group is). The output states the units of the
values (`value_units`: the matrix as stored, integer counts or not, and its range) and, when no
ligand -> receptor pair of the graph has both genes in the data, a hint on why.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from .. import schema
from ..errors import DataError
from ..fsio import unfiltered
from . import genes as gm
from .read import MAX_GROUPS, MAX_TABLE_MB, Expression, open_expression

METHODS = {
    "lr_mean": "CellPhoneDB's mean of ligand and receptor means (as LIANA+ computes it)",
    "lr_prod": "product of ligand and receptor means (NATMI's and Connectome's magnitude, as in LIANA+)",
}
DEFAULT_PERMUTATIONS = 1000
MIN_MARKER_GENES = 3
# What the data says about a part of the graph, defined once for every command that reports it.
SUPPORTED, SILENT, NOT_MEASURED = "supported", "silent", "not measured"
STATUSES = {
    SUPPORTED: "the data has the genes and shows it (an expressed activity, p <= alpha; a marker expressed by enough "
               "of the cell's cells)",
    SILENT: "the data has the genes but does not show it (expressed by too few cells, or not significant)",
    NOT_MEASURED: "the data cannot tell: a gene is not in it, or no group of it stands for the cell",
}
EXPR_PROP = 0.1
MIN_CELLS = 5
ALPHA = 0.05


@dataclass
class OverlayOptions:
    """How to score: the LIANA-style method, its permutations and thresholds."""

    method: str = "lr_mean"
    permutations: int = DEFAULT_PERMUTATIONS
    seed: int = 0
    expr_prop: float = EXPR_PROP
    min_cells: int = MIN_CELLS
    alpha: float = ALPHA
    progress: bool | None = None  # None: a bar on stderr when it is a terminal
    min_marker_genes: int = MIN_MARKER_GENES
    max_groups: int = MAX_GROUPS  # limits of reading the data (see mechgraph.omics.read)
    max_table_mb: int = MAX_TABLE_MB

    def check(self) -> None:
        if self.method not in METHODS:
            raise DataError(f"unknown method {self.method!r}; choose {' or '.join(METHODS)}")
        if self.permutations < 0:
            raise DataError("--lr-permutations must be 0 or more")
        if not 0 <= self.expr_prop <= 1:
            raise DataError("--expr-prop must be between 0 and 1")
        if self.min_marker_genes < 1:
            raise DataError("--min-marker-genes must be 1 or more")


# --- group statistics ---------------------------------------------------------------------------


@dataclass
class GroupStats:
    """Per group: cells, mean expression and expressing fraction of every kept gene."""

    counts: np.ndarray  # (groups,)
    means: np.ndarray  # (groups, genes)
    props: np.ndarray | None  # (groups, genes); None for a table


class _Summer:
    """Sums rows of a matrix by group, with the grouping sorted once (for many permutations)."""

    def __init__(self, codes: np.ndarray, n_groups: int):
        self.keep = np.flatnonzero(codes >= 0)
        c = codes[self.keep]
        order = np.argsort(c, kind="stable")
        self.rows = self.keep[order]
        self.counts = np.bincount(c, minlength=n_groups).astype(np.int64)
        starts = np.concatenate([[0], np.cumsum(self.counts)[:-1]])
        self.nonempty = self.counts > 0
        self.starts = starts[self.nonempty]
        self.n = n_groups

    def sums(self, values: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        x = values[self.rows if rows is None else rows]
        out = np.zeros((self.n, values.shape[1]), dtype=np.float64)
        if x.shape[0] and values.shape[1]:
            out[self.nonempty] = np.add.reduceat(x.astype(np.float64, copy=False), self.starts, axis=0)
        return out

    def means(self, values: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            m = self.sums(values, rows) / self.counts[:, None]
        return np.nan_to_num(m)


def group_stats(expr: Expression, codes: np.ndarray, n_groups: int) -> GroupStats:
    """Mean and expressing fraction per group of every kept gene (a table: its columns as they are)."""
    values = expr.values if expr.values is not None else np.zeros((expr.n_obs, 0), np.float32)
    if not expr.has_cells:
        means = np.zeros((n_groups, values.shape[1]))
        means[codes] = values
        return GroupStats(np.zeros(n_groups, dtype=np.int64), means, None)
    s = _Summer(codes, n_groups)
    means = s.means(values)
    with np.errstate(invalid="ignore", divide="ignore"):
        props = np.nan_to_num(s.sums((values > 0).astype(np.float32)) / s.counts[:, None])
    return GroupStats(s.counts, means, props)


# --- ligand -> receptor activity ----------------------------------------------------------------


def _side(values: np.ndarray, parts: list[list[int]]) -> np.ndarray:
    """(groups, pairs): the minimum over each side's component columns."""
    out = np.empty((values.shape[0], len(parts)))
    for j, cols in enumerate(parts):
        out[:, j] = values[:, cols].min(axis=1)
    return out


def lr_score(lig: np.ndarray, rec: np.ndarray, method: str) -> np.ndarray:
    """(senders, receivers, pairs) scores from ligand means (senders, pairs) and receptor means (receivers, pairs)."""
    lig3, rec3 = lig[:, None, :], rec[None, :, :]
    if method == "lr_prod":
        return lig3 * rec3
    score = (lig3 + rec3) / 2
    return np.where((lig3 == 0) | (rec3 == 0), 0.0, score)


@dataclass
class LRActivity:
    """Activities of every pair for every sender -> receiver pair of eligible groups."""

    pairs: list[gm.LRPair]
    groups: list[int]  # eligible group indices (senders and receivers)
    score: np.ndarray  # (senders, receivers, pairs)
    lig_mean: np.ndarray  # (senders, pairs)
    rec_mean: np.ndarray  # (receivers, pairs)
    lig_prop: np.ndarray | None
    rec_prop: np.ndarray | None
    p_value: np.ndarray | None  # (senders, receivers, pairs)


def _progress(total: int, enabled: bool | None, desc: str):
    from tqdm import tqdm

    show = sys.stderr.isatty() if enabled is None else enabled
    return tqdm(total=total, desc=desc, unit="perm", disable=not show, file=unfiltered(sys.stderr), leave=False)


def lr_activity(expr: Expression, stats: GroupStats, codes: np.ndarray, pairs: list[gm.LRPair],
                sides: list[tuple[list[int], list[int]]],
                opts: OverlayOptions, *, permutations: int | None = None) -> LRActivity:
    """Score every pair on every sender -> receiver pair of groups with at least min_cells cells (tables: all columns).
    """
    n_groups = stats.means.shape[0]
    groups = list(range(n_groups))
    if expr.has_cells:
        groups = [i for i in groups if stats.counts[i] >= opts.min_cells]
    lig_cols = [s[0] for s in sides]
    rec_cols = [s[1] for s in sides]
    lig = _side(stats.means[groups], lig_cols)
    rec = _side(stats.means[groups], rec_cols)
    score = lr_score(lig, rec, opts.method)
    lig_prop = rec_prop = p = None
    if stats.props is not None:
        lig_prop = _side(stats.props[groups], lig_cols)
        rec_prop = _side(stats.props[groups], rec_cols)
    n_perm = opts.permutations if permutations is None else permutations
    if expr.has_cells and n_perm and pairs and groups and expr.values is not None:
        used = sorted({c for cols in lig_cols + rec_cols for c in cols})
        local = {c: i for i, c in enumerate(used)}
        sub = np.ascontiguousarray(expr.values[:, used])
        lig_local = [[local[c] for c in cols] for cols in lig_cols]
        rec_local = [[local[c] for c in cols] for cols in rec_cols]
        summer = _Summer(codes, n_groups)
        rng = np.random.default_rng(opts.seed)
        exceed = np.zeros(score.shape, dtype=np.int64)
        observed = score - 1e-12
        with _progress(n_perm, opts.progress, "permutations") as bar:
            for _ in range(n_perm):
                rows = rng.permutation(summer.keep)  # the cells, shuffled over the fixed group sizes
                m = summer.means(sub, rows)[groups]
                exceed += lr_score(_side(m, lig_local), _side(m, rec_local), opts.method) >= observed
                bar.update(1)
        p = (1 + exceed) / (1 + n_perm)
    return LRActivity(pairs, groups, score, lig, rec, lig_prop, rec_prop, p)


# --- the overlay ---------------------------------------------------------------------------------


@dataclass
class Overlay:
    """The graph scored on one data set (see the module docstring); `as_dict` is the --json form."""

    path: str
    kind: str
    matrix: str
    method: str
    options: OverlayOptions
    gene_map: gm.GeneMap
    cell_map: gm.CellMap
    group_labels: list[str]
    group_cells: list[int]
    lr: list[dict[str, Any]]
    pairs: list[dict[str, Any]]
    entities: dict[str, dict[str, Any]]
    mechanisms: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    units: str = ""

    def as_dict(self) -> dict[str, Any]:
        gmap = self.gene_map
        return {
            "data": self.path, "kind": self.kind, "matrix": self.matrix,
            "method": {"name": self.method, "description": METHODS[self.method],
                       "permutations": self.options.permutations if self.kind == "cells" else 0,
                       "seed": self.options.seed, "expr_prop": self.options.expr_prop,
                       "min_cells": self.options.min_cells, "alpha": self.options.alpha,
                       "min_marker_genes": self.options.min_marker_genes},
            "units": self.units, "statuses": STATUSES,
            "genes_found": gmap.found, "genes_total": gmap.total,
            "genes": {"found": {e: {"symbol": s, "route": gmap.routes[e]} for e, s in gmap.columns.items()},
                      "missing": gmap.missing, "no_symbol": gmap.no_symbol},
            "groups": [{"label": g, "cells": c if self.kind == "cells" else None,
                        "entity": self.cell_map.entity_of.get(g), "route": self.cell_map.route.get(g)}
                       for g, c in zip(self.group_labels, self.group_cells, strict=True)],
            "lr": self.lr, "pairs": self.pairs, "entities": self.entities, "mechanisms": self.mechanisms,
            "mechanisms_summary": mechanism_summary(self.mechanisms), "notes": self.notes,
        }


def mechanism_summary(mechanisms: list[dict[str, Any]]) -> dict[str, int]:
    out = {SUPPORTED: 0, SILENT: 0, NOT_MEASURED: 0}
    for m in mechanisms:
        out[m["status"]] = out.get(m["status"], 0) + 1
    return out


def _sides(pairs: list[gm.LRPair], gmap: gm.GeneMap,
           col: dict[str, int]) -> tuple[list[gm.LRPair], list[tuple[list[int], list[int]]]]:
    """The pairs whose two sides are measured, with each side's data columns (a complex: its components')."""
    def cols(e: str) -> list[int] | None:
        if e in gmap.columns:
            return [col[gmap.columns[e]]]
        if e in gmap.complexes:
            return [col[gmap.columns[p]] for p in gmap.complexes[e]]
        return None

    kept, sides = [], []
    for p in pairs:
        lc, rc = cols(p.ligand), cols(p.receptor)
        if lc is not None and rc is not None:
            kept.append(p)
            sides.append((lc, rc))
    return kept, sides


def _r(x: float | None, nd: int = 4) -> float | None:
    return None if x is None else round(float(x), nd)


def lr_records(act: LRActivity, labels: list[str], opts: OverlayOptions, has_cells: bool) -> list[dict[str, Any]]:
    """Every activity with a score above 0, best first: expressed ones first, then by p-value, then by score."""
    recs = []
    s_idx, t_idx, p_idx = np.nonzero(act.score > 0)
    for s, t, k in zip(s_idx.tolist(), t_idx.tolist(), p_idx.tolist(), strict=True):
        pair = act.pairs[k]
        rec = {
            "ligand": pair.ligand, "receptor": pair.receptor, "sender": labels[act.groups[s]],
            "receiver": labels[act.groups[t]],
            "score": _r(act.score[s, t, k]), "ligand_mean": _r(act.lig_mean[s, k]),
            "receptor_mean": _r(act.rec_mean[t, k]),
            "ligand_fraction": None, "receptor_fraction": None, "expressed": None, "p_value": None,
            "complex": pair.complex, "relations": list(pair.relations), "supports": list(pair.supports),
        }
        if act.lig_prop is not None and act.rec_prop is not None:
            lp, rp = float(act.lig_prop[s, k]), float(act.rec_prop[t, k])
            rec["ligand_fraction"], rec["receptor_fraction"] = _r(lp), _r(rp)
            rec["expressed"] = bool(lp >= opts.expr_prop and rp >= opts.expr_prop)
        if act.p_value is not None:
            rec["p_value"] = _r(act.p_value[s, t, k], 6)
        recs.append(rec)
    recs.sort(key=lambda r: (r["expressed"] is False, r["p_value"] if r["p_value"] is not None else 0.0, -r["score"],
                             r["ligand"], r["receptor"], r["sender"], r["receiver"]))
    for i, r in enumerate(recs, 1):
        r["rank"] = i
    return recs


def pair_summary(pairs: list[gm.LRPair], records: list[dict[str, Any]], measured: set[str],
                 alpha: float) -> list[dict[str, Any]]:
    """One line per graph pair: its best activity and its rank among the measured pairs, or why it has none."""
    best: dict[str, dict[str, Any]] = {}
    for r in records:
        best.setdefault(f"{r['ligand']}->{r['receptor']}", r)
    order = [k for k in dict.fromkeys(f"{r['ligand']}->{r['receptor']}" for r in records)]
    out = []
    n_measured = len(measured)
    for p in pairs:
        row: dict[str, Any] = {"ligand": p.ligand, "receptor": p.receptor, "complex": p.complex,
                               "relations": list(p.relations),
                               "supports": list(p.supports), "measured": p.key in measured}
        b = best.get(p.key)
        row["rank"] = order.index(p.key) + 1 if b else None
        row["of"] = n_measured
        row["best"] = b
        row["status"] = _lr_status(p.key in measured, b, alpha)
        out.append(row)
    out.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["ligand"], r["receptor"]))
    return out


def _lr_status(measured: bool, best: dict[str, Any] | None, alpha: float) -> str:
    if not measured:
        return NOT_MEASURED
    if best is None:
        return SILENT
    if best["expressed"] is False:
        return SILENT
    if best["p_value"] is not None and best["p_value"] > alpha:
        return SILENT
    return SUPPORTED


def entity_scores(g: nx.MultiDiGraph, gmap: gm.GeneMap, cmap: gm.CellMap, stats: GroupStats, labels: list[str],
                  col: dict[str, int], markers: dict[str, list[tuple[str, str]]], has_cells: bool,
                  pairs_out: list[dict[str, Any]],
                  min_marker_genes: int = MIN_MARKER_GENES) -> dict[str, dict[str, Any]]:
    """Each measured entity's score per group: genes and complexes their mean (and fraction), cells their marker
    score and abundance; a ligand-receptor complex its pair's best activity."""
    out: dict[str, dict[str, Any]] = {}
    def values(e: str) -> tuple[np.ndarray, np.ndarray | None]:
        cols = [col[gmap.columns[e]]] if e in gmap.columns else [col[gmap.columns[p]] for p in gmap.complexes[e]]
        means = stats.means[:, cols].min(axis=1)
        props = stats.props[:, cols].min(axis=1) if stats.props is not None else None
        return means, props

    for e in sorted(set(gmap.columns) | set(gmap.complexes)):
        means, props = values(e)
        a = g.nodes[e]
        out[e] = {"name": a.get("name", e), "kind": a.get("kind"), "symbol": gmap.columns.get(e),
                  "components": gmap.complexes.get(e), "measure": "mean expression",
                  "by_group": {lab: {"score": _r(means[i]), "fraction": _r(props[i]) if props is not None else None}
                               for i, lab in enumerate(labels)}}
    total = float(stats.counts.sum()) if has_cells else 0.0
    for row in pairs_out:  # a ligand-receptor complex: its pair's best activity, not an expression
        c = row["complex"]
        if c and row["best"] is not None and c in g:
            b = row["best"]
            out[c] = {"name": g.nodes[c].get("name", c), "kind": "complex", "symbol": None,
                      "components": [row["ligand"], row["receptor"]],
                      "measure": "ligand-receptor activity", "by_group": {},
                      "activity": {k: b[k] for k in ("sender", "receiver", "score", "p_value", "expressed", "rank")},
                      "pair_rank": row["rank"], "pairs": row["of"]}
    for c, a in sorted(g.nodes(data=True)):
        if a.get("kind") not in schema.CELL_KINDS:
            continue
        mk = markers.get(c, [])
        groups = cmap.groups_of.get(c, [])
        if not mk and not groups:
            continue
        rec: dict[str, Any] = {"name": a.get("name", c), "kind": a.get("kind"), "measure": "marker score (0-1)",
                               "markers": [m for m, _ in mk], "groups": groups, "by_group": {}}
        if mk and len(mk) < min_marker_genes:
            rec["marker_score_withheld"] = {"marker_genes": len(mk), "minimum": min_marker_genes}
        elif mk:
            scaled = []
            for m, _ in mk:
                means, _ = values(m)
                top = float(means.max())
                scaled.append(means / top if top > 0 else np.zeros_like(means))
            score = np.mean(scaled, axis=0)
            rec["by_group"] = {lab: {"score": _r(score[i]), "fraction": None} for i, lab in enumerate(labels)}
        if has_cells and groups:
            idx = [labels.index(x) for x in groups]
            n = int(stats.counts[idx].sum())
            rec["cells"] = n
            rec["abundance"] = _r(n / total) if total else None
        out[c] = rec
    return out


def mechanisms(g: nx.MultiDiGraph, cmap: gm.CellMap, pairs_out: list[dict[str, Any]],
               entities: dict[str, dict[str, Any]],
               labels: list[str], opts: OverlayOptions, has_cells: bool) -> list[dict[str, Any]]:
    """Which of the graph's ligand-receptor and marker edges the data supports, which are silent, which it cannot see.
    """
    out = []
    for row in pairs_out:
        b = row["best"]
        why = "a gene is not in the data" if not row["measured"] else (
            "no sender -> receiver pair expresses both" if b is None or b["expressed"] is False else
            f"best {b['sender']} -> {b['receiver']}, {opts.method} {b['score']:.3g}"
            + (f", p {b['p_value']:.3g}" if b["p_value"] is not None else ""))
        out.append({"source": row["ligand"], "relation": "/".join(row["relations"]), "target": row["receptor"],
                    "type": "ligand-receptor", "status": row["status"], "why": why})
    for u, v, k in sorted(g.edges(keys=True)):
        if k not in ("expresses", "secretes") or g.nodes[u].get("kind") not in schema.CELL_KINDS:
            continue
        if g.nodes[v].get("kind") not in (*gm.GENE_KINDS, "complex"):
            continue
        groups = cmap.groups_of.get(u, [])
        if v not in entities:
            status, why = NOT_MEASURED, "the gene is not in the data"
        elif not groups:
            status, why = NOT_MEASURED, "no group of the data stands for the cell"
        else:
            by = entities[v]["by_group"]
            best = max(groups, key=lambda x: (by[x]["fraction"] if has_cells else by[x]["score"]) or 0.0)
            if has_cells:
                frac = by[best]["fraction"] or 0.0
                status = SUPPORTED if frac >= opts.expr_prop else SILENT
                why = f"{frac:.0%} of {best} cells"
            else:  # a table: expressed in the cell's column, at least as much as in the median column
                median = float(np.median([by[x]["score"] or 0.0 for x in labels]))
                val = by[best]["score"] or 0.0
                status = SUPPORTED if val > 0 and val >= median else SILENT
                why = f"mean {val:.3g} in {best} (median over columns {median:.3g})"
        out.append({"source": u, "relation": k, "target": v, "type": "marker", "status": status, "why": why})
    return out


def compute_overlay(g: nx.MultiDiGraph, expr: Expression, *, mapping: dict[str, str | None] | None = None,
                    options: OverlayOptions | None = None) -> Overlay:
    """Score the graph on expression data already opened (see the module docstring)."""
    opts = options or OverlayOptions()
    opts.check()
    gmap = gm.match_genes(g, expr.symbols)
    if not gmap.found:
        sample = ", ".join(expr.symbols[:5])
        raise DataError(f"{expr.path}: none of the graph's {gmap.total} genes is among the data's {len(expr.symbols)} "
                        "gene names "
                        f"(first: {sample}); are they HGNC symbols? (--gene-column picks another var column)")
    expr.load(gmap.symbols())
    col = {s: i for i, s in enumerate(expr.kept)}
    labels = expr.group_labels
    cmap = gm.map_groups(g, labels, mapping)
    stats = group_stats(expr, expr.group_codes, len(labels))
    notes = list(expr.notes)
    if not expr.has_cells:
        notes.append("a table of group means: no expression fractions and no cells to permute, so activities have no "
                     "p-value "
                     "and a mechanism counts as supported where its genes are expressed at all")
    small = [lab for lab, c in zip(labels, stats.counts, strict=True) if expr.has_cells and c < opts.min_cells]
    if small:
        notes.append(f"groups with fewer than {opts.min_cells} cells are left out of the activities: "
                     f"{', '.join(small)}")
    all_pairs = gm.lr_pairs(g)
    pairs, sides = _sides(all_pairs, gmap, col)
    if all_pairs and not pairs:
        notes.append(f"none of the graph's {len(all_pairs)} ligand -> receptor pairs has both genes in the data, so no "
                     "activity can be scored; a matrix cut down to selected (e.g. highly variable) genes often lacks "
                     "the "
                     "receptors: give the full matrix (--layer, or the file before gene selection)")
    act = lr_activity(expr, stats, expr.group_codes, pairs, sides, opts)
    records = lr_records(act, labels, opts, expr.has_cells)
    summary = pair_summary(all_pairs, records, {p.key for p in pairs}, opts.alpha)
    markers = gm.cell_markers(g, gmap)
    ents = entity_scores(g, gmap, cmap, stats, labels, col, markers, expr.has_cells, summary, opts.min_marker_genes)
    if expr.sample_labels is not None and expr.sample_codes is not None:
        _by_sample(expr, ents, gmap, col, cmap)
    mechs = mechanisms(g, cmap, summary, ents, labels, opts, expr.has_cells)
    names = {n: str(a.get("name", n)) for n, a in g.nodes(data=True)}
    counts = [int(c) for c in stats.counts] if expr.has_cells else [0] * len(labels)
    return Overlay(expr.path, expr.kind, expr.matrix_name, opts.method, opts, gmap, cmap, labels, counts,
                   records, summary, ents, mechs, notes, names, value_units(expr))


def value_units(expr: Expression) -> str:
    """What the expression numbers are, as far as the file shows: the matrix, as stored (mechgraph does
    not transform it), integer counts or not, and the range over the graph's genes."""
    where = (f"{expr.matrix_name} as stored (not transformed by mechgraph)" if expr.has_cells
             else "the table's numbers as given")
    v = expr.values
    if v is None or not v.size:
        return where
    top = float(v.max())
    if bool(np.all(v == np.round(v))) and top > 0:
        return f"{where}: integer counts, 0 to {top:.3g} (raw counts: means are counts per cell, not normalised)"
    return f"{where}: non-integer values, 0 to {top:.3g}"


def _by_sample(expr: Expression, ents: dict[str, dict[str, Any]], gmap: gm.GeneMap, col: dict[str, int],
               cmap: gm.CellMap) -> None:
    """With --sample: each gene's mean per sample and group, and each cell entity's abundance per sample."""
    samples = expr.sample_labels or []
    n_g = len(expr.group_labels)
    codes = np.where((expr.group_codes >= 0) & (expr.sample_codes >= 0), expr.sample_codes * n_g + expr.group_codes, -1)
    st = group_stats(expr, codes.astype(np.int64), len(samples) * n_g)
    per_sample_cells = st.counts.reshape(len(samples), n_g)
    for e, rec in ents.items():
        if (e in gmap.columns or e in gmap.complexes) and rec["by_group"]:
            cols = [col[gmap.columns[e]]] if e in gmap.columns else [col[gmap.columns[p]] for p in gmap.complexes[e]]
            m = st.means[:, cols].min(axis=1).reshape(len(samples), n_g)
            rec["by_sample"] = {s: {lab: _r(m[i, j]) for j,
                                    lab in enumerate(expr.group_labels) if per_sample_cells[i, j]}
                                for i, s in enumerate(samples)}
        elif rec.get("groups"):
            idx = [expr.group_labels.index(x) for x in rec["groups"]]
            totals = per_sample_cells.sum(axis=1)
            rec["abundance_by_sample"] = {s: _r(per_sample_cells[i, idx].sum() / totals[i]) if totals[i] else None
                                          for i, s in enumerate(samples)}


def run_overlay(g: nx.MultiDiGraph, data: str | Path, *, groupby: str | None = None, sample: str | None = None,
                layer: str | None = None, gene_column: str | None = None, mapping_file: str | Path | None = None,
                options: OverlayOptions | None = None) -> Overlay:
    """Read DATA and score the graph on it: what `mechgraph overlay` runs."""
    mapping = gm.read_mapping(mapping_file, g) if mapping_file else None
    limits = options or OverlayOptions()
    expr = open_expression(data, groupby=groupby, sample=sample, layer=layer, gene_column=gene_column,
                           max_groups=limits.max_groups, max_table_mb=limits.max_table_mb)
    return compute_overlay(g, expr, mapping=mapping, options=options)
