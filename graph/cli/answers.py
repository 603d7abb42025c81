"""Commands that answer a researcher's questions with the analyses: `path`, `targets`, `effect`,
`combine` and `gaps` (mechgraph.analysis; `targets --data` through mechgraph.omics)."""

from __future__ import annotations

from typing import Any

import click

from .app import cli
from .options import (
    MAX_PERMUTATIONS,
    State,
    backend_options,
    data_options,
    json_option,
    overlay_options,
    path_options,
    search_options,
    stratum_option,
)
from .text import finish

# `mechgraph targets --help`: what every column of the table means.
TARGETS_HELP = """Candidate therapeutic targets for GCPM, ranked, each with the reasons for its score.

\b
Columns:
  #       rank by score
  target  the candidate: a gene, complex, cytokine, miRNA, chemical or cell (never the tumour
          cell, a process, an outcome or a therapy); a complex stands for itself and its parts
          (C3/C3aR1 with C3 and C3AR1); a part of two complexes ranks on its own
  do      block a driver, boost a brake, deplete the cell a marker marks; mixed when the
          outcomes or the evidence disagree
  score   0.50 infl + 0.30 evid + 0.20 drug
  infl    influence: the best signed path to each disease outcome (peritoneal metastasis,
          immunosuppressive microenvironment, malignant ascites, poor survival) with the step
          weights and hub damping of `path`, averaged, divided by the best candidate's
  evid    evidence: half the best evidence level on its edges, half its distinct references
          (5 or more give 1)
  drug    druggability: 0.5 when a therapy in the graph acts on it (targets, inhibits,
          activates, binds or kills it, or is a recombinant form of it), plus up to 0.5 for the
          furthest trial phase of those therapies (III/IV 0.5, II 0.35, I 0.25, other 0.15)
  p       permutation p-value: (1 + shuffles in which its influence is at least as high) /
          (1 + shuffles), over degree-preserving shuffles of the signed mechanism edges (every
          entity keeps its in- and out-degree, every edge its sign and weight; seeded)
  q       Benjamini-Hochberg q-value of p over all candidates (the false discovery rate at
          which it would be called)

Each row's reasons say which outcome its best path reaches (and through which part), whether
the review proposes it as a target (with the locator), and which drugs in the graph already
act on it. No score depends on a proposal. With --in SUBTYPE, influence counts only paths
through the subtype's characterizing features. With --data, each score is multiplied by
(0.5 + d), d the target's expression and pathway activity in the data (see
mechgraph.omics.rank); --compare A B compares two conditions over replicate samples. See
mechgraph.analysis.targets.
"""


@cli.command()
@backend_options()
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
    from ..analysis import find_paths_in
    from ..store import resolve
    from .answers_text import path_text

    backend = state.backend()
    s, t = resolve(backend, source), resolve(backend, target)
    finish(find_paths_in(backend, s, t, path_options(backend, **search)).as_dict(), as_json, path_text)


@cli.command(help=TARGETS_HELP)
@backend_options()
@click.option("--top", default=20, show_default=True, type=click.IntRange(min=0), help="How many targets (0 for all).")
@click.option("--permutations", default=100, show_default=True, type=click.IntRange(0, MAX_PERMUTATIONS),
              help="Degree-preserving shuffles for each target's p-value (0: skip).")
@click.option("--seed", default=0, show_default=True, type=click.IntRange(min=0), help="Seed of the shuffles.")
@search_options("max_degree", "hub_penalty", "min_level", "support")
@click.option("--data", default=None, type=click.Path(),
              help="Re-weight the ranking by this expression file (.h5ad, .csv, .tsv).")
@data_options
@click.option("--compare", nargs=2, default=None, metavar="A B",
              help="With --data: compare two conditions over replicate samples.")
@click.option("--condition", default=None, metavar="COLUMN",
              help="With --compare: the obs column whose values A and B are.")
@stratum_option
@json_option
@click.pass_obj
def targets(state: State, top: int, permutations: int, seed: int, as_json: bool, data: str | None,
            compare: tuple[str, str] | None, condition: str | None, groupby: str | None, sample: str | None,
            layer: str | None,
            gene_column: str | None, mapping_file: str | None, method: str, lr_permutations: int, expr_prop: float,
            min_marker_genes: int, stratum: str | None, **search: Any) -> None:
    from ..errors import MechGraphError
    from ..store import resolve

    backend = state.backend()
    if data is None and (compare or condition):
        raise MechGraphError("--compare and --condition need --data")
    if data is not None and stratum:
        raise MechGraphError("--in and --data do not combine yet: rank a subtype without --data")
    if data is not None:
        from ..omics import targets_for_data
        from .omics_text import compare_text, data_targets_text

        result = targets_for_data(
            backend.to_networkx(), data, groupby=groupby, sample=sample, layer=layer, gene_column=gene_column,
            mapping_file=mapping_file,
            overlay_options=overlay_options(method, lr_permutations, expr_prop, seed, min_marker_genes),
            compare=compare, condition=condition, top=top, permutations=permutations, seed=seed,
            opts=path_options(backend, **search))
        finish(result, as_json, compare_text if compare else data_targets_text)
        return
    from ..analysis import rank_targets
    from .answers_text import targets_text

    ranking = rank_targets(backend.analysis_graph(), top=top, permutations=permutations, seed=seed,
                           opts=path_options(backend, **search),
                           stratum=resolve(backend, stratum) if stratum else None)
    finish(ranking.as_dict(), as_json, targets_text)


@cli.command()
@backend_options()
@click.argument("therapy")
@click.option("--on", "outcome", default="peritoneal_metastasis", show_default=True, help="Outcome entity.")
@search_options("k", "avoid", "kinds", "max_degree", "min_level", "support")
@search_options("max_len", "hub_penalty", max_len={"default": 5}, hub_penalty={
    "default": 0.0, "help": "Degree damping of paths (default off: it ranks by specificity, it is not evidence)."})
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
    from ..analysis import therapy_effect_in
    from ..store import resolve
    from .answers_text import effect_text

    backend = state.backend()
    t, o = resolve(backend, therapy), resolve(backend, outcome)
    opts = path_options(backend, **search)
    finish(therapy_effect_in(backend, t, o, opts, opts.k).as_dict(), as_json, effect_text)


@cli.command()
@backend_options()
@click.argument("therapies", nargs=-1, required=True)
@click.option("--on", "outcome", default="peritoneal_metastasis", show_default=True, help="Outcome for escape routes.")
@search_options("k", "max_len", "avoid", "kinds", "max_degree", "hub_penalty", "min_level", "support")
@stratum_option
@json_option
@click.pass_obj
def combine(state: State, therapies: tuple[str, ...], outcome: str, as_json: bool, stratum: str | None,
            **search: Any) -> None:
    """Two therapies: where their mechanisms reinforce each other and where they cancel out, and
    what one does to the other's efficacy. One therapy: its escape routes, signed paths that raise
    the outcome around its targets. A therapy class answers through its members too.
    """
    from ..analysis import combine_in, escape_routes_in
    from ..errors import MechGraphError
    from ..store import resolve
    from .answers_text import combination_text, escape_text

    if len(therapies) > 2:
        raise MechGraphError("combine takes one therapy (escape routes) or two (their combination)")
    backend = state.backend()
    ids = [resolve(backend, t) for t in therapies]
    opts = path_options(backend, **search)
    sid = resolve(backend, stratum) if stratum else None
    if len(ids) == 2:
        finish(combine_in(backend, ids[0], ids[1], opts, sid).as_dict(), as_json, combination_text)
    else:
        finish(escape_routes_in(backend, ids[0], resolve(backend, outcome), opts, sid).as_dict(), as_json, escape_text)


@cli.command()
@backend_options()
@click.option("--by", type=click.Choice(["axis", "cell"]), default="axis", show_default=True,
              help="Group by axis or by cell type.")
@json_option
@click.pass_obj
def gaps(state: State, by: str, as_json: bool) -> None:
    """Mechanisms supported only by preclinical or in vitro evidence: where clinical validation is missing."""
    from ..analysis import evidence_gaps
    from .answers_text import gaps_text
    from .text import names_of

    g = state.backend().to_networkx()
    finish(evidence_gaps(g, by=by), as_json, lambda groups: gaps_text(groups, names_of(g)))
