"""What mechgraph keeps in Neo4j besides the entities and edges: the meta node that records where
a graph came from, the name-lookup nodes, and the schema. Shared by the online loader
(mechgraph.store.neo4j_load) and the bulk-import export (mechgraph.io.neo4j_admin), so a graph
loaded either way is the same database.

Name lookup lives on separate `:MechGraphName {key, id, load}` nodes, one per casefolded name of
an entity (its id excepted when already casefolded: the :Entity(id) index finds that), so entity
nodes carry exactly the graph's properties (`RETURN n` and `keys(n)` show
nothing derived). `load` is the token of the load that wrote them; the meta node's `load` names
the current one, so a load publishes its names in the same transaction that publishes its
entities, without relabelling them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import networkx as nx

from .. import __version__, props
from .nodelink import to_node_link

META_LABEL = "MechGraphMeta"  # {id: 'graph'}: provenance of the current graph; {id: 'lock'}: the load lock
NAME_LABEL = "MechGraphName"  # {key, entity, load}: one casefolded name of an entity, for lookup (no `id`:
# an unlabelled MATCH (n {id: ...}) must find the entity only)
META_GRAPH_ID = "graph"

# Constraints and indexes, as the loader creates them and as schema.cypher of a bulk import lists them.
SCHEMA_STATEMENTS = (
    "CREATE CONSTRAINT mechgraph_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE",
    f"CREATE CONSTRAINT mechgraph_meta_id IF NOT EXISTS FOR (m:{META_LABEL}) REQUIRE m.id IS UNIQUE",
    f"CREATE INDEX mechgraph_name_key IF NOT EXISTS FOR (k:{NAME_LABEL}) ON (k.key)",
)


def fingerprint(g: nx.MultiDiGraph) -> str:
    """sha256 of the graph's canonical node-link JSON: equal for equal graphs, whatever file they came from.

    The canonical text is `json.dumps(to_node_link(g), sort_keys=True, separators=(",", ":"),
    ensure_ascii=False)`. It is hashed in slices of a thousand nodes or edges, so a loader can
    compute it in a thread while its other threads keep the server busy (one dumps call over a
    big graph would hold the interpreter lock for half a second)."""
    data = to_node_link(g)
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
    h = hashlib.sha256()

    def items(rows: list[Any]) -> None:
        for i in range(0, len(rows), 1000):
            h.update((b"," if i else b"") + encode(rows[i : i + 1000])[1:-1].encode("utf-8"))

    # the keys of the top-level object, sorted: directed, edges, graph, multigraph, nodes
    h.update(b'{"directed":' + encode(data["directed"]).encode("utf-8") + b',"edges":[')
    items(data["edges"])
    h.update(b'],"graph":' + encode(data["graph"]).encode("utf-8") + b',"multigraph":'
             + encode(data["multigraph"]).encode("utf-8") + b',"nodes":[')
    items(data["nodes"])
    h.update(b"]}")
    return h.hexdigest()


def name_rows(g: nx.MultiDiGraph) -> Iterator[dict[str, str]]:
    """One {key, entity} per distinct casefolded name (id, name, Chinese name, synonym) of each entity,
    except the id itself when it is already casefolded: lookups find that one through the
    uniqueness index on :Entity(id), which saves a name node per entity."""
    for n, a in g.nodes(data=True):
        for key in sorted({x.casefold() for x in props.entity_names({**a, "id": n})}):
            if key != n:
                yield {"key": key, "entity": n}


def meta_properties(g: nx.MultiDiGraph, *, source: str, fp: str, load: str,
                    loaded_at: datetime | None = None) -> dict[str, Any]:
    """Properties of the meta node: the graph's name and axes, and what the load came from."""
    when = (loaded_at or datetime.now(UTC)).astimezone(UTC)
    return {
        "id": META_GRAPH_ID,
        "name": g.graph.get("name", "mechgraph"),
        "axes_json": json.dumps(g.graph.get("axes") or {}, ensure_ascii=False),
        "source": source,
        "fingerprint": fp,
        "version": __version__,
        "loaded_at": when.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "load": load,
    }


def describe_meta(meta: dict[str, Any]) -> str:
    """A loaded graph's provenance in a few words, for messages: source, fingerprint prefix, version, time, counts."""
    parts = [
        f"from {meta.get('source') or 'an unrecorded source'}",
        f"fingerprint {str(meta.get('fingerprint'))[:12]}" if meta.get("fingerprint") else "no fingerprint",
        f"mechgraph {meta.get('version') or '?'}",
        f"loaded {meta.get('loaded_at') or 'at an unrecorded time'}",
    ]
    if meta.get("nodes") is not None:
        parts.append(f"{meta['nodes']} entities, {meta.get('edges')} edges")
    return ", ".join(parts)
