"""Analysis: the questions users bring, answered on the mechanism graph.

`paths` finds signed mechanism paths with the evidence of every step; `targets` ranks candidate
targets with the reasons for each score; `effects` sums a therapy's signed effect on an outcome;
`gaps` lists mechanisms that lack clinical evidence; `combine` shows where two therapies' mechanisms
meet and the escape routes around one. `semantics` writes down what an edge means, `index`,
`search` and `arrays` do the signed search, and `regions` fetches only the bounded part of a
Neo4j graph a question needs. Each works on a NetworkX MultiDiGraph (what
a backend hands over); this layer imports `schema` and `errors`, and the store below it.
"""

from .bounded import combine_in, escape_routes_in, find_paths_in, therapy_effect_in
from .gaps import evidence_gaps
from .paths import PathOptions, find_paths, through_text
from .targets import rank_targets

__all__ = ["PathOptions", "combine_in", "escape_routes_in", "evidence_gaps", "find_paths", "find_paths_in", "rank_targets",
           "therapy_effect_in", "through_text"]
