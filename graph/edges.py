"""What an edge means, written down once: its sign, whether a signed path walks it, what its
evidence weighs and how it is known.

The analyses, the exports and the pictures all read edges through this module, so "causal",
"efficacy", "marker" and an edge's weight mean the same in a path, a SIF file and a picture.

A node stands for the net output of what it names: a cell population's abundance times its
activity, a molecule's level times its activity, a process's rate. An edge says how its source
changes that output, and a path's sign is the product of its steps' signs.

Walked with a sign (the relation's fixed sign from `schema.RELATIONS`):
  promotes, activates, recruits, secretes, polarizes, characterized_by (+); inhibits, kills (-).
  Killing lowers a cell's abundance, so it lowers what that cell does.
Walked passing the sign through (shown "="):
  subtype_of from member to class (a subtype does what its class does; a therapy acts through its
  class's stated mechanism); part_of from component to complex, and for therapies from a regimen
  to its components; form_of from a recombinant form to the molecule it supplies (rmhTNF acts as
  TNF does; it does not "activate" TNF). Not subtype_of from a disease subtype: a subtype
  answers through its characterized_by features, what sets it apart, never through what every
  subtype inherits from the disease (or all subtypes would answer alike).
Never walked:
  expresses from a cell (a marker describes the cell, it is not its output); a therapy that
  expresses a transgene supplies it (+). binds, targets, bypasses (contact or route, no change),
  associated_with (a correlation), tested_in and reported_in (bookkeeping), every edge to or
  from a publication or a clinical trial, and every edge INTO a therapy other than membership:
  enhances and impairs (and, in older graphs, any signed edge into a therapy) say that the source
  changes the therapy's efficacy. They are clinical modifiers, reported apart, never a step of the
  source's mechanism ("paclitaxel enhances the oncolytic adenovirus" is not "paclitaxel activates it").

Evidence. Each record says how it is known (`support`); the analyses use review_text, curator
and reference_title records by default (the last x0.7) and never hypothesis records unless asked.
A step weighs its strongest usable level (`schema.LEVEL_WEIGHT`), +5% per further reference.
Records that share an `observation` key are one observation and count once wherever they appear.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import schema
from .errors import MechGraphError

EFFICACY_RELATIONS = ("enhances", "impairs")  # modifiers of a therapy's efficacy
# how a therapy acts on an entity, in the druggability sense: form_of too (a recombinant cytokine
# supplies the cytokine, so it is a drug that hits it), though form_of is never a signed step
ACTING_RELATIONS = ("targets", "inhibits", "activates", "binds", "kills", "form_of")
PASS_THROUGH_RELATIONS = ("subtype_of", "part_of", "form_of")

# --- signs ----------------------------------------------------------------------------------

SIGN_INT = {"+": 1, "-": -1, "0": 0, "=": 0}
SIGN_VERB = {"+": "raises", "-": "lowers"}  # what a path or modifier of this sign does to what it reaches


def symbol(sign: int) -> str:
    """'+' for a positive walk sign, '-' for a negative one."""
    return "+" if sign > 0 else "-"


def sign_symbol(attrs: dict[str, Any], relation: str) -> str:
    """The edge's sign as the graph writes it: '+', '-', '0', or '=' for a structural step."""
    given = attrs.get("sign")
    if given in SIGN_INT:
        return str(given)
    rel = schema.RELATIONS.get(relation)
    return rel.sign_symbol if rel else "0"


def sign_int(sym: str) -> int:
    """+1, -1 or 0 for a sign symbol; structural steps ('=') count as unsigned."""
    return SIGN_INT.get(sym, 0)


def relation_sign(relation: str) -> int:
    """The relation's own sign, +1, -1 or 0 (structural and unknown relations: 0)."""
    rel = schema.RELATIONS.get(relation)
    return (rel.sign or 0) if rel else 0


# --- walk rules -----------------------------------------------------------------------------


def walk_rule(relation: str, source_kind: str | None, target_kind: str | None) -> tuple[int, bool] | None:
    """How a signed path walks an edge: (sign, reversed), sign +1/-1, or 0 for a step that passes
    the sign through; None when the edge is not a mechanism step (see the module docstring)."""
    if source_kind in schema.NEVER_WALKED_KINDS or target_kind in schema.NEVER_WALKED_KINDS:
        return None
    if relation in EFFICACY_RELATIONS:
        return None
    if target_kind in schema.THERAPY_KINDS:
        if source_kind in schema.THERAPY_KINDS and relation == "subtype_of":
            return (0, False)  # a member acts through its class's stated mechanism
        if source_kind in schema.THERAPY_KINDS and relation == "part_of":
            return (0, True)  # a regimen acts through its components
        return None  # anything else into a therapy changes its efficacy: a modifier, not a step
    if relation == "subtype_of" and source_kind == "disease_subtype":
        return None  # a subtype answers through its characterizing features (analysis/strata.py)
    if relation in PASS_THROUGH_RELATIONS:
        return (0, False)
    if relation == "expresses":
        return (1, False) if source_kind in schema.THERAPY_KINDS else None
    rel = schema.RELATIONS.get(relation)
    if rel is None or rel.structural or rel.sign in (0, None):
        return None
    return (rel.sign, False)


def is_efficacy_edge(relation: str, source_kind: str | None, target_kind: str | None) -> bool:
    """An edge that changes a therapy's efficacy: enhances/impairs, or any non-structural edge into
    a therapy from an entity (a clinical modifier, never a mechanism step)."""
    if source_kind in schema.NEVER_WALKED_KINDS or target_kind in schema.NEVER_WALKED_KINDS:
        return False
    if relation in EFFICACY_RELATIONS:
        return True
    rel = schema.RELATIONS.get(relation)
    if target_kind not in schema.THERAPY_KINDS or rel is None or rel.structural:
        return False
    return source_kind not in schema.THERAPY_KINDS or rel.sign in (1, -1)


def is_marker(relation: str, source_kind: str | None, target_kind: str | None) -> bool:
    """A cell expressing a gene: a marker of the cell (a handle on it), not its output."""
    return relation == "expresses" and source_kind in schema.CELL_KINDS


def is_causal_step(relation: str, source_kind: str | None, target_kind: str | None) -> bool:
    """A signed mechanism step (what causal formats such as SIF and CARNIVAL may hold)."""
    rule = walk_rule(relation, source_kind, target_kind)
    return rule is not None and rule[0] != 0


def is_acting(relation: str, source_kind: str | None, target_kind: str | None) -> bool:
    """A therapy acting on an entity (its target, in the druggability sense)."""
    return (relation in ACTING_RELATIONS and source_kind in schema.THERAPY_KINDS
            and target_kind not in schema.THERAPY_KINDS)


def counts_for_degree(relation: str, source_kind: str | None, target_kind: str | None) -> bool:
    """Whether an edge counts toward a node's degree for the hub penalty: the signed mechanism
    steps between entities that are not therapies (many drugs on one target do not make it a hub)."""
    if any(k in schema.THERAPY_KINDS or k in schema.NEVER_WALKED_KINDS for k in (source_kind, target_kind)):
        return False
    rule = walk_rule(relation, source_kind, target_kind)
    return rule is not None and rule[0] != 0


# --- support and evidence -------------------------------------------------------------------

SUPPORTS = tuple(schema.SUPPORTS)  # review_text, reference_title, curator, hypothesis, database
DEFAULT_SUPPORT = frozenset({"review_text", "curator", "reference_title"})
REVIEW_SUPPORT = "review_text"
SUPPORT_LABELS = {
    "review_text": "the review states it",
    "reference_title": "only a cited reference's title or abstract says it, not the review",
    "curator": "curators' background knowledge; the review does not state it",
    "hypothesis": "the review proposes or speculates it",
    "database": "a curated database lists it, not the review",
}


def parse_support(value: str | Iterable[str] | None) -> frozenset[str]:
    """The support set from a comma-separated string or a list; 'all' means every support."""
    if value is None:
        return DEFAULT_SUPPORT
    items = [x.strip() for x in (value.split(",") if isinstance(value, str) else value) if x and x.strip()]
    if items == ["all"]:
        return frozenset(SUPPORTS)
    unknown = [x for x in items if x not in SUPPORTS]
    if unknown or not items:
        raise MechGraphError(
            f"unknown support {', '.join(unknown) or '(none given)'}; choose from {', '.join(SUPPORTS)} or 'all'"
        )
    return frozenset(items)


def record_support(record: dict[str, Any]) -> str:
    """A record's support; records written before supports were recorded count as the review's text."""
    return str(record.get("support") or REVIEW_SUPPORT)


def records(attrs: dict[str, Any]) -> list[dict[str, Any]]:
    """An edge's evidence records (the mappings of its `evidence`)."""
    return [ev for ev in attrs.get("evidence") or [] if isinstance(ev, dict)]


def usable_records(attrs: dict[str, Any], support: frozenset[str],
                   min_level: str | None = None) -> list[dict[str, Any]]:
    """The evidence records of an edge that an analysis with this support and floor may use."""
    floor = schema.EVIDENCE_LEVELS.get(min_level, 0) if min_level else 0
    out = []
    for rec in attrs.get("evidence") or ():
        if record_support(rec) not in support:
            continue
        if floor and schema.EVIDENCE_LEVELS.get(rec.get("level") or "", 0) < floor:
            continue
        out.append(rec)
    if not attrs.get("evidence") and REVIEW_SUPPORT in support and not floor:
        # an edge of a graph built without evidence records (hand-built, or an analysis view):
        # its edge-level attributes stand for one record
        out.append({"level": attrs.get("level"), "ref": None, "support": REVIEW_SUPPORT})
    return out


def weigh(recs: list[dict[str, Any]], n_refs: int | None = None) -> tuple[int, float, set[str], bool]:
    """(strongest level's strength, weight, references, title only) of a step resting on `recs`.

    The weight is the strongest level's LEVEL_WEIGHT, +5% per further reference (at most 1.0),
    x0.7 when every record rests on a reference's title only. `n_refs` overrides the count of
    references (an edge that carries `refs` but no records)."""
    levels, weights = schema.EVIDENCE_LEVELS, schema.LEVEL_WEIGHT
    unknown = schema.UNKNOWN_LEVEL_WEIGHT
    best_s, best_w, title_only = 0, 0.0, bool(recs)
    refs: set[str] = set()
    for x in recs:
        lvl = x.get("level") or ""
        st = levels.get(lvl, 0)
        if st > best_s:
            best_s = st
        w = weights.get(lvl, unknown)
        if w > best_w:
            best_w = w
        ref = x.get("ref")
        if ref:
            refs.add(str(ref))
        if (x.get("support") or REVIEW_SUPPORT) != "reference_title":
            title_only = False
    if not recs:
        best_w = unknown
    n = len(refs) if n_refs is None else n_refs
    w = min(1.0, best_w * (1 + schema.EXTRA_REF_BONUS * max(0, n - 1)))
    if title_only:
        w *= schema.REFERENCE_TITLE_DISCOUNT
    return best_s, w, refs, title_only


def step_weight(recs: list[dict[str, Any]]) -> float:
    """Weight of a step resting on these records (see `weigh`)."""
    return weigh(recs)[1]


def evidence_weight(attrs: dict[str, Any]) -> float:
    """Weight in (0, 1] of an edge with all of its records, as exports write its `score`: the
    same number the path search gives the step with every support allowed."""
    recs = records(attrs)
    if recs:
        return weigh(recs)[1]
    level = attrs.get("level")
    n = len(attrs.get("refs") or [])
    return weigh([{"level": level, "support": REVIEW_SUPPORT}] if level else [], n_refs=n)[1]


def best_level(recs: list[dict[str, Any]]) -> str | None:
    """The strongest evidence level among records, or None."""
    known = [r.get("level") for r in recs if r.get("level") in schema.EVIDENCE_LEVELS]
    return max(known, key=schema.EVIDENCE_LEVELS.__getitem__) if known else None


def observation_key(record: dict[str, Any]) -> str | None:
    """The observation a record reports, when the curators named it; None: the record is its own."""
    key = record.get("observation")
    return str(key) if key else None


def count_observations(recs: Iterable[dict[str, Any]]) -> int:
    """How many distinct observations these records report (a shared `observation` key counts once)."""
    keys: set[str] = set()
    alone = 0
    for r in recs:
        k = observation_key(r)
        if k is None:
            alone += 1
        else:
            keys.add(k)
    return alone + len(keys)


def edge_supports(attrs: dict[str, Any]) -> list[str]:
    """How an edge is known, sorted: the edge's `supports`, else its evidence records' `support`."""
    given = attrs.get("supports")
    if isinstance(given, str):
        return [given]
    if given:
        return sorted({str(s) for s in given})
    return sorted({str(ev["support"]) for ev in records(attrs) if ev.get("support")})


def edge_refs(attrs: dict[str, Any]) -> list[str]:
    """The reference numbers behind an edge, as text, in the order the graph keeps them."""
    refs = attrs.get("refs")
    if refs:
        return [str(r) for r in refs]
    return list(dict.fromkeys(str(ev["ref"]) for ev in records(attrs) if ev.get("ref") is not None))


def edge_dois(attrs: dict[str, Any]) -> list[str]:
    """The DOIs of an edge's evidence records, sorted, without repeats."""
    return sorted({str(ev["doi"]) for ev in records(attrs) if ev.get("doi")})


def ref_sort_key(ref: Any) -> tuple[int, int, str]:
    """Order of references: the review's numbers first, numerically, then 'review' and curator keys."""
    s = str(ref)
    return (0, int(s), "") if s.isdigit() else (1, 0, s)


def sorted_refs(refs: Iterable[Any]) -> list[str]:
    """Distinct references as text, in `ref_sort_key` order."""
    return sorted({str(r) for r in refs if r is not None and str(r)}, key=ref_sort_key)
