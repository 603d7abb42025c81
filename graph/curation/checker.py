"""The records a seed loader builds and the checker that collects its problems.

`SeedData` holds validated records, each remembering its file and line; `Checker` turns YAML
Node trees into plain values while collecting every problem as `FILE:LINE: message`;
`read_evidence` reads one edge's (or one proposal's) evidence records. Shared by the loader
(seeds.py), the study records (studies.py) and the proposals (proposals.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .. import schema
from .provenance import check_record
from .yaml_tree import Node

CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
MAX_TEXT = 5_000


@dataclass
class SeedData:
    """Validated seed records, each remembering its file and line."""

    entities: dict[str, dict] = field(default_factory=dict)
    edges: list[dict] = field(default_factory=list)
    references: dict[str, dict] = field(default_factory=dict)
    axes: dict[str, dict] = field(default_factory=dict)
    # the review's proposals (a target to pursue, patients to stratify, a combination to test)
    proposals: list[dict] = field(default_factory=list)
    # file as shown in messages (relative to the working directory where possible) -> the same
    # file relative to the seed folder's parent ("seeds/edges/caf.yaml"), recorded in the graph so
    # the graph does not depend on where the seeds or the working directory are
    source_files: dict[str, str] = field(default_factory=dict)

    def source_file(self, shown: str) -> str:
        """The stable name of a seed file, as recorded on the graph's nodes and edges."""
        return self.source_files.get(shown, shown)



class Checker:
    """Collects problems while turning Node trees into plain records."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def err(self, where: str, line: int, msg: str) -> None:
        self.problems.append(f"{where}:{line}: {msg}")

    def text(self, where: str, rec: dict[str, Node], key: str, required: bool = False) -> str | None:
        node = rec.get(key)
        if node is None or node.value is None:
            if required:
                line = min((n.line for n in rec.values()), default=1)
                self.err(where, line, f"missing required field {key!r}")
            return None
        v = node.value
        if isinstance(v, bool) or not isinstance(v, (str, int, float)):
            self.err(where, node.line, f"{key!r} must be text, not {type_name(v)}")
            return None
        s = str(v).strip()
        if len(s) > MAX_TEXT:
            self.err(where, node.line, f"{key!r} is {len(s)} characters long (limit {MAX_TEXT})")
            return None
        if required and not s:
            self.err(where, node.line, f"{key!r} must not be empty")
            return None
        return s

    def text_list(self, where: str, rec: dict[str, Node], key: str) -> list[str]:
        node = rec.get(key)
        if node is None or node.value is None:
            return []
        if isinstance(node.value, str):
            return [node.value]
        if not isinstance(node.value, list):
            self.err(where, node.line, f"{key!r} must be a list of text, not {type_name(node.value)}")
            return []
        out = []
        for item in node.value:
            v = item.value
            if isinstance(v, bool) or not isinstance(v, (str, int, float)):
                self.err(where, item.line, f"items of {key!r} must be text, not {type_name(v)}")
                continue
            s = str(v).strip()
            if len(s) > MAX_TEXT:
                self.err(where, item.line, f"an item of {key!r} is longer than {MAX_TEXT} characters")
                continue
            out.append(s)
        return out

    def unknown_keys(self, where: str, rec: dict[str, Node], allowed: dict | set, what: str) -> None:
        for k, node in rec.items():
            if k not in allowed:
                hint = schema.did_you_mean(k, list(allowed))
                self.err(where, node.line, f"unknown field {k!r} in {what}{hint}")

    def records(self, where: str, top: dict[str, Node], key: str) -> list[tuple[int, dict[str, Node]]]:
        node = top.get(key)
        if node is None or node.value is None:
            return []
        if not isinstance(node.value, list):
            self.err(where, node.line, f"{key!r} must be a list of records, not {type_name(node.value)}")
            return []
        out = []
        for item in node.value:
            if not isinstance(item.value, dict):
                self.err(where, item.line, f"each item of {key!r} must be a mapping, not {type_name(item.value)}")
                continue
            out.append((item.line, item.value))
        return out


def type_name(v: Any) -> str:
    if v is None:
        return "empty"
    return {dict: "a mapping", list: "a list", bool: "true/false"}.get(type(v), type(v).__name__)


def ref_key(v: Any) -> str | None:
    """Normalise a reference number ('7', 7), 'review' or a curator key to its key, or None if malformed."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int) and v > 0:
        return str(v)
    if isinstance(v, str):
        s = v.strip()
        if s.isdigit():
            return str(int(s)) if int(s) > 0 else None
        if s == "review" or schema.ID_RE.match(s):
            return s
    return None


def is_review_reference(ref: str) -> bool:
    """True for the review itself and the numbered references of its list (not curator additions)."""
    return ref == "review" or ref.isdigit()


def publication_id(ref: str) -> str:
    """Entity id of the publication node of a reference key ('7' -> 'ref_7')."""
    return f"ref_{ref}"


def read_evidence(chk: Checker, rel: str, node: Node, data: SeedData) -> list[dict]:
    if not isinstance(node.value, list) or not node.value:
        chk.err(rel, node.line, "'evidence' must be a non-empty list of evidence records")
        return []
    out = []
    for item in node.value:
        if not isinstance(item.value, dict):
            chk.err(rel, item.line, "each evidence record must be a mapping with ref, support, species, summary")
            continue
        rec = item.value
        chk.unknown_keys(rel, rec, schema.EVIDENCE_FIELDS, "an evidence record")
        ev: dict[str, Any] = {}
        rnode = rec.get("ref")
        ref = ref_key(rnode.value) if rnode is not None else None
        support = chk.text(rel, rec, "support")
        if rnode is None:
            if support != "curator":
                chk.err(rel, item.line,
                        "evidence without 'ref': cite a reference number of the review, 'review', or a curator "
                        "reference")
        elif ref is None:
            chk.err(rel, rnode.line,
                    "evidence 'ref' must be a reference number, 'review' or a curator reference key, not "
                    f"{rnode.value!r}")
        elif ref not in data.references:
            chk.err(rel, rnode.line, f"evidence cites reference {ref}, which is not in the reference list")
        ev["ref"] = ref
        ev["doi"] = data.references[ref]["doi"] if ref in data.references else None
        fields = {key: (chk.text(rel, rec, key), rec[key].line if key in rec else item.line)
                  for key in ("locator", "design", "level")}
        fields["support"] = (support, rec["support"].line if "support" in rec else item.line)
        entry = data.references.get(ref) if ref else None
        cited_as = _cited_as(chk, rel, rec, ref, data, fields["design"])
        if cited_as is not None:
            ev["cited_as"] = cited_as
            if entry is not None:  # the review's own statement of a study it mis-cites: the described design
                entry = dict(entry, design=list(schema.STUDY_DESIGNS))
        check_record(ev, entry, fields, item.line, lambda ln, msg: chk.err(rel, ln, msg))
        observation = chk.text(rel, rec, "observation")
        if observation is not None:
            if schema.ID_RE.match(observation):
                ev["observation"] = observation
            else:
                chk.err(rel, rec["observation"].line,
                        f"observation key {observation!r} must be snake case (lower-case letters, digits, underscores)")
        species = chk.text(rel, rec, "species", required=True)
        if species is not None and species not in schema.SPECIES:
            chk.err(rel, rec["species"].line,
                    f"unknown species/model {species!r}; expected one of {', '.join(schema.SPECIES)}")
        ev["species"] = species
        summary = chk.text(rel, rec, "summary", required=True)
        if summary is not None and CJK_RE.search(summary):
            chk.err(rel, rec["summary"].line, "evidence summary must be in English, in the curator's own words")
        ev["summary"] = summary
        for key in ("model", "figures"):
            v = chk.text(rel, rec, key)
            if v is not None:
                ev[key] = v
        cav = chk.text_list(rel, rec, "caveats")
        if cav:
            ev["caveats"] = cav
        ev["_line"] = item.line
        out.append(ev)
    return out




def _cited_as(chk: Checker, rel: str, rec: dict[str, Node], ref: str | None, data: SeedData,
              design: tuple[str | None, int]) -> str | None:
    """The reference the review cites for a statement that reference does not hold (`cited_as`).

    Such a record rests on the review's own statement (`ref: review`) and names the design of the
    study the review describes, which fixes its level; the mis-cited reference must be in the list
    and say in its caveats that it does not match (rules.py), and the audit checks that the
    record's paragraph cites it.
    """
    node = rec.get("cited_as")
    if node is None or node.value is None:
        return None
    cited = ref_key(node.value)
    if cited is None or not cited.isdigit():
        chk.err(rel, node.line, f"'cited_as' is the number the review cites for this statement, not {node.value!r}")
        return None
    if ref != "review":
        chk.err(rel, node.line,
                f"a record with 'cited_as: {cited}' rests on the review's own statement: write 'ref: review'")
        return None
    if cited not in data.references:
        chk.err(rel, node.line, f"'cited_as' names reference {cited}, which is not in the reference list")
        return None
    if design[0] is None:
        chk.err(rel, node.line, "a record with 'cited_as' needs 'design': the design of the study the review describes")
        return None
    return cited
