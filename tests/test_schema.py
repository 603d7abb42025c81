from mechgraph import schema


def test_every_kind_maps_to_a_biolink_category():
    for kind in schema.ENTITY_KINDS.values():
        assert kind.biolink.startswith("biolink:")
        assert kind.label[0].isupper() and kind.label.isalnum()


def test_relation_signs_are_fixed_as_specified():
    signs = {name: rel.sign for name, rel in schema.RELATIONS.items()}
    assert signs["promotes"] == 1 and signs["activates"] == 1 and signs["recruits"] == 1
    assert signs["secretes"] == 1 and signs["expresses"] == 1 and signs["polarizes"] == 1
    assert signs["inhibits"] == -1 and signs["kills"] == -1
    assert signs["binds"] == 0 and signs["targets"] == 0 and signs["associated_with"] == 0
    assert signs["subtype_of"] is None and signs["part_of"] is None and signs["tested_in"] is None


def test_neo4j_types_are_upper_snake_and_unique():
    types = [r.neo4j_type for r in schema.RELATIONS.values()]
    assert len(set(types)) == len(types)
    assert all(t.replace("_", "").isalpha() and t.isupper() for t in types)


def test_therapy_modalities_refine_category():
    assert schema.biolink_category("therapy", "antibody") == "biolink:Drug"
    assert schema.biolink_category("therapy", "procedure") == "biolink:Procedure"
    assert schema.biolink_category("clinical_trial") == "biolink:ClinicalTrial"


def test_curie_checks():
    assert schema.check_curie("hgnc.symbol:PDCD1") is None
    assert schema.check_curie("CL:0000625") is None
    assert schema.check_curie("clinicaltrials:NCT04886193") is None
    assert "malformed" in schema.check_curie("CL:625")
    assert "unknown prefix" in schema.check_curie("FOO:1")
    assert "not a CURIE" in schema.check_curie("PDCD1")


def test_locators_and_designs():
    for good in ("abstract", "intro ¶1", "1 ¶1", "1.3 ¶2", "2.5 ¶1", "3 ¶1", "table 1 row 14"):
        assert schema.LOCATOR_RE.match(good), good
    for bad in ("1.3", "¶2", "1.3 ¶0", "table 2 row 1", "section 1.3 ¶2", "1.3 p2"):
        assert not schema.LOCATOR_RE.match(bad), bad
    assert schema.design_level("retrospective_cohort") == "observational_human"
    assert schema.design_level("case_report") == "case_report"
    assert schema.design_level("animal_model") == "preclinical_in_vivo"
    assert set(schema.SUPPORTS) == {"review_text", "reference_title", "curator", "hypothesis", "database"}
