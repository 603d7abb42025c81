"""Hardening against the real server: hostile names through every command, exports via Neo4j,
and a server killed in the middle of a load."""

from __future__ import annotations

import json
import threading

import networkx as nx
import pytest

from mechgraph.cli import main
from mechgraph.errors import BackendUnavailable
from mechgraph.io import to_node_link
from mechgraph.store import Connection
from mechgraph.store.neo4j_backend import Neo4jBackend
from mechgraph.store.neo4j_load import load_into_neo4j, wait_until_ready
from tests.support.checkout import SEEDS

pytestmark = pytest.mark.neo4j

HOSTILE = ["x'}) DETACH DELETE n //", '"; MATCH (n) DETACH DELETE n', "<img src=x onerror=alert(1)>",
           "n) DETACH DELETE n RETURN (n"]


def node_count(conn: Connection) -> int:
    b = Neo4jBackend(conn)
    try:
        return b.cypher("MATCH (n:Entity) RETURN count(n) AS c")[0]["c"]
    finally:
        b.close()


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_names_through_every_command(loaded_neo4j, neo4j_conn, seed_graph, capsys, tmp_path, hostile):
    conn = ["--backend", "neo4j", "--uri", neo4j_conn.uri]
    commands = [
        ["show", hostile],
        ["path", hostile, "pd1"],
        ["path", "caf", hostile],
        ["effect", hostile],
        ["viz", "-o", str(tmp_path / "v.html"), "--around", hostile],
        ["query", "MATCH (n:Entity) WHERE n.name = $name RETURN n.id AS id", "--param", f"name={hostile}"],
        ["query", "--named", "therapies_for_target", "--param", f"target={hostile}"],
    ]
    for args in commands:
        code = main(conn + args)
        _, err = capsys.readouterr()
        assert code in (0, 1), (args, err)
        assert "Traceback" not in err
    assert node_count(neo4j_conn) == seed_graph.number_of_nodes()


@pytest.mark.parametrize("fmt", ["json", "graphml"])
def test_seed_to_neo4j_to_export_equals_embedded_export(loaded_neo4j, neo4j_conn, capsys, tmp_path, fmt):
    via_neo4j, embedded = tmp_path / f"neo.{fmt}", tmp_path / f"nx.{fmt}"
    assert main(["--backend", "neo4j", "--uri", neo4j_conn.uri, "export", "-o", str(via_neo4j)]) == 0
    assert main(["--seeds", str(SEEDS), "export", "-o", str(embedded)]) == 0
    capsys.readouterr()
    assert via_neo4j.read_bytes() == embedded.read_bytes()


def test_load_from_an_export(neo4j_conn, seed_graph, capsys, tmp_path):
    exported = tmp_path / "g.graphml"
    assert main(["--seeds", str(SEEDS), "export", "-o", str(exported)]) == 0
    assert main(["load", "--backend", "neo4j", "--uri", neo4j_conn.uri, "--from", str(exported), "--replace"]) == 0
    again = tmp_path / "again.json"
    assert main(["--backend", "neo4j", "--uri", neo4j_conn.uri, "export", "-o", str(again)]) == 0
    capsys.readouterr()
    from mechgraph.io import read_graph

    assert to_node_link(read_graph(again)) == to_node_link(seed_graph)


# --- a private server that the test may kill (the `private_server` fixture) --------------------


def test_server_killed_mid_load_keeps_previous_graph_and_recovers(private_server, seed_graph):
    conn, ctl = private_server
    load_into_neo4j(seed_graph, conn, progress=False)
    before = node_count(conn)

    bigger = nx.MultiDiGraph(seed_graph)
    for i in range(3000):
        bigger.add_node(f"extra_{i}", id=f"extra_{i}", name=f"extra {i}", kind="gene", synonyms=[], xrefs=[],
                        axes=[], caveats=[])
    batches = {"n": 0}
    killed = threading.Event()

    def kill_after_a_few(_n: int) -> None:
        batches["n"] += 1
        if batches["n"] == 5 and not killed.is_set():
            killed.set()
            ctl("kill")

    with pytest.raises(BackendUnavailable, match="previous graph is unchanged"):
        load_into_neo4j(bigger, conn, progress=False, replace=True, batch_size=100, on_batch=kill_after_a_few)
    assert killed.is_set()

    ctl("start")
    wait_until_ready(conn, timeout=120)
    assert node_count(conn) == before  # nothing of the cut-off load was committed
    load_into_neo4j(bigger, conn, progress=False, replace=True)  # after the restart the same load succeeds
    assert node_count(conn) == bigger.number_of_nodes()


def test_concurrent_clients_short_run(loaded_neo4j, neo4j_conn):
    """A short version of the load test (benchmarks/loadtest.py): 16 clients, 3 s, bounded; no error, nothing lost."""
    from benchmarks import loadtest

    r = loadtest.run(neo4j_conn, clients=16, seconds=3, max_requests=20_000)
    assert r["errors"] == 0, r["error_samples"]
    assert r["requests"] > 16 and r["nothing_lost"]
    assert all(q["requests"] > 0 for q in r["per_query"].values())


@pytest.mark.parametrize(
    "args",
    [
        ["path", "THBS2+ CAF", "PD-1 antibody", "--json"],
        ["path", "CAF", "catumaxomab", "--k", "8", "--json"],
        ["path", "THBS2+ CAF", "peritoneal metastasis", "--k", "8", "--sign", "+", "--json"],
        ["combine", "nivolumab", "--json"],
        ["combine", "nivolumab", "catumaxomab", "--json"],
        ["targets", "--top", "60", "--json"],
        ["effect", "nivolumab", "--json"],
        ["effect", "catumaxomab", "--on", "malignant ascites", "--json"],
        ["gaps", "--json"],
    ],
)
def test_analysis_commands_answer_the_same_on_both_backends(loaded_neo4j, neo4j_conn, capsys, args):
    outputs = []
    for backend in (["--backend", "networkx"], ["--backend", "neo4j", "--uri", neo4j_conn.uri]):
        assert main(backend + args) == 0
        outputs.append(json.loads(capsys.readouterr().out))
    assert outputs[0] == outputs[1]
    assert any(outputs[0].values())  # a real answer, not two empty ones
