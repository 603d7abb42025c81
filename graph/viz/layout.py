"""Where each node goes: deterministic layouts computed in Python, with room for every label.

Every node is drawn as a symbol with its name below it, wrapped onto lines of at most
`LABEL_CHARS` characters (never cut). `node_box` estimates the rectangle that symbol and label
take, from the advance widths of DejaVu Sans (the widest common sans-serif, and the one
Debian's browsers fall back to), so on any machine the real label is no wider than the box.
The layouts place boxes so that no two overlap; a browser test measures the drawn labels.

- `focus_layout` (`--around`): the centre in the middle, what acts on it to the left, what it
  acts on to the right, each side in layered columns ordered to cross few lines.
- `path_layout` (`--path`): one column per step along the paths, the best path on the middle
  row, columns far enough apart for the steps' relation labels.
- the map's groups in frames are in `mechgraph.viz.frames`.

Where the lines go between the nodes (and their relation labels) is decided in the page
(assets/route.js), round the labels as the browser measures them.
"""

from __future__ import annotations

import math
import textwrap
from collections import defaultdict, deque
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import networkx as nx

FONT_PX = 16  # node label font, canvas pixels at zoom 1
LINE_PX = 18  # vis-network draws a label line FONT_PX tall plus 2 px
LABEL_GAP = 6  # between the symbol and its label (vis-network puts it ~5 px below)
LABEL_CHARS = 16  # wrap labels at this many characters
EDGE_FONT_PX = 14
PAD_X, PAD_Y = 12, 10  # free space around each box
GROUP_TITLE_PX = 29  # band above a group's nodes for a one-line title
TITLE_PX, TITLE_LINE_PX = 16, 19  # group titles: font size and line height (as large as node labels)
GROUP_PAD = 8
GROUP_GAP = 12

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
    return {n: node_box(str(g.nodes[n].get("name") or n), deg.get(n, 0), str(g.nodes[n].get("kind") or ""))
            for n in g.nodes}


# --------------------------------------------------------------------------------------------
# Around one node
# --------------------------------------------------------------------------------------------


ROWS_MAX = 9  # a column of a neighbourhood holds at most this many nodes, then splits
ROW_AIR = 16  # extra room between the nodes of a column, for lines to pass


def _column(nodes: list[Any], boxes: dict[Any, NodeBox], x_edge: float,
            side: int) -> tuple[dict[Any, tuple[float, float]], float]:
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


def focus_layout(g: nx.MultiDiGraph, centre: Any, boxes: dict[Any, NodeBox],
                 gap: float = 90) -> dict[Any, tuple[float, float]]:
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
            for a, b in pairwise(seq):
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
    for (_, grp), kept in zip(columns, best[1], strict=True):
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
        for i, (_u, _v, _) in enumerate(path):
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
        for n, r in zip(ordered, rows, strict=True):
            pos[n] = (round(x + w / 2, 1), round(r * row_h, 1))
        x += w + max(70.0, edge_label_w + 40)
    return pos


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------


def node_rect(pos: tuple[float, float], box: NodeBox) -> tuple[float, float, float, float]:
    x, y = pos
    return (x - box.w / 2, y - box.size, x + box.w / 2, y + box.below)


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


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
