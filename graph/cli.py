"""The `mechgraph` command line: each command parses options, calls one function in graph/, formats.

Heavy modules (neo4j, pyvis) are imported inside commands so `mechgraph --help` stays instant.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from .errors import MechGraphError, SeedError, UnknownEntity


class State:
    """Global options, and the backend opened lazily on first use."""

    def __init__(self, backend: str, seeds: str | None, graph_file: str | None, uri: str | None, user: str | None, password: str | None):
        self.backend_kind = backend
        self.seeds = seeds
        self.graph_file = graph_file
        self.uri, self.user, self.password = uri, user, password
        self._backend = None

    def connection(self):
        from .backend import Connection

        return Connection.from_env(self.uri, self.user, self.password)

    def backend(self):
        if self._backend is None:
            from .backend import open_backend

            self._backend = open_backend(
                self.backend_kind, seeds=self.seeds, graph_file=self.graph_file, connection=self.connection()
            )
        return self._backend

    def source_graph(self):
        from .backend import source_graph

        return source_graph(seeds=self.seeds, graph_file=self.graph_file)

    def close(self) -> None:
        if self._backend is not None:
            self._backend.close()


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def table(rows: list[dict[str, Any]], columns: list[str] | None = None, max_width: int = 60) -> str:
    """A plain-text table; long cells are cut with an ellipsis."""
    if not rows:
        return "(no rows)"
    columns = columns or list(dict.fromkeys(k for r in rows for k in r))

    def cell(v: Any) -> str:
        if isinstance(v, (list, tuple)):
            v = ", ".join(str(x) for x in v)
        elif isinstance(v, dict):
            v = json.dumps(v, ensure_ascii=False)
        s = "" if v is None else str(v).replace("\n", " ")
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    cells = [[cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(x.ljust(w) for x, w in zip(row, widths)).rstrip() for row in cells]
    return "\n".join(lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--backend",
    type=click.Choice(["auto", "networkx", "neo4j"]),
    default=lambda: os.environ.get("MECHGRAPH_BACKEND", "networkx"),
    show_default="networkx, or $MECHGRAPH_BACKEND",
    help="Graph store: the embedded NetworkX graph (no server), Neo4j, or auto (Neo4j when it answers).",
)
@click.option("--seeds", type=click.Path(), default=None, help="Seed folder or file (default: ./seeds or $MECHGRAPH_SEEDS).")
@click.option("--from", "graph_file", type=click.Path(), default=None, help="Use an exported .json or .graphml graph instead of the seeds.")
@click.option("--uri", default=None, help="Neo4j Bolt URI (default: $NEO4J_URI or bolt://localhost:7687).")
@click.option("--user", default=None, help="Neo4j user (default: $NEO4J_USER or neo4j).")
@click.option("--password", default=None, help="Neo4j password (default: $NEO4J_PASSWORD).")
@click.version_option(package_name="mechgraph")
@click.pass_context
def cli(ctx: click.Context, backend: str, seeds: str | None, graph_file: str | None, uri: str | None, user: str | None, password: str | None) -> None:
    """mechgraph: a signed, evidence-backed mechanism graph of the immunology of gastric cancer
    peritoneal metastasis (GCPM) and its immunotherapies."""
    state = State(backend, seeds, graph_file, uri, user, password)
    ctx.obj = state
    ctx.call_on_close(state.close)


@cli.command()
@click.argument("path", required=False, type=click.Path())
@click.pass_obj
def validate(state: State, path: str | None) -> None:
    """Check seed files: schema, references, ids, evidence on every edge, CURIEs.

    Each problem is printed as FILE:LINE: message; the exit status is 2 when any is found.
    """
    from .model import build_graph
    from .seeds import read_seeds

    data = read_seeds(path or state.seeds)
    g = build_graph(data)
    click.echo(f"ok: {g.number_of_nodes()} entities, {g.number_of_edges()} edges, {len(data.references)} references")


@cli.command()
@json_option
@click.pass_obj
def stats(state: State, as_json: bool) -> None:
    """Counts of entities by kind and of edges by relation."""
    s = state.backend().stats().as_dict()
    if as_json:
        emit_json(s)
        return
    click.echo(f"{s['nodes']} entities, {s['edges']} edges, {s['evidence_records']} evidence records citing {s['references_cited']} references")
    click.echo()
    click.echo(table([{"kind": k, "count": v} for k, v in s["by_kind"].items()]))
    click.echo()
    click.echo(table([{"relation": k, "count": v} for k, v in s["by_relation"].items()]))


def _format_evidence(ev: dict[str, Any]) -> str:
    doi = f" doi:{ev['doi']}" if ev.get("doi") else ""
    figs = f" [{ev['figures']}]" if ev.get("figures") else ""
    return f"      ref {ev.get('ref')}{doi} | {ev.get('species')} | {ev.get('level')}: {ev.get('summary')}{figs}"


@cli.command()
@click.argument("name")
@json_option
@click.pass_obj
def show(state: State, name: str, as_json: bool) -> None:
    """An entity with its edges and their evidence. NAME: id, English or Chinese name, or synonym."""
    from .entities import describe

    view = describe(state.backend(), name)
    if as_json:
        emit_json(view.as_dict())
        return
    e = view.entity
    zh = f"  {e['name_zh']}" if e.get("name_zh") else ""
    click.echo(f"{e.get('name')}{zh}  [{e.get('id')}]  {e.get('kind')} ({e.get('category', '')})")
    for label, key in (("synonyms", "synonyms"), ("xrefs", "xrefs"), ("axes", "axes")):
        if e.get(key):
            click.echo(f"  {label}: {', '.join(e[key])}")
    if e.get("description"):
        click.echo(f"  {e['description']}")
    for c in e.get("caveats") or []:
        click.echo(f"  caveat: {c}")
    for title, rows, arrow in (("outgoing", view.outgoing, "->"), ("incoming", view.incoming, "<-")):
        if not rows:
            continue
        click.echo(f"\n{title} ({len(rows)}):")
        for r in rows:
            ctx = f"  ({r['context']})" if r.get("context") else ""
            direction = f" [{r['direction']}]" if r.get("direction") else ""
            click.echo(f"  {arrow} {r['relation']} ({r.get('sign')}){direction} {r['other_name']} [{r['other']}]{ctx}")
            for ev in r.get("evidence") or []:
                click.echo(_format_evidence(ev))
            for c in r.get("caveats") or []:
                click.echo(f"      caveat: {c}")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["json", "graphml"]), default=None, help="Default: from the file extension.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="File to write.")
@click.pass_obj
def export(state: State, fmt: str | None, output: str) -> None:
    """Write the graph as node-link JSON or GraphML (opens in Cytoscape and Gephi)."""
    from .io import export_graph, format_for

    fmt = fmt or format_for(output)
    g = state.backend().to_networkx()
    path = export_graph(g, output, fmt)
    click.echo(f"wrote {path} ({fmt}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges)")


def main(argv: list[str] | None = None) -> int:
    """Entry point: runs the CLI and turns every mechgraph error into one line and an exit status."""
    try:
        cli.main(args=argv, prog_name="mechgraph", standalone_mode=False)
    except SeedError as e:
        for p in e.problems:
            click.echo(p, err=True)
        click.echo(f"{len(e.problems)} problem{'s' if len(e.problems) != 1 else ''} found", err=True)
        return e.exit_code
    except UnknownEntity as e:
        click.echo(f"error: no entity matches {e.name!r}", err=True)
        if e.suggestions:
            click.echo("did you mean:", err=True)
            for s in e.suggestions:
                click.echo(f"  {s}", err=True)
        return e.exit_code
    except MechGraphError as e:
        click.echo(f"error: {e}", err=True)
        return e.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except click.exceptions.Exit as e:
        return e.exit_code
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # a bug: one line for the user, the traceback on request
        if os.environ.get("MECHGRAPH_DEBUG"):
            raise
        click.echo(f"internal error: {type(e).__name__}: {e} (set MECHGRAPH_DEBUG=1 for the traceback)", err=True)
        return 70
    return 0


def run() -> None:
    sys.exit(main())
