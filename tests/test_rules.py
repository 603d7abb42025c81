"""The validate rules across records (graph/curation/rules.py): each rule on a small seed folder
that breaks it, with the FILE:LINE message a curator needs, and a folder that keeps it."""

from __future__ import annotations

from tests.test_data_model import CHAIN_EDGES, ENTITIES, REFS, edge
from tests.test_seeds import problems


def run(tmp_path, edges: str, entities: str = ENTITIES, refs: str = REFS) -> list[str]:
    return problems(tmp_path, **{"references.yaml": refs, "entities.yaml": entities, "edges.yaml": edges})


def test_the_example_folder_keeps_every_rule(tmp_path):
    assert run(tmp_path, CHAIN_EDGES) == []


def test_an_edge_into_a_therapy_is_a_modifier_or_membership(tmp_path):
    out = run(tmp_path, CHAIN_EDGES + edge("pm", "inhibits", "drug"))
    assert any(":40: pm -inhibits-> drug: an edge into a therapy says how its source changes the therapy's efficacy; "
               "write 'enhances' or 'impairs'" in p for p in out), out
    assert run(tmp_path, CHAIN_EDGES + edge("pm", "impairs", "drug") + edge("drug", "subtype_of", "klass")) == []
    out = run(tmp_path, CHAIN_EDGES + edge("marker", "subtype_of", "klass"))
    assert any(":40: marker -subtype_of-> klass: an edge into a therapy" in p for p in out), out


def test_enhances_and_impairs_go_only_into_therapies(tmp_path):
    out = run(tmp_path, CHAIN_EDGES + edge("marker", "enhances", "pm"))
    assert any(":40: marker -enhances-> pm: 'enhances' modifies a therapy's efficacy, but pm is a phenotype" in p
               for p in out), out


def test_form_of_runs_from_a_therapy_to_a_molecule(tmp_path):
    assert run(tmp_path, CHAIN_EDGES + edge("drug", "form_of", "marker")) == []
    out = run(tmp_path, CHAIN_EDGES + edge("drug", "form_of", "pm"))
    assert any(":40: drug -form_of-> pm: 'form_of' runs from a therapy to the molecule it is a form of" in p
               for p in out), out
    out = run(tmp_path, CHAIN_EDGES + edge("c3", "form_of", "marker"))
    assert any("not from a gene to a gene" in p for p in out), out


def test_characterized_by_runs_from_a_disease_subtype(tmp_path):
    ents = ENTITIES + "  - id: exhausted\n    kind: disease_subtype\n    name: T-cell-exhausted GCPM\n"
    assert run(tmp_path, CHAIN_EDGES + edge("exhausted", "characterized_by", "marker"), entities=ents) == []
    out = run(tmp_path, CHAIN_EDGES + edge("pm", "characterized_by", "marker"), entities=ents)
    assert any(":40: pm -characterized_by-> marker: 'characterized_by' runs from a disease_subtype, not from a "
               "phenotype" in p
               for p in out), out


def test_targets_is_only_for_an_unstated_direction(tmp_path):
    assert run(tmp_path, CHAIN_EDGES + edge("drug", "targets", "marker")) == []
    out = run(tmp_path, CHAIN_EDGES + edge("drug", "targets",
                                           "marker") + edge("drug", "inhibits", "marker", locator="2.1 ¶1"))
    assert any(":40: drug -targets-> marker beside drug -inhibits-> marker (" in p
               and ":49): a drug's action on its target is "
               "one signed edge; drop the 'targets' edge" in p for p in out), out


def test_one_observation_on_a_class_edge_and_its_members_edge_is_refused(tmp_path):
    both = CHAIN_EDGES + edge("drug", "subtype_of", "klass") + edge("pm", "impairs", "klass", locator="2.1 ¶2") \
        + edge("pm", "impairs", "drug", locator="2.1 ¶2")
    out = run(tmp_path, both)
    assert any(":58: one observation on two edges: the reference 1 at 2.1 ¶2 on pm -impairs-> drug is already on pm "
               "-impairs-> klass"
               in p and "(drug is a member or part of klass); encode it once" in p for p in out), out
    # distinct observations say so with distinct keys; the same key is the same observation
    keyed = (CHAIN_EDGES + edge("drug", "subtype_of", "klass")
             + edge("pm", "impairs", "klass", locator="2.1 ¶2", extra="observation: a\n")
             + edge("pm", "impairs", "drug", locator="2.1 ¶2", extra="observation: b\n"))
    assert run(tmp_path, keyed) == []
    out = run(tmp_path, keyed.replace("observation: b", "observation: a"))
    assert any("one observation on two edges: the observation 'a' on pm -impairs-> drug" in p for p in out), out


def test_one_observation_on_two_relations_between_one_pair_is_refused(tmp_path):
    out = run(tmp_path, CHAIN_EDGES + edge("c3", "binds", "c3ar1"))
    assert any("one observation on two edges: the reference 1 at 1.3 ¶1 on c3 -binds-> c3ar1 is already on c3 "
               "-activates-> c3ar1"
               in p and "(the same pair)" in p for p in out), out


def test_different_figures_or_kinds_of_data_are_different_observations(tmp_path):
    class_and_member = CHAIN_EDGES + edge("drug", "subtype_of", "klass")
    two_figures = class_and_member + edge("pm", "impairs", "klass", locator="2.1 ¶2",
                                          extra='figures: "OS 5.5 vs 6.0"\n') \
        + edge("pm", "impairs", "drug", locator="2.1 ¶2", extra='figures: "RR 7% vs 22%"\n')
    assert run(tmp_path, two_figures) == []
    two_designs = class_and_member + edge("pm", "impairs", "klass", ref="2", locator="2.1 ¶2",
                                          extra="design: cross_sectional\n") \
        + edge("pm", "impairs", "drug", ref="2", locator="2.1 ¶2", extra="design: animal_model\n")
    assert run(tmp_path, two_designs) == []
    siblings = CHAIN_EDGES + edge("drug", "subtype_of", "klass") + edge("marker", "subtype_of", "c3") \
        + edge("pm", "associated_with", "marker",
               body="direction: positive\n") + edge("pm", "associated_with", "c3ar1", body="direction: positive\n")
    assert run(tmp_path, siblings) == []  # c3ar1 and marker are not member and class


def test_mentions_allows_only_spelling_punctuation_greek_and_plurals():
    from mechgraph.curation.rules import mentions

    title = "Tumor-associated macrophages induce TNF-α and IL33 via the C3/C3aR1 axis in tumour cells"
    for name in ("tumour-associated macrophage", "tumor associated macrophages", "TNF-alpha", "TNFα",
                 "IL-33", "C3aR1", "C3", "tumour cell"):
        assert mentions(title, name), name
    for name in ("TAM", "IL-3", "macrophage polarization", "C3a", "tumour growth", ""):
        assert not mentions(title, name), name


def title_edge(src: str, rel: str, tgt: str) -> str:
    """An edge resting only on the title of reference 2: 'Complement C3 from fibroblasts converts macrophages'."""
    return edge(src, rel, tgt, ref="2",
                extra="design: cross_sectional\n").replace("support: review_text", "support: reference_title")


def test_a_reference_title_record_needs_a_title_that_names_the_edges_entities(tmp_path):
    assert run(tmp_path, CHAIN_EDGES + title_edge("caf", "promotes", "c3")) == []  # fibroblast and C3 are in the title
    out = run(tmp_path, CHAIN_EDGES + title_edge("caf", "promotes", "c3ar1"))
    assert any(":44: a reference_title record on caf -promotes-> c3ar1, but the title of reference 2 names no c3ar1 ("
               in p and "support: curator" in p for p in out), out


def test_a_part_is_named_by_its_whole_and_membership_checks_only_the_member(tmp_path):
    ents = ENTITIES + "  - id: complement\n    kind: complex\n    name: complement C3 from fibroblasts\n"
    whole = CHAIN_EDGES + title_edge("caf", "promotes", "c3ar1") + edge("c3ar1", "part_of", "complement")
    assert run(tmp_path, whole, entities=ents) == []
    assert run(tmp_path, CHAIN_EDGES + title_edge("caf", "subtype_of", "marker")) == []  # the member is named
    out = run(tmp_path, CHAIN_EDGES + title_edge("marker", "subtype_of", "caf"))
    assert any("a reference_title record on marker -subtype_of-> caf, but the title of reference 2 names no "
               "marker" in p for p in out), out


def test_a_curator_record_does_not_borrow_a_primary_studys_level(tmp_path):
    curator = CHAIN_EDGES + edge("marker", "promotes", "pm", ref="2", extra="design: animal_model\n").replace(
        "support: review_text\n        locator: 1.3 ¶1\n        species: human_samples\n        summary: A "
        "statement.\n        design",
        "support: curator\n        species: human_samples\n        summary: A statement.\n        design")
    out = run(tmp_path, curator)
    assert any(":44: a curator record cites reference 2 and so borrows the level of its animal_model design "
               "(preclinical_in_vivo)"
               in p for p in out), out


def test_a_name_belongs_to_one_entity(tmp_path):
    shared = ENTITIES.replace("    name: C3AR1\n", "    name: C3AR1\n    synonyms: [c3]\n")
    out = run(tmp_path, CHAIN_EDGES, entities=shared)
    assert any(":8: the name 'c3' of c3ar1 is also a name of c3 (" in p
               and ":5); a name or synonym belongs to one entity" in p
               for p in out), out
