"""Expressions of the embedded Cypher engine: syntax trees to closures over a row.

`ExpressionCompiler` turns each expression node of `tree` into a function of a row (a dict of
variable bindings): literals, parameters, properties, operators with Cypher's null logic, CASE,
list predicates and comprehensions, and the forms that match patterns inside an expression
(pattern predicates, pattern comprehensions, EXISTS { }, COUNT { } and COLLECT { } subqueries),
which call back into the query compiler (`compiler.Compiler`, which extends this class).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

from ..errors import QueryError
from .functions import FUNCTIONS, comprehension, quantifier, reduce_list
from .regex import regex_match
from .statictypes import SIZE_OF_PATTERN
from .tree import MatchClause, PathPat, Subquery, agg_text
from .values import INT_MAX, INT_MIN, NUM, Node, Rel, arith, as_bool, check_int, equals, in_list, mismatch, order_op

AGG_SLOT, KEYS_SLOT, COLS_SLOT = "\x00agg", "\x00keys", "\x00cols"
PATTERN_EXPRESSION_CONTEXT = (
    "A pattern expression should only be used in order to test the existence of a pattern. It should therefore "
    "only be used in contexts that evaluate to a boolean, e.g. inside the function exists() or in a WHERE-clause. "
    "No other uses are allowed, instead they should be replaced by a pattern comprehension."
)


class ExpressionCompiler:
    """Compiles expressions for one query (`self.eng`, `self.params`); see the module docstring."""

    eng: Any
    params: dict[str, Any]
    raw: bool
    vtypes: dict[str, Any]
    outer_vars: frozenset = frozenset()  # the variables of the query around a subquery being compiled

    def expr(self, e: tuple, scope: dict[str, str]) -> Callable[[dict], Any]:
        t = e[0]
        eng = self.eng
        if t == "lit":
            v = e[1]
            if type(v) is int and not INT_MIN <= v <= INT_MAX:
                raise QueryError(f"integer literal {v} is too large (64-bit integers only)")
            return lambda r: v
        if t == "param":
            name = e[1]
            if name not in self.params:
                raise QueryError(f"missing parameter ${name}")
            v = self.params[name]
            return lambda r: v
        if t == "var":
            name = e[1]
            if name not in scope:
                raise QueryError(f"Variable `{name}` not defined")
            return lambda r: r[name]
        if t in ("aggref", "keyref", "colref"):
            key = {"aggref": AGG_SLOT, "keyref": KEYS_SLOT, "colref": COLS_SLOT}[t]
            i = e[1]
            return lambda r: r[key][i]
        if t == "agg":
            raise QueryError(f"Invalid use of aggregating function {agg_text(e)} in this context")
        if t == "prop":
            f, key = self.expr(e[1], scope), e[2]
            return lambda r: eng.prop(f(r), key)
        if t == "idx":
            f, fi = self.expr(e[1], scope), self.expr(e[2], scope)
            return lambda r: eng.index(f(r), fi(r))
        if t == "slice":
            f = self.expr(e[1], scope)
            flo = self.expr(e[2], scope) if e[2] is not None else None
            fhi = self.expr(e[3], scope) if e[3] is not None else None
            return lambda r: _slice(f(r), flo and flo(r), fhi and fhi(r), flo is not None, fhi is not None)
        if t == "labels":
            f, labels = self.expr(e[1], scope), frozenset(e[2])

            def has_labels(r):
                v = f(r)
                if v is None:
                    return None
                if type(v) is Rel:  # r:T tests a relationship's type (r:A:B is never true for A != B)
                    t = eng.rtype(v.k)
                    return all(lab == t for lab in labels)
                if type(v) is not Node:
                    raise mismatch("a Node or Relationship", v, "a label predicate")
                return labels <= eng.labels[v.k]

            return has_labels
        if t == "list":
            fs = [self.expr(x, scope) for x in e[1]]
            return lambda r: [f(r) for f in fs]
        if t == "map":
            fs = [(k, self.expr(x, scope)) for k, x in e[1]]
            return lambda r: {k: f(r) for k, f in fs}
        if t == "fn":
            if e[1] == "size" and e[2] and e[2][0][0] == "patexp":
                raise QueryError(SIZE_OF_PATTERN)
            impl = FUNCTIONS[e[1]][2]
            fs = [self.expr(x, scope) for x in e[2]]
            return lambda r: impl(eng, [f(r) for f in fs])
        if t == "not":
            f = self.cond(e[1], scope)

            def not_(r):
                v = as_bool(f(r), "NOT")
                return None if v is None else not v

            return not_
        if t in ("and", "or", "xor"):
            fa, fb = self.cond(e[1], scope), self.cond(e[2], scope)
            op = t.upper()
            if t == "and":

                def and_(r):
                    a = as_bool(fa(r), op)
                    if a is False:
                        return False
                    b = as_bool(fb(r), op)
                    if b is False:
                        return False
                    return None if a is None or b is None else True

                return and_
            if t == "or":

                def or_(r):
                    a = as_bool(fa(r), op)
                    if a is True:
                        return True
                    b = as_bool(fb(r), op)
                    if b is True:
                        return True
                    return None if a is None or b is None else False

                return or_

            def xor_(r):
                a, b = as_bool(fa(r), op), as_bool(fb(r), op)
                return None if a is None or b is None else a != b

            return xor_
        if t == "cmp":
            ops = e[1]
            fs = [self.expr(x, scope) for x in e[2]]

            def one(op, a, b):
                if op == "=":
                    return equals(a, b)
                if op == "<>":
                    x = equals(a, b)
                    return None if x is None else not x
                if op == "=~":
                    return regex_match(a, b)
                return order_op(op, a, b)

            if len(ops) == 1:
                op, fa, fb = ops[0], fs[0], fs[1]
                return lambda r: one(op, fa(r), fb(r))

            def chain(r):
                vals = [f(r) for f in fs]
                res: bool | None = True
                for op, (a, b) in zip(ops, pairwise(vals), strict=True):
                    x = one(op, a, b)
                    if x is False:
                        return False
                    if x is None:
                        res = None
                return res

            return chain
        if t == "bin":
            op, fa, fb = e[1], self.expr(e[2], scope), self.expr(e[3], scope)
            if e[2][0] == e[3][0] == "lit":
                return lambda r: arith(op, fa(r), fb(r), folded=True)
            if op == "+":  # concatenation is where a small query can build a huge list or string
                guard = eng.guard

                def plus(r):
                    a, b = fa(r), fb(r)
                    ta, tb = type(a), type(b)
                    if (ta is list or ta is str) and (tb is list or tb is str):
                        guard.items(len(a) + len(b), "a list" if ta is list or tb is list else "a string")
                    return arith("+", a, b)

                return plus
            return lambda r: arith(op, fa(r), fb(r))
        if t in ("neg", "pos"):
            f = self.expr(e[1], scope)
            neg = t == "neg"

            def unary(r):
                v = f(r)
                if v is None:
                    return None
                if type(v) not in NUM:
                    raise mismatch("a Number", v, "unary minus" if neg else "unary plus")
                return check_int(-v) if neg else v

            return unary
        if t == "isnull":
            f, negated = self.expr(e[1], scope), e[2]
            return lambda r: (f(r) is None) != negated
        if t == "in":
            fa, fb = self.expr(e[1], scope), self.expr(e[2], scope)
            return lambda r: in_list(fa(r), fb(r))
        if t == "strop":
            op, fa, fb = e[1], self.expr(e[2], scope), self.expr(e[3], scope)

            def strop(r):
                a, b = fa(r), fb(r)
                if type(a) is not str or type(b) is not str:
                    return None
                return a.startswith(b) if op == "STARTS" else a.endswith(b) if op == "ENDS" else b in a

            return strop
        if t == "case":
            ft = self.expr(e[1], scope) if e[1] is not None else None
            whens = [((self.expr if ft is not None else self.cond)(w, scope), self.expr(th, scope)) for w, th in e[2]]
            fe = self.expr(e[3], scope) if e[3] is not None else None

            def case(r):
                if ft is None:
                    for fw, fth in whens:
                        if as_bool(fw(r), "CASE WHEN") is True:
                            return fth(r)
                else:
                    v = ft(r)
                    for fw, fth in whens:
                        if equals(v, fw(r)) is True:
                            return fth(r)
                return fe(r) if fe is not None else None

            return case
        if t in ("quant", "listcomp", "reduce"):
            return self.binder(e, scope)
        if t in ("exists", "countsub", "collectsub"):
            return self.subquery(t, e[1], scope)
        if t == "patexp":
            if len(e) < 3:
                raise QueryError(PATTERN_EXPRESSION_CONTEXT)
            return self.pattern_predicate(e[1], scope)
        if t == "patcomp":
            return self.pattern_comprehension(e, scope)
        raise QueryError(f"internal: cannot compile {t}")  # pragma: no cover

    # ----- forms that match patterns inside an expression
    def cond(self, e: tuple, scope: dict[str, str]) -> Callable[[dict], Any]:
        """An expression in a boolean context (WHERE, NOT, AND, CASE WHEN, a list predicate's
        WHERE), where a bare pattern is a predicate: whether it has a match."""
        if e[0] == "patexp":
            return self.pattern_predicate(e[1], scope)
        return self.expr(e, scope)

    def pattern_predicate(self, pat: PathPat, scope: dict[str, str]) -> Callable[[dict], Any]:
        named = [pat.name] + [x for i, np in enumerate(pat.nodes)
                              for x in (np.var, pat.rels[i].var if i < len(pat.rels) else None)]
        new = [v for v in named if v is not None and v not in scope]
        if new:
            raise QueryError(f"PatternExpressions are not allowed to introduce new variables: '{new[0]}'.")
        saved = dict(self.vtypes)
        cm, _ = self.match(MatchClause(False, [pat], None), scope)
        self.vtypes = saved
        eng = self.eng
        return lambda r: next(eng.match_rows(r, cm), None) is not None

    def pattern_comprehension(self, e: tuple, scope: dict[str, str]) -> Callable[[dict], Any]:
        """[p = (a)-->(b) WHERE pred | expr]: expr for every match, in match order; the pattern's
        new variables are local to it."""
        _, pat, where, proj = e
        if where is not None:
            self.no_agg(where, "a pattern comprehension")
        self.no_agg(proj, "a pattern comprehension")
        saved = dict(self.vtypes)
        cm, inner = self.match(MatchClause(False, [pat], where), scope)
        pf = self.expr(proj, inner)
        self.vtypes = saved
        eng = self.eng
        return lambda r: [pf(b) for b in eng.match_rows(r, cm)]

    def subquery(self, t: str, sub: Subquery, scope: dict[str, str]) -> Callable[[dict], Any]:
        """EXISTS { }, COUNT { } and COLLECT { }: the body runs once per row, seeing its variables."""
        what = {"exists": "EXISTS", "countsub": "COUNT", "collectsub": "COLLECT"}[t]
        eng = self.eng
        saved_types, saved_raw, saved_outer = dict(self.vtypes), self.raw, self.outer_vars
        try:
            self.raw = True
            self.outer_vars = frozenset(v for v in scope if not v.startswith("\x00"))
            if sub.simple:
                m = sub.body[0]
                if m.where is not None:
                    self.no_agg(m.where, f"{what} {{ }}")
                cm, _ = self.match(m, scope)
                rows = lambda r: eng.match_rows(r, cm)  # noqa: E731
                column = None
            else:
                run = self.query(sub.body, scope, open_end=True)
                column = self._collect_column(sub.body) if t == "collectsub" else None
                rows = lambda r: run(iter((dict(r),)))  # noqa: E731
        finally:
            self.vtypes, self.raw, self.outer_vars = saved_types, saved_raw, saved_outer
        if t == "collectsub" and column is None:
            raise QueryError("A Collect Expression must end with a single return column.")
        if t == "exists":
            return lambda r: next(iter(rows(r)), None) is not None
        if t == "countsub":
            return lambda r: sum(1 for _ in rows(r))
        return lambda r: [row[column] for row in rows(r)]

    @staticmethod
    def _collect_column(body) -> str | None:
        from .tree import Projection, UnionQuery

        last = body.parts[0][-1] if isinstance(body, UnionQuery) else body[-1]
        if not (isinstance(last, Projection) and last.kind == "RETURN") or last.star or len(last.items) != 1:
            return None
        return last.items[0].name

    def binder(self, e: tuple, scope: dict[str, str]) -> Callable[[dict], Any]:
        """List predicates, list comprehensions and reduce(): each binds a variable of its own
        while it evaluates its inner expressions (bound in the row and restored afterwards)."""
        t = e[0]
        tick = self.eng.guard.tick
        if t == "quant":
            _, kind, var, lst, pred = e
            return quantifier(kind, var, self.expr(lst, scope), self.cond(pred, {**scope, var: "any"}), tick)
        if t == "listcomp":
            _, var, lst, pred, proj = e
            inner = {**scope, var: "any"}
            return comprehension(var, self.expr(lst, scope), pred and self.cond(pred, inner),
                                 proj and self.expr(proj, inner), tick)
        _, acc, init, var, lst, body = e
        if acc == var:
            raise QueryError(f"Variable `{var}` already declared")
        return reduce_list(acc, self.expr(init, scope), var, self.expr(lst, scope),
                           self.expr(body, {**scope, acc: "any", var: "any"}), tick)


def _slice(c, lo, hi, has_lo, has_hi):
    if c is None or (has_lo and lo is None) or (has_hi and hi is None):
        return None
    if type(c) is not list:
        raise mismatch("List", c, "a slice")
    for x in (lo, hi):
        if x is not None and type(x) is not int:
            raise mismatch("Integer", x, "a slice")
    return c[lo:hi]
