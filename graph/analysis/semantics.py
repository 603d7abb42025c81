"""The costs and scores of the signed search: a step's additive cost, a path's score, the per-step
and hub penalties.

What an edge means (which edges a signed path walks, with which sign; efficacy modifiers;
markers; evidence weights and supports) is written once in `mechgraph.edges`, which the
analyses, exports and pictures all import; this module adds only what the search alone needs.
"""

from __future__ import annotations

import math

from .. import edges as _edges

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
