"""Rules that look across seed records, run once every record is well formed.

Each rule reports `FILE:LINE: message` naming the record to fix:

- `chain`: each link of an explained chain is an edge with a walkable sign, and the product of the
  links' signs is the summary edge's sign (mechgraph.edges.walk_rule decides what walks).
- edges into a therapy are efficacy modifiers (`enhances`/`impairs`) or membership (`subtype_of`,
  regimen `part_of`); `enhances`/`impairs` go only into therapies; `form_of` runs from a therapy
  to a molecule; `characterized_by` runs from a disease subtype; `targets` is only for a therapy
  whose direction of action is not stated (no signed action beside it).
- a mis-cited reference (`cited_as`) says so in its caveats.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable

from .. import edges as edge_rules
from .. import schema
from .checker import Checker, SeedData

MEMBERSHIP = ("subtype_of", "part_of")
MOLECULE_KINDS = ("gene", "cytokine", "complex", "chemical", "mirna")

def check_rules(chk: Checker, data: SeedData) -> None:
    """Run every rule over validated records, reporting into `chk`."""
    kinds = {eid: e["kind"] for eid, e in data.entities.items()}
    check_relation_kinds(chk, data.edges, kinds)
    check_targets(chk, data.edges)
    check_chains(chk, data.edges, kinds)
    check_citations(chk, data)


# --- which relations may join which kinds ---------------------------------------------------


def check_relation_kinds(chk: Checker, edges: list[dict], kinds: dict[str, str]) -> None:
    for e in edges:
        rel, src, tgt = e["relation"], kinds.get(e["source"]), kinds.get(e["target"])
        what = f"{e['source']} -{rel}-> {e['target']}"
        into_therapy = tgt in schema.THERAPY_KINDS
        if into_therapy and rel not in edge_rules.EFFICACY_RELATIONS:
            membership = rel in MEMBERSHIP and src in schema.THERAPY_KINDS
            if not membership:
                chk.err(e["_file"], e["_line"], f"{what}: an edge into a therapy says how its source changes the therapy's "
                                                f"efficacy; write 'enhances' or 'impairs' (only a therapy's subtype_of or part_of "
                                                f"may be anything else)")
        elif rel in edge_rules.EFFICACY_RELATIONS and not into_therapy:
            chk.err(e["_file"], e["_line"], f"{what}: '{rel}' modifies a therapy's efficacy, but {e['target']} is a {tgt}")
        if rel == "form_of" and (src not in schema.THERAPY_KINDS or tgt not in MOLECULE_KINDS):
            chk.err(e["_file"], e["_line"], f"{what}: 'form_of' runs from a therapy to the molecule it is a form of "
                                            f"({', '.join(MOLECULE_KINDS)}), not from a {src} to a {tgt}")
        if rel == "characterized_by" and src != "disease_subtype":
            chk.err(e["_file"], e["_line"], f"{what}: 'characterized_by' runs from a disease_subtype, not from a {src}")


def check_targets(chk: Checker, edges: list[dict]) -> None:
    """`targets` only where no signed action between the same pair says which way the therapy acts."""
    signed = {(e["source"], e["target"]): e for e in edges if schema.RELATIONS[e["relation"]].sign in (1, -1)}
    for e in edges:
        if e["relation"] != "targets":
            continue
        other = signed.get((e["source"], e["target"]))
        if other is not None:
            chk.err(e["_file"], e["_line"], f"{e['source']} -targets-> {e['target']} beside {e['source']} -{other['relation']}-> "
                                            f"{e['target']} ({other['_file']}:{other['_line']}): a drug's action on its target is one "
                                            f"signed edge; drop the 'targets' edge")


# --- explained chains -----------------------------------------------------------------------


def _link_signs(a: str, b: str, out_edges: dict[str, list[dict]], kinds: dict[str, str]) -> tuple[set[int], list[str]]:
    """The signs a walk may take from a to b over one edge (0 = passes the sign through), and the
    non-walkable relations found between them."""
    signs: set[int] = set()
    unwalked: list[str] = []
    for e in out_edges.get(a, []):
        if e["target"] == b:
            rule = edge_rules.walk_rule(e["relation"], kinds.get(a), kinds.get(b))
            if rule is not None and not rule[1]:
                signs.add(rule[0])
            else:
                unwalked.append(e["relation"])
    for e in out_edges.get(b, []):  # a step walked against its direction (a regimen acts through its parts)
        if e["target"] == a:
            rule = edge_rules.walk_rule(e["relation"], kinds.get(b), kinds.get(a))
            if rule is not None and rule[1]:
                signs.add(rule[0])
    return signs, unwalked


def check_chains(chk: Checker, edges: list[dict], kinds: dict[str, str]) -> None:
    out_edges: dict[str, list[dict]] = defaultdict(list)
    for e in edges:
        out_edges[e["source"]].append(e)
    for e in edges:
        chain = e.get("chain") or []
        if not chain:
            continue
        where = (e["_file"], e.get("_chain_line", e["_line"]))
        what = f"chain of {e['source']} -{e['relation']}-> {e['target']}"
        rule = edge_rules.walk_rule(e["relation"], kinds.get(e["source"]), kinds.get(e["target"]))
        if rule is None or rule[0] == 0 or rule[1]:
            chk.err(*where, f"{what}: only a signed mechanism step can summarise a chain")
            continue
        nodes = [e["source"], *chain, e["target"]]
        product, ok = 1, True
        for a, b in zip(nodes, nodes[1:]):
            signs, unwalked = _link_signs(a, b, out_edges, kinds)
            if not signs:
                found = f" ({', '.join(f'{a} -{r}-> {b}' for r in unwalked)} is not a signed step)" if unwalked else ""
                chk.err(*where, f"{what}: no edge {a} -> {b} with a walkable sign{found}")
                ok = False
                continue
            nonzero = {s for s in signs if s}
            if len(nonzero) > 1:
                chk.err(*where, f"{what}: the edges {a} -> {b} disagree in sign; the link is ambiguous")
                ok = False
                continue
            product *= nonzero.pop() if nonzero else 1
        if ok and product != rule[0]:
            chk.err(*where, f"{what}: the links multiply to {edge_rules.symbol(product)}, but the edge's sign is "
                            f"{edge_rules.symbol(rule[0])}")


# --- citations ------------------------------------------------------------------------------


def _records(data: SeedData) -> Iterable[tuple[dict, dict[str, Any]]]:
    for e in data.edges:
        for ev in e["evidence"]:
            yield e, ev
    for p in data.proposals:
        for ev in p["evidence"]:
            yield p, ev


def check_citations(chk: Checker, data: SeedData) -> None:
    for holder, ev in _records(data):
        where = (holder["_file"], ev.get("_line", holder["_line"]))
        cited = ev.get("cited_as")
        if cited and not data.references[cited].get("caveats"):
            ref = data.references[cited]
            chk.err(*where, f"the record says the review mis-cites reference {cited}, but reference {cited} "
                            f"({ref['_file']}:{ref['_line']}) records no caveat saying so")
