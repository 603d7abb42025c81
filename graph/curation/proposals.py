"""The review's proposals: targets to pursue, patients to stratify, combinations to test.

A proposal is not an observed mechanism, so it is never an edge: a seed file lists it under the
top-level key `proposals` (schema.PROPOSAL_FIELDS), and the built graph stores it on every
entity it names and on its therapy as the node attribute `proposals`, a list of
`{proposes, entities, therapy, refs, locator, support, summary}`. Answers cite it ("the review
proposes it as a target, 1.3 ¶2"); no score depends on it.
"""

from __future__ import annotations

from typing import Any

from .. import schema
from .checker import Checker, SeedData, read_evidence
from .yaml_tree import Node

# How a proposal may be known: the review's sentence (review_text) or its speculation (hypothesis).
PROPOSAL_SUPPORTS = ("review_text", "hypothesis")


def read_proposal(chk: Checker, rel: str, line: int, rec: dict[str, Node], data: SeedData) -> None:
    """Check one proposal record and add it to `data.proposals`."""
    chk.unknown_keys(rel, rec, schema.PROPOSAL_FIELDS, "a proposal")
    kind = chk.text(rel, rec, "proposes", required=True)
    if kind is not None and kind not in schema.PROPOSAL_KINDS:
        chk.err(rel, rec["proposes"].line,
                f"unknown proposal kind {kind!r}{schema.did_you_mean(kind, schema.PROPOSAL_KINDS)}; "
                                           f"expected one of {', '.join(schema.PROPOSAL_KINDS)}")
        kind = None
    entities = chk.text_list(rel, rec, "entities")
    where = rec["entities"].line if "entities" in rec else line
    if not entities:
        chk.err(rel, where, "a proposal names at least one entity in 'entities'")
    for eid in entities:
        if eid not in data.entities:
            chk.err(rel, where, f"proposal entity {eid!r} is not a known "
                                f"entity{schema.did_you_mean(eid, data.entities)}")
    therapy = chk.text(rel, rec, "therapy")
    if therapy is not None:
        tline = rec["therapy"].line
        if therapy not in data.entities:
            chk.err(rel, tline, f"proposal therapy {therapy!r} is not a known "
                                f"entity{schema.did_you_mean(therapy, data.entities)}")
        elif data.entities[therapy]["kind"] not in schema.THERAPY_KINDS:
            chk.err(rel, tline, f"proposal therapy {therapy!r} is a {data.entities[therapy]['kind']}, not a therapy")
    if kind == "stratification" and therapy is None:
        chk.err(rel, line, "a stratification proposal names the 'therapy' the patients would be chosen for")
    if kind != "stratification" and therapy is not None:
        chk.err(rel, rec["therapy"].line, "'therapy' is only for stratification proposals")
    if kind == "combination":
        for eid in entities:
            if eid in data.entities and data.entities[eid]["kind"] not in schema.THERAPY_KINDS:
                chk.err(rel, where, f"a combination proposal combines therapies; {eid!r} is a "
                                    f"{data.entities[eid]['kind']}")
    ev_node = rec.get("evidence")
    evidence: list[dict] = []
    if ev_node is None:
        chk.err(rel, line, "a proposal needs 'evidence': the review's sentence, with its locator")
    else:
        evidence = read_evidence(chk, rel, ev_node, data)
        for ev in evidence:
            if ev.get("support") not in PROPOSAL_SUPPORTS:
                chk.err(rel, ev["_line"],
                        "a proposal is the review's own: its evidence is review_text or hypothesis, not "
                        f"{ev.get('support')!r}")
    data.proposals.append({
        "proposes": kind, "entities": entities, "therapy": therapy, "evidence": evidence,
        "caveats": chk.text_list(rel, rec, "caveats"), "_file": rel, "_line": line,
    })


def proposal_view(p: dict[str, Any]) -> dict[str, Any]:
    """The node-attribute form of a proposal: {proposes, entities, therapy, refs, locator, support, summary}."""
    evidence = p["evidence"]
    refs = list(dict.fromkeys(str(e["ref"]) for e in evidence if e.get("ref")))
    locators = list(dict.fromkeys(e["locator"] for e in evidence if e.get("locator")))
    supports = list(dict.fromkeys(e["support"] for e in evidence if e.get("support")))
    out: dict[str, Any] = {
        "proposes": p["proposes"], "entities": list(p["entities"]), "refs": refs, "locator": "; ".join(locators),
        "support": ", ".join(supports), "summary": evidence[0]["summary"] if evidence else "",
    }
    if p.get("therapy"):
        out["therapy"] = p["therapy"]
    if p.get("caveats"):
        out["caveats"] = list(p["caveats"])
    return out


def proposals_by_entity(data: SeedData) -> dict[str, list[dict[str, Any]]]:
    """Entity id -> the proposals that name it (as entity or as therapy), in seed order."""
    out: dict[str, list[dict[str, Any]]] = {}
    for p in data.proposals:
        view = proposal_view(p)
        for eid in dict.fromkeys([*p["entities"], *([p["therapy"]] if p.get("therapy") else [])]):
            out.setdefault(eid, []).append(view)
    return out
