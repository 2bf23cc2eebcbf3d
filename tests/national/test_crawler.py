"""Text from a web crawler, table cells glued together with no separator (``640020470``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from validator.extract import extract
from validator.extract.text_grid import Tok, unglue
from validator.pipeline import validate_path
from validator.read import read_document
from validator.ruleset import load_ruleset

DATA = Path(__file__).resolve().parent.parent / "data" / "corpus"


def _split(*texts: str, ncols: int = 7, sums=((6, [0, 1, 2, 3, 4, 5]),)) -> list[list[float]]:
    toks = [Tok("num", t, 0, 0, float(t), 0) for t in texts]
    return [[t.value for t in split] for split in unglue(toks, ncols, list(sums))]


def test_unglue_unique():
    assert _split("640020470") == [[64, 0, 0, 2, 0, 4, 70]]
    assert _split("0000000") == [[0] * 7]


def test_unglue_keeps_the_cuts_the_text_makes():
    assert _split("500000", "5") == [[5, 0, 0, 0, 0, 0, 5]]


def test_unglue_ambiguous_and_impossible():
    assert sorted(_split("270020130")) == [[2, 7, 0, 0, 20, 1, 30], [27, 0, 0, 2, 0, 1, 30]]
    assert _split("123") == []  # fewer digits than cells
    assert _split("9999999") == []  # no split satisfies the row's own identity


@pytest.mark.parametrize("name", ["2021_pingtan-crawl.txt", "2022_pingtan-crawl.txt"])
def test_crawled_reports_recovered_without_false_errors(name):
    result = validate_path(str(DATA / name))
    assert result.template == "national-2021"
    assert [f for f in result.findings if f.severity == "error"] == []
    by_rule = {f.rule: f for f in result.findings}
    assert set(by_rule) <= {"C2", "C3", "S1"}
    assert "一、本年新收政府信息公开申请数量" in by_rule["C3"].message
    # 行政规范性文件 (本年制发/废止/现行有效) glued as 6–7 digits has no identity to split it by
    assert "行政规范性文件 一行数字粘连，拆分方式不唯一" in by_rule["C2"].message
    assert by_rule["C2"].actual == 176


def test_crawled_values_and_positions():
    ex = extract(read_document(str(DATA / "2021_pingtan-crawl.txt")), load_ruleset("national-2021"))
    cols = ["natural", "business", "research", "ngo", "legal", "other", "total"]
    assert [ex.value(f"t3.new.{c}") for c in cols] == [64, 0, 0, 2, 0, 4, 70]
    # resolved by the column identities, not the row's alone: 2,7,0,0,20,1,30 also adds up
    assert [ex.value(f"t3.granted.{c}") for c in cols] == [27, 0, 0, 2, 0, 1, 30]
    assert [ex.value(f"t4.review.{c}") for c in ["upheld", "corrected", "other", "pending", "total"]] == [1, 0, 2, 0, 3]
    f = ex.table_figure("t3.new.total")
    assert (f.text, ex.doc.lines[f.line - 1][f.column - 1:f.column + 1]) == ("70", "70")
    assert ex.doc.lines[f.line - 1][f.column - 8:f.column + 1] == "640020470"
