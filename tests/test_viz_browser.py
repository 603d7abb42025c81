"""Pathway pictures in a real browser: Debian's headless chromium driven over the Chrome DevTools
Protocol on a pipe (`--remote-debugging-pipe`), so no Python package beyond the stdlib is needed.

Each page is checked for: a drawn network canvas (non-blank screenshot), no request to any other
host, no JavaScript error, and that hostile names run nothing. Without chromium these tests skip
with the reason, or fail when CI=true.
"""

from __future__ import annotations

import base64
import json
import os
import queue
import random
import shutil
import struct
import subprocess
import tempfile
import threading
import time
import zlib
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from mechgraph.curation import load_graph
from mechgraph.viz import select_subgraph, write_html

pytestmark = pytest.mark.browser

ROOT = Path(__file__).parents[1]
SEEDS = ROOT / "seeds"
WIDTH, HEIGHT = 1400, 900
LARGE_BUDGET_S = 20.0  # time-to-drawn budget for the 5,000-node page (typically 2-4 s on 2 cores)

HOSTILE_IMG = "<img src=x onerror=alert(1)>"
HOSTILE_SCRIPT = "</script><script>window.__pwned=1</script>"

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--mute-audio",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    f"--window-size={WIDTH},{HEIGHT}",
]


# --------------------------------------------------------------------------------------------
# A tiny CDP client over chromium's debugging pipe (fd 3: commands in, fd 4: replies out)
# --------------------------------------------------------------------------------------------


class CDPError(RuntimeError):
    pass


class Browser:
    def __init__(self, exe: str):
        self.profile = tempfile.mkdtemp(prefix="mechgraph-chromium-")
        cmd_r, self._cmd_w = os.pipe()  # we write commands, chromium reads fd 3
        self._resp_r, resp_w = os.pipe()  # chromium writes fd 4, we read

        def child_fds() -> None:  # runs in the child before exec
            import fcntl

            a = fcntl.fcntl(cmd_r, fcntl.F_DUPFD, 100)
            b = fcntl.fcntl(resp_w, fcntl.F_DUPFD, 100)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [exe, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,
            preexec_fn=child_fds,  # noqa: PLW1509 - single-threaded at this point
        )
        os.close(cmd_r)
        os.close(resp_w)
        self._next_id = 0
        self._inbox: queue.Queue[dict | None] = queue.Queue()
        self._pending: list[dict] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.call("Browser.getVersion", timeout=30)

    def _read(self) -> None:
        buf = b""
        while True:
            try:
                chunk = os.read(self._resp_r, 1 << 20)
            except OSError:
                chunk = b""
            if not chunk:
                self._inbox.put(None)
                return
            buf += chunk
            while b"\0" in buf:
                msg, buf = buf.split(b"\0", 1)
                self._inbox.put(json.loads(msg))

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self._next_id += 1
        msg: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._cmd_w, json.dumps(msg).encode() + b"\0")
        return self._next_id

    def _get(self, timeout: float) -> dict | None:
        msg = self._inbox.get(timeout=timeout)
        if msg is None:
            raise CDPError("chromium closed the debugging pipe")
        return msg

    def call(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30) -> dict:
        mid = self.send(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CDPError(f"{method}: no reply in {timeout}s")
            try:
                msg = self._get(left)
            except queue.Empty:
                continue
            if msg.get("id") == mid:
                if "error" in msg:
                    raise CDPError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self._pending.append(msg)

    def events(self, timeout: float = 0.0) -> list[dict]:
        """Events received so far (and any arriving within `timeout`)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                msg = self._get(max(0.0, deadline - time.monotonic()) or 0.01)
            except queue.Empty:
                break
            if "method" in msg:
                self._pending.append(msg)
        out, self._pending = self._pending, []
        return out

    def close(self) -> None:
        try:
            self.send("Browser.close")
            self.proc.wait(timeout=10)
        except Exception:  # noqa: BLE001
            self.proc.kill()
            self.proc.wait(timeout=10)
        for fd in (self._cmd_w, self._resp_r):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)


class PageRun:
    """One page load in a fresh tab, with everything CDP reported while it loaded."""

    def __init__(self, browser: Browser, path: Path, timeout: float = 60):
        self.b = browser
        self.url = path.resolve().as_uri()
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.target = target
        self.session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.cmd(f"{domain}.enable")
        self.cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
        )
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        start = time.monotonic()
        self.cmd("Page.navigate", {"url": self.url})
        while True:
            self._collect(0.1)
            ready = self.eval("document.body !== null && document.body.getAttribute('data-ready') === '1'")
            if ready:
                break
            if time.monotonic() - start > timeout or (self.errors and time.monotonic() - start > 3):
                raise AssertionError(f"page not drawn; errors: {self.errors}")
        self.seconds = time.monotonic() - start
        self.info = self.eval("JSON.stringify(window.__mechgraph || null)")
        self.info = json.loads(self.info) if self.info else None
        self._collect(0.3)

    def cmd(self, method: str, params: dict | None = None, timeout: float = 60) -> dict:
        return self.b.call(method, params, self.session, timeout=timeout)

    def eval(self, expr: str) -> Any:
        r = self.cmd("Runtime.evaluate", {"expression": expr, "returnByValue": True})
        if "exceptionDetails" in r:
            raise AssertionError(f"evaluating {expr!r} failed: {r['exceptionDetails']}")
        return r["result"].get("value")

    def _collect(self, timeout: float) -> None:
        for ev in self.b.events(timeout):
            if ev.get("sessionId") != self.session:
                continue
            m, p = ev["method"], ev.get("params", {})
            if m == "Network.requestWillBeSent":
                self.requests.append(p["request"]["url"])
            elif m == "Runtime.exceptionThrown":
                d = p["exceptionDetails"]
                self.errors.append(f"exception: {d.get('exception', {}).get('description') or d.get('text')}")
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                self.errors.append("console: " + " ".join(str(a.get("value", a.get("description"))) for a in p["args"]))
            elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
                self.errors.append(f"log: {p['entry'].get('text')}")
            elif m == "Page.javascriptDialogOpening":
                self.dialogs.append(p.get("message", ""))
                self.b.send("Page.handleJavaScriptDialog", {"accept": False}, self.session)

    def screenshot(self, clip: dict | None = None) -> bytes:
        params: dict[str, Any] = {"format": "png", "captureBeyondViewport": False}
        if clip:
            params["clip"] = clip
        return base64.b64decode(self.cmd("Page.captureScreenshot", params)["data"])

    def close(self) -> None:
        self._collect(0.05)
        self.b.call("Target.closeTarget", {"targetId": self.target})


# --------------------------------------------------------------------------------------------
# PNG decoding (stdlib only) for the "is anything drawn" check
# --------------------------------------------------------------------------------------------


def decode_png(data: bytes) -> tuple[int, int, int, list[bytearray]]:
    """(width, height, channels, rows) of an 8-bit RGB/RGBA non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    width = height = channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0 and ctype in (2, 6), (depth, ctype, interlace)
            channels = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytearray] = []
    prev = bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        if f == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 255
        elif f == 2:
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 255
        elif f == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = prev[i]
                c = prev[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 255
        rows.append(line)
        prev = line
    return width, height, channels, rows


def non_white_fraction(png: bytes) -> float:
    w, h, ch, rows = decode_png(png)
    count = 0
    for line in rows:
        for x in range(w):
            i = x * ch
            if line[i] < 235 or line[i + 1] < 235 or line[i + 2] < 235:
                count += 1
    return count / (w * h)


# the middle of the canvas: clear of the title/search box (top left), legend (bottom left)
CANVAS_CLIP = {"x": 420, "y": 120, "width": 960, "height": 660, "scale": 0.25}


# --------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> str:
    exe = shutil.which("chromium")
    if not exe:
        reason = "Debian's chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return exe


@pytest.fixture(scope="module")
def browser(chromium: str):
    b = Browser(chromium)
    yield b
    b.close()


@pytest.fixture(scope="module")
def seed_graph() -> nx.MultiDiGraph:
    return load_graph(SEEDS)


PATH = [
    ("thbs2_caf", "spp1_tam", "polarizes"),
    ("spp1_tam", "immunosuppressive_tme", "promotes"),
    ("immunosuppressive_tme", "icb", "inhibits"),
]


def hostile_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(axes={})
    g.add_node("a", id="a", name=HOSTILE_IMG, kind="gene", synonyms=[HOSTILE_SCRIPT], xrefs=["X:<b>1</b>"],
               description="<svg onload=alert(2)>", name_zh="<i>中</i>", axes=[])
    g.add_node("b", id="b", name=HOSTILE_SCRIPT, kind="cytokine", synonyms=[], xrefs=[], axes=[])
    g.add_node("c", id="c", name="plain node", kind="process", synonyms=[], xrefs=[], axes=[])
    ev = [{"ref": "<1>", "doi": "10.1/x\"><script>window.__pwned=2</script>", "species": "cell_line",
           "level": "in_vitro", "summary": "</script><img src=y onerror=alert(3)>"}]
    g.add_edge("a", "b", key="promotes", relation="promotes", sign="+", evidence=ev, refs=["<1>"], level="in_vitro")
    g.add_edge("b", "c", key="inhibits", relation="inhibits", sign="-", evidence=ev, refs=["<1>"], level="in_vitro")
    return g


def large_graph(n: int = 5000, m: int = 7500) -> nx.MultiDiGraph:
    rnd = random.Random(5)
    kinds = ["gene", "cytokine", "cell_type", "process", "therapy", "phenotype"]
    rels = [("promotes", "+"), ("inhibits", "-"), ("binds", "0")]
    g = nx.MultiDiGraph(axes={})
    for i in range(n):
        g.add_node(f"n{i}", id=f"n{i}", name=f"node {i}", kind=kinds[i % len(kinds)], synonyms=[], xrefs=[], axes=[])
    for i in range(1, n):  # a random tree keeps it connected, then random extra edges
        j = rnd.randrange(max(0, i - 50), i)
        r, s = rels[i % 3]
        g.add_edge(f"n{j}", f"n{i}", key=r, relation=r, sign=s, evidence=[], refs=[], level="in_vitro")
    count = n - 1
    while count < m:  # (number_of_edges() is O(nodes) on a MultiDiGraph: count instead)
        a, b = rnd.randrange(n), rnd.randrange(n)
        r, s = rels[rnd.randrange(3)]
        if a != b and not g.has_edge(f"n{a}", f"n{b}", key=r):
            g.add_edge(f"n{a}", f"n{b}", key=r, relation=r, sign=s, evidence=[], refs=[], level="observational_human")
            count += 1
    return g


def check_page(run: PageRun) -> None:
    """The checks every page must pass: drawn, offline, no JS error, no dialog."""
    assert run.errors == [], run.errors
    assert run.dialogs == [], run.dialogs
    foreign = [u for u in run.requests if u != run.url and not u.startswith("data:")]
    assert foreign == [], f"requests to other places: {foreign}"
    resources = json.loads(run.eval("JSON.stringify(performance.getEntriesByType('resource').map(e => e.name))"))
    assert [u for u in resources if not u.startswith(("file:", "data:"))] == []
    assert run.eval("document.querySelectorAll('canvas').length") >= 1
    frac = non_white_fraction(run.screenshot(CANVAS_CLIP))
    assert frac > 0.01, f"network canvas looks blank ({frac:.4f} non-white)"


def load(browser: Browser, path: Path, timeout: float = 60) -> PageRun:
    run = PageRun(browser, path, timeout=timeout)
    return run


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------


def test_seed_graph_page(browser, seed_graph, tmp_path):
    t = time.perf_counter()
    path = write_html(seed_graph, tmp_path / "all.html", title="GCPM mechanism graph")
    print(f"\nseed graph: render_html+write {time.perf_counter() - t:.2f}s, {path.stat().st_size // 1024} KB")
    run = load(browser, path)
    try:
        check_page(run)
        print(f"seed graph: drawn (physics settled) in {run.seconds:.2f}s; page info {run.info}")
        assert run.info["nodes"] == seed_graph.number_of_nodes()
        # search finds by name, synonym and Chinese name, case-insensitively
        assert "thbs2_caf" in run.eval("mechgraphSearch('thbs2+ CAF')")
        zh = seed_graph.nodes["thbs2_caf"].get("name_zh")
        if zh:
            assert "thbs2_caf" in run.eval(f"mechgraphSearch({json.dumps(zh[:6])})")
        # typing in the box lists the node; Enter focuses and selects it and opens the details
        run.eval(
            "(() => { const i = document.getElementById('mg-search'); i.value = 'thbs2+ cancer';"
            " i.dispatchEvent(new Event('input')); return true; })()"
        )
        assert run.eval("document.querySelector('#mg-results li').getAttribute('data-id')") == "thbs2_caf"
        run.eval(
            "document.getElementById('mg-search').dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'}))"
        )
        assert run.eval("mechgraphNetwork.getSelectedNodes()[0]") == "thbs2_caf"
        assert "THBS2+" in run.eval("document.getElementById('mg-details').textContent")
        run._collect(0.5)
        assert run.errors == []
    finally:
        run.close()


def test_neighbourhood_and_path_pages(browser, seed_graph, tmp_path):
    sub = select_subgraph(seed_graph, around="thbs2_caf", depth=2)
    run = load(browser, write_html(sub, tmp_path / "around.html", title="around thbs2_caf"))
    try:
        check_page(run)
    finally:
        run.close()
    sub = select_subgraph(seed_graph, paths=[PATH], path_context=1)
    run = load(browser, write_html(sub, tmp_path / "path.html", title="path", highlight=[PATH]))
    try:
        check_page(run)
        # the highlighted edges carry their relation label and the edge tooltip/detail works
        eid = run.eval(
            "mechgraphNetwork.body.data.edges.get().filter(e => e.from === 'spp1_tam' && e.to === "
            "'immunosuppressive_tme')[0].id"
        )
        assert eid
    finally:
        run.close()


def test_hostile_names_run_nothing(browser, tmp_path):
    path = write_html(hostile_graph(), tmp_path / "hostile.html", title=HOSTILE_SCRIPT)
    run = load(browser, path)
    try:
        check_page(run)
        assert run.eval("window.__pwned === undefined") is True
        assert run.eval("document.title") == HOSTILE_SCRIPT
        assert run.eval("document.querySelectorAll('img, #mg-details script, #mg-tooltip *').length") == 0
        # the names are there literally, as text: in the data, the search list and the details panel
        labels = run.eval("mechgraphNetwork.body.data.nodes.get().map(n => n.label)")
        assert HOSTILE_IMG in labels  # long labels are shortened on the canvas:
        assert any(lb.startswith(HOSTILE_SCRIPT[:25]) and lb.endswith("\u2026") for lb in labels), labels
        run.eval(
            "(() => { const i = document.getElementById('mg-search'); i.value = 'onerror';"
            " i.dispatchEvent(new Event('input')); return true; })()"
        )
        assert HOSTILE_IMG in run.eval("document.getElementById('mg-results').textContent")
        run.eval("mechgraphFocus('a')")
        details = run.eval("document.getElementById('mg-details-body').textContent")
        assert HOSTILE_IMG in details and "<svg onload=alert(2)>" in details
        assert run.eval("document.querySelectorAll('#mg-details-body img, #mg-details-body svg').length") == 0
        # edge details: the evidence summary is text, the DOI link stays on doi.org
        eid = run.eval("mechgraphNetwork.body.data.edges.get()[0].id")
        run.eval(f"mechgraphNetwork.selectEdges([{json.dumps(eid)}]); true")
        run.eval(
            "(() => { const n = mechgraphNetwork; const e = n.body.edges[" + json.dumps(eid) + "];"
            " n.body.emitter.emit('click', {nodes: [], edges: [" + json.dumps(eid) + "],"
            " pointer: {DOM: {x: 0, y: 0}, canvas: {x: 0, y: 0}}}); return !!e; })()"
        )
        hrefs = run.eval("[...document.querySelectorAll('#mg-details-body a')].map(a => a.href)")
        assert hrefs and all(h.startswith("https://doi.org/") for h in hrefs), hrefs
        assert "</script><img src=y onerror=alert(3)>" in run.eval(
            "document.getElementById('mg-details-body').textContent"
        )
        run._collect(0.5)
        assert run.eval("window.__pwned === undefined") is True
        assert run.dialogs == [] and run.errors == []
    finally:
        run.close()


def test_large_graph_draws_in_time(browser, tmp_path):
    g = large_graph()
    t = time.perf_counter()
    path = write_html(g, tmp_path / "large.html", title="5000 nodes")
    py_s = time.perf_counter() - t
    run = load(browser, path, timeout=LARGE_BUDGET_S * 2)
    try:
        print(
            f"\n5,000 nodes / {g.number_of_edges()} edges: render_html {py_s:.2f}s, "
            f"{path.stat().st_size // 1024} KB; browser time-to-drawn {run.seconds:.2f}s "
            f"(in-page: {run.info['drawnAt'] / 1000:.2f}s after navigation start)"
        )
        check_page(run)
        assert run.seconds < LARGE_BUDGET_S
    finally:
        run.close()
