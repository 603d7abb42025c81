"""What is measured once per run: pictures of 10^3 and 10^4 nodes (in a worker process) and the
command line as users run it (`--help`, `show`, and the answers a scientist asks of the seed graph)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .common import ROOT, SEED_SHOW_NAME, label, log, med, repeat

# --- viz, in a worker process -----------------------------------------------------------------


def run_viz(args: argparse.Namespace) -> dict[str, Any]:
    try:
        from mechgraph import viz
    except Exception as e:  # graph.viz missing or broken
        return {"viz_note": f"graph.viz not importable ({type(e).__name__}: {e}); viz skipped"}
    from tests.support.synthetic import synthetic_graph

    node_counts = [1000] if args.quick else [1000, 10_000]
    n_edges = 20_000 if args.quick else 100_000
    log(f"[viz] synthetic graph of {n_edges} edges; subgraphs of {', '.join(map(str, node_counts))} nodes")
    g = synthetic_graph(n_edges, seed=args.seed, edges_per_node=args.edges_per_node)
    hub = max(g.nodes, key=lambda x: (g.degree(x), x))
    order = [hub]
    seen = {hub}
    i = 0
    while i < len(order) and len(order) < max(node_counts):
        x = order[i]
        i += 1
        for m in sorted(set(g.successors(x)) | set(g.predecessors(x))):
            if m not in seen:
                seen.add(m)
                order.append(m)
    out: dict[str, Any] = {"viz_source_graph": {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "hub": hub}}
    times, sub = repeat(lambda: viz.select_subgraph(g, around=hub, depth=1), args.reps, args.budget)
    out["viz_select_ms"] = med(times) * 1000
    out["viz_select_nodes"] = sub.number_of_nodes()
    out["viz_s"] = {}
    out["viz_subgraphs"] = {}
    for k in node_counts:
        if len(order) < k:
            out["viz_s"][label(k)] = None
            continue
        sub = g.subgraph(order[:k]).copy()
        times, page = repeat(lambda sub=sub, k=k: viz.render_html(sub, title=f"bench {k} nodes"), args.reps,
                             args.budget)
        out["viz_s"][label(k)] = med(times)
        out["viz_subgraphs"][label(k)] = {"nodes": sub.number_of_nodes(), "edges": sub.number_of_edges(),
                                          "html_mb": len(page.encode()) / 1024**2}
    return out


# --- the command line, timed as users see it --------------------------------------------------


def run_cli(args: argparse.Namespace) -> dict[str, Any]:
    exe = Path(sys.executable).parent / "mechgraph"
    if not exe.exists():
        return {"cli_note": f"{exe} not found (install the project: pip install -e .)"}
    env = {k: v for k, v in os.environ.items() if k not in ("NEO4J_URI",)}
    env["MECHGRAPH_BACKEND"] = "networkx"

    def timed(cmd: list[str], n: int = 5) -> tuple[float, int]:
        ts, rc = [], 0
        for _ in range(n):
            t = time.perf_counter()
            p = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            ts.append(time.perf_counter() - t)
            rc = rc or p.returncode
        return med(ts), rc

    log("[cli] mechgraph --help, mechgraph show, python startup (5 runs each)")
    out: dict[str, Any] = {}
    out["cli_help_s"], rc1 = timed([str(exe), "--help"])
    out["cli_show_s"], rc2 = timed([str(exe), "show", SEED_SHOW_NAME])
    out["python_startup_s"], _ = timed([sys.executable, "-c", "pass"])
    out["cli_import_s"], _ = timed([sys.executable, "-c", "import mechgraph.cli"])
    if rc1 or rc2:
        out["cli_note"] = f"non-zero exit: --help {rc1}, show {rc2}"
    log("[cli] the answers of path, effect, targets and combine on the seed graph (3 runs each)")
    answers, failed = {}, []
    for cmd in seed_answer_commands():
        t, rc = timed([str(exe), *cmd], n=3)
        label = " ".join(f'"{c}"' if " " in c else c for c in cmd)
        if rc:
            failed.append(label)
        else:
            answers[label] = round(t, 3)
    out["seed_answers_s"] = answers
    if failed:
        out["seed_answers_failed"] = failed
    return out


def seed_answer_commands() -> list[list[str]]:
    """What a scientist asks of the seed graph (path, effect, targets, combine; a class, a stratum):
    each answer, Python start included, must take under 2 s."""
    cmds = [
        ["path", "THBS2+ CAF", "immune checkpoint blockade"], ["path", "THBS2+ CAF", "peritoneal metastasis"],
        ["path", "cancer-associated fibroblast", "CAR-T cell therapy"],
        ["effect", "catumaxomab", "--on", "poor survival"],
        ["effect", "immune checkpoint blockade"], ["targets"], ["combine", "PD-1 antibody", "catumaxomab"],
        ["combine", "PD-1 antibody"],
    ]
    try:
        from mechgraph.curation import graph_from_seeds

        g = graph_from_seeds(ROOT / "seeds")
        strata = sorted(str(a.get("name", n)) for n, a in g.nodes(data=True) if a.get("kind") == "disease_subtype")
    except Exception:  # the seeds are checked elsewhere; without them there is no stratum to time
        strata = []
    for name in strata[:2]:
        cmds += [["path", name, "PD-1 antibody"], ["targets", "--in", name], ["combine", "PD-1 antibody", "--in", name]]
    return cmds
