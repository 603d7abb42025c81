"""Reading expression data: AnnData (.h5ad) single-cell files, or CSV/TSV tables of genes x samples or groups.

Two steps, so that only the graph's genes are ever held in memory as a dense array:
`open_expression` reads the file and its annotations and checks the options against them;
`Expression.load(symbols)` then keeps just those columns, as float32, cells x genes.

AnnData: the matrix is `.raw.X` when the file has `.raw` (LIANA+'s default, `use_raw=True`), else
`.X`; `--layer NAME` picks a layer instead (`X` and `raw` name those two). Values must be
non-negative, log-normalised expression: scaled data (negative values) is refused. `--groupby`
names the obs column of cell groups, `--sample` the one of samples; `--gene-column` a var column
of symbols when var_names are not symbols (Ensembl ids, say).

Tables (.csv, .tsv, .txt, optionally gzipped): the first row names the columns, the first column
holds gene symbols, every other column is one cell group (or one bulk sample) and holds its mean
expression. There are no cells, so no expression fractions and no permutations; the scores say so.
Tables need only numpy, not the omics extra.

Limits, each raised by an option: a table (after unpacking a .gz) may hold at most
`max_table_mb` megabytes (`--max-table-mb`), checked before reading and while unpacking, so a
small .gz cannot unpack to gigabytes; the data may have at most `max_groups` cell groups
(`--max-groups`), because the ligand-receptor scores cost grows with the square of the groups.
A file with no cells, or whose --groupby column labels no cell, is refused.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import warnings
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DataError, InputTooLarge
from ..fsio import gunzip_limited, read_limited
from ..schema import did_you_mean
from .extras import require

TABLE_SUFFIXES = {".csv": ",", ".tsv": "\t", ".txt": "\t", ".tab": "\t"}
H5AD_SUFFIXES = (".h5ad",)
MAX_LABELS_SHOWN = 12
MAX_GROUPS = 200  # cell groups (table columns): ligand-receptor scores cost groups squared
MAX_TABLE_MB = 500  # a table's size after unpacking; the parsed table takes several times as much memory


def _one_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return f"{type(e).__name__}: {text[0][:200]}" if text else type(e).__name__


def _listing(items: list[str]) -> str:
    shown = ", ".join(repr(x) for x in items[:MAX_LABELS_SHOWN])
    return shown + (f" and {len(items) - MAX_LABELS_SHOWN} more" if len(items) > MAX_LABELS_SHOWN
                    else "") if items else "(none)"


@dataclass
class Expression:
    """Expression data: per observation (a cell, or a table column), its group and sample, and the kept genes."""

    path: str
    kind: str  # "cells" (AnnData) or "table" (genes x groups)
    symbols: list[str]  # every gene symbol of the file
    group_labels: list[str]
    group_codes: np.ndarray  # (n_obs,) index into group_labels; -1 = no group (dropped)
    matrix_name: str
    sample_labels: list[str] | None = None
    sample_codes: np.ndarray | None = None
    condition_of: dict[str, str] | None = None  # sample -> condition (for --compare)
    notes: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    values: np.ndarray | None = None  # (n_obs, len(kept)) float32, after load()
    _matrix: Any = None  # the source matrix (AnnData's or the table's), all genes
    _column: dict[str, int] = field(default_factory=dict)

    @property
    def n_obs(self) -> int:
        return int(self.group_codes.shape[0])

    @property
    def has_cells(self) -> bool:
        return self.kind == "cells"

    def load(self, symbols: list[str]) -> None:
        """Keep only these gene columns, as a dense float32 array (observations x genes)."""
        idx = [self._column[s] for s in symbols]
        m = self._matrix[:, idx] if idx else np.zeros((self.n_obs, 0), dtype=np.float32)
        if hasattr(m, "toarray"):
            m = m.toarray()
        m = np.asarray(m, dtype=np.float32)
        if m.size and not np.isfinite(m).all():
            raise DataError(f"{self.path}: the expression matrix ({self.matrix_name}) has NaN or infinite values in "
                            "the graph's genes")
        if m.size and float(m.min()) < 0:
            raise DataError(f"{self.path}: the expression matrix ({self.matrix_name}) has negative values (scaled "
                            "data?); "
                            "give log-normalised expression (choose it with --layer NAME)")
        self.kept, self.values = list(symbols), m
        self._matrix = None  # free the full matrix


def open_expression(path: str | Path, *, groupby: str | None = None, sample: str | None = None,
                    layer: str | None = None, gene_column: str | None = None, condition: str | None = None,
                    max_groups: int = MAX_GROUPS, max_table_mb: int = MAX_TABLE_MB) -> Expression:
    """Read an expression file and check the options against it (see the module docstring)."""
    expr = _open(Path(path), groupby=groupby, sample=sample, layer=layer, gene_column=gene_column, condition=condition,
                 max_table_mb=max_table_mb)
    if len(expr.group_labels) > max_groups:
        what = "columns (groups)" if expr.kind == "table" else f"{groupby!r} groups"
        raise DataError(f"{expr.path}: {len(expr.group_labels)} {what}, over the limit of {max_groups}: the "
                        "ligand-receptor "
                        "scores cost grows with the square of the groups; group the cells more coarsely, or raise "
                        "--max-groups")
    return expr


def _open(p: Path, *, groupby, sample, layer, gene_column, condition, max_table_mb: int) -> Expression:
    if not p.exists():
        raise DataError(f"{p}: no such file")
    if p.is_dir():
        raise DataError(f"{p}: is a folder; give an .h5ad, .csv or .tsv file")
    suffixes = [s.lower() for s in p.suffixes]
    base = (suffixes[-2] if suffixes and suffixes[-1] == ".gz" and len(suffixes) > 1
            else (suffixes[-1] if suffixes else ""))
    if base in H5AD_SUFFIXES:
        return _open_h5ad(p, groupby=groupby, sample=sample, layer=layer, gene_column=gene_column, condition=condition)
    if base in TABLE_SUFFIXES:
        for opt, value in (("--groupby", groupby), ("--sample", sample), ("--layer", layer),
                           ("--gene-column", gene_column), ("--condition", condition)):
            if value is not None:
                raise DataError(f"{p}: {opt} is for AnnData files; in a table every column is one group and the first "
                                "column holds the genes")
        return _open_table(p, TABLE_SUFFIXES[base], max_table_mb)
    raise DataError(f"{p}: unknown file type {''.join(p.suffixes) or '(no suffix)'}; expected .h5ad, .csv or .tsv "
                    "(optionally .gz)")


# --- AnnData ------------------------------------------------------------------------------------


def _obs_column(adata: Any, path: Path, name: str, option: str) -> Any:
    cols = [str(c) for c in adata.obs.columns]
    if name not in adata.obs.columns:
        raise DataError(f"{path}: no obs column {name!r} for {option}{did_you_mean(name, cols)}; columns: "
                        f"{_listing(cols)}")
    return adata.obs[name]


def _codes(column: Any) -> tuple[list[str], np.ndarray]:
    """Category labels and an int code per row (-1 where the label is missing)."""
    pd = require("pandas", "reading AnnData")
    cat = column if isinstance(column.dtype, pd.CategoricalDtype) else column.astype("category")
    cat = cat.cat.remove_unused_categories()
    labels = [str(c) for c in cat.cat.categories]
    if len(set(labels)) != len(labels):
        raise DataError(f"the obs column {column.name!r} has labels that differ only in type (e.g. 1 and '1')")
    return labels, np.asarray(cat.cat.codes, dtype=np.int32)


def _open_h5ad(path: Path, *, groupby, sample, layer, gene_column, condition) -> Expression:
    anndata = require("anndata", "reading .h5ad files")
    if path.suffix.lower() == ".gz":
        raise DataError(f"{path}: gunzip the .h5ad file first (HDF5 files are compressed inside)")
    try:
        with warnings.catch_warnings():  # anndata's notes on old file layouts are not the user's concern
            warnings.simplefilter("ignore")
            adata = anndata.read_h5ad(path)
    except Exception as e:  # h5py and anndata raise many kinds for a damaged or foreign file
        raise DataError(f"{path}: cannot read as AnnData (.h5ad): {_one_line(e)}") from None
    if groupby is None:
        cats = [str(c) for c in adata.obs.columns if str(adata.obs[c].dtype) in ("category", "object")]
        raise DataError(f"{path}: say which obs column holds the cell groups with --groupby; categorical columns: "
                        f"{_listing(cats)}")
    if layer is None:
        layer = "raw" if adata.raw is not None else "X"
    if layer == "raw":
        if adata.raw is None:
            raise DataError(f"{path}: the file has no .raw; choose a layer with --layer "
                            f"({_listing(['X', *map(str, adata.layers)])})")
        matrix, var, name = adata.raw.X, adata.raw.var, ".raw.X"
    elif layer == "X":
        matrix, var, name = adata.X, adata.var, ".X"
    elif layer in adata.layers:
        matrix, var, name = adata.layers[layer], adata.var, f".layers[{layer!r}]"
    else:
        names = ["X", *(["raw"] if adata.raw is not None else []), *map(str, adata.layers)]
        raise DataError(f"{path}: no layer {layer!r}{did_you_mean(layer, names)}; layers: {_listing(names)}")
    if matrix is None:
        raise DataError(f"{path}: {name} holds no matrix")
    if matrix.shape != (adata.n_obs, var.shape[0]):
        raise DataError(f"{path}: {name} has shape {matrix.shape}, but the file has {adata.n_obs} cells and "
                        f"{var.shape[0]} genes")
    if gene_column is not None:
        if gene_column not in var.columns:
            cols = [str(c) for c in var.columns]
            raise DataError(f"{path}: no var column {gene_column!r} for "
                            f"--gene-column{did_you_mean(gene_column, cols)}; columns: {_listing(cols)}")
        symbols = [str(s) for s in var[gene_column]]
    else:
        symbols = [str(s) for s in var.index]
    if adata.n_obs == 0:
        raise DataError(f"{path}: the file holds no cells")
    labels, codes = _codes(_obs_column(adata, path, groupby, "--groupby"))
    if not labels or not (codes >= 0).any():
        raise DataError(f"{path}: no cell has a {groupby!r} label (the column is empty or all missing)")
    expr = Expression(str(path), "cells", symbols, labels, codes, name, _matrix=matrix)
    if sample is not None:
        expr.sample_labels, expr.sample_codes = _codes(_obs_column(adata, path, sample, "--sample"))
    if condition is not None:
        if sample is None:
            raise DataError(f"{path}: --condition needs --sample: conditions are compared over replicate samples")
        expr.condition_of = _conditions(adata, path, condition, expr)
    dropped = int((codes < 0).sum())
    if dropped:
        expr.notes.append(f"{dropped} cells have no {groupby!r} label and are left out")
    expr._column = _first_columns(symbols, expr)
    return expr


def _conditions(adata: Any, path: Path, condition: str, expr: Expression) -> dict[str, str]:
    labels, codes = _codes(_obs_column(adata, path, condition, "--condition"))
    samples, sample_codes = expr.sample_labels or [], expr.sample_codes
    out: dict[str, str] = {}
    for s, label in enumerate(samples):
        seen = set(codes[sample_codes == s].tolist()) - {-1}
        if len(seen) > 1:
            raise DataError(f"{path}: sample {label!r} has cells of several {condition!r} values "
                            f"({', '.join(labels[c] for c in sorted(seen))}); a condition must be constant within a "
                            "sample")
        if seen:
            out[label] = labels[seen.pop()]
    return out


def _first_columns(symbols: list[str], expr: Expression) -> dict[str, int]:
    column: dict[str, int] = {}
    duplicates = 0
    for i, s in enumerate(symbols):
        if s in column:
            duplicates += 1
        else:
            column[s] = i
    if duplicates:
        expr.notes.append(f"{duplicates} gene symbols appear more than once; the first column of each is used")
    return column


# --- tables -------------------------------------------------------------------------------------


def _open_table(path: Path, delimiter: str, max_table_mb: int = MAX_TABLE_MB) -> Expression:
    limit = max_table_mb * 1_000_000
    try:
        raw = read_limited(path, limit, what="table", raise_with="raise --max-table-mb")
        if path.suffix.lower() == ".gz":
            raw = gunzip_limited(raw, limit, where=str(path), raise_with="raise --max-table-mb")
        text = raw.decode("utf-8-sig")
    except InputTooLarge as e:
        raise DataError(str(e)) from None
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as e:
        raise DataError(f"{path}: cannot read the file: {_one_line(e)}") from None
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise DataError(f"{path}:{line}: not UTF-8 text; is this really a {'CSV' if delimiter == ',' else 'TSV'} "
                        "table?") from None
    if "\x00" in text:
        raise DataError(f"{path}:{text[: text.index(chr(0))].count(chr(10)) + 1}: binary data, not a text table")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(f"{path}:1: the table is empty") from None
    except csv.Error as e:
        raise DataError(f"{path}:1: {e}") from None
    if len(header) < 2:
        raise DataError(f"{path}:1: expected a gene column and at least one group column separated by {delimiter!r}")
    groups = [h.strip() for h in header[1:]]
    for i, gname in enumerate(groups):
        if not gname:
            raise DataError(f"{path}:1: column {i + 2} has no name")
        if gname in groups[:i]:
            raise DataError(f"{path}:1: column name {gname!r} appears twice")
    symbols: list[str] = []
    rows: list[list[float]] = []
    seen: dict[str, int] = {}
    duplicates = 0
    try:
        for row in reader:
            line = reader.line_num
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) != len(header):
                raise DataError(f"{path}:{line}: {len(row)} fields, but the header has {len(header)}")
            gene = row[0].strip()
            if not gene:
                raise DataError(f"{path}:{line}: no gene symbol in the first column")
            try:
                vals = [float(c) if c.strip() else math.nan for c in row[1:]]
            except ValueError:
                bad = next(c for c in row[1:] if not _is_number(c))
                raise DataError(f"{path}:{line}: {bad[:40]!r} is not a number") from None
            if gene in seen:
                duplicates += 1
                continue
            seen[gene] = line
            symbols.append(gene)
            rows.append(vals)
    except csv.Error as e:
        raise DataError(f"{path}:{reader.line_num}: {e}") from None
    if not rows:
        raise DataError(f"{path}:2: the table has a header but no gene rows")
    matrix = np.asarray(rows, dtype=np.float64).T  # groups x genes
    expr = Expression(str(path), "table", symbols, groups, np.arange(len(groups), dtype=np.int32), "table",
                      _matrix=matrix)
    expr._column = {s: i for i, s in enumerate(symbols)}
    if duplicates:
        expr.notes.append(f"{duplicates} gene rows repeat an earlier symbol; the first row of each is used")
    return expr


def _is_number(c: str) -> bool:
    try:
        float(c)
        return True
    except ValueError:
        return not c.strip()
