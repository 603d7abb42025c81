"""The run's figures as a table, each goal beside the previous full run's figure (docs/bench-results.json)."""

from __future__ import annotations

from typing import Any

from .common import SEED_SHOW_NAME

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
    shown = ("cores", "cpu", "python", "networkx", "neo4j_driver")
    machine = ", ".join(f"{k}={v}" for k, v in results["machine"].items() if k in shown)
    lines = ["", f"mechgraph benchmark  ({machine})"]
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
        lines.append(f"mechgraph --help {once['cli_help_s']:.3f} s; mechgraph show \"{SEED_SHOW_NAME}\" "
                     f"{once['cli_show_s']:.3f} s "
                     f"(median of 5; python startup alone {once['python_startup_s']:.3f} s, import mechgraph.cli "
                     f"{once['cli_import_s']:.3f} s)")
    if once.get("seed_answers_s"):
        lines.append("seed graph answers (s, median of 3): "
                     + "; ".join(f"{k} {v:.2f}" for k, v in once["seed_answers_s"].items()))
    if once.get("viz_s"):
        parts = []
        for k, v in once["viz_s"].items():
            sg = once.get("viz_subgraphs", {}).get(k, {})
            parts.append(f"{k} nodes ({sg.get('edges', '?'):,} edges) {v:.2f} s" if v is not None else f"{k} nodes: -")
        lines.append("viz render_html: " + "; ".join(parts) + "; select_subgraph around the hub "
                                                              f"{once['viz_select_ms']:.0f} ms")
    elif once.get("viz_note"):
        lines.append("viz: " + once["viz_note"])
    neo = [lb for lb in labels if sizes[lb].get("neo4j_batched_phases")]
    if neo:
        lb = neo[-1]
        v = sizes[lb]
        ph = v["neo4j_batched_phases"]
        lines.append(
            f"load_into_neo4j at {lb}: {v['neo4j_batched_s']:.1f} s = start..nodes and names written "
            f"{ph['start_to_nodes_written_s']:.1f} s "
            f"(row prep alone {v['neo4j_rows_prep_s']:.1f} s) + relationship batches {ph['names_and_rels_s']:.1f} s + "
            "swap "
            f"{ph['swap_cleanup_s']:.1f} s; client CPU {ph['client_cpu_s']:.1f} s"
            + (f", server CPU {ph['server_cpu_s']:.1f} s" if ph.get("server_cpu_s") is not None
               else "") + "; neo4j-rust-ext "
            f"{'installed' if results['machine'].get('neo4j_rust_ext') else 'NOT installed (pure-Python PackStream)'}")
    lines.append("")
    lines.append("targets:")
    for gl in results["goals"]:
        m = ("" if gl["measured"] is None else f" measured {gl['measured']:,}"
             if isinstance(gl["measured"], (int, float)) else f" measured {gl['measured']}")
        prev = ("" if gl.get("previous") is None else f" (previous run: {gl['previous']:,})"
                if isinstance(gl["previous"], (int, float)) else f" (previous run: {gl['previous']})")
        lines.append(f"  [{gl['status']:>12}] {gl['goal']} {gl['target']}:{m}{prev} - {gl['detail']}")
    for note in results["notes"]:
        lines.append("note: " + note)
    print("\n".join(lines))
