"""Running raw and named Cypher on either backend; entity parameters are resolved by name first."""

from __future__ import annotations

from typing import Any

from ..cypher.named import named_query, prepare_params
from ..edges import ref_sort_key
from ..errors import QueryError
from .entities import resolve
from .protocol import Backend


def run_query(backend: Backend, text: str, params: dict[str, Any] | None = None, *, write: bool = False,
              limits: Any = None) -> list[dict[str, Any]]:
    """Run raw Cypher on the backend; read-only unless `write`. `limits` (a cypher.limits.QueryLimits)
    bounds the embedded engine's time and memory; Neo4j applies its own db.transaction.timeout."""
    if not text or not text.strip():
        raise QueryError("the query is empty")
    return backend.cypher(text, params or {}, write=write, **_limits(backend, limits))


def run_named(backend: Backend, name: str, params: dict[str, Any] | None = None, *,
              limits: Any = None) -> list[dict[str, Any]]:
    """Run a named query; list values that Cypher collects in no set order come back sorted."""
    q = named_query(name)
    rows = backend.cypher(q.text, prepare_params(q, params or {}, lambda text: resolve(backend, text)),
                          **_limits(backend, limits))
    return [{k: sorted(v, key=ref_sort_key) if isinstance(v, list) else v for k, v in row.items()} for row in rows]


def _limits(backend: Backend, limits: Any) -> dict[str, Any]:
    return {"limits": limits} if limits is not None and backend.name == "networkx" else {}
