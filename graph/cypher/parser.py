"""Parser of the embedded Cypher engine: tokens to the syntax tree of `tree`.

A recursive-descent parser over the grammar of the supported subset (see `mechgraph.cypher`).
What is valid Cypher but outside the subset raises "unsupported Cypher: ..."; what is not Cypher
raises a syntax error naming the line and column.
"""

from __future__ import annotations

from ..errors import QueryError
from .functions import FUNCTIONS
from .lexer import Token, lex, syntax_error
from .tree import MatchClause, NodePat, PathPat, Projection, ProjItem, RelPat, Subquery, UnionQuery, UnwindClause
from .values import NUM, unsupported

READ_ONLY = "(the embedded backend is read-only; use --backend neo4j --write)"
UNSUPPORTED_CLAUSES = {
    "CREATE": f"CREATE {READ_ONLY}",
    "MERGE": f"MERGE {READ_ONLY}",
    "SET": f"SET {READ_ONLY}",
    "REMOVE": f"REMOVE {READ_ONLY}",
    "DELETE": f"DELETE {READ_ONLY}",
    "DETACH": f"DETACH DELETE {READ_ONLY}",
    "FOREACH": f"FOREACH {READ_ONLY}",
    "INSERT": f"INSERT {READ_ONLY}",
    "CALL": "CALL (procedures and subqueries)",
    "LOAD": "LOAD CSV",
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
UNSUPPORTED_FUNCS = {
    "id": "id() (use n.id, the entity id property)",
    "elementid": "elementId() (use n.id, the entity id property)",
    "shortestpath": "shortestPath()",
    "allshortestpaths": "allShortestPaths()",
}
# Neo4j 5's built-in functions the engine does not have (`SHOW FUNCTIONS` on 5.26, lower case):
# refused as unsupported; any other unknown name is an error, as on Neo4j.
NEO4J_FUNCTIONS = {
    "file", "linenumber", "graph.byelementid", "graph.byname", "point", "point.distance", "point.withinbbox",
    "valuetype", "vector.similarity.cosine", "vector.similarity.euclidean", "distance",
}
BUILTIN_NAMESPACES = {"date", "datetime", "localdatetime", "localtime", "time", "duration", "point", "graph", "vector"}
AGGREGATES = {"count", "collect", "sum", "avg", "min", "max", "stdev", "stdevp", "percentiledisc", "percentilecont"}
TWO_ARGUMENT_AGGREGATES = {"percentiledisc", "percentilecont"}
QUANTIFIERS = ("any", "all", "none", "single")
# Neo4j 5 reserves almost no word: `start`, `end`, `filter`, `count` and even `match` are valid
# variable names. A word is read as a keyword where the grammar expects one; in the place of an
# expression, these words are keywords unless what follows can only follow a variable
# ("if a snippet can be both a keyword and an identifier, it is a keyword").
CLAUSE_WORDS = {
    "MATCH", "OPTIONAL", "WHERE", "WITH", "RETURN", "ORDER", "SKIP", "OFFSET", "LIMIT", "UNWIND",
    "WHEN", "THEN", "ELSE", "END", "UNION", *UNSUPPORTED_CLAUSES,
}
# Words that may follow a variable (operators and clause or sub-clause keywords).
AFTER_VARIABLE_WORDS = {
    "AS", "AND", "OR", "XOR", "IS", "IN", "STARTS", "ENDS", "CONTAINS", "ASC", "DESC", "ASCENDING",
    "DESCENDING", *CLAUSE_WORDS,
}
AFTER_VARIABLE_PUNCT = {")", "[", "]", "}", ",", ".", "=", "<>", "<", ">", "<=", ">=", "=~", "+", "-", "*", "/", "%",
                        "^", ";", ":", "|", ".."}
# After DISTINCT or NOT, only these make the word a variable (`RETURN DISTINCT [1]` is DISTINCT).
NARROW_AFTER_PUNCT = {")", "]", "}", ",", ";", "=", "<>", "<", ">", "<=", ">=", "=~", "."}
NARROW_AFTER_WORDS = {"AS", "AND", "OR", "XOR", "IS", *CLAUSE_WORDS}
LITERAL_WORDS = {"TRUE": True, "FALSE": False, "NULL": None, "NAN": float("nan"), "INF": float("inf"),
                 "INFINITY": float("inf")}


class Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = lex(text)
        self.i = 0

    # token helpers
    def peek(self, k: int = 0) -> Token:
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

    def describe(self, t: Token) -> str:
        if t.kind == "eof":
            return "end of input"
        return repr(self.text[t.s : t.e])

    def error(self, msg: str, t: Token | None = None, found: bool = True) -> QueryError:
        t = t or self.peek()
        return syntax_error(self.text, t.s, f"{msg}, found {self.describe(t)}" if found else msg)

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
        """A variable where the grammar allows one (any name, keywords included), or None."""
        t = self.peek()
        if t.kind in ("id", "qid"):
            self.i += 1
            return t.val
        return None

    def ends_here(self, k: int = 1, narrow: bool = False) -> bool:
        """Whether the token k ahead can only follow a finished expression (so a word before it is a variable)."""
        t = self.peek(k)
        if t.kind == "eof":
            return True
        if t.kind == "p":
            return t.val in (NARROW_AFTER_PUNCT if narrow else AFTER_VARIABLE_PUNCT)
        return t.kind == "id" and t.val.upper() in (NARROW_AFTER_WORDS if narrow else AFTER_VARIABLE_WORDS)

    # query
    def query(self) -> list | UnionQuery:
        """The whole statement: one query, or queries joined by UNION / UNION ALL."""
        q = self.union(inside=False)
        if self.is_p(";"):
            self.i += 1
            if self.peek().kind != "eof":
                raise unsupported("multiple statements")
        return q

    def union(self, inside: bool) -> list | UnionQuery:
        parts = [self.clauses(inside)]
        kinds = []
        while self.word() == "UNION":
            t = self.peek()
            self.i += 1
            kinds.append(self.accept_kw("ALL"))
            if len(set(kinds)) > 1:
                raise syntax_error(self.text, t.s, "Invalid combination of UNION and UNION ALL")
            parts.append(self.clauses(inside))
        return parts[0] if len(parts) == 1 else UnionQuery(parts, kinds[0])

    def clauses(self, inside: bool) -> list:
        """The clauses of one query, up to the end (or the closing brace of a subquery, or UNION)."""
        clauses: list = []
        while True:
            t = self.peek()
            if t.kind == "eof" or self.is_p(";") or (inside and self.is_p("}")):
                break
            w = self.word()
            if w == "MATCH":
                self.i += 1
                clauses.append(self.match(False))
            elif w == "OPTIONAL":
                self.i += 1
                if self.word() == "CALL":
                    raise unsupported(UNSUPPORTED_CLAUSES["CALL"])
                self.expect_kw("MATCH")
                clauses.append(self.match(True))
            elif w == "UNWIND":
                self.i += 1
                e = self.expr()
                self.expect_kw("AS")
                clauses.append(UnwindClause(e, self.name("a variable after AS")))
            elif w in ("WITH", "RETURN"):
                self.i += 1
                clauses.append(self.projection(w))
            elif w == "UNION" and clauses:
                break
            elif w in UNSUPPORTED_CLAUSES:
                raise unsupported(UNSUPPORTED_CLAUSES[w])
            elif w == "WHERE":
                raise self.error("WHERE must follow MATCH, OPTIONAL MATCH or WITH")
            else:
                raise self.error("expected a clause (MATCH, OPTIONAL MATCH, UNWIND, WITH or RETURN)")
        if not clauses:
            raise self.error("expected a clause (MATCH, OPTIONAL MATCH, UNWIND, WITH or RETURN)")
        return clauses

    def match(self, optional: bool) -> MatchClause:
        pats = [self.pattern()]
        while self.accept_p(","):
            pats.append(self.pattern())
        if self.word() == "USING":
            raise unsupported(UNSUPPORTED_CLAUSES["USING"])
        where = self.expr() if self.accept_kw("WHERE") else None
        return MatchClause(optional, pats, where)

    def projection(self, kind: str) -> Projection:
        distinct = self.word() == "DISTINCT" and not self.ends_here(narrow=True) and self.accept_kw("DISTINCT")
        star = self.accept_p("*")
        items: list[ProjItem] = []
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
        return Projection(kind, distinct, star, items, order, skip, limit, where)

    def item(self) -> ProjItem:
        t0 = self.peek()
        e = self.expr()
        t1 = self.toks[self.i - 1]
        if self.accept_kw("AS"):
            return ProjItem(e, self.name("a name after AS"), True)
        if e[0] == "var":
            return ProjItem(e, e[1], False)
        return ProjItem(e, self.text[t0.s : t1.e], False)

    # patterns
    def pattern(self) -> PathPat:
        name = None
        t = self.peek()
        if t.kind in ("id", "qid") and self.is_p("=", 1):
            name = t.val
            self.i += 2
            t = self.peek()
        if t.kind == "id":
            w = t.val.upper()
            if w in ("SHORTESTPATH", "ALLSHORTESTPATHS"):
                raise unsupported("shortestPath() and allShortestPaths()")
            if w in ("ANY", "ALL", "SHORTEST", "REPEATABLE", "DIFFERENT"):
                raise unsupported("path selectors and match modes (ANY, ALL, SHORTEST, ...)")
        nodes = [self.node_pat()]
        rels = []
        while self.is_p("-") or (self.is_p("<") and self.is_p("-", 1)):
            rels.append(self.rel_pat())
            nodes.append(self.node_pat())
        return PathPat(nodes, rels, name)

    def labels(self) -> list[str]:
        out = []
        while self.accept_p(":"):
            if self.is_p("!") or self.is_p("%") or self.is_p("("):
                raise unsupported("label expressions (:A|B, :A&B, :!A, :%)")
            out.append(self.name("a label"))
            if self.is_p("|") or self.is_p("&"):
                raise unsupported("label expressions (:A|B, :A&B, :!A, :%)")
        return out

    def prop_map(self) -> tuple | None:
        if self.is_p("{"):
            return self.map_literal()[1]
        if self.peek().kind == "param":
            raise self.error("Parameter maps cannot be used in MATCH patterns (use a literal map instead, e.g. {id: "
                             "$param.id})", found=False)
        return None

    def node_pat(self) -> NodePat:
        if self.is_p("(") and self.is_p("(", 1):
            raise unsupported("quantified path patterns ((...)){m,n}")
        self.expect_p("(")
        var = self.variable()
        labels = self.labels()
        if self.word() == "IS" or self.is_p("|"):
            raise unsupported("label expressions (IS Label, :A|B)")
        props = self.prop_map()
        if self.word() == "WHERE":
            raise unsupported("WHERE inside a node pattern")
        self.expect_p(")")
        return NodePat(var, tuple(labels), props)

    def rel_pat(self) -> RelPat:
        left = self.accept_p("<")
        self.expect_p("-")
        var, types, props, hops = None, None, None, None
        if self.accept_p("["):
            var = self.variable()
            if self.accept_p(":"):
                if self.is_p("!") or self.is_p("%"):
                    raise unsupported("label expressions on relationship types (:!A, :%)")
                types = [self.name("a relationship type")]
                while self.accept_p("|"):
                    self.accept_p(":")
                    types.append(self.name("a relationship type"))
                if self.is_p("&"):
                    raise unsupported("relationship type expressions (:A&B)")
            hops = self.hops() if self.is_p("*") else None
            props = self.prop_map()
            if self.word() == "WHERE":
                raise unsupported("WHERE inside a relationship pattern")
            self.expect_p("]")
        self.expect_p("-")
        right = self.accept_p(">")
        if self.is_p("{") or self.is_p("+") or self.is_p("*"):
            raise unsupported("quantified path patterns")
        direction = "out" if right and not left else "in" if left and not right else "both"
        return RelPat(var, tuple(types) if types else None, props, direction, hops)

    def hops(self) -> tuple[int, int | None]:
        """`*`, `*n`, `*lo..hi`, `*..hi`, `*lo..` (lo defaults to 1; hi None: no upper bound)."""
        self.i += 1  # *
        lo = None
        if self.peek().kind == "int":
            lo = self.peek().val
            self.i += 1
            if not self.accept_p(".."):
                return lo, lo
        elif not self.accept_p(".."):
            if self.is_p("]") or self.is_p("{"):
                return 1, None
            raise self.error("expected a number of hops (*, *2, *1..3, *..3, *2..)")
        hi = None
        if self.peek().kind == "int":
            hi = self.peek().val
            self.i += 1
        elif not (self.is_p("]") or self.is_p("{")):
            raise self.error("expected an upper bound after '..'")
        return (1 if lo is None else lo), hi

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
        if self.word() == "NOT" and not self.ends_here(narrow=True):
            self.i += 1
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
        """At most one sign, as in Neo4j 5; a second `-` only as part of a number (`- -1`)."""
        if self.is_p("-") or self.is_p("+"):
            sign = self.peek().val
            self.i += 1
            if self.is_p("+") or (self.is_p("-") and self.peek(1).kind not in ("int", "float")):
                raise self.error("expected an expression")
            e = self.signed_number()
            if sign == "+":
                return ("pos", e)
            return ("lit", -e[1]) if e[0] == "lit" and type(e[1]) in NUM else ("neg", e)
        return self.signed_number()

    def signed_number(self) -> tuple:
        if self.is_p("-") and self.peek(1).kind in ("int", "float"):
            self.i += 2
            return self.postfix(("lit", -self.toks[self.i - 1].val))
        return self.postfix()

    def postfix(self, e: tuple | None = None) -> tuple:
        e = self.atom() if e is None else e
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
                    return ("patexp", self.pattern())
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
            if w in LITERAL_WORDS:
                self.i += 1
                return ("lit", LITERAL_WORDS[w])
            if w == "CASE":
                start, maybe_variable = self.i, self.word(1) != "WHEN" and self.ends_here()
                self.i += 1
                try:
                    return self.case()
                except QueryError:
                    if not maybe_variable:
                        raise
                    self.i = start  # `case` was a variable after all (WITH 1 AS case RETURN case + 1)
            if self.is_p("{", 1) and w in ("EXISTS", "COUNT", "COLLECT"):
                return self.subquery(w)
            j = self.i + 1
            while self.toks[j].kind == "p" and self.toks[j].val == "." and self.toks[j + 1].kind in ("id", "qid"):
                j += 2
            if self.toks[j].kind == "p" and self.toks[j].val == "(":
                return self.call(j)
            if w in CLAUSE_WORDS and not self.ends_here():
                raise self.error("expected an expression")
        if k in ("id", "qid"):
            self.i += 1
            if self.is_p("{"):
                raise unsupported("map projections (n {.key, ...})")
            return ("var", t.val)
        raise self.error("expected an expression")

    def list_literal(self) -> tuple:
        self.expect_p("[")
        if self.peek().kind in ("id", "qid") and self.word(1) == "IN":
            var, lst, pred = self.in_list_where(required=False)
            proj = self.expr() if self.accept_p("|") else None
            self.expect_p("]")
            return ("listcomp", var, lst, pred, proj)
        if (self.peek().kind in ("id", "qid") and self.is_p("=", 1)
            and self.is_p("(", 2)) or (self.is_p("(") and self.looks_like_pattern()):
            pat = self.pattern()
            where = self.expr() if self.accept_kw("WHERE") else None
            self.expect_p("|")
            proj = self.expr()
            self.expect_p("]")
            return ("patcomp", pat, where, proj)
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
                    raise syntax_error(self.text, t.s, f"duplicate map key {key!r}")
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
        """EXISTS { ... }, COUNT { ... } or COLLECT { ... }: a bare pattern with an optional WHERE,
        or a query (which may end without RETURN, except in COLLECT)."""
        kind = {"EXISTS": "exists", "COUNT": "countsub", "COLLECT": "collectsub"}[w]
        self.i += 2  # EXISTS {
        if self.is_p("(") or (self.peek().kind in ("id", "qid") and self.is_p("=", 1)):
            pats = [self.pattern()]
            while self.accept_p(","):
                pats.append(self.pattern())
            where = self.expr() if self.accept_kw("WHERE") else None
            body: list | UnionQuery = [MatchClause(False, pats, where)]
            simple = True
        else:
            body, simple = self.union(inside=True), False
        if not self.is_p("}"):
            raise self.error("expected '}'")
        self.i += 1
        return (kind, Subquery(body, simple))

    def in_list_where(self, required: bool) -> tuple:
        """`x IN list [WHERE pred]` of list predicates and comprehensions: (x, list, pred or None)."""
        t0 = self.peek()
        var = self.name("a variable")
        self.expect_kw("IN")
        lst = self.expr()
        pred = None
        if self.accept_kw("WHERE"):
            pred = self.expr()
        elif required:
            raise syntax_error(self.text, t0.s, "a list predicate requires a WHERE predicate: any(x IN list WHERE ...)")
        return var, lst, pred

    def call(self, j: int) -> tuple:
        t0 = self.peek()
        name = ".".join(self.toks[x].val for x in range(self.i, j, 2))
        lname = name.lower()
        self.i = j + 1
        if lname in UNSUPPORTED_FUNCS:
            raise unsupported(UNSUPPORTED_FUNCS[lname])
        if lname == "exists":  # exists(pattern) is a pattern predicate; exists(n.prop) is gone in Neo4j 5
            arg = self.expr()
            self.expect_p(")")
            if arg[0] != "patexp":
                raise syntax_error(self.text, t0.s,
                                   "The property existence syntax `exists(variable.property)` is no longer "
                                   "supported. Please use `variable.property IS NOT NULL` instead.")
            return ("patexp", arg[1], "exists")
        if lname in QUANTIFIERS and self.peek().kind in ("id", "qid") and self.word(1) == "IN":
            var, lst, pred = self.in_list_where(required=True)
            self.expect_p(")")
            return ("quant", lname, var, lst, pred)
        if lname == "reduce" and self.peek().kind in ("id", "qid") and self.is_p("=", 1):
            acc = self.name("an accumulator")
            self.expect_p("=")
            init = self.expr()
            self.expect_p(",")
            var = self.name("a variable")
            self.expect_kw("IN")
            lst = self.expr()
            self.expect_p("|")
            body = self.expr()
            self.expect_p(")")
            return ("reduce", acc, init, var, lst, body)
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
        if lname in AGGREGATES:
            want = 2 if lname in TWO_ARGUMENT_AGGREGATES else 1
            if len(args) != want:
                raise QueryError(f"{name}() takes exactly {'two arguments' if want == 2 else 'one argument'}, got "
                                 f"{len(args)}")
            if want == 2:
                return ("agg", lname, distinct, args[0], args[1])
            return ("agg", lname, distinct, args[0])
        spec = FUNCTIONS.get(lname)
        if spec is None:
            if lname in NEO4J_FUNCTIONS or ("." in lname and lname.split(".")[0] not in BUILTIN_NAMESPACES):
                raise unsupported(f"the function {name}()")  # Neo4j (or a plugin such as APOC) has it; this engine not
            raise syntax_error(self.text, t0.s, f"Unknown function '{name}'")
        if (lname == "normalize" and len(args) == 2 and args[1][0] == "var"
            and args[1][1].upper() in ("NFC", "NFD", "NFKC", "NFKD")):
            args[1] = ("lit", args[1][1].upper())  # normalize(s, NFD): the form is a keyword
        if distinct:
            raise syntax_error(self.text, t0.s, f"DISTINCT is only allowed in aggregating functions, not {name}()")
        lo, hi, _ = spec
        if not lo <= len(args) <= hi:
            want = str(lo) if lo == hi else f"{lo} to {hi}"
            raise QueryError(f"{name}() takes {want} argument{'s' if hi != 1 else ''}, got {len(args)}")
        return ("fn", lname, tuple(args))


_PARSE_CACHE: dict[str, list] = {}


def parse(text: str) -> list:
    clauses = _PARSE_CACHE.get(text)
    if clauses is None:
        clauses = Parser(text).query()
        if len(_PARSE_CACHE) > 256:
            _PARSE_CACHE.clear()
        _PARSE_CACHE[text] = clauses
    return clauses
