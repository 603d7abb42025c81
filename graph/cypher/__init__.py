"""Cypher: the embedded engine that runs read-only Cypher on the NetworkX graph, and the named queries.

The engine is a pipeline of modules, each importing only those before it:
`lexer` (text to tokens) and `tree` (the syntax tree) <- `parser` (tokens to tree) <-
`expressions` and `compiler` (tree to closures and row generators) <- `executor` (`CypherEngine`:
graph views, pattern matching, results). Below the compiler: `values` (Cypher values and
operators), `temporal`, `temporal_parse` and `temporal_functions` (dates, times, durations),
`functions` (built-ins, list predicates), `aggregates`, `regex` (Java's regular expressions on
Python's `re`), `statictypes` (Neo4j's type check) and `limits` (time and memory per query).
`named` finds the `.cypher` files in this folder, which paste straight into Neo4j Browser. This
layer imports `props`, `schema` and `errors` only; running a query on a backend is the store's job.

The embedded engine
-------------------
A read-only Cypher interpreter over the embedded NetworkX graph.

`mechgraph query "CYPHER" --backend networkx` runs here. It gives the rows Neo4j 5 would give
for the same data, for the part of Cypher below; anything else fails with a one-line
`mechgraph.errors.QueryError` naming what is unsupported. Syntax errors name the line and column.

The graph is presented exactly as it is loaded into Neo4j (see `mechgraph.props`): every node has
the labels `Entity` and its kind's label (`Gene`, `Therapy`, ...) and the properties of
`props.to_properties` (including `id`); every relationship has the type of its relation
(`PROMOTES`, `TARGETS`, ...) and the properties of `props.edge_properties` (`sign`, `refs`,
`level`, `dois`, `levels`, `species`, `n_evidence`, `evidence_json`, ...).

Supported
  Clauses     MATCH and OPTIONAL MATCH (comma-separated patterns, WHERE), WHERE, UNWIND list AS x,
              WITH (aliases, *, DISTINCT, aggregation, ORDER BY, SKIP/OFFSET, LIMIT, WHERE),
              RETURN (aliases, *, DISTINCT, aggregation, ORDER BY ASC/DESC, SKIP/OFFSET, LIMIT),
              UNION and UNION ALL. Case-insensitive keywords, // and /* */ comments, one trailing `;`.
  Patterns    (n:Label:Label {key: expr}), chains of any length, -[r:A|B {k: v}]-> <-[]- -[]- --> <-- --;
              variable-length relationships -[*]- -[*2]- -[*1..3]-> -[:A|B*..2]- -[r*0.. {k: v}]->
              (r is the list of relationships, in pattern order; a list bound before is followed
              as given); named paths p = (a)-[*1..3]->(b). A relationship is matched at most once
              per MATCH, as in Cypher, so an unbounded pattern ends; `limits` stops one that runs long.
  Expressions literals (strings with escapes, integers incl. 0x1F 0o17 1_000, floats incl. .5 and
              1e3, NaN, Infinity, true/false/null, lists, maps), $param, n.prop, n['prop'], x[i],
              x[i..j], n:Label (r:TYPE on a relationship), = <> < <= > >= (chainable), IS [NOT] NULL,
              AND OR XOR NOT, IN, STARTS WITH, ENDS WITH, CONTAINS, =~ (whole-string match, Java
              regex rules: see `regex`), + - * / % ^, string and list concatenation, CASE (simple
              and generic), patterns as predicates (WHERE (a)-->(b), NOT, exists((a)-->())),
              pattern comprehensions [p = (a)-->(b) WHERE pred | expr], EXISTS { }, COUNT { } and
              COLLECT { } (a bare pattern with WHERE, or any read query that sees the outer
              variables), any/all/none/single(x IN list WHERE pred), [x IN list WHERE pred | expr]
              and reduce(acc = init, x IN list | expr).
              Cypher null semantics; WHERE keeps a row only when its predicate is true.
              Names as in Neo4j 5: almost no word is reserved (start, end, filter, count, even match
              are variables where the grammar allows one), `quoted names` for any other.
  Temporal    date, localtime, time, localdatetime, datetime and duration values with Neo4j 5's
              semantics (`temporal`): constructors from ISO strings, maps of fields, other
              temporal values and the clock (fixed per query, as Neo4j fixes it per statement;
              X.statement(), X.transaction(), X.realtime()), datetime.fromepoch(millis),
              X.truncate(unit, value[, map]), duration.between/inMonths/inDays/inSeconds, temporal
              ± duration, duration ± duration, duration * or / number, components (.year, .week,
              .weekYear, .dayOfWeek, .ordinalDay, .quarter, .epochSeconds, .timezone, .offset,
              .minutesOfHour, ...), equality, order and Neo4j's string forms; IANA time zones from
              the `tzdata` package (Java's data). Python's datetime values are accepted as parameters.
  Functions   coalesce type labels keys properties startNode endNode nodes relationships length
              toString toInteger toFloat toBoolean (and their ...OrNull and ...List forms) toLower
              toUpper lower upper trim ltrim rtrim btrim size char_length character_length isEmpty
              head last tail reverse split replace substring left right normalize nullIf range abs
              ceil floor round sign sqrt exp log log10 e pi sin cos tan cot asin acos atan atan2
              haversin degrees radians isNaN rand randomUUID timestamp, and the temporal ones above.
  Aggregates  count(*) count([DISTINCT] x) collect([DISTINCT] x) sum avg (numbers or durations) min
              max stDev stDevP percentileDisc percentileCont, with implicit grouping by the
              non-aggregate items, as in Cypher (an aggregate's expression may reuse only a grouping
              variable or its property; rand() may not stand in an aggregate).
  Types       Neo4j's static type check runs first (`statictypes`): a query whose operator or
              function can never get the type it needs fails before any row, as on Neo4j; so does
              a WITH value that can never be a node or relationship used as one in MATCH.
  Limits      each query runs within `limits.QueryLimits` (default 10 s and 1024 MB; one list or
              string at most 10,000 items per MB): past either it stops with a QueryError.
  Results     a list of dicts keyed by the column names Neo4j uses (the alias, or the item's text
              as written); nodes and relationships come back as their property dicts, paths as
              the list [node, relationship, node, ...] of them, temporal values as this engine's
              values (str() gives Neo4j's toString form; the Neo4j backend converts the driver's
              values to the same shapes). Rows are in ORDER BY order, otherwise in no particular order.

Unsupported (QueryError "unsupported Cypher: ...")
  writes (CREATE MERGE SET REMOVE DELETE DETACH FOREACH; the embedded backend is read-only),
  CALL (procedures and subqueries), LOAD CSV, USE, planner hints, EXPLAIN/PROFILE, shortestPath,
  quantified path patterns and path selectors, map projections, label expressions (:A|B, :!A),
  id() and elementId() (use n.id), spatial values (point(), point.distance()), valueType(),
  regular expressions whose Java meaning Python's engine cannot reproduce (\\p{L}, (?x), (?U),
  class intersections, variable-length look-behind), and Neo4j's other functions the engine lacks
  (or a plugin's, such as apoc.*). A function Neo4j does not know is an error, as there.

Checked against Neo4j 5.26 by tests/test_cypher_parity.py (the same queries on both backends,
random ones included) and against the openCypher TCK by tests/support/tck.py (docs/tck-results.md).

Parameters are values only: `$name` must be in `params`, else "missing parameter $name".

API: `CypherEngine(g).run(text, params, limits=...)` (indexes built once per engine) and
`run_cypher(g, text, params)` (engine cached per graph).
"""

from .executor import CypherEngine, run_cypher
from .limits import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, QueryLimits
from .named import named_queries, named_query, named_query_list, parse_params

__all__ = ["DEFAULT_MEMORY_MB", "DEFAULT_TIMEOUT", "CypherEngine", "QueryLimits", "named_queries", "named_query",
           "named_query_list", "parse_params", "run_cypher"]
