"""How each evidence record is known: its support, where the review says it, and the level its study design lends.

Every evidence record names a `support` (schema.SUPPORTS): the review's own text, only a cited
reference's title, the curators' background knowledge, or a hypothesis the review proposes. A
`review_text` or `hypothesis` record names a `locator`, the paragraph or table row of the review
(schema.LOCATOR_RE; `mechgraph audit` checks it against the review's text). The record's
evidence `level` is never a free choice: it is the level of the study design the record rests on
(schema.STUDY_DESIGNS), which is one of its reference's designs. A hand-set level that
contradicts this is refused, so a guideline can never lend clinical-trial level.

This module checks one record at a time (the loader calls it) and counts a built graph's edges
by support and level (`mechgraph stats`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import networkx as nx

from .. import schema
from ..edges import edge_supports

# Supports whose records must say where in the review the statement is.
LOCATED_SUPPORTS = ("review_text", "hypothesis")

Report = Callable[[int, str], None]


def _short(v: Any, limit: int = 60) -> str:
    s = repr(v)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def read_designs(value: Any, line: int, err: Report) -> list[str]:
    """A reference's `design`: one design name or a list of them (YAML nodes or plain values)."""
    items = value if isinstance(value, list) else [value]
    if not items:
        err(line, "'design' must name at least one study design")
    out: list[str] = []
    for item in items:
        v = getattr(item, "value", item)
        where = getattr(item, "line", line)
        if not isinstance(v, str):
            err(where, f"'design' must be a study design name or a list of them ({', '.join(schema.STUDY_DESIGNS)})")
            continue
        if v.strip() not in schema.STUDY_DESIGNS:
            err(where, f"unknown study design {_short(v)}{schema.did_you_mean(v, schema.STUDY_DESIGNS)}; expected one "
                       f"of {', '.join(schema.STUDY_DESIGNS)}")
            continue
        if v.strip() not in out:
            out.append(v.strip())
    return out


def check_record(ev: dict[str, Any], ref: dict[str, Any] | None, fields: dict[str, Any], line: int,
                 err: Report) -> None:
    """Fill `support`, `locator`, `design` and `level` of one evidence record, reporting every problem.

    `ev` holds the record read so far (`ref` among it), `ref` the reference entry it cites (None
    when it cites none or an unknown one), `fields` maps field name -> (text value, line) for the
    record's `support`, `locator`, `design` and `level` (value None when absent).
    """
    support, support_line = fields["support"]
    if support is None:
        err(line, f"evidence without 'support': say how it is known ({', '.join(schema.SUPPORTS)})")
    elif support not in schema.SUPPORTS:
        err(support_line,
            f"unknown support {_short(support)}{schema.did_you_mean(support, schema.SUPPORTS)}; expected one of "
            f"{', '.join(schema.SUPPORTS)}")
        support = None
    ev["support"] = support

    locator, locator_line = fields["locator"]
    if locator is not None and not schema.LOCATOR_RE.match(locator):
        err(locator_line,
            f"malformed locator {_short(locator)}; write 'intro ¶N', '1.1 ¶N', '2 ¶N', 'abstract' or 'table 1 row N'")
        locator = None
    elif locator is None and support in LOCATED_SUPPORTS:
        err(support_line,
            f"a {support} record needs a 'locator': where the review says it (e.g. '1.3 ¶2' or 'table 1 row 4')")
    if locator is not None:
        ev["locator"] = locator

    design, design_line = fields["design"]
    designs: list[str] = ref["design"] if ref is not None else []
    if design is not None and design not in schema.STUDY_DESIGNS:
        err(design_line, f"unknown study design {_short(design)}{schema.did_you_mean(design, schema.STUDY_DESIGNS)}")
        design = None
    elif design is not None and ref is not None and designs and design not in designs:
        err(design_line, f"design {design!r} is not one of reference {ref['ref']}'s designs ({', '.join(designs)})")
        design = None
    elif design is None and ref is not None:
        if len(designs) == 1:
            design = designs[0]
        elif len(designs) > 1:
            err(line, f"reference {ref['ref']} has several designs ({', '.join(designs)}); say which one this record "
                      "rests on with 'design:'")
    if design is not None:
        ev["design"] = design
    if design is not None:
        derived = schema.design_level(design)
    else:
        derived = "expert_statement" if ev.get("ref") is None else None

    level, level_line = fields["level"]
    if level is not None and level not in schema.EVIDENCE_LEVELS:
        err(level_line, f"unknown evidence level {_short(level)}; expected one of {', '.join(schema.EVIDENCE_LEVELS)}")
    elif level is not None and derived is not None and level != derived:
        basis = f"design {design!r}" if design else "a record without a reference"
        err(level_line, f"level {level!r} contradicts {basis}, which gives {derived!r}; drop 'level' (it is derived) "
                        "or fix the design")
    ev["level"] = derived if derived is not None else level


def provenance_counts(g: nx.MultiDiGraph) -> dict[str, Any]:
    """Edges counted by support (an edge counts under each support it has) and by best level.

    Also: evidence records by support, and how many edges have no `review_text` record at all
    (the edges the review itself does not state).
    """
    by_support: Counter[str] = Counter()
    by_level: Counter[str] = Counter()
    records: Counter[str] = Counter()
    only_other = 0
    only: Counter[str] = Counter()
    for _, _, a in g.edges(data=True):
        evidence = a.get("evidence") or []
        supports = edge_supports(a)
        for s in supports:
            by_support[s] += 1
        for e in evidence:
            records[e.get("support") or "(none)"] += 1
        if "review_text" not in supports:
            only_other += 1
            only[", ".join(supports) or "(none)"] += 1
        by_level[a.get("level") or "(none)"] += 1

    def ordered(c: Counter[str], order: list[str] | tuple[str, ...]) -> dict[str, int]:
        return {k: c[k] for k in [*order, *sorted(set(c) - set(order))] if c.get(k)}

    return {
        "edges_by_support": ordered(by_support, list(schema.SUPPORTS)),
        "edges_by_level": ordered(by_level, list(schema.EVIDENCE_LEVELS)),
        "edges_without_review_text": only_other,
        "edges_without_review_text_by_support": dict(sorted(only.items())),
        "evidence_by_support": ordered(records, list(schema.SUPPORTS)),
    }
