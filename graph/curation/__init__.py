"""Curation: the seed files a biologist edits, checked and turned into the mechanism graph.

`seeds` reads and validates the YAML seed folder (every problem as FILE:LINE, all at once, nothing
built unless all is valid); `yaml_tree` keeps the line of every value for those messages; `build`
turns validated records into the NetworkX MultiDiGraph every other layer reads. This layer
imports only `schema` and `errors`.
"""

from .build import build_graph, load_graph
from .seeds import SeedData, default_seed_path, packaged_seed_path, read_seeds, validate

__all__ = ["SeedData", "build_graph", "default_seed_path", "load_graph", "packaged_seed_path", "read_seeds", "validate"]
