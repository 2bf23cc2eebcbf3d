"""The sections rule's fast heading search finds exactly what a plain search of its pattern finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from validator.checks.sections import Sections
from validator.engine import compile_rules
from validator.ruleset import load_ruleset

_KIND = next(k for k in compile_rules(load_ruleset("national-2021")) if isinstance(k, Sections))
# Texts made of heading-like pieces: a character a heading may (or may not) follow, white space of several
# kinds, a numeral, white space, a mark (or not), a few characters, a title word (or not).
_WS = st.text(alphabet=" \t\n\r\u3000\xa0", max_size=3)
_HEADING = st.tuples(
    st.sampled_from(["", "。", "；", ":", ">", "9", "）", ")", "x", "(", "、"]), _WS,
    st.sampled_from([*"一二三四五六", "十", ""]), _WS, st.sampled_from(["、", ".", "．", "。", ""]),
    st.text(alphabet="x 。\n二、", max_size=3),
    st.sampled_from(["总体情况", "主动公开", "收到和处理", "行政复议", "存在的主要问题", "其他需要报告的事项", "其他"]),
).map("".join)
_TEXTS = st.lists(_HEADING, max_size=6).map("".join)


@settings(max_examples=500, deadline=None)
@given(_TEXTS, st.integers(min_value=0, max_value=len(_KIND.sections) - 1))
def test_fast_search_is_the_pattern_search(text, i):
    for whole, pattern in ((False, _KIND.patterns[i]), (True, _KIND.joined_patterns[i])):
        fast, plain = _KIND._search(i, text, whole=whole), pattern.search(text)
        assert (fast and (fast.span(), fast.group(0))) == (plain and (plain.span(), plain.group(0)))


def test_headings_found_in_real_layouts():
    text = "前言。一、总体情况\n  二 、主动公开政府信息情况）三.收到和处理政府信息公开申请情况"
    assert [(m.start(), m.group(0)) for i in range(3) if (m := _KIND._search(i, text))] == [
        (2, "。一、总体情况"), (9, "\n  二 、主动公开"), (25, "）三.收到和处理")]
