"""The main job: validate the seeds, build the graph, write its exports and the interactive map."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .curation import build_graph, read_seeds
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
    """Validate and build the seed graph, then write out/gcpm.json, out/gcpm.graphml and out/gcpm-map.html."""
    data = read_seeds(seeds)
    g = build_graph(data)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report = BuildReport(graph_stats(g), len(data.references))
    report.files.append(export_graph(g, out / "gcpm.json", "json"))
    report.files.append(export_graph(g, out / "gcpm.graphml", "graphml"))
    if picture:
        from .viz import density_warning, select_subgraph, write_html

        mechanism = select_subgraph(g, kinds=[k for k in _kinds(g) if k not in ("publication", "clinical_trial")])
        warning = density_warning(mechanism)
        if warning:
            report.warnings.append(warning)
        report.files.append(write_html(mechanism, out / "gcpm-map.html", title="GCPM immunology mechanism map"))
    return report


def _kinds(g) -> list[str]:
    return sorted({a.get("kind") for _, a in g.nodes(data=True) if a.get("kind")})
