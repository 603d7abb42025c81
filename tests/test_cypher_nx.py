"""The embedded Cypher interpreter: exact answers on small graphs, errors, fuzzing, the seed graph."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pytest

from mechgraph.cypher import CypherEngine, run_cypher
from mechgraph.errors import QueryError
from tests.support.cypher import (
    PARAMS,
    build_graph,
    evidence,
    garbled_queries,
    well_formed_queries,
)

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def eng() -> CypherEngine:
    return CypherEngine(build_graph())


def col(rows, key):
    return [r[key] for r in rows]


# ------------------------------------------------------------------ matching


def test_label_filter(eng):
    assert col(eng.run("MATCH (t:Therapy) RETURN t.id ORDER BY t.id"), "t.id") == ["nivolumab", "pembrolizumab"]
    assert col(eng.run("MATCH (c:Entity:CellType) RETURN c.id ORDER BY c.id"), "c.id") == ["cd8_t_cell", "tam"]
    assert eng.run("MATCH (c:Therapy:Gene) RETURN c.id") == []
    assert eng.run("MATCH (n:Entity) RETURN count(*) AS n") == [{"n": 7}]
    assert col(eng.run("MATCH (n) WHERE n:Gene RETURN n.id ORDER BY n.id"), "n.id") == ["pd1", "pdl1"]


def test_relationship_type_alternation(eng):
    q = "MATCH (a)-[r:SECRETES|PROMOTES]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b ORDER BY a, t"
    assert eng.run(q) == [
        {"a": "il6", "t": "PROMOTES", "b": "tam"},
        {"a": "tam", "t": "PROMOTES", "b": "il6"},
        {"a": "tam", "t": "SECRETES", "b": "il6"},
    ]
    assert eng.run(q.replace("|PROMOTES", "|:PROMOTES")) == eng.run(q)


def test_direction(eng):
    out = eng.run("MATCH (a {id: 'tam'})-->(b) RETURN b.id ORDER BY b.id")
    assert col(out, "b.id") == ["cd8_t_cell", "il6", "il6"]
    inc = eng.run("MATCH (a {id: 'tam'})<--(b) RETURN b.id")
    assert col(inc, "b.id") == ["il6"]
    both = eng.run("MATCH (a {id: 'tam'})--(b) RETURN b.id ORDER BY b.id")
    assert col(both, "b.id") == ["cd8_t_cell", "il6", "il6", "il6"]
    left = eng.run("MATCH (b)<-[:TARGETS]-(t) RETURN t.id, b.id ORDER BY t.id")
    assert left == [{"t.id": "nivolumab", "b.id": "pd1"}, {"t.id": "pembrolizumab", "b.id": "pd1"}]
    # an undirected pattern finds every relationship twice, once from each end
    assert eng.run("MATCH ()-[r]-() RETURN count(r) AS c") == [{"c": 16}]


def test_multi_hop_chain(eng):
    q = ("MATCH (t:Therapy)-[:TARGETS]->(g:Gene)-[r:INHIBITS]->(c)<-[:INHIBITS]-(m) RETURN t.id, g.id, c.id, m.id "
         "ORDER BY t.id")
    assert eng.run(q) == [
        {"t.id": "nivolumab", "g.id": "pd1", "c.id": "cd8_t_cell", "m.id": "tam"},
        {"t.id": "pembrolizumab", "g.id": "pd1", "c.id": "cd8_t_cell", "m.id": "tam"},
    ]
    q2 = "MATCH (l)-[:BINDS]->(g)<-[:TARGETS]-(t) RETURN l.id, collect(t.id) AS drugs"
    rows = eng.run(q2)
    assert len(rows) == 1 and rows[0]["l.id"] == "pdl1" and sorted(rows[0]["drugs"]) == ["nivolumab", "pembrolizumab"]


def test_comma_separated_patterns_and_join(eng):
    q = "MATCH (t:Therapy)-[:TARGETS]->(g), (g)-[:INHIBITS]->(c) RETURN DISTINCT c.id"
    assert eng.run(q) == [{"c.id": "cd8_t_cell"}]
    q = "MATCH (a:Therapy), (b:Gene) RETURN count(*) AS pairs"
    assert eng.run(q) == [{"pairs": 4}]


def test_property_maps_with_params(eng):
    q = "MATCH (a:Entity {id: $x})-[r {sign: $s}]->(b) RETURN b.id ORDER BY b.id"
    assert col(eng.run(q, {"x": "tam", "s": "+"}), "b.id") == ["il6", "il6"]
    assert col(eng.run(q, {"x": "tam", "s": "-"}), "b.id") == ["cd8_t_cell"]
    assert eng.run(q, {"x": "nope", "s": "-"}) == []
    assert eng.run("MATCH (n {name: $n, kind: 'gene'}) RETURN n.id", {"n": "PD-L1"}) == [{"n.id": "pdl1"}]
    # a property map may use a variable bound earlier in the same pattern
    assert eng.run("MATCH (a {id: 'tam'})-->(b {sign: a.missing}) RETURN b") == []


def test_where_operators(eng):
    q = "MATCH (n) WHERE n.id IN $ids AND NOT n.name CONTAINS 'macro' RETURN n.id ORDER BY n.id"
    assert col(eng.run(q, {"ids": ["pd1", "tam", "il6"]}), "n.id") == ["il6", "pd1"]
    q = ("MATCH (n) WHERE n.description IS NULL AND n.name STARTS WITH 'P' AND n.id ENDS WITH '1' RETURN n.id ORDER "
         "BY n.id")
    assert col(eng.run(q), "n.id") == ["pd1", "pdl1"]
    assert eng.run("MATCH (n) WHERE n.name IS NOT NULL RETURN count(*) AS c") == [{"c": 7}]
    assert col(eng.run("MATCH (n) WHERE 'CD279' IN n.synonyms RETURN n.id"), "n.id") == ["pd1"]
    assert col(eng.run("MATCH (n) WHERE n.name =~ '(?i)pd-.*' RETURN n.id ORDER BY n.id"), "n.id") == ["pd1", "pdl1"]
    assert eng.run("MATCH (n) WHERE n.name =~ 'PD' RETURN n.id") == []  # =~ matches the whole string
    assert col(eng.run("MATCH (n:Gene) WHERE n.id = 'pd1' XOR n.name = 'PD-L1' RETURN n.id ORDER BY n.id"),
               "n.id") == ["pd1", "pdl1"]


def test_id_in_where_is_pushed_down_but_exact(eng):
    q = "MATCH (a)-[r]->(b) WHERE a.id = $x OR b.id = $x RETURN a.id, b.id ORDER BY a.id"
    assert eng.run(q, {"x": "il6"}) == [{"a.id": "il6", "b.id": "tam"}, {"a.id": "tam", "b.id": "il6"},
                                        {"a.id": "tam", "b.id": "il6"}]
    q = "MATCH (a)-[r]->(b) WHERE a.id IN ['pdl1', 'nivolumab'] AND b.id = 'pd1' RETURN a.id ORDER BY a.id"
    assert col(eng.run(q), "a.id") == ["nivolumab", "pdl1"]
    assert eng.run("MATCH (a) WHERE a.id = null RETURN a") == []


def test_optional_match_gives_nulls(eng):
    q = "MATCH (c:CellType) OPTIONAL MATCH (c)-[:SECRETES]->(f) RETURN c.id, f.id, f ORDER BY c.id"
    rows = eng.run(q)
    assert rows[0] == {"c.id": "cd8_t_cell", "f.id": None, "f": None}
    assert rows[1]["c.id"] == "tam" and rows[1]["f.id"] == "il6" and rows[1]["f"]["name"] == "IL-6"
    # WHERE inside OPTIONAL MATCH filters the optional part only
    q = ("MATCH (c:CellType) OPTIONAL MATCH (c)-[r]->(x) WHERE x.kind = 'cytokine' RETURN c.id, count(x) AS n ORDER "
         "BY c.id")
    assert eng.run(q) == [{"c.id": "cd8_t_cell", "n": 0}, {"c.id": "tam", "n": 2}]
    assert eng.run("OPTIONAL MATCH (n {id: 'nope'}) RETURN n") == [{"n": None}]


def test_aggregation_grouping(eng):
    q = ("MATCH (a)-[r]->() RETURN a.id AS id, count(*) AS n, collect(DISTINCT type(r)) AS types ORDER BY n DESC, id "
         "LIMIT 2")
    rows = eng.run(q)
    assert (rows[0]["id"] == "tam" and rows[0]["n"] == 3
            and sorted(rows[0]["types"]) == ["INHIBITS", "PROMOTES", "SECRETES"])
    assert rows[1] == {"id": "il6", "n": 1, "types": ["PROMOTES"]}
    q = "MATCH ()-[r]->() RETURN r.sign AS sign, count(*) AS n ORDER BY sign"
    assert eng.run(q) == [{"sign": "+", "n": 3}, {"sign": "-", "n": 2}, {"sign": "0", "n": 3}]
    q = ("MATCH ()-[r]->() RETURN count(DISTINCT r.sign) AS s, sum(r.n_evidence) AS ev, avg(size(r.refs)) AS a, "
         "min(r.level) AS lo, max(r.level) AS hi")
    assert eng.run(q) == [{"s": 3, "ev": 10, "a": 1.25, "lo": "clinical_trial", "hi": "in_vitro"}]
    # no rows: one row of empty aggregates without grouping keys, none with them
    q = "MATCH (n {id: 'nope'}) RETURN count(*) AS c, collect(n.id) AS l, sum(1) AS s, avg(1) AS a, max(1) AS m"
    assert eng.run(q) == [{"c": 0, "l": [], "s": 0, "a": None, "m": None}]
    assert eng.run("MATCH (n {id: 'nope'}) RETURN n.id, count(*)") == []
    # expressions around aggregates and over grouping keys
    q = "MATCH (n) RETURN n.kind AS kind, count(*) * 10 + size(n.kind) AS x ORDER BY kind"
    assert eng.run(q)[0] == {"kind": "cell_type", "x": 29}
    assert eng.run("MATCH (n:Gene) RETURN n.kind, count(*)") == [{"n.kind": "gene", "count(*)": 2}]


def test_order_skip_limit(eng):
    q = "MATCH (n) RETURN n.id ORDER BY n.id SKIP 2 LIMIT 3"
    assert col(eng.run(q), "n.id") == ["nivolumab", "pd1", "pdl1"]
    q = "MATCH (n) RETURN n.kind AS k, n.id AS id ORDER BY k DESC, id ASC LIMIT $n"
    assert eng.run(q, {"n": 3}) == [
        {"k": "therapy", "id": "nivolumab"},
        {"k": "therapy", "id": "pembrolizumab"},
        {"k": "gene", "id": "pd1"},
    ]
    # nulls sort last ascending, first descending
    q = "UNWIND [2, null, 1] AS x RETURN x ORDER BY x"
    assert col(eng.run(q), "x") == [1, 2, None]
    assert col(eng.run(q + " DESC"), "x") == [None, 2, 1]
    # ORDER BY may use a variable that is not returned
    assert col(eng.run("MATCH (n:Therapy) RETURN n.name ORDER BY n.id DESC"),
               "n.name") == ["Pembrolizumab", "Nivolumab"]


def test_with_where_and_chaining(eng):
    q = "MATCH (a)-[r]->() WITH a, count(r) AS out WHERE out > 1 RETURN a.id, out"
    assert eng.run(q) == [{"a.id": "tam", "out": 3}]
    q = "MATCH (t:Therapy) WITH t ORDER BY t.id LIMIT 1 MATCH (t)-[:TARGETS]->(g) RETURN t.id, g.name"
    assert eng.run(q) == [{"t.id": "nivolumab", "g.name": "PD-1"}]
    q = "MATCH (n) WITH DISTINCT n.kind AS kind WHERE kind <> 'gene' RETURN kind ORDER BY kind"
    assert col(eng.run(q), "kind") == ["cell_type", "cytokine", "therapy"]
    q = "MATCH (n:Gene) WITH *, toUpper(n.id) AS up RETURN up, n.id ORDER BY up"
    assert eng.run(q) == [{"up": "PD1", "n.id": "pd1"}, {"up": "PDL1", "n.id": "pdl1"}]


def test_unwind(eng):
    assert eng.run("UNWIND [3, 1, 2] AS x RETURN x ORDER BY x") == [{"x": 1}, {"x": 2}, {"x": 3}]
    assert eng.run("UNWIND $ids AS i MATCH (n {id: i}) RETURN n.name ORDER BY n.name",
                   {"ids": ["il6", "pd1", "nope"]}) == [
        {"n.name": "IL-6"},
        {"n.name": "PD-1"},
    ]
    assert eng.run("UNWIND [] AS x RETURN x") == []
    assert eng.run("UNWIND null AS x RETURN x") == []
    q = "MATCH (n {id: 'pd1'}) UNWIND n.synonyms AS s RETURN s ORDER BY s"
    assert col(eng.run(q), "s") == ["CD279", "PDCD1"]


def test_relationship_properties(eng):
    q = ("MATCH (t {id: 'pembrolizumab'})-[r]->(g) RETURN type(r), r.refs, r.sign, r.level, r.dois, r.n_evidence, "
         "r.relation")
    assert eng.run(q) == [
        {
            "type(r)": "TARGETS",
            "r.refs": ["7", "19"],
            "r.sign": "0",
            "r.level": "clinical_trial",
            "r.dois": ["10.1/19", "10.1/7"],
            "r.n_evidence": 2,
            "r.relation": "targets",
        }
    ]
    q = "MATCH (a)-[r]->(b) WHERE '19' IN r.refs RETURN a.id, type(r) AS t, b.id ORDER BY a.id"
    assert eng.run(q) == [
        {"a.id": "pd1", "t": "INHIBITS", "b.id": "cd8_t_cell"},
        {"a.id": "pembrolizumab", "t": "TARGETS", "b.id": "pd1"},
    ]
    r = eng.run("MATCH ({id: 'nivolumab'})-[r]->() RETURN r, startNode(r).id AS s, endNode(r).id AS e")[0]
    assert r["s"] == "nivolumab" and r["e"] == "pd1"
    assert r["r"]["refs"] == ["7"] and r["r"]["sign"] == "0" and "evidence_json" in r["r"] and "evidence" not in r["r"]


def test_returned_node_is_its_property_dict(eng):
    rows = eng.run("MATCH (n {id: 'pd1'}) RETURN n, labels(n) AS l, keys(n) AS k, properties(n) AS p")
    assert rows[0]["n"] == {"id": "pd1", "kind": "gene", "name": "PD-1", "synonyms": ["PDCD1", "CD279"]}
    assert rows[0]["l"] == ["Entity", "Gene"]
    assert sorted(rows[0]["k"]) == ["id", "kind", "name", "synonyms"]
    assert rows[0]["p"] == rows[0]["n"]
    rows[0]["n"]["synonyms"].append("mutated")  # results are copies
    assert eng.run("MATCH (n {id: 'pd1'}) RETURN n.synonyms AS s") == [{"s": ["PDCD1", "CD279"]}]
    assert eng.run("MATCH (n:Gene) RETURN collect(n.id) AS ids, collect(n)[0].kind AS k")[0]["k"] == "gene"


def test_relationship_uniqueness(eng):
    # tam has two relationships to il6 (SECRETES, PROMOTES): each pairing once per order, never r1 = r2
    q = "MATCH (a)-[r1]->(b)<-[r2]-(a) RETURN a.id, b.id, type(r1) AS t1, type(r2) AS t2 ORDER BY t1"
    assert eng.run(q) == [
        {"a.id": "tam", "b.id": "il6", "t1": "PROMOTES", "t2": "SECRETES"},
        {"a.id": "tam", "b.id": "il6", "t1": "SECRETES", "t2": "PROMOTES"},
    ]
    # across comma-separated patterns of one MATCH too, but not across MATCH clauses
    assert eng.run("MATCH (a {id: 'nivolumab'})-[r1]->(b), (c)-[r2]->(b) WHERE c.id = 'nivolumab' RETURN count(*) AS "
                   "n") == [{"n": 0}]
    assert eng.run("MATCH (a {id: 'nivolumab'})-[r1]->(b) MATCH (c {id: 'nivolumab'})-[r2]->(b) RETURN count(*) AS "
                   "n") == [{"n": 1}]
    # a round trip over an undirected relationship may not reuse it
    assert eng.run("MATCH (a {id: 'pdl1'})-[r1]-(b)-[r2]-(a) RETURN count(*) AS n") == [{"n": 0}]


def test_exists_and_count_subqueries(eng):
    q = "MATCH (g:Gene) WHERE EXISTS { MATCH (g)<-[:TARGETS]-(:Therapy) } RETURN g.id"
    assert eng.run(q) == [{"g.id": "pd1"}]
    q = "MATCH (g:Gene) WHERE NOT EXISTS { (g)<-[:TARGETS]-() } RETURN g.id"
    assert eng.run(q) == [{"g.id": "pdl1"}]
    q = "MATCH (n:CellType) RETURN n.id, COUNT { (n)-->() } AS out ORDER BY n.id"
    assert eng.run(q) == [{"n.id": "cd8_t_cell", "out": 0}, {"n.id": "tam", "out": 3}]


# ------------------------------------------------------------------ variable-length patterns and paths


def test_variable_length_binds_the_relationship_list_in_pattern_order(eng):
    q = "MATCH (t {id: 'nivolumab'})-[rs*1..2]->(x) RETURN x.id AS x, [r IN rs | type(r)] AS types ORDER BY x"
    assert eng.run(q) == [{"x": "cd8_t_cell", "types": ["TARGETS", "INHIBITS"]}, {"x": "pd1", "types": ["TARGETS"]}]
    # the end node bound first: the walk runs right to left, the list still reads left to right
    q = ("MATCH (c {id: 'cd8_t_cell'}) MATCH p = (a)-[rs*2]->(c) "
         "RETURN a.id AS a, [r IN rs | startNode(r).id] AS starts, [n IN nodes(p) | n.id] AS ids ORDER BY a")
    assert eng.run(q) == [
        {"a": "il6", "starts": ["il6", "tam"], "ids": ["il6", "tam", "cd8_t_cell"]},
        {"a": "nivolumab", "starts": ["nivolumab", "pd1"], "ids": ["nivolumab", "pd1", "cd8_t_cell"]},
        {"a": "pdl1", "starts": ["pdl1", "pd1"], "ids": ["pdl1", "pd1", "cd8_t_cell"]},
        {"a": "pembrolizumab", "starts": ["pembrolizumab", "pd1"], "ids": ["pembrolizumab", "pd1", "cd8_t_cell"]},
    ]


def test_variable_length_never_reuses_a_relationship(eng):
    # from tam: SECRETES and PROMOTES to il6, PROMOTES back, INHIBITS cd8; trails of up to 4 steps
    q = "MATCH (a {id: 'tam'})-[rs*1..4]->(b) RETURN size(rs) AS n, count(*) AS c ORDER BY n"
    assert eng.run(q) == [{"n": 1, "c": 3}, {"n": 2, "c": 2}, {"n": 3, "c": 4}]
    assert col(eng.run("MATCH (a {id: 'tam'})-[*2]->(b) RETURN b.id"), "b.id") == ["tam", "tam"]
    # nor one used by another relationship pattern of the same MATCH
    q = "MATCH (a {id: 'tam'})-[r1:SECRETES]->(b)-[rs*1..2]->(c) RETURN [r IN rs | type(r)] AS t ORDER BY size(t), t"
    assert col(eng.run(q), "t") == [["PROMOTES"], ["PROMOTES", "INHIBITS"], ["PROMOTES", "PROMOTES"]]


def test_variable_length_variants(eng):
    assert col(eng.run("MATCH (a {id: 'pd1'})-[*0..1]->(b) RETURN b.id ORDER BY b.id"), "b.id") == ["cd8_t_cell", "pd1"]
    q = "MATCH (a {id: 'pdl1'})-[*2]-(b) RETURN b.id ORDER BY b.id"
    assert col(eng.run(q), "b.id") == ["cd8_t_cell", "nivolumab", "pembrolizumab"]
    q = "MATCH (a {id: 'tam'})-[rs:SECRETES|INHIBITS*..2]->(b) RETURN b.id ORDER BY b.id"
    assert col(eng.run(q), "b.id") == ["cd8_t_cell", "il6"]
    assert eng.run("MATCH (a)-[*3..1]->(b) RETURN count(*) AS c") == [{"c": 0}]
    # a property map applies to every relationship of the path
    q = "MATCH (a {id: 'il6'})-[rs*1..3 {sign: '+'}]->(b) RETURN b.id ORDER BY b.id"
    assert col(eng.run(q), "b.id") == ["il6", "il6", "tam"]  # back to il6 over SECRETES or PROMOTES


def test_named_paths_and_path_functions(eng):
    q = ("MATCH p = (t {id: 'nivolumab'})-[*2]->(c) "
         "RETURN length(p) AS n, [x IN nodes(p) | x.id] AS ids, [r IN relationships(p) | r.relation] AS rels")
    assert eng.run(q) == [{"n": 2, "ids": ["nivolumab", "pd1", "cd8_t_cell"], "rels": ["targets", "inhibits"]}]
    p = eng.run("MATCH p = (a {id: 'pdl1'})-[:BINDS]->(b) RETURN p")[0]["p"]
    assert [x.get("id", x.get("relation")) for x in p] == ["pdl1", "binds", "pd1"]
    assert p[1]["refs"] == ["3"] and p[0]["name"] == "PD-L1"
    assert eng.run("MATCH p = (a {id: 'pd1'}) RETURN length(p) AS n, size(nodes(p)) AS m") == [{"n": 0, "m": 1}]
    assert eng.run("OPTIONAL MATCH p = ({id: 'nope'})-->() RETURN p, length(p) AS n") == [{"p": None, "n": None}]
    q = ("MATCH p = (a {id: 'il6'})-[*1..2]->(c {id: 'cd8_t_cell'}) RETURN reduce(s = 1, r IN relationships(p) | s * "
         "CASE r.sign WHEN '-' THEN -1 WHEN '+' THEN 1 ELSE 0 END) AS sign")
    assert eng.run(q) == [{"sign": -1}]
    with pytest.raises(QueryError, match="expected Path but was String"):
        eng.run("RETURN length('abc')")


def test_list_predicates_in_where(eng):
    q = "MATCH (a)-[rs*1..2]->(b {id: 'cd8_t_cell'}) WHERE all(r IN rs WHERE r.sign = '-') RETURN a.id ORDER BY a.id"
    assert col(eng.run(q), "a.id") == ["pd1", "tam"]
    q = "MATCH (a)-[rs*1..2]->(b {id: 'cd8_t_cell'}) WHERE single(r IN rs WHERE r.sign = '+') RETURN a.id"
    assert col(eng.run(q), "a.id") == ["il6"]
    q = "MATCH (n) WHERE any(s IN n.synonyms WHERE s STARTS WITH 'CD') RETURN n.id ORDER BY n.id"
    assert col(eng.run(q), "n.id") == ["pd1", "pdl1"]
    # the inner variable is local: it neither leaks nor clobbers an outer one
    assert eng.run("WITH 5 AS x RETURN [x IN [1, 2] | x * 10] AS l, x") == [{"l": [10, 20], "x": 5}]
    with pytest.raises(QueryError, match="Variable `y` not defined"):
        eng.run("RETURN [y IN [1] | y] AS l, y")
    with pytest.raises(QueryError, match="requires a WHERE predicate"):
        eng.run("RETURN any(x IN [1])")


@pytest.mark.parametrize(
    "query, value",
    [
        ("WITH 1 AS start, 2 AS end RETURN start + end AS x", 3),
        ("WITH 1 AS count RETURN count AS x", 1),
        ("WITH 1 AS case RETURN case + 1 AS x", 2),
        ("WITH 1 AS not WHERE not = 1 RETURN not AS x", 1),
        ("WITH 1 AS match RETURN match AS x", 1),
        ("WITH [1] AS filter RETURN filter[0] AS x", 1),
        ("MATCH (start)-[filter:BINDS]->(end) RETURN end.id AS x", "pd1"),
        ("WITH 1 AS order RETURN order AS x ORDER BY order", 1),
        ("WITH 1 AS distinct RETURN DISTINCT distinct AS x", 1),
    ],
)
def test_keywords_are_variables_where_neo4j_allows(eng, query, value):
    assert eng.run(query) == [{"x": value}]


@pytest.mark.parametrize(
    "subject, pattern, matches",
    [
        ("abc_9", "\\w+", True),
        ("中文", "\\w+", False),  # Java's \w is [a-zA-Z_0-9]
        ("١٢", "\\d+", False),
        ("\u00a0", "\\s", False),
        ("ABC", "(?i)abc", True),
        ("É", "(?i)é", False),  # (?i) folds ASCII only ...
        ("É", "(?iu)é", True),  # ... unless UNICODE_CASE is on
        ("\u212a", "(?i)k", False),  # the Kelvin sign folds to k only in Unicode mode
        ("a\nb", "a.b", False),
        ("a\u2028b", "a.b", False),  # . stops at every Java line terminator
        ("a\u2028b", "(?s)a.b", True),
        ("aB", "a(?i)b", True),  # an inline flag holds from where it stands
        ("AB", "a(?i)b", False),
        ("", "\\B", True),
        ("x y", "x\\b.*", True),
        ("[x]", "\\Q[x]\\E", True),
        ("café", "\\p{Alpha}+", False),
        ("a", "(?i:A)", True),
    ],
)
def test_regular_expressions_follow_java(eng, subject, pattern, matches):
    assert eng.run("RETURN $s =~ $p AS m", {"s": subject, "p": pattern}) == [{"m": matches}]


# ------------------------------------------------------------------ expressions


@pytest.mark.parametrize(
    "expr, value",
    [
        ("1 + 2 * 3", 7),
        ("7 / 2", 3),
        ("-7 / 2", -3),
        ("-7 % 3", -1),
        ("7.0 / 2", 3.5),
        ("2 ^ 3", 8.0),
        ("'a' + 'b' + 1", "ab1"),
        ("[1, 2] + 3", [1, 2, 3]),
        ("1 = 1.0", True),
        ("1 = '1'", False),
        ("null = null", None),
        ("null IS NULL", True),
        ("1 < 2 < 3", True),
        ("'b' > 'a'", True),
        ("1 < 'a'", None),
        ("2 IN [1, null]", None),
        ("1 IN [1, null]", True),
        ("null AND false", False),
        ("null OR true", True),
        ("NOT null", None),
        ("[1, 2, 3][0]", 1),
        ("[1, 2, 3][-1]", 3),
        ("[1, 2, 3][10]", None),
        ("[1, 2, 3, 4][1..3]", [2, 3]),
        ("{a: 1, b: [2]}.b", [2]),
        ("{a: 1}['a']", 1),
        ("CASE WHEN 1 > 2 THEN 'x' WHEN 2 > 1 THEN 'y' ELSE 'z' END", "y"),
        ("CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' END", "two"),
        ("CASE 3 WHEN 1 THEN 'one' END", None),
        ("toLower('AbC') + toUpper('x')", "abcX"),
        ("trim('  x  ')", "x"),
        ("size('abc') + size([1, 2])", 5),
        ("coalesce(null, null, 'c')", "c"),
        ("toString(1.0) + toString(2) + toString(true)", "1.02true"),
        ("toInteger('42') + toInteger(2.9) + toInteger('x')", None),
        ("toInteger('42') + toInteger(2.9)", 44),
        ("toFloat('1.5')", 1.5),
        ("head([1, 2])", 1),
        ("last([1, 2])", 2),
        ("tail([1, 2, 3])", [2, 3]),
        ("abs(-3)", 3),
        ("round(2.5)", 3.0),
        ("round(-2.5)", -2.0),
        ("round(3.14159, 2)", 3.14),
        ("split('a,b,c', ',')", ["a", "b", "c"]),
        ("replace('aXbX', 'X', '-')", "a-b-"),
        ("substring('hello', 1, 3)", "ell"),
        ("substring('hello', 2)", "llo"),
        ("reverse('abc')", "cba"),
        ("reverse([1, 2])", [2, 1]),
        ("range(1, 5)", [1, 2, 3, 4, 5]),
        ("range(10, 0, -5)", [10, 5, 0]),
        ("'19' IN ['7', '19']", True),
        ("\"dq\\t\\u0041\"", "dq\tA"),
        ("0x1F", 31),
        ("1e3", 1000.0),
        (".5", 0.5),
        ("-.5e3", -500.0),
        ("1_000 + 0o17", 1015),
        ("any(x IN [1, null] WHERE x = 2)", None),
        ("any(x IN [1, null] WHERE x = 1)", True),
        ("any(x IN [] WHERE true)", False),
        ("all(x IN [] WHERE false)", True),
        ("all(x IN [1, null] WHERE x = 2)", False),
        ("all(x IN [1, null] WHERE x = 1)", None),
        ("none(x IN [null] WHERE x = 1)", None),
        ("none(x IN [1, 2] WHERE x = 3)", True),
        ("none(x IN [1, null] WHERE x = 1)", False),
        ("single(x IN [1, 2] WHERE x = 1)", True),
        ("single(x IN [1, null] WHERE x = 1)", None),
        ("single(x IN [1, 1, null] WHERE x = 1)", False),
        ("single(x IN [2, 3] WHERE x = 1)", False),
        ("any(x IN null WHERE x)", None),
        ("reduce(s = 0, x IN [1, 2, 3] | s + x)", 6),
        ("reduce(s = '', x IN ['a', 'b'] | s + x)", "ab"),
        ("reduce(s = 0, x IN null | s + x)", None),
        ("[x IN range(1, 5) WHERE x % 2 = 1 | x * 10]", [10, 30, 50]),
        ("[x IN [1, 2] | [x]]", [[1], [2]]),
        ("[x IN [1, null, 2] WHERE x IS NOT NULL]", [1, 2]),
        ("[x IN null | x]", None),
        ("[x IN [1] | reduce(a = x, y IN [x, x] | a + y)]", [3]),
    ],
)
def test_expressions(eng, expr, value):
    rows = eng.run(f"RETURN {expr} AS v")
    assert rows == [{"v": value}]
    assert type(rows[0]["v"]) is type(value)


def test_column_names_as_written(eng):
    rows = eng.run("MATCH (n {id: 'pd1'}) RETURN n.name, count(*), toLower(n.id)  AS low, n, 1 + 1")
    assert list(rows[0]) == ["n.name", "count(*)", "low", "n", "1 + 1"]
    rows = eng.run("match (n:Gene) // comment\n return /* c */ n.id order by n.id desc limit 1;")
    assert rows == [{"n.id": "pdl1"}]
    assert list(eng.run("MATCH (n:Gene) RETURN *")[0]) == ["n"]


# ------------------------------------------------------------------ errors


def test_missing_parameter(eng):
    with pytest.raises(QueryError, match=r"^missing parameter \$x$"):
        eng.run("MATCH (a {id: $x})-->(b) RETURN b.id")
    with pytest.raises(QueryError, match=r"missing parameter \$lim"):
        eng.run("MATCH (a) RETURN a.id LIMIT $lim", {"x": 1})


def test_parameters_are_values_not_text(eng):
    rows = eng.run("MATCH (n) WHERE n.name = $v RETURN n.id", {"v": "x' OR 1=1 //"})
    assert rows == []
    assert eng.run("RETURN $v AS v", {"v": "}) RETURN 1 //"}) == [{"v": "}) RETURN 1 //"}]


@pytest.mark.parametrize(
    "query, message",
    [
        ("MATCH (n RETURN n", "Cypher syntax error at line 1, column 10: expected ')'"),
        ("MATCH (a)-[r]->(b RETURN b", "Cypher syntax error at line 1, column 19: expected ')'"),
        ("MATCH (n)\nWHERE n.x = \nRETURN n", "Cypher syntax error at line 3, column 1: expected an expression"),
        ("RETURN 'abc", "Cypher syntax error at line 1, column 8: unterminated string literal"),
        ("RETURN 1 +", "Cypher syntax error at line 1, column 11: expected an expression"),
        ("", "Cypher syntax error at line 1, column 1: expected a clause"),
        ("MATCH (n) RETURN n ORDER n", "Cypher syntax error at line 1, column 26: expected BY"),
        ("RETURN 1 != 2", "Cypher syntax error at line 1, column 10: '!=' is not Cypher; use '<>'"),
        ("RETURN #", "Cypher syntax error at line 1, column 8: unexpected character '#'"),
    ],
)
def test_syntax_errors_have_position(eng, query, message):
    with pytest.raises(QueryError) as err:
        eng.run(query)
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    "query, fragment",
    [
        ("CREATE (n:Gene {id: 'x'})", "CREATE (the embedded backend is read-only; use --backend neo4j --write)"),
        ("MERGE (n:Gene {id: 'x'}) RETURN n", "MERGE (the embedded backend is read-only"),
        ("MATCH (n) SET n.x = 1", "SET (the embedded backend is read-only"),
        ("MATCH (n) REMOVE n.x", "REMOVE (the embedded backend is read-only"),
        ("MATCH (n) DELETE n", "DELETE (the embedded backend is read-only"),
        ("MATCH (n) DETACH DELETE n", "DETACH DELETE (the embedded backend is read-only"),
        ("FOREACH (x IN [1] | CREATE ())", "FOREACH"),
        ("CALL db.labels()", "CALL (procedures and subqueries)"),
        ("MATCH (n) CALL { WITH n RETURN 1 AS one } RETURN n", "CALL (procedures and subqueries)"),
        ("LOAD CSV FROM 'file:///x.csv' AS line RETURN line", "LOAD CSV"),
        ("MATCH shortestPath((a)-->(b)) RETURN a", "shortestPath()"),
        ("MATCH (n) RETURN id(n)", "id() (use n.id"),
        ("RETURN apoc.text.join(['a'], ',')", "the function apoc.text.join()"),
        ("RETURN point({x: 1, y: 2})", "the function point()"),
        ("MATCH (n:Gene|Therapy) RETURN n", "label expressions"),
        ("MATCH (n) RETURN n {.id, .name}", "map projections"),
        ("MATCH ((a)-->(b)){1,3} RETURN a", "quantified path patterns"),
        ("RETURN 'a b' =~ '(?x)a b'", "(?x) (comments mode)"),
        ("RETURN 'a' =~ '\\\\p{IsHan}'", "class \\p{IsHan}"),
        ("RETURN 'a' =~ '[a-z&&[^b]]'", "character class intersections"),
        ("RETURN 'ab' =~ '(?<=a+)b'", "the regular expression '(?<=a+)b' on the embedded backend"),
        ("EXPLAIN MATCH (n) RETURN n", "EXPLAIN"),
        ("MATCH (n) RETURN n; MATCH (m) RETURN m", "multiple statements"),
    ],
)
def test_unsupported_is_named(eng, query, fragment):
    with pytest.raises(QueryError) as err:
        eng.run(query)
    msg = str(err.value)
    assert msg.startswith("unsupported Cypher: ") and fragment in msg, msg


@pytest.mark.parametrize(
    "query, fragment",
    [
        ("MATCH (n)", "Query cannot conclude with MATCH"),
        ("RETURN x", "Variable `x` not defined"),
        ("MATCH (n) WITH n.name RETURN 1", "must be aliased"),
        ("MATCH (n) RETURN n.id AS a, n.name AS a", "same name"),
        ("MATCH (n) WHERE count(*) > 1 RETURN n", "Invalid use of aggregating function count(*)"),
        ("RETURN count(count(*))", "Invalid use of aggregating function"),
        ("MATCH (n) RETURN n.id, count(*) + size(n.name)", "implicit grouping"),
        ("MATCH (n) RETURN DISTINCT n.id ORDER BY n.name", "DISTINCT or an aggregation"),
        ("RETURN 1 LIMIT -1", "LIMIT must be a non-negative integer"),
        ("RETURN 9223372036854775807 + 1", "integer overflow"),
        ("RETURN 1 / 0", "division by zero"),
        ("RETURN 'a' - 1", "Type mismatch"),
        ("MATCH (n) WHERE n.name RETURN n", "Type mismatch in WHERE: expected Boolean but was String"),
        ("RETURN 'x' =~ '('", "invalid regular expression"),
        ("MATCH (a)-[r]->()-[r]->() RETURN a", "same relationship variable"),
        ("RETURN toLower('a', 'b')", "toLower() takes 1 argument, got 2"),
        ("RETURN range(0, 100000000000)", "range()"),
    ],
)
def test_semantic_and_runtime_errors(eng, query, fragment):
    with pytest.raises(QueryError) as err:
        eng.run(query)
    assert fragment in str(err.value)


def _only_query_errors(eng, q: str) -> None:
    try:
        rows = eng.run(q, PARAMS)
    except QueryError as e:
        msg = str(e)
        assert "internal error" not in msg, (q, msg)
        assert "\n" not in msg, (q, msg)
    else:
        assert isinstance(rows, list)


def test_random_and_garbled_queries_only_raise_query_error(eng):
    for q in garbled_queries(1500, seed=20240607):
        _only_query_errors(eng, q)


def test_random_well_formed_queries_only_raise_query_error(eng):
    n_ok = 0
    for q in well_formed_queries(400, seed=99):
        try:
            eng.run(q, PARAMS)
            n_ok += 1
        except QueryError as e:
            assert "internal error" not in str(e) and "\n" not in str(e), (q, str(e))
    assert n_ok > 20  # a fair share runs to completion, exercising evaluation, not only the parser


try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # hypothesis is an optional test dependency
    given = None

if given is not None:

    @settings(max_examples=300, deadline=None)
    @given(st.text(max_size=60))
    def test_hypothesis_text_only_raises_query_error(q):
        _only_query_errors(_HYPO_ENGINE, q)

    _HYPO_ENGINE = CypherEngine(build_graph())


def test_non_string_and_bad_params(eng):
    with pytest.raises(QueryError):
        eng.run(None)  # type: ignore[arg-type]
    with pytest.raises(QueryError, match="unsupported type"):
        eng.run("RETURN $x", {"x": object()})
    assert eng.run("RETURN $x AS x", {"x": (1, "a")}) == [{"x": [1, "a"]}]


# ------------------------------------------------------------------ engine, performance, seed graph


def test_run_cypher_caches_engine_and_sees_new_graphs():
    g = build_graph()
    assert run_cypher(g, "MATCH (n) RETURN count(*) AS c") == [{"c": 7}]
    g.add_node("x", id="x", kind="gene", name="X")
    assert run_cypher(g, "MATCH (n:Gene) RETURN count(*) AS c") == [{"c": 3}]


def test_module_imports_without_networkx():
    code = "import sys, mechgraph.cypher; assert 'networkx' not in sys.modules, 'networkx imported'"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


@pytest.mark.slow
def test_one_hop_on_100k_edges_uses_the_index():
    rnd = random.Random(7)
    g = nx.MultiDiGraph()
    n_nodes = 20_000
    kinds = ["gene", "therapy", "cell_type", "cytokine", "process"]
    rels = ["promotes", "inhibits", "targets", "secretes", "binds"]
    for i in range(n_nodes):
        g.add_node(f"n{i}", id=f"n{i}", kind=kinds[i % 5], name=f"N{i}")
    ev = evidence(["1"])
    for _ in range(100_000):
        rel = rels[rnd.randrange(5)]
        g.add_edge(f"n{rnd.randrange(n_nodes)}", f"n{rnd.randrange(n_nodes)}", key=rel, relation=rel, sign="+",
                   evidence=ev, refs=["1"])
    eng = CypherEngine(g)
    expected = sorted(v for _, v in g.out_edges("n42"))
    t = time.perf_counter()
    for _ in range(50):
        rows = eng.run("MATCH (a {id: $x})-[r]->(b) RETURN b.id", {"x": "n42"})
        rows2 = eng.run("MATCH (a)-[r]->(b) WHERE a.id = $x RETURN b.id", {"x": "n42"})
    per_query = (time.perf_counter() - t) / 100
    assert sorted(col(rows, "b.id")) == expected == sorted(col(rows2, "b.id"))
    assert per_query < 0.02, f"one-hop query took {per_query * 1000:.1f} ms"


@pytest.fixture(scope="module")
def seed_graph():
    from mechgraph.curation import graph_from_seeds

    return graph_from_seeds(ROOT / "seeds")


def test_seed_graph_pd1_antibodies(seed_graph):
    # the PD-1 antibodies' action on PD-1 is stated once, of their class, which they are members of
    rows = run_cypher(seed_graph, "MATCH (t:Therapy)-[:SUBTYPE_OF]->(c)-[:INHIBITS]->(x {id: 'pd1'}) RETURN t.id "
                                  "ORDER BY t.id")
    ids = col(rows, "t.id")
    assert {"nivolumab", "pembrolizumab"} <= set(ids)
    assert ids == sorted(ids)
    expected = sorted(
        u for c, _, k in seed_graph.in_edges("pd1", keys=True) if k == "inhibits"
        for u, _,
        k2 in seed_graph.in_edges(c, keys=True) if k2 == "subtype_of" and seed_graph.nodes[u]["kind"] == "therapy"
    )
    assert ids == expected


def test_seed_graph_counts_match_networkx(seed_graph):
    rows = run_cypher(seed_graph, "MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n ORDER BY t")
    from collections import Counter

    from mechgraph import props

    want = Counter(props.rel_type(k) for _, _, k in seed_graph.edges(keys=True))
    assert {r["t"]: r["n"] for r in rows} == dict(want)
    n = run_cypher(seed_graph, "MATCH (n:Entity) RETURN count(n) AS n")[0]["n"]
    assert n == seed_graph.number_of_nodes()
