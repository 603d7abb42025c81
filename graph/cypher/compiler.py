"""Compiler of the embedded Cypher engine: the syntax tree to a pipeline of row generators.

Each clause becomes a stage (rows in, rows out); each expression becomes a closure over a row
(a dict of variable bindings). MATCH clauses compile to a plan (`CMatch`) that the executor's
matcher runs; the compiler also finds the `id` equalities in WHERE that let matching start from
the id index rather than a label scan.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from ..errors import QueryError
from .aggregates import Aggregator
from .expressions import AGG_SLOT, COLS_SLOT, KEYS_SLOT, ExpressionCompiler
from .functions import range_values
from .statictypes import T_NODE, T_PATH, T_REL, TypeChecker, elem_type, list_of, show
from .tree import (
    SUBQUERIES,
    MatchClause,
    Projection,
    ProjItem,
    UnionQuery,
    UnwindClause,
    agg_text,
    bound_here,
    children,
    contains_agg,
    free_vars,
    map_children,
    map_expr,
    walk,
)
from .values import canon, equals, order_key, out_value, to_string, truth, type_name

HIDDEN = "\x00"


class CNode:
    """A node of a compiled pattern: labels, property checks, and an id lookup when one is known."""

    __slots__ = ("var", "labels", "checks", "id_f", "id_vars")

    def __init__(self, var, labels):
        self.var, self.labels = var, labels
        self.checks: list = []
        self.id_f = None
        self.id_vars: frozenset = frozenset()


class CRel:
    """A relationship of a compiled pattern; `hops` is (lo, hi) for a variable-length one, else None."""

    __slots__ = ("var", "types", "checks", "direction", "hops")

    def __init__(self, var, types, direction, hops=None):
        self.var, self.types, self.direction, self.hops = var, types, direction, hops
        self.checks: list = []


class CPath:
    """A compiled chain of nodes and relationships; `name` is its path variable, if any."""

    __slots__ = ("nodes", "rels", "name", "_steps")

    def __init__(self, nodes, rels, name=None):
        self.nodes, self.rels, self.name = nodes, rels, name
        self._steps: dict[int, list] = {}

    def steps(self, s: int) -> list:
        """The walk from node s outwards: right to the end, then left to the start, as
        (relationship index, from node index, to node index, walking forward)."""
        st = self._steps.get(s)
        if st is None:
            n = len(self.nodes)
            st = [(i, i, i + 1, True) for i in range(s, n - 1)] + [(i - 1, i, i - 1, False) for i in range(s, 0, -1)]
            self._steps[s] = st
        return st


class CMatch:
    """A compiled MATCH: its paths, deferred checks, WHERE, id hints and the variables it binds;
    `pre` holds the WHERE conditions on earlier variables only, tested before any matching (as
    Neo4j's planner does, so a failing condition fails even when nothing would match)."""

    __slots__ = ("optional", "paths", "post", "where", "hints", "new_vars", "pre")

    def __init__(self, optional, paths, post, where, hints, new_vars, pre=None):
        self.optional, self.paths, self.post, self.where = optional, paths, post, where
        self.hints, self.new_vars, self.pre = hints, new_vars, pre


class Compiler(ExpressionCompiler):
    """Turns the clauses of one query into a pipeline of stages, for one engine and parameter set."""

    def __init__(self, eng: Any, params: dict[str, Any], raw: bool = False):
        self.eng = eng
        self.params = params
        self.raw = raw
        self.n_hidden = 0
        self.vtypes: dict[str, Any] = {}  # variable -> static type (see statictypes)

    def typeof(self, e: tuple) -> Any:
        """The static type of an expression; raises as Neo4j does on a certain type mismatch."""
        return TypeChecker(self.vtypes, self.params).infer(e)

    def hidden(self) -> str:
        self.n_hidden += 1
        return f"{HIDDEN}{self.n_hidden}"

    # ----- query
    def query(self, clauses: list, scope: dict[str, str] | None = None, *,
              open_end: bool = False) -> Callable[..., Iterator[dict]]:
        """The query as a function of its input rows (default: one empty row). `scope` names the
        variables the input rows bind (a subquery's outer variables); with `open_end` the query
        may end with another clause than RETURN (the body of EXISTS { }, a test's setup). The
        variables in scope at the end are left in `self.out_scope`."""
        if isinstance(clauses, UnionQuery):
            return self.union(clauses, scope, open_end)
        scope = dict(scope or {})
        stages: list[Callable[[Iterable[dict]], Iterator[dict]]] = []
        for i, c in enumerate(clauses):
            last = i == len(clauses) - 1
            if isinstance(c, MatchClause):
                cm, scope = self.match(c, scope)
                stages.append(self._match_stage(cm))
            elif isinstance(c, UnwindClause):
                ty = self.typeof(c.expr)
                f = self.expr(c.expr, scope)
                self.vtypes[c.alias] = elem_type(ty) if ty and all(isinstance(a, tuple) for a in ty) else (
                    ty if ty and not any(isinstance(a, tuple) for a in ty) else None)
                if c.alias in scope:
                    raise QueryError(f"Variable `{c.alias}` already declared")
                if c.expr[0] == "fn" and c.expr[1] == "range":  # counted lazily, never built as a list
                    arg_fs = [self.expr(x, scope) for x in c.expr[2]]
                    f = lambda r, fs=arg_fs: range_values([g(r) for g in fs])  # noqa: E731
                stages.append(self._unwind_stage(f, c.alias))
                scope = {**scope, c.alias: "any"}
            else:
                if c.kind == "RETURN" and not last:
                    nxt = clauses[i + 1]
                    raise QueryError(f"RETURN can only be used at the end of the query (found {_clause_name(nxt)} "
                                     "after it)")
                stage, scope = self.projection(c, scope)
                stages.append(stage)
        last = clauses[-1]
        if not open_end and not (isinstance(last, Projection) and last.kind == "RETURN"):
            raise QueryError(f"Query cannot conclude with {_clause_name(last)} (must be a RETURN clause)")
        self.out_scope = scope

        def run(rows: Iterable[dict] | None = None) -> Iterator[dict]:
            rows = iter(({},)) if rows is None else rows
            for st in stages:
                rows = st(rows)
            return iter(rows)

        return run

    def union(self, u: UnionQuery, scope: dict[str, str] | None, open_end: bool) -> Callable[..., Iterator[dict]]:
        """Queries joined by UNION (duplicate rows removed) or UNION ALL: each part is compiled on
        its own (raw values, so that DISTINCT compares nodes, not their properties), with the
        same column names, which keep the order of the first part."""
        raw, types = self.raw, dict(self.vtypes)
        runs, columns = [], None
        try:
            self.raw = True
            for part in u.parts:
                self.vtypes = dict(types)
                last = part[-1]
                if not (isinstance(last, Projection) and last.kind == "RETURN"):
                    raise QueryError(f"Query cannot conclude with {_clause_name(last)} (must be a RETURN clause)")
                runs.append(self.query(part, scope, open_end=open_end))
                names = ([it.name for it in last.items] if not last.star
                         else sorted(v for v in self.out_scope if not v.startswith(HIDDEN)))
                if columns is None:
                    columns = names
                elif sorted(names) != sorted(columns):
                    raise QueryError("All sub queries in an UNION must have the same return column names")
        finally:
            self.raw = raw
        eng, distinct = self.eng, not u.all
        out = (lambda _eng, v: v) if raw else out_value

        def run(rows: Iterable[dict] | None = None) -> Iterator[dict]:
            rows = list(({},) if rows is None else rows)
            seen: set = set()
            for part_run in runs:
                for row in part_run(iter([dict(r) for r in rows])):
                    eng.guard.tick()
                    if distinct:
                        key = tuple(canon(row[c]) for c in columns)
                        if key in seen:
                            continue
                        seen.add(key)
                    yield {c: out(eng, row[c]) for c in columns}

        self.out_scope = {c: "any" for c in columns}
        return run

    # ----- MATCH
    def match(self, m: MatchClause, scope: dict[str, str]) -> tuple[CMatch, dict[str, str]]:
        new: dict[str, str] = {}
        rel_vars: set[str] = set()
        named: list[tuple] = []  # (pattern element, variable, is_rel)
        for path in m.patterns:
            if path.name is not None:
                if path.name in scope or path.name in new:
                    raise QueryError(f"Variable `{path.name}` already declared")
                new[path.name] = "path"
            for i, np in enumerate(path.nodes):
                v = np.var
                if v is None:
                    v = self.hidden()
                else:
                    kind = scope.get(v, new.get(v))
                    if kind in ("rel", "rels", "path"):
                        raise QueryError(f"Type mismatch: `{v}` is a {_KIND_NAMES[kind]}, not a node")
                    self._bound_as(v, kind, T_NODE)
                    if v not in scope:
                        new[v] = "node"
                named.append((np, v, False))
                if i < len(path.rels):
                    rp = path.rels[i]
                    rv = rp.var
                    if rv is None:
                        rv = self.hidden()
                    else:
                        if rv in rel_vars:
                            raise QueryError(f"Cannot use the same relationship variable `{rv}` for multiple "
                                             "relationships")
                        kind = scope.get(rv, new.get(rv))
                        if rp.hops is not None and kind == "rel":
                            raise QueryError(f"Type mismatch: `{rv}` is a relationship, not a list of relationships")
                        self._bound_as(rv, kind, T_REL if rp.hops is None else list_of(T_REL))
                        if kind in ("node", "path") or (kind == "rels" and rp.hops is None):
                            raise QueryError(f"Type mismatch: `{rv}` is a {_KIND_NAMES[kind]}, not a relationship")
                        rel_vars.add(rv)
                        if rv not in scope:
                            new[rv] = "rel" if rp.hops is None else "rels"
                    named.append((rp, rv, True))
        full = {**scope, **new}
        for v, kind in new.items():
            self.vtypes[v] = {"node": T_NODE, "rel": T_REL, "rels": list_of(T_REL), "path": T_PATH}[kind]
        new_names = set(new) | {v for _, v, _ in named if v.startswith(HIDDEN)}
        post: list[Callable[[dict], bool]] = []
        celems = []
        for el, v, is_rel in named:
            ce = CRel(v, frozenset(el.types) if el.types else None, el.direction,
                      el.hops) if is_rel else CNode(v, frozenset(el.labels))
            for key, ex in el.props or ():
                self.typeof(ex)
                f = self.expr(ex, full)
                fv = free_vars(ex)
                if fv is None or fv & new_names:
                    post.append(self._deferred_check(v, is_rel, key, f))
                else:
                    ce.checks.append((key, f))
                    if not is_rel and key == "id" and ce.id_f is None:
                        ce.id_f, ce.id_vars = f, fv
            celems.append(ce)
        paths = []
        j = 0
        for path in m.patterns:
            k = 2 * len(path.nodes) - 1
            els = celems[j : j + k]
            j += k
            paths.append(CPath(els[0::2], els[1::2], path.name))
        where = pre = None
        hints: dict[str, list] = {}
        if m.where is not None:
            self.no_agg(m.where, "WHERE")
            TypeChecker(self.vtypes, self.params).predicate(m.where, "WHERE")
            where = self.cond(m.where, full)
            self._hints(m.where, new, full, paths, hints)
            outer = [c for c in _conjuncts(m.where) if (fv := free_vars(c)) is not None and fv <= scope.keys()]
            if outer:
                pre_expr = outer[0]
                for c in outer[1:]:
                    pre_expr = ("and", pre_expr, c)
                pre = self.expr(pre_expr, scope)
        vis = {v: k for v, k in full.items()}
        cm = CMatch(m.optional, paths, post, where, hints, [v for v in new], pre)
        return cm, vis

    def _bound_as(self, v: str, kind: str | None, want: frozenset) -> None:
        """A variable bound by WITH or UNWIND to a value that can never be a node (relationship,
        list of relationships) cannot stand in a pattern (Neo4j: VariableTypeConflict)."""
        ty = self.vtypes.get(v) if kind == "any" else None
        if not ty:
            return
        (atom,) = want
        fits = any(a == atom or (isinstance(a, tuple) and isinstance(atom, tuple) and a[1] in (None, atom[1]))
                   for a in ty)
        if not fits:
            raise QueryError(f"Type mismatch: {v} defined with conflicting type {show(ty)} (expected {show(want)})")

    def _deferred_check(self, var: str, is_rel: bool, key: str, f: Callable) -> Callable[[dict], bool]:
        eng = self.eng

        def check(b: dict) -> bool:
            x = b[var]
            want = f(b)
            if type(x) is list:  # a variable-length relationship: every one must match
                return all(equals(eng.rel_props(r.rid()).get(key), want) is True for r in x)
            p = eng.rel_props(x.rid()) if is_rel else eng.node_props(x.k)
            return equals(p.get(key), want) is True

        return check

    def _hints(self, where: tuple, new: dict, full: dict, paths: list, hints: dict) -> None:
        conj = []
        stack = [where]
        while stack:
            x = stack.pop()
            if x[0] == "and":
                stack += [x[1], x[2]]
            else:
                conj.append(x)
        nodes_by_var: dict[str, list[CNode]] = {}
        for p in paths:
            for cn in p.nodes:
                nodes_by_var.setdefault(cn.var, []).append(cn)

        def id_of(x):
            if x[0] == "prop" and x[2] == "id" and x[1][0] == "var" and new.get(x[1][1]) == "node":
                return x[1][1]
            return None

        for c in conj:
            if c[0] == "labels" and c[1][0] == "var" and new.get(c[1][1]) == "node":
                for cn in nodes_by_var.get(c[1][1], ()):
                    cn.labels = cn.labels | frozenset(c[2])
                continue
            if c[0] == "cmp" and c[1] == ("=",):
                a, b = c[2]
                for x, other in ((a, b), (b, a)):
                    v = id_of(x)
                    fv = free_vars(other)
                    if v and fv is not None and v not in fv:
                        hints.setdefault(v, []).append(("eq", self.expr(other, full), fv))
            elif c[0] == "in":
                v = id_of(c[1])
                fv = free_vars(c[2])
                if v and fv is not None and v not in fv:
                    hints.setdefault(v, []).append(("in", self.expr(c[2], full), fv))

    def _match_stage(self, cm: CMatch):
        eng = self.eng

        def stage(rows):
            for row in rows:
                found = False
                for b in eng.match_rows(row, cm):
                    found = True
                    yield b
                if not found and cm.optional:
                    r = dict(row)
                    for v in cm.new_vars:
                        r[v] = None
                    yield r

        return stage

    def _unwind_stage(self, f, alias):
        tick = self.eng.guard.tick

        def stage(rows):
            for row in rows:
                v = f(row)
                if v is None:
                    continue
                for x in v if type(v) in (list, range) else (v,):
                    tick()
                    r = dict(row)
                    r[alias] = x
                    yield r

        return stage

    def no_agg(self, e: tuple, where: str) -> None:
        for x in walk(e):
            if x[0] == "agg":
                raise QueryError(f"Invalid use of aggregating function {agg_text(x)} in {where}")

    # ----- WITH / RETURN
    def projection(self, p: Projection, scope: dict[str, str]):
        items = list(p.items)
        if p.star:
            vis = sorted(v for v in scope if not v.startswith(HIDDEN))
            if not vis:
                raise QueryError(f"{p.kind} * is not allowed when there are no variables in scope")
            items = [ProjItem(("var", v), v, False) for v in vis] + items
        names = [it.name for it in items]
        if len(set(names)) != len(names):
            dup = next(n for n in names if names.count(n) > 1)
            raise QueryError(f"Multiple result columns with the same name are not supported: {dup}")
        var_names: list[str | None] = []
        new_scope: dict[str, str] = {}
        for it in items:
            if it.aliased and it.name in self.outer_vars and it.expr != ("var", it.name):
                raise QueryError(f"The variable `{it.name}` is shadowing a variable with the same name from the outer "
                                 "scope and needs to be renamed")
            if it.aliased or it.expr[0] == "var":
                var_names.append(it.name)
                new_scope[it.name] = scope.get(it.expr[1], "any") if it.expr[0] == "var" else "any"
            elif p.kind == "WITH":
                raise QueryError(f"Expression in WITH must be aliased (use AS): {it.name}")
            else:
                var_names.append(None)
        for it in items:  # an aggregate may give a list predicate its list, not work inside it
            for node in walk(it.expr):
                if node[0] in ("quant", "listcomp", "reduce"):
                    kids = children(node)
                    for i in bound_here(node):
                        agg = next((x for x in walk(kids[i]) if x[0] == "agg"), None)
                        if agg is not None:
                            raise QueryError(f"Invalid use of aggregating function {agg_text(agg)} inside a list "
                                             "predicate, comprehension or reduce()")
        agg_flags = [contains_agg(it.expr) for it in items]
        aggregating = any(agg_flags)
        item_types = [self.typeof(it.expr) for it in items]
        old_types = self.vtypes
        eng = self.eng
        # item evaluation
        key_pos = [j for j, a in enumerate(agg_flags) if not a]
        key_fs = [self.expr(items[j].expr, scope) for j in key_pos]
        aggs: list[tuple[str, bool, Callable | None, Callable | None]] = []
        item_eval: list[tuple[str, Any]] = []
        if aggregating:
            key_exprs = [items[j].expr for j in key_pos]

            def sub(node, local=frozenset()):
                if node[0] == "var" and node[1] in local:
                    return node
                if node[0] in ("quant", "listcomp", "reduce"):
                    inner = local | {n for names in bound_here(node).values() for n in names}
                    return map_children(node, lambda c: map_expr(c, lambda x: sub(x, inner)))
                if node[0] == "agg":
                    for arg in node[3:]:
                        if arg is not None:
                            self.no_agg(arg, f"the argument of {node[1]}()")
                            if any(x[0] == "fn" and x[1] == "rand" for x in walk(arg)):
                                raise QueryError("Can't use non-deterministic (random) functions inside of aggregate "
                                                 "functions.")
                    argf = None if node[3] is None else self.expr(node[3], scope)
                    pf = self.expr(node[4], scope) if len(node) > 4 else None
                    aggs.append(("count*" if node[3] is None else node[1], node[2], argf, pf))
                    return ("aggref", len(aggs) - 1)
                for kk, ke in enumerate(key_exprs):  # Neo4j 5 reuses only a grouping variable or its property
                    if node == ke and _simple_key(ke) and not (local and (free_vars(ke) or frozenset()) & local):
                        return ("keyref", kk)
                if node[0] == "var" or node[0] in SUBQUERIES:
                    raise QueryError(
                        "Aggregation column contains implicit grouping expressions: "
                        "every value outside an aggregate must also be returned as a grouping key"
                    )
                return None

            kk = 0
            for j, it in enumerate(items):
                if agg_flags[j]:
                    item_eval.append(("agg", self.expr(map_expr(it.expr, sub), {})))
                else:
                    item_eval.append(("key", kk))
                    kk += 1
        # ORDER BY and WITH ... WHERE
        hide_old = aggregating or p.distinct
        oscope = dict(new_scope) if hide_old else {**scope, **new_scope}
        new_types = {vn: ty for vn, ty in zip(var_names, item_types, strict=True) if vn is not None}
        self.vtypes = new_types if hide_old else {**old_types, **new_types}
        for e, _ in p.order:
            self.typeof(e)
        if p.where is not None:
            TypeChecker(self.vtypes, self.params).predicate(p.where, "WHERE")
        self.vtypes = new_types
        item_exprs = [it.expr for it in items]

        def osub(node, top=None):
            # in an ORDER BY that aggregates, only aggregates, variables and their properties
            # may stand for returned columns (as for grouping keys above)
            if top is not None and node is not top and node[0] != "agg" and not _simple_key(node):
                return None
            for j, ie in enumerate(item_exprs):
                if node == ie:
                    return ("colref", j)
            return None

        def after(e: tuple, what: str, condition: bool = False) -> Callable:
            top = e if aggregating and contains_agg(e) else None
            e2 = map_expr(e, lambda node: osub(node, top))
            self.no_agg(e2, what)
            for v in sorted(free_vars(e2) or ()):
                if hide_old and v in scope and v not in oscope:
                    raise QueryError(
                        f"In a {p.kind} with DISTINCT or an aggregation, {what} cannot use `{v}`, "
                        f"declared before the {p.kind} (project it, or use a returned column)"
                    )
            return (self.cond if condition else self.expr)(e2, oscope)

        order = [(after(e, "ORDER BY"), desc) for e, desc in p.order]
        where = after(p.where, "WHERE", condition=True) if p.where is not None else None
        skip = self.count_value(p.skip, "SKIP")
        limit = self.count_value(p.limit, "LIMIT")
        is_return = p.kind == "RETURN"
        distinct = p.distinct
        out = (lambda _eng, v: v) if self.raw else out_value
        scope_needed = bool(order) or where is not None

        tick = self.eng.guard.tick

        def values(rows):
            if not aggregating:
                for row in rows:
                    tick()
                    yield [f(row) for f in key_fs], row
                return
            groups: dict = {}
            max_items = self.eng.guard.max_items
            for row in rows:
                tick()
                kv = [f(row) for f in key_fs]
                key = tuple(canon(x) for x in kv)
                g = groups.get(key)
                if g is None:
                    g = groups[key] = (kv, [Aggregator(kind, d, max_items) for kind, d, _, _ in aggs])
                for st, (_, _, af, pf) in zip(g[1], aggs, strict=True):
                    if pf is None:
                        st.add(None if af is None else af(row))
                    else:
                        st.add(af(row), pf(row))
            if not groups and not key_fs:
                groups[()] = ([], [Aggregator(kind, d, max_items) for kind, d, _, _ in aggs])
            for kv, states in groups.values():
                ctx = {KEYS_SLOT: kv, AGG_SLOT: [s.result() for s in states]}
                yield [kv[x] if kind == "key" else x(ctx) for kind, x in item_eval], None

        def scoped(vals, row):
            d = {} if (hide_old or row is None) else dict(row)
            for j, vn in enumerate(var_names):
                if vn is not None:
                    d[vn] = vals[j]
            d[COLS_SLOT] = vals
            return d

        def stage(rows):
            it: Iterable = values(rows)
            if distinct:
                it = _distinct(it)
            if scope_needed:
                it = ((v, scoped(v, r)) for v, r in it)
            if order:
                lst = list(it)
                for f, desc in reversed(order):
                    lst.sort(key=lambda vr: order_key(f(vr[1])), reverse=desc)
                it = lst
            if skip or limit is not None:
                # a SKIP or LIMIT beyond what islice takes (2^63 - 1) means "all of them" here
                start = min(skip or 0, sys.maxsize)
                it = islice(it, start, None if limit is None else min(start + limit, sys.maxsize))
            if where is not None:
                it = ((v, s) for v, s in it if truth(where(s)))
            if is_return:
                for vals, _ in it:
                    yield {n: out(eng, x) for n, x in zip(names, vals, strict=True)}
            else:
                for vals, _ in it:
                    yield {vn: x for vn, x in zip(var_names, vals, strict=True)}

        return stage, new_scope

    def count_value(self, e: tuple | None, what: str) -> int | None:
        if e is None:
            return None
        fv = free_vars(e)
        if fv is None or fv:
            raise QueryError(f"{what} must not refer to variables")
        self.no_agg(e, what)
        v = self.expr(e, {})({})
        if type(v) is not int or v < 0:
            raise QueryError(f"{what} must be a non-negative integer, got "
                             f"{to_string(v) if type(v) in (str, int, float, bool) else type_name(v)}")
        return v

_KIND_NAMES = {"node": "node", "rel": "relationship", "rels": "list of relationships", "path": "path"}


def _conjuncts(e: tuple) -> list[tuple]:
    """The parts of an AND chain."""
    out, stack = [], [e]
    while stack:
        x = stack.pop()
        if x[0] == "and":
            stack += [x[2], x[1]]
        else:
            out.append(x)
    return out


def _simple_key(e: tuple) -> bool:
    """A variable or a property of one: what an aggregation expression may share with a grouping key."""
    return e[0] == "var" or (e[0] == "prop" and e[1][0] == "var")


def _clause_name(c) -> str:
    if isinstance(c, MatchClause):
        return "OPTIONAL MATCH" if c.optional else "MATCH"
    if isinstance(c, UnwindClause):
        return "UNWIND"
    return c.kind


def _distinct(it):
    seen = set()
    for vals, row in it:
        k = tuple(canon(v) for v in vals)
        if k not in seen:
            seen.add(k)
            yield vals, row
