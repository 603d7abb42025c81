"""Curation: the seed files a biologist edits, checked and turned into the mechanism graph.

`seeds` reads and validates the YAML seed folder (every problem as FILE:LINE, all at once, nothing
built unless all is valid), with `checker` (the records and the problem collector), `studies`
(clinical study records and the tested_in, reported_in and result edges derived from them),
`proposals` (the review's proposals, stored on the entities they name) and `rules` (the checks
across records: chains, one observation per edge, reference titles, names, which relations join
which kinds); `yaml_tree` keeps the line of every value for those messages;
`provenance` checks how each evidence record is known (support, locator, study design, the level
the design lends) and counts edges by support and level; `build` turns validated records into the
NetworkX MultiDiGraph every other layer reads; `review_text` splits the source review's text into
located paragraphs and table rows; `audit` checks the seeds' locators and citations against it.
This layer imports only `schema`, `edges` and `errors`.
"""

from .audit import audit_seeds
from .build import build_graph, check_seeds, graph_from_seeds
from .provenance import provenance_counts
from .review_text import read_review
from .seeds import SeedData, default_seed_path, packaged_seed_path, read_seeds, validate

__all__ = ["SeedData", "audit_seeds", "build_graph", "check_seeds", "default_seed_path", "graph_from_seeds",
           "packaged_seed_path", "provenance_counts", "read_review", "read_seeds", "validate"]
