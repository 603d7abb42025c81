"""The `mechgraph` group and its entry point: every mechgraph error as one line and an exit status.

`cli` is the click group; the command modules (seeds, exchange, query, answers, pictures, omics)
add their commands to it when `mechgraph.cli` is imported. `main` runs it and turns what can go
wrong into one line on stderr: a `MechGraphError` (`error: ...`, its exit status; a list of
FILE:LINE problems with their count), Ctrl-C or SIGTERM (130, 143), a closed pipe (quietly, 0), a
full disk or vanished file (2), and a bug (70, one line; MECHGRAPH_DEBUG=1 for the traceback).
"""

from __future__ import annotations

import errno
import os
import signal
import sys

import click

from ..errors import MechGraphError, Problems, UnknownEntity
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
    """Entry point: runs the CLI and turns every mechgraph error into one line and an exit status.

    Around the command: SIGINT, SIGTERM and SIGHUP unwind like Ctrl-C so outputs being written are
    discarded (mechgraph.fsio), and everything printed passes through `fsio.SanitizedStream`, so
    control characters in the data cannot reach the terminal as escape sequences."""
    from .. import fsio

    handlers = {s: signal.getsignal(s) for s in fsio.HELD_SIGNALS}
    fsio.reset_signals()
    fsio.install_signal_handlers()
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = fsio.SanitizedStream(sys.stdout), fsio.SanitizedStream(sys.stderr)
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = streams
        for s, h in handlers.items():
            if h is not None:
                signal.signal(s, h)


def _main(argv: list[str] | None) -> int:
    from .. import fsio

    try:
        cli.main(args=argv, prog_name="mechgraph", standalone_mode=False)
        sys.stdout.flush()  # a full disk or closed pipe shows here, not at interpreter exit
    except Problems as e:
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
    except (click.exceptions.Abort, KeyboardInterrupt) as e:
        return _interrupted(e)
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except click.exceptions.Exit as e:
        return e.exit_code
    except BrokenPipeError:
        _silence_stdout()  # the reader (`| head`) has what it wanted: stop quietly
        return 0
    except SystemExit:  # click answers a closed pipe by wrapping stdout in a _PacifyFlushWrapper and sys.exit(1)
        if "PacifyFlushWrapper" in type(sys.stdout).__name__:
            _silence_stdout()
            return 0
        raise
    except Exception as e:
        if fsio.interrupted():  # e.g. an import cut short by Ctrl-C fails again later ("cannot load module more than once")
            return _interrupted(e)
        if isinstance(e, OSError):  # the environment, not a bug: a full disk, a closed terminal, a vanished file
            where = e.filename or ("the output" if e.errno in (errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT) else None)
            if where == "the output":
                _silence_stdout()
            click.echo(f"error: {'cannot write ' if where == 'the output' else ''}{where + ': ' if where else ''}{fsio.reason(e)}", err=True)
            return 2
        if isinstance(e, MemoryError):
            click.echo("error: out of memory; the input is larger than this machine can hold", err=True)
            return 2
        if os.environ.get("MECHGRAPH_DEBUG"):  # a bug: one line for the user, the traceback on request
            raise
        click.echo(f"internal error: {type(e).__name__}: {e} (set MECHGRAPH_DEBUG=1 for the traceback)", err=True)
        return 70
    return 0


def _interrupted(e: BaseException) -> int:
    """Ctrl-C (130), SIGTERM (143) or SIGHUP (129): one word, and the shell's status for the signal."""
    from .. import fsio

    signum = getattr(e, "signum", None) or fsio.interrupted() or signal.SIGINT
    try:
        click.echo("interrupted" if signum == signal.SIGINT else "terminated", err=True)
    except OSError:
        pass
    return 128 + int(signum)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush of a dead pipe or full disk is quiet."""
    from .. import fsio

    try:
        fd = fsio.unfiltered(sys.stdout).fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except (OSError, AttributeError, ValueError):
        pass


def run() -> None:
    sys.exit(main())
