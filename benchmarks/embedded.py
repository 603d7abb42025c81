"""The embedded figures of one size, in a worker process of their own: building the graph from
synthetic records (time, peak RSS), path search and target ranking (cold and warm), and the Neo4j
figures when a server is given."""

from __future__ import annotations

import argparse
import gc
import random
import time
from collections.abc import Callable
from typing import Any

from .common import ROOT, _status_kb, label, log, med, repeat, reset_peak_rss
from .goals import GOALS
from .neo4j_runs import run_neo4j

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
    for (file, line, func), (_cc, nc, tt, ct, _) in st.stats.items():  # type: ignore[attr-defined]
        short = file.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
        rows.append({"function": f"{short}:{line}({func})", "calls": nc, "own_s": round(tt, 4), "cum_s": round(ct, 4)})
    rows.sort(key=lambda r: -r["own_s"])
    return rows[:n]


def run_size(n: int, args: argparse.Namespace) -> dict[str, Any]:
    """Every measurement for one size. Runs in its own process, so RSS figures start clean."""
    from mechgraph.analysis import index as index_module
    from mechgraph.analysis.index import MechanismIndex
    from mechgraph.analysis.paths import find_paths, signed_paths
    from mechgraph.analysis.search import k_best_paths
    from mechgraph.analysis.targets import rank_targets
    from mechgraph.curation import build_graph
    from tests.support.synthetic import degree_summary, synthetic_seeds

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
        ts, found = repeat(lambda s=s, t_=t_: k_best_paths(index, index.node(s), index.node(t_), k=5, max_len=6,
                                                           cons=cons)[0],
                           reps, budget)
        per_pair[f"{s}->{t_}"] = {"search_ms": med(ts) * 1000, "paths": len(found)}
    r["path_search_ms_by_pair"] = per_pair
    r["path_search_ms"] = per_pair[f"{src}->{dst}"]["search_ms"]  # the pair of path_ms_embedded
    r["path_search_ms_pairs_median"] = med([v["search_ms"] for v in per_pair.values()])
    index = None  # freed before the next measurement
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
            "search_top": profile_top(lambda: k_best_paths(idx, idx.node(src), idx.node(dst), k=5, max_len=6,
                                                           cons=idx.constraints())),
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
