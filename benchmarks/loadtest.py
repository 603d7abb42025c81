#!/usr/bin/env python3
"""Concurrent clients running the named queries against Neo4j on loopback; latency percentiles.

    NEO4J_URI=bolt://127.0.0.1:7687 python -m benchmarks.loadtest --clients 16 --seconds 30

Each client is a thread with its own driver session, looping over the named queries with
example parameters until the time is up or --max-requests is reached (the loop is bounded in
count and time and stops by itself). Before and after, the graph's counts are compared:
nothing may be lost. Prints a table and, with --out, writes JSON. Exit 1 on any error.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from pathlib import Path

from mechgraph.cypher.named import named_queries, prepare_params  # noqa: E402
from mechgraph.store import Connection  # noqa: E402
from mechgraph.store.entities import resolve  # noqa: E402
from mechgraph.store.neo4j_backend import Neo4jBackend  # noqa: E402

EXAMPLES = {
    "therapies_for_target": {"target": "PD-1"},
    "trials_for_therapy": {"therapy": "PD-1 antibody"},
    "regulators_of_cell": {"cell": "SPP1+ TAM"},
    "evidence_by_reference": {"ref": "19"},
    "therapies_upstream_of": {"driver": "CD8+ T cell"},
}
COUNTS = "MATCH (n:Entity) OPTIONAL MATCH (n)-[r]->(:Entity) RETURN count(DISTINCT n) AS n, count(r) AS r"


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    i = min(len(sorted_values) - 1, max(0, round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[i]


def run(conn: Connection, clients: int, seconds: float, max_requests: int) -> dict:
    setup = Neo4jBackend(conn)
    queries = named_queries()
    prepared = [(q.name, q.text, prepare_params(q, EXAMPLES.get(q.name, {}), lambda text: resolve(setup, text)))
                for q in queries.values()]
    before = setup.cypher(COUNTS)[0]
    latencies: dict[str, list[float]] = {name: [] for name, _, _ in prepared}
    errors: list[str] = []
    lock = threading.Lock()
    issued = {"n": 0}
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        backend = Neo4jBackend(conn)
        i = offset
        try:
            while time.monotonic() < deadline:
                with lock:
                    if issued["n"] >= max_requests:
                        return
                    issued["n"] += 1
                name, text, params = prepared[i % len(prepared)]
                i += 1
                t0 = time.perf_counter()
                try:
                    rows = backend.cypher(text, params)
                    if not rows:
                        raise RuntimeError("no rows")
                except Exception as e:  # noqa: BLE001 - every failure is counted and reported
                    with lock:
                        errors.append(f"{name}: {e}")
                    continue
                with lock:
                    latencies[name].append((time.perf_counter() - t0) * 1000)
        finally:
            backend.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    elapsed = time.monotonic() - started
    after = setup.cypher(COUNTS)[0]
    setup.close()
    every = sorted(x for v in latencies.values() for x in v)
    per_query = {
        name: {"requests": len(v), "p50_ms": percentile(sorted(v), 50), "p95_ms": percentile(sorted(v), 95),
               "p99_ms": percentile(sorted(v), 99)}
        for name, v in latencies.items()
    }
    return {
        "clients": clients,
        "seconds": round(elapsed, 2),
        "requests": len(every),
        "errors": len(errors),
        "error_samples": errors[:5],
        "throughput_rps": round(len(every) / elapsed, 1) if elapsed else 0,
        "p50_ms": percentile(every, 50),
        "p95_ms": percentile(every, 95),
        "p99_ms": percentile(every, 99),
        "max_ms": every[-1] if every else float("nan"),
        "mean_ms": statistics.fmean(every) if every else float("nan"),
        "per_query": per_query,
        "counts_before": before,
        "counts_after": after,
        "nothing_lost": before == after,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--max-requests", type=int, default=2_000_000)
    ap.add_argument("--uri", default=None)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    conn = Connection.from_env(args.uri)
    if not conn.uri.startswith(("bolt://127.", "bolt://localhost", "neo4j://127.", "neo4j://localhost")):
        print(f"refusing to load-test {conn.uri}: only loopback servers", file=sys.stderr)
        return 2
    r = run(conn, args.clients, args.seconds, args.max_requests)
    print(f"{r['clients']} clients, {r['seconds']} s: {r['requests']} requests ({r['throughput_rps']}/s), "
          f"{r['errors']} errors")
    print(f"latency ms: p50 {r['p50_ms']:.2f}  p95 {r['p95_ms']:.2f}  p99 {r['p99_ms']:.2f}  max {r['max_ms']:.2f}")
    for name, q in r["per_query"].items():
        print(f"  {name:24s} {q['requests']:7d} req  p50 {q['p50_ms']:.2f}  p95 {q['p95_ms']:.2f}  p99 "
              f"{q['p99_ms']:.2f}")
    print(f"graph before {r['counts_before']} after {r['counts_after']}: "
          f"{'nothing lost' if r['nothing_lost'] else 'CHANGED'}")
    if args.out:
        Path(args.out).write_text(json.dumps(r, indent=2))
    return 0 if r["errors"] == 0 and r["nothing_lost"] else 1


if __name__ == "__main__":
    sys.exit(main())
