"""Built-in scalar functions and aggregates of the embedded Cypher engine.

`FUNCTIONS` maps a lower-cased name to (min args, max args, implementation(engine, args)); the
engine argument gives access to labels, types and properties of matched nodes and relationships.
The list predicates, comprehensions and reduce() are here too (they bind a variable of their
own while they run); the aggregates are in `aggregates`.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import QueryError
from . import temporal
from .temporal_functions import FUNCTIONS as TEMPORAL_FUNCTIONS
from .values import (
    INT_MAX,
    INT_MIN,
    NUM,
    Node,
    Path,
    Rel,
    as_bool,
    check_int,
    java_float_str,
    mismatch,
    to_string,
)

FLOAT_RE = re.compile(r"[ \t\n\r]*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t\n\r]*")
INT_RE = re.compile(r"[ \t\n\r]*[+-]?[0-9]+[ \t\n\r]*")


def _need(v: Any, types: tuple, what: str, fname: str) -> None:
    if type(v) not in types:
        raise mismatch(what, v, f"{fname}()")


def _f_str(fn: Callable[[str], Any], fname: str) -> Callable:
    def f(eng, a):
        if a[0] is None:
            return None
        _need(a[0], (str,), "String", fname)
        return fn(a[0])

    return f


def _f_size(eng, a):
    v = a[0]
    if v is None:
        return None
    _need(v, (str, list), "a String or List", "size")
    return len(v)


def _f_isempty(eng, a):
    v = a[0]
    if v is None:
        return None
    _need(v, (str, list, dict), "a String, List or Map", "isEmpty")
    return len(v) == 0


def _f_coalesce(eng, a):
    for v in a:
        if v is not None:
            return v
    return None


def _f_type(eng, a):
    v = a[0]
    if v is None:
        return None
    _need(v, (Rel,), "Relationship", "type")
    return eng.rtype(v.k)


def _f_labels(eng, a):
    v = a[0]
    if v is None:
        return None
    _need(v, (Node,), "Node", "labels")
    return list(eng.label_seq[v.k])


def _entity_props(eng, v, fname):
    t = type(v)
    if t is Node:
        return eng.node_props(v.k)
    if t is Rel:
        return eng.rel_props(v.rid())
    if t is dict:
        return v
    raise mismatch("a Node, Relationship or Map", v, f"{fname}()")


def _f_keys(eng, a):
    return None if a[0] is None else list(_entity_props(eng, a[0], "keys"))


def _f_properties(eng, a):
    return None if a[0] is None else dict(_entity_props(eng, a[0], "properties"))


def _f_endpoint(which):
    def f(eng, a):
        v = a[0]
        if v is None:
            return None
        _need(v, (Rel,), "Relationship", which)
        return Node(v.u if which == "startNode" else v.v)

    return f


def _f_tostring(eng, a, ornull=False):
    v = a[0]
    if v is None:
        return None
    if ornull and type(v) not in (str, bool, int, float, *temporal.TEMPORAL_TYPES):
        return None
    return to_string(v)


def _f_tointeger(eng, a, ornull=False):
    v = a[0]
    t = type(v)
    if v is None:
        return None
    if t is int:
        return v
    if t is bool:
        return int(v)
    if t is float:
        if v != v or v in (math.inf, -math.inf):
            return None if ornull else _raise(QueryError(f"cannot convert {java_float_str(v)} to an integer"))
        return check_int(int(v))
    if t is str:
        try:
            if INT_RE.fullmatch(v):
                r = int(v)
            elif FLOAT_RE.fullmatch(v):
                r = int(float(v))
            else:
                return None
        except (ValueError, OverflowError):
            return None
        return r if INT_MIN <= r <= INT_MAX else None
    if ornull:
        return None
    raise mismatch("a String, Number or Boolean", v, "toInteger()")


def _raise(e: Exception):
    raise e


def _f_tofloat(eng, a, ornull=False):
    v = a[0]
    t = type(v)
    if v is None:
        return None
    if t is float:
        return v
    if t is int:
        return float(v)
    if t is str:
        s = v.strip()
        if FLOAT_RE.fullmatch(s) or s in ("NaN", "Infinity", "-Infinity", "+Infinity"):
            try:
                return float(s.replace("Infinity", "inf"))
            except ValueError:
                return None
        return None
    if ornull:
        return None
    raise mismatch("a String or Number", v, "toFloat()")


def _f_toboolean(eng, a, ornull=False):
    v = a[0]
    t = type(v)
    if v is None:
        return None
    if t is bool:
        return v
    if t is str:
        s = v.strip().lower()
        return True if s == "true" else False if s == "false" else None
    if t is int:
        return v != 0
    if ornull:
        return None
    raise mismatch("a String, Integer or Boolean", v, "toBoolean()")


def _f_list(fn, fname):
    def f(eng, a):
        v = a[0]
        if v is None:
            return None
        _need(v, (list,), "List", fname)
        return fn(v)

    return f


def _f_reverse(eng, a):
    v = a[0]
    if v is None:
        return None
    _need(v, (str, list), "a String or List", "reverse")
    return v[::-1]


def _f_split(eng, a):
    s, d = a
    if s is None or d is None:
        return None
    _need(s, (str,), "String", "split")
    if type(d) is list:
        if not all(type(x) is str for x in d):
            raise mismatch("a String or a List of Strings", d, "split()")
        seps = [x for x in d if x]
        if not seps:
            return list(s) if s else [""]
        return re.split("|".join(map(re.escape, seps)), s)
    _need(d, (str,), "String", "split")
    if d == "":
        return list(s) if s else [""]
    return s.split(d)


def _f_replace(eng, a):
    s, old, new = a
    if s is None or old is None or new is None:
        return None
    for v in a:
        _need(v, (str,), "String", "replace")
    n = len(s) + 1 if old == "" else s.count(old)
    eng.guard.items(len(s) + n * (len(new) - len(old)), "the string replace() makes")
    return s.replace(old, new)


def _int_arg(v, fname, what="Integer"):
    if type(v) is not int:
        raise mismatch(what, v, f"{fname}()")
    return v


def _f_substring(eng, a):
    s = a[0]
    if s is None or any(x is None for x in a[1:]):
        return None
    _need(s, (str,), "String", "substring")
    start = _int_arg(a[1], "substring")
    if start < 0:
        raise QueryError("substring(): start must be a non-negative integer")
    if len(a) == 2:
        return s[start:]
    n = _int_arg(a[2], "substring")
    if n < 0:
        raise QueryError("substring(): length must be a non-negative integer")
    return s[start : start + n]


def _f_leftright(which):
    def f(eng, a):
        s, n = a
        if s is None:
            return None
        _need(s, (str,), "String", which)
        if n is None:
            raise QueryError(f"{which}(): length must not be null")
        n = _int_arg(n, which)
        if n < 0:
            raise QueryError(f"{which}(): length must be a non-negative integer")
        if which == "left":
            return s[:n]
        return s[len(s) - n :] if n < len(s) else s

    return f


def range_values(a: list) -> range:
    """range(start, end[, step]) as a Python range, the arguments checked as Neo4j checks them."""
    if any(x is None for x in a):
        raise QueryError("range() arguments must not be null")
    start, end = _int_arg(a[0], "range"), _int_arg(a[1], "range")
    step = _int_arg(a[2], "range") if len(a) == 3 else 1
    if step == 0:
        raise QueryError("range(): step must not be 0")
    return range(start, end + (1 if step > 0 else -1), step)


def _f_range(eng, a):
    r = range_values(a)
    eng.guard.items(len(r), "range()")  # a list only this long is built (UNWIND range(...) builds none)
    return list(r)


def _f_num(fn, fname):
    def f(eng, a):
        v = a[0]
        if v is None:
            return None
        _need(v, NUM, "a Number", fname)
        return fn(v)

    return f


def _round_half_up(x: float, prec: int, mode: str | None) -> float:
    from decimal import (
        ROUND_CEILING,
        ROUND_DOWN,
        ROUND_FLOOR,
        ROUND_HALF_DOWN,
        ROUND_HALF_EVEN,
        ROUND_HALF_UP,
        ROUND_UP,
        Decimal,
        InvalidOperation,
    )

    modes = {
        "UP": ROUND_UP, "DOWN": ROUND_DOWN, "CEILING": ROUND_CEILING, "FLOOR": ROUND_FLOOR,
        "HALF_UP": ROUND_HALF_UP, "HALF_DOWN": ROUND_HALF_DOWN, "HALF_EVEN": ROUND_HALF_EVEN,
    }
    if mode is not None and mode.upper() not in modes:
        raise QueryError(f"round(): unknown rounding mode {mode!r} (one of {', '.join(modes)})")
    if x != x or x in (math.inf, -math.inf):
        return x
    if mode is None and prec == 0:
        return float(math.floor(x + 0.5))
    try:
        q = Decimal(1).scaleb(-prec)
        return float(Decimal(repr(x)).quantize(q, rounding=modes[(mode or "HALF_UP").upper()]))
    except InvalidOperation:
        return x


def _f_round(eng, a):
    v = a[0]
    if any(x is None for x in a):
        return None
    _need(v, NUM, "a Number", "round")
    prec = _int_arg(a[1], "round") if len(a) > 1 else 0
    if abs(prec) > 1000:
        raise QueryError("round(): precision out of range")
    mode = None
    if len(a) > 2:
        _need(a[2], (str,), "String", "round")
        mode = a[2]
    return _round_half_up(float(v), prec, mode)


def _f_sign(v):
    return (v > 0) - (v < 0)


def _f_sqrt(v):
    return math.sqrt(v) if v >= 0 else math.nan


def _f_ceil(v):
    return float(math.ceil(v)) if math.isfinite(v) else float(v)


def _f_floor(v):
    return float(math.floor(v)) if math.isfinite(v) else float(v)


def _f_abs(v):
    return check_int(abs(v))


def _trim(chars_side):
    def f(s):
        return s.strip() if chars_side == "both" else s.lstrip() if chars_side == "left" else s.rstrip()

    return f


def _f_path(which):
    def f(eng, a):
        v = a[0]
        if v is None:
            return None
        _need(v, (Path,), "Path", which)
        if which == "nodes":
            return [Node(n) for n in v.nodes]
        if which == "relationships":
            return list(v.rels)
        return len(v.rels)

    return f


def _trim_chars(side: str, fname: str) -> Callable:
    """trim/ltrim/rtrim/btrim(s[, characters]): whitespace, or any of the given characters."""
    def f(eng, a):
        if any(x is None for x in a):
            return None
        for x in a:
            _need(x, (str,), "String", fname)
        chars = a[1] if len(a) > 1 else None
        return a[0].strip(chars) if side == "both" else a[0].lstrip(chars) if side == "left" else a[0].rstrip(chars)

    return f


def _java_math(fn: Callable[[float], float]) -> Callable[[float], float]:
    """A math function with Java's answers where Python raises: NaN outside the domain, ±Infinity
    on overflow or at a pole (log(0) is -Infinity)."""
    def f(x):
        try:
            return fn(float(x))
        except OverflowError:
            return math.inf
        except ValueError:
            if fn in (math.log, math.log10) and x == 0:
                return -math.inf
            return math.nan

    return f


def _cot(x: float) -> float:
    t = math.tan(x)
    return math.inf if t == 0 else 1.0 / t


def _f_atan2(eng, a):
    if any(x is None for x in a):
        return None
    for x in a:
        _need(x, NUM, "a Number", "atan2")
    return math.atan2(float(a[0]), float(a[1]))


def _f_isnan(eng, a):
    v = a[0]
    if v is None:
        return None
    _need(v, NUM, "a Number", "isNaN")
    return v != v


def _f_nullif(eng, a):
    from .values import equals

    return None if equals(a[0], a[1]) is True else a[0]


def _f_to_list(convert: Callable, fname: str) -> Callable:
    """toIntegerList() and the like: each element converted, or null where it cannot be."""
    def f(eng, a):
        v = a[0]
        if v is None:
            return None
        _need(v, (list,), "List", fname)
        return [convert(eng, [x]) for x in v]

    return f


def _f_normalize(eng, a):
    import unicodedata

    if any(x is None for x in a):
        return None
    _need(a[0], (str,), "String", "normalize")
    form = a[1].upper() if len(a) > 1 and type(a[1]) is str else "NFC"
    if form not in ("NFC", "NFD", "NFKC", "NFKD"):
        raise QueryError(f"Unknown normal form. Valid values are: NFC, NFD, NFKC, NFKD. Got: {a[1]}")
    return unicodedata.normalize(form, a[0])


def _f_timestamp(eng, a):
    from .temporal_functions import statement_now

    return statement_now(eng) // 1_000_000


def _f_uuid(eng, a):
    import uuid

    return str(uuid.uuid4())


_MATH = {
    "sin": math.sin, "cos": math.cos, "tan": math.tan, "cot": _cot, "asin": math.asin, "acos": math.acos,
    "atan": math.atan, "degrees": math.degrees, "radians": math.radians, "exp": math.exp, "log": math.log,
    "log10": math.log10, "haversin": lambda x: (1.0 - math.cos(x)) / 2.0,
}

# name -> (min args, max args, implementation(engine, args))
FUNCTIONS: dict[str, tuple[int, int, Callable]] = {
    "coalesce": (1, 64, _f_coalesce),
    "type": (1, 1, _f_type),
    "labels": (1, 1, _f_labels),
    "keys": (1, 1, _f_keys),
    "properties": (1, 1, _f_properties),
    "startnode": (1, 1, _f_endpoint("startNode")),
    "endnode": (1, 1, _f_endpoint("endNode")),
    "tostring": (1, 1, _f_tostring),
    "tostringornull": (1, 1, lambda e, a: _f_tostring(e, a, True)),
    "tointeger": (1, 1, _f_tointeger),
    "tointegerornull": (1, 1, lambda e, a: _f_tointeger(e, a, True)),
    "tofloat": (1, 1, _f_tofloat),
    "tofloatornull": (1, 1, lambda e, a: _f_tofloat(e, a, True)),
    "toboolean": (1, 1, _f_toboolean),
    "tobooleanornull": (1, 1, lambda e, a: _f_toboolean(e, a, True)),
    "tolower": (1, 1, _f_str(str.lower, "toLower")),
    "toupper": (1, 1, _f_str(str.upper, "toUpper")),
    "lower": (1, 1, _f_str(str.lower, "lower")),
    "upper": (1, 1, _f_str(str.upper, "upper")),
    "trim": (1, 1, _f_str(_trim("both"), "trim")),
    "ltrim": (1, 2, _trim_chars("left", "ltrim")),
    "rtrim": (1, 2, _trim_chars("right", "rtrim")),
    "btrim": (1, 2, _trim_chars("both", "btrim")),
    "char_length": (1, 1, _f_str(len, "char_length")),
    "character_length": (1, 1, _f_str(len, "character_length")),
    "normalize": (1, 2, _f_normalize),
    "nullif": (2, 2, _f_nullif),
    "tostringlist": (1, 1, _f_to_list(lambda e, a: _f_tostring(e, a, True), "toStringList")),
    "tointegerlist": (1, 1, _f_to_list(lambda e, a: _f_tointeger(e, a, True), "toIntegerList")),
    "tofloatlist": (1, 1, _f_to_list(lambda e, a: _f_tofloat(e, a, True), "toFloatList")),
    "tobooleanlist": (1, 1, _f_to_list(lambda e, a: _f_toboolean(e, a, True), "toBooleanList")),
    "isnan": (1, 1, _f_isnan),
    "atan2": (2, 2, _f_atan2),
    "e": (0, 0, lambda eng, a: math.e),
    "pi": (0, 0, lambda eng, a: math.pi),
    "timestamp": (0, 0, _f_timestamp),
    "randomuuid": (0, 0, _f_uuid),
    **{name: (1, 1, _f_num(_java_math(fn), name)) for name, fn in _MATH.items()},
    "size": (1, 1, _f_size),
    "isempty": (1, 1, _f_isempty),
    "head": (1, 1, _f_list(lambda v: v[0] if v else None, "head")),
    "last": (1, 1, _f_list(lambda v: v[-1] if v else None, "last")),
    "tail": (1, 1, _f_list(lambda v: v[1:], "tail")),
    "reverse": (1, 1, _f_reverse),
    "split": (2, 2, _f_split),
    "replace": (3, 3, _f_replace),
    "substring": (2, 3, _f_substring),
    "left": (2, 2, _f_leftright("left")),
    "right": (2, 2, _f_leftright("right")),
    "range": (2, 3, _f_range),
    "abs": (1, 1, _f_num(_f_abs, "abs")),
    "ceil": (1, 1, _f_num(_f_ceil, "ceil")),
    "floor": (1, 1, _f_num(_f_floor, "floor")),
    "sign": (1, 1, _f_num(_f_sign, "sign")),
    "sqrt": (1, 1, _f_num(_f_sqrt, "sqrt")),
    "round": (1, 3, _f_round),
    "rand": (0, 0, lambda eng, a: random.random()),
    "nodes": (1, 1, _f_path("nodes")),
    "relationships": (1, 1, _f_path("relationships")),
    "length": (1, 1, _f_path("length")),
    **TEMPORAL_FUNCTIONS,
}


# --------------------------------------------------------------------------- list predicates, comprehensions, reduce

_MISSING = object()


def _each(var: str, items: list, r: dict, tick: Callable[[], None]) -> Iterator[Any]:
    """Bind `var` in row r to each item in turn, restoring what it was bound to before; each
    item counts as work for the query's time limit (`tick`)."""
    saved = r.get(var, _MISSING)
    try:
        for x in items:
            tick()
            r[var] = x
            yield x
    finally:
        if saved is _MISSING:
            r.pop(var, None)
        else:
            r[var] = saved


def _list_arg(v: Any, where: str) -> list | None:
    if v is None or type(v) is list:
        return v
    raise mismatch("List", v, where)


def quantifier(kind: str, var: str, fl: Callable, fp: Callable, tick: Callable[[], None]) -> Callable[[dict], Any]:
    """any/all/none/single(var IN list WHERE pred) with Cypher's null rules: a null predicate
    makes the answer null unless a definite true (any, none) or false (all) decides it."""
    where = f"{kind}()"

    def quantifier(r):
        lst = _list_arg(fl(r), where)
        if lst is None:
            return None
        n_true = n_null = n_false = 0
        items = _each(var, lst, r, tick)
        try:
            for _ in items:
                v = as_bool(fp(r), where)
                if v is None:
                    n_null += 1
                elif v:
                    n_true += 1
                    if kind in ("any", "none") or (kind == "single" and n_true > 1):
                        break
                else:
                    n_false += 1
                    if kind == "all":
                        break
        finally:
            items.close()
        if kind == "all" and n_false:
            return False
        if kind == "any":
            return True if n_true else None if n_null else False
        if kind == "none":
            return False if n_true else None if n_null else True
        if kind == "all":
            return None if n_null else True
        if n_true > 1:
            return False
        return None if n_null else n_true == 1

    return quantifier


def comprehension(var: str, fl: Callable, fp: Callable | None, fx: Callable | None,
                  tick: Callable[[], None]) -> Callable[[dict], Any]:
    """[var IN list WHERE pred | expr]: the items for which pred is true, mapped through expr."""

    def comprehension(r):
        lst = _list_arg(fl(r), "a list comprehension")
        if lst is None:
            return None
        out = []
        items = _each(var, lst, r, tick)
        try:
            for x in items:
                if fp is not None and as_bool(fp(r), "a list comprehension") is not True:
                    continue
                out.append(fx(r) if fx is not None else x)
        finally:
            items.close()
        return out

    return comprehension


def reduce_list(acc: str, finit: Callable, var: str, fl: Callable, fb: Callable,
                tick: Callable[[], None]) -> Callable[[dict], Any]:
    """reduce(acc = init, var IN list | expr): folds the list left to right."""

    def reduce_(r):
        lst = _list_arg(fl(r), "reduce()")
        if lst is None:
            return None
        value = finit(r)
        saved = r.get(acc, _MISSING)
        try:
            r[acc] = value
            items = _each(var, lst, r, tick)
            try:
                for _ in items:
                    r[acc] = fb(r)
            finally:
                items.close()
            return r[acc]
        finally:
            if saved is _MISSING:
                r.pop(acc, None)
            else:
                r[acc] = saved

    return reduce_
