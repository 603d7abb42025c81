"""The mechgraph vocabulary: entity kinds, relation types with their fixed signs, evidence levels.

This module is the only place the vocabulary is defined. Adding a relation type or an entity
kind is one edit to the tables below; the loader, both backends, the Cypher builder and the
pictures read them from here. Neo4j labels and relationship types are taken only from here,
never from user input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class EntityKind:
    """One kind of entity: its Neo4j label, Biolink category and a human description."""

    name: str
    label: str
    biolink: str
    description: str


@dataclass(frozen=True)
class Relation:
    """One relation type: its fixed sign (+1, -1 or 0), Neo4j type and Biolink predicate."""

    name: str
    sign: int | None  # +1, -1, 0 (unsigned), or None for structural relations that pass a sign through
    neo4j_type: str
    biolink: str
    description: str
    structural: bool = False  # part of the ontology (subtype_of, tested_in), not a causal step

    @property
    def sign_symbol(self) -> str:
        return SIGN_SYMBOLS[self.sign]


# "=" marks a structural step (subtype_of, part_of, ...): it carries no sign of its own and a
# signed path passes through it unchanged.
SIGN_SYMBOLS = {1: "+", -1: "-", 0: "0", None: "="}

ENTITY_KINDS: dict[str, EntityKind] = {
    k.name: k
    for k in [
        EntityKind("cell_type", "CellType", "biolink:Cell", "a cell type (macrophage, CD8+ T cell, CAF)"),
        EntityKind(
            "tumour_cell",
            "TumourCell",
            "biolink:Cell",
            "the malignant cells themselves (gastric cancer cells): what cytotoxic therapies attack, never a "
            "candidate target",
        ),
        EntityKind(
            "cell_state",
            "CellState",
            "biolink:Cell",
            "a cell state or subpopulation (M2 TAM, SPP1+ TAM, THBS2+ CAF, exhausted T cells)",
        ),
        EntityKind("gene", "Gene", "biolink:Gene", "a human gene or its protein product"),
        EntityKind(
            "complex",
            "Complex",
            "biolink:MacromolecularComplex",
            "a ligand-receptor pair or molecular complex (C3/C3aR1, GAS6/AXL)",
        ),
        EntityKind("mirna", "MiRNA", "biolink:MicroRNA", "a microRNA"),
        EntityKind(
            "cytokine",
            "Cytokine",
            "biolink:Protein",
            "a cytokine, chemokine, growth factor or other soluble protein factor",
        ),
        EntityKind("chemical", "Chemical", "biolink:ChemicalEntity", "a small molecule or reactive species (ROS)"),
        EntityKind("process", "Process", "biolink:BiologicalProcess", "a biological process (EMT, angiogenesis)"),
        EntityKind("disease", "Disease", "biolink:Disease", "a disease (gastric cancer)"),
        EntityKind(
            "disease_subtype",
            "DiseaseSubtype",
            "biolink:Disease",
            "a subtype of the disease that the review distinguishes to choose therapy (T-cell-exhausted GCPM); "
            "its characterized_by edges name what is high in it",
        ),
        EntityKind(
            "phenotype",
            "Phenotype",
            "biolink:PhenotypicFeature",
            "a phenotype or clinical outcome (peritoneal metastasis, malignant ascites, poor survival)",
        ),
        EntityKind(
            "therapy",
            "Therapy",
            "biolink:Treatment",
            "a therapy: antibody, drug, cell therapy, oncolytic virus, regimen or procedure",
        ),
        EntityKind("therapy_class", "TherapyClass", "biolink:Treatment", "a class of therapies (ICB, CAR-T)"),
        EntityKind(
            "clinical_trial",
            "ClinicalTrial",
            "biolink:ClinicalTrial",
            "a clinical trial or clinical study (registered trial, cohort)",
        ),
        EntityKind("publication", "Publication", "biolink:Publication", "a publication cited by the source review"),
    ]
}

# Groups of kinds the rules read (one definition each): cells (abundance x activity), therapies
# (what acts), outcomes (what a disease does to the patient), and bookkeeping kinds no path walks.
CELL_KINDS = ("cell_type", "cell_state", "tumour_cell")
THERAPY_KINDS = ("therapy", "therapy_class")
OUTCOME_KINDS = ("phenotype", "disease")
NEVER_WALKED_KINDS = ("publication", "clinical_trial")

# Therapy modality refines the Biolink category of a therapy: drugs are biolink:Drug,
# procedures biolink:Procedure, the rest biolink:Treatment.
THERAPY_MODALITIES: dict[str, str] = {
    "antibody": "biolink:Drug",
    "bispecific_antibody": "biolink:Drug",
    "antibody_drug_conjugate": "biolink:Drug",
    "small_molecule": "biolink:Drug",
    "chemotherapy": "biolink:Drug",
    "recombinant_protein": "biolink:Drug",
    "cell_therapy": "biolink:Treatment",
    "gene_therapy": "biolink:Treatment",
    "oncolytic_virus": "biolink:Treatment",
    "regimen": "biolink:Treatment",
    "procedure": "biolink:Procedure",
}

RELATIONS: dict[str, Relation] = {
    r.name: r
    for r in [
        Relation("promotes", 1, "PROMOTES", "biolink:positively_correlated_with", "increases or drives"),
        Relation("inhibits", -1, "INHIBITS", "biolink:negatively_correlated_with", "decreases or suppresses"),
        Relation("activates", 1, "ACTIVATES", "biolink:affects", "switches on the activity of"),
        Relation("recruits", 1, "RECRUITS", "biolink:affects", "draws cells to the site"),
        Relation("secretes", 1, "SECRETES", "biolink:affects", "releases a soluble factor"),
        Relation("expresses", 1, "EXPRESSES", "biolink:expresses", "expresses a gene, receptor or antigen"),
        Relation("polarizes", 1, "POLARIZES", "biolink:affects", "converts or polarizes into another state"),
        Relation("kills", -1, "KILLS", "biolink:affects", "kills cells"),
        Relation(
            "characterized_by", 1, "CHARACTERIZED_BY", "biolink:has_phenotype",
            "a disease subtype shows this feature at a high level (what sets it apart)",
        ),
        Relation(
            "enhances", 1, "ENHANCES", "biolink:affects",
            "raises the efficacy of a therapy (a modifier of the therapy, not a step of the source's mechanism)",
        ),
        Relation(
            "impairs", -1, "IMPAIRS", "biolink:affects",
            "lowers the efficacy of a therapy (a modifier of the therapy, not a step of the source's mechanism)",
        ),
        Relation(
            "bypasses", 0, "BYPASSES", "biolink:related_to",
            "reaches its site around an obstacle (intraperitoneal delivery around the peritoneal-plasma barrier)",
        ),
        Relation("binds", 0, "BINDS", "biolink:physically_interacts_with", "binds physically"),
        Relation("targets", 0, "TARGETS", "biolink:targets", "therapy aimed at a molecule or cell"),
        Relation(
            "associated_with",
            0,
            "ASSOCIATED_WITH",
            "biolink:associated_with",
            "statistical association; its direction is the edge's `direction` property",
        ),
        Relation("tested_in", None, "TESTED_IN", "biolink:studied_in", "therapy tested in a trial", structural=True),
        Relation("subtype_of", None, "SUBTYPE_OF", "biolink:subclass_of", "is a subtype or member of", structural=True),
        Relation("part_of", None, "PART_OF", "biolink:part_of", "is a component of", structural=True),
        Relation(
            "form_of", None, "FORM_OF", "biolink:subclass_of",
            "is a recombinant or engineered form of a molecule (a therapy that supplies it and acts as it does)",
            structural=True,
        ),
        Relation("reported_in", None, "REPORTED_IN", "biolink:published_in", "study results reported in",
                 structural=True),
    ]
}

EVIDENCE_LEVELS: dict[str, int] = {
    # name -> strength (higher is stronger), the hierarchy of the Oxford CEBM levels and GRADE's
    # starting certainty: randomised trial > non-randomised trial (single arm, most phase I) >
    # observational human study > case report > animal > in vitro > expert statement. A record's
    # level is derived from the design of the study it rests on (STUDY_DESIGNS below), never set
    # by hand, and never from how strong the claim sounds.
    "randomised_trial": 7,
    "nonrandomised_trial": 6,
    "observational_human": 5,
    "case_report": 4,
    "preclinical_in_vivo": 3,
    "in_vitro": 2,
    "expert_statement": 1,
}

# How each level reads in an answer ("decided by a randomised trial").
LEVEL_LABELS: dict[str, str] = {
    "randomised_trial": "randomised trial",
    "nonrandomised_trial": "non-randomised trial",
    "observational_human": "observational study in patients",
    "case_report": "case report",
    "preclinical_in_vivo": "animal study",
    "in_vitro": "in vitro study",
    "expert_statement": "expert statement",
}
# Levels that are trials (only these may be called "trials" in an answer), and levels that rest on patients.
TRIAL_LEVELS = ("randomised_trial", "nonrandomised_trial")
HUMAN_LEVELS = ("randomised_trial", "nonrandomised_trial", "observational_human", "case_report")

# How much one step of evidence weighs in a path's score and in an export's `score` column: its
# strongest level, +5% per further reference (at most 1), x0.7 when only a reference's title says it.
LEVEL_WEIGHT: dict[str, float] = {
    "randomised_trial": 1.0,
    "nonrandomised_trial": 0.95,
    "observational_human": 0.9,
    "case_report": 0.85,
    "preclinical_in_vivo": 0.8,
    "in_vitro": 0.7,
    "expert_statement": 0.6,
}
UNKNOWN_LEVEL_WEIGHT = 0.5
EXTRA_REF_BONUS = 0.05
REFERENCE_TITLE_DISCOUNT = 0.7

# How an evidence record is known. Every record names exactly one.
SUPPORTS: dict[str, str] = {
    "review_text": "the review's own sentence states it, for the cited reference (or uncited, with ref: review)",
    "reference_title": "only the cited reference's title or abstract states it; the review's sentence does not",
    "curator": "established background knowledge the review does not state (e.g. a drug's molecular target)",
    "hypothesis": "the review proposes or speculates it; not an observed mechanism",
    "database": "a curated resource lists it (e.g. the OmniPath ligand-receptor consensus), not the review",
}


@dataclass(frozen=True)
class StudyDesign:
    """One study design: the evidence level it lends and a human description."""

    name: str
    level: str
    description: str


# The design of a reference (references.yaml), of a clinical study entity (trials.yaml,
# entities/studies.yaml) or of an evidence record (one of its reference's designs). The design
# fixes the record's evidence level.
STUDY_DESIGNS: dict[str, StudyDesign] = {
    d.name: d
    for d in [
        StudyDesign("randomised_trial", "randomised_trial", "randomised controlled trial"),
        StudyDesign("single_arm_trial", "nonrandomised_trial",
                    "interventional trial with one arm (incl. most phase I trials)"),
        StudyDesign("interventional_trial", "nonrandomised_trial",
                    "registered interventional trial whose allocation (single arm or randomised) the curators have "
                    "not confirmed; counted as non-randomised until confirmed"),
        StudyDesign("prospective_cohort", "observational_human", "prospective observational cohort of patients"),
        StudyDesign("retrospective_cohort", "observational_human",
                    "retrospective cohort or real-world study of patients"),
        StudyDesign("cross_sectional", "observational_human",
                    "human tissue, blood, ascites or lavage samples profiled at one time point"),
        StudyDesign("population_registry", "observational_human", "population-based registry or cancer statistics"),
        StudyDesign("case_report", "case_report", "report of a single patient (or a few)"),
        StudyDesign("animal_model", "preclinical_in_vivo", "experiments in animal models"),
        StudyDesign("in_vitro", "in_vitro", "cell lines, primary cells or molecules outside the body"),
        StudyDesign("review", "expert_statement", "narrative review, no primary data (the source review itself too)"),
        StudyDesign("guideline", "expert_statement", "clinical practice guideline"),
        StudyDesign("consensus", "expert_statement", "expert consensus statement"),
        StudyDesign("database", "expert_statement", "curated database entry or drug label"),
    ]
}


def design_level(design: str) -> str:
    """The evidence level a study design lends."""
    return STUDY_DESIGNS[design].level


# Where a statement is in the review: `abstract`, `intro ¶N`, `S ¶N` (part S of the body before its
# first numbered item, S = 1, 2 or 3 for the conclusion), `S.I ¶N` (item I of part S), or
# `table 1 row N`. Paragraphs are counted as graph/curation/review_text.py splits the text.
LOCATOR_RE = re.compile(r"^(abstract|intro ¶[1-9][0-9]*|[1-9](\.[1-9][0-9]*)? ¶[1-9][0-9]*|table 1 row [1-9][0-9]*)$")

SPECIES: dict[str, str] = {
    "patients": "patients (clinical data)",
    "human_samples": "human tissue, ascites or lavage samples",
    "mouse_model": "mouse model",
    "cell_line": "cell line",
    "case_report": "single patient case report",
    "other_cancer_patients": "patients with another cancer (indirect evidence)",
    "review": "review or guideline, no primary data",
}

ASSOCIATION_DIRECTIONS = ("positive", "negative", "none")

# Outcomes whose increase is bad for the patient: the targets ranking measures influence on these.
DISEASE_OUTCOMES = ("peritoneal_metastasis", "immunosuppressive_tme", "malignant_ascites", "poor_survival")

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
CURIE_PREFIXES: dict[str, re.Pattern[str]] = {
    "HGNC": re.compile(r"^HGNC:[0-9]+$"),
    "hgnc.symbol": re.compile(r"^hgnc\.symbol:[A-Za-z0-9-]+$"),
    "CL": re.compile(r"^CL:[0-9]{7}$"),
    "GO": re.compile(r"^GO:[0-9]{7}$"),
    "MONDO": re.compile(r"^MONDO:[0-9]{7}$"),
    "clinicaltrials": re.compile(r"^clinicaltrials:NCT[0-9]{8}$"),
    "chictr": re.compile(r"^chictr:ChiCTR[0-9]{10}$"),
    "doi": re.compile(r"^doi:10\.[0-9]{4,9}/\S+$"),
    "mirbase": re.compile(r"^mirbase:MI[0-9]{7}$"),
    "mirbase.mature": re.compile(r"^mirbase\.mature:MIMAT[0-9]{7}$"),
    "DRUGBANK": re.compile(r"^DRUGBANK:DB[0-9]{5}$"),
}
DOI_RE = re.compile(r"^10\.[0-9]{4,9}/\S+$")


def check_curie(curie: str) -> str | None:
    """Return an error message when `curie` is not a well-formed CURIE of a known prefix."""
    prefix, sep, _ = curie.partition(":")
    if not sep:
        return f"xref {curie!r} is not a CURIE (PREFIX:ID)"
    pattern = CURIE_PREFIXES.get(prefix)
    if pattern is None:
        return f"xref {curie!r} has unknown prefix {prefix!r} (known: {', '.join(sorted(CURIE_PREFIXES))})"
    if not pattern.match(curie):
        return f"xref {curie!r} is malformed for prefix {prefix!r}"
    return None


def biolink_category(kind: str, modality: str | None = None) -> str:
    """Biolink category of an entity, refined by therapy modality."""
    if kind == "therapy" and modality in THERAPY_MODALITIES:
        return THERAPY_MODALITIES[modality]
    return ENTITY_KINDS[kind].biolink


def did_you_mean(word: str, choices: list[str] | tuple[str, ...] | dict, n: int = 3) -> str:
    """A ' (did you mean X?)' suffix for an unknown vocabulary word, or ''."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=n, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""

# Fields a seed record may carry. Unknown fields are errors, so a typo never silently drops data.
ENTITY_FIELDS = {
    "id": "stable identifier, lower-case snake case",
    "kind": "one of ENTITY_KINDS",
    "name": "English name",
    "name_zh": "Chinese name as the review gives it",
    "name_zh_source": "where the name_zh comes from: 'review' (default; the audit finds it in the review's text) or "
                      "'curator' "
                      "(the curators' translation, for an entity the review does not name in Chinese)",
    "synonyms": "other names and abbreviations",
    "xrefs": "CURIEs, only where certain",
    "description": "one or two sentences",
    "modality": "therapy only: one of THERAPY_MODALITIES",
    "axes": "axis ids this entity belongs to",
    "caveats": "inconsistencies in the source, recorded rather than fixed",
}
TRIAL_FIELDS = {
    "registry_id": "NCT or ChiCTR number",
    "table1_row": "row of the review's table 1, or a list of rows for a trial the table lists more than once",
    "title": "English title",
    "conditions": "target diseases",
    "interventions_text": "interventions as listed",
    "interventions": "therapy ids; each becomes a tested_in edge",
    "phase": "N/A, I, II, III, IV (or combinations such as I/II)",
    "expected_completion": "ISO date",
    "completion_note": "free text",
    "country": "country",
    "design": "one of STUDY_DESIGNS: the design as registered or published; fixes the level of generated edges",
    "design_note": "the design in words (line of therapy, blinding, termination)",
    "locator": "where the review describes a published study (see LOCATOR_RE); table 1 rows need none",
    "enrollment": "number of patients",
    "results": "reported results, one row per measured outcome (RESULT_FIELDS); each row becomes evidence on the edge "
               "it names",
    "reported_in": "reference numbers; each becomes a reported_in edge",
    "evidence_summary": "one sentence used as the evidence of generated tested_in edges",
    "refs": "reference numbers that describe the study",
    "cited_as": "reference numbers the review cites for this study that do not report it (a mis-citation); "
                "its derived records then cite the review itself",
}
# One measured outcome of a study (a row of its `results`): the figures, and the edge it bears on.
RESULT_FIELDS = {
    "endpoint": "what was measured (median overall survival, response rate)",
    "comparison": "the arms or groups compared",
    "value": "the reported values ('13.2 vs 13.0 months')",
    "p": "P value",
    "hr": "hazard ratio",
    "source": "entity id: the therapy (or the modifier) whose effect the comparison measures",
    "relation": "the relation of the edge this result bears on (inhibits, promotes, associated_with, impairs, ...)",
    "target": "entity id: the outcome measured (or the therapy whose efficacy is modified)",
    "direction": "associated_with only: positive, negative or none (none for a null result)",
    "context": "the setting, for an edge the result creates",
    "observation": "observation key; default <study id>_<endpoint>",
    "summary": "one sentence in the curator's own words; default built from the endpoint and figures",
    "caveats": "caveats on this result",
}
EDGE_FIELDS = {
    "source": "entity id",
    "relation": "one of RELATIONS",
    "target": "entity id",
    "evidence": "non-empty list of evidence records",
    "direction": "associated_with only: positive, negative or none",
    "context": "where or under what condition the relation holds",
    "chain": "entity ids of the molecular chain this edge summarises, in order, without its two ends "
             "(THBS2+ CAF -polarizes-> SPP1+ TAM through [c3, c3ar1]); each link must be an edge of the graph",
    "axes": "axis ids",
    "caveats": "inconsistencies in the source",
}
EVIDENCE_FIELDS = {
    "ref": "reference number in the review, 'review' for the review's own statement, or a curator reference key",
    "support": "one of SUPPORTS: how the record is known",
    "locator": "where the review says it (LOCATOR_RE); required for review_text and hypothesis records",
    "design": "one of the reference's designs; required when the reference lists several",
    "species": "one of SPECIES",
    "level": "optional: derived from the design; a value that contradicts the derivation is refused",
    "summary": "one sentence in the curator's own words",
    "model": "the model or sample (cell line, mouse strain, cohort)",
    "figures": "reported numbers",
    "observation": "key naming one observation (one comparison in one study); records sharing a key, on any edges, "
                   "count once in every score",
    "cited_as": "with ref: review only: the reference the review cites for this statement, which does not hold it "
                "(a mis-citation); the record then names the design of the study the review describes",
    "caveats": "caveats on this piece of evidence",
}
REFERENCE_FIELDS = {
    "ref": "number in the review's reference list, 'review', or (origin: curator) a lower-case snake-case key",
    "origin": "'curator' for a reference the curators add (a drug label, a DrugBank entry); absent for the review's "
              "own",
    "design": "one of STUDY_DESIGNS, or a list of them when the paper has several kinds of data",
    "url": "web address, for a curator reference without a DOI",
    "xrefs": "CURIEs of a curator reference (e.g. DRUGBANK:DB00112)",
    "authors": "list of authors as printed",
    "authors_zh": "Chinese authors",
    "year": "publication year",
    "title": "English title",
    "title_zh": "Chinese title",
    "journal": "journal",
    "citation": "volume, issue and pages",
    "doi": "DOI without the doi: prefix",
    "cited_for": "what the review cites it for, in the curator's words",
    "caveats": "citation problems",
}
# A proposal the review makes (a target to pursue, a way to stratify patients, a combination to
# test): not an observed mechanism, so never a path step; answers cite it ("the review proposes
# it as a target, 1.3 ¶2"). Loaded onto every entity it names as the node attribute `proposals`.
PROPOSAL_KINDS = {
    "target": "the review proposes acting on these entities as a therapeutic target",
    "stratification": "the review proposes choosing patients for a therapy by these entities",
    "combination": "the review proposes combining these therapies",
}
PROPOSAL_FIELDS = {
    "proposes": "one of PROPOSAL_KINDS",
    "entities": "entity ids the proposal names (targets, markers, or therapies to combine)",
    "therapy": "stratification: the therapy the patients would be chosen for",
    "evidence": "non-empty list of evidence records (the review's sentence, with its locator)",
    "caveats": "caveats",
}
# Where an entity's Chinese name comes from.
NAME_ZH_SOURCES = ("review", "curator")

AXIS_FIELDS = {
    "id": "axis identifier",
    "name": "English name",
    "name_zh": "Chinese name",
    "description": "what the axis is",
}
