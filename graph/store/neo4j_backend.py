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
from ..cypher.temporal import from_driver, to_driver
from ..errors import BackendUnavailable, QueryError
from ..io.neo4j_layout import META_GRAPH_ID, META_LABEL, NAME_LABEL
from . import readonly
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
        return (f"cannot reach Neo4j at {uri}: connection refused, nothing listens there; {START_HINT}, or point "
                "NEO4J_URI / --uri at a running server")
    if answered or any(w in detail.lower() for w in ("handshake", "timed out", "deadline", "defunct")):
        return _silent(uri, limit)
    return (f"cannot reach Neo4j at {uri} within {limit:g} s ({detail}); {START_HINT}, or point NEO4J_URI / --uri at "
            "a running server")


def _silent(uri: str, limit: float) -> str:
    return (f"cannot reach Neo4j at {uri}: it accepted the connection but gave no Neo4j answer within {limit:g} s (a "
            "server still starting, "
            f"or not Neo4j's Bolt port); {START_HINT}, or raise --timeout / NEO4J_TIMEOUT")


def _one_line(e: Exception) -> str:
    msg = getattr(e, "message", None) or str(e) or type(e).__name__
    return " ".join(str(msg).split())[:300]


class Neo4jBackend:
    """Backend over a Neo4j server reached with the official driver."""

    name = "neo4j"
    # rows, nodes and edges the bounded fetches below have returned since this was last None:
    # what shows that an analysis did not download the graph
    fetched: dict[str, int] | None = None

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
                raise BackendUnavailable(f"{where} refused the credentials for user {conn.user!r}: "
                                         f"{_one_line(e)}") from None
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
            raise BackendUnavailable("'system' is Neo4j's own administration database; choose a graph database such "
                                     "as 'neo4j'")
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
                f"Neo4j at {self.conn.uri} has no database {name!r} (it has: "
                f"{', '.join(self._databases()) or 'unknown'}); "
                "Neo4j Community has only 'neo4j' and 'system', Enterprise creates more with CREATE DATABASE"
            )
        raise error

    def _databases(self) -> list[str]:
        """The names of the server's graph databases, for messages; empty when it will not say."""
        try:
            with self.driver.session(database="system") as s:
                rows = s.run("SHOW DATABASES YIELD name, type WHERE type <> 'system' RETURN DISTINCT name ORDER BY "
                             "name").data()
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
        meta = self._read(f"MATCH (m:{META_LABEL} {{id: $id}}) RETURN m.name AS name, m.axes_json AS axes",
                          id=META_GRAPH_ID)
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

    def subgraph(self, ids: list[str]) -> nx.MultiDiGraph:
        """The entities `ids` with every attribute, and every edge among them: what a picture of a
        neighbourhood or of paths needs, fetched without the rest of the graph."""
        meta = self._read(f"MATCH (m:{META_LABEL} {{id: $id}}) RETURN m.name AS name, m.axes_json AS axes",
                          id=META_GRAPH_ID)
        g = nx.MultiDiGraph()
        if meta:
            import json

            g.graph["name"] = meta[0]["name"] or "mechgraph"
            g.graph["axes"] = json.loads(meta[0]["axes"] or "{}")
        rows = self._read("MATCH (n:Entity) WHERE n.id IN $ids RETURN properties(n) AS p ORDER BY n.id", ids=list(ids))
        for row in rows:
            g.add_node(row["p"]["id"], **props.from_properties(row["p"]))
        edges = self._read(
            "MATCH (a:Entity)-[r]->(b:Entity) WHERE a.id IN $ids AND b.id IN $ids "
            "RETURN a.id AS s, b.id AS t, properties(r) AS p ORDER BY s, t, r.relation",
            ids=list(ids),
        )
        self._count_fetch(len(rows) + len(edges), len(rows), len(edges))
        for row in edges:
            p = props.from_properties(row["p"], edge=True)
            g.add_edge(row["s"], row["t"], key=p["relation"], **p)
        return g

    def analysis_graph(self) -> nx.MultiDiGraph:
        """Only the attributes path search and target ranking read: at 10^5 edges this fetch is
        a fraction of `to_networkx`, which also ships every evidence record."""
        from .protocol import ANALYSIS_EDGE_ATTRS, ANALYSIS_NODE_ATTRS

        g = nx.MultiDiGraph()
        node_keys = props.stored_names(ANALYSIS_NODE_ATTRS)
        for row in self._read("MATCH (n:Entity) RETURN n.id AS id, [k IN $keys | n[k]] AS v ORDER BY id",
                              keys=node_keys):
            given = {k: v for k, v in zip(node_keys, row["v"], strict=True) if v is not None}
            g.add_node(row["id"], **props.from_properties(given))
        stored = [props.stored_name(k) for k in ANALYSIS_EDGE_ATTRS]
        for row in self._read(
            "MATCH (a:Entity)-[r]->(b:Entity) RETURN a.id AS s, b.id AS t, [k IN $keys | r[k]] AS v ORDER BY s, t, "
            "r.relation",
            keys=stored,
        ):
            a = props.from_properties({k: v for k, v in zip(stored, row["v"], strict=True) if v is not None}, edge=True)
            g.add_edge(row["s"], row["t"], key=a["relation"], **a)
        return g

    def stats(self) -> Stats:
        kinds = {r["k"]: r["c"] for r in self._read("MATCH (n:Entity) RETURN n.kind AS k, count(*) AS c")}
        rels = {r["k"]: r["c"]
                for r in self._read("MATCH (:Entity)-[r]->(:Entity) RETURN r.relation AS k, count(*) AS c")}
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
            "RETURN k.entity AS id } RETURN id ORDER BY id",
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

    def entity_with_edges(self, eid: str) -> tuple[dict[str, Any],
                                                   list[tuple[str, str, str, dict[str, Any], str]]] | None:
        """One entity, every edge into or out of it as (source, target, relation, attributes,
        name of the other end), in one query (`show`); None when there is no such entity."""
        rows = self._read(
            "MATCH (n:Entity {id: $id}) OPTIONAL MATCH (n)-[r]-(m:Entity) "
            "RETURN properties(n) AS p, collect(CASE WHEN r IS NULL THEN null ELSE "
            "{s: startNode(r).id, t: endNode(r).id, p: properties(r), name: coalesce(m.name, m.id)} END) AS edges",
            id=eid,
        )
        if not rows:
            return None
        entity = props.from_properties(dict(rows[0]["p"]))  # name lookup lives off :Entity (neo4j_layout)
        edges = []
        for e in rows[0]["edges"]:
            p = props.from_properties(e["p"], edge=True)
            edges.append((e["s"], e["t"], p["relation"], p, e["name"]))
        return entity, edges

    # --- bounded fetches: the part of the graph one analysis needs, chosen on the server -------
    def _count_fetch(self, rows: int, nodes: int = 0, edges: int = 0) -> None:
        if self.fetched is None:
            self.fetched = {"rows": 0, "nodes": 0, "edges": 0}
        fetched = self.fetched
        fetched["rows"] += rows
        fetched["nodes"] += nodes
        fetched["edges"] += edges

    def ball(
        self,
        starts: list[str],
        hops: int,
        *,
        along: list[str],
        against: list[str] = (),
        skip_kinds: list[str] = (),
        reverse: bool = False,
    ) -> dict[str, int]:
        """Every entity within `hops` steps of any of `starts`, with its distance in steps (a
        breadth-first search run on the server, one query per step, returning only the new
        frontier). A step follows a relation of `along` from its source to its target and one
        of `against` from its target to its source (`reverse` turns both round); entities of
        `skip_kinds` are never entered. Relations are schema names."""
        out_types, in_types = _rel_types(along), _rel_types(against)
        if reverse:
            out_types, in_types = in_types, out_types
        parts = []
        if out_types:
            parts.append(f"UNWIND $frontier AS id MATCH (:Entity {{id: id}})-[:{out_types}]->(b:Entity) "
                         "WHERE NOT coalesce(b.kind, '') IN $skip RETURN DISTINCT b.id AS id")
        if in_types:
            parts.append(f"UNWIND $frontier AS id MATCH (:Entity {{id: id}})<-[:{in_types}]-(b:Entity) "
                         "WHERE NOT coalesce(b.kind, '') IN $skip RETURN DISTINCT b.id AS id")
        text = " UNION ".join(parts)
        dist = {x: 0 for x in starts}
        frontier = list(dist)
        for step in range(1, hops + 1):
            if not frontier or not text:
                break
            rows = self._read(text, frontier=frontier, skip=list(skip_kinds))
            self._count_fetch(len(rows))
            frontier = [r["id"] for r in rows if r["id"] not in dist]
            for x in frontier:
                dist[x] = step
        return dist

    def therapy_chain(self, start: str, relation: str, kinds: list[str], *, reverse: bool = False) -> list[str]:
        """Ids reached from `start` by one or more `relation` steps through entities of `kinds`
        only (a therapy's classes, transitively; with `reverse`, its members)."""
        arrow = ("<-[:{}*1..]-" if reverse else "-[:{}*1..]->").format(_rel_types([relation]))
        rows = self._read(
            f"MATCH p = (:Entity {{id: $id}}){arrow}(c:Entity) "
            "WHERE all(x IN nodes(p) WHERE x.kind IN $kinds) RETURN DISTINCT c.id AS id ORDER BY id",
            id=start, kinds=list(kinds),
        )
        self._count_fetch(len(rows))
        return [r["id"] for r in rows]

    def typical_degree(self, *, degree_relations: list[str], degree_skip_kinds: list[str]) -> float | None:
        """The median of the positive degrees over the whole graph, counting edges of a relation in
        `degree_relations` with neither end of a kind in `degree_skip_kinds`; None when there are
        none. Computed on the server: one number comes back."""
        types = _rel_types(degree_relations)
        if not types:
            return None
        rows = self._read(
            f"MATCH (a:Entity)-[:{types}]->(b:Entity) "
            "WHERE NOT coalesce(a.kind, '') IN $skip AND NOT coalesce(b.kind, '') IN $skip "
            "UNWIND [a.id, b.id] AS id WITH id, count(*) AS d WITH d ORDER BY d WITH collect(d) AS ds "
            "RETURN CASE WHEN size(ds) = 0 THEN null WHEN size(ds) % 2 = 1 THEN toFloat(ds[size(ds) / 2]) "
            "ELSE (ds[size(ds) / 2 - 1] + ds[size(ds) / 2]) / 2.0 END AS median",
            skip=list(degree_skip_kinds),
        )
        self._count_fetch(1)
        return rows[0]["median"]

    def _analysis_nodes(self, ids: list[str], degree_relations: list[str],
                        degree_skip_kinds: list[str]) -> list[dict[str, Any]]:
        """(id, ANALYSIS_NODE_ATTRS, whole-graph degree) of each entity of `ids`."""
        from .protocol import ANALYSIS_NODE_ATTRS

        types = _rel_types(degree_relations)
        degree = (
            "CASE WHEN coalesce(n.kind, '') IN $skip THEN 0 ELSE "
            f"COUNT {{ (n)-[:{types}]->(m:Entity) WHERE NOT coalesce(m.kind, '') IN $skip }} + "
            f"COUNT {{ (n)<-[:{types}]-(m:Entity) WHERE NOT coalesce(m.kind, '') IN $skip }} END"
        ) if types else "0"
        node_keys = props.stored_names(ANALYSIS_NODE_ATTRS)
        rows = self._read(
            f"UNWIND $ids AS id MATCH (n:Entity {{id: id}}) RETURN n.id AS id, [k IN $keys | n[k]] AS v, {degree} AS "
            "degree "
            "ORDER BY id",
            ids=sorted(set(ids)), keys=node_keys, skip=list(degree_skip_kinds),
        )
        self._count_fetch(len(rows), len(rows))
        out = []
        for row in rows:
            attrs = props.from_properties({k: v for k, v in zip(node_keys, row["v"], strict=True) if v is not None})
            out.append({"id": row["id"], "mechgraph_degree": row["degree"], **attrs})
        return out

    def _add_edges(self, g: nx.MultiDiGraph, text: str, **params: Any) -> int:
        from .protocol import ANALYSIS_EDGE_ATTRS

        stored = [props.stored_name(k) for k in ANALYSIS_EDGE_ATTRS]
        rows = self._read(text, keys=stored, **params)
        for row in rows:
            a = props.from_properties({k: v for k, v in zip(stored, row["v"], strict=True) if v is not None}, edge=True)
            g.add_edge(row["s"], row["t"], key=a["relation"], **a)
        self._count_fetch(len(rows), 0, len(rows))
        return len(rows)

    def induced_analysis_graph(
        self, ids: list[str], *, degree_relations: list[str], degree_skip_kinds: list[str]
    ) -> nx.MultiDiGraph:
        """The entities `ids` and every edge among them, with the attributes `analysis_graph`
        gives (ANALYSIS_NODE_ATTRS / ANALYSIS_EDGE_ATTRS). So that the analyses weigh hubs as
        on the whole graph, each node carries `mechgraph_degree`, its number of edges in the
        whole graph of a relation in `degree_relations` with neither end of a kind in
        `degree_skip_kinds` (counted on the server), and the graph carries `typical_degree`
        (see `typical_degree`; 1.0 when there is none)."""
        g = nx.MultiDiGraph()
        median = self.typical_degree(degree_relations=degree_relations, degree_skip_kinds=degree_skip_kinds)
        g.graph["typical_degree"] = median if median is not None else 1.0
        ids = sorted(set(ids))
        for n in self._analysis_nodes(ids, degree_relations, degree_skip_kinds):
            g.add_node(n.pop("id"), **n)
        self._add_edges(
            g,
            "UNWIND $ids AS id MATCH (a:Entity {id: id})-[r]->(b:Entity) WHERE b.id IN $ids "
            "RETURN a.id AS s, b.id AS t, [k IN $keys | r[k]] AS v ORDER BY s, t, r.relation",
            ids=ids,
        )
        return g

    def grow_analysis_graph(
        self,
        g: nx.MultiDiGraph,
        ids: list[str],
        *,
        along: list[str],
        against: list[str] = (),
        skip_kinds: list[str] = (),
        reverse: bool = False,
        degree_relations: list[str],
        degree_skip_kinds: list[str],
    ) -> None:
        """Add to `g` the steps out of the entities `ids` (as `ball` defines a step: relations of
        `along` from source to target, of `against` from target to source; `reverse` turns both
        round) whose other end is not of a kind in `skip_kinds`, with both ends (attributes as in
        `induced_analysis_graph`, whole-graph degrees included). Lets an analysis explore the
        graph a ring at a time, fetching only what it expands."""
        out_types, in_types = _rel_types(along), _rel_types(against)
        if reverse:
            out_types, in_types = in_types, out_types
        ids = sorted(set(ids))
        before = set(g)
        for types, arrow in ((out_types, "-[r:{}]->"), (in_types, "<-[r:{}]-")):
            if types:
                self._add_edges(
                    g,
                    f"UNWIND $ids AS id MATCH (n:Entity {{id: id}}){arrow.format(types)}(m:Entity) "
                    "WHERE NOT coalesce(m.kind, '') IN $skip "
                    "RETURN startNode(r).id AS s, endNode(r).id AS t, [k IN $keys | r[k]] AS v ORDER BY s, t, "
                    "r.relation",
                    ids=ids, skip=list(skip_kinds),
                )
        new = sorted((set(g) - before) | {n for n in ids if "mechgraph_degree" not in g.nodes.get(n, {})})
        for n in self._analysis_nodes(new, degree_relations, degree_skip_kinds):
            g.add_node(n.pop("id"), **n)

    def cypher(self, text: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[dict[str, Any]]:
        params = to_driver(params or {})
        try:
            with self._session(write=write) as s:
                if not write:  # three layers, see mechgraph.store.readonly
                    summary = s.run("EXPLAIN " + text, params).consume()
                    why = readonly.by_query_type(summary.query_type, summary.plan) or readonly.refusal(
                        summary.plan, lambda name: self._procedure_modes(s).get(name))
                    if why:
                        raise QueryError(why)
                    return s.execute_read(lambda tx: [_row(r) for r in tx.run(text, params)])
                return s.execute_write(lambda tx: [_row(r) for r in tx.run(text, params)])
        except neo4j_errors.CypherSyntaxError as e:
            raise QueryError(f"Cypher syntax error: {_one_line(e)}") from None
        except neo4j_errors.ServiceUnavailable as e:
            raise BackendUnavailable(f"lost the connection to Neo4j at {self.conn.uri}: {_one_line(e)}") from None
        except neo4j_errors.Neo4jError as e:
            code = getattr(e, "code", "") or ""
            if "AccessMode" in code or "ForbiddenOnReadOnly" in code:
                raise QueryError("this query writes to the database; mechgraph runs queries read-only unless you pass "
                                 "--write") from None
            raise QueryError(_one_line(e)) from None


    def _procedure_modes(self, session) -> dict[str, str]:
        """Each procedure's mode (READ, WRITE, SCHEMA, DBMS) as the server declares it, asked once."""
        if getattr(self, "_modes", None) is None:
            self._modes = {r["name"]: r["mode"]
                           for r in session.run("SHOW PROCEDURES YIELD name, mode RETURN name, mode")}
        return self._modes


def _rel_types(relations) -> str:
    """`A|B|C`: the Neo4j relationship types of schema relations, for a pattern (never user text)."""
    try:
        return "|".join(sorted({props.rel_type(r) for r in relations}))
    except KeyError as e:
        raise QueryError(f"unknown relation {e.args[0]!r}") from None


def _plain(v: Any) -> Any:
    """A driver value as the embedded engine returns it: a node or relationship as its property
    dict, a path as the list [node, relationship, node, ...] of property dicts, lists and maps
    converted item by item. (The driver's own `Record.data()` turns a relationship into a
    (start, type, end) tuple and drops its properties.)"""
    if isinstance(v, (neo4j.graph.Node, neo4j.graph.Relationship)):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, neo4j.graph.Path):
        out = [_plain(v.start_node)]
        for rel, node in zip(v.relationships, v.nodes[1:], strict=True):
            out += [_plain(rel), _plain(node)]
        return out
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if type(v).__module__.startswith("neo4j.time"):  # as the embedded engine's values (a Duration is a tuple too)
        return from_driver(v)
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v


def _row(record: Any) -> dict[str, Any]:
    """One result record as a dict of plain values, keyed by column name."""
    return {k: _plain(v) for k, v in record.items()}
