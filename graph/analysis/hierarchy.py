"""The evidence hierarchy: which lines of evidence decide an answer, and how its number respects it.

Levels, strongest first (`schema.EVIDENCE_LEVELS`, anchored on the Oxford CEBM levels and
GRADE's starting certainty): randomised trial > non-randomised trial > observational study in
patients > case report > animal study > in vitro study > expert statement. A line of evidence
has one level: a reported result the level of its study, a mechanism path the level of its
weakest signed step (a chain is no stronger than its weakest link; membership steps, which
only classify, do not count). A record of unknown level counts as the lowest.

The rule: the highest level with any line *decides* the verdict; lines at lower levels are
shown as support (same direction) or contradiction (another direction, or a signed effect
against a null), and never outvote it. Within the deciding level, lines are weighed as before:
belief in each direction is a noisy-OR of the lines' strengths (each at most 0.9), and the
level's own net is (raises - lowers) x (1 - null), in [-1, 1].

The number. A verdict with |level net| < 0.1 is "no clear effect" and keeps that small net. A
clear verdict is placed in its level's band: the range (0.1, 1] is cut into seven equal bands,
one per level, the strongest on top (randomised trial 0.87-1.00, non-randomised trial
0.74-0.87, ..., expert statement 0.10-0.23), and |net| = band low + band width x (|level net|
- 0.1) / 0.9. So a clear effect decided by a higher level always has a larger |net| than one
decided by a lower level: a mouse study can never outscore a randomised trial.
"""

from __future__ import annotations

from .. import schema

NO_CLEAR_EFFECT = 0.1
MAX_STRENGTH = 0.9
LOWEST = min(schema.EVIDENCE_LEVELS, key=schema.EVIDENCE_LEVELS.__getitem__)
N_LEVELS = len(schema.EVIDENCE_LEVELS)


def rank(level: str | None) -> int:
    """Strength of a level (1 = weakest); unknown levels count as the weakest."""
    return schema.EVIDENCE_LEVELS.get(level or "", 0) or 1


def level_of(rank_: int) -> str:
    """The level of a strength."""
    return next((k for k, v in schema.EVIDENCE_LEVELS.items() if v == rank_), LOWEST)


def weakest(levels) -> str | None:
    """The weakest of these levels (a path's level), or None when there are none."""
    levels = list(levels)
    return level_of(min(rank(x) for x in levels)) if levels else None


def label(level: str | None, n: int = 1) -> str:
    """How a level reads: 'randomised trial', '2 animal studies', 'a case report'."""
    word = schema.LEVEL_LABELS.get(level or LOWEST, level or "")
    if n == 1:
        return word
    plural = word.replace("study", "studies", 1) if "study" in word else word + "s"
    return f"{n} {plural}"


def with_article(level: str | None) -> str:
    word = label(level)
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def is_trial(level: str | None) -> bool:
    """Only these may be called trials."""
    return level in schema.TRIAL_LEVELS


def band(level: str | None) -> tuple[float, float]:
    """The (low, high) |net| of a clear effect decided at this level."""
    r = rank(level)
    width = (1.0 - NO_CLEAR_EFFECT) / N_LEVELS
    return NO_CLEAR_EFFECT + width * (r - 1), NO_CLEAR_EFFECT + width * r


def noisy_or(strengths) -> float:
    p = 1.0
    for s in strengths:
        p *= 1.0 - min(MAX_STRENGTH, s)
    return 1.0 - p


def level_net(lowers, raises, null) -> tuple[float, dict[str, float]]:
    """(net in [-1, 1], beliefs) of one level's lines, given their strengths by direction."""
    belief = {"lowers": noisy_or(lowers), "raises": noisy_or(raises), "null": noisy_or(null)}
    return (belief["raises"] - belief["lowers"]) * (1.0 - belief["null"]), belief


def placed(net: float, level: str | None) -> float:
    """The answer's number: a level's net placed in the level's band when it is a clear effect."""
    if abs(net) < NO_CLEAR_EFFECT:
        return net
    lo, hi = band(level)
    magnitude = lo + (hi - lo) * (abs(net) - NO_CLEAR_EFFECT) / (1.0 - NO_CLEAR_EFFECT)
    return magnitude if net > 0 else -magnitude
