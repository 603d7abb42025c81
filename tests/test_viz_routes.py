"""Pictures a researcher can put on a slide, measured in Debian's headless Chromium at 1600x1000.

From where the page drew them (vis-network's own node and label positions, the page's own
lines): lines that cross no node's symbol or label and no relation label (none in a path or
neighbourhood picture, fewer than 50 on the map), labels of at least 12 px, relation labels in
neighbourhoods, heads into a hub bundled; nodes that can be dragged (their lines routed again
where they land), a refit when the window changes size, and the SVG/PNG export (the page's
buttons and `viz --format svg|png`), read back by the formats' own readers.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from mechgraph.cli import main
from tests.support.cdp import Browser, PageRun, crossings, decode_png, label_boxes, non_white_fraction, overlapping

pytestmark = pytest.mark.browser

ROOT = Path(__file__).parents[1]
SEEDS = ROOT / "seeds"
WIDTH, HEIGHT = 1600, 1000
MIN_PX = 12.0  # every label on screen at the default zoom
MAP_CROSSINGS = 50  # the goal on the map (path and neighbourhood pictures: none)
SVG = "{http://www.w3.org/2000/svg}"

VIEWS = {
    "map": [],
    "map-by-cell": ["--group-by", "cell"],
    "around-thbs2": ["--around", "THBS2+ CAF", "--depth", "2"],
    "around-pd1": ["--around", "PD-1"],
    "path-thbs2-pd1ab": ["--path", "THBS2+ CAF", "PD-1 antibody"],
    "path-m2-nivolumab": ["--path", "M2 macrophage", "nivolumab"],
    "path-catumaxomab": ["--path", "catumaxomab", "malignant ascites"],
}


@pytest.fixture(scope="module")
def browser():
    if not shutil.which("chromium"):
        reason = "Debian's chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    b = Browser()
    yield b
    b.close()


def viz(tmp_path: Path, name: str, *args: str) -> Path:
    out = tmp_path / name
    assert main(["--seeds", str(SEEDS), "viz", *args, "-o", str(out)]) == 0
    return out


def load(browser: Browser, page: Path) -> PageRun:
    run = PageRun(browser, page, width=WIDTH, height=HEIGHT)
    assert run.errors == [], run.errors
    return run


@pytest.mark.parametrize("view", list(VIEWS))
def test_lines_go_round_nodes_and_labels_and_labels_are_readable(browser, tmp_path, view):
    run = load(browser, viz(tmp_path, f"{view}.html", *VIEWS[view]))
    try:
        crossed = crossings(run)
        boxes = label_boxes(run)
        nodes = run.eval("mechgraphNetwork.body.data.nodes.get().length")
        smallest = min(b["px"] for b in boxes)
        print(f"\n{view}: {len(crossed)} crossings, {len(boxes)} labels, smallest {smallest:.1f} px, "
              f"routed in {run.eval('window.__mechgraphRouteMs'):.0f} ms")
        if view.startswith("map"):
            assert len(crossed) < MAP_CROSSINGS, crossed[:10]
        else:
            assert crossed == [], crossed[:10]
        assert len([b for b in boxes if b["kind"] == "node"]) == nodes  # every node is labelled
        assert all(b["x0"] >= 0 and b["y0"] >= 0 and b["x1"] <= WIDTH and b["y1"] <= HEIGHT for b in boxes)
        assert smallest >= MIN_PX, sorted(boxes, key=lambda b: b["px"])[:3]
        assert overlapping(boxes) == []
        if view.startswith(("around", "path")):  # relation labels on the lines
            assert any(b["kind"] == "relation" for b in boxes)
        if view == "map":  # the hub's lines are pale, and bundled into few heads
            heads = heads_into(run, "peritoneal_metastasis")
            into = run.eval("JSON.parse(document.getElementById('mg-data').textContent).links"
                            ".filter(l => l.to === 'peritoneal_metastasis').length")
            print(f"map: {into} lines into peritoneal metastasis, {heads} heads")
            assert heads <= into / 2
    finally:
        run.close()


def heads_into(run: PageRun, node: str) -> int:
    """How many heads are drawn at the node: lines into it that end there, and bundles' trunks."""
    return run.eval("mechgraphLines().filter(l => l.to === " + json.dumps(node) + " && l.head).length")


def _busiest_target(min_edges: int = 10) -> tuple[str, str]:
    """The (id, name) of the seed entity with the most edges into it, when it has at least
    `min_edges`: the neighbourhood where heads would pile up."""
    from mechgraph.curation import graph_from_seeds

    g = graph_from_seeds(SEEDS)
    node, n = max(((v, g.in_degree(v)) for v in g.nodes
                   if g.nodes[v].get("kind") not in ("publication", "clinical_trial")),
                  key=lambda x: (x[1], x[0]))
    if n < min_edges:
        pytest.skip(f"no seed entity has {min_edges} edges into it")
    return node, str(g.nodes[node]["name"])


def test_neighbourhood_lines_carry_their_relation_and_heads_do_not_pile_up(browser, tmp_path):
    hub, name = _busiest_target()
    run = load(browser, viz(tmp_path, "hub.html", "--around", name))
    try:
        data = json.loads(run.eval("document.getElementById('mg-data').textContent"))
        lines = {ln["id"]: ln for ln in json.loads(run.eval("JSON.stringify(mechgraphLines())"))}
        labelled = {s["id"] for s in json.loads(run.eval("JSON.stringify(mechgraphRelationLabels())"))}
        trunk_of = {m: t for t, ln in lines.items() for m in ln.get("trunk") or []}
        touching = [ln for ln in data["links"] if hub in (ln["from"], ln["to"])]
        unlabelled = [ln["id"] for ln in touching if ln["id"] not in labelled
                      and trunk_of.get(ln["id"]) not in labelled]
        assert unlabelled == []  # every line at the centre says its relation (on it, or on its bundle's trunk)
        into = [ln for ln in data["links"] if ln["to"] == hub]
        heads = heads_into(run, hub)
        print(f"\naround {name}: {len(into)} lines into it ({sum(len(ln['edges']) for ln in into)} edges), {heads} "
              "heads")
        n_edges = sum(len(ln["edges"]) for ln in into)
        assert n_edges >= 10 and heads <= max(6, -(-n_edges // 3))  # bundles: at most one head per three edges
    finally:
        run.close()


def test_a_dragged_node_moves_and_its_lines_follow(browser, tmp_path):
    run = load(browser, viz(tmp_path, "drag.html", "--around", "PD-1"))
    try:
        start = run.eval("JSON.stringify(mechgraphNetwork.canvasToDOM("
                         "mechgraphNetwork.getPositions(['pd1_antibody']).pd1_antibody))")
        x, y = json.loads(start)["x"], json.loads(start)["y"]
        before = run.eval("mechgraphNetwork.getPositions(['pd1_antibody']).pd1_antibody")
        mouse(run, "mousePressed", x, y, buttons=1)
        for k in range(1, 11):
            mouse(run, "mouseMoved", x + 12 * k, y + 9 * k, buttons=1)
            time.sleep(0.03)
        mouse(run, "mouseReleased", x + 120, y + 90)
        time.sleep(0.5)
        after = run.eval("mechgraphNetwork.getPositions(['pd1_antibody']).pd1_antibody")
        scale = run.eval("mechgraphNetwork.getScale()")
        assert after["x"] - before["x"] == pytest.approx(120 / scale, abs=3)
        assert after["y"] - before["y"] == pytest.approx(90 / scale, abs=3)
        # its lines were routed again from where it landed, and still cross nothing
        ends = json.loads(run.eval("JSON.stringify(mechgraphLines().filter(l => l.from === 'pd1_antibody')"
                                   ".map(l => l.points[0]))"))
        size = run.eval("mechgraphNetwork.body.nodes.pd1_antibody.options.size")
        assert ends and all(abs(((p[0] - after["x"]) ** 2 + (p[1] - after["y"]) ** 2) ** 0.5 - size) < 6 for p in ends)
        assert crossings(run) == []
    finally:
        run.close()


def mouse(run: PageRun, kind: str, x: float, y: float, buttons: int = 0) -> None:
    run.cmd("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "buttons": buttons,
                                         "clickCount": 1})


def test_a_resize_refits_the_whole_drawing(browser, tmp_path):
    run = load(browser, viz(tmp_path, "map.html"))
    try:
        for w, h in ((1000, 700), (1900, 1100), (1600, 1000)):
            run.cmd("Emulation.setDeviceMetricsOverride",
                    {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": False})
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                time.sleep(0.2)
                if run.eval("mechgraphNetwork.canvas.frame.canvas.clientWidth") == w and inside(run, w, h):
                    break
            assert inside(run, w, h), (w, h)
    finally:
        run.close()


def inside(run: PageRun, w: int, h: int) -> bool:
    """Whether the whole drawing (nodes, labels, frames, lines) lies inside a w x h window."""
    b = json.loads(run.eval("JSON.stringify((() => { const e = mechgraphExtent(), n = mechgraphNetwork;"
                            " return [n.canvasToDOM({x: e.x0, y: e.y0}), n.canvasToDOM({x: e.x1, y: e.y1})]; })())"))
    return b[0]["x"] >= -0.5 and b[0]["y"] >= -0.5 and b[1]["x"] <= w + 0.5 and b[1]["y"] <= h + 0.5


def test_the_export_buttons_save_svg_and_png(browser, tmp_path):
    run = load(browser, viz(tmp_path, "path.html", "--path", "THBS2+ CAF", "PD-1 antibody"))
    try:
        # catch what the buttons hand to the browser's download: the anchor and the SVG blob itself
        run.eval("window.__saved = []; window.__blobs = []; HTMLAnchorElement.prototype.click = function () {"
                 " window.__saved.push({href: this.href, name: this.download}); };"
                 " const make = URL.createObjectURL; URL.createObjectURL = function (b) { window.__blobs.push(b);"
                 " return make.call(URL, b); }; true")
        run.eval("document.getElementById('mg-svg').click(); document.getElementById('mg-png').click(); true")
        saved = run.eval("window.__saved")
        assert [s["name"].rsplit(".", 1)[1] for s in saved] == ["svg", "png"]
        assert saved[0]["href"].startswith("blob:") and run.eval("window.__blobs[0].type") == "image/svg+xml"
        svg_text = run.cmd("Runtime.evaluate", {"expression": "window.__blobs[0].text()", "awaitPromise": True,
                                                "returnByValue": True})["result"]["value"]
        check_svg(svg_text.encode("utf-8"), run)
        assert saved[1]["href"].startswith("data:image/png;base64,")
        check_png(base64.b64decode(saved[1]["href"].split(",", 1)[1]))
    finally:
        run.close()


def node_label_lines(run: PageRun) -> set[str]:
    return {line for lb in run.eval("mechgraphNetwork.body.data.nodes.get().map(n => n.label)")
            for line in lb.split("\n")}


def check_svg(data: bytes, run: PageRun | None = None, lines: set[str] | None = None) -> ET.Element:
    root = ET.fromstring(data)
    assert root.tag == SVG + "svg" and float(root.get("width")) > 300 and float(root.get("height")) > 200
    texts = {t.text for t in root.iter(SVG + "text")}
    wanted = lines if lines is not None else node_label_lines(run)
    assert wanted and wanted <= texts  # every node's label, line by line
    assert len(list(root.iter(SVG + "path"))) > 10  # the symbols, lines and heads
    return root


def check_png(data: bytes) -> tuple[int, int]:
    w, h, _, _ = decode_png(data)
    assert w > 600 and h > 300
    assert non_white_fraction(data) > 0.01
    return w, h


def test_viz_writes_the_same_drawing_as_svg_and_png(browser, tmp_path, capsys):
    svg = viz(tmp_path, "pd1.svg", "--around", "PD-1")
    png = tmp_path / "pd1.png"
    assert main(["--seeds", str(SEEDS), "viz", "--around", "PD-1", "--format", "png", "-o", str(png)]) == 0
    out = capsys.readouterr().out
    assert f"wrote {png} (around PD-1:" in out
    page = viz(tmp_path, "pd1.html", "--around", "PD-1")
    run = load(browser, page)
    try:
        lines = node_label_lines(run)
        relations = {s["text"] for s in json.loads(run.eval("JSON.stringify(mechgraphRelationLabels())"))}
    finally:
        run.close()
    root = check_svg(svg.read_bytes(), lines=lines)
    texts = {t.text for t in root.iter(SVG + "text")}
    assert relations and relations <= texts and "around PD-1" in texts  # relation labels and the title
    w, h = check_png(png.read_bytes())
    # the PNG is the SVG's drawing at twice its size
    assert w == pytest.approx(2 * float(root.get("width")),
                              abs=2) and h == pytest.approx(2 * float(root.get("height")), abs=2)


def test_hostile_names_stay_text_in_the_svg(browser, tmp_path):
    from mechgraph.viz import write_picture

    g = nx.MultiDiGraph(axes={})
    hostile = ['</text><script>alert(1)</script>', '"><svg onload=alert(2)>', "a & b < c"]
    for i, name in enumerate(hostile):
        g.add_node(f"n{i}", id=f"n{i}", name=name, kind="gene", synonyms=[], xrefs=[], axes=[])
    g.add_edge("n0", "n1", key="promotes", relation="promotes", sign="+", evidence=[], refs=[], level="in_vitro")
    g.add_edge("n1", "n2", key="inhibits", relation="inhibits", sign="-", evidence=[], refs=[], level="in_vitro")
    out = write_picture(g, tmp_path / "hostile.svg", "svg", title=hostile[0])
    root = ET.fromstring(out.read_bytes())
    assert not list(root.iter(SVG + "script")) and not any(el.get("onload") for el in root.iter())
    texts = "".join(t.text or "" for t in root.iter(SVG + "text")).replace(" ", "")
    assert all(name.replace(" ", "") in texts for name in hostile)


def test_png_without_chromium_is_one_line_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MECHGRAPH_CHROMIUM", "")
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium anywhere
    code = main(["--seeds", str(SEEDS), "viz", "--around", "PD-1", "-o", str(tmp_path / "x.png")])
    err = capsys.readouterr().err
    assert code != 0 and err.startswith("error: ") and "chromium" in err.lower() and err.count("\n") == 1
    assert not (tmp_path / "x.png").exists()


def test_a_large_picture_exports_its_edges_too(browser, tmp_path):
    """Above 300 nodes vis-network draws the edges itself (no routing); the export draws them too."""
    from mechgraph.viz import write_picture

    g = nx.MultiDiGraph(axes={})
    for i in range(320):
        g.add_node(f"n{i}", id=f"n{i}", name=f"n{i}", kind="gene", synonyms=[], xrefs=[], axes=[])
    for i in range(1, 320):
        g.add_edge(f"n{i // 2}", f"n{i}", key="promotes", relation="promotes", sign="+", evidence=[], refs=[],
                   level="in_vitro")
    root = ET.fromstring(write_picture(g, tmp_path / "large.svg", "svg", title="large").read_bytes())
    green = [p for p in root.iter(SVG + "path") if {p.get("stroke"), p.get("fill")} & {"#2b9348", "rgb(43,147,72)"}]
    assert len(green) >= 319  # every edge's line (and its head)
