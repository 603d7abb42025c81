"""The one place a backend is chosen: the embedded graph, Neo4j, or Neo4j when it answers."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import BackendUnavailable, MechGraphError
from .protocol import Backend, Connection

BACKENDS = ("auto", "networkx", "neo4j")


def open_backend(
    kind: str = "networkx",
    *,
    seeds: Path | str | None = None,
    graph_file: Path | str | None = None,
    connection: Connection | None = None,
    notice=None,
) -> Backend:
    """Open the chosen backend. `auto` tries Neo4j and falls back to NetworkX with a notice.

    The embedded backend is built from the seed folder, or from an exported graph file when
    `graph_file` is given. `notice` receives one-line messages (default: stderr).
    """
    if kind not in BACKENDS:
        raise MechGraphError(f"unknown backend {kind!r}; choose one of {', '.join(BACKENDS)}")
    say = notice or (lambda msg: print(msg, file=sys.stderr))
    if kind in ("neo4j", "auto"):
        from .neo4j_backend import Neo4jBackend

        conn = connection or Connection.from_env()
        try:
            return Neo4jBackend(conn)
        except BackendUnavailable as e:
            if kind == "neo4j":
                raise
            say(f"notice: {e}; using the embedded NetworkX backend instead")
    return embedded_backend(seeds=seeds, graph_file=graph_file)


def source_graph(*, seeds: Path | str | None = None, graph_file: Path | str | None = None) -> nx.MultiDiGraph:
    """The graph as the user supplied it: an exported file if given, else the seed folder."""
    if graph_file is not None:
        from ..io import read_graph

        return read_graph(graph_file)
    from ..curation import graph_from_seeds

    return graph_from_seeds(seeds)


def source_description(*, seeds: Path | str | None = None, graph_file: Path | str | None = None) -> str:
    """What `source_graph` reads, in words a load records as its source: the file, or the seed folder."""
    if graph_file is not None:
        return f"file {Path(graph_file).resolve()}"
    from ..curation.seeds import default_seed_path

    return f"seeds {Path(seeds if seeds is not None else default_seed_path()).resolve()}"


def embedded_backend(*, seeds: Path | str | None = None, graph_file: Path | str | None = None) -> Backend:
    from .embedded import NetworkXBackend

    return NetworkXBackend(source_graph(seeds=seeds, graph_file=graph_file))


def source_in_use(backend: Backend, *, seeds: Path | str | None = None, graph_file: Path | str | None = None) -> str:
    """What the graph in use came from, as an export records it: the seeds or the file it was read
    from, or the Neo4j database and the source its load recorded."""
    if backend.name == "neo4j":
        info = backend.graph_info() or {}
        return f"Neo4j at {backend.conn.uri}" + (f", loaded from {info['source']}" if info.get("source") else "")
    return source_description(seeds=seeds, graph_file=graph_file)


def graph_counts(backend: Backend) -> dict[str, Any]:
    """`mechgraph stats`: entities by kind and edges by relation (counted by the store), and edges by
    support and by best level (mechgraph.curation.provenance_counts)."""
    from ..curation import provenance_counts

    return {**backend.stats().as_dict(), **provenance_counts(backend.to_networkx())}
