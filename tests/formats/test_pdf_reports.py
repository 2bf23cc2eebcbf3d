"""PDF reports: 洪泽 2023 (two table 四 totals left at 0), 淮安 2024 (consistent), 洪泽 2024 (PDF = its text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from validator.extract import extract
from validator.pipeline import validate_path
from validator.read import read_document
from validator.ruleset import load_ruleset

DATA = Path(__file__).resolve().parent.parent / "data" / "corpus"


@pytest.fixture(scope="module")
def hongze_2023():
    return validate_path(str(DATA / "2023_hongzequ.pdf"))


def test_hongze_2023_totals_left_at_zero(hongze_2023):
    r = hongze_2023
    assert (r.template, r.year, r.body) == ("national-2021", 2023, "洪泽区人民政府")
    got = sorted((f.rule, f.instance, f.severity, f.expected, f.actual) for f in r.findings)
    assert got == [("N4", "after", "error", 5, 0), ("N4", "review", "error", 11, 0)]
    review = next(f for f in r.findings if f.instance == "review")
    assert review.message == "行政复议总计 0 ≠ 行政复议结果维持 10 + 行政复议结果纠正 1 + 行政复议其他结果 0 + 行政复议尚未审结 0 = 11"
    assert {loc.page for loc in review.locations} == {4}
    assert [(loc.role, loc.text) for loc in review.locations][:3] == [("total", "0"), ("part", "10"), ("part", "1")]


def test_hongze_2023_misprinted_label_is_recognised():
    rs = load_ruleset("national-2021")
    doc = read_document(str(DATA / "2023_hongzequ.pdf"))
    assert "其他法律行政止公开" in "".join(c.text for t in doc.tables for row in t.rows for c in row)
    ex = extract(doc, rs)
    assert ex.table_figure("t3.refused.law.natural").state == "value"
    assert all(ex.table_figure(f"t3.refused.law.{c}") is not None for c in
               ("natural", "business", "research", "ngo", "legal", "other", "total"))


def test_huaian_2024_no_error_and_litigation_total_matched():
    r = validate_path(str(DATA / "2024_huaianshi.pdf"))
    assert (r.year, r.body) == (2024, "淮安市人民政府")
    assert r.findings == []
    rs = load_ruleset("national-2021")
    ex = extract(read_document(str(DATA / "2024_huaianshi.pdf")), rs)
    assert (ex.value("t4.direct.total"), ex.value("t4.after.total"), ex.value("t4.litigation.total")) == (26, 20, 46)
    (lit,) = [b for b in ex.narrative.breakdowns if b.breakdown.name == "litigation"]
    assert ex.narrative.numbers[lit.total].value == 46
    assert ex.table_figure("t2.fees.fees.amount").value == 96171.6
    assert ex.table_figure("t2.fees.fees.amount").decimals == 1


@pytest.mark.parametrize("text_version", ["2024_hongzequ.txt", "2024_hongzequ-layout.txt"])
def test_pdf_and_text_versions_give_the_same_figures(text_version):
    rs = load_ruleset("national-2021")
    pdf = extract(read_document(str(DATA / "2024_hongzequ.pdf")), rs)
    txt = extract(read_document(str(DATA / text_version)), rs)
    a = {f.key: (f.state, f.value) for f in pdf.table}
    b = {f.key: (f.state, f.value) for f in txt.table}
    assert len(a) == 186
    assert a == b
