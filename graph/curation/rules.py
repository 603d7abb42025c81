"""Rules that look across seed records, run once every record is well formed.

Each rule reports `FILE:LINE: message` naming the record to fix:

- `chain`: each link of an explained chain is an edge with a walkable sign, and the product of the
  links' signs is the summary edge's sign (mechgraph.edges.walk_rule decides what walks).
- one observation, one edge: the same observation (a shared `observation` key, or the same
  reference, locator and figures) may not sit on two edges that imply each other (a class's edge
  and its member's, a complex's and its part's, or two relations between the same pair).
- `reference_title` records: the reference's title must name the edge's entities (see `mentions`).
- names: a name or synonym belongs to one entity only.
- edges into a therapy are efficacy modifiers (`enhances`/`impairs`) or membership (`subtype_of`,
  regimen `part_of`); `enhances`/`impairs` go only into therapies; `form_of` runs from a therapy
  to a molecule; `characterized_by` runs from a disease subtype; `targets` is only for a therapy
  whose direction of action is not stated (no signed action beside it).
- a mis-cited reference (`cited_as`) says so in its caveats; a `curator` record never borrows the
  level of a primary study of the review's list (background knowledge is not that study's finding).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from .. import edges as edge_rules
from .. import schema
from .checker import Checker, SeedData

MEMBERSHIP = ("subtype_of", "part_of")
MOLECULE_KINDS = ("gene", "cytokine", "complex", "chemical", "mirna")
SECONDARY_DESIGNS = ("review", "guideline", "consensus", "database")

def check_rules(chk: Checker, data: SeedData) -> None:
    """Run every rule over validated records, reporting into `chk`."""
    kinds = {eid: e["kind"] for eid, e in data.entities.items()}
    check_relation_kinds(chk, data.edges, kinds)
    check_targets(chk, data.edges)
    check_chains(chk, data.edges, kinds)
    check_observations(chk, data.edges)
    check_title_mentions(chk, data)
    check_shared_names(chk, data)
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
                chk.err(e["_file"], e["_line"],
                        f"{what}: an edge into a therapy says how its source changes the therapy's "
                                                "efficacy; write 'enhances' or 'impairs' (only a therapy's "
                                                "subtype_of or part_of "
                                                f"may be anything else)")
        elif rel in edge_rules.EFFICACY_RELATIONS and not into_therapy:
            chk.err(e["_file"], e["_line"],
                    f"{what}: '{rel}' modifies a therapy's efficacy, but {e['target']} is a {tgt}")
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
            chk.err(e["_file"], e["_line"],
                    f"{e['source']} -targets-> {e['target']} beside {e['source']} -{other['relation']}-> "
                                            f"{e['target']} ({other['_file']}:{other['_line']}): a drug's action on "
                                            "its target is one "
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
        for a, b in pairwise(nodes):
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


# --- one observation, one edge ------------------------------------------------------------


def _family(edges: list[dict]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(entity -> itself, its ancestors and its descendants; entity -> its ancestors), over
    subtype_of and part_of."""
    parents: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        if e["relation"] in MEMBERSHIP:
            parents[e["source"]].add(e["target"])

    def ancestors(x: str) -> set[str]:
        seen: set[str] = set()
        todo = [x]
        while todo:
            for p in parents.get(todo.pop(), ()):
                if p not in seen:
                    seen.add(p)
                    todo.append(p)
        return seen

    family: dict[str, set[str]] = defaultdict(set)
    above: dict[str, set[str]] = {}
    for x in {e["source"] for e in edges} | {e["target"] for e in edges}:
        family[x].add(x)
        above[x] = ancestors(x)
        for a in above[x]:
            family[x].add(a)
            family[a].add(x)
    return family, above


def _same_observation(r1: dict, r2: dict) -> bool:
    """Two records report one observation: they share a key, or (keys aside) the same reference at
    the same locator with the same kind of data and figures that do not differ."""
    k1, k2 = r1.get("observation"), r2.get("observation")
    if k1 and k2:
        return k1 == k2
    if not r1.get("ref") or r1.get("ref") != r2.get("ref") or r1.get("locator") != r2.get("locator"):
        return False
    if r1.get("design") and r2.get("design") and r1["design"] != r2["design"]:
        return False  # one paper, two kinds of data (patients and mice): two observations
    f1, f2 = r1.get("figures"), r2.get("figures")
    return not f1 or not f2 or f1 == f2


def _why(e1: dict, e2: dict, above: dict[str, set[str]]) -> str:
    if (e1["source"], e1["target"]) == (e2["source"], e2["target"]):
        return "the same pair"
    out = []
    for a, b in ((e1["source"], e2["source"]), (e1["target"], e2["target"])):
        if a != b:
            member, whole = (a, b) if b in above.get(a, ()) else (b, a)
            out.append(f"{member} is a member or part of {whole}")
    return "; ".join(out)


def check_observations(chk: Checker, edges: list[dict]) -> None:
    """An observation sits on one edge of a family of edges that imply each other."""
    considered = [e for e in edges if not schema.RELATIONS[e["relation"]].structural]
    family, above = _family(edges)
    by_source: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(considered):
        by_source[e["source"]].append(i)
    reported: set[tuple[int, int]] = set()
    for j, e2 in enumerate(considered):
        for s in family.get(e2["source"], {e2["source"]}):
            for i in by_source.get(s, []):
                if i >= j or (i, j) in reported:
                    continue
                e1 = considered[i]
                if e1["target"] not in family.get(e2["target"], {e2["target"]}):
                    continue
                for r1 in e1["evidence"]:
                    hit = next((r2 for r2 in e2["evidence"] if _same_observation(r1, r2)), None)
                    if hit is None:
                        continue
                    reported.add((i, j))
                    label = f"observation {hit['observation']!r}" if hit.get("observation") else \
                        f"reference {hit.get('ref')} at {hit.get('locator') or '(no locator)'}"
                    chk.err(e2["_file"], e2["_line"],
                            f"one observation on two edges: the {label} on {e2['source']} -{e2['relation']}-> "
                            f"{e2['target']} is "
                            f"already on {e1['source']} -{e1['relation']}-> {e1['target']} "
                            f"({e1['_file']}:{e1['_line']}), "
                            f"and the two imply each other ({_why(e1, e2, above)}); encode it once, on the most "
                            "specific edge the "
                            f"study supports (distinct observations take distinct 'observation' keys)")
                    break


# --- reference titles -----------------------------------------------------------------------

# The small allowance of `mentions`: Greek letters spelled out, British spelling, any punctuation.
GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "ɣ": "gamma", "δ": "delta", "κ": "kappa"}
SPELLING = (("tumour", "tumor"), ("oesophag", "esophag"))


def name_tokens(text: str) -> list[str]:
    """Lower-case word tokens of a name or title: Greek letters spelled out, British spelling
    made American, every other character (hyphens, slashes, +, spaces) a separator."""
    s = text.lower()
    for g, word in GREEK.items():
        s = s.replace(g, f" {word} ")
    for uk, us in SPELLING:
        s = s.replace(uk, us)
    return re.findall(r"[a-z0-9]+", s)


def mentions(title: str, name: str) -> bool:
    """Whether `title` names `name`: the name's tokens, run together, equal a run of the title's
    tokens run together, allowing a plural s on either side ('IL-33' = 'IL33', 'TAMs' = 'TAM',
    'tumour-associated macrophage' = 'Tumor-associated macrophages', 'TNF-α' = 'TNF-alpha')."""
    words = name_tokens(title)
    want = "".join(name_tokens(name))
    if not want:
        return False
    for i in range(len(words)):
        acc = ""
        for w in words[i:]:
            acc += w
            if acc in (want, want + "s") or acc + "s" == want:
                return True
            if len(acc) > len(want) + 1:
                break
    return False


def entity_names(eid: str, data: SeedData, wholes: dict[str, set[str]]) -> list[str]:
    """The names an entity is mentioned by: its own name and synonyms, and those of what it is part_of."""
    out: list[str] = []
    for x in [eid, *sorted(wholes.get(eid, ()))]:
        ent = data.entities[x]
        out += [ent["name"], *ent.get("synonyms", [])]
    return [n for n in out if n]


def check_title_mentions(chk: Checker, data: SeedData) -> None:
    wholes: dict[str, set[str]] = defaultdict(set)
    for e in data.edges:
        if e["relation"] == "part_of":
            wholes[e["source"]].add(e["target"])
    for e in data.edges:
        ends = [e["source"]] if e["relation"] in MEMBERSHIP else [e["source"], e["target"]]
        for ev in e["evidence"]:
            if ev.get("support") != "reference_title" or not ev.get("ref") or ev["ref"] not in data.references:
                continue
            title = data.references[ev["ref"]].get("title") or ""
            missing = [x for x in ends if not any(mentions(title, n) for n in entity_names(x, data, wholes))]
            if missing:
                chk.err(e["_file"], ev.get("_line", e["_line"]),
                        f"a reference_title record on {e['source']} -{e['relation']}-> {e['target']}, but the title of "
                        f"reference {ev['ref']} names no {' and no '.join(missing)} ({title!r}); if the title does not "
                        f"say it, it is the curators' reading (support: curator) or not in the sources")


# --- names ----------------------------------------------------------------------------------


def check_shared_names(chk: Checker, data: SeedData) -> None:
    """A name (id, English or Chinese name, synonym) belongs to one entity."""
    owner: dict[str, str] = {}
    for eid, ent in data.entities.items():
        names = dict.fromkeys(n.strip().casefold() for n in [eid, ent.get("name") or "", ent.get("name_zh") or "",
                                                               *ent.get("synonyms", [])] if n and n.strip())
        for n in names:
            prev = owner.get(n)
            if prev is None:
                owner[n] = eid
                continue
            other = data.entities[prev]
            chk.err(ent["_file"], ent["_line"],
                    f"the name {n!r} of {eid} is also a name of {prev} ({other['_file']}:{other['_line']}); "
                                                f"a name or synonym belongs to one entity")


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
        ref = ev.get("ref")
        if ev.get("support") == "curator" and ref and ref.isdigit() and ev.get("design") not in SECONDARY_DESIGNS:
            chk.err(*where, f"a curator record cites reference {ref} and so borrows the level of its "
                            f"{ev.get('design')} design "
                            f"({ev.get('level')}); background knowledge is not that study's finding: cite a textbook "
                            "or review "
                            f"(a curator reference) or none")
