"""Real data and the real consensus: scanpy's bundled pbmc68k_reduced, LIANA+'s own CellPhoneDB, OmniPath's file.

pbmc68k_reduced (700 PBMCs, 10 labelled cell types, 765 genes) ships inside the scanpy wheel, and
the OmniPath resource file inside the liana wheel: nothing here uses the network. CI installs the
omics extra, so there a missing package fails instead of skipping.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import warnings
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pytest

from mechgraph.cli import main
from mechgraph.errors import DataError
from mechgraph.omics import genes as gm
from mechgraph.omics.lr_import import import_omnipath_lr, read_resource
from tests.support.checkout import IN_CI, ROOT
from tests.support.graphs import small_graph

SEEDS = ["--seeds", str(ROOT / "seeds")]
# the graph's checkpoint genes, by HGNC symbol (PD-1, PD-L1, TIM-3, galectin-9, CTLA-4, VISTA)
CHECKPOINTS = ("PDCD1", "CD274", "HAVCR2", "LGALS9", "CTLA4", "VSIR")
LYMPHOID = ("CD4+/CD25 T Reg", "CD4+/CD45RA+/CD25- Naive T", "CD4+/CD45RO+ Memory", "CD8+ Cytotoxic T",
            "CD8+/CD45RA+ Naive Cytotoxic", "CD19+ B", "CD56+ NK")


def packaged(module: str, *parts: str) -> Path:
    """A file inside an installed package, found without importing it (a skip, or in CI a failure, when absent)."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.origin:
        if IN_CI:
            raise AssertionError(f"CI installs the omics extra, but {module} is missing")
        pytest.skip(f"{module} is not installed (pip install -e '.[omics]')")
    return Path(spec.origin).parent.joinpath(*parts)


@pytest.fixture(scope="module")
def pbmc() -> Path:
    p = packaged("scanpy", "datasets", "10x_pbmc68k_reduced.h5ad")
    assert p.is_file()
    return p


@pytest.fixture(scope="module")
def resource_file() -> Path:
    p = packaged("liana", "resource", "omni_resource.csv")
    assert p.is_file()
    return p


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


# --- pbmc68k on the GCPM graph ----------------------------------------------------------------------


def test_pbmc68k_on_the_gcpm_graph_finds_the_cell_types(pbmc, capsys):
    code, out, err = run([*SEEDS, "overlay", str(pbmc), "--groupby", "bulk_labels", "--lr-permutations", "100",
                          "--json"], capsys)
    assert code == 0, err
    d = json.loads(out)
    assert d["matrix"] == ".raw.X"  # .X of this file is scaled; LIANA's default, .raw, holds log-normalised counts
    groups = {g["label"]: g["entity"] for g in d["groups"]}
    assert groups == {
        "CD4+/CD25 T Reg": "treg", "CD4+/CD45RA+/CD25- Naive T": "cd4_t_cell", "CD4+/CD45RO+ Memory": "cd4_t_cell",
        "CD8+ Cytotoxic T": "cd8_t_cell", "CD8+/CD45RA+ Naive Cytotoxic": "cd8_t_cell", "CD14+ Monocyte": None,
        "CD19+ B": "b_cell", "CD34+": None, "CD56+ NK": "nk_cell", "Dendritic": "dendritic_cell",
    }
    assert sum(g["cells"] for g in d["groups"]) == 700
    ents = d["entities"]
    assert ents["t_cell"]["cells"] == 68 + 8 + 19 + 54 + 43  # T cell counts its subtypes' groups
    # the 765 genes of this file hold none of the graph's checkpoint genes: not measured, never "silent"
    missing_symbols = set()
    for e in d["genes"]["missing"]:
        missing_symbols.update(gm.hgnc_symbols(main_graph().nodes[e]))
    assert set(CHECKPOINTS) <= missing_symbols
    mech = {(m["source"], m["target"]): m["status"] for m in d["mechanisms"]}
    assert mech[("pdl1", "pd1")] == "not measured" and mech[("cd8_t_cell", "pd1")] == "not measured"
    # IL-1beta, a myeloid cytokine, is measured: expressed in monocytes and dendritic cells, in no lymphoid group
    il1b = ents["il1b"]["by_group"]
    assert all(il1b[g]["fraction"] == 0 for g in LYMPHOID)
    assert il1b["CD14+ Monocyte"]["fraction"] > 0 and il1b["Dendritic"]["fraction"] > 0


_GRAPH: list[nx.MultiDiGraph] = []


def main_graph() -> nx.MultiDiGraph:
    if not _GRAPH:
        from mechgraph.curation import graph_from_seeds

        _GRAPH.append(graph_from_seeds(ROOT / "seeds"))
    return _GRAPH[0]


def checkpoint_graph() -> nx.MultiDiGraph:
    """A hand-built graph of checkpoint receptors that pbmc68k measures: LAG3 and its MHC-II and galectin-3 ligands,
    TIGIT."""
    g = small_graph([("hla_dra", "binds", "lag3", "in_vitro"), ("lgals3", "binds", "lag3", "in_vitro"),
                     ("cd274", "binds", "pdcd1", "in_vitro")])
    for n, sym in (("hla_dra", "HLA-DRA"), ("lag3", "LAG3"), ("lgals3", "LGALS3"), ("cd274", "CD274"),
                   ("pdcd1", "PDCD1"), ("tigit", "TIGIT")):
        if n not in g:
            g.add_node(n, id=n, name=sym, kind="gene", synonyms=[], xrefs=[])
        g.nodes[n]["xrefs"] = [f"hgnc.symbol:{sym}"]
    g.add_node("cd8_t_cell", id="cd8_t_cell", name="CD8+ T cell", kind="cell_type", synonyms=[], xrefs=[])
    g.add_node("treg", id="treg", name="regulatory T cell", kind="cell_type", synonyms=["Treg"], xrefs=[])
    g.add_edge("cd8_t_cell", "lag3", key="expresses", relation="expresses")
    g.add_edge("treg", "tigit", key="expresses", relation="expresses")
    return g


def test_pbmc68k_checkpoints_where_they_are_expressed(pbmc):
    from mechgraph.omics.score import OverlayOptions, run_overlay

    d = run_overlay(checkpoint_graph(), pbmc, groupby="bulk_labels", options=OverlayOptions(progress=False)).as_dict()
    by = {e: v["by_group"] for e, v in d["entities"].items()}
    top = {e: max(b, key=lambda g: b[g]["fraction"]) for e, b in by.items() if d["entities"][e]["kind"] == "gene"}
    assert top["lag3"] == "CD8+ Cytotoxic T"  # LAG3 on activated cytotoxic T cells
    assert top["tigit"] in ("CD4+/CD25 T Reg", "CD56+ NK")  # TIGIT on regulatory T and NK cells
    assert by["tigit"]["CD4+/CD25 T Reg"]["fraction"] > 0.15 and by["tigit"]["CD14+ Monocyte"]["fraction"] < 0.05
    assert top["hla_dra"] in ("Dendritic", "CD14+ Monocyte", "CD19+ B")  # MHC class II on antigen-presenting cells
    best = d["lr"][0]
    assert (best["ligand"], best["receptor"]) == ("hla_dra", "lag3") and best["p_value"] < 0.01
    assert best["sender"] in ("Dendritic", "CD14+ Monocyte", "CD19+ B") and best["receiver"].startswith("CD8+")
    mech = {(m["source"], m["target"]): m["status"] for m in d["mechanisms"]}
    assert mech[("cd8_t_cell", "lag3")] == "supported" and mech[("treg", "tigit")] == "supported"
    assert mech[("hla_dra", "lag3")] == "supported" and mech[("cd274", "pdcd1")] == "not measured"


def test_activities_agree_with_liana_cellphonedb(pbmc):
    """Our lr_mean and fractions equal LIANA+'s CellPhoneDB on the same pairs; significance calls agree."""
    packaged("liana")
    import anndata
    import liana as li
    import pandas as pd

    from mechgraph.omics.score import OverlayOptions, run_overlay

    pairs = [("HLA-DRA", "LAG3"), ("LGALS3", "LAG3"), ("CD40LG", "CD40"), ("S100A8", "ITGB2"),
             ("TNFSF13B", "TNFRSF13B"), ("ANXA1", "FPR1")]
    g = nx.MultiDiGraph()
    for lig, rec in pairs:
        for s in (lig, rec):
            g.add_node(s, id=s, name=s, kind="gene", xrefs=[f"hgnc.symbol:{s}"], synonyms=[])
        g.add_edge(lig, rec, key="binds", relation="binds", supports=["curator"])
    ours = pd.DataFrame(run_overlay(g, pbmc, groupby="bulk_labels",
                                    options=OverlayOptions(seed=1, progress=False)).as_dict()["lr"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        adata = anndata.read_h5ad(pbmc)
        li.mt.cellphonedb(adata, groupby="bulk_labels", resource=pd.DataFrame(pairs, columns=["ligand", "receptor"]),
                          use_raw=True, expr_prop=0.1, n_perms=1000, seed=0, verbose=False)
    theirs = adata.uns["liana_res"]
    m = ours.merge(theirs, left_on=["ligand", "receptor", "sender", "receiver"],
                   right_on=["ligand_complex", "receptor_complex", "source", "target"])
    assert len(m) == len(theirs) > 50  # every interaction LIANA keeps (both sides >= 10%) we score, as expressed
    assert m["expressed"].all()
    assert (m["score"] - m["lr_means"]).abs().max() < 1e-3
    assert (m["ligand_fraction"] - m["ligand_props"]).abs().max() < 1e-3
    assert (m["receptor_fraction"] - m["receptor_props"]).abs().max() < 1e-3
    agree = ((m["p_value"] <= 0.05) == (m["cellphone_pvals"] <= 0.05)).mean()
    assert agree >= 0.95


# --- the OmniPath import --------------------------------------------------------------------------


def _resource(tmp_path: Path, rows: list[tuple[str, str, str]]) -> Path:
    p = tmp_path / "omni.csv"
    with p.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL)
        w.writerow(["", "source", "target", "source_genesymbol", "target_genesymbol", "resource"])
        for i, (lig, rec, res) in enumerate(rows, 1):
            w.writerow([str(i), f"U{lig}", f"U{rec}", lig, rec, res])
    return p


def _lr_graph() -> nx.MultiDiGraph:
    g = small_graph([("lig1", "binds", "rec1", "in_vitro"), ("caf", "secretes", "lig1", "in_vitro")],
                    kinds={"caf": "cell_state"})
    g.add_node("lig2", id="lig2", name="Ligand 2", kind="cytokine", synonyms=[], xrefs=[])
    g.add_node("rec3", id="rec3", name="Receptor 3", kind="gene", synonyms=[], xrefs=[])
    for n, sym in (("lig1", "L1"), ("rec1", "R1"), ("lig2", "L2"), ("rec3", "R3")):
        g.nodes[n]["xrefs"] = [f"hgnc.symbol:{sym}"]
    g.add_edge("lig2", "rec3", key="activates", relation="activates", sign="+", evidence=[], refs=[],
               supports=["review_text"])
    return g


def test_import_on_a_small_resource_with_known_answers(tmp_path):
    f = _resource(tmp_path, [
        ("L1", "R1", "consensus"), ("L1", "R1", "cellphonedb"),  # the review states it too
        ("L2", "R1", "consensus"), ("L2", "R1", "cellchatdb"), ("L2", "R1", "italk"),  # consensus only
        ("L1", "NEW1", "consensus"),  # a neighbour
        ("L1", "R1_R9", "consensus"),  # a multi-subunit side no graph complex matches
        ("L2", "R3", "cellchatdb"),  # the review's L2 -> R3: not in the consensus, only in another resource
        ("X", "Y", "consensus"),  # nothing to do with the graph
    ])
    g = _lr_graph()
    before = nx.node_link_data(g, edges="links")
    r = import_omnipath_lr(g, resource_file=f)
    assert nx.node_link_data(g, edges="links") == before  # the input graph is not touched
    d = r.as_dict()
    assert d["consensus_pairs"] == 5 and d["resource_rows"] == 9
    assert [(x["ligand"], x["receptor"]) for x in d["both"]] == [("L1", "R1")]
    assert [(x["ligand"], x["receptor"]) for x in d["consensus_only"]] == [("L2", "R1")]
    assert [(x["ligand"], x["receptor"]) for x in d["review_only"]] == [("L2", "R3")]
    assert d["review_only"][0]["note"] == "listed by cellchatdb, not by the consensus"
    assert d["counts"]["complex_sides_skipped"] == 1 and d["added_edges"] == 1 and d["added_genes"] == 0
    e = r.graph.edges["lig2", "rec1", "binds"]
    assert e["supports"] == ["database"] and e["refs"] == ["omnipath_consensus", "omnipath_cellchatdb",
                                                           "omnipath_italk"]
    assert [ev["resource"] for ev in e["evidence"]] == ["consensus", "cellchatdb", "italk"]
    assert all(ev["support"] == "database" and ev["level"] == "expert_statement" for ev in e["evidence"])
    # the curated binds edge keeps its own evidence only
    assert r.graph.edges["lig1", "rec1", "binds"] == g.edges["lig1", "rec1", "binds"]
    rn = import_omnipath_lr(g, neighbours=True, resource_file=f)
    assert [x["symbol"] for x in rn.new_genes] == ["NEW1"]
    new = rn.new_genes[0]["id"]
    assert rn.graph.nodes[new]["xrefs"] == ["hgnc.symbol:NEW1"] and rn.graph.nodes[new]["kind"] == "gene"
    assert rn.graph.has_edge("lig1", new, key="binds")


def test_import_refuses_a_file_that_is_not_the_resource(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad.csv:1: not an OmniPath resource file: no column source"):
        read_resource(bad)
    f = _resource(tmp_path, [("A", "B", "cellphonedb")])
    with pytest.raises(DataError, match="no 'consensus' rows"):
        read_resource(f)


def _file_pairs(path: Path) -> tuple[dict[tuple[str, str], set[str]], set[tuple[str, str]]]:
    listed: dict[tuple[str, str], set[str]] = defaultdict(set)
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            listed[(row["source_genesymbol"], row["target_genesymbol"])].add(row["resource"])
    return listed, {k for k, v in listed.items() if "consensus" in v}


def test_import_of_the_real_consensus_keeps_curated_edges_and_traces_provenance(resource_file, tmp_path, capsys):
    out = tmp_path / "merged.json"
    report = tmp_path / "conflicts.tsv"
    code, text, err = run([*SEEDS, "import", "omnipath-lr", "-o", str(out), "--report", str(report), "--neighbours",
                           "--json"], capsys)
    assert code == 0, err
    d = json.loads(text)
    listed, consensus = _file_pairs(resource_file)
    assert d["consensus_pairs"] == len(consensus) and d["resource_rows"] == sum(len(v) for v in listed.values())
    curated = main_graph()
    merged = json.loads(out.read_text(encoding="utf-8"))
    edges = {(e["source"], e["target"], e["relation"]): e for e in merged["edges"]}
    # nothing curated is overwritten: every curated edge is there with exactly its attributes
    from mechgraph.io.nodelink import to_node_link

    for e in to_node_link(curated)["edges"]:
        assert edges[(e["source"], e["target"], e["relation"])] == e
    nodes = {n["id"]: n for n in merged["nodes"]}
    for n in to_node_link(curated)["nodes"]:
        assert nodes[n["id"]] == n
    # every added edge is a consensus pair of the file, with exactly the resources that list it
    symbol = {n["id"]: x.split(":", 1)[1] for n in merged["nodes"] for x in n.get("xrefs") or []
              if x.startswith("hgnc.symbol:")}
    added = [e for e in merged["edges"] if "database" in (e.get("supports") or [])]
    assert len(added) == d["added_edges"] > 0
    for e in added:
        key = (symbol[e["source"]], symbol[e["target"]])
        assert key in consensus
        assert [ev["resource"] for ev in e["evidence"]] == ["consensus", *sorted(listed[key] - {"consensus"})]
    # the report against the file, computed here independently: consensus pairs between the graph's genes
    graph_symbols = {v: k for k, v in symbol.items() if k in curated}
    between = {(lig, rec) for lig, rec in consensus if lig in graph_symbols and rec in graph_symbols and lig != rec}
    reported = {(x["ligand"], x["receptor"]) for x in d["both"] + d["consensus_only"]}
    assert reported == between
    review = {(symbol.get(p.ligand), symbol.get(p.receptor)) for p in gm.lr_pairs(curated)}
    for x in d["review_only"]:
        assert (x["ligand"], x["receptor"]) in review and (x["ligand"], x["receptor"]) not in consensus
    assert {(x["ligand"], x["receptor"]) for x in d["both"]} <= review
    rows = list(csv.DictReader(report.open(encoding="utf-8"), delimiter="\t"))
    assert sum(r["status"] == "review_only" for r in rows) == d["counts"]["review_only"]
    assert sum(r["status"] == "neighbour_added" for r in rows) == d["counts"]["neighbours"]
    # the second source does not change the curated analyses, and overlay reads the merged graph
    code, a, _ = run([*SEEDS, "targets", "--json", "--permutations", "0"], capsys)
    code2, b, _ = run(["--from", str(out), "targets", "--json", "--permutations", "0"], capsys)
    assert code == code2 == 0 and json.loads(a)["targets"] == json.loads(b)["targets"]
