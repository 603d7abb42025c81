"""Exports for other tools, each read back by the format's own library with every attribute intact.

GraphML through networkx, CX2 through ndex2 (the NDEx team's model), SIF through ndex2's SIF
reader and the csv module, KGX through kgx (its TSV source and its Biolink validator). ndex2 and
kgx are the optional `exchange` extra: without them these tests skip with the reason, except in
CI (CI=true), where they must run.
"""

from __future__ import annotations

import csv
import importlib
import json
import math

import networkx as nx
import pytest

from mechgraph import edges as meaning
from mechgraph.analysis.semantics import step_weight_of
from mechgraph.edges import SUPPORTS, usable_records
from mechgraph.errors import ExportError
from mechgraph.io import columns, export_files, read_graph, to_node_link
from mechgraph.io.cx2 import KIND_LOOK
from mechgraph.io.kgx import KGX_RULES, predicate, statement
from mechgraph.io.sif import CAUSALPATH_RELATIONS
from tests.support.checkout import IN_CI
from tests.support.graphs import ev


def step_weight(a):
    """The path search's weight of one step with every record usable."""
    return step_weight_of(usable_records(a, frozenset(SUPPORTS)), list(a.get("refs") or []))

# CausalPath's relation names (org.panda.causalpath.network.RelationType, lower case, '-' for '_')
CAUSALPATH_NAMES = {
    "upregulates-expression", "downregulates-expression", "phosphorylates", "dephosphorylates", "acetylates",
    "deacetylates", "methylates", "demethylates", "activates-gtpase", "inhibits-gtpase", "produces", "consumes",
    "used-to-produce",
}


def need(module: str):
    """Import an optional library, or skip (fail in CI) with the reason."""
    try:
        return importlib.import_module(module)
    except ImportError:
        reason = f"{module} is not installed (pip install -e '.[exchange]')"
        if IN_CI:
            pytest.fail(f"CI must run the exchange tests: {reason}")
        pytest.skip(reason)


def known_graph() -> nx.MultiDiGraph:
    """Five entities, six edges of every sign, evidence records that say how each is known."""
    g = nx.MultiDiGraph(name="known", axes={"x": {"id": "x", "name": "X axis"}})

    def node(n, name, kind, xrefs=(), **kw):
        g.add_node(n, id=n, name=name, kind=kind, synonyms=kw.pop("synonyms", []), xrefs=list(xrefs), axes=["x"],
                   caveats=[],
                   category=kw.pop("category", None) or {"gene": "biolink:Gene", "cell_type": "biolink:Cell",
                                                                    "phenotype": "biolink:PhenotypicFeature",
                                                                    "therapy": "biolink:Drug"}[kind], **kw)

    def edge(u, rel, v, level, refs, supports, sign):
        records = []
        for ref, support in zip(refs, supports, strict=True):
            rec = ev(ref, level)[0]
            rec["support"] = support
            records.append(rec)
        g.add_edge(u, v, key=rel, relation=rel, sign=sign, level=level, refs=list(refs), evidence=records)

    node("caf", "cancer-associated fibroblast", "cell_type", ["CL:0000057"], name_zh="癌相关成纤维细胞")
    node("pd1", "PD-1", "gene", ["hgnc.symbol:PDCD1"], synonyms=["PDCD1"])
    node("il6", "IL-6", "gene", ["hgnc.symbol:IL6"])
    node("pm", "peritoneal metastasis", "phenotype")
    node("nivo", "nivolumab", "therapy", ["DRUGBANK:DB09035"])
    edge("caf", "promotes", "pm", "observational_human", ["18", "19"], ["review_text", "curator"], "+")
    edge("caf", "secretes", "il6", "in_vitro", ["20"], ["reference_title"], "+")
    edge("il6", "activates", "pm", "preclinical_in_vivo", ["21"], ["review_text"], "+")
    edge("nivo", "inhibits", "pd1", "randomised_trial", ["28"], ["curator"], "-")
    edge("nivo", "targets", "pd1", "randomised_trial", ["28"], ["curator"], "0")
    edge("pd1", "inhibits", "pm", "expert_statement", ["review"], ["hypothesis"], "-")
    return g


# --------------------------------------------------------------------------------------------
# shared columns
# --------------------------------------------------------------------------------------------


def test_score_is_the_path_step_weight_on_every_seed_edge(seed_graph):
    for *_, a in seed_graph.edges(keys=True, data=True):
        assert meaning.evidence_weight(a) == step_weight(a)


def test_columns_on_known_edges():
    g = known_graph()
    a = g.edges["caf", "pm", "promotes"]
    assert meaning.evidence_weight(a) == pytest.approx(0.9 * 1.05)
    assert meaning.evidence_weight(g.edges["caf", "il6", "secretes"]) == pytest.approx(0.7 * 0.7)  # title only
    assert meaning.edge_supports(a) == ["curator", "review_text"]
    assert meaning.edge_supports({"supports": ["hypothesis"], "evidence": a["evidence"]}) == ["hypothesis"]
    assert meaning.edge_dois(a) == ["10.1000/18", "10.1000/19"]
    assert meaning.sign_int(meaning.sign_symbol(g.edges["nivo", "pd1", "inhibits"], "inhibits")) == -1
    assert meaning.sign_symbol({}, "subtype_of") == "=" and meaning.sign_int("=") == 0
    assert columns.represents(g.nodes["pd1"]) == "hgnc.symbol:PDCD1"
    assert columns.represents(g.nodes["pm"]) is None
    assert columns.represents({"xrefs": ["doi:10.1/x", "CL:0000057"]}) == "CL:0000057"


# --------------------------------------------------------------------------------------------
# GraphML (networkx)
# --------------------------------------------------------------------------------------------


def test_graphml_has_cytoscape_columns_typed(tmp_path):
    g = known_graph()
    path = export_files(g, tmp_path / "k.graphml", "graphml")[0]
    flat = nx.read_graphml(path, force_multigraph=True)
    assert flat.nodes["pd1"]["name"] == "PD-1" and flat.nodes["pd1"]["represents"] == "hgnc.symbol:PDCD1"
    assert "represents" not in flat.nodes["pm"]
    e = flat.edges["nivo", "pd1", "nivo--inhibits--pd1"]
    assert e["interaction"] == "inhibits" and e["sign"] == -1 and isinstance(e["sign"], int)
    assert e["score"] == 1.0 and isinstance(e["score"], float)
    assert e["name"] == "nivolumab (inhibits) PD-1" and e["support"] == "curator"
    assert flat.edges["caf", "pm", "caf--promotes--pm"]["score"] == pytest.approx(0.945)
    assert flat.edges["nivo", "pd1", "nivo--targets--pd1"]["sign"] == 0
    assert flat.edges["caf", "pm", "caf--promotes--pm"]["support"] == "curator; review_text"
    # and mechgraph reads its own file back exactly, without the added columns
    again = read_graph(path)
    assert to_node_link(again) == to_node_link(g)



def test_graphml_edge_ids_are_unique_and_igraph_reads_it_without_warning(seed_graph, tmp_path):
    """389 edges, 389 distinct GraphML ids; no data key named `id` (igraph's own vertex
    attribute), so igraph reads every node and edge and warns about nothing."""
    import warnings
    import xml.etree.ElementTree as ET

    path = export_files(seed_graph, tmp_path / "g.graphml", "graphml")[0]
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.parse(path).getroot()
    ids = [e.get("id") for e in root.findall(".//g:edge", ns)]
    assert len(ids) == seed_graph.number_of_edges() == len(set(ids))
    assert "id" not in {k.get("attr.name") for k in root.findall("g:key", ns)}
    igraph = need("igraph")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # igraph reports the clash as a RuntimeWarning
        ig = igraph.Graph.Read_GraphML(str(path))
    assert ig.is_directed() and (ig.vcount(), ig.ecount()) == (seed_graph.number_of_nodes(),
                                                               seed_graph.number_of_edges())
    got = sorted((ig.vs[e.source]["id"], e["interaction"], ig.vs[e.target]["id"]) for e in ig.es)
    assert got == sorted((u, k, v) for u, v, k in seed_graph.edges(keys=True))
    assert {v["id"]: v["name"] for v in ig.vs} == {n: a["name"] for n, a in seed_graph.nodes(data=True)}

# --------------------------------------------------------------------------------------------
# CX2 (ndex2)
# --------------------------------------------------------------------------------------------


def _cx2_network(path):
    cx2 = need("ndex2.cx2")
    raw = json.loads(path.read_text(encoding="utf-8"))
    return cx2.RawCX2NetworkFactory().get_cx2network(raw)


def test_cx2_read_by_ndex2_with_every_attribute(tmp_path):
    g = known_graph()
    path = tmp_path / "k.cx2"
    need("ndex2")
    export_files(g, path, "cx2")
    net = _cx2_network(path)
    decl = net.get_attribute_declarations()
    assert decl["edges"]["sign"] == {"d": "integer"} and decl["edges"]["score"] == {"d": "double"}
    assert decl["edges"]["refs"] == {"d": "list_of_string"} and decl["edges"]["supports"] == {"d": "list_of_string"}
    nodes = {n["v"]["mechgraph_id"]: n for n in net.get_nodes().values()}
    assert set(nodes) == set(g.nodes)
    for n, a in g.nodes(data=True):
        v = nodes[n]["v"]
        assert (v["name"], v["kind"], v["category"]) == (a["name"], a["kind"], a["category"])
        assert v.get("represents") == columns.represents(a)
    assert nodes["caf"]["v"]["name_zh"] == "癌相关成纤维细胞"
    ids = {nid: n["v"]["mechgraph_id"] for nid, n in net.get_nodes().items()}
    seen = set()
    for e in net.get_edges().values():
        v = e["v"]
        u, t, rel = ids[e["s"]], ids[e["t"]], v["interaction"]
        a = g.edges[u, t, rel]
        seen.add((u, t, rel))
        assert v["relation"] == rel and v["sign"] == meaning.SIGN_INT[a["sign"]]
        assert math.isclose(v["score"], meaning.evidence_weight(a), rel_tol=1e-6)
        assert v["level"] == a["level"] and v["refs"] == a["refs"]
        assert v["dois"] == meaning.edge_dois(a) and v["supports"] == meaning.edge_supports(a)
        assert v["stated_by_review"] == ("review_text" in meaning.edge_supports(a))
        assert json.loads(v["evidence_json"]) == a["evidence"]
    assert seen == set(g.edges(keys=True))
    # ndex2 turns it into networkx as well
    nxg = need("ndex2.cx2").CX2NetworkXFactory().get_graph(net)
    assert nxg.number_of_nodes() == 5 and nxg.number_of_edges() == 6


def test_cx2_style_green_arrows_red_bars_one_shape_per_kind(tmp_path):
    need("ndex2")
    path = export_files(known_graph(), tmp_path / "k.cx2", "cx2")[0]
    vp = _cx2_network(path).get_visual_properties()

    def mapped(aspect, prop):
        return {m["v"]: m["vp"] for m in vp[aspect][prop]["definition"]["map"]}

    assert vp["edgeMapping"]["EDGE_LINE_COLOR"]["definition"]["attribute"] == "sign"
    assert mapped("edgeMapping", "EDGE_LINE_COLOR") == {1: "#2b9348", -1: "#d62828", 0: "#9aa0a6"}
    assert mapped("edgeMapping", "EDGE_TARGET_ARROW_SHAPE") == {1: "triangle", -1: "tee", 0: "triangle"}
    assert mapped("edgeMapping", "EDGE_LINE_STYLE") == {True: "solid", False: "dotted"}
    shapes = mapped("nodeMapping", "NODE_SHAPE")
    assert set(shapes) == set(KIND_LOOK) and shapes["gene"] == "diamond" and shapes["therapy"] == "hexagon"
    assert vp["nodeMapping"]["NODE_LABEL"]["definition"]["attribute"] == "name"


def test_cx2_round_trip_of_the_seed_graph_is_exact(seed_graph, tmp_path):
    need("ndex2")
    path = export_files(seed_graph, tmp_path / "g.cx2", "cx2")[0]
    assert to_node_link(read_graph(path)) == to_node_link(seed_graph)
    net = _cx2_network(path)
    assert len(net.get_nodes()) == seed_graph.number_of_nodes() and len(net.get_edges()) == seed_graph.number_of_edges()


# --------------------------------------------------------------------------------------------
# SIF (ndex2's SIF reader, csv)
# --------------------------------------------------------------------------------------------


def _tsv(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_sif_signed_steps_in_causalpath_names(tmp_path):
    g = known_graph()
    files = export_files(g, tmp_path / "k.sif", "sif")
    assert [f.name for f in files] == ["k.sif", "k.carnival.tsv", "k.nodes.tsv", "k.edges.tsv",
                                       "k.efficacy_modifiers.tsv", "k.markers.tsv"]
    lines = [ln.split("\t") for ln in files[0].read_text(encoding="utf-8").splitlines()]
    assert lines == [
        ["IL6", "upregulates-expression", "peritoneal metastasis"],
        ["PDCD1", "downregulates-expression", "peritoneal metastasis"],
        ["cancer-associated fibroblast", "upregulates-expression", "IL6"],
        ["cancer-associated fibroblast", "upregulates-expression", "peritoneal metastasis"],
        ["nivolumab", "downregulates-expression", "PDCD1"],
    ]  # targets (unsigned) is left out; genes go by their HGNC symbol
    assert {ln[1] for ln in lines} <= CAUSALPATH_NAMES and set(CAUSALPATH_RELATIONS.values()) <= CAUSALPATH_NAMES
    carnival = _tsv(files[1])
    assert [(r["source"], r["interaction"], r["target"]) for r in carnival][-1] == ("nivolumab", "-1", "PDCD1")
    assert {r["interaction"] for r in carnival} == {"1", "-1"} and len(carnival) == len(lines)
    nodes = {r["name"]: r for r in _tsv(files[2])}
    assert (nodes["PDCD1"]["label"] == "PD-1" and nodes["PDCD1"]["id"] == "pd1"
            and nodes["PDCD1"]["represents"] == "hgnc.symbol:PDCD1")
    assert nodes["cancer-associated fibroblast"]["name_zh"] == "癌相关成纤维细胞"
    edges = {r["name"]: r for r in _tsv(files[3])}
    e = edges["cancer-associated fibroblast (upregulates-expression) peritoneal metastasis"]
    assert (e["relations"], e["sign"], e["score"], e["level"]) == ("promotes", "1", "0.9450", "observational_human")
    assert (e["supports"], e["refs"], e["dois"]) == ("curator|review_text", "18|19", "10.1000/18|10.1000/19")
    assert set(edges) == {f"{a} ({r}) {b}" for a, r, b in lines}


def test_sif_merges_steps_with_the_same_ends_and_sign(tmp_path):
    g = known_graph()
    g.add_edge("caf", "pm", key="recruits", relation="recruits", sign="+", level="in_vitro", refs=["30"],
               evidence=ev("30", "in_vitro"))
    files = export_files(g, tmp_path / "m.sif", "sif")
    lines = files[0].read_text(encoding="utf-8").splitlines()
    assert lines.count("cancer-associated fibroblast\tupregulates-expression\tperitoneal metastasis") == 1
    row = next(r for r in _tsv(files[3]) if r["source"] == "cancer-associated fibroblast"
               and r["target"] == "peritoneal metastasis")
    assert row["relations"] == "promotes|recruits" and row["refs"] == "18|19|30" and row["score"] == "0.9450"


def test_sif_read_by_ndex2(tmp_path):
    need("ndex2")
    from ndex2.cx2 import SIFToCX2NetworkFactory

    path = export_files(known_graph(), tmp_path / "k.sif", "sif")[0]
    net = SIFToCX2NetworkFactory().get_cx2network(str(path))
    names = {nid: n["v"]["name"] for nid, n in net.get_nodes().items()}
    got = sorted((names[e["s"]], e["v"]["interaction"], names[e["t"]]) for e in net.get_edges().values())
    assert got == sorted(tuple(ln.split("\t")) for ln in path.read_text(encoding="utf-8").splitlines())
    assert "peritoneal metastasis" in names.values()  # names with spaces survive: tabs separate


def test_sif_holds_causal_steps_only_markers_and_efficacy_modifiers_apart(tmp_path):
    """A cell's marker and an edge into a therapy that changes its efficacy are no causal steps:
    they go to their own tables, named so, and never into the SIF or CARNIVAL's network."""
    g = known_graph()
    g.add_node("cd8", id="cd8", name="CD8+ T cell", kind="cell_type", xrefs=[], synonyms=[])
    g.add_node("ptx", id="ptx", name="paclitaxel", kind="therapy", xrefs=[], synonyms=[])
    g.add_edge("cd8", "pd1", key="expresses", relation="expresses", sign="+", level="in_vitro", refs=["40"],
               evidence=ev("40", "in_vitro"))
    g.add_edge("ptx", "nivo", key="enhances", relation="enhances", sign="+", level="in_vitro", refs=["41"],
               evidence=ev("41", "in_vitro"))
    g.add_edge("il6", "nivo", key="inhibits", relation="inhibits", sign="-", level="in_vitro", refs=["42"],
               evidence=ev("42", "in_vitro"))
    g.add_edge("pd1", "nivo", key="impairs", relation="impairs", sign="-", level="in_vitro", refs=["43"],
               evidence=ev("43", "in_vitro"))
    files = export_files(g, tmp_path / "k.sif", "sif")
    sif = files[0].read_text(encoding="utf-8")
    assert "CD8+ T cell" not in sif and "paclitaxel" not in sif and "\tnivolumab\n" not in sif
    assert len(sif.splitlines()) == 5 == len(_tsv(files[1]))  # as without the four edges
    modifiers = [(r["modifier"], r["effect_on_efficacy"], r["therapy"], r["relations"]) for r in _tsv(files[4])]
    assert modifiers == [("IL6", "lowers", "nivolumab", "inhibits"), ("PDCD1", "lowers", "nivolumab", "impairs"),
                         ("paclitaxel", "raises", "nivolumab", "enhances")]
    assert [(r["cell"], r["marker"], r["refs"], r["cell_id"])
            for r in _tsv(files[5])] == [("CD8+ T cell", "PDCD1", "40", "cd8")]


def test_sif_of_the_seed_graph(seed_graph, tmp_path):
    from mechgraph import edges as meaning
    from mechgraph import schema

    files = export_files(seed_graph, tmp_path / "g.sif", "sif")
    lines = [ln.split("\t") for ln in files[0].read_text(encoding="utf-8").splitlines()]
    kind = {n: a.get("kind") for n, a in seed_graph.nodes(data=True)}
    names = {r["id"]: r["name"] for r in _tsv(files[2])}
    steps, markers, modifiers = set(), 0, 0
    for u, v, k in seed_graph.edges(keys=True):
        if meaning.is_causal_step(k, kind[u], kind[v]):
            steps.add((u, v, meaning.walk_rule(k, kind[u], kind[v])[0]))
        markers += meaning.is_marker(k, kind[u], kind[v])
        modifiers += meaning.is_efficacy_edge(k, kind[u], kind[v])
    assert len(lines) == len(steps) and all(len(ln) == 3 and ln[1] in CAUSALPATH_NAMES for ln in lines)
    assert {(names[u], CAUSALPATH_RELATIONS[s], names[v]) for u, v, s in steps} == {tuple(ln) for ln in lines}
    assert len(_tsv(files[1])) == len(lines) == len(_tsv(files[3]))
    assert markers and modifiers  # the seeds have both; neither is in the SIF
    assert sum(len(r["relations"].split("|")) for r in _tsv(files[4])) == modifiers
    marker_rows = _tsv(files[5])
    assert marker_rows and all(kind[r["cell_id"]] in schema.CELL_KINDS for r in marker_rows)
    line_ids = {(r["source_id"], r["target_id"]) for r in _tsv(files[3])}
    assert not line_ids & {(r["modifier_id"], r["therapy_id"]) for r in _tsv(files[4])}
    assert not line_ids & {(r["cell_id"], r["marker_id"]) for r in marker_rows}


# --------------------------------------------------------------------------------------------
# KGX (kgx)
# --------------------------------------------------------------------------------------------


def _kgx_read(files):
    kgx = need("mechgraph.io.kgx").load_kgx()
    tr = kgx.transformer.Transformer()
    tr.transform(input_args={"filename": [str(f) for f in files], "format": "tsv"})
    return tr.store.graph


def _kgx_errors(graph):
    """kgx's validator errors, less one known false positive: kgx's CamelCase check rejects
    Biolink classes with an acronym (biolink:MicroRNA) that the Biolink toolkit itself accepts."""
    from kgx.validator import Validator

    v = Validator()
    v.validate(graph)
    tk = Validator.get_toolkit()
    errors = {}
    for level, kinds in v.get_errors().items():
        for kind, messages in kinds.items():
            for msg, where in messages.items():
                if kind == "INVALID_CATEGORY" and "CamelCase" in msg and tk.is_category("biolink:" + msg.split("'")[1]):
                    continue
                errors.setdefault(f"{level} {kind}", []).append((msg, where))
    return errors


def _toolkit():
    need("kgx")
    need("mechgraph.io.kgx").load_kgx()
    from kgx.validator import Validator

    return Validator.get_toolkit()


def test_every_relation_has_a_kgx_rule_in_biolink_4_terms():
    """The rules are over the vocabulary: a relation added to schema.RELATIONS without a rule fails
    here; every predicate, aspect and direction a rule can produce is the Biolink model's own."""
    from mechgraph import schema

    assert set(KGX_RULES) == set(schema.RELATIONS)
    tk = _toolkit()
    aspects = set(tk.view.get_enum("GeneOrGeneProductOrChemicalEntityAspectEnum").permissible_values)
    directions = set(tk.view.get_enum("DirectionQualifierEnum").permissible_values)
    kinds = list(schema.ENTITY_KINDS)
    seen = set()
    for rel in schema.RELATIONS:
        for sk in kinds:
            for tk_ in kinds:
                for direction in (None, "positive", "negative", "none"):
                    said = statement(rel, sk, tk_, {"direction": direction} if direction else {})
                    seen.add(said["predicate"])
                    assert tk.is_predicate(said["predicate"]), (rel, sk, tk_, said)
                    if "object_aspect_qualifier" in said:
                        assert (said["object_aspect_qualifier"] in aspects
                                and said["object_direction_qualifier"] in directions)
                        assert tk.is_predicate(said["qualified_predicate"])
    # correlations only where the edge is one; affects and regulates carry their qualifiers
    correlated = {p for p in seen if "correlated" in p or "associated" in p}
    assert correlated == {"biolink:positively_correlated_with", "biolink:negatively_correlated_with",
                          "biolink:associated_with"}
    assert {statement(r, "cell_type", "phenotype")["predicate"]
            for r in ("promotes", "inhibits")} == {"biolink:affects"}


def test_kgx_statements_of_known_edges():
    aff = {"predicate": "biolink:affects", "qualified_predicate": "biolink:causes"}
    assert statement("promotes", "cell_type",
                     "phenotype") == {**aff, "object_aspect_qualifier": "activity_or_abundance",
                                                               "object_direction_qualifier": "increased"}
    assert statement("kills", "therapy", "tumour_cell") == {**aff, "object_aspect_qualifier": "abundance",
                                                            "object_direction_qualifier": "decreased"}
    assert statement("recruits", "cytokine", "cell_type")["object_aspect_qualifier"] == "localization"
    assert statement("secretes", "cell_state", "cytokine")["object_aspect_qualifier"] == "secretion"
    assert statement("activates", "gene", "gene") == {"predicate": "biolink:regulates",
                                                      "qualified_predicate": "biolink:causes",
                                                      "object_aspect_qualifier": "activity",
                                                      "object_direction_qualifier": "upregulated"}
    # a drug is no evolved control
    assert statement("inhibits", "therapy", "gene")["object_direction_qualifier"] == "decreased"
    assert predicate("enhances", "therapy", "therapy") == "biolink:increases_sensitivity_to"
    assert predicate("impairs", "phenotype", "therapy_class") == "biolink:decreases_sensitivity_to"
    # an efficacy edge, whatever its relation
    assert predicate("inhibits", "phenotype", "therapy_class") == "biolink:decreases_sensitivity_to"
    assert predicate("associated_with", "cell_type", "phenotype",
                     {"direction": "negative"}) == "biolink:negatively_correlated_with"
    assert statement("associated_with", "therapy", "phenotype",
                     {"direction": "none"}) == {"predicate": "biolink:associated_with",
                                                                                         "negated": True}
    assert predicate("expresses", "cell_type", "gene") == "biolink:expresses"
    # a transgene it supplies
    assert statement("expresses", "therapy", "cytokine")["object_aspect_qualifier"] == "abundance"


def test_kgx_read_and_validated_by_kgx(tmp_path):
    need("kgx")
    g = known_graph()
    files = export_files(g, tmp_path / "k", "kgx")
    assert [f.name for f in files] == ["k_nodes.tsv", "k_edges.tsv"]
    graph = _kgx_read(files)
    assert _kgx_errors(graph) == {}
    nodes = dict(graph.nodes(data=True))
    # PD-1's symbol is in the shipped HGNC table; IL6's is not (no seed uses it): it keeps its symbol
    assert set(nodes) == {"CL:0000057", "HGNC:8760", "MECHGRAPH:il6", "MECHGRAPH:pm", "DRUGBANK:DB09035"}
    assert nodes["HGNC:8760"]["category"] == ["biolink:Gene"] and nodes["HGNC:8760"]["name"] == "PD-1"
    assert nodes["HGNC:8760"]["xref"] == ["hgnc.symbol:PDCD1"] and nodes["HGNC:8760"]["synonym"] == ["PDCD1"]
    assert nodes["MECHGRAPH:il6"]["xref"] == ["hgnc.symbol:IL6"]
    assert nodes["CL:0000057"]["mechgraph_id"] == "caf" and nodes["CL:0000057"]["name_zh"] == "癌相关成纤维细胞"
    edges = {(u, d["predicate"], v): d for u, v, d in graph.edges(data=True)}
    e = edges[("CL:0000057", "biolink:affects", "MECHGRAPH:pm")]
    assert (e["qualified_predicate"], e["object_aspect_qualifier"], e["object_direction_qualifier"]) == (
        "biolink:causes", "activity_or_abundance", "increased")
    assert e["publications"] == ["doi:10.1000/18", "doi:10.1000/19"]
    assert e["primary_knowledge_source"] == "infores:mechgraph" and e["knowledge_level"] == "knowledge_assertion"
    assert e["agent_type"] == "manual_agent" and e["evidence_level"] == "observational_human"
    assert str(e["sign"]) == "1" and float(e["score"]) == pytest.approx(0.945)
    assert _as_list(e["supports"]) == ["curator", "review_text"] and _as_list(e["refs"]) == ["18", "19"]
    assert edges[("CL:0000057", "biolink:affects", "MECHGRAPH:il6")]["object_aspect_qualifier"] == "secretion"
    down = edges[("HGNC:8760", "biolink:affects", "MECHGRAPH:pm")]
    assert down["knowledge_level"] == "prediction" and down["object_direction_qualifier"] == "decreased"
    assert edges[("DRUGBANK:DB09035", "biolink:affects", "HGNC:8760")]["object_direction_qualifier"] == "decreased"
    assert ("DRUGBANK:DB09035", "biolink:physically_interacts_with", "HGNC:8760") in edges
    assert len(edges) == g.number_of_edges()


def _as_list(v):
    return v if isinstance(v, list) else str(v).split("|")


def _kgx_rows(files):
    """Every edge record of the files as kgx's own TSV reader yields it (its graph store keys
    edges by subject, predicate and object; the reader does not)."""
    need("mechgraph.io.kgx").load_kgx()
    from kgx.source.tsv_source import TsvSource
    from kgx.transformer import Transformer

    src = TsvSource(Transformer())
    return [rec for f in files for rec in src.parse(str(f), format="tsv") if rec and len(rec) == 4]


def test_kgx_of_the_seed_graph_validates(seed_graph, tmp_path):
    from mechgraph import edges as meaning
    from mechgraph.io.kgx import QUALIFIERS

    need("kgx")
    files = export_files(seed_graph, tmp_path / "gcpm.tsv", "kgx")
    assert [f.name for f in files] == ["gcpm_nodes.tsv", "gcpm_edges.tsv"]
    graph = _kgx_read(files)
    assert _kgx_errors(graph) == {}
    assert graph.number_of_nodes() == seed_graph.number_of_nodes()
    kind = {n: a["kind"] for n, a in seed_graph.nodes(data=True)}
    rows = [rec[3] for rec in _kgx_rows(files)]
    said = {(u, v, tuple(sorted(statement(k, kind[u], kind[v], a).items()))) for u, v, k,
            a in seed_graph.edges(keys=True, data=True)}
    assert len(rows) == len(said) and len({r["id"] for r in rows}) == len(rows)
    relations = sorted(r for d in rows for r in _as_list(d["mechgraph_relation"]))
    assert relations == sorted(k for *_, k in seed_graph.edges(keys=True))  # merged edges list every relation
    # every gene with an HGNC symbol is its HGNC id; correlations only for associated_with edges
    genes = {n for n, a in seed_graph.nodes(data=True) if a["kind"] == "gene"
             and any(str(x).startswith("hgnc.symbol:") for x in a["xrefs"])}
    assert genes and {d["id"] for _, d in graph.nodes(data=True) if d["mechgraph_id"] in genes} == {
        "HGNC:" + hgnc_row for hgnc_row in _hgnc_numbers(seed_graph, genes)}
    for d in rows:
        rels = set(_as_list(d["mechgraph_relation"]))
        if "correlated" in d["predicate"]:
            assert rels == {"associated_with"}
        if d["predicate"] in ("biolink:affects", "biolink:regulates"):
            assert d.get("object_direction_qualifier") and d.get("object_aspect_qualifier"), d
        assert {q for q in QUALIFIERS if d.get(q) not in (None, "")} <= set(QUALIFIERS)
    efficacy = sum(meaning.is_efficacy_edge(k, kind[u], kind[v]) for u, v, k in seed_graph.edges(keys=True))
    assert efficacy and sum(len(_as_list(d["mechgraph_relation"])) for d in rows
                            if "sensitivity" in d["predicate"]) == efficacy


def _hgnc_numbers(g, genes):
    from mechgraph.io import hgnc

    return {hgnc.hgnc_id(g.nodes[n]).split(":")[1] for n in genes}


def test_kgx_validate_command_runs_offline_with_only_kgx_s_microrna_false_positive(seed_graph, tmp_path):
    """kgx's own `validate` command, run with no network (a proxy that refuses every connection):
    the one error it reports is its CamelCase check on biolink:MicroRNA, a class the Biolink model
    defines (kgx's pattern ^([A-Z][a-z\\d]+)+$ rejects any class name with an acronym)."""
    import os
    import subprocess
    import sys

    need("kgx")
    files = export_files(seed_graph, tmp_path / "gcpm", "kgx")
    env = {**os.environ, "https_proxy": "http://127.0.0.1:9", "http_proxy": "http://127.0.0.1:9",
           "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    run = subprocess.run([sys.executable, "-m", "mechgraph.io.kgx_cli", "validate", "-i", "tsv", *map(str, files)],
                         env=env, capture_output=True, text=True, timeout=600)
    out = run.stdout + run.stderr  # kgx prints its JSON report and its log line, on stdout or stderr by version
    errors = json.JSONDecoder().raw_decode(out[out.index("{"):])[0]
    mirnas = {f"MECHGRAPH:{n}" for n, a in seed_graph.nodes(data=True) if a["kind"] == "mirna"}
    assert mirnas
    refused = {"Category 'MicroRNA' is not in CamelCase form": sorted(mirnas) * 2}
    assert errors == {"ERROR": {"INVALID_CATEGORY": refused}}, run.stderr
    assert _toolkit().is_category("biolink:MicroRNA")  # the model has the class kgx's pattern refuses
    assert run.returncode == 1  # kgx's verdict, as it gives it


# --------------------------------------------------------------------------------------------
# failures
# --------------------------------------------------------------------------------------------


def test_missing_folder_and_sif_read_are_one_line_errors(tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        export_files(known_graph(), tmp_path / "nope" / "k.json", "json")
    with pytest.raises(ExportError, match="cannot be read back"):
        read_graph(tmp_path / "k.sif")
    with pytest.raises(ExportError, match="unknown export format"):
        export_files(known_graph(), tmp_path / "k.x", "xml")
    assert list(tmp_path.iterdir()) == []  # nothing half-written, no staging folder left


def test_failed_export_leaves_no_file(tmp_path, monkeypatch):
    import mechgraph.io as mio

    def broken(g, path):
        path.write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(mio.WRITERS, "json", broken)
    with pytest.raises(ExportError, match="(?i)no space left"):
        export_files(known_graph(), tmp_path / "k.json", "json")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt, library", [("cx2", "ndex2"), ("kgx", "bmt")])
def test_missing_library_is_one_line_with_an_install_hint(tmp_path, monkeypatch, fmt, library):
    import builtins

    import mechgraph.io.kgx as kgx_module

    real_import = builtins.__import__

    def without(name, *a, **k):
        if name == library or name.startswith(library + "."):
            raise ImportError(name)
        return real_import(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", without)
    kgx_module.load_kgx.cache_clear()
    try:
        with pytest.raises(ExportError, match=r"pip install 'mechgraph\[exchange\]'"):
            export_files(known_graph(), tmp_path / "k.out", fmt)
    finally:
        kgx_module.load_kgx.cache_clear()
    assert list(tmp_path.iterdir()) == []
