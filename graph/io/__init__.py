"""Exchange: one module per file format, each with a writer and (where the format can hold the whole
graph) a reader, and the dispatch by format name or file extension.

`nodelink` (JSON, exact round trip) and `graphml` (Cytoscape, Gephi); `neo4j_admin` writes a
folder of CSV files for `neo4j-admin database import` (bulk loads), in the Neo4j layout of
`neo4j_layout`, which the online loader shares. Writes go through a temporary file (or folder)
and a rename, so a failed export never leaves half a file. This layer imports `schema`, `props`
and `errors` only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import networkx as nx

from .. import schema
from ..errors import ExportError, SeedError
from .graphml import read_graphml, write_graphml
from .neo4j_admin import write_neo4j_admin
from .nodelink import read_json, to_node_link, write_json

WRITERS: dict[str, Callable[[nx.MultiDiGraph, Path], None]] = {"json": write_json, "graphml": write_graphml}
FOLDER_WRITERS: dict[str, Callable[..., Path]] = {"neo4j-admin": write_neo4j_admin}  # write a folder, take a source
READERS: dict[str, Callable[[Path], nx.MultiDiGraph]] = {"json": read_json, "graphml": read_graphml}
FORMATS = (*WRITERS, *FOLDER_WRITERS)

__all__ = ["FORMATS", "export_graph", "format_for", "read_graph", "to_node_link"]


def export_graph(g: nx.MultiDiGraph, path: Path | str, fmt: str = "json", *, source: str | None = None) -> Path:
    """Write the graph to `path` as node-link JSON, GraphML, or a neo4j-admin import folder; return
    the path written. `source` (what the graph came from) is recorded by formats that keep it."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt in FOLDER_WRITERS:
        return FOLDER_WRITERS[fmt](g, path, source=source)
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        WRITERS[fmt](g, tmp)
        tmp.replace(path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"{path}: cannot write: {e.strerror or e}") from None
    return path


def format_for(path: Path | str) -> str:
    """The export format implied by a file name."""
    suffix = Path(path).suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in (".graphml", ".xml"):
        return "graphml"
    raise ExportError(f"{path}: cannot tell the format from the extension; use .json or .graphml")


def read_graph(path: Path | str) -> nx.MultiDiGraph:
    """Read an exported JSON or GraphML file back into the mechanism graph, checking it."""
    path = Path(path)
    fmt = format_for(path)
    if not path.is_file():
        raise ExportError(f"{path}: no such file")
    g = READERS[fmt](path)
    _check(g, str(path))
    return g


def _check(g: nx.MultiDiGraph, where: str) -> None:
    problems = []
    for n, a in g.nodes(data=True):
        kind = a.get("kind")
        if kind not in schema.ENTITY_KINDS:
            problems.append(f"{where}:1: node {n!r} has unknown kind {kind!r}")
        if not a.get("name"):
            problems.append(f"{where}:1: node {n!r} has no name")
        a.setdefault("id", n)
    for u, v, k, a in g.edges(keys=True, data=True):
        if k not in schema.RELATIONS:
            problems.append(f"{where}:1: edge {u} -{k}-> {v} has unknown relation {k!r}")
        ev = a.get("evidence")
        if not isinstance(ev, list) or not ev:
            problems.append(f"{where}:1: edge {u} -{k}-> {v} has no evidence")
    if problems:
        raise SeedError(problems[:50])
