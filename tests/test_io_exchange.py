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

from conftest import IN_CI, ev
try:  # the path search's weight of one step with every record usable (its home moved with the search)
    from mechgraph.analysis.semantics import SUPPORTS, step_weight_of, usable_records

    def step_weight(a):
        return step_weight_of(usable_records(a, frozenset(SUPPORTS)), list(a.get("refs") or []))
except ImportError:
    from mechgraph.analysis.paths import step_weight
from mechgraph.errors import ExportError
from mechgraph.io import columns, export_files, read_graph, to_node_link
from mechgraph.io.cx2 import KIND_LOOK
from mechgraph.io.kgx import PREDICATE_OVERRIDES, predicate
from mechgraph.io.sif import CAUSALPATH_RELATIONS

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
                   caveats=[], category=kw.pop("category", None) or {"gene": "biolink:Gene", "cell_type": "biolink:Cell",
                                                                    "phenotype": "biolink:PhenotypicFeature",
                                                                    "therapy": "biolink:Drug"}[kind], **kw)

    def edge(u, rel, v, level, refs, supports, sign):
        records = []
        for ref, support in zip(refs, supports):
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
    edge("nivo", "inhibits", "pd1", "clinical_trial", ["28"], ["curator"], "-")
    edge("nivo", "targets", "pd1", "clinical_trial", ["28"], ["curator"], "0")
    edge("pd1", "inhibits", "pm", "expert_statement", ["review"], ["hypothesis"], "-")
    return g


# --------------------------------------------------------------------------------------------
# shared columns
# --------------------------------------------------------------------------------------------


def test_score_is_the_path_step_weight_on_every_seed_edge(seed_graph):
    for *_, a in seed_graph.edges(keys=True, data=True):
        assert columns.evidence_weight(a) == step_weight(a)


def test_columns_on_known_edges():
    g = known_graph()
    a = g.edges["caf", "pm", "promotes"]
    assert columns.evidence_weight(a) == pytest.approx(0.9 * 1.05)
    assert columns.evidence_weight(g.edges["caf", "il6", "secretes"]) == pytest.approx(0.7 * 0.7)  # title only
    assert columns.edge_supports(a) == ["curator", "review_text"]
    assert columns.edge_supports({"supports": ["hypothesis"], "evidence": a["evidence"]}) == ["hypothesis"]
    assert columns.edge_dois(a) == ["10.1000/18", "10.1000/19"]
    assert columns.sign_int(columns.sign_symbol(g.edges["nivo", "pd1", "inhibits"], "inhibits")) == -1
    assert columns.sign_symbol({}, "subtype_of") == "=" and columns.sign_int("=") == 0
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
    e = flat.edges["nivo", "pd1", "inhibits"]
    assert e["interaction"] == "inhibits" and e["sign"] == -1 and isinstance(e["sign"], int)
    assert e["score"] == 1.0 and isinstance(e["score"], float)
    assert e["name"] == "nivolumab (inhibits) PD-1" and e["support"] == "curator"
    assert flat.edges["caf", "pm", "promotes"]["score"] == pytest.approx(0.945)
    assert flat.edges["nivo", "pd1", "targets"]["sign"] == 0
    assert flat.edges["caf", "pm", "promotes"]["support"] == "curator; review_text"
    # and mechgraph reads its own file back exactly, without the added columns
    again = read_graph(path)
    assert to_node_link(again) == to_node_link(g)


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
        assert v["relation"] == rel and v["sign"] == columns.SIGN_INT[a["sign"]]
        assert math.isclose(v["score"], columns.evidence_weight(a), rel_tol=1e-6)
        assert v["level"] == a["level"] and v["refs"] == a["refs"]
        assert v["dois"] == columns.edge_dois(a) and v["supports"] == columns.edge_supports(a)
        assert v["stated_by_review"] == ("review_text" in columns.edge_supports(a))
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
    assert [f.name for f in files] == ["k.sif", "k.carnival.tsv", "k.nodes.tsv", "k.edges.tsv"]
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
    assert nodes["PDCD1"]["label"] == "PD-1" and nodes["PDCD1"]["id"] == "pd1" and nodes["PDCD1"]["represents"] == "hgnc.symbol:PDCD1"
    assert nodes["cancer-associated fibroblast"]["name_zh"] == "癌相关成纤维细胞"
    edges = {r["name"]: r for r in _tsv(files[3])}
    e = edges["cancer-associated fibroblast (upregulates-expression) peritoneal metastasis"]
    assert (e["relations"], e["sign"], e["score"], e["level"]) == ("promotes", "1", "0.9450", "observational_human")
    assert (e["supports"], e["refs"], e["dois"]) == ("curator|review_text", "18|19", "10.1000/18|10.1000/19")
    assert set(edges) == {f"{a} ({r}) {b}" for a, r, b in lines}


def test_sif_merges_steps_with_the_same_ends_and_sign(tmp_path):
    g = known_graph()
    g.add_edge("caf", "pm", key="recruits", relation="recruits", sign="+", level="in_vitro", refs=["30"], evidence=ev("30", "in_vitro"))
    files = export_files(g, tmp_path / "m.sif", "sif")
    lines = files[0].read_text(encoding="utf-8").splitlines()
    assert lines.count("cancer-associated fibroblast\tupregulates-expression\tperitoneal metastasis") == 1
    row = next(r for r in _tsv(files[3]) if r["source"] == "cancer-associated fibroblast" and r["target"] == "peritoneal metastasis")
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


def test_sif_of_the_seed_graph(seed_graph, tmp_path):
    files = export_files(seed_graph, tmp_path / "g.sif", "sif")
    lines = [ln.split("\t") for ln in files[0].read_text(encoding="utf-8").splitlines()]
    signed = {(u, v, columns.sign_int(a["sign"])) for u, v, k, a in seed_graph.edges(keys=True, data=True) if a["sign"] in "+-"}
    assert len(lines) == len(signed) and all(len(ln) == 3 and ln[1] in CAUSALPATH_NAMES for ln in lines)
    assert len(_tsv(files[1])) == len(lines) == len(_tsv(files[3]))


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


def test_kgx_predicates_are_biolink_predicates():
    need("kgx")
    from mechgraph import schema

    need("mechgraph.io.kgx").load_kgx()
    from kgx.validator import Validator

    tk = Validator.get_toolkit()
    for rel in schema.RELATIONS:
        assert tk.is_predicate(predicate(rel)), (rel, predicate(rel))
    for rel in PREDICATE_OVERRIDES:
        assert not tk.is_predicate(schema.RELATIONS[rel].biolink)  # the override is still needed


def test_kgx_read_and_validated_by_kgx(tmp_path):
    need("kgx")
    g = known_graph()
    files = export_files(g, tmp_path / "k", "kgx")
    assert [f.name for f in files] == ["k_nodes.tsv", "k_edges.tsv"]
    graph = _kgx_read(files)
    assert _kgx_errors(graph) == {}
    nodes = dict(graph.nodes(data=True))
    assert set(nodes) == {"CL:0000057", "MECHGRAPH:pd1", "MECHGRAPH:il6", "MECHGRAPH:pm", "DRUGBANK:DB09035"}
    assert nodes["MECHGRAPH:pd1"]["category"] == ["biolink:Gene"] and nodes["MECHGRAPH:pd1"]["name"] == "PD-1"
    assert nodes["MECHGRAPH:pd1"]["xref"] == ["hgnc.symbol:PDCD1"] and nodes["MECHGRAPH:pd1"]["synonym"] == ["PDCD1"]
    assert nodes["CL:0000057"]["mechgraph_id"] == "caf" and nodes["CL:0000057"]["name_zh"] == "癌相关成纤维细胞"
    edges = {(u, d["predicate"], v): d for u, v, d in graph.edges(data=True)}
    e = edges[("CL:0000057", "biolink:positively_correlated_with", "MECHGRAPH:pm")]
    assert e["publications"] == ["doi:10.1000/18", "doi:10.1000/19"]
    assert e["primary_knowledge_source"] == "infores:mechgraph" and e["knowledge_level"] == "knowledge_assertion"
    assert e["agent_type"] == "manual_agent" and e["evidence_level"] == "observational_human"
    assert str(e["sign"]) == "1" and float(e["score"]) == pytest.approx(0.945)
    assert _as_list(e["supports"]) == ["curator", "review_text"] and _as_list(e["refs"]) == ["18", "19"]
    assert edges[("MECHGRAPH:pd1", "biolink:negatively_correlated_with", "MECHGRAPH:pm")]["knowledge_level"] == "prediction"
    assert ("DRUGBANK:DB09035", "biolink:physically_interacts_with", "MECHGRAPH:pd1") in edges
    assert len(edges) == g.number_of_edges()


def _as_list(v):
    return v if isinstance(v, list) else str(v).split("|")


def test_kgx_of_the_seed_graph_validates(seed_graph, tmp_path):
    need("kgx")
    files = export_files(seed_graph, tmp_path / "gcpm.tsv", "kgx")
    assert [f.name for f in files] == ["gcpm_nodes.tsv", "gcpm_edges.tsv"]
    graph = _kgx_read(files)
    assert _kgx_errors(graph) == {}
    assert graph.number_of_nodes() == seed_graph.number_of_nodes()
    triples = {(u, predicate(k), v) for u, v, k in seed_graph.edges(keys=True)}
    assert graph.number_of_edges() == len(triples)  # KGX identifies an edge by subject, predicate, object
    relations = sorted(r for *_, d in graph.edges(data=True) for r in _as_list(d["mechgraph_relation"]))
    assert relations == sorted(k for *_, k in seed_graph.edges(keys=True))  # merged edges list every relation


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
