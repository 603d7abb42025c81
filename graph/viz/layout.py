"""A deterministic layout computed in Python, for pictures too large to lay out in the browser."""

from __future__ import annotations

import math
from collections import defaultdict, deque
from typing import Any

# --------------------------------------------------------------------------------------------
# Layout for large graphs (pure Python, deterministic, linear time)
# --------------------------------------------------------------------------------------------


def _radial_layout(order: list[Any], adj: dict[Any, list[Any]]) -> dict[Any, tuple[float, float]]:
    """Radial BFS-tree layout per connected component, components packed in rows.

    Cheap (O(nodes + edges)) and deterministic; used where force-directed layout in the browser
    would take too long. Neighbours end up in the same wedge, hubs in the middle.
    """
    index = {n: i for i, n in enumerate(order)}
    seen: set[Any] = set()
    comps: list[list[Any]] = []
    for n in order:
        if n in seen:
            continue
        comp, queue = [n], deque([n])
        seen.add(n)
        while queue:
            x = queue.popleft()
            for y in adj[x]:
                if y not in seen:
                    seen.add(y)
                    comp.append(y)
                    queue.append(y)
        comps.append(comp)

    sep, step = 46.0, 130.0
    placed: list[tuple[float, dict[Any, tuple[float, float]]]] = []
    for comp in comps:
        root = min(comp, key=lambda x: (-len(adj[x]), index[x]))
        parent = {root: None}
        children: dict[Any, list[Any]] = defaultdict(list)
        depth_of = {root: 0}
        bfs = [root]
        queue = deque([root])
        while queue:
            x = queue.popleft()
            for y in sorted(adj[x], key=index.__getitem__):
                if y not in parent:
                    parent[y] = x
                    depth_of[y] = depth_of[x] + 1
                    children[x].append(y)
                    bfs.append(y)
                    queue.append(y)
        weight = {}
        for x in reversed(bfs):
            weight[x] = max(1, sum(weight[c] for c in children[x]))
        ring_count: dict[int, int] = defaultdict(int)
        for x in bfs:
            ring_count[depth_of[x]] += 1
        radius = {0: 0.0}
        for d in range(1, max(ring_count) + 1):
            radius[d] = max(radius[d - 1] + step, ring_count[d] * sep / (2 * math.pi))
        wedge = {root: (0.0, 2 * math.pi)}
        pos = {}
        for x in bfs:
            a0, a1 = wedge[x]
            r = radius[depth_of[x]]
            mid = (a0 + a1) / 2
            pos[x] = (r * math.cos(mid), r * math.sin(mid))
            start = a0
            for c in children[x]:
                span = (a1 - a0) * weight[c] / weight[x]
                wedge[c] = (start, start + span)
                start += span
        placed.append((radius[max(ring_count)] + sep, pos))

    # shelf packing, biggest first
    placed.sort(key=lambda rp: -rp[0])
    total = sum((2 * r) ** 2 for r, _ in placed)
    width = max(2 * placed[0][0], math.sqrt(total) * 1.15) if placed else 0
    out: dict[Any, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for r, pos in placed:
        if x > 0 and x + 2 * r > width:
            x, y, row_h = 0.0, y + row_h, 0.0
        cx, cy = x + r, y + r
        for n, (px, py) in pos.items():
            out[n] = (round(cx + px, 1), round(cy + py, 1))
        x += 2 * r
        row_h = max(row_h, 2 * r)
    return out
