"""Shared UI strings and number formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest

from validator.model import Finding, Location
from validator.render import labels


def test_severity_and_source_names():
    assert [labels.severity_name(s) for s in ("error", "warning", "info")] == ["错误", "警告", "提示"]
    assert [labels.severity_name(s, "en") for s in ("error", "warning", "info")] == [
        "error",
        "warning",
        "info",
    ]
    assert labels.severity_name("fatal") == "fatal"
    assert [labels.source_name(s) for s in ("table", "narrative", "other")] == ["表格", "正文", "other"]
    assert labels.source_name("narrative", "en") == "text"


def test_unknown_language_means_chinese():
    assert labels.text("findings", "fr") == "发现问题"
    assert labels.text("findings", "en") == "Findings"
    assert labels.table("zh")["figures"] == "读取的数字"
    assert labels.table("en")["rules_checked"] == "Rules checked"
    assert set(labels.table("zh")) == set(labels.table("en"))


def test_place():
    loc = Location("k", "l", 1, "1", "table", 958, 1)
    assert labels.place(loc) == "第958行第1列"
    assert labels.place(loc, "en") == "line 958, column 1"
    pdf = Location("k", "l", 1, "1", "table", 12, 0, page=3, where="表格2 第3行 第4列")
    assert labels.place(pdf) == "第3页第12行（表格2 第3行 第4列）"
    assert labels.place(pdf, "en") == "page 3 line 12 (表格2 第3行 第4列)"


def test_line_numbers_and_titles(results, catalogue):
    o6, p1, _ = results[0].findings
    assert labels.line_numbers(o6) == [158, 958, 966, 976]
    assert labels.line_numbers(p1) == [129]
    assert labels.rule_title(o6, None) == "工作人员数等于专职与兼职人员数之和"
    assert labels.rule_title(p1, None) == ""
    assert labels.rule_title(p1, catalogue) == "所报百分比与分子、分母相符"
    assert (
        labels.rule_title(p1, catalogue, "en") == "Reported percentages match their numerator and denominator"
    )
    assert labels.rule_title(Finding("Q1", "info", "m", title="own"), catalogue, "en") == "own"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (224, "224"),
        (224.0, "224"),
        (30.69, "30.69"),
        (0.1 + 0.2, "0.30000000000000004"),
        (Decimal("1.50"), "1.5"),
        (1e21, "1000000000000000000000"),
        ([55, 17.0, 19], "55 / 17 / 19"),
        ({"维持": 17, "纠正": 19.0}, "维持 17，纠正 19"),
        ("三", "三"),
        (None, ""),
        (True, "True"),
    ],
)
def test_fmt_number(value, text):
    assert labels.fmt_number(value) == text


def test_fmt_signed_and_plain():
    assert labels.fmt_signed(Decimal("-11")) == "-11"
    assert labels.fmt_signed(Decimal("0.010")) == "+0.01"
    assert labels.fmt_signed(Decimal("0")) == "0"
    assert labels.plain({"a": [1.0, 2.5, (3.0,)]}) == {"a": [1, 2.5, [3]]}


def test_xml_safe():
    assert labels.xml_safe("a\x00b\x08c\td\ne\rf\x1fg") == "abc\td\ne\rfg"
