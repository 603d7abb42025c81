"""`python -m graph` runs the mechgraph command line."""

from .cli import run

run()
