"""Signed paths and mechanism meetings on small hand-built graphs whose answers are known."""

from __future__ import annotations

import itertools
import math

import pytest

from mechgraph.analysis.paths import PathOptions, find_paths, signed_paths
from mechgraph.analysis.semantics import STEP_PENALTY
from mechgraph.edges import parse_support
from mechgraph.errors import MechGraphError
from mechgraph.schema import LEVEL_WEIGHT, REFERENCE_TITLE_DISCOUNT
from tests.support.graphs import small_graph

OBS = "observational_human"


def chain_ids(p):
    return [n["id"] for n in p.nodes]


def test_sign_is_the_product_of_steps_and_structural_steps_pass_it_through():
    g = small_graph([("a", "promotes", "b", OBS), ("b", "inhibits", "c", OBS), ("c", "inhibits", "d", OBS),
                     ("d", "subtype_of", "e", OBS), ("e", "kills", "f", OBS)])
    assert [p.sign for p in signed_paths(g, "a", "c")] == ["-"]
    [p] = signed_paths(g, "a", "f")
    assert p.sign == "-"  # + - - (=) -
    assert [s.sign for s in p.steps] == ["+", "-", "-", "=", "-"]


def test_unsigned_associations_and_markers_are_not_mechanism_steps():
    kinds = {"cell": "cell_type", "drug": "therapy"}
    g = small_graph([("a", "binds", "b", OBS), ("b", "promotes", "c", OBS), ("a", "associated_with", "c", OBS),
                     ("a", "targets", "c", OBS), ("cell", "expresses", "m", OBS), ("m", "promotes", "c", OBS),
                     ("drug", "expresses", "m", OBS)], kinds)
    assert signed_paths(g, "a", "c") == []
    assert signed_paths(g, "cell", "c") == []  # a marker describes the cell; it is not its output
    [p] = signed_paths(g, "drug", "c")  # a therapy expressing a product supplies it
    assert p.sign == "+" and [s.relation for s in p.steps] == ["expresses", "promotes"]


def test_score_is_step_weights_times_penalty_per_extra_step():
    g = small_graph([("a", "promotes", "z", "in_vitro"), ("a", "promotes", "m", "randomised_trial"),
                     ("m", "promotes", "z", "randomised_trial")])
    paths = signed_paths(g, "a", "z", k=5, hub_penalty=0.0)
    assert [len(p.steps) for p in paths] == [2, 1]
    assert math.isclose(paths[0].score, 1.0 * 1.0 * STEP_PENALTY)
    assert math.isclose(paths[1].score, LEVEL_WEIGHT["in_vitro"])


def test_hub_penalty_demotes_paths_through_hubs():
    edges = [("s", "promotes", "hub", OBS), ("hub", "promotes", "t", OBS),
             ("s", "promotes", "x", OBS), ("x", "promotes", "y", OBS), ("y", "promotes", "t", OBS)]
    edges += [(f"n{i}", "promotes", "hub", OBS) for i in range(14)]  # the hub has 16 mechanism edges
    g = small_graph(edges)
    plain = signed_paths(g, "s", "t", k=2, hub_penalty=0.0)
    assert [chain_ids(p) for p in plain] == [["s", "hub", "t"], ["s", "x", "y", "t"]]
    damped = signed_paths(g, "s", "t", k=2)
    assert [chain_ids(p) for p in damped] == [["s", "x", "y", "t"], ["s", "hub", "t"]]
    w = LEVEL_WEIGHT[OBS]
    assert math.isclose(damped[0].score, w**3 * STEP_PENALTY**2 * 2**-0.5 * 2**-0.5)
    assert math.isclose(damped[1].score, w**2 * STEP_PENALTY * 16**-0.5)
    assert [chain_ids(p) for p in signed_paths(g, "s", "t", k=2, max_degree=5)] == [["s", "x", "y", "t"]]


def test_sign_is_searched_not_filtered_after_the_fact():
    edges = [("a", "promotes", f"p{i}", "randomised_trial") for i in range(4)]
    edges += [(f"p{i}", "promotes", "t", "randomised_trial") for i in range(4)]
    edges += [("a", "inhibits", "q", "in_vitro"), ("q", "promotes", "r", "in_vitro"),
              ("r", "promotes", "t", "in_vitro")]
    g = small_graph(edges)
    top = signed_paths(g, "a", "t", k=3)
    assert {p.sign for p in top} == {"+"}  # filtering these would find no '-' path
    [neg] = signed_paths(g, "a", "t", k=1, sign="-")
    assert neg.sign == "-" and chain_ids(neg) == ["a", "q", "r", "t"]
    assert len(signed_paths(g, "a", "t", k=10, sign="+")) == 4


def test_via_avoid_kinds_and_max_len():
    kinds = {"proc": "process"}
    g = small_graph([("a", "promotes", "proc", "randomised_trial"), ("proc", "promotes", "t", "randomised_trial"),
                     ("a", "promotes", "g", "in_vitro"), ("g", "promotes", "t", "in_vitro"),
                     ("a", "promotes", "h", "in_vitro"), ("h", "promotes", "g2", "in_vitro"),
                     ("g2", "promotes", "t", "in_vitro")], kinds)
    assert chain_ids(signed_paths(g, "a", "t", k=1)[0]) == ["a", "proc", "t"]
    assert chain_ids(signed_paths(g, "a", "t", k=1, kinds=("gene",))[0]) == ["a", "g", "t"]
    assert chain_ids(signed_paths(g, "a", "t", k=1, avoid=("proc", "g"))[0]) == ["a", "h", "g2", "t"]
    assert [chain_ids(p) for p in signed_paths(g, "a", "t", k=5, via=("h",))] == [["a", "h", "g2", "t"]]
    assert signed_paths(g, "a", "t", k=5, max_len=1) == []
    for p in signed_paths(g, "a", "t", k=5):
        assert len(set(chain_ids(p))) == len(p.nodes)  # simple


def test_answers_do_not_depend_on_the_order_edges_were_stored():
    edges = [("s", "promotes", "zeta", OBS), ("zeta", "promotes", "t", OBS), ("s", "promotes", "alpha", OBS),
             ("alpha", "promotes", "t", OBS), ("s", "activates", "alpha", OBS)]
    answers = {tuple(tuple(chain_ids(p)) + tuple(s.relation for s in p.steps)
                     for p in signed_paths(small_graph(list(order)), "s", "t", k=3))
               for order in itertools.permutations(edges)}
    assert len(answers) == 1


def test_hypotheses_are_never_used_by_default_and_titles_are_discounted():
    g = small_graph([("a", "promotes", "b", OBS, "hypothesis"), ("a", "promotes", "c", OBS, "reference_title"),
                     ("c", "promotes", "b", OBS)])
    [p] = signed_paths(g, "a", "b", k=5, hub_penalty=0.0)
    assert chain_ids(p) == ["a", "c", "b"]
    assert p.steps[0].support == ["reference_title"]
    assert math.isclose(p.score, LEVEL_WEIGHT[OBS] * REFERENCE_TITLE_DISCOUNT * LEVEL_WEIGHT[OBS] * STEP_PENALTY)
    assert chain_ids(signed_paths(g, "a", "b", k=1, support=parse_support("all"))[0]) == ["a", "b"]
    assert signed_paths(g, "a", "b", support=parse_support("review_text")) == []
    with pytest.raises(MechGraphError, match="unknown support"):
        parse_support("reviews")


def mechanism_graph():
    kinds = {"drug": "therapy", "cls": "therapy_class", "cd8": "cell_type", "caf": "cell_state", "helper": "cell_type",
             "caf2": "cell_state", "tme": "phenotype", "pd1": "gene"}
    return small_graph(
        [
            ("drug", "inhibits", "pd1", OBS), ("pd1", "inhibits", "cd8", OBS), ("cd8", "inhibits", "tme", OBS),
            ("caf", "inhibits", "cd8", OBS), ("helper", "activates", "cd8", OBS), ("caf2", "promotes", "tme", OBS),
            ("tme", "inhibits", "cls", OBS), ("drug", "subtype_of", "cls", OBS),
        ],
        kinds,
    )


def test_a_cell_meets_a_therapy_at_its_mechanism():
    g = mechanism_graph()
    own = find_paths(g, "cd8", "drug")
    assert own.mode == "mechanism"
    [p] = own.paths
    assert p.meeting["id"] == "cd8" and p.relation == "effector" and p.sign == "+"
    assert chain_ids(p) == ["cd8", "pd1", "drug"] and p.legs == {"from": 0, "to": 2}
    assert [s.direction for s in p.steps] == ["backward", "backward"]  # walked back from the cell to the drug

    [against] = find_paths(g, "caf", "drug").paths
    assert against.meeting["id"] == "cd8" and against.relation == "against" and against.sign == "-"
    assert chain_ids(against) == ["caf", "cd8", "pd1", "drug"]
    assert [s.direction for s in against.steps] == ["forward", "backward", "backward"]
    [with_] = find_paths(g, "helper", "drug").paths
    assert with_.relation == "with" and with_.sign == "+"
    assert find_paths(g, "helper", "drug", sign="-").paths == []


def test_outcomes_and_clinical_associations_are_kept_apart_from_mechanisms():
    answer = find_paths(mechanism_graph(), "caf2", "drug")
    assert answer.paths == []  # caf2 meets the drug only at an outcome
    [shared] = answer.shared_outcomes
    assert shared.meeting["id"] == "tme" and shared.relation == "against"
    [assoc] = answer.associations
    assert chain_ids(assoc) == ["caf2", "tme", "cls"] and assoc.sign == "-"  # lowers the efficacy of the drug's class
    d = answer.as_dict()
    assert set(d) >= {"paths", "shared_outcomes", "associations"}
    assert all({"source", "target", "relation", "sign", "refs", "level", "support", "direction"} <= set(s)
               for s in d["shared_outcomes"][0]["steps"])


def test_edges_into_a_therapy_are_never_mechanism_steps():
    g = mechanism_graph()
    assert signed_paths(g, "caf2", "cls") == []
    with pytest.raises(MechGraphError, match="combine"):
        find_paths(g, "drug", "cls")


def test_options_are_checked():
    g = mechanism_graph()
    for bad in ({"k": 0}, {"max_len": 0}, {"sign": "x"}, {"via": ("a", "b")}):
        with pytest.raises(MechGraphError):
            find_paths(g, "caf", "drug", PathOptions(**bad))
    with pytest.raises(MechGraphError, match="unknown kind"):
        find_paths(g, "caf", "tme", kinds=("celltype",))
    with pytest.raises(MechGraphError, match="not in the graph"):
        find_paths(g, "caf", "nope")


def test_a_meeting_is_never_reached_by_membership_alone():
    # treg and cd8 are both T cells; raising CD8+ T cells does not make the treg "work with" the drug at "T cell"
    kinds = {"drug": "therapy", "cd8": "cell_type", "treg": "cell_type", "t_cell": "cell_type"}
    g = small_graph([("drug", "activates", "cd8", OBS), ("cd8", "subtype_of", "t_cell", OBS),
                     ("treg", "subtype_of", "t_cell", OBS), ("treg", "inhibits", "cd8", OBS)], kinds)
    answer = find_paths(g, "treg", "drug")
    assert [(p.meeting["id"], p.relation) for p in answer.paths] == [("cd8", "against")]
