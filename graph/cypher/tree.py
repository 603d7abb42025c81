"""The syntax tree of a parsed query, and the helpers that walk expression trees.

Clauses and patterns are small classes; expressions are tuples whose first item names the node:
see the table below. The compiler rewrites some of them (aggregate, grouping-key and column
references) before turning them into closures.
"""

from __future__ import annotations

from typing import Callable, Iterator

from ..errors import QueryError

# Expressions are tuples: ('lit', v) ('param', name) ('var', name) ('prop', e, key) ('idx', e, i)
# ('slice', e, lo, hi) ('labels', e, labels) ('list', items) ('map', ((k, e), ...))
# ('fn', name, args) ('agg', name, distinct, arg|None) ('not', e) ('and'|'or'|'xor', a, b)
# ('cmp', ops, operands) ('bin', op, a, b) ('neg', e) ('isnull', e, negated) ('in', a, b)
# ('strop', op, a, b) ('case', test, whens, else) ('exists'|'countsub', Subquery)
# and, after compilation rewrites, ('aggref', i) ('keyref', i) ('colref', i).


class NodePat:
    __slots__ = ("var", "labels", "props")

    def __init__(self, var, labels, props):
        self.var, self.labels, self.props = var, labels, props


class RelPat:
    __slots__ = ("var", "types", "props", "direction")

    def __init__(self, var, types, props, direction):
        self.var, self.types, self.props, self.direction = var, types, props, direction


class PathPat:
    __slots__ = ("nodes", "rels")

    def __init__(self, nodes, rels):
        self.nodes, self.rels = nodes, rels


class MatchClause:
    __slots__ = ("optional", "patterns", "where")

    def __init__(self, optional, patterns, where):
        self.optional, self.patterns, self.where = optional, patterns, where


class Subquery:
    """The body of EXISTS { ... } or COUNT { ... }: one MATCH with an optional WHERE."""

    __slots__ = ("match",)

    def __init__(self, match):
        self.match = match


class UnwindClause:
    __slots__ = ("expr", "alias")

    def __init__(self, expr, alias):
        self.expr, self.alias = expr, alias


class ProjItem:
    __slots__ = ("expr", "name", "aliased")

    def __init__(self, expr, name, aliased):
        self.expr, self.name, self.aliased = expr, name, aliased


class Projection:
    __slots__ = ("kind", "distinct", "star", "items", "order", "skip", "limit", "where")

    def __init__(self, kind, distinct, star, items, order, skip, limit, where):
        self.kind, self.distinct, self.star, self.items = kind, distinct, star, items
        self.order, self.skip, self.limit, self.where = order, skip, limit, where


def children(e: tuple) -> list:
    t = e[0]
    if t in ("lit", "param", "var", "aggref", "keyref", "colref", "exists", "countsub"):
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
    if t == "agg":
        return [e[3]] if e[3] is not None else []
    if t in ("bin", "strop"):
        return [e[2], e[3]]
    if t == "cmp":
        return list(e[2])
    if t == "case":
        out = [e[1]] if e[1] is not None else []
        for w, th in e[2]:
            out += [w, th]
        return out + ([e[3]] if e[3] is not None else [])
    raise QueryError(f"internal: unknown expression node {t}")  # pragma: no cover


def map_expr(e: tuple, f: Callable[[tuple], tuple | None]) -> tuple:
    r = f(e)
    if r is not None:
        return r

    def m(x):
        return None if x is None else map_expr(x, f)

    t = e[0]
    if t in ("lit", "param", "var", "aggref", "keyref", "colref", "exists", "countsub"):
        return e
    if t in ("prop", "labels", "isnull"):
        return (t, m(e[1]), e[2])
    if t in ("not", "neg", "pos"):
        return (t, m(e[1]))
    if t in ("idx", "and", "or", "xor", "in"):
        return (t, m(e[1]), m(e[2]))
    if t == "slice":
        return (t, m(e[1]), m(e[2]), m(e[3]))
    if t == "list":
        return (t, tuple(m(x) for x in e[1]))
    if t == "map":
        return (t, tuple((k, m(v)) for k, v in e[1]))
    if t == "fn":
        return (t, e[1], tuple(m(x) for x in e[2]))
    if t == "agg":
        return (t, e[1], e[2], m(e[3]))
    if t in ("bin", "strop"):
        return (t, e[1], m(e[2]), m(e[3]))
    if t == "cmp":
        return (t, e[1], tuple(m(x) for x in e[2]))
    if t == "case":
        return (t, m(e[1]), tuple((m(w), m(th)) for w, th in e[2]), m(e[3]))
    raise QueryError(f"internal: unknown expression node {t}")  # pragma: no cover


def walk(e: tuple) -> Iterator[tuple]:
    stack = [e]
    while stack:
        x = stack.pop()
        yield x
        stack.extend(children(x))


def contains_agg(e: tuple) -> bool:
    return any(x[0] == "agg" for x in walk(e))


def free_vars(e: tuple) -> frozenset | None:
    """Variables an expression reads, or None when it holds a subquery (not analysed)."""
    out = set()
    for x in walk(e):
        if x[0] == "var":
            out.add(x[1])
        elif x[0] in ("exists", "countsub"):
            return None
    return frozenset(out)


def agg_text(e: tuple) -> str:
    return f"{e[1]}({'DISTINCT ' if e[2] else ''}{'*' if e[3] is None else '...'})"
