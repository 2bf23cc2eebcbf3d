"""Every way a number is printed in these reports, read back exactly (one line per case)."""

from __future__ import annotations

import pytest

from validator.numbers import find_numbers, parse_cell, parse_chinese


@pytest.mark.parametrize(("cell", "expected"), [
    ("58524", ("value", 58524, 0)),
    ("", ("blank", None, 0)),
    ("\xa0", ("blank", None, 0)),
    ("\u3000 ", ("blank", None, 0)),
    ("-", ("dash", None, 0)),
    ("—", ("dash", None, 0)),
    ("——", ("dash", None, 0)),
    ("/", ("dash", None, 0)),
    ("无", ("none", None, 0)),
    ("１２３", ("value", 123, 0)),
    ("2,555", ("value", 2555, 0)),
    ("96171.6", ("value", 96171.6, 1)),
    ("30.69", ("value", 30.69, 2)),
    ("-18", ("value", -18, 0)),
    ("－18", ("value", -18, 0)),
    ("合计", ("text", None, 0)),
])
def test_cells(cell, expected):
    assert parse_cell(cell) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("五", 5), ("十三", 13), ("两千", 2000), ("二〇一七", 2017), ("一万零五", 10005), ("三百二十", 320),
])
def test_chinese_numerals(text, expected):
    assert parse_chinese(text) == expected


@pytest.mark.parametrize(("text", "values"), [
    ("共受理申请2,555件", [(2555, "2,555", "")]),
    ("全年出版五期", [(5, "五", "")]),
    ("发布信息两千余条", [(2000, "两千", "≥")]),
    ("约300人参加", [(300, "300", "≈")]),
    ("近2000件", [(2000, "2000", "≤")]),
    ("超过1500条", [(1500, "1500", "≥")]),
    ("2017-2018年", [(2017, "2017", ""), (2018, "2018", "")]),
    ("本年增/减-18", [(-18, "-18", "")]),
    ("收费96171.6万元", [(96171.6, "96171.6", "")]),
    ("占总数的30.69%", [(30.69, "30.69", "")]),
])
def test_numbers_in_text(text, values):
    assert [(t.value, t.text, t.approx) for t in find_numbers(text)] == values


def test_positions_are_offsets_in_the_text():
    text = "其中，当面申请784件，占总数的30.69%"
    assert [(t.start, t.end, text[t.start:t.end]) for t in find_numbers(text)] == [(7, 10, "784"), (16, 21, "30.69")]
