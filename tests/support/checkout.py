"""Where the checkout's files are, and how the tests run here (in CI, with the slow ones or not)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
README = ROOT / "README.md"
IN_CI = os.environ.get("CI", "").lower() == "true"
RUN_SLOW = IN_CI or os.environ.get("MECHGRAPH_SLOW", "") not in ("", "0")
