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
    doi = f" doi:{ev['doi']}" if ev.get("doi") else ""
    figs = f" [{ev['figures']}]" if ev.get("figures") else ""
    return f"      ref {ev.get('ref')}{doi} | {ev.get('species')} | {ev.get('level')}: {ev.get('summary')}{figs}"


def path_line(p: dict[str, Any], names: dict[str, str]) -> str:
    parts = [names.get(p["steps"][0]["source"] if not p["steps"][0].get("reversed") else p["steps"][0]["target"], "?")]
    for st in p["steps"]:
        refs = ",".join(st["refs"]) or "-"
        arrow = f"-[{st['relation']} {st['sign']} | ref {refs}]->" if not st.get("reversed") else f"<-[{st['relation']} {st['sign']} | ref {refs}]-"
        nxt = st["target"] if not st.get("reversed") else st["source"]
        parts.append(f"{arrow} {names.get(nxt, nxt)}")
    return " ".join(parts)
