"""The seed: 从事政府信息公开工作人员数 224 ≠ 专职 52 + 兼职 183, and the narrative restates all three."""

from __future__ import annotations

from validator.localise import localise, suggest, suggestion_en, suggestions


def _o6(findings):
    (f,) = [f for f in findings if f.rule == "O6"]
    return f


def test_every_single_figure_fix_is_offered(seed):
    ex, findings = seed
    (s,) = localise(ex, findings)
    assert s.rules == ("O6",)
    assert not s.unique
    assert [c.corrections for c in s.candidates] == [
        {"staff.part_time": 172}, {"staff.full_time": 41}, {"staff.total": 235}]
    assert all(c.kind == "arithmetic" for c in s.candidates)  # no slip explains any of them


def test_the_suggestion_says_the_narrative_confirms_them_all(seed):
    ex, findings = seed
    out = suggest(ex, findings)
    f = _o6(out)
    assert f.suggestion == (
        "无法唯一确定，可能是 兼职人员数 应为 172（52 + 172 = 224），或 专职人员数 应为 41，"
        "或 从事政府信息公开工作人员数 应为 235；正文也复述了 183、52、224，各种改法同样得到印证，需核对原始记录")
    assert suggestion_en(f) == (
        "cannot be pinned down: part-time staff should be 172 (52 + 172 = 224), or full-time staff should be 41, "
        "or staff working on disclosure should be 235; the narrative restates 183, 52, 224 too, so each fix is "
        "equally confirmed: check the source records")


def test_only_the_arithmetic_finding_is_touched(seed):
    ex, findings = seed
    out = suggest(ex, findings)
    assert [f.rule for f in out] == [f.rule for f in findings]
    assert [f.fingerprint for f in out] == [f.fingerprint for f in findings]
    assert [f.rule for f in out if f.suggestion] == ["O6"]
    assert all(suggestion_en(f) is None for f in out if f.rule != "O6")


def test_the_structured_form_by_fingerprint(seed):
    ex, findings = seed
    by_fp = suggestions(ex, findings)
    f = _o6(findings)
    assert list(by_fp) == [f.fingerprint]
    s = by_fp[f.fingerprint]
    assert s.fingerprints == (f.fingerprint,)
    assert s.culprits == ("staff.part_time",) and s.corrections == {"staff.part_time": 172}
    assert "part-time staff should be 172" in s.text_en


def test_a_corrected_seed_has_nothing_to_localise(seed):
    from tests.localise.experiment import with_values

    ex, _ = seed
    assert localise(with_values(ex, {"staff.total": 235})) == []


def test_a_figure_the_narrative_restates_is_put_back_to_its_value(seed):
    from tests.localise.experiment import with_values

    ex, _ = seed
    bad = with_values(ex, {"staff.total": 235, "apply.in_person": 748})  # 784 transposed; the text says 784
    (s,) = localise(bad)
    assert s.rules == ("O1",) and not s.unique  # any of the five figures of O1 could absorb it
    assert s.corrections == {"apply.in_person": 784}
    assert s.best.kinds[:2] == ("narrative", "transposition")
    assert s.text_zh.startswith("最可能是 当面申请数 应为 784（784 + 1 + 381 + 1389 = 2555）——正文为 784；"
                                "784 的相邻两位数字颠倒成了 748；也可能是 ")
    d = s.to_dict()
    assert d["corrections"] == {"apply.in_person": 784} and d["kind"] == "narrative"
    assert d["candidates"][0]["printed"] == {"apply.in_person": 748}


def test_an_inequality_gives_a_range(seed):
    from tests.localise.experiment import with_values
    from validator.engine import evaluate

    ex, _ = seed
    bad = with_values(ex, {"staff.total": 235, "response.press_leaders": 300})  # 17 → 300 > 224 press conferences
    findings = evaluate(bad.ruleset, [bad])[0].findings
    out = suggest(bad, findings)
    (f,) = [f for f in out if f.rule == "O8"]
    assert f.instance == "response.press_leaders"
    assert f.suggestion.startswith("无法唯一确定，可能是 ")
    assert "主要负责同志参加新闻发布会次数 应不大于 224" in f.suggestion
    assert "参加或举办新闻发布会总次数 应不小于 300" in f.suggestion


def test_a_decimal_the_narrative_also_prints_is_recognised():
    """30.69 printed in the table and in the text is the same number (not 30.69's binary expansion)."""
    from fractions import Fraction

    from validator.localise import Candidate, _confirmed
    from validator.localise.slips import Evidence

    ev = Evidence(stated={"fees.total": [Fraction("30.69")]})
    cand = Candidate(corrections={"fees.total": 31.2}, old={"fees.total": 30.69}, slips=(), score=1.0,
                     determined=True, bounds={})
    assert _confirmed((cand,), ev) == [("fees.total", 30.69)]
    assert _confirmed((Candidate({"fees.total": 31.2}, {"fees.total": 30.7}, (), 1.0, True, {}),), ev) == []
