"""`python -m mechgraph` and the `mechgraph` command: signal handling first, then the command line.

The handlers of mechgraph.fsio are installed before the command line and its libraries are
imported, so Ctrl-C or SIGTERM during start-up ends with one word and the signal's exit status,
never a traceback.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from . import fsio

    fsio.install_signal_handlers()
    try:
        from .cli import main as cli_main
    except BaseException as e:  # noqa: BLE001 - a signal during the imports
        signum = getattr(e, "signum", None) or fsio.interrupted()
        if signum is None:
            raise
        print("interrupted" if signum == 2 else "terminated", file=sys.stderr)
        return 128 + int(signum)
    return cli_main(argv)


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
