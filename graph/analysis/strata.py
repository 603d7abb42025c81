"""Strata: answers for one subtype of the disease, as the review distinguishes them to choose therapy.

A stratum is an entity of kind `disease_subtype` (T-cell-exhausted GCPM, T-cell-excluded GCPM)
whose `characterized_by` edges name what is high in it (its *features*: T-cell exhaustion,
TIM-3/galectin-9, VISTA, TGF-beta1; or dense stroma and T-cell exclusion). The rule, one for
every question:

* `path SUBTYPE X` walks from the subtype through its features only: `characterized_by` is a
  signed step (+), and the subtype's own `subtype_of` edge to the disease is not walked
  (`edges.walk_rule`), because what every subtype inherits from the disease would make all
  subtypes answer alike. Two subtypes answer differently exactly where their features differ.
* `targets --in SUBTYPE` keeps, of each candidate's influence on the disease outcomes, only the
  paths that pass one of the subtype's features (or a step whose recorded chain runs through
  one), or that start at a feature: the mechanisms active in that subtype. Candidates with no
  such path drop out; evidence and druggability are unchanged.
* `combine THERAPY --in SUBTYPE` keeps the escape routes that pass (or start at) a feature;
  `combine A B --in SUBTYPE` the meetings whose legs pass a feature or meet at one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import MechGraphError
from .index import MechanismIndex, Via

KIND = "disease_subtype"


@dataclass(frozen=True)
class Stratum:
    """A disease subtype and its characterizing features (node numbers of an index)."""

    node: int
    features: tuple[int, ...]
    via: Via

    def as_dict(self, index: MechanismIndex) -> dict[str, Any]:
        return {"id": index.ids[self.node], "name": index.name(self.node),
                "features": [{"id": index.ids[f], "name": index.name(f)} for f in self.features]}


def stratum(index: MechanismIndex, eid: str | None) -> Stratum | None:
    """The stratum `eid` names (None for none); an error when it is not a disease subtype or names
    no feature the evidence filter keeps."""
    if eid is None:
        return None
    s = index.node(eid)
    if index.kind[s] != KIND:
        raise MechGraphError(f"--in takes a disease subtype; {index.name(s)} is a {index.kind[s] or 'node'}")
    feats = sorted({w for w, sign, _, e in index.out[s] if sign != 0 and index.edges.rows[e][2] == "characterized_by"},
                   key=lambda n: index.ids[n])
    if not feats:
        raise MechGraphError(f"{index.name(s)} has no characterized_by feature with usable evidence")
    return Stratum(s, tuple(feats), index.via(feats))


def feature_refs(index: MechanismIndex, st: Stratum) -> dict[int, list[str]]:
    """Each feature of the stratum with the references of its characterized_by edge."""
    out: dict[int, list[str]] = {}
    for w, _, _, e in index.out[st.node]:
        info = index.edges[e]
        if w in st.features and info.relation == "characterized_by":
            out.setdefault(w, [])
            out[w] = sorted(set(out[w]) | set(info.refs))
    return out

