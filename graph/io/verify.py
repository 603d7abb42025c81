"""Checking a graph read from a file (`--from`) before anything uses it.

A file mechgraph wrote holds the types the seeds give; a file edited by hand or by another tool may
not. Every attribute the analyses, the stores and the pictures read is checked here against the
schema, so a wrong type is one `FILE:1: ...` line naming the node or edge, never a crash deep in
an analysis: kinds and relations from the schema, names as non-empty text, lists of text where
the seeds have them, whole numbers where they have numbers, and evidence as a non-empty list of
records whose level and support are the schema's (an unknown evidence level is refused, never
silently weighted as the weakest).
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from .. import schema
from ..errors import GraphFileError

MAX_PROBLEMS = 50
NODE_TEXT = ("name_zh", "description", "category", "modality", "seed_file", "registry_id", "title", "phase",
             "doi", "url", "journal", "citation", "origin", "locator", "design")
NODE_TEXT_LISTS = ("synonyms", "xrefs", "axes", "caveats", "authors", "cited_for", "designs", "conditions",
                   "interventions", "interventions_text", "refs", "reported_in")
NODE_NUMBERS = ("seed_line", "year", "table1_row", "enrollment")
EDGE_TEXT = ("context", "seed_file", "direction", "added_by")
EDGE_TEXT_LISTS = ("refs", "supports", "axes", "caveats")
RECORD_TEXT = ("ref", "doi", "support", "locator", "design", "level", "species", "summary", "model", "figures")
SIGNS = set(schema.SIGN_SYMBOLS.values())


RESERVED_NODE = ("node_for_adding",)  # networkx's own parameter names: writers that pass **attrs would break
RESERVED_EDGE = ("key", "u_for_edge", "v_for_edge", "source", "target")


def _in(v: Any, table: Any) -> bool:
    """`v in table` for text values only (a list or mapping is never a name)."""
    return isinstance(v, str) and v in table


def _is_text(v: Any) -> bool:
    return isinstance(v, str)


def _is_text_list(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def _is_whole(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _kind_of(v: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false", type(None): "empty",
            str: "text"}.get(type(v), type(v).__name__)


def check_graph(g: nx.MultiDiGraph, where: str) -> None:
    """Raise GraphFileError listing (at most MAX_PROBLEMS of) the problems of a graph read from `where`."""
    problems: list[str] = []

    def bad(msg: str) -> None:
        problems.append(f"{where}:1: {msg}")

    axes = g.graph.get("axes")
    if axes is not None and not (isinstance(axes, dict) and all(isinstance(a, dict) for a in axes.values())):
        bad("the graph's 'axes' must be a mapping of axis records")
    for n, a in g.nodes(data=True):
        if len(problems) >= MAX_PROBLEMS:
            break
        if not isinstance(n, str) or not n:
            bad(f"node {n!r}: its id must be non-empty text")
            continue
        if a.get("id", n) != n:
            bad(f"node {n!r}: its 'id' attribute is {a.get('id')!r}")
        kind = a.get("kind")
        if not _in(kind, schema.ENTITY_KINDS):
            bad(f"node {n!r} has unknown kind {kind!r}")
        if not isinstance(a.get("name"), str) or not a.get("name").strip():
            bad(f"node {n!r} has no name" if not a.get("name")
                else f"node {n!r}: 'name' must be text, not {_kind_of(a['name'])}")
        _check_fields(a, f"node {n!r}", NODE_TEXT, NODE_TEXT_LISTS, NODE_NUMBERS, bad)
        for key in RESERVED_NODE:
            if key in a:
                bad(f"node {n!r}: an attribute may not be called {key!r}")
        results = a.get("results")
        if results is not None and not (isinstance(results, list) and all(isinstance(r, dict) for r in results)):
            bad(f"node {n!r}: 'results' must be a list of mappings")
        a.setdefault("id", n)
    for u, v, k, a in g.edges(keys=True, data=True):
        if len(problems) >= MAX_PROBLEMS:
            break
        what = f"edge {u} -{k}-> {v}"
        if not _in(k, schema.RELATIONS):
            bad(f"{what} has unknown relation {k!r}")
            continue
        for key in RESERVED_EDGE:
            if key in a:
                bad(f"{what}: an attribute may not be called {key!r}")
        if a.get("relation", k) != k:
            bad(f"{what}: its 'relation' attribute is {a.get('relation')!r}")
        if "sign" in a and not _in(a["sign"], SIGNS):
            bad(f"{what}: 'sign' must be one of {', '.join(sorted(s for s in SIGNS))}, not {a['sign']!r}")
        _check_fields(a, what, EDGE_TEXT, EDGE_TEXT_LISTS, ("seed_line",), bad)
        if "level" in a and a["level"] is not None and not _in(a["level"], schema.EVIDENCE_LEVELS):
            bad(f"{what} has unknown evidence level {a['level']!r}; levels: {', '.join(schema.EVIDENCE_LEVELS)}")
        for s in a.get("supports") or [] if _is_text_list(a.get("supports")) else []:
            if s not in schema.SUPPORTS:
                bad(f"{what} has unknown support {s!r}; supports: {', '.join(schema.SUPPORTS)}")
        if a.get("direction") is not None and not _in(a["direction"], schema.ASSOCIATION_DIRECTIONS):
            bad(f"{what}: 'direction' must be one of {', '.join(schema.ASSOCIATION_DIRECTIONS)}")
        evidence = a.get("evidence")
        if not isinstance(evidence, list) or not evidence:
            bad(f"{what} has no evidence")
            continue
        for i, rec in enumerate(evidence):
            if not isinstance(rec, dict):
                bad(f"{what}: evidence record #{i} must be a mapping, not {_kind_of(rec)}")
                continue
            for key in RECORD_TEXT:
                if rec.get(key) is not None and not _is_text(rec[key]):
                    bad(f"{what}: evidence record #{i}: {key!r} must be text, not {_kind_of(rec[key])}")
            if rec.get("level") is not None and not _in(rec["level"], schema.EVIDENCE_LEVELS):
                bad(f"{what}: evidence record #{i} has unknown level {rec['level']!r}; levels: "
                    f"{', '.join(schema.EVIDENCE_LEVELS)}")
            if rec.get("support") is not None and not _in(rec["support"], schema.SUPPORTS):
                bad(f"{what}: evidence record #{i} has unknown support {rec['support']!r}; supports: "
                    f"{', '.join(schema.SUPPORTS)}")
            if rec.get("caveats") is not None and not _is_text_list(rec["caveats"]):
                bad(f"{what}: evidence record #{i}: 'caveats' must be a list of text")
    if problems:
        raise GraphFileError(problems[:MAX_PROBLEMS])


def _check_fields(a: dict[str, Any], what: str, text: tuple[str, ...], lists: tuple[str, ...], numbers: tuple[str, ...],
                  bad) -> None:
    for key in text:
        if a.get(key) is not None and not _is_text(a[key]):
            bad(f"{what}: {key!r} must be text, not {_kind_of(a[key])}")
    for key in lists:
        if a.get(key) is not None and not _is_text_list(a[key]):
            bad(f"{what}: {key!r} must be a list of text, not {_kind_of(a[key])}")
    for key in numbers:
        if a.get(key) is not None and not _is_whole(a[key]):
            bad(f"{what}: {key!r} must be a whole number, not {_kind_of(a[key])}")
