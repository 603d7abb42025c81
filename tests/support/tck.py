#!/usr/bin/env python3
"""Run the openCypher TCK's read scenarios on the embedded Cypher engine and write docs/tck-results.md.

The openCypher Technology Compatibility Kit describes Cypher's behaviour as Gherkin scenarios:
a graph built with CREATE, a query, and the expected table (or error). This runner reads every
feature file under the folder it is given, keeps the read scenarios (those whose query has no
updating clause: CREATE, MERGE, SET, REMOVE, DELETE, FOREACH; the embedded engine is read-only),
builds each scenario's graph, runs the query on the embedded engine (mechgraph.cypher) and
compares. The graph is built by this runner's own translation of the setup's CREATE clauses
(the read clauses between them run on the engine), or, when NEO4J_URI is set (or --neo4j),
in a real Neo4j server and copied into the engine (the runner empties that database for every
scenario, so it refuses a database that holds nodes unless given --wipe; point it at a scratch
server, e.g. `NEO4J_BOLT_PORT=17699 scripts/neo4j-local.sh start`).

Each read scenario (each Examples row of an outline) ends as
  pass              the rows match, or the TCK expects an error and the engine raised one;
  wrong             the engine answered with other rows;
  false error       the engine raised an error where the TCK expects rows;
  crash             a Python exception other than QueryError (an engine bug);
  refused           the engine refused the query as unsupported Cypher;
  invalid accepted  the TCK expects an error, the engine answered;
  setup not built   the scenario's graph or parameters could not be built.

The TCK is not vendored (it is fetched data, and CI has no network to GitHub): point the runner
at a checkout's features folder, e.g.
    git clone --depth 1 https://github.com/opencypher/openCypher /tmp/openCypher
    python -m tests.support.tck /tmp/openCypher/tck/features --out docs/tck-results.md
Without the folder it says so and exits 0.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from mechgraph.cypher import CypherEngine
from mechgraph.cypher.compiler import Compiler
from mechgraph.cypher.lexer import lex
from mechgraph.cypher.parser import Parser
from mechgraph.cypher.temporal import is_temporal, temporal_string
from mechgraph.cypher.values import Node, Rel
from mechgraph.cypher.values import Path as PathValue
from mechgraph.errors import QueryError

WRITE_WORDS = {"CREATE", "MERGE", "SET", "REMOVE", "DELETE", "DETACH", "FOREACH"}
STATUSES = ["pass", "wrong", "false error", "crash", "refused", "invalid accepted", "setup not built"]


# ------------------------------------------------------------------ Gherkin


@dataclass
class Step:
    text: str
    doc: str | None = None
    table: list[list[str]] | None = None


@dataclass
class Scenario:
    feature: str
    name: str
    steps: list[Step] = field(default_factory=list)


def unescape_cell(cell: str) -> str:
    """A Gherkin table cell's text: `\\|` is a bar, `\\\\` a backslash, `\\n` a new line."""
    return re.sub(r"\\([\\|n])", lambda m: "\n" if m.group(1) == "n" else m.group(1), cell)


def _cells(line: str) -> list[str]:
    """The cells of a `| a | b |` row, unescaped."""
    inner = line.strip()[1:-1]
    return [unescape_cell(c.strip()) for c in re.findall(r"((?:[^|\\]|\\.)*)\|", inner + "|")]


def parse_feature(path: Path) -> list[Scenario]:
    """The scenarios of a feature file, outlines expanded one per Examples row."""
    lines = path.read_text(encoding="utf-8").splitlines()
    feature = path.stem
    background: list[Step] = []
    out: list[Scenario] = []
    current: list[Step] | None = None
    name, outline, examples = "", False, []

    def finish():
        if current is None or current is background:
            return
        if not outline:
            out.append(Scenario(feature, name, background + current))
            return
        for table in examples:
            head = table[0]
            for row in table[1:]:
                sub = dict(zip(head, row, strict=False))

                def fill(s, sub=sub):
                    return None if s is None else re.sub(r"<(\w+)>", lambda m: sub.get(m.group(1), m.group(0)), s)

                steps = [Step(fill(st.text), fill(st.doc),
                              [[fill(c) for c in r] for r in st.table] if st.table else None) for st in current]
                out.append(Scenario(feature, f"{name} ({', '.join(f'{k}={v}' for k, v in sub.items())})",
                                    background + steps))

    i = 0
    while i < len(lines):
        raw = lines[i]
        line = raw.strip()
        i += 1
        if not line or line.startswith(("#", "@")):
            continue
        if line.startswith("Background:"):
            current = background
        elif line.startswith(("Scenario:", "Scenario Outline:")):
            finish()
            name, outline = line.split(":", 1)[1].strip(), line.startswith("Scenario Outline")
            examples, current = [], []
        elif line.startswith("Examples:"):
            table = []
            while i < len(lines) and lines[i].strip().startswith(("|", "#")):
                if lines[i].strip().startswith("|"):
                    table.append(_cells(lines[i]))
                i += 1
            examples.append(table)
        elif line.startswith('"""'):
            indent = len(raw) - len(raw.lstrip())
            doc = []
            while not lines[i].strip().startswith('"""'):
                doc.append(lines[i][indent:] if lines[i].strip() else "")
                i += 1
            i += 1
            current[-1].doc = "\n".join(doc)
        elif line.startswith("|"):
            table = [_cells(line)]
            while i < len(lines) and lines[i].strip().startswith("|"):
                table.append(_cells(lines[i]))
                i += 1
            current[-1].table = table
        elif line.split(" ", 1)[0] in ("Given", "When", "Then", "And", "But") and current is not None:
            current.append(Step(line.split(" ", 1)[1].rstrip(":").strip()))
    finish()
    return out


def query_writes(text: str) -> bool:
    """Whether a query has an updating clause (a write word where a clause can start)."""
    try:
        toks = lex(text)
    except QueryError:
        return False
    for i, t in enumerate(toks):
        if t.kind == "id" and t.val.upper() in WRITE_WORDS:
            prev = toks[i - 1] if i else None
            nxt = toks[i + 1]
            if prev is not None and prev.kind == "p" and prev.val in (".", ":", "|"):
                continue
            if nxt.kind == "p" and nxt.val == ":":  # a map key
                continue
            return True
    return False


def is_read(sc: Scenario) -> bool:
    return not any(st.text.startswith("executing") and query_writes(st.doc or "") for st in sc.steps)


# ------------------------------------------------------------------ graphs


class PlainView:
    """A property graph as the TCK writes it: node attrs {labels, props}, edge key (type, n)."""

    def labels(self, attrs):
        return tuple(attrs["labels"])

    def node_id(self, n, attrs):
        return None

    def node_properties(self, n, attrs):
        return dict(attrs["props"])

    def rel_type(self, key):
        return key[0]

    def rel_properties(self, attrs):
        return dict(attrs["props"])


def new_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.graph["next"] = 0
    return g


def engine(g: nx.MultiDiGraph) -> CypherEngine:
    return CypherEngine(g, PlainView())


class Untranslatable(Exception):
    """A setup this runner cannot build."""


def _segments(text: str) -> list[tuple[str, int, int]]:
    """The setup cut at its updating clauses: (kind, start, end) with kind 'read', 'CREATE' or 'DELETE'."""
    toks = lex(text)
    out: list[tuple[str, int, int]] = []
    depth, start, kind = 0, 0, "read"
    for i, t in enumerate(toks):
        if t.kind == "p" and t.val in "([{":
            depth += 1
        elif t.kind == "p" and t.val in ")]}":
            depth -= 1
        word = t.val.upper() if t.kind == "id" else None
        after_dot = i > 0 and toks[i - 1].kind == "p" and toks[i - 1].val in ".:"
        at_clause = depth == 0 and word is not None and not after_dot
        if t.kind == "eof" or (at_clause and word in ("CREATE", "DELETE", "DETACH", "MATCH", "OPTIONAL",
                                                      "WITH", "UNWIND")):
            boundary = t.kind == "eof" or word in ("CREATE", "DELETE", "DETACH") or kind != "read"
            if boundary:
                if t.s > start and text[start : t.s].strip():
                    out.append((kind, start, t.s))
                start = t.s
                if t.kind == "eof" or word not in ("CREATE", "DELETE", "DETACH"):
                    kind = "read"
                else:
                    kind = "CREATE" if word == "CREATE" else "DELETE"
    return out


def build(g: nx.MultiDiGraph, text: str, params: dict) -> None:
    """Apply a setup (CREATE clauses, with MATCH, UNWIND and WITH between them, and DELETE of
    matched relationships) to g: read parts run on the engine, CREATE adds to the graph once per row."""
    text = text.strip().rstrip(";")
    rows: list[dict] = [{}]
    scope: dict[str, str] = {}
    for kind, s, e in _segments(text):
        part = text[s:e]
        if kind == "read":
            try:
                comp = Compiler(engine(g), params, raw=True)
                run = comp.query(Parser(part).query(), scope, open_end=True)
                rows = list(run(rows))
            except QueryError as err:
                raise Untranslatable(f"setup part {part.strip()[:60]!r}: {err}") from None
            scope = comp.out_scope
        elif kind == "CREATE":
            for row in rows:
                _create(g, part, params, row, scope)
            for row in rows[:1]:
                scope = {**scope, **{k: "any" for k in row if k not in scope}}
        else:
            p = Parser(part)
            if p.word() == "DETACH":
                p.i += 1
            p.i += 1
            names = [p.name()]
            while p.accept_p(","):
                names.append(p.name())
            if p.peek().kind != "eof":
                raise Untranslatable(f"DELETE goes on with {p.describe(p.peek())}")
            for row in rows:
                for nm in names:
                    v = row.get(nm)
                    if type(v) is Rel and g.has_edge(v.u, v.v, v.k):
                        g.remove_edge(v.u, v.v, v.k)
                    elif type(v) is Node and v.k in g:
                        g.remove_node(v.k)


def _create(g: nx.MultiDiGraph, text: str, params: dict, row: dict, scope: dict) -> None:
    p = Parser(text)
    evaluator = Compiler(engine(g), params, raw=True)
    local = {**scope, **{k: "any" for k in row}}

    def value_map(props):
        out = {}
        for key, expr in props or ():
            try:
                v = evaluator.expr(expr, local)(row)
            except (QueryError, KeyError) as e:
                raise Untranslatable(f"property value {key}: {e}") from None
            if v is not None:
                out[key] = v
        return out

    def node(np):
        if np.var is not None and np.var in row:
            v = row[np.var]
            if type(v) is not Node:
                raise Untranslatable(f"{np.var} is not a node")
            return v.k
        n = g.graph["next"]
        g.graph["next"] += 1
        g.add_node(n, labels=list(np.labels), props=value_map(np.props))
        if np.var is not None:
            row[np.var] = Node(n)
            local[np.var] = "node"
        return n

    p.i += 1  # CREATE
    while True:
        try:
            path = p.pattern()
        except QueryError as e:
            raise Untranslatable(str(e)) from None
        nodes = [node(np) for np in path.nodes]
        rels = []
        for i, rp in enumerate(path.rels):
            if rp.hops is not None or not rp.types or len(rp.types) != 1 or rp.direction == "both":
                raise Untranslatable("a relationship pattern CREATE cannot make")
            u, v = nodes[i], nodes[i + 1]
            if rp.direction == "in":
                u, v = v, u
            key = (rp.types[0], g.graph["next"])
            g.graph["next"] += 1
            g.add_edge(u, v, key=key, props=value_map(rp.props))
            rels.append(Rel(u, v, key))
            if rp.var is not None:
                row[rp.var] = rels[-1]
                local[rp.var] = "rel"
        if path.name is not None:
            row[path.name] = PathValue(tuple(nodes), tuple(rels))
        if not p.accept_p(","):
            break
    if p.peek().kind != "eof":
        raise Untranslatable(f"CREATE goes on with {p.describe(p.peek())}")


# ------------------------------------------------------------------ values


class _ValueParser:
    """TCK result cells: null, booleans, numbers, 'strings', [lists], {maps}, (:nodes), [:rels], <paths>."""

    _NUMBER = re.compile(r"-?(?:NaN|Inf(?:inity)?|\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+"
                         r"|0x[0-9a-fA-F]+|\d+)|true|false|null")

    def __init__(self, text: str):
        self.s, self.i = text, 0

    def ws(self):
        while self.i < len(self.s) and self.s[self.i].isspace():
            self.i += 1

    def peek(self, k: str) -> bool:
        self.ws()
        return self.s.startswith(k, self.i)

    def take(self, k: str):
        if not self.peek(k):
            raise ValueError(f"expected {k!r} at {self.i} in {self.s!r}")
        self.i += len(k)

    def value(self) -> Any:
        self.ws()
        s, i = self.s, self.i
        if s.startswith("'", i):
            j, out = i + 1, []
            while s[j] != "'":
                if s[j] == "\\":
                    j += 1
                out.append(s[j])
                j += 1
            self.i = j + 1
            return ("str", "".join(out))
        if s.startswith("[:", i):
            return self.rel()
        if s.startswith("[", i):
            self.i += 1
            items = []
            while not self.peek("]"):
                items.append(self.value())
                if not self.peek("]"):
                    self.take(",")
            self.take("]")
            return ("list", tuple(items))
        if s.startswith("{", i):
            return ("map", self.props())
        if s.startswith("(", i):
            return self.node()
        if s.startswith("<", i):
            self.i += 1
            parts = [self.node()]
            while not self.peek(">"):
                left = self.peek("<-")
                self.take("<-" if left else "-")
                rel = self.rel()
                self.take("->" if not left else "-")
                parts.append((rel, "in" if left else "out"))
                parts.append(self.node())
            self.take(">")
            return ("path", tuple(parts))
        m = self._NUMBER.match(s, i)
        if m is None:
            raise ValueError(f"cannot read {s[i:]!r}")
        self.i = m.end()
        w = m.group(0)
        if w in ("true", "false"):
            return ("bool", w == "true")
        if w == "null":
            return ("null",)
        if "NaN" in w:
            return ("nan",)
        if "Inf" in w:
            return ("float", float("-inf" if w.startswith("-") else "inf"))
        if "0x" in w:
            return ("int", int(w, 16))
        if any(c in w for c in ".eE"):
            return ("float", float(w))
        return ("int", int(w))

    def props(self) -> tuple:
        self.take("{")
        out = []
        while not self.peek("}"):
            self.ws()
            m = re.compile(r"`?([^`:\s]+)`?\s*:").match(self.s, self.i)
            self.i = m.end()
            out.append((m.group(1), self.value()))
            if not self.peek("}"):
                self.take(",")
        self.take("}")
        return tuple(sorted(out))

    def labels(self) -> tuple:
        out = []
        while self.peek(":"):
            self.take(":")
            m = re.compile(r"`?([^`:\s{})\]]+)`?").match(self.s, self.i)
            self.i = m.end()
            out.append(m.group(1))
        return tuple(out)

    def node(self):
        self.take("(")
        labels = self.labels()
        props = self.props() if self.peek("{") else ()
        self.take(")")
        return ("node", tuple(sorted(labels)), props)

    def rel(self):
        self.take("[")
        types = self.labels()
        props = self.props() if self.peek("{") else ()
        self.take("]")
        return ("rel", types[0] if types else None, props)


def expected_value(text: str) -> Any:
    p = _ValueParser(text)
    v = p.value()
    p.ws()
    if p.i != len(text):
        raise ValueError(f"trailing text in {text!r}")
    return v


def actual_value(eng: CypherEngine, v: Any) -> Any:
    """An engine value in the form expected_value() gives (temporal values as the TCK writes
    them: their string form)."""
    t = type(v)
    if v is None:
        return ("null",)
    if t is bool:
        return ("bool", v)
    if t is int:
        return ("int", v)
    if t is float:
        return ("nan",) if v != v else ("float", v)
    if t is str:
        return ("str", v)
    if t is list:
        return ("list", tuple(actual_value(eng, x) for x in v))
    if t is dict:
        return ("map", tuple(sorted((k, actual_value(eng, x)) for k, x in v.items())))
    if t is Node:
        return ("node", tuple(sorted(eng.label_seq[v.k])), actual_value(eng, eng.node_props(v.k))[1])
    if t is Rel:
        return ("rel", eng.rtype(v.k), actual_value(eng, eng.rel_props(v.rid()))[1])
    if t is PathValue:
        parts = [actual_value(eng, Node(v.nodes[0]))]
        for i, r in enumerate(v.rels):
            parts.append((actual_value(eng, r), "out" if r.u == v.nodes[i] and r.v == v.nodes[i + 1] else "in"))
            parts.append(actual_value(eng, Node(v.nodes[i + 1])))
        return ("path", tuple(parts))
    if is_temporal(v):
        return ("str", temporal_string(v))
    return ("?", repr(v))


def unordered_lists(v: Any) -> Any:
    if v[0] == "list":
        return ("list", tuple(sorted((unordered_lists(x) for x in v[1]), key=repr)))
    if v[0] == "map":
        return ("map", tuple((k, unordered_lists(x)) for k, x in v[1]))
    return v


def _plain(v: Any) -> Any:
    kind = v[0]
    if kind == "null":
        return None
    if kind == "nan":
        return float("nan")
    if kind == "list":
        return [_plain(x) for x in v[1]]
    if kind == "map":
        return {k: _plain(x) for k, x in v[1]}
    if kind in ("node", "rel", "path"):
        raise ValueError("a graph element as a parameter")
    return v[1]


def _short(rows: Any) -> str:
    text = repr(rows)
    return text if len(text) < 200 else text[:197] + "..."


# ------------------------------------------------------------------ running


def run_scenario(sc: Scenario, driver: Any = None, graphs: Path | None = None) -> tuple[str, str]:
    """(status, detail), status one of STATUSES."""
    g = new_graph()
    params: dict[str, Any] = {}
    setups: list[str] = []
    result: Any = None
    expected_error = False
    for st in sc.steps:
        text = st.text
        if text in ("an empty graph", "any graph"):
            g, setups = new_graph(), []
        elif text.startswith("the ") and text.endswith(" graph"):
            name = text[4:-6]
            f = (graphs or Path()) / name / f"{name}.cypher"
            if not f.exists():
                return "setup not built", f"named graph {name} not found at {f}"
            setups.append(f.read_text(encoding="utf-8"))
        elif text == "having executed":
            setups.append(st.doc or "")
        elif text == "parameters are":
            try:
                params = {row[0]: _plain(expected_value(row[1])) for row in st.table or []}
            except ValueError as e:
                return "setup not built", f"parameters: {e}"
        elif text.startswith("there exists a procedure"):
            return "refused", "the embedded engine has no procedures (CALL)"
        elif text in ("executing query", "executing control query"):
            try:
                if driver is not None:
                    g = _neo4j_graph(driver, setups, params)
                else:
                    g = new_graph()
                    for s in setups:
                        build(g, s, params)
            except Untranslatable as e:
                return "setup not built", str(e)
            except Exception as e:  # noqa: BLE001 - a setup Neo4j refused, or a runner bug: reported
                return "setup not built", f"{type(e).__name__}: {e}"
            eng = engine(g)
            try:
                result = ("rows", eng.run(st.doc or "", params, raw=True), eng)
            except QueryError as e:
                msg = str(e)
                if msg.startswith("internal error"):
                    return "crash", msg
                result = ("error", msg, eng)
            except Exception as e:  # noqa: BLE001 - counted as a crash
                return "crash", f"{type(e).__name__}: {e}"
        elif text.startswith("the result should be"):
            if result[0] == "error":
                kind = "refused" if result[1].startswith("unsupported Cypher") else "false error"
                return kind, result[1]
            rows, eng = result[1], result[2]
            if text == "the result should be empty":
                if rows:
                    return "wrong", f"expected no rows, got {len(rows)}: {_short(rows[:3])}"
                continue
            head, body = st.table[0], st.table[1:]
            try:
                want = [tuple(expected_value(c) for c in r) for r in body]
            except (ValueError, AttributeError, IndexError) as e:
                return "setup not built", f"cannot read the expected table: {e}"
            if rows and list(rows[0]) != head:
                return "wrong", f"columns {list(rows[0])}, expected {head}"
            try:
                got = [tuple(actual_value(eng, r.get(h)) for h in head) for r in rows]
            except Exception as e:  # noqa: BLE001
                return "crash", f"reading the result: {type(e).__name__}: {e}"
            if "ignoring element order for lists" in text:
                want = [tuple(unordered_lists(x) for x in r) for r in want]
                got = [tuple(unordered_lists(x) for x in r) for r in got]
            same = want == got if "in order" in text else sorted(want, key=repr) == sorted(got, key=repr)
            if not same:
                return "wrong", f"expected {len(want)} rows, got {len(got)}: {_short(got)} instead of {_short(want)}"
        elif " should be raised " in text:
            if result is None:
                return "crash", "no query ran"
            if result[0] == "error":
                if result[1].startswith("unsupported Cypher"):
                    return "refused", result[1]
                expected_error = True
                continue
            got = f"got {len(result[1])} rows: {_short(result[1][:3])}"
            return "invalid accepted", f"expected {text.split(' should')[0]}, {got}"
        elif text in ("no side effects", "the side effects should be"):
            continue
        else:
            return "setup not built", f"step not handled: {text}"
    return "pass", "the expected error" if expected_error else ""


def _neo4j_graph(driver, setups: list[str], params: dict) -> nx.MultiDiGraph:
    """The graph of all setups run one after the other in Neo4j (each may hold several statements)."""
    statements = [s.strip() for text in setups for s in re.split(r";\s*(?:\n|$)", text) if s.strip()]
    with driver.session() as s:
        s.run("MATCH (n) DETACH DELETE n").consume()
        for text in statements:
            s.run(text, params).consume()
    return _copy(driver)


def _copy(driver) -> nx.MultiDiGraph:
    from mechgraph.cypher.temporal import from_driver

    g = new_graph()
    with driver.session() as s:
        ids = {}
        for rec in s.run("MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props"):
            n = g.graph["next"]
            g.graph["next"] += 1
            ids[rec["id"]] = n
            g.add_node(n, labels=list(rec["labels"]), props={k: from_driver(v) for k, v in rec["props"].items()})
        for rec in s.run("MATCH (a)-[r]->(b) RETURN elementId(a) AS a, elementId(b) AS b, type(r) AS t, properties(r) "
                         "AS props"):
            key = (rec["t"], g.graph["next"])
            g.graph["next"] += 1
            g.add_edge(ids[rec["a"]], ids[rec["b"]], key=key,
                       props={k: from_driver(v) for k, v in rec["props"].items()})
    return g


def run_all(features: Path, driver: Any = None, only: str | None = None, progress: bool = False):
    """Run every read scenario under `features`: (per-feature counts, not-passing list, write scenarios skipped)."""
    per_feature: dict[str, Counter] = {}
    details: list[tuple[str, str, str, str]] = []
    skipped = 0
    graphs = features.parent / "graphs"
    for path in sorted(features.rglob("*.feature")):
        rel = path.relative_to(features).as_posix()
        if only and not re.search(only, rel):
            continue
        counts = per_feature.setdefault(rel, Counter())
        t0 = time.monotonic()
        for sc in parse_feature(path):
            if not is_read(sc):
                skipped += 1
                counts["write"] += 1
                continue
            status, detail = run_scenario(sc, driver, graphs)
            counts[status] += 1
            if status == "pass" and detail:
                counts["pass (error)"] += 1
            if status != "pass":
                details.append((rel, sc.name, status, detail))
        if progress:
            print(f"{rel}: {dict(counts)} ({time.monotonic() - t0:.1f} s)", file=sys.stderr)
    return per_feature, details, skipped


def summary_line(total: Counter) -> str:
    return ", ".join(f"{total[s]} {s}" for s in STATUSES)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("features", type=Path,
                    help="the TCK's tck/features folder (from a checkout of opencypher/openCypher)")
    ap.add_argument("--out", type=Path, help="write the results as Markdown here (e.g. docs/tck-results.md)")
    ap.add_argument("--source", default="", help="where the features came from (repository and commit), for the report")
    ap.add_argument("--only", default=None, help="a regular expression: run only the feature files whose path matches")
    ap.add_argument("--neo4j", action="store_true",
                    help="build the setups in Neo4j (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD); "
                    "the default when NEO4J_URI is set")
    ap.add_argument("--no-neo4j", action="store_true",
                    help="build the setups with this runner's CREATE translation even when NEO4J_URI is set")
    ap.add_argument("--wipe", action="store_true",
                    help="with Neo4j: run even though the database holds nodes (it is emptied)")
    ap.add_argument("--progress", action="store_true", help="print each feature's counts as it finishes")
    args = ap.parse_args(argv)
    if not args.features.is_dir():
        print(f"TCK features folder {args.features} not found: clone https://github.com/opencypher/openCypher and "
              "pass its tck/features folder; skipping.")
        return 0
    driver = None
    if (args.neo4j or os.environ.get("NEO4J_URI")) and not args.no_neo4j:
        import neo4j

        uri = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")
        driver = neo4j.GraphDatabase.driver(uri, auth=(os.environ.get("NEO4J_USER", "neo4j"),
                                                       os.environ.get("NEO4J_PASSWORD", "")),
                                            notifications_min_severity="OFF")
        with driver.session() as s:  # each scenario empties the database: never one that holds a graph
            n = s.run("MATCH (n) RETURN count(n) AS n").single()["n"]
        if n and not args.wipe:
            driver.close()
            print(f"error: the database at {uri} holds {n} nodes; the TCK runner empties it for every scenario. "
                  "Point NEO4J_URI at a scratch server, pass --wipe to empty it anyway, or --no-neo4j.",
                  file=sys.stderr)
            return 2
    t0 = time.monotonic()
    try:
        per_feature, details, skipped = run_all(args.features, driver, args.only, args.progress)
    finally:
        if driver is not None:
            with driver.session() as s:  # leave the database as empty as it was found
                s.run("MATCH (n) DETACH DELETE n").consume()
            driver.close()
    total = sum(per_feature.values(), Counter())
    how = ("built in Neo4j and copied into the engine" if driver is not None
           else "built by the runner's CREATE translation")
    summary = (f"{sum(total[s] for s in STATUSES)} read scenarios: {summary_line(total)} ({skipped} write scenarios "
               f"not run; setups {how})")
    print(summary)
    for rel, name, status, detail in details:
        print(f"  {status:16} {rel} {name}: {detail[:240]}")
    print(f"({time.monotonic() - t0:.0f} s)")
    if args.out:
        args.out.write_text(_markdown(per_feature, details, summary, args.source), encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


def _markdown(per_feature: dict, details: list, summary: str, source: str) -> str:
    lines = [
        "# openCypher TCK: the embedded Cypher engine",
        "",
        "Written by `python -m tests.support.tck` (do not edit by hand). Every read scenario of every feature file of "
        "the",
        "TCK (one per Examples row of an outline) is run on the embedded Cypher engine over the scenario's graph.",
        f"Features from {source or 'the openCypher repository'}.",
        "",
        f"**{summary}.**",
        "",
        "Rows are compared as the TCK states them: as a multiset unless \"in order\", floats exactly, temporal",
        "values in Java's string form (the TCK's). A scenario that expects an error passes when the engine",
        "refuses the query with a QueryError other than \"unsupported Cypher\" (the engine does not name the",
        "error's TCK class); \"of which an error\" counts those. Write scenarios (an updating clause in the",
        "query) are not run: the embedded engine is read-only. Refused: the TCK's procedures (CALL); the",
        "embedded engine has none.",
        "",
        "Reproduce: `NEO4J_URI=bolt://... python -m tests.support.tck tck/features --wipe --out docs/tck-results.md`",
        "(or `--no-neo4j` to build the setups with the runner's own CREATE translation; same figures).",
        "",
        "| feature | pass | of which an error | " + " | ".join(STATUSES[1:]) + " | write (not run) |",
        "|---|" + "---:|" * (len(STATUSES) + 2),
    ]
    for rel, c in per_feature.items():
        lines.append(f"| {rel} | {c['pass']} | {c['pass (error)']} | " + " | ".join(str(c[s]) for s in STATUSES[1:])
                     + f" | {c['write']} |")
    total = sum(per_feature.values(), Counter())
    lines.append(f"| **total** | **{total['pass']}** | **{total['pass (error)']}** | "
                 + " | ".join(f"**{total[s]}**" for s in STATUSES[1:]) + f" | **{total['write']}** |")
    lines += ["", "## Scenarios that did not pass", "", "| feature | scenario | result | why |", "|---|---|---|---|"]
    for rel, name, status, detail in details:
        why = detail.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {Path(rel).stem} | {name.replace('|', chr(92) + '|').replace(chr(10), ' ')} | {status} | "
                     f"{why[:220]} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
