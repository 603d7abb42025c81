"""Text for people: tables that fit a terminal, JSON for programs, and one-line renderings of paths and evidence.

The CLI formats every result through here, so the look of the output is defined in one place.
"""

from __future__ import annotations

import json
from typing import Any


def to_json(data: Any) -> str:
    """JSON as the CLI prints it: indented, UTF-8 names kept as they are."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def table(rows: list[dict[str, Any]], columns: list[str] | None = None, max_width: int = 60) -> str:
    """A plain-text table; long cells are cut with an ellipsis."""
    if not rows:
        return "(no rows)"
    columns = columns or list(dict.fromkeys(k for r in rows for k in r))

    def cell(v: Any) -> str:
        if isinstance(v, (list, tuple)):
            v = ", ".join(str(x) for x in v)
        elif isinstance(v, dict):
            v = json.dumps(v, ensure_ascii=False)
        s = "" if v is None else str(v).replace("\n", " ")
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    cells = [[cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(x.ljust(w) for x, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines)


def format_evidence(ev: dict[str, Any]) -> str:
    """One evidence record: how it is known and where (support, locator), its reference, design, level and summary."""
    where = f" {ev['locator']}" if ev.get("locator") else ""
    ref = f"ref {ev['ref']}" if ev.get("ref") else "no reference"
    doi = f" doi:{ev['doi']}" if ev.get("doi") else ""
    design = f"{ev['design']} -> " if ev.get("design") else ""
    figs = f" [{ev['figures']}]" if ev.get("figures") else ""
    return f"      [{ev.get('support')}{where}] {ref}{doi} | {design}{ev.get('level')} | {ev.get('species')}: {ev.get('summary')}{figs}"


def provenance_lines(counts: dict[str, Any]) -> list[str]:
    """`mechgraph stats`: edges by support and by level, as two small tables and a sentence."""
    lines = [table([{"support": k, "edges": v} for k, v in counts["edges_by_support"].items()])]
    lines.append("(an edge counts under each support its evidence has)")
    lines.append("")
    lines.append(table([{"level (best of the edge)": k, "edges": v} for k, v in counts["edges_by_level"].items()]))
    lines.append("")
    n = counts["edges_without_review_text"]
    parts = ", ".join(f"{k} {v}" for k, v in counts["edges_without_review_text_by_support"].items())
    lines.append(f"{n} edge{'s' if n != 1 else ''} rest only on evidence the review's text does not state" + (f" ({parts})" if parts else ""))
    return lines


def paragraph_table(paragraphs: list[Any], table_rows: list[Any], width: int = 20) -> str:
    """`mechgraph audit --paragraphs`: every locator of the review with its lines, first characters and citations."""
    rows = [
        {"locator": p.locator, "lines": f"{p.first_line}-{p.last_line}", "cites": ",".join(str(n) for n in sorted(p.citations)) or "-",
         "starts": p.text[:width]}
        for p in paragraphs
    ]
    rows += [{"locator": r.locator, "lines": str(r.line), "cites": "-", "starts": f"{r.registry_id} {r.title[:width]}"} for r in table_rows]
    return table(rows, max_width=80)


def path_line(p: dict[str, Any], names: dict[str, str]) -> str:
    parts = [names.get(p["steps"][0]["source"] if not p["steps"][0].get("reversed") else p["steps"][0]["target"], "?")]
    for st in p["steps"]:
        refs = ",".join(st["refs"]) or "-"
        arrow = f"-[{st['relation']} {st['sign']} | ref {refs}]->" if not st.get("reversed") else f"<-[{st['relation']} {st['sign']} | ref {refs}]-"
        nxt = st["target"] if not st.get("reversed") else st["source"]
        parts.append(f"{arrow} {names.get(nxt, nxt)}")
    return " ".join(parts)
