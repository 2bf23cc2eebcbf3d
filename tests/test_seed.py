"""The seed (北京市朝阳区 2017, old template): exactly its true discrepancies, with their numbers and lines."""

from __future__ import annotations


def _by_rule(result, rule):
    return [f for f in result.findings if f.rule == rule]


def test_detected(seed_result):
    assert seed_result.error is None
    assert (seed_result.template, seed_result.year, seed_result.body) == ("old-2014", 2017, "北京市朝阳区人民政府")


def test_only_these_findings(seed_result):
    got = sorted((f.rule, f.severity, f.instance) for f in seed_result.findings)
    assert got == [
        ("M1", "error", "litigation"),
        ("O6", "error", ""),
        ("P1", "warning", ""),
        ("P1", "warning", ""),
        ("T2", "info", ""),
    ]


def test_staff_count(seed_result):
    (f,) = _by_rule(seed_result, "O6")
    assert f.message == "从事政府信息公开工作人员数 224 ≠ 专职人员数 52 + 兼职人员数 183 = 235"
    assert f.message_en == "full-time staff 52 + part-time staff 183 = 235, but staff working on disclosure is reported as 224"
    assert (f.expected, f.actual) == (235, 224)
    where = [(loc.key, loc.source, loc.line, loc.column, loc.text) for loc in f.locations]
    assert where == [
        ("staff.total", "table", 926, 1, "224"),
        ("staff.full_time", "table", 936, 1, "52"),
        ("staff.part_time", "table", 946, 1, "183"),
        ("staff.total", "narrative", 163, 48, "224"),
        ("staff.full_time", "narrative", 163, 59, "52"),
        ("staff.part_time", "narrative", 163, 67, "183"),
    ]


def test_in_person_share(seed_result):
    f = next(f for f in _by_rule(seed_result, "P1") if "当面申请" in f.message)
    assert f.message == "当面申请 784件 ÷ 总数 2555 = 30.6849%，不在所报 30.69% 的舍入区间 [30.685, 30.695] 内（应为 30.68%）"
    assert (f.expected, f.actual) == (30.68, 30.69)
    assert [(loc.role, loc.line, loc.column, loc.text) for loc in f.locations] == [
        ("percent", 125, 35, "30.69"), ("count", 125, 26, "784"), ("total", 125, 13, "2555")]


def test_not_this_body_share_is_a_forced_rounding_too(seed_result):
    # 254 / 2258 = 11.2489%, which rounds to 11.2%; the report printed 11.3% so its shares total 100.0%.
    f = next(f for f in _by_rule(seed_result, "P1") if "不属于本行政机关公开" in f.message)
    assert (f.expected, f.actual) == (11.2, 11.3)
    assert [(loc.line, loc.text) for loc in f.locations] == [(135, "11.3"), (135, "254"), (129, "2258")]


def test_litigation_breakdown(seed_result):
    (f,) = _by_rule(seed_result, "M1")
    assert f.expected == {"维持或驳回诉讼请求": 55, "被依法纠错": 11, "其他情形": 25}
    assert f.actual == {"维持或驳回诉讼请求": 55, "被依法纠错": 17, "其他情形": 19}
    assert "被依法纠错 11（判决撤销 8 + 判决行政机关履行法定职责 3）" in f.message
    assert "其他情形 25（裁定驳回起诉 4 + 裁定撤诉 2 + 其他情形数 19）" in f.message
    assert [(loc.line, loc.text) for loc in f.locations if loc.source == "table"] == [(844, "55"), (854, "17"), (864, "19")]
    assert [loc.column for loc in f.locations if loc.source == "narrative"] == [32, 40, 55, 64, 71, 79]


def test_on_time_claim_is_only_a_note(seed_result):
    (f,) = _by_rule(seed_result, "T2")
    assert f.severity == "info"
    assert f.actual == 472
    assert "已到答复期的2258全部按期答复" in f.message


def test_review_breakdown_and_correct_shares_pass(seed_result):
    from validator.extract import extract
    from validator.read import read_document
    from validator.ruleset import load_ruleset

    ex = extract(read_document(seed_result.path), load_ruleset("old-2014"))
    (review,) = [b for b in ex.narrative.breakdowns if b.breakdown.name == "review"]
    nums = ex.narrative.numbers
    sums: dict[str, float] = {}
    for it in review.items:
        sums[it.category] = sums.get(it.category, 0) + nums[it.number].value
    assert sums == {"review.upheld": 42, "review.corrected": 30, "review.other": 25}
    assert nums[review.total].value == 97
    assert not [f for f in seed_result.findings if f.rule in {"O1", "O2", "O3", "O4", "O5", "O7", "O8", "O9", "O10",
                                                             "T1", "P2", "P3"}]
    # 13 percentages were read and tied to their totals; 11 agree with their counts
    assert len(ex.narrative.percents) == 13


def test_every_table_figure_read(seed_result):
    from validator.extract import extract
    from validator.read import read_document
    from validator.ruleset import load_ruleset

    rs = load_ruleset("old-2014")
    ex = extract(read_document(seed_result.path), rs)
    assert sorted(f.key for f in ex.table) == sorted(rs.figures)
    got = {f.key: f.value for f in ex.table}
    assert (got["apply.received"], got["apply.answered"], got["proactive.total"], got["training.people"]) == (
        2555, 2258, 58524, 5822)
    assert ex.table_figure("training.people").unit == "人次"
