"""Every way a number is printed in these reports, read back exactly (one line per case)."""

from __future__ import annotations

import pytest

from tests.number_oracle import find_numbers
from validator.numbers import parse_cell, parse_chinese


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


def test_over_long_arabic_numbers_are_no_numbers():
    """A run of hundreds of digits is no figure (from 309 digits on it would read as inf), as over-long
    Chinese numerals are none: in the narrative and in a table cell alike."""
    from validator.numbers import ARABIC_LONGEST

    longest = "9" * ARABIC_LONGEST
    assert [t.text for t in find_numbers(f"共{longest}件，{longest}9件，{'9' * 400}件")] == [longest]
    assert parse_cell(longest) == ("value", float(longest), 0)
    for cell in ("9" * 400, "9" * 33, "9" * 400 + ".5", "１" * 400, "-" + "9" * 400, "9" * 400 + "%"):
        assert parse_cell(cell) == ("text", None, 0), cell


def test_positions_are_offsets_in_the_text():
    text = "其中，当面申请784件，占总数的30.69%"
    assert [(t.start, t.end, text[t.start:t.end]) for t in find_numbers(text)] == [(7, 10, "784"), (16, 21, "30.69")]


# The fast paths of numbers.py against the plain spelling of the same rules, on random text.
_ALPHABET = "0123456789０９-－−.．,，一二十百万亿两零〇年件元余多左右以上下约近超过逾将第无暂没有—/／…\\ \n\u3000\xa0%％占（）"


def _random_texts(n: int, longest: int = 14):
    import random

    rng = random.Random(7)
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, longest))) for _ in range(n)]


def test_number_regex_matches_its_plain_spelling():
    import re

    from validator.numbers import _ARABIC_NUMBER, CN_NUMERAL, number_regex

    fast_re = number_regex()
    plain = re.compile(rf"(?P<arabic>{_ARABIC_NUMBER})|(?P<cn>[{CN_NUMERAL}]+)")
    for text in _random_texts(20_000):
        fast = [(m.span(), m.lastgroup == "cn") for m in fast_re.finditer(text)]
        assert fast == [(m.span(), m.lastgroup == "cn") for m in plain.finditer(text)], text


def test_approximation_marks_match_their_plain_spelling():
    from validator.numbers import _approx

    def plain(text, start, end):
        before, after = text[max(0, start - 4):start], text[end:end + 3]
        if after.startswith(("余", "多", "左右", "以上", "上下")) or before.endswith(("超过", "逾")):
            return "≥"
        if before.endswith(("近", "将近", "接近")):
            return "≤"
        if before.endswith(("约", "大约")) or after.startswith("左右"):
            return "≈"
        return ""

    for text in _random_texts(5_000):
        for start in range(len(text) + 1):
            for end in range(start, min(len(text), start + 3) + 1):
                assert _approx(text, start, end) == plain(text, start, end), (text, start, end)


def test_cells_match_their_plain_spelling():
    from validator.numbers import _CELL_NUMBER, DASHES, NONE_WORDS, parse_arabic

    def plain(text):
        t = text.replace("\xa0", " ").replace("\u3000", " ").strip()
        if not t:
            return "blank", None, 0
        if t in DASHES or set(t) <= set("-－—–―─/／"):
            return "dash", None, 0
        if t in NONE_WORDS:
            return "none", None, 0
        m = _CELL_NUMBER.match(t)
        return ("value", *parse_arabic(m.group(1))) if m else ("text", None, 0)

    for text in [*_random_texts(20_000, longest=4), "暂无", "没有", "——", "…", "\\", " 12 %", "1,234.5"]:
        assert parse_cell(text) == plain(text), text


@pytest.mark.parametrize("text", [
    "", "abc", "主动公开政府信息58524条", "共受理申请２５５５件，占总数的３０．６９％（含结转）；",
    "Ａ\u0301", "，\u0301", "（\u0308）", "㎡、①和ｶﾞ", "全角　空格",
])
def test_nfkc_is_unicode_nfkc(text):
    import unicodedata

    from validator.numbers import nfkc

    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_arabic_value_is_parse_arabic():
    import re

    from validator.numbers import _ARABIC, arabic_value, parse_arabic

    number = re.compile(_ARABIC)
    for text in _random_texts(20_000):
        for m in number.finditer(text):
            assert arabic_value(m.group()) == parse_arabic(m.group()), m.group()


def test_an_over_long_run_of_digits_in_a_text_grid_is_label_text_not_a_number():
    from validator.extract.text_grid import tokenize
    from validator.read.text import read_text

    doc = read_text(f"本年新收申请 12 件 {'9' * 400} 其他 3\n".encode(), "grid.txt")
    toks = tokenize(doc)
    assert [t.value for t in toks if t.kind == "num"] == [12.0, 3.0]
    assert any(t.kind == "text" and t.text == "9" * 400 for t in toks)
