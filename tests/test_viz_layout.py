"""Layouts computed in Python, labels that fit, how lines look, and the views `viz` draws.

Checked without a browser: boxes never overlap, labels wrap and never cut, groups follow the
axes, a neighbourhood is layered, the lines merge the edges they should, path steps carry their
relation in their sign's colour, edges the review does not state are marked, and the `viz`
command's defaults, names and verdict titles. The browser tests (test_viz_browser.py,
test_viz_routes.py) measure the drawn lines and labels.
"""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest

from mechgraph.analysis.paths import PathAnswer, SignedPath, find_paths
from mechgraph.cli import cli, main
from mechgraph.errors import MechGraphError
from mechgraph.store.embedded import NetworkXBackend
from mechgraph.views import default_name, draw, path_title
from mechgraph.viz import frames, layout, render_html, select_subgraph
from mechgraph.viz.scene import page_data
from tests.support.checkout import SEEDS
from tests.support.graphs import ev

MAP_KINDS = ["cell_type", "cell_state", "gene", "complex", "mirna", "cytokine", "chemical", "process", "disease",
             "phenotype", "therapy", "therapy_class"]


def data_of(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="mg-data">(.*?)</script>', page, re.S)
    return json.loads(m.group(1))


def rects(d: dict) -> list[tuple[float, float, float, float]]:
    return [(n["x"] - n["box"][0] / 2, n["y"] - n["size"], n["x"] + n["box"][0] / 2, n["y"] + n["box"][1])
            for n in d["nodes"]]


def graph_with_support() -> nx.MultiDiGraph:
    """a -> b stated by the review, b -| c only by a curator, c -> d a hypothesis, d -> e both."""
    g = nx.MultiDiGraph(axes={"x": {"id": "x", "name": "Axis X (long explanation)"}})
    for n, kind, axes in [("a", "cell_type", ["x"]), ("b", "gene", ["x"]), ("c", "cytokine", []), ("d", "process", []),
                          ("e", "phenotype", [])]:
        g.add_node(n, id=n, name=f"node {n}", kind=kind, synonyms=[], xrefs=[], axes=axes, caveats=[])
    for u, rel, v, supports in [("a", "promotes", "b", ["review_text"]), ("b", "inhibits", "c", ["curator"]),
                                ("c", "promotes", "d", ["hypothesis"]),
                                ("d", "promotes", "e", ["curator", "review_text"])]:
        records = []
        for i, sup in enumerate(supports):
            rec = ev(str(i + 1), "in_vitro")[0]
            rec["support"] = sup
            records.append(rec)
        sign = "+" if rel == "promotes" else "-"
        g.add_edge(u, v, key=rel, relation=rel, sign=sign, level="in_vitro", refs=[r["ref"] for r in records],
                   evidence=records, axes=["x"] if u in ("a", "b") else [])
    return g


# --------------------------------------------------------------------------------------------
# labels
# --------------------------------------------------------------------------------------------


def test_labels_wrap_and_are_never_cut():
    assert layout.wrap_label("THBS2+ cancer-associated fibroblast") == ["THBS2+ cancer-", "associated", "fibroblast"]
    assert layout.wrap_label("PD-1") == ["PD-1"]
    assert layout.wrap_label("VEGFR1 and PD-L1 dual-target CAR-T cells",
                             16) == ["VEGFR1 and PD-L1", "dual-target", "CAR-T cells"]
    assert layout.wrap_label("TIM-3/galectin-9/CEACAM1/HMGB1", 16) == ["TIM-3/galectin-", "9/CEACAM1/HMGB1"] or all(
        len(x) <= 16 for x in layout.wrap_label("TIM-3/galectin-9/CEACAM1/HMGB1", 16))
    word = "immunosuppressiveness"
    assert layout.wrap_label(word, 10) == [word]  # one long word keeps its line, whole
    for name in ("immunosuppressive tumour microenvironment", "血小板反应蛋白2阳性肿瘤相关成纤维细胞", "a b c"):
        assert "".join(layout.wrap_label(name)).replace(" ", "") == name.replace(" ", "")


def test_text_width_counts_wide_characters():
    assert layout.text_width("中文", 14) == pytest.approx(28)
    assert layout.text_width("iiii") < layout.text_width("MMMM")
    box = layout.node_box("THBS2+ cancer-associated fibroblast", degree=9)
    assert box.lines == ("THBS2+ cancer-", "associated", "fibroblast") and box.w >= layout.text_width("THBS2+ cancer-")


# --------------------------------------------------------------------------------------------
# layouts: no box overlaps another
# --------------------------------------------------------------------------------------------


def test_map_of_the_seed_graph_has_no_overlapping_boxes(seed_graph):
    sub = select_subgraph(seed_graph, kinds=MAP_KINDS)
    d = page_data(sub)
    assert layout.overlapping_boxes(rects(d)) == []
    assert d["physics"] is False
    boxes_ = d["frames"]
    assert boxes_ and len({f["title"] for f in boxes_}) == len(boxes_)
    for i, f in enumerate(boxes_):  # frames tile the canvas without overlapping
        for g2 in boxes_[i + 1:]:
            assert not (f["x"] < g2["x"] + g2["w"] and g2["x"] < f["x"] + f["w"] and f["y"] < g2["y"] + g2["h"]
                        and g2["y"] < f["y"] + f["h"])
    titles = {f["title"].replace("\n", " ") for f in boxes_}
    assert "CAF-TAM axis" in titles and "Disease and outcomes" in titles
    # every node sits inside its group's frame
    groups = frames.node_groups(sub)
    by_title = {f["title"].replace("\n", " "): f for f in boxes_}
    for n in d["nodes"]:
        f = by_title[groups[n["id"]]]
        assert f["x"] <= n["x"] <= f["x"] + f["w"] and f["y"] <= n["y"] <= f["y"] + f["h"], n["id"]
    # the map has the window's shape, so it is drawn large: boxes fill a good part of it
    w = max(f["x"] + f["w"] for f in boxes_) - min(f["x"] for f in boxes_)
    h = max(f["y"] + f["h"] for f in boxes_) - min(f["y"] for f in boxes_)
    assert 1.0 < w / h < 1.7
    used = sum((r[2] - r[0]) * (r[3] - r[1]) for r in rects(d))
    assert used / (w * h) > 0.25


def test_around_and_path_views_have_no_overlapping_labels(seed_graph):
    sub = select_subgraph(seed_graph, around="thbs2_caf", depth=2, kinds=MAP_KINDS + ["clinical_trial"])
    d = page_data(sub, centre="thbs2_caf")
    assert layout.overlapping_boxes(rects(d)) == []
    centre = next(n for n in d["nodes"] if n["id"] == "thbs2_caf")
    assert (centre["x"], centre["y"]) == (0.0, 0.0) and centre["centre"] == 1
    for n in d["nodes"]:  # what THBS2+ CAF acts on is drawn to its right
        if n["id"] in ("spp1_tam", "tam", "c3"):
            assert n["x"] > 0
    from mechgraph.analysis.paths import find_paths, path_ids

    answer = find_paths(seed_graph, "thbs2_caf", "pd1_antibody", k=5)
    hl = path_ids(answer.paths)
    d = page_data(select_subgraph(seed_graph, paths=hl, path_context=0), highlight=hl)
    assert layout.overlapping_boxes(rects(d)) == []
    xs = {n["id"]: n["x"] for n in d["nodes"]}
    chain = [n["id"] for n in answer.paths[0].nodes]  # the cell's leg, the meeting node, the therapy's leg
    assert [xs[n] for n in chain] == sorted(xs[n] for n in chain)  # columns along the path


def test_grouping_by_axis_edges_and_cells():
    g = graph_with_support()
    groups = frames.node_groups(g)
    assert groups["a"] == groups["b"] == "Axis X"  # the axis, without its parenthesis
    assert groups["c"] == "Axis X"  # untagged, but its edge b -| c is tagged
    assert groups["d"] == "Other cells, molecules and processes"  # untagged, and so are its edges
    assert groups["e"] == "Disease and outcomes"
    cells = frames.node_groups(g, by="cell")
    assert cells["a"] == cells["b"] == "node a"


# --------------------------------------------------------------------------------------------
# how edges look
# --------------------------------------------------------------------------------------------


def test_edges_the_review_does_not_state_are_marked():
    d = data_of(render_html(graph_with_support()))
    look = {(e["from"], e["to"]): e for e in d["edges"]}
    assert "unstated" not in look["a", "b"] and look["a", "b"]["supports"] == ["review_text"]
    assert look["b", "c"]["unstated"] == 1 and look["b", "c"]["supports"] == ["curator"]
    assert look["c", "d"]["unstated"] == 1 and look["c", "d"]["supports"] == ["hypothesis"]
    assert "unstated" not in look["d", "e"]  # one record of the review is enough
    assert look["b", "c"]["evidence"][0]["support"] == "curator"
    assert d["style"]["supports"]["curator"].startswith("curators' background knowledge")
    page = render_html(graph_with_support())
    assert "not stated by the review (curator, reference title or hypothesis)" in page
    plain = graph_with_support()
    for *_, a in plain.edges(keys=True, data=True):
        for rec in a["evidence"]:
            rec["support"] = "review_text"
    assert "not stated by the review" not in render_html(plain)  # the legend shows only what is drawn


def test_support_filter_keeps_an_edge_with_any_chosen_record():
    g = graph_with_support()
    sub = select_subgraph(g, supports=["review_text"])
    assert set(sub.edges(keys=False)) == {("a", "b"), ("d", "e")}
    sub = select_subgraph(g, supports=["curator", "hypothesis"])
    assert set(sub.edges(keys=False)) == {("b", "c"), ("c", "d"), ("d", "e")}
    assert "a" not in sub  # left without edges


def test_path_steps_keep_their_sign_colour_and_carry_their_relation():
    g = graph_with_support()
    hl = [[("a", "b", "promotes"), ("b", "c", "inhibits")]]
    d = page_data(g, highlight=hl)
    steps = {(e["from"], e["to"]): e for e in d["links"] if e.get("hl")}
    assert set(steps) == {("a", "b"), ("b", "c")}
    assert steps["a", "b"]["sign"] == "+" and steps["a", "b"]["label"] == "promotes"
    assert steps["b", "c"]["sign"] == "-" and steps["b", "c"]["label"] == "inhibits"
    assert all("label" not in e for e in d["links"] if not e.get("hl"))  # on a path picture only the steps
    assert {e["id"] for e in d["edges"] if e.get("hl")} == {e for ln in steps.values() for e in ln["edges"]}
    js = open(layout.__file__.replace("layout.py", "assets/page.js"), encoding="utf-8").read()
    assert "S.highlight : (faded" not in js  # highlighted edges are no longer one colour


def two_way_graph() -> nx.MultiDiGraph:
    """d inhibits and targets t (one red line), p promotes and inhibits t (two lines), t binds d
    back (a line of its own the other way), and three more inhibitors of t."""
    g = nx.MultiDiGraph(axes={})
    for n, kind in [("d", "therapy"), ("p", "gene"), ("t", "gene"), ("x1", "therapy"), ("x2", "therapy"),
                    ("x3", "therapy")]:
        g.add_node(n, id=n, name=f"node {n}", kind=kind, synonyms=[], xrefs=[], axes=[])
    for u, rel, v in [("d", "inhibits", "t"), ("d", "targets", "t"), ("p", "promotes", "t"), ("p", "inhibits", "t"),
                      ("t", "binds", "d"), ("x1", "inhibits", "t"), ("x2", "inhibits", "t"), ("x3", "inhibits", "t")]:
        g.add_edge(u, v, key=rel, relation=rel, level="in_vitro", refs=["1"], evidence=ev("1", "in_vitro"))
    return g


def test_edges_between_two_nodes_share_a_line_unless_their_signs_disagree():
    d = page_data(two_way_graph(), centre="t")
    lines = {(ln["from"], ln["to"], ln["sign"]): ln for ln in d["links"]}
    rel = {e["id"]: e["relation"] for e in d["edges"]}
    assert sorted(rel[e] for e in lines["d", "t", "-"]["edges"]) == ["inhibits", "targets"]  # one red line
    assert lines["d", "t", "-"]["label"] == "inhibits / targets"  # signed relation first
    assert {k for k in lines if k[:2] == ("p", "t")} == {("p", "t", "+"), ("p", "t", "-")}  # they disagree: two
    assert lines["t", "d", "0"]["label"] == "binds"  # the other way is a line of its own
    assert len(d["links"]) == 7 and sum(len(ln["edges"]) for ln in d["links"]) == 8
    assert all(e["link"] in {ln["id"] for ln in d["links"]} for e in d["edges"])
    # a neighbourhood labels every line; lines touching the centre are routed first
    assert all(ln.get("label") and ln["prio"] == 2 for ln in d["links"])
    assert d["routed"] is True and d["style"]["bundleMin"] == 3


def test_a_neighbourhood_is_layered_and_hubs_pale_only_on_the_map(seed_graph):
    # drugs that act on a target and are members of a class that acts on it too: the class's
    # column is between them and the target, so their own lines pass it
    from tests.support.graphs import small_graph

    g = small_graph([("d1", "inhibits", "t", "in_vitro"), ("d2", "inhibits", "t", "in_vitro"),
                     ("cls", "inhibits", "t", "in_vitro"),
                     ("d1", "subtype_of", "cls", "expert_statement"), ("d2", "subtype_of", "cls", "expert_statement")],
                    {"d1": "therapy", "d2": "therapy", "cls": "therapy_class", "t": "gene"})
    sub = select_subgraph(g, around="t", depth=1)
    d = page_data(sub, centre="t")
    x = {n["id"]: n["x"] for n in d["nodes"]}
    assert all(x[m] < x["cls"] < x["t"] for m in ("d1", "d2"))
    assert not any(ln.get("hub") for ln in d["links"])
    whole = page_data(select_subgraph(seed_graph, kinds=MAP_KINDS))
    hubs = set(whole["hubs"])
    assert "peritoneal_metastasis" in hubs and all(
        bool(ln.get("hub")) == (ln["from"] in hubs or ln["to"] in hubs) for ln in whole["links"])
    assert not any(ln.get("label") for ln in whole["links"])  # the map has no relation labels


# --------------------------------------------------------------------------------------------
# views and the viz command
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def backend():
    from mechgraph.curation import graph_from_seeds

    return NetworkXBackend(graph_from_seeds(SEEDS))


def test_views_are_named_and_titled_by_names(backend, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    d = draw(backend, around="THBS2+ CAF")
    assert d.path.name == "mechgraph-around-thbs2_caf.html" and d.title == "around THBS2+ cancer-associated fibroblast"
    d = draw(backend, path=("THBS2+ CAF", "PD-1 antibody"))
    assert d.path.name == "mechgraph-path-thbs2_caf-pd1_antibody.html"
    answer = find_paths(backend.to_networkx(), "thbs2_caf", "pd1_antibody")
    assert d.title == path_title(answer) and "best path" not in d.title  # titled by the verdict of `path`
    d = draw(backend)
    on_map = sum(1 for _, a in backend.to_networkx().nodes(data=True)
                 if a.get("kind") not in ("publication", "clinical_trial"))
    assert d.path.name == "mechgraph-map.html" and d.nodes == on_map > 140  # no publications, no trials on the map
    kinds = {n["kind"] for n in data_of(d.path.read_text(encoding="utf-8"))["nodes"]}
    assert "publication" not in kinds and "clinical_trial" not in kinds
    with_pubs = draw(backend, tmp_path / "p.html", publications=True)
    pubs = sum(1 for _, a in backend.to_networkx().nodes(data=True) if a.get("kind") == "publication")
    assert with_pubs.nodes == on_map + pubs and pubs >= 46
    assert default_name("around", "a b/c") == "mechgraph-around-a_b_c.html"
    assert default_name("path", "a", "b", fmt="png") == "mechgraph-path-a-b.png"


def test_viz_path_searches_like_path(backend, tmp_path):
    from mechgraph.analysis.paths import find_paths

    for ends in (("THBS2+ CAF", "PD-1 antibody"), ("THBS2+ CAF", "peritoneal metastasis")):
        d = draw(backend, tmp_path / "p.html", path=ends)
        page = data_of(d.path.read_text(encoding="utf-8"))
        drawn = {(e["from"], e["to"], e["relation"]) for e in page["edges"] if e.get("hl")}
        ids = [backend.lookup(x)[0] for x in ends]
        answer = find_paths(backend.to_networkx(), *ids)
        # the meetings (or directed paths), and the efficacy modifier the verdict names
        expected = {(s.source, s.target, s.relation) for p in answer.paths + answer.associations[:1]
                    for s in p.steps}
        assert drawn == expected and expected
    # no directed path: an error that says so, never a silent undirected search
    with pytest.raises(MechGraphError,
                       match=r"no path from gastric cancer to THBS2\+ cancer-associated fibroblast within 6 steps"):
        draw(backend, tmp_path / "q.html", path=("gastric cancer", "thbs2_caf"))


def test_viz_defaults_match_path():
    path_opts = {p.name: p.default for p in cli.commands["path"].params}
    viz_opts = {p.name: p.default for p in cli.commands["viz"].params}
    assert viz_opts["k"] == path_opts["k"] == 5
    assert viz_opts["max_len"] == path_opts["max_len"] == 6
    assert viz_opts["output"] is None


def test_viz_command_default_output_and_support_option(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(["--seeds", str(SEEDS), "viz"])
    out, err = capsys.readouterr()
    assert code == 0 and re.match(r"wrote mechgraph-map\.html \(GCPM immunology mechanism map: 1[0-9][0-9] "
                                  r"nodes", out), out
    assert (tmp_path / "mechgraph-map.html").is_file()
    code = main(["--seeds", str(SEEDS), "viz", "--support", "review_text,gossip"])
    _, err = capsys.readouterr()
    assert code == 1 and "unknown support 'gossip'" in err and "review_text" in err


@pytest.mark.parametrize("source, target", [
    ("thbs2_caf", "pd1_antibody"), ("cd8_t_cell", "nivolumab"), ("nivolumab", "peritoneal_metastasis"),
    ("catumaxomab", "malignant_ascites"), ("caf", "cd8_t_cell"), ("thbs2_caf", "peritoneal_metastasis"),
])
def test_path_views_label_every_step(seed_graph, source, target):
    from mechgraph.analysis.paths import find_paths, path_ids

    answer = find_paths(seed_graph, source, target, k=5)
    hl = path_ids(answer.paths or answer.shared_outcomes)
    assert hl
    d = page_data(select_subgraph(seed_graph, paths=hl, path_context=0), highlight=hl)
    assert layout.overlapping_boxes(rects(d)) == []
    labelled = {(ln["from"], ln["to"]) for ln in d["links"] if ln.get("label")}
    assert labelled == {(u, v) for p in hl for u, v, _ in p}  # one label per step's line
    assert all(ln["prio"] == 3 for ln in d["links"] if ln.get("hl"))  # the steps are routed first


# --------------------------------------------------------------------------------------------
# titles that state the verdict of `path`
# --------------------------------------------------------------------------------------------


def _answer(mode: str, paths=(), shared=(), assoc=()) -> PathAnswer:
    return PathAnswer({"id": "a", "name": "entity A"}, {"id": "t", "name": "drug T"}, mode, list(paths), list(shared),
                      list(assoc), {"max_len": 6})


def _meeting(where: str, relation: str, sign: str = "-") -> SignedPath:
    nodes = [{"id": "a", "name": "entity A"}, {"id": where, "name": where}, {"id": "t", "name": "drug T"}]
    return SignedPath(nodes, [], sign, 0.5, 0.0, {"id": where, "name": where}, relation, {"from": 1, "to": 1})


def _path(sign: str) -> SignedPath:
    return SignedPath([{"id": "a", "name": "entity A"}, {"id": "t", "name": "drug T"}], [], sign, 0.5)


def test_path_titles_state_the_verdict():
    # a mechanism question is titled by the answer's own verdict, the line `path` prints
    for answer in (_answer("mechanism", [_meeting("CD8+ T cell", "against"), _meeting("IFN", "with")]),
                   _answer("mechanism", [_meeting("entity A", "effector")]),
                   _answer("mechanism", [_meeting("x", "with")], assoc=[_path("-")])):
        assert path_title(answer) == answer.verdict()
    t = path_title(_answer("mechanism", [_meeting("CD8+ T cell", "against"), _meeting("IFN", "with")]))
    assert "against" in t and "CD8+ T cell" in t and "best path" not in t
    assert "effector" in path_title(_answer("mechanism", [_meeting("entity A", "effector")]))
    assert "target" in path_title(_answer("mechanism", [_meeting("entity A", "target")]))
    shared = path_title(_answer("mechanism",
                                shared=[_meeting("poor survival", "against"), _meeting("metastasis", "with")]))
    assert shared.startswith("entity A and drug T: no mechanistic meeting point, only shared outcomes")
    assert "poor survival" in shared and "metastasis" in shared
    assoc = path_title(_answer("mechanism", assoc=[_path("-")]))
    assert "lowers the efficacy of drug T" in assoc
    assert path_title(_answer("mechanism")) == "entity A and drug T: no mechanistic meeting point"
    assert path_title(_answer("directed", [_path("+"), _path("+")])) == "entity A raises drug T (all 2 paths +)"
    assert path_title(_answer("directed", [_path("-")])) == "entity A lowers drug T (the only path -)"
    assert path_title(_answer("directed", [_path("-"), _path("+"), _path("+")])) == (
        "entity A lowers drug T by the best path; 3 paths: 2 raise, 1 lower")


def test_a_path_picture_never_claims_paths_that_path_does_not_find(backend, tmp_path):
    """`path "M2 macrophage" nivolumab` finds no mechanistic meeting point: the picture says so
    (and draws the shared outcomes it found), as the text answer does."""
    from mechgraph.cli.answers_text import path_text

    g = backend.to_networkx()
    answer = find_paths(g, "m2_tam", "nivolumab")
    text = path_text(answer.as_dict())
    d = draw(backend, tmp_path / "m2.html", path=("M2 macrophage", "nivolumab"))
    if not answer.paths:
        assert "no mechanistic meeting point" in text and "no mechanistic meeting point" in d.title
        assert "best path" not in d.title
    else:
        assert (answer.paths[0].meeting or {})["name"] in d.title
    page = data_of(d.path.read_text(encoding="utf-8"))
    assert d.title in d.path.read_text(encoding="utf-8") and page["dim"] is True
