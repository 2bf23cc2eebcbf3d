"""The two national formats side by side, template detection, and tables that are cut off."""

from __future__ import annotations

from pathlib import Path

from validator.extract import extract
from validator.pipeline import Options, validate_path
from validator.read import read_document
from validator.ruleset import load_ruleset

DATA = Path(__file__).resolve().parent.parent / "data" / "corpus"


def _rows(path: str, template: str) -> set[str]:
    rs = load_ruleset(template)
    ex = extract(read_document(path), rs)
    return {rs.figures[f.key].row for f in ex.table if rs.figures[f.key].grid == "t3"}


def test_2021_other_handling_has_three_sub_rows():
    rows = _rows(str(DATA / "2021_pingtan-page.html"), "national-2021")
    assert {"other.no_correction", "other.no_fee", "other.other"} <= rows
    assert "other" not in rows


def test_2019_other_handling_is_one_row():
    rows = _rows(str(DATA / "2020_pingtan-page.html"), "national-2019")
    assert "other" in rows and "other.other" not in rows


def test_2021_report_printing_other_handling_as_one_row():
    """洪泽 2024 prints （六）其他处理 as one row although it uses the 2021 format: still read and checked."""
    rs = load_ruleset("national-2021")
    ex = extract(read_document(str(DATA / "2024_hongzequ.txt")), rs)
    assert ex.table_figure("t3.other.total").value == 0
    result = validate_path(str(DATA / "2024_hongzequ.txt"))
    assert not [f for f in result.findings if f.rule.startswith("N") or f.rule.startswith("C")]


def test_2020_pingtan_column_total_discrepancy():
    """平潭 2020: 自然人 column of table 三 adds to 26 but （七）总计 says 20 (a real error in the report)."""
    result = validate_path(str(DATA / "2020_pingtan-page.html"))
    got = sorted((f.rule, f.instance, f.expected, f.actual) for f in result.findings)
    assert got == [("N2", "natural", 26, 20), ("N2", "total", 27, 21)]


def test_template_not_matching_the_year(tmp_path):
    text = (DATA / "2021_pingtan-page.html").read_text(encoding="utf-8")
    assert "2021年" in text
    p = tmp_path / "wrong-year.html"
    p.write_text("<p>平潭综合实验区2019年政府信息公开工作年度报告</p>" + text, encoding="utf-8")
    result = validate_path(str(p))
    assert result.template == "national-2021"
    d1 = [f for f in result.findings if f.rule == "D1"]
    assert [(f.severity, f.expected, f.actual) for f in d1] == [("warning", "national-2019", "national-2021")]
    forced = validate_path(str(p), Options(template="national-2021"))
    assert not [f for f in forced.findings if f.rule == "D1"]


def test_table_cut_off(tmp_path):
    """A page truncated inside table 三: a clear coverage finding, no crash, no false discrepancy."""
    text = (DATA / "2021_pingtan-page.html").read_text(encoding="utf-8")
    cut = text.index("属于行政执法案卷")
    p = tmp_path / "cut.html"
    p.write_text(text[:cut], encoding="utf-8")
    result = validate_path(str(p))
    assert result.error is None
    rules = sorted(f.rule for f in result.findings)
    assert rules == ["C2", "S1"], rules
    c2 = next(f for f in result.findings if f.rule == "C2")
    assert "政府信息公开行政复议、行政诉讼情况（未找到）" in c2.message


def test_column_ordered_text_is_not_misread():
    """洪泽 2024 extracted one cell per line in column order: the rows cannot be told apart, so the
    tables are reported unread (C2), never as discrepancies of the report."""
    result = validate_path(str(DATA / "2024_hongzequ-raw.txt"))
    assert result.error is None
    assert not [f for f in result.findings if f.rule[0] in "N" or f.rule in ("P3", "M1")]
    (c2,) = [f for f in result.findings if f.rule == "C2"]
    assert c2.severity == "warning"
    assert "收到和处理政府信息公开申请情况" in c2.message
