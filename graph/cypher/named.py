"""Named queries: `.cypher` files shipped beside this module, each pasteable into Neo4j Browser.

A header line `// @param NAME TYPE [= DEFAULT]` declares each parameter; TYPE is `entity`
(resolved from any name to an id by the caller), `string`, `int` or `float`. Running them is the
store's job (`mechgraph.store.queries`); this module only finds, parses and checks them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ..errors import QueryError
from ..schema import did_you_mean

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
    """Every named query shipped in this folder, by name."""
    out: dict[str, NamedQuery] = {}
    for f in sorted(resources.files(__package__).iterdir(), key=lambda p: p.name):
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


def named_query_list() -> list[dict[str, str]]:
    """`mechgraph query --list`: each named query's name, parameters (type and default) and description."""
    return [
        {"name": q.name, "parameters": ", ".join(f"{k} ({t}{'=' + d if d else ''})" for k, (t, d) in q.params.items()),
         "description": q.description}
        for q in named_queries().values()
    ]


def named_query(name: str) -> NamedQuery:
    """The named query `name`, or a QueryError listing the available ones."""
    queries = named_queries()
    if name not in queries:
        raise QueryError(f"no named query {name!r}{did_you_mean(name, queries)}; available: {', '.join(queries)}")
    return queries[name]


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


def prepare_params(query: NamedQuery, params: dict[str, Any], resolve: Callable[[str], str]) -> dict[str, Any]:
    """Check a named query's parameters, apply defaults, convert types; `resolve` turns entity names into ids."""
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
            value = resolve(str(value))
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
