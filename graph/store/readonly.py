"""What "read-only" means for raw Cypher on Neo4j without --write: no writes, and nothing that
reaches files, the network or Cypher hidden in a string.

Three layers, because each alone lets something through (checked against Neo4j 5.26 with APOC core):

1. The query type of `EXPLAIN` (`r`, `rw`, `w`, `s`): catches CREATE, MERGE, SET, DELETE and schema
   or administration commands. It does not catch `LOAD CSV ... RETURN row` (type `r`: reading a
   file is a read), `CALL apoc.load.json(...)`, `apoc.export.*` (both `r`: APOC declares them READ
   procedures) nor `TERMINATE TRANSACTIONS` (`r`).
2. The session's READ access mode, enforced by the server: refuses writes and WRITE/SCHEMA
   procedures even when a plan hides them, but allows everything layer 1 misses.
3. The `EXPLAIN` plan, inspected here: a `LoadCSV` operator, `TerminateTransactions`, batching
   with `IN TRANSACTIONS`, and every procedure or function called (named in the operators'
   details, after Neo4j has parsed the query, so spelling, comments, subqueries and UNION cannot
   hide them). Refused: procedures and functions of families that read or write files, reach the
   network or run Cypher given as text (`apoc.cypher.run` would run a LOAD CSV that no plan
   shows); and any other procedure the server does not declare READ (e.g. `db.clearQueryCaches`,
   `dbms.*`), except a few that only report (`dbms.components`).

With --write the server's own configuration decides (the project's server confines LOAD CSV to
its import folder and keeps APOC's file and URL access off: scripts/neo4j-local.sh).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

# Procedure and function families that reach files or the network, or run Cypher given as text.
OUTSIDE = (
    "apoc.load.", "apoc.import.", "apoc.export.", "apoc.xml.import", "apoc.cypher.", "apoc.periodic.", "apoc.do.",
    "apoc.when", "apoc.case", "apoc.graph.fromCypher", "apoc.custom.", "apoc.trigger.", "apoc.systemdb.", "apoc.log.",
    "apoc.bolt.", "apoc.es.", "apoc.mongo", "apoc.couchbase.", "apoc.redis.", "apoc.jdbc", "apoc.model.", "apoc.dv.",
    "apoc.gephi.", "apoc.ml.", "apoc.vectordb.", "apoc.spatial.geocode", "apoc.spatial.reverseGeocode", "apoc.static.",
    "apoc.config.", "apoc.util.sleep", "apoc.s3.", "apoc.gcs.", "apoc.hdfs.",
)
REPORT_ONLY = {"dbms.components", "dbms.showCurrentUser", "db.ping", "db.info"}  # not mode READ, but only report
REFUSED_OPERATORS = {
    "LoadCSV": "LOAD CSV reads files and URLs on the server",
    "TerminateTransactions": "TERMINATE TRANSACTIONS stops other users' queries",
    "TransactionApply": "CALL ... IN TRANSACTIONS commits on its own",
    "TransactionForeach": "CALL ... IN TRANSACTIONS commits on its own",
}
_CALLED = re.compile(r"(?<![\w.`$])([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*\(")
_PROCEDURE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*\(")
HINT = "mechgraph runs raw queries read-only unless you pass --write"


def _operators(plan: Any) -> Iterator[tuple[str, str]]:
    """(operator name without the @database suffix, its details text) for every operator of a plan."""
    stack = [plan]
    while stack:
        p = stack.pop()
        if p is None:
            continue
        if isinstance(p, dict):
            op, args, children = p.get("operatorType", ""), p.get("args") or {}, p.get("children") or []
        else:  # a driver object with attributes
            op, args, children = getattr(p, "operator_type",
                                         ""), getattr(p, "arguments", {}) or {}, getattr(p, "children", []) or []
        yield str(op).split("@", 1)[0], str(args.get("Details") or "")
        stack.extend(children)


def by_query_type(query_type: str | None, plan: Any) -> str | None:
    """Layer 1: why a query of this EXPLAIN type may not run without --write, or None."""
    if query_type in ("w", "rw"):
        return "this query writes to the database; mechgraph runs queries read-only unless you pass --write"
    if query_type == "s":
        called = [_PROCEDURE.match(d) for op, d in _operators(plan) if op == "ProcedureCall"]
        if called and all(m and m.group(1) in REPORT_ONLY for m in called):
            return None  # `CALL dbms.components()` counts as type s, yet only reports
        return f"this query changes the schema or administers the server; {HINT}"
    return None


def outside(name: str) -> bool:
    """True for a procedure or function that reaches files, the network or runs Cypher text."""
    low = name.lower()
    return any(low.startswith(prefix.lower()) for prefix in OUTSIDE)


def refusal(plan: Any, procedure_mode: Callable[[str], str | None]) -> str | None:
    """Why a query with this EXPLAIN plan may not run without --write, or None when it may.

    `procedure_mode(name)` gives the server's mode of a procedure (READ, WRITE, SCHEMA, DBMS,
    DEFAULT) or None when the server does not know it."""
    for op, details in _operators(plan):
        if op in REFUSED_OPERATORS:
            return f"{REFUSED_OPERATORS[op]}; {HINT}"
        if op == "ProcedureCall":
            m = _PROCEDURE.match(details)
            name = m.group(1) if m else details.split("(", 1)[0].strip()
            if outside(name):
                return f"{name} reaches files or the network, or runs Cypher given as text; {HINT}"
            mode = procedure_mode(name)
            if name not in REPORT_ONLY and (mode or "").upper() != "READ":
                return f"{name} is a {(mode or 'unknown').upper()} procedure, not a READ one; {HINT}"
        for called in _CALLED.findall(details):
            if outside(called):
                return f"{called} reaches files or the network, or runs Cypher given as text; {HINT}"
    return None
