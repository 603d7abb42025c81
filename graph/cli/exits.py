"""How a mechgraph command ends: one line per error and the exit status, whatever happened.

`run_cli` wraps the click group: SIGINT, SIGTERM and SIGHUP unwind like Ctrl-C so outputs being
written are discarded (mechgraph.fsio) and end with one word and the signal's status (130, 143,
129); everything printed passes through `fsio.SanitizedStream`, so control characters in the data
cannot reach the terminal as escape sequences; a mechgraph error is one `error:` line (the
problems of seed and graph files one FILE:LINE line each, then their count); a closed pipe
(`| head`) ends quietly with status 0; a full disk, a vanished file or exhausted memory is one
line with status 2; anything else is a bug, shown as one `internal error` line (status 70) with
the traceback under MECHGRAPH_DEBUG=1.
"""

from __future__ import annotations

import errno
import os
import signal
import sys

import click

from .. import fsio
from ..errors import MechGraphError, Problems, UnknownEntity


def run_cli(group: click.Group, argv: list[str] | None = None) -> int:
    """Run the click `group` and turn every mechgraph error into one line and an exit status.

    Around the command: SIGINT, SIGTERM and SIGHUP unwind like Ctrl-C so outputs being written are
    discarded (mechgraph.fsio), and everything printed passes through `fsio.SanitizedStream`, so
    control characters in the data cannot reach the terminal as escape sequences."""
    handlers = {s: signal.getsignal(s) for s in fsio.HELD_SIGNALS}
    fsio.reset_signals()
    fsio.install_signal_handlers()
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = fsio.SanitizedStream(sys.stdout), fsio.SanitizedStream(sys.stderr)
    try:
        return _main(group, argv)
    finally:
        sys.stdout, sys.stderr = streams
        for s, h in handlers.items():
            if h is not None:
                signal.signal(s, h)


def _main(group: click.Group, argv: list[str] | None) -> int:
    try:
        group.main(args=argv, prog_name="mechgraph", standalone_mode=False)
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
        # e.g. an import cut short by Ctrl-C fails again later ("cannot load module more than once")
        if fsio.interrupted():
            return _interrupted(e)
        if isinstance(e, OSError):  # the environment, not a bug: a full disk, a closed terminal, a vanished file
            where = e.filename or ("the output"
                                   if e.errno in (errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT) else None)
            if where == "the output":
                _silence_stdout()
            action = "cannot write " if where == "the output" else ""
            click.echo(f"error: {action}{where + ': ' if where else ''}{fsio.reason(e)}", err=True)
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
    signum = getattr(e, "signum", None) or fsio.interrupted() or signal.SIGINT
    try:
        click.echo("interrupted" if signum == signal.SIGINT else "terminated", err=True)
    except OSError:
        pass
    return 128 + int(signum)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush of a dead pipe or full disk is quiet."""
    try:
        fd = fsio.unfiltered(sys.stdout).fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except (OSError, AttributeError, ValueError):
        pass
