"""The `viz` command: the map, a neighbourhood or paths as an interactive page, SVG or PNG (mechgraph.views)."""

from __future__ import annotations

import click

from .app import cli
from .options import MAX_HOPS, State, backend_options, data_options, overlay_options, search_options


def _split_words(values: tuple[str, ...]) -> list[str] | None:
    """Repeatable options that also take comma-separated lists: --support a,b --support c."""
    words = [w.strip() for v in values for w in v.split(",") if w.strip()]
    return words or None


@cli.command()
@backend_options()
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False),
              help="File to write (default: mechgraph-<view>.<format> here, e.g. mechgraph-map.html).")
@click.option("--format", "fmt", type=click.Choice(["html", "svg", "png"]), default=None,
              help="html: the interactive page (default); svg or png: the same drawing as a file for a slide, drawn by "
                   "headless Chromium (default: from the -o file's ending).")
@click.option("--around", default=None, help="Draw this entity's neighbourhood (any of its names).")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(0, MAX_HOPS), help="Hops around --around.")
@click.option("--path", "path_ends", nargs=2, default=None, metavar="FROM TO",
              help="Draw the best paths from FROM to TO, found as `mechgraph path` finds them.")
@search_options("k", "max_len", k={"help": "Paths to draw with --path (as `path`)."},
                max_len={"help": "Longest path, in steps (as `path`)."})
@click.option("--context", default=0, show_default=True, type=click.IntRange(0, MAX_HOPS),
              help="With --path: also draw nodes this many hops from the paths.")
@click.option("--kind", "kinds", multiple=True, help="Keep only entities of this kind (repeatable).")
@click.option("--relation", "relations", multiple=True, help="Keep only edges of this relation (repeatable).")
@click.option("--min-level", default=None,
              help="Keep only edges with evidence at least this strong (e.g. observational_human).")
@click.option("--axis", default=None, help="Keep only an axis the seeds tag (e.g. caf_tam).")
@click.option("--support", "supports", multiple=True,
              help="Keep only edges with a record of this support: review_text, reference_title, curator, hypothesis "
                   "(repeatable or comma-separated; default: all, drawn by how they are known).")
@click.option("--publications", is_flag=True, help="Also draw the publications (left out by default).")
@click.option("--group-by", type=click.Choice(["axis", "cell"]), default="axis", show_default=True,
              help="How the map groups nodes.")
@click.option("--title", default=None, help="Page title (default: names what is drawn).")
@click.option("--data", default=None, type=click.Path(),
              help="Colour nodes by expression and widen ligand-receptor edges by activity in this file (.h5ad, .csv, "
                   ".tsv).")
@data_options
@click.option("--seed", default=0, show_default=True, type=click.IntRange(min=0),
              help="With --data: seed of the label shuffles.")
@click.pass_obj
def viz(state: State, output: str | None, fmt: str | None, around: str | None, depth: int,
        path_ends: tuple[str, str] | None,
        k: int, max_len: int, context: int, kinds: tuple[str, ...], relations: tuple[str, ...],
        min_level: str | None, axis: str | None, supports: tuple[str, ...], publications: bool, group_by: str,
        title: str | None, data: str | None, groupby: str | None, sample: str | None, layer: str | None,
        gene_column: str | None, mapping_file: str | None, method: str, lr_permutations: int, expr_prop: float,
        min_marker_genes: int, seed: int) -> None:
    """Draw the graph as one self-contained interactive HTML page that works offline.

    Without options: the map, grouped by axis. --around NAME: a neighbourhood, what acts on it on
    the left, what it acts on on the right. --path FROM TO: the best paths, each step coloured by
    its sign and labelled with its relation. Edges the review itself does not state are dotted.
    Tooltips give the evidence with DOI links; a search box finds nodes by any name. Every line
    is routed round the nodes and labels; nodes can be dragged; SVG and PNG buttons save the
    drawing, as --format svg|png does.
    """
    from ..views import draw, picture_format

    backend = state.backend()
    graph = None
    if data is not None:
        from ..omics import overlay_graph

        graph = overlay_graph(backend.to_networkx(), data, groupby=groupby, sample=sample, layer=layer,
                              gene_column=gene_column, mapping_file=mapping_file,
                              options=overlay_options(method, lr_permutations, expr_prop, seed, min_marker_genes))
    drawn = draw(
        backend, output, around=around, depth=depth, path=path_ends, k=k, max_len=max_len,
        context=context, kinds=list(kinds) or None, relations=list(relations) or None, min_level=min_level, axis=axis,
        supports=_split_words(supports), publications=publications, group_by=group_by, title=title, graph=graph,
        fmt=fmt or picture_format(output),
    )
    if drawn.warning:
        click.echo(f"warning: {drawn.warning}", err=True)
    click.echo(f"wrote {drawn.path} ({drawn.title}: {drawn.nodes} nodes, {drawn.edges} edges)")
