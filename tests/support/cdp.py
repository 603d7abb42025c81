"""The browser tests' and the screenshots' (`tests.support.screenshots`) view of Debian's headless Chromium.

The Chrome DevTools Protocol client itself lives in the package (`mechgraph.viz.browser`: `viz
--format png|svg` drives the same browser); this module re-exports it and adds what only the
checks need: a stdlib PNG decoder for "is anything drawn", and the measurements of a drawn
picture (lines crossing nodes and labels, label sizes).
"""

from __future__ import annotations

import json
import struct
import zlib

from mechgraph.viz.browser import CHROMIUM_FLAGS, HEIGHT, WIDTH, Browser, CDPError, PageRun, find_chromium

__all__ = ["CHROMIUM_FLAGS", "CROSSINGS_JS", "HEIGHT", "WIDTH", "Browser", "CDPError", "PageRun", "crossings",
           "decode_png", "find_chromium", "label_boxes", "non_white_fraction", "overlapping"]

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




# --------------------------------------------------------------------------------------------
# Measuring a drawn picture (tests/test_viz_browser.py, tests/test_viz_routes.py, tests/support/screenshots.py)
# --------------------------------------------------------------------------------------------

# Every drawn line (the points the page draws it through) against every node's symbol (the
# square vis-network draws it in) and label box (as vis-network laid it out), every group title
# and every relation label drawn on the picture: a line crosses an obstacle when one of its points falls inside it
# by more than half a unit. A line's own two symbols and its own label are not obstacles to it;
# its own nodes' labels are.
CROSSINGS_JS = r"""
(() => {
  const net = mechgraphNetwork, body = net.body, obst = [];
  for (const id of body.nodeIndices) {
    const n = body.nodes[id], r = n.options.size || 10;
    obst.push({id, what: 'symbol', b: [n.x - r, n.y - r, n.x + r, n.y + r]});
    const s = n.labelModule && n.labelModule.size;
    if (s && s.width) obst.push({id, what: 'label', b: [s.left, s.top, s.left + s.width, s.top + s.height]});
  }
  mechgraphFrameTitles().forEach((b, i) => obst.push({id: 'title:' + i, what: 'group title', b}));
  const probe = document.createElement('canvas').getContext('2d');
  for (const s of mechgraphRelationLabels()) {
    probe.font = s.font;
    const w = probe.measureText(s.text).width, h = s.px;
    obst.push({id: 'label:' + s.id, what: 'relation', b: [s.x - w / 2, s.y - h / 2, s.x + w / 2, s.y + h / 2]});
  }
  const out = [];
  for (const line of mechgraphLines()) {
    const mine = new Set(['label:' + line.id]);
    for (const o of obst) {
      if ((o.what === 'symbol' && (o.id === line.from || o.id === line.to)) || mine.has(o.id)) continue;
      const [x0, y0, x1, y1] = o.b;
      if (line.points.some(p => p[0] > x0 + 0.5 && p[0] < x1 - 0.5 && p[1] > y0 + 0.5 && p[1] < y1 - 0.5)) {
        out.push({line: line.id, from: line.from, to: line.to, over: o.id, what: o.what});
      }
    }
  }
  return JSON.stringify(out);
})()
"""


def crossings(run: PageRun) -> list[dict]:
    """Each (line, obstacle) pair where a drawn line crosses a node's symbol or label, or a relation label."""
    return json.loads(run.eval(CROSSINGS_JS))


def label_boxes(run: PageRun) -> list[dict]:
    """Every label drawn (node, relation, group title), in window pixels, with its font size on screen."""
    return json.loads(run.eval("JSON.stringify(mechgraphLabelBoxes())"))


def overlapping(boxes: list[dict]) -> list[tuple[dict, dict]]:
    """Pairs of label boxes that overlap by more than half a pixel each way."""
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if (a["x0"] < b["x1"] - 0.5 and b["x0"] < a["x1"] - 0.5 and a["y0"] < b["y1"] - 0.5
                and b["y0"] < a["y1"] - 0.5):
                out.append((a, b))
    return out
