"""INDRA Statements JSON, read back with INDRA's own stmts_from_json and checked by INDRA's validator."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from mechgraph import edges as meaning
from mechgraph import schema
from mechgraph.io import export_files, format_for
from mechgraph.io.indra import INDRA_RULES, indra_statements
from tests.support.checkout import IN_CI
from tests.support.graphs import ev


def indra():
    try:
        import indra.statements as statements
        from indra.statements.validate import assert_valid_statements
    except ImportError:
        if IN_CI:
            pytest.fail("CI must read the INDRA export with INDRA: pip install --no-deps indra future")
        pytest.skip("INDRA is not installed (pip install --no-deps 'indra>=1.24' future; see README)")
    return statements, assert_valid_statements


def small_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(name="small", axes={})

    def node(n, name, kind, xrefs=()):
        g.add_node(n, id=n, name=name, kind=kind, xrefs=list(xrefs), synonyms=[])

    def edge(u, rel, v, support="review_text", **kw):
        rec = ev("12", "in_vitro")[0]
        rec.update(support=support, summary=f"{u} {rel} {v} in our words", locator="1.3 ¶1")
        g.add_edge(u, v, key=rel, relation=rel, sign=schema.RELATIONS[rel].sign_symbol, level="in_vitro", refs=["12"],
                   evidence=[rec], **kw)

    node("pd1", "PD-1", "gene", ["hgnc.symbol:PDCD1"])
    node("pdl1", "PD-L1", "gene", ["hgnc.symbol:CD274"])
    node("caf", "cancer-associated fibroblast", "cell_type", ["CL:0000057"])
    node("cd8", "CD8+ T cell", "cell_type", ["CL:0000625"])
    node("emt", "epithelial-mesenchymal transition", "process", ["GO:0001837"])
    node("pm", "peritoneal metastasis", "phenotype")
    node("nivo", "nivolumab", "therapy", ["DRUGBANK:DB09035"])
    node("ptx", "paclitaxel", "therapy", ["DRUGBANK:DB01229"])
    node("ov", "armed oncolytic virus", "therapy")
    node("il12", "IL-12", "cytokine")
    node("trial", "a trial", "clinical_trial")
    edge("nivo", "inhibits", "pd1")
    edge("nivo", "targets", "pd1", support="curator")
    edge("pdl1", "binds", "pd1")
    edge("pdl1", "activates", "pd1")
    edge("caf", "promotes", "emt", support="hypothesis")
    edge("cd8", "kills", "caf")
    edge("caf", "recruits", "cd8")
    edge("cd8", "expresses", "pd1")  # a marker: no statement
    edge("ov", "expresses", "il12")  # a transgene: IncreaseAmount
    edge("ptx", "enhances", "nivo")  # efficacy: no statement
    edge("pm", "inhibits", "nivo")  # an efficacy edge in an older graph: no statement
    edge("cd8", "associated_with", "pm", direction="negative")
    edge("emt", "associated_with", "pm", direction="none")  # a null result: no statement
    edge("nivo", "tested_in", "trial")
    return g


def test_every_relation_has_an_indra_rule():
    assert set(INDRA_RULES) == set(schema.RELATIONS)


def test_indra_reads_the_statements_and_its_validator_accepts_them(tmp_path):
    statements, assert_valid = indra()
    g = small_graph()
    path = export_files(g, tmp_path / "s.indra.json", format_for("s.indra.json"))[0]
    stmts = statements.stmts_from_json(json.loads(path.read_text(encoding="utf-8")))
    assert_valid(stmts)
    got = {}
    for s in stmts:
        names = tuple(a.db_refs["TEXT"] for a in s.agent_list())
        got[(type(s).__name__, names)] = s
    assert set(got) == {
        ("Inhibition", ("nivolumab", "PD-1")), ("Complex", ("PD-L1", "PD-1")), ("Activation", ("PD-L1", "PD-1")),
        ("Activation", ("cancer-associated fibroblast", "epithelial-mesenchymal transition")),
        ("DecreaseAmount", ("CD8+ T cell", "cancer-associated fibroblast")),
        ("IncreaseAmount", ("cancer-associated fibroblast", "CD8+ T cell")),
        ("IncreaseAmount", ("armed oncolytic virus", "IL-12")),
        ("Association", ("CD8+ T cell", "peritoneal metastasis")),
    }
    s = got[("Inhibition", ("nivolumab", "PD-1"))]
    assert s.subj.db_refs == {"DRUGBANK": "DB09035", "TEXT": "nivolumab"}
    assert s.obj.name == "PDCD1" and s.obj.db_refs == {"HGNC": "8760", "TEXT": "PD-1"}
    e = s.evidence[0]
    assert (e.source_api, e.source_id, e.text) == ("mechgraph", "nivo--inhibits--pd1", "nivo inhibits pd1 in our words")
    assert e.text_refs == {"DOI": "10.1000/12"} and e.annotations["level"] == "in_vitro"
    assert (e.annotations["support"] == "review_text" and e.annotations["locator"] == "1.3 ¶1"
            and e.annotations["ref"] == "12")
    assert got[("Activation",
                ("cancer-associated fibroblast",
                 "epithelial-mesenchymal transition"))].evidence[0].epistemics["hypothesis"]
    assert got[("DecreaseAmount", ("CD8+ T cell", "cancer-associated fibroblast"))].subj.db_refs["CL"] == "CL:0000625"
    assert got[("Activation",
                ("cancer-associated fibroblast",
                 "epithelial-mesenchymal transition"))].obj.db_refs["GO"] == "GO:0001837"
    assoc = got[("Association", ("CD8+ T cell", "peritoneal metastasis"))]
    assert [(m.concept.db_refs["TEXT"], m.delta.polarity)
            for m in assoc.members] == [("CD8+ T cell", 1), ("peritoneal metastasis", -1)]
    # INDRA's own JSON of what it read is what we wrote, statement for statement
    written = json.loads(path.read_text(encoding="utf-8"))
    assert [x["id"] for x in statements.stmts_to_json(stmts)] == [x["id"] for x in written]


def test_the_seed_graph_in_indra(seed_graph, tmp_path):
    statements, assert_valid = indra()
    path = export_files(seed_graph, tmp_path / "gcpm.indra.json", "indra")[0]
    data = json.loads(path.read_text(encoding="utf-8"))
    stmts = statements.stmts_from_json(data)
    assert len(stmts) == len(data) > 100
    assert_valid(stmts)
    kind = {n: a["kind"] for n, a in seed_graph.nodes(data=True)}
    said = {e.source_id for s in stmts for e in s.evidence}
    for u, v, k in seed_graph.edges(keys=True):
        sid = f"{u}--{k}--{v}"
        if meaning.is_marker(k, kind[u], kind[v]) or meaning.is_efficacy_edge(k, kind[u], kind[v]):
            assert sid not in said  # never a statement of anyone's mechanism
        elif meaning.is_causal_step(k, kind[u], kind[v]) and INDRA_RULES[k][0]:
            assert sid in said
    genes = [a for s in stmts for a in s.agent_list() if a is not None and "HGNC" in a.db_refs]
    from mechgraph.io import hgnc

    symbol = {i.split(":")[1]: sym for sym, i in hgnc.table().items()}
    assert genes and all(a.name == symbol[a.db_refs["HGNC"]] for a in genes)  # named by the HGNC symbol
    assert indra_statements(seed_graph) == data  # the same graph, the same file
