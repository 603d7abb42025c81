"""The `mechgraph` command line: each command parses options, calls one function in the package, formats.

Heavy modules (neo4j, pyvis) are imported inside commands so `mechgraph --help` stays instant.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from .errors import MechGraphError, SeedError, UnknownEntity
from .report import format_evidence, path_line, table, to_json


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
                 callback=_override("graph_file"), help="Use an exported .json or .graphml graph instead of the seeds."),
    click.option("--uri", default=None, expose_value=False, callback=_override("uri"), help="Neo4j Bolt URI."),
    click.option("--user", default=None, expose_value=False, callback=_override("user"), help="Neo4j user."),
    click.option("--password", default=None, expose_value=False, callback=_override("password"), help="Neo4j password."),
    click.option("--database", default=None, expose_value=False, callback=_override("database"), help="Neo4j database."),
    click.option("--timeout", type=float, default=None, expose_value=False, callback=_override("timeout"),
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
@click.option("--seeds", type=click.Path(), default=None, help="Seed folder or file (default: ./seeds or $MECHGRAPH_SEEDS).")
@click.option("--from", "graph_file", type=click.Path(), default=None, help="Use an exported .json or .graphml graph instead of the seeds.")
@click.option("--uri", default=None, help="Neo4j Bolt URI (default: $NEO4J_URI or bolt://localhost:7687).")
@click.option("--user", default=None, help="Neo4j user (default: $NEO4J_USER or neo4j).")
@click.option("--password", default=None, help="Neo4j password (default: $NEO4J_PASSWORD).")
@click.option("--database", default=None, help="Neo4j database (default: $NEO4J_DATABASE or the server's default, neo4j).")
@click.option("--timeout", type=float, default=None,
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
    click.echo("entities: " + ", ".join(f"{k} {v}" for k, v in s["by_kind"].items()))
    click.echo("edges:    " + ", ".join(f"{k} {v}" for k, v in s["by_relation"].items()))
    for w in report.warnings:
        click.echo(f"warning: {w}", err=True)
    for f in report.files:
        click.echo(f"wrote {f}")


@cli.command()
@backend_options
@json_option
@click.pass_obj
def stats(state: State, as_json: bool) -> None:
    """Counts of entities by kind and of edges by relation."""
    s = state.backend().stats().as_dict()
    if as_json:
        emit_json(s)
        return
    click.echo(f"{s['nodes']} entities, {s['edges']} edges, {s['evidence_records']} evidence records citing {s['references_cited']} references")
    click.echo()
    click.echo(table([{"kind": k, "count": v} for k, v in s["by_kind"].items()]))
    click.echo()
    click.echo(table([{"relation": k, "count": v} for k, v in s["by_relation"].items()]))


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
            click.echo(f"  {label}: {', '.join(e[key])}")
    if e.get("description"):
        click.echo(f"  {e['description']}")
    for c in e.get("caveats") or []:
        click.echo(f"  caveat: {c}")
    for title, rows, arrow in (("outgoing", view.outgoing, "->"), ("incoming", view.incoming, "<-")):
        if not rows:
            continue
        click.echo(f"\n{title} ({len(rows)}):")
        for r in rows:
            ctx = f"  ({r['context']})" if r.get("context") else ""
            direction = f" [{r['direction']}]" if r.get("direction") else ""
            click.echo(f"  {arrow} {r['relation']} ({r.get('sign')}){direction} {r['other_name']} [{r['other']}]{ctx}")
            for ev in r.get("evidence") or []:
                click.echo(format_evidence(ev))
            for c in r.get("caveats") or []:
                click.echo(f"      caveat: {c}")


@cli.command()
@backend_options
@click.option("--format", "fmt", type=click.Choice(["json", "graphml", "neo4j-admin"]), default=None,
              help="Default: from the file extension. neo4j-admin writes a folder for bulk import.")
@click.option("-o", "--output", "output_opt", default=None, type=click.Path(), help="File (or, for neo4j-admin, folder) to write.")
@click.argument("output", required=False, type=click.Path())
@click.pass_obj
def export(state: State, fmt: str | None, output_opt: str | None, output: str | None) -> None:
    """Write the graph as node-link JSON, GraphML (opens in Cytoscape and Gephi), or CSV files for
    `neo4j-admin database import` (`--format neo4j-admin DIR`; the folder's README.txt says how to
    import them)."""
    from .io import export_graph, format_for

    if bool(output) == bool(output_opt):
        raise MechGraphError("give the file to write once: `mechgraph export FILE` or `-o FILE`")
    output = output or output_opt
    fmt = fmt or format_for(output)
    g = state.backend().to_networkx()
    path = export_graph(g, output, fmt, source=state.source_description())
    what = "folder" if fmt == "neo4j-admin" else fmt
    click.echo(f"wrote {path} ({what}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges)")


@cli.command()
@backend_options
@click.option("--batch-size", default=5000, show_default=True, help="Rows per UNWIND statement.")
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


@cli.command()
@backend_options
@click.argument("cypher", required=False)
@click.option("--named", "named", default=None, help="Run a named query (see --list).")
@click.option("--list", "list_named", is_flag=True, help="List the named queries and their parameters.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="Query parameter (repeatable); NAME:=JSON for numbers and lists.")
@click.option("--write", is_flag=True, help="Allow the query to write (Neo4j only). Without it queries run read-only.")
@json_option
@click.pass_obj
def query(state: State, cypher: str | None, named: str | None, list_named: bool, params: tuple[str, ...], write: bool, as_json: bool) -> None:
    """Run Cypher (read-only by default) or a named query, and print a table or JSON rows.

    On the embedded backend a documented subset of Cypher runs (see mechgraph.cypher.engine).
    """
    from .cypher.named import named_queries, parse_params
    from .store.queries import run_named, run_query

    if list_named:
        rows = [
            {"name": q.name, "parameters": ", ".join(f"{k} ({t}{'=' + d if d else ''})" for k, (t, d) in q.params.items()), "description": q.description}
            for q in named_queries().values()
        ]
        if as_json:
            emit_json(rows)
        else:
            click.echo(table(rows, max_width=90))
        return
    if bool(cypher) == bool(named):
        raise MechGraphError("give either a Cypher query or --named NAME (see --list)")
    values = parse_params(params)
    if named:
        if write:
            raise MechGraphError("named queries only read; --write is for raw Cypher")
        rows = run_named(state.backend(), named, values)
    else:
        rows = run_query(state.backend(), cypher, values, write=write)
    if as_json:
        emit_json(rows)
    else:
        click.echo(table(rows))
        click.echo(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", err=True)


@cli.command()
@backend_options
@click.argument("source")
@click.argument("target")
@click.option("--k", "k", default=5, show_default=True, help="How many paths.")
@click.option("--max-len", default=6, show_default=True, help="Longest path, in steps.")
@click.option("--undirected", is_flag=True, help="Walk edges in either direction.")
@json_option
@click.pass_obj
def path(state: State, source: str, target: str, k: int, max_len: int, undirected: bool, as_json: bool) -> None:
    """The k best signed paths from SOURCE to TARGET (e.g. "THBS2+ CAF" "PD-1 antibody").

    Each step shows its relation, sign and references; each path its net sign and score
    (short paths on strong evidence score highest; see mechgraph.analysis.paths).
    """
    from .store.entities import resolve
    from .analysis.paths import signed_paths

    backend = state.backend()
    s, t = resolve(backend, source), resolve(backend, target)
    paths = [p.as_dict() for p in signed_paths(backend.analysis_graph(), s, t, k=k, max_len=max_len, undirected=undirected)]
    if as_json:
        emit_json({"paths": paths})
        return
    if not paths:
        click.echo(f"no path from {s} to {t} within {max_len} steps" + ("" if undirected else " (try --undirected)"))
        return
    for i, p in enumerate(paths, 1):
        names = {n["id"]: n["name"] for n in p["nodes"]}
        click.echo(f"{i}. sign {p['sign']}  score {p['score']:.3f}  ({len(p['steps'])} steps)")
        click.echo(f"   {path_line(p, names)}")


@cli.command()
@backend_options
@click.option("--top", default=20, show_default=True, help="How many targets (0 for all).")
@json_option
@click.pass_obj
def targets(state: State, top: int, as_json: bool) -> None:
    """Candidate therapeutic targets for GCPM, ranked, each with the reasons for its score.

    Score = 0.45 influence on disease outcomes + 0.25 druggability + 0.20 evidence + 0.10
    centrality (see mechgraph.analysis.targets). Direction: block a driver, boost a brake.
    """
    from .analysis.targets import rank_targets

    ranked = rank_targets(state.backend().analysis_graph(), top=top)
    if as_json:
        emit_json({"targets": [t.as_dict() for t in ranked]})
        return
    rows = []
    for i, t in enumerate(ranked, 1):
        c = t.components
        outcomes = [f"{r['outcome']}{r['sign']}" for r in t.reasons if "outcome" in r]
        rows.append(
            {
                "#": i,
                "target": f"{t.name} [{t.id}]",
                "kind": t.kind,
                "score": f"{t.score:.3f}",
                "do": t.direction,
                "infl/drug/evid/cent": f"{c['influence']:.2f}/{c['druggability']:.2f}/{c['evidence']:.2f}/{c['centrality']:.2f}",
                "outcomes": ", ".join(outcomes),
                "therapies": ", ".join(th["id"] for th in t.therapies),
            }
        )
    click.echo(table(rows, max_width=48))


@cli.command()
@backend_options
@click.argument("therapy")
@click.option("--on", "outcome", default="peritoneal_metastasis", show_default=True, help="Outcome entity.")
@click.option("--max-len", default=5, show_default=True, help="Longest path, in steps.")
@json_option
@click.pass_obj
def effect(state: State, therapy: str, outcome: str, max_len: int, as_json: bool) -> None:
    """Signed net effect of THERAPY on an outcome, with supporting and contradicting paths apart."""
    from .analysis.effects import therapy_effect
    from .store.entities import resolve

    backend = state.backend()
    t, o = resolve(backend, therapy), resolve(backend, outcome)
    eff = therapy_effect(backend.to_networkx(), t, o, max_len=max_len)
    if as_json:
        emit_json(eff.as_dict())
        return
    click.echo(f"{eff.therapy['name']} on {eff.outcome['name']}: {eff.verdict} (net {eff.net:+.3f})")
    for title, group in (("lowers it", eff.lowering), ("raises it", eff.raising), ("unsigned", eff.unsigned)):
        if not group:
            continue
        click.echo(f"\npaths where it {title} ({len(group)}):" if title != "unsigned" else f"\nunsigned paths ({len(group)}):")
        for p in group:
            d = p.as_dict()
            names = {n["id"]: n["name"] for n in d["nodes"]}
            click.echo(f"  {d['score']:.3f}  {path_line(d, names)}")
    if eff.limits:
        click.echo(f"\nwhat limits its efficacy ({len(eff.limits)}):")
        for r in eff.limits:
            figs = f"  [{'; '.join(r['figures'])}]" if r["figures"] else ""
            ctx = f" ({r['context']})" if r.get("context") else ""
            click.echo(f"  {r['source_name']} -{r['relation']}-> {r['target']}{ctx}; {r['level']}, ref {', '.join(r['refs'])}{figs}")


@cli.command()
@backend_options
@click.option("--by", type=click.Choice(["axis", "cell"]), default="axis", show_default=True, help="Group by axis or by cell type.")
@json_option
@click.pass_obj
def gaps(state: State, by: str, as_json: bool) -> None:
    """Mechanisms supported only by preclinical or in vitro evidence: where clinical validation is missing."""
    from .analysis.gaps import evidence_gaps

    groups = evidence_gaps(state.backend().to_networkx(), by=by)
    if as_json:
        emit_json(groups)
        return
    for name, rows in groups.items():
        click.echo(f"{name} ({len(rows)})")
        for r in rows:
            click.echo(f"  {r['source']} -{r['relation']} ({r['sign']})-> {r['target']}   {'/'.join(r['levels'])}; ref {', '.join(r['refs'])}")


@cli.command()
@backend_options
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="HTML file to write.")
@click.option("--around", default=None, help="Draw this entity's neighbourhood (any of its names).")
@click.option("--depth", default=1, show_default=True, help="Hops around --around.")
@click.option("--path", "path_ends", nargs=2, default=None, metavar="FROM TO", help="Highlight the best paths from FROM to TO in their context.")
@click.option("--k", "k", default=3, show_default=True, help="Paths to highlight with --path.")
@click.option("--kind", "kinds", multiple=True, help="Keep only entities of this kind (repeatable).")
@click.option("--relation", "relations", multiple=True, help="Keep only edges of this relation (repeatable).")
@click.option("--min-level", default=None, help="Keep only edges with evidence at least this strong (e.g. observational_human).")
@click.option("--axis", default=None, help="Keep only an axis the seeds tag (e.g. caf_tam).")
@click.option("--title", default=None, help="Page title.")
@click.pass_obj
def viz(state: State, output: str, around: str | None, depth: int, path_ends: tuple[str, str] | None, k: int,
        kinds: tuple[str, ...], relations: tuple[str, ...], min_level: str | None, axis: str | None, title: str | None) -> None:
    """Draw the graph as one self-contained interactive HTML page that works offline.

    Colour and shape by entity kind, edge colour by sign, a flat bar for inhibition, tooltips
    with evidence and DOI links, a search box. Warns when the picture will be too dense to read.
    """
    from .store.entities import resolve
    from .analysis.paths import signed_paths
    from .viz import density_warning, select_subgraph, write_html

    backend = state.backend()
    g = backend.to_networkx()
    centre = resolve(backend, around) if around else None
    highlight = None
    if path_ends:
        s, t = (resolve(backend, x) for x in path_ends)
        found = signed_paths(g, s, t, k=k)
        if not found:
            found = signed_paths(g, s, t, k=k, undirected=True)
        if not found:
            raise MechGraphError(f"no path from {s} to {t} to draw")
        highlight = [[(st.source, st.target, st.relation) for st in p.steps] for p in found]
    sub = select_subgraph(
        g, around=centre, depth=depth, kinds=list(kinds) or None, relations=list(relations) or None,
        min_level=min_level, axis=axis, paths=highlight,
    )
    if sub.number_of_nodes() == 0:
        raise MechGraphError("nothing left to draw after the filters")
    warning = density_warning(sub)
    if warning:
        click.echo(f"warning: {warning}", err=True)
    default_title = "mechgraph" + (f": around {centre}" if centre else "") + (f": {path_ends[0]} to {path_ends[1]}" if path_ends else "")
    out = write_html(sub, output, title=title or default_title, highlight=highlight)
    click.echo(f"wrote {out} ({sub.number_of_nodes()} nodes, {sub.number_of_edges()} edges)")


def main(argv: list[str] | None = None) -> int:
    """Entry point: runs the CLI and turns every mechgraph error into one line and an exit status."""
    try:
        cli.main(args=argv, prog_name="mechgraph", standalone_mode=False)
    except SeedError as e:
        for p in e.problems:
            click.echo(p, err=True)
        click.echo(f"{len(e.problems)} problem{'s' if len(e.problems) != 1 else ''} found", err=True)
        return e.exit_code
    except UnknownEntity as e:
        click.echo(f"error: no entity matches {e.name!r}", err=True)
        if e.suggestions:
            click.echo("did you mean:", err=True)
            for s in e.suggestions:
                click.echo(f"  {s}", err=True)
        return e.exit_code
    except MechGraphError as e:
        click.echo(f"error: {e}", err=True)
        return e.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except click.exceptions.Exit as e:
        return e.exit_code
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # a bug: one line for the user, the traceback on request
        if os.environ.get("MECHGRAPH_DEBUG"):
            raise
        click.echo(f"internal error: {type(e).__name__}: {e} (set MECHGRAPH_DEBUG=1 for the traceback)", err=True)
        return 70
    return 0


def run() -> None:
    sys.exit(main())
