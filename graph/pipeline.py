"""The main job: validate the seeds, build the graph, write its exports and the interactive map.

The map is the one `mechgraph viz` draws without options: grouped by axis, without
publications and trials. Other formats (CX2, SIF, KGX) are one `mechgraph export` away;
`export_files` here gives formats that hold a layout (CX2) the map's node positions, which the
export layer cannot compute itself (the pictures sit above it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from .curation import build_graph, read_seeds
from .fsio import Publication
from .io import TAKES_POSITIONS, export_graph
from .io import export_files as write_export
from .store.embedded import graph_stats
from .store.protocol import Stats


@dataclass
class BuildReport:
    """What `build_all` produced."""

    stats: Stats
    references: int
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def build_all(seeds: Path | str | None = None, out_dir: Path | str = "out", *, picture: bool = True) -> BuildReport:
    """Validate and build the seed graph, then write out/gcpm.json, out/gcpm.graphml and out/gcpm-map.html,
    all three together or none (mechgraph.fsio.Publication)."""
    data = read_seeds(seeds)
    g = build_graph(data)
    out = Path(out_dir)
    report = BuildReport(graph_stats(g), len(data.references))
    # staged beside their destinations and renamed together: all three are published, or none
    with Publication() as pub:
        report.files.append(export_graph(g, out / "gcpm.json", "json", publication=pub))
        report.files.append(export_graph(g, out / "gcpm.graphml", "graphml", publication=pub))
        if picture:  # the same map `mechgraph viz` draws without options
            from .store.embedded import NetworkXBackend
            from .views import draw

            drawn = draw(NetworkXBackend(g), out / "gcpm-map.html", publication=pub)
            if drawn.warning:
                report.warnings.append(drawn.warning)
            report.files.append(drawn.path)
    return report


# Where nodes the map leaves out (publications, trials) go in a layout: rows below the map.
BELOW_GAP, CELL_W, CELL_H = 120.0, 220.0, 90.0


def map_positions(g: nx.MultiDiGraph) -> dict[Any, tuple[float, float]]:
    """Each node's (x, y) on the map `mechgraph viz` draws (the same selection and layout); the
    nodes the map leaves out (publications, trials) in rows below it, by kind then name."""
    from .views import MAP_LEAVES_OUT
    from .viz.scene import page_data
    from .viz.select import select_subgraph

    kinds = sorted({str(a.get("kind")) for _, a in g.nodes(data=True)} - set(MAP_LEAVES_OUT))
    sub = select_subgraph(g, kinds=kinds)
    by_id = {str(n): n for n in g.nodes}
    pos: dict[Any, tuple[float, float]] = {}
    if sub.number_of_nodes():
        for rec in page_data(sub)["nodes"]:
            pos[by_id[rec["id"]]] = (float(rec["x"]), float(rec["y"]))
    rest = sorted((n for n in g.nodes if n not in pos),
                  key=lambda n: (str(g.nodes[n].get("kind")), str(g.nodes[n].get("name") or n)))
    if rest:
        xs = [x for x, _ in pos.values()] or [0.0]
        ys = [y for _, y in pos.values()] or [-BELOW_GAP]
        left, width, top = min(xs), max(max(xs) - min(xs), CELL_W * 8), max(ys) + BELOW_GAP
        per_row = max(1, int(width // CELL_W) + 1)
        for i, n in enumerate(rest):
            pos[n] = (left + (i % per_row) * CELL_W, top + (i // per_row) * CELL_H)
    return pos


def export_files(g: nx.MultiDiGraph, path: Path | str, fmt: str, *, source: str | None = None) -> list[Path]:
    """`mechgraph export`: write `g` in `fmt` (mechgraph.io), a format that holds a layout with the map's positions."""
    positions = map_positions(g) if fmt in TAKES_POSITIONS else None
    return write_export(g, path, fmt, source=source, positions=positions)
