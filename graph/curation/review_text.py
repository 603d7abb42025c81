"""The source review's extracted text, split into located paragraphs and table rows, with their citations.

Evidence records point into the review with a locator (schema.LOCATOR_RE): `abstract`,
`intro ¶N`, `S ¶N` for part S of the body before its first numbered item (3 is the conclusion,
结语), `S.I ¶N` for item I of part S, and `table 1 row N`. The extracted text has no blank lines
between paragraphs and its lines are wrapped at the column width, so paragraphs are recovered by
one deterministic rule, implemented here once:

1. Front matter. Lines before 【摘要】 (the title) are skipped. The abstract runs from 【摘要】
   through the English 【Abstract】 up to the first later line that holds Chinese text; it is
   one unit, `abstract`. The body ends at 利益冲突 or 参考文献 (the reference list).
2. Structure. A line starting with a Chinese numeral and 、 (一、 二、 三、) is a part heading
   and no paragraph; parts are numbered 1, 2, 3. Text before the first part is the introduction.
   A paragraph that starts with `N.` (N one more than the previous item of the part, 1 first)
   opens item N of the part; its run-in heading belongs to its first paragraph.
3. Tables. From a line starting with 表N to the line starting with 注： the lines form a table,
   not a paragraph; a paragraph the table interrupts continues after it. Table 1 is read column
   by column (序号, 临床试验注册号, 项目名称), giving each row its registry id and title.
4. Paragraph ends. A paragraph ends after a line whose text ends a sentence (。！？, possibly
   after a ［n］ citation inside the sentence) when that line is clearly short (display width at
   most the full line width minus 6, CJK characters counting 2), or when the next line looks
   indented (width at most the full width minus 3: the two-character first-line indent of
   Chinese typesetting, lost in extraction, shortens it); and before every heading and at the
   end of the text. The full width is the commonest width of the lines that do not end a
   sentence (they wrap mid-sentence, so nearly all are full).
5. Running heads and bare page numbers between body lines are dropped.

Citations are read from full-width (or ASCII) square brackets: ［7］, ［2-3］ (a range; any dash,
the U+2043 hyphen bullet and ~ too), ［10,11］ and ［10、11］.

Known limits. A paragraph whose last line happens to be full and whose successor's first line is
not visibly shorter (a first line heavy with Latin text can reach full width) is merged with the
next one; a sentence that ends on a short line inside a paragraph (e.g. before a page break)
splits it. The widths are tuned on the source review's two-column layout (about 25 CJK characters
per line, full display width 50); the split was checked against every line ending in 。 of that
text. Citations outside brackets ("ref. 7") are not seen.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import MechGraphError
from ..fsio import read_limited

PART_RE = re.compile(r"^([一二三四五六七八九十]+)、")
ITEM_RE = re.compile(r"^(\d{1,2})\s*[.．]\s*(?![0-9])")
TABLE_START_RE = re.compile(r"^表\s*(\d+)")
TABLE_END_RE = re.compile(r"^注\s*[：:]")
BODY_END_RE = re.compile(r"^(利益冲突|参\s*考\s*文\s*献)")
PAGE_NUMBER_RE = re.compile(r"^\d{1,4}$")
RUNNING_HEAD_RE = re.compile(r"Chin J Gastrointest Surg|^中华胃肠外科杂志")
SENTENCE_END_RE = re.compile(r"[。！？][”’」）)]?$")
CITATION_RE = re.compile(r"[［\[]\s*([0-9][0-9\s,，、\-‐‑‒–—⁃~～]*)[］\]]")
DASHES = "-‐‑‒–—⁃~～"
REGISTRY_RE = re.compile(r"^(NCT\d{8}|ChiCTR\d{10})$")
CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
MAX_REVIEW_BYTES = 20_000_000  # the review's text is ~100 kB; checked before reading (a FIFO or /dev/zero too)
NUMERALS = "一二三四五六七八九十"
SHORT_MARGIN = 6
INDENT_MARGIN = 3


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the review: where it is, its text and the references it cites."""

    locator: str
    first_line: int
    last_line: int
    text: str
    citations: frozenset[int]


@dataclass(frozen=True)
class TableRow:
    """One row of the review's table 1."""

    locator: str
    row: int
    registry_id: str
    title: str
    line: int
    citations: frozenset[int] = frozenset()


@dataclass
class ReviewText:
    """The review as located paragraphs and table rows."""

    name: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    table_rows: list[TableRow] = field(default_factory=list)
    text: str = ""  # the whole extracted text, for looking up the review's own wording

    def has_wording(self, words: str) -> bool:
        """Whether the review's text contains `words`, ignoring spaces and line breaks (the extraction
        scatters them through Chinese text), case, and the dash and bracket variants of the extraction."""
        return bool(words.strip()) and wording_key(words) in self._wording

    @cached_property
    def _wording(self) -> str:
        return wording_key(self.text)

    def find(self, locator: str) -> Paragraph | TableRow | None:
        """The paragraph or table row a locator names, or None."""
        for unit in (*self.paragraphs, *self.table_rows):
            if unit.locator == locator:
                return unit
        return None

    def cited_references(self) -> set[int]:
        """Every reference number the review's text cites."""
        return {n for p in self.paragraphs for n in p.citations}

    def as_dict(self) -> dict[str, Any]:
        """Every locator the review has (`mechgraph audit --paragraphs`): each paragraph's lines,
        citations and text, each table row's line, registry id and title."""
        return {"paragraphs": [{"locator": p.locator, "first_line": p.first_line, "last_line": p.last_line,
                                "citations": sorted(p.citations), "text": p.text} for p in self.paragraphs],
                "table_rows": [{"locator": r.locator, "line": r.line, "registry_id": r.registry_id, "title": r.title}
                               for r in self.table_rows]}


WORDING_SAME = str.maketrans({"⁃": "-", "‐": "-", "－": "-", "—": "-", "（": "(", "）": ")", "ɣ": "γ",
                              "，": ",", "、": ","})


def wording_key(s: str) -> str:
    """Text reduced for comparing wording: no whitespace, lower case, one form of dashes and brackets."""
    return re.sub(r"\s+", "", s.translate(WORDING_SAME)).lower()


def display_width(s: str) -> int:
    """Columns a line takes: wide and full-width characters count 2, the rest 1."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def full_line_width(lines: Iterable[str]) -> int:
    """The display width of a full line: the commonest width among lines that do not end a sentence.

    Those lines wrap in mid-sentence, so nearly all of them are full; the mode ignores the few
    indented first lines and headings among them. Ties go to the wider width.
    """
    widths = Counter(display_width(s) for s in lines if not SENTENCE_END_RE.search(s))
    if not widths:
        return 0
    top = max(widths.values())
    return max(w for w, n in widths.items() if n == top)


def citations_in(text: str) -> frozenset[int]:
    """Reference numbers cited in `text` as ［n］, ［n-m］ (inclusive range) or ［n,m］."""
    found: set[int] = set()
    for m in CITATION_RE.finditer(text):
        for part in re.split(r"[,，、]", m.group(1)):
            part = part.strip()
            if not part:
                continue
            bounds = [b.strip() for b in re.split(f"[{re.escape(DASHES)}]", part) if b.strip()]
            if not bounds or not all(b.isdigit() for b in bounds):
                continue
            lo, hi = int(bounds[0]), int(bounds[-1])
            if lo <= hi and hi - lo <= 50:
                found.update(range(lo, hi + 1))
    return frozenset(found)


def _join(lines: list[str]) -> str:
    """Paragraph text from wrapped lines: no space between CJK, one space between Latin words."""
    out = ""
    for s in lines:
        if out and not (CJK_RE.search(out[-1]) or CJK_RE.search(s[:1]) or out.endswith((" ", "-"))):
            out += " "
        out += s
    return out


def _part_number(numeral: str) -> int:
    if numeral == "十":
        return 10
    if numeral.startswith("十"):
        return 10 + NUMERALS.index(numeral[1]) + 1
    return NUMERALS.index(numeral[0]) + 1


def _parse_table(lines: list[tuple[int, str]]) -> list[TableRow]:
    """Table 1 read column by column: the row numbers, then the registry ids, then the titles."""
    texts = [t for _, t in lines]
    try:
        start = texts.index("序号") + 1
    except ValueError:
        return []
    rows = 0
    while start + rows < len(texts) and texts[start + rows] == str(rows + 1):
        rows += 1
    if rows == 0:
        return []

    def column(header: str) -> list[tuple[int, str]] | None:
        if header not in texts:
            return None
        i = texts.index(header) + 1
        cells = lines[i : i + rows]
        return cells if len(cells) == rows else None

    ids = column("临床试验注册号")
    titles = column("项目名称")
    if ids is None or not all(REGISTRY_RE.match(t) for _, t in ids):
        return []
    out = []
    for n in range(rows):
        line, registry = ids[n]
        title = re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", titles[n][1]) if titles else ""
        out.append(TableRow(f"table 1 row {n + 1}", n + 1, registry, title, line, citations_in(title)))
    return out


def parse_review(text: str, name: str = "review") -> ReviewText:
    """Split the review's extracted text into located paragraphs and table rows (rule in the module docstring)."""
    raw = [(i + 1, line.strip()) for i, line in enumerate(text.splitlines())]
    lines = [(n, s) for n, s in raw if s]
    review = ReviewText(name, text=text)

    # 1. front matter: title, abstract (Chinese and English), then the body up to the reference list
    start = 0
    abstract_at = next((k for k, (_, s) in enumerate(lines) if s.startswith("【摘要】")), None)
    if abstract_at is not None:
        english = next((k for k in range(abstract_at, len(lines)) if lines[k][1].startswith("【Abstract】")),
                       abstract_at)
        end = next((k for k in range(english + 1, len(lines)) if CJK_RE.search(lines[k][1])), len(lines))
        block = lines[abstract_at:end]
        joined = _join([s for _, s in block])
        review.paragraphs.append(Paragraph("abstract", block[0][0], block[-1][0], joined, citations_in(joined)))
        start = end
    stop = next((k for k in range(start, len(lines)) if BODY_END_RE.match(lines[k][1])), len(lines))
    body: list[tuple[int, str]] = []
    table: list[tuple[int, str]] = []
    in_table = False
    for n, s in lines[start:stop]:
        if in_table:
            table.append((n, s))
            in_table = not TABLE_END_RE.match(s)
        elif TABLE_START_RE.match(s):
            in_table = True
            table.append((n, s))
        elif not (PAGE_NUMBER_RE.match(s) or RUNNING_HEAD_RE.search(s)):
            body.append((n, s))
    review.table_rows = _parse_table(table)
    if not body:
        return review
    full = full_line_width(s for _, s in body)

    # 2-4. walk the body
    section, part, item, counter = "intro", 0, 0, 0
    current: list[tuple[int, str]] = []

    def close() -> None:
        nonlocal counter
        if not current:
            return
        counter += 1
        joined = _join([s for _, s in current])
        review.paragraphs.append(Paragraph(f"{section} ¶{counter}", current[0][0], current[-1][0], joined,
                                           citations_in(joined)))
        current.clear()

    for k, (n, s) in enumerate(body):
        heading = PART_RE.match(s)
        if heading:
            close()
            part, item, counter = _part_number(heading.group(1)), 0, 0
            section = str(part)
            continue
        numbered = ITEM_RE.match(s) if not current and part else None
        if numbered and int(numbered.group(1)) == item + 1:
            item, counter = item + 1, 0
            section = f"{part}.{item}"
        current.append((n, s))
        if SENTENCE_END_RE.search(s):
            nxt = body[k + 1][1] if k + 1 < len(body) else ""
            short = display_width(s) <= full - SHORT_MARGIN
            indented = bool(nxt) and display_width(nxt) <= full - INDENT_MARGIN
            if short or indented or not nxt:
                close()
    close()
    return review


def read_review(path: Path | str) -> ReviewText:
    """Read and split the review's text file; a missing or unreadable file is one clear error."""
    p = Path(path)
    try:
        text = read_limited(p, MAX_REVIEW_BYTES, what="review text").decode("utf-8")  # over it: InputTooLarge, exit 2
    except FileNotFoundError:
        raise MechGraphError(f"review text {p} not found; pass the review's extracted text with --source") from None
    except IsADirectoryError:
        raise MechGraphError(f"review text {p} is a folder, not a text file") from None
    except UnicodeDecodeError as e:
        raise MechGraphError(f"review text {p} is not UTF-8 text (byte {e.start})") from None
    except OSError as e:
        raise MechGraphError(f"cannot read review text {p}: {e.strerror}") from None
    review = parse_review(text, str(p))
    if not review.paragraphs:
        raise MechGraphError(f"review text {p} holds no paragraphs")
    return review
