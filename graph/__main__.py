"""`python -m mechgraph` runs the mechgraph command line."""

from .cli import run

run()
