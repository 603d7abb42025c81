"""Where each node goes: deterministic layouts computed in Python, with room for every label.

Every node is drawn as a symbol with its name below it, wrapped onto lines of at most
`LABEL_CHARS` characters (never cut). `node_box` estimates the rectangle that symbol and label
take, from the advance widths of DejaVu Sans (the widest common sans-serif, and the one
Debian's browsers fall back to), so on any machine the real label is no wider than the box.
The layouts place boxes so that no two overlap; a browser test measures the drawn labels.

- `grouped_layout` (the map, an axis, any filtered view): nodes grouped by axis (or by cell
  type), the groups' frames tiling a rectangle of the window's shape (a squarified treemap,
  each frame as large as its nodes need), each group's nodes flowing in rows under its title;
  inside a frame, nodes are swapped while that shortens the edges.
- `focus_layout` (`--around`): the centre in the middle, what acts on it to the left, what it
  acts on to the right, both-way neighbours above and below, the next ring further out.
- `path_layout` (`--path`): one column per step along the paths, the best path on the middle
  row; each highlighted step's relation label is placed on its edge where it covers no node.
"""

from __future__ import annotations

import math
import textwrap
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from typing import Any, Iterable

import networkx as nx

FONT_PX = 16  # node label font, canvas pixels at zoom 1
LINE_PX = 18  # vis-network draws a label line FONT_PX tall plus 2 px
LABEL_GAP = 6  # between the symbol and its label (vis-network puts it ~5 px below)
LABEL_CHARS = 16  # wrap labels at this many characters
EDGE_FONT_PX = 13
PAD_X, PAD_Y = 12, 10  # free space around each box
GROUP_TITLE_PX = 29  # band above a group's nodes for a one-line title
TITLE_PX, TITLE_LINE_PX = 16, 19  # group titles: font size and line height (as large as node labels)
GROUP_PAD = 8
GROUP_GAP = 16

# DejaVu Sans advance widths in em, measured in headless Chromium (canvas measureText, 14 px)
_ADVANCE = {
    " ": 0.318, "!": 0.401, '"': 0.46, "#": 0.838, "$": 0.636, "%": 0.95, "&": 0.78, "'": 0.275, "(": 0.39,
    ")": 0.39, "*": 0.5, "+": 0.838, ",": 0.318, "-": 0.361, ".": 0.318, "/": 0.337, ":": 0.337, ";": 0.337,
    "<": 0.838, "=": 0.838, ">": 0.838, "?": 0.531, "@": 1.0, "A": 0.684, "B": 0.686, "C": 0.698, "D": 0.77,
    "E": 0.632, "F": 0.575, "G": 0.775, "H": 0.752, "I": 0.295, "J": 0.295, "K": 0.656, "L": 0.557, "M": 0.863,
    "N": 0.748, "O": 0.787, "P": 0.603, "Q": 0.787, "R": 0.695, "S": 0.635, "T": 0.611, "U": 0.732, "V": 0.684,
    "W": 0.989, "X": 0.685, "Y": 0.611, "Z": 0.685, "[": 0.39, "\\": 0.337, "]": 0.39, "^": 0.838, "_": 0.5,
    "`": 0.5, "a": 0.613, "b": 0.635, "c": 0.55, "d": 0.635, "e": 0.615, "f": 0.352, "g": 0.635, "h": 0.634,
    "i": 0.278, "j": 0.278, "k": 0.579, "l": 0.278, "m": 0.974, "n": 0.634, "o": 0.612, "p": 0.635, "q": 0.635,
    "r": 0.411, "s": 0.521, "t": 0.392, "u": 0.634, "v": 0.592, "w": 0.818, "x": 0.592, "y": 0.592, "z": 0.525,
    "{": 0.636, "|": 0.337, "}": 0.636, "~": 0.838,
}
_DIGIT = 0.636
_OTHER = 0.72  # Greek, accented Latin, symbols: a little wider than most Latin letters
_WIDE = 1.0  # CJK and other full-width characters


def text_width(s: str, px: float = FONT_PX) -> float:
    """Estimated width of `s` in canvas pixels (DejaVu Sans, the widest common sans-serif)."""
    em = 0.0
    for ch in s:
        if ch in _ADVANCE:
            em += _ADVANCE[ch]
        elif ch.isdigit():
            em += _DIGIT
        elif ord(ch) >= 0x1100 and (0x1100 <= ord(ch) <= 0x115F or 0x2E80 <= ord(ch) <= 0xA4CF
                                    or 0xAC00 <= ord(ch) <= 0xD7A3 or 0xF900 <= ord(ch) <= 0xFAFF
                                    or 0xFE30 <= ord(ch) <= 0xFE4F or 0xFF00 <= ord(ch) <= 0xFF60
                                    or 0xFFE0 <= ord(ch) <= 0xFFE6 or 0x20000 <= ord(ch) <= 0x3FFFD):
            em += _WIDE
        else:
            em += _OTHER
    return em * px


def wrap_label(name: str, chars: int = LABEL_CHARS) -> list[str]:
    """A name on lines of at most `chars` characters, broken at spaces (or after a hyphen or a
    slash), never cut; a single longer word keeps a line of its own."""
    name = " ".join(str(name).split())
    if len(name) <= chars:
        return [name] if name else [""]
    lines = textwrap.wrap(name, width=chars, break_long_words=False, break_on_hyphens=True)
    out = []
    for line in lines:  # textwrap does not break at '/': do it for long "A/B/C" names
        while len(line) > chars and "/" in line[1:chars]:
            cut = line.rindex("/", 1, chars) + 1
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return out or [name]


@dataclass(frozen=True)
class NodeBox:
    """A node's symbol and label: `size` is the symbol's radius; the box is `w` wide, its top
    `size` above the node's position and its bottom `below` under it."""

    lines: tuple[str, ...]
    size: float
    w: float
    label_w: float

    @property
    def below(self) -> float:
        return self.size + LABEL_GAP + LINE_PX * len(self.lines)

    @property
    def h(self) -> float:
        return self.size + self.below


def node_size(degree: int, kind: str = "") -> float:
    """The symbol's radius: hubs a little bigger, publications small."""
    if kind == "publication":
        return 7.0
    return round(min(18.0, 8.0 + 1.6 * math.sqrt(max(0, degree))), 1)


def node_box(name: str, degree: int = 0, kind: str = "") -> NodeBox:
    lines = tuple(wrap_label(name))
    size = node_size(degree, kind)
    label_w = max(text_width(ln) for ln in lines)
    return NodeBox(lines, size, max(2 * size, label_w), label_w)


def boxes_for(g: nx.MultiDiGraph) -> dict[Any, NodeBox]:
    deg = dict(g.degree())
    return {n: node_box(str(g.nodes[n].get("name") or n), deg.get(n, 0), str(g.nodes[n].get("kind") or "")) for n in g.nodes}


# --------------------------------------------------------------------------------------------
# Groups
# --------------------------------------------------------------------------------------------

OUTCOME_KINDS = ("phenotype", "disease")
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
        if kind in OUTCOME_KINDS:
            out[n] = _fallback_group(kind)
            continue
        votes: Counter[str] = Counter()
        for u, v, _, ed in _incident(g, n):
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
    cells = [n for n, d in g.nodes(data=True) if d.get("kind") in ("cell_type", "cell_state", "tumour_cell")]
    out = {n: str(g.nodes[n].get("name") or n) for n in cells}
    for n, d in g.nodes(data=True):
        if n in out:
            continue
        votes: Counter[Any] = Counter()
        for u, v, _, _ in _incident(g, n):
            other = v if u == n else u
            if other in out and other in cells:
                votes[other] += 1
        if votes and d.get("kind") not in OUTCOME_KINDS:
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
    """Positions for every node and the group frames (title, x, y, w, h).

    The groups tile a rectangle of the window's shape (a squarified treemap, each group's area
    in proportion to what its nodes need); inside its frame a group's nodes flow in rows,
    linked nodes next to each other. The rectangle grows until every group fits.
    """
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
          weight: Counter[tuple[str, str]] | None = None) -> tuple[dict[Any, tuple[float, float]], list[dict[str, Any]]]:
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

    tallest = max(boxes[n].h for ns in seqs.values() for n in ns) + PAD_Y + 2 * GROUP_PAD + GROUP_GAP + (GROUP_TITLE_PX * 3 if titles else 0)
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
        for row, h in zip(rows, heights):
            widths = [width_for(t, h) or 0.0 for t in row]
            spare = (width - sum(widths)) / len(row)
            x = 0.0
            for t, w in zip(row, widths):
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
    for row, h in zip(rows, heights):
        widths = [width_for(t, h) or 0.0 for t in row]
        spare = (width - sum(widths)) / len(row)
        x = 0.0
        for t, w in zip(row, widths):
            placed = _place(t, seqs[t], boxes, (x, y, w + spare, h), titles)
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
        for n, bw in zip(nodes, widths):
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


def _canvas(area: float, aspect: float) -> tuple[float, float]:
    width = math.sqrt(area * aspect)
    return width, area / width


def _smallest(seqs: dict[str, list[Any]], boxes: dict[Any, NodeBox], order: list[str], need: dict[str, float],
              total: float, aspect: float, titles: bool) -> float:
    """The smallest canvas (as a multiple of `total`, within 1%) on which every group fits."""
    lo, hi = 1.0, 1.0
    while _fit(seqs, boxes, order, need, total * hi, aspect, titles) is None:
        lo, hi = hi, hi * 1.25
    if lo == hi:
        lo = hi / 1.25
        while lo > 0.05 and _fit(seqs, boxes, order, need, total * lo, aspect, titles) is not None:
            hi, lo = lo, lo / 1.25
    for _ in range(14):
        mid = (lo + hi) / 2
        if _fit(seqs, boxes, order, need, total * mid, aspect, titles) is None:
            lo = mid
        else:
            hi = mid
        if hi / lo < 1.01:
            break
    return hi


def _slack(title: str, nodes: list[Any], boxes: dict[Any, NodeBox], rect: tuple[float, float, float, float],
           titles: bool) -> float:
    """How much of its tile a group needs (area, <= 1 when it has room to spare, > 1 when not)."""
    def fits(f: float) -> bool:
        x, y, w, h = rect
        k = math.sqrt(f)
        return _place(title, nodes, boxes, (x, y, w * k, h * k), titles) is not None

    lo, hi = 0.2, 1.0
    if not fits(hi):
        while hi < 8 and not fits(hi):
            lo, hi = hi, hi * 1.3
    elif fits(lo):
        return lo
    for _ in range(10):
        mid = (lo + hi) / 2
        if fits(mid):
            hi = mid
        else:
            lo = mid
    return hi * 1.02


def _need(title: str, nodes: list[Any], boxes: dict[Any, NodeBox], titles: bool) -> float:
    """The area a group's tile should have: its boxes, their row slack, its frame and title."""
    inner = 1.2 * sum((boxes[n].w + PAD_X) * (boxes[n].h + PAD_Y) for n in nodes)
    side = math.sqrt(inner)
    head = GROUP_TITLE_PX if titles and title else 0
    extra = 2 * GROUP_PAD + GROUP_GAP
    area = (side + extra) * (side + extra + head)
    return area


def _fit(seqs: dict[str, list[Any]], boxes: dict[Any, NodeBox], order: list[str], need: dict[str, float],
         area: float, aspect: float, titles: bool) -> tuple[dict[Any, tuple[float, float]], list[dict[str, Any]]] | None:
    """Tile a canvas of `area` and flow each group into its tile; None if some group overflows."""
    rects = _squarify([need[t] for t in order], 0.0, 0.0, *_canvas(area, aspect))
    pos: dict[Any, tuple[float, float]] = {}
    frames = []
    for t, rect in zip(order, rects):
        placed = _place(t, seqs[t], boxes, rect, titles)
        if placed is None:
            return None
        pos.update(placed[0])
        frames.append(placed[1])
    return pos, frames


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


def _flow(nodes: list[Any], boxes: dict[Any, NodeBox], inner: tuple[float, float, float, float]) -> dict[Any, tuple[float, float]] | None:
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
    for r, rh in zip(rows, heights):
        top = max(boxes[n].size for n in r)
        widths = [boxes[n].w + PAD_X for n in r]
        spare_x = (w - sum(widths)) / len(r)
        x = x0 + spare_x / 2
        for n, bw in zip(r, widths):
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
    inner = (frame["x"] + GROUP_PAD, frame["y"] + GROUP_PAD + head, frame["w"] - 2 * GROUP_PAD, frame["h"] - 2 * GROUP_PAD - head)
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


def _squarify(areas: list[float], x: float, y: float, w: float, h: float) -> list[tuple[float, float, float, float]]:
    """Rectangles tiling (x, y, w, h) with the given areas (scaled to fill it), as square as can
    be (Bruls, Huizing and van Wijk's squarified treemap), in the order given."""
    total = sum(areas)
    scaled = [a * w * h / total for a in areas] if total > 0 else [0.0 for _ in areas]
    out: list[tuple[float, float, float, float]] = []
    i = 0
    while i < len(scaled):
        short = min(w, h)
        row = [scaled[i]]
        j = i + 1
        while j < len(scaled) and _worst(row + [scaled[j]], short) <= _worst(row, short):
            row.append(scaled[j])
            j += 1
        s = sum(row)
        if w >= h:  # a column on the left
            cw = s / h if h else 0
            cy = y
            for a in row:
                ch = a / cw if cw else 0
                out.append((x, cy, cw, ch))
                cy += ch
            x, w = x + cw, w - cw
        else:  # a row on top
            rh = s / w if w else 0
            cx = x
            for a in row:
                cw2 = a / rh if rh else 0
                out.append((cx, y, cw2, rh))
                cx += cw2
            y, h = y + rh, h - rh
        i = j
    return out


def _worst(row: list[float], short: float) -> float:
    s = sum(row)
    if s <= 0 or short <= 0:
        return math.inf
    return max(max(short * short * a / (s * s), (s * s) / (short * short * a)) for a in row if a > 0)


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


# --------------------------------------------------------------------------------------------
# Around one node
# --------------------------------------------------------------------------------------------


ROWS_MAX = 9  # a column of a neighbourhood holds at most this many nodes, then splits
ROW_AIR = 16  # extra room between the nodes of a column, for lines to pass


def _column(nodes: list[Any], boxes: dict[Any, NodeBox], x_edge: float, side: int) -> tuple[dict[Any, tuple[float, float]], float]:
    """Nodes in sub-columns of at most ROWS_MAX, growing away from `x_edge` (side -1: left, +1:
    right), centred on y = 0, every other sub-column shifted half a row; returns positions and
    the outer x edge."""
    if not nodes:
        return {}, x_edge
    pos = {}
    cell_h = max(boxes[n].h for n in nodes) + PAD_Y + ROW_AIR
    x = x_edge
    per = math.ceil(len(nodes) / math.ceil(len(nodes) / ROWS_MAX))
    for c, start in enumerate(range(0, len(nodes), per)):
        chunk = nodes[start:start + per]
        w = max(boxes[n].w for n in chunk) + PAD_X
        shift = cell_h / 2 if c % 2 else 0.0
        y = -cell_h * len(chunk) / 2 + shift
        for n in chunk:
            pos[n] = (round(x + side * w / 2, 1), round(y + PAD_Y / 2 + boxes[n].size, 1))
            y += cell_h
        x += side * w + (side * ROW_AIR if c + 1 < math.ceil(len(nodes) / per) else 0)
    return pos, x


def _layers(g: nx.MultiDiGraph, centre: Any, members: set[Any], ring: dict[Any, int], inward: bool) -> dict[Any, int]:
    """Each node's column on one side of a neighbourhood: the longest chain of edges between
    members that leads to the centre (inward: what acts on it) or from it (what it acts on), at
    least its ring and at most one more; cycles are cut where a depth-first walk from the centre
    meets them."""
    d = nx.DiGraph()
    d.add_node(centre)
    for u, v in g.edges():
        if u == v:
            continue
        a, b = (v, u) if inward else (u, v)  # walk away from the centre
        if (a == centre or a in members) and b in members:
            d.add_edge(a, b)
    order = {n: i for i, n in enumerate(nx.dfs_preorder_nodes(d, centre))}
    back = [(a, b) for a, b in d.edges() if b in order and a in order and order[b] <= order[a] and nx.has_path(d, b, a)]
    d.remove_edges_from(back)
    while not nx.is_directed_acyclic_graph(d):  # what the walk did not reach may still loop
        d.remove_edge(*nx.find_cycle(d)[0][:2])
    layer = {centre: 0}
    for n in nx.topological_sort(d):
        if n != centre:
            layer[n] = max([layer.get(p, 0) + 1 for p in d.predecessors(n)] + [ring.get(n, 1)])
    # at most one column more than the ring: long chains inside a ring do not stretch the picture
    return {n: max(ring.get(n, 1), min(layer.get(n, 0), ring.get(n, 1) + 1)) for n in members}


def focus_layout(g: nx.MultiDiGraph, centre: Any, boxes: dict[Any, NodeBox], gap: float = 90) -> dict[Any, tuple[float, float]]:
    """The centre in the middle; what acts on it to the left, what it acts on to the right, both-way
    neighbours on the side with fewer nodes. Each side is layered: a node's column is the longest chain of
    edges that leads from it to the centre (or from the centre to it), so a drug that also belongs
    to a drug class acting on the centre sits beyond the class, and its own line to the centre
    passes the class's column; each column is ordered by the height of the nodes it links to."""
    pos: dict[Any, tuple[float, float]] = {centre: (0.0, 0.0)}
    if centre not in g:
        return pos
    side: dict[Any, str] = {}
    ring: dict[Any, int] = {centre: 0}
    parent: dict[Any, Any] = {}
    reached = []
    queue = deque([centre])
    while queue:
        x = queue.popleft()
        for m in sorted(set(g.successors(x)) | set(g.predecessors(x)), key=str):
            if m in ring:
                continue
            ring[m], parent[m] = ring[x] + 1, x
            reached.append(m)
            if x == centre:
                into, out_of = g.has_edge(m, centre), g.has_edge(centre, m)
                side[m] = "both" if into and out_of else "in" if into else "out"
            queue.append(m)
    # both-way neighbours join the side with fewer nodes (a row above or below the centre would
    # put their own labels between them and it); what is reached through a node follows it
    count = {s: sum(1 for n in side if side[n] == s) for s in ("in", "out")}
    lean = "in" if count["in"] < count["out"] else "out"
    for m in reached:
        side[m] = (lean if side[m] == "both" else side[m]) if ring[m] == 1 else side[parent[m]]
    for n in g.nodes:  # nodes the filters cut off from the centre: outside, on the right
        if n not in ring:
            ring[n], side[n] = max(ring.values()) + 1, "out"
    deg = dict(g.degree())
    nbrs = {n: set(g.successors(n)) | set(g.predecessors(n)) for n in g.nodes}

    both: list[Any] = []
    c = boxes[centre]
    spread = c.w / 2 + PAD_X
    columns: list[tuple[int, list[Any]]] = []  # (direction, nodes), from the centre outwards on each side
    for s, direction in (("in", -1), ("out", +1)):
        members = {n for n in g.nodes if side.get(n) == s}
        layer = _layers(g, centre, members, ring, inward=(s == "in"))
        for k in sorted(set(layer.values())):
            columns.append((direction, sorted((n for n in members if layer[n] == k), key=lambda n: (-deg[n], str(n)))))

    def place() -> None:
        edges_at = {-1: -(spread + gap), +1: spread + gap}
        for direction, group in columns:
            p, outer = _column(group, boxes, edges_at[direction], direction)
            pos.update(p)
            edges_at[direction] = outer + direction * gap

    place()
    # order the columns to cross few lines: barycentre sweeps out from the centre and back, each
    # column ordered by the mean height of its neighbours in the column before it; the best kept
    sides = {d: [grp for dd, grp in columns if dd == d] for d in (-1, +1)}

    def crossings() -> int:
        count = 0
        for cols in sides.values():
            seq = [[centre]] + cols
            for a, b in zip(seq, seq[1:]):
                ins = set(b)
                pairs = sorted((pos[u][1], pos[v][1]) for u in a for v in nbrs[u] if v in ins)
                count += sum(1 for i, p in enumerate(pairs) for q in pairs[i + 1:] if q[0] > p[0] and q[1] < p[1])
        return count

    def mean_y(n: Any, ref: set[Any]) -> float:
        ys = [pos[m][1] for m in nbrs[n] if m in ref]
        return sum(ys) / len(ys) if ys else pos[n][1]

    best = (crossings(), [list(grp) for _, grp in columns])
    for _ in range(4):
        for cols in sides.values():
            seq = [[centre] + [n for n in both]] + cols
            for k in range(1, len(seq)):  # outwards
                ref = set(seq[k - 1])
                seq[k].sort(key=lambda n: round(mean_y(n, ref), 1))
                place()
            for k in range(len(seq) - 2, 0, -1):  # and back
                ref = set(seq[k + 1])
                seq[k].sort(key=lambda n: round(mean_y(n, ref), 1))
                place()
        now = crossings()
        if now < best[0]:
            best = (now, [list(grp) for _, grp in columns])
    for (_, grp), kept in zip(columns, best[1]):
        grp[:] = kept
    place()
    return pos


# --------------------------------------------------------------------------------------------
# Paths
# --------------------------------------------------------------------------------------------


def path_layers(paths: list[list[tuple[Any, Any, Any]]]) -> dict[Any, int]:
    """Each path node's column: its longest distance from the start along the highlighted steps
    (a step walked against its edge counts the same); a cycle falls back to the first path's order."""
    dag = nx.DiGraph()
    for path in paths:
        for i, (u, v, _) in enumerate(path):
            a, b = _walk(path, i)
            dag.add_edge(a, b)
    if not nx.is_directed_acyclic_graph(dag):
        layer: dict[Any, int] = {}
        for path in paths:
            nodes = [_walk(path, 0)[0]] + [_walk(path, i)[1] for i in range(len(path))]
            for i, n in enumerate(nodes):
                layer.setdefault(n, i)
        return layer
    layer = {}
    for n in nx.topological_sort(dag):
        layer[n] = max((layer[p] + 1 for p in dag.predecessors(n)), default=0)
    return layer


def _walk(path: list[tuple[Any, Any, Any]], i: int) -> tuple[Any, Any]:
    """(from, to) of step i in walking order: a step whose source is the previous step's end
    is walked forwards, otherwise backwards."""
    u, v, _ = path[i]
    if i == 0:
        if len(path) > 1 and u in path[1][:2] and v not in path[1][:2]:
            return v, u
        return u, v
    prev_end = _walk(path, i - 1)[1]
    return (u, v) if u == prev_end else (v, u)


def path_layout(g: nx.MultiDiGraph, paths: list[list[tuple[Any, Any, Any]]], boxes: dict[Any, NodeBox],
                edge_label_w: float = 0.0) -> dict[Any, tuple[float, float]]:
    """Columns along the paths, the best path on the middle row, other nodes above and below
    their column; columns far enough apart for the steps' relation labels."""
    layer = path_layers(paths)
    first = [_walk(paths[0], 0)[0]] + [_walk(paths[0], i)[1] for i in range(len(paths[0]))] if paths else []
    main_row = {n: 0 for n in first}
    rank = {n: i for i, n in enumerate(dict.fromkeys([x for p in paths for s in p for x in s[:2]]))}
    cols: dict[int, list[Any]] = defaultdict(list)
    for n in sorted(layer, key=lambda n: (layer[n], n not in main_row, rank.get(n, 0))):
        cols[layer[n]].append(n)
    others = [n for n in g.nodes if n not in layer]
    for n in sorted(others, key=str):  # context nodes join the column of a path neighbour
        near = [layer[m] for m in set(g.successors(n)) | set(g.predecessors(n)) if m in layer]
        cols[min(near) if near else max(cols, default=0)].append(n)
    row_h = max((b.h for b in boxes.values()), default=40) + PAD_Y * 2
    pos: dict[Any, tuple[float, float]] = {}
    x = 0.0
    for c in sorted(cols):
        nodes = cols[c]
        w = max(boxes[n].w for n in nodes) + PAD_X
        main = [n for n in nodes if n in main_row]
        rest = [n for n in nodes if n not in main_row]
        rows = []  # 0, then -1, +1, -2, +2, ... around the main row
        ordered = main + rest
        for i in range(len(ordered)):
            rows.append(0 if i == 0 else ((i + 1) // 2) * (-1 if i % 2 else 1))
        if not main and ordered:
            rows = [r + (1 if rows else 0) for r in rows]  # keep the main row free for the best path
        for n, r in zip(ordered, rows):
            pos[n] = (round(x + w / 2, 1), round(r * row_h, 1))
        x += w + max(70.0, edge_label_w + 40)
    return pos


# --------------------------------------------------------------------------------------------
# Labels on highlighted steps
# --------------------------------------------------------------------------------------------


def label_box(text: str, at: tuple[float, float], px: float = EDGE_FONT_PX) -> tuple[float, float, float, float]:
    w, h = text_width(text, px) + 6, px + 4
    return (at[0] - w / 2, at[1] - h / 2, at[0] + w / 2, at[1] + h / 2)


def node_rect(pos: tuple[float, float], box: NodeBox) -> tuple[float, float, float, float]:
    x, y = pos
    return (x - box.w / 2, y - box.size, x + box.w / 2, y + box.below)


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def curve_point(a: tuple[float, float], b: tuple[float, float], t: float, roundness: float = 0.0,
                clockwise: bool = True) -> tuple[float, float]:
    """The point at `t` on an edge from a to b as vis-network draws it: straight, or its
    `curvedCW`/`curvedCCW` quadratic curve of the given roundness (vis-network's own formula)."""
    if not roundness:
        return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
    o, r = b[0] - a[0], a[1] - b[1]
    length = math.hypot(o, r)
    turn = (0.5 * roundness + 0.5) if clockwise else (-0.5 * roundness + 0.5)
    angle = (math.atan2(r, o) + turn * math.pi) % (2 * math.pi)
    via = (a[0] + (0.5 * roundness + 0.5) * length * math.sin(angle), a[1] + (0.5 * roundness + 0.5) * length * math.cos(angle))
    u = 1 - t
    return (u * u * a[0] + 2 * t * u * via[0] + t * t * b[0], u * u * a[1] + 2 * t * u * via[1] + t * t * b[1])


Curve = tuple[float, bool]  # (roundness, clockwise); roundness 0 is a straight edge


def clear_curve(a: tuple[float, float], b: tuple[float, float], obstacles: list[tuple[float, float, float, float]]) -> Curve:
    """The straightest edge shape from a to b that passes over none of the `obstacles`: straight,
    else bowed one way or the other, more and more; straight when none is clear."""
    for curve in ((0.0, True), (0.25, True), (0.25, False), (0.45, True), (0.45, False), (0.7, True), (0.7, False)):
        points = [curve_point(a, b, k / 20, *curve) for k in range(1, 20)]
        if not any(r[0] <= x <= r[2] and r[1] <= y <= r[3] for x, y in points for r in obstacles):
            return curve
    return (0.0, True)


def place_edge_labels(steps: list[tuple[Any, Any, str]], pos: dict[Any, tuple[float, float]],
                      boxes: dict[Any, NodeBox], curves: dict[tuple[Any, Any], Curve] | None = None
                      ) -> dict[tuple[Any, Any], tuple[float, float]]:
    """For each (from, to, text), a point on the edge (straight, or curved as `curves` says)
    where the text covers no node box and no label placed before it, and, where possible, lies
    on no other step's line (so it is not read as that step's label); the midpoint when nothing
    is free."""
    curves = curves or {}
    taken = [node_rect(pos[n], boxes[n]) for n in pos]
    lines = {(u, v): [curve_point(pos[u], pos[v], k / 20, *curves.get((u, v), (0.0, True))) for k in range(21)]
             for u, v, _ in steps}
    out: dict[tuple[Any, Any], tuple[float, float]] = {}
    ts = (0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75, 0.2, 0.8, 0.35, 0.65, 0.45, 0.55)
    for u, v, text in steps:
        shape = curves.get((u, v), (0.0, True))
        others = [pts for key, pts in lines.items() if key != (u, v)]
        free, clear = None, None
        for t in ts:
            at = curve_point(pos[u], pos[v], t, *shape)
            box = label_box(text, at)
            if any(_overlaps(box, r) for r in taken):
                continue
            free = free or at
            if all(_point_segment(at, p, q) > EDGE_FONT_PX for pts in others for p, q in zip(pts, pts[1:])):
                clear = at
                break
        chosen = clear or free or curve_point(pos[u], pos[v], 0.5, *shape)
        taken.append(label_box(text, chosen))
        out[(u, v)] = (round(chosen[0], 1), round(chosen[1], 1))
    return out


def _point_segment(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length))
    return math.dist(p, (a[0] + t * dx, a[1] + t * dy))


def overlapping_boxes(rects: list[tuple[float, float, float, float]]) -> list[tuple[int, int]]:
    """Index pairs of rectangles that overlap (for tests and checks)."""
    order = sorted(range(len(rects)), key=lambda i: rects[i][0])
    out = []
    for a_i, i in enumerate(order):
        for j in order[a_i + 1:]:
            if rects[j][0] >= rects[i][2]:
                break
            if _overlaps(rects[i], rects[j]):
                out.append((min(i, j), max(i, j)))
    return out
