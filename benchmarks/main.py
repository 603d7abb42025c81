"""The benchmark's command line (`python -m benchmarks`): parse the options, run each size and the
one-off figures in worker processes, print the report and write the JSON results."""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from . import __doc__ as PACKAGE_DOC
from .common import DEFAULT_SIZES, QUICK_SIZES, ROOT, SCHEMA_VERSION, label, log, machine_info, parse_size, parse_sizes
from .embedded import run_size
from .goals import GOALS, evaluate_goals
from .neo4j_runs import check_neo4j, run_load_only
from .once import run_cli, run_viz
from .report import print_report

# --- main -----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=PACKAGE_DOC.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default=None,
                   help=f"comma-separated edge counts (default {DEFAULT_SIZES}; --quick: {QUICK_SIZES})")
    p.add_argument("--out", default="bench-results.json", help="JSON results file (default bench-results.json)")
    p.add_argument("--neo4j-uri", default=None,
                   help="Bolt URI (default $NEO4J_URI); auth from $NEO4J_USER/$NEO4J_PASSWORD")
    p.add_argument("--skip-neo4j", action="store_true", help="no Neo4j measurements")
    p.add_argument("--require-neo4j", action="store_true", help="fail (exit 2) when Neo4j is unreachable")
    p.add_argument("--neo4j-max-size", type=parse_size, default=100_000,
                   help="largest size loaded into Neo4j (default 1e5)")
    p.add_argument("--naive-full-max", type=parse_size, default=10_000,
                   help="naive loader writes everything up to this many edges (default 1e4)")
    p.add_argument("--naive-sample", type=int, default=2_000,
                   help="relationships the naive loader writes above that (default 2000)")
    p.add_argument("--targets-max-size", type=parse_size, default=1_000_000,
                   help="largest size rank_targets runs on (default 1e6)")
    p.add_argument("--tracemalloc-max-size", type=parse_size, default=1_000_000,
                   help="largest size with a traced second build (default 1e6)")
    p.add_argument("--profile-size", type=parse_size, default=100_000,
                   help="size whose path search is profiled when it misses 200 ms")
    p.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES}, 3 repetitions, viz of 1e3 nodes only")
    p.add_argument("--seed", type=int, default=1, help="random seed of the synthetic graphs (default 1)")
    p.add_argument("--edges-per-node", type=float, default=4.0,
                   help="edges per entity of the synthetic graphs (default 4)")
    p.add_argument("--reps", type=int, default=None,
                   help="repetitions of fast operations, median reported (default 5; --quick 3)")
    p.add_argument("--budget", type=float, default=30.0,
                   help="stop repeating one measurement after this many seconds (default 30)")
    p.add_argument("--overlay", action="store_true",
                   help="only the overlay benchmark: `mechgraph overlay` on synthetic AnnData (needs the omics extra)")
    p.add_argument("--overlay-cells", type=parse_size, default=100_000,
                   help="cells of the overlay benchmark (default 1e5)")
    p.add_argument("--overlay-genes", type=parse_size, default=2_000,
                   help="genes of the overlay benchmark (default 2000)")
    p.add_argument("--load-only", action="store_true",
                   help="only the batched Neo4j load, --reps runs per size into an empty database (e.g. --sizes 1e5 "
                        "--load-only)")
    p.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    p.add_argument("--worker-out", default=None, help=argparse.SUPPRESS)
    return p


def spawn(kind: str, args: argparse.Namespace, timeout: float | None = None) -> dict[str, Any]:
    """Run one measurement in a fresh Python process; its JSON comes back through a temp file."""
    with tempfile.TemporaryDirectory(prefix="mechgraph-bench-") as tmp:
        out = Path(tmp) / "result.json"
        cmd = [sys.executable, "-m", "benchmarks", "--worker", kind, "--worker-out", str(out),
               "--seed", str(args.seed), "--edges-per-node", str(args.edges_per_node), "--reps", str(args.reps),
               "--budget", str(args.budget), "--neo4j-max-size", str(args.neo4j_max_size),
               "--naive-full-max", str(args.naive_full_max), "--naive-sample", str(args.naive_sample),
               "--targets-max-size", str(args.targets_max_size), "--tracemalloc-max-size",
               str(args.tracemalloc_max_size), "--profile-size", str(args.profile_size)]
        if args.quick:
            cmd.append("--quick")
        if args.load_only:
            cmd.append("--load-only")
        if args.neo4j_uri:
            cmd += ["--neo4j-uri", args.neo4j_uri]
        else:
            cmd.append("--skip-neo4j")
        t = time.perf_counter()
        try:
            p = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=None, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"error": f"worker timed out after {timeout} s"}
        if p.returncode != 0 or not out.exists():
            tail = (p.stdout or "").strip().splitlines()[-3:]
            return {"error": f"worker exited with {p.returncode}" + (f": {' | '.join(tail)}" if tail else "")}
        res = json.loads(out.read_text(encoding="utf-8"))
        res["worker_wall_s"] = time.perf_counter() - t
        return res



def load_only_report(sizes: list[int], args: argparse.Namespace, results: dict[str, Any]) -> int:
    """--load-only: the load rate per size beside the goal, every run, and where the time went."""
    if not args.neo4j_uri:
        log("error: --load-only needs a Neo4j server (--neo4j-uri or NEO4J_URI)")
        return 2
    print(f"{'size':>6} {'median rel/s':>13} {'runs':>28} {'goal':>8}  phases of the median run (s)")
    for n in sizes:
        res = spawn(str(n), args)
        results["sizes"][label(n)] = res
        if "error" in res:
            print(f"{label(n):>6} error: {res['error']}")
            continue
        ph = res["neo4j_batched_phases"]
        runs = ", ".join(f"{x:,}" for x in res["neo4j_batched_rps_runs"])
        goal = f"{GOALS['batched_rps_1e5']:,.0f}" if n == 100_000 else "-"
        cpu = f"client cpu {ph['client_cpu_s']:.1f}" + (f", server cpu {ph['server_cpu_s']:.1f}"
                                                        if ph.get("server_cpu_s") is not None else "")
        print(f"{label(n):>6} {res['neo4j_batched_rps']:>13,.0f} {runs:>28} {goal:>8}  first batch "
              f"{ph['connect_prepare_first_batch_s']:.2f}, "
              f"nodes+names {ph['start_to_nodes_written_s']:.2f}, rels {ph['names_and_rels_s']:.2f}, swap "
              f"{ph['swap_cleanup_s']:.2f}; {cpu}")
    if hasattr(os, "getloadavg"):
        results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        print(f"load average at start {results['machine']['load_average_at_start'][0]:.1f}, at end "
              f"{results['machine']['load_average_at_end'][0]:.1f}, on {results['machine']['cores_usable']} cores")
    out = Path(args.out)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=float) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.reps is None:
        args.reps = 3 if args.quick else 5
    if args.skip_neo4j:
        args.neo4j_uri = None
    elif not args.worker:
        args.neo4j_uri = args.neo4j_uri or os.environ.get("NEO4J_URI")

    if args.worker:  # a child process doing one part of the work
        if args.worker == "viz":
            res = run_viz(args)
        else:
            res = (run_load_only if args.load_only else run_size)(int(args.worker), args)
        Path(args.worker_out).write_text(json.dumps(res, default=float), encoding="utf-8")
        return 0

    if args.overlay:  # benchmarks/overlay.py: one run of `mechgraph overlay`, figures printed and written
        from .overlay import run_overlay_bench

        res = {"schema": SCHEMA_VERSION, "machine": machine_info(),
               "overlay": run_overlay_bench(args.overlay_cells, args.overlay_genes, seed=args.seed)}
        for k, v in res["overlay"].items():
            print(f"{k:<24} {v}")
        Path(args.out).write_text(json.dumps(res, indent=2, default=float) + "\n", encoding="utf-8")
        return 0 if res["overlay"]["overlay_exit"] == 0 else 1

    sizes = parse_sizes(args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES))
    started = time.perf_counter()
    results: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "started": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "args": {k: v for k, v in vars(args).items() if not k.startswith("worker")},
        "machine": machine_info(),
        "method": {
            "sizes": "number of edges of a synthetic graph (tests/support/synthetic.py: growth + preferential "
                     "attachment, "
                     f"{args.edges_per_node:g} edges per entity, seed {args.seed})",
            "embedded_load_s": "mechgraph.curation.build_graph on a SeedData of synthetic seed records (record list "
                               "-> MultiDiGraph); "
                               "YAML parsing/validation (read_seeds) not included; generating the records is gen_s",
            "embedded_peak_mb": "peak RSS increase during build_graph in a fresh worker process: VmHWM (reset via "
                                "/proc/self/clear_refs after the records exist) minus VmRSS before the build",
            "embedded_graph_mb": "VmRSS after the build minus before: what the finished graph keeps",
            "embedded_tracemalloc_peak_mb": "tracemalloc peak of a second, traced build_graph (Python heap only)",
            "neo4j_batched_rps": "edges / wall time of mechgraph.store.neo4j_load.load_into_neo4j into an empty "
                                 "database (row prep included)",
            "neo4j_naive_rps": "edges / wall time of one auto-commit CREATE per node and per relationship (same rows); "
                               f"above {args.naive_full_max:,} edges timed on {args.naive_sample:,} sampled "
                               "relationships "
                               "and their endpoint nodes and extrapolated (neo4j_naive_sampled)",
            "path_ms_embedded": "signed_paths(g, s, t, k=5, max_len=6), MechanismIndex built once per graph and "
                                "cached; median of runs",
            "path_ms_neo4j": "Neo4jBackend(conn).analysis_graph() + signed_paths (the whole fetch; the CLI's `path` "
                             "fetches a bounded region: path_ms_neo4j_bounded)",
            "targets_ms": "rank_targets(g, top=20); the neo4j figure adds analysis_graph()",
            "repetitions": f"median of up to {args.reps} runs, fewer when one measurement exceeds {args.budget:g} s",
        },
        "neo4j": {},
        "sizes": {},
        "once": {},
        "notes": [],
    }

    if args.neo4j_uri:
        ok, why, version = check_neo4j(args.neo4j_uri)
        if ok:
            results["neo4j"] = {"uri": args.neo4j_uri, "server": version}
            log(f"Neo4j at {args.neo4j_uri} ({version}); every :Entity there will be deleted")
        elif args.require_neo4j:
            log(f"error: --require-neo4j but {why}")
            return 2
        else:
            results["neo4j"] = {"skipped": f"Neo4j not reachable: {why}"}
            results["notes"].append(f"Neo4j measurements skipped: {why}")
            args.neo4j_uri = None
    else:
        reason = "--skip-neo4j" if args.skip_neo4j else "no --neo4j-uri and NEO4J_URI is not set"
        results["neo4j"] = {"skipped": f"Neo4j measurements skipped ({reason})"}
        results["notes"].append(f"Neo4j measurements skipped ({reason})")
    if args.require_neo4j and not args.neo4j_uri:
        log("error: --require-neo4j with --skip-neo4j or no URI")
        return 2

    if args.load_only:
        return load_only_report(sizes, args, results)

    for n in sizes:
        log(f"== size {label(n)} edges ==")
        res = spawn(str(n), args)
        results["sizes"][label(n)] = res
        if "error" in res:
            results["notes"].append(f"size {label(n)} failed: {res['error']}")
            log(f"[{label(n)}] {res['error']}")
        if res.get("neo4j_skipped"):
            results["notes"].append(f"Neo4j at {label(n)} skipped: {res['neo4j_skipped']}")
        if res.get("neo4j_naive_sampled"):
            results["notes"].append(
                f"naive Neo4j rate at {label(n)} (*) extrapolated from {res['neo4j_naive_written_rels']:,} sampled "
                "relationships "
                f"and {res['neo4j_naive_written_nodes']:,} nodes")
        if res.get("neo4j_roundtrip_ok") is False:
            results["notes"].append(f"at {label(n)} the graph read back from Neo4j gave different paths than the "
                                    "embedded graph")

    viz = spawn("viz", args)
    if "error" in viz:
        viz = {"viz_note": f"viz worker failed: {viz['error']}"}
    results["once"].update(viz)
    if viz.get("viz_note"):
        results["notes"].append(viz["viz_note"])
    results["once"].update(run_cli(args))

    results["goals"] = evaluate_goals(results)
    if hasattr(os, "getloadavg"):
        results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        la = max(results["machine"]["load_average_at_start"][0], results["machine"]["load_average_at_end"][0])
        cores = results["machine"]["cores_usable"] or 1
        if la > cores:
            results["notes"].append(f"the machine was busy (load average up to {la:.1f} on {cores} cores): timings "
                                    "are pessimistic")
    results["total_s"] = time.perf_counter() - started
    print_report(results)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=float) + "\n", encoding="utf-8")
    print(f"\nwrote {out} ({results['total_s']:.0f} s)")
    return 0
