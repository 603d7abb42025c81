"""What the tests share, and the checkout's tools that check the README, the TCK and the pictures.

`checkout` says where the checkout's files are and how the tests run (CI, slow ones); `graphs`
builds small graphs with known answers; `neo4j` finds the test server and free ports for private
ones; `cypher` generates Cypher queries (well-formed, garbled, temporal) for the parity and fuzz
tests; `synthetic` and `synthetic_omics` generate seeded mechanism graphs and expression data
with a planted answer (the benchmarks use them too); `cdp` measures pictures drawn in headless
Chromium. Runnable from the checkout's root: `python -m tests.support.readme_examples` (every
README example; --update rewrites the outputs), `python -m tests.support.tck` (the openCypher
TCK, docs/tck-results.md) and `python -m tests.support.screenshots` (the README's pictures).
"""
