"""Options shared by several commands, defined once: the search options of path, effect, combine
and targets, and the expression-data options of overlay, targets --data and viz --data.
"""

from __future__ import annotations

import math

import click

from . import schema

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
    from .store.protocol import MAX_TIMEOUT

    return FiniteRange(0, MAX_TIMEOUT, min_open=True)


LEVELS = list(schema.EVIDENCE_LEVELS)

# Search options shared by path, effect, combine and targets (see mechgraph.analysis.paths.PathOptions).
SEARCH_OPTIONS = {
    "k": click.option("--k", "k", default=5, show_default=True, type=click.IntRange(1, MAX_K), help="How many answers."),
    "max_len": click.option("--max-len", default=6, show_default=True, type=click.IntRange(1, 12), help="Longest path, in steps."),
    "sign": click.option("--sign", type=click.Choice(["+", "-"]), default=None, help="Only answers of this net sign (searched, not filtered)."),
    "via": click.option("--via", default=None, help="Only paths through this entity (any of its names)."),
    "avoid": click.option("--avoid", multiple=True, help="Never pass through this entity (repeatable)."),
    "kinds": click.option("--kinds", default=None, metavar="KIND,...", help="Kinds of entity a path may pass through (default: any)."),
    "max_degree": click.option("--max-degree", type=click.IntRange(min=1), default=None, help="Never pass through entities with more mechanism edges than this."),
    "hub_penalty": click.option("--hub-penalty", type=FiniteRange(0, 10), default=0.5, show_default=True,
                                help="Each entity a path passes through multiplies its score by degree**-PENALTY (0: off)."),
    "min_level": click.option("--min-level", type=click.Choice(LEVELS), default=None, help="Use only evidence at least this strong."),
    "support": click.option("--support", default=None, metavar="SUPPORT,...",
                            help="Evidence to use: review_text, curator, reference_title, hypothesis, or all "
                                 "(default: review_text,curator,reference_title; title-only edges count 0.7)."),
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
  drug    druggability: 0.5 when a therapy in the graph acts on it, plus up to 0.5 for the
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


# Options of the expression data (overlay, targets --data, viz --data); see mechgraph.omics.
DATA_OPTIONS = [
    click.option("--groupby", default=None, metavar="COLUMN", help="AnnData obs column of cell groups (cell type or cluster)."),
    click.option("--sample", default=None, metavar="COLUMN", help="AnnData obs column of samples (scores per sample too)."),
    click.option("--layer", default=None, metavar="NAME",
                 help="Matrix to use: a layer's name, X, or raw (default: .raw when the file has it, else .X)."),
    click.option("--gene-column", default=None, metavar="COLUMN", help="AnnData var column of gene symbols (default: var_names)."),
    click.option("--mapping", "mapping_file", default=None, type=click.Path(dir_okay=False),
                 help="YAML 'group label: entity' lines mapping groups to cell entities (before names and the default mapping)."),
    click.option("--method", default="lr_mean", show_default=True, type=click.Choice(["lr_mean", "lr_prod"]),
                 help="Ligand-receptor score: CellPhoneDB's mean or the product of the means (as in LIANA+)."),
    click.option("--lr-permutations", default=1000, show_default=True, type=click.IntRange(0, MAX_LR_PERMUTATIONS),
                 help="Cell-label shuffles for each activity's p-value (0: none)."),
    click.option("--expr-prop", default=0.1, show_default=True, type=FiniteRange(0, 1),
                 help="Least fraction of a group's cells expressing the ligand (receptor) for an activity to count."),
    click.option("--min-marker-genes", default=3, show_default=True, type=click.IntRange(min=1),
                 help="Least marker genes of a cell in the data for its marker score (with fewer it is withheld, and said)."),
    click.option("--max-groups", type=click.IntRange(min=1), default=None, expose_value=False, callback=_remember("max_groups"),
                 help="Most cell groups (table columns) to score; the cost grows with their square (default 200)."),
    click.option("--max-table-mb", type=click.IntRange(min=1), default=None, expose_value=False, callback=_remember("max_table_mb"),
                 help="Largest CSV/TSV table in MB, after unpacking a .gz (default 500)."),
]


def query_limit_options(f):
    """--query-timeout and --query-memory: the embedded Cypher engine's limits (mechgraph.cypher.limits),
    range-checked here so that a typo (1e308, -1) is one clear error."""
    from .cypher.limits import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT

    f = click.option("--query-memory", type=click.IntRange(0, 1_048_576), default=DEFAULT_MEMORY_MB, show_default=True, metavar="MB",
                     help="Embedded backend: stop a query that needs more memory than this (0: no limit); one list or "
                          "string may hold 10,000 items per MB.")(f)
    return click.option("--query-timeout", type=click.FloatRange(0, 86_400), default=DEFAULT_TIMEOUT, show_default=True,
                        metavar="SECONDS", help="Embedded backend: stop a query after this many seconds (0: no limit), like "
                                                "Neo4j's db.transaction.timeout, which applies on --backend neo4j.")(f)


def data_options(f):
    """Attach the expression-data options to a command."""
    for option in reversed(DATA_OPTIONS):
        f = option(f)
    return f


def overlay_options(method: str, lr_permutations: int, expr_prop: float, seed: int, min_marker_genes: int = 3):
    from .omics.score import OverlayOptions

    opts = OverlayOptions(method=method, permutations=lr_permutations, seed=seed, expr_prop=expr_prop,
                          min_marker_genes=min_marker_genes)
    meta = ctx.meta if (ctx := click.get_current_context(silent=True)) is not None else {}
    for name in ("max_groups", "max_table_mb"):
        if f"mechgraph.{name}" in meta:
            setattr(opts, name, meta[f"mechgraph.{name}"])
    return opts


def search_options(*names: str):
    """Attach the named shared search options to a command."""
    def deco(f):
        for name in reversed(names):
            f = SEARCH_OPTIONS[name](f)
        return f
    return deco


def path_options(backend, *, k=5, max_len=6, sign=None, via=None, avoid=(), kinds=None, max_degree=None,
                 hub_penalty=0.5, min_level=None, support=None):
    """PathOptions from CLI values, with entity names resolved to ids."""
    from .analysis.paths import PathOptions
    from .edges import parse_support
    from .store.entities import resolve

    return PathOptions(
        k=k, max_len=max_len, sign=sign,
        via=(resolve(backend, via),) if via else (),
        avoid=tuple(resolve(backend, a) for a in avoid),
        kinds=tuple(x.strip() for x in kinds.split(",") if x.strip()) if kinds else None,
        max_degree=max_degree, hub_penalty=hub_penalty, min_level=min_level, support=parse_support(support),
    )
