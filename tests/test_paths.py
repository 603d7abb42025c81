"""Signed paths on small hand-built graphs whose answers are known."""

from __future__ import annotations

import math

import pytest

from conftest import small_graph
from mechgraph.analysis.paths import LEVEL_WEIGHT, STEP_PENALTY, combine_signs, signed_paths


def test_sign_is_the_product_of_steps():
    g = small_graph([("a", "promotes", "b", "in_vitro"), ("b", "inhibits", "c", "in_vitro"), ("c", "inhibits", "d", "in_vitro")])
    [p] = signed_paths(g, "a", "c")
    assert p.sign == "-"
    [p] = signed_paths(g, "a", "d")
    assert p.sign == "+"
    assert [s.relation for s in p.steps] == ["promotes", "inhibits", "inhibits"]


def test_unsigned_step_makes_the_path_unsigned_and_structural_passes_through():
    assert combine_signs([1, 0, -1]) == "0"
    assert combine_signs([1, None, -1]) == "-"
    g = small_graph([("a", "binds", "b", "in_vitro"), ("b", "promotes", "c", "in_vitro")])
    assert signed_paths(g, "a", "c")[0].sign == "0"


def test_shorter_and_stronger_paths_score_higher():
    g = small_graph(
        [
            ("a", "promotes", "z", "in_vitro"),  # 1 step, weak
            ("a", "promotes", "m", "clinical_trial"),
            ("m", "promotes", "z", "clinical_trial"),  # 2 steps, strong
            ("a", "promotes", "x", "in_vitro"),
            ("x", "promotes", "y", "in_vitro"),
            ("y", "promotes", "z", "in_vitro"),  # 3 steps, weak
        ]
    )
    paths = signed_paths(g, "a", "z", k=5)
    assert [len(p.steps) for p in paths] == [2, 1, 3]
    assert math.isclose(paths[0].score, 1.0 * 1.0 * STEP_PENALTY)
    assert math.isclose(paths[1].score, LEVEL_WEIGHT["in_vitro"])
    assert paths[0].score > paths[1].score > paths[2].score


def test_k_limits_and_parallel_relations_give_separate_paths():
    g = small_graph([("a", "activates", "b", "in_vitro"), ("a", "binds", "b", "in_vitro"), ("b", "promotes", "c", "in_vitro")])
    paths = signed_paths(g, "a", "c", k=5)
    assert {p.sign for p in paths} == {"+", "0"}
    assert paths[0].sign == "+"  # on equal score a signed path comes first
    assert len(signed_paths(g, "a", "c", k=1)) == 1


def test_max_len_and_no_path():
    g = small_graph([("a", "promotes", "b", "in_vitro"), ("b", "promotes", "c", "in_vitro")])
    assert signed_paths(g, "a", "c", max_len=1) == []
    assert signed_paths(g, "c", "a") == []
    [p] = signed_paths(g, "c", "a", undirected=True)
    assert [s.reversed for s in p.steps] == [True, True]
    assert p.steps[0].source == "b" and p.steps[0].target == "c"  # stored direction is reported


def test_therapy_class_reaches_its_members_but_not_siblings():
    kinds = {"pd1_ab": "therapy_class", "nivo": "therapy", "pembro": "therapy"}
    g = small_graph(
        [("tme", "inhibits", "pd1_ab", "expert_statement"), ("nivo", "subtype_of", "pd1_ab", "expert_statement"),
         ("pembro", "subtype_of", "pd1_ab", "expert_statement")],
        kinds,
    )
    [p] = signed_paths(g, "tme", "nivo")
    assert p.sign == "-" and p.steps[-1].reversed
    assert signed_paths(g, "nivo", "pembro") == []


def test_subtype_inherits_class_mechanisms():
    kinds = {"thbs2_caf": "cell_state", "caf": "cell_state", "pm": "phenotype"}
    g = small_graph([("thbs2_caf", "subtype_of", "caf", "observational_human"), ("caf", "promotes", "pm", "observational_human")], kinds)
    [p] = signed_paths(g, "thbs2_caf", "pm")
    assert p.sign == "+"


def test_publications_are_left_out():
    g = small_graph([("a", "promotes", "b", "in_vitro")])
    g.add_node("ref_1", id="ref_1", name="Ref", kind="publication")
    with pytest.raises(Exception, match="publications are left out"):
        signed_paths(g, "a", "ref_1")


def test_seed_graph_connects_thbs2_caf_to_pd1_antibody(seed_graph):
    paths = signed_paths(seed_graph, "thbs2_caf", "pd1_antibody", k=5)
    assert paths, "the review links THBS2+ CAFs to the efficacy of PD-1 antibodies"
    assert any(p.sign == "-" for p in paths)  # CAF/TAM abundance in nodules is an association (unsigned), so not all are signed
    assert any("19" in s.refs for p in paths for s in p.steps)
