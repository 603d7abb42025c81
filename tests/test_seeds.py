"""The seed loader: valid seeds load; each kind of broken file gives FILE:LINE: message."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mechgraph.curation.seeds import read_seeds, validate
from mechgraph.errors import SeedError

MINIMAL = {
    "references.yaml": """\
        references:
          - ref: 1
            authors: [Doe J]
            year: 2020
            design: cross_sectional
            title: A study
            doi: 10.1000/abc
          - ref: review
            design: review
            title: The review
        """,
    "entities.yaml": """\
        entities:
          - id: caf
            kind: cell_state
            name: cancer-associated fibroblast
            name_zh: 肿瘤相关成纤维细胞
            synonyms: [CAF]
          - id: tam
            kind: cell_state
            name: tumour-associated macrophage
        """,
    "edges.yaml": """\
        edges:
          - source: caf
            relation: recruits
            target: tam
            evidence:
              - ref: 1
                support: review_text
                locator: 1.3 ¶1
                species: human_samples
                level: observational_human
                summary: CAFs recruit macrophages.
        """,
}


MINIMAL = {k: textwrap.dedent(v) for k, v in MINIMAL.items()}


def write_seeds(tmp_path: Path, **overrides: str) -> Path:
    files = {**MINIMAL, **overrides}
    for name, text in files.items():
        if text is None:
            continue
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def problems(tmp_path: Path, **overrides: str) -> list[str]:
    return validate(write_seeds(tmp_path, **overrides))


def test_minimal_seeds_are_valid(tmp_path):
    data = read_seeds(write_seeds(tmp_path))
    assert set(data.entities) >= {"caf", "tam", "ref_1", "ref_review"}
    assert data.edges[0]["evidence"][0]["doi"] == "10.1000/abc"


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    bad = "edges:\n  - source: caf\n    relation: [recruits\n    target: tam\n"
    out = problems(tmp_path, **{"edges.yaml": bad})
    assert len(out) == 1
    assert out[0].startswith("edges.yaml:") or "/edges.yaml:" in out[0]
    assert "YAML syntax error" in out[0]


def test_dangling_endpoint(tmp_path):
    out = problems(tmp_path, **{"edges.yaml": MINIMAL["edges.yaml"].replace("target: tam", "target: tamm")})
    assert any(p.endswith("edge target 'tamm' is not a known entity (did you mean tam?)") for p in out)
    assert any(":4:" in p for p in out), out


def test_unknown_relation(tmp_path):
    out = problems(tmp_path, **{"edges.yaml": MINIMAL["edges.yaml"].replace("relation: recruits", "relation: recruit")})
    assert any(":3: unknown relation 'recruit' (did you mean recruits?)" in p for p in out), out


def test_missing_reference(tmp_path):
    out = problems(tmp_path, **{"edges.yaml": MINIMAL["edges.yaml"].replace("ref: 1", "ref: 99")})
    assert any(":6: evidence cites reference 99, which is not in the reference list" in p for p in out), out


def test_edge_without_evidence(tmp_path):
    text = "edges:\n  - source: caf\n    relation: recruits\n    target: tam\n"
    out = problems(tmp_path, **{"edges.yaml": text})
    assert any(":2: edge caf -recruits-> tam has no 'evidence'" in p for p in out), out


def test_duplicate_entity_id(tmp_path):
    text = MINIMAL["entities.yaml"].replace("id: tam", "id: caf")
    out = problems(tmp_path, **{"entities.yaml": text})
    assert any(":7: duplicate entity id 'caf' (first at" in p for p in out), out


def test_unknown_kind_and_unknown_field(tmp_path):
    text = MINIMAL["entities.yaml"].replace("kind: cell_state\n    name: tumour",
                                            "kind: cel_state\n    nmae: x\n    name: tumour")
    out = problems(tmp_path, **{"entities.yaml": text})
    assert any("unknown entity kind 'cel_state' (did you mean cell_state" in p for p in out), out
    assert any("unknown field 'nmae' in an entity" in p for p in out), out


def test_bad_curie_and_doi(tmp_path):
    ents = MINIMAL["entities.yaml"].replace("synonyms: [CAF]", "synonyms: [CAF]\n    xrefs: [\"CL:12\"]")
    refs = MINIMAL["references.yaml"].replace("doi: 10.1000/abc", "doi: 10.10/ab c")
    out = problems(tmp_path, **{"entities.yaml": ents, "references.yaml": refs})
    assert any("xref 'CL:12' is malformed" in p for p in out), out
    assert any("malformed DOI" in p for p in out), out


def test_summary_must_be_english(tmp_path):
    chinese = MINIMAL["edges.yaml"].replace("CAFs recruit macrophages.", "CAF募集巨噬细胞")
    out = problems(tmp_path, **{"edges.yaml": chinese})
    assert any("must be in English" in p for p in out), out


def test_not_utf8(tmp_path):
    write_seeds(tmp_path)
    (tmp_path / "entities.yaml").write_bytes("entities:\n  - id: x\n    name: \xe9\n".encode("latin-1"))
    out = validate(tmp_path)
    assert any(":3: not valid UTF-8" in p for p in out), out


def test_duplicate_edge_is_flagged(tmp_path):
    body = MINIMAL["edges.yaml"]
    twice = body + "\n".join(body.splitlines()[1:]) + "\n"
    out = problems(tmp_path, **{"edges.yaml": twice})
    assert any("duplicate edge caf -recruits-> tam" in p for p in out), out


def test_wrong_types(tmp_path):
    out = problems(tmp_path, **{"entities.yaml": "entities: {id: x}\n", "edges.yaml": "edges:\n  - 3\n"})
    assert any("'entities' must be a list of records" in p for p in out), out
    assert any(":2: each item of 'edges' must be a mapping" in p for p in out), out


def test_all_problems_reported_at_once(tmp_path):
    edges = MINIMAL["edges.yaml"].replace("relation: recruits", "relation: nope").replace("ref: 1", "ref: 77")
    out = problems(tmp_path, **{"edges.yaml": edges})
    assert len(out) >= 2


def test_read_seeds_raises_seed_error(tmp_path):
    write_seeds(tmp_path, **{"edges.yaml": "edges: ["})
    with pytest.raises(SeedError) as e:
        read_seeds(tmp_path)
    assert e.value.exit_code == 2


def test_the_project_seeds_are_valid():
    assert validate(Path(__file__).resolve().parents[1] / "seeds") == []
