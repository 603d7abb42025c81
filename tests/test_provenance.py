"""How each evidence record is known: support, locator, study design and the level it lends."""

from __future__ import annotations

import json

from mechgraph import props, schema
from mechgraph.cli import main
from mechgraph.cli.records_text import evidence_line
from mechgraph.curation import build_graph, read_seeds
from mechgraph.curation.provenance import provenance_counts
from tests.test_seeds import MINIMAL, problems, write_seeds

EDGE = MINIMAL["edges.yaml"]
REFS = MINIMAL["references.yaml"]


def test_every_record_needs_a_known_support(tmp_path):
    out = problems(tmp_path, **{"edges.yaml": EDGE.replace("        support: review_text\n", "")})
    assert any(":6: evidence without 'support': say how it is known (review_text, reference_title, curator, "
               "hypothesis, database)" in p for p in out), out
    out = problems(tmp_path, **{"edges.yaml": EDGE.replace("support: review_text", "support: review_txt")})
    assert any(":7: unknown support 'review_txt' (did you mean review_text?)" in p for p in out), out


def test_review_text_and_hypothesis_need_a_wellformed_locator(tmp_path):
    out = problems(tmp_path, **{"edges.yaml": EDGE.replace("        locator: 1.3 ¶1\n", "")})
    assert any(":7: a review_text record needs a 'locator'" in p for p in out), out
    hypothesis = EDGE.replace("        locator: 1.3 ¶1\n", "").replace("support: review_text", "support: hypothesis")
    assert any(":7: a hypothesis record needs a 'locator'" in p
               for p in problems(tmp_path, **{"edges.yaml": hypothesis}))
    out = problems(tmp_path, **{"edges.yaml": EDGE.replace("locator: 1.3 ¶1", "locator: section 1.3")})
    assert any(":8: malformed locator 'section 1.3'" in p for p in out), out
    for good in ("abstract", "intro ¶2", "2 ¶1", "2.5 ¶1", "table 1 row 14"):
        assert problems(tmp_path, **{"edges.yaml": EDGE.replace("locator: 1.3 ¶1", f"locator: {good}")}) == [], good
    curator = EDGE.replace("        locator: 1.3 ¶1\n", "").replace("support: review_text", "support: curator")
    curator = curator.replace("ref: 1\n", "ref: review\n").replace("        level: observational_human\n", "")
    # (background knowledge never cites a primary study's level)
    assert problems(tmp_path, **{"edges.yaml": curator}) == []


def test_level_is_derived_from_the_design_and_a_contradiction_is_refused(tmp_path):
    data = read_seeds(write_seeds(tmp_path, **{"edges.yaml": EDGE.replace("        level: observational_human\n", "")}))
    ev = data.edges[0]["evidence"][0]
    assert (ev["design"], ev["level"]) == ("cross_sectional", "observational_human")
    out = problems(tmp_path, **{"edges.yaml": EDGE.replace("level: observational_human", "level: randomised_trial")})
    assert any(
        ":10: level 'randomised_trial' contradicts design 'cross_sectional', which gives 'observational_human'; drop "
        "'level' (it is derived) or fix the design" in p
        for p in out
    ), out


def test_a_reference_with_several_designs_needs_the_record_to_choose(tmp_path):
    refs = REFS.replace("design: cross_sectional", "design: [cross_sectional, animal_model]")
    out = problems(tmp_path, **{"references.yaml": refs})
    assert any(":6: reference 1 has several designs (cross_sectional, animal_model); say which one this record rests "
               "on with 'design:'" in p for p in out), out
    chosen = EDGE.replace("        level: observational_human\n", "        design: animal_model\n")
    data = read_seeds(write_seeds(tmp_path, **{"references.yaml": refs, "edges.yaml": chosen}))
    assert data.edges[0]["evidence"][0]["level"] == "preclinical_in_vivo"
    wrong = EDGE.replace("        level: observational_human\n", "        design: randomised_trial\n")
    out = problems(tmp_path, **{"references.yaml": refs, "edges.yaml": wrong})
    assert any(":10: design 'randomised_trial' is not one of reference 1's designs (cross_sectional, "
               "animal_model)" in p for p in out), out


def test_every_reference_needs_a_known_design(tmp_path):
    out = problems(tmp_path, **{"references.yaml": REFS.replace("    design: cross_sectional\n", "")})
    assert any(":2: reference 1 needs a 'design'" in p for p in out), out
    out = problems(tmp_path, **{"references.yaml": REFS.replace("design: cross_sectional", "design: cohort")})
    assert any(":5: unknown study design 'cohort'" in p for p in out), out


CURATOR_REF = """\
  - ref: drugbank_x
    origin: curator
    design: database
    title: DrugBank entry for drug X
    xrefs: ["DRUGBANK:DB00112"]
"""


def test_curator_references_have_keys_of_their_own_and_a_way_to_find_them(tmp_path):
    refs = REFS + CURATOR_REF
    record = EDGE.replace("ref: 1\n", "ref: drugbank_x\n").replace("support: review_text", "support: curator").replace(
        "        locator: 1.3 ¶1\n", "").replace("        level: observational_human\n", "")
    data = read_seeds(write_seeds(tmp_path, **{"references.yaml": refs, "edges.yaml": record}))
    ev = data.edges[0]["evidence"][0]
    assert (ev["ref"], ev["support"], ev["design"], ev["level"]) == ("drugbank_x", "curator", "database",
                                                                     "expert_statement")
    g = build_graph(data)
    assert (g.nodes["ref_drugbank_x"]["xrefs"] == ["DRUGBANK:DB00112"]
            and g.nodes["ref_drugbank_x"]["origin"] == "curator")
    out = problems(tmp_path, **{"references.yaml": REFS + CURATOR_REF.replace("    origin: curator\n", "")})
    assert any("reference 'drugbank_x' is not in the review's numbering; add 'origin: curator'" in p for p in out), out
    out = problems(tmp_path, **{"references.yaml": REFS + CURATOR_REF.replace("ref: drugbank_x", "ref: 7")})
    assert any("a curator reference needs a snake-case key" in p for p in out), out
    out = problems(tmp_path, **{"references.yaml": REFS + CURATOR_REF.replace('    xrefs: ["DRUGBANK:DB00112"]\n', "")})
    assert any("curator reference drugbank_x needs a 'doi', a 'url' or 'xrefs'" in p for p in out), out


def test_only_a_curator_record_may_go_without_a_reference(tmp_path):
    bare = EDGE.replace("      - ref: 1\n        support: review_text\n        locator: 1.3 ¶1\n",
                        "      - support: curator\n").replace("        level: observational_human\n", "")
    data = read_seeds(write_seeds(tmp_path, **{"edges.yaml": bare}))
    ev = data.edges[0]["evidence"][0]
    assert ev["ref"] is None and ev["level"] == "expert_statement"
    assert build_graph(data).edges["caf", "tam", "recruits"]["refs"] == []
    out = problems(tmp_path, **{"edges.yaml": bare.replace("support: curator",
                                                           "support: hypothesis\n        locator: 1 ¶1")})
    assert any(":6: evidence without 'ref'" in p for p in out), out


TRIAL = """\
entities:
  - id: t1
    kind: clinical_trial
    name: Trial one
    table1_row: 4
    design: single_arm_trial
    interventions: [drug]
  - id: c1
    kind: clinical_trial
    name: Cohort one
    design: retrospective_cohort
    locator: 2.1 ¶2
    refs: [1]
    reported_in: [1]
    interventions: [drug]
  - id: drug
    kind: therapy
    modality: antibody
    name: a drug
"""


def test_trial_edges_take_their_level_from_the_study_design(tmp_path):
    g = build_graph(read_seeds(write_seeds(tmp_path, **{"trials.yaml": TRIAL})))
    [trial] = g.edges["drug", "t1", "tested_in"]["evidence"]
    assert (trial["ref"], trial["support"], trial["locator"], trial["design"], trial["level"]) == (
        "review", "review_text", "table 1 row 4", "single_arm_trial", "nonrandomised_trial")
    [cohort] = g.edges["drug", "c1", "tested_in"]["evidence"]
    assert (cohort["ref"], cohort["locator"], cohort["design"],
            cohort["level"]) == ("1", "2.1 ¶2", "retrospective_cohort", "observational_human")
    assert g.edges["c1", "ref_1", "reported_in"]["level"] == "observational_human"
    out = problems(tmp_path, **{"trials.yaml": TRIAL.replace("    design: single_arm_trial\n", "")})
    assert any("missing required field 'design'" in p for p in out), out
    out = problems(tmp_path, **{"trials.yaml": TRIAL.replace("    locator: 2.1 ¶2\n", "")})
    assert any("study 'c1' needs a 'locator'" in p for p in out), out


def _two_edge_graph(tmp_path):
    refs = REFS + CURATOR_REF
    edges = EDGE + """\
  - source: tam
    relation: promotes
    target: caf
    evidence:
      - ref: drugbank_x
        support: curator
        species: review
        summary: Background knowledge.
      - ref: review
        support: hypothesis
        locator: 1.1 ¶2
        species: review
        summary: The review speculates so.
"""
    return build_graph(read_seeds(write_seeds(tmp_path, **{"references.yaml": refs, "edges.yaml": edges})))


def test_built_edges_carry_supports_and_cypher_sees_them(tmp_path):
    g = _two_edge_graph(tmp_path)
    a = g.edges["tam", "caf", "promotes"]
    assert a["supports"] == ["curator", "hypothesis"] and a["level"] == "expert_statement"
    assert {e["support"] for e in a["evidence"]} == {"curator", "hypothesis"}
    assert g.edges["caf", "tam", "recruits"]["supports"] == ["review_text"]
    p = props.edge_properties({**a, "relation": "promotes"})
    assert p["supports"] == ["curator", "hypothesis"]
    assert props.from_properties(p, edge=True)["supports"] == ["curator", "hypothesis"]  # a round trip keeps it


def test_provenance_counts(tmp_path):
    counts = provenance_counts(_two_edge_graph(tmp_path))
    assert counts["edges_by_support"] == {"review_text": 1, "curator": 1, "hypothesis": 1}
    assert counts["edges_by_level"] == {"observational_human": 1, "expert_statement": 1}
    assert counts["edges_without_review_text"] == 1
    assert counts["edges_without_review_text_by_support"] == {"curator, hypothesis": 1}
    assert counts["evidence_by_support"] == {"review_text": 1, "curator": 1, "hypothesis": 1}


def test_evidence_line_shows_support_locator_design_and_level():
    line = evidence_line({"ref": "7", "doi": "10.7150/jca.31787", "support": "review_text", "locator": "1.1 ¶2",
                          "design": "cross_sectional", "level": "observational_human", "species": "human_samples",
                          "summary": "S."})
    assert (" ".join(line.split()) == "[review_text 1.1 ¶2] ref 7 doi:10.7150/jca.31787 | cross_sectional -> "
                                      "observational_human | human_samples: S.")
    assert line.startswith("      [review_text") and all(len(x) <= 100 for x in line.splitlines())
    line = evidence_line({"support": "curator", "level": "expert_statement", "species": "review", "summary": "S."})
    assert line == "      [curator] no reference | expert_statement | review: S."


def test_every_design_lends_a_known_level():
    assert set(schema.design_level(d) for d in schema.STUDY_DESIGNS) <= set(schema.EVIDENCE_LEVELS)
    assert schema.design_level("guideline") == schema.design_level("review") == "expert_statement"
    levels = schema.EVIDENCE_LEVELS
    assert levels["observational_human"] > levels["case_report"] > levels["preclinical_in_vivo"]


def test_cli_stats_counts_by_support_and_level(tmp_path, capsys):
    _two_edge_graph(tmp_path)  # writes the seed folder
    assert main(["--seeds", str(tmp_path), "stats", "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["edges_by_support"] == {"review_text": 1, "curator": 1,
                                     "hypothesis": 1} and s["edges_without_review_text"] == 1
    assert main(["--seeds", str(tmp_path), "stats"]) == 0
    out = capsys.readouterr().out
    assert "1 edge rest only on evidence the review's text does not state (curator, hypothesis 1)" in out
    assert "hypothesis" in out and "expert_statement" in out


def test_cli_show_prints_support_and_locator(tmp_path, capsys):
    _two_edge_graph(tmp_path)
    assert main(["--seeds", str(tmp_path), "show", "tam"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "-> promotes (+) cancer-associated fibroblast [caf] (not stated by the review: curator, hypothesis)" in out
    assert "[hypothesis 1.1 ¶2] ref review | review -> expert_statement | review: The review speculates so." in out
    assert ("[review_text 1.3 ¶1] ref 1 doi:10.1000/abc | cross_sectional -> observational_human | human_samples: "
            "CAFs recruit macrophages." in out)
