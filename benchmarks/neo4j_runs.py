"""The Neo4j figures of one size: the batched loader against a naive one, paths and targets through the
server (whole fetch and bounded fetch), and the load-only runs; the server's version and reachability."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from pathlib import Path
from typing import Any

from .common import label, log, med, repeat

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
        s.run(f"CREATE CONSTRAINT mechgraph_meta_id IF NOT EXISTS FOR (m:{META_LABEL}) REQUIRE m.id IS "
              "UNIQUE").consume()


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
            rel: [{"source": u, "target": v, "props": props.edge_properties({**a, "relation": rel})} for u,
                  v, a in edges]
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
            r: f"MATCH (a:Entity {{id: $source}}) MATCH (b:Entity {{id: $target}}) CREATE "
               f"(a)-[r:{props.rel_type(r)}]->(b) SET r = $props"
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

        def on_batch(k: int, done: list[int] = done, marks: dict[str, float] = marks) -> None:  # after each batch
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
    from tests.support.synthetic import synthetic_graph

    tag = f"[{label(n)}]"
    log(f"{tag} generating {n} synthetic edges (seed {args.seed})")
    g = synthetic_graph(n, seed=args.seed, edges_per_node=args.edges_per_node)
    r: dict[str, Any] = {"edges_requested": n, "nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
    r.update(batched_load(g, Connection.from_env(uri=args.neo4j_uri), args.reps, tag))
    return r


def run_neo4j(g, n: int, args: argparse.Namespace, pairs, embedded_scores, tag: str) -> dict[str, Any]:
    from mechgraph.analysis.paths import signed_paths
    from mechgraph.analysis.targets import rank_targets
    from mechgraph.store import Connection
    from mechgraph.store.neo4j_backend import Neo4jBackend

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
    # every property, evidence included: export, effect, gaps
    r["neo4j_full_fetch_ms"] = (time.perf_counter() - t) * 1000
    log(f"{tag} Neo4j: analysis_graph + signed_paths")
    times, _ = repeat(path_cmd, reps, args.budget)
    r["path_ms_neo4j"] = med(times) * 1000
    r["path_ms_neo4j_search_only"] = med(search_times) * 1000
    r["neo4j_fetch_ms"] = med(fetch_times) * 1000
    r["neo4j_roundtrip_ok"] = last.get("shape") == (g.number_of_nodes(),
                                                    g.number_of_edges()) and last.get("scores") == embedded_scores

    # what `mechgraph --backend neo4j path` does now: fetch only the region the search expands
    from mechgraph.analysis.bounded import find_paths_in
    from mechgraph.analysis.paths import PathOptions, find_paths

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



def check_neo4j(uri: str) -> tuple[bool, str, str | None]:
    from mechgraph.errors import MechGraphError
    from mechgraph.store import Connection
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
