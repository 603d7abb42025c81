"""Cypher: the embedded engine that runs read-only Cypher on the NetworkX graph, and the named queries.

The engine is a pipeline of modules, each importing only those before it:
`lexer` (text to tokens) and `tree` (the syntax tree) <- `parser` (tokens to tree) <- `compiler`
(tree to row generators) <- `executor` (`CypherEngine`: graph views, pattern matching, results);
`values` (Cypher values and operators), `functions` (built-ins and aggregates), `regex` (Java's
regular expressions on Python's `re`) and `statictypes` (Neo4j's type check) sit below the
compiler. `named` finds the `.cypher` files in this folder, which paste straight into Neo4j
Browser. This layer imports `props`, `schema` and `errors` only; running a query on a backend is
the store's job.

The embedded engine
-------------------
A small read-only Cypher interpreter over the embedded NetworkX graph.

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
              bounded variable-length relationships -[*2]- -[*1..3]-> -[:A|B*..2]- -[r*0..2 {k: v}]->
              (r is the list of relationships, in pattern order); named paths p = (a)-[*1..3]->(b).
              A relationship is matched at most once per MATCH, as in Cypher.
  Expressions literals (strings with escapes, integers incl. 0x1F 0o17 1_000, floats incl. .5 and
              1e3, NaN, Infinity, true/false/null, lists, maps), $param, n.prop, n['prop'], x[i],
              x[i..j], n:Label, = <> < <= > >= (chainable), IS [NOT] NULL, AND OR XOR NOT, IN,
              STARTS WITH, ENDS WITH, CONTAINS, =~ (whole-string match, Java regex rules: see
              `regex`), + - * / % ^, string and list concatenation, CASE (simple and generic),
              EXISTS { [MATCH] pattern [WHERE ...] } and COUNT { [MATCH] pattern [WHERE ...] },
              any/all/none/single(x IN list WHERE pred), [x IN list WHERE pred | expr] and
              reduce(acc = init, x IN list | expr).
              Cypher null semantics; WHERE keeps a row only when its predicate is true.
              Names as in Neo4j 5: almost no word is reserved (start, end, filter, count, even match
              are variables where the grammar allows one), `quoted names` for any other.
  Functions   coalesce type labels keys properties startNode endNode nodes relationships length
              toString toInteger toFloat toBoolean (and their ...OrNull forms) toLower toUpper lower
              upper trim ltrim rtrim size isEmpty head last tail reverse split replace substring left
              right range abs ceil floor round sign sqrt rand.
  Aggregates  count(*) count([DISTINCT] x) collect([DISTINCT] x) sum avg min max, with implicit
              grouping by the non-aggregate items, as in Cypher.
  Types       Neo4j's static type check runs first (`statictypes`): a query whose operator or
              function can never get the type it needs fails before any row, as on Neo4j.
  Results     a list of dicts keyed by the column names Neo4j uses (the alias, or the item's text
              as written); nodes and relationships come back as their property dicts, paths as
              the list [node, relationship, node, ...] of them (the Neo4j backend converts the
              driver's values to the same shapes). Rows are in ORDER BY order, otherwise in no
              particular order.

Unsupported (QueryError "unsupported Cypher: ...")
  writes (CREATE MERGE SET REMOVE DELETE DETACH FOREACH; the embedded backend is read-only),
  CALL (procedures and subqueries), LOAD CSV, UNION, USE, planner hints, EXPLAIN/PROFILE,
  variable-length relationships without an upper bound (-[*]-, -[*2..]-: give one), a
  variable-length relationship variable bound before, shortestPath, quantified path patterns and
  path selectors, pattern expressions outside EXISTS/COUNT { }, pattern comprehensions, map
  projections, label expressions (:A|B, :!A), id() and elementId() (use n.id), exists() (removed
  in Neo4j 5; use IS NOT NULL), regular expressions whose Java meaning Python's engine cannot
  reproduce (\\p{L}, (?x), (?U), class intersections, variable-length look-behind), and any other
  function ("unknown function foo()").

Checked against Neo4j 5.26 by tests/test_cypher_parity.py (the same queries on both backends,
random ones included) and against the openCypher TCK by scripts/tck.py (docs/tck-results.md).

Parameters are values only: `$name` must be in `params`, else "missing parameter $name".

API: `CypherEngine(g).run(text, params)` (indexes built once per engine) and
`run_cypher(g, text, params)` (engine cached per graph).
"""

from .executor import CypherEngine, run_cypher

__all__ = ["CypherEngine", "run_cypher"]
