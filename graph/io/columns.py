"""Columns other tools expect, derived from the mechanism graph in one place for every format.

Cytoscape reads a node's `name`, an edge's `interaction`, and numbers it can map to a style;
NDEx reads the CURIE a node `represents`; Biolink wants categories and predicates. The exports
(GraphML, CX2, SIF, KGX) and the pictures take these values from here, so a column means the same
in every file:

- `sign`: +1 (activates, promotes, ...), -1 (inhibits, kills), 0 (unsigned or structural); the
  graph's own symbol ("+", "-", "0", "=") travels as `sign_symbol` where a format keeps it;
- `score`: the weight of the edge's evidence, the number the path search gives one step with
  all of its records: the strongest level (randomised trial 1.0, non-randomised trial 0.95, observational human
  0.9, case report 0.85, preclinical in vivo 0.8, in vitro 0.7, expert statement 0.6, none 0.5), raised 5%
  per further reference, at most 1.0, and x0.7 when only a reference's title supports it; a test
  holds it equal to the path search's step weight on every seed edge;
- `supports`: how the edge is known (review_text, reference_title, curator, hypothesis), read from
  the edge's `supports` or its evidence records' `support`, whichever the graph carries.
"""

from __future__ import annotations

from typing import Any

from .. import schema

# edge meaning (signs, weights, supports) is defined once, in mechgraph.edges
from ..edges import (  # noqa: E402,F401  (re-exported for the formats)
    REVIEW_SUPPORT,
    SIGN_INT,
    SUPPORT_LABELS,
    edge_dois,
    edge_refs,
    edge_supports,
    evidence_weight,
    sign_int,
    sign_symbol,
)

# Which of a node's CURIEs it `represents`, best first (a gene's HGNC symbol before a DOI).
CURIE_PREFERENCE = (
    "HGNC", "hgnc.symbol", "CL", "GO", "MONDO", "DRUGBANK", "mirbase", "mirbase.mature",
    "clinicaltrials", "chictr", "doi",
)








def represents(attrs: dict[str, Any]) -> str | None:
    """The CURIE a node stands for (its best xref), or None when the seeds give none."""
    xrefs = [str(x) for x in attrs.get("xrefs") or []]
    for prefix in CURIE_PREFERENCE:
        for x in xrefs:
            if x.split(":", 1)[0] == prefix:
                return x
    return xrefs[0] if xrefs else None


def biolink_category(attrs: dict[str, Any]) -> str:
    """The node's Biolink category: the one the loader set, else the kind's."""
    if attrs.get("category"):
        return str(attrs["category"])
    kind = attrs.get("kind")
    return schema.ENTITY_KINDS[kind].biolink if kind in schema.ENTITY_KINDS else "biolink:NamedThing"


def biolink_predicate(relation: str) -> str:
    rel = schema.RELATIONS.get(relation)
    return rel.biolink if rel else "biolink:related_to"


def edge_name(source_name: str, relation: str, target_name: str) -> str:
    """An edge's name as Cytoscape writes it: `source (interaction) target`."""
    return f"{source_name} ({relation}) {target_name}"

