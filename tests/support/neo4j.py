"""The real Neo4j servers the tests use: the one NEO4J_URI names, and private ones on free ports."""

from __future__ import annotations

import os
import socket


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (for a private server)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def neo4j_connection():
    """A Connection to the Neo4j server named by NEO4J_URI, or None with the reason."""
    from mechgraph.errors import BackendUnavailable
    from mechgraph.store import Connection

    if not os.environ.get("NEO4J_URI"):
        return None, "NEO4J_URI is not set (scripts/neo4j-local.sh start prints one)"
    conn = Connection.from_env()
    try:
        from mechgraph.store.neo4j_backend import Neo4jBackend

        Neo4jBackend(conn, timeout=5).close()
    except BackendUnavailable as e:
        return None, str(e)
    return conn, ""
