"""A small read-only Cypher interpreter over the embedded NetworkX graph.

`mechgraph query "CYPHER" --backend networkx` runs here. It gives the rows Neo4j 5 would give
for the same data, for the subset below; anything else fails with a one-line
`mechgraph.errors.QueryError` naming what is unsupported. Syntax errors name the line and column.

The graph is presented exactly as it is loaded into Neo4j (see `mechgraph.props`): every node has
the labels `Entity` and its kind's label (`Gene`, `Therapy`, ...) and the properties of
`props.to_properties` (including `id`); every relationship has the type of its relation
(`PROMOTES`, `TARGETS`, ...) and the properties of `props.edge_properties` (`sign`, `refs`,
`level`, `dois`, `levels`, `species`, `n_evidence`, `evidence_json`, ...).

Supported
  Clauses     MATCH and OPTIONAL MATCH (comma-separated patterns, WHERE), WHERE, UNWIND list AS x,
              WITH (aliases, *, DISTINCT, aggregation, ORDER BY, SKIP/OFFSET, LIMIT, WHERE),
              RETURN (aliases, *, DISTINCT, aggregation, ORDER BY ASC/DESC, SKIP/OFFSET, LIMIT).
              Case-insensitive keywords, // and /* */ comments, one trailing `;`.
  Patterns    (n:Label:Label {key: expr}), chains of any length, -[r:A|B {k: v}]-> <-[]- -[]- --> <-- --;
              a relationship is matched at most once per MATCH, as in Cypher.
  Expressions literals (strings with escapes, integers, floats, true/false/null, lists, maps),
              $param, n.prop, n['prop'], x[i], x[i..j], n:Label, = <> < <= > >= (chainable),
              IS [NOT] NULL, AND OR XOR NOT, IN, STARTS WITH, ENDS WITH, CONTAINS, =~ (full match),
              + - * / % ^, string and list concatenation, CASE (simple and generic),
              EXISTS { [MATCH] pattern [WHERE ...] } and COUNT { [MATCH] pattern [WHERE ...] }.
              Cypher null semantics; WHERE keeps a row only when its predicate is true.
  Functions   coalesce type labels keys properties startNode endNode toString toInteger toFloat
              toBoolean (and their ...OrNull forms) toLower toUpper lower upper trim ltrim rtrim
              size isEmpty head last tail reverse split replace substring left right range
              abs ceil floor round sign sqrt.
  Aggregates  count(*) count([DISTINCT] x) collect([DISTINCT] x) sum avg min max, with implicit
              grouping by the non-aggregate items, as in Cypher.
  Results     a list of dicts keyed by the column names Neo4j uses (the alias, or the item's text
              as written); nodes and relationships come back as their property dicts. Rows are in
              ORDER BY order, otherwise in no particular order.

Unsupported (QueryError "unsupported Cypher: ...")
  writes (CREATE MERGE SET REMOVE DELETE DETACH FOREACH; the embedded backend is read-only),
  CALL (procedures and subqueries), LOAD CSV, UNION, USE, planner hints, EXPLAIN/PROFILE,
  variable-length relationships [*..], shortestPath, quantified path patterns, named paths
  p = (...), pattern expressions outside EXISTS/COUNT { }, list and pattern comprehensions,
  map projections, label expressions (:A|B, :!A), id() and elementId() (use n.id), exists()
  (removed in Neo4j 5; use IS NOT NULL), length()/nodes()/relationships() (no paths),
  any/all/none/single/reduce, and any other function ("unknown function foo()").

Parameters are values only: `$name` must be in `params`, else "missing parameter $name".

API: `CypherEngine(g).run(text, params)` (indexes built once per engine) and
`run_cypher(g, text, params)` (engine cached per graph).
"""

from __future__ import annotations

import math
import re
from itertools import islice
from typing import Any, Callable, Iterable, Iterator

from ..errors import QueryError

__all__ = ["CypherEngine", "run_cypher", "QueryError"]

_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
_NUM = (int, float)
_AGG, _KEYS, _COLS = "\x00agg", "\x00keys", "\x00cols"
_HIDDEN = "\x00"
_RANGE_MAX = 1_000_000

_READ_ONLY = "(the embedded backend is read-only; use --backend neo4j --write)"
_UNSUPPORTED_CLAUSES = {
    "CREATE": f"CREATE {_READ_ONLY}",
    "MERGE": f"MERGE {_READ_ONLY}",
    "SET": f"SET {_READ_ONLY}",
    "REMOVE": f"REMOVE {_READ_ONLY}",
    "DELETE": f"DELETE {_READ_ONLY}",
    "DETACH": f"DETACH DELETE {_READ_ONLY}",
    "FOREACH": f"FOREACH {_READ_ONLY}",
    "INSERT": f"INSERT {_READ_ONLY}",
    "CALL": "CALL (procedures and subqueries)",
    "LOAD": "LOAD CSV",
    "UNION": "UNION",
    "USE": "USE",
    "USING": "USING (planner hints)",
    "EXPLAIN": "EXPLAIN",
    "PROFILE": "PROFILE",
    "SHOW": "SHOW",
    "START": "START",
    "FINISH": "FINISH",
    "TERMINATE": "TERMINATE",
    "ALTER": "ALTER",
    "DROP": "DROP",
    "GRANT": "GRANT",
    "DENY": "DENY",
    "REVOKE": "REVOKE",
    "FILTER": "FILTER",
    "LET": "LET",
    "YIELD": "YIELD",
}
_UNSUPPORTED_FUNCS = {
    "id": "id() (use n.id, the entity id property)",
    "elementid": "elementId() (use n.id, the entity id property)",
    "exists": "exists() (removed in Neo4j 5; use n.prop IS NOT NULL, or EXISTS { MATCH ... })",
    "length": "length() (paths are not supported; use size() for strings and lists)",
    "nodes": "nodes() (paths are not supported)",
    "relationships": "relationships() (paths are not supported)",
    "shortestpath": "shortestPath()",
    "allshortestpaths": "allShortestPaths()",
    "any": "list predicate functions any()/all()/none()/single()",
    "all": "list predicate functions any()/all()/none()/single()",
    "none": "list predicate functions any()/all()/none()/single()",
    "single": "list predicate functions any()/all()/none()/single()",
    "reduce": "reduce()",
}
_AGGREGATES = {"count", "collect", "sum", "avg", "min", "max"}
# Words that end an expression or start a clause: never read as a variable.
_RESERVED = {
    "MATCH", "OPTIONAL", "WHERE", "WITH", "RETURN", "ORDER", "BY", "SKIP", "OFFSET", "LIMIT",
    "UNWIND", "AS", "AND", "OR", "XOR", "NOT", "IN", "IS", "STARTS", "ENDS", "CONTAINS", "CASE",
    "WHEN", "THEN", "ELSE", "END", "DISTINCT", "ASC", "DESC", "ASCENDING", "DESCENDING",
    "NULL", "TRUE", "FALSE", *_UNSUPPORTED_CLAUSES,
}


def _unsupported(what: str) -> QueryError:
    return QueryError(f"unsupported Cypher: {what}")


# --------------------------------------------------------------------------- lexer


class _Tok:
    __slots__ = ("kind", "val", "s", "e")

    def __init__(self, kind: str, val: Any, s: int, e: int):
        self.kind, self.val, self.s, self.e = kind, val, s, e

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"_Tok({self.kind}, {self.val!r})"


def _syntax(text: str, pos: int, msg: str) -> QueryError:
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return QueryError(f"Cypher syntax error at line {line}, column {col}: {msg}")


_DIGITS = "0123456789"
_HEX = "0123456789abcdefABCDEF"
_PUNCT2 = ("<>", "<=", ">=", "=~", "..", "+=", "::", "!=")
_PUNCT1 = "()[]{},.:;|=<>+-*/%^&!"
_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_FLOAT_RE = re.compile(r"[ \t\n\r]*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t\n\r]*")
_INT_RE = re.compile(r"[ \t\n\r]*[+-]?[0-9]+[ \t\n\r]*")


def _is_ident_start(c: str) -> bool:
    return c.isalpha() or c == "_"


def _is_ident_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _lex(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c == "/" and text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if c == "/" and text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                raise _syntax(text, i, "unterminated comment")
            i = j + 2
            continue
        s = i
        if _is_ident_start(c):
            i += 1
            while i < n and _is_ident_char(text[i]):
                i += 1
            toks.append(_Tok("id", text[s:i], s, i))
            continue
        if c in _DIGITS:
            if text.startswith(("0x", "0X"), i) or text.startswith(("0o", "0O"), i):
                base = 16 if text[i + 1] in "xX" else 8
                digits = _HEX if base == 16 else "01234567"
                i += 2
                while i < n and text[i] in digits:
                    i += 1
                if i == s + 2:
                    raise _syntax(text, s, "invalid number literal")
                kind, val = "int", int(text[s + 2 : i], base)
            else:
                while i < n and text[i] in _DIGITS:
                    i += 1
                kind = "int"
                if i + 1 < n and text[i] == "." and text[i + 1] in _DIGITS:
                    kind = "float"
                    i += 1
                    while i < n and text[i] in _DIGITS:
                        i += 1
                if i < n and text[i] in "eE":
                    j = i + 1
                    if j < n and text[j] in "+-":
                        j += 1
                    if j < n and text[j] in _DIGITS:
                        kind = "float"
                        i = j
                        while i < n and text[i] in _DIGITS:
                            i += 1
                val = int(text[s:i]) if kind == "int" else float(text[s:i])
            if i < n and _is_ident_char(text[i]):
                raise _syntax(text, s, "invalid number literal")
            toks.append(_Tok(kind, val, s, i))
            continue
        if c in "'\"":
            i += 1
            out = []
            while True:
                if i >= n:
                    raise _syntax(text, s, "unterminated string literal")
                ch = text[i]
                if ch == c:
                    i += 1
                    break
                if ch == "\\":
                    if i + 1 >= n:
                        raise _syntax(text, s, "unterminated string literal")
                    e = text[i + 1]
                    if e in _ESCAPES:
                        out.append(_ESCAPES[e])
                        i += 2
                    elif e in "uU":
                        width = 4 if e == "u" else 8
                        hx = text[i + 2 : i + 2 + width]
                        if len(hx) != width or any(h not in _HEX for h in hx) or int(hx, 16) > 0x10FFFF:
                            raise _syntax(text, i, "invalid unicode escape in string literal")
                        out.append(chr(int(hx, 16)))
                        i += 2 + width
                    else:
                        raise _syntax(text, i, f"invalid escape sequence {chr(92) + e!r} in string literal")
                else:
                    out.append(ch)
                    i += 1
            toks.append(_Tok("str", "".join(out), s, i))
            continue
        if c == "`":
            j = i + 1
            out = []
            while True:
                if j >= n:
                    raise _syntax(text, s, "unterminated `quoted name`")
                if text[j] == "`":
                    if text.startswith("``", j):
                        out.append("`")
                        j += 2
                        continue
                    break
                out.append(text[j])
                j += 1
            i = j + 1
            if not out or "\x00" in out:
                raise _syntax(text, s, "empty or invalid `quoted name`")
            toks.append(_Tok("qid", "".join(out), s, i))
            continue
        if c == "$":
            j = i + 1
            if j < n and text[j] == "`":
                k = text.find("`", j + 1)
                if k < 0 or k == j + 1:
                    raise _syntax(text, s, "expected a parameter name after $")
                name, i = text[j + 1 : k], k + 1
            else:
                while j < n and _is_ident_char(text[j]):
                    j += 1
                if j == i + 1:
                    raise _syntax(text, s, "expected a parameter name after $")
                name, i = text[i + 1 : j], j
            toks.append(_Tok("param", name, s, i))
            continue
        two = text[i : i + 2]
        if two in _PUNCT2:
            toks.append(_Tok("p", two, s, i + 2))
            i += 2
            continue
        if c in _PUNCT1:
            toks.append(_Tok("p", c, s, i + 1))
            i += 1
            continue
        raise _syntax(text, i, f"unexpected character {c!r}")
    toks.append(_Tok("eof", "", n, n))
    return toks


# --------------------------------------------------------------------------- AST
# Expressions are tuples: ('lit', v) ('param', name) ('var', name) ('prop', e, key) ('idx', e, i)
# ('slice', e, lo, hi) ('labels', e, labels) ('list', items) ('map', ((k, e), ...))
# ('fn', name, args) ('agg', name, distinct, arg|None) ('not', e) ('and'|'or'|'xor', a, b)
# ('cmp', ops, operands) ('bin', op, a, b) ('neg', e) ('isnull', e, negated) ('in', a, b)
# ('strop', op, a, b) ('case', test, whens, else) ('exists'|'countsub', _Sub)
# and, after compilation rewrites, ('aggref', i) ('keyref', i) ('colref', i).


class _NodePat:
    __slots__ = ("var", "labels", "props")

    def __init__(self, var, labels, props):
        self.var, self.labels, self.props = var, labels, props


class _RelPat:
    __slots__ = ("var", "types", "props", "direction")

    def __init__(self, var, types, props, direction):
        self.var, self.types, self.props, self.direction = var, types, props, direction


class _Path:
    __slots__ = ("nodes", "rels")

    def __init__(self, nodes, rels):
        self.nodes, self.rels = nodes, rels


class _Match:
    __slots__ = ("optional", "patterns", "where")

    def __init__(self, optional, patterns, where):
        self.optional, self.patterns, self.where = optional, patterns, where


class _Sub:
    """The body of EXISTS { ... } or COUNT { ... }: one MATCH with an optional WHERE."""

    __slots__ = ("match",)

    def __init__(self, match):
        self.match = match


class _Unwind:
    __slots__ = ("expr", "alias")

    def __init__(self, expr, alias):
        self.expr, self.alias = expr, alias


class _Item:
    __slots__ = ("expr", "name", "aliased")

    def __init__(self, expr, name, aliased):
        self.expr, self.name, self.aliased = expr, name, aliased


class _Projection:
    __slots__ = ("kind", "distinct", "star", "items", "order", "skip", "limit", "where")

    def __init__(self, kind, distinct, star, items, order, skip, limit, where):
        self.kind, self.distinct, self.star, self.items = kind, distinct, star, items
        self.order, self.skip, self.limit, self.where = order, skip, limit, where


# --------------------------------------------------------------------------- parser


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = _lex(text)
        self.i = 0

    # token helpers
    def peek(self, k: int = 0) -> _Tok:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else self.toks[-1]

    def word(self, k: int = 0) -> str | None:
        t = self.peek(k)
        return t.val.upper() if t.kind == "id" else None

    def is_p(self, ch: str, k: int = 0) -> bool:
        t = self.peek(k)
        return t.kind == "p" and t.val == ch

    def accept_p(self, ch: str) -> bool:
        if self.is_p(ch):
            self.i += 1
            return True
        return False

    def accept_kw(self, w: str) -> bool:
        if self.word() == w:
            self.i += 1
            return True
        return False

    def describe(self, t: _Tok) -> str:
        if t.kind == "eof":
            return "end of input"
        return repr(self.text[t.s : t.e])

    def error(self, msg: str, t: _Tok | None = None, found: bool = True) -> QueryError:
        t = t or self.peek()
        return _syntax(self.text, t.s, f"{msg}, found {self.describe(t)}" if found else msg)

    def expect_p(self, ch: str) -> None:
        if not self.accept_p(ch):
            raise self.error(f"expected '{ch}'")

    def expect_kw(self, w: str) -> None:
        if not self.accept_kw(w):
            raise self.error(f"expected {w}")

    def name(self, what: str = "a name") -> str:
        t = self.peek()
        if t.kind in ("id", "qid"):
            self.i += 1
            return t.val
        raise self.error(f"expected {what}")

    def variable(self) -> str | None:
        t = self.peek()
        if t.kind == "qid" or (t.kind == "id" and t.val.upper() not in _RESERVED):
            self.i += 1
            return t.val
        return None

    # query
    def query(self) -> list:
        clauses: list = []
        while True:
            t = self.peek()
            if t.kind == "eof":
                break
            if self.is_p(";"):
                self.i += 1
                if self.peek().kind != "eof":
                    raise _unsupported("multiple statements")
                break
            w = self.word()
            if w == "MATCH":
                self.i += 1
                clauses.append(self.match(False))
            elif w == "OPTIONAL":
                self.i += 1
                if self.word() == "CALL":
                    raise _unsupported(_UNSUPPORTED_CLAUSES["CALL"])
                self.expect_kw("MATCH")
                clauses.append(self.match(True))
            elif w == "UNWIND":
                self.i += 1
                e = self.expr()
                self.expect_kw("AS")
                v = self.variable()
                if v is None:
                    raise self.error("expected a variable after AS")
                clauses.append(_Unwind(e, v))
            elif w in ("WITH", "RETURN"):
                self.i += 1
                clauses.append(self.projection(w))
            elif w in _UNSUPPORTED_CLAUSES:
                raise _unsupported(_UNSUPPORTED_CLAUSES[w])
            elif w == "WHERE":
                raise self.error("WHERE must follow MATCH, OPTIONAL MATCH or WITH")
            else:
                raise self.error("expected a clause (MATCH, OPTIONAL MATCH, UNWIND, WITH or RETURN)")
        if not clauses:
            raise self.error("expected a clause (MATCH, OPTIONAL MATCH, UNWIND, WITH or RETURN)")
        return clauses

    def match(self, optional: bool) -> _Match:
        pats = [self.pattern()]
        while self.accept_p(","):
            pats.append(self.pattern())
        if self.word() == "USING":
            raise _unsupported(_UNSUPPORTED_CLAUSES["USING"])
        where = self.expr() if self.accept_kw("WHERE") else None
        return _Match(optional, pats, where)

    def projection(self, kind: str) -> _Projection:
        distinct = self.accept_kw("DISTINCT")
        star = self.accept_p("*")
        items: list[_Item] = []
        if not star or self.accept_p(","):
            items.append(self.item())
            while self.accept_p(","):
                items.append(self.item())
        order = []
        if self.word() == "ORDER":
            self.i += 1
            self.expect_kw("BY")
            while True:
                e = self.expr()
                desc = False
                w = self.word()
                if w in ("ASC", "ASCENDING"):
                    self.i += 1
                elif w in ("DESC", "DESCENDING"):
                    self.i += 1
                    desc = True
                order.append((e, desc))
                if not self.accept_p(","):
                    break
        skip = self.expr() if (self.accept_kw("SKIP") or self.accept_kw("OFFSET")) else None
        limit = self.expr() if self.accept_kw("LIMIT") else None
        where = None
        if kind == "WITH" and self.accept_kw("WHERE"):
            where = self.expr()
        return _Projection(kind, distinct, star, items, order, skip, limit, where)

    def item(self) -> _Item:
        t0 = self.peek()
        e = self.expr()
        t1 = self.toks[self.i - 1]
        if self.accept_kw("AS"):
            return _Item(e, self.name("a name after AS"), True)
        if e[0] == "var":
            return _Item(e, e[1], False)
        return _Item(e, self.text[t0.s : t1.e], False)

    # patterns
    def pattern(self) -> _Path:
        t = self.peek()
        if t.kind in ("id", "qid"):
            w = t.val.upper()
            if self.is_p("=", 1):
                raise _unsupported("named paths (p = (...))")
            if t.kind == "id" and w in ("SHORTESTPATH", "ALLSHORTESTPATHS"):
                raise _unsupported("shortestPath() and allShortestPaths()")
            if t.kind == "id" and w in ("ANY", "ALL", "SHORTEST", "REPEATABLE", "DIFFERENT"):
                raise _unsupported("path selectors and match modes (ANY, ALL, SHORTEST, ...)")
        nodes = [self.node_pat()]
        rels = []
        while self.is_p("-") or (self.is_p("<") and self.is_p("-", 1)):
            rels.append(self.rel_pat())
            nodes.append(self.node_pat())
        return _Path(nodes, rels)

    def labels(self) -> list[str]:
        out = []
        while self.accept_p(":"):
            if self.is_p("!") or self.is_p("%") or self.is_p("("):
                raise _unsupported("label expressions (:A|B, :A&B, :!A, :%)")
            out.append(self.name("a label"))
            if self.is_p("|") or self.is_p("&"):
                raise _unsupported("label expressions (:A|B, :A&B, :!A, :%)")
        return out

    def prop_map(self) -> tuple | None:
        if self.is_p("{"):
            return self.map_literal()[1]
        if self.peek().kind == "param":
            raise _unsupported("parameter maps in patterns ($map); write {key: $value}")
        return None

    def node_pat(self) -> _NodePat:
        if self.is_p("(") and self.is_p("(", 1):
            raise _unsupported("quantified path patterns ((...)){m,n}")
        self.expect_p("(")
        var = self.variable()
        labels = self.labels()
        if self.word() == "IS" or self.is_p("|"):
            raise _unsupported("label expressions (IS Label, :A|B)")
        props = self.prop_map()
        if self.word() == "WHERE":
            raise _unsupported("WHERE inside a node pattern")
        self.expect_p(")")
        return _NodePat(var, tuple(labels), props)

    def rel_pat(self) -> _RelPat:
        left = self.accept_p("<")
        self.expect_p("-")
        var, types, props = None, None, None
        if self.accept_p("["):
            var = self.variable()
            if self.accept_p(":"):
                if self.is_p("!") or self.is_p("%"):
                    raise _unsupported("label expressions on relationship types (:!A, :%)")
                types = [self.name("a relationship type")]
                while self.accept_p("|"):
                    self.accept_p(":")
                    types.append(self.name("a relationship type"))
                if self.is_p("&"):
                    raise _unsupported("relationship type expressions (:A&B)")
            if self.is_p("*"):
                s = self.peek().s
                j = self.i
                while self.toks[j].kind != "eof" and not (self.toks[j].kind == "p" and self.toks[j].val == "]"):
                    j += 1
                e = self.toks[j - 1].e if j > self.i else s + 1
                raise _unsupported(f"variable-length relationships [{self.text[s:e]}]")
            props = self.prop_map()
            if self.word() == "WHERE":
                raise _unsupported("WHERE inside a relationship pattern")
            self.expect_p("]")
        self.expect_p("-")
        right = self.accept_p(">")
        if self.is_p("{") or self.is_p("+") or self.is_p("*"):
            raise _unsupported("quantified path patterns")
        direction = "out" if right and not left else "in" if left and not right else "both"
        return _RelPat(var, tuple(types) if types else None, props, direction)

    def looks_like_pattern(self) -> bool:
        """At '(': does a relationship arrow follow the matching ')'?"""
        depth, j = 0, self.i
        while True:
            t = self.toks[j]
            if t.kind == "eof":
                return False
            if t.kind == "p" and t.val in "([{":
                depth += 1
            elif t.kind == "p" and t.val in ")]}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        a, b, c = (self.toks[min(j + k, len(self.toks) - 1)] for k in (1, 2, 3))

        def p(t, v):
            return t.kind == "p" and t.val == v

        if p(a, "-") and (p(b, "-") or p(b, "[")):
            return True
        return p(a, "<") and p(b, "-") and (p(c, "-") or p(c, "["))

    # expressions
    def expr(self) -> tuple:
        e = self.xor_expr()
        while self.accept_kw("OR"):
            e = ("or", e, self.xor_expr())
        return e

    def xor_expr(self) -> tuple:
        e = self.and_expr()
        while self.accept_kw("XOR"):
            e = ("xor", e, self.and_expr())
        return e

    def and_expr(self) -> tuple:
        e = self.not_expr()
        while self.accept_kw("AND"):
            e = ("and", e, self.not_expr())
        return e

    def not_expr(self) -> tuple:
        if self.accept_kw("NOT"):
            return ("not", self.not_expr())
        return self.comparison()

    _CMP = ("=", "<>", "<", ">", "<=", ">=", "=~")

    def comparison(self) -> tuple:
        e = self.predicate()
        ops, operands = [], [e]
        while True:
            t = self.peek()
            if t.kind == "p" and t.val in self._CMP:
                self.i += 1
                ops.append(t.val)
                operands.append(self.predicate())
            elif t.kind == "p" and t.val == "!=":
                raise self.error("'!=' is not Cypher; use '<>'", found=False)
            else:
                break
        return ("cmp", tuple(ops), tuple(operands)) if ops else e

    def predicate(self) -> tuple:
        e = self.additive()
        while True:
            w = self.word()
            if w == "IS":
                self.i += 1
                neg = self.accept_kw("NOT")
                if not self.accept_kw("NULL"):
                    raise self.error("expected NULL or NOT NULL after IS")
                e = ("isnull", e, neg)
            elif w == "IN":
                self.i += 1
                e = ("in", e, self.additive())
            elif w == "STARTS" or w == "ENDS":
                self.i += 1
                self.expect_kw("WITH")
                e = ("strop", w, e, self.additive())
            elif w == "CONTAINS":
                self.i += 1
                e = ("strop", w, e, self.additive())
            else:
                return e

    def additive(self) -> tuple:
        e = self.multiplicative()
        while self.is_p("+") or self.is_p("-"):
            op = self.peek().val
            self.i += 1
            e = ("bin", op, e, self.multiplicative())
        return e

    def multiplicative(self) -> tuple:
        e = self.power()
        while self.is_p("*") or self.is_p("/") or self.is_p("%"):
            op = self.peek().val
            self.i += 1
            e = ("bin", op, e, self.power())
        return e

    def power(self) -> tuple:
        e = self.unary()
        while self.accept_p("^"):
            e = ("bin", "^", e, self.unary())
        return e

    def unary(self) -> tuple:
        if self.accept_p("-"):
            e = self.unary()
            if e[0] == "lit" and type(e[1]) in _NUM:
                return ("lit", -e[1])
            return ("neg", e)
        if self.accept_p("+"):
            return ("pos", self.unary())
        return self.postfix()

    def postfix(self) -> tuple:
        e = self.atom()
        while True:
            if self.accept_p("."):
                e = ("prop", e, self.name("a property name"))
            elif self.accept_p("["):
                if self.accept_p(".."):
                    hi = None if self.is_p("]") else self.expr()
                    e = ("slice", e, None, hi)
                else:
                    x = self.expr()
                    if self.accept_p(".."):
                        hi = None if self.is_p("]") else self.expr()
                        e = ("slice", e, x, hi)
                    else:
                        e = ("idx", e, x)
                self.expect_p("]")
            elif self.is_p(":"):
                labels = self.labels()
                e = ("labels", e, tuple(labels))
            else:
                return e

    def atom(self) -> tuple:
        t = self.peek()
        k = t.kind
        if k in ("str", "int", "float"):
            self.i += 1
            return ("lit", t.val)
        if k == "param":
            self.i += 1
            return ("param", t.val)
        if k == "p":
            if t.val == "(":
                if self.looks_like_pattern():
                    raise _unsupported("pattern expressions; use EXISTS { MATCH ... } or COUNT { MATCH ... }")
                self.i += 1
                e = self.expr()
                self.expect_p(")")
                return e
            if t.val == "[":
                return self.list_literal()
            if t.val == "{":
                return self.map_literal()
            raise self.error("expected an expression")
        if k == "id":
            w = t.val.upper()
            if w in ("TRUE", "FALSE"):
                self.i += 1
                return ("lit", w == "TRUE")
            if w == "NULL":
                self.i += 1
                return ("lit", None)
            if w == "CASE":
                self.i += 1
                return self.case()
            if self.is_p("{", 1) and w in ("EXISTS", "COUNT", "COLLECT"):
                return self.subquery(w)
            j = self.i + 1
            while self.toks[j].kind == "p" and self.toks[j].val == "." and self.toks[j + 1].kind in ("id", "qid"):
                j += 2
            if self.toks[j].kind == "p" and self.toks[j].val == "(":
                return self.call(j)
            if w in _RESERVED:
                raise self.error("expected an expression")
        if k in ("id", "qid"):
            self.i += 1
            if self.is_p("{"):
                raise _unsupported("map projections (n {.key, ...})")
            return ("var", t.val)
        raise self.error("expected an expression")

    def list_literal(self) -> tuple:
        self.expect_p("[")
        if self.peek().kind in ("id", "qid") and self.word(1) == "IN":
            raise _unsupported("list comprehensions [x IN list WHERE ... | ...]")
        if self.peek().kind in ("id", "qid") and self.is_p("=", 1):
            raise _unsupported("pattern comprehensions [p = (...) | ...]")
        if self.is_p("(") and self.looks_like_pattern():
            raise _unsupported("pattern comprehensions [(a)-->(b) | ...]")
        items = []
        if not self.is_p("]"):
            items.append(self.expr())
            while self.accept_p(","):
                items.append(self.expr())
        self.expect_p("]")
        return ("list", tuple(items))

    def map_literal(self) -> tuple:
        self.expect_p("{")
        entries = []
        seen = set()
        if not self.is_p("}"):
            while True:
                t = self.peek()
                key = self.name("a map key")
                if key in seen:
                    raise _syntax(self.text, t.s, f"duplicate map key {key!r}")
                seen.add(key)
                self.expect_p(":")
                entries.append((key, self.expr()))
                if not self.accept_p(","):
                    break
        self.expect_p("}")
        return ("map", tuple(entries))

    def case(self) -> tuple:
        test = None if self.word() == "WHEN" else self.expr()
        whens = []
        while self.accept_kw("WHEN"):
            w = self.expr()
            self.expect_kw("THEN")
            whens.append((w, self.expr()))
        if not whens:
            raise self.error("expected WHEN")
        other = self.expr() if self.accept_kw("ELSE") else None
        self.expect_kw("END")
        return ("case", test, tuple(whens), other)

    def subquery(self, w: str) -> tuple:
        if w == "COLLECT":
            raise _unsupported("COLLECT { ... } subqueries")
        self.i += 2  # EXISTS {
        self.accept_kw("MATCH")
        if self.word() in ("OPTIONAL", "WITH", "UNWIND", "RETURN", "CALL", "MATCH"):
            raise _unsupported(f"{w} {{ ... }} with clauses other than one MATCH ... WHERE")
        pats = [self.pattern()]
        while self.accept_p(","):
            pats.append(self.pattern())
        where = self.expr() if self.accept_kw("WHERE") else None
        if not self.is_p("}"):
            if self.peek().kind == "id":
                raise _unsupported(f"{w} {{ ... }} with clauses other than one MATCH ... WHERE")
            raise self.error("expected '}'")
        self.i += 1
        return ("exists" if w == "EXISTS" else "countsub", _Sub(_Match(False, pats, where)))

    def call(self, j: int) -> tuple:
        t0 = self.peek()
        name = ".".join(self.toks[x].val for x in range(self.i, j, 2))
        lname = name.lower()
        self.i = j + 1
        if lname in _UNSUPPORTED_FUNCS:
            raise _unsupported(_UNSUPPORTED_FUNCS[lname])
        if lname == "count" and self.is_p("*"):
            self.i += 1
            self.expect_p(")")
            return ("agg", "count", False, None)
        distinct = self.accept_kw("DISTINCT")
        args = []
        if not self.is_p(")"):
            args.append(self.expr())
            while self.accept_p(","):
                args.append(self.expr())
        self.expect_p(")")
        if lname in _AGGREGATES:
            if len(args) != 1:
                raise QueryError(f"{name}() takes exactly one argument, got {len(args)}")
            return ("agg", lname, distinct, args[0])
        spec = _FUNCS.get(lname)
        if spec is None:
            raise _unsupported(f"unknown function {name}()")
        if distinct:
            raise _syntax(self.text, t0.s, f"DISTINCT is only allowed in aggregating functions, not {name}()")
        lo, hi, _ = spec
        if not lo <= len(args) <= hi:
            want = str(lo) if lo == hi else f"{lo} to {hi}"
            raise QueryError(f"{name}() takes {want} argument{'s' if hi != 1 else ''}, got {len(args)}")
        return ("fn", lname, tuple(args))


_PARSE_CACHE: dict[str, list] = {}


def _parse(text: str) -> list:
    clauses = _PARSE_CACHE.get(text)
    if clauses is None:
        clauses = _Parser(text).query()
        if len(_PARSE_CACHE) > 256:
            _PARSE_CACHE.clear()
        _PARSE_CACHE[text] = clauses
    return clauses


# --------------------------------------------------------------------------- values


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


def _tname(v: Any) -> str:
    if v is None:
        return "Null"
    return {
        bool: "Boolean", int: "Integer", float: "Float", str: "String", list: "List", dict: "Map",
        Node: "Node", Rel: "Relationship",
    }.get(type(v), type(v).__name__)


def _mismatch(expected: str, v: Any, where: str = "") -> QueryError:
    w = f" in {where}" if where else ""
    return QueryError(f"Type mismatch{w}: expected {expected} but was {_tname(v)}")


def _ck(x):
    if type(x) is int and not _INT_MIN <= x <= _INT_MAX:
        raise QueryError("integer overflow (beyond 64 bits)")
    return x


def _fstr(x: float) -> str:
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


def _tostr(v: Any) -> str:
    t = type(v)
    if t is str:
        return v
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return str(v)
    if t is float:
        return _fstr(v)
    raise _mismatch("a String, Number or Boolean", v, "toString()")


def _canon(v: Any) -> Any:
    """A hashable key under which equivalent values (DISTINCT, grouping) coincide."""
    t = type(v)
    if v is None:
        return None
    if t is bool:
        return ("b", v)
    if t is int or t is float:
        return ("nan",) if v != v else ("#", v)
    if t is str:
        return ("s", v)
    if t is list:
        return ("l", tuple(_canon(x) for x in v))
    if t is dict:
        return ("m", tuple(sorted((k, _canon(x)) for k, x in v.items())))
    if t is Node:
        return ("n", v.k)
    if t is Rel:
        return ("r", v.u, v.v, v.k)
    return ("?", repr(v))


def _okey(v: Any) -> tuple:
    """Sort key of Cypher's global order: map < node < rel < list < string < boolean < number < null."""
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
        return (3, tuple(_okey(x) for x in v))
    if t is dict:
        return (0, tuple(sorted((k, _okey(x)) for k, x in v.items())))
    if t is Node:
        return (1, repr(v.k))
    if t is Rel:
        return (2, repr((v.u, v.v, v.k)))
    return (8, repr(v))


def _eq(a: Any, b: Any) -> bool | None:
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
        for x, y in zip(a, b):
            e = _eq(x, y)
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
            e = _eq(a[k], b[k])
            if e is False:
                return False
            if e is None:
                res = None
        return res
    return a == b


def _list_cmp(a: list, b: list) -> int | None:
    for x, y in zip(a, b):
        e = _eq(x, y)
        if e is True:
            continue
        if e is None:
            return None
        c = _cmp(x, y)
        if c is None:
            return None
        if c != 0:
            return c
    return (len(a) > len(b)) - (len(a) < len(b))


def _cmp(a: Any, b: Any) -> int | None:
    """-1/0/1 for comparable values, None when incomparable (or NaN is involved)."""
    if a is None or b is None:
        return None
    ta, tb = type(a), type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        if a != a or b != b:
            return None
    elif not (ta is tb and ta in (str, bool, list)):
        return None
    if ta is list:
        return _list_cmp(a, b)
    return (a > b) - (a < b)


def _order_op(op: str, a: Any, b: Any) -> bool | None:
    if a is None or b is None:
        return None
    ta, tb = type(a), type(b)
    if (ta is int or ta is float) and (tb is int or tb is float) and (a != a or b != b):
        return False
    c = _cmp(a, b)
    if c is None:
        return None
    if op == "<":
        return c < 0
    if op == ">":
        return c > 0
    if op == "<=":
        return c <= 0
    return c >= 0


_REGEX_CACHE: dict[str, re.Pattern] = {}


def _regex(s: Any, pat: Any) -> bool | None:
    if type(s) is not str or type(pat) is not str:
        return None
    rx = _REGEX_CACHE.get(pat)
    if rx is None:
        try:
            rx = re.compile(pat)
        except Exception as e:  # re.error, OverflowError, RecursionError
            raise QueryError(f"invalid regular expression {pat!r}: {e}") from None
        if len(_REGEX_CACHE) > 256:
            _REGEX_CACHE.clear()
        _REGEX_CACHE[pat] = rx
    return rx.fullmatch(s) is not None


def _bool(v: Any, where: str) -> bool | None:
    if v is None or type(v) is bool:
        return v
    raise _mismatch("Boolean", v, where)


def _truth(v: Any) -> bool:
    if v is True:
        return True
    if v is False or v is None:
        return False
    raise _mismatch("Boolean", v, "WHERE")


def _in(x: Any, lst: Any) -> bool | None:
    if lst is None:
        return None
    if type(lst) is not list:
        raise _mismatch("List", lst, "IN")
    if not lst:
        return False
    if x is None:
        return None
    saw_null = False
    for y in lst:
        e = _eq(x, y)
        if e is True:
            return True
        if e is None:
            saw_null = True
    return None if saw_null else False


def _arith(op: str, a: Any, b: Any) -> Any:
    if a is None or b is None:
        return None
    ta, tb = type(a), type(b)
    anum, bnum = ta in _NUM, tb in _NUM
    if op == "+":
        if anum and bnum:
            return _ck(a + b)
        if ta is list:
            return a + b if tb is list else a + [b]
        if tb is list:
            return [a] + b
        if ta is str and (tb is str or bnum):
            return a + _tostr(b)
        if tb is str and anum:
            return _tostr(a) + b
        raise QueryError(f"Type mismatch: cannot add {_tname(a)} and {_tname(b)}")
    if not (anum and bnum):
        raise QueryError(f"Type mismatch: operator {op} needs numbers, got {_tname(a)} and {_tname(b)}")
    if op == "-":
        return _ck(a - b)
    if op == "*":
        return _ck(a * b)
    if op == "/":
        if ta is int and tb is int:
            if b == 0:
                raise QueryError("division by zero")
            q = abs(a) // abs(b)
            return _ck(q if (a >= 0) == (b >= 0) else -q)
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


# --------------------------------------------------------------------------- functions


def _need(v: Any, types: tuple, what: str, fname: str) -> None:
    if type(v) not in types:
        raise _mismatch(what, v, f"{fname}()")


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
    raise _mismatch("a Node, Relationship or Map", v, f"{fname}()")


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
    if ornull and type(v) not in (str, bool, int, float):
        return None
    return _tostr(v)


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
            return None if ornull else _raise(QueryError(f"cannot convert {_fstr(v)} to an integer"))
        return _ck(int(v))
    if t is str:
        try:
            if _INT_RE.fullmatch(v):
                r = int(v)
            elif _FLOAT_RE.fullmatch(v):
                r = int(float(v))
            else:
                return None
        except (ValueError, OverflowError):
            return None
        return r if _INT_MIN <= r <= _INT_MAX else None
    if ornull:
        return None
    raise _mismatch("a String, Number or Boolean", v, "toInteger()")


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
        if _FLOAT_RE.fullmatch(s) or s in ("NaN", "Infinity", "-Infinity", "+Infinity"):
            try:
                return float(s.replace("Infinity", "inf"))
            except ValueError:
                return None
        return None
    if ornull:
        return None
    raise _mismatch("a String or Number", v, "toFloat()")


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
    raise _mismatch("a String, Integer or Boolean", v, "toBoolean()")


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
            raise _mismatch("a String or a List of Strings", d, "split()")
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
    if old == "" and len(s) * len(new) > _RANGE_MAX:
        raise QueryError("replace() result too large")
    return s.replace(old, new)


def _int_arg(v, fname, what="Integer"):
    if type(v) is not int:
        raise _mismatch(what, v, f"{fname}()")
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


def _f_range(eng, a):
    if any(x is None for x in a):
        raise QueryError("range() arguments must not be null")
    start, end = _int_arg(a[0], "range"), _int_arg(a[1], "range")
    step = _int_arg(a[2], "range") if len(a) == 3 else 1
    if step == 0:
        raise QueryError("range(): step must not be 0")
    count = (end - start) // step + 1
    if count > _RANGE_MAX:
        raise QueryError(f"range() would produce {count} values (the limit is {_RANGE_MAX})")
    if count <= 0:
        return []
    return list(range(start, end + (1 if step > 0 else -1), step))


def _f_num(fn, fname):
    def f(eng, a):
        v = a[0]
        if v is None:
            return None
        _need(v, _NUM, "a Number", fname)
        return fn(v)

    return f


def _round_half_up(x: float, prec: int, mode: str | None) -> float:
    from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation

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
    _need(v, _NUM, "a Number", "round")
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
    return _ck(abs(v))


def _trim(chars_side):
    def f(s):
        return s.strip() if chars_side == "both" else s.lstrip() if chars_side == "left" else s.rstrip()

    return f


# name -> (min args, max args, implementation(engine, args))
_FUNCS: dict[str, tuple[int, int, Callable]] = {
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
    "ltrim": (1, 1, _f_str(_trim("left"), "ltrim")),
    "rtrim": (1, 1, _f_str(_trim("right"), "rtrim")),
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
}


# --------------------------------------------------------------------------- aggregates


class _Agg:
    __slots__ = ("kind", "distinct", "seen", "n", "acc", "isfloat")

    def __init__(self, kind: str, distinct: bool):
        self.kind, self.distinct = kind, distinct
        self.seen: set | None = set() if distinct else None
        self.n = 0
        self.acc: Any = [] if kind == "collect" else None if kind in ("min", "max") else 0
        self.isfloat = False

    def add(self, v: Any) -> None:
        k = self.kind
        if k == "count*":
            self.n += 1
            return
        if v is None:
            return
        if self.seen is not None:
            c = _canon(v)
            if c in self.seen:
                return
            self.seen.add(c)
        self.n += 1
        if k == "count":
            return
        if k == "collect":
            self.acc.append(v)
        elif k in ("sum", "avg"):
            if type(v) not in _NUM:
                raise _mismatch("a Number", v, f"{k}()")
            self.acc = self.acc + v
            if k == "sum":
                _ck(self.acc)
        elif k == "min":
            if self.acc is None or _okey(v) < _okey(self.acc):
                self.acc = v
        elif k == "max":
            if self.acc is None or _okey(v) > _okey(self.acc):
                self.acc = v

    def result(self) -> Any:
        k = self.kind
        if k in ("count*", "count"):
            return self.n
        if k == "avg":
            return None if self.n == 0 else self.acc / self.n
        return self.acc


# --------------------------------------------------------------------------- compiled plan


class _CNode:
    __slots__ = ("var", "labels", "checks", "id_f", "id_vars")

    def __init__(self, var, labels):
        self.var, self.labels = var, labels
        self.checks: list = []
        self.id_f = None
        self.id_vars: frozenset = frozenset()


class _CRel:
    __slots__ = ("var", "types", "checks", "direction")

    def __init__(self, var, types, direction):
        self.var, self.types, self.direction = var, types, direction
        self.checks: list = []


class _CPath:
    __slots__ = ("nodes", "rels", "_steps")

    def __init__(self, nodes, rels):
        self.nodes, self.rels = nodes, rels
        self._steps: dict[int, list] = {}

    def steps(self, s: int) -> list:
        st = self._steps.get(s)
        if st is None:
            n = len(self.nodes)
            st = [(i, i, i + 1, True) for i in range(s, n - 1)] + [(i - 1, i, i - 1, False) for i in range(s, 0, -1)]
            self._steps[s] = st
        return st


class _CMatch:
    __slots__ = ("optional", "paths", "post", "where", "hints", "new_vars")

    def __init__(self, optional, paths, post, where, hints, new_vars):
        self.optional, self.paths, self.post, self.where = optional, paths, post, where
        self.hints, self.new_vars = hints, new_vars


def _children(e: tuple) -> list:
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


def _map_expr(e: tuple, f: Callable[[tuple], tuple | None]) -> tuple:
    r = f(e)
    if r is not None:
        return r

    def m(x):
        return None if x is None else _map_expr(x, f)

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


def _walk(e: tuple) -> Iterator[tuple]:
    stack = [e]
    while stack:
        x = stack.pop()
        yield x
        stack.extend(_children(x))


def _contains_agg(e: tuple) -> bool:
    return any(x[0] == "agg" for x in _walk(e))


def _free_vars(e: tuple) -> frozenset | None:
    """Variables an expression reads, or None when it holds a subquery (not analysed)."""
    out = set()
    for x in _walk(e):
        if x[0] == "var":
            out.add(x[1])
        elif x[0] in ("exists", "countsub"):
            return None
    return frozenset(out)


def _agg_text(e: tuple) -> str:
    return f"{e[1]}({'DISTINCT ' if e[2] else ''}{'*' if e[3] is None else '...'})"


class _Compiler:
    def __init__(self, eng: "CypherEngine", params: dict[str, Any]):
        self.eng = eng
        self.params = params
        self.n_hidden = 0

    def hidden(self) -> str:
        self.n_hidden += 1
        return f"{_HIDDEN}{self.n_hidden}"

    # ----- query
    def query(self, clauses: list) -> Callable[[], Iterator[dict]]:
        scope: dict[str, str] = {}  # variable -> 'node' | 'rel' | 'any'
        stages: list[Callable[[Iterable[dict]], Iterator[dict]]] = []
        for i, c in enumerate(clauses):
            last = i == len(clauses) - 1
            if isinstance(c, _Match):
                cm, scope = self.match(c, scope)
                stages.append(self._match_stage(cm))
            elif isinstance(c, _Unwind):
                f = self.expr(c.expr, scope)
                if c.alias in scope:
                    raise QueryError(f"Variable `{c.alias}` already declared")
                stages.append(self._unwind_stage(f, c.alias))
                scope = {**scope, c.alias: "any"}
            else:
                if c.kind == "RETURN" and not last:
                    nxt = clauses[i + 1]
                    raise QueryError(f"RETURN can only be used at the end of the query (found {_clause_name(nxt)} after it)")
                stage, scope = self.projection(c, scope)
                stages.append(stage)
        last = clauses[-1]
        if not (isinstance(last, _Projection) and last.kind == "RETURN"):
            raise QueryError(f"Query cannot conclude with {_clause_name(last)} (must be a RETURN clause)")

        def run() -> Iterator[dict]:
            rows: Iterable[dict] = iter(({},))
            for st in stages:
                rows = st(rows)
            return iter(rows)

        return run

    # ----- MATCH
    def match(self, m: _Match, scope: dict[str, str]) -> tuple[_CMatch, dict[str, str]]:
        new: dict[str, str] = {}
        rel_vars: set[str] = set()
        named: list[tuple] = []  # (pattern element, variable, is_rel)
        for path in m.patterns:
            for i, np in enumerate(path.nodes):
                v = np.var
                if v is None:
                    v = self.hidden()
                else:
                    kind = scope.get(v, new.get(v))
                    if kind == "rel":
                        raise QueryError(f"Type mismatch: `{v}` is a relationship, not a node")
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
                            raise QueryError(f"Cannot use the same relationship variable `{rv}` for multiple relationships")
                        kind = scope.get(rv, new.get(rv))
                        if kind == "node":
                            raise QueryError(f"Type mismatch: `{rv}` is a node, not a relationship")
                        rel_vars.add(rv)
                        if rv not in scope:
                            new[rv] = "rel"
                    named.append((rp, rv, True))
        full = {**scope, **new}
        new_names = set(new) | {v for _, v, _ in named if v.startswith(_HIDDEN)}
        post: list[Callable[[dict], bool]] = []
        celems = []
        for el, v, is_rel in named:
            ce = _CRel(v, frozenset(el.types) if el.types else None, el.direction) if is_rel else _CNode(v, frozenset(el.labels))
            for key, ex in el.props or ():
                f = self.expr(ex, full)
                fv = _free_vars(ex)
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
            paths.append(_CPath(els[0::2], els[1::2]))
        where = None
        hints: dict[str, list] = {}
        if m.where is not None:
            self.no_agg(m.where, "WHERE")
            where = self.expr(m.where, full)
            self._hints(m.where, new, full, paths, hints)
        vis = {v: k for v, k in full.items()}
        cm = _CMatch(m.optional, paths, post, where, hints, [v for v in new])
        return cm, vis

    def _deferred_check(self, var: str, is_rel: bool, key: str, f: Callable) -> Callable[[dict], bool]:
        eng = self.eng

        def check(b: dict) -> bool:
            x = b[var]
            p = eng.rel_props(x.rid()) if is_rel else eng.node_props(x.k)
            return _eq(p.get(key), f(b)) is True

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
        nodes_by_var: dict[str, list[_CNode]] = {}
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
                    fv = _free_vars(other)
                    if v and fv is not None and v not in fv:
                        hints.setdefault(v, []).append(("eq", self.expr(other, full), fv))
            elif c[0] == "in":
                v = id_of(c[1])
                fv = _free_vars(c[2])
                if v and fv is not None and v not in fv:
                    hints.setdefault(v, []).append(("in", self.expr(c[2], full), fv))

    def _match_stage(self, cm: _CMatch):
        eng = self.eng

        def stage(rows):
            for row in rows:
                found = False
                for b in eng._match(row, cm):
                    found = True
                    yield b
                if not found and cm.optional:
                    r = dict(row)
                    for v in cm.new_vars:
                        r[v] = None
                    yield r

        return stage

    @staticmethod
    def _unwind_stage(f, alias):
        def stage(rows):
            for row in rows:
                v = f(row)
                if v is None:
                    continue
                for x in v if type(v) is list else (v,):
                    r = dict(row)
                    r[alias] = x
                    yield r

        return stage

    def no_agg(self, e: tuple, where: str) -> None:
        for x in _walk(e):
            if x[0] == "agg":
                raise QueryError(f"Invalid use of aggregating function {_agg_text(x)} in {where}")

    # ----- WITH / RETURN
    def projection(self, p: _Projection, scope: dict[str, str]):
        items = list(p.items)
        if p.star:
            vis = sorted(v for v in scope if not v.startswith(_HIDDEN))
            if not vis:
                raise QueryError(f"{p.kind} * is not allowed when there are no variables in scope")
            items = [_Item(("var", v), v, False) for v in vis] + items
        names = [it.name for it in items]
        if len(set(names)) != len(names):
            dup = next(n for n in names if names.count(n) > 1)
            raise QueryError(f"Multiple result columns with the same name are not supported: {dup}")
        var_names: list[str | None] = []
        new_scope: dict[str, str] = {}
        for it in items:
            if it.aliased or it.expr[0] == "var":
                var_names.append(it.name)
                new_scope[it.name] = scope.get(it.expr[1], "any") if it.expr[0] == "var" else "any"
            elif p.kind == "WITH":
                raise QueryError(f"Expression in WITH must be aliased (use AS): {it.name}")
            else:
                var_names.append(None)
        agg_flags = [_contains_agg(it.expr) for it in items]
        aggregating = any(agg_flags)
        eng = self.eng
        # item evaluation
        key_pos = [j for j, a in enumerate(agg_flags) if not a]
        key_fs = [self.expr(items[j].expr, scope) for j in key_pos]
        aggs: list[tuple[str, bool, Callable | None]] = []
        item_eval: list[tuple[str, Any]] = []
        if aggregating:
            key_exprs = [items[j].expr for j in key_pos]

            def sub(node):
                if node[0] == "agg":
                    if node[3] is not None:
                        self.no_agg(node[3], f"the argument of {node[1]}()")
                    argf = None if node[3] is None else self.expr(node[3], scope)
                    aggs.append(("count*" if node[3] is None else node[1], node[2], argf))
                    return ("aggref", len(aggs) - 1)
                for kk, ke in enumerate(key_exprs):
                    if node == ke:
                        return ("keyref", kk)
                if node[0] in ("var", "exists", "countsub"):
                    raise QueryError(
                        "Aggregation column contains implicit grouping expressions: "
                        "every value outside an aggregate must also be returned as a grouping key"
                    )
                return None

            kk = 0
            for j, it in enumerate(items):
                if agg_flags[j]:
                    item_eval.append(("agg", self.expr(_map_expr(it.expr, sub), {})))
                else:
                    item_eval.append(("key", kk))
                    kk += 1
        # ORDER BY and WITH ... WHERE
        hide_old = aggregating or p.distinct
        oscope = dict(new_scope) if hide_old else {**scope, **new_scope}
        item_exprs = [it.expr for it in items]

        def osub(node):
            for j, ie in enumerate(item_exprs):
                if node == ie:
                    return ("colref", j)
            return None

        def after(e: tuple, what: str) -> Callable:
            e2 = _map_expr(e, osub)
            self.no_agg(e2, what)
            for v in sorted(_free_vars(e2) or ()):
                if hide_old and v in scope and v not in oscope:
                    raise QueryError(
                        f"In a {p.kind} with DISTINCT or an aggregation, {what} cannot use `{v}`, "
                        f"declared before the {p.kind} (project it, or use a returned column)"
                    )
            return self.expr(e2, oscope)

        order = [(after(e, "ORDER BY"), desc) for e, desc in p.order]
        where = after(p.where, "WHERE") if p.where is not None else None
        skip = self.count_value(p.skip, "SKIP")
        limit = self.count_value(p.limit, "LIMIT")
        is_return = p.kind == "RETURN"
        distinct = p.distinct
        out = _out_value
        scope_needed = bool(order) or where is not None

        def values(rows):
            if not aggregating:
                for row in rows:
                    yield [f(row) for f in key_fs], row
                return
            groups: dict = {}
            for row in rows:
                kv = [f(row) for f in key_fs]
                key = tuple(_canon(x) for x in kv)
                g = groups.get(key)
                if g is None:
                    g = groups[key] = (kv, [_Agg(kind, d) for kind, d, _ in aggs])
                for st, (_, _, af) in zip(g[1], aggs):
                    st.add(None if af is None else af(row))
            if not groups and not key_fs:
                groups[()] = ([], [_Agg(kind, d) for kind, d, _ in aggs])
            for kv, states in groups.values():
                ctx = {_KEYS: kv, _AGG: [s.result() for s in states]}
                yield [kv[x] if kind == "key" else x(ctx) for kind, x in item_eval], None

        def scoped(vals, row):
            d = {} if (hide_old or row is None) else dict(row)
            for j, vn in enumerate(var_names):
                if vn is not None:
                    d[vn] = vals[j]
            d[_COLS] = vals
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
                    lst.sort(key=lambda vr: _okey(f(vr[1])), reverse=desc)
                it = lst
            if skip or limit is not None:
                it = islice(it, skip or 0, None if limit is None else (skip or 0) + limit)
            if where is not None:
                it = ((v, s) for v, s in it if _truth(where(s)))
            if is_return:
                for vals, _ in it:
                    yield {n: out(eng, x) for n, x in zip(names, vals)}
            else:
                for vals, _ in it:
                    yield {vn: x for vn, x in zip(var_names, vals)}

        return stage, new_scope

    def count_value(self, e: tuple | None, what: str) -> int | None:
        if e is None:
            return None
        fv = _free_vars(e)
        if fv is None or fv:
            raise QueryError(f"{what} must not refer to variables")
        self.no_agg(e, what)
        v = self.expr(e, {})({})
        if type(v) is not int or v < 0:
            raise QueryError(f"{what} must be a non-negative integer, got {_tostr(v) if type(v) in (str, int, float, bool) else _tname(v)}")
        return v

    # ----- expressions
    def expr(self, e: tuple, scope: dict[str, str]) -> Callable[[dict], Any]:
        t = e[0]
        eng = self.eng
        if t == "lit":
            v = e[1]
            if type(v) is int and not _INT_MIN <= v <= _INT_MAX:
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
            key = {"aggref": _AGG, "keyref": _KEYS, "colref": _COLS}[t]
            i = e[1]
            return lambda r: r[key][i]
        if t == "agg":
            raise QueryError(f"Invalid use of aggregating function {_agg_text(e)} in this context")
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
                if type(v) is not Node:
                    raise _mismatch("Node", v, "a label predicate")
                return labels <= eng.labels[v.k]

            return has_labels
        if t == "list":
            fs = [self.expr(x, scope) for x in e[1]]
            return lambda r: [f(r) for f in fs]
        if t == "map":
            fs = [(k, self.expr(x, scope)) for k, x in e[1]]
            return lambda r: {k: f(r) for k, f in fs}
        if t == "fn":
            impl = _FUNCS[e[1]][2]
            fs = [self.expr(x, scope) for x in e[2]]
            return lambda r: impl(eng, [f(r) for f in fs])
        if t == "not":
            f = self.expr(e[1], scope)

            def not_(r):
                v = _bool(f(r), "NOT")
                return None if v is None else not v

            return not_
        if t in ("and", "or", "xor"):
            fa, fb = self.expr(e[1], scope), self.expr(e[2], scope)
            op = t.upper()
            if t == "and":

                def and_(r):
                    a = _bool(fa(r), op)
                    if a is False:
                        return False
                    b = _bool(fb(r), op)
                    if b is False:
                        return False
                    return None if a is None or b is None else True

                return and_
            if t == "or":

                def or_(r):
                    a = _bool(fa(r), op)
                    if a is True:
                        return True
                    b = _bool(fb(r), op)
                    if b is True:
                        return True
                    return None if a is None or b is None else False

                return or_

            def xor_(r):
                a, b = _bool(fa(r), op), _bool(fb(r), op)
                return None if a is None or b is None else a != b

            return xor_
        if t == "cmp":
            ops = e[1]
            fs = [self.expr(x, scope) for x in e[2]]

            def one(op, a, b):
                if op == "=":
                    return _eq(a, b)
                if op == "<>":
                    x = _eq(a, b)
                    return None if x is None else not x
                if op == "=~":
                    return _regex(a, b)
                return _order_op(op, a, b)

            if len(ops) == 1:
                op, fa, fb = ops[0], fs[0], fs[1]
                return lambda r: one(op, fa(r), fb(r))

            def chain(r):
                vals = [f(r) for f in fs]
                res: bool | None = True
                for op, a, b in zip(ops, vals, vals[1:]):
                    x = one(op, a, b)
                    if x is False:
                        return False
                    if x is None:
                        res = None
                return res

            return chain
        if t == "bin":
            op, fa, fb = e[1], self.expr(e[2], scope), self.expr(e[3], scope)
            return lambda r: _arith(op, fa(r), fb(r))
        if t in ("neg", "pos"):
            f = self.expr(e[1], scope)
            neg = t == "neg"

            def unary(r):
                v = f(r)
                if v is None:
                    return None
                if type(v) not in _NUM:
                    raise _mismatch("a Number", v, "unary minus" if neg else "unary plus")
                return _ck(-v) if neg else v

            return unary
        if t == "isnull":
            f, negated = self.expr(e[1], scope), e[2]
            return lambda r: (f(r) is None) != negated
        if t == "in":
            fa, fb = self.expr(e[1], scope), self.expr(e[2], scope)
            return lambda r: _in(fa(r), fb(r))
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
            whens = [(self.expr(w, scope), self.expr(th, scope)) for w, th in e[2]]
            fe = self.expr(e[3], scope) if e[3] is not None else None

            def case(r):
                if ft is None:
                    for fw, fth in whens:
                        if fw(r) is True:
                            return fth(r)
                else:
                    v = ft(r)
                    for fw, fth in whens:
                        if _eq(v, fw(r)) is True:
                            return fth(r)
                return fe(r) if fe is not None else None

            return case
        if t in ("exists", "countsub"):
            sub: _Sub = e[1]
            what = "EXISTS { }" if t == "exists" else "COUNT { }"
            if sub.match.where is not None:
                self.no_agg(sub.match.where, what)
            cm, _ = self.match(sub.match, scope)
            if t == "exists":
                return lambda r: next(eng._match(r, cm), None) is not None
            return lambda r: sum(1 for _ in eng._match(r, cm))
        raise QueryError(f"internal: cannot compile {t}")  # pragma: no cover


def _clause_name(c) -> str:
    if isinstance(c, _Match):
        return "OPTIONAL MATCH" if c.optional else "MATCH"
    if isinstance(c, _Unwind):
        return "UNWIND"
    return c.kind


def _distinct(it):
    seen = set()
    for vals, row in it:
        k = tuple(_canon(v) for v in vals)
        if k not in seen:
            seen.add(k)
            yield vals, row


def _slice(c, lo, hi, has_lo, has_hi):
    if c is None or (has_lo and lo is None) or (has_hi and hi is None):
        return None
    if type(c) is not list:
        raise _mismatch("List", c, "a slice")
    for x in (lo, hi):
        if x is not None and type(x) is not int:
            raise _mismatch("Integer", x, "a slice")
    return c[lo:hi]


def _out_value(eng: "CypherEngine", v: Any) -> Any:
    t = type(v)
    if t is Node:
        return {k: list(x) if type(x) is list else x for k, x in eng.node_props(v.k).items()}
    if t is Rel:
        return {k: list(x) if type(x) is list else x for k, x in eng.rel_props(v.rid()).items()}
    if t is list:
        return [_out_value(eng, x) for x in v]
    if t is dict:
        return {k: _out_value(eng, x) for k, x in v.items()}
    return v


def _param_value(name: str, v: Any, depth: int = 0) -> Any:
    if depth > 100:
        raise QueryError(f"parameter ${name} is nested too deeply")
    if v is None or type(v) in (bool, str, float):
        return v
    if isinstance(v, bool):
        return bool(v)
    if isinstance(v, int):
        if not _INT_MIN <= v <= _INT_MAX:
            raise QueryError(f"parameter ${name} is too large for a 64-bit integer")
        return int(v)
    if isinstance(v, float):
        return float(v)
    if isinstance(v, str):
        return str(v)
    if isinstance(v, (list, tuple)):
        return [_param_value(name, x, depth + 1) for x in v]
    if isinstance(v, dict):
        if not all(isinstance(k, str) for k in v):
            raise QueryError(f"parameter ${name}: map keys must be strings")
        return {k: _param_value(name, x, depth + 1) for k, x in v.items()}
    raise QueryError(f"parameter ${name} has an unsupported type {type(v).__name__}")


# --------------------------------------------------------------------------- engine


class CypherEngine:
    """Runs the read-only Cypher subset over one MultiDiGraph; builds its indexes once.

    The graph must not change while the engine is in use (property views are cached).
    """

    def __init__(self, g):
        from .. import props as _props

        self._props = _props
        self.g = g
        self.succ = g._succ
        self.pred = g._pred
        self.nattr = g._node
        self._nprops: dict = {}
        self._rprops: dict = {}
        self._rtypes: dict = {}
        self.labels: dict[Any, frozenset] = {}
        self.label_seq: dict[Any, tuple] = {}
        self.label_index: dict[str, list] = {}
        self.id_index: dict[Any, list] = {}
        label_cache: dict[Any, tuple] = {}
        for n, attrs in self.nattr.items():
            kind = attrs.get("kind")
            ls = label_cache.get(kind)
            if ls is None:
                try:
                    seq = tuple(_props.node_labels(kind))
                except (KeyError, TypeError):
                    seq = ("Entity",)
                ls = label_cache[kind] = (seq, frozenset(seq))
            self.label_seq[n] = ls[0]
            self.labels[n] = ls[1]
            for lab in ls[0]:
                self.label_index.setdefault(lab, []).append(n)
            pid = attrs.get("id")
            if pid is None:
                pid = n
            if type(pid) is str:
                self.id_index.setdefault(pid, []).append(n)
        self.n_nodes = len(self.nattr)

    # ----- graph views
    def node_props(self, n) -> dict:
        p = self._nprops.get(n)
        if p is None:
            attrs = self.nattr[n]
            p = self._props.to_properties(attrs)
            if "id" not in p:
                p["id"] = n
            self._nprops[n] = p
        return p

    def rel_props(self, rid: tuple) -> dict:
        p = self._rprops.get(rid)
        if p is None:
            u, v, k = rid
            p = self._props.edge_properties(self.succ[u][v][k])
            self._rprops[rid] = p
        return p

    def rtype(self, k) -> str:
        t = self._rtypes.get(k)
        if t is None:
            try:
                t = self._props.rel_type(k)
            except (KeyError, TypeError):
                t = str(k).upper()
            self._rtypes[k] = t
        return t

    def prop(self, v: Any, key: str) -> Any:
        t = type(v)
        if v is None:
            return None
        if t is Node:
            return self.node_props(v.k).get(key)
        if t is Rel:
            return self.rel_props(v.rid()).get(key)
        if t is dict:
            return v.get(key)
        raise _mismatch("a Node, Relationship or Map", v, f"property access .{key}")

    def index(self, c: Any, i: Any) -> Any:
        if c is None or i is None:
            return None
        tc = type(c)
        if tc is list:
            if type(i) is not int:
                raise _mismatch("Integer", i, "a list index")
            return c[i] if -len(c) <= i < len(c) else None
        if tc in (dict, Node, Rel):
            if type(i) is not str:
                raise _mismatch("String", i, "a property key")
            return self.prop(c, i)
        raise _mismatch("a List, Map, Node or Relationship", c, "an index")

    # ----- running
    def run(self, text: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one read-only Cypher query; rows are dicts keyed by Neo4j's column names."""
        if not isinstance(text, str):
            raise QueryError("the query must be a string")
        if params is not None and not isinstance(params, dict):
            raise QueryError("query parameters must be a mapping of names to values")
        try:
            ps = {str(k): _param_value(str(k), v) for k, v in (params or {}).items()}
            clauses = _parse(text)
            run = _Compiler(self, ps).query(clauses)
            return list(run())
        except QueryError as e:
            msg = str(e)
            if "\n" in msg or "\r" in msg:
                raise QueryError(msg.replace("\r", "\\r").replace("\n", "\\n")) from None
            raise
        except RecursionError:
            raise QueryError("query is nested too deeply for the embedded backend") from None
        except MemoryError:
            raise QueryError("query needs more memory than is available") from None
        except Exception as e:  # a bug in this module: still one line for the user
            raise QueryError(f"internal error in the embedded Cypher engine: {type(e).__name__}: {e}") from e

    # ----- matching
    def _ids(self, val: Any) -> list | tuple | None:
        if type(val) is str:
            return self.id_index.get(val, ())
        if val is None:
            return ()
        return None

    def _start(self, b: dict, path: _CPath, hints: dict):
        best, best_cost = None, math.inf
        for i, cn in enumerate(path.nodes):
            if cn.var in b:
                v = b[cn.var]
                return i, ((v.k,) if type(v) is Node else ())
            cands = None
            if cn.id_f is not None and cn.id_vars <= b.keys():
                cands = self._ids(cn.id_f(b))
            if cands is None:
                for kind, f, fv in hints.get(cn.var, ()):
                    if not fv <= b.keys():
                        continue
                    val = f(b)
                    if kind == "eq":
                        cands = self._ids(val)
                    elif val is None:
                        cands = ()
                    elif type(val) is list and all(type(x) is str for x in val):
                        seen: dict = {}
                        for x in val:
                            for n in self.id_index.get(x, ()):
                                seen[n] = None
                        cands = list(seen)
                    if cands is not None:
                        break
            if cands is None and cn.labels:
                cands = min((self.label_index.get(lab, ()) for lab in cn.labels), key=len)
            cost = len(cands) if cands is not None else self.n_nodes + 1
            if cost < best_cost:
                best, best_cost = (i, cands), cost
        i, cands = best
        return i, (self.nattr if cands is None else cands)

    def _node_ok(self, n, cn: _CNode, b: dict) -> bool:
        if cn.labels and not cn.labels <= self.labels[n]:
            return False
        if cn.checks:
            p = self.node_props(n)
            for key, f in cn.checks:
                if _eq(p.get(key), f(b)) is not True:
                    return False
        return True

    def _rel_ok(self, rid: tuple, cr: _CRel, b: dict) -> bool:
        p = self.rel_props(rid)
        for key, f in cr.checks:
            if _eq(p.get(key), f(b)) is not True:
                return False
        return True

    def _match(self, row: dict, cm: _CMatch) -> Iterator[dict]:
        return self._match_paths(dict(row), cm, 0, set())

    def _match_paths(self, b: dict, cm: _CMatch, pi: int, used: set) -> Iterator[dict]:
        if pi == len(cm.paths):
            for chk in cm.post:
                if not chk(b):
                    return
            if cm.where is not None and not _truth(cm.where(b)):
                return
            yield dict(b)
            return
        path = cm.paths[pi]
        s, cands = self._start(b, path, cm.hints)
        cn = path.nodes[s]
        var = cn.var
        bound = var in b
        steps = path.steps(s)
        pos = [None] * len(path.nodes)
        nattr = self.nattr
        for n in cands:
            if n not in nattr or not self._node_ok(n, cn, b):
                continue
            if not bound:
                b[var] = Node(n)
            pos[s] = n
            yield from self._expand(b, cm, pi, path, steps, 0, pos, used)
        if not bound:
            b.pop(var, None)

    def _expand(self, b, cm, pi, path, steps, si, pos, used) -> Iterator[dict]:
        if si == len(steps):
            yield from self._match_paths(b, cm, pi + 1, used)
            return
        ri, frm, to, fwd = steps[si]
        cr: _CRel = path.rels[ri]
        cn: _CNode = path.nodes[to]
        u = pos[frm]
        tvar, rvar = cn.var, cr.var
        target = None
        tbound = tvar in b
        if tbound:
            tv = b[tvar]
            if type(tv) is not Node:
                return
            target = tv.k
        rbound = rvar in b
        rb = None
        if rbound:
            rb = b[rvar]
            if type(rb) is not Rel:
                return
            rb = rb.rid()
        d = cr.direction
        dirs = (True, False) if d == "both" else ((d == "out") == fwd,)
        types = cr.types
        rtype = self.rtype
        for outward in dirs:
            adj = (self.succ if outward else self.pred)[u]
            if tbound:
                kd = adj.get(target)
                items: Iterable = ((target, kd),) if kd is not None else ()
            else:
                items = adj.items()
            for v, kd in items:
                if d == "both" and not outward and v == u:
                    continue  # a self-loop is one relationship, met once
                vok = None
                for k in kd:
                    rid = (u, v, k) if outward else (v, u, k)
                    if types is not None and rtype(k) not in types:
                        continue
                    if rid in used or (rbound and rb != rid):
                        continue
                    if cr.checks and not self._rel_ok(rid, cr, b):
                        continue
                    if vok is None:
                        vok = self._node_ok(v, cn, b)
                    if not vok:
                        break
                    used.add(rid)
                    if not rbound:
                        b[rvar] = Rel(*rid)
                    if not tbound:
                        b[tvar] = Node(v)
                    pos[to] = v
                    yield from self._expand(b, cm, pi, path, steps, si + 1, pos, used)
                    used.discard(rid)
                    if not tbound:
                        del b[tvar]
                    if not rbound:
                        del b[rvar]


_ENGINES: dict[int, tuple[Any, CypherEngine, tuple[int, int]]] = {}


def run_cypher(g, text: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run read-only Cypher on `g`, reusing the engine (and its indexes) built for that graph."""
    size = (g.number_of_nodes(), g.number_of_edges())
    hit = _ENGINES.get(id(g))
    if hit is None or hit[0] is not g or hit[2] != size:
        if len(_ENGINES) > 8:
            _ENGINES.clear()
        hit = (g, CypherEngine(g), size)
        _ENGINES[id(g)] = hit
    return hit[1].run(text, params)
