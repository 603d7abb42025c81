"""`targets`: complexes merged with their parts, the review's proposals, drugs already hitting a
candidate, on hand-built graphs whose right answers are known."""

from __future__ import annotations

import math

from mechgraph.analysis.index import mechanism_index
from mechgraph.analysis.targets import complex_groups, influence_table, outcome_reach, rank_targets
from mechgraph.cli.answers_text import targets_text
from tests.support.graphs import small_graph

PM = "peritoneal_metastasis"
OBS, MOUSE = "observational_human", "preclinical_in_vivo"
KINDS = {PM: "phenotype", "c3_c3ar1": "complex", "gas6_axl": "complex", "k2": "complex", "drug": "therapy",
         "tam": "cell_state"}


def graph():
    g = small_graph([
        ("c3", "part_of", "c3_c3ar1", MOUSE), ("c3ar1", "part_of", "c3_c3ar1", MOUSE),
        ("c3ar1", "promotes", "tam", MOUSE), ("tam", "promotes", PM, OBS), ("c3", "activates", "c3ar1", MOUSE),
        ("axl", "part_of", "gas6_axl", MOUSE), ("axl", "part_of", "k2", MOUSE), ("gas6", "part_of", "gas6_axl", MOUSE),
        ("axl", "promotes", PM, MOUSE), ("gas6_axl", "promotes", PM, MOUSE), ("k2", "promotes", PM, "in_vitro"),
        ("drug", "inhibits", "c3ar1", OBS), ("lone", "promotes", PM, OBS),
    ], KINDS)
    g.add_node("trial", id="trial", name="T", kind="clinical_trial", phase="II")
    g.add_edge("drug", "trial", key="tested_in", relation="tested_in", sign="=",
               evidence=[{"ref": "1", "level": OBS}], refs=["1"])
    return g


def ranked(g, **kw):
    return {t.id: t for t in rank_targets(g, top=0, permutations=0, outcomes=(PM,), **kw).targets}


def test_a_complex_and_its_parts_are_one_candidate_named_by_the_complex():
    g = graph()
    r = ranked(g)
    assert "c3" not in r and "c3ar1" not in r
    c = r["c3_c3ar1"]
    assert [p["id"] for p in c.parts] == ["c3", "c3ar1"]
    # its influence is the best of its own and its parts' (C3AR1 -> TAM -> PM beats C3 -> C3AR1 -> ...)
    index = mechanism_index(g, hub_penalty=0.5)
    reach = outcome_reach(index, index.node(PM), index.constraints())
    [table] = influence_table(index, {index.node(PM): reach}).values()
    alone = {n: float(table[:, index.node(n)].max()) for n in ("c3", "c3ar1", "c3_c3ar1")}
    assert alone["c3ar1"] > alone["c3"] > 0 and alone["c3_c3ar1"] == 0  # C3 acts through C3AR1
    assert math.isclose(c.influence, alone["c3ar1"])
    [reason] = c.reasons
    assert reason["part"]["id"] == "c3ar1" and [s["source"] for s in reason["path"]] == ["c3ar1", "tam"]
    # a drug on a part acts on the candidate
    assert c.components["druggability"] > 0.5 and c.therapies[0]["acts_on"]["id"] == "c3ar1"
    text = targets_text(rank_targets(g, top=0, permutations=0, outcomes=(PM,)).as_dict())
    flat = " ".join(text.split())
    assert "with its parts C3, C3AR1" in flat
    assert "through its part C3AR1" in flat and "already hit by: DRUG on C3AR1 (phase II)" in flat


def test_a_part_of_two_complexes_ranks_on_its_own_and_both_complexes_say_so():
    g = graph()
    groups, shared = complex_groups(mechanism_index(g))
    index = mechanism_index(g)
    named = {index.ids[k]: sorted(index.ids[p] for p in v) for k, v in groups.items()}
    assert named == {"c3_c3ar1": ["c3", "c3ar1"], "gas6_axl": ["gas6"]}
    assert {index.ids[p]: [index.ids[c] for c in cs] for p, cs in shared.items()} == {"axl": ["gas6_axl", "k2"]}
    r = ranked(g)
    assert "axl" in r and "gas6" not in r
    assert ([sp["id"] for sp in r["gas6_axl"].shared_parts] == ["axl"]
            and [sp["id"] for sp in r["k2"].shared_parts] == ["axl"])
    assert "AXL is also part of K2 and ranks on its own" in " ".join(targets_text(
        rank_targets(g, top=0, permutations=0, outcomes=(PM,)).as_dict()).split())


def test_the_reviews_proposal_is_a_reason_never_a_boost():
    g = graph()
    before = ranked(g)
    g.nodes["c3"]["proposals"] = [{"proposes": "target", "entities": ["c3_c3ar1"], "therapy": None, "refs": ["19"],
                                   "locator": "1.3 ¶2", "support": "review_text", "summary": "block the C3 pathway"}]
    after = ranked(g)
    assert [(t.id, round(t.score, 9)) for t in before.values()] == [(t.id, round(t.score, 9)) for t in after.values()]
    assert after["c3_c3ar1"].proposals[0]["locator"] == "1.3 ¶2" and before["c3_c3ar1"].proposals == []
    flat = " ".join(targets_text(rank_targets(g, top=0, permutations=0, outcomes=(PM,)).as_dict()).split())
    assert "the review proposes it as a target (1.3 ¶2, ref 19)" in flat
    assert "LONE" in flat and "no therapy in the graph acts on it yet" in flat


def test_merged_candidates_keep_p_values_reproducible_and_bounded():
    g = graph()
    a = rank_targets(g, top=0, permutations=30, seed=3, outcomes=(PM,))
    b = rank_targets(g, top=0, permutations=30, seed=3, outcomes=(PM,))
    assert [(t.id, t.p_value, t.q_value) for t in a.targets] == [(t.id, t.p_value, t.q_value) for t in b.targets]
    assert all(1 / 31 <= t.p_value <= t.q_value <= 1 for t in a.targets)


def test_a_therapy_that_is_a_form_of_a_candidate_hits_it():
    """A recombinant cytokine (form_of) supplies the cytokine: it is a drug that hits it, and the
    candidate's druggability and reasons say so; before it is added, none does."""
    g = small_graph([("cytokine", "inhibits", PM, OBS)], {PM: "phenotype", "cytokine": "cytokine"})
    before = ranked(g)["cytokine"]
    assert before.components["druggability"] == 0 and before.therapies == []
    g = small_graph([("cytokine", "inhibits", PM, OBS), ("recombinant", "form_of", "cytokine", OBS)],
                    {PM: "phenotype", "cytokine": "cytokine", "recombinant": "therapy"})
    after = ranked(g)["cytokine"]
    assert after.components["druggability"] == 0.5 and [t["id"] for t in after.therapies] == ["recombinant"]
    assert "already hit by: RECOMBINANT" in " ".join(targets_text(
        rank_targets(g, top=0, permutations=0, outcomes=(PM,)).as_dict()).split())
