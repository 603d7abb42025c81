"""Finding entities by any of their names, and describing one with its evidence."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from ..errors import MechGraphError, UnknownEntity
from .protocol import Backend, BoundedBackend


def suggest(backend: Backend, text: str, n: int = 5) -> list[str]:
    """Close names for a 'did you mean' list, as 'name (id)'."""
    key = text.strip().casefold()
    pool: dict[str, str] = {}
    for eid, names in backend.name_index():
        for name in names:
            pool.setdefault(name.casefold(), f"{names[1] if len(names) > 1 else eid} ({eid})")
    hits = difflib.get_close_matches(key, list(pool), n=n * 3, cutoff=0.6)
    subs = [k for k in pool if key and len(key) >= 3 and key in k]
    out: list[str] = []
    for k in hits + sorted(subs, key=len):
        label = pool[k]
        if label not in out:
            out.append(label)
    return out[:n]


def resolve(backend: Backend, text: str) -> str:
    """The id of the entity named `text` (id, English or Chinese name, synonym; any case).

    A name shared by several entities resolves to the one whose id or primary name it is;
    otherwise it is ambiguous and the error lists the candidates.
    """
    if not isinstance(text, str) or not text.strip():
        raise MechGraphError("an entity name must not be empty")
    ids = backend.lookup(text)
    if len(ids) == 1:
        return ids[0]
    if not ids:
        raise UnknownEntity(text, suggest(backend, text))
    key = text.strip().casefold()
    primary = [i for i in ids if i.casefold() == key
               or str((backend.entity(i) or {}).get("name", "")).casefold() == key]
    if len(primary) == 1:
        return primary[0]
    raise MechGraphError(f"{text!r} is ambiguous: it names {', '.join(ids)}; use one of these ids")


@dataclass
class EntityView:
    """An entity with its incoming and outgoing edges, for `show`."""

    entity: dict[str, Any]
    outgoing: list[dict[str, Any]]
    incoming: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "outgoing": self.outgoing, "incoming": self.incoming}


def _edge_row(backend: Backend, u: str, v: str, rel: str, attrs: dict[str, Any], other: str) -> dict[str, Any]:
    other_attrs = backend.entity(other) or {}
    return _row(u, v, rel, attrs, other, other_attrs.get("name", other))


def _row(u: str, v: str, rel: str, attrs: dict[str, Any], other: str, other_name: str) -> dict[str, Any]:
    row = {"source": u, "target": v, "relation": rel, "other": other, "other_name": other_name}
    row.update({k: val for k, val in attrs.items() if k not in ("seed_file", "seed_line")})
    return row


def describe(backend: Backend, name: str) -> EntityView:
    """Resolve `name` and gather the entity with all its edges and their evidence."""
    eid = resolve(backend, name)
    out, inc = [], []
    # one query, not one per edge
    found = backend.entity_with_edges(eid) if isinstance(backend, BoundedBackend) else None
    if found is not None:
        ent, edges = found
        for u, v, rel, attrs, other_name in edges:
            (out if u == eid else inc).append(_row(u, v, rel, attrs, v if u == eid else u, other_name))
    else:
        ent = backend.entity(eid) or {"id": eid}
        for u, v, rel, attrs in backend.edges_of(eid):
            if u == eid:
                out.append(_edge_row(backend, u, v, rel, attrs, v))
            else:
                inc.append(_edge_row(backend, u, v, rel, attrs, u))
    key = lambda r: (r["relation"], r["other"])  # noqa: E731
    return EntityView(ent, sorted(out, key=key), sorted(inc, key=key))
