"""What every part of the benchmark shares: where the checkout is, the sizes, logging, timing and the machine."""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = "1e3,1e4,1e5,1e6"
QUICK_SIZES = "1e3,1e4"
SEED_SHOW_NAME = "THBS2+ CAF"
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
