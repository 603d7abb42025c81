"""What an edge says, as the pictures need it: its sign symbol and how it is known.

A minimal local helper so that `viz` imports nothing of `io` or `analysis` (issue 21): the
same rules as the exports' columns (the edge's own `sign`, else its relation's; the edge's
`supports`, else its evidence records' `support`). When one shared low-level module for edge
meaning exists (`mechgraph/edges.py`), this file should give way to it.
"""

from __future__ import annotations

from typing import Any

from .. import schema

REVIEW_SUPPORT = "review_text"

# How an edge is known, in the page's words (tooltips and legend)
SUPPORT_LABELS = {
    "review_text": "the review states it",
    "reference_title": "only a cited reference's title or abstract says it, not the review",
    "curator": "curators' background knowledge; the review does not state it",
    "hypothesis": "the review proposes or speculates it",
    "database": "a curated resource lists it, not the review",
}

_SIGNS = ("+", "-", "0", "=")


def sign_symbol(attrs: dict[str, Any], relation: str) -> str:
    """The edge's sign as the graph writes it: '+', '-', '0', or '=' for a structural step."""
    given = attrs.get("sign")
    if given in _SIGNS:
        return str(given)
    rel = schema.RELATIONS.get(relation)
    return rel.sign_symbol if rel else "0"


def edge_supports(attrs: dict[str, Any]) -> list[str]:
    """How an edge is known, sorted: the edge's `supports`, else its evidence records' `support`."""
    given = attrs.get("supports")
    if isinstance(given, str):
        return [given]
    if given:
        return sorted({str(s) for s in given})
    return sorted({str(ev["support"]) for ev in attrs.get("evidence") or [] if isinstance(ev, dict) and ev.get("support")})
