"""The fault suite's harness (tests/test_faults.py): running mechgraph in this process or as its
own, checking and counting each case, and a sandbox that shows what a run touched outside its outputs.

`TALLY` holds the counts over the whole suite; `record` checks one run (no traceback, the exit
status, one `error:` line or FILE:LINE problems, a limit hit within LIMIT_CPU_SECONDS) and counts
it; `Sandbox.check` counts files outside the named outputs that changed, temporaries left, and
outputs lost or partial.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from mechgraph.cli import main

LIMIT_CPU_SECONDS = 5.0  # the bound for hitting any limit
LIMIT_WALL_SECONDS = 60.0  # generous: the test machine is shared with other jobs
TEMP_RE = re.compile(r"^\..*\.mechgraph-\d+-[0-9a-f]{12}\.tmp$")
MECHGRAPH = [sys.executable, "-m", "mechgraph"]
TALLY: dict = {"cases": 0, "tracebacks": 0, "lost_or_partial": 0, "outside_touched": 0, "temporaries_left": 0,
               "limits": {}, "signal_trials": 0, "signal_outcomes": {}, "load_trials": []}


# --- running mechgraph ----------------------------------------------------------------------------


@dataclass
class Run:
    code: int
    out: str
    err: str
    wall: float
    cpu: float


def cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> Run:
    """mechgraph in this process (fast): main() with stdout and stderr captured."""
    out, err = io.StringIO(), io.StringIO()
    old_cwd, old_env = os.getcwd(), dict(os.environ)
    if cwd is not None:
        os.chdir(cwd)
    os.environ.update(env or {})
    t0, c0 = time.monotonic(), time.process_time()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(old_cwd)
        os.environ.clear()
        os.environ.update(old_env)
    return Run(code, out.getvalue(), err.getvalue(), time.monotonic() - t0, time.process_time() - c0)


def sh(*args: str, cwd: Path | None = None, timeout: float = 300, **kw) -> Run:
    """mechgraph as its own process (signals, other users, resource limits, real pipes)."""
    t0 = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([*MECHGRAPH, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, **kw)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(proc.returncode, proc.stdout, proc.stderr, time.monotonic() - t0, cpu)


def record(run: Run, *, code: int | tuple[int, ...], says: str | None = None, form: str = "error",
           limit: str | None = None) -> None:
    """Count one case and check it: no traceback, the exit status, the message, its form
    ("error": exactly one `error: ` line; "problems": FILE:LINE lines and a count; None: any)."""
    TALLY["cases"] += 1
    traceback = "Traceback" in run.err or "internal error" in run.err or run.code == 70
    TALLY["tracebacks"] += traceback
    assert not traceback, run.err[-2000:]
    assert run.code in (code if isinstance(code, tuple) else (code,)), (run.code, run.err[-1000:])
    lines = [x for x in run.err.splitlines() if x.strip()]
    if form == "error":
        assert len(lines) == 1 and lines[0].startswith("error: "), run.err[-1000:]
    elif form == "option":  # click's own refusal of an option value: usage, a hint and one `Error:` line
        assert [x for x in lines if x.startswith(("Error: ", "error: "))], run.err[-1000:]
    elif form == "problems":
        assert lines and re.match(r"^\d+ problems? found$", lines[-1]), run.err[-1000:]
        assert all(re.match(r"^.+:\d+: \S", x) for x in lines[:-1]), run.err[-1000:]
    if says is not None:
        assert says in run.err, run.err[-1000:]
    if limit is not None:
        TALLY["limits"][limit] = (round(run.cpu, 2), round(run.wall, 2))
        assert run.cpu < LIMIT_CPU_SECONDS, f"{limit}: {run.cpu:.1f} s of CPU"
        assert run.wall < LIMIT_WALL_SECONDS, f"{limit}: {run.wall:.1f} s"


# --- the sandbox ----------------------------------------------------------------------------------


def snapshot(root: Path) -> dict[str, tuple]:
    """Every path under root (links not followed): its kind and content hash or link target."""
    out: dict[str, tuple] = {}
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in dirs + files:
            p = Path(folder) / name
            rel = str(p.relative_to(root))
            st = p.lstat()
            if p.is_symlink():
                out[rel] = ("link", os.readlink(p))
            elif p.is_dir():
                out[rel] = ("dir",)
            elif p.is_file():
                out[rel] = ("file", hashlib.sha256(p.read_bytes()).hexdigest(), st.st_mode & 0o777)
            else:
                out[rel] = ("other",)
    return out


def temporaries(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if TEMP_RE.match(p.name))


class Sandbox:
    """A folder holding outputs and things outside them; `check` counts what a run did to the rest."""

    def __init__(self, root: Path):
        self.root = root
        (root / "outside").mkdir(parents=True)
        (root / "outside" / "victim.txt").write_text("precious\n")
        (root / "outside" / "target.html").write_text("<p>not mechgraph's</p>\n")
        self.before = snapshot(root)

    def check(self, *outputs: str, old: dict[str, bytes] | None = None,
              complete: dict[str, bytes] | None = None) -> None:
        """Nothing but `outputs` changed; each output in `old` still holds its old bytes (a failed
        run), each in `complete` holds the new bytes; no temporaries left."""
        after = snapshot(self.root)
        allowed = set(outputs)
        touched = [p for p in set(self.before) | set(after)
                   if self.before.get(p) != after.get(p) and not any(p == o or p.startswith(o + "/") for o in allowed)]
        TALLY["outside_touched"] += len(touched)
        left = [t for t in temporaries(self.root) if t not in self.before]  # not what a test planted
        TALLY["temporaries_left"] += len(left)
        bad = [o for o, b in (old or {}).items() if not (self.root / o).is_file() or (self.root / o).read_bytes() != b]
        bad += [o for o, b in (complete or {}).items() if not (self.root / o).is_file()
                or (self.root / o).read_bytes() != b]
        TALLY["lost_or_partial"] += len(bad)
        assert touched == [] and left == [] and bad == [], (touched, left, bad)
