"""The views `mechgraph viz` draws: the map, a neighbourhood, paths in context; named and titled.

`draw(backend, ...)` resolves the names a person typed, cuts the part of the graph the view
shows, finds the paths (the same search as `mechgraph path`: directed, the 5 best, at most 6
steps, unless told otherwise), writes the page and returns what it did. Titles use entity names
("around THBS2+ cancer-associated fibroblast"); without `output` the page is written to
`mechgraph-<view>.html` in the current folder.

What each view leaves out by default: publications (`publications=True` brings them back); on
the whole map also clinical trials, as in the map `mechgraph build` writes (`kinds` chooses
explicitly). `supports` keeps an edge when any of its evidence records has one of the chosen
supports (review_text, reference_title, curator, hypothesis), the rule the analyses use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any


from .. import schema
from ..errors import MechGraphError
from ..io import columns
from .page import write_html
from .select import density_warning, select_subgraph

from ..analysis.paths import DEFAULT_K as PATH_K  # the same defaults as `mechgraph path`
from ..analysis.paths import DEFAULT_MAX_LEN as PATH_MAX_LEN
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


def support_vocabulary() -> list[str]:
    """The supports an evidence record may carry (the schema's, once it defines them)."""
    return list(getattr(schema, "SUPPORTS", None) or columns.SUPPORT_LABELS)


def default_name(view: str, *ids: str) -> str:
    """`mechgraph-map.html`, `mechgraph-around-thbs2_caf.html`, `mechgraph-path-a-b.html`."""
    parts = [view, *ids]
    return "mechgraph-" + "-".join(re.sub(r"[^A-Za-z0-9_.]+", "_", p).strip("_") or "x" for p in parts) + ".html"


def draw(
    backend: Any,
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
    publication: Any = None,
) -> Drawn:
    """Write the view and return what was drawn (see the module docstring); with `publication`
    (mechgraph.fsio) the page is staged there and published with its other outputs."""
    from ..analysis.paths import PathOptions, find_paths, path_ids  # noqa: PLC0415 - only needed here
    from ..analysis.semantics import parse_support  # noqa: PLC0415
    from ..store.entities import resolve  # noqa: PLC0415

    if depth < 0 or context < 0:
        raise MechGraphError("depth and context must be 0 or more")
    if k < 1 or max_len < 1:
        raise MechGraphError("k and max_len must be 1 or more")
    if supports is not None:
        unknown = [s for s in supports if s not in support_vocabulary()]
        if unknown:
            raise MechGraphError(f"unknown support {unknown[0]!r}; valid supports: {', '.join(support_vocabulary())}")
    answer = None
    if graph is not None:
        g = graph
    else:
        g, answer = _graph_to_draw(backend, around, depth, path, k, max_len, supports, context)
    names = {n: str(a.get("name") or n) for n, a in g.nodes(data=True)}
    centre = resolve(backend, around) if around else None
    highlight = None
    ends: list[str] = []
    if path:
        s, t = (resolve(backend, x) for x in path)
        opts = PathOptions(k=k, max_len=max_len, support=parse_support(supports) if supports else parse_support(None))
        answer = answer or find_paths(g, s, t, opts)  # the store may have answered it on its side
        found = answer.paths or answer.shared_outcomes or answer.associations
        if not found:
            raise MechGraphError(f"no path from {names[s]} to {names[t]} within {max_len} steps (the search of `mechgraph path`)")
        highlight = path_ids(found)
        ends = [s, t]
    whole_map = not (centre or highlight or axis)
    if kinds is None:
        left_out = set(MAP_LEAVES_OUT if whole_map else ("publication",))
        if publications:
            left_out.discard("publication")
        present = {str(a.get("kind")) for _, a in g.nodes(data=True)}
        kinds = sorted(k for k in present if k in schema.ENTITY_KINDS and k not in left_out) if left_out & present else None
    sub = select_subgraph(g, around=centre, depth=depth, kinds=kinds, relations=relations, min_level=min_level, axis=axis,
                          paths=highlight, path_context=context, supports=supports)
    if sub.number_of_nodes() == 0:
        raise MechGraphError("nothing left to draw after the filters")
    if highlight:
        view, ids = "path", ends
        default_title = f"{names[ids[0]]} to {names[ids[1]]}: {len(highlight)} best path{'s' if len(highlight) != 1 else ''}"
    elif centre:
        view, ids = "around", [centre]
        default_title = f"around {names[centre]}" + (f" ({depth} steps)" if depth != 1 else "")
    elif axis:
        view, ids = "axis", [axis]
        default_title = str(((g.graph.get("axes") or {}).get(axis) or {}).get("name") or axis)
    else:
        view, ids = "map", []
        default_title = MAP_TITLE
    out = Path(output) if output else Path(default_name(view, *ids))
    title = title or default_title
    written = write_html(sub, out, title=title, highlight=highlight, centre=centre, group_by=group_by, publication=publication)
    return Drawn(written, title, sub.number_of_nodes(), sub.number_of_edges(), density_warning(sub))




def _graph_to_draw(backend: Any, around: str | None, depth: int, path: tuple[str, str] | None, k: int, max_len: int,
                   supports: list[str] | None, context: int):
    """The graph a view needs, and the --path answer when the store found it. A store that can
    fetch part of its graph (Neo4j) sends only the neighbourhood of --around, or the nodes of the
    --path answers (found on its side, as `path` finds them) and their context; the whole graph is
    fetched for the map (and from the embedded store, which holds it anyway)."""
    if not hasattr(backend, "subgraph") or not (around or path):
        return backend.to_networkx(), None
    from ..analysis.paths import PathOptions  # noqa: PLC0415
    from ..analysis.regions import find_paths_in  # noqa: PLC0415
    from ..analysis.semantics import parse_support  # noqa: PLC0415
    from ..store.entities import resolve  # noqa: PLC0415

    every = list(schema.RELATIONS)
    if around:
        return backend.subgraph(list(backend.ball([resolve(backend, around)], depth, along=every, against=every))), None
    s, t = (resolve(backend, x) for x in path)
    opts = PathOptions(k=k, max_len=max_len, support=parse_support(supports) if supports else parse_support(None))
    answer = find_paths_in(backend, s, t, opts)
    found = answer.paths or answer.shared_outcomes or answer.associations
    ends = sorted({n["id"] for p in found for n in p.nodes} | {s, t})
    ids = list(backend.ball(ends, context, along=every, against=every)) if context else ends
    return backend.subgraph(ids), answer
