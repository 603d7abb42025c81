"""Omics: a researcher's own expression data laid over the mechanism graph (layer 5b).

`read` loads an AnnData file (.h5ad) or a CSV/TSV table of genes x samples or cell groups and
keeps only the graph's genes; `genes` finds the graph's genes by their HGNC symbols and synonyms,
its ligand-receptor pairs from its own edges, and the groups that stand for its cell entities (a
mapping file the user can edit, names and synonyms otherwise); `score` computes what each group
expresses and the activity of every ligand -> receptor edge per sender -> receiver pair (the
CellPhoneDB statistic as LIANA+ computes it, with a label-permutation p-value) and says which
mechanisms the data supports and which are silent; `rank` re-ranks candidate targets by that,
per cohort or per sample, and compares two conditions over replicate samples; `lr_import` merges
the OmniPath ligand-receptor consensus that the `liana` package ships as a second source; `text`
formats all of it for the terminal, `picture` for the HTML page. The heavy packages (anndata,
pandas, scanpy, liana) are optional (`pip install 'mechgraph[omics]'`) and imported only where
used. This layer may import analysis, store, curation, schema, props and errors.
"""
