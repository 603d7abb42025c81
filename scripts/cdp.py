"""The browser tests' and scripts/screenshots.py's view of Debian's headless Chromium.

The Chrome DevTools Protocol client itself lives in the package (`mechgraph.viz.browser`: `viz
--format png|svg` drives the same browser); this module re-exports it and adds what only the
checks need: a stdlib PNG decoder for "is anything drawn", and the measurements of a drawn
picture (lines crossing nodes and labels, label sizes).
"""

from __future__ import annotations

import struct
import zlib

from mechgraph.viz.browser import CHROMIUM_FLAGS, HEIGHT, WIDTH, Browser, CDPError, PageRun, find_chromium

__all__ = ["CHROMIUM_FLAGS", "HEIGHT", "WIDTH", "Browser", "CDPError", "PageRun", "decode_png", "find_chromium",
           "non_white_fraction"]

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


