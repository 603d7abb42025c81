"""Columns other tools expect of nodes and edges, derived in one place for every format.

Cytoscape reads a node's `name` and an edge's name and `interaction`; NDEx reads the CURIE a
node `represents`; Biolink wants categories and predicates. The exports (GraphML, CX2, SIF, KGX)
take these values from here, so a column means the same in every file. What an edge means, the
values its columns carry, comes from `mechgraph.edges`, which the analyses read too:

- `sign`: +1 (activates, promotes, ...), -1 (inhibits, kills), 0 (unsigned or structural); the
  graph's own symbol ("+", "-", "0", "=") travels as `sign_symbol` where a format keeps it
  (`edges.sign_symbol`, `edges.sign_int`);
- `score`: the weight of the edge's evidence (`edges.evidence_weight`), the number the path
  search gives one step with all of its records; a test holds the two equal on every seed edge;
- `supports`: how the edge is known (`edges.edge_supports`).
"""

from __future__ import annotations

from typing import Any

from .. import schema

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

