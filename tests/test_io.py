"""Exports and reading them back: lossless, property by property, evidence included."""

from __future__ import annotations

import json

import pytest

from mechgraph.errors import ExportError, GraphFileError
from mechgraph.io import export_graph, read_graph, to_node_link


@pytest.mark.parametrize("fmt", ["json", "graphml"])
def test_round_trip_is_identical(seed_graph, tmp_path, fmt):
    first = tmp_path / f"g.{fmt}"
    export_graph(seed_graph, first, fmt)
    again = read_graph(first)
    assert to_node_link(again) == to_node_link(seed_graph)
    for n in seed_graph.nodes:
        assert again.nodes[n] == seed_graph.nodes[n]
    for u, v, k in seed_graph.edges(keys=True):
        assert again.edges[u, v, k] == seed_graph.edges[u, v, k]
    second = tmp_path / f"g2.{fmt}"
    export_graph(again, second, fmt)
    assert second.read_bytes() == first.read_bytes()


def test_json_shape(seed_graph):
    data = to_node_link(seed_graph)
    node = next(n for n in data["nodes"] if n["id"] == "catumaxomab")
    assert list(node)[:6] == ["id", "name", "kind", "name_zh", "synonyms", "xrefs"]
    assert node["name_zh"] == "卡妥索单抗"
    edge = next(e for e in data["edges"] if e["source"] == "thbs2_caf" and e["relation"] == "polarizes")
    assert edge["target"] == "spp1_tam" and edge["sign"] == "+"
    assert edge["evidence"][0]["ref"] == "19"
    assert edge["evidence"][0]["doi"] == "10.1136/gutjnl-2024-333617"
    assert set(edge["evidence"][0]) >= {"ref", "doi", "species", "level", "summary"}


def test_graphml_holds_only_flat_values(seed_graph, tmp_path):
    import xml.etree.ElementTree as ET

    path = export_graph(seed_graph, tmp_path / "g.graphml", "graphml")
    root = ET.parse(path).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    types = {k.get("attr.type") for k in root.findall("g:key", ns)}
    assert types <= {"string", "int", "long", "double", "boolean", "float"}
    assert len(root.findall(".//g:node", ns)) == seed_graph.number_of_nodes()
    assert len(root.findall(".//g:edge", ns)) == seed_graph.number_of_edges()


def test_broken_files_give_one_line_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"nodes": [', encoding="utf-8")
    with pytest.raises(GraphFileError, match=r"bad.json:1: invalid JSON"):
        read_graph(bad)
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"nodes": [{"id": "a", "name": "A", "kind": "spaceship"}], "edges": []}))
    with pytest.raises(GraphFileError, match="unknown kind 'spaceship'"):
        read_graph(wrong)
    dangling = tmp_path / "dangling.json"
    dangling.write_text(json.dumps({"nodes": [], "edges": [{"source": "a", "target": "b", "relation": "promotes"}]}))
    with pytest.raises(GraphFileError, match="is not a node"):
        read_graph(dangling)
    with pytest.raises(ExportError, match="cannot tell the format"):
        read_graph(tmp_path / "x.txt")
    xml = tmp_path / "bad.graphml"
    xml.write_text("<graphml><oops", encoding="utf-8")
    with pytest.raises(GraphFileError, match="not a readable GraphML"):
        read_graph(xml)


def test_json_is_read_by_networkx_node_link_graph_as_it_is(seed_graph, tmp_path):
    """networkx's own reader, without options, gives the graph: directed, multi, keyed by relation."""
    import networkx as nx

    path = export_graph(seed_graph, tmp_path / "g.json", "json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["directed"] is True and data["multigraph"] is True
    g = nx.node_link_graph(data)
    assert isinstance(g, nx.MultiDiGraph)
    assert g.graph["name"] == seed_graph.graph.get("name", "mechgraph") and g.graph["axes"] == seed_graph.graph["axes"]
    assert set(g.nodes) == set(seed_graph.nodes)
    assert set(g.edges(keys=True)) == set(seed_graph.edges(keys=True))

    def given(attrs):  # the file writes an absent core attribute as null
        return {k: v for k, v in attrs.items() if v is not None}

    for n, a in seed_graph.nodes(data=True):
        # networkx holds the id as the node
        assert given(g.nodes[n]) == given({k: v for k, v in a.items() if k != "id"})
    for u, v, k, a in seed_graph.edges(keys=True, data=True):
        assert given(g.edges[u, v, k]) == given(a)


def _graphml_lines(seed_graph, tmp_path) -> list[str]:
    return export_graph(seed_graph, tmp_path / "g.graphml", "graphml").read_text(encoding="utf-8").splitlines()


def _element(lines: list[str], tag: str) -> list[str]:
    """The first <node> or <edge> element of a pretty-printed GraphML file, whole."""
    start = next(i for i, x in enumerate(lines) if x.strip().startswith(f"<{tag} "))
    end = next(i for i in range(start, len(lines)) if lines[i].strip() == f"</{tag}>")
    return lines[start:end + 1]


@pytest.mark.parametrize("tag", ["node", "edge"])
def test_graphml_with_an_id_given_twice_is_refused_at_its_line(seed_graph, tmp_path, tag):
    lines = _graphml_lines(seed_graph, tmp_path)
    element = _element(lines, tag)
    end = max(i for i, x in enumerate(lines) if x.strip() == "</graph>")
    path = tmp_path / "twice.graphml"
    path.write_text("\n".join(lines[:end] + element + lines[end:]), encoding="utf-8")
    with pytest.raises(GraphFileError) as e:
        read_graph(path)
    first = lines.index(element[0]) + 1
    assert str(e.value).startswith(f"{path}:{end + 1}: {tag} id ") and f"(first on line {first})" in str(e.value)


def test_graphml_with_the_same_edge_twice_under_two_ids_is_refused(seed_graph, tmp_path):
    lines = _graphml_lines(seed_graph, tmp_path)
    element = _element(lines, "edge")
    copy = [element[0].replace('id="', 'id="copy-of-', 1)] + element[1:]
    end = max(i for i, x in enumerate(lines) if x.strip() == "</graph>")
    path = tmp_path / "twice.graphml"
    path.write_text("\n".join(lines[:end] + copy + lines[end:]), encoding="utf-8")
    with pytest.raises(GraphFileError, match=r"is given twice"):
        read_graph(path)
