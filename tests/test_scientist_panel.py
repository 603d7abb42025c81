"""A panel of questions a GCPM scientist asks of the curated seed graph, each with the properties
a correct answer must have (issue 18). Questions are asked as a person types them (names, not
ids) and answered by the functions the CLI calls; every property is asserted. The rules behind
the answers are tested on hand-built graphs elsewhere (test_answers, test_effect_hierarchy,
test_targets_groups): here the curated data and the rules must meet in answers a scientist
would sign."""

from __future__ import annotations

import pytest

from mechgraph import schema
from mechgraph.analysis import hierarchy
from mechgraph.analysis.combine import combine, escape_routes
from mechgraph.analysis.effects import therapy_effect
from mechgraph.analysis.paths import PathOptions, find_paths
from mechgraph.analysis.targets import TARGET_KINDS, rank_targets
from mechgraph.cli.answers_text import combination_text, effect_text, path_text, targets_text
from mechgraph.store.embedded import NetworkXBackend
from mechgraph.store.entities import resolve

PM = "peritoneal_metastasis"


@pytest.fixture(scope="module")
def ask(seed_graph):
    """Resolve names as the CLI does."""
    backend = NetworkXBackend(seed_graph)
    return lambda name: resolve(backend, name)


def flat(text: str) -> str:
    return " ".join(text.split())


def path_ids(p: dict) -> list[str]:
    return [n["id"] for n in p["nodes"]]


def chain_ids(p: dict) -> set[str]:
    """Every entity a path names: its nodes and the entities of the chains under its steps."""
    out = set(path_ids(p))
    for st in p["steps"]:
        if st.get("chain"):
            out |= {n["id"] for n in st["chain"]["nodes"]}
    return out


def strata(g) -> dict[str, str]:
    """The disease subtypes of the graph by id -> name."""
    return {n: a["name"] for n, a in g.nodes(data=True) if a.get("kind") == "disease_subtype"}


def features(g, subtype: str) -> set[str]:
    return {v for _, v, k in g.out_edges(subtype, keys=True) if k == "characterized_by"}


def effect(g, therapy: str, outcome: str = PM) -> dict:
    return therapy_effect(g, therapy, outcome, opts=PathOptions(max_len=5, hub_penalty=0.0), k=5).as_dict()


def require(condition: bool, what: str) -> None:
    """What the curated data must hold for the question to be asked at all (a failure, not a skip)."""
    assert condition, f"the curated seeds lack {what}"


# 1 ----------------------------------------------------------------------------------------------
def test_thbs2_caf_against_immune_checkpoint_blockade_names_the_c3_axis_and_spp1_tam(seed_graph, ask):
    """path "THBS2+ CAF" "immune checkpoint blockade": not "no mechanistic meeting point"; the
    review's headline mechanism is in the default answer: THBS2+ CAF polarizes SPP1+ TAMs
    (explained through C3 -> C3aR1) which raise the immunosuppressive microenvironment that
    impairs ICB: it lowers ICB's efficacy; the class answers through a named member."""
    a = find_paths(seed_graph, ask("THBS2+ CAF"), ask("immune checkpoint blockade")).as_dict()
    assert a["paths"] and not a["verdict"].startswith("no mechanistic meeting point")
    assert all(p["through"]["to"]["member"] for p in a["paths"])  # the class acts through a member
    shown = a["paths"] + a["associations"]
    headline = [p for p in shown if "spp1_tam" in chain_ids(p) and chain_ids(p) & {"c3", "c3ar1", "c3_c3ar1"}]
    assert headline and all(p["sign"] == "-" or p.get("relation") == "against" for p in headline)
    text = flat(path_text(a))
    assert "through complement C3 → C3AR1" in text and "SPP1+ tumour-associated macrophage" in text
    assert "lowers the efficacy of immune checkpoint blockade" in a["verdict"]


# 2 ----------------------------------------------------------------------------------------------
def test_via_c3_finds_the_step_explained_through_c3(seed_graph, ask):
    """path "THBS2+ CAF" "peritoneal metastasis" (and "immune checkpoint blockade") --via C3:
    answers exist, and each passes C3 as a node or in the chain under a summary step (the
    summary edge does not hide the chain)."""
    thbs2, c3 = ask("THBS2+ CAF"), ask("C3")
    a = find_paths(seed_graph, thbs2, ask("peritoneal metastasis"), PathOptions(via=(c3,))).as_dict()
    assert a["paths"] and all(c3 in chain_ids(p) for p in a["paths"])
    assert any(st.get("chain") for p in a["paths"] for st in p["steps"])
    b = find_paths(seed_graph, thbs2, ask("immune checkpoint blockade"), PathOptions(via=(c3,))).as_dict()
    shown = b["paths"] + b["associations"] + b["shared_outcomes"]
    assert shown and all(c3 in chain_ids(p) for p in shown)


# 3 ----------------------------------------------------------------------------------------------
def test_catumaxomab_on_survival_is_no_clear_effect_with_the_phase_ii_figures(seed_graph, ask):
    """effect catumaxomab --on "poor survival": "no clear effect", decided by the randomised
    phase II trial (ref 38) with its figures (OS 13.2 vs 13.0 months, P=0.97); the phase I and
    expert lines do not outvote it; |net| < 0.1."""
    e = effect(seed_graph, ask("catumaxomab"), ask("poor survival"))
    require(e["decided_by"]["level"] == "randomised_trial", "the phase II null on every outcome it measured")
    assert e["verdict"].startswith("no clear effect, decided by a randomised trial (ref 38)")
    assert "13.2" in e["verdict"] and "13.0" in e["verdict"] and "P=0.97" in e["verdict"]
    assert abs(e["net"]) < hierarchy.NO_CLEAR_EFFECT
    assert all(x["role"] in ("supports", "contradicts") for x in e["results"] + e["lowering"] + e["raising"]
               if x["level"] != "randomised_trial")


# 4 ----------------------------------------------------------------------------------------------
def test_m2_macrophage_meets_catumaxomab_at_the_fc_receptor_accessory_cells(seed_graph, ask):
    """path "M2 macrophage" catumaxomab: catumaxomab's Fc part recruits FcγR+ accessory cells,
    macrophages among them: a mechanistic meeting through the accessory cells or macrophages."""
    a = find_paths(seed_graph, ask("M2 macrophage"), ask("catumaxomab")).as_dict()
    require(bool(a["paths"]), "macrophages as FcγR+ accessory cells (review 2.3)")
    meets = {p["meeting"]["id"] for p in a["paths"]} | {n for p in a["paths"] for n in path_ids(p)}
    assert meets & {"immune_accessory_cell", "macrophage", "fcgr"}
    assert not a["verdict"].startswith("no mechanistic meeting point")


# 5 ----------------------------------------------------------------------------------------------
def test_caf_against_her2_car_t_cells_gives_the_stroma_reason_by_default(seed_graph, ask):
    """path "cancer-associated fibroblast" "HER2-directed CAR-T cells": with default options the
    answer says that dense stroma (built by CAFs) lowers CAR-T efficacy (penetration), as a
    modifier of the CAR-T class the HER2 CAR-T cells belong to; the verdict mentions it."""
    a = find_paths(seed_graph, ask("cancer-associated fibroblast"), ask("HER2-directed CAR-T cells")).as_dict()
    stroma = [p for p in a["associations"] if "dense_stroma" in path_ids(p)]
    require(bool(stroma), "CAF -> dense stroma with default support")
    assert stroma[0]["sign"] == "-" and stroma[0]["steps"][-1]["relation"] == "impairs"
    assert "dense stroma" in a["verdict"]
    assert "lowers the efficacy of CAR-T cell therapy" in flat(path_text(a))


# 6 ----------------------------------------------------------------------------------------------
def test_paclitaxel_enhances_the_oncolytic_adenovirus_and_never_activates_it(seed_graph, ask):
    """combine paclitaxel "oncolytic adenovirus", effect and path: paclitaxel raises the virus's
    efficacy (a modifier, ref 40); no answer has a step paclitaxel -activates-> virus."""
    pac, virus = ask("paclitaxel"), ask("oncolytic adenovirus")
    c = combine(seed_graph, pac, virus).as_dict()
    assert [(m["source"], m["relation"], m["sign"]) for m in c["modifiers"]] == [(pac, "enhances", "+")]
    assert "paclitaxel raises the efficacy of attenuated oncolytic adenovirus" in flat(combination_text(c))
    e = effect(seed_graph, virus)
    assert pac in {r["source"] for r in e["enhancers"]}
    steps = [s for key in ("reinforce", "cancel", "shared_outcomes") for p in c[key] for s in p["steps"]]
    steps += [s for p in effect(seed_graph, pac)["lowering"] + effect(seed_graph, pac)["raising"] for s in p["steps"]]
    assert steps is not None and not any(s["source"] == pac and s["target"] == virus for s in steps)


# 7 ----------------------------------------------------------------------------------------------
def test_local_il33_does_not_raise_tumour_growth(seed_graph, ask):
    """effect "local IL-33 administration" on tumour growth (and on peritoneal metastasis): never
    'raises' (ref 45: local IL-33 lowers tumour burden), no raising path decides."""
    il33 = ask("local IL-33 administration")
    for outcome in ("tumour_growth", PM):
        e = effect(seed_graph, il33, outcome)
        assert not e["verdict"].startswith(("raises", "weakly raises")), (outcome, e["verdict"])
        assert e["net"] <= 0
        assert not [p for p in e["raising"] if p["role"] == "decides"]


# 8 ----------------------------------------------------------------------------------------------
def test_rmhtnf_is_a_form_of_tnf(seed_graph, ask):
    """path rmhTNF "tumour growth": the first step is rmhTNF -form_of-> TNF ("is a form of", =),
    never 'activates'; rmhTNF acts as TNF does."""
    rmhtnf, tnf = ask("rmhTNF"), ask("TNF")
    a = find_paths(seed_graph, rmhtnf, "tumour_growth").as_dict()
    assert a["paths"]
    first = a["paths"][0]["steps"][0]
    assert (first["source"], first["relation"], first["target"], first["sign"]) == (rmhtnf, "form_of", tnf, "=")
    assert "-is a form of(=)-> TNF-alpha" in flat(path_text(a))
    assert not seed_graph.has_edge(rmhtnf, tnf, "activates")


# 9 ----------------------------------------------------------------------------------------------
def test_the_two_strata_answer_differently_where_the_review_says_they_differ(seed_graph, ask):
    """path SUBTYPE "PD-1 antibody" for the T-cell-exhausted and T-cell-excluded subtypes: both
    answer, differently, each only through its own features: the exhausted one through
    exhaustion (TIM-3/galectin-9, VISTA, TGF-beta), the excluded one through stroma/exclusion."""
    s = strata(seed_graph)
    require(len(s) >= 2, "disease_subtype entities with characterized_by edges")
    exhausted = next(k for k, v in s.items() if "exhaust" in v.lower())
    excluded = next(k for k, v in s.items() if "exclu" in v.lower())
    pd1 = ask("PD-1 antibody")
    answers = {x: find_paths(seed_graph, x, pd1).as_dict() for x in (exhausted, excluded)}
    assert answers[exhausted]["paths"] != answers[excluded]["paths"]
    assert answers[exhausted]["verdict"] != answers[excluded]["verdict"]
    for x, a in answers.items():
        shown = a["paths"] + a["associations"] + a["shared_outcomes"]
        assert shown, x
        assert all(path_ids(p)[1] in features(seed_graph, x) for p in shown if path_ids(p)[0] == x
                   and len(p["nodes"]) > 1)
    named_ex = {n for p in answers[exhausted]["paths"] + answers[exhausted]["associations"] for n in chain_ids(p)}
    assert named_ex & {"tim3", "galectin9", "tim3_galectin9", "vista", "tgfb", "t_cell_exhaustion"}


# 10 ---------------------------------------------------------------------------------------------
def test_targets_in_each_stratum_follow_its_features(seed_graph):
    """targets --in SUBTYPE: the exhausted subtype ranks TIM-3/galectin-9, VISTA or TGF-beta near
    the top, the excluded subtype stroma and exclusion drivers; the two rankings differ."""
    s = strata(seed_graph)
    require(len(s) >= 2, "disease_subtype entities")
    exhausted = next(k for k, v in s.items() if "exhaust" in v.lower())
    excluded = next(k for k, v in s.items() if "exclu" in v.lower())
    ex = [t.id for t in rank_targets(seed_graph, top=10, permutations=0, stratum=exhausted).targets]
    excl = [t.id for t in rank_targets(seed_graph, top=10, permutations=0, stratum=excluded).targets]
    assert ex != excl
    assert set(ex) & {"tim3_galectin9", "vista", "tgfb"}
    assert set(excl) & {"caf", "thbs2_caf", "dense_stroma", "tgfb"}


# 11 ---------------------------------------------------------------------------------------------
def test_escape_routes_around_pd1_antibodies_differ_by_stratum(seed_graph, ask):
    """combine "PD-1 antibody" --in SUBTYPE: every escape route passes the subtype's features;
    exhausted: TIM-3/galectin-9, VISTA, TGF-beta escape; excluded: stroma/exclusion."""
    s = strata(seed_graph)
    require(len(s) >= 2, "disease_subtype entities")
    pd1 = ask("PD-1 antibody")
    routes = {}
    for x in s:
        e = escape_routes(seed_graph, pd1, PM, stratum=x).as_dict()
        feats = features(seed_graph, x)
        for r in e["routes"]:
            assert chain_ids(r["path"]) & feats  # a node of the route, or in a chain under one of its steps
        routes[x] = [r["start"]["id"] for r in e["routes"]]
        # a feature that can be targeted and raises PM without passing what the antibody acts on is
        # itself an escape route (a parallel checkpoint is not bypassed by blocking PD-1)
        avoid = tuple(t["id"] for t in e["targets"])
        for f in sorted(feats):
            if seed_graph.nodes[f].get("kind") in TARGET_KINDS and find_paths(
                    seed_graph, f, PM, sign="+", avoid=avoid, k=1).paths:
                assert f in routes[x] or any(f in chain_ids(r["path"]) and r["start"]["id"] != f
                                             for r in e["routes"]), (x, f, routes[x])
    assert len({tuple(v) for v in routes.values()}) == len(routes)


# 12 ---------------------------------------------------------------------------------------------
def test_targets_merge_the_c3_axis_and_cite_the_reviews_proposal(seed_graph):
    """targets: C3/C3aR1 is one candidate with C3 and C3AR1 as parts (neither ranks alone); its
    reasons say the review proposes it as a target (with the locator); AXL and GAS6/AXL, TGF-beta
    and TGF-beta1 are never two candidates."""
    ranking = rank_targets(seed_graph, top=0, permutations=0)
    by_id = {t.id: t for t in ranking.targets}
    assert "c3" not in by_id and "c3ar1" not in by_id
    assert {p["id"] for p in by_id["c3_c3ar1"].parts} >= {"c3", "c3ar1"}
    assert "axl" not in by_id and "gas6_axl" in by_id
    require("tgfb1" not in seed_graph or "tgfb" not in seed_graph, "TGF-beta and TGF-beta1 as one entity (issue 22)")
    assert not ({"tgfb", "tgfb1"} <= set(by_id))
    require(any(g.get("proposals") for _, g in seed_graph.nodes(data=True)), "the review's proposals")
    props = by_id["c3_c3ar1"].proposals
    assert any(p["proposes"] == "target" and p.get("locator") for p in props)
    text = flat(targets_text(ranking.as_dict()))
    assert "C3/C3aR1" in text and "the review proposes it as a target (" in text


# 13 ---------------------------------------------------------------------------------------------
def test_no_case_report_or_cohort_is_ever_called_a_trial(seed_graph):
    """effect for every therapy and outcome: the word 'trial' appears in a verdict only when a
    trial decided, and a level heading says 'trial' only for trial levels; every result line
    marks trial true exactly for trial levels."""
    kinds = {n: a.get("kind") for n, a in seed_graph.nodes(data=True)}
    therapies = [n for n, k in kinds.items() if k in schema.THERAPY_KINDS]
    outcomes = [n for n, k in kinds.items() if k in schema.OUTCOME_KINDS]
    checked = 0
    for t in therapies:
        for o in outcomes:
            e = effect(seed_graph, t, o)
            if not e["decided_by"]:
                continue
            checked += 1
            if "trial" in e["verdict"].split(":")[0]:
                assert e["decided_by"]["level"] in schema.TRIAL_LEVELS, e["verdict"]
            for c in e["results"]:
                assert c["trial"] == (c["level"] in schema.TRIAL_LEVELS)
            for line in effect_text(e).splitlines():
                if not line.startswith(" ") and line.endswith(("decides", "outvoted", "verdict")) and "trial" in line:
                    assert line.split(":")[0] in ("randomised trial", "non-randomised trial"), line
    assert checked > 50


# 14 ---------------------------------------------------------------------------------------------
def test_a_case_report_or_a_mouse_study_never_outscores_a_trial(seed_graph):
    """effect on each outcome for every therapy: among clear effects, a higher deciding level
    always has a larger |net| (claudin 18.2 CAR-T's case report and local IL-33's mouse data
    never outscore the anti-PD-1 trials)."""
    kinds = {n: a.get("kind") for n, a in seed_graph.nodes(data=True)}
    therapies = [n for n, k in kinds.items() if k in schema.THERAPY_KINDS]
    for o in (PM, "poor_survival"):
        clear = []
        for t in therapies:
            e = effect(seed_graph, t, o)
            if e["decided_by"] and abs(e["net"]) >= hierarchy.NO_CLEAR_EFFECT:
                clear.append((hierarchy.rank(e["decided_by"]["level"]), abs(e["net"]), t))
        assert len(clear) >= 5
        for ra, na, ta in clear:
            for rb, nb, tb in clear:
                if ra > rb:
                    assert na > nb, (o, ta, tb)


# 15 ---------------------------------------------------------------------------------------------
def test_immune_checkpoint_blockade_answers_through_its_members(seed_graph, ask):
    """effect "immune checkpoint blockade" and path "CD8+ T cell" "immune checkpoint blockade":
    the class answers through its members' mechanisms, naming the member; the CD8+ T cell is
    what the blockade raises (effector)."""
    icb = ask("immune checkpoint blockade")
    a = find_paths(seed_graph, ask("CD8+ T cell"), icb).as_dict()
    assert a["paths"] and a["paths"][0]["relation"] == "effector"
    assert a["paths"][0]["meeting"]["id"] == ask("CD8+ T cell")
    e = effect(seed_graph, icb)
    assert e["decided_by"] and (e["lowering"] or e["results"])
    assert any(p.get("through", {}).get("from")
               for p in e["lowering"] + e["raising"]) or any(not r["own"] for r in e["results"])


# 16 ---------------------------------------------------------------------------------------------
def test_a_member_never_acquires_a_siblings_mechanism(seed_graph, ask):
    """path "FcγR+ accessory cell" nivolumab: nivolumab shares classes with catumaxomab
    (antibodies, intraperitoneal use) but never recruits accessory cells; the class
    "intraperitoneal therapy" does, through catumaxomab."""
    acc = ask("FcγR+ accessory cell")
    assert not [p for p in find_paths(seed_graph, acc, ask("nivolumab")).paths if p.meeting["id"] == acc]
    ip = find_paths(seed_graph, acc, ask("intraperitoneal therapy")).as_dict()
    own = [p for p in ip["paths"] if p["meeting"]["id"] == acc]
    assert own and own[0]["through"]["to"]["member"]["id"] == ask("catumaxomab")


# 17 ---------------------------------------------------------------------------------------------
def test_intraperitoneal_therapy_bypasses_the_barrier_it_does_not_inhibit_it(seed_graph, ask):
    """The peritoneal-plasma barrier: intraperitoneal therapy reaches its site around it; no
    answer says intraperitoneal therapy lowers the barrier."""
    ip, barrier = ask("intraperitoneal therapy"), ask("peritoneal-plasma barrier")
    a = find_paths(seed_graph, ip, barrier).as_dict()
    assert not [p for p in a["paths"] if p["sign"] == "-"]
    e = effect(seed_graph, ip, barrier)
    assert not e["verdict"].startswith("lowers")


# 18 ---------------------------------------------------------------------------------------------
def test_the_path_verdict_is_one_line_a_picture_can_take_as_its_title(seed_graph, ask):
    """PathAnswer.verdict() for the panel's path questions: one short line (no newline, under
    400 characters) naming the meeting and how, or saying there is none."""
    for s, t in (("THBS2+ CAF", "immune checkpoint blockade"), ("M2 macrophage", "catumaxomab"),
                 ("cancer-associated fibroblast", "HER2-directed CAR-T cells"), ("CD8+ T cell", "nivolumab")):
        v = find_paths(seed_graph, ask(s), ask(t)).verdict()
        assert "\n" not in v and 10 < len(v) < 400
        assert any(w in v for w in ("works with", "works against", "effector", "target", "efficacy", "no mechanistic"))
