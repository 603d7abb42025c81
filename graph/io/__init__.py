"""Exchange: one module per file format, each with a writer and (where the format can hold the whole
graph) a reader, and the dispatch by format name or file extension.

- `nodelink`: node-link JSON, every attribute, exact round trip;
- `graphml`: GraphML with Cytoscape's columns (name, interaction, typed sign and score), exact
  round trip;
- `cx2`: CX2 for NDEx and Cytoscape, with a visual style and the map's layout, through ndex2; exact
  round trip;
- `sif`: SIF of the causal steps only, in CausalPath's signed relation names, CARNIVAL's +1/-1 table,
  attribute tables, and markers and efficacy modifiers in files of their own;
- `kgx`: KGX TSV (Biolink 4 nodes and qualified statements) through kgx, genes by HGNC id (`hgnc`);
  `kgx_cli` runs kgx's own command line offline;
- `indra`: INDRA Statements JSON (the mechanism steps INDRA can hold), for INDRA's assembly;
- `neo4j_admin`: a folder of CSV files for `neo4j-admin database import` (bulk first loads), in
  the Neo4j layout of `neo4j_layout`, which the online loader shares.

`verify` checks a graph read back (types, kinds, relations, levels) before anything uses it.
`columns` derives the values these formats share (sign as +1/-1/0, the evidence score, the CURIE
a node represents, how an edge is known). Writes go to a staging folder beside the target and are
renamed into place together only when every file of the export is complete (mechgraph.fsio), so a
failed or interrupted export never leaves half a file and never writes through a link. ndex2 and
kgx are optional (`pip install 'mechgraph[exchange]'`) and imported only when their format is used.
This layer imports `schema`, `edges`, `props`, `errors` and `fsio` only; a layout (CX2) comes in as
positions from the caller (mechgraph.pipeline), since the pictures sit above.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import networkx as nx

from ..errors import ExportError
from ..fsio import Publication
from .cx2 import read_cx2, write_cx2
from .graphml import read_graphml, write_graphml
from .indra import write_indra
from .kgx import kgx_files, write_kgx
from .neo4j_admin import write_neo4j_admin
from .nodelink import read_json, to_node_link, write_json
from .sif import SIF_COMPANIONS, sibling, write_sif
from .verify import check_graph

WRITERS: dict[str, Callable[..., None]] = {
    "json": write_json,
    "graphml": write_graphml,
    "cx2": write_cx2,
    "sif": write_sif,
    "kgx": write_kgx,
    "indra": write_indra,
}
FOLDER_WRITERS: dict[str, Callable[..., Path]] = {"neo4j-admin": write_neo4j_admin}  # write a folder, take a source
# Formats that record what the graph came from, and that place nodes where the caller says.
TAKES_SOURCE = ("cx2",)
TAKES_POSITIONS = ("cx2",)
READERS: dict[str, Callable[[Path], nx.MultiDiGraph]] = {"json": read_json, "graphml": read_graphml, "cx2": read_cx2}
FORMATS = (*WRITERS, *FOLDER_WRITERS)
EXTENSIONS = {".json": "json", ".graphml": "graphml", ".xml": "graphml", ".cx2": "cx2", ".cx": "cx2", ".sif": "sif",
              ".tsv": "kgx"}

__all__ = ["FORMATS", "READERS", "TAKES_POSITIONS", "TAKES_SOURCE", "export_files", "export_graph", "format_for",
           "output_files", "read_graph", "to_node_link"]


def output_files(path: Path | str, fmt: str) -> list[Path]:
    """Every file an export to `path` in `fmt` writes, the main one first."""
    path = Path(path)
    if fmt == "sif":
        return [path] + [sibling(path, s) for s in SIF_COMPANIONS]
    if fmt == "kgx":
        return kgx_files(path)
    return [path]


def export_files(g: nx.MultiDiGraph, path: Path | str, fmt: str = "json", *, source: str | None = None,
                 positions: dict | None = None, publication: Publication | None = None) -> list[Path]:
    """Write the graph to `path` in `fmt`; return every file written (SIF and KGX write several,
    neo4j-admin a folder). `source` (what the graph came from) is recorded by formats that keep it;
    `positions` (node -> (x, y)) places the nodes of formats that hold a layout (CX2). With
    `publication`, the files are staged in it and published with its other outputs."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if publication is None:
        with Publication(create_folders=fmt in FOLDER_WRITERS) as pub:
            return export_files(g, path, fmt, source=source, positions=positions, publication=pub)
    if fmt in FOLDER_WRITERS:
        return [FOLDER_WRITERS[fmt](g, path, source=source, publication=publication)]
    path = Path(path)
    targets = output_files(path, fmt)
    parent = path.parent if str(path.parent) else Path(".")
    if not publication.create_folders and not parent.exists():
        raise ExportError(f"{path}: cannot write: folder {parent} does not exist")
    staging = publication.staging(path)
    options: dict = {}
    if fmt in TAKES_SOURCE and source:
        options["source"] = source
    if fmt in TAKES_POSITIONS and positions:
        options["positions"] = positions
    WRITERS[fmt](g, staging / path.name, **options)
    for final in targets:
        publication.adopt(staging / final.name, final)
    return targets


def export_graph(g: nx.MultiDiGraph, path: Path | str, fmt: str = "json", *, source: str | None = None,
                 positions: dict | None = None, publication: Publication | None = None) -> Path:
    """Write the graph to `path` in `fmt` (see FORMATS); return the main file (or folder) written."""
    return export_files(g, path, fmt, source=source, positions=positions, publication=publication)[0]


def format_for(path: Path | str) -> str:
    """The export format implied by a file name (`.indra.json`: INDRA statements)."""
    if Path(path).name.lower().endswith(".indra.json"):
        return "indra"
    suffix = Path(path).suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    known = ", ".join(sorted(EXTENSIONS))
    raise ExportError(f"{path}: cannot tell the format from the extension ({known}); give --format")


def read_graph(path: Path | str) -> nx.MultiDiGraph:
    """Read an exported JSON, GraphML or CX2 file back into the mechanism graph, checking it."""
    path = Path(path)
    fmt = format_for(path)
    if fmt not in READERS:
        raise ExportError(f"{path}: {fmt} holds only part of the graph and cannot be read back; use .json, .graphml "
                          "or .cx2")
    if not path.is_file():
        raise ExportError(f"{path}: no such file")
    g = READERS[fmt](path)
    check_graph(g, str(path))
    return g
