"""The issue's performance targets and whether a run meets each."""

from __future__ import annotations

import json
from typing import Any

from .common import PREVIOUS

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
             f"at {ratio_size} edges: batched {v['neo4j_batched_rps']:,.0f} rel/s vs naive "
             f"{v['neo4j_naive_rps']:,.0f} rel/s"
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
        goal("path at 1e5 edges, embedded", "< 200 ms", None, None,
             "1e5 not in --sizes" if "1e5" not in sizes else s5.get("error", "not run"))
    if once.get("cli_help_s") is not None:
        x = once["cli_help_s"]
        goal("mechgraph --help", "< 0.3 s", round(x, 3), x < GOALS["cli_help_s"],
             f"median of 5; bare `python -c pass` takes {once['python_startup_s']:.3f} s, `import mechgraph.cli` "
             f"{once['cli_import_s']:.3f} s")
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
        goal("embedded 1e6-edge graph", "< 2 GB", None, None,
             "1e6 not in --sizes" if "1e6" not in sizes else s6.get("error", "not run"))
    if s6.get("targets_ms_embedded") is not None:
        x = s6["targets_ms_embedded"] / 1000
        cold = s6.get("targets_ms_embedded_cold", float("nan")) / 1000
        goal("targets at 1e6 edges, embedded", "< 10 s", round(x, 2), x < GOALS["targets_s_1e6"],
             f"rank_targets(top=20, permutations=0) with the MechanismIndex built; the first call in a process also "
             f"builds it: {cold:.1f} s cold")
    else:
        goal("targets at 1e6 edges, embedded", "< 10 s", None, None,
             "1e6 not in --sizes" if "1e6" not in sizes else s6.get("targets_note", "not run"))
    if s6.get("path_ms_embedded") is not None:
        x = s6["path_ms_embedded"]
        goal("path at 1e6 edges, embedded", "< 500 ms", round(x, 1), x < GOALS["path_ms_1e6"],
             f"signed_paths k=5, warm (cold call {s6.get('path_ms_embedded_cold', float('nan')):.0f} ms); "
             f"mechanism query to a therapy {s6.get('path_mechanism_ms_embedded', float('nan')):.0f} ms")
    else:
        goal("path at 1e6 edges, embedded", "< 500 ms", None, None,
             "1e6 not in --sizes" if "1e6" not in sizes else "not run")
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
