"""Terminal output, shaped in one place: one width, one wrap, tables, JSON, and how every command ends.

Every command ends with `finish`: the data as JSON for programs (`--json`), else as text for
people. Text is at most `WIDTH` columns. Nothing here cuts a value: `wrap` breaks a paragraph at
spaces (never inside a hyphenated name) with a hanging indent; a table that would be wider than
`WIDTH` narrows its widest columns and wraps their cells onto more lines (and drops trailing
columns only when even that cannot fit, naming them); paths break after a step. The complete data
is always one `--json` away. Entities are shown by name; ids appear only where a person needs one
to type (`show`'s header and its `[id]` after each neighbour).

Everything printed, text and JSON, passes through `mechgraph.fsio.SanitizedStream` (installed by
`mechgraph.cli.app.main`): the one escape of control characters, so names in the data can neither
move the cursor nor recolour the terminal.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from typing import Any

import click

WIDTH = 100
GAP = "  "


def to_json(data: Any) -> str:
    """JSON as the CLI prints it: indented, UTF-8 names kept as they are."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def finish(data: Any, as_json: bool, text: Callable[[Any], str]) -> None:
    """The end of every command that answers: `data` as JSON (`--json`), else `text(data)`."""
    click.echo(to_json(data) if as_json else text(data))


def one_line(value: Any) -> str:
    """A value as one line of text: lists joined with commas, runs of whitespace (newlines too) as one space."""
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(x) for x in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False)
    return "" if value is None else " ".join(str(value).split())


def wrap(text: str, indent: str = "", hanging: int = 2, width: int = WIDTH) -> str:
    """One paragraph wrapped at `width`: the first line indented by `indent`, the others `hanging`
    spaces further. Words break only when longer than a line, never at a hyphen."""
    return "\n".join(textwrap.wrap(text, width=max(1, width), initial_indent=indent,
                                   subsequent_indent=indent + " " * hanging,
                                   break_long_words=True, break_on_hyphens=False)) or indent


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
    cells = [[one_line(r.get(c)) for c in columns] for r in rows]
    natural = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    floors = [min(natural[i], max(len(c), (min_widths or {}).get(c, min(12, natural[i])))) for i,
              c in enumerate(columns)]

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
    out = [_row(list(columns[:keep]), widths), GAP.join("-" * w for w in widths)]
    for row in cells:
        out.append(_row(row[:keep], widths))
    if keep < len(columns):
        out.append(f"(not shown, see --json: {', '.join(columns[keep:])})")
    return "\n".join(out)


def _row(values: list[str], widths: list[int]) -> str:
    wrapped = [wrap(v, hanging=0, width=w).split("\n") for v, w in zip(values, widths, strict=True)]
    height = max(len(w) for w in wrapped)
    lines = []
    for j in range(height):
        parts = [(w[j] if j < len(w) else "").ljust(width) for w, width in zip(wrapped, widths, strict=True)]
        lines.append(GAP.join(parts).rstrip())
    return "\n".join(lines)


def counts_line(label: str, counts: dict[str, int], width: int = WIDTH) -> str:
    """`label a 1, b 2, ...` wrapped under its label."""
    text = ", ".join(f"{k} {v}" for k, v in counts.items())
    return wrap(f"{label} {text}", hanging=len(label) + 1, width=width)


def names_of(g: Any) -> dict[str, str]:
    """id -> name for every node of a graph (the id where a node has no name)."""
    return {n: str(a.get("name") or n) for n, a in g.nodes(data=True)}
