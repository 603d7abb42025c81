"""What the tests share, and the checkout's tools that check the README, the TCK and the pictures.

`checkout` says where the checkout's files are and how the tests run (CI, slow ones); `graphs`
builds small graphs with known answers; `neo4j` finds the test server and free ports for private
ones; `cypher` generates Cypher queries (well-formed, garbled, temporal) for the parity and fuzz
tests; `synthetic` and `synthetic_omics` generate seeded mechanism graphs and expression data
with a planted answer (the benchmarks use them too); `cdp` measures pictures drawn in headless
Chromium; `faults` is the fault suite's harness (runs, counts, a sandbox). Tools, run from the
checkout's root as `python -m tests.support.NAME`:
`readme_examples` runs every README example and compares its output (--update rewrites the
outputs; tests/test_readme.py is the same check), `tck` runs the openCypher TCK
(docs/tck-results.md; tests/test_cypher_tck.py checks the runner), `screenshots` redraws the
README's pictures and measures their labels. They live here, not in scripts/, because they
import these helpers and are checked by the tests, and `python -m` needs no path set-up.
"""
