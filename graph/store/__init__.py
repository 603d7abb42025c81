"""Store: where the graph lives, behind one contract.

`protocol` declares the Backend every store implements (and the Neo4j connection settings);
`embedded` holds the graph in a NetworkX MultiDiGraph and needs no server; `neo4j_backend` reads
a real Neo4j server and `neo4j_load` writes one (batched, locked, swapped in atomically);
`factory` is the one place a backend is chosen. `entities` finds entities by any name, and
`queries` runs raw and named Cypher on any backend. No backend imports another; this layer
imports `cypher`, `io`, `curation`, `props`, `schema` and `errors` below it.
"""

from .factory import BACKENDS, embedded_backend, open_backend, source_description, source_graph
from .protocol import Backend, BoundedBackend, Connection, Stats

__all__ = ["BACKENDS", "Backend", "BoundedBackend", "Connection", "Stats", "embedded_backend", "open_backend", "source_description", "source_graph"]
