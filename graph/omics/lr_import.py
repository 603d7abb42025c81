"""The OmniPath ligand-receptor consensus as a second source, merged beside the curated edges.

LIANA+ ships OmniPath's intercellular resources in one file, `liana/resource/omni_resource.csv`
(rows: source and target UniProt ids, their gene symbols, and the resource that lists the pair;
`liana.resource.select_resource('consensus')` reads the same file). It is read here as plain CSV:
no network, and no import of liana itself (only its location is looked up).

The `consensus` rows are the pairs. A pair whose ligand and receptor symbols are both HGNC symbols
of graph entities is a pair between the graph's genes; with `neighbours`, a pair with one side in
the graph and the other a single gene not yet in it adds that gene (kind gene, its symbol as
name and HGNC CURIE). Multi-subunit sides (`ERBB2_ERBB3`) are matched only to a graph complex
whose components are exactly those genes.

Each new pair becomes a `binds` edge ligand -> receptor whose evidence records have
`support: database`, one record per OmniPath resource that lists the pair (the consensus first),
each naming its resource, so the provenance of every edge can be traced back to the file. A
curated edge is never touched: a pair the curated graph already states (a binds or activates
edge between the two, either way, or a two-component complex of them) is reported, not added.
The analyses (`path`, `targets`) use only review_text, curator and reference_title evidence by
default, so the database edges do not change them; `overlay` scores them as ligand-receptor pairs.

The conflict report lists, by symbol: pairs both state; pairs the review states that the
consensus lacks (or has only the other way round); pairs the consensus has between the graph's
genes that the review does not state; and the neighbours added.
"""

from __future__ import annotations

import copy
import csv
import importlib.util
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from .. import schema
from ..errors import DataError, MissingExtra
from .extras import INSTALL_HINT
from .genes import GENE_KINDS, LR_RELATIONS, MOLECULE_KINDS, hgnc_symbols

RESOURCE_FILE = ("resource", "omni_resource.csv")
CONSENSUS = "consensus"
COLUMNS = ("source", "target", "source_genesymbol", "target_genesymbol", "resource")
ADDED_BY = "import omnipath-lr"


def liana_resource_path() -> Path:
    """Where the installed liana package keeps the OmniPath resource file (liana is not imported)."""
    spec = importlib.util.find_spec("liana")
    if spec is None or not spec.origin:
        raise MissingExtra("import omnipath-lr reads the consensus that the 'liana' package ships; install the omics "
                           "extra: "
                           f"{INSTALL_HINT} (or pass --resource-file with a copy of {'/'.join(RESOURCE_FILE)})")
    path = Path(spec.origin).parent.joinpath(*RESOURCE_FILE)
    if not path.is_file():
        raise DataError(f"{path}: the installed liana has no OmniPath resource file; pass --resource-file")
    return path


@dataclass
class ResourcePair:
    """One consensus pair with every resource that lists it."""

    ligand: str  # gene symbol(s), subunits joined by "_"
    receptor: str
    ligand_uniprot: str
    receptor_uniprot: str
    resources: list[str] = field(default_factory=list)  # "consensus" first, then the others sorted

    @property
    def subunits(self) -> tuple[list[str], list[str]]:
        return self.ligand.split("_"), self.receptor.split("_")


def read_resource(path: str | Path) -> tuple[list[ResourcePair], dict[tuple[str, str], set[str]], int]:
    """The consensus pairs of an OmniPath resource file, each with the resources listing it; every
    (ligand, receptor) of the file with its resources; and the file's row count."""
    p = Path(path)
    try:
        fh = p.open(newline="", encoding="utf-8")
    except OSError as e:
        raise DataError(f"{p}: cannot read the resource file: {e.strerror}") from None
    by_pair: dict[tuple[str, str], set[str]] = defaultdict(set)
    ids: dict[tuple[str, str], tuple[str, str]] = {}
    rows = 0
    with fh:
        reader = csv.reader(fh)
        try:
            header = next(reader, None)
            if header is None:
                raise DataError(f"{p}:1: the resource file is empty")
            col = {name: i for i, name in enumerate(header)}
            missing = [c for c in COLUMNS if c not in col]
            if missing:
                raise DataError(f"{p}:1: not an OmniPath resource file: no column {', '.join(missing)}")
            for row in reader:
                rows += 1
                if len(row) != len(header):
                    raise DataError(f"{p}:{reader.line_num}: {len(row)} fields, but the header has {len(header)}")
                lig, rec = row[col["source_genesymbol"]].strip(), row[col["target_genesymbol"]].strip()
                res = row[col["resource"]].strip()
                if not lig or not rec or not res:
                    raise DataError(f"{p}:{reader.line_num}: a row without ligand, receptor or resource")
                by_pair[(lig, rec)].add(res)
                if res == CONSENSUS:
                    ids[(lig, rec)] = (row[col["source"]], row[col["target"]])
        except (csv.Error, UnicodeDecodeError) as e:
            raise DataError(f"{p}:{reader.line_num}: {e}") from None
    pairs = [ResourcePair(lig, rec, *ids[(lig, rec)], [CONSENSUS, *sorted(by_pair[(lig, rec)] - {CONSENSUS})])
             for (lig, rec) in sorted(ids)]
    if not pairs:
        raise DataError(f"{p}: no '{CONSENSUS}' rows: not LIANA's OmniPath resource file?")
    return pairs, dict(by_pair), rows


def _evidence(pair: ResourcePair) -> list[dict[str, Any]]:
    out = []
    for res in pair.resources:
        what = ("OmniPath intercellular consensus (LIANA+ resource 'consensus')" if res == CONSENSUS
                else f"OmniPath resource {res!r}")
        out.append({
            "ref": f"omnipath_{res}", "support": "database", "design": "database",
            "level": schema.design_level("database"),
            "resource": res, "summary": f"{what} lists ligand {pair.ligand} -> receptor {pair.receptor} "
                                        f"(UniProt {pair.ligand_uniprot} -> {pair.receptor_uniprot})",
        })
    return out


@dataclass
class ImportResult:
    """The merged graph, what was added, and the conflict report."""

    graph: nx.MultiDiGraph
    resource: str
    resource_rows: int
    consensus_pairs: int
    added: list[dict[str, Any]]
    new_genes: list[dict[str, Any]]
    both: list[dict[str, Any]]
    review_only: list[dict[str, Any]]
    consensus_only: list[dict[str, Any]]
    skipped_complex: int
    unmappable_review_pairs: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "resource": self.resource, "resource_rows": self.resource_rows, "consensus_pairs": self.consensus_pairs,
            "added_edges": len(self.added), "added_genes": len(self.new_genes),
            "counts": {"both": len(self.both), "review_only": len(self.review_only),
                       "consensus_only": len(self.consensus_only),
                       "neighbours": sum(1 for a in self.added if a["neighbour"]),
                       "complex_sides_skipped": self.skipped_complex,
                       "review_pairs_without_symbols": len(self.unmappable_review_pairs)},
            "both": self.both, "review_only": self.review_only, "consensus_only": self.consensus_only,
            "added": self.added, "new_genes": self.new_genes,
            "review_pairs_without_symbols": self.unmappable_review_pairs,
        }

    def report_rows(self) -> list[dict[str, Any]]:
        """The conflict report as rows (one per pair), for a TSV file."""
        rows = []
        for status, items in (("both", self.both), ("review_only", self.review_only),
                              ("consensus_only", self.consensus_only)):
            for it in items:
                rows.append({"status": status, **{k: it.get(k) for k in
                             ("ligand", "receptor", "ligand_entity", "receptor_entity", "curated",
                              "resources", "note")}})
        for it in self.added:
            if it["neighbour"]:
                rows.append({"status": "neighbour_added", **{k: it.get(k) for k in
                             ("ligand", "receptor", "ligand_entity", "receptor_entity")}, "curated": "",
                             "resources": it["resources"], "note": ""})
        return rows


def _symbol_index(g: nx.MultiDiGraph) -> dict[str, str]:
    """HGNC symbol -> graph entity (gene-like kinds); a symbol two entities claim is left out."""
    seen: dict[str, list[str]] = defaultdict(list)
    for n, a in g.nodes(data=True):
        if a.get("kind") in GENE_KINDS:
            for s in hgnc_symbols(a):
                seen[s].append(n)
    return {s: ns[0] for s, ns in seen.items() if len(ns) == 1}


def _complex_index(g: nx.MultiDiGraph, symbol_of: dict[str, str]) -> dict[frozenset[str], str]:
    """Frozen set of component symbols -> complex entity, for complexes whose components all have symbols."""
    out: dict[frozenset[str], str] = {}
    for c, a in g.nodes(data=True):
        if a.get("kind") != "complex":
            continue
        parts = [u for u, _, k in g.in_edges(c, keys=True) if k == "part_of"]
        syms = [symbol_of.get(p) for p in parts]
        if len(parts) >= 2 and all(syms):
            out[frozenset(s for s in syms if s)] = c
    return out


def curated_pairs(g: nx.MultiDiGraph) -> dict[frozenset[str], dict[str, Any]]:
    """The ligand-receptor contacts the curated graph states: binds/activates between molecules, or a two-component
    complex."""
    kind = {n: a.get("kind") for n, a in g.nodes(data=True)}
    out: dict[frozenset[str], dict[str, Any]] = {}
    for u, v, k, a in g.edges(keys=True, data=True):
        if k in LR_RELATIONS and u != v and kind.get(u) in MOLECULE_KINDS and kind.get(v) in MOLECULE_KINDS:
            if "database" in (a.get("supports") or []):
                continue
            rec = out.setdefault(frozenset((u, v)), {"directions": set(), "relations": set()})
            rec["directions"].add((u, v))
            rec["relations"].add(f"{k} {u}->{v}")
    for c in [n for n, kd in kind.items() if kd == "complex"]:
        parts = [u for u, _, k in g.in_edges(c, keys=True) if k == "part_of"]
        if len(parts) == 2:
            rec = out.setdefault(frozenset(parts), {"directions": set(), "relations": set()})
            rec["relations"].add(f"part_of {c}")
    return out


def _new_gene_id(g: nx.MultiDiGraph, symbol: str) -> str:
    base = "".join(ch if ch.isalnum() else "_" for ch in symbol.lower()).strip("_") or "gene"
    if not base[0].isalnum():
        base = "g_" + base
    eid, i = base, 2
    while eid in g:
        eid, i = f"{base}_gene" if i == 2 else f"{base}_gene{i}", i + 1
    return eid


def import_omnipath_lr(g: nx.MultiDiGraph, *, neighbours: bool = False,
                       resource_file: str | Path | None = None) -> ImportResult:
    """Merge the OmniPath consensus into a copy of `g` (see the module docstring); `g` itself is not changed."""
    path = Path(resource_file) if resource_file else liana_resource_path()
    pairs, listed, rows = read_resource(path)
    out = copy.deepcopy(g)
    symbol_of_entity = {}
    for n, a in g.nodes(data=True):
        if a.get("kind") in GENE_KINDS and hgnc_symbols(a):
            symbol_of_entity[n] = hgnc_symbols(a)[0]
    entity_of = _symbol_index(g)
    complexes = _complex_index(g, symbol_of_entity)
    curated = curated_pairs(g)
    kind = {n: a.get("kind") for n, a in g.nodes(data=True)}

    def side(symbols: list[str]) -> str | None:
        if len(symbols) == 1:
            return entity_of.get(symbols[0])
        return complexes.get(frozenset(symbols))

    added: list[dict[str, Any]] = []
    new_genes: dict[str, dict[str, Any]] = {}
    both: list[dict[str, Any]] = []
    consensus_only: list[dict[str, Any]] = []
    seen_curated: set[frozenset[str]] = set()
    consensus_dirs: set[tuple[str, str]] = set()
    skipped_complex = 0
    for pair in pairs:
        lsub, rsub = pair.subunits
        lig, rec = side(lsub), side(rsub)
        if lig is None and rec is None:
            continue
        if (lig is None and len(lsub) > 1) or (rec is None and len(rsub) > 1):
            skipped_complex += 1
            continue
        row = {"ligand": pair.ligand, "receptor": pair.receptor, "ligand_entity": lig, "receptor_entity": rec,
               "resources": list(pair.resources)}
        if lig is not None and rec is not None:
            if lig == rec:
                continue
            consensus_dirs.add((lig, rec))
            key = frozenset((lig, rec))
            if key in curated:
                seen_curated.add(key)
                note = ("" if not curated[key]["directions"] or (lig, rec) in curated[key]["directions"]
                        else "the review states it the other way round")
                both.append({**row, "curated": sorted(curated[key]["relations"]), "note": note})
                continue
            consensus_only.append({**row, "curated": [], "note": ""})
            _add_edge(out, lig, rec, pair, added, neighbour=False)
            continue
        if not neighbours:
            continue
        known = lig if lig is not None else rec
        if kind.get(known) in schema.CELL_KINDS:
            continue
        symbol = pair.receptor if lig is not None else pair.ligand
        gid = new_genes[symbol]["id"] if symbol in new_genes else _new_gene_id(out, symbol)
        if symbol not in new_genes:
            out.add_node(gid, id=gid, name=symbol, kind="gene", category=schema.biolink_category("gene"), synonyms=[],
                         xrefs=[f"hgnc.symbol:{symbol}"], axes=[], caveats=[], added_by=ADDED_BY,
                         description="Added from the OmniPath ligand-receptor consensus as a partner of "
                                     f"{g.nodes[known].get('name', known)}.")
            new_genes[symbol] = {"id": gid, "symbol": symbol, "partners": []}
        new_genes[symbol]["partners"].append(known)
        row["ligand_entity" if lig is None else "receptor_entity"] = gid
        _add_edge(out, row["ligand_entity"], row["receptor_entity"], pair, added, neighbour=True)
    review_only, unmappable = [], []
    for key, rec in sorted(curated.items(), key=lambda kv: sorted(kv[0])):
        if key in seen_curated:
            continue
        a, b = sorted(key)
        directions = sorted(rec["directions"]) or [(a, b)]
        lig, recp = directions[0]
        syms = (symbol_of_entity.get(lig), symbol_of_entity.get(recp))
        item = {"ligand": syms[0], "receptor": syms[1], "ligand_entity": lig, "receptor_entity": recp,
                "curated": sorted(rec["relations"]), "resources": [], "note": ""}
        if None in syms:
            unmappable.append(item)
        else:
            item["note"] = _elsewhere(syms[0], syms[1], listed)
            review_only.append(item)
    shown = str(path) if resource_file else f"liana {_version('liana')}: {'/'.join(RESOURCE_FILE)}"
    return ImportResult(out, shown, rows, len(pairs), added, list(new_genes.values()), both, review_only,
                        consensus_only, skipped_complex, unmappable)


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "(version unknown)"


def _elsewhere(lig: str, rec: str, listed: dict[tuple[str, str], set[str]]) -> str:
    """Where else the resource file has a pair the consensus lacks: other resources, the other way round, inside a
    complex."""
    notes = []
    others = sorted(listed.get((lig, rec), set()) - {CONSENSUS})
    if others:
        notes.append(f"listed by {', '.join(others)}, not by the consensus")
    if CONSENSUS in listed.get((rec, lig), set()):
        notes.append("the consensus has it the other way round")
    within = sorted(f"{a}->{b}" for (a, b), res in listed.items() if CONSENSUS in res and ("_" in a or "_" in b)
                    and lig in a.split("_") and rec in b.split("_"))
    if within:
        notes.append(f"the consensus has it with a multi-subunit side: {', '.join(within)}")
    return "; ".join(notes)


def _add_edge(g: nx.MultiDiGraph, lig: str, rec: str, pair: ResourcePair, added: list[dict[str, Any]], *,
              neighbour: bool) -> None:
    if g.has_edge(lig, rec, key="binds"):  # never overwrite an existing edge (curated, or added by an earlier row)
        return
    evidence = _evidence(pair)
    g.add_edge(lig, rec, key="binds", relation="binds", sign=schema.SIGN_SYMBOLS[schema.RELATIONS["binds"].sign],
               evidence=evidence, refs=[e["ref"] for e in evidence], level=schema.design_level("database"),
               supports=["database"], context="ligand -> receptor (OmniPath consensus)", added_by=ADDED_BY)
    added.append({"ligand": pair.ligand, "receptor": pair.receptor, "ligand_entity": lig, "receptor_entity": rec,
                  "resources": list(pair.resources), "neighbour": neighbour})


def write_outputs(result: ImportResult, graph_file: str | Path, report_file: str | Path | None = None) -> list[str]:
    """Write the merged graph (node-link JSON) and the conflict report (TSV), each whole or not at all."""
    from ..fsio import Publication
    from ..io.nodelink import write_json

    out = Path(graph_file)
    if out.suffix.lower() != ".json":
        raise DataError(f"{out}: the merged graph is written as node-link JSON; name the file .json")
    targets = [out] + ([Path(report_file)] if report_file else [])
    for t in targets:
        if t.parent and not t.parent.is_dir():
            raise DataError(f"{t}: no such folder {t.parent}")
    written = []
    with Publication() as pub:  # both files whole, published together, never through a planted link
        write_json(result.graph, pub.file(out))
        written.append(str(out))
        if report_file:
            rep = Path(report_file)
            cols = ["status", "ligand", "receptor", "ligand_entity", "receptor_entity", "curated", "resources", "note"]
            with pub.file(rep).open("w", newline="", encoding="utf-8") as fh:
                w = csv.writer(fh, delimiter="\t", lineterminator="\n")
                w.writerow(cols)
                for row in result.report_rows():
                    w.writerow([",".join(v) if isinstance(v, list) else ("" if v is None else v)
                                for v in (row.get(c) for c in cols)])
            written.append(str(rep))
    return written
