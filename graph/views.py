"""The views `mechgraph viz` draws: the map, a neighbourhood, paths in context; named and titled.

This is the application side of the pictures, above `viz`: `draw(backend, ...)` resolves the
names a person typed (once), fetches the part of the graph the view needs (only a region from a
BoundedBackend, Neo4j), asks `path` its question (the same search as `mechgraph path`: the 5
best, at most 6 steps, unless told otherwise; toward a therapy, where the entity meets its
mechanism of action), cuts the part to show, titles it, and hands `viz` a graph to draw;
`draw_overlay` draws the graph coloured by expression data (`overlay -o`). `viz` itself draws
what it is given and knows nothing of stores, names or analyses.

A path picture is titled by what `path` concluded (`path_title`, the one place that turns a
`PathAnswer` into words): where the entity meets the therapy and whether it works with or
against it, is its effector or target; "only shared outcomes"; "no mechanistic meeting point";
for a directed question, whether the paths raise or lower the target. Other titles use entity
names ("around THBS2+ cancer-associated fibroblast"). Without `output` the picture is written to
`mechgraph-<view>.<format>` in the current folder.

What each view leaves out by default: publications (`publications=True` brings them back); on
the whole map also clinical trials, as in the map `mechgraph build` writes (`kinds` chooses
explicitly). `supports` keeps an edge when any of its evidence records has one of the chosen
supports (review_text, reference_title, curator, hypothesis, database), the rule the analyses use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from . import schema
from .analysis.bounded import find_paths_in
from .analysis.paths import DEFAULT_K as PATH_K  # the same defaults as `mechgraph path`
from .analysis.paths import DEFAULT_MAX_LEN as PATH_MAX_LEN
from .analysis.paths import PathAnswer, PathOptions, SignedPath, find_paths, path_ids
from .edges import SIGN_VERB, SUPPORTS, parse_support
from .errors import MechGraphError
from .store.entities import resolve
from .store.protocol import Backend, BoundedBackend
from .viz import FORMATS, density_warning, select_subgraph, write_picture

MAP_LEAVES_OUT = ("publication", "clinical_trial")
MAP_TITLE = "GCPM immunology mechanism map"


@dataclass
class Drawn:
    """A written picture: where, what it shows, and a warning when it is too dense to read."""

    path: Path
    title: str
    nodes: int
    edges: int
    warning: str | None = None


def picture_format(output: str | Path | None) -> str:
    """The format a picture is written in when none is given: svg or png by the file's ending, else html."""
    suffix = Path(output or "").suffix.lower().lstrip(".")
    return suffix if suffix in ("svg", "png") else "html"


def draw_overlay(g: nx.MultiDiGraph, overlay: Any, output: str | Path, data: str | Path) -> Path:
    """`overlay -o`: the graph coloured by an overlay of expression data (mechgraph.omics) as an HTML page."""
    from .omics import annotate

    title = f"mechgraph overlay: {Path(data).name}"
    return write_picture(annotate(g, overlay), Path(output), "html", title=title)


def default_name(view: str, *ids: str, fmt: str = "html") -> str:
    """`mechgraph-map.html`, `mechgraph-around-thbs2_caf.html`, `mechgraph-path-a-b.png`."""
    parts = [view, *ids]
    return "mechgraph-" + "-".join(re.sub(r"[^A-Za-z0-9_.]+", "_", p).strip("_") or "x" for p in parts) + "." + fmt


# --------------------------------------------------------------------------------------------
# What `path` concluded, in words
# --------------------------------------------------------------------------------------------



def path_title(answer: PathAnswer) -> str:
    """The title of a path picture: the verdict of `path` on the question, in one line.

    A mechanism question (toward a therapy) is titled by `PathAnswer.verdict()`, the line `path`
    itself prints: where the two meet and how (works with, against, is its effector or target,
    through which member of a class), what changes the therapy's efficacy, or that there is no
    mechanistic meeting point and only shared outcomes; a directed question says whether its
    paths raise or lower the target.
    """
    src, dst = answer.source["name"], answer.target["name"]
    if answer.mode != "mechanism":
        return _directed_title(src, dst, answer.paths)
    verdict = answer.verdict()  # the answer's own one-line verdict, as `mechgraph path` prints it
    return verdict if answer.paths or answer.associations else f"{src} and {dst}: {verdict}"


def _directed_title(src: str, dst: str, paths: list[SignedPath]) -> str:
    n = len(paths)
    count = f"{n} path{'s' if n != 1 else ''}"
    signs = {p.sign for p in paths}
    if len(signs) == 1 and next(iter(signs)) in SIGN_VERB:
        sign = next(iter(signs))
        every = "the only path" if n == 1 else f"all {n} paths"
        return f"{src} {SIGN_VERB[sign]} {dst} ({every} {sign})"
    raising = sum(1 for p in paths if p.sign == "+")
    lowering = sum(1 for p in paths if p.sign == "-")
    best = SIGN_VERB.get(paths[0].sign, "bears on")
    return f"{src} {best} {dst} by the best path; {count}: {raising} raise, {lowering} lower"


# --------------------------------------------------------------------------------------------
# Drawing a view
# --------------------------------------------------------------------------------------------


def draw(
    backend: Backend,
    output: str | Path | None = None,
    *,
    around: str | None = None,
    depth: int = 1,
    path: tuple[str, str] | None = None,
    k: int = PATH_K,
    max_len: int = PATH_MAX_LEN,
    context: int = 0,
    kinds: list[str] | None = None,
    relations: list[str] | None = None,
    min_level: str | None = None,
    axis: str | None = None,
    supports: list[str] | None = None,
    publications: bool = False,
    group_by: str = "axis",
    title: str | None = None,
    graph: Any = None,
    fmt: str = "html",
    publication: Any = None,
) -> Drawn:
    """Write the view as `fmt` (html, svg or png) and return what was drawn (see the module
    docstring); with `publication` (mechgraph.fsio) the file is staged there and published with
    its other outputs."""
    if depth < 0 or context < 0:
        raise MechGraphError("depth and context must be 0 or more")
    if k < 1 or max_len < 1:
        raise MechGraphError("k and max_len must be 1 or more")
    if fmt not in FORMATS:
        raise MechGraphError(f"unknown picture format {fmt!r}; choose from {', '.join(FORMATS)}")
    if supports is not None:
        unknown = [s for s in supports if s not in SUPPORTS]
        if unknown:
            raise MechGraphError(f"unknown support {unknown[0]!r}; valid supports: {', '.join(SUPPORTS)}")
    centre = resolve(backend, around) if around else None
    ends = tuple(resolve(backend, x) for x in path) if path else None
    opts = PathOptions(k=k, max_len=max_len, support=parse_support(supports or None)) if ends else None
    g, answer = _graph_to_draw(backend, graph, centre, depth, ends, opts, context)
    highlight = None
    if ends:
        answer = answer or find_paths(g, ends[0], ends[1], opts)
        found = (answer.paths + answer.associations[:1]) or answer.shared_outcomes  # the modifier the verdict names
        if not found:
            raise MechGraphError(f"no path from {answer.source['name']} to {answer.target['name']} within {max_len} "
                                 "steps "
                                 "(the search of `mechgraph path`)")
        highlight = path_ids(found)
    whole_map = not (centre or highlight or axis)
    if kinds is None:
        kinds = _kinds_shown(g, whole_map, publications)
    sub = select_subgraph(g, around=centre, depth=depth, kinds=kinds, relations=relations,
                          min_level=min_level, axis=axis, paths=highlight, path_context=context, supports=supports)
    if sub.number_of_nodes() == 0:
        raise MechGraphError("nothing left to draw after the filters")
    if ends:
        view, ids, default_title = "path", list(ends), path_title(answer)
    elif centre:
        view, ids = "around", [centre]
        default_title = f"around {_name(g, centre)}" + (f" ({depth} steps)" if depth != 1 else "")
    elif axis:
        view, ids = "axis", [axis]
        default_title = str(((g.graph.get("axes") or {}).get(axis) or {}).get("name") or axis)
    else:
        view, ids, default_title = "map", [], MAP_TITLE
    out = Path(output) if output else Path(default_name(view, *ids, fmt=fmt))
    title = title or default_title
    written = write_picture(sub, out, fmt, title=title, highlight=highlight, centre=centre, group_by=group_by,
                            publication=publication)
    return Drawn(written, title, sub.number_of_nodes(), sub.number_of_edges(), density_warning(sub))


def _name(g: nx.MultiDiGraph, n: str) -> str:
    return str(g.nodes[n].get("name") or n) if n in g else n


def _kinds_shown(g: nx.MultiDiGraph, whole_map: bool, publications: bool) -> list[str] | None:
    """The kinds a view draws by default: all but publications (and trials on the map)."""
    left_out = set(MAP_LEAVES_OUT if whole_map else ("publication",))
    if publications:
        left_out.discard("publication")
    present = {str(a.get("kind")) for _, a in g.nodes(data=True)}
    return sorted(k for k in present if k in schema.ENTITY_KINDS and k not in left_out) if left_out & present else None


def _graph_to_draw(backend: Backend, graph: Any, centre: str | None, depth: int, ends: tuple[str, ...] | None,
                   opts: PathOptions | None, context: int) -> tuple[nx.MultiDiGraph, PathAnswer | None]:
    """The graph a view needs, and the --path answer when the store found it. A store that can
    fetch part of its graph (Neo4j) sends only the neighbourhood of --around, or the nodes of the
    --path answers (found on its side, as `path` finds them) and their context; the whole graph is
    fetched for the map (and from the embedded store, which holds it anyway)."""
    if graph is not None:
        return graph, None
    if not isinstance(backend, BoundedBackend) or not (centre or ends):
        return backend.to_networkx(), None
    every = list(schema.RELATIONS)
    if centre:
        return backend.subgraph(list(backend.ball([centre], depth, along=every, against=every))), None
    assert ends is not None and opts is not None
    s, t = ends
    answer = find_paths_in(backend, s, t, opts)
    found = (answer.paths + answer.associations[:1]) or answer.shared_outcomes  # the modifier the verdict names
    nodes = sorted({n["id"] for p in found for n in p.nodes} | {s, t})
    ids = list(backend.ball(nodes, context, along=every, against=every)) if context else nodes
    return backend.subgraph(ids), answer
