"""What a load records and what it refuses to overwrite; name lookup off the entity nodes.

The tests marked `neo4j` run against the real server (NEO4J_URI) and may empty its database:
the `loaded_neo4j` fixture loads the seed graph over whatever they leave.
"""

from __future__ import annotations

import networkx as nx
import pytest

from mechgraph import __version__
from mechgraph.cli import main
from mechgraph.errors import OtherGraphPresent
from mechgraph.io import read_graph, to_node_link
from mechgraph.io.neo4j_layout import NAME_LABEL, describe_meta, fingerprint, name_rows
from mechgraph.store.embedded import NetworkXBackend
from mechgraph.store.neo4j_load import Contents, load_into_neo4j, refusal
from mechgraph.store.queries import run_query
from tests.support.checkout import SEEDS
from tests.support.graphs import small_graph

neo4j = pytest.mark.neo4j


# --- without a server -----------------------------------------------------------------------


def test_fingerprint_is_the_graph_not_the_file(seed_graph, tmp_path):
    assert main(["--seeds", str(SEEDS), "export", "-o", str(tmp_path / "g.json")]) == 0
    assert main(["--seeds", str(SEEDS), "export", "-o", str(tmp_path / "g.graphml")]) == 0
    fp = fingerprint(seed_graph)
    assert len(fp) == 64
    assert fingerprint(read_graph(tmp_path / "g.json")) == fp
    assert fingerprint(read_graph(tmp_path / "g.graphml")) == fp
    edited = nx.MultiDiGraph(seed_graph)
    edited.nodes["caf"]["description"] = "edited"
    assert fingerprint(edited) != fp


def test_fingerprint_is_the_sha256_of_the_canonical_node_link_json(seed_graph):
    import hashlib
    import json

    for g in (seed_graph, small_graph([("a", "promotes", "b", "in_vitro")])):
        text = json.dumps(to_node_link(g), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        assert fingerprint(g) == hashlib.sha256(text.encode("utf-8")).hexdigest()  # hashed in slices, same digest


def test_name_rows_are_every_casefolded_name_once():
    g = small_graph([("a", "promotes", "b", "in_vitro")])
    g.nodes["a"].update(name="Alpha", name_zh="阿尔法", synonyms=["ALPHA", "α-1"])
    g.add_node("MixedCase", id="MixedCase", name="MixedCase", kind="gene")
    assert sorted((r["key"], r["entity"]) for r in name_rows(g)) == [
        ("alpha", "a"), ("mixedcase", "MixedCase"), ("α-1", "a"), ("阿尔法", "a"),
    ]  # an id that is its own casefolded key needs no name node: the :Entity(id) index finds it


def test_refusal_says_what_is_there_and_allows_the_same_graph():
    meta = {"fingerprint": "ab" * 32, "source": "seeds /data/seeds", "version": "0.2.0",
            "loaded_at": "2026-11-01T10:00:00Z", "nodes": 211, "edges": 396}
    there = Contents(meta=meta, entities=211, foreign=0)
    assert refusal(there, "ab" * 32, "seeds /x", "Neo4j at bolt://h:7687") is None
    why = refusal(there, "cd" * 32, "file /tmp/g.json", "Neo4j at bolt://h:7687")
    for part in ("bolt://h:7687", "seeds /data/seeds", "abababababab", "mechgraph 0.2.0", "2026-11-01T10:00:00Z",
                 "211 entities, 396 edges", "file /tmp/g.json", "cdcdcdcdcdcd", "--replace"):
        assert part in why
    assert refusal(Contents(meta=None, entities=0, foreign=0), "cd" * 32, "s", "w") is None
    assert "3 nodes that mechgraph did not write (labels Person)" in refusal(
        Contents(meta=None, entities=0, foreign=3, foreign_labels=["Person"]), "cd" * 32, "s", "w")
    assert "1 :Entity node with no record" in refusal(Contents(meta=None, entities=1, foreign=0), "cd" * 32, "s", "w")


# --- against the server ---------------------------------------------------------------------


def wipe(backend) -> None:
    """Empty the database (auto-commit batches; the seed graph is small)."""
    with backend.driver.session(database=backend.conn.database) as s:
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()


def graph_of(backend) -> dict:
    return to_node_link(backend.to_networkx())


@neo4j
def test_entity_nodes_carry_only_the_graphs_properties(loaded_neo4j, seed_graph):
    embedded = NetworkXBackend(seed_graph)
    for eid in ("caf", "catumaxomab", "pd1"):
        query = "MATCH (n:Entity {id: $id}) RETURN n, keys(n) AS keys"
        [on_neo4j], [on_nx] = run_query(loaded_neo4j, query, {"id": eid}), run_query(embedded, query, {"id": eid})
        assert on_neo4j["n"] == on_nx["n"]
        assert sorted(on_neo4j["keys"]) == sorted(on_nx["keys"])
        assert not any("names" in k or k.startswith("stage") for k in on_neo4j["keys"])


@neo4j
def test_every_name_of_every_entity_resolves_as_on_the_embedded_backend(loaded_neo4j, seed_graph):
    embedded = NetworkXBackend(seed_graph)
    names = {name for _, all_names in embedded.name_index() for name in all_names}
    assert len(names) > 400
    for name in sorted(names):
        assert loaded_neo4j.lookup(name) == embedded.lookup(name), name
    assert loaded_neo4j.lookup(" THBS2+ caf ") == ["thbs2_caf"]
    assert loaded_neo4j.lookup("no such thing") == []


@neo4j
def test_lookup_finds_ids_by_index_and_every_other_name_by_name_node(loaded_neo4j, neo4j_conn):
    g = small_graph([("abc", "promotes", "MixedCase", "in_vitro"), ("MixedCase", "inhibits", "other", "in_vitro")])
    g.nodes["other"]["synonyms"] = ["ABC", "Mixedcase"]
    load_into_neo4j(g, neo4j_conn, progress=False, replace=True)
    embedded = NetworkXBackend(g)
    for text in ("abc", "ABC", "mixedcase", "MIXEDCASE", "MixedCase", "other", "OTHER", "nothing"):
        assert loaded_neo4j.lookup(text) == embedded.lookup(text), text
    assert loaded_neo4j.lookup("abc") == ["abc", "other"] and loaded_neo4j.lookup("mixedcase") == ["MixedCase", "other"]


@neo4j
def test_the_meta_node_records_the_load(loaded_neo4j, neo4j_conn, seed_graph, capsys):
    wipe(loaded_neo4j)
    assert main(["load", "--backend", "neo4j", "--uri", neo4j_conn.uri, "--seeds", str(SEEDS)]) == 0
    out = capsys.readouterr().out
    info = loaded_neo4j.graph_info()
    fp = fingerprint(seed_graph)
    assert info["fingerprint"] == fp and f"fingerprint {fp[:12]}" in out
    assert info["source"] == f"seeds {SEEDS.resolve()}"
    assert info["version"] == __version__
    assert (info["nodes"], info["edges"]) == (seed_graph.number_of_nodes(), seed_graph.number_of_edges())
    assert info["loaded_at"].endswith("Z") and info["loaded_at"][:2] == "20"


@neo4j
def test_the_same_graph_reloads_from_another_file(loaded_neo4j, neo4j_conn, seed_graph, capsys, tmp_path):
    exported = tmp_path / "seed.json"
    assert main(["--seeds", str(SEEDS), "export", "-o", str(exported)]) == 0
    assert main(["load", "--backend", "neo4j", "--uri", neo4j_conn.uri, "--from", str(exported)]) == 0
    assert "replaced" not in capsys.readouterr().out
    assert loaded_neo4j.graph_info()["source"] == f"file {exported.resolve()}"
    assert graph_of(loaded_neo4j) == to_node_link(seed_graph)
    rows = run_query(loaded_neo4j, f"MATCH (k:{NAME_LABEL}) RETURN count(k) AS c")
    assert rows == [{"c": len(list(name_rows(seed_graph)))}]  # the first load's names are gone


@neo4j
def test_a_different_graph_is_refused_and_nothing_changes(loaded_neo4j, neo4j_conn, seed_graph, capsys, tmp_path):
    before = graph_of(loaded_neo4j)
    info = loaded_neo4j.graph_info()
    other = nx.MultiDiGraph(seed_graph)
    other.remove_node("catumaxomab")
    path = tmp_path / "other.json"
    from mechgraph.io import export_graph

    export_graph(other, path)
    code = main(["load", "--backend", "neo4j", "--uri", neo4j_conn.uri, "--from", str(path)])
    err = capsys.readouterr().err
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert describe_meta(info) in err and fingerprint(other)[:12] in err and "--replace" in err
    assert graph_of(loaded_neo4j) == before and loaded_neo4j.graph_info() == info
    assert loaded_neo4j.lookup("catumaxomab") == ["catumaxomab"]

    assert main(["load", "--backend", "neo4j", "--uri", neo4j_conn.uri, "--from", str(path), "--replace"]) == 0
    out = capsys.readouterr().out
    assert f"replaced the graph {describe_meta(info)}" in out
    assert graph_of(loaded_neo4j) == to_node_link(other)
    assert loaded_neo4j.lookup("catumaxomab") == [] and loaded_neo4j.lookup("卡妥索单抗") == []


@neo4j
def test_nodes_that_are_not_mechgraphs_are_never_overwritten_silently(loaded_neo4j, neo4j_conn, seed_graph):
    wipe(loaded_neo4j)
    run_query(loaded_neo4j,
              "CREATE (:Person {name: 'Ada'})-[:KNOWS]->(:Person {name: 'Bob'}), (:Entity {id: 'caf', note: 'mine'})",
              write=True)
    with pytest.raises(OtherGraphPresent) as e:
        load_into_neo4j(seed_graph, neo4j_conn, progress=False)
    assert "1 :Entity node with no record of their source" in str(e.value)
    assert "2 nodes that mechgraph did not write (labels Person)" in str(e.value)
    # only the load lock (a :MechGraphMeta node) was added
    assert run_query(loaded_neo4j, "MATCH (n) WHERE NOT n:MechGraphMeta RETURN count(n) AS c") == [{"c": 3}]
    assert run_query(loaded_neo4j, "MATCH (n:Entity) RETURN n.note AS note") == [{"note": "mine"}]

    load_into_neo4j(seed_graph, neo4j_conn, progress=False, replace=True)
    assert graph_of(loaded_neo4j) == to_node_link(seed_graph)  # the foreign :Entity node was replaced
    people = run_query(loaded_neo4j, "MATCH (a:Person)-[:KNOWS]->(b:Person) RETURN a.name AS a, b.name AS b")
    assert people == [{"a": "Ada", "b": "Bob"}]  # other nodes are left as they were
    load_into_neo4j(seed_graph, neo4j_conn, progress=False)  # the same graph again: reloads beside them
    assert graph_of(loaded_neo4j) == to_node_link(seed_graph)
    run_query(loaded_neo4j, "MATCH (p:Person) DETACH DELETE p", write=True)


@neo4j
def test_an_empty_database_loads_without_replace(loaded_neo4j, neo4j_conn):
    wipe(loaded_neo4j)
    g = small_graph([("a", "promotes", "b", "in_vitro"), ("b", "inhibits", "c", "observational_human")])
    done = load_into_neo4j(g, neo4j_conn, progress=False, source="a test graph")
    assert done["replaced"] is None and done["fingerprint"] == fingerprint(g)
    assert loaded_neo4j.graph_info()["source"] == "a test graph"
    assert graph_of(loaded_neo4j) == to_node_link(g)


@neo4j
def test_a_failed_load_leaves_no_names_of_its_own(loaded_neo4j, neo4j_conn, seed_graph):
    other = nx.MultiDiGraph(seed_graph)
    other.add_node("extra", id="extra", name="Extra Thing", kind="gene", synonyms=[], xrefs=[], axes=[], caveats=[])

    def die(_n: int) -> None:
        raise RuntimeError("cut off")

    with pytest.raises(RuntimeError):
        load_into_neo4j(other, neo4j_conn, progress=False, replace=True, batch_size=50, on_batch=die)
    rows = run_query(loaded_neo4j, f"MATCH (k:{NAME_LABEL}) RETURN count(k) AS c, count(DISTINCT k.load) AS loads")
    assert rows == [{"c": len(list(name_rows(seed_graph))), "loads": 1}]
    assert loaded_neo4j.lookup("extra thing") == []


@neo4j
def test_a_database_the_server_does_not_have_is_named(neo4j_conn, capsys):
    code = main(["--backend", "neo4j", "--uri", neo4j_conn.uri, "--database", "nosuchgraph", "stats"])
    err = capsys.readouterr().err
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "no database 'nosuchgraph'" in err and "neo4j" in err and "Community" in err
