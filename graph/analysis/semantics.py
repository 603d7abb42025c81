"""What an edge means to the analyses: the sign rules, written down once.

A node stands for the net functional output of what it names: a cell population's abundance
times its activity, a molecule's level times its activity, a process's rate. An edge says how
its source changes that output, so signs multiply along a path.

Walked with a sign (+1 or -1, the relation's fixed sign from `mechgraph.schema`):
  promotes, activates, recruits, secretes, polarizes (+) and inhibits, kills (-). Killing lowers
  a cell's abundance, so it lowers what that cell does: "a drug kills cancer cells" and "cancer
  cells drive metastasis" give "the drug lowers metastasis". Recruiting, polarizing into and
  activating a cell all raise its output.
Walked without a sign of their own (the sign passes through):
  subtype_of, from member to class: a subtype does what its class does (THBS2+ CAF -> CAF),
  and a therapy acts through its class's mechanism (nivolumab -> PD-1 antibody);
  part_of, from component to complex (C3 -> C3/C3aR1); for therapies the other way round, from
  a regimen to its components, because a regimen acts through what its drugs do.
Never walked, because they do not say that the source changes the target:
  expresses from a cell (a marker describes the cell; more CD8+ T cells do not mean more PD-1
  signalling into them, and fewer cancer cells do not mean fewer NK cells through less ICAM-2
  on them). A therapy that expresses a product (a vector carrying a transgene) supplies it, so
  that edge is walked with +1.
  binds and targets (contact without a direction of change; a drug's signed action is its own
  inhibits/activates/kills edge), associated_with (a correlation), tested_in and reported_in
  (trial bookkeeping), and every edge to or from a publication or a clinical trial.
Edges into a therapy from anything that is not a therapy say that the source changes the
therapy's efficacy (for example, peritoneal metastasis lowers the response to PD-1 antibodies).
They are clinical associations, not mechanisms: no mechanism path walks them, and `path`
reports them in a section of their own.

Support. Each evidence record says how it is known (`support`). The analyses use review_text
and curator records, and reference_title records at a discount; never hypothesis records unless
asked. An edge with no usable record is left out; its weight comes from its usable records only.
"""

from __future__ import annotations

import math
from typing import Any, Iterable

from .. import schema
from ..errors import MechGraphError

OUTCOME_KINDS = ("phenotype", "disease")
CELL_KINDS = ("cell_type", "cell_state", "tumour_cell")
ACTING_RELATIONS = ("targets", "inhibits", "activates", "binds", "kills")  # how a therapy acts on an entity
THERAPY_KINDS = ("therapy", "therapy_class")
NEVER_WALKED_KINDS = ("publication", "clinical_trial")

SUPPORTS = tuple(schema.SUPPORTS)  # review_text, reference_title, curator, hypothesis, database
DEFAULT_SUPPORT = frozenset({"review_text", "curator", "reference_title"})
# the evidence weights live with the vocabulary, so exports weigh edges as the analyses do
REFERENCE_TITLE_DISCOUNT = schema.REFERENCE_TITLE_DISCOUNT  # an edge known only from a reference's title weighs this much less
LEVEL_WEIGHT = schema.LEVEL_WEIGHT
UNKNOWN_LEVEL_WEIGHT = schema.UNKNOWN_LEVEL_WEIGHT
EXTRA_REF_BONUS = schema.EXTRA_REF_BONUS
STEP_PENALTY = 0.8  # every step after the first multiplies a path's score by this
DEFAULT_HUB_PENALTY = 0.5  # a path's score x (degree / typical degree)**-0.5 for each hub it passes through


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
    return str(record.get("support") or "review_text")


def usable_records(attrs: dict[str, Any], support: frozenset[str], min_level: str | None = None) -> list[dict[str, Any]]:
    """The evidence records of an edge that the analysis may use."""
    floor = schema.EVIDENCE_LEVELS.get(min_level, 0) if min_level else 0
    out = []
    for rec in attrs.get("evidence") or ():
        if record_support(rec) not in support:
            continue
        if floor and schema.EVIDENCE_LEVELS.get(rec.get("level") or "", 0) < floor:
            continue
        out.append(rec)
    if not attrs.get("evidence") and "review_text" in support and not floor:
        # an edge of a graph built without evidence records (hand-built, or an analysis view):
        # use its edge-level attributes as one record
        out.append({"level": attrs.get("level"), "ref": None, "support": "review_text"})
    return out


def step_weight_of(records: list[dict[str, Any]], refs: list[str]) -> float:
    """Weight of a step: its best level, +5% per further reference (at most 1.0), discounted when
    only a reference's title supports it."""
    best = max((LEVEL_WEIGHT.get(r.get("level") or "", UNKNOWN_LEVEL_WEIGHT) for r in records), default=UNKNOWN_LEVEL_WEIGHT)
    w = min(1.0, best * (1 + EXTRA_REF_BONUS * max(0, len(refs) - 1)))
    if records and all(record_support(r) == "reference_title" for r in records):
        w *= REFERENCE_TITLE_DISCOUNT
    return w


def step_cost(weight: float) -> float:
    """Additive cost of a step of this weight (with the per-step penalty)."""
    return -math.log(weight) - math.log(STEP_PENALTY)


def score_of(cost: float) -> float:
    """Score of a path of this total cost; the first step is not penalised."""
    return math.exp(-cost) / STEP_PENALTY


def walk_rule(relation: str, source_kind: str | None, target_kind: str | None) -> tuple[int, bool] | None:
    """How an edge is walked: (sign, reversed) with sign +1/-1, or 0 for a step that passes the
    sign through; None when the edge is not a mechanism step. See the module docstring."""
    if source_kind in NEVER_WALKED_KINDS or target_kind in NEVER_WALKED_KINDS:
        return None
    if target_kind in THERAPY_KINDS and source_kind not in THERAPY_KINDS:
        return None  # changes the therapy's efficacy: a clinical association
    if relation == "subtype_of":
        return (0, False)
    if relation == "part_of":
        return (0, source_kind in THERAPY_KINDS and target_kind in THERAPY_KINDS)
    if relation == "expresses":
        return (1, False) if source_kind in THERAPY_KINDS else None
    rel = schema.RELATIONS.get(relation)
    if rel is None or rel.structural or rel.sign in (0, None):
        return None
    return (rel.sign, False)


def is_efficacy_edge(source_kind: str | None, target_kind: str | None) -> bool:
    """An edge from something that is not a therapy into a therapy: it changes the therapy's efficacy."""
    return target_kind in THERAPY_KINDS and source_kind not in THERAPY_KINDS and source_kind not in NEVER_WALKED_KINDS


def counts_for_degree(relation: str, source_kind: str | None, target_kind: str | None) -> bool:
    """Whether an edge counts toward a node's degree for the hub penalty: the signed mechanism
    steps between entities that are not therapies (many drugs on one target do not make it a hub)."""
    if any(k in THERAPY_KINDS or k in NEVER_WALKED_KINDS for k in (source_kind, target_kind)):
        return False
    rule = walk_rule(relation, source_kind, target_kind)
    return rule is not None and rule[0] != 0


def sign_symbol(sign: int) -> str:
    return "+" if sign > 0 else "-"
