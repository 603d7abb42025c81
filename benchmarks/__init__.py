"""Benchmark mechgraph on synthetic mechanism graphs of 10^3 .. 10^6 edges.

Usage, from the checkout's root (the synthetic graphs come from tests/support/synthetic.py):
    python -m benchmarks [--sizes 1e3,1e4,1e5,1e6] [--out FILE] [--neo4j-uri URI] [--skip-neo4j]
                         [--require-neo4j] [--neo4j-max-size 1e5] [--quick] [--seed N] [--reps N]
    python -m benchmarks --overlay      the overlay benchmark alone (overlay.py)
    python -m benchmarks.loadtest       concurrent clients on Neo4j (loadtest.py)

What it measures, per size (number of EDGES; about a quarter as many entities):
  embedded_load_s      `mechgraph.curation.build_graph` on a `SeedData` of synthetic seed records (the
                       project's own record -> MultiDiGraph step; YAML parsing and validation,
                       i.e. `read_seeds`, are not included). Generating the records is `gen_s`.
  embedded_peak_mb     peak RSS increase while building: each size runs in a fresh worker
                       process; VmHWM is reset (/proc/self/clear_refs) after the records exist,
                       and the figure is VmHWM after the build minus VmRSS before it. This is
                       what the OS must give the graph. `embedded_graph_mb` is the RSS the
                       finished graph keeps; `embedded_tracemalloc_peak_mb` the tracemalloc peak
                       of a second, traced build (Python heap only, no allocator overhead).
  neo4j_batched_rps    relationships / second of `mechgraph.store.neo4j_load.load_into_neo4j` (batched
                       UNWIND into a staging area, then one swap transaction), timed end to end:
                       row preparation, nodes, rels.
  neo4j_naive_rps      the same rows written by a naive loader in this script: one auto-commit
                       `CREATE` statement per node and per relationship, with parameters. Above
                       --naive-full-max edges it is timed on a random sample of --naive-sample
                       relationships (plus their endpoint nodes) and extrapolated to the whole
                       graph (`neo4j_naive_sampled: true`).
  path_ms_embedded     `mechgraph.analysis.paths.signed_paths(g, s, t, k=5, max_len=6)` for a pair
                       that has paths, median of warm calls (the MechanismIndex is built once
                       per graph and cached); `path_ms_embedded_cold` is the first call, index
                       build included. `path_index_build_ms`, `path_search_ms` split it.
  path_ms_neo4j        what `mechgraph --backend neo4j path` costs: Neo4jBackend(conn).analysis_graph()
                       (ids, kinds, names, relations, signs, levels, refs) plus signed_paths;
                       `path_ms_neo4j_search_only` excludes the fetch; `neo4j_full_fetch_ms` is
                       one to_networkx() with every property (what export, effect, gaps fetch).
  path_ms_neo4j_bounded  `mechgraph.analysis.bounded.find_paths_in` on Neo4j (the CLI's `path`): only
                       the region the search expands is fetched; `path_rows_neo4j_bounded` counts
                       the rows it fetched, `path_neo4j_bounded_ok` that it equals the embedded answer.
  targets_ms_*         `mechgraph.analysis.targets.rank_targets(g, top=20)`, likewise.
Once: `cli_help_s` (`mechgraph --help`), `cli_show_s` (`mechgraph show "THBS2+ CAF"` on the
seed graph), each the median of 5 runs of the venv's `mechgraph`; `seed_answers_s`, the answers
a scientist asks of the seed graph (path to a class, effect, targets, combine, and for the
first two disease subtypes path, targets --in and combine --in), each the median of 3 runs,
Python start included (goal: under 2 s each); `viz_s` render_html of
10^3- and 10^4-node subgraphs (breadth-first around the biggest hub of a synthetic graph).
Fast operations are the median of several runs (--reps, bounded by --budget seconds each).

Neo4j: --neo4j-uri or $NEO4J_URI; unreachable -> Neo4j figures are skipped with a note
(--require-neo4j makes that an error). Sizes above --neo4j-max-size (default 1e5) are skipped:
at ~6,500 rel/s a 10^6 load would take longer than the rest of the run. The benchmark DELETES
every :Entity in that database: use a server of your own
(NEO4J_BOLT_PORT=7689 MECHGRAPH_NEO4J_HOME=/tmp/bench-neo4j scripts/neo4j-local.sh start).

Each run prints every goal beside the previous full run's figure (docs/bench-results.json) and
writes its own JSON (--out; same schema). The modules: `main` (the command line, worker
processes, the report's ending), `common` (paths, sizes, timing, the machine), `embedded` (one
size's embedded figures), `neo4j_runs` (its Neo4j figures, the naive loader, --load-only),
`once` (pictures and the command line, measured once), `goals` (the targets and their
verdicts), `report` (the table beside the previous run), `overlay` (--overlay) and `loadtest`.
"""
