"""The Neo4j backend against a real server (NEO4J_URI). CI starts one with scripts/neo4j-local.sh."""

from __future__ import annotations

import threading
from collections.abc import Callable

import networkx as nx
import pytest

from mechgraph.cypher.named import named_queries
from mechgraph.errors import LostLock, QueryError, UnknownEntity
from mechgraph.io import to_node_link
from mechgraph.store.embedded import NetworkXBackend
from mechgraph.store.entities import resolve
from mechgraph.store.neo4j_backend import META_LABEL, Neo4jBackend
from mechgraph.store.neo4j_load import STAGE_LABEL, STAGE_OWNER, load_into_neo4j, release_lock, try_lock
from mechgraph.store.queries import run_named, run_query

pytestmark = pytest.mark.neo4j


def counts(backend: Neo4jBackend) -> tuple[int, int]:
    rows = run_query(backend, "MATCH (n:Entity) OPTIONAL MATCH (n)-[r]->(:Entity) RETURN count(DISTINCT n) AS n, "
                              "count(r) AS r")
    return rows[0]["n"], rows[0]["r"]


def test_load_gives_the_seed_graph_back_property_by_property(loaded_neo4j, seed_graph):
    assert counts(loaded_neo4j) == (seed_graph.number_of_nodes(), seed_graph.number_of_edges())
    assert to_node_link(loaded_neo4j.to_networkx()) == to_node_link(seed_graph)


def test_labels_and_types_come_from_the_schema(loaded_neo4j):
    rows = run_query(loaded_neo4j,
                     "MATCH (n:Entity:CellState {id: 'thbs2_caf'})-[r:POLARIZES]->(m:CellState) RETURN m.id AS m, "
                     "r.refs AS refs, r.dois AS dois")
    assert rows == [{"m": "spp1_tam", "refs": ["19"], "dois": ["10.1136/gutjnl-2024-333617"]}]
    constraints = run_query(loaded_neo4j, "SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names")
    assert "mechgraph_entity_id" in constraints[0]["names"]


def test_loading_twice_gives_identical_counts(neo4j_conn, seed_graph, loaded_neo4j):
    before = counts(loaded_neo4j)
    load_into_neo4j(seed_graph, neo4j_conn, progress=False)
    assert counts(loaded_neo4j) == before


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_query_parity(loaded_neo4j, seed_graph, name):
    examples = {"therapies_for_target": {"target": "PD-1"}, "trials_for_therapy": {"therapy": "PD-1 antibody"},
                "regulators_of_cell": {"cell": "SPP1+ TAM"}, "evidence_by_reference": {"ref": "19"},
                "therapies_upstream_of": {"driver": "CD8+ T cell"}}
    params = examples.get(name, {})
    embedded = run_named(NetworkXBackend(seed_graph), name, params)
    server = run_named(loaded_neo4j, name, params)
    assert embedded, f"{name} should return rows on the seed graph"
    key = lambda r: repr(sorted(r.items()))  # noqa: E731
    assert sorted(server, key=key) == sorted(embedded, key=key)


def test_analyses_agree_across_backends(loaded_neo4j, seed_graph):
    from mechgraph.analysis.combine import combine, escape_routes
    from mechgraph.analysis.effects import therapy_effect
    from mechgraph.analysis.paths import find_paths
    from mechgraph.analysis.targets import rank_targets

    def answers(g):
        return [
            find_paths(g, "thbs2_caf", "pd1_antibody").as_dict(),
            find_paths(g, "thbs2_caf", "peritoneal_metastasis", k=8).as_dict(),
            rank_targets(g, top=None, permutations=20).as_dict(),
            therapy_effect(g, "catumaxomab", "peritoneal_metastasis").as_dict(),
            combine(g, "nivolumab", "catumaxomab").as_dict(),
            escape_routes(g, "nivolumab").as_dict(),
        ]

    want = answers(seed_graph)
    assert want[0]["paths"] and want[1]["paths"] and want[2]["targets"]
    for g in (loaded_neo4j.to_networkx(), loaded_neo4j.analysis_graph()):
        assert answers(g) == want


def test_analysis_graph_is_the_projection_of_the_whole_graph(loaded_neo4j, seed_graph):
    from mechgraph.store.protocol import ANALYSIS_EDGE_ATTRS, ANALYSIS_NODE_ATTRS

    light = loaded_neo4j.analysis_graph()
    assert dict(light.nodes(data=True)) == {
        n: {k: a[k] for k in ANALYSIS_NODE_ATTRS if k in a} for n, a in seed_graph.nodes(data=True)
    }
    assert sorted(light.edges(keys=True, data=True)) == sorted(
        (u, v, k, {x: a[x] for x in ANALYSIS_EDGE_ATTRS if x in a}) for u, v, k,
        a in seed_graph.edges(keys=True, data=True)
    )


def test_resolution_and_lookup_match(loaded_neo4j):
    assert resolve(loaded_neo4j, "卡妥索单抗") == "catumaxomab"
    assert resolve(loaded_neo4j, "thbs2+ caf") == "thbs2_caf"
    with pytest.raises(UnknownEntity):
        resolve(loaded_neo4j, "x'}) DETACH DELETE n //")


@pytest.mark.parametrize("query", ["MATCH (n) DETACH DELETE n", "CREATE (x:Scratch {id: 1})",
                                   "MATCH (n:Entity) SET n.name = 'x'"])
def test_write_queries_are_refused_without_write(loaded_neo4j, seed_graph, query):
    with pytest.raises(QueryError, match="--write"):
        run_query(loaded_neo4j, query)
    assert counts(loaded_neo4j) == (seed_graph.number_of_nodes(), seed_graph.number_of_edges())


def test_read_transaction_refuses_writes_even_past_the_check(loaded_neo4j):
    # Bypass the EXPLAIN check: the session itself is read-only.
    with loaded_neo4j._session() as s:
        with pytest.raises(Exception) as e:
            s.execute_read(lambda tx: tx.run("CREATE (x:Scratch)").consume())
    assert "read" in str(e.value).lower() or "access" in str(e.value).lower()
    assert run_query(loaded_neo4j, "MATCH (x:Scratch) RETURN count(x) AS c") == [{"c": 0}]


def test_write_with_flag(loaded_neo4j):
    run_query(loaded_neo4j, "CREATE (x:Scratch {tag: $t})", {"t": "w"}, write=True)
    assert run_query(loaded_neo4j, "MATCH (x:Scratch {tag: 'w'}) RETURN count(x) AS c") == [{"c": 1}]
    run_query(loaded_neo4j, "MATCH (x:Scratch) DELETE x", write=True)


def test_syntax_error_is_one_line(loaded_neo4j):
    with pytest.raises(QueryError) as e:
        run_query(loaded_neo4j, "MATCH (n RETURN n")
    assert str(e.value).startswith("Cypher syntax error") and "\n" not in str(e.value)


@pytest.mark.parametrize("hostile", ["x'}) DETACH DELETE n //", '"; MATCH (n) DETACH DELETE n',
                                     "') MATCH (n) DETACH DELETE n //"])
def test_injection_through_parameters_changes_nothing(loaded_neo4j, seed_graph, hostile):
    assert run_query(loaded_neo4j, "MATCH (n:Entity {id: $id}) RETURN n.id AS id", {"id": hostile}) == []
    with pytest.raises((UnknownEntity, QueryError)):
        run_named(loaded_neo4j, "therapies_for_target", {"target": hostile})
    assert loaded_neo4j.lookup(hostile) == []
    assert counts(loaded_neo4j) == (seed_graph.number_of_nodes(), seed_graph.number_of_edges())


def test_failed_load_leaves_the_previous_graph(neo4j_conn, seed_graph, loaded_neo4j):
    before = to_node_link(loaded_neo4j.to_networkx())
    other = nx.MultiDiGraph(seed_graph)
    other.remove_node("catumaxomab")

    def die(_n: int) -> None:
        raise RuntimeError("cut off")

    with pytest.raises(RuntimeError):
        load_into_neo4j(other, neo4j_conn, progress=False, replace=True, batch_size=10, on_batch=die)
    assert to_node_link(loaded_neo4j.to_networkx()) == before


def test_concurrent_loads_do_not_interleave(neo4j_conn, seed_graph, loaded_neo4j):
    def without(kind: str) -> nx.MultiDiGraph:
        sub = nx.MultiDiGraph(seed_graph.subgraph([n for n in seed_graph if seed_graph.nodes[n]["kind"] != kind]))
        sub.graph.update(seed_graph.graph)
        return sub

    graphs = [seed_graph, without("publication"), without("clinical_trial")]
    errors: list[Exception] = []
    start = threading.Barrier(len(graphs))

    def go(g):
        try:
            start.wait()
            load_into_neo4j(g, neo4j_conn, progress=False, replace=True, batch_size=20)
        except Exception as e:  # noqa: BLE001 - collected and checked below
            errors.append(e)

    threads = [threading.Thread(target=go, args=(g,)) for g in graphs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    assert not errors, errors
    ids = {r["id"] for r in run_query(loaded_neo4j, "MATCH (n:Entity) RETURN n.id AS id")}
    assert ids in [set(g) for g in graphs]
    winner = next(g for g in graphs if set(g) == ids)
    assert counts(loaded_neo4j) == (winner.number_of_nodes(), winner.number_of_edges())


def test_only_one_of_many_racing_loaders_takes_the_lock(neo4j_conn, loaded_neo4j):
    """Regression: the lock used to read "free" before writing, so two loaders could both win."""
    racers = 8
    for round_ in range(5):
        start = threading.Barrier(racers)
        won: list[str] = []

        def race(owner: str, start: threading.Barrier = start, won: list[str] = won) -> None:
            with loaded_neo4j.driver.session(database=neo4j_conn.database) as s:
                start.wait()
                if try_lock(s, owner):
                    won.append(owner)

        threads = [threading.Thread(target=race, args=(f"racer-{round_}-{i}",)) for i in range(racers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert len(won) == 1, won
        with loaded_neo4j.driver.session(database=neo4j_conn.database) as s:
            release_lock(s, won[0])


def _stage_intruder(driver, database, *, take_lock: bool) -> Callable[[int], None]:
    """An on_batch hook that, once, plays another load: stages a node with a taken id, maybe takes the lock."""
    done: list[bool] = []

    def intrude(_n: int) -> None:
        if done:
            return
        done.append(True)
        with driver.session(database=database) as s:
            s.run(
                f"CREATE (:{STAGE_LABEL} {{id: 'fibroblast', kind: 'cell_type', {STAGE_OWNER}: 'intruder'}})"
            ).consume()
            if take_lock:
                s.run(
                    f"MATCH (m:{META_LABEL} {{id: 'lock'}}) SET m.owner = 'intruder', m.expires = timestamp() + 60000"
                ).consume()

    return intrude


def _staged(backend) -> list[dict]:
    return run_query(backend, f"MATCH (n:{STAGE_LABEL}) RETURN n.id AS id, n.{STAGE_OWNER} AS owner ORDER BY owner")


def _clear_intruder(driver, database) -> None:
    with driver.session(database=database) as s:
        s.run(f"MATCH (n:{STAGE_LABEL}) DETACH DELETE n").consume()
        release_lock(s, "intruder")


def test_a_load_publishes_only_what_it_staged(neo4j_conn, seed_graph, loaded_neo4j):
    """Staged nodes of another load (same ids, written mid-load) are neither linked nor published."""
    driver = loaded_neo4j.driver
    try:
        load_into_neo4j(seed_graph, neo4j_conn, progress=False, batch_size=50,
                   on_batch=_stage_intruder(driver, neo4j_conn.database, take_lock=False))
        assert counts(loaded_neo4j) == (seed_graph.number_of_nodes(), seed_graph.number_of_edges())
        assert _staged(loaded_neo4j) == [{"id": "fibroblast", "owner": "intruder"}]
    finally:
        _clear_intruder(driver, neo4j_conn.database)


def test_a_load_that_lost_its_lock_publishes_nothing_and_removes_only_its_own_work(neo4j_conn, seed_graph,
                                                                                   loaded_neo4j):
    before = to_node_link(loaded_neo4j.to_networkx())
    driver = loaded_neo4j.driver
    try:
        with pytest.raises(LostLock):
            load_into_neo4j(seed_graph, neo4j_conn, progress=False, batch_size=50,
                       on_batch=_stage_intruder(driver, neo4j_conn.database, take_lock=True))
        assert _staged(loaded_neo4j) == [{"id": "fibroblast", "owner": "intruder"}]
        assert to_node_link(loaded_neo4j.to_networkx()) == before
    finally:
        _clear_intruder(driver, neo4j_conn.database)
