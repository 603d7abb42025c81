"""The signed net effect of a therapy on an outcome, with supporting and contradicting paths apart.

Every simple path from the therapy to the outcome up to a length is scored as in analysis/paths.py.
For a disease outcome (peritoneal metastasis, poor survival, ...) a '-' path supports benefit and
a '+' path contradicts it; unsigned paths (through binds, targets, associated_with, null results)
are listed as inconclusive. The net effect is the score-weighted balance of the signed paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx

from .paths import SignedPath, all_simple_walks, path_index

DEFAULT_OUTCOME = "peritoneal_metastasis"


@dataclass
class Effect:
    therapy: dict[str, str]
    outcome: dict[str, str]
    net: float
    verdict: str
    lowering: list[SignedPath]
    raising: list[SignedPath]
    unsigned: list[SignedPath]
    limits: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "therapy": self.therapy,
            "outcome": self.outcome,
            "net": round(self.net, 4),
            "verdict": self.verdict,
            "lowering": [p.as_dict() for p in self.lowering],
            "raising": [p.as_dict() for p in self.raising],
            "unsigned": [p.as_dict() for p in self.unsigned],
            "limits": self.limits,
        }


def therapy_effect(g: nx.MultiDiGraph, therapy: str, outcome: str = DEFAULT_OUTCOME, *, max_len: int = 5, limit: int = 20) -> Effect:
    """Sum the signed paths from `therapy` to `outcome`; `limit` paths of each group are kept."""
    paths = all_simple_walks(path_index(g), therapy, outcome, max_len)
    lowering = [p for p in paths if p.sign == "-"]
    raising = [p for p in paths if p.sign == "+"]
    unsigned = [p for p in paths if p.sign == "0"]
    down = sum(p.score for p in lowering)
    up = sum(p.score for p in raising)
    net = up - down
    total = up + down
    if total == 0:
        verdict = "no signed path" if not unsigned else "inconclusive: only unsigned paths"
    elif abs(net) < 0.2 * total:
        verdict = "conflicting: evidence points both ways"
    else:
        verdict = "lowers" if net < 0 else "raises"
        if down and up:
            verdict += " on balance (some paths disagree)"
    limits = efficacy_limits(g, therapy)
    name = lambda n: {"id": n, "name": str(g.nodes[n].get("name", n))}  # noqa: E731
    return Effect(name(therapy), name(outcome), net, verdict, lowering[:limit], raising[:limit], unsigned[:limit], limits)


def efficacy_limits(g: nx.MultiDiGraph, therapy: str) -> list[dict[str, Any]]:
    """What the graph says lowers this therapy's efficacy: '-' edges into it or into a class it belongs to."""
    targets = [therapy] + sorted(nx.descendants(_class_tree(g), therapy)) if therapy in g else []
    out = []
    for t in targets:
        for u, _, k, a in sorted(g.in_edges(t, keys=True, data=True), key=lambda e: (e[0], e[2])):
            if a.get("sign") != "-":
                continue
            out.append(
                {
                    "source": u,
                    "source_name": str(g.nodes[u].get("name", u)),
                    "relation": k,
                    "target": t,
                    "context": a.get("context"),
                    "refs": list(a.get("refs") or []),
                    "level": a.get("level"),
                    "figures": [e["figures"] for e in a.get("evidence") or [] if e.get("figures")],
                }
            )
    return out


def _class_tree(g: nx.MultiDiGraph) -> nx.DiGraph:
    tree = nx.DiGraph()
    tree.add_edges_from((u, v) for u, v, k in g.edges(keys=True) if k == "subtype_of")
    tree.add_nodes_from(g.nodes)
    return tree
