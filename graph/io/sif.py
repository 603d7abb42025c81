"""SIF for signed-network tools (CausalPath, CARNIVAL) and Cytoscape, with attribute tables.

`write_sif(g, "gcpm.sif")` writes six files side by side:

- `gcpm.sif`: one line per signed causal step, `SOURCE<TAB>RELATION<TAB>TARGET`, in the relation
  names CausalPath reads (its RelationType enum): a step that raises its target is
  `upregulates-expression`, one that lowers it `downregulates-expression`. CausalPath has no plain
  "activates" or "inhibits"; these two are its signed relations that need no modification site.
  Which edges are causal steps, and their signs, come from `mechgraph.edges` (`is_causal_step`,
  `walk_rule`), the rule the path search walks: never a cell's marker (`expresses` from a cell),
  never an edge into a therapy that changes its efficacy (enhances, impairs), never an unsigned
  step (binds, targets, bypasses, associated_with) or a structural one (subtype_of, part_of,
  form_of, tested_in, reported_in): neither tool can use a step without a sign, and a marker or an
  efficacy modifier is not a step of anyone's mechanism.
- `gcpm.carnival.tsv`: the same steps as CARNIVAL's prior-knowledge network, columns `source`,
  `interaction` (1 or -1), `target`.
- `gcpm.nodes.tsv`: one row per node in the SIF (`name` as in the SIF, then `label`, `id`, `kind`,
  `category`, `represents`, `name_zh`), for Cytoscape's File > Import > Table from File.
- `gcpm.edges.tsv`: one row per SIF line, keyed by Cytoscape's edge name `SOURCE (RELATION) TARGET`,
  with the graph's relations, `sign`, `score`, `level`, `supports`, `refs` and `dois`.
- `gcpm.efficacy_modifiers.tsv`: NOT causal steps: what raises or lowers a therapy's efficacy
  (`edges.is_efficacy_edge`: enhances, impairs), columns `modifier`, `effect_on_efficacy` (raises,
  lowers), `therapy`, then the relations, evidence and ids as in the edge table.
- `gcpm.markers.tsv`: NOT causal steps: the genes a cell expresses as its markers (`edges.is_marker`),
  columns `cell`, `marker`, the evidence and ids; a handle to find the cell in data, not its output.

A node is named by its HGNC symbol where the seeds give one (CausalPath and CARNIVAL match
measurements by gene symbol), else by its English name; tabs and line breaks never occur in it.
Two graph edges with the same ends and sign become one line; their attributes are merged.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from .. import edges as meaning
from .. import schema
from . import columns

CAUSALPATH_RELATIONS = {1: "upregulates-expression", -1: "downregulates-expression"}
NODE_TABLE_COLUMNS = ("name", "label", "id", "kind", "category", "represents", "name_zh")
EDGE_TABLE_COLUMNS = (
    "name", "source", "interaction", "target", "sign", "relations", "score", "level", "supports", "refs", "dois",
    "source_id", "target_id",
)
EVIDENCE_COLUMNS = ("relations", "score", "level", "supports", "refs", "dois")
MODIFIER_TABLE_COLUMNS = ("modifier", "effect_on_efficacy", "therapy", *EVIDENCE_COLUMNS, "modifier_id", "therapy_id")
MARKER_TABLE_COLUMNS = ("cell", "marker", *EVIDENCE_COLUMNS[1:], "cell_id", "marker_id")
LEVEL_ORDER = tuple(sorted(schema.EVIDENCE_LEVELS, key=schema.EVIDENCE_LEVELS.__getitem__, reverse=True))


@dataclass
class SifEdge:
    """One SIF line, merged from every graph edge with the same ends and sign."""

    source: str
    target: str
    sign: int
    relations: list[str] = field(default_factory=list)
    score: float = 0.0
    levels: set[str] = field(default_factory=set)
    supports: set[str] = field(default_factory=set)
    refs: list[str] = field(default_factory=list)
    dois: set[str] = field(default_factory=set)

    @property
    def interaction(self) -> str:
        return CAUSALPATH_RELATIONS[self.sign]


def sif_names(g: nx.MultiDiGraph) -> dict[Any, str]:
    """The name each node goes by in the SIF: its HGNC symbol, else its English name; unique."""
    out: dict[Any, str] = {}
    taken: set[str] = set()
    for n in sorted(g.nodes, key=str):
        a = g.nodes[n]
        symbol = next((str(x).split(":", 1)[1] for x in a.get("xrefs") or []
                       if str(x).startswith("hgnc.symbol:")), None)
        name = _clean(symbol or str(a.get("name") or n))
        if name in taken:
            name = f"{name} [{n}]"
        taken.add(name)
        out[n] = name
    return out


def _kinds(g: nx.MultiDiGraph, u: Any, v: Any) -> tuple[str | None, str | None]:
    return g.nodes[u].get("kind"), g.nodes[v].get("kind")


def sif_edges(g: nx.MultiDiGraph, names: dict[Any, str] | None = None) -> list[SifEdge]:
    """The signed causal steps of the graph (`edges.is_causal_step`) as SIF lines, sorted by
    source, relation, target; the sign is the one the path search walks (`edges.walk_rule`)."""
    names = names or sif_names(g)
    merged: dict[tuple[str, int, str], SifEdge] = {}
    for u, v, k, a in g.edges(keys=True, data=True):
        if not meaning.is_causal_step(k, *_kinds(g, u, v)):
            continue
        rule = meaning.walk_rule(k, *_kinds(g, u, v))
        assert rule is not None  # is_causal_step says it is walked
        _merge(merged, (names[u], rule[0], names[v]), a, k)
    return [merged[k] for k in sorted(merged, key=lambda t: (t[0], -t[1], t[2]))]


def side_edges(g: nx.MultiDiGraph, names: dict[Any, str], which: str) -> list[SifEdge]:
    """The edges kept apart from the causal steps: `efficacy` (what changes a therapy's efficacy,
    sign +1 raises, -1 lowers, 0 unsigned) or `markers` (a cell's marker genes)."""
    test = meaning.is_efficacy_edge if which == "efficacy" else meaning.is_marker
    merged: dict[tuple[str, int, str], SifEdge] = {}
    for u, v, k, a in g.edges(keys=True, data=True):
        if test(k, *_kinds(g, u, v)):
            sign = meaning.sign_int(meaning.sign_symbol(a, k)) if which == "efficacy" else 1
            _merge(merged, (names[u], sign, names[v]), a, k)
    return [merged[k] for k in sorted(merged, key=lambda t: (t[0], -t[1], t[2]))]


def _merge(merged: dict[tuple[str, int, str], SifEdge], key: tuple[str, int, str], a: dict[str, Any],
           relation: str) -> None:
    e = merged.setdefault(key, SifEdge(key[0], key[2], key[1]))
    e.relations.append(relation)
    e.score = max(e.score, meaning.evidence_weight(a))
    if a.get("level"):
        e.levels.add(str(a["level"]))
    e.supports.update(meaning.edge_supports(a))
    e.refs.extend(r for r in meaning.edge_refs(a) if r not in e.refs)
    e.dois.update(meaning.edge_dois(a))


def sif_texts(g: nx.MultiDiGraph) -> dict[str, str]:
    """Every file of a SIF export as text, by suffix ("sif", "carnival.tsv", ...)."""
    names = sif_names(g)
    edges = sif_edges(g, names)
    used = {x for e in edges for x in (e.source, e.target)}
    texts = {"sif": "".join(f"{e.source}\t{e.interaction}\t{e.target}\n" for e in edges)}
    texts.update(companion_tables(g, names, edges, used))
    return texts


def write_sif(g: nx.MultiDiGraph, path: Path) -> None:
    """Write PATH (SIF) and, beside it, the CARNIVAL table, the node and edge attribute tables and
    the two tables of what is not a causal step (efficacy modifiers, markers)."""
    for suffix, text in sif_texts(g).items():
        (path if suffix == "sif" else sibling(path, suffix)).write_text(text, encoding="utf-8")


def sibling(path: Path, suffix: str) -> Path:
    """The companion file of a SIF export: gcpm.sif -> gcpm.carnival.tsv, gcpm.nodes.tsv, ..."""
    stem = path.name[: -len(".sif")] if path.name.lower().endswith(".sif") else path.name
    return path.with_name(f"{stem}.{suffix}")


SIF_COMPANIONS = ("carnival.tsv", "nodes.tsv", "edges.tsv", "efficacy_modifiers.tsv", "markers.tsv")


def companion_tables(g: nx.MultiDiGraph, names: dict[Any, str], edges: list[SifEdge], used: set[str]) -> dict[str, str]:
    """The text of the five tables written beside the SIF."""
    carnival = _tsv(["source", "interaction", "target"], [[e.source, e.sign, e.target] for e in edges])
    node_rows = []
    for n in sorted(g.nodes, key=lambda x: names[x]):
        if names[n] not in used:
            continue
        a = g.nodes[n]
        node_rows.append([names[n], _clean(str(a.get("name") or n)), str(n), a.get("kind") or "",
                          columns.biolink_category(a), columns.represents(a) or "",
                          _clean(str(a.get("name_zh") or ""))])
    ids = {name: n for n, name in names.items()}
    edge_rows = [[columns.edge_name(e.source, e.interaction, e.target), e.source, e.interaction, e.target, e.sign,
                  *_evidence_cells(e), str(ids[e.source]), str(ids[e.target])] for e in edges]
    effect = {1: "raises", -1: "lowers", 0: "changes"}
    modifier_rows = [[e.source, effect[e.sign], e.target, *_evidence_cells(e), str(ids[e.source]), str(ids[e.target])]
                     for e in side_edges(g, names, "efficacy")]
    marker_rows = [[e.source, e.target, *_evidence_cells(e)[1:], str(ids[e.source]), str(ids[e.target])]
                   for e in side_edges(g, names, "markers")]
    return {
        "carnival.tsv": carnival,
        "nodes.tsv": _tsv(list(NODE_TABLE_COLUMNS), node_rows),
        "edges.tsv": _tsv(list(EDGE_TABLE_COLUMNS), edge_rows),
        "efficacy_modifiers.tsv": _tsv(list(MODIFIER_TABLE_COLUMNS), modifier_rows),
        "markers.tsv": _tsv(list(MARKER_TABLE_COLUMNS), marker_rows),
    }


def _evidence_cells(e: SifEdge) -> list[Any]:
    """relations, score, level, supports, refs, dois of a merged edge, as table cells."""
    level = next((lv for lv in LEVEL_ORDER if lv in e.levels), "")
    return ["|".join(e.relations), f"{e.score:.4f}", level, "|".join(sorted(e.supports)), "|".join(e.refs),
            "|".join(sorted(e.dois))]


def _tsv(header: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def _clean(s: str) -> str:
    """A name safe in a tab-separated line: no tabs or line breaks, no outer spaces."""
    return " ".join(s.replace("\t", " ").split())
