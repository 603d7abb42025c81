"""Targets, effects and gaps on hand-built graphs with known answers, and on the seed graph."""

from __future__ import annotations

from conftest import small_graph
from mechgraph.analysis.effects import therapy_effect
from mechgraph.analysis.gaps import evidence_gaps
from mechgraph.analysis.targets import rank_targets

OUTCOMES = {"peritoneal_metastasis": "phenotype", "poor_survival": "phenotype"}


def toy():
    kinds = {**OUTCOMES, "drug": "therapy", "brake": "cell_type", "orphan": "gene"}
    g = small_graph(
        [
            ("driver", "promotes", "peritoneal_metastasis", "observational_human"),
            ("peritoneal_metastasis", "promotes", "poor_survival", "observational_human"),
            ("brake", "inhibits", "peritoneal_metastasis", "preclinical_in_vivo"),
            ("drug", "targets", "driver", "clinical_trial"),
            ("drug", "inhibits", "driver", "clinical_trial"),
            ("weak", "promotes", "driver", "in_vitro"),
            ("orphan", "binds", "weak", "in_vitro"),
        ],
        kinds,
    )
    g.add_node("trial", id="trial", name="T", kind="clinical_trial", phase="III")
    g.add_edge("drug", "trial", key="tested_in", relation="tested_in", sign="=", evidence=[{"ref": "1", "level": "clinical_trial"}], refs=["1"])
    return g


def test_rank_targets_orders_by_influence_and_druggability():
    ranked = rank_targets(toy(), top=0, outcomes=("peritoneal_metastasis", "poor_survival"))
    ids = [t.id for t in ranked]
    assert ids[0] == "driver"
    driver = ranked[0]
    assert driver.direction == "block"
    assert driver.components["druggability"] == 1.0  # targeted, and its drug reached phase III
    assert [t["id"] for t in driver.therapies] == ["drug"]
    assert driver.therapies[0]["furthest_phase"] == "III"
    brake = next(t for t in ranked if t.id == "brake")
    assert brake.direction == "boost"
    assert "orphan" not in ids  # only an unsigned link: no influence, no drug
    outcomes = {r["outcome"]: r["sign"] for r in driver.reasons if "outcome" in r}
    assert outcomes == {"peritoneal_metastasis": "+", "poor_survival": "+"}


def test_effect_separates_supporting_and_contradicting_paths():
    g = toy()
    for u, v in (("drug", "x"), ("x", "peritoneal_metastasis")):
        g.add_node(v, id=v, name=v, kind=g.nodes[v]["kind"] if v in g else "gene")
        g.add_edge(u, v, key="promotes", relation="promotes", sign="+",
                   evidence=[{"ref": "2", "level": "in_vitro"}], refs=["2"], level="in_vitro")
    eff = therapy_effect(g, "drug", "peritoneal_metastasis")
    assert [p.sign for p in eff.lowering] == ["-"]  # 1.0 * 0.9 * 0.8 = 0.72
    assert [p.sign for p in eff.raising] == ["+"]  # 0.7 * 0.7 * 0.8 = 0.392
    assert round(eff.net, 3) == round(0.392 - 0.72, 3)
    assert eff.verdict == "lowers on balance (some paths disagree)"
    assert len(eff.unsigned) == 1  # drug -targets-> driver -> PM


def test_effect_of_balanced_evidence_is_conflicting():
    g = toy()
    g.add_edge("drug", "peritoneal_metastasis", key="promotes", relation="promotes", sign="+",
               evidence=[{"ref": "2", "level": "in_vitro"}], refs=["2"], level="in_vitro")
    assert therapy_effect(g, "drug", "peritoneal_metastasis").verdict == "conflicting: evidence points both ways"


def test_effect_with_no_path():
    eff = therapy_effect(toy(), "drug", "brake")
    assert eff.verdict == "no signed path" and not eff.lowering


def test_gaps_keep_only_preclinical_edges():
    groups = evidence_gaps(toy(), by="axis")
    rows = groups["(no axis)"]
    assert {(r["source"], r["target"]) for r in rows} == {("brake", "peritoneal_metastasis"), ("weak", "driver"), ("orphan", "weak")}
    by_cell = evidence_gaps(toy(), by="cell")
    assert [r["source"] for r in by_cell["BRAKE"]] == ["brake"]


def test_seed_targets_include_the_axes_the_review_names(seed_graph):
    ranked = {t.id: t for t in rank_targets(seed_graph, top=0)}
    for axis_member in ("pd1", "c3ar1", "c3_c3ar1", "axl", "gas6_axl", "mir_200b", "thbs2_caf", "spp1_tam", "m2_tam", "icam2", "treg", "il33"):
        assert axis_member in ranked, axis_member
        assert any("outcome" in r for r in ranked[axis_member].reasons), axis_member
    top10 = list(ranked)[:10]
    assert "pd1" in top10 and "m2_tam" in top10 and "caf" in top10
    assert ranked["mir_200b"].direction == "boost" and ranked["c3ar1"].direction == "block"
    assert {t["id"] for t in ranked["pd1"].therapies} >= {"nivolumab", "pembrolizumab", "tislelizumab", "sintilimab"}


def test_seed_effect_of_catumaxomab_on_ascites(seed_graph):
    eff = therapy_effect(seed_graph, "catumaxomab", "malignant_ascites")
    assert eff.lowering[0].steps[0].relation == "inhibits"
    assert eff.lowering[0].steps[0].refs == ["37", "39"]


def test_seed_gaps_name_preclinical_axes(seed_graph):
    groups = evidence_gaps(seed_graph)
    assert "GAS6/AXL axis" in groups
    assert all(set(r["levels"]) <= {"preclinical_in_vivo", "in_vitro"} for rows in groups.values() for r in rows)


def test_equally_good_reasons_do_not_depend_on_edge_order():
    """Two equally strong routes to the outcome: the reason shown is the same whichever was stored first."""
    edges = [
        ("src", "promotes", "zeta", "observational_human"),
        ("zeta", "promotes", "peritoneal_metastasis", "observational_human"),
        ("src", "promotes", "alpha", "observational_human"),
        ("alpha", "promotes", "peritoneal_metastasis", "observational_human"),
    ]
    answers = []
    for order in (edges, edges[::-1], edges[2:] + edges[:2]):
        ranked = rank_targets(small_graph(order, dict(OUTCOMES)), top=0, outcomes=("peritoneal_metastasis",))
        src = next(t for t in ranked if t.id == "src")
        answers.append([s["target"] for s in src.reasons[0]["path"]])
    assert answers == [["alpha", "peritoneal_metastasis"]] * 3
