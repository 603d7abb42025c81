"""Choosing what a picture shows: a neighbourhood, an axis, paths in context, filters; and when it is too dense."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Any

import networkx as nx

from .. import edges as edge_meaning
from .. import schema
from ..errors import MechGraphError
from .style import DENSE_EDGES, DENSE_NODES, DENSE_RATIO

# --------------------------------------------------------------------------------------------
# Selecting the part to draw
# --------------------------------------------------------------------------------------------


def _check_values(what: str, given: Iterable[str], valid: Iterable[str], plural: str | None = None) -> None:
    valid = list(valid)
    for v in given:
        if v not in valid:
            listed = ", ".join(valid) if valid else "(none)"
            raise MechGraphError(f"unknown {what} {v!r}; valid {plural or what + 's'}: {listed}")


def _hops(g: nx.MultiDiGraph, start: Iterable[Any], depth: int) -> set[Any]:
    """Nodes within `depth` hops of any start node, ignoring edge direction."""
    seen = set(start)
    frontier = deque((n, 0) for n in seen)
    while frontier:
        n, d = frontier.popleft()
        if d >= depth:
            continue
        for m in _neighbours(g, n):
            if m not in seen:
                seen.add(m)
                frontier.append((m, d + 1))
    return seen


def _neighbours(g: nx.MultiDiGraph, n: Any) -> Iterable[Any]:
    yield from g.successors(n)
    yield from g.predecessors(n)


def select_subgraph(
    g: nx.MultiDiGraph,
    *,
    around: str | None = None,
    depth: int = 1,
    kinds: list[str] | None = None,
    relations: list[str] | None = None,
    min_level: str | None = None,
    axis: str | None = None,
    paths: list[list[tuple[str, str, str]]] | None = None,
    path_context: int = 1,
    supports: list[str] | None = None,
) -> nx.MultiDiGraph:
    """The part of `g` a picture should show.

    Selectors (each narrows the node set; combined, they intersect):
      around  -- the node and everything within `depth` hops of it, ignoring direction;
      axis    -- nodes tagged with the axis, plus the endpoints of edges tagged with it; edges
                 tagged with the axis, plus untagged edges joining two such nodes;
      paths   -- the path edges and nodes, plus `path_context` hops around the path nodes.
    Filters (applied to what the selectors kept):
      kinds     -- keep only nodes of these kinds;
      relations -- keep only edges of these relations;
      min_level -- keep only edges whose best evidence level is at least this strong;
      supports  -- keep only edges with at least one evidence record of these supports
                   (review_text, reference_title, curator, hypothesis).
    A node left without edges by the edge filters (relations, min_level, supports) is dropped too, unless
    it is the `around` node or on a path. Path nodes and edges are never filtered out.
    Unknown kind, relation, level, axis or node -> MechGraphError listing the valid values.
    """
    if isinstance(kinds, str):
        kinds = [kinds]
    if isinstance(relations, str):
        relations = [relations]
    if kinds is not None:
        _check_values("kind", kinds, schema.ENTITY_KINDS)
    if relations is not None:
        _check_values("relation", relations, schema.RELATIONS)
    if min_level is not None:
        _check_values("level", [min_level], schema.EVIDENCE_LEVELS)
    if axis is not None:
        known_axes = set(g.graph.get("axes") or {})
        known_axes |= {a for _, d in g.nodes(data=True) for a in d.get("axes") or []}
        known_axes |= {a for *_, d in g.edges(keys=True, data=True) for a in d.get("axes") or []}
        _check_values("axis", [axis], sorted(known_axes), "axes")
    if depth < 0 or path_context < 0:
        raise MechGraphError("depth and path_context must be 0 or more")

    nodes: set[Any] = set(g.nodes)
    edges: set[tuple[Any, Any, Any]] = set(g.edges(keys=True))
    keep_nodes: set[Any] = set()  # exempt from the filters
    keep_edges: set[tuple[Any, Any, Any]] = set()

    if around is not None:
        if around not in g:
            raise MechGraphError(f"no node with id {around!r}")
        nodes &= _hops(g, [around], depth)
        keep_nodes.add(around)

    if axis is not None:
        tagged_edges = {(u, v, k) for u, v, k, d in g.edges(keys=True, data=True) if axis in (d.get("axes") or [])}
        tagged_nodes = {n for n, d in g.nodes(data=True) if axis in (d.get("axes") or [])}
        axis_nodes = tagged_nodes | {u for u, _, _ in tagged_edges} | {v for _, v, _ in tagged_edges}
        untagged_inside = {
            (u, v, k)
            for u, v, k, d in g.edges(keys=True, data=True)
            if not d.get("axes") and u in tagged_nodes and v in tagged_nodes
        }
        nodes &= axis_nodes
        edges &= tagged_edges | untagged_inside

    if paths:
        path_edges: set[tuple[Any, Any, Any]] = set()
        for path in paths:
            for step in path:
                if len(step) != 3:
                    raise MechGraphError(f"a path step must be (source, target, relation), got {step!r}")
                u, v, k = step
                if not g.has_edge(u, v, key=k):
                    raise MechGraphError(f"the graph has no edge {u} -{k}-> {v}")
                path_edges.add((u, v, k))
        path_nodes = {u for u, _, _ in path_edges} | {v for _, v, _ in path_edges}
        nodes &= _hops(g, path_nodes, path_context)
        nodes |= path_nodes
        keep_nodes |= path_nodes
        keep_edges |= path_edges

    if kinds is not None:
        wanted = set(kinds)
        nodes = {n for n in nodes if n in keep_nodes or g.nodes[n].get("kind") in wanted}

    edges = {(u, v, k) for u, v, k in edges if u in nodes and v in nodes}
    before = {x for u, v, _ in edges for x in (u, v)}
    if relations is not None:
        wanted_rel = set(relations)
        edges = {e for e in edges if e in keep_edges or g.edges[e].get("relation", e[2]) in wanted_rel}
    if min_level is not None:
        floor = schema.EVIDENCE_LEVELS[min_level]
        edges = {
            e
            for e in edges
            if e in keep_edges or schema.EVIDENCE_LEVELS.get(g.edges[e].get("level", ""), 0) >= floor
        }
    if supports is not None:
        wanted_support = set(supports)
        edges = {e for e in edges if e in keep_edges or wanted_support & set(edge_meaning.edge_supports(g.edges[e]))}
    edges |= keep_edges
    if relations is not None or min_level is not None or supports is not None:
        after = {x for u, v, _ in edges for x in (u, v)}
        nodes -= (before - after) - keep_nodes

    sub = nx.MultiDiGraph()
    sub.graph.update(g.graph)
    for n, d in sorted(g.nodes(data=True), key=lambda nd: str(nd[0])):  # the store's order must not move the picture
        if n in nodes:
            sub.add_node(n, **d)
    for u, v, k, d in sorted(g.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2]))):
        if (u, v, k) in edges:
            sub.add_edge(u, v, key=k, **d)
    return sub


# --------------------------------------------------------------------------------------------
# Density
# --------------------------------------------------------------------------------------------


def density_warning(g: nx.MultiDiGraph) -> str | None:
    """One line saying the picture will be too dense to read, or None."""
    n, m = g.number_of_nodes(), g.number_of_edges()
    hint = "narrow it: around one node, by kind, relation, evidence level or axis"
    if n > DENSE_NODES:
        return f"{n} nodes and {m} edges are too many to read in one picture; {hint}"
    if m > DENSE_EDGES:
        return f"{m} edges are too many to read in one picture; {hint}"
    if n >= 20 and m / n > DENSE_RATIO:
        return f"{m / n:.1f} edges per node make a tangle that is hard to read; {hint}"
    return None
