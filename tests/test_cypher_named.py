"""The named queries for candidate targets (untargeted_drivers, therapies_upstream_of) on small
hand-built graphs with known answers, and their vocabulary kept in step with the schema."""

from __future__ import annotations

import re

import pytest

from mechgraph import edges, schema
from mechgraph.analysis.targets import TARGET_KINDS
from mechgraph.cypher.named import named_query
from mechgraph.edges import ACTING_RELATIONS
from mechgraph.schema import THERAPY_KINDS
from mechgraph.store.embedded import NetworkXBackend
from mechgraph.store.queries import run_named
from tests.support.graphs import ev, small_graph

KINDS = {"pm": "phenotype", "tme": "phenotype", "drug": "therapy", "drug2": "therapy", "cpx": "complex", "far": "gene"}


def graph_with_refs(edges):
    """small_graph, then each edge's references and level as given: (u, relation, v, level, refs)."""
    g = small_graph([(u, rel, v, level) for u, rel, v, level, _ in edges], KINDS)
    for u, rel, v, level, refs in edges:
        g.edges[u, v, rel]["refs"] = list(refs)
        g.edges[u, v, rel]["evidence"] = [e for r in refs for e in ev(r, level)]
    g.nodes["pm"]["id"] = "peritoneal_metastasis"
    return g


@pytest.fixture(scope="module")
def drivers_graph():
    import networkx as nx

    g = graph_with_refs([
        ("x1", "promotes", "pm", "observational_human", ["1", "2"]),  # driver, one step
        ("x2", "inhibits", "y", "in_vitro", ["3"]),  # - then - : a driver over two steps
        ("y", "inhibits", "pm", "randomised_trial", ["4"]),
        ("x3", "inhibits", "pm", "randomised_trial", ["5"]),  # a brake, not a driver
        ("x4", "promotes", "pm", "randomised_trial", ["6"]),  # a driver, but a therapy targets it
        ("drug", "targets", "x4", "randomised_trial", ["7"]),
        ("x5", "part_of", "cpx", "expert_statement", ["review"]),  # the sign passes through part_of
        ("cpx", "promotes", "pm", "preclinical_in_vivo", ["8"]),
        ("far", "promotes", "a", "in_vitro", ["9"]),  # four steps away: beyond the bound
        ("a", "promotes", "b", "in_vitro", ["9"]),
        ("b", "promotes", "c", "in_vitro", ["9"]),
        ("c", "promotes", "pm", "in_vitro", ["9"]),
    ])
    # small_graph names nodes by the edge's end ids; the outcome must carry the schema's id
    return nx.relabel_nodes(g, {"pm": "peritoneal_metastasis"})


def test_untargeted_drivers_on_a_known_graph(drivers_graph):
    rows = run_named(NetworkXBackend(drivers_graph), "untargeted_drivers")
    assert {r["outcome"] for r in rows} == {"peritoneal_metastasis"}
    got = {r["driver"]: (r["hops"], r["n_paths"], r["n_refs"], r["best_level"]) for r in rows}
    assert got == {
        "x1": (1, 1, 2, "observational_human"),
        "x2": (2, 1, 2, "in_vitro"),  # a path is as strong as its weakest step
        "cpx": (1, 1, 1, "preclinical_in_vivo"),
        "x5": (2, 1, 1, "expert_statement"),  # through part_of; the review is not counted as a reference
        "a": (3, 1, 1, "in_vitro"),
        "b": (2, 1, 1, "in_vitro"),
        "c": (1, 1, 1, "in_vitro"),
    }  # not y and x3 (brakes), x4 (a therapy targets it), drug (a therapy), far (four steps away)
    assert [r["driver"] for r in rows] == ["x1", "cpx", "x2", "a", "b", "c", "x5"]  # strongest evidence first


def test_therapies_upstream_of_a_driver(drivers_graph):
    g = drivers_graph.copy()
    g.add_node("drug2", id="drug2", kind="therapy", name="DRUG2", synonyms=[], xrefs=[], axes=[], caveats=[])
    for u, rel, v in [("drug2", "inhibits", "x2"), ("drug2", "inhibits", "y")]:
        g.add_edge(u, v, key=rel, relation=rel, sign=schema.SIGN_SYMBOLS[schema.RELATIONS[rel].sign], evidence=ev(),
                   refs=["1"], level="in_vitro")
    rows = run_named(NetworkXBackend(g), "therapies_upstream_of", {"driver": "peritoneal_metastasis"})
    got = [(r["therapy"], r["acts_by"], r["target"], r["path"], r["sign"], r["hops"]) for r in rows]
    assert got == [
        ("drug", "TARGETS", "x4", "x4 -PROMOTES-> peritoneal_metastasis", "+", 1),
        ("drug2", "INHIBITS", "y", "y -INHIBITS-> peritoneal_metastasis", "-", 1),
        ("drug2", "INHIBITS", "x2", "x2 -INHIBITS-> y -INHIBITS-> peritoneal_metastasis", "+", 2),
    ]
    assert run_named(NetworkXBackend(g), "therapies_upstream_of", {"driver": "x1"}) == []


def test_named_queries_use_the_schemas_vocabulary():
    """The Cypher text repeats schema values Cypher cannot import: keep them equal."""
    text = named_query("untargeted_drivers").text
    outcomes = re.search(r"o\.id IN \[([^\]]*)\]", text).group(1)
    assert [s.strip(" '") for s in outcomes.split(",")] == list(schema.DISEASE_OUTCOMES)
    kinds = re.search(r"x\.kind IN \[([^\]]*)\]", text).group(1)
    assert {s.strip(" '") for s in kinds.split(",")} == set(TARGET_KINDS)
    ranks = dict(re.findall(r"(\w+): (\d)", re.search(r"coalesce\(\{([^}]*)\}", text).group(1)))
    assert {k: int(v) for k, v in ranks.items()} == schema.EVIDENCE_LEVELS
    levels = re.search(r"\['none', ([^\]]*)\]\[best\]", text).group(1)
    assert [s.strip(" '") for s in levels.split(",")] == sorted(schema.EVIDENCE_LEVELS, key=schema.EVIDENCE_LEVELS.get)
    for name in ("untargeted_drivers", "therapies_upstream_of"):
        q = named_query(name).text
        signed = re.search(r"\[:((?:[A-Z_]+\|)+[A-Z_]+)\*1\.\.3\]", q).group(1).split("|")
        want = [r.neo4j_type for r in schema.RELATIONS.values()  # the steps mechgraph.edges walks
                if (r.sign in (1, -1) and r.name != "expresses" and r.name not in edges.EFFICACY_RELATIONS)
                or r.name in edges.PASS_THROUGH_RELATIONS]
        assert sorted(signed) == sorted(want), name
    acting = re.search(r"\(t:Entity\)-\[:([A-Z_|]+)\]->\(x\)", text).group(1).split("|")
    assert sorted(acting) == sorted(schema.RELATIONS[r].neo4j_type for r in ACTING_RELATIONS)
    assert "t.kind IN ['therapy', 'therapy_class']" in text and THERAPY_KINDS == ("therapy", "therapy_class")
