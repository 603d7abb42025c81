import pytest

from mechgraph.errors import MechGraphError, UnknownEntity
from mechgraph.store.embedded import NetworkXBackend
from mechgraph.store.entities import describe, resolve


@pytest.fixture(scope="module")
def backend(seed_graph):
    return NetworkXBackend(seed_graph)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("thbs2_caf", "thbs2_caf"),
        ("THBS2+ CAF", "thbs2_caf"),
        ("thbs2+ caf", "thbs2_caf"),
        ("肿瘤相关成纤维细胞", "caf"),
        ("卡妥索单抗", "catumaxomab"),
        ("Removab", "catumaxomab"),
        ("C3aR1", "c3ar1"),
        ("PDCD1", "pd1"),
        ("  nivolumab ", "nivolumab"),
        ("NCT05802056", "nct05802056"),
    ],
)
def test_resolve_any_name(backend, name, expected):
    assert resolve(backend, name) == expected


def test_unknown_name_suggests(backend):
    with pytest.raises(UnknownEntity) as e:
        resolve(backend, "thbs2 cafs")
    assert any("thbs2_caf" in s for s in e.value.suggestions)


def test_empty_name(backend):
    with pytest.raises(MechGraphError):
        resolve(backend, "  ")


def test_describe_lists_edges_with_evidence(backend):
    view = describe(backend, "SPP1+ TAM")
    incoming = {(r["other"], r["relation"]) for r in view.incoming}
    assert ("thbs2_caf", "polarizes") in incoming and ("c3ar1", "polarizes") in incoming
    assert all(r["evidence"] for r in view.incoming + view.outgoing)
