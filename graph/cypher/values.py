"""Cypher values in the embedded engine: matched nodes and relationships, and the operators on values.

Equality, ordering, comparison, IN, boolean logic, arithmetic and string conversion follow Neo4j 5's
rules: three-valued logic with null, Integer/Float mixing, 64-bit integer overflow as an error,
and Java's formatting of floats.
"""

from __future__ import annotations

import math
from typing import Any

from ..errors import QueryError
from . import temporal
from .temporal import TEMPORAL_TYPES

INT_MIN, INT_MAX = -(2**63), 2**63 - 1
NUM = (int, float)


def unsupported(what: str) -> QueryError:
    """The error for valid Cypher outside the embedded subset."""
    return QueryError(f"unsupported Cypher: {what}")


class Node:
    """A matched node: its key in the NetworkX graph."""

    __slots__ = ("k",)

    def __init__(self, k):
        self.k = k

    def __eq__(self, o):
        return type(o) is Node and o.k == self.k

    def __hash__(self):
        return hash(("n", self.k))


class Rel:
    """A matched relationship: (source, target, key) in the stored direction."""

    __slots__ = ("u", "v", "k")

    def __init__(self, u, v, k):
        self.u, self.v, self.k = u, v, k

    def rid(self) -> tuple:
        return (self.u, self.v, self.k)

    def __eq__(self, o):
        return type(o) is Rel and (o.u, o.v, o.k) == (self.u, self.v, self.k)

    def __hash__(self):
        return hash(("r", self.u, self.v, self.k))


class Path:
    """A matched path: its node keys and its relationships (`Rel`), in pattern order."""

    __slots__ = ("nodes", "rels")

    def __init__(self, nodes: tuple, rels: tuple):
        self.nodes, self.rels = nodes, rels

    def __eq__(self, o):
        return type(o) is Path and o.nodes == self.nodes and o.rels == self.rels

    def __hash__(self):
        return hash(("p", self.nodes, self.rels))


def type_name(v: Any) -> str:
    if v is None:
        return "Null"
    return {
        bool: "Boolean", int: "Integer", float: "Float", str: "String", list: "List", dict: "Map",
        Node: "Node", Rel: "Relationship", Path: "Path",
    }.get(type(v)) or getattr(v, "KIND", None) or type(v).__name__


def mismatch(expected: str, v: Any, where: str = "") -> QueryError:
    w = f" in {where}" if where else ""
    return QueryError(f"Type mismatch{w}: expected {expected} but was {type_name(v)}")


def check_int(x):
    if type(x) is int and not INT_MIN <= x <= INT_MAX:
        raise QueryError("integer overflow (beyond 64 bits)")
    return x


def java_float_str(x: float) -> str:
    """A float as Java's Double.toString writes it (Neo4j's toString)."""
    if x != x:
        return "NaN"
    if x in (math.inf, -math.inf):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    r = repr(x)
    if 1e-3 <= abs(x) < 1e7 and "e" not in r:
        return r if "." in r else r + ".0"
    from decimal import Decimal

    sign, digits, exp = Decimal(r).as_tuple()
    ds = "".join(map(str, digits))
    e10 = len(ds) - 1 + int(exp)
    ds = ds.rstrip("0") or "0"
    return f"{'-' if sign else ''}{ds[0]}.{ds[1:] or '0'}E{e10}"


def to_string(v: Any) -> str:
    t = type(v)
    if t is str:
        return v
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return str(v)
    if t is float:
        return java_float_str(v)
    if t in TEMPORAL_TYPES:
        return temporal.to_string(v)
    raise mismatch("a String, Number, Boolean or temporal value", v, "toString()")


def canon(v: Any) -> Any:
    """A hashable key under which equivalent values (DISTINCT, grouping) coincide."""
    t = type(v)
    if v is None:
        return None
    if t is bool:
        return ("b", v)
    if t is int or t is float:
        return ("nan", object()) if v != v else ("#", v)  # Neo4j: no NaN is the same as another
    if t is str:
        return ("s", v)
    if t is list:
        return ("l", tuple(canon(x) for x in v))
    if t is dict:
        return ("m", tuple(sorted((k, canon(x)) for k, x in v.items())))
    if t is Node:
        return ("n", v.k)
    if t is Rel:
        return ("r", v.u, v.v, v.k)
    if t is Path:
        return ("p", v.nodes, tuple(r.rid() for r in v.rels))
    if t in TEMPORAL_TYPES:
        return ("t", t.KIND, v.fields())
    return ("?", repr(v))


def order_key(v: Any) -> tuple:
    """Sort key of Cypher's global order: map < node < rel < list < path < temporal values (datetime,
    local datetime, date, time, local time, duration) < string < boolean < number < null."""
    t = type(v)
    if v is None:
        return (9,)
    if t is int or t is float:
        return (7, 1, 0) if v != v else (7, 0, v)
    if t is str:
        return (5, v)
    if t is bool:
        return (6, v)
    if t is list:
        return (3, tuple(order_key(x) for x in v))
    if t is dict:
        return (0, tuple(sorted((k, order_key(x)) for k, x in v.items())))
    if t is Node:
        return (1, repr(v.k))
    if t is Rel:
        return (2, repr((v.u, v.v, v.k)))
    if t is Path:
        return (4, 0, tuple(repr(n) for n in v.nodes), tuple(repr(r.rid()) for r in v.rels))
    if t in TEMPORAL_TYPES:
        return (4, 1, temporal.order_key(v))
    return (8, repr(v))


def equals(a: Any, b: Any) -> bool | None:
    if a is None or b is None:
        return None
    ta, tb = type(a), type(b)
    if ta is int or ta is float:
        return a == b if (tb is int or tb is float) else False
    if ta is not tb:
        return False
    if ta is list:
        if len(a) != len(b):
            return False
        res: bool | None = True
        for x, y in zip(a, b, strict=True):
            e = equals(x, y)
            if e is False:
                return False
            if e is None:
                res = None
        return res
    if ta is dict:
        if a.keys() != b.keys():
            return False
        res = True
        for k in a:
            e = equals(a[k], b[k])
            if e is False:
                return False
            if e is None:
                res = None
        return res
    return a == b


def _list_cmp(a: list, b: list) -> int | None:
    for x, y in zip(a, b, strict=False):
        e = equals(x, y)
        if e is True:
            continue
        if e is None:
            return None
        c = compare(x, y)
        if c is None:
            return None
        if c != 0:
            return c
    return (len(a) > len(b)) - (len(a) < len(b))


def compare(a: Any, b: Any) -> int | None:
    """-1/0/1 for comparable values, None when incomparable (or NaN is involved)."""
    if a is None or b is None:
        return None
    ta, tb = type(a), type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        if a != a or b != b:
            return None
    elif not (ta is tb and ta in (str, bool, list)):
        return temporal.compare(a, b) if ta in TEMPORAL_TYPES else None
    if ta is list:
        return _list_cmp(a, b)
    return (a > b) - (a < b)


def order_op(op: str, a: Any, b: Any) -> bool | None:
    if a is None or b is None:
        return None
    ta, tb = type(a), type(b)
    if (ta is int or ta is float) and (tb is int or tb is float) and (a != a or b != b):
        return False
    c = compare(a, b)
    if c is None:
        return None
    if op == "<":
        return c < 0
    if op == ">":
        return c > 0
    if op == "<=":
        return c <= 0
    return c >= 0


def as_bool(v: Any, where: str) -> bool | None:
    """A value used as a condition. A list (from a property or parameter: the static check
    refuses list expressions) counts as true when it is not empty, as Neo4j 5 still does."""
    if v is None or type(v) is bool:
        return v
    if type(v) is list:
        return len(v) > 0
    raise mismatch("Boolean", v, where)


def truth(v: Any) -> bool:
    """Whether WHERE keeps a row: only for true."""
    if v is True:
        return True
    if v is False or v is None:
        return False
    return as_bool(v, "WHERE") is True


def in_list(x: Any, lst: Any) -> bool | None:
    if lst is None:
        return None
    if type(lst) is not list:
        raise mismatch("List", lst, "IN")
    if not lst:
        return False
    if x is None:
        return None
    saw_null = False
    for y in lst:
        e = equals(x, y)
        if e is True:
            return True
        if e is None:
            saw_null = True
    return None if saw_null else False


def arith(op: str, a: Any, b: Any, folded: bool = False) -> Any:
    """a op b. Dividing by the Integer 0 fails, as in Neo4j, unless the query wrote both numbers
    as literals (`folded`: Neo4j's planner then computes 1.5 / 0 in floating point)."""
    if a is None or b is None:
        return None
    ta, tb = type(a), type(b)
    anum, bnum = ta in NUM, tb in NUM
    if op == "+":
        if anum and bnum:
            return check_int(a + b)
        if ta is list:
            return a + b if tb is list else a + [b]
        if tb is list:
            return [a] + b
        if ta is str and (tb is str or bnum):
            return a + to_string(b)
        if tb is str and anum:
            return to_string(a) + b
        if ta in TEMPORAL_TYPES or tb in TEMPORAL_TYPES:
            return temporal.arith(op, a, b)
        raise QueryError(f"Type mismatch: cannot add {type_name(a)} and {type_name(b)}")
    if not (anum and bnum):
        if ta in TEMPORAL_TYPES or tb in TEMPORAL_TYPES:
            return temporal.arith(op, a, b)
        raise QueryError(f"Type mismatch: operator {op} needs numbers, got {type_name(a)} and {type_name(b)}")
    if op == "-":
        return check_int(a - b)
    if op == "*":
        return check_int(a * b)
    if op == "/":
        if ta is int and tb is int:
            if b == 0:
                raise QueryError("division by zero")
            q = abs(a) // abs(b)
            return check_int(q if (a >= 0) == (b >= 0) else -q)
        if tb is int and b == 0 and not folded:
            raise QueryError("division by zero")
        a, b = float(a), float(b)
        if b == 0.0:
            if a != a or a == 0.0:
                return math.nan
            return math.copysign(math.inf, a) * math.copysign(1.0, b)
        return a / b
    if op == "%":
        if ta is int and tb is int:
            if b == 0:
                raise QueryError("division by zero")
            r = abs(a) % abs(b)
            return -r if a < 0 else r
        try:
            return math.fmod(float(a), float(b)) if b != 0 else math.nan
        except ValueError:
            return math.nan
    if op == "^":
        try:
            return math.pow(float(a), float(b))
        except OverflowError:
            return math.inf
        except ValueError:
            return math.inf if a == 0 else math.nan
    raise QueryError(f"unknown operator {op}")  # pragma: no cover


def out_value(eng: Any, v: Any) -> Any:
    """A result value as plain data: a node or relationship as (a copy of) its property dict, a
    path as the list [node, relationship, node, ...] of those dicts. The Neo4j backend turns the
    driver's values into the same shapes, so both backends answer alike."""
    t = type(v)
    if t is Node:
        return {k: list(x) if type(x) is list else x for k, x in eng.node_props(v.k).items()}
    if t is Rel:
        return {k: list(x) if type(x) is list else x for k, x in eng.rel_props(v.rid()).items()}
    if t is Path:
        out = [out_value(eng, Node(v.nodes[0]))]
        for r, n in zip(v.rels, v.nodes[1:], strict=True):
            out += [out_value(eng, r), out_value(eng, Node(n))]
        return out
    if t is list:
        return [out_value(eng, x) for x in v]
    if t is dict:
        return {k: out_value(eng, x) for k, x in v.items()}
    return v
