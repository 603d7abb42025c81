"""Load and validate the curated seed files into a NetworkX MultiDiGraph.

Seed files are YAML mappings with any of the top-level keys `entities`, `edges`, `references`
and `axes`. Every problem is reported as `FILE:LINE: message`, all of them at once, so a curator
can fix a file in one pass. Nothing is built unless every file is valid.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import schema
from ..errors import SeedError
from .provenance import check_record, read_designs
from .yaml_tree import Node, parse_file, yaml_files

CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
MAX_TEXT = 5_000


@dataclass
class SeedData:
    """Validated seed records, each remembering its file and line."""

    entities: dict[str, dict] = field(default_factory=dict)
    edges: list[dict] = field(default_factory=list)
    references: dict[str, dict] = field(default_factory=dict)
    axes: dict[str, dict] = field(default_factory=dict)
    # file as shown in messages (relative to the working directory where possible) -> the same
    # file relative to the seed folder's parent ("seeds/edges/caf.yaml"), recorded in the graph so
    # the graph does not depend on where the seeds or the working directory are
    source_files: dict[str, str] = field(default_factory=dict)

    def source_file(self, shown: str) -> str:
        """The stable name of a seed file, as recorded on the graph's nodes and edges."""
        return self.source_files.get(shown, shown)


def seed_files(path: Path) -> list[Path]:
    """The YAML files under `path` (a folder or one file), in a stable order."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise SeedError([f"{path}:1: no such seed file or folder"])
    files = yaml_files(path)
    if not files:
        raise SeedError([f"{path}:1: no .yaml seed files in this folder"])
    return files


def packaged_seed_path() -> Path:
    """The curated seeds shipped with mechgraph.

    In an installed wheel they are package data (`mechgraph/seeds/`); in a source checkout they
    are the `seeds/` folder beside the package's `graph/` folder. Found relative to the package,
    never the working directory, so a stray ./seeds cannot silently replace them.
    """
    package_dir = Path(__file__).resolve().parent.parent
    for candidate in (package_dir / "seeds", package_dir.parent / "seeds"):
        if candidate.is_dir():
            return candidate
    raise SeedError([f"{package_dir}:1: the curated seeds are missing from this installation; reinstall mechgraph or pass --seeds DIR"])


def default_seed_path() -> Path:
    """$MECHGRAPH_SEEDS when set, else the curated seeds shipped with the package."""
    env = os.environ.get("MECHGRAPH_SEEDS")
    if env:
        return Path(env)
    return packaged_seed_path()


class _Checker:
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
            self.err(where, node.line, f"{key!r} must be text, not {_type_name(v)}")
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
            self.err(where, node.line, f"{key!r} must be a list of text, not {_type_name(node.value)}")
            return []
        out = []
        for item in node.value:
            v = item.value
            if isinstance(v, bool) or not isinstance(v, (str, int, float)):
                self.err(where, item.line, f"items of {key!r} must be text, not {_type_name(v)}")
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
            self.err(where, node.line, f"{key!r} must be a list of records, not {_type_name(node.value)}")
            return []
        out = []
        for item in node.value:
            if not isinstance(item.value, dict):
                self.err(where, item.line, f"each item of {key!r} must be a mapping, not {_type_name(item.value)}")
                continue
            out.append((item.line, item.value))
        return out


def _type_name(v: Any) -> str:
    if v is None:
        return "empty"
    return {dict: "a mapping", list: "a list", bool: "true/false"}.get(type(v), type(v).__name__)


def _ref_key(v: Any) -> str | None:
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


def read_seeds(path: Path | str | None = None) -> SeedData:
    """Parse and validate every seed file under `path`; raise SeedError listing all problems."""
    root = Path(path) if path is not None else default_seed_path()
    files = seed_files(root)
    chk = _Checker()
    data = SeedData()
    raw_entities: list[tuple[str, int, dict[str, Node]]] = []
    raw_edges: list[tuple[str, int, dict[str, Node]]] = []
    top_keys = {"entities", "edges", "references", "axes"}

    base = root.resolve().parent if root.is_dir() else root.resolve().parent.parent
    for f in files:
        try:
            rel = str(f.relative_to(Path.cwd()))
        except ValueError:
            rel = str(f)
        try:
            data.source_files[rel] = f.resolve().relative_to(base).as_posix()
        except ValueError:
            data.source_files[rel] = f.name
        tree = parse_file(f, rel, chk.problems, inside=root)
        if tree is None:
            continue
        if not isinstance(tree.value, dict):
            chk.err(rel, tree.line, f"a seed file must be a mapping with keys {sorted(top_keys)}, not {_type_name(tree.value)}")
            continue
        for k, node in tree.value.items():
            if k not in top_keys:
                chk.err(rel, node.line, f"unknown top-level key {k!r}; expected one of {sorted(top_keys)}{schema.did_you_mean(k, top_keys)}")
        for line, rec in chk.records(rel, tree.value, "references"):
            _read_reference(chk, rel, line, rec, data)
        for line, rec in chk.records(rel, tree.value, "axes"):
            _read_axis(chk, rel, line, rec, data)
        raw_entities += [(rel, line, rec) for line, rec in chk.records(rel, tree.value, "entities")]
        raw_edges += [(rel, line, rec) for line, rec in chk.records(rel, tree.value, "edges")]

    for rel, line, rec in raw_entities:
        _read_entity(chk, rel, line, rec, data)
    for ref, r in data.references.items():
        pid = publication_id(ref)
        if pid in data.entities:
            chk.err(r["_file"], r["_line"], f"reference {ref} clashes with entity id {pid!r}")
            continue
        data.entities[pid] = _publication_entity(ref, r)
    _check_synonyms(chk, data)
    for rel, line, rec in raw_edges:
        _read_edge(chk, rel, line, rec, data)
    _derive_trial_edges(chk, data)
    _check_edge_uniqueness(chk, data)

    if chk.problems:
        raise SeedError(_dedupe(chk.problems))
    return data


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    return [x for x in items if not (x in seen or seen.add(x))]


def _read_reference(chk: _Checker, rel: str, line: int, rec: dict[str, Node], data: SeedData) -> None:
    chk.unknown_keys(rel, rec, schema.REFERENCE_FIELDS, "a reference")
    node = rec.get("ref")
    ref = _ref_key(node.value) if node is not None else None
    if ref is None:
        chk.err(rel, node.line if node else line, "reference needs 'ref': a positive number, 'review', or (origin: curator) a snake-case key")
        return
    if ref in data.references:
        prev = data.references[ref]
        chk.err(rel, node.line, f"duplicate reference {ref} (first at {prev['_file']}:{prev['_line']})")
        return
    out: dict[str, Any] = {"ref": ref, "_file": rel, "_line": line}
    origin = chk.text(rel, rec, "origin")
    if origin is not None and origin != "curator":
        chk.err(rel, rec["origin"].line, f"'origin' is 'curator' or absent, not {origin!r}")
    elif origin == "curator" and is_review_reference(ref):
        chk.err(rel, node.line, f"a curator reference needs a snake-case key such as 'drugbank_nivolumab', not {ref!r}: numbers are the review's")
    elif origin is None and not is_review_reference(ref):
        chk.err(rel, node.line, f"reference {ref!r} is not in the review's numbering; add 'origin: curator' if the curators add it")
    out["origin"] = origin
    dnode = rec.get("design")
    if dnode is None or dnode.value is None:
        chk.err(rel, line, f"reference {ref} needs a 'design' (one or a list of: {', '.join(schema.STUDY_DESIGNS)})")
        out["design"] = []
    else:
        out["design"] = read_designs(dnode.value, dnode.line, lambda ln, msg: chk.err(rel, ln, msg))
    out["url"] = chk.text(rel, rec, "url")
    out["xrefs"] = chk.text_list(rel, rec, "xrefs")
    for x in out["xrefs"]:
        msg = schema.check_curie(x)
        if msg:
            chk.err(rel, rec["xrefs"].line, msg)
    out["title"] = chk.text(rel, rec, "title", required=True)
    for key in ("title_zh", "journal", "citation", "authors_zh"):
        out[key] = chk.text(rel, rec, key)
    out["authors"] = chk.text_list(rel, rec, "authors")
    out["cited_for"] = chk.text_list(rel, rec, "cited_for")
    out["caveats"] = chk.text_list(rel, rec, "caveats")
    y = rec.get("year")
    if y is not None and (isinstance(y.value, bool) or not isinstance(y.value, int) or not 1800 <= y.value <= 2100):
        chk.err(rel, y.line, "'year' must be a four-digit year")
    out["year"] = y.value if y is not None and isinstance(y.value, int) and not isinstance(y.value, bool) else None
    doi = chk.text(rel, rec, "doi")
    if doi is not None:
        if doi.lower().startswith("doi:"):
            doi = doi[4:]
        if not schema.DOI_RE.match(doi):
            chk.err(rel, rec["doi"].line, f"malformed DOI {doi!r} (expected 10.NNNN/...)")
    out["doi"] = doi
    if origin == "curator" and not (doi or out["url"] or out["xrefs"]):
        chk.err(rel, line, f"curator reference {ref} needs a 'doi', a 'url' or 'xrefs' so a reader can find it")
    data.references[ref] = out


def _new_id(chk: _Checker, rel: str, rec: dict[str, Node], table: dict[str, dict], what: str) -> str | None:
    """The record's id when it is well formed and not taken yet; otherwise report and return None."""
    rid = chk.text(rel, rec, "id", required=True)
    if rid is None:
        return None
    if not schema.ID_RE.match(rid):
        chk.err(rel, rec["id"].line, f"{what} id {rid!r} must be lower-case letters, digits and underscores")
        return None
    if rid in table:
        prev = table[rid]
        chk.err(rel, rec["id"].line, f"duplicate {what} id {rid!r} (first at {prev['_file']}:{prev['_line']})")
        return None
    return rid


def _read_axis(chk: _Checker, rel: str, line: int, rec: dict[str, Node], data: SeedData) -> None:
    chk.unknown_keys(rel, rec, schema.AXIS_FIELDS, "an axis")
    aid = _new_id(chk, rel, rec, data.axes, "axis")
    if aid is None:
        return
    data.axes[aid] = {
        "id": aid,
        "name": chk.text(rel, rec, "name", required=True),
        "name_zh": chk.text(rel, rec, "name_zh"),
        "description": chk.text(rel, rec, "description"),
        "_file": rel,
        "_line": line,
    }


def _read_entity(chk: _Checker, rel: str, line: int, rec: dict[str, Node], data: SeedData) -> None:
    kind = chk.text(rel, rec, "kind", required=True)
    allowed = dict(schema.ENTITY_FIELDS)
    if kind == "clinical_trial":
        allowed.update(schema.TRIAL_FIELDS)
    chk.unknown_keys(rel, rec, allowed, f"an entity of kind {kind!r}" if kind else "an entity")
    eid = _new_id(chk, rel, rec, data.entities, "entity")
    if eid is None:
        return
    if kind is not None and kind not in schema.ENTITY_KINDS:
        chk.err(rel, rec["kind"].line, f"unknown entity kind {kind!r}{schema.did_you_mean(kind, schema.ENTITY_KINDS)}")
        kind = None
    ent: dict[str, Any] = {"id": eid, "kind": kind, "_file": rel, "_line": line}
    ent["name"] = chk.text(rel, rec, "name", required=True)
    ent["name_zh"] = chk.text(rel, rec, "name_zh")
    ent["description"] = chk.text(rel, rec, "description")
    ent["synonyms"] = chk.text_list(rel, rec, "synonyms")
    ent["caveats"] = chk.text_list(rel, rec, "caveats")
    ent["xrefs"] = chk.text_list(rel, rec, "xrefs")
    for x in ent["xrefs"]:
        msg = schema.check_curie(x)
        if msg:
            chk.err(rel, rec["xrefs"].line, msg)
    ent["axes"] = chk.text_list(rel, rec, "axes")
    for a in ent["axes"]:
        if a not in data.axes:
            chk.err(rel, rec["axes"].line, f"unknown axis {a!r}{schema.did_you_mean(a, data.axes)}")
    modality = chk.text(rel, rec, "modality")
    if kind == "therapy":
        if modality is None:
            chk.err(rel, line, f"therapy {eid!r} needs a 'modality' (one of {', '.join(schema.THERAPY_MODALITIES)})")
        elif modality not in schema.THERAPY_MODALITIES:
            chk.err(rel, rec["modality"].line, f"unknown modality {modality!r}{schema.did_you_mean(modality, schema.THERAPY_MODALITIES)}")
    elif modality is not None:
        chk.err(rel, rec["modality"].line, "'modality' is only for entities of kind therapy")
    ent["modality"] = modality
    if kind == "clinical_trial":
        _read_trial_fields(chk, rel, rec, ent)
    data.entities[eid] = ent


def _read_trial_fields(chk: _Checker, rel: str, rec: dict[str, Node], ent: dict) -> None:
    for key in ("registry_id", "title", "phase", "expected_completion", "completion_note", "country", "design_note", "evidence_summary"):
        v = chk.text(rel, rec, key)
        if v is not None:
            ent[key] = v
    design = chk.text(rel, rec, "design", required=True)
    if design is not None and design not in schema.STUDY_DESIGNS:
        chk.err(rel, rec["design"].line, f"unknown study design {design!r}{schema.did_you_mean(design, schema.STUDY_DESIGNS)}; expected one of {', '.join(schema.STUDY_DESIGNS)}")
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
    for key in ("table1_row", "enrollment"):
        node = rec.get(key)
        if node is not None:
            if isinstance(node.value, bool) or not isinstance(node.value, int) or node.value < 0:
                chk.err(rel, node.line, f"{key!r} must be a whole number")
            else:
                ent[key] = node.value
    for key in ("reported_in", "refs"):
        refs = []
        node = rec.get(key)
        if node is not None:
            items = node.value if isinstance(node.value, list) else [node]
            for item in items:
                r = _ref_key(item.value)
                if r is None:
                    chk.err(rel, item.line, f"{key!r} holds reference numbers, not {item.value!r}")
                else:
                    refs.append(r)
        ent[key] = refs
    ent["_interventions_line"] = rec["interventions"].line if "interventions" in rec else None
    if "table1_row" in ent:
        if "locator" in ent:
            chk.err(rel, rec["locator"].line, "a table 1 trial is located by its row; drop 'locator'")
        ent["locator"] = f"table 1 row {ent['table1_row']}"
    elif "locator" not in ent:
        line = min(n.line for n in rec.values())
        chk.err(rel, line, f"study {ent['id']!r} needs a 'locator' (the paragraph of the review that describes it) or a 'table1_row'")
    node = rec.get("results")
    results = []
    if node is not None and node.value is not None:
        if not isinstance(node.value, list):
            chk.err(rel, node.line, "'results' must be a list of mappings")
        else:
            for item in node.value:
                if not isinstance(item.value, dict):
                    chk.err(rel, item.line, "each result must be a mapping (endpoint, comparison, value, p, hr)")
                    continue
                row = {}
                for k, v in item.value.items():
                    if isinstance(v.value, (dict, list)):
                        chk.err(rel, v.line, f"result field {k!r} must be a single value")
                    else:
                        row[k] = v.value if not isinstance(v.value, str) else v.value.strip()
                results.append(row)
    ent["results"] = results


def _publication_entity(ref: str, r: dict) -> dict:
    first = r["authors"][0].split()[0] if r["authors"] else (r.get("authors_zh") or "")
    label = f"{first} {r['year']}".strip() if ref != "review" else "Source review (2025)"
    return {
        "id": publication_id(ref),
        "kind": "publication",
        "name": label if ref == "review" else (f"{r['title']} [ref {ref}]" if r.get("origin") == "curator" else f"{label} [ref {ref}]"),
        "name_zh": r.get("title_zh"),
        "description": r["title"],
        "synonyms": [f"ref {ref}"] if ref != "review" else ["review"],
        "xrefs": ([f"doi:{r['doi']}"] if r.get("doi") else []) + r.get("xrefs", []),
        "axes": [],
        "caveats": r["caveats"],
        "modality": None,
        "ref": ref,
        "authors": r["authors"],
        "year": r["year"],
        "journal": r.get("journal"),
        "citation": r.get("citation"),
        "doi": r.get("doi"),
        "cited_for": r["cited_for"],
        "designs": r["design"],
        "origin": r.get("origin"),
        "url": r.get("url"),
        "_file": r["_file"],
        "_line": r["_line"],
    }


def _read_evidence(chk: _Checker, rel: str, node: Node, data: SeedData) -> list[dict]:
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
        ref = _ref_key(rnode.value) if rnode is not None else None
        support = chk.text(rel, rec, "support")
        if rnode is None:
            if support != "curator":
                chk.err(rel, item.line, "evidence without 'ref': cite a reference number of the review, 'review', or a curator reference")
        elif ref is None:
            chk.err(rel, rnode.line, f"evidence 'ref' must be a reference number, 'review' or a curator reference key, not {rnode.value!r}")
        elif ref not in data.references:
            chk.err(rel, rnode.line, f"evidence cites reference {ref}, which is not in the reference list")
        ev["ref"] = ref
        ev["doi"] = data.references[ref]["doi"] if ref in data.references else None
        fields = {key: (chk.text(rel, rec, key), rec[key].line if key in rec else item.line) for key in ("locator", "design", "level")}
        fields["support"] = (support, rec["support"].line if "support" in rec else item.line)
        check_record(ev, data.references.get(ref) if ref else None, fields, item.line, lambda ln, msg: chk.err(rel, ln, msg))
        species = chk.text(rel, rec, "species", required=True)
        if species is not None and species not in schema.SPECIES:
            chk.err(rel, rec["species"].line, f"unknown species/model {species!r}; expected one of {', '.join(schema.SPECIES)}")
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


def _read_edge(chk: _Checker, rel: str, line: int, rec: dict[str, Node], data: SeedData) -> None:
    chk.unknown_keys(rel, rec, schema.EDGE_FIELDS, "an edge")
    src = chk.text(rel, rec, "source", required=True)
    tgt = chk.text(rel, rec, "target", required=True)
    relation = chk.text(rel, rec, "relation", required=True)
    ok = True
    for key, eid in (("source", src), ("target", tgt)):
        if eid is not None and eid not in data.entities:
            chk.err(rel, rec[key].line, f"edge {key} {eid!r} is not a known entity{schema.did_you_mean(eid, data.entities)}")
            ok = False
    if relation is not None and relation not in schema.RELATIONS:
        chk.err(rel, rec["relation"].line, f"unknown relation {relation!r}{schema.did_you_mean(relation, schema.RELATIONS)}")
        ok = False
    if src is not None and src == tgt:
        chk.err(rel, line, f"edge from {src!r} to itself")
    ev_node = rec.get("evidence")
    if ev_node is None:
        chk.err(rel, line, f"edge {src} -{relation}-> {tgt} has no 'evidence'; every edge needs at least one cited reference")
        evidence = []
    else:
        evidence = _read_evidence(chk, rel, ev_node, data)
    direction = chk.text(rel, rec, "direction")
    if relation == "associated_with":
        if direction is None:
            chk.err(rel, line, "an associated_with edge needs 'direction': positive, negative or none")
        elif direction not in schema.ASSOCIATION_DIRECTIONS:
            chk.err(rel, rec["direction"].line, f"'direction' must be one of {', '.join(schema.ASSOCIATION_DIRECTIONS)}")
    elif direction is not None:
        chk.err(rel, rec["direction"].line, "'direction' is only for associated_with edges")
    axes = chk.text_list(rel, rec, "axes")
    for a in axes:
        if a not in data.axes:
            chk.err(rel, rec["axes"].line, f"unknown axis {a!r}{schema.did_you_mean(a, data.axes)}")
    if not ok or src is None or tgt is None or relation is None:
        return
    data.edges.append(
        {
            "source": src,
            "target": tgt,
            "relation": relation,
            "evidence": evidence,
            "direction": direction,
            "context": chk.text(rel, rec, "context"),
            "axes": axes,
            "caveats": chk.text_list(rel, rec, "caveats"),
            "_file": rel,
            "_line": line,
        }
    )


def _derived_edge(data: SeedData, trial: dict, source: str, relation: str, target: str, ref: str, summary: str, where: tuple[str, int]) -> dict:
    """An edge the loader derives from a clinical study record, with one evidence record citing `ref`.

    Its support is the review's text at the study's locator (its table 1 row, or the paragraph
    that describes it) and its design and level are the study's own, whatever the design of the
    cited reference: a tested_in edge says how the therapy was studied.
    """
    evidence = {
        "ref": ref, "doi": data.references[ref]["doi"], "support": "review_text", "locator": trial.get("locator"),
        "design": trial["design"], "level": schema.design_level(trial["design"]), "species": "patients",
        "summary": summary, "_line": where[1],
    }
    return {
        "source": source, "target": target, "relation": relation, "evidence": [evidence],
        "direction": None, "context": None, "axes": [], "caveats": [], "_file": where[0], "_line": where[1],
    }


def _derive_trial_edges(chk: _Checker, data: SeedData) -> None:
    """Each trial's `interventions` become tested_in edges, its `reported_in` reported_in edges."""
    for ent in list(data.entities.values()):
        if ent["kind"] != "clinical_trial" or ent.get("design") is None:
            continue
        rel, line = ent["_file"], ent.get("_interventions_line") or ent["_line"]
        summary = ent.get("evidence_summary") or f"Listed as an intervention of {ent['name']}."
        source_ref = ent["refs"][0] if ent.get("refs") else "review"
        for tid in ent.get("interventions", []):
            if tid not in data.entities:
                chk.err(rel, line, f"trial intervention {tid!r} is not a known entity{schema.did_you_mean(tid, data.entities)}")
            elif data.entities[tid]["kind"] not in ("therapy", "therapy_class"):
                chk.err(rel, line, f"trial intervention {tid!r} is a {data.entities[tid]['kind']}, not a therapy")
            elif source_ref not in data.references:
                chk.err(rel, line, f"trial cites reference {source_ref}, which is not in the reference list")
            else:
                data.edges.append(_derived_edge(data, ent, tid, "tested_in", ent["id"], source_ref, summary, (rel, line)))
        for ref in ent.get("reported_in", []):
            if ref not in data.references:
                chk.err(rel, ent["_line"], f"trial reported_in cites reference {ref}, which is not in the reference list")
                continue
            summary_ref = f"Results of {ent['name']} are reported in reference {ref}."
            data.edges.append(_derived_edge(data, ent, ent["id"], "reported_in", publication_id(ref), ref, summary_ref, (ent["_file"], ent["_line"])))


def _check_synonyms(chk: _Checker, data: SeedData) -> None:
    """A synonym may not be a name (id, name, Chinese name or synonym) of another entity: a name
    typed on the command line must lead to one entity, not to whichever was read first."""
    owner: dict[str, str] = {}
    for eid, ent in data.entities.items():
        for name in (eid, ent.get("name"), ent.get("name_zh")):
            if name:
                owner.setdefault(name.strip().casefold(), eid)
    for eid, ent in data.entities.items():
        for syn in ent.get("synonyms") or []:
            key = syn.strip().casefold()
            other = owner.setdefault(key, eid)
            if other != eid:
                first = data.entities[other]
                chk.err(ent["_file"], ent["_line"], f"synonym {syn!r} of {eid!r} is also a name of {other!r} "
                        f"({first['_file']}:{first['_line']}); a name must lead to one entity")


def _check_edge_uniqueness(chk: _Checker, data: SeedData) -> None:
    seen: dict[tuple[str, str, str], dict] = {}
    for e in data.edges:
        key = (e["source"], e["relation"], e["target"])
        if key in seen:
            prev = seen[key]
            chk.err(
                e["_file"],
                e["_line"],
                f"duplicate edge {key[0]} -{key[1]}-> {key[2]} (first at {prev['_file']}:{prev['_line']}); merge their evidence lists",
            )
        else:
            seen[key] = e


def validate(path: Path | str | None = None) -> list[str]:
    """Every problem in the seed files under `path` as `FILE:LINE: message`; empty when valid."""
    try:
        read_seeds(path)
    except SeedError as e:
        return e.problems
    return []
