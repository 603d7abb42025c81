"""Loading a graph into Neo4j: batched, parallel, behind a lease lock, published in one atomic swap."""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from neo4j import exceptions as neo4j_errors

from .. import props, schema
from ..errors import BackendUnavailable, LostLock, MechGraphError, OtherGraphPresent, QueryError
from ..fsio import unfiltered
from ..io.neo4j_layout import (
    META_GRAPH_ID,
    META_LABEL,
    NAME_LABEL,
    SCHEMA_STATEMENTS,
    describe_meta,
    fingerprint,
    meta_properties,
    name_rows,
)
from .neo4j_backend import Neo4jBackend, _one_line
from .protocol import Connection

BATCH = 5_000
STAGE_LABEL = "MechGraphStage"  # nodes of a load in progress: invisible to queries on :Entity
STAGE_OWNER = "stage_owner"  # which load staged a node; only that load can link or publish it
RETIRED_LABEL = "MechGraphRetired"  # the previous graph after a swap, deleted in the background
LOCK_LEASE_MS = 20_000  # a crashed loader's lock expires this long after its last heartbeat
WORKERS = 3  # parallel write sessions of a load; 3 was fastest on a 2-core machine (benchmarks, --load-only)


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


def cypher_stage_names() -> str:
    """Batched creation of name-lookup nodes under this load's token; lookups see them once the
    swap names this load current on the meta node."""
    return f"UNWIND $rows AS row CREATE (k:{NAME_LABEL} {{key: row.key, entity: row.entity, load: $owner}})"


def cypher_publish_all() -> str:
    """Swap step, in one pass (Neo4j >= 5.26, dynamic labels): every staged node of this load gets
    :Entity and its kind's label, looked up in `$labels` (the schema's kind -> label map)."""
    return (
        f"MATCH (n:{STAGE_LABEL}) WHERE n.{STAGE_OWNER} = $owner "
        f"SET n:Entity, n:$($labels[n.kind]) REMOVE n:{STAGE_LABEL}, n.{STAGE_OWNER}"
    )


KIND_LABELS = {kind: props.node_labels(kind)[1] for kind in schema.ENTITY_KINDS}


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
    return f"MATCH (n:Entity) REMOVE n:{labels} SET n:{RETIRED_LABEL} RETURN count(n) AS c"




def _node_rows(g: nx.MultiDiGraph) -> dict[str, list[dict[str, Any]]]:
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for n, a in g.nodes(data=True):
        kind = a.get("kind")
        if kind not in schema.ENTITY_KINDS:
            raise QueryError(f"entity {n!r} has unknown kind {kind!r}")
        by_kind[kind].append(props.to_properties({**a, "id": n}))
    return by_kind


def _edges_by_relation(g: nx.MultiDiGraph) -> dict[str, list[tuple[str, str, dict[str, Any]]]]:
    """The edges grouped by relation, checked against the schema before anything is written."""
    by_rel: dict[str, list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
    for u, v, k, a in g.edges(keys=True, data=True):
        if k not in schema.RELATIONS:
            raise QueryError(f"edge {u} -{k}-> {v} has an unknown relation")
        by_rel[k].append((u, v, a))
    return by_rel


def _rel_rows(edges: list[tuple[str, str, dict[str, Any]]], relation: str,
              eids: dict[str, str]) -> list[dict[str, Any]]:
    """Statement rows of one batch; built by the worker that sends them, so preparation overlaps the server's work."""
    return [
        {"s": eids[u], "t": eids[v], "props": props.edge_properties({**a, "relation": relation})} for u, v, a in edges
    ]


class Rows(list):
    """A batch of statement rows that prints as its length.

    The driver formats every RUN message for its debug log before it checks whether debug
    logging is on, so a plain list is repr()'d in full: 0.4 s of CPU per 10^5 edges, for
    nothing. The packed bytes are the same as for a list."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


def _batches(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


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


@dataclass
class Contents:
    """What a database holds before a load: mechgraph's graph (with its provenance) and anything else."""

    meta: dict[str, Any] | None  # properties of the meta node of the published graph, if any
    entities: int  # nodes labelled :Entity
    foreign: int  # nodes with none of mechgraph's labels
    foreign_labels: list[str] = field(default_factory=list)
    ours: dict[str, int] = field(default_factory=dict)  # nodes per mechgraph label (staging and names too)

    @property
    def empty(self) -> bool:
        return not self.entities and not self.foreign and not (self.meta and self.meta.get("fingerprint"))


OUR_LABELS = ("Entity", META_LABEL, NAME_LABEL, STAGE_LABEL, RETIRED_LABEL)


def survey(session) -> Contents:
    """Read what the database holds; every count comes from Neo4j's count store, so it is instant at any size."""
    def one(text: str, **params: Any) -> Any:
        return session.run(text, params).single()[0]

    meta = session.run(f"MATCH (m:{META_LABEL} {{id: $id}}) RETURN properties(m) AS p", id=META_GRAPH_ID).single()
    total = one("MATCH (n) RETURN count(n)")
    ours = {label: one(f"MATCH (n:{label}) RETURN count(n)") for label in OUR_LABELS}
    foreign = max(0, total - sum(ours.values()))
    labels: list[str] = []
    if foreign:
        labels = [r["l"] for r in session.run(
            "MATCH (n) WHERE none(l IN labels(n) WHERE l IN $ours) WITH n LIMIT 10000 "
            "UNWIND CASE WHEN labels(n) = [] THEN ['(no label)'] ELSE labels(n) END AS l "
            "RETURN l, count(*) AS c ORDER BY c DESC, l LIMIT 5",
            ours=list(OUR_LABELS),
        )]
    return Contents(meta["p"] if meta else None, ours["Entity"], foreign, labels, ours)


def refusal(contents: Contents, fp: str, source: str, where: str) -> str | None:
    """Why a load of the graph with fingerprint `fp` must not replace what the database holds
    without --replace, or None when it may: the database is empty or holds this same graph."""
    if contents.empty:
        return None
    meta = contents.meta or {}
    if meta.get("fingerprint") == fp:
        return None  # the same graph again: reload in place
    what = []
    if meta.get("fingerprint"):
        what.append(f"another mechgraph graph ({describe_meta(meta)})")
    elif contents.entities:
        what.append(f"{_count(contents.entities, ':Entity node')} with no record of their source "
                    "(loaded by an earlier mechgraph, or not by mechgraph)")
    if contents.foreign:
        what.append(f"{_count(contents.foreign, 'node')} that mechgraph did not write (labels "
                    f"{', '.join(contents.foreign_labels)}), "
                    "which a load leaves as they are")
    return (f"{where} holds {' and '.join(what)}; this load is {source} (fingerprint {fp[:12]}). "
            "The database is unchanged. Pass --replace to load it anyway, or --database NAME for another database "
            "(Neo4j Enterprise)")


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def source_description(g: nx.MultiDiGraph) -> str:
    """The default `source` of a load from Python: the graph's name."""
    return f"the graph {g.graph.get('name', 'mechgraph')!r} passed from Python"


@_without_gc
def load_into_neo4j(
    g: nx.MultiDiGraph,
    conn: Connection,
    *,
    source: str | None = None,
    replace: bool = False,
    batch_size: int = BATCH,
    workers: int = WORKERS,
    progress: bool | None = None,
    on_batch: Callable[[int], None] | None = None,
    lock_timeout: float = 600.0,
    reconnect_timeout: float | None = None,
) -> dict[str, Any]:
    """Replace the graph in Neo4j with `g`, atomically as users see it, in batched UNWIND statements.

    1. Take the load lock (a lease on the meta node, renewed between batches), so concurrent
       loads run one after the other; clear leftovers of crashed loads.
    2. Check what is there: an empty database, or the same graph (equal fingerprint), loads;
       another graph or nodes that are not mechgraph's stop the load with OtherGraphPresent,
       describing them, unless `replace`.
    3. Stage: write nodes under a private label, tagged with this load's owner token, their name
       nodes under this load's token, then the relationships between them, in batches committed
       by `workers` parallel sessions. Queries on :Entity do not see any of it, and no other load
       can link or publish it.
    4. Swap, in ONE transaction that checks the lock and the staged counts: the current graph
       loses its labels, this load's staged nodes get theirs, and the meta node records the
       source, fingerprint, version, time and counts, and names this load's name nodes current.
       A load cut off before this commit (server stopped, connection lost, lock lost) leaves the
       previous graph exactly as it was.
    5. Delete the retired graph and the old names in batches and release the lock. A failed load
       deletes what it staged.
    `source` says what the graph came from (the CLI passes the seed folder or the --from file).
    Returns the counts written, the fingerprint, the provenance of the graph it replaced, and a
    `warning` when the connection broke after the swap committed.

    What a failure reports is what the server holds: before the swap, "nothing was published";
    if the connection breaks while the swap is in flight, the loader reconnects (waiting up to
    `reconnect_timeout` s, default 6 x the connection timeout, for a restarted server) and reads
    the meta node: published (a warning, not an error), not published, or, when the server stays
    silent, that it cannot know yet.
    """
    import uuid
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    source = source or source_description(g)
    reconnect_timeout = 6 * conn.timeout if reconnect_timeout is None else reconnect_timeout
    by_kind = _node_rows(g)
    node_rows = [row for kind in sorted(by_kind) for row in by_kind[kind]]
    names = list(name_rows(g))
    edges = _edges_by_relation(g)
    n_rels = sum(map(len, edges.values()))
    backend = Neo4jBackend(conn)
    driver = backend.driver
    owner = uuid.uuid4().hex
    where = f"Neo4j at {conn.uri}" + (f", database {conn.database!r}," if conn.database else "")
    show = sys.stderr.isatty() if progress is None else progress
    bar = None
    if show:
        from tqdm import tqdm

        bar = tqdm(total=len(node_rows) + len(names) + n_rels, unit="row", desc="loading into Neo4j",
                   file=unfiltered(sys.stderr), leave=False)

    def write(session, text: str, **params: Any) -> Any:
        return session.execute_write(lambda tx: tx.run(text, params).data())

    def heartbeat(session) -> None:
        session.execute_write(lambda tx: _renew_lock(tx, owner))

    def clear(session, where: str, **params: Any) -> None:
        while write(session, f"MATCH (n) WHERE {where} WITH n LIMIT $n DETACH DELETE n RETURN count(*) AS c",
                    n=batch_size, **params)[0]["c"]:
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

    def send(session, text: str, rows: list[Any]) -> None:
        """One batch whose statement returns nothing: no result rows to build."""
        session.execute_write(lambda tx: tx.run(text, rows=Rows(rows), owner=owner).consume())

    def stage_nodes(chunk):
        return lambda ws: write(ws, cypher_stage_nodes(), rows=Rows(chunk), owner=owner)

    def stage_names(chunk):
        return lambda ws: send(ws, cypher_stage_names(), chunk)

    def stage_rels(rel, chunk):
        return lambda ws: send(ws, cypher_stage_rels(rel), _rel_rows(chunk, rel, eids))

    eids: dict[str, str] = {}
    before: Contents | None = None
    fp = ""
    phase = ["staging"]  # staging -> publishing (the swap sent) -> published (the swap committed)
    warning = None
    # The fingerprint (about 1 s of Python at 10^5 edges) is computed in a thread while the server
    # writes the relationships: started earlier, it held the interpreter lock while the node
    # batches, whose element ids everything waits for, were being sent (+1 s at 10^5 edges). A
    # load onto a database that already holds a graph needs it first, to compare.
    hasher = ThreadPoolExecutor(1, thread_name_prefix="mechgraph-fingerprint")
    fingerprinting = None
    try:
        with driver.session(database=conn.database) as s:
            for statement in SCHEMA_STATEMENTS:
                s.run(statement).consume()
            s.run("DROP INDEX mechgraph_stage_id IF EXISTS").consume()  # staging matched on id before 2026-11
            s.run(f"CREATE INDEX mechgraph_stage_owner IF NOT EXISTS FOR (n:{STAGE_LABEL}) ON "
                  f"(n.{STAGE_OWNER})").consume()
            s.run("CALL db.awaitIndexes(300)").consume()
            s.run(f"MERGE (m:{META_LABEL} {{id: 'lock'}})").consume()
            try:  # dynamic labels came with Neo4j 5.26; older servers publish one kind at a time
                s.run("EXPLAIN " + cypher_publish_all(), labels=KIND_LABELS, owner=owner).consume()
                one_pass = True
            except neo4j_errors.CypherSyntaxError:
                one_pass = False
            deadline = time.monotonic() + lock_timeout
            while not try_lock(s, owner):
                if time.monotonic() > deadline:
                    raise QueryError(f"another load has held the lock for over {lock_timeout:.0f} s; try again later")
                time.sleep(0.2)
            swapped = False
            try:
                before = survey(s)
                # leftovers of loads that crashed or lost the lock
                if before.ours[STAGE_LABEL] or before.ours[RETIRED_LABEL]:
                    clear(s, f"n:{STAGE_LABEL} OR n:{RETIRED_LABEL}")
                if before.ours[NAME_LABEL]:  # names of the published graph stay until the swap
                    current = (before.meta or {}).get("load")
                    clear(s, f"n:{NAME_LABEL} AND ($current IS NULL OR n.load <> $current)", current=current)
                if not replace and not before.empty:
                    fingerprinting = hasher.submit(fingerprint, g)
                    fp = fingerprinting.result()  # needed now: is it the same graph?
                    why = refusal(before, fp, source, where)
                    if why:
                        raise OtherGraphPresent(why)
                # names need no element ids: they keep the server busy while the last nodes finish
                for rows in run_parallel(s, [(len(c), stage_nodes(c)) for c in _batches(node_rows, batch_size)]
                                         + [(len(c), stage_names(c)) for c in _batches(names, batch_size)]):
                    eids.update((r["id"], r["eid"]) for r in rows or ())
                if fingerprinting is None:  # now, when it slows the waiting for rels least
                    fingerprinting = hasher.submit(fingerprint, g)
                run_parallel(s, [(len(c), stage_rels(rel, c)) for rel in sorted(edges)
                                 for c in _batches(edges[rel], batch_size)])
                fp = fingerprinting.result()
                meta = meta_properties(g, source=source, fp=fp, load=owner)

                def swap(tx) -> None:
                    current = tx.run(f"MATCH (m:{META_LABEL} {{id: $id}}) RETURN m.load AS load",
                                     id=META_GRAPH_ID).single()
                    if current is not None and current["load"] == owner:
                        return  # an earlier attempt committed and its answer was lost with the connection
                    _renew_lock(tx, owner, "lost the load lock before publishing; the previous graph is unchanged")
                    staged = tx.run(
                        f"MATCH (n:{STAGE_LABEL}) WHERE n.{STAGE_OWNER} = $owner "
                        "RETURN count(n) AS nodes, sum(COUNT { (n)-->() }) AS rels",
                        owner=owner,
                    ).single()
                    if (staged["nodes"], staged["rels"] or 0) != (len(node_rows), n_rels):
                        raise QueryError(
                            f"the staged graph has {staged['nodes']} nodes and {staged['rels'] or 0} relationships, "
                            f"expected {len(node_rows)} and {n_rels}; nothing was published, the previous graph is "
                            "unchanged"
                        )
                    retired[0] = tx.run(cypher_retire()).single()["c"]
                    if one_pass:
                        tx.run(cypher_publish_all(), labels=KIND_LABELS, owner=owner).consume()
                    else:
                        for kind in schema.ENTITY_KINDS:
                            tx.run(cypher_publish(kind), kind=kind, owner=owner).consume()
                    tx.run(f"MERGE (m:{META_LABEL} {{id: $id}}) SET m = $meta", id=META_GRAPH_ID, meta=meta).consume()

                retired = [0]
                phase[0] = "publishing"  # from here a lost connection may or may not have published
                s.execute_write(swap)
                phase[0] = "published"
                swapped = True
                if retired[0]:
                    clear(s, f"n:{RETIRED_LABEL}")
                if before.ours[NAME_LABEL]:
                    clear(s, f"n:{NAME_LABEL} AND n.load <> $owner", owner=owner)
            finally:
                try:
                    if not swapped:  # do not leave half a graph lying around; only ever our own nodes
                        for mine in (f"n:{STAGE_LABEL} AND n.{STAGE_OWNER} = $owner",
                                     f"n:{NAME_LABEL} AND n.load = $owner"):
                            while write(
                                s, f"MATCH (n) WHERE {mine} WITH n LIMIT $n DETACH DELETE n RETURN count(*) AS c",
                                owner=owner, n=batch_size,
                            )[0]["c"]:
                                pass
                    release_lock(s, owner)
                except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError):
                    pass  # the server is gone; the lease expires and the next load clears the rest
    except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, QueryError) as e:
        lost = isinstance(e, (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired))
        what = f"lost Neo4j at {conn.uri} during the load" if lost else "the load failed"
        detail = _one_line(e) if isinstance(e, Exception) else type(e).__name__
        published = phase[0] == "published" or (phase[0] == "publishing" and _published(conn, owner, reconnect_timeout))
        if published is True:  # the new graph is there: say so, and what is left to tidy
            warning = (f"{what} after the new graph was published ({detail}); the previous graph's nodes, invisible to "
                       "queries, are deleted by the next load")
        elif published is None:
            raise BackendUnavailable(
                f"{what} while publishing the new graph ({detail}), and Neo4j did not answer again within "
                f"{reconnect_timeout:g} s: "
                "whether the new graph was published is unknown. When the server is back, `mechgraph --backend neo4j "
                "stats` "
                f"shows which graph it holds (this load's source: {source})") from None
        elif isinstance(e, QueryError):
            raise
        else:
            checked = " (checked after reconnecting)" if phase[0] == "publishing" else ""
            error = BackendUnavailable if lost else QueryError
            raise error(f"{what}; nothing was published, the previous graph is unchanged{checked}: {detail}") from None
    finally:
        hasher.shutdown(wait=True)
        if bar is not None:
            bar.close()
        backend.close()
    previous = before.meta if before and before.meta and before.meta.get("fingerprint") != fp else None
    return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "names": len(names), "fingerprint": fp,
            "source": source, "replaced": describe_meta(previous) if previous else None, "warning": warning}


def _published(conn: Connection, owner: str, within: float) -> bool | None:
    """After the connection broke while the swap was in flight: did it commit? Reconnects (waiting
    up to `within` seconds for a restarted server) and reads which load the meta node names;
    None when the server does not answer in time."""
    deadline = time.monotonic() + within
    while True:
        try:
            backend = Neo4jBackend(conn, timeout=max(1.0, min(conn.timeout, deadline - time.monotonic())))
            try:
                info = backend.graph_info() or {}
            finally:
                backend.close()
            return info.get("load") == owner
        except (MechGraphError, neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError):
            if time.monotonic() > deadline:
                return None
            time.sleep(0.5)


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
