#!/usr/bin/env python3
"""Run the openCypher TCK scenarios for the embedded engine's newer features and write docs/tck-results.md.

The openCypher Technology Compatibility Kit describes Cypher's behaviour as Gherkin scenarios:
a graph built with CREATE, a query, and the expected table (or error). This runner takes the
feature files for variable-length patterns (clauses/match/Match4-6), path functions
(expressions/path), list quantifiers any/all/none/single (expressions/quantifier) and list
comprehensions (expressions/list/List12), builds each scenario's graph in a NetworkX
MultiDiGraph, runs the query on the embedded engine (mechgraph.cypher) and compares.

Each scenario (each Examples row of an outline) ends as
  pass     the rows (or the expected error) match;
  fail     the engine answered differently;
  refused  the engine refused the query as unsupported Cypher, or the setup uses more than the
           simple CREATE patterns this runner translates (counted apart).

The TCK is not vendored (it is fetched data, and CI has no network to GitHub): point the runner
at a checkout's features folder, e.g.
    git clone --depth 1 https://github.com/opencypher/openCypher /tmp/openCypher
    python scripts/tck.py /tmp/openCypher/tck/features --out docs/tck-results.md
Without the folder it says so and exits 0.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
from mechgraph.cypher import CypherEngine
from mechgraph.cypher.compiler import Compiler
from mechgraph.cypher.parser import Parser
from mechgraph.cypher.values import Node, Rel
from mechgraph.cypher.values import Path as PathValue
from mechgraph.errors import QueryError

FEATURES = [
    "clauses/match/Match4.feature",
    "clauses/match/Match5.feature",
    "clauses/match/Match6.feature",
    "expressions/path/Path1.feature",
    "expressions/path/Path2.feature",
    "expressions/path/Path3.feature",
    *(f"expressions/quantifier/Quantifier{i}.feature" for i in range(1, 13)),
    "expressions/list/List12.feature",
]


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


def _cells(line: str) -> list[str]:
    """The cells of a `| a | b |` row; `\\|` is a literal bar."""
    inner = line.strip()[1:-1]
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", inner)]


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
                sub = dict(zip(head, row))

                def fill(s, sub=sub):
                    return None if s is None else re.sub(r"<(\w+)>", lambda m: sub.get(m.group(1), m.group(0)), s)

                steps = [Step(fill(st.text), fill(st.doc), [[fill(c) for c in r] for r in st.table] if st.table else None) for st in current]
                out.append(Scenario(feature, f"{name} ({', '.join(f'{k}={v}' for k, v in sub.items())})", background + steps))

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
            name, outline, examples, current = line.split(":", 1)[1].strip(), line.startswith("Scenario Outline"), [], []
        elif line.startswith("Examples:"):
            table = []
            while i < len(lines) and lines[i].strip().startswith("|"):
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


# ------------------------------------------------------------------ graphs from CREATE


class PlainView:
    """A property graph as the TCK writes it: node attrs {labels, props}, edge key (type, n)."""

    def labels(self, attrs):
        return tuple(attrs["labels"])

    def node_id(self, n, attrs):
        return attrs["props"].get("id")

    def node_properties(self, n, attrs):
        return dict(attrs["props"])

    def rel_type(self, key):
        return key[0]

    def rel_properties(self, attrs):
        return dict(attrs["props"])


class Untranslatable(Exception):
    """A setup this runner cannot build (anything beyond CREATE of literal patterns)."""


def create(g: nx.MultiDiGraph, text: str, params: dict) -> None:
    """Apply a setup `[MATCH ...] CREATE pattern, ... [CREATE ...]` to g: the MATCH part runs on
    the engine, and the CREATE part once per row it gives (properties may use its variables)."""
    p = Parser(text)
    while p.peek().kind != "eof" and p.word() != "CREATE":
        p.i += 1
    if p.peek().kind == "eof":
        raise Untranslatable("setup has no CREATE")
    start = p.i
    eng = CypherEngine(g, PlainView())
    rows: list[dict] = [{}]
    if p.toks[start].s > 0:
        try:
            rows = eng.run(text[: p.toks[start].s] + " RETURN *", params, raw=True)
        except QueryError as e:
            raise Untranslatable(f"setup before CREATE: {e}") from None
    for row in rows:
        p.i = start
        _create_from(p, g, eng, params, row)


def _create_from(p: Parser, g: nx.MultiDiGraph, eng: CypherEngine, params: dict, row: dict) -> None:
    evaluator = Compiler(eng, params)
    scope = {k: "any" for k in row}
    bound: dict[str, Any] = {k: v.k for k, v in row.items() if type(v) is Node}

    def value_map(props):
        out = {}
        for key, expr in props or ():
            try:
                v = evaluator.expr(expr, scope)(row)
            except (QueryError, KeyError) as e:
                raise Untranslatable(f"property value {key}: {e}") from None
            if v is not None:
                out[key] = v
        return out

    def node(np):
        if np.var is not None and np.var in bound:
            return bound[np.var]
        n = len(g)
        g.add_node(n, labels=list(np.labels), props=value_map(np.props))
        if np.var is not None:
            bound[np.var] = n
        return n

    while p.word() == "CREATE":
        p.i += 1
        while True:
            try:
                path = p.pattern()
            except QueryError as e:
                raise Untranslatable(str(e)) from None
            nodes = [node(np) for np in path.nodes]
            for i, rp in enumerate(path.rels):
                if rp.hops is not None or not rp.types or len(rp.types) != 1 or rp.direction == "both":
                    raise Untranslatable("relationship pattern CREATE cannot make")
                u, v = nodes[i], nodes[i + 1]
                if rp.direction == "in":
                    u, v = v, u
                g.add_edge(u, v, key=(rp.types[0], g.number_of_edges()), props=value_map(rp.props))
            if not p.accept_p(","):
                break
    if p.peek().kind != "eof":
        raise Untranslatable(f"setup goes on with {p.describe(p.peek())}")


# ------------------------------------------------------------------ values


class _ValueParser:
    """TCK result cells: null, booleans, numbers, 'strings', [lists], {maps}, (:nodes), [:rels], <paths>."""

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
            return self.rel()[0]
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
                rel = self.rel()[0]
                self.take("->" if not left else "-")
                parts.append((rel, "in" if left else "out"))
                parts.append(self.node())
            self.take(">")
            return ("path", tuple(parts))
        m = re.compile(r"-?(?:NaN|Inf(?:inity)?|\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|0x[0-9a-fA-F]+|\d+)|true|false|null").match(s, i)
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
        return ("rel", types[0] if types else None, props), None


def expected_value(text: str) -> Any:
    p = _ValueParser(text)
    v = p.value()
    p.ws()
    if p.i != len(text):
        raise ValueError(f"trailing text in {text!r}")
    return v


def actual_value(eng: CypherEngine, v: Any) -> Any:
    """An engine value in the form expected_value() gives."""
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
    return ("?", repr(v))


def unordered_lists(v: Any) -> Any:
    if v[0] == "list":
        return ("list", tuple(sorted((unordered_lists(x) for x in v[1]), key=repr)))
    if v[0] == "map":
        return ("map", tuple((k, unordered_lists(x)) for k, x in v[1]))
    return v


# ------------------------------------------------------------------ running


def run_scenario(sc: Scenario) -> tuple[str, str]:
    """('pass' | 'fail' | 'refused' | 'refused-setup', detail)."""
    g = nx.MultiDiGraph()
    params: dict[str, Any] = {}
    result: Any = None
    for st in sc.steps:
        text = st.text
        if text in ("an empty graph", "any graph"):
            g = nx.MultiDiGraph()
        elif text == "having executed":
            try:
                create(g, st.doc or "", params)
            except Untranslatable as e:
                return "refused-setup", str(e)
        elif text == "parameters are":
            params = {row[0]: _plain(expected_value(row[1])) for row in st.table or []}
        elif text in ("executing query", "executing control query"):
            eng = CypherEngine(g, PlainView())
            try:
                result = ("rows", eng.run(st.doc or "", params, raw=True), eng)
            except QueryError as e:
                result = ("error", str(e), eng)
        elif text.startswith("the result should be"):
            if result[0] == "error":
                kind = "refused" if result[1].startswith("unsupported Cypher") else "fail"
                return kind, result[1]
            rows, eng = result[1], result[2]
            if text == "the result should be empty":
                return ("pass", "") if not rows else ("fail", f"expected no rows, got {len(rows)}")
            head, body = st.table[0], st.table[1:]
            try:
                want = [tuple(expected_value(c) for c in r) for r in body]
            except (ValueError, AttributeError) as e:
                return "refused-setup", f"cannot read the expected table: {e}"
            got = [tuple(actual_value(eng, r.get(h)) if h in r else ("missing",) for h in head) for r in rows]
            if "ignoring element order for lists" in text:
                want = [tuple(unordered_lists(x) for x in r) for r in want]
                got = [tuple(unordered_lists(x) for x in r) for r in got]
            same = want == got if "in order" in text else sorted(want, key=repr) == sorted(got, key=repr)
            if rows and list(rows[0]) != head:
                return "fail", f"columns {list(rows[0])}, expected {head}"
            if not same:
                return "fail", f"expected {len(want)} rows, got {len(got)}: {_short(got)} instead of {_short(want)}"
        elif " should be raised " in text:
            if result is None:
                return "fail", "no query ran"
            if result[0] == "error":
                return ("refused", result[1]) if result[1].startswith("unsupported Cypher") else ("pass-error", result[1])
            return "fail", f"expected {text.split(' should')[0]}, got {len(result[1])} rows"
        elif text in ("no side effects", "the side effects should be"):
            continue
        else:
            return "refused-setup", f"step not handled: {text}"
    return "pass", ""


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
    return v[1]


def _short(rows: list) -> str:
    text = repr(rows)
    return text if len(text) < 160 else text[:157] + "..."


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("features", type=Path, help="the TCK's tck/features folder (from a checkout of opencypher/openCypher)")
    ap.add_argument("--out", type=Path, help="write the results as Markdown here (e.g. docs/tck-results.md)")
    ap.add_argument("--source", default="", help="where the features came from (repository and commit), for the report")
    args = ap.parse_args(argv)
    if not args.features.is_dir():
        print(f"TCK features folder {args.features} not found: clone https://github.com/opencypher/openCypher and "
              "pass its tck/features folder; skipping.")
        return 0
    per_feature: dict[str, Counter] = {}
    details: list[tuple[str, str, str, str]] = []
    for rel in FEATURES:
        path = args.features / rel
        if not path.exists():
            print(f"missing {rel}; skipped")
            continue
        counts = per_feature.setdefault(rel, Counter())
        for sc in parse_feature(path):
            status, detail = run_scenario(sc)
            counts[status] += 1
            if status == "pass-error":
                counts["pass"] += 1
            elif status != "pass":
                details.append((rel, sc.name, status, detail))
    total = sum(per_feature.values(), Counter())
    summary = (f"{total['pass']} pass ({total['pass-error']} of them expected an error and got one), {total['fail']} fail, "
               f"{total['refused']} refused by the engine, {total['refused-setup']} refused by this runner (setup it cannot build)")
    print(summary)
    for rel, name, status, detail in details:
        print(f"  {status:13} {rel} {name}: {detail[:200]}")
    if args.out:
        args.out.write_text(_markdown(per_feature, details, summary, args.source), encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


def _markdown(per_feature: dict, details: list, summary: str, source: str) -> str:
    lines = [
        "# openCypher TCK: the embedded engine's variable-length patterns, paths and list predicates",
        "",
        "Written by `scripts/tck.py` (do not edit by hand). Each scenario of the feature files below, one per",
        "Examples row of an outline, is built as a NetworkX graph and run on the embedded Cypher engine.",
        f"Features from {source or 'the openCypher repository'}.",
        "",
        f"**{summary}.**",
        "",
        "A scenario that expects an error passes when the engine refuses the query with a QueryError other",
        "than \"unsupported Cypher\" (the engine does not tell a SyntaxError from a TypeError).",
        "",
        "| feature | pass | of which an error | fail | refused (engine) | refused (setup) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for rel, c in per_feature.items():
        lines.append(f"| {rel} | {c['pass']} | {c['pass-error']} | {c['fail']} | {c['refused']} | {c['refused-setup']} |")
    lines += ["", "## Scenarios that did not pass", "", "| feature | scenario | result | why |", "|---|---|---|---|"]
    for rel, name, status, detail in details:
        why = detail.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {Path(rel).stem} | {name.replace('|', chr(92) + '|')} | {status} | {why[:220]} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
