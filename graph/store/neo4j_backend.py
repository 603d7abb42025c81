"""The Neo4j backend: the mechanism graph in a real Neo4j 5 server, over the official driver.

Layout: every entity is a node labelled `:Entity` plus its kind's label (`:Entity:CellType`),
with a uniqueness constraint on `id`; every edge is a relationship typed by its relation
(`:PROMOTES`). Evidence stays on the relationship: `evidence_json` holds the records, and
`refs`, `dois`, `levels`, `species` are lists Cypher can filter on (see mechgraph.props).
Labels and types come only from mechgraph.schema; every value is a `$parameter`. Names are looked
up on separate `:MechGraphName` nodes and the meta node records where the graph came from (see
mechgraph.io.neo4j_layout), so entity nodes carry only the graph's own properties.
"""

from __future__ import annotations

import logging
from typing import Any

import networkx as nx

from .. import props
from ..errors import BackendUnavailable, QueryError
from ..io.neo4j_layout import META_GRAPH_ID, META_LABEL, NAME_LABEL
from .protocol import START_HINT, Connection, Stats

try:  # the driver is a required dependency, imported here so `mechgraph --help` never loads it
    import neo4j
    from neo4j import exceptions as neo4j_errors
except ImportError as e:  # pragma: no cover - only on a broken install
    raise BackendUnavailable("the neo4j driver is not installed: pip install neo4j") from e



# The driver logs connection failures at WARNING; with no handler configured Python prints them on
# stderr as a second line beside the one-line error mechgraph gives. Applications that configure
# logging still receive them.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


def _unreachable(uri: str, limit: float, e: BaseException, answered: bool) -> str:
    """One line for a server that is not there, or there and silent, with what to do."""
    detail = _one_line(e) if isinstance(e, Exception) else type(e).__name__
    if "refused" in detail.lower():
        return f"cannot reach Neo4j at {uri}: connection refused, nothing listens there; {START_HINT}, or point NEO4J_URI / --uri at a running server"
    if answered or any(w in detail.lower() for w in ("handshake", "timed out", "deadline", "defunct")):
        return _silent(uri, limit)
    return f"cannot reach Neo4j at {uri} within {limit:g} s ({detail}); {START_HINT}, or point NEO4J_URI / --uri at a running server"


def _silent(uri: str, limit: float) -> str:
    return (f"cannot reach Neo4j at {uri}: it accepted the connection but gave no Neo4j answer within {limit:g} s (a server still starting, "
            f"or not Neo4j's Bolt port); {START_HINT}, or raise --timeout / NEO4J_TIMEOUT")


def _one_line(e: Exception) -> str:
    msg = getattr(e, "message", None) or str(e) or type(e).__name__
    return " ".join(str(msg).split())[:300]


class Neo4jBackend:
    """Backend over a Neo4j server reached with the official driver."""

    name = "neo4j"

    def __init__(self, conn: Connection, *, timeout: float | None = None):
        self.conn = conn
        conn.check_uri()
        limit = conn.timeout if timeout is None else timeout
        where = f"Neo4j at {conn.uri}"
        # connection_timeout bounds the TCP connect; the acquisition timeout bounds the Bolt
        # handshake too, which a port that accepts but never answers would stall for 60 s.
        try:
            self.driver = neo4j.GraphDatabase.driver(
                conn.uri, auth=(conn.user, conn.password), connection_timeout=limit,
                connection_acquisition_timeout=limit, max_transaction_retry_time=limit,
            )
        except (neo4j_errors.ConfigurationError, ValueError) as e:
            raise BackendUnavailable(f"cannot use the Neo4j URI {conn.uri!r}: {_one_line(e)}") from None
        answered = False  # the server shook hands and logged us in
        try:
            self.driver.verify_connectivity()
            answered = True
            self._probe(limit)
        except BaseException as e:
            self.driver.close()
            if isinstance(e, neo4j_errors.AuthError):
                raise BackendUnavailable(f"{where} refused the credentials for user {conn.user!r}: {_one_line(e)}") from None
            if isinstance(e, (neo4j_errors.ServiceUnavailable, neo4j_errors.DriverError, OSError)):
                raise BackendUnavailable(_unreachable(conn.uri, limit, e, answered)) from None
            if isinstance(e, neo4j_errors.Neo4jError):
                raise BackendUnavailable(f"{where} answered with an error: {_one_line(e)}") from None
            raise

    def _probe(self, limit: float) -> None:
        """The first query, `RETURN 1` on the chosen database, answered within `limit` seconds.

        The driver has no read timeout, so a server that shook hands and then stalls would hang
        here; the query runs in a daemon thread that is abandoned when the time is up."""
        import threading

        name = self.conn.database
        if name is not None and name.lower() == "system":
            raise BackendUnavailable("'system' is Neo4j's own administration database; choose a graph database such as 'neo4j'")
        outcome: list[BaseException | None] = []

        def ask() -> None:
            try:
                with self.driver.session(database=name) as s:
                    s.run("RETURN 1").consume()
                outcome.append(None)
            except BaseException as e:  # noqa: BLE001 - handed to the waiting thread
                outcome.append(e)

        worker = threading.Thread(target=ask, name="mechgraph-neo4j-probe", daemon=True)
        worker.start()
        worker.join(limit)
        if not outcome:
            raise BackendUnavailable(_silent(self.conn.uri, limit))
        error = outcome[0]
        if error is None:
            return
        if isinstance(error, neo4j_errors.ClientError) and "DatabaseNotFound" in (error.code or ""):
            raise BackendUnavailable(
                f"Neo4j at {self.conn.uri} has no database {name!r} (it has: {', '.join(self._databases()) or 'unknown'}); "
                "Neo4j Community has only 'neo4j' and 'system', Enterprise creates more with CREATE DATABASE"
            )
        raise error

    def _databases(self) -> list[str]:
        """The names of the server's graph databases, for messages; empty when it will not say."""
        try:
            with self.driver.session(database="system") as s:
                rows = s.run("SHOW DATABASES YIELD name, type WHERE type <> 'system' RETURN DISTINCT name ORDER BY name").data()
            return [r["name"] for r in rows]
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError):
            return []

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
        meta = self._read(f"MATCH (m:{META_LABEL} {{id: $id}}) RETURN m.name AS name, m.axes_json AS axes", id=META_GRAPH_ID)
        g = nx.MultiDiGraph()
        if meta:
            import json

            g.graph["name"] = meta[0]["name"] or "mechgraph"
            g.graph["axes"] = json.loads(meta[0]["axes"] or "{}")
        for row in self._read("MATCH (n:Entity) RETURN properties(n) AS p ORDER BY n.id"):
            g.add_node(row["p"]["id"], **props.from_properties(row["p"]))
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
        from .protocol import ANALYSIS_EDGE_ATTRS, ANALYSIS_NODE_ATTRS

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
        return props.from_properties(rows[0]["p"])

    def lookup(self, text: str) -> list[str]:
        """Through the indexes: an entity whose id is the casefolded text, and the name nodes of
        the published load (the meta node's `load`) with that key."""
        rows = self._read(
            "CALL () { MATCH (n:Entity {id: $key}) RETURN n.id AS id "
            f"UNION MATCH (m:{META_LABEL} {{id: $meta}}) MATCH (k:{NAME_LABEL} {{key: $key}}) WHERE k.load = m.load "
            "RETURN k.id AS id } RETURN id ORDER BY id",
            meta=META_GRAPH_ID, key=text.strip().casefold(),
        )
        return [r["id"] for r in rows]

    def graph_info(self) -> dict[str, Any] | None:
        """What the meta node records about the loaded graph (source, fingerprint, version, time,
        counts), or None when no mechgraph graph was loaded."""
        rows = self._read(f"MATCH (m:{META_LABEL} {{id: $id}}) RETURN properties(m) AS p", id=META_GRAPH_ID)
        return rows[0]["p"] if rows else None

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
