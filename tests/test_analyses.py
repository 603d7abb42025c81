"""Targets, effects, combinations and gaps on hand-built graphs with known answers."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest

from mechgraph.analysis.combine import combine, escape_routes
from mechgraph.analysis.effects import therapy_effect
from mechgraph.analysis.gaps import evidence_gaps
from mechgraph.analysis.index import mechanism_index
from mechgraph.analysis.semantics import STEP_PENALTY
from mechgraph.analysis.targets import MARKER_WEIGHT, rank_targets, shuffled_index
from mechgraph.errors import MechGraphError
from mechgraph.schema import LEVEL_WEIGHT
from tests.support.graphs import small_graph

OBS, TRIAL, VITRO = "observational_human", "randomised_trial", "in_vitro"
PM = "peritoneal_metastasis"
OUT = (PM, "poor_survival")


def toy():
    kinds = {PM: "phenotype", "poor_survival": "phenotype", "drug": "therapy", "brake": "cell_type", "proc": "process",
             "tumour": "tumour_cell"}
    g = small_graph(
        [
            ("driver", "promotes", PM, OBS), (PM, "promotes", "poor_survival", OBS),
            ("brake", "inhibits", PM, "preclinical_in_vivo"), ("drug", "targets", "driver", TRIAL),
            ("drug", "inhibits", "driver", TRIAL), ("weak", "promotes", "driver", VITRO),
            ("orphan", "binds", "weak", VITRO), ("proc", "promotes", PM, OBS), ("tumour", "promotes", PM, OBS),
        ],
        kinds,
    )
    g.add_node("trial", id="trial", name="T", kind="clinical_trial", phase="III")
    g.add_edge("drug", "trial", key="tested_in", relation="tested_in", sign="=",
               evidence=[{"ref": "1", "level": TRIAL}], refs=["1"])
    return g


def ranked(g, **kw):
    kw.setdefault("permutations", 0)
    return {t.id: t for t in rank_targets(g, top=0, outcomes=OUT, **kw).targets}


def test_targets_rank_drivers_and_brakes_with_their_reasons_and_drugs():
    r = ranked(toy())
    assert list(r)[0] == "driver"
    d = r["driver"]
    assert d.direction == "block" and d.components["druggability"] == 1.0  # targeted, drug reached phase III
    assert [t["id"] for t in d.therapies] == ["drug"] and d.therapies[0]["furthest_phase"] == "III"
    assert {x["outcome"]: x["sign"] for x in d.reasons} == {PM: "+", "poor_survival": "+"}
    assert r["brake"].direction == "boost"
    # not targets: no signed link (orphan), a process, a tumour cell, outcomes, therapies
    assert not {"orphan", "proc", "tumour", PM, "drug"} & set(r)
    assert all(x["refs"] and x["support"] for t in r.values() for x in t.reasons)


def test_influence_is_degree_aware_so_a_hub_gains_nothing_from_being_a_hub():
    edges = [("viahub", "promotes", "hub", OBS), ("hub", "promotes", PM, OBS),
             ("direct", "promotes", "mid", OBS), ("mid", "promotes", PM, OBS)]
    edges += [(f"x{i}", "promotes", "hub", OBS) for i in range(23)]  # hub: 25 mechanism edges
    g = small_graph(edges, {PM: "phenotype"})
    r = {t.id: t for t in rank_targets(g, top=0, outcomes=(PM,), permutations=0).targets}
    w = LEVEL_WEIGHT[OBS]
    assert math.isclose(r["direct"].influence, w * w * STEP_PENALTY * 2**-0.5)
    assert math.isclose(r["viahub"].influence, w * w * STEP_PENALTY * 25**-0.5)
    assert r["direct"].score > r["viahub"].score


def test_a_marker_of_a_driving_cell_is_a_handle_to_deplete_it():
    g = small_graph([("cell", "promotes", PM, OBS), ("cell", "expresses", "antigen", OBS)],
                    {PM: "phenotype", "cell": "cell_state"})
    r = {t.id: t for t in rank_targets(g, top=0, outcomes=(PM,), permutations=0).targets}
    a = r["antigen"]
    assert a.direction == "deplete" and a.reasons[0]["route"] == "marker"
    assert math.isclose(a.influence, MARKER_WEIGHT * LEVEL_WEIGHT[OBS] * LEVEL_WEIGHT[OBS])
    assert [s["relation"] for s in a.reasons[0]["path"]] == ["expresses", "promotes"]


def test_disagreeing_evidence_is_reported():
    g = small_graph([("x", "promotes", PM, OBS), ("x", "activates", "b", OBS),
                     ("b", "inhibits", PM, "randomised_trial")],
                    {PM: "phenotype"})
    x = {t.id: t for t in rank_targets(g, top=0, outcomes=(PM,), permutations=0).targets}["x"]
    assert x.disagreements and "both signs" in x.disagreements[0]


def test_shuffles_keep_every_degree_and_sign_and_p_values_are_reproducible():
    g = toy()
    for i in range(12):
        g.add_edge(f"n{i}", f"n{(i * 5 + 1) % 12}", key="promotes", relation="promotes", sign="+",
                   evidence=[{"ref": "1", "level": OBS}], refs=["1"])
        g.nodes[f"n{i}"].update(kind="gene", name=f"N{i}")
    index = mechanism_index(g, hub_penalty=0.5)
    shuffled = shuffled_index(index, random.Random(3))

    def profile(ix):
        outd = Counter({u: len(w) for u, w in enumerate(ix.out)})
        ind = Counter({v: len(w) for v, w in enumerate(ix.inc)})
        signs = Counter(s for w in ix.out for _, s, _, _ in w)
        return outd, ind, signs

    assert profile(shuffled) == profile(index)
    assert {(u, w) for u, ws in enumerate(shuffled.out) for w,
            *_ in ws} != {(u, w) for u, ws in enumerate(index.out) for w, *_ in ws}
    a = rank_targets(g, top=0, outcomes=OUT, permutations=30, seed=7).targets
    b = rank_targets(g, top=0, outcomes=OUT, permutations=30, seed=7).targets
    assert [(t.id, t.p_value, t.q_value) for t in a] == [(t.id, t.p_value, t.q_value) for t in b]
    assert all(1 / 31 <= t.p_value <= 1 and t.p_value <= t.q_value <= 1 for t in a)


def test_target_options_are_checked():
    with pytest.raises(MechGraphError):
        rank_targets(toy(), top=-3)
    with pytest.raises(MechGraphError):
        rank_targets(toy(), permutations=-1)


def test_killing_tumour_cells_does_not_raise_metastasis_through_their_markers():
    kinds = {PM: "phenotype", "drug": "therapy", "tumour": "tumour_cell", "nk": "cell_type"}
    g = small_graph([("drug", "kills", "tumour", OBS), ("tumour", "promotes", PM, OBS),
                     ("tumour", "expresses", "icam2", OBS),
                     ("icam2", "activates", "nk", OBS), ("nk", "inhibits", PM, OBS)], kinds)
    e = therapy_effect(g, "drug", PM)
    assert [[s.relation for s in p.path.steps] for p in e.lowering] == [["kills", "promotes"]]
    assert e.raising == [] and e.net < 0


def test_effect_is_bounded_and_counts_lines_both_ways():
    edges = [("drug", "inhibits", f"m{i}", TRIAL)
             for i in range(20)] + [(f"m{i}", "promotes", PM, TRIAL) for i in range(20)]
    edges += [("drug", "activates", "up", VITRO), ("up", "promotes", PM, VITRO)]
    g = small_graph(edges, {"drug": "therapy", PM: "phenotype"})
    e = therapy_effect(g, "drug", PM, k=25)
    assert -1 <= e.net < 0 and len(e.lowering) == 20 and len(e.raising) == 1
    top = e.tiers[0]
    assert top["level"] == TRIAL and math.isclose(top["belief"]["lowers"], 1 - (1 - STEP_PENALTY) ** 20, rel_tol=1e-4)
    assert e.tiers[1]["level"] == VITRO and e.tiers[1]["role"] == "contradicts"
    assert e.raising[0].role == "contradicts" and {p.role for p in e.lowering} == {"decides"}
    assert e.counts["supporting"] == 0 and e.counts["contradicting"] == 1
    assert any("in vitro study evidence (1 line) says it raises" in d for d in e.disagreements)


def test_null_trial_results_decide_and_mechanisms_below_them_do_not_outvote_them():
    g = small_graph([("drug", "kills", "tumour", "expert_statement"), ("tumour", "promotes", PM, "expert_statement")],
                    {"drug": "therapy", "tumour": "tumour_cell", PM: "phenotype"})
    alone = therapy_effect(g, "drug", PM)
    assert alone.verdict.startswith("lowers, by mechanism only, no reported result on it (decided at the level of "
                                    "an expert statement")
    g.add_edge("drug", PM, key="associated_with", relation="associated_with", sign="0", direction="none",
               evidence=[{"ref": "9", "level": TRIAL, "support": "review_text",
                          "figures": "OS 13.2 vs 13.0 months"}], refs=["9"])
    e = therapy_effect(g, "drug", PM)
    assert [c.direction for c in e.results] == ["null"] and e.results[0].figures == ["OS 13.2 vs 13.0 months"]
    assert e.net == 0.0 and abs(alone.net) > 0.1
    assert e.verdict == "no clear effect, decided by a randomised trial (ref 9): OS 13.2 vs 13.0 months"
    assert any("expert statement evidence (1 line) says it lowers" in d for d in e.disagreements)
    assert e.as_dict()["results"][0]["direction"] == "null"


def test_effect_needs_a_therapy():
    with pytest.raises(MechGraphError, match="not a therapy"):
        therapy_effect(toy(), "driver", PM)


def test_combination_shows_where_mechanisms_reinforce_and_cancel():
    kinds = {"d1": "therapy", "d2": "therapy", "d3": "therapy", "c": "cell_type", PM: "phenotype"}
    g = small_graph([("d1", "inhibits", "p", OBS), ("p", "inhibits", "c", OBS), ("d2", "activates", "c", OBS),
                     ("d3", "inhibits", "c", OBS), ("c", "inhibits", PM, OBS)], kinds)
    both = combine(g, "d1", "d2")
    assert [p.meeting["id"] for p in both.reinforce] == ["c"] and both.cancel == []
    assert both.shared_outcomes == []  # both reach PM only through c, where they already meet
    for d in ("d1", "d2"):
        g.add_edge(d, PM, key="inhibits", relation="inhibits", sign="-",
                   evidence=[{"ref": "2", "level": TRIAL}], refs=["2"])
    [shared] = combine(g, "d1", "d2").shared_outcomes
    assert shared.meeting["id"] == PM and shared.relation == "reinforce"
    against = combine(g, "d2", "d3")
    assert [p.meeting["id"] for p in against.cancel] == ["c"] and against.reinforce == []


def test_escape_routes_bypass_the_therapys_targets():
    kinds = {"drug": "therapy", PM: "phenotype"}
    g = small_graph([("drug", "inhibits", "p", OBS), ("p", "promotes", PM, OBS),
                     ("q", "promotes", PM, "preclinical_in_vivo"),
                     ("r", "promotes", "p", OBS), ("other", "inhibits", "q", OBS)], {**kinds, "other": "therapy"})
    esc = escape_routes(g, "drug", PM)
    assert [t["id"] for t in esc.targets] == ["p"]
    assert [r["start"]["id"] for r in esc.routes] == ["q"]  # r reaches PM only through the drug's target
    assert esc.routes[0]["partners"] == [{"id": "other", "name": "OTHER", "relation": "inhibits"}]


def test_a_chain_summary_step_targets_the_chain_s_first_entity_so_parallel_brakes_are_escape_routes():
    """drug -promotes-> activation, recorded as a summary of drug -| checkpoint -| activation: the
    drug acts on the checkpoint; another brake on activation is an escape route, not a target."""
    def graph(chain: bool):
        g = small_graph([("drug", "inhibits", "checkpoint", OBS), ("checkpoint", "inhibits", "activation", OBS),
                         ("drug", "promotes", "activation", OBS), ("activation", "inhibits", PM, OBS),
                         ("brake", "inhibits", "activation", OBS)], {"drug": "therapy", PM: "phenotype"})
        if chain:
            g.edges["drug", "activation", "promotes"]["chain"] = ["checkpoint"]
        return g

    esc = escape_routes(graph(chain=True), "drug", PM)
    assert [t["id"] for t in esc.targets] == ["checkpoint"]
    assert [r["start"]["id"] for r in esc.routes] == ["brake"]
    esc = escape_routes(graph(chain=False), "drug", PM)  # without the chain, activation is acted on directly
    assert {t["id"] for t in esc.targets} == {"checkpoint", "activation"} and esc.routes == []


def test_gaps_keep_only_preclinical_edges():
    rows = evidence_gaps(toy(), by="axis")["(no axis)"]
    assert {(r["source"], r["target"]) for r in rows} == {("brake", PM), ("weak", "driver"), ("orphan", "weak")}
    assert [r["source"] for r in evidence_gaps(toy(), by="cell")["BRAKE"]] == ["brake"]


# --- on the curated seed graph ------------------------------------------------------------


def test_default_answers_never_pass_a_hypothesis(seed_graph):
    from mechgraph.analysis.paths import find_paths

    ranking = rank_targets(seed_graph, top=0, permutations=0)
    steps = [s for t in ranking.targets for r in t.reasons for s in r["path"]]
    cells = [n for n, a in seed_graph.nodes(data=True) if a.get("kind") in ("cell_type", "cell_state")]
    therapies = [n for n, a in seed_graph.nodes(data=True) if a.get("kind") in ("therapy", "therapy_class")]
    for c in cells:
        for t in therapies[:12]:
            answer = find_paths(seed_graph, c, t).as_dict()
            steps += [s for key in ("paths", "shared_outcomes", "associations") for p in answer[key]
                      for s in p["steps"]]
    for t in therapies:
        e = therapy_effect(seed_graph, t, PM).as_dict()
        steps += [s for key in ("lowering", "raising") for p in e[key] for s in p["steps"]]
    assert len(steps) > 500
    assert all(s["support"] and "hypothesis" not in s["support"] for s in steps)


def test_every_therapy_has_a_bounded_effect_decided_by_its_strongest_evidence(seed_graph):
    from mechgraph import schema
    from mechgraph.analysis import hierarchy
    from mechgraph.cli.answers_text import effect_text

    therapies = [n for n, a in seed_graph.nodes(data=True) if a.get("kind") in ("therapy", "therapy_class")]
    with_results = 0
    for t in therapies:
        for outcome in (PM, "poor_survival", "malignant_ascites"):
            e = therapy_effect(seed_graph, t, outcome).as_dict()
            assert -1 <= e["net"] <= 1
            lines = e["results"] + e["lowering"] + e["raising"]
            if not lines:
                assert e["verdict"].startswith("no evidence")
                continue
            best = max(hierarchy.rank(x["level"]) for x in lines)
            assert hierarchy.rank(e["decided_by"]["level"]) == best
            assert all(x["role"] == "decides" for x in lines if hierarchy.rank(x["level"]) == best)
            if abs(e["net"]) >= hierarchy.NO_CLEAR_EFFECT:
                lo, hi = hierarchy.band(e["decided_by"]["level"])
                assert lo - 1e-9 <= abs(e["net"]) <= hi + 1e-9
            text = effect_text(e)
            order = [text.find(f"\n{hierarchy.label(x['level'])}: ") for x in e["tiers"]]
            assert order == sorted(order) and all(i >= 0 for i in order)
            if e["results"]:
                with_results += 1
            if "trial" in e["verdict"]:
                assert e["decided_by"]["level"] in schema.TRIAL_LEVELS
    assert with_results >= 5
