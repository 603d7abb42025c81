"""Raw and named Cypher queries, run on either backend.

Named queries live as `.cypher` files in graph/cypher/, so a user can paste them into Neo4j
Browser. A header line `// @param NAME TYPE [= DEFAULT]` declares each parameter; TYPE is
`entity` (resolved from any name to an id first), `string`, `int` or `float`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from .backend import Backend
from .errors import QueryError

PARAM_RE = re.compile(r"^//\s*@param\s+(\w+)\s+(entity|string|int|float)(?:\s*=\s*(\S+))?")
PARAM_TYPES = ("entity", "string", "int", "float")


@dataclass
class NamedQuery:
    """One named query: its Cypher text, a description and its declared parameters."""

    name: str
    text: str
    description: str
    params: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # name -> (type, default)


def named_queries() -> dict[str, NamedQuery]:
    """Every named query shipped in graph/cypher/, by name."""
    out: dict[str, NamedQuery] = {}
    for f in sorted(resources.files("graph").joinpath("cypher").iterdir(), key=lambda p: p.name):
        if not f.name.endswith(".cypher"):
            continue
        text = f.read_text(encoding="utf-8")
        desc_lines, params = [], {}
        for line in text.splitlines():
            m = PARAM_RE.match(line.strip())
            if m:
                params[m.group(1)] = (m.group(2), m.group(3))
            elif line.startswith("//") and not params:
                desc_lines.append(line.lstrip("/ ").strip())
        name = f.name[: -len(".cypher")]
        out[name] = NamedQuery(name, text, " ".join(desc_lines), params)
    return out


def parse_params(items: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """`name=value` gives a string; `name:=JSON` a typed value (number, list, true, null)."""
    out: dict[str, Any] = {}
    for item in items:
        if "=" not in item:
            raise QueryError(f"--param {item!r} must look like name=value (or name:=JSON)")
        key, value = item.split("=", 1)
        if key.endswith(":"):
            key = key[:-1]
            try:
                value = json.loads(value)
            except json.JSONDecodeError as e:
                raise QueryError(f"--param {key}:= needs a JSON value ({e.msg}); use {key}=TEXT for text") from None
        key = key.strip()
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise QueryError(f"parameter name {key!r} must be letters, digits and underscores")
        out[key] = value
    return out


def run_query(backend: Backend, text: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[dict[str, Any]]:
    """Run raw Cypher on the backend; read-only unless `write`."""
    if not text or not text.strip():
        raise QueryError("the query is empty")
    return backend.cypher(text, params or {}, write=write)


def prepare_params(backend: Backend, query: NamedQuery, params: dict[str, Any]) -> dict[str, Any]:
    """Check a named query's parameters, apply defaults, convert types, resolve entity names to ids."""
    from .entities import resolve

    unknown = sorted(set(params) - set(query.params))
    if unknown:
        declared = ", ".join(query.params) or "none"
        raise QueryError(f"query {query.name!r} takes no parameter {', '.join(unknown)} (its parameters: {declared})")
    out: dict[str, Any] = {}
    for name, (ptype, default) in query.params.items():
        value = params.get(name, default)
        if value is None:
            raise QueryError(f"query {query.name!r} needs --param {name}=...")
        if ptype == "entity":
            value = resolve(backend, str(value))
        elif ptype == "int":
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise QueryError(f"--param {name} must be a whole number, not {value!r}") from None
        elif ptype == "float":
            try:
                value = float(value)
            except (TypeError, ValueError):
                raise QueryError(f"--param {name} must be a number, not {value!r}") from None
        else:
            value = str(value)
        out[name] = value
    return out


def run_named(backend: Backend, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run a named query; list values that Cypher collects in no set order come back sorted."""
    queries = named_queries()
    if name not in queries:
        from .schema import did_you_mean

        raise QueryError(f"no named query {name!r}{did_you_mean(name, queries)}; available: {', '.join(queries)}")
    q = queries[name]
    rows = backend.cypher(q.text, prepare_params(backend, q, params or {}))
    return [{k: sorted(v, key=_natural) if isinstance(v, list) else v for k, v in row.items()} for row in rows]


def _natural(v: Any) -> tuple[int, int, str]:
    s = str(v)
    return (0, int(s), "") if s.isdigit() else (1, 0, s)
