"""Commands that move the graph between mechgraph and other tools: `export` to files, `load` into Neo4j."""

from __future__ import annotations

import click

from .app import cli
from .options import State, backend_options


@cli.command()
@backend_options()
@click.option("--format", "fmt", type=click.Choice(["json", "graphml", "cx2", "sif", "kgx", "indra", "neo4j-admin"]),
              default=None,
              help="Default: from the file extension (.json, .graphml, .cx2, .sif, .tsv for KGX, .indra.json for "
                   "INDRA); "
                   "neo4j-admin writes a folder.")
@click.option("-o", "--output", "output_opt", default=None, type=click.Path(),
              help="File to write (KGX: the prefix; neo4j-admin: the folder).")
@click.argument("output", required=False, type=click.Path())
@click.pass_obj
def export(state: State, fmt: str | None, output_opt: str | None, output: str | None) -> None:
    """Write the graph for other tools: node-link JSON, GraphML (Cytoscape, Gephi), CX2 (NDEx,
    Cytoscape, laid out as the map), SIF (CausalPath, CARNIVAL), KGX TSV (Biolink knowledge graphs),
    INDRA Statements JSON, or CSV files for `neo4j-admin database import` (`--format neo4j-admin
    DIR`; its README.txt says how to import).

    SIF writes FILE.sif (causal steps only) with FILE.carnival.tsv, FILE.nodes.tsv, FILE.edges.tsv,
    FILE.efficacy_modifiers.tsv and FILE.markers.tsv beside it; KGX writes PREFIX_nodes.tsv and
    PREFIX_edges.tsv. CX2 and KGX need `pip install 'mechgraph[exchange]'`.
    """
    from ..errors import MechGraphError
    from ..io import format_for
    from ..pipeline import export_files
    from ..store import source_in_use

    if bool(output) == bool(output_opt):
        raise MechGraphError("give the file to write once: `mechgraph export FILE` or `-o FILE`")
    output = output or output_opt
    fmt = fmt or format_for(output)
    backend = state.backend()
    g = backend.to_networkx()
    files = export_files(g, output, fmt, source=source_in_use(backend, seeds=state.seeds, graph_file=state.graph_file))
    for f in files:
        click.echo(f"wrote {f}")
    what = "folder" if fmt == "neo4j-admin" else fmt
    click.echo(f"({what} export of a graph of {g.number_of_nodes()} nodes and {g.number_of_edges()} edges)")


@cli.command()
@backend_options()
@click.option("--batch-size", default=5000, show_default=True, type=click.IntRange(1, 1_000_000),
              help="Rows per UNWIND statement.")
@click.option("--replace", is_flag=True,
              help="Replace a graph from another source (or nodes that are not mechgraph's).")
@click.pass_obj
def load(state: State, batch_size: int, replace: bool) -> None:
    """Load the graph (seeds, or --from FILE) into Neo4j, atomically.

    Uses --uri/--user/--password/--database or NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD/NEO4J_DATABASE.
    The database records where the graph came from; loading the same graph again reloads it, a
    graph from another source is replaced only with --replace. A load that fails leaves the
    previous graph untouched.
    """
    from ..errors import MechGraphError
    from ..store import load_into_neo4j, source_description, source_graph

    if state.kind == "networkx":
        raise MechGraphError("load writes to Neo4j: run `mechgraph load --backend neo4j`")
    conn = state.connection()
    done = load_into_neo4j(source_graph(seeds=state.seeds, graph_file=state.graph_file), conn,
                           source=source_description(seeds=state.seeds, graph_file=state.graph_file),
                           replace=replace, batch_size=batch_size)
    where = conn.uri + (f" (database {conn.database})" if conn.database else "")
    click.echo(f"loaded {done['nodes']} entities and {done['edges']} edges into Neo4j at {where}")
    click.echo(f"source: {done['source']}, fingerprint {done['fingerprint'][:12]}")
    if done["replaced"]:
        click.echo(f"replaced the graph {done['replaced']}")
    if done.get("warning"):
        click.echo(f"warning: {done['warning']}", err=True)
