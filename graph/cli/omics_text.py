"""The omics commands' answers as text: `overlay`, `targets --data` (and `--compare`), `import omnipath-lr`.

Each function takes the command's JSON-ready dict (what --json prints) and returns text shaped by
`mechgraph.cli.text` (one width, one wrap).
"""

from __future__ import annotations

from typing import Any

from .. import schema
from .text import wrap

TOP_LR = 15
LIST_AT_MOST = 12


def _some(items: list[str], n: int = LIST_AT_MOST) -> str:
    return ", ".join(items[:n]) + (f" and {len(items) - n} more" if len(items) > n else "")


def _fmt(x: float | None, spec: str = ".3g") -> str:
    return "-" if x is None else format(x, spec)


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.0f}%"


def overlay_text(d: dict[str, Any], names: dict[str, str], *, top: int = TOP_LR) -> str:
    """`mechgraph overlay`: the data, the genes and groups found, the activities, the mechanisms."""
    nm = lambda e: names.get(e, e)  # noqa: E731
    cells = d["kind"] == "cells"
    n_cells = sum(g["cells"] or 0 for g in d["groups"])
    out = [f"data: {d['data']} ({'single cells, ' + d['matrix'] if cells else 'table of group means'}): "
           + (f"{n_cells} cells in " if cells else "") + f"{len(d['groups'])} groups"]
    if d.get("units"):
        out.append(wrap(f"values: {d['units']}"))
    found = d["genes"]["found"]
    symbols = sorted(v["symbol"] for v in found.values())
    out.append(wrap(f"graph genes found: {d['genes_found']} of {d['genes_total']} ({_some(symbols)})"))
    missing = [nm(e) for e in d["genes"]["missing"]]
    if missing:
        out.append(wrap(f"not in the data: {len(missing)} ({_some(missing)})", "  "))
    if d["genes"]["no_symbol"]:
        out.append(wrap(f"no HGNC symbol to look for: {_some([nm(e) for e in d['genes']['no_symbol']])}", "  "))
    out.append("")
    out.append("groups -> cell entities:")
    for g in d["groups"]:
        size = f" ({g['cells']} cells)" if cells else ""
        target = f"{nm(g['entity'])} [{g['route']}]" if g["entity"] else "(no entity)"
        out.append(f"  {g['label']}{size} -> {target}")
    out.append("")
    m = d["method"]
    how = f"{m['permutations']} label permutations, seed {m['seed']}" if cells else "no fractions, no permutations"
    out.append(f"ligand -> receptor activity ({m['name']}, {how}; best first):")
    if not d["lr"]:
        out.append("  (no activity above 0: no pair has both genes expressed in the data)")
    else:
        head = (f"  {'#':>3}  {'ligand -> receptor':<24} {'sender -> receiver':<44} {'score':>7} {'lig%':>5} "
                f"{'rec%':>5} {'p':>6}")
        out.append(head)
        for r in d["lr"][:top]:
            pair = f"{nm(r['ligand'])} -> {nm(r['receptor'])}"
            groups = f"{r['sender']} -> {r['receiver']}"
            flag = "" if r["expressed"] is not False else "  (below expr_prop)"
            out.append(f"  {r['rank']:>3}  {pair[:24]:<24} {groups[:44]:<44} {_fmt(r['score']):>7} "
                       f"{_pct(r['ligand_fraction']):>5} "
                       f"{_pct(r['receptor_fraction']):>5} {_fmt(r['p_value']):>6}{flag}")
        if len(d["lr"]) > top:
            out.append(f"  ... {len(d['lr']) - top} more (--top, or --json for all)")
    out.append("")
    s = d["mechanisms_summary"]
    out.append(f"mechanisms of the graph in the data: {s['supported']} supported, {s['silent']} silent, "
               f"{s['not measured']} not measured")
    out += _statuses(d.get("statuses"))
    for status in ("supported", "silent"):
        rows = [x for x in d["mechanisms"] if x["status"] == status]
        for x in rows:
            out.append(wrap(f"{status}: {nm(x['source'])} -{x['relation']}-> {nm(x['target'])} ({x['why']})", "  "))
    nm_rows = [x for x in d["mechanisms"] if x["status"] == "not measured"]
    if nm_rows:
        out.append(wrap("not measured: " + _some([f"{nm(x['source'])} -{x['relation']}-> {nm(x['target'])}"
                                                  for x in nm_rows], 6), "  "))
    cell_rows = [(e, v) for e, v in d["entities"].items() if v["kind"] in schema.CELL_KINDS]
    gene_rows = [(e, v) for e, v in d["entities"].items() if v["kind"] not in schema.CELL_KINDS and v["by_group"]]
    if gene_rows:
        out.append("")
        out.append("genes: the group where each is highest" + (" (mean of the values, fraction of cells)" if cells
                                                               else " (mean)"))
        for _e, v in gene_rows:
            by = v["by_group"]
            best = max(by, key=lambda gname: by[gname]["score"] or 0.0)
            frac = f", {_pct(by[best]['fraction'])}" if cells else ""
            label = v.get("symbol") or v["name"]
            out.append(f"  {label}: {best} ({_fmt(by[best]['score'])}{frac})" if by[best]["score"]
                       else f"  {label}: not expressed")
    if cell_rows:
        out.append("")
        out.append("cell entities: abundance (cells of their groups and subtypes' groups) and marker score")
        for _e, v in cell_rows:
            parts = []
            if v.get("abundance") is not None:
                parts.append(f"{_pct(v['abundance'])} of cells ({', '.join(v['groups'])})")
            elif v["groups"]:
                parts.append(f"groups {', '.join(v['groups'])}")
            if v["by_group"]:
                best = max(v["by_group"], key=lambda gname: v["by_group"][gname]["score"] or 0.0)
                parts.append(f"markers {', '.join(nm(x) for x in v['markers'])} highest in {best} "
                             f"({_fmt(v['by_group'][best]['score'])})")
            elif v.get("marker_score_withheld"):
                w = v["marker_score_withheld"]
                parts.append(f"marker score withheld: {w['marker_genes']} marker "
                             f"gene{'s' if w['marker_genes'] != 1 else ''} in the "
                             f"data ({', '.join(nm(x) for x in v['markers'])}), fewer than {w['minimum']} "
                             "(--min-marker-genes)")
            out.append(wrap(f"{v['name']}: " + "; ".join(parts), "  "))
    if d["notes"]:
        out.append("")
        for n in d["notes"]:
            out.append(wrap(f"note: {n}"))
    return "\n".join(out)


def _statuses(statuses: dict[str, str] | None) -> list[str]:
    """The status words, as defined once in mechgraph.omics.score.STATUSES."""
    return [wrap(f'"{word}" means {meaning}', "  ") for word, meaning in (statuses or {}).items()]


def data_targets_text(r: dict[str, Any]) -> str:
    """`targets --data`: the re-weighted ranking, the data's part first in each target's reasons."""
    rows = r["targets"]
    dd = r["data"]
    out = [f"targets re-weighted by {dd['path']} ({dd['genes_found']} of {dd['genes_total']} graph genes found)"]
    if dd.get("units"):
        out.append(wrap(f"values: {dd['units']}"))
    if not rows:
        out.append("no candidate target reaches an outcome")
        return "\n".join(out)
    head = f"{'#':>2}  {'target':<34} {'do':<8} {'score':>5} {'graph':>5} {'data':>5}"
    out += [head, "-" * len(head)]
    for i, t in enumerate(rows, 1):
        name = t["name"] if len(t["name"]) <= 34 else t["name"][:33] + "…"
        dpart = t["data"]
        dtxt = "-" if dpart["d"] is None else f"{dpart['d']:.2f}"
        out.append(f"{i:>2}  {name:<34} {t['direction']:<8} {t['score']:>5.3f} {t['graph_score']:>5.3f} {dtxt:>5}")
        out.append(wrap(f"data: {dpart['reason']}", "    "))
        out.append(wrap(f"graph: {_graph_reason(t)}", "    "))
    out.append("")
    out.append(wrap(f"{dd['formula']}; graph score = 0.50 influence + 0.30 evidence + 0.20 druggability "
                     f"(mechgraph targets); {r['candidates']} candidates; --json gives every path and reference."))
    out += _statuses({k: v for k, v in (dd.get("statuses") or {}).items() if k != "supported"})
    for n in dd["notes"]:
        out.append(wrap(f"note: {n}"))
    return "\n".join(out)


def _graph_reason(t: dict[str, Any]) -> str:
    reasons = sorted(t["reasons"], key=lambda x: -x["score"])
    parts = []
    if reasons:
        x = reasons[0]
        via = "marks a cell that drives" if x["route"] == "marker" else ("raises" if x["sign"] == "+" else "lowers")
        parts.append(f"{via} {x['outcome_name']} (ref {', '.join(x['refs']) or '-'})")
    if t["therapies"]:
        parts.append("drugs: " + ", ".join(th["name"] for th in t["therapies"][:3]))
    return "; ".join(parts) or "-"


def compare_text(r: dict[str, Any]) -> str:
    """`targets --data --compare A B`: per-target difference over samples with its t-test."""
    a, b = r["compare"]
    out = [f"{a} ({len(r['samples'][a])} samples) vs {b} ({len(r['samples'][b])} samples): {r['test']}"]
    head = f"{'#':>2}  {'target':<34} {'mean ' + a:>12} {'mean ' + b:>12} {'diff':>7} {'t':>7} {'p':>8} {'q':>8}"
    out += [head, "-" * len(head)]
    for i, t in enumerate(r["targets"], 1):
        name = t["name"] if len(t["name"]) <= 34 else t["name"][:33] + "…"
        out.append(f"{i:>2}  {name:<34} {t['mean_' + a]:>12.4f} {t['mean_' + b]:>12.4f} {t['difference']:>+7.4f} "
                   f"{_fmt(t['t'], '.2f'):>7} "
                   f"{t['p_value']:>8.3g} {t['q_value']:>8.3g}")
    out.append("")
    out.append(wrap(f"per-sample data score = graph score x (0.5 + d) on each sample's own cells; {r['candidates']} "
                    "candidates; "
                     "--json gives every sample's score."))
    return "\n".join(out)


def import_text(d: dict[str, Any], names: dict[str, str]) -> str:
    """`import omnipath-lr`: what was read, added, and where the two sources disagree."""
    nm = lambda e: names.get(e, e) if e else "-"  # noqa: E731
    c = d["counts"]
    out = [f"read {d['resource']}: {d['resource_rows']} rows, {d['consensus_pairs']} consensus pairs",
           f"added {d['added_edges']} binds edges (support: database; {c['neighbours']} to first neighbours) "
           f"and {d['added_genes']} genes; no curated edge changed",
           f"pairs in both: {c['both']}; stated by the review, not in the consensus: {c['review_only']}; "
           f"in the consensus between the graph's genes, not stated by the review: {c['consensus_only']}",
           f"consensus pairs with a multi-subunit side no graph complex matches: {c['complex_sides_skipped']}"]
    for title, key in (("in both", "both"), ("review only (the consensus lacks them)", "review_only"),
                       ("consensus only (the review does not state them)", "consensus_only")):
        if d[key]:
            out.append("")
            out.append(f"{title}:")
            for x in d[key]:
                res = f"; resources: {', '.join(x['resources'])}" if x["resources"] else ""
                note = f"; {x['note']}" if x.get("note") else ""
                cur = f"; curated: {', '.join(x['curated'])}" if x.get("curated") else ""
                out.append(wrap(f"{x['ligand']} -> {x['receptor']} ({nm(x['ligand_entity'])} -> "
                                f"{nm(x['receptor_entity'])}){cur}{res}{note}", "  "))
    if d["review_pairs_without_symbols"]:
        out.append("")
        out.append(wrap("review pairs the consensus cannot be asked about (no HGNC symbol): "
                         + ", ".join(f"{nm(x['ligand_entity'])} -> {nm(x['receptor_entity'])}"
                                     for x in d["review_pairs_without_symbols"])))
    return "\n".join(out)
