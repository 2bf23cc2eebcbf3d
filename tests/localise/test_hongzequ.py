"""洪泽 2023: table 四's totals left at 0 while their parts are not (行政复议 10 + 1, 复议后起诉 5)."""

from __future__ import annotations

from validator.localise import localise, suggest, suggestion_en


def _by_instance(findings):
    return {f.instance: f for f in findings if f.rule == "N4"}


def test_both_totals_found_as_totals_left_at_zero(hongzequ):
    ex, findings = hongzequ
    by_rule = {s.rules: s for s in localise(ex, findings)}
    assert set(by_rule) == {("N4:review",), ("N4:after",)}
    review, after = by_rule[("N4:review",)], by_rule[("N4:after",)]
    assert review.unique  # 结果维持 or 结果纠正 could only absorb it by going negative
    assert review.corrections == {"t4.review.total": 11} and review.kind == "zero_total"
    assert not after.unique  # 结果维持 5 → 0 would do too, but explains nothing
    assert after.corrections == {"t4.after.total": 5} and after.kind == "zero_total"
    assert [c.corrections for c in after.candidates] == [{"t4.after.total": 5}, {"t4.after.upheld": 0}]


def test_the_texts(hongzequ):
    ex, findings = hongzequ
    out = _by_instance(suggest(ex, findings))
    review, after = out["review"], out["after"]
    assert review.suggestion == ("可以确定：行政复议总计 应为 11（10 + 1 + 0 + 0 = 11）——"
                                 "总计为 0 而其分项之和为 11，像是漏填了总计")
    assert suggestion_en(review) == ("determined: reviews: total should be 11 (10 + 1 + 0 + 0 = 11) — "
                                     "the total was left at 0 while its parts add up to 11")
    assert after.suggestion.startswith("最可能是 复议后起诉总计 应为 5（5 + 0 + 0 + 0 = 5）——总计为 0 而其分项之和为 5")
    assert after.suggestion.endswith("也可能是 复议后起诉结果维持 应为 0")
    assert "total should be 5" in suggestion_en(after)
