"""What an edge means to the analyses: the walk rules and weights of `mechgraph.edges`, plus the
costs and scores of the signed search.

The rules themselves (which edges a signed path walks, with which sign; efficacy modifiers;
markers; evidence weights and supports) are written once in `mechgraph.edges`, which the exports
and pictures read too. This module adds what only the search needs: a step's additive cost, a
path's score, and the per-step and hub penalties.
"""

from __future__ import annotations

import math

from .. import edges as _edges
from .. import schema
from ..edges import (  # noqa: F401  (re-exported: the analyses read edges through here)
    ACTING_RELATIONS,
    CELL_KINDS,
    DEFAULT_SUPPORT,
    NEVER_WALKED_KINDS,
    OUTCOME_KINDS,
    SUPPORTS,
    THERAPY_KINDS,
    counts_for_degree,
    is_efficacy_edge,
    is_marker,
    parse_support,
    record_support,
    usable_records,
    walk_rule,
)

REFERENCE_TITLE_DISCOUNT = schema.REFERENCE_TITLE_DISCOUNT
LEVEL_WEIGHT = schema.LEVEL_WEIGHT
UNKNOWN_LEVEL_WEIGHT = schema.UNKNOWN_LEVEL_WEIGHT
EXTRA_REF_BONUS = schema.EXTRA_REF_BONUS
STEP_PENALTY = 0.8  # every step after the first multiplies a path's score by this
DEFAULT_HUB_PENALTY = 0.5  # a path's score x (degree / typical degree)**-0.5 for each hub it passes through


def step_weight_of(records: list[dict], refs: list[str] | None = None) -> float:
    """Weight of a step resting on these records (`mechgraph.edges.weigh`)."""
    return _edges.weigh(records, None if refs is None else len(refs))[1]


def step_cost(weight: float) -> float:
    """Additive cost of a step of this weight (with the per-step penalty)."""
    return -math.log(weight) - math.log(STEP_PENALTY)


def score_of(cost: float) -> float:
    """Score of a path of this total cost; the first step is not penalised."""
    return math.exp(-cost) / STEP_PENALTY


def sign_symbol(sign: int) -> str:
    return _edges.symbol(sign)
