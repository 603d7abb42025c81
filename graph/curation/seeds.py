"""Read and validate the curated seed files into records (`SeedData`), which build.py turns into the graph.

Seed files are YAML mappings with any of the top-level keys `entities`, `edges`, `references`,
`axes` and `proposals`. Every problem is reported as `FILE:LINE: message`, all of them at once,
so a curator can fix a file in one pass; `read_seeds` returns records only when every file is
valid (else SeedError). Records are read here (references, axes, entities, edges), study records
and their derived edges in studies.py, proposals in proposals.py, and the rules that look across
records in rules.py; `checker` holds the record checks and the problem collector.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from .. import schema
from ..errors import SeedError
from .checker import Checker, SeedData, is_review_reference, publication_id, read_evidence, ref_key, type_name
from .proposals import read_proposal
from .provenance import read_designs
from .rules import check_rules
from .studies import derive_study_edges, read_trial_fields
from .yaml_tree import Node, parse_file, yaml_files

__all__ = ["SeedData", "default_seed_path", "is_review_reference", "packaged_seed_path", "publication_id",
           "read_seeds", "validate"]


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
    raise SeedError([f"{package_dir}:1: the curated seeds are missing from this installation; reinstall mechgraph or "
                     "pass --seeds DIR"])


def default_seed_path() -> Path:
    """$MECHGRAPH_SEEDS when set, else the curated seeds shipped with the package."""
    env = os.environ.get("MECHGRAPH_SEEDS")
    if env:
        return Path(env)
    return packaged_seed_path()


def read_seeds(path: Path | str | None = None) -> SeedData:
    """Parse and validate every seed file under `path`; raise SeedError listing all problems."""
    root = Path(path) if path is not None else default_seed_path()
    files = seed_files(root)
    chk = Checker()
    data = SeedData()
    raw_entities: list[tuple[str, int, dict[str, Node]]] = []
    raw_edges: list[tuple[str, int, dict[str, Node]]] = []
    raw_proposals: list[tuple[str, int, dict[str, Node]]] = []
    top_keys = {"entities", "edges", "references", "axes", "proposals"}

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
            chk.err(rel, tree.line,
                    f"a seed file must be a mapping with keys {sorted(top_keys)}, not {type_name(tree.value)}")
            continue
        for k, node in tree.value.items():
            if k not in top_keys:
                chk.err(rel, node.line,
                        f"unknown top-level key {k!r}; expected one of "
                        f"{sorted(top_keys)}{schema.did_you_mean(k, top_keys)}")
        for line, rec in chk.records(rel, tree.value, "references"):
            _read_reference(chk, rel, line, rec, data)
        for line, rec in chk.records(rel, tree.value, "axes"):
            _read_axis(chk, rel, line, rec, data)
        raw_entities += [(rel, line, rec) for line, rec in chk.records(rel, tree.value, "entities")]
        raw_edges += [(rel, line, rec) for line, rec in chk.records(rel, tree.value, "edges")]
        raw_proposals += [(rel, line, rec) for line, rec in chk.records(rel, tree.value, "proposals")]

    for rel, line, rec in raw_entities:
        _read_entity(chk, rel, line, rec, data)
    for ref, r in data.references.items():
        pid = publication_id(ref)
        if pid in data.entities:
            chk.err(r["_file"], r["_line"], f"reference {ref} clashes with entity id {pid!r}")
            continue
        data.entities[pid] = _publication_entity(ref, r)
    for rel, line, rec in raw_edges:
        _read_edge(chk, rel, line, rec, data)
    for rel, line, rec in raw_proposals:
        read_proposal(chk, rel, line, rec, data)
    derive_study_edges(chk, data)
    _check_edge_uniqueness(chk, data)
    if not chk.problems:  # the rules across records assume well-formed records
        check_rules(chk, data)

    if chk.problems:
        raise SeedError(_dedupe(chk.problems))
    return data


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    return [x for x in items if not (x in seen or seen.add(x))]


def _read_reference(chk: Checker, rel: str, line: int, rec: dict[str, Node], data: SeedData) -> None:
    chk.unknown_keys(rel, rec, schema.REFERENCE_FIELDS, "a reference")
    node = rec.get("ref")
    ref = ref_key(node.value) if node is not None else None
    if ref is None:
        chk.err(rel, node.line if node else line,
                "reference needs 'ref': a positive number, 'review', or (origin: curator) a snake-case key")
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
        chk.err(rel, node.line,
                f"a curator reference needs a snake-case key such as 'drugbank_nivolumab', not {ref!r}: numbers are "
                "the review's")
    elif origin is None and not is_review_reference(ref):
        chk.err(rel, node.line,
                f"reference {ref!r} is not in the review's numbering; add 'origin: curator' if the curators add it")
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


def _new_id(chk: Checker, rel: str, rec: dict[str, Node], table: dict[str, dict], what: str) -> str | None:
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


def _read_axis(chk: Checker, rel: str, line: int, rec: dict[str, Node], data: SeedData) -> None:
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


def _read_entity(chk: Checker, rel: str, line: int, rec: dict[str, Node], data: SeedData) -> None:
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
    source = chk.text(rel, rec, "name_zh_source")
    if source is not None:
        if source not in schema.NAME_ZH_SOURCES:
            chk.err(rel, rec["name_zh_source"].line,
                    f"'name_zh_source' is one of {', '.join(schema.NAME_ZH_SOURCES)}, not {source!r}")
        elif ent["name_zh"] is None:
            chk.err(rel, rec["name_zh_source"].line,
                    "'name_zh_source' says where the name_zh comes from, but there is no name_zh")
        elif source != "review":
            ent["name_zh_source"] = source
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
            chk.err(rel, rec["modality"].line,
                    f"unknown modality {modality!r}{schema.did_you_mean(modality, schema.THERAPY_MODALITIES)}")
    elif modality is not None:
        chk.err(rel, rec["modality"].line, "'modality' is only for entities of kind therapy")
    ent["modality"] = modality
    if kind == "clinical_trial":
        read_trial_fields(chk, rel, rec, ent)
    data.entities[eid] = ent


def publication_label(ref: str, r: dict) -> str:
    """How a publication is named: its first author's surname (or a group author's name) and year.

    A personal author is written 'Surname INITIALS' ('Bray F', 'van Gestel YR'): the label keeps
    every word before the initials. Any other first author is a group (a society, a committee)
    and is kept whole, so a consensus is not named after the first word of its committee.
    """
    if ref == "review":
        return "Source review (2025)"
    authors = [a for a in r.get("authors") or [] if a.strip().rstrip(".").lower() not in ("et al", "等")]
    first = authors[0].strip() if authors else (r.get("authors_zh") or "").strip()
    words = first.split()
    if len(words) >= 2 and re.fullmatch(r"[A-Z][A-Za-z]{0,3}", words[-1]) and words[-1].isupper():
        first = " ".join(words[:-1])
    return f"{first} {r['year']}".strip() if r.get("year") else first


def _publication_entity(ref: str, r: dict) -> dict:
    label = publication_label(ref, r)
    return {
        "id": publication_id(ref),
        "kind": "publication",
        "name": label if ref == "review"
        else (f"{r['title']} [ref {ref}]" if r.get("origin") == "curator" else f"{label} [ref {ref}]"),
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


def _read_edge(chk: Checker, rel: str, line: int, rec: dict[str, Node], data: SeedData) -> None:
    chk.unknown_keys(rel, rec, schema.EDGE_FIELDS, "an edge")
    src = chk.text(rel, rec, "source", required=True)
    tgt = chk.text(rel, rec, "target", required=True)
    relation = chk.text(rel, rec, "relation", required=True)
    ok = True
    for key, eid in (("source", src), ("target", tgt)):
        if eid is not None and eid not in data.entities:
            chk.err(rel, rec[key].line,
                    f"edge {key} {eid!r} is not a known entity{schema.did_you_mean(eid, data.entities)}")
            ok = False
    if relation is not None and relation not in schema.RELATIONS:
        chk.err(rel, rec["relation"].line,
                f"unknown relation {relation!r}{schema.did_you_mean(relation, schema.RELATIONS)}")
        ok = False
    if src is not None and src == tgt:
        chk.err(rel, line, f"edge from {src!r} to itself")
    ev_node = rec.get("evidence")
    if ev_node is None:
        chk.err(rel, line, f"edge {src} -{relation}-> {tgt} has no 'evidence'; every edge needs at least one cited "
                           "reference")
        evidence = []
    else:
        evidence = read_evidence(chk, rel, ev_node, data)
    direction = chk.text(rel, rec, "direction")
    if relation == "associated_with":
        if direction is None:
            chk.err(rel, line, "an associated_with edge needs 'direction': positive, negative or none")
        elif direction not in schema.ASSOCIATION_DIRECTIONS:
            chk.err(rel, rec["direction"].line,
                    f"'direction' must be one of {', '.join(schema.ASSOCIATION_DIRECTIONS)}")
    elif direction is not None:
        chk.err(rel, rec["direction"].line, "'direction' is only for associated_with edges")
    axes = chk.text_list(rel, rec, "axes")
    for a in axes:
        if a not in data.axes:
            chk.err(rel, rec["axes"].line, f"unknown axis {a!r}{schema.did_you_mean(a, data.axes)}")
    chain = chk.text_list(rel, rec, "chain")
    for c in chain:
        if c not in data.entities:
            chk.err(rel, rec["chain"].line,
                    f"chain entity {c!r} is not a known entity{schema.did_you_mean(c, data.entities)}")
            ok = False
    if chain and (src in chain or tgt in chain or len(set(chain)) < len(chain)):
        chk.err(rel, rec["chain"].line,
                "a chain lists the intermediate entities once each, without the edge's two ends")
        ok = False
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
            "chain": chain,
            "_chain_line": rec["chain"].line if "chain" in rec else line,
            "_file": rel,
            "_line": line,
        }
    )


def _check_edge_uniqueness(chk: Checker, data: SeedData) -> None:
    seen: dict[tuple[str, str, str], dict] = {}
    for e in data.edges:
        key = (e["source"], e["relation"], e["target"])
        if key in seen:
            prev = seen[key]
            chk.err(
                e["_file"],
                e["_line"],
                f"duplicate edge {key[0]} -{key[1]}-> {key[2]} (first at {prev['_file']}:{prev['_line']}); merge "
                "their evidence lists",
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
