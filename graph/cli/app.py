"""The `mechgraph` group and its entry point.

`cli` is the click group, with the graph-source and connection options every command accepts
before its name too; the command modules (seeds, exchange, query, answers, pictures, omics) add
their commands to it when `mechgraph.cli` is imported. `main` runs it through
`mechgraph.cli.exits.run_cli`, which turns whatever happens into one line and an exit status.
"""

from __future__ import annotations

import sys

import click

from .options import State, backend_options


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@backend_options()
@click.version_option(package_name="mechgraph")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """mechgraph: a signed, evidence-backed mechanism graph of the immunology of gastric cancer
    peritoneal metastasis (GCPM) and its immunotherapies."""
    ctx.call_on_close(ctx.ensure_object(State).close)


def main(argv: list[str] | None = None) -> int:
    """Entry point: runs the CLI and turns every mechgraph error into one line and an exit status
    (signals, sanitized output and the error lines: mechgraph.cli.exits)."""
    from .exits import run_cli

    return run_cli(cli, argv)


def run() -> None:
    sys.exit(main())
