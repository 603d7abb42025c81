"""The property-graph view of the mechanism graph, shared by Neo4j and the embedded Cypher engine.

Neo4j properties hold only scalars and lists of scalars, so nested values (evidence records,
trial results) are stored as JSON text in a `<name>_json` property, and the evidence is also
flattened into list properties (`refs`, `supports`, `dois`, `levels`, `species`) that Cypher can
filter on (`WHERE 'review_text' IN r.supports`). Both backends derive their properties here, so
the same Cypher sees the same values.

`refs`, `level` and `supports` are edge attributes of the built graph itself (see
curation/build.py) and travel as they are; `dois`, `levels`, `species` and `n_evidence` are derived
here only and dropped again when properties are read back, so a round trip is exact.
"""

from __future__ import annotations

import json
from typing import Any

from . import schema

JSON_SUFFIX = "_json"


_SCALARS = (str, int, float, bool)
# one encoder: json.dumps builds a new one per call for non-default options
_JSON = json.JSONEncoder(ensure_ascii=False)


def _is_flat_list(v: list) -> bool:
    """A list Neo4j can store as is: scalars, all of one type."""
    if not v:
        return True
    t = type(v[0])
    return t in _SCALARS and all(type(x) is t for x in v)


def node_labels(kind: str) -> list[str]:
    """Neo4j labels of an entity: `Entity` plus the label of its kind, from the schema only."""
    return ["Entity", schema.ENTITY_KINDS[kind].label]


def rel_type(relation: str) -> str:
    """Neo4j relationship type of a relation, from the schema only."""
    return schema.RELATIONS[relation].neo4j_type


def to_properties(attrs: dict[str, Any]) -> dict[str, Any]:
    """Flatten graph attributes into Neo4j-storable properties."""
    out: dict[str, Any] = {}
    for k, v in attrs.items():
        if v is None:
            continue
        if isinstance(v, dict) or (isinstance(v, list) and not _is_flat_list(v)):
            out[k + JSON_SUFFIX] = _JSON.encode(v)
        else:
            out[k] = v
    return out


def edge_properties(attrs: dict[str, Any]) -> dict[str, Any]:
    """Relationship properties: the flattened attributes plus evidence lists Cypher can filter on."""
    out = to_properties(attrs)
    evidence = attrs.get("evidence") or []
    dois, levels, species = set(), set(), set()
    for e in evidence:
        if e.get("doi"):
            dois.add(e["doi"])
        if e.get("level"):
            levels.add(e["level"])
        if e.get("species"):
            species.add(e["species"])
    out["dois"] = sorted(dois)
    out["levels"] = sorted(levels)
    out["species"] = sorted(species)
    out["n_evidence"] = len(evidence)
    return out


DERIVED_EDGE_PROPS = ("dois", "levels", "species", "n_evidence")
JSON_ATTRS = ("evidence", "results", "proposals")  # attributes stored as JSON text (lists of mappings)


def stored_name(attr: str) -> str:
    """The property an attribute is stored under: `evidence` -> `evidence_json`."""
    return attr + JSON_SUFFIX if attr in JSON_ATTRS else attr


def stored_names(attrs) -> list[str]:
    """Every property these attributes may be stored under: an empty list is a flat list, stored
    under its own name, while a list of mappings goes to `<name>_json`."""
    out = []
    for k in attrs:
        out += [stored_name(k)] + ([k] if stored_name(k) != k else [])
    return out


def from_properties(props: dict[str, Any], *, edge: bool = False) -> dict[str, Any]:
    """Invert to_properties/edge_properties: JSON text back to values, derived lists dropped."""
    out: dict[str, Any] = {}
    for k, v in props.items():
        if edge and k in DERIVED_EDGE_PROPS:
            continue
        if k.endswith(JSON_SUFFIX) and isinstance(v, str):
            out[k[: -len(JSON_SUFFIX)]] = json.loads(v)
        else:
            out[k] = list(v) if isinstance(v, (list, tuple)) else v
    return out


def entity_names(attrs: dict[str, Any]) -> list[str]:
    """Every name an entity answers to: id, English and Chinese name, synonyms."""
    names = [attrs.get("id"), attrs.get("name"), attrs.get("name_zh"), *(attrs.get("synonyms") or [])]
    return [str(n) for n in names if n]
