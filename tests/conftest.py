"""Shared fixtures: the real seed graph, small hand-built graphs, and the real Neo4j server."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SCRIPTS = ROOT / "scripts"
if str(SCRIPTS) not in sys.path:  # the benchmark's synthetic-graph generator lives with the benchmark
    sys.path.insert(0, str(SCRIPTS))
IN_CI = os.environ.get("CI", "").lower() == "true"
RUN_SLOW = IN_CI or os.environ.get("MECHGRAPH_SLOW", "") not in ("", "0")


def pytest_collection_modifyitems(config, items):
    """`slow` tests (fuzzing, 10^5-edge graphs) run in CI or with MECHGRAPH_SLOW=1."""
    if RUN_SLOW:
        return
    skip = pytest.mark.skip(reason="slow: set MECHGRAPH_SLOW=1 to run (CI always does)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def seed_graph() -> nx.MultiDiGraph:
    from mechgraph.curation import graph_from_seeds

    return graph_from_seeds(SEEDS)


def ev(ref: str = "1", level: str = "observational_human", support: str = "review_text") -> list[dict]:
    return [{"ref": ref, "doi": f"10.1000/{ref}", "species": "patients", "level": level, "summary": "test evidence", "support": support}]


def small_graph(edges: list[tuple], kinds: dict[str, str] | None = None) -> nx.MultiDiGraph:
    """A MultiDiGraph in the project's shape from (source, relation, target, level[, support]) tuples."""
    from mechgraph import schema

    kinds = kinds or {}
    g = nx.MultiDiGraph(name="test", axes={})
    for u, rel, v, level, *rest in edges:
        support = rest[0] if rest else "review_text"
        for n in (u, v):
            if n not in g:
                g.add_node(n, id=n, name=n.upper(), kind=kinds.get(n, "gene"), synonyms=[], xrefs=[], axes=[], caveats=[])
        sign = schema.SIGN_SYMBOLS[schema.RELATIONS[rel].sign]
        g.add_edge(u, v, key=rel, relation=rel, sign=sign, evidence=ev(level=level, support=support), refs=["1"], level=level,
                   supports=[support])
    return g


def neo4j_connection():
    """A Connection to the Neo4j server named by NEO4J_URI, or None with the reason."""
    from mechgraph.store import Connection
    from mechgraph.errors import BackendUnavailable

    if not os.environ.get("NEO4J_URI"):
        return None, "NEO4J_URI is not set (scripts/neo4j-local.sh start prints one)"
    conn = Connection.from_env()
    try:
        from mechgraph.store.neo4j_backend import Neo4jBackend

        Neo4jBackend(conn, timeout=5).close()
    except BackendUnavailable as e:
        return None, str(e)
    return conn, ""


@pytest.fixture(scope="session")
def neo4j_conn():
    """The real Neo4j server: in CI a missing server fails the test, elsewhere it skips."""
    conn, reason = neo4j_connection()
    if conn is None:
        if IN_CI:
            pytest.fail(f"Neo4j is required in CI: {reason}")
        pytest.skip(f"no Neo4j server: {reason}")
    return conn


@pytest.fixture
def loaded_neo4j(neo4j_conn, seed_graph):
    """Neo4j holding the seed graph, freshly loaded over whatever was there."""
    from mechgraph.store.neo4j_backend import Neo4jBackend
    from mechgraph.store.neo4j_load import load_into_neo4j

    load_into_neo4j(seed_graph, neo4j_conn, progress=False, replace=True)  # whatever an earlier test left
    backend = Neo4jBackend(neo4j_conn)
    yield backend
    backend.close()
