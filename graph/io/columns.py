"""Columns other tools expect, derived from the mechanism graph in one place for every format.

Cytoscape reads a node's `name`, an edge's `interaction`, and numbers it can map to a style;
NDEx reads the CURIE a node `represents`; Biolink wants categories and predicates. The exports
(GraphML, CX2, SIF, KGX) and the pictures take these values from here, so a column means the same
in every file:

- `sign`: +1 (activates, promotes, ...), -1 (inhibits, kills), 0 (unsigned or structural); the
  graph's own symbol ("+", "-", "0", "=") travels as `sign_symbol` where a format keeps it;
- `score`: the weight of the edge's evidence, the number the path search gives one step with
  all of its records: the strongest level (clinical trial 1.0, observational human 0.9, case
  report 0.85, preclinical in vivo 0.8, in vitro 0.7, expert statement 0.6, none 0.5), raised 5%
  per further reference, at most 1.0, and x0.7 when only a reference's title supports it; a test
  holds it equal to the path search's step weight on every seed edge;
- `supports`: how the edge is known (review_text, reference_title, curator, hypothesis), read from
  the edge's `supports` or its evidence records' `support`, whichever the graph carries.
"""

from __future__ import annotations

from typing import Any

from .. import schema

# the same weights as the path search (mechgraph.schema holds them for both)
LEVEL_WEIGHT = schema.LEVEL_WEIGHT
NO_LEVEL_WEIGHT = schema.UNKNOWN_LEVEL_WEIGHT
EXTRA_REF_BONUS = schema.EXTRA_REF_BONUS
REFERENCE_TITLE_DISCOUNT = schema.REFERENCE_TITLE_DISCOUNT

SIGN_INT = {"+": 1, "-": -1, "0": 0, "=": 0}

# How an edge is known (issue 11): the review's own text, only a cited reference's title, a
# curator's background knowledge, or a proposal. Read from the data, never required by it.
REVIEW_SUPPORT = "review_text"
SUPPORT_LABELS = {
    "review_text": "the review states it",
    "reference_title": "only a cited reference's title or abstract says it, not the review",
    "curator": "curators' background knowledge; the review does not state it",
    "hypothesis": "the review proposes or speculates it",
}

# Which of a node's CURIEs it `represents`, best first (a gene's HGNC symbol before a DOI).
CURIE_PREFERENCE = (
    "HGNC", "hgnc.symbol", "CL", "GO", "MONDO", "DRUGBANK", "mirbase", "mirbase.mature",
    "clinicaltrials", "chictr", "doi",
)


def evidence_weight(attrs: dict[str, Any]) -> float:
    """Weight in (0, 1] of one edge's evidence: its strongest level (of its records, else the
    edge's), +5% per further reference, x0.7 when every record rests on a reference's title only."""
    records = _records(attrs)
    levels = [str(r["level"]) for r in records if r.get("level")] or ([str(attrs["level"])] if attrs.get("level") else [])
    w = max((LEVEL_WEIGHT.get(lv, NO_LEVEL_WEIGHT) for lv in levels), default=NO_LEVEL_WEIGHT)
    n_refs = len(attrs.get("refs") or [])
    w = min(1.0, w * (1 + EXTRA_REF_BONUS * max(0, n_refs - 1)))
    if records and all(r.get("support") == "reference_title" for r in records):
        w *= REFERENCE_TITLE_DISCOUNT
    return w


def sign_symbol(attrs: dict[str, Any], relation: str) -> str:
    """The edge's sign as the graph writes it: '+', '-', '0', or '=' for a structural step."""
    given = attrs.get("sign")
    if given in SIGN_INT:
        return str(given)
    rel = schema.RELATIONS.get(relation)
    return rel.sign_symbol if rel else "0"


def sign_int(symbol: str) -> int:
    """+1, -1 or 0 for a sign symbol; structural steps ('=') count as unsigned."""
    return SIGN_INT.get(symbol, 0)


def edge_supports(attrs: dict[str, Any]) -> list[str]:
    """How an edge is known, sorted: the edge's `supports`, else its evidence records' `support`."""
    given = attrs.get("supports")
    if isinstance(given, str):
        return [given]
    if given:
        return sorted({str(s) for s in given})
    return sorted({str(ev["support"]) for ev in _records(attrs) if ev.get("support")})


def edge_dois(attrs: dict[str, Any]) -> list[str]:
    """The DOIs of an edge's evidence records, sorted, without repeats."""
    return sorted({str(ev["doi"]) for ev in _records(attrs) if ev.get("doi")})


def edge_refs(attrs: dict[str, Any]) -> list[str]:
    """The reference numbers behind an edge, as text, in the order the graph keeps them."""
    refs = attrs.get("refs")
    if refs:
        return [str(r) for r in refs]
    return list(dict.fromkeys(str(ev["ref"]) for ev in _records(attrs) if ev.get("ref") is not None))


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


def _records(attrs: dict[str, Any]) -> list[dict[str, Any]]:
    return [ev for ev in attrs.get("evidence") or [] if isinstance(ev, dict)]
