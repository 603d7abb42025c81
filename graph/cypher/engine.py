"""Former home of the embedded Cypher engine, kept so existing imports work; see `mechgraph.cypher`."""

from ..errors import QueryError
from .executor import CypherEngine, run_cypher

__all__ = ["CypherEngine", "run_cypher", "QueryError"]
