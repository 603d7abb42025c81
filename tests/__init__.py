"""mechgraph's tests (pytest), and in `tests.support` what they share with the checkout's tools."""
