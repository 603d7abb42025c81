"""Bulk-import export (`mechgraph export --format neo4j-admin`): the files, and, against real
Neo4j, the graph that Neo4j's own import tool builds from them equals the online loader's."""

from __future__ import annotations

import csv
import os
import subprocess
from pathlib import Path

import networkx as nx
import pytest

from mechgraph.cli import main
from mechgraph.errors import ExportError
from mechgraph.io import export_graph
from mechgraph.io.neo4j_admin import EMPTY_LISTS, write_neo4j_admin
from mechgraph.io.neo4j_layout import fingerprint, name_rows
from mechgraph.store import Connection
from mechgraph.store.embedded import NetworkXBackend
from tests.support.checkout import IN_CI, ROOT, SEEDS
from tests.support.graphs import small_graph
from tests.support.neo4j import free_port

HOSTILE_TEXT = [
    'quote " inside, and "" doubled',
    "comma, semicolon; pipe | backslash \\ end\\",
    "two\nlines\r\nand a CR\r",
    "  leading and trailing spaces  ",
    "腹膜转移 中文, «ünïcödé» 🧬",
    "",
    "'; MATCH (n) DETACH DELETE n //",
]


def hostile_graph() -> nx.MultiDiGraph:
    """A small graph whose text holds every character CSV, Cypher and shells trip on."""
    g = small_graph([("a", "promotes", "b", "in_vitro"), ("b", "inhibits", 'c,"q"\nx', "observational_human")])
    g.graph["name"] = 'hostile "graph", 名'
    a = g.nodes["a"]
    a.update(name=HOSTILE_TEXT[0], name_zh=HOSTILE_TEXT[4], description=HOSTILE_TEXT[2], category=HOSTILE_TEXT[5],
             synonyms=[HOSTILE_TEXT[1], HOSTILE_TEXT[3], "semi;colon", "pi|pe"], caveats=[HOSTILE_TEXT[6]],
             phase=3, score=0.1 + 0.2, active=True, ranks=[1, 2, 3], weights=[0.5, 1e-300], flags=[True, False])
    g.nodes['c,"q"\nx']["name"] = HOSTILE_TEXT[2]
    e = g.edges["a", "b", "promotes"]
    e["context"] = HOSTILE_TEXT[1] + HOSTILE_TEXT[2]
    e["evidence"][0]["summary"] = "".join(HOSTILE_TEXT)
    e["axes"] = []
    return g


# --- the files, without a server --------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_files_carry_every_property_typed_and_quoted(tmp_path):
    g = hostile_graph()
    out = write_neo4j_admin(g, tmp_path / "admin", source="a test")
    files = sorted(p.name for p in out.iterdir())
    assert {"import.sh", "after-import.cypher", "README.txt", "mechgraph-meta.csv", "mechgraph-names.csv"} <= set(files)
    assert ("entities-Gene.csv" in files and "relationships-PROMOTES.csv" in files
            and "relationships-INHIBITS.csv" in files)

    [a] = [r for r in read_csv(out / "entities-Gene.csv") if r["id:ID(Entity)"] == "a"]
    assert a[":LABEL"] == "Entity\u001fGene"  # ';' and '|' occur in the synonyms, so neither can delimit arrays
    assert a["name:string"] == HOSTILE_TEXT[0] and a["description:string"] == HOSTILE_TEXT[2]
    assert a["synonyms:string[]"].split("\u001f") == [HOSTILE_TEXT[1], HOSTILE_TEXT[3], "semi;colon", "pi|pe"]
    assert (a["phase:long"], a["active:boolean"], a["ranks:long[]"]) == ("3", "true", "1\u001f2\u001f3")
    assert float(a["score:double"]) == 0.1 + 0.2 and a["weights:double[]"] == "0.5\u001f1e-300"
    assert a[f"{EMPTY_LISTS}:string[]"] == "axes\u001fxrefs"  # the empty lists, restored after the import
    assert "--array-delimiter='U+001F'" in (out / "import.sh").read_text()

    raw = (out / "entities-Gene.csv").read_text(encoding="utf-8")
    assert '"' + HOSTILE_TEXT[0].replace('"', '""') + '"' in raw
    assert ',"",' in raw  # the empty category is an empty string, quoted, not a missing value

    [promotes] = read_csv(out / "relationships-PROMOTES.csv")
    assert (promotes[":START_ID(Entity)"], promotes[":END_ID(Entity)"], promotes[":TYPE"]) == ("a", "b", "PROMOTES")
    assert promotes["context:string"] == HOSTILE_TEXT[1] + HOSTILE_TEXT[2]
    assert promotes["n_evidence:long"] == "1" and promotes[f"{EMPTY_LISTS}:string[]"] == "axes"

    names = read_csv(out / "mechgraph-names.csv")
    assert sorted((r["key:string"], r["entity:string"])
                  for r in names) == sorted((r["key"], r["entity"]) for r in name_rows(g))
    [meta] = read_csv(out / "mechgraph-meta.csv")
    assert meta["fingerprint:string"] == fingerprint(g) and meta["source:string"] == "a test"
    assert meta["nodes:long"] == "3" and meta["edges:long"] == "2"
    assert {r["load:string"] for r in names} == {meta["load:string"]}


def test_semicolon_is_the_array_delimiter_when_the_data_allows(seed_graph, tmp_path):
    plain = small_graph([("a", "promotes", "b", "in_vitro")])
    out = write_neo4j_admin(plain, tmp_path / "p")
    assert "--array-delimiter=';'" in (out / "import.sh").read_text()


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda g: g.nodes["a"].update(synonyms=["ok", ""]), "list holding an empty string"),
        (lambda g: g.nodes["a"].update({"bad key": 1}), "property name 'bad key'"),
        (lambda g: g.nodes["a"].update(big=2**70), "does not fit"),
        (lambda g: g.nodes["a"].update(synonyms=["a;b|c\u001fd"]), "every array delimiter"),
    ],
)
def test_what_the_format_cannot_hold_is_refused_and_nothing_is_written(tmp_path, change, message):
    g = small_graph([("a", "promotes", "b", "in_vitro")])
    change(g)
    with pytest.raises(ExportError, match=message):
        write_neo4j_admin(g, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []  # no folder, not even a temporary one


def test_an_existing_folder_is_replaced_only_when_it_is_an_earlier_export(tmp_path):
    g = small_graph([("a", "promotes", "b", "in_vitro")])
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("precious")
    with pytest.raises(ExportError, match="not an earlier neo4j-admin export"):
        write_neo4j_admin(g, mine)
    assert (mine / "thesis.tex").read_text() == "precious"
    out = write_neo4j_admin(g, tmp_path / "admin")
    (out / "stale.csv").write_text("x")
    write_neo4j_admin(g, out)
    assert not (out / "stale.csv").exists() and (out / "import.sh").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["admin", "mine"]


def test_the_cli_writes_the_folder(tmp_path, capsys):
    assert main(["--seeds", str(SEEDS), "export", "--format", "neo4j-admin", str(tmp_path / "bulk")]) == 0
    out = capsys.readouterr().out
    assert (out.startswith(f"wrote {tmp_path / 'bulk'}\n(folder export of ")
            and (tmp_path / "bulk" / "import.sh").is_file())
    meta = read_csv(tmp_path / "bulk" / "mechgraph-meta.csv")[0]
    assert meta["source:string"] == f"seeds {SEEDS.resolve()}"
    assert main(["export", "--format", "neo4j-admin"]) == 1


# --- Neo4j's own import tool, against the real server ---------------------------------------


def imported_server(folder: Path, home: Path):
    """`scripts/neo4j-local.sh import FOLDER` on a free port and a fresh data dir; returns (uri, stop)."""
    script = ROOT / "scripts" / "neo4j-local.sh"
    env = {**os.environ, "NEO4J_BOLT_PORT": str(free_port()), "MECHGRAPH_NEO4J_HOME": str(home), "NEO4J_HEAP": "1g",
           "NEO4J_PAGECACHE": "128m"}
    proc = subprocess.run(["bash", str(script), "import", str(folder)], env=env, capture_output=True, text=True,
                          timeout=900)

    def stop() -> None:
        subprocess.run(["bash", str(script), "stop"], env=env, capture_output=True, timeout=120)

    if proc.returncode != 0:
        stop()
        msg = f"neo4j-local.sh import failed: {proc.stderr.strip()[-800:]}"
        if IN_CI:
            pytest.fail(msg)
        pytest.skip(msg)
    return proc.stdout.strip(), stop


def exported_json(uri: str, path: Path) -> bytes:
    assert main(["--backend", "neo4j", "--uri", uri, "export", "--format", "json", "-o", str(path)]) == 0
    return path.read_bytes()


def import_and_compare(g: nx.MultiDiGraph, neo4j_conn: Connection, tmp_path: Path, capsys) -> None:
    from mechgraph.store.neo4j_backend import Neo4jBackend
    from mechgraph.store.neo4j_load import load_into_neo4j

    export_graph(g, tmp_path / "bulk", "neo4j-admin", source="test")
    load_into_neo4j(g, neo4j_conn, progress=False, replace=True)
    online = exported_json(neo4j_conn.uri, tmp_path / "online.json")
    uri, stop = imported_server(tmp_path / "bulk", tmp_path / "neo4j")
    try:
        imported = exported_json(uri, tmp_path / "imported.json")
        backend = Neo4jBackend(Connection(uri=uri))
        try:
            info = backend.graph_info()
            names = [(name, backend.lookup(name)) for _, all_names in backend.name_index() for name in all_names]
            leftovers = backend.cypher(f"MATCH (x) WHERE x.{EMPTY_LISTS} IS NOT NULL RETURN count(x) AS c")
            rel_leftovers = backend.cypher(f"MATCH ()-[x]->() WHERE x.{EMPTY_LISTS} IS NOT NULL RETURN count(x) AS c")
            indexes = {r["name"] for r in backend.cypher("SHOW INDEXES YIELD name RETURN name")}
        finally:
            backend.close()
    finally:
        stop()
    capsys.readouterr()
    assert imported == online  # byte for byte
    assert info["fingerprint"] == fingerprint(g) and info["via"] == "neo4j-admin database import"
    embedded = NetworkXBackend(g)
    assert names and names == [(name, embedded.lookup(name)) for name, _ in names]
    assert leftovers == [{"c": 0}] and rel_leftovers == [{"c": 0}]
    assert {"mechgraph_entity_id", "mechgraph_name_key", "mechgraph_meta_id"} <= indexes


@pytest.mark.neo4j
def test_the_seed_graph_imported_by_neo4j_admin_equals_the_online_load(neo4j_conn, seed_graph, tmp_path, capsys):
    import_and_compare(seed_graph, neo4j_conn, tmp_path, capsys)


@pytest.mark.neo4j
def test_hostile_text_survives_the_import_tool(neo4j_conn, tmp_path, capsys):
    g = hostile_graph()
    import_and_compare(g, neo4j_conn, tmp_path, capsys)
    assert exported_json(neo4j_conn.uri, tmp_path / "again.json") == (tmp_path / "online.json").read_bytes()


@pytest.mark.neo4j
@pytest.mark.slow
def test_a_synthetic_graph_of_10k_edges_imports_the_same(neo4j_conn, tmp_path, capsys):
    from tests.support.synthetic import synthetic_graph

    import_and_compare(synthetic_graph(10_000, seed=3), neo4j_conn, tmp_path, capsys)
