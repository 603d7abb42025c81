"""The README cannot drift from the program: every command it shows runs and prints what it shows."""

from __future__ import annotations

import importlib.util
import os
import re

import pytest

from tests.support import readme_examples
from tests.support.checkout import IN_CI, ROOT

# examples that need an optional extra: (pattern in the command, extra, a module it installs)
EXTRAS = [
    (r"scanpy|\.h5ad|omnipath-lr|gcpm-lr\.json", "omics", "anndata"),
    (r"\.cx2|--format (cx2|kgx)|_nodes\.tsv|kgx", "exchange", "ndex2"),
]

EXAMPLES = readme_examples.parse((ROOT / "README.md").read_text(encoding="utf-8"))


def test_the_readme_shows_examples():
    assert len(EXAMPLES) >= 20 and any(ex.command.startswith("mechgraph path") for ex in EXAMPLES)


@pytest.fixture(scope="module")
def scratch_project():
    import shutil

    proj = readme_examples.scratch()
    yield proj
    shutil.rmtree(proj.parent, ignore_errors=True)


def _marks(ex):
    return [pytest.mark.neo4j] if ex.needs_neo4j else []


@pytest.mark.parametrize("ex", [pytest.param(ex, id=f"README.md:{ex.line}", marks=_marks(ex)) for ex in EXAMPLES])
def test_readme_example(ex, scratch_project, request):
    if ex.needs_neo4j:
        request.getfixturevalue("neo4j_conn")  # the real server, or skip (outside CI)
    if "../shared/" in ex.command and not (ROOT.parent / "shared").is_dir() and not IN_CI:
        pytest.skip("the review's text (../shared/source/) is not beside this checkout; CI has it")
    for needs, extra, module in EXTRAS:
        if re.search(needs, ex.command) and importlib.util.find_spec(module) is None and not IN_CI:
            pytest.skip(f"needs the {extra} extra (pip install -e '.[{extra}]'); CI installs it")
    code, actual = readme_examples.run(ex, scratch_project)
    diff = readme_examples.compare(ex, code, actual)
    fix = "python -m tests.support.readme_examples --update rewrites it"
    assert diff is None, f"README.md:{ex.line}: `{ex.command}`: {diff} ({fix})"


def test_the_checker_catches_a_difference(scratch_project):
    ex = readme_examples.Example(1, "mechgraph validate", ["ok: 1 entities"])
    code, actual = readme_examples.run(ex, scratch_project)
    assert readme_examples.compare(ex, code, actual) is not None
    ex.shown = actual
    assert readme_examples.compare(ex, code, actual) is None
    assert os.path.isdir(scratch_project / "seeds")


def test_the_examples_run_in_order_on_one_worker(request):
    """Under pytest-xdist the examples must stay together (tests/conftest.py groups them): an
    example uses files an earlier one wrote. Fails if a pytest/xdist pairing ignores the groups."""
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("not distributed by group (-n 0)")
    assert request.node.nodeid.endswith("@shared-state"), request.node.nodeid
