"""The analyses' answers as text for a person: paths, targets, effects, combinations, escape routes, gaps.

Each function takes the command's JSON-ready dict (what --json prints) and returns text shaped by
`mechgraph.cli.text` (one width, one wrap). Every line names entities by name, never by id.
"""

from __future__ import annotations

from typing import Any

from ..analysis import through_text
from ..edges import SIGN_VERB
from .text import one_line, wrap

SIGN_WORD = {"+": "+", "-": "−", "=": "=", "0": "0"}


def _names(nodes: list[dict[str, str]]) -> dict[str, str]:
    return {n["id"]: n["name"] for n in nodes}


RELATION_WORDS = {"form_of": "is a form of"}  # relations that read better in words


def _evidence_tag(step: dict[str, Any]) -> str:
    refs = ",".join(step.get("refs") or []) or "-"
    support = "/".join(step.get("support") or []) or "-"
    return f"ref {refs} · {step.get('level') or 'no level'} · {support}"


def _arrow(relation: str | None, sign: str | None) -> str:
    return f"-{RELATION_WORDS.get(relation or '', relation)}({SIGN_WORD.get(sign or '', sign)})->"


def chain_line(chain: dict[str, Any], indent: str) -> str:
    """The chain a summary step records: 'through C3 → C3aR1: A -secretes(+)-> C3 [ref 19] -...'."""
    names = {n["id"]: n["name"] for n in chain["nodes"]}
    inner = " → ".join(n["name"] for n in chain["nodes"][1:-1])
    parts = [chain["nodes"][0]["name"]]
    for ln in chain["links"]:
        refs = ",".join(ln.get("refs") or []) or "-"
        parts.append(f"{_arrow(ln.get('relation') or '?', ln.get('sign') or '?')} "
                     f"{names.get(ln['target'], ln['target'])} [ref {refs}]")
    return wrap(f"through {inner}: " + " ".join(parts), indent)


def step_lines(steps: list[dict[str, Any]], names: dict[str, str], indent: str = "     ") -> list[str]:
    """One line per step, in the direction the path reads: A -relation(sign)-> B, with its evidence,
    and under a summary step the chain it records."""
    out = []
    for st in steps:
        a, b = names.get(st["source"], st["source"]), names.get(st["target"], st["target"])
        text = f"{a} {_arrow(st['relation'], st['sign'])} {b}  [{_evidence_tag(st)}]"
        out.append(wrap(text, indent))
        if st.get("chain"):
            out.append(chain_line(st["chain"], indent + "  "))
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
MEMBER_TEXT = {
    "effector": "the therapy raises it, of which {src} is one (effector)",
    "target": "the therapy lowers it, of which {src} is one (target)",
}


def path_text(answer: dict[str, Any]) -> str:
    src, dst = answer["from"]["name"], answer["to"]["name"]
    lines: list[str] = []
    if answer["mode"] == "directed":
        if not answer["paths"]:
            return f"no path from {src} to {dst} within {answer['options']['max_len']} steps with these options"
        for i, p in enumerate(answer["paths"], 1):
            lines.append(f"{i}. sign {p['sign']}  score {p['score']:.3f}  ({len(p['steps'])} "
                         f"step{'s' if len(p['steps']) != 1 else ''})")
            lines.append(wrap(_chain(p["nodes"]), "   "))
            member = through_text((p.get("through") or {}).get("from"))
            if member:
                lines.append(wrap(member, "   "))
            lines += step_lines(p["steps"], _names(p["nodes"]))
        return "\n".join(lines)
    lines.append(wrap(f"{src} and {dst}: {answer['verdict']}", ""))
    lines.append(wrap(f"(where {src}'s signed influence meets the mechanism of action of {dst}; modifiers of its "
                      f"efficacy and shared outcomes are listed apart)", ""))
    for i, p in enumerate(answer["paths"], 1):
        lines.append("")
        what = MEMBER_TEXT[p["relation"]].format(src=src) if p.get("as_member") else RELATION_TEXT[p["relation"]]
        lines.append(wrap(f"{i}. meets at {p['meeting']['name']}: {what}  (score {p['score']:.3f})", ""))
        lines += _legs(p)
    sections = (("what changes its efficacy (modifiers, not mechanisms)", "associations"),
                ("shared outcomes (not mechanisms)", "shared_outcomes"))
    for title, key in sections:
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
                effect = SIGN_VERB.get(p["sign"], "changes")
                last = p["steps"][-1]
                lines.append(wrap(f"- {src} {effect} the efficacy of "
                                  f"{_names(p['nodes']).get(last['target'], last['target'])}"
                                  f"  (score {p['score']:.3f})", "  "))
                lines += step_lines(p["steps"], _names(p["nodes"]), "      ")
    return "\n".join(lines)


def _legs(p: dict[str, Any], indent: str = "   ") -> list[str]:
    names = _names(p["nodes"])
    n_from = p["legs"]["from"]
    nodes = p["nodes"]
    from_nodes = nodes[: n_from + 1]
    to_nodes = nodes[n_from:][::-1]
    through = p.get("through") or {}
    out = [wrap(f"from {from_nodes[0]['name']}: " + (_chain(from_nodes) if n_from else "(itself)"), indent)]
    if through.get("from"):
        out.append(wrap(through_text(through["from"]), indent + "  "))
    out += step_lines(p["steps"][:n_from], names, indent + "  ")
    out.append(wrap(f"from {to_nodes[0]['name']}: " + _chain(to_nodes), indent))
    if through.get("to"):
        out.append(wrap(through_text(through["to"]), indent + "  "))
    out += step_lines(p["steps"][n_from:][::-1], names, indent + "  ")
    return out


# --- targets --------------------------------------------------------------------------------

TARGET_COLUMNS = (
    "#: rank by score. target: the candidate (a complex stands for itself and its parts). "
    "do: block a driver, boost a brake, deplete the cell a marker marks, mixed when outcomes or evidence disagree. "
    "score = 0.50 infl + 0.30 evid + 0.20 drug. infl: the best signed path to each disease outcome (step weights, "
    "hub damping), averaged and divided by the best candidate's. evid: half the best evidence level on its edges, half "
    "its distinct references (5 give 1). drug: 0.5 when a therapy in the graph acts on it, + up to 0.5 for the "
    "furthest "
    "trial phase. p: the share of degree-preserving shuffles of the signed edges in which it has at least this "
    "influence (1 + count) / (1 + shuffles). q: Benjamini-Hochberg q-value over the candidates (false discovery rate)."
)


def targets_text(ranking: dict[str, Any]) -> str:
    rows = ranking["targets"]
    stratum = ranking.get("stratum")
    if not rows:
        return "no candidate target reaches an outcome" + (f" through the features of {stratum['name']}"
                                                           if stratum else "")
    lines = []
    if stratum:
        feats = ", ".join(f["name"] for f in stratum["features"])
        lines.append(wrap(f"in {stratum['name']}: influence only through its features ({feats})", ""))
        lines.append("")
    head = f"{'#':>2}  {'target':<34} {'do':<8} {'score':>5} {'infl':>4} {'evid':>4} {'drug':>4} {'p':>6} {'q':>6}"
    lines += [head, "-" * len(head)]
    for i, t in enumerate(rows, 1):
        c = t["components"]
        p = "-" if t["p_value"] is None else f"{t['p_value']:.3f}"
        q = "-" if t.get("q_value") is None else f"{t['q_value']:.3f}"
        name = t["name"] if len(t["name"]) <= 34 else t["name"][:33] + "…"
        lines.append(f"{i:>2}  {name:<34} {t['direction']:<8} {t['score']:>5.3f} {c['influence']:>4.2f} "
                     f"{c['evidence']:>4.2f} "
                     f"{c['druggability']:>4.2f} {p:>6} {q:>6}")
        lines.append(wrap(_target_reason(t), "    "))
    lines.append("")
    lines.append(wrap(
        f"score = 0.50 influence + 0.30 evidence + 0.20 druggability; p from {ranking['permutations']} "
        "degree-preserving "
        f"shuffles (seed {ranking['seed']}), q its Benjamini-Hochberg q-value; {ranking['candidates']} candidates; "
        f"`mechgraph targets --help` explains every column, --json gives every path and reference.", ""))
    return "\n".join(lines)


def _proposal_text(prop: dict[str, Any]) -> str:
    where = ", ".join(x for x in (str(prop.get("locator") or ""),
                                  "ref " + ", ".join(map(str, prop.get("refs") or [])) if prop.get("refs")
                                  else "") if x)
    where = f" ({where})" if where else ""
    kind = prop.get("proposes")
    if kind == "target":
        return f"the review proposes it as a target{where}"
    if kind == "stratification":
        therapy = (f" for {prop['therapy_name']}" if prop.get("therapy_name")
                   else (f" for {prop['therapy']}" if prop.get("therapy") else ""))
        return f"the review proposes choosing patients by it{therapy}{where}"
    return f"the review proposes it in a {kind or 'proposal'}{where}"


def _target_reason(t: dict[str, Any]) -> str:
    parts = []
    if t.get("feature_of"):
        f = t["feature_of"]
        names = ", ".join(x["name"] for x in f["features"])
        plural = "s" if len(f["features"]) > 1 else ""
        which = "" if [x["id"] for x in f["features"]] == [t["id"]] else f" through its part{plural} {names}"
        parts.append(f"characterizes {f['stratum']['name']}{which} (ref {', '.join(f['refs']) or '-'})")
    if t.get("parts"):
        parts.append("with its parts " + ", ".join(x["name"] for x in t["parts"]))
    for sp in t.get("shared_parts") or []:
        parts.append(f"{sp['name']} is also part of "
                     f"{', '.join(c['name'] for c in sp['complexes'] if c['id'] != t['id'])} "
                     "and ranks on its own")
    reasons = sorted(t["reasons"], key=lambda r: -r["score"])
    if reasons:
        r = reasons[0]
        via = r["route"] == "marker" and "marks a cell that drives" or ("raises" if r["sign"] == "+" else "lowers")
        part = f" through its part {r['part']['name']}" if r.get("part") else ""
        parts.append(f"{via} {r['outcome_name']}{part} (score {r['score']:.3f}; ref {', '.join(r['refs']) or '-'})")
        others = [f"{x['outcome_name']} {x['sign']}" for x in reasons[1:]]
        if others:
            parts.append("also " + ", ".join(others))
    if t["disagreements"]:
        parts.append("evidence disagrees: " + "; ".join(t["disagreements"]))
    for prop in t.get("proposals") or []:
        parts.append(_proposal_text(prop))
    if t["therapies"]:
        def drug(x):
            on = f" on {x['acts_on']['name']}" if x.get("acts_on") else ""
            return f"{x['name']}{on}" + (f" (phase {x['furthest_phase']})" if x.get("furthest_phase") else "")
        ths = ", ".join(drug(x) for x in t["therapies"][:3])
        more = f" +{len(t['therapies']) - 3}" if len(t["therapies"]) > 3 else ""
        parts.append(f"already hit by: {ths}{more}")
    else:
        parts.append("no therapy in the graph acts on it yet")
    return "; ".join(parts)


# --- effect ---------------------------------------------------------------------------------

SAID = {"lowers": "lowered it", "raises": "raised it", "null": "showed no effect on it"}
ROLE_TEXT = {"decides": "decides", "supports": "supports the verdict", "contradicts": "contradicts it, outvoted",
             "mixed": "some support, some contradict, outvoted"}


def _result_line(c: dict[str, Any]) -> str:
    figs = f"; {'; '.join(c['figures'])}" if c["figures"] else ""
    whose = "" if c.get("own", True) else " (a related therapy's result)"
    return (f"- {c['therapy']['name']}{whose} {SAID[c['direction']]} ({c['relation']}; ref "
            f"{', '.join(c['refs']) or '-'}{figs})")


MAX_TRIALS_SHOWN = 6
WORDS = {"null": "no effect"}


def _elsewhere_lines(e: dict[str, Any]) -> list[str]:
    """Where else the therapy's clinical evidence lies: reported results on other outcomes, and
    the trials in the graph that test it."""
    lines = []
    if e.get("other_outcomes"):
        said = "; ".join(f"{r['outcome']['name']} ({r['label']}: {'/'.join(WORDS.get(d, d) for d in r['directions'])}"
                         f", ref {', '.join(r['refs']) or '-'})" for r in e["other_outcomes"])
        lines += ["", wrap(f"reported results on other outcomes (ask with --on OUTCOME): {said}", "")]
    trials = e.get("trials") or []
    if trials:
        lines += ["", f"clinical studies in the graph testing it ({len(trials)}):"]
        for t in trials[:MAX_TRIALS_SHOWN]:
            phase = f", phase {t['phase']}" if t.get("phase") and t["phase"] != "N/A" else ""
            state = "results in the review" if t["results"] else "no results in the review"
            whom = "" if t["therapies"] == [e["therapy"]["name"]] else f"; tests {', '.join(t['therapies'])}"
            lines.append(wrap(f"- {t['name']} ({t['level_label']}{phase}; {state}{whom})", "  "))
        if len(trials) > MAX_TRIALS_SHOWN:
            lines.append(f"  and {len(trials) - MAX_TRIALS_SHOWN} more (--json lists them all)")
    return lines


def effect_text(e: dict[str, Any]) -> str:
    lines = [wrap(f"{e['therapy']['name']} on {e['outcome']['name']}: {e['verdict']}", "")]
    decided = e.get("decided_by")
    if decided:
        lo, hi = decided["band"]
        lines.append(wrap(f"net {e['net']:+.3f} in [-1, 1] (a clear effect decided by the {decided['label']} level "
                          "lies in "
                          f"{lo:.2f}-{hi:.2f}; no clear effect below 0.10; a lower level never outvotes a higher "
                          "one)", ""))
    else:
        lines.append(f"net {e['net']:+.3f} in [-1, 1]")
    lines += _elsewhere_lines(e)
    by_level: dict[str, dict[str, list]] = {}
    for c in e["results"]:
        by_level.setdefault(c["level"] or "", {"results": [], "paths": []})["results"].append(c)
    for key in ("lowering", "raising"):
        for p in e[key]:
            by_level.setdefault(p["level"] or "", {"results": [], "paths": []})["paths"].append(p)
    for tier in e.get("tiers") or []:
        group = by_level.get(tier["level"] or "")
        if not group:
            continue
        lines += ["", f"{tier['label']}: {ROLE_TEXT.get(tier['role'], tier['role'])}"]
        for c in group["results"]:
            lines.append(wrap(_result_line(c), "  "))
        for p in sorted(group["paths"], key=lambda x: -x["score"]):
            what = "lowers it" if p["direction"] == "lowers" else "raises it"
            lines.append(wrap(f"- mechanism, {what}: {p['score']:.3f}  {_chain(p['nodes'])}", "  "))
            member = through_text((p.get("through") or {}).get("from"))
            if member:
                lines.append(wrap(member, "      "))
            lines += step_lines(p["steps"], _names(p["nodes"]), "      ")
    if e["disagreements"]:
        lines += ["", "where the evidence disagrees:"] + [wrap(f"- {d}", "  ") for d in e["disagreements"]]
    for title, key in (("what lowers its efficacy", "limits"), ("what raises its efficacy", "enhancers")):
        if e.get(key):
            lines += ["", f"{title} ({len(e[key])}; modifiers, not mechanisms):"]
            verb = "lowers" if key == "limits" else "raises"
            for r in e[key]:
                figs = f"; {'; '.join(r['figures'])}" if r["figures"] else ""
                lines.append(wrap(f"- {r['source_name']} {verb} the efficacy of {r['target_name']} ({r['relation']}; "
                                  f"{r['level']}, ref {', '.join(r['refs'])}{figs})", "  "))
    return "\n".join(lines)


# --- combine --------------------------------------------------------------------------------


def combination_text(c: dict[str, Any]) -> str:
    a, b = (t["name"] for t in c["therapies"])
    lines = [wrap(f"{a} with {b}: where their mechanisms meet", "")]
    if c.get("stratum"):
        feats = ", ".join(f["name"] for f in c["stratum"]["features"])
        lines.append(wrap(f"in {c['stratum']['name']}: only meetings through its features ({feats})", ""))
    if c.get("modifiers"):
        lines += ["", f"what one does to the other's efficacy ({len(c['modifiers'])}; modifiers, not mechanisms):"]
        for m in c["modifiers"]:
            verb = SIGN_VERB.get(m["sign"], "changes")
            lines.append(wrap(f"- {m['source_name']} {verb} the efficacy of {m['target_name']} ({m['relation']}; "
                              f"{m['level']}, ref {', '.join(m['refs']) or '-'})", "  "))
    for title, key in (("reinforce each other", "reinforce"), ("cancel out", "cancel"),
                       ("shared outcomes", "shared_outcomes")):
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
    if e.get("stratum"):
        feats = ", ".join(f["name"] for f in e["stratum"]["features"])
        lines.append(wrap(f"in {e['stratum']['name']}: only routes through (or from) its features ({feats})", ""))
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
            lines.append(wrap("acted on by: " + ", ".join(f"{x['name']} ({x['relation']})"
                                                          for x in r["partners"]), "   "))
    return "\n".join(lines)


# --- gaps -----------------------------------------------------------------------------------


def gaps_text(groups: dict[str, list[dict[str, Any]]], names: dict[str, str]) -> str:
    """Mechanisms with only preclinical or in vitro support, by group, entities by name."""
    out = []
    for group, rows in groups.items():
        out.append(f"{group} ({len(rows)})")
        for r in rows:
            src, dst = names.get(r["source"], r["source"]), names.get(r["target"], r["target"])
            out.append(wrap(one_line(f"{src} -{r['relation']} ({r['sign']})-> {dst}; "
                                     f"{'/'.join(r['levels'])}; ref {', '.join(str(x) for x in r['refs'])}"), "  ", 4))
    return "\n".join(out)
