"""Random Cypher for the engine's tests: garbled queries, and well-formed queries with random expressions.

Shared by tests/test_cypher_nx.py (the embedded engine only raises one-line QueryErrors) and
tests/test_cypher_parity.py (the embedded engine and Neo4j give the same rows). The queries use
the labels, types and ids of both the small hand-built test graph and the seed graph, and the
parameters in PARAMS.
"""

from __future__ import annotations

import random

PARAMS = {"x": "pd1", "p": [1, "a", None]}

VALID = [
    "MATCH (a:Therapy)-[r:TARGETS]->(b {id: $x}) RETURN a.id, r.refs ORDER BY a.id",
    "MATCH (n) WHERE n.id IN ['pd1', 'tam'] AND NOT n.name CONTAINS 'x' RETURN n",
    "MATCH (a)-[r]-(b) WITH a, count(r) AS c WHERE c > 1 RETURN a.id, c ORDER BY c DESC SKIP 1 LIMIT 2",
    "UNWIND [1, 2.5, 'a', null, [1], {k: 1}] AS x RETURN x, toString(x), x + 1, x[0], size(x)",
    "MATCH (n) OPTIONAL MATCH (n)<-[:TARGETS]-(t) RETURN n.id, collect(DISTINCT t.name) AS ts",
    "RETURN CASE WHEN $p IS NULL THEN 'x' ELSE $p END, [1, 2, 3][1..], {a: [1, 2]}.a[-1]",
    "MATCH (g:Gene) WHERE EXISTS { MATCH (g)<-[:TARGETS]-() } RETURN g.id, COUNT { (g)--() } AS d",
    "MATCH p = (a {id: $x})-[r:INHIBITS|PROMOTES*1..2]->(b) RETURN b.id, length(p), [n IN nodes(p) | n.id] AS ids",
    "MATCH (a)-[rs*..2]-(b {id: $x}) WHERE all(r IN rs WHERE r.sign <> '0') RETURN a.id, size(rs) AS n",
    "RETURN any(x IN $p WHERE x = 1), none(y IN [] WHERE y), single(z IN [1, 2] WHERE z > 1), reduce(s = 0, v IN [1, 2] | s + v)",
    "WITH 1 AS start, .5 AS end RETURN start + end AS filter, [x IN [1, 2] WHERE x > 1 | x * 2] AS l",
    "MATCH (n) WHERE n.name =~ '(?i)pd.*' OR n.name =~ '\\\\w+' RETURN n.id ORDER BY n.id",
]

FRAGMENTS = [
    "MATCH", "OPTIONAL", "WHERE", "WITH", "RETURN", "ORDER BY", "SKIP", "LIMIT", "UNWIND", "AS", "AND", "OR",
    "NOT", "IN", "IS NULL", "STARTS WITH", "CONTAINS", "CASE", "WHEN", "THEN", "END", "DISTINCT", "count(*)",
    "collect(", "(", ")", "[", "]", "{", "}", ":", ",", ".", "..", "-", "->", "<-", "--", "=", "<>", "<", "=~",
    "+", "*", "/", "%", "^", "$x", "$p", "'s'", '"d', "1", "2.5", ".5", "null", "true", "n", "r", "n.id", "(n:Gene)",
    "-[r:TARGETS|BINDS]->", "{id: $x}", "EXISTS {", "toLower(", "size(", "range(", "`q", "//", "/*", ";", "\\",
    "'", "`", "0x", "1e999", "99999999999999999999", "CREATE", "CALL", "[*]", "[*1..2]", "p =", "|", "&", "!", "::",
    "#", "any(", "all(x IN", "reduce(", "nodes(", "relationships(p)", "length(", "start", "end",
]


def garbled_queries(n: int, seed: int) -> list[str]:
    """Valid queries with random edits, random runs of fragments, and random ASCII text."""
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        r = rnd.random()
        if r < 0.45:
            s = list(rnd.choice(VALID))
            for _ in range(rnd.randint(1, 3)):
                i = rnd.randint(0, len(s))
                op = rnd.random()
                if op < 0.35 and s:
                    del s[min(i, len(s) - 1)]
                elif op < 0.75:
                    s.insert(i, rnd.choice(FRAGMENTS) + " ")
                else:
                    s.insert(i, chr(rnd.randint(0, 0x3FF)))
            out.append("".join(s))
        elif r < 0.8:
            out.append(" ".join(rnd.choice(FRAGMENTS) for _ in range(rnd.randint(1, 12))))
        else:
            out.append("".join(chr(rnd.randint(0, 0x7F)) for _ in range(rnd.randint(0, 30))))
    return out


LEAVES = ["1", "-2", "2.5", ".5", "'a'", "''", "true", "null", "[1, 'a', null]", "{k: 1}", "$x", "$p", "n", "r", "x",
          "n.id", "n.synonyms", "r.refs", "x.k"]
FUNCTIONS = ["toLower", "size", "coalesce", "type", "labels", "keys", "toString", "toInteger", "toFloat", "head", "tail",
             "abs", "round", "split", "replace", "substring", "reverse", "range", "startNode", "left", "sqrt", "properties"]
OPERATORS = ["+", "-", "*", "/", "%", "^", "=", "<>", "<", ">=", "AND", "OR", "XOR", "IN", "STARTS WITH", "CONTAINS", "=~"]


def random_expression(rnd: random.Random, depth: int = 0, agg: bool = False) -> str:
    """A random expression over n, r, x and the parameters; aggregates only when `agg`."""
    if depth > 2 or rnd.random() < 0.25:
        return rnd.choice(LEAVES)
    sub = lambda: random_expression(rnd, depth + 1, agg)  # noqa: E731
    c = rnd.random()
    if c < 0.27:
        return f"({sub()} {rnd.choice(OPERATORS)} {sub()})"
    if c < 0.5:
        return f"{rnd.choice(FUNCTIONS)}({', '.join(sub() for _ in range(rnd.choice([1, 1, 2, 3])))})"
    if c < 0.56 and agg:
        return f"{rnd.choice(['count', 'collect', 'sum', 'avg', 'min', 'max'])}({rnd.choice(['', 'DISTINCT '])}{sub()})"
    if c < 0.62:
        return f"(NOT {sub()})"
    if c < 0.68:
        return f"({sub()} IS {rnd.choice(['', 'NOT '])}NULL)"
    if c < 0.74:
        return f"{sub()}[{rnd.choice(['0', '-1', '1..', '..2', sub()])}]"
    if c < 0.8:
        return f"CASE WHEN {sub()} THEN {sub()} ELSE {sub()} END"
    if c < 0.85:
        return f"{rnd.choice(['any', 'all', 'none', 'single'])}(y IN {sub()} WHERE {rnd.choice(['y', 'y = 1', 'y IS NULL', sub()])})"
    if c < 0.89:
        return f"[y IN {sub()} {rnd.choice(['WHERE y IS NOT NULL ', ''])}| {rnd.choice(['y', sub()])}]"
    if c < 0.92:
        return f"reduce(acc = {sub()}, y IN {sub()} | acc + y)"
    if c < 0.95:
        return f"{rnd.choice(['nodes', 'relationships', 'length'])}({rnd.choice(['p', sub()])})"
    return f"EXISTS {{ MATCH (n)-[:TARGETS]->(z) WHERE {sub()} }}"


PATTERNS = [
    "(n)-[r]->(m)", "(n:Therapy)-[r:TARGETS]->(m)", "(n {id: $x})-[r]-(m)", "(m)-[r:PROMOTES|INHIBITS]->(n)-->()",
    "p = (n {id: $x})-[r*1..2]-(m)", "p = (m)-[r:PROMOTES|INHIBITS|TARGETS*..2]->(n {id: $x})",
]


def well_formed_queries(n: int, seed: int) -> list[str]:
    """Queries that parse, with random expressions in WHERE and RETURN; ORDER BY every column."""
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        pattern = rnd.choice(PATTERNS)
        q = f"MATCH {pattern} UNWIND {rnd.choice(['[1, {k: 2}]', '$p', 'n.synonyms', 'null'])} AS x "
        if rnd.random() < 0.5:
            q += f"WITH * WHERE {random_expression(rnd)} "
        if rnd.random() < 0.3:
            q += "OPTIONAL MATCH (m)-[q]->(z:Gene) "
        q += f"RETURN {rnd.choice(['DISTINCT ', ''])}{random_expression(rnd, agg=True)} AS a, {random_expression(rnd, agg=True)} AS b "
        q += f"ORDER BY a {rnd.choice(['ASC', 'DESC'])}, b LIMIT 5"
        out.append(q)
    return out
