"""KGX TSV: the graph as Biolink nodes and edges, written through the kgx library.

`write_kgx(g, "gcpm")` writes `gcpm_nodes.tsv` and `gcpm_edges.tsv` (kgx's own file names) with
kgx's `TsvSink`; lists are joined with `|`, as KGX reads them.

- nodes: `id` (a CURIE: the node's own identifier where the seeds give one that Biolink knows,
  CL:, GO:, MONDO:, ..., else `MECHGRAPH:<id>`), `category` (Biolink), `name`,
  `description`, `synonym`, `xref`, `provided_by`, and `mechgraph_id`, `kind`, `name_zh`;
- edges: one per (subject, predicate, object), as KGX identifies an association; two relations
  of the graph that share a Biolink predicate between the same nodes (IL-33 activates and recruits
  peritoneal immune cells: both `biolink:affects`) become one edge listing both in `mechgraph_relation`.
  Columns: `id`, `subject`, `predicate` (the relation's Biolink predicate), `object`, `category`
  (biolink:Association), `knowledge_level` (`knowledge_assertion`; `statistical_association` for
  associations; `prediction` for hypotheses), `agent_type` (`manual_agent`: curated by hand),
  `primary_knowledge_source` (`infores:mechgraph`), `publications` (the DOIs of the evidence as
  `doi:` CURIEs), and mechgraph's own `mechgraph_relation`, `sign` (+1, -1, 0), `score`, `evidence_level`,
  `supports` and `refs`.

kgx reads the Biolink model when it is imported and, by default, fetches it from the web;
mechgraph points it at the copy the `biolink-model` package installs, so exports and checks
never reach the network and always use the installed model version. kgx is optional (`pip
install 'mechgraph[exchange]'`) and imported only here.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import networkx as nx

from .. import schema
from ..errors import ExportError
from . import columns

INSTALL_HINT = "pip install 'mechgraph[exchange]' (or: pip install kgx biolink-model)"
LOCAL_PREFIX = "MECHGRAPH"
KNOWLEDGE_SOURCE = "infores:mechgraph"
# CURIE prefixes of the seeds that the Biolink model's prefix map knows, as Biolink spells them.
# Not doi: kgx takes a CURIE's local part to have no "/", so a publication is MECHGRAPH:<id>
# with its DOI in `xref`.
BIOLINK_PREFIXES = {"CL": "CL", "GO": "GO", "MONDO": "MONDO", "DRUGBANK": "DRUGBANK", "HGNC": "HGNC", "mirbase": "mirbase"}
# schema.RELATIONS names `biolink:targets`, `biolink:studied_in` and `biolink:published_in`, which
# the Biolink model (4.x) does not define as predicates; KGX gets the nearest ones it does.
PREDICATE_OVERRIDES = {
    "targets": "biolink:physically_interacts_with",
    "tested_in": "biolink:related_to",
    "reported_in": "biolink:mentioned_by",
}
NODE_PROPERTIES = ("id", "category", "name", "description", "synonym", "xref", "provided_by", "mechgraph_id", "kind", "name_zh")
EDGE_PROPERTIES = (
    "id", "subject", "predicate", "object", "category", "knowledge_level", "agent_type", "primary_knowledge_source",
    "publications", "mechgraph_relation", "sign", "score", "evidence_level", "supports", "refs",
)


@functools.lru_cache(maxsize=1)
def load_kgx() -> Any:
    """Import kgx with the Biolink model read from the installed biolink-model package.

    kgx builds a Biolink toolkit when it is imported (bmt's default is a URL) and reads its
    JSON-LD prefix context from the web; both are pointed at the installed copies first.
    """
    try:
        import biolink_model  # noqa: F401, PLC0415
        import bmt.toolkit  # noqa: PLC0415
    except ImportError:
        raise ExportError(f"KGX needs the kgx and biolink-model packages: {INSTALL_HINT}") from None
    from importlib import resources  # noqa: PLC0415

    model = resources.files("biolink_model").joinpath("schema").joinpath("biolink_model.yaml")
    prefix_map = resources.files("biolink_model").joinpath("prefixmaps").joinpath("biolink_model_prefix_map.json")
    init = bmt.toolkit.Toolkit.__init__
    if init.__defaults__ and len(init.__defaults__) == 2:
        init.__defaults__ = (str(model), {"predicate mappings": []})
    try:
        import kgx.config  # noqa: PLC0415

        context = json.loads(prefix_map.read_text(encoding="utf-8"))
        context.setdefault(LOCAL_PREFIX, "https://w3id.org/mechgraph/")
        context.setdefault("infores", "https://w3id.org/information-resource-registry/")
        for name in ("biolink", "monarch_context", "obo_context"):
            kgx.config.jsonld_context_map.setdefault(name, context)
        import kgx.sink.tsv_sink  # noqa: PLC0415
        import kgx.transformer  # noqa: PLC0415
        import kgx.validator  # noqa: PLC0415
    except ImportError:
        raise ExportError(f"KGX needs the kgx package: {INSTALL_HINT}") from None
    except Exception as e:  # kgx reaching for the network despite the above
        raise ExportError(f"kgx could not load the Biolink model offline: {type(e).__name__}: {e}") from None
    return kgx


def node_curies(g: nx.MultiDiGraph) -> dict[Any, str]:
    """Each node's KGX id: its own CURIE where Biolink knows the prefix and no other node has it."""
    chosen: dict[Any, str | None] = {}
    for n, a in g.nodes(data=True):
        curie = None
        for x in a.get("xrefs") or []:
            prefix, _, local = str(x).partition(":")
            if prefix in BIOLINK_PREFIXES and local:
                curie = f"{BIOLINK_PREFIXES[prefix]}:{local}"
                break
        chosen[n] = curie
    counts: dict[str, int] = {}
    for c in chosen.values():
        if c:
            counts[c] = counts.get(c, 0) + 1
    return {n: c if c and counts[c] == 1 else f"{LOCAL_PREFIX}:{n}" for n, c in chosen.items()}


def knowledge_level(relations: list[str], supports: list[str]) -> str:
    """Biolink's knowledge level of an edge: how the statement was arrived at."""
    if supports and set(supports) == {"hypothesis"}:
        return "prediction"
    if set(relations) == {"associated_with"}:
        return "statistical_association"
    return "knowledge_assertion"


def predicate(relation: str) -> str:
    """The Biolink predicate of a relation: the schema's, where the Biolink model has it."""
    return PREDICATE_OVERRIDES.get(relation) or columns.biolink_predicate(relation)


def kgx_records(g: nx.MultiDiGraph) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The node and edge records in KGX's shape (lists as lists; the sink joins them)."""
    ids = node_curies(g)
    nodes = []
    for n in sorted(g.nodes, key=lambda x: ids[x]):
        a = g.nodes[n]
        rec: dict[str, Any] = {
            "id": ids[n],
            "category": [columns.biolink_category(a)],
            "name": _clean(a.get("name") or n),
            "provided_by": [KNOWLEDGE_SOURCE],
            "mechgraph_id": str(n),
            "kind": a.get("kind") or "",
        }
        if a.get("description"):
            rec["description"] = _clean(a["description"])
        if a.get("synonyms"):
            rec["synonym"] = [_clean(s) for s in a["synonyms"]]
        xrefs = [str(x) for x in a.get("xrefs") or [] if str(x) != ids[n]]
        if xrefs:
            rec["xref"] = xrefs
        if a.get("name_zh"):
            rec["name_zh"] = _clean(a["name_zh"])
        nodes.append(rec)
    merged: dict[tuple[str, str, str], dict[str, Any]] = {}
    for u, v, k in sorted(g.edges(keys=True), key=lambda e: (ids[e[0]], str(e[2]), ids[e[1]])):
        a = g.edges[u, v, k]
        triple = (ids[u], predicate(k), ids[v])
        rec = merged.setdefault(triple, {"relation": [], "sign": set(), "score": 0.0, "levels": set(), "supports": set(),
                                         "refs": [], "publications": set(), "u": u, "v": v})
        rec["relation"].append(k)
        rec["sign"].add(columns.sign_int(columns.sign_symbol(a, k)))
        rec["score"] = max(rec["score"], columns.evidence_weight(a))
        if a.get("level"):
            rec["levels"].add(str(a["level"]))
        rec["supports"].update(columns.edge_supports(a))
        rec["refs"].extend(r for r in columns.edge_refs(a) if r not in rec["refs"])
        rec["publications"].update(f"doi:{d}" for d in columns.edge_dois(a))
    edges = []
    for (s, p, o), m in merged.items():
        supports = sorted(m["supports"])
        rec = {
            "id": f"{LOCAL_PREFIX}:{m['u']}--{'+'.join(m['relation'])}--{m['v']}",
            "subject": s,
            "predicate": p,
            "object": o,
            "category": ["biolink:Association"],
            "knowledge_level": knowledge_level(m["relation"], supports),
            "agent_type": "manual_agent",
            "primary_knowledge_source": KNOWLEDGE_SOURCE,
            "mechgraph_relation": m["relation"],
            "sign": m["sign"].pop() if len(m["sign"]) == 1 else 0,
            "score": round(m["score"], 4),
        }
        if m["publications"]:
            rec["publications"] = sorted(m["publications"])
        level = next((lv for lv in schema.EVIDENCE_LEVELS if lv in m["levels"]), None)
        if level:
            rec["evidence_level"] = level
        if supports:
            rec["supports"] = supports
        if m["refs"]:
            rec["refs"] = m["refs"]
        edges.append(rec)
    return nodes, edges


def write_kgx(g: nx.MultiDiGraph, path: Path) -> None:
    """Write PATH_nodes.tsv and PATH_edges.tsv through kgx's TsvSink (PATH may end in .tsv)."""
    kgx = load_kgx()
    prefix = kgx_prefix(path)
    nodes, edges = kgx_records(g)
    sink = kgx.sink.tsv_sink.TsvSink(
        owner=kgx.transformer.Transformer(),
        filename=str(prefix),
        format="tsv",
        node_properties=list(NODE_PROPERTIES),
        edge_properties=list(EDGE_PROPERTIES),
    )
    try:
        for rec in nodes:
            sink.write_node(rec)
        for rec in edges:
            sink.write_edge(rec)
    finally:
        sink.finalize()


def kgx_prefix(path: Path) -> Path:
    """gcpm, gcpm.tsv or gcpm.kgx -> gcpm (the files are gcpm_nodes.tsv and gcpm_edges.tsv)."""
    name = path.name
    for suffix in (".tsv", ".kgx"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return path.with_name(name)


def kgx_files(path: Path) -> list[Path]:
    prefix = kgx_prefix(path)
    return [prefix.with_name(prefix.name + "_nodes.tsv"), prefix.with_name(prefix.name + "_edges.tsv")]


def _clean(s: Any) -> str:
    """A value safe in a TSV cell and a `|`-joined list: no tabs, line breaks or pipes."""
    return " ".join(str(s).replace("\t", " ").replace("|", "/").split())
