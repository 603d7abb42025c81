"""The benchmark script and its synthetic graphs: structure and determinism, never speed."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

import pytest

from mechgraph import schema
from tests.support.checkout import ROOT
from tests.support.synthetic import degree_summary, synthetic_graph, synthetic_seeds

PER_SIZE_KEYS = (
    "nodes",
    "edges",
    "gen_s",
    "embedded_load_s",
    "embedded_peak_mb",
    "embedded_graph_mb",
    "path_index_build_ms",
    "path_search_ms",
    "path_ms_embedded",
    "targets_ms_embedded",
)


@pytest.mark.slow  # runs the quick benchmark end to end (~35 s): CI runs it, the quick test command does not
def test_quick_benchmark_writes_the_required_keys(tmp_path):
    out = tmp_path / "bench.json"
    p = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--skip-neo4j", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr[-2000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data["sizes"]) == {"1e3", "1e4"}
    for label, n in (("1e3", 1_000), ("1e4", 10_000)):
        row = data["sizes"][label]
        assert "error" not in row, row.get("error")
        assert row["edges"] == n
        for key in PER_SIZE_KEYS:
            assert isinstance(row[key], (int, float)) and row[key] > 0, (label, key, row.get(key))
        assert row["path_found"] > 0  # the timed path query had real work
        assert "neo4j_batched_rps" not in row  # --skip-neo4j
    once = data["once"]
    for key in ("cli_help_s", "cli_show_s"):
        assert once[key] > 0
    assert len(once["seed_answers_s"]) >= 8 and not once.get("seed_answers_failed")
    assert any(k.startswith("effect")
               for k in once["seed_answers_s"]) and any(k.startswith("targets") for k in once["seed_answers_s"])
    assert once.get("viz_s") or once.get("viz_note")
    assert {g["goal"] for g in data["goals"]} >= {"mechgraph --help", "path at 1e5 edges, embedded",
                                                  "answers on the seed graph"}
    assert all(g["status"] in ("pass", "FAIL", "not measured") for g in data["goals"])
    assert data["machine"]["cores"] >= 1 and data["machine"]["networkx"]
    assert any("Neo4j" in note for note in data["notes"])
    assert "targets:" in p.stdout and "embedded load s" in p.stdout


def _fingerprint(data):
    return (
        sorted((e["id"], e["kind"], e.get("phase")) for e in data.entities.values()),
        [(e["source"], e["relation"], e["target"], tuple((v["ref"], v["level"], v["species"]) for v in e["evidence"]))
         for e in data.edges],
    )


def test_synthetic_seeds_are_deterministic_and_exact():
    a, b = synthetic_seeds(3_000, seed=7), synthetic_seeds(3_000, seed=7)
    assert _fingerprint(a) == _fingerprint(b)
    assert _fingerprint(synthetic_seeds(3_000, seed=8)) != _fingerprint(a)
    for n in (1_000, 5_000):
        g = synthetic_graph(n, seed=3)
        assert g.number_of_edges() == n  # no (source, target, relation) collapsed by the key


def test_synthetic_graph_has_the_project_schema_and_a_skewed_degree_distribution():
    g = synthetic_graph(20_000, seed=1)
    for o in schema.DISEASE_OUTCOMES:
        assert g.nodes[o]["kind"] == "phenotype"
        assert g.in_degree(o) >= 100  # many edges into each outcome
    for n, a in g.nodes(data=True):
        assert a["id"] == n and a["kind"] in schema.ENTITY_KINDS and a["name"]
        assert a["category"] == schema.biolink_category(a["kind"], a.get("modality"))
        assert all(a[k] == [] for k in ("synonyms", "xrefs", "axes", "caveats"))
    for u, v, k, a in g.edges(keys=True, data=True):
        assert k == a["relation"] in schema.RELATIONS and u != v
        assert a["sign"] == schema.SIGN_SYMBOLS[schema.RELATIONS[k].sign]
        assert a["evidence"] and all(set(ev) == {"ref", "doi", "species", "level", "summary"} for ev in a["evidence"])
        assert a["refs"] and a["level"] in schema.EVIDENCE_LEVELS
    assert len({id(ev) for _, _, a in g.edges(data=True) for ev in a["evidence"]}) == sum(
        len(a["evidence"]) for _, _, a in g.edges(data=True)
    )  # every edge has its own evidence records
    therapy_edges = [k for u, _, k in g.edges(keys=True) if g.nodes[u]["kind"] == "therapy"]
    assert {"targets", "inhibits", "tested_in"} <= set(therapy_edges)
    degrees = [d for _, d in g.degree()]
    summary = degree_summary(g)
    assert summary["max"] == max(degrees) and summary["median"] == statistics.median(degrees)
    assert summary["max"] >= 50 * summary["median"]  # hubs: preferential attachment, not a random graph
    assert min(degrees) >= 1  # every entity is connected


def test_rank_targets_and_paths_have_work_on_a_synthetic_graph():
    from mechgraph.analysis.paths import signed_paths
    from mechgraph.analysis.targets import rank_targets

    g = synthetic_graph(2_000, seed=2)
    ranked = rank_targets(g, top=10, permutations=5).targets
    assert len(ranked) == 10 and any(t.therapies for t in ranked)
    assert all(t.reasons and t.p_value is not None for t in ranked)
    state = next(n for n in sorted(g) if g.nodes[n]["kind"] == "cell_state" and g.out_degree(n))
    assert signed_paths(g, state, "peritoneal_metastasis", k=3)
