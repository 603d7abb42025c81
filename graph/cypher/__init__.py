"""Cypher: the embedded engine that runs read-only Cypher on the NetworkX graph, and the named queries.

`engine` gives the rows Neo4j 5 would give for a documented subset of Cypher over the graph as it
is presented in Neo4j (`mechgraph.props`); anything outside the subset fails with a one-line
`QueryError`. `named` finds the `.cypher` files in this folder, which paste straight into Neo4j
Browser. This layer imports `props`, `schema` and `errors` only; running a query on a backend is
the store's job.
"""

from .engine import CypherEngine, run_cypher

__all__ = ["CypherEngine", "run_cypher"]
