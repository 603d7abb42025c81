"""The map's groups: nodes grouped by axis (or by cell type) in titled frames, the frames in rows.

`node_groups` says which group each node is drawn in; `grouped_layout` places the frames in
rows like a justified gallery of pictures (each row as tall as its groups need at the width they
share, the number of rows and the canvas width chosen so the canvas has the window's shape),
swaps groups within rows (and whole rows) while that shortens the lines between groups, flows
each group's nodes in rows inside its frame (linked nodes next to each other), and swaps nodes
inside a frame while that shortens their lines. Packing tightly matters: the map must be drawn
large enough that every label is at least 12 px at 1600x1000.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from typing import Any

import networkx as nx

from .. import schema
from .layout import (
    GROUP_GAP,
    GROUP_PAD,
    GROUP_TITLE_PX,
    PAD_X,
    PAD_Y,
    TITLE_LINE_PX,
    TITLE_PX,
    NodeBox,
    text_width,
)

# --------------------------------------------------------------------------------------------
# Groups
# --------------------------------------------------------------------------------------------

FALLBACK_GROUPS = (
    (("phenotype", "disease"), "Disease and outcomes"),
    (("therapy", "therapy_class", "clinical_trial"), "Therapies"),
    (("publication",), "Publications"),
)
OTHER_GROUP = "Other cells, molecules and processes"


def _fallback_group(kind: str) -> str:
    for kinds, title in FALLBACK_GROUPS:
        if kind in kinds:
            return title
    return OTHER_GROUP


def node_groups(g: nx.MultiDiGraph, by: str = "axis") -> dict[Any, str]:
    """The group each node is drawn in.

    by="axis": the node's first axis (in the order the seeds list axes); an untagged node takes
    the axis most of its edges carry, and one whose edges carry none goes by kind (disease and
    outcomes, cells, processes, therapies, molecules). Untagged outcomes stay together.
    by="cell": each cell type or state is a group with the nodes it is most linked to.
    """
    if by == "cell":
        return _cell_groups(g)
    axes = g.graph.get("axes") or {}
    order = {a: i for i, a in enumerate(axes)}
    title = {a: str((axes.get(a) or {}).get("name") or a) for a in axes}

    def axis_title(a: str) -> str:
        return short_title(title.get(a, a))

    out: dict[Any, str] = {}
    for n, d in g.nodes(data=True):
        tagged = [a for a in d.get("axes") or []]
        if tagged:
            out[n] = axis_title(min(tagged, key=lambda a: (order.get(a, len(order)), a)))
    for n, d in g.nodes(data=True):
        if n in out:
            continue
        kind = str(d.get("kind") or "")
        if kind in schema.OUTCOME_KINDS:
            out[n] = _fallback_group(kind)
            continue
        votes: Counter[str] = Counter()
        for _u, _v, _, ed in _incident(g, n):
            for a in ed.get("axes") or []:
                votes[a] += 1
        if votes:
            best = max(votes.items(), key=lambda kv: (kv[1], -order.get(kv[0], len(order)), kv[0]))[0]
            out[n] = axis_title(best)
        else:
            out[n] = _fallback_group(kind)
    return out


def short_title(name: str) -> str:
    """A group's title on its frame: the name without its parenthesis ("CAF-TAM axis")."""
    head = name.split(" (", 1)[0].strip()
    return head or name


def _cell_groups(g: nx.MultiDiGraph) -> dict[Any, str]:
    cells = [n for n, d in g.nodes(data=True) if d.get("kind") in schema.CELL_KINDS]
    out = {n: str(g.nodes[n].get("name") or n) for n in cells}
    for n, d in g.nodes(data=True):
        if n in out:
            continue
        votes: Counter[Any] = Counter()
        for u, v, _, _ in _incident(g, n):
            other = v if u == n else u
            if other in out and other in cells:
                votes[other] += 1
        if votes and d.get("kind") not in schema.OUTCOME_KINDS:
            best = max(votes.items(), key=lambda kv: (kv[1], str(kv[0])))[0]
            out[n] = out[best]
        else:
            out[n] = _fallback_group(str(d.get("kind") or ""))
    return out


def _incident(g: nx.MultiDiGraph, n: Any) -> Iterable[tuple[Any, Any, Any, dict]]:
    yield from g.out_edges(n, keys=True, data=True)
    yield from g.in_edges(n, keys=True, data=True)


def grouped_layout(g: nx.MultiDiGraph, boxes: dict[Any, NodeBox], *, by: str = "axis", aspect: float = 1.38,
                   titles: bool = True) -> tuple[dict[Any, tuple[float, float]], list[dict[str, Any]]]:
    """Positions for every node and the group frames (title, x, y, w, h): see the module docstring."""
    if g.number_of_nodes() == 0:
        return {}, []
    group_of = node_groups(g, by) if titles else {n: "" for n in g.nodes}
    members: dict[str, list[Any]] = defaultdict(list)
    deg = dict(g.degree())
    for n in sorted(g.nodes, key=lambda x: (-deg.get(x, 0), str(x))):
        members[group_of[n]].append(n)
    seqs = {t: _bfs_order(g, ns) for t, ns in members.items()}
    weight: Counter[tuple[str, str]] = Counter()  # lines between two groups
    for u, v in g.edges():
        a, b = group_of[u], group_of[v]
        if a != b:
            weight[(min(a, b), max(a, b))] += 1
    placed = _rows(seqs, boxes, aspect, titles, weight)
    order = list(seqs)
    pos, frames = placed
    for t in order:
        if len(seqs[t]) <= 40:
            _improve(g, seqs[t], boxes, pos, next(f for f in frames if f["key"] == t))
    for f in frames:
        f.pop("key")
    return pos, [f for f in frames if f["title"]]


def _rows(seqs: dict[str, list[Any]], boxes: dict[Any, NodeBox], aspect: float, titles: bool,
          weight: Counter[tuple[str, str]] | None = None
          ) -> tuple[dict[Any, tuple[float, float]], list[dict[str, Any]]]:
    """Groups in rows of frames, each row as tall as its groups need at the width they share
    (like a justified gallery of pictures): for a number of rows and a canvas width, groups go to
    rows with the least work so far (largest first), each row takes the smallest height at which
    its groups, each at the narrowest width it can flow in, fill the canvas width; the canvas
    whose shape best fits the window's (`aspect`) wins."""
    order = sorted(seqs, key=lambda t: (-_need(t, seqs[t], boxes, titles), t))
    need = {t: _need(t, seqs[t], boxes, titles) for t in order}
    profiles = {t: _profile(t, seqs[t], boxes, titles) for t in order}

    def width_for(t: str, h: float) -> float | None:
        """The narrowest tile in which group t flows within height h (None: none does)."""
        for w, fh in profiles[t]:  # narrowest first, each taller than the next
            if fh <= h:
                return w
        return None

    tallest = max(boxes[n].h for ns in seqs.values()
                  for n in ns) + PAD_Y + 2 * GROUP_PAD + GROUP_GAP + (GROUP_TITLE_PX * 3 if titles else 0)
    most = sum(boxes[n].h + PAD_Y for ns in seqs.values() for n in ns) + len(seqs) * (tallest + 10)

    def row_height(row: list[str], width: float) -> float | None:
        def fits(h: float) -> bool:
            total = 0.0
            for t in row:
                w = width_for(t, h)
                if w is None:
                    return False
                total += w
                if total > width:
                    return False
            return True

        lo, hi = tallest / 3, most
        if not fits(hi):
            return None
        for _ in range(16):
            mid = (lo + hi) / 2
            if fits(mid):
                hi = mid
            else:
                lo = mid
            if hi - lo < 1:
                break
        return float(math.ceil(hi))

    total = sum(need.values())
    best: tuple[float, float, list[list[str]], list[float]] | None = None
    partitions = []
    for n_rows in range(1, min(len(order), 12) + 1):
        rows: list[list[str]] = [[] for _ in range(n_rows)]
        work = [0.0] * n_rows
        for t in order:  # largest first, each to the row with the least work so far
            i = min(range(n_rows), key=lambda k: (work[k], k))
            rows[i].append(t)
            work[i] += need[t]
        partitions.append([r for r in rows if r])
    for reach in (64, 160, 400):  # canvas widths around the window's shape; wider when none fits
        for rows in partitions:
            for f in range(20, reach + 1):
                width = math.sqrt(total * aspect) * f / 40
                heights = [row_height(r, width) for r in rows]
                if any(h is None for h in heights):
                    continue
                side = max(width / aspect, sum(heights))  # type: ignore[arg-type]
                if best is None or side < best[0] - 1e-6:
                    best = (side, width, rows, heights)  # type: ignore[assignment]
        if best is not None:
            break
    assert best is not None
    _, width, rows, heights = best
    rows = [list(r) for r in rows]

    def tiles() -> dict[str, tuple[float, float, float, float]]:
        out = {}
        y = 0.0
        for row, h in zip(rows, heights, strict=True):
            widths = [width_for(t, h) or 0.0 for t in row]
            spare = (width - sum(widths)) / len(row)
            x = 0.0
            for t, w in zip(row, widths, strict=True):
                out[t] = (x, y, w + spare, h)
                x += w + spare
            y += h
        return out

    def cost() -> float:  # groups joined by many lines close together
        at = {t: (x + w / 2, y + h / 2) for t, (x, y, w, h) in tiles().items()}
        return sum(k * math.dist(at[a], at[b]) for (a, b), k in (weight or {}).items() if a in at and b in at)

    current = cost()
    for _ in range(6):  # swap groups within a row, and whole rows, while the lines get shorter
        improved = False
        for row in rows:
            for i in range(len(row)):
                for j in range(i + 1, len(row)):
                    row[i], row[j] = row[j], row[i]
                    c = cost()
                    if c < current - 1e-6:
                        current, improved = c, True
                    else:
                        row[i], row[j] = row[j], row[i]
        for i in range(len(rows)):
            for j in range(i + 1, len(rows)):
                rows[i], rows[j], heights[i], heights[j] = rows[j], rows[i], heights[j], heights[i]
                c = cost()
                if c < current - 1e-6:
                    current, improved = c, True
                else:
                    rows[i], rows[j], heights[i], heights[j] = rows[j], rows[i], heights[j], heights[i]
        if not improved:
            break
    pos: dict[Any, tuple[float, float]] = {}
    frames: list[dict[str, Any]] = []
    y = 0.0
    for row, h in zip(rows, heights, strict=True):
        widths = [width_for(t, h) or 0.0 for t in row]
        spare = (width - sum(widths)) / len(row)
        x = 0.0
        for t, w in zip(row, widths, strict=True):
            # (a wider frame may break its rows less well: then the group keeps the width it was measured at)
            placed = _place(t, seqs[t], boxes, (x, y, w + spare, h),
                            titles) or _place(t, seqs[t], boxes, (x, y, w, h), titles)
            assert placed is not None
            pos.update(placed[0])
            frames.append(placed[1])
            x += w + spare
        y += h
    return pos, frames


def _profile(t: str, nodes: list[Any], boxes: dict[Any, NodeBox], titles: bool) -> list[tuple[float, float]]:
    """A group's possible tiles, (width, height) from narrowest (tallest) to widest (flattest):
    one per way its nodes break into rows (every width at which a row's run of boxes just fits;
    sampled for very large groups)."""
    widths = [boxes[n].w + PAD_X for n in nodes]
    least = max(widths)
    if titles and t:  # the frame is at least as wide as the title's longest word
        least = max(least, max(text_width(word, TITLE_PX) for word in t.split()) + 21 - 2 * GROUP_PAD)
    if len(nodes) <= 60:
        cands = {least}
        for i in range(len(widths)):
            run = 0.0
            for j in range(i, len(widths)):
                run += widths[j]
                if run >= least:
                    cands.add(run)
    else:
        top = sum(widths)
        cands = {least * (top / least) ** (k / 80) for k in range(81)}
    out: list[tuple[float, float]] = []
    for inner in sorted(cands):
        rows_h = 0.0
        row_top = row_below = used = 0.0
        for n, bw in zip(nodes, widths, strict=True):
            if used and used + bw > inner + 1e-6:
                rows_h += row_top + row_below + PAD_Y
                row_top = row_below = used = 0.0
            row_top, row_below, used = max(row_top, boxes[n].size), max(row_below, boxes[n].below), used + bw
        rows_h += row_top + row_below + PAD_Y
        fw = inner + 2 * GROUP_PAD
        head = 0.0
        if titles and t:
            lines = _title_lines(t, fw)
            if not lines:
                continue
            head = TITLE_LINE_PX * len(lines) + 10
        w, h = fw + GROUP_GAP + 0.5, rows_h + head + 2 * GROUP_PAD + GROUP_GAP + 0.5
        if not out or h < out[-1][1] - 1e-6:
            out.append((w, h))
    return out


def _need(title: str, nodes: list[Any], boxes: dict[Any, NodeBox], titles: bool) -> float:
    """About the area a group needs: its boxes, their row slack, its frame and title."""
    inner = 1.2 * sum((boxes[n].w + PAD_X) * (boxes[n].h + PAD_Y) for n in nodes)
    side = math.sqrt(inner)
    head = GROUP_TITLE_PX if titles and title else 0
    extra = 2 * GROUP_PAD + GROUP_GAP
    area = (side + extra) * (side + extra + head)
    return area


def _place(t: str, nodes: list[Any], boxes: dict[Any, NodeBox], rect: tuple[float, float, float, float],
           titles: bool) -> tuple[dict[Any, tuple[float, float]], dict[str, Any]] | None:
    """A group's frame in its tile and its nodes flowed inside; None if they do not fit."""
    x, y, w, h = rect
    fx, fy, fw, fh = x + GROUP_GAP / 2, y + GROUP_GAP / 2, w - GROUP_GAP, h - GROUP_GAP
    title_lines = _title_lines(t, fw) if titles and t else []
    if titles and t and not title_lines:
        return None
    head = TITLE_LINE_PX * len(title_lines) + 10 if title_lines else 0
    inner = (fx + GROUP_PAD, fy + GROUP_PAD + head, fw - 2 * GROUP_PAD, fh - 2 * GROUP_PAD - head)
    flowed = _flow(nodes, boxes, inner)
    if flowed is None:
        return None
    return flowed, {"key": t, "title": "\n".join(title_lines), "x": round(fx, 1), "y": round(fy, 1), "w": round(fw, 1),
                    "h": round(fh, 1)}


def _title_lines(title: str, width: float) -> list[str]:
    """A group title wrapped to the frame's width (at spaces); [] if a word is too wide."""
    room = width - 20
    lines: list[str] = []
    for word in title.split():
        if text_width(word, TITLE_PX) > room:
            return []
        if lines and text_width(lines[-1] + " " + word, TITLE_PX) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _flow(nodes: list[Any], boxes: dict[Any, NodeBox],
          inner: tuple[float, float, float, float]) -> dict[Any, tuple[float, float]] | None:
    """Nodes left to right in rows inside `inner` (x, y, w, h); rows spread to fill it, each row's
    nodes spread across its width. None if they do not fit."""
    x0, y0, w, h = inner
    if w <= 0 or h <= 0:
        return None
    rows: list[list[Any]] = [[]]
    used = 0.0
    for n in nodes:
        bw = boxes[n].w + PAD_X
        if bw > w:
            return None
        if rows[-1] and used + bw > w:
            rows.append([])
            used = 0.0
        rows[-1].append(n)
        used += bw
    heights = [max(boxes[n].size for n in r) + max(boxes[n].below for n in r) + PAD_Y for r in rows]
    if sum(heights) > h:
        return None
    spare_y = (h - sum(heights)) / len(rows)
    pos = {}
    y = y0 + spare_y / 2
    for r, rh in zip(rows, heights, strict=True):
        top = max(boxes[n].size for n in r)
        widths = [boxes[n].w + PAD_X for n in r]
        spare_x = (w - sum(widths)) / len(r)
        x = x0 + spare_x / 2
        for n, bw in zip(r, widths, strict=True):
            pos[n] = (round(x + bw / 2, 1), round(y + PAD_Y / 2 + top, 1))
            x += bw + spare_x
        y += rh + spare_y
    return pos


def _improve(g: nx.MultiDiGraph, seq: list[Any], boxes: dict[Any, NodeBox], pos: dict[Any, tuple[float, float]],
             frame: dict[str, Any], passes: int = 2) -> None:
    """Swap nodes of a group in its flow order while that shortens the edges touching them."""
    if len(seq) < 3:
        return
    head = TITLE_LINE_PX * len(frame["title"].split("\n")) + 10 if frame["title"] else 0
    inner = (frame["x"] + GROUP_PAD, frame["y"] + GROUP_PAD + head, frame["w"] - 2 * GROUP_PAD,
             frame["h"] - 2 * GROUP_PAD - head)
    nbrs = {n: [m for m in set(g.successors(n)) | set(g.predecessors(n)) if m != n] for n in seq}

    def cost(p: dict[Any, tuple[float, float]]) -> float:
        return sum(math.dist(p[n], p.get(m, pos[m])) for n in seq for m in nbrs[n])

    best = cost(pos)
    for _ in range(passes):
        changed = False
        for i in range(len(seq)):
            for j in range(i + 1, len(seq)):
                seq[i], seq[j] = seq[j], seq[i]
                trial = _flow(seq, boxes, inner)
                c = cost(trial) if trial is not None else math.inf
                if c < best - 1e-6:
                    best = c
                    pos.update(trial)
                    changed = True
                else:
                    seq[i], seq[j] = seq[j], seq[i]
        if not changed:
            break


def _bfs_order(g: nx.MultiDiGraph, nodes: list[Any]) -> list[Any]:
    """Nodes of a group, linked ones next to each other: breadth-first from the best connected."""
    inside = set(nodes)
    rank = {n: i for i, n in enumerate(nodes)}
    seen: set[Any] = set()
    out = []
    for start in nodes:
        if start in seen:
            continue
        seen.add(start)
        queue = deque([start])
        while queue:
            x = queue.popleft()
            out.append(x)
            near = {m for m in set(g.successors(x)) | set(g.predecessors(x)) if m in inside and m not in seen}
            for m in sorted(near, key=rank.__getitem__):
                seen.add(m)
                queue.append(m)
    return out
