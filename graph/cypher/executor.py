"""Executor of the embedded Cypher engine: `CypherEngine` holds the graph views and runs queries.

It builds the label and id indexes once per graph, presents nodes and relationships with the
properties Neo4j would hold (`mechgraph.props`), matches patterns by backtracking from the most
selective node, and turns results into plain values.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import QueryError
from .compiler import CMatch, CNode, Compiler, CPath, CRel
from .limits import NO_LIMITS, Guard, QueryLimits
from .parser import parse
from .temporal import TEMPORAL_TYPES, component, from_python
from .values import INT_MAX, INT_MIN, Node, Path, Rel, equals, mismatch, truth

_UNGUARDED = Guard(NO_LIMITS)  # outside run(): the compiler used directly (tests, the TCK runner's setups)


def param_value(name: str, v: Any, depth: int = 0) -> Any:
    """A parameter as a Cypher value (tuples become lists); refuses types Neo4j cannot take."""
    if depth > 100:
        raise QueryError(f"parameter ${name} is nested too deeply")
    if v is None or type(v) in (bool, str, float):
        return v
    if isinstance(v, bool):
        return bool(v)
    if isinstance(v, int):
        if not INT_MIN <= v <= INT_MAX:
            raise QueryError(f"parameter ${name} is too large for a 64-bit integer")
        return int(v)
    if isinstance(v, float):
        return float(v)
    if isinstance(v, str):
        return str(v)
    if isinstance(v, (list, tuple)):
        return [param_value(name, x, depth + 1) for x in v]
    if isinstance(v, dict):
        if not all(isinstance(k, str) for k in v):
            raise QueryError(f"parameter ${name}: map keys must be strings")
        return {k: param_value(name, x, depth + 1) for k, x in v.items()}
    if type(v) in TEMPORAL_TYPES:
        return v
    t = from_python(v)
    if type(t) in TEMPORAL_TYPES:
        return t
    raise QueryError(f"parameter ${name} has an unsupported type {type(v).__name__}")


class MechGraphView:
    """How the mechanism graph looks to Cypher: the labels, types and properties it has in Neo4j
    (`mechgraph.props`). Another view lets the engine run over other property graphs (the
    openCypher TCK runner in scripts/ uses one)."""

    def __init__(self):
        from .. import props

        self.props = props
        self._labels: dict = {}

    def labels(self, attrs: dict) -> tuple:
        kind = attrs.get("kind")
        seq = self._labels.get(kind)
        if seq is None:
            try:
                seq = tuple(self.props.node_labels(kind))
            except (KeyError, TypeError):
                seq = ("Entity",)
            self._labels[kind] = seq
        return seq

    def node_id(self, n, attrs: dict) -> Any:
        return attrs.get("id", n)

    def node_properties(self, n, attrs: dict) -> dict:
        p = self.props.to_properties(attrs)
        if "id" not in p:
            p["id"] = n
        return p

    def rel_type(self, key) -> str:
        try:
            return self.props.rel_type(key)
        except (KeyError, TypeError):
            return str(key).upper()

    def rel_properties(self, attrs: dict) -> dict:
        return self.props.edge_properties(attrs)


class CypherEngine:
    """Runs the read-only Cypher subset over one MultiDiGraph; builds its indexes once.

    The graph must not change while the engine is in use (property views are cached).
    `view` says how nodes and edges appear as labels, types and properties (default: as loaded
    into Neo4j, `MechGraphView`).
    """

    def __init__(self, g, view: Any = None):
        self.view = view or MechGraphView()
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
        label_sets: dict[tuple, frozenset] = {}
        view = self.view
        for n, attrs in self.nattr.items():
            seq = view.labels(attrs)
            ls = label_sets.get(seq)
            if ls is None:
                ls = label_sets[seq] = frozenset(seq)
            self.label_seq[n] = seq
            self.labels[n] = ls
            for lab in seq:
                self.label_index.setdefault(lab, []).append(n)
            pid = view.node_id(n, attrs)
            if type(pid) is str:
                self.id_index.setdefault(pid, []).append(n)
        self.n_nodes = len(self.nattr)
        self.clock_ns: int | None = None
        self.guard: Guard = _UNGUARDED

    # ----- graph views
    def node_props(self, n) -> dict:
        p = self._nprops.get(n)
        if p is None:
            p = self._nprops[n] = self.view.node_properties(n, self.nattr[n])
        return p

    def rel_props(self, rid: tuple) -> dict:
        p = self._rprops.get(rid)
        if p is None:
            u, v, k = rid
            p = self._rprops[rid] = self.view.rel_properties(self.succ[u][v][k])
        return p

    def rtype(self, k) -> str:
        t = self._rtypes.get(k)
        if t is None:
            t = self._rtypes[k] = self.view.rel_type(k)
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
        if t in TEMPORAL_TYPES:
            return component(v, key)
        raise mismatch("a Node, Relationship, Map or temporal value", v, f"property access .{key}")

    def index(self, c: Any, i: Any) -> Any:
        if c is None or i is None:
            return None
        tc = type(c)
        if tc is list:
            if type(i) is not int:
                raise mismatch("Integer", i, "a list index")
            return c[i] if -len(c) <= i < len(c) else None
        if tc in (dict, Node, Rel) or tc in TEMPORAL_TYPES:
            if type(i) is not str:
                raise mismatch("String", i, "a property key")
            return self.prop(c, i)
        raise mismatch("a List, Map, Node or Relationship", c, "an index")

    # ----- running
    def run(self, text: str, params: dict[str, Any] | None = None, *, raw: bool = False,
            limits: QueryLimits | None = None) -> list[dict[str, Any]]:
        """Run one read-only Cypher query; rows are dicts keyed by Neo4j's column names.

        Nodes, relationships and paths come back as plain data (`values.out_value`), or, with
        `raw`, as the engine's own Node, Rel and Path values. `limits` bounds the query's time
        and memory (default: `limits.DEFAULT_LIMITS`, 10 s and 1024 MB)."""
        if not isinstance(text, str):
            raise QueryError("the query must be a string")
        if params is not None and not isinstance(params, dict):
            raise QueryError("query parameters must be a mapping of names to values")
        guard = Guard(limits)
        try:
            with guard:
                self.guard = guard
                self.clock_ns = time.time_ns()  # the statement's instant: date() and datetime() agree within a query
                ps = {str(k): param_value(str(k), v) for k, v in (params or {}).items()}
                clauses = parse(text)
                run = Compiler(self, ps, raw=raw).query(clauses)
                return list(run())
        except QueryError as e:
            msg = str(e)
            if "\n" in msg or "\r" in msg:
                raise QueryError(msg.replace("\r", "\\r").replace("\n", "\\n")) from None
            raise
        except RecursionError:
            raise QueryError("query is nested too deeply for the embedded backend") from None
        except MemoryError:
            raise QueryError("query needs more memory than is available (its limit is --query-memory MB)") from None
        except Exception as e:  # a bug in this module: still one line for the user
            raise QueryError(f"internal error in the embedded Cypher engine: {type(e).__name__}: {e}") from e
        finally:
            self.guard = _UNGUARDED

    # ----- matching
    def _ids(self, val: Any) -> list | tuple | None:
        if type(val) is str:
            return self.id_index.get(val, ())
        if val is None:
            return ()
        return None

    def _start(self, b: dict, path: CPath, hints: dict):
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

    def _node_ok(self, n, cn: CNode, b: dict) -> bool:
        if cn.labels and not cn.labels <= self.labels[n]:
            return False
        if cn.checks:
            p = self.node_props(n)
            for key, f in cn.checks:
                if equals(p.get(key), f(b)) is not True:
                    return False
        return True

    def _rel_ok(self, rid: tuple, cr: CRel, b: dict) -> bool:
        p = self.rel_props(rid)
        for key, f in cr.checks:
            if equals(p.get(key), f(b)) is not True:
                return False
        return True

    def match_rows(self, row: dict, cm: CMatch) -> Iterator[dict]:
        """Every extension of `row` by a match of the compiled MATCH `cm`."""
        if cm.pre is not None and not truth(cm.pre(row)):
            return iter(())
        return self._match_paths(dict(row), cm, 0, set())

    def _match_paths(self, b: dict, cm: CMatch, pi: int, used: set) -> Iterator[dict]:
        if pi == len(cm.paths):
            for chk in cm.post:
                if not chk(b):
                    return
            if cm.where is not None and not truth(cm.where(b)):
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
        tick = self.guard.tick
        for n in cands:
            tick()
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
            if path.name is None:
                yield from self._match_paths(b, cm, pi + 1, used)
            else:
                b[path.name] = self._path_value(b, path, pos)
                yield from self._match_paths(b, cm, pi + 1, used)
                del b[path.name]
            return
        ri, frm, to, fwd = steps[si]
        cr: CRel = path.rels[ri]
        cn: CNode = path.nodes[to]
        u = pos[frm]
        if cr.hops is not None:
            yield from self._expand_hops(b, cm, pi, path, steps, si, pos, used, cr, cn, u, to, fwd)
            return
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
        tick = self.guard.tick
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
                    tick()
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


    def _expand_hops(self, b, cm, pi, path, steps, si, pos, used, cr, cn, u, to, fwd) -> Iterator[dict]:
        """A variable-length step: every trail of lo..hi relationships from u (hi None: no bound),
        no relationship twice and none already used in this MATCH, binding the relationship list
        in pattern order. A trail uses each relationship once, so even an unbounded one ends; the
        query's limits (`limits`) stop one that would take too long. The walk keeps its own stack,
        so a trail may be longer than Python's recursion limit."""
        lo, hi = cr.hops
        tvar, rvar = cn.var, cr.var
        tbound = tvar in b
        target = None
        if tbound:
            tv = b[tvar]
            if type(tv) is not Node:
                return
            target = tv.k
        d = cr.direction
        dirs = (True, False) if d == "both" else ((d == "out") == fwd,)
        types = cr.types
        rtype = self.rtype
        tick = self.guard.tick
        trail: list[tuple] = []
        rbound = rvar in b
        # an anonymous -[*]- outside a named path needs no list of its relationships (building one
        # at every node of a long trail would cost the square of its length)
        keep = not rbound and (not rvar.startswith("\x00") or path.name is not None or bool(cm.post))

        def arrive(x) -> Iterator[dict]:
            if (tbound and x != target) or not self._node_ok(x, cn, b):
                return
            if keep:
                rids = trail if fwd else trail[::-1]
                b[rvar] = [Rel(*r) for r in rids]
            if not tbound:
                b[tvar] = Node(x)
            pos[to] = x
            yield from self._expand(b, cm, pi, path, steps, si + 1, pos, used)
            if not tbound:
                del b[tvar]
            if keep:
                del b[rvar]

        def step_ok(rid) -> bool:
            if rid in used or (types is not None and rtype(rid[2]) not in types):
                return False
            return not (cr.checks and not self._rel_ok(rid, cr, b))

        if rbound:  # the list bound before: the trail must be exactly its relationships
            given = b[rvar]
            if (type(given) is not list or any(type(r) is not Rel for r in given)
                    or not lo <= len(given) <= (hi if hi is not None else len(given))):
                return
            x = u
            seq = given if fwd else given[::-1]
            for r in seq:
                tick()
                if True in dirs and r.u == x:
                    nxt = r.v
                elif False in dirs and r.v == x:
                    nxt = r.u
                else:
                    return
                rid = r.rid()
                if rid in trail or not step_ok(rid):
                    return
                trail.append(rid)
                x = nxt
            for rid in trail:
                used.add(rid)
            yield from arrive(x)
            for rid in trail:
                used.discard(rid)
            return

        def neighbours(x) -> Iterator[tuple]:
            for outward in dirs:
                for v, kd in (self.succ if outward else self.pred)[x].items():
                    if d == "both" and not outward and v == x:
                        continue  # a self-loop is one relationship, met once
                    for k in kd:
                        tick()
                        rid = (x, v, k) if outward else (v, x, k)
                        if step_ok(rid):
                            yield v, rid

        if lo == 0:
            yield from arrive(u)
        if hi == 0:
            return
        stack = [neighbours(u)]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                if trail:
                    used.discard(trail.pop())
                continue
            v, rid = nxt
            used.add(rid)
            trail.append(rid)
            if len(trail) >= lo:
                yield from arrive(v)
            if hi is None or len(trail) < hi:
                stack.append(neighbours(v))
            else:
                trail.pop()
                used.discard(rid)

    def _path_value(self, b: dict, path: CPath, pos: list) -> Path:
        """The matched path in pattern order; the inner nodes of variable-length steps follow
        from their relationships."""
        nodes = [pos[0]]
        rels: list = []
        for i, cr in enumerate(path.rels):
            r = b[cr.var]
            if cr.hops is None:
                rels.append(r)
                nodes.append(pos[i + 1])
                continue
            cur = nodes[-1]
            for rel in r:
                cur = rel.v if rel.u == cur else rel.u
                rels.append(rel)
                nodes.append(cur)
        return Path(tuple(nodes), tuple(rels))


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
