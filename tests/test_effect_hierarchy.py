"""`effect` under the evidence hierarchy, on hand-built graphs whose right answers are known."""

from __future__ import annotations

import itertools
import random

import pytest

from mechgraph import schema
from mechgraph.analysis import hierarchy as hi
from mechgraph.analysis.effects import therapy_effect
from mechgraph.cli.answers_text import effect_text
from tests.support.graphs import small_graph

PM, OS = "peritoneal_metastasis", "poor_survival"
LEVELS = list(schema.EVIDENCE_LEVELS)  # strongest first
KINDS = {"drug": "therapy", "cls": "therapy_class", "sib": "therapy", PM: "phenotype", OS: "phenotype",
         "tumour": "tumour_cell", "x": "gene"}


def add(g, u, rel, v, level, *, ref="1", support="review_text", **attrs):
    """Add one edge with one evidence record; `observation`, `figures` go on the record."""
    for n in (u, v):
        if n not in g:
            g.add_node(n, id=n, name=n.upper(), kind=KINDS.get(n, "gene"))
    rec = {"ref": ref, "level": level, "support": support, "species": "patients", "summary": "test"}
    for k in ("observation", "figures"):
        if k in attrs:
            rec[k] = attrs.pop(k)
    sign = schema.SIGN_SYMBOLS[schema.RELATIONS[rel].sign]
    if g.has_edge(u, v, rel):
        g.edges[u, v, rel]["evidence"].append(rec)
    else:
        g.add_edge(u, v, key=rel, relation=rel, sign=sign, evidence=[rec], refs=[ref], level=level, **attrs)


def graph():
    return small_graph([("tumour", "promotes", PM, "expert_statement")], KINDS)


def test_a_randomised_null_decides_and_mouse_and_case_report_lines_never_outvote_it():
    g = graph()
    add(g, "drug", "associated_with", PM, "randomised_trial", ref="38", direction="none",
        figures="OS 13.2 vs 13.0 months (P=0.97)")
    add(g, "drug", "inhibits", PM, "case_report", ref="35")
    add(g, "drug", "inhibits", "x", "preclinical_in_vivo", ref="40")
    add(g, "x", "promotes", PM, "preclinical_in_vivo", ref="40")
    e = therapy_effect(g, "drug", PM)
    assert e.verdict.startswith("no clear effect, decided by a randomised trial (ref 38): OS 13.2 vs 13.0 months "
                                "(P=0.97)")
    assert abs(e.net) < hi.NO_CLEAR_EFFECT
    assert e.decided_by["level"] == "randomised_trial" and e.decided_by["trial"]
    roles = {(c.level, c.role) for c in e.results} | {(p.level, p.role) for p in e.lowering}
    assert roles == {("randomised_trial", "decides"), ("case_report", "contradicts"),
                     ("preclinical_in_vivo", "contradicts")}
    assert [t["role"] for t in e.tiers] == ["decides", "contradicts", "contradicts"]
    assert e.counts["contradicting"] == 2 and e.counts["supporting"] == 0
    assert any("case report evidence (1 line) says it lowers; the randomised trial evidence decides: no clear "
               "effect" in d for d in e.disagreements)
    # without the trial, the case report decides, and the animal line supports it
    g.remove_edge("drug", PM, "associated_with")
    e2 = therapy_effect(g, "drug", PM)
    assert e2.decided_by["level"] == "case_report"
    assert e2.verdict.startswith("lowers, decided by a case report (ref 35)")
    assert [p.role for p in e2.lowering] == ["supports"]


def test_a_mouse_study_can_never_outscore_a_randomised_trial():
    """For each level, a therapy whose effect rests on that level alone: the stronger the level,
    the larger |net|, whatever the lines' own strengths (many weak trial lines, one strong mouse)."""
    rng = random.Random(4)
    for _ in range(20):
        nets = []
        for level in LEVELS:
            g = graph()
            for i in range(rng.randint(1, 4)):  # a few concordant lines, some weakened by title-only support
                support = rng.choice(["review_text", "reference_title"])
                add(g, "drug", "inhibits", f"m{i}" if rng.random() < 0.5 else PM, level, ref=str(10 + i),
                    support=support)
                if g.has_edge("drug", f"m{i}"):
                    add(g, f"m{i}", "promotes", PM, level, ref=str(20 + i), support=support)
            e = therapy_effect(g, "drug", PM)
            assert e.decided_by["level"] == level and e.net < 0
            lo, hi_ = hi.band(level)
            assert lo - 1e-9 <= abs(e.net) <= hi_ + 1e-9
            nets.append(abs(e.net))
        assert nets == sorted(nets, reverse=True) and len(set(nets)) == len(nets)


def test_bands_are_disjoint_ordered_and_above_no_clear_effect():
    bands = [hi.band(level) for level in LEVELS]
    assert bands[0][1] == pytest.approx(1.0) and bands[-1][0] == pytest.approx(hi.NO_CLEAR_EFFECT)
    for (lo_a, _), (_, hi_b) in itertools.pairwise(bands):
        assert lo_a == pytest.approx(hi_b)
    assert (hi.placed(0.05, "randomised_trial") == 0.05
            and hi.placed(-1.0, "in_vitro") == pytest.approx(-hi.band("in_vitro")[1]))


def test_only_trials_are_called_trials():
    for level in LEVELS:
        g = graph()
        add(g, "drug", "inhibits", PM, level, ref="7", figures="ORR 40%")
        e = therapy_effect(g, "drug", PM)
        text = effect_text(e.as_dict())
        assert ("trial" in text.lower()) == (level in schema.TRIAL_LEVELS), (level, text)
        assert hi.label(level) in e.verdict
        assert [c.as_dict()["trial"] for c in e.results] == [level in schema.TRIAL_LEVELS]


def test_one_observation_counts_once_and_two_studies_twice():
    g = graph()
    add(g, "drug", "subtype_of", "cls", "expert_statement")
    add(g, "cls", "inhibits", PM, "observational_human", ref="30", observation="ref30_pooled")
    add(g, "drug", "inhibits", PM, "observational_human", ref="30", observation="ref30_pooled")
    e = therapy_effect(g, "drug", PM)
    assert [(c.therapy["id"], c.observation) for c in e.results] == [("drug", "ref30_pooled")]  # the most specific
    add(g, "cls", "inhibits", PM, "observational_human", ref="31")  # another study
    e = therapy_effect(g, "drug", PM)
    assert sorted((c.therapy["id"], c.refs[0]) for c in e.results) == [("cls", "31"), ("drug", "30")]
    assert [c.own for c in e.results] == [True, False]


def test_a_class_answers_through_its_members_results_and_mechanisms_but_a_member_never_through_its_siblings():
    g = graph()
    for m in ("drug", "sib"):
        add(g, m, "subtype_of", "cls", "expert_statement")
    add(g, "sib", "inhibits", OS, "randomised_trial", ref="31", figures="OS 10 vs 8 months")
    add(g, "sib", "kills", "tumour", "preclinical_in_vivo", ref="9")
    add(g, "tumour", "promotes", OS, "expert_statement")
    cls = therapy_effect(g, "cls", OS)
    assert [(c.therapy["id"], c.own) for c in cls.results] == [("sib", False)]
    assert cls.decided_by["level"] == "randomised_trial" and cls.net < 0
    [mech] = cls.lowering
    assert (mech.path.through["from"]["member"]["id"] == "sib"
            and [n["id"] for n in mech.path.nodes][:2] == ["cls", "sib"])
    drug = therapy_effect(g, "drug", OS)
    assert drug.results == [] and drug.lowering == []  # nivolumab does not inherit catumaxomab's trial or mechanism


def test_paths_that_differ_only_in_the_member_are_one_line_naming_the_members():
    g = graph()
    for m in ("m1", "m2", "m3"):
        KINDS[m] = "therapy"
        add(g, m, "subtype_of", "cls", "expert_statement")
        add(g, m, "kills", "tumour", "in_vitro", ref=m)
    e = therapy_effect(g, "cls", PM)
    [line] = e.lowering
    note = line.path.through["from"]
    assert note["member"]["id"] == "m1" and [x["id"] for x in note["also"]] == ["m2", "m3"]


def test_a_paths_level_is_its_weakest_signed_step_and_membership_does_not_count():
    g = graph()
    KINDS["m1"] = "therapy"
    add(g, "m1", "subtype_of", "cls", "expert_statement")
    add(g, "cls", "inhibits", "x", "randomised_trial")
    add(g, "x", "promotes", PM, "observational_human")
    [line] = therapy_effect(g, "m1", PM).lowering
    assert [s.relation for s in line.path.steps] == ["subtype_of", "inhibits", "promotes"]
    assert line.level == "observational_human"


def test_modifiers_of_efficacy_are_listed_apart_and_never_steps():
    g = graph()
    KINDS.update({"enhancer": "therapy", "stroma": "phenotype"})
    add(g, "drug", "kills", "tumour", "preclinical_in_vivo")
    add(g, "enhancer", "enhances", "drug", "preclinical_in_vivo", ref="40")
    add(g, "stroma", "impairs", "cls", "expert_statement")
    add(g, "drug", "subtype_of", "cls", "expert_statement")
    e = therapy_effect(g, "drug", PM)
    assert [r["source"] for r in e.enhancers] == ["enhancer"] and [r["source"] for r in e.limits] == ["stroma"]
    assert all(s.relation not in ("enhances", "impairs") for p in e.lowering + e.raising for s in p.path.steps)
    text = " ".join(effect_text(e.as_dict()).split())
    assert ("ENHANCER raises the efficacy of DRUG (enhances" in text
            and "STROMA lowers the efficacy of CLS (impairs" in text)
    assert therapy_effect(g, "enhancer", PM).lowering == []  # enhancing a therapy is not acting through it


def test_results_of_every_measured_outcome_count_for_that_outcome():
    g = graph()
    for outcome, fig in ((PM, "PM rate 10% vs 30%"), (OS, "OS 13.2 vs 13.0 months (P=0.97)")):
        rel = "inhibits" if outcome == PM else "associated_with"
        add(g, "drug", rel, outcome, "randomised_trial", ref="38", figures=fig,
            **({"direction": "none"} if rel != "inhibits" else {}))
    pm, os_ = therapy_effect(g, "drug", PM), therapy_effect(g, "drug", OS)
    assert pm.verdict.startswith("lowers, decided by a randomised trial (ref 38): PM rate")
    assert os_.verdict.startswith("no clear effect, decided by a randomised trial (ref 38): OS 13.2")


@pytest.mark.parametrize("a, b", list(itertools.combinations(LEVELS, 2)))
def test_a_higher_level_decides_against_any_lower_one(a, b):
    g = graph()
    add(g, "drug", "inhibits", PM, a, ref="1")
    add(g, "drug", "promotes", PM, b, ref="2")
    e = therapy_effect(g, "drug", PM)
    assert e.decided_by["level"] == a and e.net < 0
    assert [(c.level, c.role) for c in e.results] == [(a, "decides"), (b, "contradicts")]


def test_a_verdict_from_mechanisms_alone_says_no_study_measured_the_outcome():
    g = graph()
    add(g, "drug", "inhibits", "x", "in_vitro", ref="33")
    add(g, "x", "promotes", PM, "observational_human", ref="2")
    e = therapy_effect(g, "drug", PM)
    assert e.verdict.startswith("lowers, by mechanism only, no reported result on it (decided at the level of an "
                                "in vitro study, the weakest step")
    assert e.decided_by["mechanism_only"] and e.decided_by["level"] == "in_vitro"
    add(g, "drug", "inhibits", PM, "in_vitro", ref="34")  # now a study measured it, at the same level
    e = therapy_effect(g, "drug", PM)
    assert e.verdict.startswith("lowers, decided by evidence at the level of an in vitro study (1 reported result, "
                                "1 mechanism path") and not e.decided_by["mechanism_only"]


def test_results_on_other_outcomes_are_named_strongest_first_with_their_direction():
    g = graph()
    add(g, "drug", "inhibits", "x", "in_vitro", ref="33")
    add(g, "x", "promotes", PM, "expert_statement", ref="review")
    add(g, "drug", "inhibits", OS, "randomised_trial", ref="31", figures="HR 0.7")
    add(g, "cls", "associated_with", "malignant_ascites", "case_report", ref="9", direction="none")
    g.nodes["malignant_ascites"]["kind"] = "phenotype"
    add(g, "drug", "subtype_of", "cls", "expert_statement", ref="review")
    add(g, "drug", "promotes", "x", "preclinical_in_vivo", ref="40")  # a gene: a mechanism, never an outcome
    e = therapy_effect(g, "drug", PM)
    assert [(r["outcome"]["id"], r["level"], r["directions"], r["refs"]) for r in e.other_outcomes] == [
        (OS, "randomised_trial", ["lowers"], ["31"]), ("malignant_ascites", "case_report", ["null"], ["9"])]
    assert "reported results on other outcomes (ask with --on OUTCOME): POOR_SURVIVAL (randomised trial: lowers, " \
           "ref 31); MALIGNANT_ASCITES (case report: no effect, ref 9)" in " ".join(effect_text(e.as_dict()).split())
    assert therapy_effect(g, "drug", OS).other_outcomes[0]["outcome"]["id"] == "malignant_ascites"


def test_the_studies_testing_a_therapy_say_their_design_and_a_cohort_is_not_a_trial():
    g = graph()
    add(g, "drug", "inhibits", PM, "expert_statement", ref="review")
    add(g, "drug", "subtype_of", "cls", "expert_statement", ref="review")
    for study, level, attrs in [("cohort", "observational_human", {"results": [{"endpoint": "OS"}]}),
                                ("rct", "randomised_trial", {"phase": "III", "results": [{"endpoint": "OS"}]}),
                                ("phase1", "nonrandomised_trial", {"phase": "I"})]:
        add(g, "cls" if study == "phase1" else "drug", "tested_in", study, level, ref="t")
        g.nodes[study].update(kind="clinical_trial", name=study.upper(), **attrs)
    rows = therapy_effect(g, "drug", PM).trials
    assert [(r["id"], r["level_label"], r["trial"], r["results"], r["therapies"]) for r in rows] == [
        ("rct", "randomised trial", True, True, ["DRUG"]),
        ("cohort", "observational study in patients", False, True, ["DRUG"]),
        ("phase1", "non-randomised trial", True, False, ["CLS"]),
    ]
    text = " ".join(effect_text(therapy_effect(g, "drug", PM).as_dict()).split())
    assert ("- COHORT (observational study in patients; results in the review)" in text
            and "- PHASE1 (non-randomised trial, phase I; no results in the review; tests CLS)" in text)
