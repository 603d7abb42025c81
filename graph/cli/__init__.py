"""The `mechgraph` command line, thin: each command parses its options, calls one function of the
package and formats what it returns.

`app` holds the click group and the entry point (`main`); `exits` how every command ends: each
mechgraph error, signal, closed pipe or bug as one line and an exit status; `options` declares
once each option several commands share (the graph's source and the Neo4j connection, --json,
the path search, the expression data, the query limits) and the `State` they fill; `text` shapes
all terminal output (one width, one wrap, tables, JSON, and `finish`, the JSON-or-text ending of
every command that answers), and
`records_text`, `answers_text` and `omics_text` write the seeds' records, the analyses' answers and
the omics results with it. The commands, one module per idea: `seeds` (validate, build, stats,
show, audit), `exchange` (export, load), `query`, `answers` (path, targets, effect, combine,
gaps), `pictures` (viz) and `omics` (overlay, import omnipath-lr).

The command modules import the package only through the public names of its folders (their
`__all__`) and top modules, inside each command, so `mechgraph --help` stays quick; nothing in
the package imports the command line.
"""

from . import answers, exchange, omics, pictures, query, seeds  # noqa: F401  (each adds its commands to `cli`)
from .app import cli, main, run

__all__ = ["cli", "main", "run"]
