"""Options shared by several commands, each declared once, and the `State` the graph's options fill.

The graph's source and the Neo4j connection (`backend_options`: accepted before the command, for
every command, or after it, where it overrides); `--json`; the path search's options (path, effect,
combine, targets, and `viz --path`); the expression data's options (overlay, targets --data, viz
--data); the embedded Cypher engine's limits (query); `--in SUBTYPE`. Range checks live in the
option types, so a typo is one clear error before anything runs.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any

import click

from .. import schema

# Upper bounds of the numeric options: each keeps one run within minutes on a laptop; the README's
# "Safety and limits" lists them.
MAX_PERMUTATIONS = 10_000  # target p-value shuffles: p resolves to 1/10001; ~20 s on the seed graph
MAX_LR_PERMUTATIONS = 10_000  # cell-label shuffles per activity (LIANA+'s default is 1000)
MAX_K = 1_000  # answers of one path search
MAX_HOPS = 12  # --depth, --context: steps around an entity (the longest path is 12 too)


class FiniteRange(click.FloatRange):
    """A FloatRange that also refuses nan and infinity (click's range lets nan through)."""

    name = "float range"

    def convert(self, value, param, ctx):  # noqa: ANN001 - click's signature
        rv = super().convert(value, param, ctx)
        if not math.isfinite(rv):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return rv


def seconds_range() -> FiniteRange:
    from ..store import MAX_TIMEOUT

    return FiniteRange(0, MAX_TIMEOUT, min_open=True)


# --- the graph in use -------------------------------------------------------------------------


@dataclass
class State:
    """The graph's options as given (before the command, then after it), and the backend they
    choose, opened on first use and closed when the command ends."""

    backend_kind: str | None = None
    seeds: str | None = None
    graph_file: str | None = None
    uri: str | None = None
    user: str | None = None
    password: str | None = None
    database: str | None = None
    timeout: float | None = None
    _backend: Any = None

    @property
    def kind(self) -> str:
        """The backend chosen: --backend, else $MECHGRAPH_BACKEND, else networkx."""
        return self.backend_kind or os.environ.get("MECHGRAPH_BACKEND") or "networkx"

    def connection(self):
        from ..store import Connection

        return Connection.from_env(self.uri, self.user, self.password, database=self.database, timeout=self.timeout)

    def backend(self):
        if self._backend is None:
            from ..store import open_backend

            self._backend = open_backend(self.kind, seeds=self.seeds, graph_file=self.graph_file,
                                         connection=self.connection())
        return self._backend

    def close(self) -> None:
        if self._backend is not None:
            self._backend.close()


def _keep(attr: str):
    """Store an option's value on the State, when given: after the command it overrides the global one."""
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        if value is not None:
            setattr(ctx.ensure_object(State), attr, value)
    return callback


# The graph's source and the Neo4j connection: accepted before the command (by the group) and after it.
BACKEND_OPTIONS = {
    "backend": click.option(
        "--backend", type=click.Choice(["auto", "networkx", "neo4j"]), default=None, expose_value=False,
        callback=_keep("backend_kind"), show_default="networkx, or $MECHGRAPH_BACKEND",
        help="Graph store: the embedded NetworkX graph (no server), Neo4j, or auto (Neo4j when it answers)."),
    "seeds": click.option(
        "--seeds", type=click.Path(), default=None, expose_value=False, callback=_keep("seeds"),
        help="Seed folder or file (default: $MECHGRAPH_SEEDS, else the curated seeds installed with mechgraph; never "
             "./seeds)."),
    "from": click.option(
        "--from", "graph_file", type=click.Path(), default=None, expose_value=False, callback=_keep("graph_file"),
        help="Use an exported .json, .graphml or .cx2 graph instead of the seeds."),
    "uri": click.option("--uri", default=None, expose_value=False, callback=_keep("uri"),
                        help="Neo4j Bolt URI (default: $NEO4J_URI or bolt://localhost:7687)."),
    "user": click.option("--user", default=None, expose_value=False, callback=_keep("user"),
                         help="Neo4j user (default: $NEO4J_USER or neo4j)."),
    "password": click.option("--password", default=None, expose_value=False, callback=_keep("password"),
                             help="Neo4j password (default: $NEO4J_PASSWORD)."),
    "database": click.option("--database", default=None, expose_value=False, callback=_keep("database"),
                             help="Neo4j database (default: $NEO4J_DATABASE or the server's default, neo4j)."),
    "timeout": click.option("--timeout", type=seconds_range(), default=None, expose_value=False,
                            callback=_keep("timeout"),
                            help="Seconds to wait for Neo4j to connect and answer the first query (default: "
                                 "$NEO4J_TIMEOUT or 5)."),
}


def backend_options(*names: str):
    """Attach the named graph-source and connection options (default: all) to a command or the group."""
    def deco(f):
        for name in reversed(names or tuple(BACKEND_OPTIONS)):
            f = BACKEND_OPTIONS[name](f)
        return f
    return deco


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


LEVELS = list(schema.EVIDENCE_LEVELS)

# The path search's options (see mechgraph.analysis.PathOptions): name -> (declaration, settings).
SEARCH_OPTIONS: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    "k": (("--k", "k"), dict(default=5, show_default=True, type=click.IntRange(1, MAX_K), help="How many answers.")),
    "max_len": (("--max-len",),
                dict(default=6, show_default=True, type=click.IntRange(1, 12), help="Longest path, in steps.")),
    "sign": (("--sign",), dict(type=click.Choice(["+", "-"]), default=None,
                               help="Only answers of this net sign (searched, not filtered).")),
    "via": (("--via",), dict(default=None, help="Only paths through this entity (any of its names).")),
    "avoid": (("--avoid",), dict(multiple=True, help="Never pass through this entity (repeatable).")),
    "kinds": (("--kinds",), dict(default=None, metavar="KIND,...",
                                 help="Kinds of entity a path may pass through (default: any).")),
    "max_degree": (("--max-degree",), dict(type=click.IntRange(min=1), default=None,
                                           help="Never pass through entities with more mechanism edges than this.")),
    "hub_penalty": (("--hub-penalty",), dict(type=FiniteRange(0, 10), default=0.5, show_default=True,
                                             help="Each entity a path passes through multiplies its score by "
                                                  "degree**-PENALTY (0: off).")),
    "min_level": (("--min-level",),
                  dict(type=click.Choice(LEVELS), default=None, help="Use only evidence at least this strong.")),
    "support": (("--support",), dict(default=None, metavar="SUPPORT,...",
                                     help="Evidence to use: review_text, curator, reference_title, hypothesis, or all "
                                          "(default: review_text,curator,reference_title; title-only edges count "
                                          "0.7).")),
}


def _remember(name: str):
    """Keep a limit option on the click context, where overlay_options finds it (no command signature changes)."""
    def callback(ctx: click.Context, _param: click.Parameter, value):  # noqa: ANN001, ANN202
        if value is not None:
            ctx.meta[f"mechgraph.{name}"] = value
    return callback


# `--in SUBTYPE`: answers for one disease subtype (see mechgraph.analysis.strata).
stratum_option = click.option(
    "--in", "stratum", default=None, metavar="SUBTYPE",
    help="Answer for one disease subtype (e.g. \"T-cell-exhausted GCPM\"): only mechanisms through its "
         "characterizing features.")

# Options of the expression data (overlay, targets --data, viz --data); see mechgraph.omics.
DATA_OPTIONS = [
    click.option("--groupby", default=None, metavar="COLUMN",
                 help="AnnData obs column of cell groups (cell type or cluster)."),
    click.option("--sample", default=None, metavar="COLUMN",
                 help="AnnData obs column of samples (scores per sample too)."),
    click.option("--layer", default=None, metavar="NAME",
                 help="Matrix to use: a layer's name, X, or raw (default: .raw when the file has it, else .X)."),
    click.option("--gene-column", default=None, metavar="COLUMN",
                 help="AnnData var column of gene symbols (default: var_names)."),
    click.option("--mapping", "mapping_file", default=None, type=click.Path(dir_okay=False),
                 help="YAML 'group label: entity' lines mapping groups to cell entities (before names and the default "
                      "mapping)."),
    click.option("--method", default="lr_mean", show_default=True, type=click.Choice(["lr_mean", "lr_prod"]),
                 help="Ligand-receptor score: CellPhoneDB's mean or the product of the means (as in LIANA+)."),
    click.option("--lr-permutations", default=1000, show_default=True, type=click.IntRange(0, MAX_LR_PERMUTATIONS),
                 help="Cell-label shuffles for each activity's p-value (0: none)."),
    click.option("--expr-prop", default=0.1, show_default=True, type=FiniteRange(0, 1),
                 help="Least fraction of a group's cells expressing the ligand (receptor) for an activity to count."),
    click.option("--min-marker-genes", default=3, show_default=True, type=click.IntRange(min=1),
                 help="Least marker genes of a cell in the data for its marker score (with fewer it is withheld, and "
                      "said)."),
    click.option("--max-groups", type=click.IntRange(min=1), default=None, expose_value=False,
                 callback=_remember("max_groups"),
                 help="Most cell groups (table columns) to score; the cost grows with their square (default 200)."),
    click.option("--max-table-mb", type=click.IntRange(min=1), default=None, expose_value=False,
                 callback=_remember("max_table_mb"),
                 help="Largest CSV/TSV table in MB, after unpacking a .gz (default 500)."),
]


def query_limit_options(f):
    """--query-timeout and --query-memory: the embedded Cypher engine's limits (mechgraph.cypher.limits),
    range-checked here so that a typo (1e308, -1) is one clear error."""
    from ..cypher import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT

    f = click.option("--query-memory", type=click.IntRange(0, 1_048_576), default=DEFAULT_MEMORY_MB, show_default=True,
                     metavar="MB",
                     help="Embedded backend: stop a query that needs more memory than this (0: no limit); one list or "
                          "string may hold 10,000 items per MB.")(f)
    return click.option("--query-timeout", type=click.FloatRange(0, 86_400), default=DEFAULT_TIMEOUT, show_default=True,
                        metavar="SECONDS",
                        help="Embedded backend: stop a query after this many seconds (0: no limit), like "
                                                "Neo4j's db.transaction.timeout, which applies on --backend neo4j.")(f)


def data_options(f):
    """Attach the expression-data options to a command."""
    for option in reversed(DATA_OPTIONS):
        f = option(f)
    return f


def overlay_options(method: str, lr_permutations: int, expr_prop: float, seed: int, min_marker_genes: int = 3):
    """OverlayOptions from CLI values, with the limits --max-groups and --max-table-mb set on the context."""
    from ..omics import OverlayOptions

    opts = OverlayOptions(method=method, permutations=lr_permutations, seed=seed, expr_prop=expr_prop,
                          min_marker_genes=min_marker_genes)
    meta = ctx.meta if (ctx := click.get_current_context(silent=True)) is not None else {}
    for name in ("max_groups", "max_table_mb"):
        if f"mechgraph.{name}" in meta:
            setattr(opts, name, meta[f"mechgraph.{name}"])
    return opts


def search_options(*names: str, **settings: dict[str, Any]):
    """Attach the named search options to a command. `settings` changes one option's settings for
    that command (e.g. `hub_penalty={"default": 0.0, ...}`); its name and type stay the shared ones."""
    def deco(f):
        for name in reversed(names):
            decls, shared = SEARCH_OPTIONS[name]
            f = click.option(*decls, **{**shared, **settings.get(name, {})})(f)
        return f
    return deco


def path_options(backend, *, k=5, max_len=6, sign=None, via=None, avoid=(), kinds=None, max_degree=None,
                 hub_penalty=0.5, min_level=None, support=None):
    """PathOptions from CLI values, with entity names resolved to ids."""
    from ..analysis import PathOptions
    from ..edges import parse_support
    from ..store import resolve

    return PathOptions(
        k=k, max_len=max_len, sign=sign,
        via=(resolve(backend, via),) if via else (),
        avoid=tuple(resolve(backend, a) for a in avoid),
        kinds=tuple(x.strip() for x in kinds.split(",") if x.strip()) if kinds else None,
        max_degree=max_degree, hub_penalty=hub_penalty, min_level=min_level, support=parse_support(support),
    )
