"""What the data says, in one vocabulary: overlay and targets --data agree on "silent" and "not
measured", a marker score needs enough marker genes, the units are stated, and a data set in which
no ligand -> receptor pair of the graph can be scored says why."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mechgraph.cli import main
from tests.support.checkout import IN_CI, ROOT

SEEDS = str(ROOT / "seeds")


def _h5ad(path, genes, groups, values):
    try:
        import anndata
        import pandas as pd
    except ImportError:
        if IN_CI:
            raise
        pytest.skip("anndata is not installed (pip install -e '.[test,omics,exchange]')")
    n = values.shape[0]
    obs = pd.DataFrame({"cell_type": pd.Categorical([groups[i % len(groups)] for i in range(n)])},
                       index=[f"c{i}" for i in range(n)])
    anndata.AnnData(X=values.astype(np.float32), obs=obs, var=pd.DataFrame(index=genes)).write_h5ad(path)
    return path


def _run(capsys, *args):
    code = main(["--backend", "networkx", "--seeds", SEEDS, *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


@pytest.fixture()
def no_pairs(tmp_path):
    """IL1B (one marker of M1 macrophages) and noise: no ligand -> receptor pair of the graph can be scored."""
    rng = np.random.default_rng(0)
    genes = ["IL1B", *[f"NOISE{i}" for i in range(20)]]
    x = rng.poisson(0.5, size=(300, len(genes))).astype(float)
    return _h5ad(tmp_path / "nopairs.h5ad", genes, ["CD8+ T cells", "CD4+/CD25 T Reg", "Monocytes"], x)


def test_targets_and_overlay_use_one_vocabulary(no_pairs, capsys):
    from mechgraph.omics.score import STATUSES

    ov = json.loads(_run(capsys, "overlay", str(no_pairs), "--groupby", "cell_type", "--lr-permutations",
                         "0", "--json"))
    assert ov["statuses"] == STATUSES and {m["status"] for m in ov["mechanisms"]} <= set(STATUSES)
    assert {p["status"] for p in ov["pairs"]} == {"not measured"}
    r = json.loads(_run(capsys, "targets", "--data", str(no_pairs), "--groupby", "cell_type", "--lr-permutations", "0",
                        "--permutations", "0", "--top", "0", "--json"))
    reasons = [t["data"]["reason"] for t in r["targets"]]
    assert r["data"]["statuses"] == STATUSES
    # no pair is measured, so no target's pairs are "silent" (the old text said so of the T cells)
    assert not [x for x in reasons if "silent" in x]
    by_id = {t["id"]: t["data"] for t in r["targets"]}
    assert by_id["treg"]["reason"].startswith("regulatory T cell:") and by_id["treg"]["activity"] is None
    assert any(x.startswith("not measured (") for x in reasons)
    text = _run(capsys, "targets", "--data", str(no_pairs), "--groupby", "cell_type", "--lr-permutations", "0",
                "--permutations", "0", "--top", "3")
    assert '"not measured" means' in text and '"silent" means' in text


def test_no_measurable_pair_gives_a_hint_and_units_are_stated(no_pairs, capsys):
    out = _run(capsys, "overlay", str(no_pairs), "--groupby", "cell_type", "--lr-permutations", "0")
    flat = " ".join(out.split())
    assert "none of the graph's" in flat and "ligand -> receptor pairs has both genes in the data" in flat
    assert "give the full matrix" in flat
    assert "values: .X as stored (not transformed by mechgraph): integer counts, 0 to" in flat  # Poisson counts


def test_a_one_gene_marker_score_is_withheld_unless_asked(no_pairs, capsys):
    ov = json.loads(_run(capsys, "overlay", str(no_pairs), "--groupby", "cell_type", "--lr-permutations",
                         "0", "--json"))
    m1 = next(e for e in ov["entities"].values() if e["name"] == "M1 macrophage")
    assert m1["by_group"] == {} and m1["marker_score_withheld"] == {"marker_genes": 1, "minimum": 3}
    assert "M1 macrophage: marker score withheld: 1 marker gene in the data (IL-1beta), fewer than 3" in " ".join(
        _run(capsys, "overlay", str(no_pairs), "--groupby", "cell_type", "--lr-permutations", "0").split())
    ov = json.loads(_run(capsys, "overlay", str(no_pairs), "--groupby", "cell_type", "--lr-permutations", "0",
                         "--min-marker-genes", "1", "--json"))
    m1 = next(e for e in ov["entities"].values() if e["name"] == "M1 macrophage")
    assert m1["by_group"] and "marker_score_withheld" not in m1 and ov["method"]["min_marker_genes"] == 1


def test_log_normalised_values_are_not_called_counts(tmp_path, capsys):
    rng = np.random.default_rng(1)
    x = np.log1p(rng.gamma(1.0, 1.0, size=(60, 3)))
    path = _h5ad(tmp_path / "log.h5ad", ["C3", "C3AR1", "NOISE"], ["THBS2+ CAF", "SPP1+ TAM"], x)
    ov = json.loads(_run(capsys, "overlay", str(path), "--groupby", "cell_type", "--lr-permutations", "0", "--json"))
    assert ov["units"].startswith(".X as stored") and "non-integer values, 0 to" in ov["units"]
    assert not any("none of the graph's" in n for n in ov["notes"])  # C3 -> C3AR1 is measurable here
