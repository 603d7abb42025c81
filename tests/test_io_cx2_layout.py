"""CX2 carries the map's layout and a name, so Cytoscape and NDEx open the network as the map draws it."""

from __future__ import annotations

import json
import re

import pytest

from tests.support.checkout import IN_CI


def _ndex2():
    try:
        from ndex2 import cx2
    except ImportError:
        if IN_CI:
            pytest.fail("CI must run the exchange tests: ndex2 is not installed")
        pytest.skip("ndex2 is not installed (pip install -e '.[exchange]')")
    return cx2


def test_cx2_nodes_sit_where_the_map_draws_them(seed_graph, tmp_path):
    cx2 = _ndex2()
    from mechgraph.pipeline import export_files
    from mechgraph.store.embedded import NetworkXBackend
    from mechgraph.views import draw

    page = draw(NetworkXBackend(seed_graph), tmp_path / "map.html").path.read_text(encoding="utf-8")
    drawn = json.loads(re.search(r'<script type="application/json" id="mg-data">(.*?)</script>', page, re.S).group(1))
    on_map = {n["id"]: (n["x"], n["y"]) for n in drawn["nodes"]}

    path = export_files(seed_graph, tmp_path / "g.cx2", "cx2", source="the seeds")[0]
    net = cx2.RawCX2NetworkFactory().get_cx2network(json.loads(path.read_text(encoding="utf-8")))
    nodes = {n["v"]["mechgraph_id"]: n for n in net.get_nodes().values()}
    assert len(nodes) == seed_graph.number_of_nodes() and all("x" in n and "y" in n for n in nodes.values())
    assert on_map and all(nodes[i]["x"] == pytest.approx(x) and nodes[i]["y"] == pytest.approx(y) for i,
                          (x, y) in on_map.items())
    left_out = set(nodes) - set(on_map)  # publications and trials: in rows below the map, none on another
    assert left_out and {seed_graph.nodes[n]["kind"] for n in left_out} == {"publication", "clinical_trial"}
    bottom = max(y for _, y in on_map.values())
    assert all(nodes[n]["y"] > bottom for n in left_out)
    assert len({(nodes[n]["x"], nodes[n]["y"]) for n in nodes}) == len(nodes)

    meta = net.get_network_attributes()
    assert meta["name"] and meta["name"] != "mechgraph" and meta["description"]
    from importlib.metadata import version

    assert meta["version"] == version("mechgraph") and meta["source"] == "the seeds"
    # NDEx's networkx view keeps the positions too
    nxg = cx2.CX2NetworkXFactory().get_graph(net)
    assert nxg.number_of_nodes() == seed_graph.number_of_nodes()


def test_cx2_without_positions_still_reads_back_exactly(seed_graph, tmp_path):
    _ndex2()
    from mechgraph.io import export_files, read_graph, to_node_link

    path = export_files(seed_graph, tmp_path / "g.cx2", "cx2")[0]
    assert to_node_link(read_graph(path)) == to_node_link(seed_graph)  # the graph's own name survives the network's
