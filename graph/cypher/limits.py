"""How long and how much memory one embedded Cypher query may take, like Neo4j's db.transaction.timeout.

A few bytes of Cypher can ask for hours of work or gigabytes of rows: four unconnected patterns
(`MATCH (a),(b),(c),(d)`), long variable-length patterns (`[*1..30]`), nested comprehensions,
`range()` over billions, a regular expression that backtracks without end (`(a+)+b`). The engine
stops such a query with one clear QueryError instead of running for minutes.

`QueryLimits` holds the limits: `timeout` in seconds (default 10; 0 or None for none) and
`memory_mb`, the memory the query may add to the process (default 1024 MB; 0 or None for none),
which also caps any single list or string at `memory_mb * 10,000` items (10 million at the
default), checked before it is built. `Guard` enforces them while a query runs:

- cooperatively: the executor's loops (rows, pattern expansion, comprehensions, aggregation)
  call `tick()`, which every few thousand calls looks at the clock and the process's resident
  memory (Linux: /proc/self/statm; elsewhere the peak from getrusage);
- and, when the query runs in the main thread, by a watchdog timer signal (SIGALRM every 0.1 s)
  that makes the same check inside C code that takes long, such as Python's regular expression
  matcher (which checks for signals) or a large sort. The previous handler and timer are restored
  after the query.

Raise the limits with `mechgraph query --query-timeout SECONDS --query-memory MB`, or pass
`limits=QueryLimits(...)` to `CypherEngine.run`.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import dataclass

from ..errors import QueryStopped

DEFAULT_TIMEOUT = 10.0
DEFAULT_MEMORY_MB = 1024
ITEMS_PER_MB = 10_000
CHECK_EVERY = 2048  # ticks between looks at the clock
WATCHDOG_INTERVAL = 0.1


@dataclass(frozen=True)
class QueryLimits:
    """The limits of one query: seconds, and megabytes the query may add to the process."""

    timeout: float | None = DEFAULT_TIMEOUT
    memory_mb: int | None = DEFAULT_MEMORY_MB

    def max_items(self) -> int | None:
        """The most items one list (or characters one string) may hold."""
        return self.memory_mb * ITEMS_PER_MB if self.memory_mb else None


DEFAULT_LIMITS = QueryLimits()
NO_LIMITS = QueryLimits(None, None)


def _page_size() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not POSIX
        return 4096


_PAGE = _page_size()


def resident_bytes() -> int:
    """The process's resident memory now (Linux), else its peak so far (other systems)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        try:
            import resource
            import sys

            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            return peak if sys.platform == "darwin" else peak * 1024
        except Exception:  # noqa: BLE001 - no way to measure: the memory limit does not apply
            return 0


class Guard:
    """Enforces one query's limits (see the module docstring); use as a context manager."""

    __slots__ = ("limits", "deadline", "mem_base", "mem_cap", "max_items", "left", "_checks", "_old",
                 "_armed", "_started")

    def __init__(self, limits: QueryLimits | None = None):
        self.limits = limits or DEFAULT_LIMITS
        self._started = time.monotonic()
        t = self.limits.timeout
        self.deadline = self._started + t if t else None
        self.mem_cap = self.limits.memory_mb * 1024 * 1024 if self.limits.memory_mb else None
        self.mem_base = resident_bytes() if self.mem_cap else 0
        self.max_items = self.limits.max_items()
        self.left = CHECK_EVERY
        self._checks = 0
        self._old = None
        self._armed = False

    # ----- the checks
    def tick(self, n: int = 1) -> None:
        """Count n units of work; every few thousand, check the limits."""
        self.left -= n
        if self.left <= 0:
            self.left = CHECK_EVERY
            self.check()

    def check(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise QueryStopped(
                f"query stopped after {self._fmt(self.limits.timeout)} s, the embedded engine's time limit "
                "(raise it with --query-timeout SECONDS, 0 for none)"
            )
        self._checks += 1
        if self.mem_cap is not None and self._checks % 8 == 0:
            self.check_memory()

    def check_memory(self) -> None:
        if self.mem_cap is not None and resident_bytes() - self.mem_base > self.mem_cap:
            raise QueryStopped(
                f"query stopped: it needed more than {self.limits.memory_mb} MB of memory, the embedded engine's limit "
                "(raise it with --query-memory MB, 0 for none)"
            )

    def items(self, n: int, what: str = "a list") -> None:
        """Refuse to build a list or string of n items (characters) beyond the size limit."""
        if self.max_items is not None and n > self.max_items:
            unit = "characters" if "string" in what else "items"
            raise QueryStopped(
                f"query stopped: {what} of {n:,} {unit} is more than the embedded engine's limit of {self.max_items:,} "
                f"(it grows with --query-memory MB: {ITEMS_PER_MB:,} per MB)"
            )

    @staticmethod
    def _fmt(x: float | None) -> str:
        return f"{x:g}"

    # ----- the watchdog
    def __enter__(self) -> Guard:
        limited = self.deadline is not None or self.mem_cap is not None
        if limited and threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            try:
                if signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0):
                    self._old = signal.signal(signal.SIGALRM, self._on_alarm)
                    signal.setitimer(signal.ITIMER_REAL, WATCHDOG_INTERVAL, WATCHDOG_INTERVAL)
                    self._armed = True
            except (ValueError, OSError):  # pragma: no cover - signals unavailable here
                self._armed = False
        return self

    def __exit__(self, *exc) -> None:
        if not self._armed:
            return
        try:
            self._armed = False  # from here an alarm still in flight is ignored (see _on_alarm)
        finally:  # put back even when that alarm stopped the query inside this method
            signal.setitimer(signal.ITIMER_REAL, 0, 0)
            signal.signal(signal.SIGALRM, self._old if self._old is not None else signal.SIG_DFL)

    def _on_alarm(self, signum, frame) -> None:
        if not self._armed:  # the query has ended: the watchdog is being put back
            return
        self.check()
        if self.mem_cap is not None:
            self.check_memory()
