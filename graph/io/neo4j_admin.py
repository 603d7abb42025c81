"""Bulk-import files: the graph as `neo4j-admin database import full` reads it, for big first loads.

`write_neo4j_admin(g, folder)` writes one folder:

  entities-<Label>.csv        the entities, one file per kind (more when a property's type varies)
  relationships-<TYPE>.csv    the edges, one file per relation
  names.csv, meta.csv         the name-lookup nodes and the meta node (mechgraph.io.neo4j_layout)
  import.sh                   the exact neo4j-admin command for these files
  after-import.cypher         run once on the started server: empty lists, constraints, indexes
  README.txt                  how to run both, locally and with docker compose

Every property the online loader (mechgraph.store.neo4j_load) writes is there, typed in the
header (`seed_line:long`, `refs:string[]`); strings are always quoted (a quote doubled), so
commas, quotes, newlines and any script survive, and absent values are empty unquoted fields.
Two things the CSV format cannot say are handled here: the array delimiter is a character that
occurs in no list element (`;` when possible), and empty lists, which the import tool cannot
create, are named in a `mechgraph_empty_lists` column that after-import.cypher turns into
empty lists and removes. A list holding an empty string cannot be expressed and is refused.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from .. import props, schema
from ..errors import ExportError
from ..fsio import Publication
from .neo4j_layout import META_LABEL, NAME_LABEL, SCHEMA_STATEMENTS, fingerprint, meta_properties, name_rows

ENTITY_SPACE = "Entity"
EMPTY_LISTS = "mechgraph_empty_lists"  # names of the properties that are empty lists; removed after import
ARRAY_DELIMITERS = (";", "|", "\u001f")
MARKER = "import.sh"  # a folder holding this file is an earlier export and may be replaced
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _csv_type(v: Any) -> str:
    """The neo4j-admin header type of a property value (lists: of their elements)."""
    if isinstance(v, list):
        return _csv_type(v[0]) + "[]"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "long"
    if isinstance(v, float):
        return "double"
    return "string"


def _scalar(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        if not -(2**63) <= v < 2**63:
            raise ExportError(f"the integer {v} does not fit Neo4j's 64-bit integers")
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return repr(v)
    return str(v)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@dataclass
class _Table:
    """One CSV file: its fixed header columns, its typed property columns, and its rows."""

    name: str
    fixed: list[str]
    pattern: str  # how after-import.cypher matches its rows, e.g. `(x:Gene)` or `()-[x:PROMOTES]->()`
    types: dict[str, str] = field(default_factory=dict)
    rows: list[tuple[list[str], dict[str, Any]]] = field(default_factory=list)

    def fits(self, typed: dict[str, str]) -> bool:
        return all(self.types.get(k, t) == t for k, t in typed.items())


class _Tables:
    """Rows grouped into tables per group (label or type); a new table where a property's type differs."""

    def __init__(self, delimiter: str):
        self.delimiter = delimiter
        self.groups: dict[str, list[_Table]] = {}

    def add(self, group: str, prefix: str, pattern: str, fixed_header: list[str], fixed: list[str],
            properties: dict[str, Any], where: str) -> None:
        for k in properties:
            if not _KEY.match(k) or k == EMPTY_LISTS:
                raise ExportError(f"{where}: property name {k!r} cannot be a neo4j-admin CSV header; use letters, "
                                  "digits and _")
        empties = sorted(k for k, v in properties.items() if isinstance(v, list) and not v)
        values = {k: v for k, v in properties.items() if not (isinstance(v, list) and not v)}
        for k, v in values.items():
            if isinstance(v, list) and any(x == "" for x in v):
                raise ExportError(f"{where}: property {k!r} is a list holding an empty string, which neo4j-admin "
                                  "cannot import")
        if empties:
            values[EMPTY_LISTS] = empties
        typed = {k: _csv_type(v) for k, v in values.items()}
        tables = self.groups.setdefault(group, [])
        table = next((t for t in tables if t.fits(typed)), None)
        if table is None:
            table = _Table(f"{prefix}-{group}" + (f"-{len(tables) + 1}" if tables else ""), fixed_header, pattern)
            tables.append(table)
        table.types.update(typed)
        table.rows.append((fixed, values))

    def field(self, v: Any) -> str:
        if v is None:
            return ""
        if isinstance(v, list):
            return _quote(self.delimiter.join(_scalar(x) for x in v))
        if isinstance(v, str):
            return _quote(v)
        return _scalar(v)

    def write(self, folder: Path) -> list[str]:
        """Write every table; return the file names."""
        names = []
        for tables in self.groups.values():
            for t in tables:
                columns = sorted(t.types)
                header = t.fixed + [f"{k}:{t.types[k]}" for k in columns]
                path = folder / f"{t.name}.csv"
                with path.open("w", encoding="utf-8", newline="") as f:
                    f.write(",".join(header) + "\n")
                    for fixed, values in t.rows:
                        cells = [_quote(x) for x in fixed] + [self.field(values.get(k)) for k in columns]
                        f.write(",".join(cells) + "\n")
                names.append(path.name)
        return names


def _array_delimiter(rows: Iterable[dict[str, Any]], where: str) -> str:
    """The first candidate delimiter that occurs in no list element."""
    used = set()
    for row in rows:
        for v in row.values():
            if isinstance(v, list):
                for x in v:
                    if isinstance(x, str):
                        used.update(c for c in ARRAY_DELIMITERS if c in x)
    for c in ARRAY_DELIMITERS:
        if c not in used:
            return c
    raise ExportError(f"{where}: every array delimiter neo4j-admin could use "
                      f"({', '.join(map(repr, ARRAY_DELIMITERS))}) occurs in the data")


def write_neo4j_admin(g: nx.MultiDiGraph, folder: Path | str, *, source: str | None = None,
                      publication: Publication | None = None) -> Path:
    """Write the bulk-import folder (see the module docstring); a failed write leaves no folder behind.

    The folder is written as a hidden temporary beside it and swapped in whole (mechgraph.fsio);
    an existing folder is replaced only when it is an earlier export (it holds import.sh)."""
    if publication is None:
        with Publication() as pub:
            return write_neo4j_admin(g, folder, source=source, publication=pub)
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or (any(folder.iterdir()) and not (folder / MARKER).is_file())):
        raise ExportError(f"{folder}: exists and is not an earlier neo4j-admin export; choose a new folder")
    node_props = {}
    for n, a in g.nodes(data=True):
        kind = a.get("kind")
        if kind not in schema.ENTITY_KINDS:
            raise ExportError(f"entity {n!r} has unknown kind {kind!r}")
        node_props[n] = props.to_properties({**a, "id": n})
    edge_props = []
    for u, v, k, a in g.edges(keys=True, data=True):
        if k not in schema.RELATIONS:
            raise ExportError(f"edge {u} -{k}-> {v} has an unknown relation")
        edge_props.append((u, v, k, props.edge_properties({**a, "relation": k})))
    delimiter = _array_delimiter([*node_props.values(), *(p for *_, p in edge_props)], str(folder))

    tables = _Tables(delimiter)
    for n in sorted(node_props):
        p = dict(node_props[n])
        labels = props.node_labels(p["kind"])
        entity_id = p.pop("id")
        tables.add(labels[1], "entities", f"(x:{labels[1]})", [f"id:ID({ENTITY_SPACE})", ":LABEL"],
                   [entity_id, delimiter.join(labels)], p, f"entity {n!r}")
    for u, v, k, p in sorted(edge_props, key=lambda e: e[:3]):
        rtype = props.rel_type(k)
        tables.add(rtype, "relationships", f"()-[x:{rtype}]->()",
                   [f":START_ID({ENTITY_SPACE})", f":END_ID({ENTITY_SPACE})", ":TYPE"],
                   [u, v, rtype], p, f"edge {u} -{k}-> {v}")
    fp = fingerprint(g)
    load = "import-" + fp[:16]
    for i, row in enumerate(sorted(name_rows(g), key=lambda r: (r["key"], r["entity"])), 1):
        tables.add("names", "mechgraph", f"(x:{NAME_LABEL})", [f":ID({NAME_LABEL})", ":LABEL"], [str(i), NAME_LABEL],
                   {**row, "load": load}, "names")
    meta = meta_properties(g, source=source or f"the graph {g.graph.get('name', 'mechgraph')!r}", fp=fp, load=load)
    meta["via"] = "neo4j-admin database import"
    meta_id = meta.pop("id")
    tables.add("meta", "mechgraph", f"(x:{META_LABEL})", [f"id:ID({META_LABEL})", ":LABEL"], [meta_id, META_LABEL],
               meta, "meta")

    tmp = publication.folder(folder)
    files = tables.write(tmp)
    nodes = [f for f in files if not f.startswith("relationships-")]
    rels = [f for f in files if f.startswith("relationships-")]
    (tmp / MARKER).write_text(import_script(nodes, rels, delimiter), encoding="utf-8")
    (tmp / MARKER).chmod(0o755)
    (tmp / "after-import.cypher").write_text(after_import_cypher(tables), encoding="utf-8")
    (tmp / "README.txt").write_text(README.format(folder=folder.name), encoding="utf-8")
    return folder


def _delimiter_option(c: str) -> str:
    return c if c.isprintable() else f"U+{ord(c):04X}"


def import_script(nodes: list[str], rels: list[str], delimiter: str) -> str:
    """import.sh: the neo4j-admin command for these files, run from their folder."""
    lines = [f"  --nodes={f} \\" for f in nodes] + [f"  --relationships={f} \\" for f in rels]
    return IMPORT_SH.format(files="\n".join(lines), delimiter=_delimiter_option(delimiter))


def after_import_cypher(tables: _Tables) -> str:
    """Statements for the server once the import is done: empty lists, the import time, the schema."""
    out = ["// Run once on the imported database (cypher-shell -f, or scripts/neo4j-local.sh import does it)."]
    for ts in tables.groups.values():
        for t in ts:
            if EMPTY_LISTS not in t.types:
                continue
            empties = sorted({k for _, values in t.rows for k in values.get(EMPTY_LISTS) or []})
            sets = ", ".join(f"x.{k} = CASE WHEN '{k}' IN x.{EMPTY_LISTS} THEN [] ELSE x.{k} END" for k in empties)
            out.append(f"MATCH {t.pattern} WHERE x.{EMPTY_LISTS} IS NOT NULL SET {sets} REMOVE x.{EMPTY_LISTS};")
    out.append(f"MATCH (m:{META_LABEL} {{id: 'graph'}}) SET m.loaded_at = toString(datetime.truncate('second', "
               "datetime()));")
    out += [s + ";" for s in SCHEMA_STATEMENTS]
    out.append("CALL db.awaitIndexes(300);")
    return "\n".join(out) + "\n"


IMPORT_SH = """#!/usr/bin/env bash
# Bulk import of a mechgraph graph, written by `mechgraph export --format neo4j-admin`.
# Usage: import.sh [--overwrite-destination] [DATABASE]      (DATABASE defaults to neo4j)
# The Neo4j server must be stopped. NEO4J_ADMIN may name the neo4j-admin command to use.
# After starting the server, run after-import.cypher on it once (see README.txt).
set -euo pipefail
cd "$(dirname "$0")"
read -r -a admin <<< "${{NEO4J_ADMIN:-neo4j-admin}}"
database=neo4j
extra=()
for arg in "$@"; do
  case "$arg" in
    --*) extra+=("$arg") ;;
    *) database="$arg" ;;
  esac
done
"${{admin[@]}}" database import full \\
{files}
  --id-type=string --delimiter=',' --array-delimiter='{delimiter}' --quote='"' \\
  --multiline-fields=true --trim-strings=false --skip-bad-relationships=false --bad-tolerance=0 \\
  --report-file="${{TMPDIR:-/tmp}}/mechgraph-import.report" \\
  "${{extra[@]}}" "$database"
"""

README = """mechgraph graph for neo4j-admin bulk import
============================================

Written by `mechgraph export --format neo4j-admin`. Importing builds a NEW database offline,
much faster than `mechgraph load` for big graphs; the result is the same graph the online
loader builds. An import never adds to a database: it creates one, or replaces one with
--overwrite-destination.

Without Docker (the local server of the mechgraph repository):

    NEO4J_DATA_DIR=/path/to/fresh-folder scripts/neo4j-local.sh import {folder}

  imports into a fresh data folder, starts the server on it and runs after-import.cypher.

With docker compose (the repository's docker-compose.yml; its volume holds the database; the
commands need NEO4J_PASSWORD set, as `docker compose up` does):

    docker compose stop neo4j
    docker compose run --rm -v "$PWD/{folder}:/import" neo4j \\
        bash /import/import.sh --overwrite-destination neo4j
    docker compose up -d --wait neo4j
    docker compose exec -T neo4j cypher-shell -u neo4j -p "$NEO4J_PASSWORD" < {folder}/after-import.cypher

  Stop the server first: neo4j-admin will not write a database a running server holds.
  --overwrite-destination replaces the graph in the volume's `neo4j` database.

With a Neo4j installation: stop it, then `NEO4J_ADMIN=$NEO4J_HOME/bin/neo4j-admin bash import.sh`,
start it, and `cypher-shell -f after-import.cypher`.
"""
