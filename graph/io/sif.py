"""SIF for signed-network tools (CausalPath, CARNIVAL) and Cytoscape, with attribute tables.

`write_sif(g, "gcpm.sif")` writes four files side by side:

- `gcpm.sif`: one line per signed causal step, `SOURCE<TAB>RELATION<TAB>TARGET`, in the relation
  names CausalPath reads (its RelationType enum): a step that raises its target (promotes,
  activates, recruits, secretes, expresses, polarizes) is `upregulates-expression`, one that lowers
  it (inhibits, kills) is `downregulates-expression`. CausalPath has no plain "activates" or
  "inhibits"; these two are its signed relations that need no modification site. Unsigned steps
  (binds, targets, associated_with) and structural ones (subtype_of, part_of, tested_in,
  reported_in) are left out: neither tool can use a step without a sign.
- `gcpm.carnival.tsv`: the same steps as CARNIVAL's prior-knowledge network, columns `source`,
  `interaction` (1 or -1), `target`.
- `gcpm.nodes.tsv`: one row per node in the SIF (`name` as in the SIF, then `label`, `id`, `kind`,
  `category`, `represents`, `name_zh`), for Cytoscape's File > Import > Table from File.
- `gcpm.edges.tsv`: one row per SIF line, keyed by Cytoscape's edge name `SOURCE (RELATION) TARGET`,
  with the graph's relations, `sign`, `score`, `level`, `supports`, `refs` and `dois`.

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

from .. import schema
from . import columns

CAUSALPATH_RELATIONS = {1: "upregulates-expression", -1: "downregulates-expression"}
NODE_TABLE_COLUMNS = ("name", "label", "id", "kind", "category", "represents", "name_zh")
EDGE_TABLE_COLUMNS = (
    "name", "source", "interaction", "target", "sign", "relations", "score", "level", "supports", "refs", "dois",
    "source_id", "target_id",
)
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
        symbol = next((str(x).split(":", 1)[1] for x in a.get("xrefs") or [] if str(x).startswith("hgnc.symbol:")), None)
        name = _clean(symbol or str(a.get("name") or n))
        if name in taken:
            name = f"{name} [{n}]"
        taken.add(name)
        out[n] = name
    return out


def sif_edges(g: nx.MultiDiGraph, names: dict[Any, str] | None = None) -> list[SifEdge]:
    """The signed causal steps of the graph as SIF lines, sorted by source, relation, target."""
    names = names or sif_names(g)
    merged: dict[tuple[str, int, str], SifEdge] = {}
    for u, v, k, a in g.edges(keys=True, data=True):
        sign = columns.sign_int(columns.sign_symbol(a, k))
        if sign == 0 or columns.sign_symbol(a, k) == "=":
            continue
        key = (names[u], sign, names[v])
        e = merged.setdefault(key, SifEdge(names[u], names[v], sign))
        e.relations.append(k)
        e.score = max(e.score, columns.evidence_weight(a))
        if a.get("level"):
            e.levels.add(str(a["level"]))
        e.supports.update(columns.edge_supports(a))
        e.refs.extend(r for r in columns.edge_refs(a) if r not in e.refs)
        e.dois.update(columns.edge_dois(a))
    return [merged[k] for k in sorted(merged, key=lambda t: (t[0], -t[1], t[2]))]


def write_sif(g: nx.MultiDiGraph, path: Path) -> None:
    """Write PATH (SIF) and, beside it, the CARNIVAL table and the node and edge attribute tables."""
    names = sif_names(g)
    edges = sif_edges(g, names)
    used = {x for e in edges for x in (e.source, e.target)}
    path.write_text("".join(f"{e.source}\t{e.interaction}\t{e.target}\n" for e in edges), encoding="utf-8")
    for suffix, text in companion_tables(g, names, edges, used).items():
        sibling(path, suffix).write_text(text, encoding="utf-8")


def sibling(path: Path, suffix: str) -> Path:
    """The companion file of a SIF export: gcpm.sif -> gcpm.carnival.tsv, gcpm.nodes.tsv, ..."""
    stem = path.name[: -len(".sif")] if path.name.lower().endswith(".sif") else path.name
    return path.with_name(f"{stem}.{suffix}")


SIF_COMPANIONS = ("carnival.tsv", "nodes.tsv", "edges.tsv")


def companion_tables(g: nx.MultiDiGraph, names: dict[Any, str], edges: list[SifEdge], used: set[str]) -> dict[str, str]:
    """The text of the three tables written beside the SIF."""
    carnival = _tsv(["source", "interaction", "target"], [[e.source, e.sign, e.target] for e in edges])
    node_rows = []
    for n in sorted(g.nodes, key=lambda x: names[x]):
        if names[n] not in used:
            continue
        a = g.nodes[n]
        node_rows.append([names[n], _clean(str(a.get("name") or n)), str(n), a.get("kind") or "",
                          columns.biolink_category(a), columns.represents(a) or "", _clean(str(a.get("name_zh") or ""))])
    ids = {name: n for n, name in names.items()}
    edge_rows = []
    for e in edges:
        level = next((lv for lv in LEVEL_ORDER if lv in e.levels), "")
        edge_rows.append([
            columns.edge_name(e.source, e.interaction, e.target), e.source, e.interaction, e.target, e.sign,
            "|".join(e.relations), f"{e.score:.4f}", level, "|".join(sorted(e.supports)), "|".join(e.refs),
            "|".join(sorted(e.dois)), str(ids[e.source]), str(ids[e.target]),
        ])
    return {
        "carnival.tsv": carnival,
        "nodes.tsv": _tsv(list(NODE_TABLE_COLUMNS), node_rows),
        "edges.tsv": _tsv(list(EDGE_TABLE_COLUMNS), edge_rows),
    }


def _tsv(header: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def _clean(s: str) -> str:
    """A name safe in a tab-separated line: no tabs or line breaks, no outer spaces."""
    return " ".join(s.replace("\t", " ").split())
