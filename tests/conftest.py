"""Shared fixtures: the real seed graph, the real Neo4j server (NEO4J_URI), and a private one a test may kill.

What the tests share besides fixtures (paths, hand-built graphs, synthetic graphs, the browser)
lives in `tests.support`.
"""

from __future__ import annotations

import os
import subprocess

import networkx as nx
import pytest

from tests.support.checkout import IN_CI, ROOT, RUN_SLOW, SEEDS
from tests.support.neo4j import free_port, neo4j_connection

# modules whose tests build on each other: the README's examples (an example uses the files an
# earlier one wrote) and the fault suite (its last test reports the tally over the module)
IN_ORDER = ("tests/test_readme.py", "tests/test_faults.py")


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the xdist_group marks
def pytest_collection_modifyitems(config, items):
    """`slow` tests (fuzzing, 10^5-edge graphs) run in CI or with MECHGRAPH_SLOW=1. Tests that share
    state beyond one test run on one pytest-xdist worker, in order (`--dist loadgroup`): those using
    the one Neo4j database, and the modules in IN_ORDER."""
    skip = pytest.mark.skip(reason="slow: set MECHGRAPH_SLOW=1 to run (CI always does)")
    for item in items:
        if "slow" in item.keywords and not RUN_SLOW:
            item.add_marker(skip)
        if ("neo4j" in item.keywords or "neo4j_conn" in getattr(item, "fixturenames", ())
                or item.nodeid.split("::")[0] in IN_ORDER):
            item.add_marker(pytest.mark.xdist_group("shared-state"))


@pytest.fixture(scope="session")
def seed_graph() -> nx.MultiDiGraph:
    from mechgraph.curation import graph_from_seeds

    return graph_from_seeds(SEEDS)


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


@pytest.fixture
def private_server(tmp_path, neo4j_conn):
    """A Neo4j of our own (scripts/neo4j-local.sh) on a free port, so killing it harms no one.

    Asks for `neo4j_conn` so that it runs only where Neo4j tests are enabled (NEO4J_URI set).
    """
    from mechgraph.store import Connection

    script = ROOT / "scripts" / "neo4j-local.sh"
    env = {**os.environ, "NEO4J_BOLT_PORT": str(free_port()), "MECHGRAPH_NEO4J_HOME": str(tmp_path / "neo4j"),
           "NEO4J_HEAP": "1g"}

    def ctl(cmd: str) -> str:
        proc = subprocess.run(["bash", str(script), cmd], env=env, capture_output=True, text=True, timeout=400)
        if proc.returncode != 0 and cmd == "start":
            msg = f"cannot start a private Neo4j: {proc.stderr.strip()[-500:]}"
            if IN_CI:
                pytest.fail(msg)
            pytest.skip(msg)
        return proc.stdout.strip()

    uri = ctl("start")
    yield Connection(uri=uri), ctl
    ctl("stop")
