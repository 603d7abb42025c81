"""The syntax tree of a parsed query, and the helpers that walk expression trees.

Clauses and patterns are small classes; expressions are tuples whose first item names the node:
see the table below. The compiler rewrites some of them (aggregate, grouping-key and column
references) before turning them into closures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..errors import QueryError

# Expressions are tuples: ('lit', v) ('param', name) ('var', name) ('prop', e, key) ('idx', e, i)
# ('slice', e, lo, hi) ('labels', e, labels) ('list', items) ('map', ((k, e), ...))
# ('fn', name, args) ('agg', name, distinct, arg|None) ('not', e) ('and'|'or'|'xor', a, b)
# ('cmp', ops, operands) ('bin', op, a, b) ('neg', e) ('isnull', e, negated) ('in', a, b)
# ('strop', op, a, b) ('case', test, whens, else) ('exists'|'countsub'|'collectsub', Subquery)
# ('patexp', PathPat) (a pattern used as a predicate) ('patcomp', PathPat, where|None, proj)
# and the forms that bind a variable of their own (`var` is local to them):
# ('quant', 'any'|'all'|'none'|'single', var, list, pred)  ('listcomp', var, list, pred|None, proj|None)
# ('reduce', acc, init, var, list, body)
# and, after compilation rewrites, ('aggref', i) ('keyref', i) ('colref', i).


class NodePat:
    """`(var:Label {key: expr})`: labels a tuple, props a tuple of (key, expr) or None."""

    __slots__ = ("var", "labels", "props")

    def __init__(self, var, labels, props):
        self.var, self.labels, self.props = var, labels, props


class RelPat:
    """`-[var:A|B *lo..hi {key: expr}]->`: direction 'out', 'in' or 'both'; hops None for one hop."""

    __slots__ = ("var", "types", "props", "direction", "hops")

    def __init__(self, var, types, props, direction, hops=None):
        self.var, self.types, self.props, self.direction, self.hops = var, types, props, direction, hops


class PathPat:
    """A chain of node and relationship patterns; `name` is the path variable of `p = (...)`."""

    __slots__ = ("nodes", "rels", "name")

    def __init__(self, nodes, rels, name=None):
        self.nodes, self.rels, self.name = nodes, rels, name


class MatchClause:
    """[OPTIONAL] MATCH pattern, pattern, ... [WHERE expr]."""

    __slots__ = ("optional", "patterns", "where")

    def __init__(self, optional, patterns, where):
        self.optional, self.patterns, self.where = optional, patterns, where


class Subquery:
    """The body of EXISTS { ... }, COUNT { ... } or COLLECT { ... }: a list of clauses (or a
    UnionQuery) that sees the outer variables; `simple` when written as a bare pattern."""

    __slots__ = ("body", "simple")

    def __init__(self, body, simple=False):
        self.body, self.simple = body, simple


class UnionQuery:
    """Queries joined by UNION (`all` False: duplicates removed) or UNION ALL."""

    __slots__ = ("parts", "all")

    def __init__(self, parts, all_):
        self.parts, self.all = parts, all_


class UnwindClause:
    """UNWIND expr AS alias."""

    __slots__ = ("expr", "alias")

    def __init__(self, expr, alias):
        self.expr, self.alias = expr, alias


class ProjItem:
    """One item of WITH or RETURN: its expression, its column name, and whether AS named it."""

    __slots__ = ("expr", "name", "aliased")

    def __init__(self, expr, name, aliased):
        self.expr, self.name, self.aliased = expr, name, aliased


class Projection:
    """WITH or RETURN (`kind`) with DISTINCT, *, items, ORDER BY, SKIP, LIMIT and (WITH only) WHERE."""

    __slots__ = ("kind", "distinct", "star", "items", "order", "skip", "limit", "where")

    def __init__(self, kind, distinct, star, items, order, skip, limit, where):
        self.kind, self.distinct, self.star, self.items = kind, distinct, star, items
        self.order, self.skip, self.limit, self.where = order, skip, limit, where


# Nodes without sub-expressions to walk: leaves, and the forms that hold patterns or clauses
# (their inner expressions see variables of their own; free_vars() does not analyse them).
SUBQUERIES = ("exists", "countsub", "collectsub", "patexp", "patcomp")
OPAQUE = ("lit", "param", "var", "aggref", "keyref", "colref", *SUBQUERIES)


def children(e: tuple) -> list:
    """The sub-expressions of an expression node, in a fixed order."""
    t = e[0]
    if t in OPAQUE:
        return []
    if t in ("prop", "labels", "not", "neg", "pos", "isnull"):
        return [e[1]]
    if t in ("idx", "and", "or", "xor", "in"):
        return [e[1], e[2]]
    if t == "slice":
        return [x for x in e[1:] if x is not None]
    if t == "list":
        return list(e[1])
    if t == "map":
        return [v for _, v in e[1]]
    if t == "fn":
        return list(e[2])
    if t == "agg":  # ('agg', name, distinct, arg|None[, percentile])
        return [x for x in e[3:] if x is not None]
    if t in ("bin", "strop"):
        return [e[2], e[3]]
    if t == "cmp":
        return list(e[2])
    if t == "case":
        out = [e[1]] if e[1] is not None else []
        for w, th in e[2]:
            out += [w, th]
        return out + ([e[3]] if e[3] is not None else [])
    if t == "quant":
        return [e[3], e[4]]
    if t == "listcomp":
        return [x for x in e[2:] if x is not None]
    if t == "reduce":
        return [e[2], e[4], e[5]]
    raise QueryError(f"internal: unknown expression node {t}")  # pragma: no cover


def map_expr(e: tuple, f: Callable[[tuple], tuple | None]) -> tuple:
    """The expression with every node for which `f` returns a replacement replaced (top-down)."""
    r = f(e)
    if r is not None:
        return r
    return map_children(e, lambda x: map_expr(x, f))


def map_children(e: tuple, m: Callable[[tuple], tuple]) -> tuple:
    """The expression node with `m` applied to each of its direct sub-expressions."""

    def mm(x):
        return None if x is None else m(x)

    t = e[0]
    if t in OPAQUE:
        return e
    if t in ("prop", "labels", "isnull"):
        return (t, mm(e[1]), e[2])
    if t in ("not", "neg", "pos"):
        return (t, mm(e[1]))
    if t in ("idx", "and", "or", "xor", "in"):
        return (t, mm(e[1]), mm(e[2]))
    if t == "slice":
        return (t, mm(e[1]), mm(e[2]), mm(e[3]))
    if t == "list":
        return (t, tuple(mm(x) for x in e[1]))
    if t == "map":
        return (t, tuple((k, mm(v)) for k, v in e[1]))
    if t == "fn":
        return (t, e[1], tuple(mm(x) for x in e[2]))
    if t == "agg":
        return (t, e[1], e[2], *(mm(x) for x in e[3:]))
    if t in ("bin", "strop"):
        return (t, e[1], mm(e[2]), mm(e[3]))
    if t == "cmp":
        return (t, e[1], tuple(mm(x) for x in e[2]))
    if t == "case":
        return (t, mm(e[1]), tuple((mm(w), mm(th)) for w, th in e[2]), mm(e[3]))
    if t == "quant":
        return (t, e[1], e[2], mm(e[3]), mm(e[4]))
    if t == "listcomp":
        return (t, e[1], mm(e[2]), mm(e[3]), mm(e[4]))
    if t == "reduce":
        return (t, e[1], mm(e[2]), e[3], mm(e[4]), mm(e[5]))
    raise QueryError(f"internal: unknown expression node {t}")  # pragma: no cover


def walk(e: tuple) -> Iterator[tuple]:
    """Every node of an expression tree, the root first."""
    stack = [e]
    while stack:
        x = stack.pop()
        yield x
        stack.extend(children(x))


def contains_agg(e: tuple) -> bool:
    """Whether an aggregate (count, collect, ...) occurs anywhere in the expression."""
    return any(x[0] == "agg" for x in walk(e))


def bound_here(e: tuple) -> dict[int, tuple[str, ...]]:
    """For a form that binds variables, which of its children see them: child index -> names."""
    t = e[0]
    if t == "quant":
        return {1: (e[2],)}
    if t == "listcomp":
        kids = [x for x in e[3:] if x is not None]
        return {i + 1: (e[1],) for i in range(len(kids))}
    if t == "reduce":
        return {2: (e[1], e[3])}
    return {}


def free_vars(e: tuple) -> frozenset | None:
    """Variables an expression reads from outside it, or None when it holds a subquery (not analysed)."""
    t = e[0]
    if t == "var":
        return frozenset((e[1],))
    if t in SUBQUERIES:
        return None
    out: set = set()
    local = bound_here(e)
    for i, c in enumerate(children(e)):
        fv = free_vars(c)
        if fv is None:
            return None
        out |= fv - set(local.get(i, ()))
    return frozenset(out)


def agg_text(e: tuple) -> str:
    """An aggregate as error messages show it: count(*), collect(DISTINCT ...)."""
    return f"{e[1]}({'DISTINCT ' if e[2] else ''}{'*' if e[3] is None else '...'})"
