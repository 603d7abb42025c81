"""Synthetic single-cell expression with a planted active ligand -> receptor axis (tests and the benchmark).

`planted_counts` draws sparse log-normalised expression: every gene is expressed by a small
fraction of every group's cells at a low level (background), except that the planted ligand is
expressed by most cells of the sender group and the planted receptor by most cells of the
receiver group, at a high level. The right answer is therefore known: the planted pair, from the
sender to the receiver, is the most active and most specific ligand -> receptor activity.
`write_h5ad` wraps it in an AnnData file (needs the omics extra).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np


def planted_counts(n_cells: int, genes: list[str], groups: list[str], *, ligand: str, receptor: str, sender: str,
                   receiver: str,
                   background: float = 0.05, planted: float = 0.8, seed: int = 0, samples: list[str] | None = None,
                   planted_in: set[str] | None = None):
    """(values as scipy CSR float32, group label per cell, sample label per cell or None).

    With `samples`, cells are spread over them evenly and the axis is planted only in the samples
    of `planted_in` (all samples when None)."""
    from scipy import sparse

    rng = np.random.default_rng(seed)
    group_of = np.array(groups)[np.arange(n_cells) % len(groups)]
    sample_of = None
    if samples:
        sample_of = np.array(samples)[(np.arange(n_cells) // len(groups)) % len(samples)]
    n_genes = len(genes)
    nnz = int(rng.binomial(n_cells * n_genes, background))
    rows = [rng.integers(0, n_cells, size=nnz)]
    cols = [rng.integers(0, n_genes, size=nnz)]
    vals = [rng.uniform(0.2, 1.0, size=nnz).astype(np.float32)]
    active = (np.ones(n_cells, dtype=bool) if sample_of is None or planted_in is None
              else np.isin(sample_of, list(planted_in)))
    for gene, group in ((ligand, sender), (receptor, receiver)):
        cells = np.flatnonzero((group_of == group) & active)
        on = cells[rng.random(cells.size) < planted]
        rows.append(on)
        cols.append(np.full(on.size, genes.index(gene)))
        vals.append(rng.uniform(2.0, 3.0, size=on.size).astype(np.float32))
    m = sparse.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                          shape=(n_cells, n_genes))
    m = m.tocsr()  # duplicates (a background entry where a planted one is) are summed
    m.sum_duplicates()
    return m.astype(np.float32), group_of, sample_of


def write_h5ad(path: str | Path, n_cells: int, genes: list[str], groups: list[str], **kw: Any) -> Path:
    """An AnnData file of planted_counts: obs `cell_type` (and `sample`, `condition` with samples), var_names the genes.
    """
    import anndata
    import pandas as pd

    conditions = kw.pop("conditions", None)
    x, group_of, sample_of = planted_counts(n_cells, genes, groups, **kw)
    obs = pd.DataFrame({"cell_type": pd.Categorical(group_of)}, index=[f"cell{i}" for i in range(n_cells)])
    if sample_of is not None:
        obs["sample"] = pd.Categorical(sample_of)
        if conditions:
            obs["condition"] = pd.Categorical([conditions[s] for s in sample_of])
    adata = anndata.AnnData(X=x, obs=obs, var=pd.DataFrame(index=list(genes)))
    p = Path(path)
    adata.write_h5ad(p)
    return p
