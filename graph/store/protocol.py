"""The one contract both backends implement, the counts they report, and how Neo4j is reached."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import networkx as nx


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
ANALYSIS_NODE_ATTRS = ("kind", "name", "phase")
ANALYSIS_EDGE_ATTRS = ("relation", "sign", "level", "refs", "evidence", "direction", "context")


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


@dataclass
class Connection:
    """Neo4j connection settings, named as Neo4j's own tools name them."""

    uri: str = "bolt://localhost:7687"
    user: str = "neo4j"
    password: str = "mechgraph"
    database: str | None = None

    @classmethod
    def from_env(cls, uri: str | None = None, user: str | None = None, password: str | None = None) -> "Connection":
        return cls(
            uri=uri or os.environ.get("NEO4J_URI") or cls.uri,
            user=user or os.environ.get("NEO4J_USER") or os.environ.get("NEO4J_USERNAME") or cls.user,
            password=password or os.environ.get("NEO4J_PASSWORD") or cls.password,
            database=os.environ.get("NEO4J_DATABASE") or None,
        )
