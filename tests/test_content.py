"""Content tests on the real seed graph: the review's mechanisms, therapies, trials and references."""

from __future__ import annotations

from itertools import pairwise

import pytest

from mechgraph import schema

TABLE1 = {
    1: ("NCT04886193", "N/A", "China"),
    2: ("NCT04889768", "N/A", "China"),
    3: ("NCT05204173", "II", "China"),
    4: ("NCT05477927", "I", "China"),
    5: ("NCT05648487", "II", "China"),
    6: ("NCT05802056", "I", "United States"),
    7: ("NCT06046963", "II", "China"),
    8: ("NCT06213519", "II", "China"),
    9: ("NCT06283121", "II", "China"),
    10: ("NCT06487715", "II", "China"),
    11: ("NCT06519591", "II", "China"),
    12: ("NCT06675136", "I", "United States"),
    13: ("NCT05802056", "I", "United States"),
    14: ("ChiCTR2400083006", "IV", "China"),
}

MECHANISMS = [
    ("m1_tam", "secretes", "il12"), ("m1_tam", "secretes", "tnf"), ("m1_tam", "secretes", "il1b"),
    ("m1_tam", "secretes", "ros"),
    ("m2_tam", "secretes", "il10"), ("m2_tam", "secretes", "tgfb"), ("m2_tam", "secretes", "vegf"),
    ("m2_tam", "secretes", "egf"),
    ("m2_tam", "promotes", "angiogenesis"), ("m2_tam", "promotes", "emt"), ("emt", "recruits", "tam"),
    ("m2_tam", "associated_with", "poor_survival"), ("tam", "associated_with", "poor_survival"),
    ("thbs2_caf", "recruits", "tam"), ("thbs2_caf", "polarizes", "spp1_tam"), ("c3", "activates", "c3ar1"),
    ("c3ar1", "polarizes", "spp1_tam"),
    ("caf", "inhibits", "cd8_t_cell"), ("caf", "inhibits", "mir_200b"), ("caf", "promotes", "mir200b_methylation"),
    ("caf", "secretes", "gas6"), ("gas6", "activates", "axl"), ("axl", "promotes", "emt"),
    ("axl", "promotes", "peritoneal_metastasis"),
    ("t_cell_exhausted_subtype", "characterized_by", "tim3"),
    ("t_cell_exhausted_subtype", "characterized_by", "galectin9"),
    ("t_cell_exhausted_subtype", "characterized_by", "vista"), ("t_cell_exhausted_subtype", "characterized_by", "tgfb"),
    ("icam2", "activates", "nk_cell"), ("car_nk_mesothelin", "targets", "mesothelin"),
    ("treg", "inhibits", "cd8_t_cell"), ("treg", "inhibits", "antigen_presenting_cell"),
    ("pd1_antibody", "inhibits", "pd1"), ("nivolumab", "subtype_of", "pd1_antibody"),
    ("pembrolizumab", "subtype_of", "pd1_antibody"), ("tislelizumab", "subtype_of", "pd1_antibody"),
    ("car_t_cea", "targets", "cea"), ("car_t_her2", "targets", "her2"), ("car_t_icam1", "targets", "icam1"),
    ("car_t_cldn18_2", "targets", "cldn18_2"), ("car_t_epcam", "targets", "epcam"),
    ("catumaxomab", "targets", "epcam"), ("catumaxomab", "targets", "cd3"), ("catumaxomab", "binds", "fcgr"),
    ("catumaxomab", "inhibits", "malignant_ascites"), ("reovirus", "inhibits", "malignant_ascites"),
    ("oncolytic_adenovirus", "inhibits", "peritoneal_metastasis"), ("herpesvirus_g207_nv1020", "promotes", "apoptosis"),
    ("il33", "recruits", "peritoneal_macrophage"), ("il33", "activates", "peritoneal_macrophage"),
    ("il33_therapy", "inhibits", "peritoneal_metastasis"),
    ("nivolumab", "tested_in", "checkmate_649"), ("tislelizumab", "tested_in", "rationale_305"),
    ("peritoneal_metastasis", "impairs", "nivolumab"), ("paclitaxel", "enhances", "oncolytic_adenovirus"),
    ("rmhtnf", "form_of", "tnf"), ("aldesleukin", "form_of", "il2"),
    ("intraperitoneal_therapy", "bypasses", "peritoneal_plasma_barrier"), ("dense_stroma", "impairs", "car_t"),
]


def test_all_45_references_with_dois(seed_graph):
    pubs = {a["ref"]: a for _,
            a in seed_graph.nodes(data=True) if a["kind"] == "publication" and a.get("origin") != "curator"}
    assert set(pubs) == {str(i) for i in range(1, 46)} | {"review"}
    for i in range(1, 46):
        p = pubs[str(i)]
        assert schema.DOI_RE.match(p["doi"]), i
        assert p["authors"] and p["year"] and p["journal"] and p["description"], i
    assert pubs["19"]["doi"] == "10.1136/gutjnl-2024-333617"
    assert pubs["31"]["doi"] == "10.1016/S0140-6736(21)00797-2"


def test_every_table1_row(seed_graph):
    rows = {r: (n, a) for n, a in seed_graph.nodes(data=True) for r in a.get("table1_rows") or []}
    assert set(rows) == set(TABLE1)
    for row, (registry, phase, country) in TABLE1.items():
        n, t = rows[row]
        assert (t["registry_id"], t["phase"], t["country"]) == (registry, phase, country), row
        assert t["title"] and t["name_zh"] and t["interventions_text"] and t["expected_completion"], row
        assert any(seed_graph.has_edge(i, n, "tested_in") for i in t["interventions"])
    # rows 6 and 13 are one registered trial: one entity, each tested_in edge citing both rows as one observation
    assert rows[6][0] == rows[13][0] == "nct05802056" and rows[6][1]["table1_rows"] == [6, 13]
    assert len([n for n, a in seed_graph.nodes(data=True) if a.get("table1_rows")]) == 13
    for u, _, k, a in seed_graph.in_edges("nct05802056", keys=True, data=True):
        assert k == "tested_in" and [e["locator"] for e in a["evidence"]] == ["table 1 row 6", "table 1 row 13"], u
        assert {e["observation"] for e in a["evidence"]} == {"nct05802056"}
    assert any("rows 6 and 13" in c for c in rows[6][1]["caveats"])


@pytest.mark.parametrize("source, relation, target", MECHANISMS)
def test_review_mechanism_present(seed_graph, source, relation, target):
    assert seed_graph.has_edge(source, target, relation), f"{source} -{relation}-> {target}"


def test_every_edge_carries_full_evidence(seed_graph):
    for u, v, k, a in seed_graph.edges(keys=True, data=True):
        assert a["evidence"], (u, k, v)
        assert a["supports"] == sorted({e["support"] for e in a["evidence"]}), (u, k, v)
        for e in a["evidence"]:
            assert e["support"] in schema.SUPPORTS and e["species"] in schema.SPECIES and e["summary"], (u, k, v)
            assert e["level"] in schema.EVIDENCE_LEVELS, (u, k, v)
            if e.get("design"):
                assert e["level"] == schema.design_level(e["design"]), (u, k, v)
            if e["support"] in ("review_text", "hypothesis"):
                assert schema.LOCATOR_RE.match(e["locator"]), (u, k, v)
            if e.get("ref") is None:
                assert e["support"] == "curator", (u, k, v)
            elif e["ref"] != "review":
                pub = seed_graph.nodes[f"ref_{e['ref']}"]
                assert e.get("doi") or pub.get("url") or pub["xrefs"], (u, k, v)


def test_every_reference_is_used(seed_graph):
    """Each of the review's references is cited by a record, or named as the one the review mis-cites (cited_as)."""
    cited = {e.get(k) for _, _, a in seed_graph.edges(data=True) for e in a["evidence"] for k in ("ref", "cited_as")}
    cited |= {r for _, a in seed_graph.nodes(data=True) for p in a.get("proposals") or [] for r in p["refs"]}
    assert {str(i) for i in range(1, 46)} <= cited


def test_chinese_names_and_caveats(seed_graph):
    n = seed_graph.nodes
    assert n["caf"]["name_zh"] == "肿瘤相关成纤维细胞"
    assert n["catumaxomab"]["name_zh"] == "卡妥索单抗"
    assert n["nivolumab"]["name_zh"] == "纳武利尤单抗"
    assert n["ref_34"]["caveats"] and n["ref_39"]["caveats"]


def test_clinical_figures_recorded(seed_graph):
    results = {n: a.get("results") for n, a in seed_graph.nodes(data=True) if a.get("results")}
    assert any(r.get("p") == 0.021 for r in results["hagi_nivolumab_cohort"])
    assert any(r.get("hr") == 0.80 for r in results["rationale_305"])
    assert seed_graph.nodes["kcsg_st22_06"]["enrollment"] == 363
    figures = [e.get("figures", "") for e in seed_graph.edges["nivolumab", "poor_survival", "inhibits"]["evidence"]]
    assert any("30%" in f for f in figures)


def test_identifiers_only_of_known_prefixes(seed_graph):
    for n, a in seed_graph.nodes(data=True):
        for x in a.get("xrefs", []):
            assert schema.check_curie(x) is None, (n, x)


# --- provenance of the re-audited graph (issue 11)

OBSERVATIONAL = {"cross_sectional", "retrospective_cohort", "prospective_cohort", "population_registry"}


def test_an_association_is_not_encoded_as_a_cause(seed_graph):
    """A signed causal edge resting only on observational human data must say why it stays causal."""
    offenders = []
    for u, v, k, a in seed_graph.edges(keys=True, data=True):
        if schema.RELATIONS[k].sign not in (1, -1) or k in ("expresses", "characterized_by"):  # measured, not inferred
            continue
        # not background knowledge
        read = [e for e in a["evidence"] if e["support"] in ("review_text", "reference_title")]
        designs = {e.get("design") for e in read}
        if read and designs <= OBSERVATIONAL and not a.get("caveats") and not all(e.get("caveats") for e in read):
            offenders.append((u, k, v))
    assert offenders == []
    assert seed_graph.has_edge("caf", "peritoneal_metastasis", "associated_with")
    assert not seed_graph.has_edge("caf", "peritoneal_metastasis", "promotes")
    assert seed_graph.edges["caf", "peritoneal_metastasis", "associated_with"]["direction"] == "positive"


def test_levels_follow_the_study_not_the_claim(seed_graph):
    for cohort in ("kcsg_st22_06", "hagi_nivolumab_cohort", "ando_nivolumab_cohort"):
        assert seed_graph.nodes[cohort]["design"] == "retrospective_cohort"
        for u, _, k, a in seed_graph.in_edges(cohort, keys=True, data=True):
            assert k == "tested_in" and a["level"] == "observational_human", (u, cohort)
    assert seed_graph.edges["nivolumab", "checkmate_649", "tested_in"]["level"] == "randomised_trial"
    for u, v, k, a in seed_graph.edges(keys=True, data=True):
        for e in a["evidence"]:
            if e.get("ref") in ("37", "39", "27"):  # a review, a guideline, a consensus
                assert e["level"] == "expert_statement", (u, k, v, e["ref"])
            if e.get("ref") == "35":
                assert e["level"] == "case_report", (u, k, v)
            # the catumaxomab phase I the review mis-cites: the level of the trial it describes
            if e.get("cited_as") == "39":
                assert (e["ref"], e["level"]) == ("review", "nonrandomised_trial"), (u, k, v)
            if e.get("cited_as") == "34":  # the HER2 CAR-T mouse study the review mis-cites
                assert (e["ref"], e["level"]) == ("review", "preclinical_in_vivo"), (u, k, v)
    assert not any(e.get("ref") in ("34", "39") for _, _, a in seed_graph.edges(data=True) for e in a["evidence"])


def test_the_pd1_mechanism_cites_the_review_not_the_consensus(seed_graph):
    for u, v, k in [("pd1_antibody", "pd1", "inhibits"), ("pd1", "t_cell_activation", "inhibits"),
                    ("nivolumab", "pd1_antibody", "subtype_of"), ("pd1_antibody", "t_cell_activation", "promotes")]:
        assert seed_graph.edges[u, v, k]["refs"] == ["review"], (u, k, v)
    # the consensus's recommendation is a way to choose patients, not an association: a proposal citing ref 27
    assert not seed_graph.has_edge("nivolumab", "msi_h_dmmr")
    assert {(p["therapy"], tuple(p["refs"]))
            for p in seed_graph.nodes["msi_h_dmmr"]["proposals"]} == {("nivolumab", ("27",)),
                                                                      ("pembrolizumab", ("27",))}


def test_supports_other_than_the_review_text_are_marked(seed_graph):
    def supports(u, v, k):
        return seed_graph.edges[u, v, k]["supports"]

    # the review's M2 -> M1 repolarisation is a proposal (target), not an edge
    assert not seed_graph.has_edge("m2_tam", "m1_tam")
    assert any(p["proposes"] == "target" for p in seed_graph.nodes["m2_tam"]["proposals"])
    assert supports("tam", "foxq1", "activates") == ["reference_title"]
    assert supports("arsenic_trioxide", "treg", "inhibits") == ["reference_title"]
    assert not seed_graph.has_edge("cxcl1", "tam", "recruits")
    assert not seed_graph.has_edge("arsenic_trioxide", "immune_activator", "subtype_of")
    assert supports("camrelizumab", "pd1_antibody", "subtype_of") == ["curator"]
    assert supports("cadonilimab", "pd1", "inhibits") == ["curator"]
    for u, v, k in [("camrelizumab", "pd1_antibody", "subtype_of"), ("cadonilimab", "pd1", "inhibits")]:
        assert all(e.get("ref") for e in seed_graph.edges[u, v, k]["evidence"]), u
    assert supports("bevacizumab", "vegf", "inhibits") == ["curator"]
    for drug in ("nivolumab", "pembrolizumab", "tislelizumab", "toripalimab", "sintilimab"):
        assert supports(drug, "pd1_antibody", "subtype_of") == ["review_text"], drug


def test_curator_references_stay_out_of_the_review_numbering(seed_graph):
    curator = {a["ref"] for _,
               a in seed_graph.nodes(data=True) if a["kind"] == "publication" and a.get("origin") == "curator"}
    assert curator and not any(r.isdigit() for r in curator)
    cited = {e.get("ref") for _, _, a in seed_graph.edges(data=True) for e in a["evidence"]}
    assert curator <= cited, curator - cited  # every curator reference is used


def test_every_study_has_a_design_and_its_trial_edges_a_locator(seed_graph):
    for n, a in seed_graph.nodes(data=True):
        if a["kind"] == "clinical_trial":
            assert a["design"] in schema.STUDY_DESIGNS, n
            for _, _, k, e in seed_graph.in_edges(n, keys=True, data=True):
                assert [r["locator"] for r in e["evidence"]] == a.get("locators", [a["locator"]]), (n, k)
                for record in e["evidence"]:
                    assert record["support"] == "review_text", (n, k)
                    assert record["level"] == schema.design_level(a["design"]), n


# --- modifiers, forms and one signed action per drug (issue 18)


def test_edges_into_a_therapy_are_efficacy_modifiers_or_membership(seed_graph):
    for u, v, k in seed_graph.edges(keys=True):
        if seed_graph.nodes[v]["kind"] in schema.THERAPY_KINDS:
            ok = k in ("enhances", "impairs") or (k in ("subtype_of", "part_of")
                                                  and seed_graph.nodes[u]["kind"] in schema.THERAPY_KINDS)
            assert ok, (u, k, v)


def test_a_drug_acts_on_its_target_once_and_members_inherit_the_class(seed_graph):
    for u, v, k in seed_graph.edges(keys=True):
        if k == "targets":
            assert not any(schema.RELATIONS[r].sign in (1, -1) for r in seed_graph[u][v]), (u, v)
    for drug in ("nivolumab", "pembrolizumab", "tislelizumab", "toripalimab", "sintilimab", "camrelizumab"):
        # stated of the PD-1 antibody class, which they are members of
        assert not seed_graph.has_edge(drug, "pd1"), drug
    assert not seed_graph.has_edge("nivolumab", "icb", "subtype_of")  # a member of ICB through the PD-1 antibodies


# --- one observation counted once (issue 22)


def test_the_ref30_subgroup_is_encoded_once_at_the_pd1_antibody_class(seed_graph):
    holders = [(u, v, k) for u, v, k, a in seed_graph.edges(keys=True, data=True)
               if any(e.get("ref") == "30" and "without peritoneal" in e.get("summary", "") for e in a["evidence"])]
    assert holders == [("peritoneal_metastasis", "pd1_antibody", "impairs")]
    assert not seed_graph.has_edge("peritoneal_metastasis", "pembrolizumab")  # the pooled study dropped its comparator
    for u, v, k, a in seed_graph.edges(keys=True, data=True):
        if v in ("icb", "pd1_antibody", "nivolumab", "pembrolizumab") and u == "peritoneal_metastasis":
            refs = [e.get("ref") for e in a["evidence"]]
            assert len(refs) == len(set(refs)), (u, k, v)


def test_il33_acts_on_macrophages_as_the_review_says_not_through_the_generic_node(seed_graph):
    assert not seed_graph.has_edge("il33", "macrophage")
    assert seed_graph.has_edge("il33", "peritoneal_macrophage", "recruits")  # infiltration, 2.5
    assert not any(v == "macrophage" for _, v in seed_graph.out_edges("peritoneal_macrophage"))


# --- labels that say exactly how a statement is known (issue 22)


def test_labels_say_how_it_is_known(seed_graph):
    def supports(u, v, k):
        return seed_graph.edges[u, v, k]["supports"]

    # ref 6's title is only 'Cancer-related inflammation'
    assert supports("inflammation", "tumour_growth", "promotes") == ["curator"]
    assert supports("cd8_t_cell", "pd1", "expresses") == ["curator"]  # the review says 'immune cells'
    for u, v, k in [("dendritic_cell", "antigen_presenting_cell", "subtype_of"),
                    ("dendritic_cell", "antigen_presentation", "promotes"),
                    ("antigen_presentation", "antitumour_immunity", "promotes")]:
        assert seed_graph.edges[u, v, k]["level"] == "expert_statement", (u, k, v)  # textbook, not ref 42's mouse data
    for u, v, k, a in seed_graph.edges(keys=True, data=True):
        for e in a["evidence"]:
            if e["support"] == "curator" and str(e.get("ref") or "").isdigit():
                assert e["design"] in ("review", "guideline", "consensus", "database"), (u, k, v)
    # ref 9's title gives no direction; the review says nothing
    assert not seed_graph.has_edge("cxcl1", "poor_survival")


# --- names (issue 22)


def test_names_are_the_reviews_and_belong_to_one_entity(seed_graph):
    n = seed_graph.nodes
    assert "tgfb1" not in n and {"TGF-β1", "TGFB1"} <= set(n["tgfb"]["synonyms"])  # one factor in the review
    assert not {"TME", "tumour microenvironment"} & set(n["immunosuppressive_tme"]["synonyms"])
    assert n["axl"]["name_zh_source"] == "curator" and n["car_t"]["name_zh_source"] == "curator"
    assert "name_zh_source" not in n["caf"]  # the review's own wording
    assert (n["car_t"]["name"] == "CAR-T cell therapy"
            and "chimeric antigen receptor T cell" not in n["car_t"]["synonyms"])
    assert n["ref_27"]["name"].startswith("Gastric Cancer Professional Committee of the China Anti-Cancer Association "
                                          "2023")
    assert n["ref_1"]["name"] == "Bray 2024 [ref 1]" and n["ref_3"]["name"] == "Thomassen 2014 [ref 3]"
    owners: dict[str, str] = {}
    for node, a in seed_graph.nodes(data=True):
        for name in {x.casefold() for x in [node, a["name"], a.get("name_zh") or "", *a["synonyms"]] if x}:
            assert owners.setdefault(name, node) == node, (name, node, owners[name])


# --- issue 18: results per measured outcome, explained chains, what the review says of catumaxomab and CAR-T


def test_a_trials_result_applies_to_every_outcome_it_measured(seed_graph):
    def records(u, v, k, ref):
        return [e for e in seed_graph.edges[u, v, k]["evidence"] if e.get("ref") == ref]

    os_pfs = records("catumaxomab", "poor_survival", "associated_with", "38")
    assert seed_graph.edges["catumaxomab", "poor_survival", "associated_with"]["direction"] == "none"
    assert {e["level"] for e in os_pfs} == {"randomised_trial"} and len({e["observation"] for e in os_pfs}) == 2
    assert any("13.2 vs 13.0 months" in e["figures"] and "P=0.97" in e["figures"] for e in os_pfs)
    [cr] = records("catumaxomab", "peritoneal_metastasis", "associated_with", "38")
    assert "27% vs 19%" in cr["figures"] and cr["level"] == "randomised_trial"
    assert records("catumaxomab", "treatment_toxicity", "promotes", "38")
    # the 9-patient phase I at its true level: a non-randomised trial, below the randomised null
    phase1 = [e for e in seed_graph.edges["catumaxomab", "poor_survival", "inhibits"]["evidence"]]
    assert [(e["ref"], e["cited_as"], e["level"]) for e in phase1] == [("review", "39", "nonrandomised_trial")]
    for n, a in seed_graph.nodes(data=True):
        for row in a.get("results") or []:
            assert seed_graph.has_edge(row["source"], row["target"], row["relation"]), (n, row["endpoint"])
    for u, v, k, a in seed_graph.edges(keys=True, data=True):
        if v in ("poor_survival", "peritoneal_metastasis",
                 "malignant_ascites") and u in ("nivolumab", "tislelizumab", "pd1_antibody"):
            for e in a["evidence"]:
                assert e.get("observation"), (u, k, v)  # each outcome of a trial its own observation


def test_cohorts_and_case_reports_are_never_trials(seed_graph):
    for u, v, k, a in seed_graph.edges(keys=True, data=True):
        for e in a["evidence"]:
            if e.get("ref") in ("28", "29", "30"):
                assert e["level"] == "observational_human", (u, k, v)
    for k in ("inhibits",):
        for v in ("peritoneal_metastasis", "malignant_ascites"):
            assert seed_graph.edges["car_t_cldn18_2", v, k]["level"] == "case_report"
    assert seed_graph.edges["car_t_cldn18_2", "cldn18_2", "targets"]["level"] == "expert_statement"


def test_summary_edges_record_the_chain_they_summarise(seed_graph):
    e = seed_graph.edges
    assert e["thbs2_caf", "spp1_tam", "polarizes"]["chain"] == ["c3", "c3ar1"]
    assert e["pd1_antibody", "t_cell_activation", "promotes"]["chain"] == ["pd1"]
    assert e["caf", "mir_200b", "inhibits"]["chain"] == ["mir200b_methylation"]
    assert e["caf", "cd8_t_cell", "inhibits"]["chain"] == ["t_cell_exclusion"]
    for u, v, k, a in seed_graph.edges(keys=True, data=True):
        if a.get("chain"):
            nodes = [u, *a["chain"], v]
            assert all(seed_graph.has_edge(x, y) or seed_graph.has_edge(y, x) for x,
                       y in pairwise(nodes)), (u, k, v)
    # SPP1+ TAM -> suppressive niche -> ICB resistance, as the review states it
    assert seed_graph.has_edge("spp1_tam", "immunosuppressive_tme", "promotes")
    assert seed_graph.has_edge("immunosuppressive_tme", "icb",
                               "impairs") and seed_graph.has_edge("caf", "icb", "impairs")


def test_catumaxomab_recruits_fc_receptor_bearing_accessory_cells_macrophages_among_them(seed_graph):
    assert seed_graph.has_edge("catumaxomab", "immune_accessory_cell", "recruits")
    for cell in ("macrophage", "nk_cell", "dendritic_cell"):
        assert seed_graph.has_edge(cell, "immune_accessory_cell", "subtype_of"), cell
    assert seed_graph.edges["dense_stroma", "car_t", "impairs"]["supports"] == ["review_text"]  # 2.2 states it


# --- the review's proposals and the strata (issue 18)


def test_the_reviews_proposals_are_on_the_entities_they_name(seed_graph):
    def kinds(node):
        return {(p["proposes"], p.get("therapy"), p["locator"]) for p in seed_graph.nodes[node].get("proposals") or []}

    assert ("target", None, "1.3 ¶2") in kinds("c3_c3ar1")  # the C3 pathway as a target
    # TAM signalling, EMT factors
    assert ("target", None, "1.1 ¶3") in kinds("tam") and ("target", None, "1.1 ¶3") in kinds("snail")
    assert ("stratification", "catumaxomab", "2.3 ¶1") in kinds("epcam") == kinds("cd3")  # EpCAM/CD3 for catumaxomab
    assert ("stratification", "catumaxomab", "2.3 ¶1") in kinds("catumaxomab")
    assert ("stratification", "immunotherapy", "1.2 ¶1; 3 ¶1") in kinds("t_cell_exhausted_subtype")
    for node in ("gas6_axl", "mir200b_methylation", "caf", "treg", "nk_cell", "cd8_t_cell", "peritoneal_immune_cell"):
        assert kinds(node), node
    for _, a in seed_graph.nodes(data=True):
        for p in a.get("proposals") or []:
            assert p["support"] in ("hypothesis", "review_text") and p["locator"] and p["summary"]


def test_the_two_strata_are_characterized_by_what_the_review_says_is_high_in_them(seed_graph):
    def features(node):
        return {v for _, v, k in seed_graph.out_edges(node, keys=True) if k == "characterized_by"}

    for s in ("t_cell_exhausted_subtype", "t_cell_excluded_subtype"):
        assert (seed_graph.nodes[s]["kind"] == "disease_subtype"
                and seed_graph.has_edge(s, "peritoneal_metastasis", "subtype_of"))
    assert features("t_cell_exhausted_subtype") == {"exhausted_t_cell", "tim3", "galectin9", "vista", "tgfb"}
    assert features("t_cell_excluded_subtype") == {"t_cell_exclusion"}
    # the features act: TIM-3/galectin-9 and VISTA hold T cells back, TGF-beta suppresses, exclusion keeps CD8+ T cells
    # out
    assert seed_graph.has_edge("tim3_galectin9", "t_cell_activation",
                               "inhibits") and seed_graph.has_edge("vista", "t_cell_activation", "inhibits")
    assert seed_graph.has_edge("tgfb", "immunosuppressive_tme", "promotes")
    assert seed_graph.has_edge("t_cell_exclusion", "cd8_t_cell",
                               "inhibits") and seed_graph.has_edge("caf", "t_cell_exclusion", "promotes")


# --- re-audit of issue 22 (a fresh sample; see the commit message)


def test_cd68_macrophages_express_vegf_and_egf_on_the_tam_node(seed_graph):
    for f in ("vegf", "egf"):
        assert [e["ref"] for e in seed_graph.edges["tam", f, "secretes"]["evidence"]] == ["8"]
        # the lavage study measured CD68+ macrophages, not M2
        assert "8" not in seed_graph.edges["m2_tam", f, "secretes"]["refs"]
    keys = {e["observation"] for f in ("vegf", "egf") for e in seed_graph.edges["tam", f, "secretes"]["evidence"]}
    assert keys == {"ref8_cd68_vegf_egf"}  # one flow-cytometry observation


def test_a_ratio_is_one_observation_on_both_of_its_cells(seed_graph):
    keys = [e.get("observation") for u in ("cd8_t_cell", "treg")
            for e in seed_graph.edges[u, "poor_survival", "associated_with"]["evidence"]]
    assert keys == ["ref15_cd8_treg_ratio", "ref15_cd8_treg_ratio"]
