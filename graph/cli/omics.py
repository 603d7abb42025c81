"""Commands over a researcher's own expression data and outside sources (mechgraph.omics):
`overlay` scores the graph on a data file, `import omnipath-lr` merges the OmniPath consensus."""

from __future__ import annotations

import click

from .app import cli
from .options import State, backend_options, data_options, json_option, overlay_options
from .text import finish, names_of


@cli.command()
@backend_options()
@click.argument("data", type=click.Path())
@data_options
@click.option("--seed", default=0, show_default=True, type=click.IntRange(min=0), help="Seed of the label shuffles.")
@click.option("--top", default=15, show_default=True, type=click.IntRange(min=1),
              help="Activities to print (--json gives all).")
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False),
              help="Also write the overlay as an HTML picture.")
@json_option
@click.pass_obj
def overlay(state: State, data: str, groupby: str | None, sample: str | None, layer: str | None,
            gene_column: str | None,
            mapping_file: str | None, method: str, lr_permutations: int, expr_prop: float, min_marker_genes: int,
            seed: int, top: int, output: str | None, as_json: bool) -> None:
    """Score the graph on expression DATA: genes and cells per group, ligand-receptor activity, mechanisms.

    DATA is an AnnData file (.h5ad; needs pip install 'mechgraph[omics]') with --groupby, or a
    CSV/TSV table of genes x groups (group means: no fractions, no p-values). Ligand -> receptor
    edges of the graph are scored per sender -> receiver pair of groups as CellPhoneDB does in
    LIANA+ (see mechgraph.omics.score), and each mechanism is reported as supported, silent or
    not measured.
    """
    from ..omics import run_overlay
    from .omics_text import overlay_text

    g = state.backend().to_networkx()
    ov = run_overlay(g, data, groupby=groupby, sample=sample, layer=layer, gene_column=gene_column,
                     mapping_file=mapping_file,
                     options=overlay_options(method, lr_permutations, expr_prop, seed, min_marker_genes))
    if output:
        from ..views import draw_overlay

        draw_overlay(g, ov, output, data)
    finish(ov.as_dict(), as_json, lambda d: overlay_text(d, ov.names, top=top))
    if output:
        click.echo(f"wrote {output}", err=as_json)


@cli.group("import")
def import_group() -> None:
    """Merge an outside source into the graph, beside the curated edges (never over them)."""


@import_group.command("omnipath-lr")
@backend_options()
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The merged graph, as node-link JSON (use it with --from).")
@click.option("--neighbours", is_flag=True,
              help="Also add pairs with one partner outside the graph, and that partner as a gene.")
@click.option("--resource-file", default=None, type=click.Path(dir_okay=False),
              help="An OmniPath resource CSV (default: the one the installed liana package ships).")
@click.option("--report", "report_file", default=None, type=click.Path(dir_okay=False),
              help="Write the conflict report as TSV.")
@json_option
@click.pass_obj
def import_omnipath_lr_cmd(state: State, output: str, neighbours: bool, resource_file: str | None,
                           report_file: str | None, as_json: bool) -> None:
    """Add the OmniPath ligand-receptor consensus that liana ships, with support: database.

    Pairs between the graph's genes (and with --neighbours their first neighbours) become binds
    edges with one evidence record per OmniPath resource that lists them; curated edges are never
    changed. Prints the conflict report: pairs both state, pairs only the review states, pairs only
    the consensus has. See mechgraph.omics.lr_import.
    """
    from ..omics import import_omnipath_lr, write_outputs
    from .omics_text import import_text

    result = import_omnipath_lr(state.backend().to_networkx(), neighbours=neighbours, resource_file=resource_file)
    written = write_outputs(result, output, report_file)
    finish(result.as_dict(), as_json, lambda d: import_text(d, names_of(result.graph)))
    for f in written:
        click.echo(f"wrote {f}", err=as_json)
