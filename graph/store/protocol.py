"""The one contract both backends implement, the counts they report, and how Neo4j is reached."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import networkx as nx

from ..errors import BackendUnavailable, InputError, MechGraphError

# An edge as the analyses see it: (source id, target id, relation name).
EdgeKey = tuple[str, str, str]


@dataclass
class Stats:
    """Counts of a graph by entity kind and by relation."""

    nodes: int
    edges: int
    by_kind: dict[str, int] = field(default_factory=dict)
    by_relation: dict[str, int] = field(default_factory=dict)
    evidence: int = 0
    references: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "nodes": self.nodes,
            "edges": self.edges,
            "evidence_records": self.evidence,
            "references_cited": self.references,
            "by_kind": dict(sorted(self.by_kind.items())),
            "by_relation": dict(sorted(self.by_relation.items())),
        }


# What the analyses read (analysis/): evidence for its records' support and level: a backend may hand
# them a graph with only these attributes. The parity tests run both analyses on both backends.
ANALYSIS_NODE_ATTRS = ("kind", "name", "phase", "proposals", "results")
ANALYSIS_EDGE_ATTRS = ("relation", "sign", "level", "refs", "evidence", "direction", "context", "chain")


@runtime_checkable
class Backend(Protocol):
    """What mechgraph needs from a graph store. NetworkX and Neo4j both implement it."""

    name: str

    def to_networkx(self) -> nx.MultiDiGraph:
        """The whole graph as a NetworkX MultiDiGraph (edge key = relation)."""

    def analysis_graph(self) -> nx.MultiDiGraph:
        """The graph with at least ANALYSIS_NODE_ATTRS / ANALYSIS_EDGE_ATTRS: enough for `path` and `targets`."""

    def stats(self) -> Stats:
        """Counts by kind and by relation."""

    def entity(self, eid: str) -> dict[str, Any] | None:
        """One entity's attributes, or None."""

    def lookup(self, text: str) -> list[str]:
        """Ids of entities whose id, name, Chinese name or synonym equals `text`, case-insensitively."""

    def name_index(self) -> list[tuple[str, list[str]]]:
        """(id, all names) for every entity: the pool for 'did you mean' suggestions."""

    def edges_of(self, eid: str) -> list[tuple[str, str, str, dict[str, Any]]]:
        """Every edge into or out of an entity as (source, target, relation, attributes)."""

    def cypher(self, text: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[dict[str, Any]]:
        """Run Cypher; read-only unless `write`."""

    def close(self) -> None:
        """Release connections."""


@runtime_checkable
class BoundedBackend(Backend, Protocol):
    """A backend that can fetch part of its graph, chosen on its own server (Neo4j), so that a
    question about a few entities never ships the whole graph. The analyses (mechgraph.analysis
    .bounded), `show` and the pictures' views ask `isinstance(backend, BoundedBackend)` and fetch
    only what they need from one; from any other backend they take the whole graph, which it holds
    anyway. Relations are schema names; `degree_relations` / `degree_skip_kinds` say which edges
    count toward the whole-graph degree each fetched node carries (`mechgraph_degree`)."""

    def subgraph(self, ids: list[str]) -> nx.MultiDiGraph:
        """The entities `ids` with every attribute, and every edge among them."""

    def entity_with_edges(self, eid: str) -> tuple[dict[str, Any],
                                                   list[tuple[str, str, str, dict[str, Any], str]]] | None:
        """One entity and every edge into or out of it as (source, target, relation, attributes,
        name of the other end), in one round trip; None when there is no such entity."""

    def ball(self, starts: list[str], hops: int, *, along: list[str], against: list[str] = (),
             skip_kinds: list[str] = (), reverse: bool = False) -> dict[str, int]:
        """Every entity within `hops` steps of any of `starts`, with its distance in steps."""

    def therapy_chain(self, start: str, relation: str, kinds: list[str], *, reverse: bool = False) -> list[str]:
        """Ids reached from `start` by one or more `relation` steps through entities of `kinds` only."""

    def typical_degree(self, *, degree_relations: list[str], degree_skip_kinds: list[str]) -> float | None:
        """The median positive degree over the whole graph; None when no edge counts."""

    def induced_analysis_graph(self, ids: list[str], *, degree_relations: list[str],
                               degree_skip_kinds: list[str]) -> nx.MultiDiGraph:
        """The entities `ids` and every edge among them, with the attributes `analysis_graph` gives."""

    def grow_analysis_graph(self, g: nx.MultiDiGraph, ids: list[str], *, along: list[str], against: list[str] = (),
                            skip_kinds: list[str] = (), reverse: bool = False, degree_relations: list[str],
                            degree_skip_kinds: list[str]) -> None:
        """Add to `g` the steps out of the entities `ids`, with both ends."""


# URI schemes the Neo4j driver speaks Bolt over; +s / +ssc add TLS (verified / self-signed).
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
DEFAULT_TIMEOUT = 5.0
MAX_TIMEOUT = 3600.0  # the longest --timeout / NEO4J_TIMEOUT (beyond it the driver's clock overflows)
START_HINT = "start one with `scripts/neo4j-local.sh start` or `docker compose up -d --wait`"


@dataclass
class Connection:
    """Neo4j connection settings, named as Neo4j's own tools name them.

    `timeout` bounds, in seconds, both reaching the server (TCP connect and Bolt handshake) and
    its answer to the first query, so a port that accepts connections but never answers fails
    fast instead of hanging for the driver's 60 s default."""

    uri: str = "bolt://localhost:7687"
    user: str = "neo4j"
    password: str = "mechgraph"
    database: str | None = None
    timeout: float = DEFAULT_TIMEOUT

    @classmethod
    def from_env(
        cls,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        timeout: float | None = None,
    ) -> Connection:
        """Settings from the arguments, else NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE, NEO4J_TIMEOUT."""
        if timeout is None:
            raw = os.environ.get("NEO4J_TIMEOUT")
            try:
                timeout = float(raw) if raw else cls.timeout
            except ValueError:
                raise MechGraphError(f"NEO4J_TIMEOUT={raw!r} is not a number of seconds") from None
        if not 0 < timeout <= MAX_TIMEOUT:
            raise InputError(f"the Neo4j timeout must be a positive number of seconds, at most {MAX_TIMEOUT:g}, not "
                             f"{timeout}")
        return cls(
            uri=uri or os.environ.get("NEO4J_URI") or cls.uri,
            user=user or os.environ.get("NEO4J_USER") or os.environ.get("NEO4J_USERNAME") or cls.user,
            password=password or os.environ.get("NEO4J_PASSWORD") or cls.password,
            database=database or os.environ.get("NEO4J_DATABASE") or None,
            timeout=timeout,
        )

    def check_uri(self) -> None:
        """Refuse, in one line, a URI the driver cannot use for Bolt (an http:// one above all).

        The driver would otherwise try its experimental HTTP transport and fail on a missing
        module, or wait for a Bolt answer a web port never gives."""
        scheme, sep, rest = self.uri.partition("://")
        scheme = scheme.lower()
        if not sep or not rest:
            raise BackendUnavailable(
                f"{self.uri!r} is not a Neo4j URI; use bolt://HOST:7687 or neo4j://HOST:7687"
            )
        if scheme in ("http", "https"):
            host = rest.split("/")[0].rsplit(":", 1)[0] or "localhost"
            raise BackendUnavailable(
                f"{self.uri} is Neo4j's HTTP address (the Browser); mechgraph speaks Bolt: "
                f"use bolt://{host}:7687 or neo4j://{host}:7687"
            )
        if scheme not in BOLT_SCHEMES:
            raise BackendUnavailable(
                f"{self.uri}: unknown scheme {scheme + '://'!r}; use bolt:// or neo4j:// "
                f"(+s or +ssc for TLS), e.g. bolt://localhost:7687"
            )
