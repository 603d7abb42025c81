"""kgx's own command line, offline: `python -m mechgraph.io.kgx_cli validate -i tsv A_nodes.tsv A_edges.tsv`.

kgx fetches the Biolink model from the web when it is imported; this runs the same `kgx` command
(validate, graph-summary, transform, ...) after pointing it at the model the `biolink-model`
package installs (`mechgraph.io.kgx.load_kgx`), so it runs without a network and checks against
the model version mechgraph writes for. Arguments and exit status are kgx's.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    from .kgx import load_kgx  # noqa: PLC0415

    load_kgx()
    from kgx.cli import cli  # noqa: PLC0415

    cli.main(args=sys.argv[1:] if argv is None else argv, prog_name="kgx")


if __name__ == "__main__":
    main()
