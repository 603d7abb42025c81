"""Check the seeds against the review's own text: every locator exists and carries the cited reference.

`mechgraph audit --source REVIEW.txt` runs `audit_seeds`. For every evidence record with a
locator (all `review_text` and `hypothesis` records, generated trial edges and the records of
the review's proposals) it checks that the paragraph or table row exists in the review as
review_text.py splits it, and that it cites the record's reference (［n］, ［n-m］, ［n,m］),
unless the record cites `review` (an uncited sentence of the review itself) or a curator
reference (not in the review's numbering); a record that says the review mis-cites a reference
(`cited_as: N`) must sit in a paragraph that cites N. It also checks that each table 1 trial
names the registry id the table gives for each of its rows, that every Chinese name (`name_zh`)
is the review's own wording unless it is marked as the curators' translation
(`name_zh_source: curator`), and that the review's reference list and the seeds' numbered
references agree. Each problem is
`FILE:LINE: message`, naming the seed file and the line of the record (or of the review's text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .review_text import Paragraph, ReviewText, TableRow, read_review
from .seeds import SeedData, read_seeds


@dataclass
class AuditReport:
    """What the audit checked and every problem it found."""

    source: str
    records: int = 0
    located: int = 0
    paragraphs: int = 0
    table_rows: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for a clean audit."""
        return (
            f"audit ok: {self.records} evidence records, {self.located} located in {self.source} "
            f"({self.paragraphs} paragraphs, {self.table_rows} table rows); every locator exists and cites its "
            "reference"
        )

    def as_dict(self) -> dict:
        return {
            "source": self.source, "records": self.records, "located": self.located, "paragraphs": self.paragraphs,
            "table_rows": self.table_rows, "problems": list(self.problems),
        }


def _sections(review: ReviewText) -> dict[str, int]:
    """Section -> number of paragraphs, for 'did you mean' hints."""
    out: dict[str, int] = {}
    for p in review.paragraphs:
        sec = p.locator.split(" ¶")[0]
        out[sec] = out.get(sec, 0) + 1
    return out


def _missing_locator(locator: str, review: ReviewText) -> str:
    sections = _sections(review)
    if locator.startswith("table 1 row"):
        return f"locator {locator!r} is not in the review: table 1 has {len(review.table_rows)} rows"
    sec = locator.split(" ¶")[0]
    if sec in sections:
        return (f"locator {locator!r} is not in the review: section {sec} has {sections[sec]} "
                f"paragraph{'s' if sections[sec] != 1 else ''}")
    return f"locator {locator!r} is not in the review: its sections are {', '.join(sections)}"


def _cites(unit: Paragraph | TableRow) -> str:
    return f"[{', '.join(str(n) for n in sorted(unit.citations))}]" if unit.citations else "no reference"


def _located_records(data: SeedData):
    """(holder, record) for every evidence record of an edge or a proposal."""
    for holder in [*data.edges, *data.proposals]:
        for ev in holder["evidence"]:
            yield holder, ev


def check_located(data: SeedData, review: ReviewText, report: AuditReport) -> None:
    """Locators exist; their paragraph cites the record's reference."""
    seen: set[tuple[str, int]] = set()
    for edge, ev in _located_records(data):
        where = (edge["_file"], ev.get("_line", edge["_line"]))
        key = (where[0], where[1], ev.get("locator"), ev.get("ref"))
        if key in seen:  # one record shared by several edges (a YAML anchor) is checked once
            continue
        seen.add(key)
        report.records += 1
        locator = ev.get("locator")
        if locator is None:
            continue
        report.located += 1
        unit = review.find(locator)
        if unit is None:
            report.problems.append(f"{where[0]}:{where[1]}: {_missing_locator(locator, review)}")
            continue
        cited = ev.get("cited_as")
        if cited and int(cited) not in unit.citations:
            report.problems.append(
                f"{where[0]}:{where[1]}: the record says the review cites reference {cited} here, but {locator} cites "
                f"{_cites(unit)}"
            )
        ref = ev.get("ref")
        if ref is None or ref == "review" or not ref.isdigit():
            continue
        if int(ref) not in unit.citations:
            report.problems.append(
                f"{where[0]}:{where[1]}: {locator} cites {_cites(unit)}, not reference {ref}; "
                f"fix the locator or the reference (ref: review for an uncited sentence)"
            )


def check_table(data: SeedData, review: ReviewText, report: AuditReport) -> None:
    """Each table 1 trial names the registry id of its row."""
    rows = {r.row: r for r in review.table_rows}
    for ent in data.entities.values():
        if ent.get("kind") != "clinical_trial":
            continue
        for row in ent.get("table1_rows") or []:
            found = rows.get(row)
            if found is None:
                report.problems.append(f"{ent['_file']}:{ent['_line']}: trial {ent['id']!r} says table 1 row {row}, "
                                       "which the review's table does not have")
            elif ent.get("registry_id") != found.registry_id:
                report.problems.append(
                    f"{ent['_file']}:{ent['_line']}: trial {ent['id']!r} has registry id {ent.get('registry_id')!r} "
                    f"but table 1 row {row} gives {found.registry_id!r}"
                )


def check_chinese_names(data: SeedData, review: ReviewText, report: AuditReport) -> None:
    """A name_zh not marked as the curators' is the review's own wording (spaces and dashes aside)."""
    for eid, ent in data.entities.items():
        zh = ent.get("name_zh")
        if not zh or ent.get("kind") == "publication" or ent.get("name_zh_source") == "curator":
            continue
        if not review.has_wording(zh):
            report.problems.append(
                f"{ent['_file']}:{ent['_line']}: the Chinese name {zh!r} of {eid} is not the review's wording; "
                f"use the review's words or mark it 'name_zh_source: curator'"
            )


def check_reference_list(data: SeedData, review: ReviewText, report: AuditReport) -> None:
    """The review's citations and the seeds' numbered references agree (curator references aside)."""
    cited = review.cited_references()
    numbered = {int(k): r for k, r in data.references.items() if k.isdigit()}
    for n, r in sorted(numbered.items()):
        if n not in cited:
            report.problems.append(f"{r['_file']}:{r['_line']}: reference {n} is never cited in the review's text")
    first_line = {}
    for p in review.paragraphs:
        for n in p.citations:
            first_line.setdefault(n, p.first_line)
    for n in sorted(cited - set(numbered)):
        report.problems.append(f"{review.name}:{first_line[n]}: the review cites [{n}], which is not in the seeds' "
                               "reference list")


def audit_seeds(seeds: Path | str | None, source: Path | str) -> AuditReport:
    """Audit the seed folder `seeds` (default: the packaged seeds) against the review text at `source`."""
    review = read_review(source)
    data = read_seeds(seeds)
    report = AuditReport(str(source), paragraphs=len(review.paragraphs), table_rows=len(review.table_rows))
    check_located(data, review, report)
    check_table(data, review, report)
    check_chinese_names(data, review, report)
    check_reference_list(data, review, report)
    return report
