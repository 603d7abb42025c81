"""Store: where the graph lives, behind one contract.

`protocol` declares the Backend every store implements, the BoundedBackend a store that can fetch
part of its graph implements too, and the Neo4j connection settings; `embedded` holds the graph in
a NetworkX MultiDiGraph and needs no server; `neo4j_backend` reads a real Neo4j server (a
BoundedBackend) and `neo4j_load` writes one (batched, locked, swapped in atomically), checking
raw queries with `readonly`; `factory` is the one place a backend is chosen, and says what the
one in use came from and holds. `entities` finds entities by any name and describes one, and
`queries` runs raw and named Cypher on any backend. No backend imports another; this layer
imports `cypher`, `io`, `curation`, `edges`, `props`, `schema`, `fsio` and `errors` below it. The
Neo4j modules (and the neo4j driver) are imported only when used: `load_into_neo4j` and
`Neo4jBackend` are looked up on first access.
"""

from __future__ import annotations

import importlib
from typing import Any

from .entities import describe, resolve
from .factory import (
    BACKENDS,
    embedded_backend,
    graph_counts,
    open_backend,
    source_description,
    source_graph,
    source_in_use,
)
from .protocol import MAX_TIMEOUT, Backend, BoundedBackend, Connection, Stats
from .queries import run_named, run_query

_ON_FIRST_USE = {"load_into_neo4j": ".neo4j_load", "Neo4jBackend": ".neo4j_backend"}

__all__ = ["BACKENDS", "MAX_TIMEOUT", "Backend", "BoundedBackend", "Connection", "Neo4jBackend", "Stats", "describe",
           "embedded_backend", "graph_counts", "load_into_neo4j", "open_backend", "resolve", "run_named", "run_query",
           "source_description", "source_graph", "source_in_use"]


def __getattr__(name: str) -> Any:
    """The Neo4j writer and backend, imported on first use (they import the neo4j driver)."""
    if name in _ON_FIRST_USE:
        return getattr(importlib.import_module(_ON_FIRST_USE[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
