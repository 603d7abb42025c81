"""Answers written for a person: paths, targets, effects and combinations as text of at most 100 columns.

Every line names entities by name, never by id; `--json` gives the full data instead.
"""

from __future__ import annotations

import textwrap
from typing import Any

WIDTH = 100
SIGN_WORD = {"+": "+", "-": "−", "=": "=", "0": "0"}


def wrap(text: str, indent: str = "", width: int = WIDTH) -> str:
    """Wrap one paragraph at `width`, continuation lines indented two more spaces."""
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent + "  ",
                         break_long_words=True, break_on_hyphens=False)


def _names(nodes: list[dict[str, str]]) -> dict[str, str]:
    return {n["id"]: n["name"] for n in nodes}


def _evidence_tag(step: dict[str, Any]) -> str:
    refs = ",".join(step.get("refs") or []) or "-"
    support = "/".join(step.get("support") or []) or "-"
    return f"ref {refs} · {step.get('level') or 'no level'} · {support}"


def step_lines(steps: list[dict[str, Any]], names: dict[str, str], indent: str = "     ") -> list[str]:
    """One line per step, in the direction the path reads: A -relation(sign)-> B, with its evidence."""
    out = []
    for st in steps:
        a, b = names.get(st["source"], st["source"]), names.get(st["target"], st["target"])
        arrow = f"-{st['relation']}({SIGN_WORD.get(st['sign'], st['sign'])})->"
        text = f"{a} {arrow} {b}  [{_evidence_tag(st)}]"
        out.append(wrap(text, indent))
    return out


def _chain(nodes: list[dict[str, str]]) -> str:
    return " → ".join(n["name"] for n in nodes)


# --- path -----------------------------------------------------------------------------------

RELATION_TEXT = {
    "effector": "the therapy raises it: it acts through this entity (effector)",
    "target": "the therapy lowers it: this entity is what it acts against (target)",
    "with": "both push it the same way: works with the therapy",
    "against": "they push it opposite ways: works against the therapy",
}


def path_text(answer: dict[str, Any]) -> str:
    src, dst = answer["from"]["name"], answer["to"]["name"]
    lines: list[str] = []
    if answer["mode"] == "directed":
        if not answer["paths"]:
            return f"no path from {src} to {dst} within {answer['options']['max_len']} steps with these options"
        for i, p in enumerate(answer["paths"], 1):
            lines.append(f"{i}. sign {p['sign']}  score {p['score']:.3f}  ({len(p['steps'])} step{'s' if len(p['steps']) != 1 else ''})")
            lines.append(wrap(_chain(p["nodes"]), "   "))
            lines += step_lines(p["steps"], _names(p["nodes"]))
        return "\n".join(lines)
    lines.append(wrap(f"{src} and {dst}: where {src}'s signed influence meets the mechanism of action of {dst}", ""))
    if not answer["paths"]:
        lines.append("  no mechanistic meeting point within the limits")
    for i, p in enumerate(answer["paths"], 1):
        lines.append("")
        lines.append(wrap(f"{i}. meets at {p['meeting']['name']}: {RELATION_TEXT[p['relation']]}  (score {p['score']:.3f})", ""))
        lines += _legs(p)
    for title, key in (("shared outcomes (not mechanisms)", "shared_outcomes"), ("clinical associations with its efficacy (not mechanisms)", "associations")):
        rows = answer.get(key) or []
        if not rows:
            continue
        lines.append("")
        lines.append(f"{title}:")
        for p in rows:
            if key == "shared_outcomes":
                lines.append(wrap(f"- {p['meeting']['name']}: {p['relation']}  (score {p['score']:.3f})", "  "))
                lines += _legs(p, indent="    ")
            else:
                effect = {"+": "raises", "-": "lowers"}.get(p["sign"], "changes")
                last = p["steps"][-1]
                lines.append(wrap(f"- {src} {effect} the efficacy of {_names(p['nodes']).get(last['target'], last['target'])}"
                                  f"  (score {p['score']:.3f})", "  "))
                lines += step_lines(p["steps"], _names(p["nodes"]), "      ")
    return "\n".join(lines)


def _legs(p: dict[str, Any], indent: str = "   ") -> list[str]:
    names = _names(p["nodes"])
    n_from = p["legs"]["from"]
    nodes = p["nodes"]
    from_nodes = nodes[: n_from + 1]
    to_nodes = nodes[n_from:][::-1]
    out = [wrap(f"from {from_nodes[0]['name']}: " + (_chain(from_nodes) if n_from else "(itself)"), indent)]
    out += step_lines(p["steps"][:n_from], names, indent + "  ")
    out.append(wrap(f"from {to_nodes[0]['name']}: " + _chain(to_nodes), indent))
    out += step_lines(p["steps"][n_from:][::-1], names, indent + "  ")
    return out


# --- targets --------------------------------------------------------------------------------


def targets_text(ranking: dict[str, Any]) -> str:
    rows = ranking["targets"]
    if not rows:
        return "no candidate target reaches an outcome"
    head = f"{'#':>2}  {'target':<34} {'do':<8} {'score':>5} {'infl':>4} {'evid':>4} {'drug':>4} {'p':>6}"
    lines = [head, "-" * len(head)]
    for i, t in enumerate(rows, 1):
        c = t["components"]
        p = "-" if t["p_value"] is None else f"{t['p_value']:.3f}"
        name = t["name"] if len(t["name"]) <= 34 else t["name"][:33] + "…"
        lines.append(f"{i:>2}  {name:<34} {t['direction']:<8} {t['score']:>5.3f} {c['influence']:>4.2f} {c['evidence']:>4.2f} "
                     f"{c['druggability']:>4.2f} {p:>6}")
        lines.append(wrap(_target_reason(t), "    "))
    lines.append("")
    lines.append(wrap(
        f"score = 0.50 influence + 0.30 evidence + 0.20 druggability; p from {ranking['permutations']} degree-preserving "
        f"shuffles (seed {ranking['seed']}); {ranking['candidates']} candidates; --json gives every path and reference.", ""))
    return "\n".join(lines)


def _target_reason(t: dict[str, Any]) -> str:
    parts = []
    reasons = sorted(t["reasons"], key=lambda r: -r["score"])
    if reasons:
        r = reasons[0]
        names = []
        for st in r["path"]:
            for end in (st["source"], st["target"]):
                if end not in names:
                    names.append(end)
        via = r["route"] == "marker" and "marks a cell that drives" or ("raises" if r["sign"] == "+" else "lowers")
        parts.append(f"{via} {r['outcome_name']} (score {r['score']:.3f}; ref {', '.join(r['refs']) or '-'})")
        others = [f"{x['outcome_name']} {x['sign']}" for x in reasons[1:]]
        if others:
            parts.append("also " + ", ".join(others))
    if t["disagreements"]:
        parts.append("evidence disagrees: " + "; ".join(t["disagreements"]))
    if t["therapies"]:
        ths = ", ".join(f"{x['name']}" + (f" (phase {x['furthest_phase']})" if x.get("furthest_phase") else "") for x in t["therapies"][:3])
        more = f" +{len(t['therapies']) - 3}" if len(t["therapies"]) > 3 else ""
        parts.append(f"drugs: {ths}{more}")
    else:
        parts.append("no therapy in the graph acts on it")
    return "; ".join(parts)


# --- effect ---------------------------------------------------------------------------------


def effect_text(e: dict[str, Any]) -> str:
    b = e["belief"]
    lines = [wrap(f"{e['therapy']['name']} on {e['outcome']['name']}: {e['verdict']}", ""),
             f"net {e['net']:+.3f} in [-1, 1]; belief lowers {b['lowers']:.2f}, raises {b['raises']:.2f}, null {b['null']:.2f}"]
    if e["clinical"]:
        lines += ["", f"clinical results ({len(e['clinical'])}):"]
        for c in e["clinical"]:
            figs = f"; {'; '.join(c['figures'])}" if c["figures"] else ""
            said = {"lowers": "lowered it", "raises": "raised it", "null": "showed no effect on it"}[c["direction"]]
            lines.append(wrap(f"- {c['therapy']['name']} {said} ({c['relation']}; {c['level']}, ref "
                              f"{', '.join(c['refs']) or '-'}{figs})", "  "))
    for title, key in (("mechanisms that lower it", "lowering"), ("mechanisms that raise it", "raising")):
        if e[key]:
            lines += ["", f"{title} ({len(e[key])}):"]
            for p in e[key]:
                lines.append(wrap(f"- {p['score']:.3f}  {_chain(p['nodes'])}", "  "))
                lines += step_lines(p["steps"], _names(p["nodes"]), "      ")
    if e["disagreements"]:
        lines += ["", "where the evidence disagrees:"] + [wrap(f"- {d}", "  ") for d in e["disagreements"]]
    if e["limits"]:
        lines += ["", f"what limits its efficacy ({len(e['limits'])}):"]
        for r in e["limits"]:
            figs = f"; {'; '.join(r['figures'])}" if r["figures"] else ""
            lines.append(wrap(f"- {r['source_name']} lowers the efficacy of {r['target_name']} ({r['level']}, ref "
                              f"{', '.join(r['refs'])}{figs})", "  "))
    return "\n".join(lines)


# --- combine --------------------------------------------------------------------------------


def combination_text(c: dict[str, Any]) -> str:
    a, b = (t["name"] for t in c["therapies"])
    lines = [wrap(f"{a} with {b}: where their mechanisms meet", "")]
    for title, key in (("reinforce each other", "reinforce"), ("cancel out", "cancel"), ("shared outcomes", "shared_outcomes")):
        lines += ["", f"{title} ({len(c[key])}):"]
        if not c[key]:
            lines.append("  (none within the limits)")
        for p in c[key]:
            lines.append(wrap(f"- at {p['meeting']['name']}  (score {p['score']:.3f})", "  "))
            lines += _legs(p, indent="    ")
    return "\n".join(lines)


def escape_text(e: dict[str, Any]) -> str:
    targets = ", ".join(t["name"] for t in e["targets"]) or "(none)"
    lines = [wrap(f"escape routes around {e['therapy']['name']}: signed paths that raise {e['outcome']['name']} "
                  f"without passing its targets ({targets})", "")]
    if not e["routes"]:
        lines.append("  none within the limits")
    for i, r in enumerate(e["routes"], 1):
        p = r["path"]
        lines.append("")
        lines.append(wrap(f"{i}. from {r['start']['name']}  (score {r['score']:.3f})", ""))
        lines.append(wrap(_chain(p["nodes"]), "   "))
        lines += step_lines(p["steps"], _names(p["nodes"]))
        if r["countered_at"]:
            lines.append(wrap(f"partly countered: the therapy itself lowers {', '.join(r['countered_at'])}", "   "))
        if r["partners"]:
            lines.append(wrap("acted on by: " + ", ".join(f"{x['name']} ({x['relation']})" for x in r["partners"]), "   "))
    return "\n".join(lines)
