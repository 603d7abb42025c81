"""Aggregating functions of the embedded Cypher engine, as Neo4j 5 computes them.

`Aggregator` accumulates one aggregate for one group: count(*), count, collect, sum and avg (of
numbers or of durations), min and max (in Cypher's global order), stDev and stDevP (sample and
population standard deviation), percentileDisc and percentileCont (the percentile, a number from
0 to 1, is the second argument). Nulls are skipped; DISTINCT keeps the first of equal values.
A collected list (and the values a percentile or DISTINCT holds) counts against the query's
size limit (`limits`).
"""

from __future__ import annotations

import math
from typing import Any

from ..errors import QueryError
from . import temporal
from .values import NUM, canon, check_int, java_float_str, mismatch, order_key


class Aggregator:
    """One aggregate over one group's rows: add() each row's value, then result()."""

    __slots__ = ("kind", "distinct", "seen", "n", "acc", "max_items", "pct", "m2")

    def __init__(self, kind: str, distinct: bool, max_items: int | None = None):
        self.kind, self.distinct = kind, distinct
        self.seen: set | None = set() if distinct else None
        self.n = 0
        self.acc: Any = [] if kind in ("collect", "percentiledisc",
                                       "percentilecont") else None if kind in ("min", "max") else 0
        self.max_items = max_items
        self.pct: Any = None
        self.m2 = 0.0

    def _too_many(self) -> None:
        from ..errors import QueryStopped

        raise QueryStopped(
            f"query stopped: {self.kind}() holds more than the embedded engine's limit of {self.max_items:,} values "
            "(it grows with --query-memory MB)"
        )

    def add(self, v: Any, p: Any = None) -> None:
        k = self.kind
        if k == "count*":
            self.n += 1
            return
        if k in ("percentiledisc", "percentilecont"):
            self._percentile_arg(p)
        if v is None:
            return
        if self.seen is not None:
            c = canon(v)
            if c in self.seen:
                return
            self.seen.add(c)
        self.n += 1
        if (self.max_items is not None and self.n > self.max_items
            and k in ("collect", "percentiledisc", "percentilecont")):
            self._too_many()
        if k == "count":
            return
        if k == "collect":
            self.acc.append(v)
        elif k in ("sum", "avg"):
            if type(v) is temporal.Duration and (self.n == 1 or type(self.acc) is temporal.Duration):
                self.acc = v if self.n == 1 else temporal.duration_plus(self.acc, v)
                return
            if type(v) not in NUM or type(self.acc) is temporal.Duration:
                raise mismatch("a Number or Duration" if self.n == 1 else "a Number"
                               if type(self.acc) is not temporal.Duration else "a Duration", v, f"{k}()")
            self.acc = self.acc + v
            if k == "sum":
                check_int(self.acc)
        elif k == "min":
            if self.acc is None or order_key(v) < order_key(self.acc):
                self.acc = v
        elif k == "max":
            if self.acc is None or order_key(v) > order_key(self.acc):
                self.acc = v
        elif k in ("stdev", "stdevp"):
            if type(v) not in NUM:
                raise mismatch("a Number", v, f"{'stDev' if k == 'stdev' else 'stDevP'}()")
            delta = v - self.acc  # Welford's running mean and sum of squares
            self.acc += delta / self.n
            self.m2 += delta * (v - self.acc)
        else:
            if type(v) not in NUM:
                raise mismatch("a Number", v, f"{'percentileDisc' if k == 'percentiledisc' else 'percentileCont'}()")
            self.acc.append(v)

    def _percentile_arg(self, p: Any) -> None:
        if type(p) not in NUM or not 0.0 <= p <= 1.0:
            shown = (java_float_str(p) if type(p) is float else str(p) if type(p) is int else "null" if p is None
                     else str(p))
            raise QueryError(f"Invalid input '{shown}' is not a valid argument, must be a number in the range 0.0 to "
                             "1.0")
        self.pct = float(p)

    def result(self) -> Any:
        k = self.kind
        if k in ("count*", "count"):
            return self.n
        if k == "avg":
            if self.n and type(self.acc) is temporal.Duration:
                return temporal.duration_divided(self.acc, self.n)
            return None if self.n == 0 else self.acc / self.n
        if k in ("stdev", "stdevp"):
            div = self.n - 1 if k == "stdev" else self.n
            return 0.0 if div <= 0 else math.sqrt(self.m2 / div)
        if k in ("percentiledisc", "percentilecont"):
            return self._percentile()
        return self.acc

    def _percentile(self) -> Any:
        """Neo4j's rules: percentileDisc takes the value at the rank `ceil(p * n)` (the first for 0),
        percentileCont interpolates between the two values around `p * (n - 1)`."""
        vals = sorted(self.acc)
        n = len(vals)
        if n == 0:
            return None
        p = self.pct
        if self.kind == "percentiledisc":
            f = p * n
            i = int(f)
            i = i if f != i or i == 0 else i - 1
            return vals[min(i, n - 1)]
        f = p * (n - 1)
        lo, hi = int(f), int(math.ceil(f))
        if lo == hi or lo == n - 1:
            return vals[lo]  # a value of the list itself, as Neo4j returns it (an Integer stays one)
        return vals[lo] * (hi - f) + vals[hi] * (f - lo)
