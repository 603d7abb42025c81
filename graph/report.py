"""Text for people: tables and lines that fit a 100-column terminal, JSON for programs.

The CLI formats every result through here, so the look of the output is defined in one place.
Nothing here cuts a value: a table that would be wider than `WIDTH` narrows its widest columns
and wraps their cells onto more lines (and drops trailing columns only when even that cannot
fit); long lines wrap with a hanging indent; paths break after a step. The complete data is
always one `--json` away. Entities are shown by name; ids appear only where a person needs one
to type (`show`'s header and its `[id]` after each neighbour).
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

WIDTH = 100
GAP = "  "


def to_json(data: Any) -> str:
    """JSON as the CLI prints it: indented, UTF-8 names kept as they are."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def _cell(v: Any) -> str:
    if isinstance(v, (list, tuple)):
        v = ", ".join(str(x) for x in v)
    elif isinstance(v, dict):
        v = json.dumps(v, ensure_ascii=False)
    return "" if v is None else " ".join(str(v).split())


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=max(1, width), break_long_words=True, break_on_hyphens=False) or [""]


def table(rows: list[dict[str, Any]], columns: list[str] | None = None, width: int = WIDTH,
          min_widths: dict[str, int] | None = None) -> str:
    """A plain-text table at most `width` characters wide; long cells wrap, never cut.

    Columns are narrowed widest first down to their minimum (the header, or `min_widths`, at
    most 12 characters); if the table is still too wide, columns are dropped from the right and
    a last line names them (`--json` has everything).
    """
    if not rows:
        return "(no rows)"
    columns = columns or list(dict.fromkeys(k for r in rows for k in r))
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    natural = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    floors = [min(natural[i], max(len(c), (min_widths or {}).get(c, min(12, natural[i])))) for i, c in enumerate(columns)]

    def total(ws: list[int]) -> int:
        return sum(ws) + len(GAP) * (len(ws) - 1)

    keep = len(columns)
    widths = natural[:]
    while total(widths[:keep]) > width:
        slack = [(widths[i] - floors[i], widths[i], -i) for i in range(keep) if widths[i] > floors[i]]
        if not slack:
            if keep == 1:
                break
            keep -= 1
            continue
        _, _, neg_i = max(slack, key=lambda s: (s[1], s[2]))
        widths[-neg_i] -= 1
    widths = widths[:keep]
    out = [_row([c for c in columns[:keep]], widths), GAP.join("-" * w for w in widths)]
    for row in cells:
        out.append(_row(row[:keep], widths))
    if keep < len(columns):
        out.append(f"(not shown, see --json: {', '.join(columns[keep:])})")
    return "\n".join(out)


def _row(values: list[str], widths: list[int]) -> str:
    wrapped = [_wrap(v, w) for v, w in zip(values, widths)]
    height = max(len(w) for w in wrapped)
    lines = []
    for j in range(height):
        parts = [(w[j] if j < len(w) else "").ljust(width) for w, width in zip(wrapped, widths)]
        lines.append(GAP.join(parts).rstrip())
    return "\n".join(lines)


def wrap_line(text: str, indent: int = 0, hanging: int = 4, width: int = WIDTH) -> str:
    """One long line wrapped to `width`, its continuation lines indented a further `hanging`."""
    return "\n".join(textwrap.wrap(" ".join(text.split()), width=width, initial_indent=" " * indent,
                                   subsequent_indent=" " * (indent + hanging), break_long_words=True,
                                   break_on_hyphens=False)) or " " * indent


def format_evidence(ev: dict[str, Any], indent: int = 6) -> str:
    """One evidence record: how it is known and where (support, locator), its reference, design, level and summary."""
    where = f" {ev['locator']}" if ev.get("locator") else ""
    ref = f"ref {ev['ref']}" if ev.get("ref") else "no reference"
    doi = f" doi:{ev['doi']}" if ev.get("doi") else ""
    design = f"{ev['design']} -> " if ev.get("design") else ""
    figs = f" [{ev['figures']}]" if ev.get("figures") else ""
    return wrap_line(f"[{ev.get('support')}{where}] {ref}{doi} | {design}{ev.get('level')} | {ev.get('species')}: "
                     f"{ev.get('summary')}{figs}", indent=indent)


def provenance_lines(counts: dict[str, Any]) -> list[str]:
    """`mechgraph stats`: edges by support and by level, as two small tables and a sentence."""
    lines = [table([{"support": k, "edges": v} for k, v in counts["edges_by_support"].items()])]
    lines.append("(an edge counts under each support its evidence has)")
    lines.append("")
    lines.append(table([{"level (best of the edge)": k, "edges": v} for k, v in counts["edges_by_level"].items()]))
    lines.append("")
    n = counts["edges_without_review_text"]
    parts = ", ".join(f"{k} {v}" for k, v in counts["edges_without_review_text_by_support"].items())
    lines.append(wrap_line(f"{n} edge{'s' if n != 1 else ''} rest only on evidence the review's text does not state"
                           + (f" ({parts})" if parts else "")))
    return lines


def paragraph_table(paragraphs: list[Any], table_rows: list[Any], width: int = 20) -> str:
    """`mechgraph audit --paragraphs`: every locator of the review with its lines, first characters and citations."""
    rows = [
        {"locator": p.locator, "lines": f"{p.first_line}-{p.last_line}", "cites": ",".join(str(n) for n in sorted(p.citations)) or "-",
         "starts": p.text[:width]}
        for p in paragraphs
    ]
    rows += [{"locator": r.locator, "lines": str(r.line), "cites": "-", "starts": f"{r.registry_id} {r.title[:width]}"} for r in table_rows]
    return table(rows)


def counts_line(label: str, counts: dict[str, int], width: int = WIDTH) -> str:
    """`label: a 1, b 2, ...` wrapped under its label."""
    text = ", ".join(f"{k} {v}" for k, v in counts.items())
    pad = len(label) + 1
    body = textwrap.wrap(text, width=width - pad) or [""]
    return "\n".join([f"{label} {body[0]}"] + [" " * pad + b for b in body[1:]])


def gaps_text(groups: dict[str, list[dict[str, Any]]], names: dict[str, str], width: int = WIDTH) -> str:
    """Mechanisms with only preclinical or in vitro support, by group, named."""
    out = []
    for group, rows in groups.items():
        out.append(f"{group} ({len(rows)})")
        for r in rows:
            src, dst = names.get(r["source"], r["source"]), names.get(r["target"], r["target"])
            out.append(wrap_line(f"{src} -{r['relation']} ({r['sign']})-> {dst}; "
                                 f"{'/'.join(r['levels'])}; ref {', '.join(str(x) for x in r['refs'])}", indent=2, width=width))
    return "\n".join(out)


def node_names(g: Any) -> dict[str, str]:
    """id -> name for every node of a graph (the id where a node has no name)."""
    return {n: str(a.get("name") or n) for n, a in g.nodes(data=True)}
