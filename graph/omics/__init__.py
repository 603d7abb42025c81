"""Omics: a researcher's own expression data laid over the mechanism graph.

`read` loads an AnnData file (.h5ad) or a CSV/TSV table of genes x samples or cell groups and
keeps only the graph's genes; `genes` finds the graph's genes by their HGNC symbols and synonyms,
its ligand-receptor pairs from its own edges, and the groups that stand for its cell entities (a
mapping file the user can edit, names and synonyms otherwise); `score` computes what each group
expresses and the activity of every ligand -> receptor edge per sender -> receiver pair (the
CellPhoneDB statistic as LIANA+ computes it, with a label-permutation p-value) and says which
mechanisms the data supports and which are silent; `rank` re-ranks candidate targets by that,
per cohort or per sample, and compares two conditions over replicate samples; `lr_import` merges
the OmniPath ligand-receptor consensus that the `liana` package ships as a second source;
`picture` turns an overlay into the attributes the pictures colour by. `extras` imports the
heavy packages (anndata, pandas, scanpy, liana) of the optional extra (`pip install
'mechgraph[omics]'`) only where used. The command line writes all of it as text
(mechgraph.cli.omics_text). This layer may import analysis, store, curation, schema, props, fsio
and errors.
"""

from .lr_import import import_omnipath_lr, write_outputs
from .picture import annotate, overlay_graph
from .rank import targets_for_data
from .score import Overlay, OverlayOptions, run_overlay

__all__ = ["Overlay", "OverlayOptions", "annotate", "import_omnipath_lr", "overlay_graph", "run_overlay",
           "targets_for_data", "write_outputs"]
