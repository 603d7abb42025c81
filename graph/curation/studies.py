"""Clinical study records (table 1 trials and the published studies of section 2) and the edges
the loader derives from them.

A study entity (kind clinical_trial) carries its design, where the review describes it (its
table 1 row or rows, or a paragraph `locator`), its interventions and its results. The loader
derives three kinds of edges from it, each evidence record citing the study's reference at the
study's locator, with the level of the study's own design whatever the design of the reference:

- each intervention -tested_in-> the study;
- the study -reported_in-> each publication of `reported_in`;
- each result row -> its own edge (`source`, `relation`, `target`, and `direction` for an
  association): a trial's result applies to every outcome it measured, each measured outcome
  is its own observation (key `observation`, by default `<study id>_<endpoint>`) with its own
  figures. A result row whose edge is also written by hand adds its record to that edge.

A registered trial the table lists twice (two rows, one registry id) is one entity with
`table1_row: [6, 13]`: its tested_in edges carry one record per row, sharing one observation key.
"""

from __future__ import annotations

import re
from typing import Any

from .. import schema
from .checker import CJK_RE, MAX_TEXT, Checker, SeedData, publication_id, ref_key
from .yaml_tree import Node

# Every result row names the edge it bears on (switched on with the curation of issue 18).
REQUIRE_RESULT_EDGES = True
TEXT_FIELDS = ("registry_id", "title", "phase", "expected_completion", "completion_note", "country", "design_note",
               "evidence_summary")


def read_trial_fields(chk: Checker, rel: str, rec: dict[str, Node], ent: dict) -> None:
    """Fill the study fields of entity `ent` (kind clinical_trial) from its record `rec`."""
    for key in TEXT_FIELDS:
        v = chk.text(rel, rec, key)
        if v is not None:
            ent[key] = v
    design = chk.text(rel, rec, "design", required=True)
    if design is not None and design not in schema.STUDY_DESIGNS:
        chk.err(rel, rec["design"].line,
                f"unknown study design {design!r}{schema.did_you_mean(design, schema.STUDY_DESIGNS)}; expected one of "
                f"{', '.join(schema.STUDY_DESIGNS)}")
        design = None
    ent["design"] = design
    locator = chk.text(rel, rec, "locator")
    if locator is not None and not schema.LOCATOR_RE.match(locator):
        chk.err(rel, rec["locator"].line, f"malformed locator {locator!r}; write e.g. '2.1 ¶2'")
        locator = None
    if locator is not None:
        ent["locator"] = locator
    for key in ("conditions", "interventions_text", "interventions"):
        ent[key] = chk.text_list(rel, rec, key)
    node = rec.get("enrollment")
    if node is not None:
        if isinstance(node.value, bool) or not isinstance(node.value, int) or node.value < 0:
            chk.err(rel, node.line, "'enrollment' must be a whole number")
        else:
            ent["enrollment"] = node.value
    _read_rows(chk, rel, rec, ent)
    for key in ("reported_in", "refs", "cited_as"):
        ent[key] = _ref_list(chk, rel, rec, key)
    for cited in ent["cited_as"]:
        if not cited.isdigit():
            chk.err(rel, rec["cited_as"].line,
                    f"'cited_as' holds the numbers the review cites for this study, not {cited!r}")
    ent["_interventions_line"] = rec["interventions"].line if "interventions" in rec else None
    if ent.get("table1_rows"):
        if "locator" in ent:
            chk.err(rel, rec["locator"].line, "a table 1 trial is located by its row; drop 'locator'")
        ent["locators"] = [f"table 1 row {r}" for r in ent["table1_rows"]]
        ent["locator"] = ent["locators"][0]
    elif "locator" not in ent:
        line = min(n.line for n in rec.values())
        chk.err(rel, line, f"study {ent['id']!r} needs a 'locator' (the paragraph of the review that describes it) or "
                           "a 'table1_row'")
    ent["results"] = _read_results(chk, rel, rec)


def _read_rows(chk: Checker, rel: str, rec: dict[str, Node], ent: dict) -> None:
    """`table1_row`: one row number, or a list of them for a trial the table lists more than once."""
    node = rec.get("table1_row")
    if node is None:
        return
    items = node.value if isinstance(node.value, list) else [node]
    rows: list[int] = []
    for item in items:
        v = item.value
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            chk.err(rel, item.line, "'table1_row' must be a row number or a list of row numbers")
        elif v in rows:
            chk.err(rel, item.line, f"table 1 row {v} is listed twice")
        else:
            rows.append(v)
    if rows:
        ent["table1_row"] = rows[0]
        ent["table1_rows"] = rows


def _ref_list(chk: Checker, rel: str, rec: dict[str, Node], key: str) -> list[str]:
    refs = []
    node = rec.get(key)
    if node is not None:
        items = node.value if isinstance(node.value, list) else [node]
        for item in items:
            r = ref_key(item.value)
            if r is None:
                chk.err(rel, item.line, f"{key!r} holds reference numbers, not {item.value!r}")
            else:
                refs.append(r)
    return refs


def _read_results(chk: Checker, rel: str, rec: dict[str, Node]) -> list[dict]:
    node = rec.get("results")
    results: list[dict] = []
    if node is None or node.value is None:
        return results
    if not isinstance(node.value, list):
        chk.err(rel, node.line, "'results' must be a list of mappings")
        return results
    for item in node.value:
        if not isinstance(item.value, dict):
            chk.err(rel, item.line,
                    "each result must be a mapping (endpoint, comparison, value, p, hr, source, relation, target)")
            continue
        chk.unknown_keys(rel, item.value, schema.RESULT_FIELDS, "a study result")
        row: dict[str, Any] = {}
        for k, v in item.value.items():
            if k not in schema.RESULT_FIELDS:
                continue
            if k == "caveats":
                row[k] = chk.text_list(rel, item.value, k)
            elif isinstance(v.value, (dict, list)):
                chk.err(rel, v.line, f"result field {k!r} must be a single value")
            elif isinstance(v.value, str) and len(v.value) > MAX_TEXT:
                chk.err(rel, v.line, f"result field {k!r} is {len(v.value)} characters long (limit {MAX_TEXT})")
            elif k == "summary" and isinstance(v.value, str) and CJK_RE.search(v.value):
                chk.err(rel, v.line, "a result's summary must be in English, in the curator's own words")
            elif v.value is not None:
                row[k] = v.value if not isinstance(v.value, str) else v.value.strip()
        missing = [k for k in ("endpoint", "source", "relation", "target") if row.get(k) in (None, "")]
        if missing and REQUIRE_RESULT_EDGES:
            chk.err(rel, item.line,
                    f"a study result needs {', '.join(repr(k) for k in missing)}: the endpoint and the edge it "
                                    "bears on (a trial's result applies to every outcome it measured)")
        row["_line"] = item.line
        results.append(row)
    return results


# --- derived edges ----------------------------------------------------------------------------


def _record(data: SeedData, trial: dict, ref: str, summary: str, line: int, locator: str | None = None) -> dict:
    """One evidence record of a derived edge: the review's text at the study's locator, the study's design."""
    ev = {
        "ref": ref, "doi": data.references[ref]["doi"], "support": "review_text",
        "locator": locator or trial.get("locator"),
        "design": trial["design"], "level": schema.design_level(trial["design"]), "species": "patients",
        "summary": summary, "_line": line,
    }
    if trial.get("cited_as"):
        ev["cited_as"] = trial["cited_as"][0]
    return ev


def _edge(source: str, relation: str, target: str, evidence: list[dict], where: tuple[str, int], **extra: Any) -> dict:
    edge = {
        "source": source, "target": target, "relation": relation, "evidence": evidence,
        "direction": None, "context": None, "axes": [], "caveats": [], "_file": where[0], "_line": where[1],
    }
    edge.update({k: v for k, v in extra.items() if v is not None})
    return edge


def slug(text: str) -> str:
    """A snake-case key from free text ('Median overall survival' -> 'median_overall_survival')."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:60] or "result"


def result_figures(row: dict) -> str | None:
    """The figures of a result row as one line ('13.2 vs 13.0 months; P=0.97')."""
    parts = []
    if row.get("value") not in (None, ""):
        parts.append(str(row["value"]))
    if row.get("hr") not in (None, ""):
        parts.append(f"HR={row['hr']}")
    if row.get("p") not in (None, ""):
        parts.append(f"P={row['p']}")
    return "; ".join(parts) or None


def derive_study_edges(chk: Checker, data: SeedData) -> None:
    """Each study's interventions, publications and results become edges (see the module docstring)."""
    by_key = {(e["source"], e["relation"], e["target"]): e for e in data.edges}
    for ent in list(data.entities.values()):
        if ent["kind"] != "clinical_trial" or ent.get("design") is None:
            continue
        rel, line = ent["_file"], ent.get("_interventions_line") or ent["_line"]
        source_ref = ent["refs"][0] if ent.get("refs") else "review"
        if source_ref not in data.references:
            chk.err(rel, line, f"study cites reference {source_ref}, which is not in the reference list")
            continue
        _tested_in(chk, data, ent, source_ref, (rel, line))
        for ref in ent.get("reported_in", []):
            if ref not in data.references:
                chk.err(rel, ent["_line"],
                        f"trial reported_in cites reference {ref}, which is not in the reference list")
                continue
            summary_ref = f"Results of {ent['name']} are reported in reference {ref}."
            data.edges.append(_edge(ent["id"], "reported_in", publication_id(ref),
                                    [_record(data, ent, ref, summary_ref, ent["_line"])], (ent["_file"], ent["_line"])))
        for row in ent.get("results", []):
            _result_edge(chk, data, ent, row, source_ref, by_key)


def _tested_in(chk: Checker, data: SeedData, ent: dict, ref: str, where: tuple[str, int]) -> None:
    summary = ent.get("evidence_summary") or f"Listed as an intervention of {ent['name']}."
    locators = ent.get("locators") or [ent.get("locator")]
    for tid in ent.get("interventions", []):
        if tid not in data.entities:
            chk.err(where[0], where[1],
                    f"trial intervention {tid!r} is not a known entity{schema.did_you_mean(tid, data.entities)}")
        elif data.entities[tid]["kind"] not in schema.THERAPY_KINDS:
            chk.err(where[0], where[1], f"trial intervention {tid!r} is a {data.entities[tid]['kind']}, not a therapy")
        else:
            records = [_record(data, ent, ref, summary, where[1], loc) for loc in locators]
            if len(records) > 1:  # one trial the table lists on several rows: one observation
                for r in records:
                    r["observation"] = ent["id"]
            data.edges.append(_edge(tid, "tested_in", ent["id"], records, where))


def _result_edge(chk: Checker, data: SeedData, ent: dict, row: dict, ref: str, by_key: dict) -> None:
    """The edge a result row bears on, with the row's own record (figures, observation key)."""
    rel, line = ent["_file"], row["_line"]
    src, relation, tgt = (str(row.get(k) or "") for k in ("source", "relation", "target"))
    if not (src and relation and tgt):
        return
    ok = True
    for what, eid in (("source", src), ("target", tgt)):
        if eid not in data.entities:
            chk.err(rel, line, f"result {what} {eid!r} is not a known entity{schema.did_you_mean(eid, data.entities)}")
            ok = False
    if relation not in schema.RELATIONS:
        chk.err(rel, line, f"unknown relation {relation!r} in a study "
                           f"result{schema.did_you_mean(relation, schema.RELATIONS)}")
        ok = False
    direction = row.get("direction")
    if relation == "associated_with" and direction not in schema.ASSOCIATION_DIRECTIONS:
        chk.err(rel, line, "a result bearing on an associated_with edge needs 'direction': positive, negative or none")
        ok = False
    elif relation != "associated_with" and direction is not None:
        chk.err(rel, line, "'direction' is only for results bearing on associated_with edges")
        ok = False
    observation = str(row.get("observation") or f"{ent['id']}_{slug(str(row['endpoint']))}")
    if not schema.ID_RE.match(observation):
        chk.err(rel, line, f"observation key {observation!r} must be snake case")
        ok = False
    if not ok:
        return
    name = ent.get("name") or ent["id"]  # (an unreadable name is already reported)
    comparison = f" ({row['comparison']})" if row.get("comparison") else ""
    figures = result_figures(row)
    summary = row.get("summary") or f"{name}: {row['endpoint']}{comparison}" + (f": {figures}." if figures else ".")
    record = _record(data, ent, ref, str(summary), line)
    record["model"] = name + (f", {ent['enrollment']} patients" if ent.get("enrollment") else "")
    record["observation"] = observation
    if figures:
        record["figures"] = (f"{row['comparison']}: " if row.get("comparison") else "") + figures
    caveats = list(row.get("caveats") or [])
    if ent.get("cited_as"):
        caveats.append(f"The review cites reference {ent['cited_as'][0]} for this study, which does not report it; "
                       "the figures are as the review gives them.")
    if caveats:
        record["caveats"] = caveats
    key = (src, relation, tgt)
    edge = by_key.get(key)
    if edge is None:
        edge = _edge(src, relation, tgt, [], (rel, line), direction=direction, context=row.get("context"))
        data.edges.append(edge)
        by_key[key] = edge
    elif relation == "associated_with" and edge.get("direction") != direction:
        chk.err(rel, line, f"result says direction {direction!r} but the edge {src} -associated_with-> {tgt} "
                           f"({edge['_file']}:{edge['_line']}) says {edge.get('direction')!r}")
        return
    edge["evidence"].append(record)
