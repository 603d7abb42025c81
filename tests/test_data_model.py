"""The data model of issues 18 and 22 in the loader: explained chains, observation keys,
mis-citations, proposals, trials listed twice, results per measured outcome, curators' names."""

from __future__ import annotations

import textwrap

from mechgraph.curation import build_graph, read_seeds
from mechgraph.curation.seeds import publication_label
from tests.test_seeds import MINIMAL, problems, write_seeds

REFS = MINIMAL["references.yaml"] + (
    "  - ref: 2\n"
    "    authors: [Roe R]\n"
    "    year: 2019\n"
    "    design: [cross_sectional, animal_model]\n"
    "    title: Complement C3 from fibroblasts converts macrophages\n"
    "    doi: 10.1000/def\n"
    '    caveats: ["The review cites this for a trial it does not report."]\n'
)

ENTITIES = textwrap.dedent("""\
    entities:
      - id: caf
        kind: cell_state
        name: fibroblast
      - id: c3
        kind: gene
        name: C3
      - id: c3ar1
        kind: gene
        name: C3AR1
      - id: spp1_tam
        kind: cell_state
        name: SPP1+ macrophage
      - id: drug
        kind: therapy
        modality: antibody
        name: drugumab
        name_zh: 药物单抗
        name_zh_source: curator
      - id: klass
        kind: therapy_class
        name: drug class
      - id: marker
        kind: gene
        name: marker
      - id: survival
        kind: phenotype
        name: poor survival
      - id: pm
        kind: phenotype
        name: peritoneal metastasis
      - id: trial
        kind: clinical_trial
        name: "NCT00000001: a trial"
        registry_id: NCT00000001
        table1_row: [6, 13]
        design: randomised_trial
        interventions: [drug]
        refs: [1]
        results:
          - endpoint: overall survival
            comparison: drug vs placebo
            value: 13.2 vs 13.0 months
            p: 0.97
            source: drug
            relation: associated_with
            direction: none
            target: survival
          - endpoint: progression-free survival
            value: 6.7 vs 5.4 months
            p: 0.71
            source: drug
            relation: associated_with
            direction: none
            target: survival
          - endpoint: peritoneal response
            value: 27% vs 19%
            source: drug
            relation: inhibits
            target: pm
""")


def edge(src: str, rel: str, tgt: str, body: str = "", ref: str = "1", locator: str = "1.3 ¶1", extra: str = "") -> str:
    """One edge as YAML under `edges:`; `body` holds extra edge fields, `extra` extra record fields (one per line)."""
    lines = [f"  - source: {src}", f"    relation: {rel}", f"    target: {tgt}"]
    lines += [f"    {x}" for x in body.splitlines() if x]
    lines += ["    evidence:", f"      - ref: {ref}", "        support: review_text", f"        locator: {locator}",
              "        species: human_samples", "        summary: A statement."]
    lines += [f"        {x}" for x in extra.splitlines() if x]
    return "\n".join(lines) + "\n"


CHAIN_EDGES = "edges:\n" + "".join([
    edge("caf", "secretes", "c3", extra="observation: caf_c3\n"),
    edge("c3", "activates", "c3ar1"),
    edge("c3ar1", "polarizes", "spp1_tam"),
    edge("caf", "polarizes", "spp1_tam", body="chain: [c3, c3ar1]\n"),
])


def load(tmp_path, edges: str = CHAIN_EDGES, entities: str = ENTITIES, refs: str = REFS, extra: dict | None = None):
    files = {"references.yaml": refs, "entities.yaml": entities, "edges.yaml": edges, **(extra or {})}
    return read_seeds(write_seeds(tmp_path, **files))


def test_a_chain_is_kept_on_its_edge(tmp_path):
    g = build_graph(load(tmp_path))
    assert g.edges["caf", "spp1_tam", "polarizes"]["chain"] == ["c3", "c3ar1"]
    assert "chain" not in g.edges["c3", "c3ar1", "activates"]
    [rec] = g.edges["caf", "c3", "secretes"]["evidence"]
    assert rec["observation"] == "caf_c3"


def test_a_chain_link_must_be_a_walkable_edge(tmp_path):
    broken = CHAIN_EDGES.replace("relation: activates", "relation: binds")
    out = problems(tmp_path, **{"references.yaml": REFS, "entities.yaml": ENTITIES, "edges.yaml": broken})
    assert any(
        "edges.yaml:" in p and ":33: chain of caf -polarizes-> spp1_tam: no edge c3 -> c3ar1 with a walkable sign "
        "(c3 -binds-> c3ar1 is not a signed step)" in p for p in out
    ), out


def test_a_chain_must_multiply_to_the_edges_sign(tmp_path):
    broken = CHAIN_EDGES.replace("relation: activates", "relation: inhibits")
    out = problems(tmp_path, **{"references.yaml": REFS, "entities.yaml": ENTITIES, "edges.yaml": broken})
    assert any(":33: chain of caf -polarizes-> spp1_tam: the links multiply to -, but the edge's sign is +" in p
               for p in out), out


def test_a_chain_names_known_intermediates_without_the_ends(tmp_path):
    out = problems(tmp_path, **{"references.yaml": REFS, "entities.yaml": ENTITIES,
                                "edges.yaml": CHAIN_EDGES.replace("chain: [c3, c3ar1]", "chain: [c3, c3r1]")})
    assert any(":33: chain entity 'c3r1' is not a known entity" in p for p in out), out
    out = problems(tmp_path, **{"references.yaml": REFS, "entities.yaml": ENTITIES,
                                "edges.yaml": CHAIN_EDGES.replace("chain: [c3, c3ar1]", "chain: [caf, c3ar1]")})
    assert any(":33: a chain lists the intermediate entities once each, without the edge's two ends" in p
               for p in out), out


def test_observation_keys_are_snake_case(tmp_path):
    bad = CHAIN_EDGES.replace("observation: caf_c3", "observation: CAF C3")
    out = problems(tmp_path, **{"references.yaml": REFS, "entities.yaml": ENTITIES, "edges.yaml": bad})
    assert any(":11: observation key 'CAF C3' must be snake case" in p for p in out), out


def test_a_trial_listed_twice_is_one_entity_with_both_rows(tmp_path):
    data = load(tmp_path)
    t = data.entities["trial"]
    assert (t["table1_row"], t["table1_rows"], t["locator"]) == (6, [6, 13], "table 1 row 6")
    [tested] = [e for e in data.edges if e["relation"] == "tested_in"]
    assert [r["locator"] for r in tested["evidence"]] == ["table 1 row 6", "table 1 row 13"]
    assert {r["observation"] for r in tested["evidence"]} == {"trial"}  # one trial: one observation


def test_each_result_is_its_own_observation_on_the_outcome_it_measured(tmp_path):
    g = build_graph(load(tmp_path))
    recs = g.edges["drug", "survival", "associated_with"]["evidence"]
    assert g.edges["drug", "survival", "associated_with"]["direction"] == "none"
    assert [r["observation"] for r in recs] == ["trial_overall_survival", "trial_progression_free_survival"]
    assert recs[0]["figures"] == "drug vs placebo: 13.2 vs 13.0 months; P=0.97"
    assert {r["level"] for r in recs} == {"randomised_trial"} and {r["locator"] for r in recs} == {"table 1 row 6"}
    assert g.edges["drug", "pm", "inhibits"]["evidence"][0]["figures"] == "27% vs 19%"
    assert all("_line" not in row for row in g.nodes["trial"]["results"])


def test_a_result_adds_to_the_hand_written_edge_and_must_agree_with_its_direction(tmp_path):
    hand = "edges:\n" + edge("drug", "associated_with", "survival", body="direction: none\n")
    data = load(tmp_path, edges=hand)
    [e] = [e for e in data.edges if e["relation"] == "associated_with"]
    assert [r["ref"] for r in e["evidence"]] == ["1", "1", "1"] and e["_file"].endswith("edges.yaml")
    hand = hand.replace("direction: none", "direction: negative")
    out = problems(tmp_path, **{"references.yaml": REFS, "entities.yaml": ENTITIES, "edges.yaml": hand})
    assert any("entities.yaml:41: result says direction 'none' but the edge drug -associated_with-> survival" in p
               for p in out), out


def test_a_result_names_a_known_edge(tmp_path):
    bad = ENTITIES.replace("target: pm", "target: pmm").replace("relation: inhibits", "relation: inhibit")
    out = problems(tmp_path, **{"references.yaml": REFS, "entities.yaml": bad, "edges.yaml": CHAIN_EDGES})
    assert any(":56: result target 'pmm' is not a known entity (did you mean pm?)" in p for p in out), out
    assert any(":56: unknown relation 'inhibit' in a study result (did you mean inhibits" in p for p in out), out


def test_a_miscited_study_rests_on_the_review_with_the_design_it_describes(tmp_path):
    cited = "edges:\n" + edge("drug", "inhibits", "pm", ref="review", extra="cited_as: 2\ndesign: single_arm_trial\n")
    data = load(tmp_path, edges=cited)
    [e] = [e for e in data.edges if e["source"] == "drug" and e["relation"] == "inhibits"]
    rec = e["evidence"][0]
    assert (rec["ref"], rec["cited_as"], rec["design"],
            rec["level"]) == ("review", "2", "single_arm_trial", "nonrandomised_trial")
    without_design = cited.replace("design: single_arm_trial\n", "")
    out = problems(tmp_path, **{"references.yaml": REFS, "entities.yaml": ENTITIES, "edges.yaml": without_design})
    assert any(":11: a record with 'cited_as' needs 'design'" in p for p in out), out
    not_review = cited.replace("ref: review", "ref: 1")
    out = problems(tmp_path, **{"references.yaml": REFS, "entities.yaml": ENTITIES, "edges.yaml": not_review})
    assert any(":11: a record with 'cited_as: 2' rests on the review's own statement: write 'ref: review'" in p
               for p in out), out
    no_caveat = REFS.replace('    caveats: ["The review cites this for a trial it does not report."]\n', "")
    out = problems(tmp_path, **{"references.yaml": no_caveat, "entities.yaml": ENTITIES, "edges.yaml": cited})
    assert any(":6: the record says the review mis-cites reference 2, but reference 2" in p
               and "records no caveat saying so" in p
               for p in out), out


PROPOSALS = textwrap.dedent("""\
    proposals:
      - proposes: stratification
        entities: [marker]
        therapy: drug
        evidence:
          - ref: review
            support: review_text
            locator: 2.3 ¶1
            species: review
            summary: The review proposes choosing patients for the drug by the marker.
      - proposes: target
        entities: [c3, c3ar1]
        evidence:
          - ref: review
            support: hypothesis
            locator: 1.3 ¶2
            species: review
            summary: The review names the C3 pathway as a potential target.
    """)


def test_proposals_are_stored_on_every_entity_they_name_and_their_therapy(tmp_path):
    g = build_graph(load(tmp_path, extra={"proposals.yaml": PROPOSALS}))
    [strat] = g.nodes["marker"]["proposals"]
    assert strat == {"proposes": "stratification", "entities": ["marker"], "therapy": "drug", "refs": ["review"],
                     "locator": "2.3 ¶1", "support": "review_text",
                     "summary": "The review proposes choosing patients for the drug by the marker."}
    assert g.nodes["drug"]["proposals"] == [strat]
    assert [p["proposes"]
            for p in g.nodes["c3"]["proposals"]] == ["target"] == [p["proposes"] for p in g.nodes["c3ar1"]["proposals"]]
    assert "proposals" not in g.nodes["spp1_tam"]
    assert not any(g.has_edge("marker", x) or g.has_edge(x, "marker") for x in g)  # a proposal is never an edge


def test_a_proposal_is_checked_like_a_record(tmp_path):
    bad = (PROPOSALS.replace("proposes: target", "proposes: targett").replace("therapy: drug", "therapy: marker")
           .replace("support: hypothesis", "support: curator"))
    out = problems(tmp_path, **{"references.yaml": REFS, "entities.yaml": ENTITIES, "edges.yaml": CHAIN_EDGES,
                                "proposals.yaml": bad})
    assert any("proposals.yaml:4: proposal therapy 'marker' is a gene, not a therapy" in p for p in out), out
    assert any("proposals.yaml:11: unknown proposal kind 'targett' (did you mean target?)" in p for p in out), out
    assert any("proposals.yaml:14: a proposal is the review's own: its evidence is review_text or hypothesis, not "
               "'curator'" in p
               for p in out), out
    unnamed = PROPOSALS.replace("    therapy: drug\n", "")
    out = problems(tmp_path, **{"references.yaml": REFS, "entities.yaml": ENTITIES, "edges.yaml": CHAIN_EDGES,
                                "proposals.yaml": unnamed})
    assert any("proposals.yaml:2: a stratification proposal names the 'therapy'" in p for p in out), out


def test_a_curators_chinese_name_is_marked(tmp_path):
    g = build_graph(load(tmp_path))
    assert g.nodes["drug"]["name_zh_source"] == "curator"
    bad = ENTITIES.replace("name_zh_source: curator", "name_zh_source: translator")
    out = problems(tmp_path, **{"references.yaml": REFS, "entities.yaml": bad, "edges.yaml": CHAIN_EDGES})
    assert any(":19: 'name_zh_source' is one of review, curator, not 'translator'" in p for p in out), out


def test_publications_are_named_by_surname_or_group():
    assert publication_label("1", {"authors": ["Bray F", "Laversanne M", "et al."], "year": 2024}) == "Bray 2024"
    assert publication_label("3", {"authors": ["Thomassen I", "van Gestel YR"], "year": 2014}) == "Thomassen 2014"
    assert publication_label("9", {"authors": ["van Gestel YR"], "year": 2014}) == "van Gestel 2014"
    group = {"authors": ["Gastric Cancer Professional Committee of the China Anti-Cancer Association"], "year": 2023}
    assert (publication_label("27", group) == "Gastric Cancer Professional Committee of the China Anti-Cancer "
                                              "Association 2023")
    assert publication_label("28", {"authors": [], "authors_zh": "中国抗癌协会", "year": 2023}) == "中国抗癌协会 2023"


def test_a_result_is_checked_like_a_record(tmp_path):
    long = ENTITIES.replace("        value: 27% vs 19%\n", "        value: " + "x" * 6000 + "\n")
    out = problems(tmp_path, **{"references.yaml": REFS, "entities.yaml": long, "edges.yaml": CHAIN_EDGES})
    assert any(":57: result field 'value' is 6000 characters long (limit 5000)" in p for p in out), out
    chinese = ENTITIES.replace("        value: 27% vs 19%\n",
                               "        value: 27% vs 19%\n        summary: 腹膜转移减少\n")
    out = problems(tmp_path, **{"references.yaml": REFS, "entities.yaml": chinese, "edges.yaml": CHAIN_EDGES})
    assert any(":58: a result's summary must be in English" in p for p in out), out
    nameless = ENTITIES.replace('    name: "NCT00000001: a trial"\n', '    name: "' + "y" * 6000 + '"\n')
    out = problems(tmp_path, **{"references.yaml": REFS, "entities.yaml": nameless, "edges.yaml": CHAIN_EDGES})
    assert any(":34: 'name' is 6000 characters long" in p for p in out), out  # reported, and the results still derive
