#!/usr/bin/env python3
"""Run every command the README shows and compare its output with what the README prints.

In a fenced code block, a line `$ COMMAND` is a command; the lines after it, up to the next
`$ ` line or the end of the block, are its output as a terminal shows it (stdout and stderr). A
line `...` ends a shown output early: the real output must start with the lines above it. A
command whose output block is empty must succeed (exit 0) and print nothing; one that is
expected to fail shows its message (the exit status is then checked to be non-zero).

Commands run with bash in a scratch project folder, `proj/`, whose `seeds` is the checkout's (a
link) and whose parent holds `shared` (a link to the checkout's ../shared), so README paths such
as `seeds/` and `../shared/source/...` work and nothing is written into the checkout. Commands
that need Neo4j (`--backend neo4j`, `load`) run only when NEO4J_URI is set.

    python -m tests.support.readme_examples            # check; exit 1 on any difference
    python -m tests.support.readme_examples --update   # rewrite the shown outputs from the real ones
    python -m tests.support.readme_examples --list     # the examples, one per line

(from the checkout's root; tests/test_readme.py runs the same check)
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .checkout import README, ROOT

ELLIPSIS = "..."
MAX_SHOWN = 30  # --update shows at most this many lines of a new example's output
NEO4J_RE = re.compile(r"--backend\s+neo4j|\bmechgraph\s+load\b|neo4j-local\.sh|docker\b|NEO4J_URI=\$")


@dataclass
class Example:
    """One command of the README and the output shown under it."""

    line: int  # 1-based line of the `$ ` line
    command: str
    shown: list[str] = field(default_factory=list)
    output_lines: tuple[int, int] = (0, 0)  # [start, end) line indexes (0-based) of the shown output

    @property
    def truncated(self) -> bool:
        return bool(self.shown) and self.shown[-1].strip() == ELLIPSIS

    @property
    def needs_neo4j(self) -> bool:
        return bool(NEO4J_RE.search(self.command))

    @property
    def runnable(self) -> bool:
        """Commands of this project only: mechgraph, and the shell steps that set an example up."""
        return not self.command.startswith(("pip ", "python3 -m venv", ".venv/", "docker", "cd ", "python -m tests.",
                                            "python -m benchmarks"))


def parse(text: str) -> list[Example]:
    lines = text.split("\n")
    out: list[Example] = []
    in_block = False
    current: Example | None = None
    for i, line in enumerate(lines):
        if line.startswith("```"):
            if in_block and current is not None:
                current.output_lines = (current.output_lines[0], i)
                out.append(current)
                current = None
            in_block = not in_block
            continue
        if not in_block:
            continue
        if line.startswith("$ "):
            if current is not None:
                current.output_lines = (current.output_lines[0], i)
                out.append(current)
            current = Example(i + 1, line[2:].strip(), [], (i + 1, i + 1))
        elif current is not None:
            current.shown.append(line)
    for ex in out:
        ex.shown = lines[ex.output_lines[0] : ex.output_lines[1]]
    return [ex for ex in out if ex.runnable]


def scratch() -> Path:
    base = Path(tempfile.mkdtemp(prefix="mechgraph-readme-"))
    proj = base / "proj"
    proj.mkdir()
    (proj / "seeds").symlink_to(ROOT / "seeds")
    shared = ROOT.parent / "shared"
    if shared.exists():
        (base / "shared").symlink_to(shared)
    return proj


def run(ex: Example, cwd: Path) -> tuple[int, list[str]]:
    env = {k: v for k, v in os.environ.items() if k not in ("MECHGRAPH_SEEDS", "MECHGRAPH_BACKEND", "MECHGRAPH_DEBUG")}
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    env["COLUMNS"] = "100"
    proc = subprocess.run(["bash", "-c", ex.command], cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=300)
    lines = proc.stdout.rstrip("\n").split("\n") if proc.stdout.strip() else []
    return proc.returncode, [ln.rstrip() for ln in lines]


def compare(ex: Example, code: int, actual: list[str]) -> str | None:
    """A one-line description of the difference, or None when the output matches."""
    shown = [ln.rstrip() for ln in ex.shown]
    while shown and not shown[-1]:
        shown.pop()
    expect_failure = bool(shown) and (shown[-1].endswith("found") and "problem" in shown[-1]
                                      or shown[0].startswith("error:"))
    if expect_failure and code == 0:
        return "exit status 0, but the README shows a failure"
    if not expect_failure and code != 0:
        return f"exit status {code}: {' | '.join(actual[-3:])}"
    if ex.truncated:
        head = shown[:-1]
        if actual[: len(head)] != head:
            return _first_difference(head, actual[: len(head)])
        return None
    if actual != shown:
        return _first_difference(shown, actual)
    return None


def _first_difference(shown: list[str], actual: list[str]) -> str:
    for i, (a, b) in enumerate(zip(shown, actual, strict=False)):
        if a != b:
            return f"output line {i + 1}: README shows {a!r}, the program prints {b!r}"
    if len(shown) != len(actual):
        return f"README shows {len(shown)} lines, the program prints {len(actual)}"
    return "differs"


def check(examples: list[Example], *, neo4j: bool) -> list[tuple[Example, str]]:
    problems = []
    cwd = scratch()
    try:
        for ex in examples:
            if ex.needs_neo4j and not neo4j:
                continue
            code, actual = run(ex, cwd)
            diff = compare(ex, code, actual)
            if diff:
                problems.append((ex, diff))
    finally:
        shutil.rmtree(cwd.parent, ignore_errors=True)
    return problems


def update(text: str, examples: list[Example], *, neo4j: bool) -> str:
    lines = text.split("\n")
    cwd = scratch()
    try:
        replacements = []
        for ex in examples:
            if ex.needs_neo4j and not neo4j:
                continue
            _, actual = run(ex, cwd)
            if ex.truncated:
                new = actual[: len(ex.shown) - 1] + [ELLIPSIS]
            elif len(actual) > MAX_SHOWN:  # a long output is shown as its start
                new = actual[: MAX_SHOWN - 1] + [ELLIPSIS]
            else:
                new = actual
            replacements.append((ex.output_lines, new))
    finally:
        shutil.rmtree(cwd.parent, ignore_errors=True)
    for (start, end), new in sorted(replacements, reverse=True):
        lines[start:end] = new
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--update", action="store_true", help="rewrite the outputs shown in the README")
    p.add_argument("--list", action="store_true", help="list the examples")
    args = p.parse_args()
    text = README.read_text(encoding="utf-8")
    examples = parse(text)
    neo4j = bool(os.environ.get("NEO4J_URI"))
    if args.list:
        for ex in examples:
            print(f"README.md:{ex.line}: {ex.command}{'  (needs Neo4j)' if ex.needs_neo4j else ''}")
        return 0
    if args.update:
        README.write_text(update(text, examples, neo4j=neo4j), encoding="utf-8")
        print(f"updated the outputs of {len(examples)} examples")
        return 0
    problems = check(examples, neo4j=neo4j)
    for ex, diff in problems:
        print(f"README.md:{ex.line}: `{ex.command}`: {diff}")
    print(f"{len(examples) - len(problems)} of {len(examples)} README examples match"
          + ("" if neo4j else " (Neo4j examples skipped)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
