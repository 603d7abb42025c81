"""`mechgraph audit`: the review's text split into located paragraphs, and the seeds checked against it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from mechgraph.cli import main
from mechgraph.curation.audit import audit_seeds
from mechgraph.curation.review_text import citations_in, display_width, parse_review
from tests.support.checkout import IN_CI, ROOT, SEEDS

REVIEW = Path(os.environ.get("MECHGRAPH_REVIEW_TEXT",
                             ROOT.parent / "shared" / "source" / "gcpm-immunotherapy-review.txt"))


@pytest.fixture(scope="module")
def review_path() -> Path:
    if not REVIEW.is_file():
        if IN_CI:
            pytest.fail(f"the review's text is required in CI: {REVIEW}")
        pytest.skip(f"the review's text is not at {REVIEW} (set MECHGRAPH_REVIEW_TEXT)")
    return REVIEW


# --- the paragraph splitter on a small hand-made text with known paragraphs

FULL, FIRST = 25, 23  # CJK characters on a full line and on an indented first line
W = "文" * FULL  # a full line inside a paragraph


def _text() -> str:
    lines = [
        "测试综述的标题",
        " 【摘要】　本文是一篇测试用的摘要。",
        " 【Abstract】 A short English abstract.",
        "引" * FIRST,
        W,
        "言" * (FULL - 3) + "［1］",
        "结" * 8 + "［2-3］。",  # short line ending a sentence: intro ¶1 ends
        " 一、第一部分",
        "部" * FIRST,
        W,
        "分" * 10 + "。",  # 1 ¶1
        "1. 条目甲：" + "甲" * 19,
        W,
        "甲" * (FULL - 4) + "［4］。",  # full line ending a sentence, next line indented: 1.1 ¶1 ends
        "乙" * FIRST,
        W,
        "乙" * 5 + "。",  # 1.1 ¶2
        "丙" * FIRST,
        "丙" * (FULL - 1) + "。",  # full line ending a sentence, next line full: no break
        W,
        "丁" * 3 + "［5，6］。",  # 1.1 ¶3
        "戊" * FIRST,
        W,
        "表1 测试表",  # a table inside a paragraph: the paragraph continues after it
        "序号",
        "1",
        "2",
        "临床试验注册号",
        "NCT00000001",
        "ChiCTR2400000002",
        "项目名称",
        "标题 一",
        "标题二",
        "注：检索截止日期",
        "戊" * 4 + "［7⁃8］。",  # 1.1 ¶4, spanning the table
        "2. 条目乙：" + "乙" * 3 + "。",  # 1.2 ¶1
        "3.5 个月比 2.1 个月，差异显著［9］。",  # '3.5' opens no item: 1.2 ¶2
        "二、第二部分",
        "第" * 10 + "。",  # 2 ¶1
        "三、结语",
        W,
        "结" * 10 + "。",  # 3 ¶1
        "利益冲突 无",
        "参 考 文 献",
        "[10] Someone A. A cited paper［10］。",
    ]
    return "\n\n".join(lines)


def test_splitter_gives_the_known_paragraphs():
    review = parse_review(_text(), "small.txt")
    got = [(p.locator, sorted(p.citations)) for p in review.paragraphs]
    assert got == [
        ("abstract", []),
        ("intro ¶1", [1, 2, 3]),
        ("1 ¶1", []),
        ("1.1 ¶1", [4]),
        ("1.1 ¶2", []),
        ("1.1 ¶3", [5, 6]),
        ("1.1 ¶4", [7, 8]),
        ("1.2 ¶1", []),
        ("1.2 ¶2", [9]),
        ("2 ¶1", []),
        ("3 ¶1", []),
    ]
    assert review.cited_references() == set(range(1, 10))  # the reference list ([10]) is not body text
    spanning = review.find("1.1 ¶4")
    assert spanning.text == "戊" * FIRST + W + "戊" * 4 + "［7⁃8］。"
    assert [(r.locator, r.registry_id, r.title) for r in review.table_rows] == [
        ("table 1 row 1", "NCT00000001", "标题一"),
        ("table 1 row 2", "ChiCTR2400000002", "标题二"),
    ]
    assert review.find("1.1 ¶5") is None and review.find("table 1 row 3") is None


def test_citations_ranges_lists_and_dashes():
    assert citations_in("如前所述［2-3］，另见［10,11］和［43⁃44］及［5，7、9］。") == {2, 3, 10, 11, 43, 44, 5, 7, 9}
    assert citations_in("半乳糖凝集素 -9，无引用") == frozenset()
    assert citations_in("ASCII [12] too") == {12}
    assert display_width("ab中文") == 6


# --- the real review and the real seeds


def test_real_review_paragraphs(review_path):
    review = parse_review(review_path.read_text(encoding="utf-8"), str(review_path))
    locators = [p.locator for p in review.paragraphs]
    assert locators[:4] == ["abstract", "intro ¶1", "1 ¶1", "1.1 ¶1"]
    assert {"1.1 ¶3", "1.4 ¶2", "2.1 ¶2", "2.5 ¶1", "3 ¶1"} <= set(locators)
    assert len(review.table_rows) == 14 and review.find("table 1 row 14").registry_id == "ChiCTR2400083006"
    assert review.find("2.3 ¶1").citations == {37, 38, 39}  # the catumaxomab paragraph runs on after table 1
    assert review.cited_references() == set(range(1, 46))


def test_real_seeds_pass_the_audit(review_path):
    report = audit_seeds(SEEDS, review_path)
    assert report.problems == []
    assert report.located > 200 and report.paragraphs == 20 and report.table_rows == 14


def _copy_seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


def _replace_in_record(path: Path, ref_line: str, old: str, new: str) -> int:
    """Change `old` to `new` in the first evidence record starting with `ref_line`; return the record's line."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip() == ref_line)
    for i in range(start, start + 8):
        if lines[i].strip() == old:
            lines[i] = lines[i].replace(old, new)
            path.write_text("\n".join(lines), encoding="utf-8")
            return start + 1
    raise AssertionError(f"{old!r} not in the record at line {start + 1}")


def test_a_wrong_locator_is_caught_with_file_and_line(review_path, tmp_path):
    folder = _copy_seeds(tmp_path)
    line = _replace_in_record(folder / "edges" / "caf.yaml", "- ref: 18", "locator: 1.3 ¶1", "locator: 1.3 ¶7")
    report = audit_seeds(folder, review_path)
    assert report.problems == [f"{folder / 'edges' / 'caf.yaml'}:{line}: locator '1.3 ¶7' is not in the review: "
                               "section 1.3 has 2 paragraphs"]


def test_a_wrong_reference_is_caught_with_file_and_line(review_path, tmp_path):
    folder = _copy_seeds(tmp_path)
    line = _replace_in_record(folder / "edges" / "caf.yaml", "- ref: 18", "- ref: 18", "- ref: 13")
    report = audit_seeds(folder, review_path)
    assert report.problems == [
        f"{folder / 'edges' / 'caf.yaml'}:{line}: 1.3 ¶1 cites [12, 17, 18, 19], not reference 13; fix the locator or "
        "the reference (ref: review for an uncited sentence)"
    ]


def test_a_wrong_table_row_is_caught(review_path, tmp_path):
    folder = _copy_seeds(tmp_path)
    trials = folder / "trials.yaml"
    text = trials.read_text(encoding="utf-8")
    trials.write_text(text.replace("    table1_row: 3\n", "    table1_row: 4\n",
                                   1).replace("    table1_row: 4\n    title: \"Dual",
                                              "    table1_row: 3\n    title: \"Dual", 1), encoding="utf-8")
    problems = audit_seeds(folder, review_path).problems
    assert any("trial 'nct05204173' has registry id 'NCT05204173' but table 1 row 4 gives 'NCT05477927'" in p
               for p in problems), problems
    assert all(p.startswith(str(trials) + ":") for p in problems), problems


def test_cli_audit_clean_and_broken(review_path, tmp_path, capsys):
    assert main(["audit", "--source", str(review_path)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("audit ok: ") and "(20 paragraphs, 14 table rows)" in out[0]
    folder = _copy_seeds(tmp_path)
    line = _replace_in_record(folder / "edges" / "caf.yaml", "- ref: 18", "locator: 1.3 ¶1", "locator: 9.9 ¶1")
    assert main(["audit", "--source", str(review_path), "--seeds", str(folder)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith(f"{folder / 'edges' / 'caf.yaml'}:{line}: locator '9.9 ¶1' is not in the review: its "
                             "sections are abstract, intro, 1, 1.1")
    assert err[-1] == "1 problem found"


def test_cli_audit_paragraphs_lists_every_locator(review_path, capsys):
    assert main(["audit", "--source", str(review_path), "--paragraphs"]) == 0
    out = capsys.readouterr().out
    for locator in ("abstract", "intro ¶1", "1.1 ¶2", "2.1 ¶1", "3 ¶1", "table 1 row 14"):
        assert f"\n{locator} " in out, locator
    row = next(line for line in out.splitlines() if line.startswith("2.1 ¶1 "))
    assert " 27 " in row and "免疫检查点抑制剂" in row


def test_cli_audit_missing_source_is_one_line(tmp_path, capsys):
    assert main(["audit", "--source", str(tmp_path / "nope.txt")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"error: review text {tmp_path / 'nope.txt'} not found; pass the review's extracted text with "
                   "--source"]
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("caf\xe9".encode("latin-1"))
    assert main(["audit", "--source", str(bad)]) == 1
    assert capsys.readouterr().err.strip() == f"error: review text {bad} is not UTF-8 text (byte 3)"


MISCITED = {
    "references.yaml": """\
references:
  - ref: review
    design: review
    title: The review
  - ref: 39
    authors: [Morris VK]
    year: 2023
    design: guideline
    title: Treatment of metastatic colorectal cancer
    doi: 10.1200/JCO.22.01690
    caveats: ["Cited for a catumaxomab phase I trial it does not report."]
""",
    "entities.yaml": """\
entities:
  - id: catumaxomab
    kind: therapy
    modality: bispecific_antibody
    name: catumaxomab
  - id: ascites
    kind: phenotype
    name: malignant ascites
  - id: aldesleukin_trial
    kind: clinical_trial
    name: the trial of table rows 6 and 13
    registry_id: NCT05802056
    table1_row: [6, 13]
    design: interventional_trial
    interventions: [catumaxomab]
""",
    "edges.yaml": """\
edges:
  - source: catumaxomab
    relation: inhibits
    target: ascites
    evidence:
      - ref: review
        cited_as: 39
        design: single_arm_trial
        support: review_text
        locator: 2.3 ¶1
        species: patients
        summary: Ascites regressed in a phase I trial, as the review reports it.
""",
}


def _write(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_a_miscited_record_sits_where_the_review_cites_that_reference(review_path, tmp_path):
    folder = _write(tmp_path, MISCITED)
    local = [p for p in audit_seeds(folder, review_path).problems if "edges.yaml" in p or "entities.yaml" in p]
    assert local == []
    _write(tmp_path, {"edges.yaml": MISCITED["edges.yaml"].replace("2.3 ¶1", "2.2 ¶1")})
    local = [p for p in audit_seeds(folder, review_path).problems if "edges.yaml" in p]
    assert local == [f"{folder / 'edges.yaml'}:6: the record says the review cites reference 39 here, but 2.2 ¶1 "
                     "cites [33, 34, 35, 36]"]


def test_every_row_of_a_trial_listed_twice_is_checked(review_path, tmp_path):
    entities = MISCITED["entities.yaml"].replace("[6, 13]", "[6, 12]")
    folder = _write(tmp_path, dict(MISCITED, **{"entities.yaml": entities}))
    local = [p for p in audit_seeds(folder, review_path).problems if "entities.yaml" in p]
    assert local == [f"{folder / 'entities.yaml'}:9: trial 'aldesleukin_trial' has registry id 'NCT05802056' but "
                     "table 1 row 12 gives 'NCT06675136'"]


def test_a_chinese_name_is_the_reviews_wording_or_marked_as_the_curators(review_path, tmp_path):
    named = MISCITED["entities.yaml"].replace("    name: catumaxomab\n",
                                              "    name: catumaxomab\n    name_zh: 卡 妥 索 单 抗\n")
    folder = _write(tmp_path, dict(MISCITED, **{"entities.yaml": named}))
    # spaces aside, the review's words
    assert [p for p in audit_seeds(folder, review_path).problems if "entities.yaml" in p] == []
    _write(tmp_path, {"entities.yaml": named.replace("卡 妥 索 单 抗", "卡妥索单克隆抗体")})
    local = [p for p in audit_seeds(folder, review_path).problems if "entities.yaml" in p]
    assert local == [f"{folder / 'entities.yaml'}:2: the Chinese name '卡妥索单克隆抗体' of catumaxomab is "
                     "not the review's wording; use the review's words or mark it 'name_zh_source: curator'"]
    marked = named.replace("卡 妥 索 单 抗", "卡妥索单克隆抗体\n    name_zh_source: curator")
    _write(tmp_path, {"entities.yaml": marked})
    assert [p for p in audit_seeds(folder, review_path).problems if "entities.yaml" in p] == []
