"""The omics overlay on synthetic data with known answers: a planted ligand -> receptor axis must come out on top.

Also: gene and group matching, tables of group means, targets re-weighted by data, the comparison
of two conditions over replicate samples, bad input (one line, no traceback), and the install
hint without the extra. Real data (pbmc68k) and the OmniPath import are in test_omics_data.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from mechgraph.cli import main
from mechgraph.errors import DataError
from mechgraph.omics import genes as gm
from tests.support.checkout import IN_CI, ROOT
from tests.support.graphs import small_graph


def need(module: str):
    """The optional package, or a skip (a failure in CI, which installs the omics extra)."""
    try:
        return __import__(module)
    except ImportError:
        if IN_CI:
            raise
        pytest.skip(f"{module} is not installed (pip install -e '.[omics]')")


GROUPS = ["THBS2+ CAF", "SPP1+ TAM", "CD8+ T cells", "Tumour cells", "B cells"]


@pytest.fixture(scope="module")
def seed_genes(seed_graph) -> list[str]:
    """Every HGNC symbol of the seed graph, plus genes the graph does not know."""
    symbols = sorted({s for _, a in seed_graph.nodes(data=True) for s in gm.hgnc_symbols(a)})
    return symbols + [f"NOISE{i}" for i in range(40)]


@pytest.fixture(scope="module")
def planted(tmp_path_factory, seed_genes) -> Path:
    """2,000 cells in 5 groups; C3 planted in THBS2+ CAF, C3AR1 in SPP1+ TAM (the review's CAF-TAM axis)."""
    need("anndata")
    from tests.support.synthetic_omics import write_h5ad

    p = tmp_path_factory.mktemp("omics") / "planted.h5ad"
    return write_h5ad(p, 2000, seed_genes, GROUPS, ligand="C3", receptor="C3AR1", sender="THBS2+ CAF",
                      receiver="SPP1+ TAM", seed=3)


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


# --- matching ----------------------------------------------------------------------------------


def test_genes_match_by_hgnc_symbol_then_case_then_synonym():
    g = small_graph([("a", "binds", "b", "in_vitro")])
    g.nodes["a"]["xrefs"] = ["hgnc.symbol:C3"]
    g.nodes["b"]["xrefs"] = ["hgnc.symbol:C3AR1"]
    g.add_node("il12", id="il12", name="IL-12", kind="cytokine", synonyms=["IL12"], xrefs=[])
    g.add_node("tgfb", id="tgfb", name="TGF-beta", kind="cytokine", synonyms=["TGFb"], xrefs=[])
    m = gm.match_genes(g, ["C3", "C3ar1", "IL12", "TGFB"])
    assert m.columns == {"a": "C3", "b": "C3ar1", "il12": "IL12"}
    assert m.routes == {"a": "hgnc", "b": "hgnc (case)", "il12": "synonym"}
    assert m.no_symbol == ["tgfb"]  # a prose synonym never matches another case
    assert m.total == 4 and m.found == 3


def test_lr_pairs_come_from_the_graph_edges(seed_graph):
    pairs = {(p.ligand, p.receptor): p for p in gm.lr_pairs(seed_graph)}
    assert ("c3", "c3ar1") in pairs and pairs[("c3", "c3ar1")].complex == "c3_c3ar1"
    # one observation, one edge: C3 activating C3aR1 implies the binding
    assert set(pairs[("c3", "c3ar1")].relations) == {"activates"}
    assert ("pdl1", "pd1") in pairs and ("pd1", "pdl1") not in pairs  # oriented by the binds edge
    # every pair is an edge of the graph between molecules
    for (u, v), p in pairs.items():
        assert any(seed_graph.has_edge(u, v, key=k) for k in p.relations)
        assert seed_graph.nodes[u]["kind"] in gm.MOLECULE_KINDS and seed_graph.nodes[v]["kind"] in gm.MOLECULE_KINDS


def test_complex_of_two_parts_is_oriented_by_secretion():
    g = nx.MultiDiGraph()
    for n, k in (("lig", "gene"), ("rec", "gene"), ("lr", "complex"), ("caf", "cell_state")):
        g.add_node(n, id=n, name=n, kind=k)
    g.add_edge("lig", "lr", key="part_of")
    g.add_edge("rec", "lr", key="part_of")
    g.add_edge("caf", "lig", key="secretes")
    assert [(p.ligand, p.receptor, p.complex) for p in gm.lr_pairs(g)] == [("lig", "rec", "lr")]


def test_groups_map_by_name_synonym_mapping_file_and_default(seed_graph, tmp_path):
    m = gm.map_groups(seed_graph, ["SPP1+ TAM", "thbs2+ caf", "CD8+ T cells", "CD14+ Monocyte", "cluster 7"])
    assert m.entity_of == {"SPP1+ TAM": "spp1_tam", "thbs2+ caf": "thbs2_caf", "CD8+ T cells": "cd8_t_cell"}
    assert m.route["SPP1+ TAM"] == "name" and m.route["CD8+ T cells"] == "default mapping"
    assert m.unmapped == ["CD14+ Monocyte", "cluster 7"]
    # subtypes' groups count for the class: the SPP1+ TAM group is TAM, and macrophage
    assert "SPP1+ TAM" in m.groups_of["tam"] and "SPP1+ TAM" in m.groups_of["macrophage"]
    f = tmp_path / "map.yaml"
    f.write_text("cluster 7: M2 TAM\nSPP1+ TAM: null\n", encoding="utf-8")
    m2 = gm.map_groups(seed_graph, ["SPP1+ TAM", "cluster 7"], gm.read_mapping(f, seed_graph))
    assert m2.entity_of == {"cluster 7": "m2_tam"} and m2.route["cluster 7"] == "mapping file"


def test_mapping_file_problems_name_file_and_line(seed_graph, tmp_path):
    f = tmp_path / "map.yaml"
    f.write_text("a: macrophage\nb: no such cell\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"map.yaml:2: 'no such cell' names no cell entity"):
        gm.read_mapping(f, seed_graph)
    f.write_text("a: [x\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"map.yaml:\d+: YAML syntax error"):
        gm.read_mapping(f, seed_graph)


# --- the planted axis ----------------------------------------------------------------------------


def test_planted_axis_comes_out_on_top(seed_graph, planted):
    from mechgraph.omics.score import OverlayOptions, run_overlay

    ov = run_overlay(seed_graph, planted, groupby="cell_type",
                     options=OverlayOptions(permutations=200, seed=1, progress=False))
    d = ov.as_dict()
    top = d["lr"][0]
    assert (top["ligand"], top["receptor"], top["sender"],
            top["receiver"]) == ("c3", "c3ar1", "THBS2+ CAF", "SPP1+ TAM")
    assert top["p_value"] == pytest.approx(1 / 201, abs=1e-6)  # no shuffle reaches it
    assert top["ligand_fraction"] > 0.7 and top["receptor_fraction"] > 0.7 and top["expressed"] is True
    # the same pair between other groups is not specific, and background pairs are not expressed
    others = [r for r in d["lr"] if (r["ligand"], r["receptor"]) == ("c3", "c3ar1") and r is not top]
    assert all(r["receiver"] != "SPP1+ TAM" or r["sender"] != "THBS2+ CAF" for r in others)
    assert all(r["p_value"] > 0.05 or r["expressed"] is False for r in d["lr"]
               if (r["ligand"], r["receptor"]) != ("c3", "c3ar1"))
    pairs = {(p["ligand"], p["receptor"]): p for p in d["pairs"]}
    assert pairs[("c3", "c3ar1")]["rank"] == 1 and pairs[("c3", "c3ar1")]["status"] == "supported"
    assert pairs[("pdl1", "pd1")]["status"] == "silent"
    # mechanisms: THBS2+ CAF secretes C3 is supported; the groups map by name
    mech = {(m["source"], m["relation"], m["target"]): m for m in d["mechanisms"]}
    assert mech[("thbs2_caf", "secretes", "c3")]["status"] == "supported"
    assert mech[("tam", "expresses", "c3ar1")]["status"] == "supported"  # through its subtype's group
    assert mech[("spp1_tam", "expresses", "spp1")]["status"] == "silent"  # SPP1 is background only
    groups = {g["label"]: g["entity"] for g in d["groups"]}
    assert groups["SPP1+ TAM"] == "spp1_tam" and groups["THBS2+ CAF"] == "thbs2_caf"
    assert d["genes_found"] == d["genes_total"] - len(d["genes"]["no_symbol"])  # every symbol is in the data


def test_lr_prod_and_mean_formulas_on_hand_numbers():
    from mechgraph.omics.score import lr_score

    lig = np.array([[2.0, 0.0]])  # one sender, two pairs
    rec = np.array([[1.0, 3.0], [0.5, 1.0]])  # two receivers
    mean = lr_score(lig, rec, "lr_mean")
    prod = lr_score(lig, rec, "lr_prod")
    assert mean[0, 0, 0] == 1.5 and mean[0, 1, 0] == 1.25 and mean[0, 0, 1] == 0.0  # a zero side gives 0 (CellPhoneDB)
    assert prod[0, 0, 0] == 2.0 and prod[0, 1, 0] == 1.0 and prod[0, 0, 1] == 0.0


def test_table_of_group_means_scores_without_fractions(seed_graph, tmp_path, capsys):
    t = tmp_path / "means.tsv"
    rows = ["gene\tTHBS2+ CAF\tSPP1+ TAM\tB cells", "C3\t3.0\t0.1\t0.1", "C3AR1\t0.2\t2.5\t0.0", "CD274\t0.0\t0.3\t0.0",
            "PDCD1\t0.0\t0.0\t0.0", "GAPDH\t5\t5\t5"]
    t.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, out, err = run(["--seeds", str(ROOT / "seeds"), "overlay", str(t), "--json"], capsys)
    assert code == 0, err
    d = json.loads(out)
    assert d["kind"] == "table" and d["genes_found"] == 4
    top = d["lr"][0]
    assert (top["ligand"], top["sender"], top["receiver"]) == ("c3", "THBS2+ CAF", "SPP1+ TAM")
    assert top["score"] == pytest.approx((3.0 + 2.5) / 2) and top["p_value"] is None and top["ligand_fraction"] is None
    assert any("no expression fractions" in n for n in d["notes"])
    pairs = {(p["ligand"], p["receptor"]): p["status"] for p in d["pairs"]}
    assert pairs[("pdl1", "pd1")] == "silent" and pairs[("gas6", "axl")] == "not measured"
    code, out, _ = run(["--seeds", str(ROOT / "seeds"), "overlay", str(t)], capsys)
    assert "table of group means" in out and "no cells to permute" in out


# --- targets --data and --compare ------------------------------------------------------------------


def test_targets_with_data_raise_the_active_axis_and_say_why(seed_graph, planted, capsys):
    from mechgraph.analysis.targets import rank_targets

    base = [t.id for t in rank_targets(seed_graph, top=0, permutations=0).targets]
    code, out, err = run(["--seeds", str(ROOT / "seeds"), "targets", "--data", str(planted), "--groupby", "cell_type",
                          "--lr-permutations", "100", "--permutations", "0", "--top", "0", "--json"], capsys)
    assert code == 0, err
    r = json.loads(out)
    ranked = [t["id"] for t in r["targets"]]
    by_id = {t["id"]: t for t in r["targets"]}
    # C3 and C3AR1 are one candidate with their complex (analysis.targets merges a complex with its parts)
    assert "c3ar1" not in ranked and {p["id"] for p in by_id["c3_c3ar1"]["parts"]} == {"c3", "c3ar1"}
    axis = by_id["c3_c3ar1"]
    assert ranked.index("c3_c3ar1") < base.index("c3_c3ar1") and axis["data"]["factor"] > 1.2
    assert axis["score"] == pytest.approx(axis["graph_score"] * axis["data"]["factor"], abs=1e-3)
    assert "complement C3-C3AR1 activity rank 1 of" in axis["data"]["reason"] and "SPP1+ TAM" in axis["data"]["reason"]
    assert " expressed in " in axis["data"]["reason"]  # the complex is expressed as its best expressed part
    # a silent checkpoint (PD-1 with its complex) loses weight; a gene the data lacks keeps its graph score
    assert by_id["pd1_pdl1"]["data"]["factor"] < 1.0
    code, out, _ = run(["--seeds", str(ROOT / "seeds"), "targets", "--data", str(planted), "--groupby", "cell_type",
                        "--lr-permutations", "50", "--permutations", "0", "--top", "5"], capsys)
    assert code == 0 and "data: " in out and "activity rank" in out and "graph: " in out


def test_compare_two_conditions_over_replicate_samples(seed_graph, seed_genes, tmp_path, capsys):
    need("anndata")
    need("scipy")
    from tests.support.synthetic_omics import write_h5ad

    samples = [f"s{i}" for i in range(6)]
    cond = {s: ("responder" if i < 3 else "non_responder") for i, s in enumerate(samples)}
    p = write_h5ad(tmp_path / "cohort.h5ad", 3000, seed_genes, GROUPS, ligand="C3", receptor="C3AR1",
                   sender="THBS2+ CAF",
                   receiver="SPP1+ TAM", seed=5, samples=samples, planted_in={"s0", "s1", "s2"}, conditions=cond)
    code, out, err = run(["--seeds", str(ROOT / "seeds"), "targets", "--data", str(p), "--groupby", "cell_type",
                          "--sample", "sample",
                          "--condition", "condition", "--compare", "responder", "non_responder", "--permutations", "0",
                          "--top", "0", "--json"], capsys)
    assert code == 0, err
    r = json.loads(out)
    assert r["samples"] == {"responder": ["s0", "s1", "s2"], "non_responder": ["s3", "s4", "s5"]}
    by_id = {t["id"]: t for t in r["targets"]}
    axis = by_id["c3_c3ar1"]  # C3 and C3AR1 with their complex (analysis.targets merges them)
    assert axis["difference"] > 0 and axis["p_value"] < 0.01 and axis["t"] > 0
    assert len(axis["per_sample"]) == 6
    # a candidate with no planted difference is not called different
    assert by_id["pd1_pdl1"]["p_value"] > 0.01
    assert r["targets"][0]["id"] in {"c3ar1", "c3", "c3_c3ar1", "spp1_tam", "thbs2_caf", "tam", "caf", "macrophage"}
    # one sample per condition is refused: the test needs replicates
    code, _, err = run(["--seeds", str(ROOT / "seeds"), "targets", "--data", str(p), "--groupby", "cell_type",
                        "--sample", "cell_type",
                        "--condition", "cell_type", "--compare", "SPP1+ TAM", "B cells"], capsys)
    assert code != 0 and "needs at least 2 per condition" in err and len(err.strip().splitlines()) == 1


# --- the picture ---------------------------------------------------------------------------------


def test_viz_data_colours_nodes_and_edges(planted, tmp_path, capsys):
    out_html = tmp_path / "ov.html"
    code, out, err = run(["--seeds", str(ROOT / "seeds"), "viz", "-o", str(out_html), "--around", "C3AR1", "--data",
                          str(planted), "--groupby", "cell_type", "--lr-permutations", "50"], capsys)
    assert code == 0, err
    page = out_html.read_text(encoding="utf-8")
    data = json.loads(page.split('<script type="application/json" id="mg-data">')[1].split("</script>")[0])
    nodes = {n["id"]: n for n in data["nodes"]}
    assert data["overlay"]["method"] == "lr_mean"
    assert nodes["c3ar1"]["ov"] > 0.7 and "SPP1+ TAM" in nodes["c3ar1"]["ovl"]
    edges = [e for e in data["edges"] if e["from"] == "c3" and e["to"] == "c3ar1"]
    assert edges and all(e["ov"] == 1.0 and "rank 1 of" in e["ovl"] for e in edges)
    assert "ovColour" in page  # the page script colours by it


# --- bad input -----------------------------------------------------------------------------------


def _one_line_error(code: int, err: str) -> str:
    assert code != 0
    assert "Traceback" not in err
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("case,expect", [
    ("unknown_column", "no obs column 'celltype' for --groupby (did you mean cell_type?)"),
    ("missing_layer", "no layer 'counts'"),
    ("no_overlap", "none of the graph's"),
    ("corrupt", "cannot read as AnnData (.h5ad)"),
    ("missing_groupby", "say which obs column holds the cell groups with --groupby"),
    ("negative", "negative values (scaled data?)"),
])
def test_bad_anndata_gives_one_line(case, expect, planted, tmp_path, capsys):
    anndata = need("anndata")
    args = [str(planted), "--groupby", "cell_type"]
    if case == "unknown_column":
        args = [str(planted), "--groupby", "celltype"]
    elif case == "missing_layer":
        args += ["--layer", "counts"]
    elif case == "no_overlap":
        a = anndata.read_h5ad(planted)
        a.var_names = [f"X{i}" for i in range(a.n_vars)]
        p = tmp_path / "other.h5ad"
        a.write_h5ad(p)
        args[0] = str(p)
    elif case == "corrupt":
        p = tmp_path / "broken.h5ad"
        p.write_bytes(planted.read_bytes()[:5000])
        args[0] = str(p)
    elif case == "missing_groupby":
        args = [str(planted)]
    elif case == "negative":
        a = anndata.read_h5ad(planted)
        a.X = a.X.toarray() - 1.0
        p = tmp_path / "scaled.h5ad"
        a.write_h5ad(p)
        args[0] = str(p)
    code, _, err = run(["--seeds", str(ROOT / "seeds"), "overlay", *args], capsys)
    line = _one_line_error(code, err)
    assert expect in line


@pytest.mark.parametrize("text,expect", [
    ("gene,A,B\nC3,1,2\nC3AR1,1\n", "bad.csv:3: 2 fields, but the header has 3"),
    ("gene,A,B\nC3,1,x\n", "bad.csv:2: 'x' is not a number"),
    ("gene,A,A\nC3,1,2\n", "bad.csv:1: column name 'A' appears twice"),
    ("gene\nC3\n", "bad.csv:1: expected a gene column and at least one group column"),
    ("", "bad.csv:1: the table is empty"),
])
def test_bad_tables_give_file_line(text, expect, tmp_path, capsys):
    p = tmp_path / "bad.csv"
    p.write_text(text, encoding="utf-8")
    code, _, err = run(["--seeds", str(ROOT / "seeds"), "overlay", str(p)], capsys)
    assert expect in _one_line_error(code, err)


def test_other_bad_inputs(tmp_path, capsys):
    seeds = ["--seeds", str(ROOT / "seeds")]
    code, _, err = run([*seeds, "overlay", str(tmp_path / "nope.h5ad")], capsys)
    assert "no such file" in _one_line_error(code, err)
    x = tmp_path / "data.xlsx"
    x.write_bytes(b"PK\x03\x04")
    code, _, err = run([*seeds, "overlay", str(x)], capsys)
    assert "unknown file type .xlsx" in _one_line_error(code, err)
    t = tmp_path / "t.csv"
    t.write_text("gene,A\nC3,1\n", encoding="utf-8")
    code, _, err = run([*seeds, "overlay", str(t), "--groupby", "x"], capsys)
    assert "--groupby is for AnnData files" in _one_line_error(code, err)
    code, _, err = run([*seeds, "targets", "--compare", "a", "b"], capsys)
    assert "need --data" in _one_line_error(code, err)


def test_without_the_extra_the_command_says_how_to_install(planted, tmp_path):
    code = (
        "import sys; sys.modules['anndata'] = None; sys.modules['pandas'] = None\n"
        "from mechgraph.cli import main\n"
        f"sys.exit(main(['--seeds', {str(ROOT / 'seeds')!r}, 'overlay', {str(planted)!r}, '--groupby', 'cell_type']))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                       env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert r.returncode == 3
    assert r.stderr.strip() == ("error: reading .h5ad files needs the 'anndata' package; install the omics extra: "
                                "pip install 'mechgraph[omics]'")


def test_overlay_per_sample(seed_graph, seed_genes, tmp_path):
    need("anndata")
    from mechgraph.omics.score import OverlayOptions, run_overlay
    from tests.support.synthetic_omics import write_h5ad

    samples = ["p1", "p2", "p3"]
    p = write_h5ad(tmp_path / "three.h5ad", 1500, seed_genes, GROUPS, ligand="C3", receptor="C3AR1",
                   sender="THBS2+ CAF", receiver="SPP1+ TAM", seed=7, samples=samples, planted_in={"p1"})
    d = run_overlay(seed_graph, p, groupby="cell_type", sample="sample",
                    options=OverlayOptions(permutations=0)).as_dict()
    c3ar1 = d["entities"]["c3ar1"]["by_sample"]
    assert set(c3ar1) == set(samples)
    # planted only in p1: C3AR1 is high in p1's SPP1+ TAM group and background elsewhere
    assert c3ar1["p1"]["SPP1+ TAM"] > 1.0 > 0.2 > c3ar1["p2"]["SPP1+ TAM"]
    ab = d["entities"]["spp1_tam"]["abundance_by_sample"]
    assert ab == {s: pytest.approx(0.2, abs=0.01) for s in samples}  # one group in five, cells spread evenly
