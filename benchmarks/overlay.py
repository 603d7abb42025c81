"""The overlay benchmark (`python -m benchmarks --overlay`): `mechgraph overlay` on a synthetic AnnData file.

Writes a file of N cells x G genes (the seed graph's HGNC symbols plus filler genes; 20 groups,
5% of entries expressed, C3 -> C3AR1 planted; tests/support/synthetic_omics.py), then times
`mechgraph overlay FILE --groupby cell_type --json` with the default 1000 label permutations as a
child process, end to end (interpreter start, reading the .h5ad, scoring, JSON), and reads the
child's peak resident memory (ru_maxrss). Goal (issue 15): 10^5 cells x 2,000 genes under 60 s
and 4 GB. Needs the omics extra.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

GOAL_S = 60.0
GOAL_MB = 4096.0
N_GROUPS = 20


def run_overlay_bench(n_cells: int, n_genes: int, *, seed: int = 1, keep: str | None = None) -> dict[str, Any]:
    """Generate the file, run the command once, return the figures."""
    from mechgraph.curation import graph_from_seeds
    from mechgraph.omics.genes import hgnc_symbols
    from tests.support.synthetic_omics import write_h5ad

    from .common import ROOT as root
    g = graph_from_seeds(root / "seeds")
    symbols = sorted({s for _, a in g.nodes(data=True) for s in hgnc_symbols(a)})
    genes = symbols + [f"FILLER{i}" for i in range(max(0, n_genes - len(symbols)))]
    groups = ["THBS2+ CAF", "SPP1+ TAM"] + [f"cluster {i}" for i in range(N_GROUPS - 2)]
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="mechgraph-bench-overlay."))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"synthetic-{n_cells}x{n_genes}.h5ad"
    t0 = time.perf_counter()
    write_h5ad(path, n_cells, genes, groups, ligand="C3", receptor="C3AR1", sender="THBS2+ CAF",
               receiver="SPP1+ TAM", seed=seed)
    gen_s = time.perf_counter() - t0
    exe = Path(sys.executable).with_name("mechgraph")
    cmd = [str(exe), "--seeds", str(root / "seeds"), "overlay", str(path), "--groupby", "cell_type", "--json"]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out: dict[str, Any] = {
        "overlay_cells": n_cells, "overlay_genes": len(genes), "overlay_groups": len(groups),
        "overlay_file_mb": round(path.stat().st_size / 2**20, 1),
        "overlay_generate_s": round(gen_s, 1), "overlay_s": round(wall, 2), "overlay_peak_mb": round(peak_mb, 1),
        "overlay_command": " ".join(cmd), "overlay_exit": proc.returncode,
        "overlay_goal": f"< {GOAL_S:g} s and < {GOAL_MB:g} MB",
        "overlay_goal_met": proc.returncode == 0 and wall < GOAL_S and peak_mb < GOAL_MB,
    }
    if proc.returncode == 0:
        d = json.loads(proc.stdout)
        top = d["lr"][0] if d["lr"] else {}
        out["overlay_top_activity"] = (f"{top.get('ligand')} -> {top.get('receptor')}: {top.get('sender')} -> "
                                       f"{top.get('receiver')}")
        out["overlay_permutations"] = d["method"]["permutations"]
    else:
        out["overlay_error"] = proc.stderr.strip()[-500:]
    if not keep:
        path.unlink()
        os.rmdir(folder)
    return out
