"""KGX TSV: the graph as Biolink 4 nodes and edges, written through the kgx library.

`write_kgx(g, "gcpm")` writes `gcpm_nodes.tsv` and `gcpm_edges.tsv` (kgx's own file names) with
kgx's `TsvSink`; lists are joined with `|`, as KGX reads them.

- nodes: `id` (a CURIE: a gene's HGNC id, from its HGNC symbol through the shipped table of
  `mechgraph.io.hgnc`; else the node's own identifier where the seeds give one that Biolink
  knows, CL:, GO:, MONDO:, DRUGBANK:, ...; else `MECHGRAPH:<id>`), `category` (Biolink), `name`,
  `description`, `synonym`, `xref`, `provided_by`, and `mechgraph_id`, `kind`, `name_zh`;
- edges: Biolink 4 statements, the predicate and qualifiers chosen by the rules of `KGX_RULES`
  (one per relation of `schema.RELATIONS`; a test fails when a relation has none) and by what
  an edge means (`mechgraph.edges`):
  - a signed effect (promotes, inhibits, activates, recruits, secretes, polarizes, kills) is
    `biolink:affects` with `qualified_predicate` `biolink:causes`, `object_aspect_qualifier`
    (what of the object changes: activity_or_abundance for promotes/inhibits, activity for
    activates, localization for recruits, secretion for secretes, abundance for polarizes and
    kills) and `object_direction_qualifier` (increased, decreased); between two molecules of
    the body (genes, cytokines, complexes, microRNAs) it is `biolink:regulates`, a biologically
    evolved control, directed upregulated or downregulated;
  - an edge into a therapy that changes its efficacy (enhances, impairs; `edges.is_efficacy_edge`)
    is `biolink:increases_sensitivity_to` or `biolink:decreases_sensitivity_to`: the source
    changes how the patient responds to the therapy, not the therapy itself;
  - a correlation (associated_with) is `biolink:positively_correlated_with` or
    `biolink:negatively_correlated_with` by its `direction`; a null result (`direction: none`) is
    `biolink:associated_with` with `negated` true; nothing else is a correlation;
  - a cell's marker is `biolink:expresses` (a therapy expressing a transgene supplies it:
    affects, abundance, increased); binds `biolink:binds`, targets
    `biolink:physically_interacts_with`, characterized_by `biolink:has_phenotype`, subtype_of and
    form_of `biolink:subclass_of`, part_of `biolink:part_of`, reported_in `biolink:mentioned_by`,
    tested_in and bypasses `biolink:related_to`.
  Relations of the graph that become the same statement between the same nodes (same predicate
  and qualifiers) are one edge listing both in `mechgraph_relation`. Two statements that differ
  only in qualifiers (IL-33 activates, and recruits, peritoneal immune cells) are two rows with
  their own ids; kgx's in-memory graph keys an edge by subject, predicate and object, so `kgx
  transform` keeps one of the two. Columns: `id`, `subject`, `predicate`, `object`, the
  qualifiers, `negated`, `category` (biolink:Association), `knowledge_level`
  (`knowledge_assertion`; `statistical_association` for correlations; `prediction` for
  hypotheses), `agent_type` (`manual_agent`: curated by hand), `primary_knowledge_source`
  (`infores:mechgraph`), `publications` (the DOIs of the evidence as `doi:` CURIEs), and
  mechgraph's own `mechgraph_relation`, `sign` (+1, -1, 0), `score`, `evidence_level`,
  `supports` and `refs`.

kgx reads the Biolink model when it is imported and, by default, fetches it from the web;
mechgraph points it at the copy the `biolink-model` package installs, so exports and checks
never reach the network and always use the installed model version (`python -m
mechgraph.io.kgx_cli validate ...` runs kgx's own command line that way). kgx is optional (`pip
install 'mechgraph[exchange]'`) and imported only here.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from .. import edges as meaning
from .. import schema
from ..errors import ExportError
from . import columns, hgnc

INSTALL_HINT = "pip install 'mechgraph[exchange]' (or: pip install kgx biolink-model)"
LOCAL_PREFIX = "MECHGRAPH"
KNOWLEDGE_SOURCE = "infores:mechgraph"
# CURIE prefixes of the seeds that the Biolink model's prefix map knows, as Biolink spells them.
# Not doi: kgx takes a CURIE's local part to have no "/", so a publication is MECHGRAPH:<id>
# with its DOI in `xref`.
BIOLINK_PREFIXES = {"CL": "CL", "GO": "GO", "MONDO": "MONDO", "DRUGBANK": "DRUGBANK", "HGNC": "HGNC",
                    "mirbase": "mirbase"}


@dataclass(frozen=True)
class KgxRule:
    """How one relation becomes a Biolink 4 statement: its predicate and, for a signed effect, the
    aspect of the object it changes (`object_aspect_qualifier`); the direction follows the sign."""

    predicate: str
    aspect: str | None = None


AFFECTS, REGULATES, CAUSES = "biolink:affects", "biolink:regulates", "biolink:causes"
# One rule per relation of schema.RELATIONS (tests/test_io_exchange.py fails on a relation without one).
KGX_RULES: dict[str, KgxRule] = {
    "promotes": KgxRule(AFFECTS, "activity_or_abundance"),
    "inhibits": KgxRule(AFFECTS, "activity_or_abundance"),
    "activates": KgxRule(AFFECTS, "activity"),
    "recruits": KgxRule(AFFECTS, "localization"),  # draws cells to the site
    "secretes": KgxRule(AFFECTS, "secretion"),
    "polarizes": KgxRule(AFFECTS, "abundance"),  # more cells in the target state
    "kills": KgxRule(AFFECTS, "abundance"),
    "expresses": KgxRule("biolink:expresses"),
    "characterized_by": KgxRule("biolink:has_phenotype"),  # Biolink: "disorders 'characterized by'"
    "enhances": KgxRule("biolink:increases_sensitivity_to"),
    "impairs": KgxRule("biolink:decreases_sensitivity_to"),
    "bypasses": KgxRule("biolink:related_to"),
    "binds": KgxRule("biolink:binds"),
    "targets": KgxRule("biolink:physically_interacts_with"),
    "associated_with": KgxRule("biolink:associated_with"),  # refined by the edge's direction
    "tested_in": KgxRule("biolink:related_to"),
    "subtype_of": KgxRule("biolink:subclass_of"),
    "part_of": KgxRule("biolink:part_of"),
    "form_of": KgxRule("biolink:subclass_of"),  # a recombinant form of a molecule is a kind of it
    "reported_in": KgxRule("biolink:mentioned_by"),
}
# Molecules of the body: a signed effect between two of them is regulation (Biolink: "gene-affects-gene
# relationships will almost always involve regulation"); anything a therapy or a cell does is an effect.
MOLECULE_KINDS = ("gene", "cytokine", "complex", "mirna")
EFFICACY_PREDICATES = {1: "biolink:increases_sensitivity_to", -1: "biolink:decreases_sensitivity_to",
                       0: "biolink:affects_sensitivity_to"}
CORRELATION_PREDICATES = {"positive": "biolink:positively_correlated_with",
                          "negative": "biolink:negatively_correlated_with"}
DIRECTIONS = {AFFECTS: {1: "increased", -1: "decreased"}, REGULATES: {1: "upregulated", -1: "downregulated"}}
QUALIFIERS = ("qualified_predicate", "object_aspect_qualifier", "object_direction_qualifier", "negated")
NODE_PROPERTIES = ("id", "category", "name", "description", "synonym", "xref", "provided_by", "mechgraph_id",
                   "kind", "name_zh")
EDGE_PROPERTIES = (
    "id", "subject", "predicate", "object", *QUALIFIERS, "category", "knowledge_level", "agent_type",
    "primary_knowledge_source",
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
        curie = hgnc.hgnc_id(a) if a.get("kind") in MOLECULE_KINDS else None
        for x in [] if curie else a.get("xrefs") or []:
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


def statement(relation: str, source_kind: str | None = None, target_kind: str | None = None,
              attrs: dict[str, Any] | None = None) -> dict[str, Any]:
    """The Biolink predicate and qualifiers of one edge (see the module docstring)."""
    attrs = attrs or {}
    rule = KGX_RULES.get(relation, KgxRule("biolink:related_to"))
    sign = meaning.sign_int(meaning.sign_symbol(attrs, relation))
    if meaning.is_efficacy_edge(relation, source_kind, target_kind):
        return {"predicate": EFFICACY_PREDICATES[sign]}
    if relation == "associated_with":
        direction = attrs.get("direction")
        if direction in CORRELATION_PREDICATES:
            return {"predicate": CORRELATION_PREDICATES[direction]}
        return {"predicate": rule.predicate, **({"negated": True} if direction == "none" else {})}
    if relation == "expresses" and source_kind in schema.THERAPY_KINDS:  # supplies a transgene
        rule = KgxRule(AFFECTS, "abundance")
    if rule.aspect is None or sign == 0:
        return {"predicate": rule.predicate}
    predicate = REGULATES if source_kind in MOLECULE_KINDS and target_kind in MOLECULE_KINDS else AFFECTS
    return {"predicate": predicate, "qualified_predicate": CAUSES, "object_aspect_qualifier": rule.aspect,
            "object_direction_qualifier": DIRECTIONS[predicate][sign]}


def predicate(relation: str, source_kind: str | None = None, target_kind: str | None = None,
              attrs: dict[str, Any] | None = None) -> str:
    """The Biolink predicate of an edge (its qualifiers: `statement`)."""
    return statement(relation, source_kind, target_kind, attrs)["predicate"]


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
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    kinds = {n: g.nodes[n].get("kind") for n in g.nodes}
    for u, v, k in sorted(g.edges(keys=True), key=lambda e: (ids[e[0]], str(e[2]), ids[e[1]])):
        a = g.edges[u, v, k]
        said = statement(k, kinds[u], kinds[v], a)
        key = (ids[u], ids[v], *(said.get(q) for q in ("predicate", *QUALIFIERS)))
        rec = merged.setdefault(key, {"statement": said, "relation": [], "sign": set(), "score": 0.0, "levels": set(),
                                      "supports": set(), "refs": [], "publications": set(), "u": u, "v": v})
        rec["relation"].append(k)
        rec["sign"].add(meaning.sign_int(meaning.sign_symbol(a, k)))
        rec["score"] = max(rec["score"], meaning.evidence_weight(a))
        if a.get("level"):
            rec["levels"].add(str(a["level"]))
        rec["supports"].update(meaning.edge_supports(a))
        rec["refs"].extend(r for r in meaning.edge_refs(a) if r not in rec["refs"])
        rec["publications"].update(f"doi:{d}" for d in meaning.edge_dois(a))
    edges = []
    for (s, o, *_), m in merged.items():
        supports = sorted(m["supports"])
        rec = {
            "id": f"{LOCAL_PREFIX}:{m['u']}--{'+'.join(m['relation'])}--{m['v']}",
            "subject": s,
            **m["statement"],
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
