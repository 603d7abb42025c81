#!/usr/bin/env python3
"""Benchmark mechgraph on synthetic mechanism graphs of 10^3 .. 10^6 edges.

Usage:
    scripts/bench.py [--sizes 1e3,1e4,1e5,1e6] [--out FILE] [--neo4j-uri URI] [--skip-neo4j]
                     [--require-neo4j] [--neo4j-max-size 1e5] [--quick] [--seed N] [--reps N]

What it measures, per size (number of EDGES; about a quarter as many entities):
  embedded_load_s      `mechgraph.curation.build_graph` on a `SeedData` of synthetic seed records (the
                       project's own record -> MultiDiGraph step; YAML parsing and validation,
                       i.e. `read_seeds`, are not included). Generating the records is `gen_s`.
  embedded_peak_mb     peak RSS increase while building: each size runs in a fresh worker
                       process; VmHWM is reset (/proc/self/clear_refs) after the records exist,
                       and the figure is VmHWM after the build minus VmRSS before it. This is
                       what the OS must give the graph. `embedded_graph_mb` is the RSS the
                       finished graph keeps; `embedded_tracemalloc_peak_mb` the tracemalloc peak
                       of a second, traced build (Python heap only, no allocator overhead).
  neo4j_batched_rps    relationships / second of `mechgraph.store.neo4j_load.load_into_neo4j` (batched
                       UNWIND into a staging area, then one swap transaction), timed end to end: row preparation, nodes, rels.
  neo4j_naive_rps      the same rows written by a naive loader in this script: one auto-commit
                       `CREATE` statement per node and per relationship, with parameters. Above
                       --naive-full-max edges it is timed on a random sample of --naive-sample
                       relationships (plus their endpoint nodes) and extrapolated to the whole
                       graph (`neo4j_naive_sampled: true`).
  path_ms_embedded     `graph.paths.signed_paths(g, s, t, k=5, max_len=6)` for a cell state ->
                       therapy pair that has paths, median of warm calls (the PathIndex is built
                       once per graph and cached); `path_ms_embedded_cold` is the first call,
                       index build included. `path_index_build_ms`, `path_search_ms` split it.
  path_ms_neo4j        what `mechgraph --backend neo4j path` costs: Neo4jBackend(conn).analysis_graph()
                       (ids, kinds, names, relations, signs, levels, refs) plus signed_paths;
                       `path_ms_neo4j_search_only` excludes the fetch; `neo4j_full_fetch_ms` is
                       one to_networkx() with every property (what export, effect, gaps fetch).
  path_ms_neo4j_bounded  `mechgraph.analysis.bounded.find_paths_in` on Neo4j (the CLI's `path`): only
                       the region the search expands is fetched; `path_rows_neo4j_bounded` counts
                       the rows it fetched, `path_neo4j_bounded_ok` that it equals the embedded answer.
  targets_ms_*         `graph.targets.rank_targets(g, top=20)`, likewise.
Once: `cli_help_s` (`mechgraph --help`), `cli_show_s` (`mechgraph show "THBS2+ CAF"` on the
seed graph), each the median of 5 runs of the venv's `mechgraph`; `seed_answers_s`, the answers
a scientist asks of the seed graph (path to a class, effect, targets, combine, and for the
first two disease subtypes path, targets --in and combine --in), each the median of 3 runs,
Python start included (goal: under 2 s each); `viz_s` render_html of
10^3- and 10^4-node subgraphs (breadth-first around the biggest hub of a synthetic graph).
Fast operations are the median of several runs (--reps, bounded by --budget seconds each).

Neo4j: --neo4j-uri or $NEO4J_URI; unreachable -> Neo4j figures are skipped with a note
(--require-neo4j makes that an error). Sizes above --neo4j-max-size (default 1e5) are skipped:
at ~6,500 rel/s a 10^6 load would take longer than the rest of the run. The benchmark DELETES every :Entity in that database: use a server of
your own (NEO4J_BOLT_PORT=7689 MECHGRAPH_NEO4J_HOME=/tmp/bench-neo4j scripts/neo4j-local.sh start).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = Path(__file__).resolve().parent
if str(SCRIPTS) not in sys.path:  # synthetic.py, the graph generator, lives beside this script
    sys.path.insert(0, str(SCRIPTS))

DEFAULT_SIZES = "1e3,1e4,1e5,1e6"
QUICK_SIZES = "1e3,1e4"
SEED_SHOW_NAME = "THBS2+ CAF"
GOALS = {
    "batched_vs_naive": 20.0,
    "batched_rps_1e5": 20_000.0,
    "path_ms_1e5": 200.0,
    "cli_help_s": 0.3,
    "embedded_mb_1e6": 2048.0,
    "targets_s_1e6": 10.0,
    "path_ms_1e6": 500.0,
    "seed_answer_s": 2.0,
}
PREVIOUS = ROOT / "docs" / "bench-results.json"  # the last full run: each goal is reported beside it
SCHEMA_VERSION = "mechgraph-bench/1"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def label(n: int) -> str:
    """1000 -> '1e3'; other numbers as they are."""
    e = len(str(n)) - 1
    return f"1e{e}" if n == 10**e else str(n)


def parse_size(s: str) -> int:
    v = float(s.strip())
    if v < 10 or v != int(v):
        raise argparse.ArgumentTypeError(f"bad size {s!r}: a whole number of edges, at least 10")
    return int(v)


def parse_sizes(s: str) -> list[int]:
    return [parse_size(x) for x in s.split(",") if x.strip()]


# --- measuring ---------------------------------------------------------------------------------


def repeat(fn: Callable[[], Any], reps: int, budget: float) -> tuple[list[float], Any]:
    """Run fn up to `reps` times (at least once), stopping early once `budget` seconds are spent.

    Returns the wall times in seconds and the last result.
    """
    times: list[float] = []
    result = None
    start = time.perf_counter()
    for _ in range(max(1, reps)):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
        if time.perf_counter() - start > budget:
            break
    return times, result


def med(xs: list[float]) -> float:
    return statistics.median(xs)


def _status_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_peak_rss() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0); False if not possible."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
        return True
    except OSError:
        return False


def machine_info() -> dict[str, Any]:
    import networkx

    info: dict[str, Any] = {
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "python": platform.python_version(),
        "python_executable": sys.executable,
        "networkx": networkx.__version__,
        "platform": platform.platform(),
    }
    try:
        import neo4j

        info["neo4j_driver"] = neo4j.__version__
        from neo4j._codec.packstream import v1 as _ps

        # neo4j-rust-ext replaces the driver's pure-Python PackStream encoder/decoder
        info["neo4j_rust_ext"] = getattr(_ps, "_rust_pack", None) is not None
    except Exception:  # pragma: no cover
        info.setdefault("neo4j_driver", None)
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            models = [ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")]
        info["cpu"] = models[0] if models else platform.processor()
    except OSError:
        info["cpu"] = platform.processor()
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for ln in f:
                if ln.startswith("MemTotal:"):
                    info["memory_gb"] = round(int(ln.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    if hasattr(os, "getloadavg"):
        info["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    return info


# --- the naive Neo4j loader -------------------------------------------------------------------


def neo4j_clear(driver, database: str | None) -> None:
    """Delete everything mechgraph wrote (entities, names, meta, staging), in auto-committed batches (not timed)."""
    from neo4j.exceptions import CypherSyntaxError

    mine = "n:Entity OR n:MechGraphName OR n:MechGraphMeta OR n:MechGraphStage OR n:MechGraphRetired"
    with driver.session(database=database) as s:
        try:  # Neo4j >= 5.23 syntax
            s.run(f"MATCH (n) WHERE {mine} CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF 5000 ROWS").consume()
        except CypherSyntaxError:
            s.run(f"MATCH (n) WHERE {mine} CALL {{ WITH n DETACH DELETE n }} IN TRANSACTIONS OF 5000 ROWS").consume()


def neo4j_constraints(driver, database: str | None) -> None:
    from mechgraph.store.neo4j_backend import META_LABEL

    with driver.session(database=database) as s:
        s.run("CREATE CONSTRAINT mechgraph_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE").consume()
        s.run(f"CREATE CONSTRAINT mechgraph_meta_id IF NOT EXISTS FOR (m:{META_LABEL}) REQUIRE m.id IS UNIQUE").consume()


def naive_load(g, conn, *, full_max: int, sample: int, seed: int) -> dict[str, Any]:
    """Write g the naive way: one auto-commit CREATE per node and per relationship.

    The rows are exactly those load_into_neo4j writes (same properties, same labels and types, same
    uniqueness constraint, so relationship MATCHes use the index). For graphs above `full_max`
    edges only a random sample of `sample` relationships and their endpoint nodes is written,
    and the time is extrapolated: prep + nodes * t_node + rels * t_rel.
    """
    from mechgraph import props
    from mechgraph.store.neo4j_backend import Neo4jBackend
    from mechgraph.store.neo4j_load import _edges_by_relation, _node_rows

    backend = Neo4jBackend(conn)
    driver, db = backend.driver, conn.database
    try:
        neo4j_clear(driver, db)
        neo4j_constraints(driver, db)
        t = time.perf_counter()
        node_rows = _node_rows(g)
        rel_rows = {
            rel: [{"source": u, "target": v, "props": props.edge_properties({**a, "relation": rel})} for u, v, a in edges]
            for rel, edges in _edges_by_relation(g).items()
        }
        prep_s = time.perf_counter() - t
        n_nodes = sum(map(len, node_rows.values()))
        n_rels = sum(map(len, rel_rows.values()))
        all_rels = [(rel, row) for rel in sorted(rel_rows) for row in rel_rows[rel]]
        sampled = n_rels > full_max
        if sampled:
            rels = random.Random(seed).sample(all_rels, min(sample, n_rels))
            wanted = {x for _, row in rels for x in (row["source"], row["target"])}
            nodes = [(k, row) for k in sorted(node_rows) for row in node_rows[k] if row["id"] in wanted]
        else:
            rels = all_rels
            nodes = [(k, row) for k in sorted(node_rows) for row in node_rows[k]]
        node_q = {k: f"CREATE (n:{':'.join(props.node_labels(k))}) SET n = $row" for k in node_rows}
        rel_q = {
            r: f"MATCH (a:Entity {{id: $source}}) MATCH (b:Entity {{id: $target}}) CREATE (a)-[r:{props.rel_type(r)}]->(b) SET r = $props"
            for r in rel_rows
        }
        with driver.session(database=db) as s:
            t = time.perf_counter()
            for k, row in nodes:
                s.run(node_q[k], row=row).consume()  # session.run: one auto-commit transaction each
            nodes_s = time.perf_counter() - t
            t = time.perf_counter()
            for r, row in rels:
                s.run(rel_q[r], source=row["source"], target=row["target"], props=row["props"]).consume()
            rels_s = time.perf_counter() - t
        t_node = nodes_s / max(1, len(nodes))
        t_rel = rels_s / max(1, len(rels))
        total = prep_s + n_nodes * t_node + n_rels * t_rel
        return {
            "neo4j_naive_rps": n_rels / total,
            "neo4j_naive_s": total,
            "neo4j_naive_sampled": sampled,
            "neo4j_naive_written_nodes": len(nodes),
            "neo4j_naive_written_rels": len(rels),
            "neo4j_naive_ms_per_node": t_node * 1000,
            "neo4j_naive_ms_per_rel": t_rel * 1000,
            "neo4j_rows_prep_s": prep_s,
        }
    finally:
        backend.close()


# --- one size, in a worker process --------------------------------------------------------------


def pick_pairs(g, seed: int, n_pairs: int = 5, max_len: int = 6, index=None) -> list[tuple[str, str]]:
    """Deterministic (source, target) pairs that have directed signed paths of at most max_len
    steps: cell state -> outcome and gene/cytokine -> outcome."""
    from mechgraph import schema
    from mechgraph.analysis.index import MechanismIndex
    from mechgraph.analysis.search import k_best_paths

    rng = random.Random(seed + 7)
    index = index or MechanismIndex(g)
    cons = index.constraints()
    kinds = {n: d.get("kind") for n, d in g.nodes(data=True)}
    states = sorted(n for n, k in kinds.items() if k == "cell_state" and g.out_degree(n) > 0)
    molecules = sorted(n for n, k in kinds.items() if k in ("gene", "cytokine") and g.out_degree(n) > 0)
    outcomes = [o for o in schema.DISEASE_OUTCOMES if o in g]
    wanted = [("state", "outcome")] * 3 + [("molecule", "outcome")] * (n_pairs - 3)
    pools = {"state": states, "molecule": molecules, "outcome": outcomes}
    pairs: list[tuple[str, str]] = []
    for a, b in wanted:
        for _ in range(200):
            if not pools[a] or not pools[b]:
                break
            s, t = rng.choice(pools[a]), rng.choice(pools[b])
            if (s, t) in pairs or s == t:
                continue
            if k_best_paths(index, index.node(s), index.node(t), k=1, max_len=max_len, cons=cons)[0]:
                pairs.append((s, t))
                break
    if not pairs:
        raise RuntimeError("no connected source/target pair found in the synthetic graph")
    return pairs


def pick_therapy(g, seed: int) -> str | None:
    """A therapy of the synthetic graph with at least one mechanism edge, for the mechanism query."""
    rng = random.Random(seed + 11)
    therapies = sorted(n for n, d in g.nodes(data=True) if d.get("kind") == "therapy" and g.out_degree(n) > 0)
    return rng.choice(therapies) if therapies else None


def profile_top(fn: Callable[[], Any], n: int = 8) -> list[dict[str, Any]]:
    """cProfile one call: the functions with the most own time."""
    import cProfile
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    st = pstats.Stats(prof)
    rows = []
    for (file, line, func), (cc, nc, tt, ct, _) in st.stats.items():  # type: ignore[attr-defined]
        short = file.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
        rows.append({"function": f"{short}:{line}({func})", "calls": nc, "own_s": round(tt, 4), "cum_s": round(ct, 4)})
    rows.sort(key=lambda r: -r["own_s"])
    return rows[:n]


def run_size(n: int, args: argparse.Namespace) -> dict[str, Any]:
    """Every measurement for one size. Runs in its own process, so RSS figures start clean."""
    from mechgraph.curation import build_graph
    from mechgraph.analysis import index as index_module
    from mechgraph.analysis.index import MechanismIndex
    from mechgraph.analysis.paths import find_paths, signed_paths
    from mechgraph.analysis.search import k_best_paths
    from mechgraph.analysis.targets import rank_targets
    from synthetic import degree_summary, synthetic_seeds

    tag = f"[{label(n)}]"
    r: dict[str, Any] = {"edges_requested": n}
    reps, budget = args.reps, args.budget

    log(f"{tag} generating {n} synthetic edges (seed {args.seed})")
    t = time.perf_counter()
    data = synthetic_seeds(n, seed=args.seed, edges_per_node=args.edges_per_node)
    r["gen_s"] = time.perf_counter() - t

    gc.collect()
    rss0 = _status_kb("VmRSS") or 0
    hwm_reset = reset_peak_rss()
    log(f"{tag} building the MultiDiGraph with mechgraph.curation.build_graph")
    t = time.perf_counter()
    g = build_graph(data)
    r["embedded_load_s"] = time.perf_counter() - t
    hwm = _status_kb("VmHWM") or 0
    rss1 = _status_kb("VmRSS") or 0
    r["embedded_peak_mb"] = max(0, hwm - rss0) / 1024 if hwm_reset else None
    r["embedded_graph_mb"] = max(0, rss1 - rss0) / 1024
    r["process_peak_rss_mb"] = hwm / 1024
    if not hwm_reset:  # fall back: retained RSS is a lower bound of the peak
        r["embedded_peak_mb"] = r["embedded_graph_mb"]
        r["embedded_peak_method"] = "VmRSS after - before (clear_refs not permitted: a lower bound of the peak)"
    r["nodes"] = g.number_of_nodes()
    r["edges"] = g.number_of_edges()
    r["degree"] = degree_summary(g)

    if n <= args.tracemalloc_max_size:
        import tracemalloc

        log(f"{tag} second build under tracemalloc")
        gc.collect()
        tracemalloc.start()
        g2 = build_graph(data)
        r["embedded_tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1024**2
        tracemalloc.stop()
        del g2
    else:
        r["embedded_tracemalloc_peak_mb"] = None
        r["embedded_tracemalloc_note"] = f"skipped above --tracemalloc-max-size {args.tracemalloc_max_size:g}"
    del data
    gc.collect()

    # --- paths (embedded) ---------------------------------------------------------------
    log(f"{tag} paths: MechanismIndex build")
    times, index = repeat(lambda: MechanismIndex(g), reps, budget)
    r["path_index_build_ms"] = med(times) * 1000
    log(f"{tag} choosing connected path pairs")
    pairs = pick_pairs(g, args.seed, index=index)
    src, dst = pairs[0]
    r["path_pair"] = [src, dst]
    r["path_pairs"] = [list(p) for p in pairs]
    log(f"{tag} paths: search per pair, full signed_paths ({src} -> {dst})")
    per_pair = {}
    cons = index.constraints()
    for s, t_ in pairs:
        ts, found = repeat(lambda: k_best_paths(index, index.node(s), index.node(t_), k=5, max_len=6, cons=cons)[0], reps, budget)
        per_pair[f"{s}->{t_}"] = {"search_ms": med(ts) * 1000, "paths": len(found)}
    r["path_search_ms_by_pair"] = per_pair
    r["path_search_ms"] = per_pair[f"{src}->{dst}"]["search_ms"]  # the pair of path_ms_embedded
    r["path_search_ms_pairs_median"] = med([v["search_ms"] for v in per_pair.values()])
    del index
    index_module._CACHE.clear()
    t0 = time.perf_counter()
    signed_paths(g, src, dst, k=5, max_len=6)  # cold: builds and caches the MechanismIndex
    r["path_ms_embedded_cold"] = (time.perf_counter() - t0) * 1000
    times, found = repeat(lambda: signed_paths(g, src, dst, k=5, max_len=6), reps, budget)
    r["path_ms_embedded"] = med(times) * 1000  # warm: the index is reused, as in any session
    r["path_runs"] = len(times)
    r["path_found"] = len(found)
    embedded_scores = [round(p.score, 9) for p in found]
    therapy = pick_therapy(g, args.seed)
    if therapy:
        log(f"{tag} paths: mechanism query {src} -> {therapy}")
        times, answer = repeat(lambda: find_paths(g, src, therapy), reps, budget)
        r["path_mechanism_ms_embedded"] = med(times) * 1000
        r["path_mechanism_pair"] = [src, therapy]
    if n == args.profile_size and r["path_ms_embedded"] >= GOALS["path_ms_1e5"]:
        log(f"{tag} profiling signed_paths (it missed {GOALS['path_ms_1e5']:.0f} ms)")
        idx = MechanismIndex(g)
        r["path_profile"] = {
            "index_build_top": profile_top(lambda: MechanismIndex(g)),
            "search_top": profile_top(lambda: k_best_paths(idx, idx.node(src), idx.node(dst), k=5, max_len=6, cons=idx.constraints())),
        }
        del idx

    # --- targets (embedded) -------------------------------------------------------------
    if n <= args.targets_max_size:
        log(f"{tag} rank_targets(top=20)")
        index_module._CACHE.clear()
        t0 = time.perf_counter()
        rank_targets(g, top=20, permutations=0)  # cold: builds the MechanismIndex, as a fresh process does
        r["targets_ms_embedded_cold"] = (time.perf_counter() - t0) * 1000
        times, ranked = repeat(lambda: rank_targets(g, top=20, permutations=0), reps, budget)
        r["targets_ms_embedded"] = med(times) * 1000
        r["targets_runs"] = len(times)
        r["targets_top"] = [t.id for t in ranked.targets[:5]]
    else:
        r["targets_ms_embedded"] = None
        r["targets_note"] = f"skipped above --targets-max-size {args.targets_max_size:g}"

    # --- Neo4j --------------------------------------------------------------------------
    if args.neo4j_uri:
        if n > args.neo4j_max_size:
            r["neo4j_skipped"] = (
                f"size above --neo4j-max-size {args.neo4j_max_size:g}: at ~6,500 rel/s a 10^6 load (and the naive "
                "sample) would take longer than the rest of the run; raise --neo4j-max-size to include it"
            )
        else:
            r.update(run_neo4j(g, n, args, pairs, embedded_scores, tag))
    return r


def batched_load(g, conn, reps: int, tag: str) -> dict[str, Any]:
    """`reps` timed runs of load_into_neo4j, each into an empty database; median rate, every run, phases.

    Also the CPU seconds of this process (row preparation, fingerprint, driver) and, when the
    server is a local process found by its Bolt port, of the server: on a shared 2-core machine
    their sum bounds what the wall time can reach."""
    from mechgraph.store.neo4j_backend import Neo4jBackend
    from mechgraph.store.neo4j_load import load_into_neo4j

    log(f"{tag} Neo4j batched load_into_neo4j ({reps} runs)")
    times: list[float] = []
    phases: list[dict[str, float]] = []
    n_nodes = g.number_of_nodes()
    server_pid = _local_server_pid(conn.uri)
    for _ in range(reps):
        b = Neo4jBackend(conn)
        neo4j_clear(b.driver, conn.database)  # every timed load starts from an empty database
        b.close()
        marks: dict[str, float] = {}
        done = [0]

        def on_batch(k: int) -> None:  # called after each batch statement returned
            done[0] += k
            now = time.perf_counter()
            marks.setdefault("first_batch", now)
            if done[0] <= n_nodes:
                marks["nodes_done"] = now
            marks["rels_done"] = now

        server0 = _process_cpu_s(server_pid)
        c = time.process_time()
        t = time.perf_counter()
        load_into_neo4j(g, conn, progress=False, on_batch=on_batch, replace=True)
        end = time.perf_counter()
        times.append(end - t)
        server1 = _process_cpu_s(server_pid)
        phases.append({
            "connect_prepare_first_batch_s": marks["first_batch"] - t,
            "start_to_nodes_written_s": marks.get("nodes_done", marks["first_batch"]) - t,
            "names_and_rels_s": marks["rels_done"] - marks.get("nodes_done", marks["first_batch"]),
            "swap_cleanup_s": end - marks["rels_done"],
            "client_cpu_s": time.process_time() - c,
            "server_cpu_s": (server1 - server0) if server0 is not None and server1 is not None else None,
        })
    median = statistics.median(times)
    nearest = min(range(len(times)), key=lambda i: abs(times[i] - median))
    return {
        "neo4j_batched_s": median,
        "neo4j_batched_rps": g.number_of_edges() / median,
        "neo4j_batched_rps_runs": [round(g.number_of_edges() / x) for x in times],
        "neo4j_batched_phases": phases[nearest],
    }


def _local_server_pid(uri: str) -> int | None:
    """The pid of scripts/neo4j-local.sh's server for this URI's port, if it runs on this machine."""
    port = uri.rsplit(":", 1)[-1].strip("/")
    home = Path(os.environ.get("MECHGRAPH_NEO4J_HOME") or Path.home() / ".cache" / "mechgraph-neo4j")
    try:
        pid = int((home / f"bolt-{port}" / "neo4j.pid").read_text().strip())
        return pid if _process_cpu_s(pid) is not None else None
    except (OSError, ValueError):
        return None


def _process_cpu_s(pid: int | None) -> float | None:
    """User + system CPU seconds of a process (Linux /proc), or None."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def run_load_only(n: int, args: argparse.Namespace) -> dict[str, Any]:
    """--load-only: generate one synthetic graph and time only the batched Neo4j load."""
    from mechgraph.store import Connection
    from synthetic import synthetic_graph

    tag = f"[{label(n)}]"
    log(f"{tag} generating {n} synthetic edges (seed {args.seed})")
    g = synthetic_graph(n, seed=args.seed, edges_per_node=args.edges_per_node)
    r: dict[str, Any] = {"edges_requested": n, "nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
    r.update(batched_load(g, Connection.from_env(uri=args.neo4j_uri), args.reps, tag))
    return r


def run_neo4j(g, n: int, args: argparse.Namespace, pairs, embedded_scores, tag: str) -> dict[str, Any]:
    from mechgraph.store import Connection
    from mechgraph.store.neo4j_backend import Neo4jBackend
    from mechgraph.analysis.paths import signed_paths
    from mechgraph.analysis.targets import rank_targets

    r: dict[str, Any] = {}
    conn = Connection.from_env(uri=args.neo4j_uri)
    reps = args.reps if n <= 10_000 else 1
    log(f"{tag} Neo4j naive loader (one auto-commit CREATE per node and per relationship)")
    r.update(naive_load(g, conn, full_max=args.naive_full_max, sample=args.naive_sample, seed=args.seed))

    r.update(batched_load(g, conn, max(1, min(3, reps)), tag))
    r["neo4j_batched_vs_naive"] = r["neo4j_batched_rps"] / r["neo4j_naive_rps"]

    src, dst = pairs[0]
    fetch_times: list[float] = []
    search_times: list[float] = []
    last: dict[str, Any] = {}

    def fetch():
        t = time.perf_counter()
        b = Neo4jBackend(conn)
        try:
            g2 = b.analysis_graph()  # what `mechgraph path/targets --backend neo4j` fetch
        finally:
            b.close()
        fetch_times.append(time.perf_counter() - t)
        return g2

    def path_cmd():
        g2 = fetch()
        t = time.perf_counter()
        found = signed_paths(g2, src, dst, k=5, max_len=6)
        search_times.append(time.perf_counter() - t)
        last["scores"] = [round(p.score, 9) for p in found]
        last["shape"] = (g2.number_of_nodes(), g2.number_of_edges())

    t = time.perf_counter()
    b = Neo4jBackend(conn)
    try:
        b.to_networkx()
    finally:
        b.close()
    r["neo4j_full_fetch_ms"] = (time.perf_counter() - t) * 1000  # every property, evidence included: export, effect, gaps
    log(f"{tag} Neo4j: analysis_graph + signed_paths")
    times, _ = repeat(path_cmd, reps, args.budget)
    r["path_ms_neo4j"] = med(times) * 1000
    r["path_ms_neo4j_search_only"] = med(search_times) * 1000
    r["neo4j_fetch_ms"] = med(fetch_times) * 1000
    r["neo4j_roundtrip_ok"] = last.get("shape") == (g.number_of_nodes(), g.number_of_edges()) and last.get("scores") == embedded_scores

    # what `mechgraph --backend neo4j path` does now: fetch only the region the search expands
    from mechgraph.analysis.paths import PathOptions, find_paths
    from mechgraph.analysis.bounded import find_paths_in

    bounded: dict[str, Any] = {}
    b = Neo4jBackend(conn)
    try:
        def bounded_cmd():
            b.fetched = None
            bounded["answer"] = find_paths_in(b, src, dst, PathOptions()).as_dict()
            bounded["rows"] = b.fetched["rows"] if b.fetched else 0

        log(f"{tag} Neo4j: path on the bounded region")
        times, _ = repeat(bounded_cmd, reps, args.budget)
    finally:
        b.close()
    r["path_ms_neo4j_bounded"] = med(times) * 1000
    r["path_rows_neo4j_bounded"] = bounded["rows"]  # rows fetched, against nodes + edges of the graph
    r["path_neo4j_bounded_ok"] = bounded["answer"] == find_paths(g, src, dst, PathOptions()).as_dict()

    rank_times: list[float] = []

    def targets_cmd():
        g2 = fetch()
        t = time.perf_counter()
        rank_targets(g2, top=20, permutations=0)
        rank_times.append(time.perf_counter() - t)

    if n <= args.targets_max_size:
        log(f"{tag} Neo4j: analysis_graph + rank_targets")
        times, _ = repeat(targets_cmd, reps, args.budget)
        r["targets_ms_neo4j"] = med(times) * 1000
        r["targets_ms_neo4j_search_only"] = med(rank_times) * 1000
    return r


# --- viz, in a worker process -----------------------------------------------------------------


def run_viz(args: argparse.Namespace) -> dict[str, Any]:
    try:
        from mechgraph import viz
    except Exception as e:  # graph.viz missing or broken
        return {"viz_note": f"graph.viz not importable ({type(e).__name__}: {e}); viz skipped"}
    from synthetic import synthetic_graph

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
        times, page = repeat(lambda: viz.render_html(sub, title=f"bench {k} nodes"), args.reps, args.budget)
        out["viz_s"][label(k)] = med(times)
        out["viz_subgraphs"][label(k)] = {"nodes": sub.number_of_nodes(), "edges": sub.number_of_edges(), "html_mb": len(page.encode()) / 1024**2}
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
        ["path", "cancer-associated fibroblast", "CAR-T cell therapy"], ["effect", "catumaxomab", "--on", "poor survival"],
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


# --- targets of the issue -------------------------------------------------------------------


def evaluate_goals(results: dict[str, Any]) -> list[dict[str, Any]]:
    sizes = results["sizes"]
    once = results["once"]
    goals = []

    def goal(name: str, want: str, measured: Any, ok: bool | None, detail: str) -> None:
        status = "not measured" if ok is None else "pass" if ok else "FAIL"
        goals.append({"goal": name, "target": want, "measured": measured, "status": status, "detail": detail})

    s5 = sizes.get("1e5", {})
    neo_sizes = [k for k, v in sizes.items() if v.get("neo4j_batched_rps")]
    ratio_size = "1e5" if "1e5" in neo_sizes else (neo_sizes[-1] if neo_sizes else None)
    if ratio_size:
        v = sizes[ratio_size]
        x = v["neo4j_batched_vs_naive"]
        goal("neo4j batched vs naive", ">= 20x", round(x, 1), x >= GOALS["batched_vs_naive"],
             f"at {ratio_size} edges: batched {v['neo4j_batched_rps']:,.0f} rel/s vs naive {v['neo4j_naive_rps']:,.0f} rel/s"
             + (" (naive extrapolated from a sample)" if v.get("neo4j_naive_sampled") else ""))
    else:
        goal("neo4j batched vs naive", ">= 20x", None, None, _why_no_neo4j(results, "1e5"))
    if s5.get("neo4j_batched_rps"):
        x = s5["neo4j_batched_rps"]
        goal("neo4j batched rate at 1e5 edges", ">= 20,000 rel/s", round(x), x >= GOALS["batched_rps_1e5"],
             f"load_into_neo4j wrote {s5['edges']:,} relationships in {s5['neo4j_batched_s']:.1f} s")
    else:
        goal("neo4j batched rate at 1e5 edges", ">= 20,000 rel/s", None, None, _why_no_neo4j(results, "1e5"))
    if s5.get("path_ms_embedded") is not None:
        x = s5["path_ms_embedded"]
        goal("path at 1e5 edges, embedded", "< 200 ms", round(x, 1), x < GOALS["path_ms_1e5"],
             f"signed_paths k=5 with the cached MechanismIndex; the first call on a graph also builds it "
             f"({s5['path_index_build_ms']:.0f} ms; cold call {s5.get('path_ms_embedded_cold', float('nan')):.0f} ms); "
             f"search {s5['path_search_ms']:.0f} ms (median over {len(s5['path_pairs'])} pairs "
             f"{s5['path_search_ms_pairs_median']:.0f} ms)")
    else:
        goal("path at 1e5 edges, embedded", "< 200 ms", None, None, "1e5 not in --sizes" if "1e5" not in sizes else s5.get("error", "not run"))
    if once.get("cli_help_s") is not None:
        x = once["cli_help_s"]
        goal("mechgraph --help", "< 0.3 s", round(x, 3), x < GOALS["cli_help_s"],
             f"median of 5; bare `python -c pass` takes {once['python_startup_s']:.3f} s, `import mechgraph.cli` {once['cli_import_s']:.3f} s")
    else:
        goal("mechgraph --help", "< 0.3 s", None, None, once.get("cli_note", "not run"))
    if once.get("seed_answers_s"):
        worst = max(once["seed_answers_s"], key=once["seed_answers_s"].get)
        x = once["seed_answers_s"][worst]
        failed = once.get("seed_answers_failed") or []
        goal("answers on the seed graph", "< 2 s each", round(x, 3), x < GOALS["seed_answer_s"] and not failed,
             f"slowest of {len(once['seed_answers_s'])}: mechgraph {worst} (median of 3, Python start included)"
             + (f"; failed: {', '.join(failed)}" if failed else ""))
    else:
        goal("answers on the seed graph", "< 2 s each", None, None, once.get("cli_note", "not run"))
    s6 = sizes.get("1e6", {})
    if s6.get("embedded_peak_mb") is not None:
        x = s6["embedded_peak_mb"]
        goal("embedded 1e6-edge graph", "< 2 GB", f"{x / 1024:.2f} GB", x < GOALS["embedded_mb_1e6"],
             f"peak RSS increase of build_graph {x:,.0f} MB (graph keeps {s6['embedded_graph_mb']:,.0f} MB); "
             f"whole process peak {s6['process_peak_rss_mb']:,.0f} MB with the seed records")
    else:
        goal("embedded 1e6-edge graph", "< 2 GB", None, None, "1e6 not in --sizes" if "1e6" not in sizes else s6.get("error", "not run"))
    if s6.get("targets_ms_embedded") is not None:
        x = s6["targets_ms_embedded"] / 1000
        cold = s6.get("targets_ms_embedded_cold", float("nan")) / 1000
        goal("targets at 1e6 edges, embedded", "< 10 s", round(x, 2), x < GOALS["targets_s_1e6"],
             f"rank_targets(top=20, permutations=0) with the MechanismIndex built; the first call in a process also "
             f"builds it: {cold:.1f} s cold")
    else:
        goal("targets at 1e6 edges, embedded", "< 10 s", None, None, "1e6 not in --sizes" if "1e6" not in sizes else s6.get("targets_note", "not run"))
    if s6.get("path_ms_embedded") is not None:
        x = s6["path_ms_embedded"]
        goal("path at 1e6 edges, embedded", "< 500 ms", round(x, 1), x < GOALS["path_ms_1e6"],
             f"signed_paths k=5, warm (cold call {s6.get('path_ms_embedded_cold', float('nan')):.0f} ms); "
             f"mechanism query to a therapy {s6.get('path_mechanism_ms_embedded', float('nan')):.0f} ms")
    else:
        goal("path at 1e6 edges, embedded", "< 500 ms", None, None, "1e6 not in --sizes" if "1e6" not in sizes else "not run")
    previous = {}
    if PREVIOUS.is_file():
        try:
            previous = {g["goal"]: g for g in json.loads(PREVIOUS.read_text(encoding="utf-8")).get("goals", [])}
        except (OSError, ValueError):
            previous = {}
    for gl in goals:
        before = previous.get(gl["goal"])
        gl["previous"] = None if before is None else before.get("measured")
    return goals


def _why_no_neo4j(results: dict[str, Any], size: str) -> str:
    if results["neo4j"].get("skipped"):
        return results["neo4j"]["skipped"]
    s = results["sizes"].get(size)
    if s is None:
        return f"{size} not in --sizes"
    return s.get("neo4j_skipped") or s.get("error") or "not measured"


# --- output -------------------------------------------------------------------------------


ROWS: list[tuple[str, str, str]] = [
    # key, heading, format
    ("nodes", "nodes", "int"),
    ("edges", "edges", "int"),
    ("degree.max", "max degree (median)", "deg"),
    ("gen_s", "generate records s", "s"),
    ("embedded_load_s", "embedded load s", "s"),
    ("embedded_peak_mb", "embedded peak MB", "mb"),
    ("embedded_graph_mb", "graph retained MB", "mb"),
    ("embedded_tracemalloc_peak_mb", "tracemalloc peak MB", "mb"),
    ("path_index_build_ms", "MechanismIndex build ms", "ms"),
    ("path_search_ms", "path search ms", "ms"),
    ("path_search_ms_pairs_median", "  (5 pairs median)", "ms"),
    ("path_ms_embedded", "path_ms_embedded", "ms"),
    ("targets_ms_embedded", "targets_ms_embedded", "ms"),
    ("targets_ms_embedded_cold", "targets_ms_embedded_cold", "ms"),
    ("path_mechanism_ms_embedded", "path_mechanism_ms_embedded", "ms"),
    ("neo4j_batched_rps", "neo4j batched rel/s", "int"),
    ("neo4j_naive_rps", "neo4j naive rel/s", "naive"),
    ("neo4j_batched_vs_naive", "batched / naive", "x"),
    ("neo4j_fetch_ms", "neo4j fetch ms", "ms"),
    ("neo4j_full_fetch_ms", "  whole graph ms", "ms"),
    ("path_ms_neo4j", "path_ms_neo4j", "ms"),
    ("path_ms_neo4j_search_only", "  search only ms", "ms"),
    ("targets_ms_neo4j", "targets_ms_neo4j", "ms"),
]


def _get(d: dict[str, Any], key: str) -> Any:
    for part in key.split("."):
        if not isinstance(d, dict):
            return None
        d = d.get(part)
    return d


def _fmt(v: Any, kind: str, row: dict[str, Any]) -> str:
    if v is None:
        return "-"
    if kind == "int":
        return f"{v:,.0f}"
    if kind == "deg":
        return f"{v:,} ({row['degree']['median']:g})"
    if kind == "s":
        return f"{v:.2f}"
    if kind == "mb":
        return f"{v:,.0f}"
    if kind == "ms":
        return f"{v:,.1f}" if v < 100 else f"{v:,.0f}"
    if kind == "naive":
        return f"{v:,.0f}" + ("*" if row.get("neo4j_naive_sampled") else "")
    if kind == "x":
        return f"{v:.1f}x"
    return str(v)


def print_report(results: dict[str, Any]) -> None:
    sizes = results["sizes"]
    labels = list(sizes)
    w0 = max(len(h) for _, h, _ in ROWS) + 2
    lines = ["", "mechgraph benchmark  (" + ", ".join(f"{k}={v}" for k, v in results["machine"].items()
                                                   if k in ("cores", "cpu", "python", "networkx", "neo4j_driver")) + ")"]
    lines.append("".ljust(w0) + "".join(f"{lb:>14}" for lb in labels))
    for key, head, kind in ROWS:
        if all(_get(sizes[lb], key) is None and not sizes[lb].get("neo4j_skipped") for lb in labels):
            continue
        if key.startswith(("neo4j", "path_ms_neo4j", "targets_ms_neo4j")) and results["neo4j"].get("skipped"):
            continue
        cells = []
        for lb in labels:
            row = sizes[lb]
            if "error" in row:
                cells.append("error")
                continue
            neo_key = key.startswith(("neo4j", "path_ms_neo4j", "targets_ms_neo4j"))
            v = _get(row, key)
            cells.append("skip" if v is None and neo_key and row.get("neo4j_skipped") else _fmt(v, kind, row))
        lines.append(head.ljust(w0) + "".join(f"{c:>14}" for c in cells))
    once = results["once"]
    lines.append("")
    if "cli_help_s" in once:
        lines.append(f"mechgraph --help {once['cli_help_s']:.3f} s; mechgraph show \"{SEED_SHOW_NAME}\" {once['cli_show_s']:.3f} s "
                     f"(median of 5; python startup alone {once['python_startup_s']:.3f} s, import mechgraph.cli {once['cli_import_s']:.3f} s)")
    if once.get("seed_answers_s"):
        lines.append("seed graph answers (s, median of 3): " + "; ".join(f"{k} {v:.2f}" for k, v in once["seed_answers_s"].items()))
    if once.get("viz_s"):
        parts = []
        for k, v in once["viz_s"].items():
            sg = once.get("viz_subgraphs", {}).get(k, {})
            parts.append(f"{k} nodes ({sg.get('edges', '?'):,} edges) {v:.2f} s" if v is not None else f"{k} nodes: -")
        lines.append("viz render_html: " + "; ".join(parts) + f"; select_subgraph around the hub {once['viz_select_ms']:.0f} ms")
    elif once.get("viz_note"):
        lines.append("viz: " + once["viz_note"])
    neo = [lb for lb in labels if sizes[lb].get("neo4j_batched_phases")]
    if neo:
        lb = neo[-1]
        v = sizes[lb]
        ph = v["neo4j_batched_phases"]
        lines.append(
            f"load_into_neo4j at {lb}: {v['neo4j_batched_s']:.1f} s = start..nodes and names written {ph['start_to_nodes_written_s']:.1f} s "
            f"(row prep alone {v['neo4j_rows_prep_s']:.1f} s) + relationship batches {ph['names_and_rels_s']:.1f} s + swap "
            f"{ph['swap_cleanup_s']:.1f} s; client CPU {ph['client_cpu_s']:.1f} s"
            + (f", server CPU {ph['server_cpu_s']:.1f} s" if ph.get("server_cpu_s") is not None else "") + "; neo4j-rust-ext "
            f"{'installed' if results['machine'].get('neo4j_rust_ext') else 'NOT installed (pure-Python PackStream)'}")
    lines.append("")
    lines.append("targets:")
    for gl in results["goals"]:
        m = "" if gl["measured"] is None else f" measured {gl['measured']:,}" if isinstance(gl["measured"], (int, float)) else f" measured {gl['measured']}"
        prev = "" if gl.get("previous") is None else f" (previous run: {gl['previous']:,})" if isinstance(gl["previous"], (int, float)) else f" (previous run: {gl['previous']})"
        lines.append(f"  [{gl['status']:>12}] {gl['goal']} {gl['target']}:{m}{prev} - {gl['detail']}")
    for note in results["notes"]:
        lines.append("note: " + note)
    print("\n".join(lines))


# --- main -----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default=None, help=f"comma-separated edge counts (default {DEFAULT_SIZES}; --quick: {QUICK_SIZES})")
    p.add_argument("--out", default="bench-results.json", help="JSON results file (default bench-results.json)")
    p.add_argument("--neo4j-uri", default=None, help="Bolt URI (default $NEO4J_URI); auth from $NEO4J_USER/$NEO4J_PASSWORD")
    p.add_argument("--skip-neo4j", action="store_true", help="no Neo4j measurements")
    p.add_argument("--require-neo4j", action="store_true", help="fail (exit 2) when Neo4j is unreachable")
    p.add_argument("--neo4j-max-size", type=parse_size, default=100_000, help="largest size loaded into Neo4j (default 1e5)")
    p.add_argument("--naive-full-max", type=parse_size, default=10_000, help="naive loader writes everything up to this many edges (default 1e4)")
    p.add_argument("--naive-sample", type=int, default=2_000, help="relationships the naive loader writes above that (default 2000)")
    p.add_argument("--targets-max-size", type=parse_size, default=1_000_000, help="largest size rank_targets runs on (default 1e6)")
    p.add_argument("--tracemalloc-max-size", type=parse_size, default=1_000_000, help="largest size with a traced second build (default 1e6)")
    p.add_argument("--profile-size", type=parse_size, default=100_000, help="size whose path search is profiled when it misses 200 ms")
    p.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES}, 3 repetitions, viz of 1e3 nodes only")
    p.add_argument("--seed", type=int, default=1, help="random seed of the synthetic graphs (default 1)")
    p.add_argument("--edges-per-node", type=float, default=4.0, help="edges per entity of the synthetic graphs (default 4)")
    p.add_argument("--reps", type=int, default=None, help="repetitions of fast operations, median reported (default 5; --quick 3)")
    p.add_argument("--budget", type=float, default=30.0, help="stop repeating one measurement after this many seconds (default 30)")
    p.add_argument("--overlay", action="store_true",
                   help="only the overlay benchmark: `mechgraph overlay` on synthetic AnnData (needs the omics extra)")
    p.add_argument("--overlay-cells", type=parse_size, default=100_000, help="cells of the overlay benchmark (default 1e5)")
    p.add_argument("--overlay-genes", type=parse_size, default=2_000, help="genes of the overlay benchmark (default 2000)")
    p.add_argument("--load-only", action="store_true",
                   help="only the batched Neo4j load, --reps runs per size into an empty database (e.g. --sizes 1e5 --load-only)")
    p.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    p.add_argument("--worker-out", default=None, help=argparse.SUPPRESS)
    return p


def spawn(kind: str, args: argparse.Namespace, timeout: float | None = None) -> dict[str, Any]:
    """Run one measurement in a fresh Python process; its JSON comes back through a temp file."""
    with tempfile.TemporaryDirectory(prefix="mechgraph-bench-") as tmp:
        out = Path(tmp) / "result.json"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, "--worker-out", str(out),
               "--seed", str(args.seed), "--edges-per-node", str(args.edges_per_node), "--reps", str(args.reps),
               "--budget", str(args.budget), "--neo4j-max-size", str(args.neo4j_max_size),
               "--naive-full-max", str(args.naive_full_max), "--naive-sample", str(args.naive_sample),
               "--targets-max-size", str(args.targets_max_size), "--tracemalloc-max-size", str(args.tracemalloc_max_size),
               "--profile-size", str(args.profile_size)]
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


def check_neo4j(uri: str) -> tuple[bool, str, str | None]:
    from mechgraph.store import Connection
    from mechgraph.errors import MechGraphError
    from mechgraph.store.neo4j_backend import Neo4jBackend

    try:
        b = Neo4jBackend(Connection.from_env(uri=uri), timeout=5)
    except MechGraphError as e:
        return False, str(e), None
    try:
        with b.driver.session(database=b.conn.database) as s:
            rows = s.run("CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition").data()
        version = " ".join(f"{r['name']} {r['versions'][0]} {r['edition']}" for r in rows) or None
    except Exception:
        version = None
    finally:
        b.close()
    return True, "", version


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
        cpu = f"client cpu {ph['client_cpu_s']:.1f}" + (f", server cpu {ph['server_cpu_s']:.1f}" if ph.get("server_cpu_s") is not None else "")
        print(f"{label(n):>6} {res['neo4j_batched_rps']:>13,.0f} {runs:>28} {goal:>8}  first batch {ph['connect_prepare_first_batch_s']:.2f}, "
              f"nodes+names {ph['start_to_nodes_written_s']:.2f}, rels {ph['names_and_rels_s']:.2f}, swap {ph['swap_cleanup_s']:.2f}; {cpu}")
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

    if args.overlay:  # scripts/bench_overlay.py: one run of `mechgraph overlay`, figures printed and written
        from bench_overlay import run_overlay_bench

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
        "started": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "args": {k: v for k, v in vars(args).items() if not k.startswith("worker")},
        "machine": machine_info(),
        "method": {
            "sizes": "number of edges of a synthetic graph (scripts/synthetic.py: growth + preferential attachment, "
                     f"{args.edges_per_node:g} edges per entity, seed {args.seed})",
            "embedded_load_s": "mechgraph.curation.build_graph on a SeedData of synthetic seed records (record list -> MultiDiGraph); "
                               "YAML parsing/validation (read_seeds) not included; generating the records is gen_s",
            "embedded_peak_mb": "peak RSS increase during build_graph in a fresh worker process: VmHWM (reset via "
                                "/proc/self/clear_refs after the records exist) minus VmRSS before the build",
            "embedded_graph_mb": "VmRSS after the build minus before: what the finished graph keeps",
            "embedded_tracemalloc_peak_mb": "tracemalloc peak of a second, traced build_graph (Python heap only)",
            "neo4j_batched_rps": "edges / wall time of mechgraph.store.neo4j_load.load_into_neo4j into an empty database (row prep included)",
            "neo4j_naive_rps": "edges / wall time of one auto-commit CREATE per node and per relationship (same rows); "
                               f"above {args.naive_full_max:,} edges timed on {args.naive_sample:,} sampled relationships "
                               "and their endpoint nodes and extrapolated (neo4j_naive_sampled)",
            "path_ms_embedded": "signed_paths(g, s, t, k=5, max_len=6), PathIndex built inside as on every call; median of runs",
            "path_ms_neo4j": "Neo4jBackend(conn).to_networkx() + signed_paths, as `mechgraph --backend neo4j path` does",
            "targets_ms": "rank_targets(g, top=20); the neo4j figure adds to_networkx()",
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
                f"naive Neo4j rate at {label(n)} (*) extrapolated from {res['neo4j_naive_written_rels']:,} sampled relationships "
                f"and {res['neo4j_naive_written_nodes']:,} nodes")
        if res.get("neo4j_roundtrip_ok") is False:
            results["notes"].append(f"at {label(n)} the graph read back from Neo4j gave different paths than the embedded graph")

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
            results["notes"].append(f"the machine was busy (load average up to {la:.1f} on {cores} cores): timings are pessimistic")
    results["total_s"] = time.perf_counter() - started
    print_report(results)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=float) + "\n", encoding="utf-8")
    print(f"\nwrote {out} ({results['total_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
