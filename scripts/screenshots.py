"""Regenerate the README's pictures (docs/img/*.png) from the program, and measure their labels.

    python scripts/screenshots.py [--out docs/img] [--seeds seeds]

Each view is written by the `mechgraph viz` command exactly as a user runs it, opened in Debian's
headless Chromium at 1600x1000, and saved as a PNG:

    gcpm-map.png                 mechgraph viz                         (the map `build` writes too)
    graph-around-thbs2_caf.png   mechgraph viz --around "THBS2+ CAF" --depth 2
    graph-path.png               mechgraph viz --path "THBS2+ CAF" "PD-1 antibody"

For each it prints how many labels were drawn and how many pairs of them overlap (the boxes
vis-network laid out for node labels and those of the highlighted steps' labels, in window
pixels); it exits 1 if any overlap.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shlex
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cdp import HEIGHT, WIDTH, Browser, PageRun  # noqa: E402

VIEWS = [
    ("gcpm-map.png", []),
    ("graph-around-thbs2_caf.png", ["--around", "THBS2+ CAF", "--depth", "2"]),
    ("graph-path.png", ["--path", "THBS2+ CAF", "PD-1 antibody"]),
]


def label_overlaps(boxes: list[dict]) -> list[tuple[dict, dict]]:
    """Pairs of label boxes that overlap by more than half a pixel each way."""
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a["x0"] < b["x1"] - 0.5 and b["x0"] < a["x1"] - 0.5 and a["y0"] < b["y1"] - 0.5 and b["y0"] < a["y1"] - 0.5:
                out.append((a, b))
    return out


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
    ap.add_argument("--out", default=str(HERE.parent / "docs" / "img"), help="folder for the PNGs")
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
                    boxes = [b for b in json.loads(run.eval("JSON.stringify(mechgraphLabelBoxes())")) if visible(b)]
                    pairs = label_overlaps(boxes)
                    smallest = min((b["y1"] - b["y0"]) / max(1, b["text"].count("\n") + 1) for b in boxes) if boxes else 0
                    (out / png).write_bytes(run.screenshot())
                    command = " ".join(["mechgraph viz", *map(shlex.quote, view)])
                    print(f"{_shown(out / png)}: {command}: {len(boxes)} labels, "
                          f"{len(pairs)} overlapping pairs, smallest label line {smallest:.1f} px")
                    for a, b in pairs[:10]:
                        print(f"    overlap: {a['text']!r} / {b['text']!r}")
                    failed |= bool(pairs)
                finally:
                    run.close()
    finally:
        browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
