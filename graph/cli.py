"""The `mechgraph` command line: each command parses options, calls one function in the package, formats.

Heavy modules (neo4j, pyvis) are imported inside commands so `mechgraph --help` stays instant.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from .errors import MechGraphError, SeedError
from .cli_options import (MAX_HOPS, MAX_K, MAX_PERMUTATIONS, TARGETS_HELP, FiniteRange, data_options, overlay_options,
                          path_options, query_limit_options, search_options, seconds_range, stratum_option)
from .report import counts_line, format_evidence, gaps_text, node_names, paragraph_table, provenance_lines, table, to_json, wrap_line


class State:
    """Global options, and the backend opened lazily on first use."""

    def __init__(self, backend: str, seeds: str | None, graph_file: str | None, uri: str | None, user: str | None,
                 password: str | None, database: str | None = None, timeout: float | None = None):
        self.backend_kind = backend
        self.seeds = seeds
        self.graph_file = graph_file
        self.uri, self.user, self.password = uri, user, password
        self.database, self.timeout = database, timeout
        self._backend = None

    def connection(self):
        from .store import Connection

        return Connection.from_env(self.uri, self.user, self.password, database=self.database, timeout=self.timeout)

    def backend(self):
        if self._backend is None:
            from .store import open_backend

            self._backend = open_backend(
                self.backend_kind, seeds=self.seeds, graph_file=self.graph_file, connection=self.connection()
            )
        return self._backend

    def source_graph(self):
        from .store import source_graph

        return source_graph(seeds=self.seeds, graph_file=self.graph_file)

    def source_description(self) -> str:
        """What the graph in use came from: the seeds or --from file, or the Neo4j database and its recorded source."""
        from .store import source_description

        backend = self.backend()
        if backend.name == "neo4j":
            info = backend.graph_info() or {}
            return f"Neo4j at {self.connection().uri}" + (f", loaded from {info['source']}" if info.get("source") else "")
        return source_description(seeds=self.seeds, graph_file=self.graph_file)

    def close(self) -> None:
        if self._backend is not None:
            self._backend.close()


def emit_json(data: Any) -> None:
    click.echo(to_json(data))


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")

# `path` and `viz --path` search the same way by default: directed, the 5 best, at most 6 steps


def _override(attr: str):
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        if value is not None:
            setattr(ctx.find_object(State), attr, value)

    return callback


# The graph-source and connection options, accepted before the command (global) or after it.
BACKEND_OPTIONS = [
    click.option("--backend", type=click.Choice(["auto", "networkx", "neo4j"]), default=None, expose_value=False,
                 callback=_override("backend_kind"), help="Graph store (overrides the global option)."),
    click.option("--seeds", type=click.Path(), default=None, expose_value=False, callback=_override("seeds"),
                 help="Seed folder or file."),
    click.option("--from", "graph_file", type=click.Path(), default=None, expose_value=False,
                 callback=_override("graph_file"), help="Use an exported .json, .graphml or .cx2 graph instead of the seeds."),
    click.option("--uri", default=None, expose_value=False, callback=_override("uri"), help="Neo4j Bolt URI."),
    click.option("--user", default=None, expose_value=False, callback=_override("user"), help="Neo4j user."),
    click.option("--password", default=None, expose_value=False, callback=_override("password"), help="Neo4j password."),
    click.option("--database", default=None, expose_value=False, callback=_override("database"), help="Neo4j database."),
    click.option("--timeout", type=seconds_range(), default=None, expose_value=False, callback=_override("timeout"),
                 help="Seconds to wait for Neo4j to connect and answer."),
]


def backend_options(f):
    """Accept --backend, --seeds, --from and the connection options on a command too."""
    for option in reversed(BACKEND_OPTIONS):
        f = option(f)
    return f


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--backend",
    type=click.Choice(["auto", "networkx", "neo4j"]),
    default=lambda: os.environ.get("MECHGRAPH_BACKEND", "networkx"),
    show_default="networkx, or $MECHGRAPH_BACKEND",
    help="Graph store: the embedded NetworkX graph (no server), Neo4j, or auto (Neo4j when it answers).",
)
@click.option("--seeds", type=click.Path(), default=None,
              help="Seed folder or file (default: $MECHGRAPH_SEEDS, else the curated seeds installed with mechgraph; "
                   "never ./seeds).")
@click.option("--from", "graph_file", type=click.Path(), default=None, help="Use an exported .json, .graphml or .cx2 graph instead of the seeds.")
@click.option("--uri", default=None, help="Neo4j Bolt URI (default: $NEO4J_URI or bolt://localhost:7687).")
@click.option("--user", default=None, help="Neo4j user (default: $NEO4J_USER or neo4j).")
@click.option("--password", default=None, help="Neo4j password (default: $NEO4J_PASSWORD).")
@click.option("--database", default=None, help="Neo4j database (default: $NEO4J_DATABASE or the server's default, neo4j).")
@click.option("--timeout", type=seconds_range(), default=None,
              help="Seconds to wait for Neo4j to connect and answer the first query (default: $NEO4J_TIMEOUT or 5).")
@click.version_option(package_name="mechgraph")
@click.pass_context
def cli(ctx: click.Context, backend: str, seeds: str | None, graph_file: str | None, uri: str | None, user: str | None,
        password: str | None, database: str | None, timeout: float | None) -> None:
    """mechgraph: a signed, evidence-backed mechanism graph of the immunology of gastric cancer
    peritoneal metastasis (GCPM) and its immunotherapies."""
    state = State(backend, seeds, graph_file, uri, user, password, database, timeout)
    ctx.obj = state
    ctx.call_on_close(state.close)


@cli.command()
@backend_options
@click.argument("path", required=False, type=click.Path())
@click.pass_obj
def validate(state: State, path: str | None) -> None:
    """Check seed files: schema, references, ids, evidence on every edge, CURIEs.

    Each problem is printed as FILE:LINE: message; the exit status is 2 when any is found.
    """
    from .curation import build_graph, read_seeds

    data = read_seeds(path or state.seeds)
    g = build_graph(data)
    click.echo(f"ok: {g.number_of_nodes()} entities, {g.number_of_edges()} edges, {len(data.references)} references")


@cli.command()
@backend_options
@click.option("-o", "--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False), help="Folder for the outputs.")
@click.option("--no-picture", is_flag=True, help="Skip the interactive HTML map.")
@click.pass_obj
def build(state: State, out_dir: str, no_picture: bool) -> None:
    """The main job: validate the seeds, build the graph, print what it holds, write exports and the map.

    Writes OUT/gcpm.json (node-link), OUT/gcpm.graphml (Cytoscape, Gephi) and OUT/gcpm-map.html
    (interactive, works offline). Needs no server.
    """
    from .pipeline import build_all

    report = build_all(state.seeds, out_dir, picture=not no_picture)
    s = report.stats.as_dict()
    click.echo(f"seeds valid: {s['nodes']} entities, {s['edges']} edges, {s['evidence_records']} evidence records, {report.references} references")
    click.echo(counts_line("entities:", s["by_kind"]))
    click.echo(counts_line("edges:   ", s["by_relation"]))
    for w in report.warnings:
        click.echo(f"warning: {w}", err=True)
    for f in report.files:
        click.echo(f"wrote {f}")


@cli.command()
@backend_options
@json_option
@click.pass_obj
def stats(state: State, as_json: bool) -> None:
    """Counts of entities by kind, and of edges by relation, by support and by evidence level.

    An edge counts under each support its evidence records have (review_text, reference_title,
    curator, hypothesis) and under its strongest level; the last line says how many edges rest
    only on evidence the review's text does not state.
    """
    from .curation.provenance import provenance_counts

    backend = state.backend()
    s = {**backend.stats().as_dict(), **provenance_counts(backend.to_networkx())}
    if as_json:
        emit_json(s)
        return
    click.echo(f"{s['nodes']} entities, {s['edges']} edges, {s['evidence_records']} evidence records citing {s['references_cited']} references")
    click.echo()
    click.echo(table([{"kind": k, "count": v} for k, v in s["by_kind"].items()]))
    click.echo()
    click.echo(table([{"relation": k, "count": v} for k, v in s["by_relation"].items()]))
    click.echo()
    for line in provenance_lines(s):
        click.echo(line)


@cli.command()
@backend_options
@click.argument("name")
@json_option
@click.pass_obj
def show(state: State, name: str, as_json: bool) -> None:
    """An entity with its edges and their evidence. NAME: id, English or Chinese name, or synonym."""
    from .store.entities import describe

    view = describe(state.backend(), name)
    if as_json:
        emit_json(view.as_dict())
        return
    e = view.entity
    zh = f"  {e['name_zh']}" if e.get("name_zh") else ""
    click.echo(f"{e.get('name')}{zh}  [{e.get('id')}]  {e.get('kind')} ({e.get('category', '')})")
    for label, key in (("synonyms", "synonyms"), ("xrefs", "xrefs"), ("axes", "axes")):
        if e.get(key):
            click.echo(wrap_line(f"{label}: {', '.join(e[key])}", indent=2))
    if e.get("description"):
        click.echo(wrap_line(e["description"], indent=2, hanging=0))
    for c in e.get("caveats") or []:
        click.echo(wrap_line(f"caveat: {c}", indent=2))
    for title, rows, arrow in (("outgoing", view.outgoing, "->"), ("incoming", view.incoming, "<-")):
        if not rows:
            continue
        click.echo(f"\n{title} ({len(rows)}):")
        for r in rows:
            ctx = f"  ({r['context']})" if r.get("context") else ""
            direction = f" [{r['direction']}]" if r.get("direction") else ""
            supports = r.get("supports") or sorted({ev.get("support") for ev in r.get("evidence") or [] if ev.get("support")})
            unstated = f"  (not stated by the review: {', '.join(supports)})" if supports and "review_text" not in supports else ""
            click.echo(wrap_line(f"{arrow} {r['relation']} ({r.get('sign')}){direction} {r['other_name']} [{r['other']}]{ctx}{unstated}", indent=2))
            for ev in r.get("evidence") or []:
                click.echo(format_evidence(ev))
            for c in r.get("caveats") or []:
                click.echo(wrap_line(f"caveat: {c}", indent=6))


@cli.command()
@click.option("--source", required=True, type=click.Path(dir_okay=False),
              help="The review's extracted text (e.g. ../shared/source/gcpm-immunotherapy-review.txt).")
@click.option("--paragraphs", is_flag=True, help="Only list the review's paragraphs and table rows with their locators and citations.")
@click.option("--seeds", type=click.Path(), default=None, expose_value=False, callback=_override("seeds"), help="Seed folder or file.")
@json_option
@click.pass_obj
def audit(state: State, source: str, paragraphs: bool, as_json: bool) -> None:
    """Check every evidence locator against the review's text: the paragraph (or table 1 row) exists
    and cites the record's reference. Each problem prints as FILE:LINE: message (exit 2).

    With --paragraphs, list every locator the review has, its lines, first characters and citations.
    """
    if paragraphs:
        from .curation.review_text import read_review

        review = read_review(source)
        if as_json:
            emit_json({"paragraphs": [{"locator": p.locator, "first_line": p.first_line, "last_line": p.last_line,
                                       "citations": sorted(p.citations), "text": p.text} for p in review.paragraphs],
                       "table_rows": [{"locator": r.locator, "line": r.line, "registry_id": r.registry_id, "title": r.title}
                                      for r in review.table_rows]})
        else:
            click.echo(paragraph_table(review.paragraphs, review.table_rows))
        return
    from .curation.audit import audit_seeds

    report = audit_seeds(state.seeds, source)
    if as_json:
        emit_json(report.as_dict())
        if report.problems:
            raise click.exceptions.Exit(2)
        return
    if report.problems:
        raise SeedError(report.problems)
    click.echo(report.summary())


@cli.command()
@backend_options
@click.option("--format", "fmt", type=click.Choice(["json", "graphml", "cx2", "sif", "kgx", "indra", "neo4j-admin"]), default=None,
              help="Default: from the file extension (.json, .graphml, .cx2, .sif, .tsv for KGX, .indra.json for INDRA); "
                   "neo4j-admin writes a folder.")
@click.option("-o", "--output", "output_opt", default=None, type=click.Path(),
              help="File to write (KGX: the prefix; neo4j-admin: the folder).")
@click.argument("output", required=False, type=click.Path())
@click.pass_obj
def export(state: State, fmt: str | None, output_opt: str | None, output: str | None) -> None:
    """Write the graph for other tools: node-link JSON, GraphML (Cytoscape, Gephi), CX2 (NDEx,
    Cytoscape, laid out as the map), SIF (CausalPath, CARNIVAL), KGX TSV (Biolink knowledge graphs),
    INDRA Statements JSON, or CSV files for `neo4j-admin database import` (`--format neo4j-admin
    DIR`; its README.txt says how to import).

    SIF writes FILE.sif (causal steps only) with FILE.carnival.tsv, FILE.nodes.tsv, FILE.edges.tsv,
    FILE.efficacy_modifiers.tsv and FILE.markers.tsv beside it; KGX writes PREFIX_nodes.tsv and
    PREFIX_edges.tsv. CX2 and KGX need `pip install 'mechgraph[exchange]'`.
    """
    from .io import format_for
    from .pipeline import export_files

    if bool(output) == bool(output_opt):
        raise MechGraphError("give the file to write once: `mechgraph export FILE` or `-o FILE`")
    output = output or output_opt
    fmt = fmt or format_for(output)
    g = state.backend().to_networkx()
    files = export_files(g, output, fmt, source=state.source_description())
    for f in files:
        click.echo(f"wrote {f}")
    what = "folder" if fmt == "neo4j-admin" else fmt
    click.echo(f"({what} export of a graph of {g.number_of_nodes()} nodes and {g.number_of_edges()} edges)")


@cli.command()
@backend_options
@click.option("--batch-size", default=5000, show_default=True, type=click.IntRange(1, 1_000_000), help="Rows per UNWIND statement.")
@click.option("--replace", is_flag=True, help="Replace a graph from another source (or nodes that are not mechgraph's).")
@click.pass_obj
def load(state: State, batch_size: int, replace: bool) -> None:
    """Load the graph (seeds, or --from FILE) into Neo4j, atomically.

    Uses --uri/--user/--password/--database or NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD/NEO4J_DATABASE.
    The database records where the graph came from; loading the same graph again reloads it, a
    graph from another source is replaced only with --replace. A load that fails leaves the
    previous graph untouched.
    """
    if state.backend_kind == "networkx":
        raise MechGraphError("load writes to Neo4j: run `mechgraph load --backend neo4j`")
    from .store import source_description
    from .store.neo4j_load import load_graph

    g = state.source_graph()
    conn = state.connection()
    done = load_graph(g, conn, source=source_description(seeds=state.seeds, graph_file=state.graph_file),
                      replace=replace, batch_size=batch_size)
    where = conn.uri + (f" (database {conn.database})" if conn.database else "")
    click.echo(f"loaded {done['nodes']} entities and {done['edges']} edges into Neo4j at {where}")
    click.echo(f"source: {done['source']}, fingerprint {done['fingerprint'][:12]}")
    if done["replaced"]:
        click.echo(f"replaced the graph {done['replaced']}")
    if done.get("warning"):
        click.echo(f"warning: {done['warning']}", err=True)


@cli.command()
@backend_options
@click.argument("cypher", required=False)
@click.option("--named", "named", default=None, help="Run a named query (see --list).")
@click.option("--list", "list_named", is_flag=True, help="List the named queries and their parameters.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="Query parameter (repeatable); NAME:=JSON for numbers and lists.")
@click.option("--write", is_flag=True, help="Allow the query to write (Neo4j only). Without it queries run read-only.")
@query_limit_options
@json_option
@click.pass_obj
def query(state: State, cypher: str | None, named: str | None, list_named: bool, params: tuple[str, ...], write: bool,
          query_timeout: float, query_memory: int, as_json: bool) -> None:
    """Run Cypher (read-only by default) or a named query, and print a table or JSON rows.

    On the embedded backend a documented subset of Cypher runs (see mechgraph.cypher), within
    --query-timeout and --query-memory (see mechgraph.cypher.limits).
    """
    from .cypher.limits import QueryLimits
    from .cypher.named import named_queries, parse_params
    from .store.queries import run_named, run_query

    limits = QueryLimits(timeout=query_timeout or None, memory_mb=query_memory or None)

    if list_named:
        rows = [
            {"name": q.name, "parameters": ", ".join(f"{k} ({t}{'=' + d if d else ''})" for k, (t, d) in q.params.items()), "description": q.description}
            for q in named_queries().values()
        ]
        if as_json:
            emit_json(rows)
        else:
            click.echo(table(rows))
        return
    if bool(cypher) == bool(named):
        raise MechGraphError("give either a Cypher query or --named NAME (see --list)")
    values = parse_params(params)
    if named:
        if write:
            raise MechGraphError("named queries only read; --write is for raw Cypher")
        rows = run_named(state.backend(), named, values, limits=limits)
    else:
        rows = run_query(state.backend(), cypher, values, write=write, limits=limits)
    if as_json:
        emit_json(rows)
    else:
        click.echo(table(rows))
        click.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", err=True)


@cli.command()
@backend_options
@click.argument("source")
@click.argument("target")
@search_options("k", "max_len", "sign", "via", "avoid", "kinds", "max_degree", "hub_penalty", "min_level", "support")
@json_option
@click.pass_obj
def path(state: State, source: str, target: str, as_json: bool, **search: Any) -> None:
    """How SOURCE bears on TARGET, with the sign, evidence and support of every step.

    To a therapy (e.g. "THBS2+ CAF" "PD-1 antibody"): where SOURCE's signed influence meets the
    therapy's mechanism of action, as answers with two legs (works with / against the therapy),
    then shared outcomes and clinical associations with its efficacy, kept apart. To anything
    else: the k best directed signed paths. See mechgraph.analysis.paths.
    """
    from .analysis.regions import find_paths_in
    from .explain import path_text
    from .store.entities import resolve

    backend = state.backend()
    s, t = resolve(backend, source), resolve(backend, target)
    answer = find_paths_in(backend, s, t, path_options(backend, **search)).as_dict()
    if as_json:
        emit_json(answer)
    else:
        click.echo(path_text(answer))


@cli.command(help=TARGETS_HELP)
@backend_options
@click.option("--top", default=20, show_default=True, type=click.IntRange(min=0), help="How many targets (0 for all).")
@click.option("--permutations", default=100, show_default=True, type=click.IntRange(0, MAX_PERMUTATIONS),
              help="Degree-preserving shuffles for each target's p-value (0: skip).")
@click.option("--seed", default=0, show_default=True, type=click.IntRange(min=0), help="Seed of the shuffles.")
@search_options("max_degree", "hub_penalty", "min_level", "support")
@click.option("--data", default=None, type=click.Path(), help="Re-weight the ranking by this expression file (.h5ad, .csv, .tsv).")
@data_options
@click.option("--compare", nargs=2, default=None, metavar="A B", help="With --data: compare two conditions over replicate samples.")
@click.option("--condition", default=None, metavar="COLUMN", help="With --compare: the obs column whose values A and B are.")
@stratum_option
@json_option
@click.pass_obj
def targets(state: State, top: int, permutations: int, seed: int, as_json: bool, data: str | None,
            compare: tuple[str, str] | None, condition: str | None, groupby: str | None, sample: str | None, layer: str | None,
            gene_column: str | None, mapping_file: str | None, method: str, lr_permutations: int, expr_prop: float,
            min_marker_genes: int, stratum: str | None, **search: Any) -> None:
    from .analysis.targets import rank_targets
    from .explain import targets_text
    from .store.entities import resolve

    backend = state.backend()
    if data is None and (compare or condition):
        raise MechGraphError("--compare and --condition need --data")
    if data is not None and stratum:
        raise MechGraphError("--in and --data do not combine yet: rank a subtype without --data")
    if data is not None:
        from .omics.rank import targets_for_data
        from .omics.text import compare_text, data_targets_text

        result = targets_for_data(
            backend.to_networkx(), data, groupby=groupby, sample=sample, layer=layer, gene_column=gene_column,
            mapping_file=mapping_file, overlay_options=overlay_options(method, lr_permutations, expr_prop, seed, min_marker_genes),
            compare=compare, condition=condition, top=top, permutations=permutations, seed=seed,
            opts=path_options(backend, **search))
        if as_json:
            emit_json(result)
        else:
            click.echo(compare_text(result) if compare else data_targets_text(result))
        return
    ranking = rank_targets(backend.analysis_graph(), top=top, permutations=permutations, seed=seed,
                           opts=path_options(backend, **search),
                           stratum=resolve(backend, stratum) if stratum else None).as_dict()
    if as_json:
        emit_json(ranking)
    else:
        click.echo(targets_text(ranking))


@cli.command()
@backend_options
@click.argument("therapy")
@click.option("--on", "outcome", default="peritoneal_metastasis", show_default=True, help="Outcome entity.")
@search_options("k", "avoid", "kinds", "max_degree", "min_level", "support")
@click.option("--max-len", default=5, show_default=True, type=click.IntRange(1, 12), help="Longest path, in steps.")
@click.option("--hub-penalty", type=FiniteRange(0, 10), default=0.0, show_default=True,
              help="Degree damping of paths (default off: it ranks by specificity, it is not evidence).")
@json_option
@click.pass_obj
def effect(state: State, therapy: str, outcome: str, as_json: bool, **search: Any) -> None:
    """Net effect of THERAPY on an outcome in [-1, 1], decided by the strongest evidence.

    The highest level of evidence that bears on the outcome decides (randomised trial >
    non-randomised trial > observational study > case report > animal > in vitro > expert
    statement); lower levels are listed as support or contradiction and never outvote it, and
    the net lies in the deciding level's band. Lists the reported results (null results
    included) and the signed paths by level, where the evidence disagrees, and what lowers or
    raises the therapy's efficacy. A therapy class answers through its members too. See
    mechgraph.analysis.effects and mechgraph.analysis.hierarchy.
    """
    from .analysis.regions import therapy_effect_in
    from .explain import effect_text
    from .store.entities import resolve

    backend = state.backend()
    t, o = resolve(backend, therapy), resolve(backend, outcome)
    opts = path_options(backend, **search)
    eff = therapy_effect_in(backend, t, o, opts, opts.k).as_dict()
    if as_json:
        emit_json(eff)
    else:
        click.echo(effect_text(eff))


@cli.command()
@backend_options
@click.argument("therapies", nargs=-1, required=True)
@click.option("--on", "outcome", default="peritoneal_metastasis", show_default=True, help="Outcome for escape routes.")
@search_options("k", "max_len", "avoid", "kinds", "max_degree", "hub_penalty", "min_level", "support")
@stratum_option
@json_option
@click.pass_obj
def combine(state: State, therapies: tuple[str, ...], outcome: str, as_json: bool, stratum: str | None, **search: Any) -> None:
    """Two therapies: where their mechanisms reinforce each other and where they cancel out, and
    what one does to the other's efficacy. One therapy: its escape routes, signed paths that raise
    the outcome around its targets. A therapy class answers through its members too.
    """
    from .analysis.combine import combine as combine_therapies
    from .analysis.combine import escape_routes
    from .analysis.regions import combine_graph
    from .explain import combination_text, escape_text
    from .store.entities import resolve

    if len(therapies) > 2:
        raise MechGraphError("combine takes one therapy (escape routes) or two (their combination)")
    backend = state.backend()
    ids = [resolve(backend, t) for t in therapies]
    opts = path_options(backend, **search)
    sid = resolve(backend, stratum) if stratum else None
    if len(ids) == 2:
        data = combine_therapies(combine_graph(backend, ids[0], ids[1], opts, sid), ids[0], ids[1], opts, stratum=sid).as_dict()
        text = combination_text
    else:
        data = escape_routes(backend.analysis_graph(), ids[0], resolve(backend, outcome), opts, stratum=sid).as_dict()
        text = escape_text
    if as_json:
        emit_json(data)
    else:
        click.echo(text(data))


@cli.command()
@backend_options
@click.option("--by", type=click.Choice(["axis", "cell"]), default="axis", show_default=True, help="Group by axis or by cell type.")
@json_option
@click.pass_obj
def gaps(state: State, by: str, as_json: bool) -> None:
    """Mechanisms supported only by preclinical or in vitro evidence: where clinical validation is missing."""
    from .analysis.gaps import evidence_gaps

    g = state.backend().to_networkx()
    groups = evidence_gaps(g, by=by)
    if as_json:
        emit_json(groups)
        return
    click.echo(gaps_text(groups, node_names(g)))


def _split_words(values: tuple[str, ...]) -> list[str] | None:
    """Repeatable options that also take comma-separated lists: --support a,b --support c."""
    words = [w.strip() for v in values for w in v.split(",") if w.strip()]
    return words or None


@cli.command()
@backend_options
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False),
              help="File to write (default: mechgraph-<view>.<format> here, e.g. mechgraph-map.html).")
@click.option("--format", "fmt", type=click.Choice(["html", "svg", "png"]), default=None,
              help="html: the interactive page (default); svg or png: the same drawing as a file for a slide, drawn by "
                   "headless Chromium (default: from the -o file's ending).")
@click.option("--around", default=None, help="Draw this entity's neighbourhood (any of its names).")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(0, MAX_HOPS), help="Hops around --around.")
@click.option("--path", "path_ends", nargs=2, default=None, metavar="FROM TO",
              help="Draw the best paths from FROM to TO, found as `mechgraph path` finds them.")
@click.option("--k", "k", default=5, show_default=True, type=click.IntRange(1, MAX_K), help="Paths to draw with --path (as `path`).")
@click.option("--max-len", default=6, show_default=True, type=click.IntRange(1, 12), help="Longest path, in steps (as `path`).")
@click.option("--context", default=0, show_default=True, type=click.IntRange(0, MAX_HOPS),
              help="With --path: also draw nodes this many hops from the paths.")
@click.option("--kind", "kinds", multiple=True, help="Keep only entities of this kind (repeatable).")
@click.option("--relation", "relations", multiple=True, help="Keep only edges of this relation (repeatable).")
@click.option("--min-level", default=None, help="Keep only edges with evidence at least this strong (e.g. observational_human).")
@click.option("--axis", default=None, help="Keep only an axis the seeds tag (e.g. caf_tam).")
@click.option("--support", "supports", multiple=True,
              help="Keep only edges with a record of this support: review_text, reference_title, curator, hypothesis "
                   "(repeatable or comma-separated; default: all, drawn by how they are known).")
@click.option("--publications", is_flag=True, help="Also draw the publications (left out by default).")
@click.option("--group-by", type=click.Choice(["axis", "cell"]), default="axis", show_default=True,
              help="How the map groups nodes.")
@click.option("--title", default=None, help="Page title (default: names what is drawn).")
@click.option("--data", default=None, type=click.Path(),
              help="Colour nodes by expression and widen ligand-receptor edges by activity in this file (.h5ad, .csv, .tsv).")
@data_options
@click.option("--seed", default=0, show_default=True, type=click.IntRange(min=0), help="With --data: seed of the label shuffles.")
@click.pass_obj
def viz(state: State, output: str | None, fmt: str | None, around: str | None, depth: int, path_ends: tuple[str, str] | None, k: int,
        max_len: int, context: int, kinds: tuple[str, ...], relations: tuple[str, ...],
        min_level: str | None, axis: str | None, supports: tuple[str, ...], publications: bool, group_by: str,
        title: str | None, data: str | None, groupby: str | None, sample: str | None, layer: str | None,
        gene_column: str | None, mapping_file: str | None, method: str, lr_permutations: int, expr_prop: float, min_marker_genes: int,
        seed: int) -> None:
    """Draw the graph as one self-contained interactive HTML page that works offline.

    Without options: the map, grouped by axis. --around NAME: a neighbourhood, what acts on it on
    the left, what it acts on on the right. --path FROM TO: the best paths, each step coloured by
    its sign and labelled with its relation. Edges the review itself does not state are dotted.
    Tooltips give the evidence with DOI links; a search box finds nodes by any name. Every line
    is routed round the nodes and labels; nodes can be dragged; SVG and PNG buttons save the
    drawing, as --format svg|png does.
    """
    from .views import draw

    if fmt is None:
        suffix = os.path.splitext(output or "")[1].lower().lstrip(".")
        fmt = suffix if suffix in ("svg", "png") else "html"
    backend = state.backend()
    graph = None
    if data is not None:
        from .omics.picture import annotate
        from .omics.score import run_overlay

        g = backend.to_networkx()
        ov = run_overlay(g, data, groupby=groupby, sample=sample, layer=layer, gene_column=gene_column, mapping_file=mapping_file,
                         options=overlay_options(method, lr_permutations, expr_prop, seed, min_marker_genes))
        graph = annotate(g, ov)
    drawn = draw(
        backend, output, around=around, depth=depth, path=path_ends, k=k, max_len=max_len,
        context=context, kinds=list(kinds) or None, relations=list(relations) or None, min_level=min_level, axis=axis,
        supports=_split_words(supports), publications=publications, group_by=group_by, title=title, graph=graph,
        fmt=fmt,
    )
    if drawn.warning:
        click.echo(f"warning: {drawn.warning}", err=True)
    click.echo(f"wrote {drawn.path} ({drawn.title}: {drawn.nodes} nodes, {drawn.edges} edges)")


@cli.command()
@backend_options
@click.argument("data", type=click.Path())
@data_options
@click.option("--seed", default=0, show_default=True, type=click.IntRange(min=0), help="Seed of the label shuffles.")
@click.option("--top", default=15, show_default=True, type=click.IntRange(min=1), help="Activities to print (--json gives all).")
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False), help="Also write the overlay as an HTML picture.")
@json_option
@click.pass_obj
def overlay(state: State, data: str, groupby: str | None, sample: str | None, layer: str | None, gene_column: str | None,
            mapping_file: str | None, method: str, lr_permutations: int, expr_prop: float, min_marker_genes: int, seed: int, top: int,
            output: str | None, as_json: bool) -> None:
    """Score the graph on expression DATA: genes and cells per group, ligand-receptor activity, mechanisms.

    DATA is an AnnData file (.h5ad; needs pip install 'mechgraph[omics]') with --groupby, or a
    CSV/TSV table of genes x groups (group means: no fractions, no p-values). Ligand -> receptor
    edges of the graph are scored per sender -> receiver pair of groups as CellPhoneDB does in
    LIANA+ (see mechgraph.omics.score), and each mechanism is reported as supported, silent or
    not measured.
    """
    from .omics.score import run_overlay
    from .omics.text import overlay_text

    g = state.backend().to_networkx()
    ov = run_overlay(g, data, groupby=groupby, sample=sample, layer=layer, gene_column=gene_column, mapping_file=mapping_file,
                     options=overlay_options(method, lr_permutations, expr_prop, seed, min_marker_genes))
    if output:
        from .omics.picture import annotate
        from .viz import write_html

        write_html(annotate(g, ov), output, title=f"mechgraph overlay: {os.path.basename(data)}")
    if as_json:
        emit_json(ov.as_dict())
    else:
        click.echo(overlay_text(ov.as_dict(), ov.names, top=top))
    if output:
        click.echo(f"wrote {output}", err=as_json)


@cli.group("import")
def import_group() -> None:
    """Merge an outside source into the graph, beside the curated edges (never over them)."""


@import_group.command("omnipath-lr")
@backend_options
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The merged graph, as node-link JSON (use it with --from).")
@click.option("--neighbours", is_flag=True, help="Also add pairs with one partner outside the graph, and that partner as a gene.")
@click.option("--resource-file", default=None, type=click.Path(dir_okay=False),
              help="An OmniPath resource CSV (default: the one the installed liana package ships).")
@click.option("--report", "report_file", default=None, type=click.Path(dir_okay=False), help="Write the conflict report as TSV.")
@json_option
@click.pass_obj
def import_omnipath_lr_cmd(state: State, output: str, neighbours: bool, resource_file: str | None, report_file: str | None,
                           as_json: bool) -> None:
    """Add the OmniPath ligand-receptor consensus that liana ships, with support: database.

    Pairs between the graph's genes (and with --neighbours their first neighbours) become binds
    edges with one evidence record per OmniPath resource that lists them; curated edges are never
    changed. Prints the conflict report: pairs both state, pairs only the review states, pairs only
    the consensus has. See mechgraph.omics.lr_import.
    """
    from .omics.lr_import import import_omnipath_lr, write_outputs
    from .omics.text import import_text

    g = state.backend().to_networkx()
    result = import_omnipath_lr(g, neighbours=neighbours, resource_file=resource_file)
    written = write_outputs(result, output, report_file)
    names = {n: str(a.get("name", n)) for n, a in result.graph.nodes(data=True)}
    if as_json:
        emit_json(result.as_dict())
    else:
        click.echo(import_text(result.as_dict(), names))
    for f in written:
        click.echo(f"wrote {f}", err=as_json)


def main(argv: list[str] | None = None) -> int:
    """Entry point: runs the CLI and turns every mechgraph error into one line and an exit status
    (signals, sanitized output and the error lines: mechgraph.cli_exit)."""
    from .cli_exit import run_cli

    return run_cli(cli, argv)


def run() -> None:
    sys.exit(main())
