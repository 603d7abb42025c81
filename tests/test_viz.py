"""Pathway pictures without a browser: subgraph selection, the HTML being offline and escaped,
determinism, density warnings and the Jupyter wrapper."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from mechgraph.errors import MechGraphError
from mechgraph.viz import density_warning, render_html, select_subgraph, show, write_html
from mechgraph.viz import page as viz_page
from mechgraph.viz import style as viz_style

ROOT = Path(__file__).parents[1]
HOSTILE_IMG = "<img src=x onerror=alert(1)>"
HOSTILE_SCRIPT = "</script><script>window.__pwned=1</script>"


def _node(g, nid, kind, axes=(), **kw):
    g.add_node(nid, id=nid, name=kw.pop("name", nid.upper()), kind=kind, synonyms=kw.pop("synonyms", []),
               xrefs=kw.pop("xrefs", []), axes=list(axes), caveats=[], **kw)


def _edge(g, u, v, rel, level, axes=None, sign=None, key=None):
    from mechgraph.schema import RELATIONS

    attrs = dict(relation=rel, sign=sign or RELATIONS[rel].sign_symbol, level=level, refs=["1"],
                 evidence=[{"ref": "1", "doi": "10.1000/x", "species": "cell_line", "level": level, "summary": "s"}])
    if axes:
        attrs["axes"] = list(axes)
    g.add_edge(u, v, key=key or rel, **attrs)


@pytest.fixture
def small() -> nx.MultiDiGraph:
    """a -> b -> c -> d -> e, b -> d, h -> a, h -> e; f alone.

    Axis x tags nodes a, b, h and edge a->b; axis y tags edges c->d and h->e.
    """
    g = nx.MultiDiGraph(axes={"x": {"id": "x", "name": "X"}, "y": {"id": "y", "name": "Y"}})
    _node(g, "a", "cell_type", ["x"])
    _node(g, "b", "gene", ["x"])
    _node(g, "c", "cytokine")
    _node(g, "d", "process")
    _node(g, "e", "phenotype")
    _node(g, "f", "therapy")
    _node(g, "h", "gene", ["x"])
    _edge(g, "a", "b", "promotes", "observational_human", ["x"])  # 1
    _edge(g, "b", "c", "inhibits", "in_vitro")  # 2
    _edge(g, "c", "d", "promotes", "preclinical_in_vivo", ["y"])  # 3
    _edge(g, "d", "e", "associated_with", "expert_statement")  # 4
    _edge(g, "b", "d", "binds", "observational_human")  # 5
    _edge(g, "h", "a", "activates", "randomised_trial")  # 6
    _edge(g, "h", "e", "promotes", "in_vitro", ["y"])  # 7
    return g


def nodes(g) -> set[str]:
    return set(g.nodes)


def edges(g) -> set[tuple[str, str, str]]:
    return set(g.edges(keys=True))


E1, E2, E3, E4 = ("a", "b", "promotes"), ("b", "c", "inhibits"), ("c", "d", "promotes"), ("d", "e", "associated_with")
E5, E6, E7 = ("b", "d", "binds"), ("h", "a", "activates"), ("h", "e", "promotes")


# ---------------------------------------------------------------------------------------------
# select_subgraph
# ---------------------------------------------------------------------------------------------


def test_no_selection_keeps_everything(small):
    sub = select_subgraph(small)
    assert nodes(sub) == nodes(small) and edges(sub) == edges(small)
    assert sub.graph["axes"] == small.graph["axes"]
    assert sub.nodes["a"]["name"] == "A" and sub.edges[E1]["level"] == "observational_human"
    assert sub is not small


def test_around_ignores_direction(small):
    sub = select_subgraph(small, around="a", depth=1)
    assert nodes(sub) == {"a", "b", "h"}  # h only points *to* a
    assert edges(sub) == {E1, E6}
    assert nodes(select_subgraph(small, around="a", depth=2)) == {"a", "b", "c", "d", "e", "h"}
    assert nodes(select_subgraph(small, around="a", depth=0)) == {"a"}
    sub = select_subgraph(small, around="c", depth=1)
    assert nodes(sub) == {"b", "c", "d"} and edges(sub) == {E2, E3, E5}


def test_kinds(small):
    sub = select_subgraph(small, kinds=["gene"])
    assert nodes(sub) == {"b", "h"} and edges(sub) == set()
    sub = select_subgraph(small, kinds=["gene", "cell_type"])
    assert nodes(sub) == {"a", "b", "h"} and edges(sub) == {E1, E6}
    # the around node stays whatever its kind
    assert nodes(select_subgraph(small, around="a", depth=1, kinds=["gene"])) == {"a", "b", "h"}
    assert nodes(select_subgraph(small, around="c", depth=1, kinds=["gene"])) == {"b", "c"}


def test_relations_drop_nodes_left_without_edges(small):
    sub = select_subgraph(small, relations=["inhibits"])
    assert edges(sub) == {E2}
    assert nodes(sub) == {"b", "c", "f"}  # f had no edge to lose
    sub = select_subgraph(small, relations=["promotes"])
    assert edges(sub) == {E1, E3, E7}
    assert nodes(sub) == {"a", "b", "c", "d", "e", "h", "f"}
    assert nodes(select_subgraph(small, around="a", relations=["binds"])) == {"a"}


def test_min_level(small):
    sub = select_subgraph(small, min_level="observational_human")
    assert edges(sub) == {E1, E5, E6}
    assert nodes(sub) == {"a", "b", "d", "h", "f"}
    assert edges(select_subgraph(small, min_level="randomised_trial")) == {E6}
    assert edges(select_subgraph(small, min_level="expert_statement")) == edges(small)


def test_axis(small):
    sub = select_subgraph(small, axis="x")
    assert nodes(sub) == {"a", "b", "h"}
    assert edges(sub) == {E1, E6}  # E6 is untagged but joins two x nodes; E2 leaves the axis
    sub = select_subgraph(small, axis="y")
    assert nodes(sub) == {"c", "d", "h", "e"}  # endpoints of tagged edges
    assert edges(sub) == {E3, E7}  # d->e is untagged and d, e are not tagged themselves


def test_paths(small):
    path = [E1, E2]
    sub = select_subgraph(small, paths=[path], path_context=0)
    assert nodes(sub) == {"a", "b", "c"} and edges(sub) == {E1, E2}
    sub = select_subgraph(small, paths=[path], path_context=1)
    assert nodes(sub) == {"a", "b", "c", "d", "h"}
    assert edges(sub) == {E1, E2, E3, E5, E6}
    # filters never remove the path itself
    sub = select_subgraph(small, paths=[path], relations=["binds"])
    assert edges(sub) == {E1, E2, E5} and nodes(sub) == {"a", "b", "c", "d"}
    sub = select_subgraph(small, paths=[[list(E1)]], kinds=["process"], path_context=1)
    assert nodes(sub) == {"a", "b", "d"}
    # two paths
    sub = select_subgraph(small, paths=[[E1], [E4]], path_context=0)
    assert nodes(sub) == {"a", "b", "d", "e"}
    assert edges(sub) == {E1, E4, E5}  # every edge among the kept nodes


@pytest.mark.parametrize(
    ("kw", "words"),
    [
        ({"kinds": ["cell"]}, ["unknown kind 'cell'", "cell_type", "publication"]),
        ({"relations": ["causes"]}, ["unknown relation 'causes'", "promotes", "reported_in"]),
        ({"min_level": "strong"}, ["unknown level 'strong'", "randomised_trial", "expert_statement"]),
        ({"axis": "zzz"}, ["unknown axis 'zzz'", "valid axes: x, y"]),
        ({"around": "nope"}, ["nope"]),
        ({"paths": [[("a", "c", "promotes")]]}, ["no edge a -promotes-> c"]),
    ],
)
def test_unknown_values_raise_one_line(small, kw, words):
    with pytest.raises(MechGraphError) as info:
        select_subgraph(small, **kw)
    msg = str(info.value)
    assert "\n" not in msg
    for w in words:
        assert w in msg


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------


def data_of(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="mg-data">(.*?)</script>', page, re.S)
    assert m
    return json.loads(m.group(1))


def assert_offline(page: str) -> None:
    assert not re.search(r"<script[^>]*\ssrc\s*=", page, re.I)
    assert not re.search(r"<link\b", page, re.I)
    assert not re.search(r"<(img|iframe|object|embed|source|video|audio)\b", page, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", page, re.I)
    assert "sourceMappingURL" not in page
    assert "default-src 'none'" in page  # the CSP forbids any request


def test_html_is_self_contained(small):
    page = render_html(small, title="small")
    assert page.startswith("<!DOCTYPE html>")
    assert_offline(page)
    assert "vis-network" in page and "new vis.Network" in page
    outside = page.replace(viz_page._vis_js(), "")  # the library itself mentions "<script>" in a string
    assert outside.count("<script") == 3 and outside.lower().count("</script") == 3
    d = data_of(page)
    assert [n["id"] for n in d["nodes"]] == sorted(small.nodes)
    assert len(d["edges"]) == small.number_of_edges()
    assert d["physics"] is False and all("x" in n and "y" in n for n in d["nodes"])  # laid out in Python
    inhibit = next(e for e in d["edges"] if e["relation"] == "inhibits")
    assert inhibit["sign"] == "-" and inhibit["evidence"][0]["doi"] == "10.1000/x"
    # a legend entry per kind present and the three signs
    for label in ("cell type", "gene", "cytokine", "therapy", "promotes / activates", "inhibits / kills"):
        assert label in page
    assert "clinical trial" not in page.split('id="mg-legend"')[1].split("</details>")[0]


def test_seed_graph_page_is_self_contained():
    from mechgraph.curation import graph_from_seeds

    g = graph_from_seeds(ROOT / "seeds")
    page = render_html(g, title="seeds")
    assert_offline(page)
    assert len(data_of(page)["nodes"]) == g.number_of_nodes()


def test_hostile_strings_are_escaped():
    g = nx.MultiDiGraph(axes={})
    _node(g, "x1", "gene", name=HOSTILE_IMG, synonyms=[HOSTILE_SCRIPT], xrefs=["<b>"],
          description="<svg onload=alert(2)>", name_zh="&lt;")
    _node(g, "x2", "<script>alert(4)</script>", name=HOSTILE_SCRIPT)
    _edge(g, "x1", "x2", "promotes", "in_vitro")
    g.edges["x1", "x2", "promotes"]["evidence"][0]["summary"] = "</script><img src=y onerror=alert(3)>"
    page = render_html(g, title=HOSTILE_SCRIPT, highlight=[[("x1", "x2", "promotes")]])
    outside = page.replace(viz_page._vis_js(), "")
    for raw in (HOSTILE_IMG, HOSTILE_SCRIPT, "<svg onload", "<b>", "<img", "alert(4)</script>", "window.__pwned=1</"):
        assert raw not in outside
    for raw in (HOSTILE_IMG, HOSTILE_SCRIPT, "<svg onload", "<img", "</script><img"):
        assert raw not in page
    outside = page.replace(viz_page._vis_js(), "")  # the library itself mentions "<script>" in a string
    assert outside.count("<script") == 3 and outside.lower().count("</script") == 3
    assert "<title>&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;</title>" in page
    d = data_of(page)  # ...yet the data carries the names literally
    assert {n["name"] for n in d["nodes"]} == {HOSTILE_IMG, HOSTILE_SCRIPT}
    assert d["nodes"][0]["name_zh"] == "&lt;"
    assert d["edges"][0]["evidence"][0]["summary"] == "</script><img src=y onerror=alert(3)>"
    # the page's script never uses innerHTML / document.write
    page_js = viz_page._asset("page.js")
    assert "innerHTML" not in page_js and "document.write" not in page_js and "insertAdjacentHTML" not in page_js


def test_render_is_deterministic(small):
    a = render_html(small, title="t")
    rebuilt = nx.MultiDiGraph(axes=small.graph["axes"])
    for n in reversed(list(small.nodes)):
        rebuilt.add_node(n, **small.nodes[n])
    for u, v, k, d in reversed(list(small.edges(keys=True, data=True))):
        rebuilt.add_edge(u, v, key=k, **d)
    assert render_html(rebuilt, title="t") == a
    assert render_html(small, title="t") == a


def large_graph(n: int, extra: int = 0) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(axes={})
    for i in range(n):
        _node(g, f"n{i:05d}", "gene")
    for i in range(1, n):
        _edge(g, f"n{(i * 7919) % i:05d}", f"n{i:05d}", "promotes", "in_vitro")
    for i in range(extra):
        _edge(g, f"n{i % n:05d}", f"n{(i * 31 + 7) % n:05d}", "binds", "in_vitro", key=f"binds{i}")
    return g


def test_large_graph_gets_a_layout_and_no_physics():
    g = large_graph(viz_style.LARGE_GRAPH + 50)
    page = render_html(g)
    d = data_of(page)
    assert d["physics"] is False
    assert all("x" in n and "y" in n for n in d["nodes"])
    assert len({(n["x"], n["y"]) for n in d["nodes"]}) == len(d["nodes"])  # no two nodes on one spot
    assert render_html(g) == page
    # physics can be forced either way
    assert data_of(render_html(g, physics=True))["physics"] is True
    d_small = data_of(render_html(large_graph(10), physics=False))
    assert d_small["physics"] is False and all("x" in n for n in d_small["nodes"])


def test_highlight_marks_edges_and_nodes(small):
    d = data_of(render_html(small, highlight=[[E1, E2]]))
    hl_edges = {(e["from"], e["to"], e["relation"]) for e in d["edges"] if e.get("hl")}
    assert hl_edges == {E1, E2}
    assert {n["id"] for n in d["nodes"] if n.get("hl")} == {"a", "b", "c"}
    assert d["dim"] is True
    assert "a step of the highlighted paths" in render_html(small, highlight=[[E1]])
    assert data_of(render_html(small))["dim"] is False


def test_parallel_edges_are_curved_apart(small):
    _edge(small, "a", "b", "activates", "in_vitro")
    _edge(small, "b", "a", "inhibits", "in_vitro")
    d = data_of(render_html(small))
    curves = [e.get("curve") for e in d["edges"] if {e["from"], e["to"]} == {"a", "b"}]
    assert len(curves) == 3 and all(curves) and len(set(curves)) == 3


def test_density_warning():
    assert density_warning(large_graph(50)) is None
    w = density_warning(large_graph(viz_style.DENSE_NODES + 1))
    assert w and "\n" not in w and str(viz_style.DENSE_NODES + 1) in w
    dense = large_graph(30, extra=200)
    assert density_warning(dense) and "edges per node" in density_warning(dense)
    assert density_warning(nx.MultiDiGraph()) is None


def test_write_html_and_show(small, tmp_path, monkeypatch):
    from mechgraph.viz import notebook

    p = write_html(small, tmp_path / "sub" / "x.html", title="x")
    assert isinstance(p, Path) and p.read_text(encoding="utf-8") == render_html(small, title="x")
    _node(small, "z", "gene", name=HOSTILE_SCRIPT)
    monkeypatch.setattr(notebook, "_SENT", False)
    first = show(small, title="x")._repr_html_()
    second = show(small, title="x")._repr_html_()
    vis = viz_page._vis_js()
    # the library goes to the notebook once, as a script of the notebook page...
    assert first.startswith('<div><script data-mechgraph="vis-network">') and first.count(vis) == 1
    head = html_escape(vis[:200])
    assert vis not in second and head not in second and first.count(head) == first.count(vis) == 1
    # ...and each picture is an escaped page in an iframe that takes vis from the notebook page
    assert second.startswith('<div><iframe srcdoc="&lt;!DOCTYPE html&gt;') and second.count("<") == 4
    sandbox = "allow-scripts allow-popups allow-popups-to-escape-sandbox allow-downloads allow-same-origin"
    assert f'sandbox="{sandbox}"' in second  # (downloads: the SVG/PNG buttons)
    print(f"\nshow(): first cell {len(first) // 1024} KB, later cells {len(second) // 1024} KB")
    assert len(second) < len(first) - len(vis) + 2048
    alone = show(small, title="x", standalone=True)._repr_html_()
    assert html_escape(vis[:200]) in alone and "allow-same-origin" not in alone


def html_escape(s: str) -> str:
    import html

    return html.escape(s, quote=True)


def test_show_without_ipython(small, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_ipython(name, *a, **k):
        if name.startswith("IPython"):
            raise ImportError(name)
        return real_import(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_ipython)
    obj = show(small)
    assert hasattr(obj, "_repr_html_") and "<iframe" in obj._repr_html_()
