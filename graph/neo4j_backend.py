"""The Neo4j backend: the mechanism graph in a real Neo4j 5 server, over the official driver.

Layout: every entity is a node labelled `:Entity` plus its kind's label (`:Entity:CellType`),
with a uniqueness constraint on `id`; every edge is a relationship typed by its relation
(`:PROMOTES`). Evidence stays on the relationship: `evidence_json` holds the records, and
`refs`, `dois`, `levels`, `species` are lists Cypher can filter on (see graph/props.py).
Labels and types come only from graph/schema.py; every value is a `$parameter`.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from typing import Any, Callable, Iterator

import networkx as nx

from . import props, schema
from .backend import Connection, Stats
from .errors import BackendUnavailable, QueryError

try:  # the driver is a required dependency, imported here so `mechgraph --help` never loads it
    import neo4j
    from neo4j import exceptions as neo4j_errors
except ImportError as e:  # pragma: no cover - only on a broken install
    raise BackendUnavailable("the neo4j driver is not installed: pip install neo4j") from e

META_LABEL = "MechGraphMeta"
NAMES_PROP = "names_lc"  # casefolded names for lookup; derived, not part of the graph
BATCH = 5_000


def _one_line(e: Exception) -> str:
    msg = getattr(e, "message", None) or str(e) or type(e).__name__
    return " ".join(str(msg).split())[:300]


STAGE_LABEL = "MechGraphStage"  # nodes of a load in progress: invisible to queries on :Entity
STAGE_OWNER = "stage_owner"  # which load staged a node; only that load can link or publish it
RETIRED_LABEL = "MechGraphRetired"  # the previous graph after a swap, deleted in the background
LOCK_LEASE_MS = 20_000  # a crashed loader's lock expires this long after its last heartbeat
WORKERS = 3  # parallel write sessions of a load; 3 was fastest on a 2-core machine (scripts/bench.py)


def cypher_stage_nodes() -> str:
    """Batched creation of staged nodes (no kind label yet, so queries cannot see them).

    Returns each node's element id, so relationships find their ends without an index lookup."""
    return (
        f"UNWIND $rows AS row CREATE (n:{STAGE_LABEL}) SET n = row, n.{STAGE_OWNER} = $owner "
        "RETURN row.id AS id, elementId(n) AS eid"
    )


def cypher_stage_rels(relation: str) -> str:
    """Batched relationship creation between this load's staged nodes; the type comes from the schema.

    The owner check matters: element ids of deleted nodes are reused, so a load that lost its
    lock must not be able to link nodes another load staged in their place."""
    rtype = props.rel_type(relation)
    return (
        "UNWIND $rows AS row "
        f"MATCH (a) WHERE elementId(a) = row.s AND a.{STAGE_OWNER} = $owner "
        f"MATCH (b) WHERE elementId(b) = row.t AND b.{STAGE_OWNER} = $owner "
        f"CREATE (a)-[r:{rtype}]->(b) SET r = row.props"
    )


def cypher_publish(kind: str) -> str:
    """Swap step: give this load's staged nodes of one kind their labels from the schema."""
    labels = ":".join(props.node_labels(kind))
    return (
        f"MATCH (n:{STAGE_LABEL}) WHERE n.{STAGE_OWNER} = $owner AND n.kind = $kind "
        f"SET n:{labels} REMOVE n:{STAGE_LABEL}, n.{STAGE_OWNER}"
    )


def cypher_retire() -> str:
    """Swap step: take every schema label off the current graph's nodes."""
    labels = ":".join(["Entity"] + [k.label for k in schema.ENTITY_KINDS.values()])
    return f"MATCH (n:Entity) REMOVE n:{labels} SET n:{RETIRED_LABEL}"


class Neo4jBackend:
    """Backend over a Neo4j server reached with the official driver."""

    name = "neo4j"

    def __init__(self, conn: Connection, *, timeout: float = 5.0):
        self.conn = conn
        try:
            self.driver = neo4j.GraphDatabase.driver(
                conn.uri, auth=(conn.user, conn.password), connection_timeout=timeout, max_transaction_retry_time=5.0
            )
            self.driver.verify_connectivity()
        except neo4j_errors.AuthError as e:
            raise BackendUnavailable(f"Neo4j at {conn.uri} refused the credentials for user {conn.user!r}: {_one_line(e)}") from None
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.DriverError, OSError, ValueError) as e:
            raise BackendUnavailable(f"cannot reach Neo4j at {conn.uri}: {_one_line(e)}") from None
        except neo4j_errors.Neo4jError as e:
            raise BackendUnavailable(f"Neo4j at {conn.uri} answered with an error: {_one_line(e)}") from None

    # --- plumbing -------------------------------------------------------------------------
    def _session(self, write: bool = False):
        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        return self.driver.session(database=self.conn.database, default_access_mode=mode)

    def _read(self, text: str, **params: Any) -> list[dict[str, Any]]:
        try:
            with self._session() as s:
                return s.execute_read(lambda tx: [r.data() for r in tx.run(text, params)])
        except neo4j_errors.ServiceUnavailable as e:
            raise BackendUnavailable(f"lost the connection to Neo4j at {self.conn.uri}: {_one_line(e)}") from None
        except neo4j_errors.Neo4jError as e:
            raise QueryError(_one_line(e)) from None

    def close(self) -> None:
        self.driver.close()

    # --- the Backend protocol -------------------------------------------------------------
    def to_networkx(self) -> nx.MultiDiGraph:
        meta = self._read(f"MATCH (m:{META_LABEL} {{id: 'graph'}}) RETURN m.name AS name, m.axes_json AS axes")
        g = nx.MultiDiGraph()
        if meta:
            import json

            g.graph["name"] = meta[0]["name"] or "mechgraph"
            g.graph["axes"] = json.loads(meta[0]["axes"] or "{}")
        for row in self._read("MATCH (n:Entity) RETURN properties(n) AS p ORDER BY n.id"):
            p = {k: v for k, v in row["p"].items() if k != NAMES_PROP}
            g.add_node(p["id"], **props.from_properties(p))
        rows = self._read(
            "MATCH (a:Entity)-[r]->(b:Entity) RETURN a.id AS s, b.id AS t, properties(r) AS p ORDER BY s, t, r.relation"
        )
        for row in rows:
            p = props.from_properties(row["p"], edge=True)
            g.add_edge(row["s"], row["t"], key=p["relation"], **p)
        return g

    def analysis_graph(self) -> nx.MultiDiGraph:
        """Only the attributes path search and target ranking read: at 10^5 edges this fetch is
        a fraction of `to_networkx`, which also ships every evidence record."""
        from .backend import ANALYSIS_EDGE_ATTRS, ANALYSIS_NODE_ATTRS

        g = nx.MultiDiGraph()
        for row in self._read("MATCH (n:Entity) RETURN n.id AS id, [k IN $keys | n[k]] AS v ORDER BY id", keys=list(ANALYSIS_NODE_ATTRS)):
            g.add_node(row["id"], **{k: v for k, v in zip(ANALYSIS_NODE_ATTRS, row["v"]) if v is not None})
        for row in self._read(
            "MATCH (a:Entity)-[r]->(b:Entity) RETURN a.id AS s, b.id AS t, [k IN $keys | r[k]] AS v ORDER BY s, t, r.relation",
            keys=list(ANALYSIS_EDGE_ATTRS),
        ):
            a = {k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in zip(ANALYSIS_EDGE_ATTRS, row["v"]) if v is not None}
            g.add_edge(row["s"], row["t"], key=a["relation"], **a)
        return g

    def stats(self) -> Stats:
        kinds = {r["k"]: r["c"] for r in self._read("MATCH (n:Entity) RETURN n.kind AS k, count(*) AS c")}
        rels = {r["k"]: r["c"] for r in self._read("MATCH (:Entity)-[r]->(:Entity) RETURN r.relation AS k, count(*) AS c")}
        ev = self._read(
            "MATCH (:Entity)-[r]->(:Entity) UNWIND r.refs AS ref "
            "RETURN count(DISTINCT ref) AS refs"
        )
        n_ev = self._read("MATCH (:Entity)-[r]->(:Entity) RETURN coalesce(sum(r.n_evidence), 0) AS n")
        return Stats(sum(kinds.values()), sum(rels.values()), kinds, rels, n_ev[0]["n"], ev[0]["refs"])

    def entity(self, eid: str) -> dict[str, Any] | None:
        rows = self._read("MATCH (n:Entity {id: $id}) RETURN properties(n) AS p", id=eid)
        if not rows:
            return None
        return props.from_properties({k: v for k, v in rows[0]["p"].items() if k != NAMES_PROP})

    def lookup(self, text: str) -> list[str]:
        rows = self._read(
            f"MATCH (n:Entity) WHERE $key IN n.{NAMES_PROP} RETURN n.id AS id ORDER BY id", key=text.strip().casefold()
        )
        return [r["id"] for r in rows]

    def name_index(self) -> list[tuple[str, list[str]]]:
        rows = self._read("MATCH (n:Entity) RETURN n.id AS id, n.name AS name, n.name_zh AS zh, n.synonyms AS syn")
        return [(r["id"], [x for x in [r["id"], r["name"], r["zh"], *(r["syn"] or [])] if x]) for r in rows]

    def edges_of(self, eid: str) -> list[tuple[str, str, str, dict[str, Any]]]:
        rows = self._read(
            "MATCH (n:Entity {id: $id})-[r]-(m:Entity) "
            "RETURN startNode(r).id AS s, endNode(r).id AS t, properties(r) AS p",
            id=eid,
        )
        out = []
        for r in rows:
            p = props.from_properties(r["p"], edge=True)
            out.append((r["s"], r["t"], p["relation"], p))
        return out

    def cypher(self, text: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[dict[str, Any]]:
        params = params or {}
        try:
            with self._session(write=write) as s:
                if not write:
                    kind = s.run("EXPLAIN " + text, params).consume().query_type
                    if kind in ("w", "rw", "s"):
                        raise QueryError(
                            "this query writes to the database; mechgraph runs queries read-only unless you pass --write"
                        )
                    return s.execute_read(lambda tx: [_plain(r.data()) for r in tx.run(text, params)])
                return s.execute_write(lambda tx: [_plain(r.data()) for r in tx.run(text, params)])
        except neo4j_errors.CypherSyntaxError as e:
            raise QueryError(f"Cypher syntax error: {_one_line(e)}") from None
        except neo4j_errors.ServiceUnavailable as e:
            raise BackendUnavailable(f"lost the connection to Neo4j at {self.conn.uri}: {_one_line(e)}") from None
        except neo4j_errors.Neo4jError as e:
            code = getattr(e, "code", "") or ""
            if "AccessMode" in code or "ForbiddenOnReadOnly" in code:
                raise QueryError("this query writes to the database; mechgraph runs queries read-only unless you pass --write") from None
            raise QueryError(_one_line(e)) from None


def _plain(v: Any) -> Any:
    """Driver values (nodes, relationships, paths) as plain data, like the embedded engine returns."""
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


# --- loading --------------------------------------------------------------------------------


def _node_rows(g: nx.MultiDiGraph) -> dict[str, list[dict[str, Any]]]:
    from .nx_backend import entity_names

    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for n, a in g.nodes(data=True):
        kind = a.get("kind")
        if kind not in schema.ENTITY_KINDS:
            raise QueryError(f"entity {n!r} has unknown kind {kind!r}")
        row = props.to_properties({**a, "id": n})
        row[NAMES_PROP] = sorted({x.casefold() for x in entity_names({**a, "id": n})})
        by_kind[kind].append(row)
    return by_kind


def _edges_by_relation(g: nx.MultiDiGraph) -> dict[str, list[tuple[str, str, dict[str, Any]]]]:
    """The edges grouped by relation, checked against the schema before anything is written."""
    by_rel: dict[str, list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
    for u, v, k, a in g.edges(keys=True, data=True):
        if k not in schema.RELATIONS:
            raise QueryError(f"edge {u} -{k}-> {v} has an unknown relation")
        by_rel[k].append((u, v, a))
    return by_rel


def _rel_rows(edges: list[tuple[str, str, dict[str, Any]]], relation: str, eids: dict[str, str]) -> list[dict[str, Any]]:
    """Statement rows of one batch; built by the worker that sends them, so preparation overlaps the server's work."""
    return [
        {"s": eids[u], "t": eids[v], "props": props.edge_properties({**a, "relation": relation})} for u, v, a in edges
    ]


def _batches(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


class LostLock(QueryError):
    """This load's lease on the lock ran out and another load may own it now."""


def try_lock(session, owner: str, lease_ms: int = LOCK_LEASE_MS) -> bool:
    """Take the load lock for `owner` if it is free or its lease ran out; True when taken.

    Every lock statement writes the lock node (`touched`) before it reads the owner: the write
    takes the node's exclusive lock, so the check sees the latest committed owner. Reading first
    and writing after let two loaders both read "free" and both think they won (a lost update)."""
    rows = session.execute_write(
        lambda tx: tx.run(
            f"MATCH (m:{META_LABEL} {{id: 'lock'}}) SET m.touched = timestamp() "
            "WITH m WHERE m.owner IS NULL OR m.owner = $owner OR m.expires < timestamp() "
            "SET m.owner = $owner, m.expires = timestamp() + $lease RETURN m.owner AS o",
            owner=owner, lease=lease_ms,
        ).data()
    )
    return bool(rows)


def _renew_lock(tx, owner: str, message: str | None = None) -> None:
    """Inside a write transaction: fail unless `owner` still holds the lock, and extend the lease."""
    held = tx.run(
        f"MATCH (m:{META_LABEL} {{id: 'lock'}}) SET m.touched = timestamp() "
        "WITH m WHERE m.owner = $owner SET m.expires = timestamp() + $lease RETURN m.owner AS o",
        owner=owner, lease=LOCK_LEASE_MS,
    ).data()
    if not held:
        raise LostLock(message or "lost the load lock (this load stalled longer than the lease); nothing was published")


def release_lock(session, owner: str) -> None:
    """Give the lock up if `owner` still holds it."""
    session.execute_write(
        lambda tx: tx.run(
            f"MATCH (m:{META_LABEL} {{id: 'lock'}}) SET m.touched = timestamp() "
            "WITH m WHERE m.owner = $owner REMOVE m.owner, m.expires",
            owner=owner,
        ).consume()
    )


def _without_gc(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run `fn` with the cyclic garbage collector paused.

    A bulk load allocates millions of small acyclic rows; the generational collections they
    trigger over the whole in-memory graph took ~40% of row preparation at 10^5 edges."""
    import functools
    import gc

    @functools.wraps(fn)
    def paused(*args: Any, **kwargs: Any) -> Any:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return paused


@_without_gc
def load_graph(
    g: nx.MultiDiGraph,
    conn: Connection,
    *,
    batch_size: int = BATCH,
    workers: int = WORKERS,
    progress: bool | None = None,
    on_batch: Callable[[int], None] | None = None,
    lock_timeout: float = 600.0,
) -> dict[str, int]:
    """Replace the graph in Neo4j with `g`, atomically as users see it, in batched UNWIND statements.

    1. Take the load lock (a lease on the meta node, renewed between batches), so concurrent
       loads run one after the other; clear leftovers of crashed loads.
    2. Stage: write nodes under a private label, tagged with this load's owner token, then the
       relationships between them, in batches committed by `workers` parallel sessions.
       Queries on :Entity do not see any of it, and no other load can link or publish it.
    3. Swap, in ONE transaction that checks the lock and the staged counts: the current graph
       loses its labels, this load's staged nodes get theirs. A load cut off before this commit
       (server stopped, connection lost, lock lost) leaves the previous graph exactly as it was.
    4. Delete the retired graph in batches and release the lock. A failed load deletes what it
       staged.
    Returns the counts written.
    """
    import json
    import uuid
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    by_kind = _node_rows(g)
    node_rows = [row for kind in sorted(by_kind) for row in by_kind[kind]]
    edges = _edges_by_relation(g)
    n_rels = sum(map(len, edges.values()))
    backend = Neo4jBackend(conn)
    driver = backend.driver
    owner = uuid.uuid4().hex
    show = sys.stderr.isatty() if progress is None else progress
    bar = None
    if show:
        from tqdm import tqdm

        bar = tqdm(total=len(node_rows) + n_rels, unit="row", desc="loading into Neo4j", file=sys.stderr, leave=False)

    def write(session, text: str, **params: Any) -> Any:
        return session.execute_write(lambda tx: tx.run(text, params).data())

    def heartbeat(session) -> None:
        session.execute_write(lambda tx: _renew_lock(tx, owner))

    def clear(session, where: str, **params: Any) -> None:
        while write(session, f"MATCH (n) WHERE {where} WITH n LIMIT $n DETACH DELETE n RETURN count(*) AS c", n=batch_size, **params)[0]["c"]:
            heartbeat(session)

    def run_parallel(session, jobs: list[tuple[int, Callable[[], Any]]]) -> list[Any]:
        """Run (rows, job) pairs on `workers` sessions; renew the lease and report progress as each ends.

        On the first failure the jobs not yet started are dropped and the running ones awaited,
        so nothing is still writing when the caller cleans up."""

        def in_session(job: Callable[[Any], Any]) -> Any:
            with driver.session(database=conn.database) as ws:
                return job(ws)

        results: list[Any] = []
        pool = ThreadPoolExecutor(max(1, workers), thread_name_prefix="mechgraph-load")
        try:
            pending = {pool.submit(in_session, job): n for n, job in jobs}
            last_beat = time.monotonic()
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for f in done:
                    n = pending.pop(f)
                    results.append(f.result())
                    if bar is not None:
                        bar.update(n)
                    if on_batch is not None:
                        on_batch(n)
                if time.monotonic() - last_beat > 1.0 or not pending:
                    heartbeat(session)
                    last_beat = time.monotonic()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return results

    def stage_nodes(chunk):
        return lambda ws: write(ws, cypher_stage_nodes(), rows=chunk, owner=owner)

    def stage_rels(rel, chunk):
        return lambda ws: write(ws, cypher_stage_rels(rel), rows=_rel_rows(chunk, rel, eids), owner=owner)

    eids: dict[str, str] = {}
    try:
        with driver.session(database=conn.database) as s:
            s.run("CREATE CONSTRAINT mechgraph_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE").consume()
            s.run(f"CREATE CONSTRAINT mechgraph_meta_id IF NOT EXISTS FOR (m:{META_LABEL}) REQUIRE m.id IS UNIQUE").consume()
            s.run("DROP INDEX mechgraph_stage_id IF EXISTS").consume()  # staging matched on id before 2026-11
            s.run(f"CREATE INDEX mechgraph_stage_owner IF NOT EXISTS FOR (n:{STAGE_LABEL}) ON (n.{STAGE_OWNER})").consume()
            s.run("CALL db.awaitIndexes(300)").consume()
            s.run(f"MERGE (m:{META_LABEL} {{id: 'lock'}})").consume()
            deadline = time.monotonic() + lock_timeout
            while not try_lock(s, owner):
                if time.monotonic() > deadline:
                    raise QueryError(f"another load has held the lock for over {lock_timeout:.0f} s; try again later")
                time.sleep(0.2)
            swapped = False
            try:
                clear(s, f"n:{STAGE_LABEL}")  # leftovers of loads that crashed or lost the lock
                for rows in run_parallel(s, [(len(c), stage_nodes(c)) for c in _batches(node_rows, batch_size)]):
                    eids.update((r["id"], r["eid"]) for r in rows)
                run_parallel(
                    s,
                    [(len(c), stage_rels(rel, c)) for rel in sorted(edges) for c in _batches(edges[rel], batch_size)],
                )

                def swap(tx) -> None:
                    _renew_lock(tx, owner, "lost the load lock before publishing; the previous graph is unchanged")
                    staged = tx.run(
                        f"MATCH (n:{STAGE_LABEL}) WHERE n.{STAGE_OWNER} = $owner "
                        "RETURN count(n) AS nodes, sum(COUNT { (n)-->() }) AS rels",
                        owner=owner,
                    ).single()
                    if (staged["nodes"], staged["rels"] or 0) != (len(node_rows), n_rels):
                        raise QueryError(
                            f"the staged graph has {staged['nodes']} nodes and {staged['rels'] or 0} relationships, "
                            f"expected {len(node_rows)} and {n_rels}; nothing was published, the previous graph is unchanged"
                        )
                    tx.run(cypher_retire()).consume()
                    for kind in schema.ENTITY_KINDS:
                        tx.run(cypher_publish(kind), kind=kind, owner=owner).consume()
                    tx.run(
                        f"MERGE (m:{META_LABEL} {{id: 'graph'}}) SET m.name = $name, m.axes_json = $axes, m.loaded_at = timestamp()",
                        name=g.graph.get("name", "mechgraph"),
                        axes=json.dumps(g.graph.get("axes") or {}, ensure_ascii=False),
                    ).consume()

                s.execute_write(swap)
                swapped = True
                clear(s, f"n:{RETIRED_LABEL}")
            finally:
                try:
                    if not swapped:  # do not leave half a graph lying around; only ever our own nodes
                        while write(
                            s,
                            f"MATCH (n:{STAGE_LABEL}) WHERE n.{STAGE_OWNER} = $owner WITH n LIMIT $n DETACH DELETE n RETURN count(*) AS c",
                            owner=owner, n=batch_size,
                        )[0]["c"]:
                            pass
                    release_lock(s, owner)
                except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError):
                    pass  # the server is gone; the lease expires and the next load clears the rest
    except neo4j_errors.ServiceUnavailable as e:
        raise BackendUnavailable(
            f"lost Neo4j at {conn.uri} during the load; nothing was published, the previous graph is unchanged ({_one_line(e)})"
        ) from None
    except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as e:
        raise QueryError(f"the load failed; nothing was published, the previous graph is unchanged: {_one_line(e)}") from None
    finally:
        if bar is not None:
            bar.close()
        backend.close()
    return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}


def wait_until_ready(conn: Connection, timeout: float = 60.0) -> None:
    """Poll until the server answers (used by tests and scripts after a restart)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            Neo4jBackend(conn, timeout=2.0).close()
            return
        except BackendUnavailable:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
