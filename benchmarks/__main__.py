"""`python -m benchmarks`: the benchmark (see the package docstring)."""

import sys

from .main import main

sys.exit(main())
