"""Commands about the curated graph itself: `validate` and `audit` the seeds, `build` everything,
`stats` and `show` what the graph holds."""

from __future__ import annotations

import click

from .app import cli
from .options import State, backend_options, json_option
from .text import counts_line, finish


@cli.command()
@backend_options()
@click.argument("path", required=False, type=click.Path())
@click.pass_obj
def validate(state: State, path: str | None) -> None:
    """Check seed files: schema, references, ids, evidence on every edge, CURIEs.

    Each problem is printed as FILE:LINE: message; the exit status is 2 when any is found.
    """
    from ..curation import check_seeds

    counts = check_seeds(path or state.seeds)
    click.echo(f"ok: {counts['entities']} entities, {counts['edges']} edges, {counts['references']} references")


@cli.command()
@backend_options()
@click.option("-o", "--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the outputs.")
@click.option("--no-picture", is_flag=True, help="Skip the interactive HTML map.")
@click.pass_obj
def build(state: State, out_dir: str, no_picture: bool) -> None:
    """The main job: validate the seeds, build the graph, print what it holds, write exports and the map.

    Writes OUT/gcpm.json (node-link), OUT/gcpm.graphml (Cytoscape, Gephi) and OUT/gcpm-map.html
    (interactive, works offline). Needs no server.
    """
    from ..pipeline import build_all

    report = build_all(state.seeds, out_dir, picture=not no_picture)
    s = report.stats.as_dict()
    click.echo(f"seeds valid: {s['nodes']} entities, {s['edges']} edges, {s['evidence_records']} evidence records, "
               f"{report.references} references")
    click.echo(counts_line("entities:", s["by_kind"]))
    click.echo(counts_line("edges:   ", s["by_relation"]))
    for w in report.warnings:
        click.echo(f"warning: {w}", err=True)
    for f in report.files:
        click.echo(f"wrote {f}")


@cli.command()
@backend_options()
@json_option
@click.pass_obj
def stats(state: State, as_json: bool) -> None:
    """Counts of entities by kind, and of edges by relation, by support and by evidence level.

    An edge counts under each support its evidence records have (review_text, reference_title,
    curator, hypothesis) and under its strongest level; the last line says how many edges rest
    only on evidence the review's text does not state.
    """
    from ..store import graph_counts
    from .records_text import stats_text

    finish(graph_counts(state.backend()), as_json, stats_text)


@cli.command()
@backend_options()
@click.argument("name")
@json_option
@click.pass_obj
def show(state: State, name: str, as_json: bool) -> None:
    """An entity with its edges and their evidence. NAME: id, English or Chinese name, or synonym."""
    from ..store import describe
    from .records_text import entity_text

    finish(describe(state.backend(), name).as_dict(), as_json, entity_text)


@cli.command()
@click.option("--source", required=True, type=click.Path(dir_okay=False),
              help="The review's extracted text (e.g. ../shared/source/gcpm-immunotherapy-review.txt).")
@click.option("--paragraphs", is_flag=True,
              help="Only list the review's paragraphs and table rows with their locators and citations.")
@backend_options("seeds")
@json_option
@click.pass_obj
def audit(state: State, source: str, paragraphs: bool, as_json: bool) -> None:
    """Check every evidence locator against the review's text: the paragraph (or table 1 row) exists
    and cites the record's reference. Each problem prints as FILE:LINE: message (exit 2).

    With --paragraphs, list every locator the review has, its lines, first characters and citations.
    """
    if paragraphs:
        from ..curation import read_review
        from .records_text import paragraphs_text

        finish(read_review(source).as_dict(), as_json, paragraphs_text)
        return
    from ..curation import audit_seeds
    from ..errors import SeedError

    report = audit_seeds(state.seeds, source)
    if report.problems and not as_json:
        raise SeedError(report.problems)
    finish(report.as_dict(), as_json, lambda _: report.summary())
    if report.problems:
        raise click.exceptions.Exit(2)
