"""The `query` command: raw Cypher (read-only unless --write) or a named query, on either backend."""

from __future__ import annotations

import click

from .app import cli
from .options import State, backend_options, json_option, query_limit_options
from .text import finish, table


@cli.command()
@backend_options()
@click.argument("cypher", required=False)
@click.option("--named", "named", default=None, help="Run a named query (see --list).")
@click.option("--list", "list_named", is_flag=True, help="List the named queries and their parameters.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Query parameter (repeatable); NAME:=JSON for numbers and lists.")
@click.option("--write", is_flag=True, help="Allow the query to write (Neo4j only). Without it queries run read-only.")
@query_limit_options
@json_option
@click.pass_obj
def query(state: State, cypher: str | None, named: str | None, list_named: bool, params: tuple[str, ...], write: bool,
          query_timeout: float, query_memory: int, as_json: bool) -> None:
    """Run Cypher (read-only by default) or a named query, and print a table or JSON rows.

    On the embedded backend a documented subset of Cypher runs (see mechgraph.cypher), within
    --query-timeout and --query-memory (see mechgraph.cypher.limits).
    """
    from ..cypher import QueryLimits, named_query_list, parse_params
    from ..errors import MechGraphError
    from ..store import run_named, run_query

    if list_named:
        finish(named_query_list(), as_json, table)
        return
    if bool(cypher) == bool(named):
        raise MechGraphError("give either a Cypher query or --named NAME (see --list)")
    values = parse_params(params)
    limits = QueryLimits(timeout=query_timeout or None, memory_mb=query_memory or None)
    if named:
        if write:
            raise MechGraphError("named queries only read; --write is for raw Cypher")
        rows = run_named(state.backend(), named, values, limits=limits)
    else:
        rows = run_query(state.backend(), cypher, values, write=write, limits=limits)
    finish(rows, as_json, table)
    if not as_json:
        click.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", err=True)
