"""Analysis: the questions users bring, answered on the mechanism graph.

`paths` finds signed mechanism paths with the evidence of every step (directed, or toward a
therapy's mechanism of action); `targets` ranks candidate targets with the reasons for each
score; `effects` gives a therapy's net effect on an outcome, decided level by level of evidence
(`hierarchy`); `combine` shows where two therapies' mechanisms meet and the escape routes around
one; `gaps` lists mechanisms that lack clinical evidence. Beside them: `therapies` (a therapy's
classes and members, which answer for each other), `chains` (the molecular chain a summary edge
records), `strata` (a disease subtype's characterizing features). The signed search: `index`
(the graph's mechanism steps, numbered), `search` (k best signed paths, reach), `sweeps` (the
vectorised Bellman-Ford sweeps over the whole graph) and `semantics` (a step's cost, a path's
score; what an edge means is `mechgraph.edges`). `bounded` fetches from a BoundedBackend (Neo4j)
only the part of the graph a question needs. Each analysis works on a NetworkX MultiDiGraph (what
a backend hands over); this layer imports `schema`, `edges` and `errors`, and the store below it.
The names below are what the command line uses.
"""

from .bounded import combine_in, escape_routes_in, find_paths_in, therapy_effect_in
from .gaps import evidence_gaps
from .paths import PathOptions, find_paths, through_text
from .targets import rank_targets

__all__ = ["PathOptions", "combine_in", "escape_routes_in", "evidence_gaps", "find_paths", "find_paths_in",
           "rank_targets", "therapy_effect_in", "through_text"]
