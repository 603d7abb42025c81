"""Regenerate the README's pictures (docs/img/*.png) from the program, and measure their labels.

    python -m tests.support.screenshots [--out docs/img] [--seeds seeds]     (from the checkout's root)

Each view is written by the `mechgraph viz` command exactly as a user runs it, opened in Debian's
headless Chromium at 1600x1000, and saved as a PNG (a screenshot of the page, as a person sees it):

    gcpm-map.png                 mechgraph viz                         (the map `build` writes too)
    graph-around-thbs2_caf.png   mechgraph viz --around "THBS2+ CAF" --depth 2
    graph-around-pd1.png         mechgraph viz --around PD-1
    graph-path.png               mechgraph viz --path "THBS2+ CAF" "PD-1 antibody"

For each it prints how many labels were drawn, how many pairs of them overlap, the smallest
label on screen, and how many times a line crosses a node's symbol or label or a relation label
(all measured where the page drew them, in window pixels); it exits 1 if labels overlap, a label
is under 12 px, or lines cross anything in a neighbourhood or path picture (50 or more on the map).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shlex
import sys
import tempfile
from pathlib import Path

from .cdp import HEIGHT, WIDTH, Browser, PageRun, crossings, label_boxes, overlapping
from .checkout import ROOT

VIEWS = [
    ("gcpm-map.png", []),
    ("graph-around-thbs2_caf.png", ["--around", "THBS2+ CAF", "--depth", "2"]),
    ("graph-around-pd1.png", ["--around", "PD-1"]),
    ("graph-path.png", ["--path", "THBS2+ CAF", "PD-1 antibody"]),
]
MIN_PX = 12.0
MAP_CROSSINGS = 50


def visible(box: dict) -> bool:
    return box["x1"] > 0 and box["y1"] > 0 and box["x0"] < WIDTH and box["y0"] < HEIGHT


def _shown(path: Path) -> str:
    """A path as the person running the script would type it: relative to the current folder."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    from mechgraph.cli import main as mechgraph

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "img"), help="folder for the PNGs")
    ap.add_argument("--seeds", default=None, help="seed folder (default: the installed seeds)")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    seeds = ["--seeds", args.seeds] if args.seeds else []
    failed = False
    browser = Browser(args.chromium)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for png, view in VIEWS:
                page = Path(tmp) / (Path(png).stem + ".html")
                with contextlib.redirect_stdout(io.StringIO()):  # its "wrote ..." line names a temporary file
                    code = mechgraph([*seeds, "viz", *view, "-o", str(page)])
                if code != 0:
                    return 2
                run = PageRun(browser, page, width=WIDTH, height=HEIGHT)
                try:
                    if run.errors:
                        print(f"{png}: page errors: {run.errors}", file=sys.stderr)
                        failed = True
                    boxes = [b for b in label_boxes(run) if visible(b)]
                    pairs = overlapping(boxes)
                    smallest = min((b["px"] for b in boxes), default=0.0)
                    crossed = crossings(run)
                    (out / png).write_bytes(run.screenshot())
                    command = " ".join(["mechgraph viz", *map(shlex.quote, view)])
                    print(f"{_shown(out / png)}: {command}: {len(boxes)} labels, {len(pairs)} overlapping pairs, "
                          f"smallest label {smallest:.1f} px, {len(crossed)} line crossings")
                    for a, b in pairs[:10]:
                        print(f"    overlap: {a['text']!r} / {b['text']!r}")
                    for c in crossed[:10]:
                        print(f"    crossing: {c['from']} -> {c['to']} over {c['what']} of {c['over']}")
                    failed |= bool(pairs) or smallest < MIN_PX or len(crossed) >= (MAP_CROSSINGS if not view else 1)
                finally:
                    run.close()
    finally:
        browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
