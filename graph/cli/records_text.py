"""The seeds' records as text: an entity with its edges and evidence (`show`), the counts by kind,
relation, support and level (`stats`), the review's locators (`audit --paragraphs`).

Each function takes the command's JSON-ready dict (what --json prints) and returns text shaped by
`mechgraph.cli.text`.
"""

from __future__ import annotations

from typing import Any

from .text import one_line, table, wrap


def evidence_line(ev: dict[str, Any], indent: str = "      ") -> str:
    """One evidence record: how it is known and where (support, locator), its reference, design, level and summary."""
    where = f" {ev['locator']}" if ev.get("locator") else ""
    ref = f"ref {ev['ref']}" if ev.get("ref") else "no reference"
    doi = f" doi:{ev['doi']}" if ev.get("doi") else ""
    design = f"{ev['design']} -> " if ev.get("design") else ""
    figs = f" [{ev['figures']}]" if ev.get("figures") else ""
    return wrap(one_line(f"[{ev.get('support')}{where}] {ref}{doi} | {design}{ev.get('level')} | {ev.get('species')}: "
                         f"{ev.get('summary')}{figs}"), indent, 4)


def entity_text(view: dict[str, Any]) -> str:
    """`mechgraph show`: the entity's names, kind and notes, then its edges out and in, each with its evidence."""
    e = view["entity"]
    zh = f"  {e['name_zh']}" if e.get("name_zh") else ""
    lines = [f"{e.get('name')}{zh}  [{e.get('id')}]  {e.get('kind')} ({e.get('category', '')})"]
    for label in ("synonyms", "xrefs", "axes"):
        if e.get(label):
            lines.append(wrap(one_line(f"{label}: {', '.join(e[label])}"), "  ", 4))
    if e.get("description"):
        lines.append(wrap(one_line(e["description"]), "  ", 0))
    for c in e.get("caveats") or []:
        lines.append(wrap(one_line(f"caveat: {c}"), "  ", 4))
    for title, key, arrow in (("outgoing", "outgoing", "->"), ("incoming", "incoming", "<-")):
        rows = view[key]
        if not rows:
            continue
        lines.append(f"\n{title} ({len(rows)}):")
        for r in rows:
            ctx = f"  ({r['context']})" if r.get("context") else ""
            direction = f" [{r['direction']}]" if r.get("direction") else ""
            supports = r.get("supports") or sorted({ev.get("support") for ev in r.get("evidence") or []
                                                    if ev.get("support")})
            unstated = (f"  (not stated by the review: {', '.join(supports)})" if supports
                        and "review_text" not in supports else "")
            lines.append(wrap(one_line(f"{arrow} {r['relation']} ({r.get('sign')}){direction} {r['other_name']} "
                                       f"[{r['other']}]"
                                       f"{ctx}{unstated}"), "  ", 4))
            for ev in r.get("evidence") or []:
                lines.append(evidence_line(ev))
            for c in r.get("caveats") or []:
                lines.append(wrap(one_line(f"caveat: {c}"), " " * 6, 4))
    return "\n".join(lines)


def stats_text(s: dict[str, Any]) -> str:
    """`mechgraph stats`: the totals, entities by kind, edges by relation, by support and by level."""
    n = s["edges_without_review_text"]
    parts = ", ".join(f"{k} {v}" for k, v in s["edges_without_review_text_by_support"].items())
    return "\n".join([
        f"{s['nodes']} entities, {s['edges']} edges, {s['evidence_records']} evidence records citing "
        f"{s['references_cited']} references",
        "",
        table([{"kind": k, "count": v} for k, v in s["by_kind"].items()]),
        "",
        table([{"relation": k, "count": v} for k, v in s["by_relation"].items()]),
        "",
        table([{"support": k, "edges": v} for k, v in s["edges_by_support"].items()]),
        "(an edge counts under each support its evidence has)",
        "",
        table([{"level (best of the edge)": k, "edges": v} for k, v in s["edges_by_level"].items()]),
        "",
        wrap(f"{n} edge{'s' if n != 1 else ''} rest only on evidence the review's text does not state"
             + (f" ({parts})" if parts else ""), hanging=4),
    ])


def paragraphs_text(review: dict[str, Any], width: int = 20) -> str:
    """`mechgraph audit --paragraphs`: every locator of the review with its lines, first characters and citations."""
    rows = [
        {"locator": p["locator"], "lines": f"{p['first_line']}-{p['last_line']}",
         "cites": ",".join(str(n) for n in p["citations"]) or "-", "starts": p["text"][:width]}
        for p in review["paragraphs"]
    ]
    rows += [{"locator": r["locator"], "lines": str(r["line"]), "cites": "-",
              "starts": f"{r['registry_id']} {r['title'][:width]}"}
             for r in review["table_rows"]]
    return table(rows)
