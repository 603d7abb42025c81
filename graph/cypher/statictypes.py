"""The static type check Neo4j runs before a query starts, so both backends refuse the same queries.

Neo4j infers the possible types of every expression from literals, patterns and function
signatures, and refuses a query whose operator or function is given a type it can never accept
("Type mismatch: expected Boolean but was Integer"), even when no row would ever evaluate it
(`UNWIND [] AS x RETURN x AND 1`). The embedded engine checks only at run time, so without this
pass it would answer such queries with no rows where Neo4j fails.

A type is None (unknown: properties, null, mixed list literals) or a frozenset of atoms:
'Integer', 'Float', 'String', 'Boolean', 'Map', 'Node', 'Relationship', 'Path', or ('List', T)
with T the element type. A check fails only when the type is known and no atom can be accepted
(an Integer is accepted where a Float is expected), so an unknown type never fails.

Two atoms copy corners of Neo4j's type system that refuse more than one would expect: 'Any' is
the element type of a list concatenated from lists of different types (['a'] + [1]) and is
accepted by no typed argument, and 'Number' is what reduce() gives when its accumulator starts
as an Integer and the step always yields a Float (or the reverse), refused by arithmetic and numeric functions.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from ..errors import QueryError
from .tree import children

INT, FLOAT, STR, BOOL = "Integer", "Float", "String", "Boolean"
MAP, NODE, REL, PATH = "Map", "Node", "Relationship", "Path"
NUMBER = frozenset((INT, FLOAT))
LIST = "List"  # in an `expected` set: any list
STRICT_ANY, STRICT_NUMBER = "Any", "Number"  # see the module docstring
TEMPORAL = "Temporal"  # points, dates, times and durations: not modelled, but property values may be them


SIZE_OF_PATTERN = ("A pattern expression should only be used in order to test the existence of a pattern. It can no "
                   "longer be used inside the function size(), an alternative is to replace size() with COUNT {}.")


def t(*atoms) -> frozenset:
    return frozenset(atoms)


def list_of(elem: Any) -> frozenset:
    return frozenset(((LIST, elem),))


T_INT, T_FLOAT, T_STR, T_BOOL, T_MAP = t(INT), t(FLOAT), t(STR), t(BOOL), t(MAP)
T_NODE, T_REL, T_PATH = t(NODE), t(REL), t(PATH)
PROPERTY_HOLDERS = t(MAP, NODE, REL)
# what a node's or relationship's property may hold (Neo4j types n.prop as exactly this)
PROPERTY_SCALARS = t(BOOL, FLOAT, INT, STR, TEMPORAL)
T_PROPERTY = PROPERTY_SCALARS | list_of(PROPERTY_SCALARS)

# name -> (expected type of each argument (None: any), result type or a rule)
_FN: dict[str, tuple[tuple, Any]] = {
    "type": ((t(REL),), T_STR),
    "labels": ((t(NODE),), list_of(T_STR)),
    "keys": ((PROPERTY_HOLDERS,), list_of(T_STR)),
    "properties": ((PROPERTY_HOLDERS,), T_MAP),
    "startnode": ((t(REL),), T_NODE),
    "endnode": ((t(REL),), T_NODE),
    "tostring": ((t(BOOL, FLOAT, INT, STR),), T_STR),
    "tostringornull": ((None,), T_STR),
    "tointeger": ((None,), T_INT),
    "tointegerornull": ((None,), T_INT),
    "tofloat": ((t(FLOAT, INT, STR),), T_FLOAT),
    "tofloatornull": ((None,), T_FLOAT),
    "toboolean": ((t(BOOL, INT, STR),), T_BOOL),
    "tobooleanornull": ((None,), T_BOOL),
    "size": ((t(STR, LIST),), T_INT),
    "isempty": ((t(MAP, NODE, REL, STR, LIST),), T_BOOL),
    "head": ((t(LIST),), "elem"),
    "last": ((t(LIST),), "elem"),
    "tail": ((t(LIST),), "same"),
    "reverse": ((t(STR, LIST),), "same"),
    "split": ((t(STR), t(STR, LIST)), list_of(T_STR)),
    "replace": ((t(STR), t(STR), t(STR)), T_STR),
    "substring": ((t(STR), t(INT), t(INT)), T_STR),
    "left": ((t(STR), t(INT)), T_STR),
    "right": ((t(STR), t(INT)), T_STR),
    "range": ((t(INT), t(INT), t(INT)), list_of(T_INT)),
    "abs": ((NUMBER,), "same"),
    "ceil": ((NUMBER,), T_FLOAT),
    "floor": ((NUMBER,), T_FLOAT),
    "sign": ((NUMBER,), T_INT),
    "sqrt": ((t(FLOAT),), T_FLOAT),
    "round": ((NUMBER, NUMBER, t(STR)), T_FLOAT),
    "nodes": ((t(PATH),), list_of(T_NODE)),
    "relationships": ((t(PATH),), list_of(T_REL)),
    "length": ((t(PATH),), T_INT),
    "rand": ((), T_FLOAT),
}
for _name in ("tolower", "toupper", "lower", "upper", "trim"):
    _FN[_name] = ((t(STR),), T_STR)
for _name in ("ltrim", "rtrim", "btrim"):
    _FN[_name] = ((t(STR), t(STR)), T_STR)
for _name in ("sin", "cos", "tan", "cot", "asin", "acos", "atan", "degrees", "radians", "exp", "log", "log10",
              "haversin"):
    _FN[_name] = ((NUMBER,), T_FLOAT)
_FN.update({
    "atan2": ((NUMBER, NUMBER), T_FLOAT), "isnan": ((NUMBER,), T_BOOL), "e": ((), T_FLOAT), "pi": ((), T_FLOAT),
    "char_length": ((t(STR),), T_INT), "character_length": ((t(STR),), T_INT), "normalize": ((t(STR), t(STR)), T_STR),
    "timestamp": ((), T_INT), "randomuuid": ((), T_STR),
    "tostringlist": ((t(LIST),), list_of(T_STR)), "tointegerlist": ((t(LIST),), list_of(T_INT)),
    "tofloatlist": ((t(LIST),), list_of(T_FLOAT)), "tobooleanlist": ((t(LIST),), list_of(T_BOOL)),
})


def show(ty: Any) -> str:
    """A type as Neo4j writes it: Integer, List<String>, Float or Integer."""
    if ty is None:
        return "Any"
    names = sorted(f"List<{show(a[1]) if a[1] is not None else 'T'}>" if isinstance(a, tuple) else a for a in ty)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _accepts(expected: frozenset, atom: Any) -> bool:
    if atom in (STRICT_ANY, STRICT_NUMBER):
        return False
    if isinstance(atom, tuple):
        return LIST in expected
    return atom in expected or (atom == INT and FLOAT in expected)


def check(ty: Any, expected: frozenset | None, where: str = "") -> None:
    """Refuse a known type of which no atom fits `expected`."""
    if ty is None or expected is None or not ty:
        return
    if not any(_accepts(expected, a) for a in ty):
        exp = show(frozenset((LIST, None) if a == LIST else a for a in expected))
        raise QueryError(f"Type mismatch{' in ' + where if where else ''}: expected {exp} but was {show(ty)}")


def elem_type(ty: Any) -> Any:
    """The element type of a list type, None when unknown or not only lists."""
    if ty is None or not ty or not all(isinstance(a, tuple) for a in ty):
        return None
    elems = {a[1] for a in ty}
    return elems.pop() if len(elems) == 1 else None


def _lub(types: list) -> Any:
    """One type for the items of a list or the branches of CASE: the common one, numbers
    together, otherwise unknown (as Neo4j's least upper bound is Any)."""
    known = [x for x in types if x is not None]
    if len(known) != len(types) or not known:
        return None
    first = known[0]
    if all(x == first for x in known):
        return first
    union = frozenset().union(*known)
    return union if union <= NUMBER else None


class TypeChecker:
    """Infers expression types over a map of variable types, raising on a certain mismatch."""

    def __init__(self, variables: dict[str, Any], params: dict[str, Any] | None = None):
        self.vars = variables
        self.params = params or {}

    def infer(self, e: tuple) -> Any:
        k = e[0]
        if k == "lit":
            return _literal_type(e[1])
        if k == "param":  # Neo4j checks the type of the value given, too
            return value_type(self.params[e[1]]) if e[1] in self.params else None
        if k in ("aggref", "keyref", "colref"):
            return None
        if k == "var":
            return self.vars.get(e[1])
        if k == "prop":
            base = self.infer(e[1])
            check(base, PROPERTY_HOLDERS | {TEMPORAL}, f"property access .{e[2]}")
            return T_PROPERTY if base is not None and base and base <= t(NODE, REL) else None
        if k == "idx":
            return self._index(self.infer(e[1]), self.infer(e[2]))
        if k == "slice":
            base = self.infer(e[1])
            check(base, t(LIST))
            for b in e[2:]:
                if b is not None:
                    check(self.infer(b), t(INT))
            return base if base is not None else list_of(None)
        if k == "labels":
            self.infer(e[1])
            return T_BOOL
        if k == "list":
            return list_of(_lub([self.infer(x) for x in e[1]]))
        if k == "map":
            for _, x in e[1]:
                self.infer(x)
            return T_MAP
        if k == "fn":
            if e[1] == "size" and e[2] and e[2][0][0] == "patexp":
                raise QueryError(SIZE_OF_PATTERN)
            args = [self.infer(x) for x in e[2]]
            if e[1] == "coalesce" and any(x[0] == "param" for x in e[2]):
                return None  # Neo4j does not carry a parameter's type through coalesce()
            return self._function(e[1], args)
        if k == "agg":
            arg = self.infer(e[3]) if e[3] is not None else None
            if e[1] in ("sum", "avg"):
                check(arg, NUMBER | {TEMPORAL}, f"{e[1]}()")
            if e[1] in ("stdev", "stdevp", "percentilecont", "percentiledisc"):
                check(arg, NUMBER, f"{e[1]}()")
                if len(e) > 4:
                    check(self.infer(e[4]), NUMBER, f"{e[1]}()")
            return {"count": T_INT, "collect": list_of(arg), "avg": None, "stdev": T_FLOAT, "stdevp": T_FLOAT,
                    "percentilecont": T_FLOAT}.get(e[1], arg if e[1] in ("min", "max", "percentiledisc") else None)
        if k == "not":
            self.predicate(e[1], "NOT")
            return T_BOOL
        if k in ("and", "or", "xor"):
            self.predicate(e[1], k.upper())
            self.predicate(e[2], k.upper())
            return T_BOOL
        if k == "cmp":
            types = [self.infer(x) for x in e[2]]
            for op, (a, b) in zip(e[1], pairwise(types), strict=True):
                if op == "=~":
                    check(a, T_STR, "=~")
                    check(b, T_STR, "=~")
            return T_BOOL
        if k == "bin":
            return self._arith(e[1], self.infer(e[2]), self.infer(e[3]))
        if k in ("neg", "pos"):
            ty = self.infer(e[1])
            check(ty, NUMBER, "unary minus" if k == "neg" else "unary plus")
            return ty if ty is not None and ty <= NUMBER else NUMBER
        if k == "isnull":
            self.infer(e[1])
            return T_BOOL
        if k == "in":
            self.infer(e[1])
            check(self.infer(e[2]), t(LIST), "IN")
            return T_BOOL
        if k == "strop":
            self.infer(e[2])
            self.infer(e[3])
            return T_BOOL
        if k == "case":
            if e[1] is not None:
                self.infer(e[1])
            results = []
            for w, th in e[2]:
                if e[1] is None:
                    self.predicate(w, "CASE WHEN")
                else:
                    self.infer(w)
                results.append(self.infer(th))
            results.append(self.infer(e[3]) if e[3] is not None else None)
            return _lub(results)
        if k in ("quant", "listcomp", "reduce"):
            return self._binder(e)
        if k in ("exists", "countsub", "patexp"):
            return T_INT if k == "countsub" else T_BOOL
        if k in ("collectsub", "patcomp"):
            return list_of(None)
        for c in children(e):  # pragma: no cover - every node kind is handled above
            self.infer(c)
        return None

    def predicate(self, e: tuple, where: str) -> None:
        """An expression used as a condition must be a Boolean; a list is refused by name (Neo4j 5
        no longer coerces lists to booleans), except a parameter, which Neo4j lets through."""
        ty = self.infer(e)
        if ty is None or not ty or (e[0] == "param" and all(isinstance(a, tuple) for a in ty)):
            return
        if all(isinstance(a, tuple) for a in ty):
            raise QueryError("Coercion of list to boolean is not allowed. Please use `NOT isEmpty(...)` instead.")
        check(ty, T_BOOL, where)

    def _index(self, base: Any, index: Any) -> Any:
        if base is None or not base:
            return None
        if all(isinstance(a, tuple) for a in base):
            if index is not None and index and not any(_accepts(t(INT), a) for a in index):
                raise QueryError(f"Type mismatch: list index must be given as Integer, but was {show(index)}")
            return elem_type(base)
        if base <= PROPERTY_HOLDERS:
            if index is not None and index and STR not in index:
                what = "map key" if base == T_MAP else "node or relationship property key"
                raise QueryError(f"Type mismatch: {what} must be given as String, but was {show(index)}")
            return None
        check(base, t(LIST, MAP, NODE, REL), "an index")
        return None

    def _function(self, name: str, args: list) -> Any:
        spec = _FN.get(name)
        if spec is None:
            return _lub(args) if name == "coalesce" else None
        expected, result = spec
        for ty, exp in zip(args, expected, strict=False):
            check(ty, exp, f"{name}()")
        if result == "elem":
            return elem_type(args[0]) if args else None
        if result == "same":
            return args[0] if args else None
        return result

    def _arith(self, op: str, a: Any, b: Any) -> Any:
        if op == "+":
            if a is None or b is None or not a or not b:
                return None
            results = [r for x in a for y in b if (r := _plus(x, y)) is not None]
            if not results:
                want = "Float, Integer, String or List<T>" if a & t(INT, FLOAT, STR) else "List<T>"
                raise QueryError(f"Type mismatch: expected {want} but was {show(b)}")
            if any(r is _UNKNOWN for r in results):
                return None
            return frozenset().union(*results)
        exp = t(FLOAT) if op == "^" else NUMBER
        check(a, exp, f"operator {op}")
        check(b, exp, f"operator {op}")
        if op == "^":
            return T_FLOAT
        # an operand of unknown type still makes a number (Neo4j: "Float or Integer")
        a2, b2 = (NUMBER if x is None or not x <= NUMBER else x for x in (a, b))
        return _numeric_result(a2, b2)

    def _binder(self, e: tuple) -> Any:
        k = e[0]
        if k == "quant":
            lst = self.infer(e[3])
            check(lst, t(LIST), f"{e[1]}()")
            inner = TypeChecker({**self.vars, e[2]: elem_type(lst)}, self.params)
            inner.predicate(e[4], f"{e[1]}()")
            return T_BOOL
        if k == "listcomp":
            lst = self.infer(e[2])
            check(lst, t(LIST), "a list comprehension")
            inner = TypeChecker({**self.vars, e[1]: elem_type(lst)}, self.params)
            if e[3] is not None:
                inner.predicate(e[3], "a list comprehension")
            return list_of(inner.infer(e[4]) if e[4] is not None else elem_type(lst))
        init = self.infer(e[2])
        lst = self.infer(e[4])
        check(lst, t(LIST), "reduce()")
        body = TypeChecker({**self.vars, e[1]: init, e[3]: elem_type(lst)}, self.params).infer(e[5])
        if init is None or body is None or not init or not body:
            return None
        if init == body:
            return init
        if init <= NUMBER and body <= NUMBER:  # Integer then Float: Neo4j's strict Number; mixed: either
            return t(STRICT_NUMBER) if len(init) == len(body) == 1 else init | body
        if not {_family(t(a)) for a in init} & {_family(t(a)) for a in body}:
            raise QueryError(f"Type mismatch: accumulator is {show(init)} but expression has type {show(body)}")
        return init | body


def _numeric_result(a: frozenset, b: frozenset) -> frozenset:
    """The type of arithmetic on numbers: Integer with Integer stays Integer, anything with a Float is a Float."""
    return frozenset(INT if x == y == INT else FLOAT for x in a for y in b)


def _family(ty: frozenset) -> str:
    """The kind of a type for reduce()'s accumulator check: number, list, or the atoms themselves."""
    if all(isinstance(a, tuple) for a in ty):
        return "list"
    if ty <= NUMBER | {STRICT_NUMBER}:
        return "number"
    if TEMPORAL in ty:
        return "?"
    return repr(sorted(map(repr, ty)))


_UNKNOWN = frozenset(("?",))  # a `+` whose result type cannot be told


def _plus(x: Any, y: Any) -> Any:
    """The type of x + y for two atoms, None when Neo4j refuses the pair."""
    if isinstance(x, tuple) or isinstance(y, tuple):
        ex = x[1] if isinstance(x, tuple) else t(x)
        ey = y[1] if isinstance(y, tuple) else t(y)
        if ex is None or ey is None:
            return _UNKNOWN
        if ex == ey:
            return list_of(ex)
        if ex <= NUMBER and ey <= NUMBER:
            return list_of(ex | ey)
        return list_of(t(STRICT_ANY))  # the elements of ['a'] + [1] have no type in common
    if x in NUMBER and y in NUMBER:
        return _numeric_result(t(x), t(y))
    if x in (INT, FLOAT, STR) and y in (INT, FLOAT, STR):
        return T_STR
    if TEMPORAL in (x, y):  # dates and durations add to each other, and a string may take one
        return _UNKNOWN if {x, y} <= {TEMPORAL, STR} else None
    return None


def value_type(v: Any) -> Any:
    """The type of a parameter value (Neo4j types a list parameter's elements as unknown)."""
    if type(v) is list:
        return list_of(None)
    if type(v) is dict:
        return T_MAP
    return _literal_type(v)


def _literal_type(v: Any) -> Any:
    if v is None:
        return None
    if type(v) is bool:
        return T_BOOL
    if type(v) is int:
        return T_INT
    if type(v) is float:
        return T_FLOAT
    if type(v) is str:
        return T_STR
    return None
