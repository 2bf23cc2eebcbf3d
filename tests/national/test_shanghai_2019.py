"""上海市人民政府办公厅 2019 (HTML, 2019 trial format): the discrepancies the corpus lists, and nothing false."""

from __future__ import annotations

from pathlib import Path

import pytest

from validator.pipeline import validate_path

DATA = Path(__file__).resolve().parent.parent / "data" / "corpus"
PATH = DATA / "2019_shanghai-shifuban.html"


@pytest.fixture(scope="module")
def result():
    return validate_path(str(PATH))


def test_detected(result):
    assert (result.template, result.year, result.body) == ("national-2019", 2019, "上海市人民政府办公厅")


def test_exact_findings(result):
    got = sorted((f.rule, f.severity, f.expected, f.actual) for f in result.findings)
    assert got == [
        ("N7", "warning", "≤ 0", 3),
        ("P1", "warning", 4.35, 4.34),
        ("P1", "warning", 32.0, 33.9),
        ("T1", "error", 275, 258),
        ("T1", "error", 337, 265),
    ]


def test_granted_or_partly(result):
    f = next(f for f in result.findings if f.rule == "T1" and f.actual == 258)
    assert f.message == ("正文“予以公开及部分公开258件”与统计表不一致：予以公开及部分公开 统计表为 275"
                         "（予以公开 272 + 部分公开 3），正文为 258件（275 ≠ 258）")
    assert [(loc.source, loc.text) for loc in f.locations] == [
        ("narrative", "258"), ("table", "258"), ("table", "12"), ("table", "1"), ("table", "1"), ("table", "3")]


def test_unable_to_provide(result):
    f = next(f for f in result.findings if f.rule == "T1" and f.actual == 265)
    assert "无法提供 统计表为 337（本机关不掌握相关政府信息 265 + 没有现成信息需要另行制作 47 + 补正后申请内容仍不明确 25）" in f.message
    assert sorted(loc.value for loc in f.locations if loc.source == "table") == [1, 3, 12, 25, 44, 252]


def test_all_upheld_claim(result):
    f = next(f for f in result.findings if f.rule == "N7")
    assert "均获维持" in f.message
    assert "行政复议尚未审结 2、未经复议直接起诉尚未审结 1（合计 3）" in f.message
    assert [(loc.key, loc.value) for loc in f.locations if loc.source == "table"] == [
        ("t4.review.pending", 2), ("t4.direct.pending", 1)]


def test_every_location_points_at_its_text(result):
    lines = PATH.read_text(encoding="utf-8").split("\n")
    for f in result.findings:
        for loc in f.locations:
            if loc.text and loc.source in ("table", "narrative"):
                assert lines[loc.line - 1][loc.column - 1:].startswith(loc.text), (f.rule, loc)


def test_blank_totals_are_not_mismatches(result):
    """Most 总计 cells of table 三 are blank: N1 does not run on those rows, and reports nothing."""
    from validator.extract import extract
    from validator.read import read_document
    from validator.ruleset import load_ruleset

    ex = extract(read_document(str(PATH)), load_ruleset("national-2019"))
    assert ex.table_figure("t3.granted.total").state == "blank"
    assert ex.value("t3.granted.total") is None
    assert ex.value("t3.granted.research") == 0  # a blank applicant cell is a zero
    assert ex.value("t3.granted.all") == 272
    assert not [f for f in result.findings if f.rule in {"N1", "N2", "N3", "N4", "N5", "C1", "C2"}]
