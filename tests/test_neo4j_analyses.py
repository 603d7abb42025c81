"""Analyses where the graph is: `path` and `show` on the Neo4j backend fetch only what they need,
and answer exactly as the embedded backend does (seed graph and a 10^4-edge synthetic graph)."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from mechgraph import edges, schema
from mechgraph.analysis.bounded import combine_graph, degree_relations, find_paths_in, therapy_effect_in, walk_relations
from mechgraph.analysis.combine import combine
from mechgraph.analysis.effects import therapy_effect
from mechgraph.analysis.index import MechanismIndex
from mechgraph.analysis.paths import PathOptions, find_paths
from mechgraph.store.embedded import NetworkXBackend
from mechgraph.store.entities import describe
from tests.support.graphs import small_graph

SYNTHETIC_EDGES = 10_000


# --- the precomputed-degree hook, without a server ----------------------------------------------


def test_index_takes_whole_graph_degrees_when_the_graph_carries_them():
    g = small_graph([("a", "promotes", "b", "in_vitro"), ("b", "promotes", "c", "in_vitro")])
    plain = MechanismIndex(g)
    assert plain.degree == [1, 2, 1] and plain.typical_degree == 1.0  # median of 1, 1, 2
    part = g.copy()
    part.graph["typical_degree"] = 2.0
    for n, d in (("a", 3), ("b", 8), ("c", 2)):
        part.nodes[n]["mechgraph_degree"] = d
    index = MechanismIndex(part)
    assert index.degree == [3, 8, 2] and index.typical_degree == 2.0
    assert index.hub[index.node("b")] == pytest.approx(0.5 * __import__("math").log(8 / 2.0))
    assert index.hub[index.node("c")] == 0.0


def test_walk_and_degree_relations_follow_the_semantics():
    along, against = walk_relations()
    assert "promotes" in along and "subtype_of" in along and "expresses" in along
    assert against == ["part_of"]  # a regimen to its components
    assert "binds" not in along and "associated_with" not in along
    assert "subtype_of" not in degree_relations() and "expresses" not in degree_relations()
    assert "inhibits" in degree_relations()


# --- parity on the real server ------------------------------------------------------------------

OPTION_VARIANTS = [
    PathOptions(),
    PathOptions(k=8, max_len=4),
    PathOptions(sign="-"),
    PathOptions(max_degree=6, hub_penalty=1.0),
    PathOptions(support=frozenset(edges.SUPPORTS), min_level="preclinical_in_vivo"),
    PathOptions(kinds=("cell_type", "cell_state", "cytokine", "gene", "process")),
]


def _answers_equal(g: nx.MultiDiGraph, backend, pairs, variants) -> int:
    """Assert each answer equals the embedded one; return how many paths were compared."""
    compared = 0
    for s, t in pairs:
        for opts in variants:
            want = find_paths(g, s, t, opts).as_dict()
            got = find_paths_in(backend, s, t, opts).as_dict()
            assert got == want, (s, t, opts)
            compared += len(want["paths"]) + len(want.get("shared_outcomes", ())) + len(want.get("associations", ()))
    return compared


@pytest.mark.neo4j
def test_path_on_the_seed_graph_equals_the_embedded_answer(loaded_neo4j, seed_graph):
    kinds = nx.get_node_attributes(seed_graph, "kind")
    walkable = sorted(n for n, k in kinds.items() if k not in schema.NEVER_WALKED_KINDS)
    therapies = sorted(n for n in walkable if kinds[n] in schema.THERAPY_KINDS)
    rng = random.Random(13)
    directed = [("thbs2_caf", "peritoneal_metastasis"), ("nivolumab", "peritoneal_metastasis")]
    directed += [tuple(rng.sample(walkable, 2)) for _ in range(25)]
    directed = [(s, t) for s, t in directed if kinds[t] not in schema.THERAPY_KINDS]
    mechanism = [("thbs2_caf", "pd1_antibody")] + [(rng.choice([n for n in walkable if n not in therapies]),
                                                    rng.choice(therapies))
                                                    for _ in range(10)]
    assert _answers_equal(seed_graph, loaded_neo4j, directed, OPTION_VARIANTS) > 20
    assert _answers_equal(seed_graph, loaded_neo4j, mechanism, OPTION_VARIANTS[:3]) > 10
    # via and avoid name entities the search may never reach: still the same answer
    via = PathOptions(via=("spp1_tam",), avoid=("c3ar1",))
    assert _answers_equal(seed_graph, loaded_neo4j, [("thbs2_caf", "peritoneal_metastasis")], [via]) > 0


@pytest.mark.neo4j
def test_show_takes_one_query_and_matches_the_embedded_view(loaded_neo4j, seed_graph):
    embedded = NetworkXBackend(seed_graph)
    busiest = max(seed_graph.nodes, key=seed_graph.degree)
    assert seed_graph.degree(busiest) > 10
    queries = []
    read = loaded_neo4j._read

    def counting(text, **params):
        queries.append(text)
        return read(text, **params)

    loaded_neo4j._read = counting
    try:
        for eid in (busiest, "spp1_tam", "thbs2_caf"):
            queries.clear()
            assert describe(loaded_neo4j, eid).as_dict() == describe(embedded, eid).as_dict()
            assert len(queries) == 2, queries  # the name lookup, then the entity with all its edges
    finally:
        loaded_neo4j._read = read


@pytest.fixture(scope="module")
def synthetic_10k():
    from tests.support.synthetic import synthetic_graph

    return synthetic_graph(SYNTHETIC_EDGES, seed=0)


@pytest.fixture
def neo4j_10k(neo4j_conn, synthetic_10k):
    from mechgraph.store.neo4j_backend import Neo4jBackend
    from mechgraph.store.neo4j_load import load_into_neo4j

    load_into_neo4j(synthetic_10k, neo4j_conn, progress=False, replace=True)
    backend = Neo4jBackend(neo4j_conn)
    yield backend
    backend.close()


def _synthetic_pairs(g: nx.MultiDiGraph):
    from benchmarks.embedded import pick_pairs

    directed = pick_pairs(g, 0)
    kinds = nx.get_node_attributes(g, "kind")
    therapies = sorted(n for n, k in kinds.items() if k == "therapy")
    rng = random.Random(5)
    mechanism = [(s, rng.choice(therapies)) for s, _ in directed]
    return directed, mechanism


@pytest.mark.neo4j
def test_path_on_a_synthetic_graph_equals_the_embedded_answer_and_does_not_fetch_it(neo4j_10k, synthetic_10k):
    g = synthetic_10k
    size = g.number_of_nodes() + g.number_of_edges()
    directed, mechanism = _synthetic_pairs(g)
    for s, t in directed:
        neo4j_10k.fetched = None
        got = find_paths_in(neo4j_10k, s, t, PathOptions()).as_dict()
        assert got == find_paths(g, s, t, PathOptions()).as_dict()
        assert len(got["paths"]) == 5
        rows = neo4j_10k.fetched["rows"]
        assert rows < size / 4, (s, t, neo4j_10k.fetched, size)  # measured: 800-2,200 of 12,500
    assert _answers_equal(g, neo4j_10k, directed[:2], [PathOptions(sign="-", k=3), PathOptions(max_len=3)]) > 0
    assert _answers_equal(g, neo4j_10k, mechanism, [PathOptions()]) > 0


def _effects_equal(g: nx.MultiDiGraph, backend, cases) -> int:
    """Assert each effect equals the embedded one; return how many lines of evidence were compared."""
    compared = 0
    for therapy, outcome in cases:
        opts = PathOptions(max_len=5, hub_penalty=0.0)  # the CLI's defaults for `effect`
        want = therapy_effect(g, therapy, outcome, opts=opts, k=opts.k).as_dict()
        assert therapy_effect_in(backend, therapy, outcome, opts, opts.k).as_dict() == want, (therapy, outcome)
        compared += sum(want["counts"][k] for k in ("results_lowers", "results_raises", "results_null",
                                                       "paths_lowering", "paths_raising"))
    return compared


@pytest.mark.neo4j
def test_effect_on_the_seed_graph_equals_the_embedded_answer(loaded_neo4j, seed_graph):
    kinds = nx.get_node_attributes(seed_graph, "kind")
    therapies = sorted(n for n, k in kinds.items() if k in schema.THERAPY_KINDS)
    outcomes = sorted(n for n, k in kinds.items() if k in schema.OUTCOME_KINDS)
    rng = random.Random(3)
    cases = [("nivolumab", "peritoneal_metastasis"), ("pd1_antibody", "peritoneal_metastasis"),
             ("catumaxomab", "peritoneal_metastasis")] + [(rng.choice(therapies), rng.choice(outcomes))
                                                          for _ in range(10)]
    assert _effects_equal(seed_graph, loaded_neo4j, cases) > 10


@pytest.mark.neo4j
def test_effect_on_a_synthetic_graph_equals_the_embedded_answer(neo4j_10k, synthetic_10k):
    g = synthetic_10k
    kinds = nx.get_node_attributes(g, "kind")
    therapies = sorted(n for n, k in kinds.items() if k in schema.THERAPY_KINDS)
    outcomes = sorted(n for n, k in kinds.items() if k in schema.OUTCOME_KINDS)
    rng = random.Random(3)
    cases = [(rng.choice(therapies), rng.choice(outcomes)) for _ in range(8)]
    assert _effects_equal(g, neo4j_10k, cases) >= 10


def _combinations_equal(g: nx.MultiDiGraph, backend, pairs) -> int:
    compared = 0
    for a, b in pairs:
        opts = PathOptions()
        want = combine(g, a, b, opts).as_dict()
        backend.fetched = None
        assert combine(combine_graph(backend, a, b, opts), a, b, opts).as_dict() == want, (a, b)
        compared += sum(len(v) for v in want.values() if isinstance(v, list) and v and isinstance(v[0], dict)
                        and "steps" in v[0])
    return compared


@pytest.mark.neo4j
def test_combine_on_both_graphs_equals_the_embedded_answer(loaded_neo4j, seed_graph, neo4j_conn, synthetic_10k):
    from mechgraph.store.neo4j_load import load_into_neo4j

    rng = random.Random(8)
    for g in (seed_graph, synthetic_10k):
        if g is synthetic_10k:
            load_into_neo4j(g, neo4j_conn, progress=False, replace=True)
        therapies = sorted(n for n, k in nx.get_node_attributes(g, "kind").items() if k in schema.THERAPY_KINDS)
        pairs = [tuple(rng.sample(therapies, 2)) for _ in range(6)]
        if g is seed_graph:
            pairs.append(("nivolumab", "catumaxomab"))
        assert _combinations_equal(g, loaded_neo4j, pairs) > 0


@pytest.mark.neo4j
def test_unknown_and_refused_questions_fail_as_on_the_embedded_graph(loaded_neo4j, seed_graph):
    from mechgraph.errors import MechGraphError

    cases = [("no_such_entity", "peritoneal_metastasis"), ("thbs2_caf", "no_such_entity"),
             ("no_such_entity", "pd1_antibody"), ("nivolumab", "pd1_antibody"), ("thbs2_caf", "thbs2_caf")]
    for s, t in cases:
        with pytest.raises(MechGraphError) as want:
            find_paths(seed_graph, s, t, PathOptions())
        with pytest.raises(MechGraphError) as got:
            find_paths_in(loaded_neo4j, s, t, PathOptions())
        assert str(got.value) == str(want.value)
    for therapy, outcome in (("thbs2_caf", "peritoneal_metastasis"), ("nivolumab", "nivolumab")):
        opts = PathOptions(max_len=5, hub_penalty=0.0)
        with pytest.raises(MechGraphError) as want:
            therapy_effect(seed_graph, therapy, outcome, opts=opts, k=5)
        with pytest.raises(MechGraphError) as got:
            therapy_effect_in(loaded_neo4j, therapy, outcome, opts, 5)
        assert str(got.value) == str(want.value)


@pytest.mark.neo4j
def test_the_hub_penalty_uses_degrees_in_the_whole_graph_not_in_the_fetched_part(neo4j_conn):
    """s -> h -> t is shorter, but h has 20 more edges into it that the search never fetches: with
    h's whole-graph degree the longer s -> a -> b -> t ranks first, with the fetched part's it
    would not."""
    from mechgraph.store.neo4j_backend import Neo4jBackend
    from mechgraph.store.neo4j_load import load_into_neo4j

    edges = [("s", "promotes", "h", "observational_human"), ("h", "promotes", "t", "observational_human"),
             ("s", "promotes", "a", "observational_human"), ("a", "promotes", "b", "observational_human"),
             ("b", "promotes", "t", "observational_human")]
    edges += [(f"y{i}", "promotes", "h", "observational_human") for i in range(20)]
    g = small_graph(edges)
    want = find_paths(g, "s", "t", PathOptions(k=2)).as_dict()
    assert [[n["id"] for n in p["nodes"]] for p in want["paths"]] == [["s", "a", "b", "t"], ["s", "h", "t"]]
    load_into_neo4j(g, neo4j_conn, progress=False, replace=True)
    backend = Neo4jBackend(neo4j_conn)
    try:
        backend.fetched = None
        assert find_paths_in(backend, "s", "t", PathOptions(k=2)).as_dict() == want
        assert backend.fetched["edges"] < g.number_of_edges()  # the y -> h edges were never fetched
    finally:
        backend.close()


@pytest.mark.neo4j
@pytest.mark.parametrize("view", [
    {"around": "THBS2+ CAF", "depth": 2},
    {"path": ("THBS2+ CAF", "PD-1 antibody")},
    {"path": ("THBS2+ CAF", "peritoneal metastasis"), "context": 1},
])
def test_viz_views_fetch_a_bounded_part_and_draw_the_same_page(neo4j_conn, seed_graph, tmp_path, view):
    from mechgraph.store.embedded import NetworkXBackend
    from mechgraph.store.neo4j_backend import Neo4jBackend
    from mechgraph.store.neo4j_load import load_into_neo4j
    from mechgraph.views import draw

    load_into_neo4j(seed_graph, neo4j_conn, progress=False, replace=True)
    neo = Neo4jBackend(neo4j_conn)
    try:
        neo.fetched = None
        page = draw(neo, tmp_path / "neo.html", **view).path.read_bytes()
        assert neo.fetched and neo.fetched["nodes"] < seed_graph.number_of_nodes()  # never the whole graph
        assert page == draw(NetworkXBackend(seed_graph), tmp_path / "nx.html", **view).path.read_bytes()
    finally:
        neo.close()


# --- this round's answers: classes through members, chains, modifiers, strata, merged targets ----


def _round_graph() -> nx.MultiDiGraph:
    """A hand-built graph with every new rule: a class with members two levels down, a summary
    edge recording its chain, modifiers, a form, two strata, complexes with a shared part and a
    proposal (all as the seeds will hold them)."""
    from tests.test_answers import KINDS, graph

    KINDS.update({"tim3": "gene", "gal9": "gene", "vista": "gene", "axl": "gene"})
    g = graph([
        ("pd1ab", "subtype_of", "ici", "expert_statement"), ("nivo", "subtype_of", "pd1ab", "expert_statement"),
        ("pembro", "subtype_of", "pd1ab", "expert_statement"), ("catu", "subtype_of", "ip", "expert_statement"),
        ("nivo", "inhibits", "pd1", "expert_statement"), ("pembro", "inhibits", "pd1", "expert_statement"),
        ("pd1", "inhibits", "cd8", "expert_statement"), ("cd8", "kills", "tumour", "expert_statement"),
        ("tumour", "promotes", "peritoneal_metastasis", "expert_statement"),
        ("catu", "kills", "tumour", "expert_statement"),
        ("catu", "recruits", "accessory", "expert_statement"), ("m2", "subtype_of", "accessory", "expert_statement"),
        ("caf", "polarizes", "spp1_tam", "preclinical_in_vivo", {"chain": ["c3", "c3ar1"], "ref": "19"}),
        ("caf", "secretes", "c3", "preclinical_in_vivo", {"ref": "19"}),
        ("c3", "activates", "c3ar1", "preclinical_in_vivo", {"ref": "19"}),
        ("c3ar1", "polarizes", "spp1_tam", "preclinical_in_vivo", {"ref": "19"}),
        ("spp1_tam", "inhibits", "cd8", "expert_statement"),
        ("spp1_tam", "promotes", "peritoneal_metastasis", "expert_statement"),
        ("c3", "part_of", "c3_c3ar1", "preclinical_in_vivo"), ("c3ar1", "part_of", "c3_c3ar1", "preclinical_in_vivo"),
        ("axl", "part_of", "c3_c3ar1", "in_vitro"), ("axl", "part_of", "k2", "in_vitro"),
        ("axl", "promotes", "peritoneal_metastasis", "in_vitro"),
        ("paclitaxel", "enhances", "catu", "preclinical_in_vivo"), ("stroma", "impairs", "pd1ab", "expert_statement"),
        ("caf", "promotes", "stroma", "observational_human"), ("rmhtnf", "form_of", "tnf", "expert_statement"),
        ("tnf", "inhibits", "tumour", "expert_statement"),
        ("exhausted", "characterized_by", "tim3_gal9", "expert_statement"),
        ("exhausted", "subtype_of", "gc", "expert_statement"),
        ("excluded", "characterized_by", "stroma", "expert_statement"),
        ("excluded", "subtype_of", "gc", "expert_statement"),
        ("gc", "promotes", "peritoneal_metastasis", "observational_human"),
        ("tim3_gal9", "inhibits", "cd8", "preclinical_in_vivo"),
        ("tim3", "part_of", "tim3_gal9", "preclinical_in_vivo"),
        ("gal9", "part_of", "tim3_gal9", "preclinical_in_vivo"),
        ("vista", "inhibits", "cd8", "preclinical_in_vivo"),
        ("exhausted", "characterized_by", "vista", "expert_statement"),
        ("stroma", "inhibits", "cd8", "observational_human"),
        ("nivo", "associated_with", "peritoneal_metastasis", "randomised_trial", {"direction": "none", "ref": "38"}),
    ])
    g.nodes["c3"]["proposals"] = [{"proposes": "target", "entities": ["c3_c3ar1"], "therapy": None, "refs": ["19"],
                                   "locator": "1.3 ¶2", "support": "review_text", "summary": "block the C3 pathway"}]
    return g


@pytest.fixture
def neo4j_round(neo4j_conn):
    from mechgraph.store.neo4j_backend import Neo4jBackend
    from mechgraph.store.neo4j_load import load_into_neo4j

    g = _round_graph()
    load_into_neo4j(g, neo4j_conn, progress=False, replace=True)
    backend = Neo4jBackend(neo4j_conn)
    yield g, backend
    backend.close()


@pytest.mark.neo4j
def test_this_rounds_answers_are_identical_on_neo4j(neo4j_round):
    from mechgraph.analysis.combine import escape_routes
    from mechgraph.analysis.targets import rank_targets

    g, backend = neo4j_round
    pm = "peritoneal_metastasis"
    server = backend.analysis_graph()
    assert server.nodes["c3"]["proposals"] == g.nodes["c3"]["proposals"]
    assert server.edges["caf", "spp1_tam", "polarizes"]["chain"] == ["c3", "c3ar1"]
    cases = [("caf", "ici"), ("caf", "nivo"), ("m2", "catu"), ("exhausted", "pd1ab"), ("excluded", "pd1ab"),
             ("cd8", "ip"), ("caf", pm), ("ici", "cd8"), ("rmhtnf", pm), ("exhausted", pm)]
    for s, t in cases:
        for opts in (PathOptions(), PathOptions(via=("c3",)), PathOptions(max_len=3)):
            want = find_paths(g, s, t, opts).as_dict()
            assert find_paths_in(backend, s, t, opts).as_dict() == want, (s, t, opts)
    assert any("chain" in st for p in find_paths(g, "caf", "nivo", PathOptions(via=("c3",))).as_dict()["paths"]
               for st in p["steps"])
    assert _effects_equal(g, backend, [("ici", pm), ("nivo", pm), ("pd1ab", pm), ("catu", pm),
                                       ("rmhtnf", "tumour")]) > 3
    for a, b in (("ici", "catu"), ("paclitaxel", "catu"), ("pd1ab", "ip")):
        for stratum in (None, "exhausted"):
            want = combine(g, a, b, PathOptions(), stratum=stratum).as_dict()
            got = combine(combine_graph(backend, a, b, PathOptions(), stratum), a, b, PathOptions(), stratum=stratum)
            assert got.as_dict() == want, (a, b, stratum)
    assert combine(g, "paclitaxel", "catu").modifiers
    for stratum in (None, "exhausted", "excluded"):
        assert rank_targets(server, top=0, permutations=10, stratum=stratum).as_dict() == \
            rank_targets(g, top=0, permutations=10, stratum=stratum).as_dict()
        assert escape_routes(server, "pd1ab", pm,
                             stratum=stratum).as_dict() == escape_routes(g, "pd1ab", pm, stratum=stratum).as_dict()


@pytest.mark.neo4j
def test_classes_on_the_seed_graph_answer_identically_on_neo4j(loaded_neo4j, seed_graph):
    kinds = nx.get_node_attributes(seed_graph, "kind")
    classes = sorted(n for n, k in kinds.items() if k == "therapy_class")
    cells = sorted(n for n, k in kinds.items() if k in ("cell_state", "cell_type"))
    rng = random.Random(21)
    pairs = [("thbs2_caf", "icb")] + [(rng.choice(cells), c) for c in classes]
    assert _answers_equal(seed_graph, loaded_neo4j, pairs, OPTION_VARIANTS[:2]) > 10
    directed = [(c, "peritoneal_metastasis") for c in classes[:6]]
    assert _answers_equal(seed_graph, loaded_neo4j, directed, OPTION_VARIANTS[:1]) > 0
    assert _effects_equal(seed_graph, loaded_neo4j, [(c, "peritoneal_metastasis") for c in classes]) > 5
    assert _combinations_equal(seed_graph, loaded_neo4j, [("icb", "catumaxomab"), ("car_t", "pd1_antibody")]) > 0
