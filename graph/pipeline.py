"""The main job: validate the seeds, build the graph, write its exports and the interactive map.

The map is the one `mechgraph viz` draws without options: grouped by axis, without
publications and trials. Other formats (CX2, SIF, KGX) are one `mechgraph export` away.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .curation import build_graph, read_seeds
from .fsio import Publication
from .io import export_graph
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
            from .viz.views import draw

            drawn = draw(NetworkXBackend(g), out / "gcpm-map.html", publication=pub)
            if drawn.warning:
                report.warnings.append(drawn.warning)
            report.files.append(drawn.path)
    return report
