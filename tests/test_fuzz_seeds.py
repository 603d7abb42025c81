"""Property-based fuzzing of the seed loader: random and mutated seed files.

The only allowed outcomes are a valid graph, or SeedError whose every line is `FILE:LINE: message`.
Scale with MECHGRAPH_FUZZ_EXAMPLES (default 100 per property).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
import yaml

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from mechgraph.curation import build_graph  # noqa: E402
from mechgraph.curation.seeds import read_seeds  # noqa: E402
from mechgraph.errors import SeedError  # noqa: E402
from tests.support.checkout import SEEDS  # noqa: E402

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
EXAMPLES = int(os.environ.get("MECHGRAPH_FUZZ_EXAMPLES", "100"))
PROBLEM = re.compile(r"^.+:\d+: \S.*$")

pytestmark = pytest.mark.slow  # hundreds of generated seed folders; CI runs them (MECHGRAPH_SLOW=1)
SEED_FILES = sorted(p.relative_to(SEEDS) for p in SEEDS.rglob("*.yaml"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
CASES = {"n": 0}


def check(folder: Path) -> None:
    CASES["n"] += 1
    started = time.monotonic()
    try:
        data = read_seeds(folder)
    except SeedError as e:
        assert e.problems, "SeedError without problems"
        for line in e.problems:
            assert PROBLEM.match(line), f"not FILE:LINE: message: {line!r}"
            assert "\n" not in line
        assert time.monotonic() - started < 30, "the loader took over 30 s: a hang"
        return
    build_graph(data)  # a valid result must build
    assert time.monotonic() - started < 30, "the loader took over 30 s: a hang"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def fresh_copy(workdir: Path, name: str) -> Path:
    target = workdir / name
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(SEEDS, target)
    return target


@FUZZ
@given(file=st.sampled_from(SEED_FILES), cut=st.floats(0, 1))
def test_truncated_file(workdir, file, cut):
    folder = fresh_copy(workdir, "trunc")
    raw = (folder / file).read_bytes()
    (folder / file).write_bytes(raw[: int(len(raw) * cut)])
    check(folder)


@FUZZ
@given(file=st.sampled_from(SEED_FILES),
       flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_byte_flips(workdir, file, flips):
    folder = fresh_copy(workdir, "flip")
    raw = bytearray((folder / file).read_bytes())
    for where, byte in flips:
        raw[min(len(raw) - 1, int(len(raw) * where))] = byte
    (folder / file).write_bytes(bytes(raw))
    check(folder)


@FUZZ
@given(file=st.sampled_from(SEED_FILES), encoding=st.sampled_from(["utf-16", "utf-32", "latin-1", "cp1252", "gb2312"]))
def test_wrong_encodings(workdir, file, encoding):
    folder = fresh_copy(workdir, "enc")
    text = (folder / file).read_text(encoding="utf-8")
    (folder / file).write_bytes(text.encode(encoding, errors="replace"))
    check(folder)


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=10), inner, max_size=4)),
                      max_leaves=20)
FIELDS = ["id", "kind", "name", "source", "target", "relation", "evidence", "ref", "species", "level",
          "summary", "xrefs",
          "synonyms", "direction", "axes", "modality", "doi", "interventions", "results", "table1_row", "year",
          "unknown_key", "support", "locator", "design", "origin", "url"]


@FUZZ
@given(file=st.sampled_from(SEED_FILES), field=st.sampled_from(FIELDS), value=values, index=st.integers(0, 400))
def test_wrong_types_and_unknown_keys(workdir, file, field, value, index):
    folder = fresh_copy(workdir, "types")
    doc = yaml.load((folder / file).read_text(encoding="utf-8"), Loader=LOADER)
    for key in ("entities", "edges", "references", "axes", "proposals"):
        if doc.get(key):
            records = doc[key]
            records[index % len(records)][field] = value
            break
    (folder / file).write_text(yaml.dump(Dumper=DUMPER, data=doc, allow_unicode=True), encoding="utf-8")
    check(folder)


@FUZZ
@given(doc=st.dictionaries(st.sampled_from(["entities", "edges", "references", "axes", "proposals", "other"]), values,
                           max_size=4))
def test_random_documents(workdir, doc):
    folder = fresh_copy(workdir, "random")
    (folder / "zz_random.yaml").write_text(yaml.dump(Dumper=DUMPER, data=doc, allow_unicode=True), encoding="utf-8")
    check(folder)


@FUZZ
@given(file=st.sampled_from(SEED_FILES), index=st.integers(0, 400), size=st.sampled_from([10_000, 200_000]))
def test_huge_values(workdir, file, index, size):
    folder = fresh_copy(workdir, "huge")
    doc = yaml.load((folder / file).read_text(encoding="utf-8"), Loader=LOADER)
    key = next(k for k in ("entities", "edges", "references", "axes", "proposals") if doc.get(k))
    rec = doc[key][index % len(doc[key])]
    field = next(f for f in ("name", "summary", "title", "relation", "proposes")
                 if f in rec) if any(f in rec for f in ("name", "summary", "title", "relation", "proposes")) else "name"
    rec[field] = "x" * size
    (folder / file).write_text(yaml.dump(Dumper=DUMPER, data=doc, allow_unicode=True, width=10**9), encoding="utf-8")
    check(folder)


@FUZZ
@given(a=st.integers(0, 400), b=st.integers(0, 400),
       relation=st.sampled_from(["promotes", "inhibits", "subtype_of", "binds"]))
def test_duplicates_and_cycles(workdir, a, b, relation):
    folder = fresh_copy(workdir, "dup")
    ents = yaml.load((folder / "entities/cells.yaml").read_text(encoding="utf-8"), Loader=LOADER)["entities"]
    x, y = ents[a % len(ents)], ents[b % len(ents)]
    extra = {
        "entities": [dict(x)],  # a duplicate id
        "edges": [
            {"source": x["id"], "relation": relation, "target": y["id"],
             "evidence": [{"ref": 1, "support": "review_text", "locator": "intro ¶1", "species": "patients",
                           "summary": "Cycle test."}]},
            {"source": y["id"], "relation": relation, "target": x["id"],
             "evidence": [{"ref": 1, "support": "review_text", "locator": "intro ¶1", "species": "patients",
                           "summary": "Cycle test."}]},
        ],
    }
    (folder / "zz_extra.yaml").write_text(yaml.dump(Dumper=DUMPER, data=extra, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SeedError) as e:
        read_seeds(folder)
    assert any("duplicate entity id" in p for p in e.value.problems)
    del extra["entities"]
    (folder / "zz_extra.yaml").write_text(yaml.dump(Dumper=DUMPER, data=extra, allow_unicode=True), encoding="utf-8")
    check(folder)  # cycles are valid unless they duplicate an existing edge or loop on one node


def test_oversized_file_is_refused_quickly(workdir):
    folder = fresh_copy(workdir, "big")
    (folder / "zz_big.yaml").write_bytes(b"entities: []\n#" + b"x" * 6_000_000)
    started = time.monotonic()
    with pytest.raises(SeedError, match="seed files are limited"):
        read_seeds(folder)
    assert time.monotonic() - started < 5
