"""What in the graph the data can speak to: its genes by symbol, its ligand-receptor pairs, its cells by group.

Genes. A gene-like entity (gene, cytokine, miRNA) is looked up in the data by the HGNC symbol of
its `hgnc.symbol:` CURIE; when the data has no such column, by the same symbol in another case
(mouse-style `C3ar1`); and when the entity has no HGNC CURIE, by its name or a synonym that equals
a column name exactly (case-sensitive, so prose synonyms never match by accident). A complex is
measured through its components (`part_of` edges), as the minimum over them, the rule
CellPhoneDB and LIANA+ use for multi-subunit complexes; a complex that is a ligand-receptor pair
(C3/C3aR1: its parts are made by different cells) is not an expression but an activity, so it is
scored through its pair instead.

Ligand-receptor pairs are read from the graph's own edges, never from a list in code: a `binds`
or `activates` edge from one molecule (gene, cytokine, complex) to another is a ligand -> receptor
pair, and a complex with exactly two components joins them into one, oriented by such an edge
between the components or else by a cell that `secretes` one of them (the ligand).

Cells. A group label (a cell type or cluster of the data) stands for a cell entity when a mapping
file says so, when the label is the entity's name or a synonym (any case), or when the default
mapping for common labels (`default_mapping.yaml` beside this module) says so, in that order. A
cell entity also counts the groups of its subtypes (`subtype_of`), so TAM abundance includes the
SPP1+ TAM group.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from .. import schema
from ..errors import DataError
from ..props import entity_names

GENE_KINDS = ("gene", "cytokine", "mirna")
MOLECULE_KINDS = ("gene", "cytokine", "complex")  # what can be a ligand or a receptor
LR_RELATIONS = ("binds", "activates")
SYMBOL_PREFIX = "hgnc.symbol:"
DEFAULT_MAPPING = "default_mapping.yaml"


def hgnc_symbols(attrs: dict[str, Any]) -> list[str]:
    """The HGNC symbols an entity's xrefs name (usually one)."""
    return [x[len(SYMBOL_PREFIX):] for x in attrs.get("xrefs") or [] if isinstance(x, str)
            and x.startswith(SYMBOL_PREFIX)]


@dataclass
class GeneMap:
    """Which data column measures which gene-like entity, how it was matched, and what could not be."""

    columns: dict[str, str]  # entity id -> the data's symbol
    routes: dict[str, str]  # entity id -> "hgnc", "hgnc (case)", "synonym"
    missing: list[str]  # gene-like entities with a symbol the data lacks
    no_symbol: list[str]  # gene-like entities with no HGNC symbol and no synonym in the data
    complexes: dict[str, list[str]]  # complex id -> its measured components (all of them measured)
    total: int  # gene-like entities in the graph

    @property
    def found(self) -> int:
        return len(self.columns)

    def symbols(self) -> list[str]:
        """The data columns to keep, each once, in a stable order."""
        return sorted(set(self.columns.values()))


def match_genes(g: nx.MultiDiGraph, data_symbols: Iterable[str]) -> GeneMap:
    """Find the graph's gene-like entities among the data's gene symbols (see the module docstring)."""
    present = list(dict.fromkeys(str(s) for s in data_symbols))
    exact = set(present)
    folded: dict[str, list[str]] = defaultdict(list)
    for s in present:
        folded[s.casefold()].append(s)
    columns: dict[str, str] = {}
    routes: dict[str, str] = {}
    missing: list[str] = []
    no_symbol: list[str] = []
    total = 0
    for eid, a in sorted(g.nodes(data=True)):
        if a.get("kind") not in GENE_KINDS:
            continue
        total += 1
        symbols = hgnc_symbols(a)
        hit = next((s for s in symbols if s in exact), None)
        route = "hgnc"
        if hit is None:
            hit = next((folded[s.casefold()][0] for s in symbols if len(folded.get(s.casefold(), [])) == 1), None)
            route = "hgnc (case)"
        if hit is None and not symbols:
            hit = next((n for n in entity_names(a)[1:] if n in exact), None)
            route = "synonym"
        if hit is None:
            (missing if symbols else no_symbol).append(eid)
            continue
        columns[eid], routes[eid] = hit, route
    complexes: dict[str, list[str]] = {}
    pair_complexes = {p.complex for p in lr_pairs(g) if p.complex}
    for eid, a in sorted(g.nodes(data=True)):
        if a.get("kind") != "complex" or eid in pair_complexes:
            continue
        parts = sorted(u for u, _, k in g.in_edges(eid, keys=True) if k == "part_of")
        if parts and all(p in columns for p in parts):
            complexes[eid] = parts
    return GeneMap(columns, routes, missing, no_symbol, complexes, total)


@dataclass(frozen=True)
class LRPair:
    """A ligand -> receptor pair of the graph, with the edges and complex it comes from."""

    ligand: str
    receptor: str
    relations: tuple[str, ...]
    supports: tuple[str, ...]
    complex: str | None = None

    @property
    def key(self) -> str:
        return f"{self.ligand}->{self.receptor}"


def lr_pairs(g: nx.MultiDiGraph) -> list[LRPair]:
    """Every ligand -> receptor pair the graph's edges state (see the module docstring)."""
    kind = {n: a.get("kind") for n, a in g.nodes(data=True)}
    found: dict[tuple[str, str], dict[str, set[str]]] = {}
    for u, v, k, a in g.edges(keys=True, data=True):
        if k in LR_RELATIONS and u != v and kind.get(u) in MOLECULE_KINDS and kind.get(v) in MOLECULE_KINDS:
            rec = found.setdefault((u, v), {"relations": set(), "supports": set()})
            rec["relations"].add(k)
            rec["supports"].update(a.get("supports")
                                   or [e.get("support") for e in a.get("evidence") or [] if e.get("support")])
    complex_of: dict[frozenset[str], str] = {}
    secreted = {v for u, v, k in g.edges(keys=True) if k == "secretes" and kind.get(u) in schema.CELL_KINDS}
    for c in sorted(n for n, kd in kind.items() if kd == "complex"):
        parts = sorted(u for u, _, k in g.in_edges(c, keys=True) if k == "part_of")
        if len(parts) != 2:
            continue
        complex_of.setdefault(frozenset(parts), c)
        a, b = parts
        if (a, b) in found or (b, a) in found:
            continue
        oriented = [(x, y) for x, y in ((a, b), (b, a)) if x in secreted and y not in secreted]
        if len(oriented) == 1:
            found[oriented[0]] = {"relations": {"part_of"}, "supports": set()}
    pairs = []
    for (u, v), rec in sorted(found.items()):
        pairs.append(LRPair(u, v, tuple(sorted(rec["relations"])), tuple(sorted(s for s in rec["supports"] if s)),
                            complex_of.get(frozenset((u, v)))))
    return pairs


# --- cells ------------------------------------------------------------------------------------


def _norm(label: str) -> str:
    return " ".join(str(label).split()).casefold()


@dataclass
class CellMap:
    """Which groups of the data stand for which cell entities, and why."""

    entity_of: dict[str, str]  # group label -> cell entity id
    route: dict[str, str]  # group label -> "mapping file", "name", "default mapping"
    groups_of: dict[str, list[str]] = field(default_factory=dict)  # cell entity -> its groups and its subtypes' groups
    unmapped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"groups": {k: {"entity": v, "route": self.route[k]} for k, v in self.entity_of.items()},
                "unmapped": self.unmapped}


def _name_index(g: nx.MultiDiGraph, kinds: tuple[str, ...] | None = None) -> dict[str, list[str]]:
    index: dict[str, list[str]] = defaultdict(list)
    for eid, a in g.nodes(data=True):
        if kinds and a.get("kind") not in kinds:
            continue
        for n in entity_names(a):
            if eid not in index[_norm(n)]:
                index[_norm(n)].append(eid)
    return index


def read_mapping(path: str | Path, g: nx.MultiDiGraph) -> dict[str, str | None]:
    """A mapping file: YAML `group label: entity` lines (id, name or synonym; null for none).

    Every problem is reported as FILE:LINE; a label maps to one cell entity."""
    from ..curation.yaml_tree import parse_file

    p = Path(path)
    if not p.is_file():
        raise DataError(f"{p}: no such mapping file")
    problems: list[str] = []
    root = parse_file(p, str(p), problems)
    if problems or root is None:
        raise DataError(problems[0] if problems else f"{p}:1: not valid YAML")
    if root.value is None or root.value == {}:
        return {}
    if not isinstance(root.value, dict):
        raise DataError(f"{p}:{root.line}: a mapping file is YAML lines 'group label: entity'")
    index = _name_index(g, schema.CELL_KINDS)
    out: dict[str, str | None] = {}
    for label, node in root.value.items():
        if node.value is None:
            out[_norm(label)] = None
            continue
        if not isinstance(node.value, (str, int, float)) or isinstance(node.value, bool):
            raise DataError(f"{p}:{node.line}: {label!r} must map to one entity name or id (or null)")
        ids = index.get(_norm(str(node.value)), [])
        if len(ids) != 1:
            what = "names no cell entity" if not ids else f"is ambiguous ({', '.join(ids)})"
            raise DataError(f"{p}:{node.line}: {str(node.value)!r} {what}; use a cell entity's id (mechgraph show "
                            "NAME)")
        out[_norm(label)] = ids[0]
    return out


def default_mapping(g: nx.MultiDiGraph) -> dict[str, str | None]:
    """The default mapping for common labels, read from the package; entries whose entity the graph lacks are skipped.
    """
    from ..curation.yaml_tree import parse_file

    problems: list[str] = []
    with resources.as_file(resources.files(__package__).joinpath(DEFAULT_MAPPING)) as p:
        root = parse_file(p, DEFAULT_MAPPING, problems)
    if problems or root is None:  # a packaging bug, not the user's input
        raise DataError(f"the default mapping shipped with mechgraph is broken: {problems[:1]}")
    out: dict[str, str | None] = {}
    for label, node in (root.value or {}).items():
        v = node.value
        if v is None or v in g:
            out[_norm(label)] = v
    return out


def map_groups(g: nx.MultiDiGraph, labels: Iterable[str], mapping: dict[str, str | None] | None = None) -> CellMap:
    """Map each group label to a cell entity: the mapping file, then names and synonyms, then the default mapping."""
    names = _name_index(g, schema.CELL_KINDS)
    defaults = default_mapping(g)
    mapping = mapping or {}
    entity_of: dict[str, str] = {}
    route: dict[str, str] = {}
    unmapped: list[str] = []
    for label in labels:
        key = _norm(label)
        if key in mapping:
            target, why = mapping[key], "mapping file"
        elif len(names.get(key, [])) == 1:
            target, why = names[key][0], "name"
        elif key in defaults:
            target, why = defaults[key], "default mapping"
        else:
            target, why = None, ""
        if target is None:
            unmapped.append(str(label))
        else:
            entity_of[str(label)], route[str(label)] = target, why
    cm = CellMap(entity_of, route, unmapped=unmapped)
    cm.groups_of = cell_groups(g, entity_of)
    return cm


def cell_groups(g: nx.MultiDiGraph, entity_of: dict[str, str]) -> dict[str, list[str]]:
    """For every cell entity: the groups mapped to it or to any of its subtypes (transitively)."""
    sub = nx.DiGraph()
    for u, v, k in g.edges(keys=True):
        if k == "subtype_of":
            sub.add_edge(v, u)  # class -> member
    out: dict[str, list[str]] = {}
    for eid, a in g.nodes(data=True):
        if a.get("kind") not in schema.CELL_KINDS:
            continue
        members = {eid} | (nx.descendants(sub, eid) if eid in sub else set())
        groups = [label for label, e in entity_of.items() if e in members]
        if groups:
            out[eid] = groups
    return out


def cell_markers(g: nx.MultiDiGraph, genes: GeneMap) -> dict[str, list[tuple[str, str]]]:
    """For every cell entity: the measured genes it `expresses` or `secretes` in the graph, as (gene, relation)."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for u, v, k in sorted(g.edges(keys=True)):
        if (k in ("expresses", "secretes") and g.nodes[u].get("kind") in schema.CELL_KINDS
                and (v in genes.columns or v in genes.complexes)):
            out[u].append((v, k))
    return dict(out)
