"""Classes through their members, explained chains, modifiers, forms, strata and the one-line
verdict, on hand-built graphs whose right answers are known."""

from __future__ import annotations

import networkx as nx
import pytest

from mechgraph import schema
from mechgraph.analysis.combine import combine, escape_routes
from mechgraph.analysis.effects import therapy_effect
from mechgraph.analysis.paths import PathOptions, find_paths, signed_paths
from mechgraph.analysis.targets import rank_targets
from mechgraph.cli.answers_text import combination_text, path_text, targets_text
from mechgraph.errors import MechGraphError

PM = "peritoneal_metastasis"
KINDS = {
    "ici": "therapy_class", "pd1ab": "therapy_class", "nivo": "therapy", "pembro": "therapy", "catu": "therapy",
    "ip": "therapy_class", "cd8": "cell_type", "caf": "cell_state", "tam": "cell_state", "spp1_tam": "cell_state",
    "tumour": "tumour_cell", PM: "phenotype", "tme": "phenotype", "stroma": "phenotype", "gc": "disease",
    "exhausted": "disease_subtype", "excluded": "disease_subtype", "exhaustion": "process", "paclitaxel": "therapy",
    "virus": "therapy", "rmhtnf": "therapy", "tnf": "cytokine", "growth": "process", "accessory": "cell_type",
    "m2": "cell_state", "macrophage": "cell_type", "c3_c3ar1": "complex", "tim3_gal9": "complex", "k2": "complex",
}


def graph(edges) -> nx.MultiDiGraph:
    """Edges (source, relation, target, level, extra attributes...) in the project's shape."""
    g = nx.MultiDiGraph()
    for u, rel, v, level, *extra in edges:
        attrs = extra[0] if extra else {}
        for n in (u, v):
            if n not in g:
                g.add_node(n, id=n, name=n.upper(), kind=KINDS.get(n, "gene"))
        rec = {"ref": attrs.pop("ref", "1"), "level": level, "support": "review_text", "summary": "test"}
        g.add_edge(u, v, key=rel, relation=rel, sign=schema.SIGN_SYMBOLS[schema.RELATIONS[rel].sign], evidence=[rec],
                   refs=[rec["ref"]], level=level, **attrs)
    return g


OBS, MOUSE, EXPERT = "observational_human", "preclinical_in_vivo", "expert_statement"


def icb_graph():
    return graph([
        ("pd1ab", "subtype_of", "ici", EXPERT), ("nivo", "subtype_of", "pd1ab", EXPERT),
        ("pembro", "subtype_of", "pd1ab", EXPERT),
        ("catu", "subtype_of", "ip", EXPERT), ("nivo", "subtype_of", "ip", EXPERT),
        ("nivo", "inhibits", "pd1", EXPERT), ("pembro", "inhibits", "pd1", EXPERT), ("pd1", "inhibits", "cd8", EXPERT),
        ("cd8", "kills", "tumour", EXPERT), ("tumour", "promotes", PM, EXPERT),
        ("caf", "inhibits", "cd8", MOUSE), ("catu", "kills", "tumour", EXPERT),
        ("catu", "recruits", "accessory", EXPERT),
        ("m2", "subtype_of", "macrophage", EXPERT), ("macrophage", "subtype_of", "accessory", EXPERT),
    ])


def ids(p):
    return [n["id"] for n in p.nodes]


# --- classes carry their members' mechanisms ------------------------------------------------


def test_a_class_meets_an_entity_through_its_members_naming_them_once():
    g = icb_graph()
    answer = find_paths(g, "caf", "ici")
    [p] = [x for x in answer.paths if x.meeting["id"] == "cd8"]
    assert p.relation == "against"
    note = p.through["to"]
    assert (note["member"]["id"] == "nivo" and note["class"]["id"] == "pd1ab"
            and [x["id"] for x in note["also"]] == ["pembro"])
    # the descent ICB > PD-1 antibody > nivolumab is shown
    assert ids(p) == ["caf", "cd8", "pd1", "nivo", "pd1ab", "ici"]
    assert [s.direction for s in p.steps] == ["forward", "backward", "backward", "forward", "forward"]
    assert len([x for x in answer.paths if x.meeting["id"] == "cd8"]) == 1  # one answer, not one per member
    assert "through NIVO, a PD1AB; the same through PEMBRO" in " ".join(path_text(answer.as_dict()).split())
    assert answer.verdict() == "CAF works against ICI at CD8 (through NIVO, a PD1AB; the same through PEMBRO)"


def test_a_member_inherits_its_class_but_never_a_siblings_mechanism():
    g = icb_graph()
    # nivolumab and catumaxomab are both intraperitoneal therapies: neither acquires the other's mechanism
    assert find_paths(g, "accessory", "nivo").paths == []  # catumaxomab recruits accessory cells, nivolumab does not
    sibling = find_paths(g, "pd1", "catu")  # nivolumab inhibits PD-1, catumaxomab does not
    assert all(p.meeting["id"] != "pd1" and "nivo" not in ids(p) for p in sibling.paths)
    ip = find_paths(g, "accessory", "ip")  # the class answers through catumaxomab
    [p] = ip.paths
    assert p.relation == "effector" and p.through["to"]["member"]["id"] == "catu"
    g.add_edge("ip", "pd1", key="inhibits", relation="inhibits", sign="-", evidence=[{"ref": "1", "level": EXPERT}])
    p = find_paths(g, "pd1", "catu").paths[0]  # what is stated of the class holds for its member
    assert ids(p) == ["pd1", "ip", "catu"] and p.relation == "target" and not p.through


def test_the_descent_to_a_member_is_not_counted_as_mechanism_steps():
    g = icb_graph()
    # ICB > PD-1 antibody > nivolumab -| PD-1 -| CD8: two mechanism steps, two membership steps
    [p] = [x for x in find_paths(g, "cd8", "ici", max_len=2).paths]
    assert p.relation == "effector" and len(p.steps) == 4


def test_an_entity_that_is_a_member_of_what_the_therapy_acts_on_is_its_effector():
    answer = find_paths(icb_graph(), "m2", "catu")
    [p] = answer.paths
    assert p.meeting["id"] == "accessory" and p.relation == "effector" and p.as_member
    assert ids(p) == ["m2", "macrophage", "accessory", "catu"]
    assert answer.verdict() == "CATU raises ACCESSORY, of which M2 is one: its effector"


def test_combine_a_class_answers_through_its_members():
    g = icb_graph()
    c = combine(g, "ici", "catu")
    meets = {p.meeting["id"]: p for p in c.reinforce}
    assert "tumour" in meets and meets["tumour"].through["from"]["member"]["id"] == "nivo"
    assert "through NIVO, a PD1AB" in " ".join(combination_text(c.as_dict()).split())


def test_directed_paths_from_a_class_go_through_its_members():
    [p] = signed_paths(icb_graph(), "ici", "cd8")
    assert ids(p) == ["ici", "pd1ab", "nivo", "pd1", "cd8"] and p.sign == "+"
    assert p.through["from"]["member"]["id"] == "nivo" and [x["id"] for x in p.through["from"]["also"]] == ["pembro"]


# --- explained chains -----------------------------------------------------------------------


def chain_graph():
    return graph([
        ("caf", "polarizes", "spp1_tam", MOUSE, {"chain": ["c3", "c3ar1"], "ref": "19"}),
        ("caf", "secretes", "c3", MOUSE, {"ref": "19"}), ("c3", "activates", "c3ar1", MOUSE, {"ref": "19"}),
        ("c3ar1", "polarizes", "spp1_tam", MOUSE, {"ref": "19"}), ("spp1_tam", "promotes", PM, EXPERT),
        ("spp1_tam", "inhibits", "cd8", EXPERT), ("nivo", "inhibits", "pd1", EXPERT),
        ("pd1", "inhibits", "cd8", EXPERT), ("caf", "promotes", "x", EXPERT), ("x", "promotes", PM, EXPERT),
    ])


def test_a_summary_step_shows_its_chain_and_the_link_by_link_path_is_not_listed_again():
    g = chain_graph()
    paths = signed_paths(g, "caf", PM, k=5)
    # not caf, c3, c3ar1, spp1_tam, pm
    assert sorted(ids(p) for p in paths) == [["caf", "spp1_tam", PM], ["caf", "x", PM]]
    chain = next(p for p in paths if "spp1_tam" in ids(p)).steps[0].chain
    assert [n["id"] for n in chain["nodes"]] == ["caf", "c3", "c3ar1", "spp1_tam"]
    assert [(ln["relation"], ln["sign"], ln["refs"]) for ln in chain["links"]] == [
        ("secretes", "+", ["19"]), ("activates", "+", ["19"]), ("polarizes", "+", ["19"])]
    text = " ".join(path_text(find_paths(g, "caf", PM).as_dict()).split())
    assert ("through C3 → C3AR1: CAF -secretes(+)-> C3 [ref 19] -activates(+)-> C3AR1 [ref 19] -polarizes(+)-> "
            "SPP1_TAM" in text)
    assert any("chain" in p["steps"][0] for p in find_paths(g, "caf", PM).as_dict()["paths"])


def test_via_a_chain_entity_finds_the_step_explained_through_it():
    g = chain_graph()
    [p] = signed_paths(g, "caf", PM, k=5, via=("c3ar1",))
    assert ids(p) == ["caf", "spp1_tam", PM]
    answer = find_paths(g, "caf", "nivo", via=("c3",))
    assert answer.paths and all(any(s.chain for s in p.steps) for p in answer.paths)
    assert answer.paths[0].meeting["id"] == "cd8"
    # a cheaper leg to the same meeting that does not pass C3: --via still finds the one that does
    for u, v, rel in (("caf", "y", "promotes"), ("y", "cd8", "inhibits")):
        g.add_edge(u, v, key=rel, relation=rel, sign="+" if rel == "promotes" else "-",
                   evidence=[{"ref": "2", "level": "randomised_trial", "support": "review_text"}])
        g.nodes[v].update(name=v.upper(), kind=KINDS.get(v, "gene"))
    assert ids(find_paths(g, "caf", "nivo").paths[0])[:3] == ["caf", "y", "cd8"]
    [p] = find_paths(g, "caf", "nivo", via=("c3",)).paths
    assert ids(p) == ["caf", "spp1_tam", "cd8", "pd1", "nivo"] and p.steps[0].chain


# --- modifiers and forms --------------------------------------------------------------------


def test_an_enhancer_is_a_modifier_never_an_activating_step():
    g = graph([("paclitaxel", "enhances", "virus", MOUSE, {"ref": "40"}), ("virus", "kills", "tumour", MOUSE),
               ("tumour", "promotes", PM, EXPERT), ("paclitaxel", "kills", "tumour", OBS)])
    c = combine(g, "paclitaxel", "virus")
    assert [(m["source"], m["relation"], m["target"], m["sign"])
            for m in c.modifiers] == [("paclitaxel", "enhances", "virus", "+")]
    steps = [s for p in c.reinforce + c.cancel + c.shared_outcomes for s in p.steps]
    assert all(s.relation != "enhances" for s in steps)
    assert "PACLITAXEL raises the efficacy of VIRUS (enhances" in " ".join(combination_text(c.as_dict()).split())
    assert signed_paths(g, "paclitaxel", "tumour", k=5) and all(
        "virus" not in ids(p) for p in signed_paths(g, "paclitaxel", "tumour", k=5))


def test_an_impairing_feature_is_reported_as_lowering_the_efficacy():
    g = graph([("stroma", "impairs", "pd1ab", EXPERT), ("caf", "promotes", "stroma", OBS),
               ("nivo", "subtype_of", "pd1ab", EXPERT),
               ("nivo", "inhibits", "pd1", EXPERT), ("pd1", "inhibits", "cd8", EXPERT)])
    answer = find_paths(g, "caf", "nivo")
    [assoc] = answer.associations
    assert ids(assoc) == ["caf", "stroma", "pd1ab"] and assoc.sign == "-"
    assert answer.verdict() == "no mechanistic meeting point; CAF lowers the efficacy of PD1AB (through STROMA)"


def test_a_recombinant_form_passes_its_molecules_sign_and_reads_as_a_form():
    g = graph([("rmhtnf", "form_of", "tnf", EXPERT), ("tnf", "inhibits", "growth", EXPERT)])
    [p] = signed_paths(g, "rmhtnf", "growth")
    assert [(s.relation, s.sign) for s in p.steps] == [("form_of", "="), ("inhibits", "-")] and p.sign == "-"
    assert "RMHTNF -is a form of(=)-> TNF" in " ".join(path_text(find_paths(g, "rmhtnf", "growth").as_dict()).split())
    assert therapy_effect(g, "rmhtnf", "growth").net < 0


# --- strata ---------------------------------------------------------------------------------


def strata_graph():
    return graph([
        ("exhausted", "subtype_of", "gc", EXPERT), ("excluded", "subtype_of", "gc", EXPERT),
        ("gc", "promotes", PM, OBS),
        ("exhausted", "characterized_by", "exhaustion", EXPERT), ("exhausted", "characterized_by", "tim3_gal9", EXPERT),
        ("excluded", "characterized_by", "stroma", EXPERT),
        ("tim3_gal9", "promotes", "exhaustion", MOUSE), ("gal9", "part_of", "tim3_gal9", MOUSE),
        ("tim3", "part_of", "tim3_gal9", MOUSE),
        ("exhaustion", "inhibits", "cd8", OBS), ("stroma", "impairs", "pd1ab", EXPERT),
        ("caf", "promotes", "stroma", OBS), ("stroma", "inhibits", "cd8", OBS),
        ("cd8", "inhibits", PM, OBS), ("pd1ab", "inhibits", "pd1", EXPERT), ("pd1", "inhibits", "cd8", EXPERT),
        ("vegf", "promotes", PM, OBS),
    ])


def test_two_subtypes_answer_through_their_own_features_not_through_the_disease():
    g = strata_graph()
    ex, excl = find_paths(g, "exhausted", "pd1ab"), find_paths(g, "excluded", "pd1ab")
    assert ex.as_dict()["paths"] != excl.as_dict()["paths"]
    assert all("gc" not in ids(p) for a in (ex, excl) for p in a.paths + a.shared_outcomes + a.associations)
    assert {x for p in ex.paths for x in ids(p)} >= {"exhaustion"} and all("stroma" not in ids(p) for p in ex.paths)
    assert [ids(p) for p in excl.associations] == [["excluded", "stroma", "pd1ab"]]
    assert ex.associations == []
    assert signed_paths(g, "exhausted", PM) and all("gc" not in ids(p) for p in signed_paths(g, "exhausted", PM, k=10))


def test_targets_in_a_subtype_rank_only_what_acts_through_its_features():
    g = strata_graph()
    everywhere = {t.id for t in rank_targets(g, top=0, permutations=0).targets}
    ex = {t.id: t for t in rank_targets(g, top=0, permutations=0, stratum="exhausted").targets}
    excl = {t.id: t for t in rank_targets(g, top=0, permutations=0, stratum="excluded").targets}
    assert "vegf" in everywhere and "vegf" not in ex and "vegf" not in excl
    assert "tim3_gal9" in ex and "tim3_gal9" not in excl
    assert "caf" in excl and "caf" not in ex
    assert {p["id"] for p in ex["tim3_gal9"].parts} == {"gal9", "tim3"}
    assert all(any(s["source"] in ("tim3_gal9", "exhaustion") or s["target"] in ("tim3_gal9", "exhaustion")
                   for s in r["path"])
               for r in ex["tim3_gal9"].reasons)
    with pytest.raises(MechGraphError, match="disease subtype"):
        rank_targets(g, top=0, permutations=0, stratum="gc")
    # the reasons say which candidates characterize the subtype; none do without --in
    assert ex["tim3_gal9"].feature_of == {"stratum": {"id": "exhausted", "name": "EXHAUSTED"},
                                          "features": [{"id": "tim3_gal9", "name": "TIM3_GAL9"}], "refs": ["1"]}
    assert excl["caf"].feature_of is None  # it acts through the feature; it is not one
    assert all(t.feature_of is None for t in rank_targets(g, top=0, permutations=0).targets)
    text = " ".join(targets_text(rank_targets(g, top=0, permutations=0, stratum="exhausted").as_dict()).split())
    assert "characterizes EXHAUSTED (ref 1)" in text


def test_escape_routes_and_combinations_in_a_subtype_pass_its_features():
    g = strata_graph()
    g.add_node("nivo2", id="nivo2", name="NIVO2", kind="therapy")
    ex = escape_routes(g, "pd1ab", PM, stratum="exhausted")
    excl = escape_routes(g, "pd1ab", PM, stratum="excluded")
    starts = lambda e: {r["start"]["id"] for r in e.routes}  # noqa: E731
    assert "vegf" in starts(escape_routes(g, "pd1ab", PM))
    assert "vegf" not in starts(ex) | starts(excl)
    assert "tim3_gal9" in starts(ex) and "caf" in starts(excl) and "caf" not in starts(ex)
    for e, feats in ((ex, {"exhaustion", "tim3_gal9"}), (excl, {"stroma"})):
        for r in e.routes:
            assert feats & {n["id"] for n in r["path"]["nodes"]}


# --- the verdict in one line ----------------------------------------------------------------


def test_verdicts_say_where_and_how_or_that_there_is_no_meeting():
    g = icb_graph()
    assert find_paths(g, "cd8", "nivo").verdict() == "NIVO raises CD8: its effector"
    assert find_paths(g, "pd1", "nivo").verdict() == "NIVO lowers PD1: its target"
    g2 = graph([("drug", "inhibits", "a", EXPERT), ("a", "promotes", PM, EXPERT), ("b", "promotes", PM, EXPERT)])
    g2.nodes["drug"]["kind"] = "therapy"
    assert find_paths(g2, "b", "drug").verdict() == f"no mechanistic meeting point, only shared outcomes ({PM.upper()})"
    assert find_paths(g2, "b", "drug", PathOptions(max_len=1)).verdict() == "no mechanistic meeting point"
    assert find_paths(g2, "drug", PM).verdict() == f"DRUG lowers {PM.upper()} through A"
    assert find_paths(g2, "b", "a").verdict() == "no path from B to A within 6 steps"
    assert find_paths(g2, "b", "drug").as_dict()["verdict"] == find_paths(g2, "b", "drug").verdict()
