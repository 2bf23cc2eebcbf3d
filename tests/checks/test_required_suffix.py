"""``required_suffix``: the literal every match of a pattern ends with, used to skip blocks without it."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from validator.checks.base import required_suffix
from validator.engine import compile_rules
from validator.ruleset import load_all_rulesets


@pytest.mark.parametrize(("pattern", "suffix"), [
    ("(未发生|没有发生|无|未收到|没有)(因政府信息公开(工作)?(而)?(被申请)?)?行政复议", "行政复议"),
    ("(未收到|没有收到|无)(政府信息公开|依申请公开)申请", "申请"),
    ("(全部|均|全都|全数)(按期|按时|在法定期限内)(答复|办结)", ""),
    ("维持|撤销", ""),  # an alternative without it
    ("全部维持?", ""),  # the last character is optional
    ("(维持){2}", ""),
    ("维持$", ""),
    (r"维持\d", ""),
    ("维持[了]", ""),
    ("(?i)维持", ""),
    ("维持(?=了)", ""),
    ("均.维持", "维持"),
    ("^均维持", "均维持"),
])
def test_examples(pattern, suffix):
    assert required_suffix(pattern) == suffix


_PIECES = st.lists(st.sampled_from(["维持", "均", "了", "(", ")", "|", "?", "*", "+", ".", "{1,2}", "撤销"]),
                   max_size=8).map("".join)


@settings(max_examples=500, deadline=None)
@given(_PIECES, st.text(alphabet="维持均了撤销x", max_size=12))
def test_a_text_without_the_suffix_has_no_match(pattern, text):
    try:
        compiled = re.compile(pattern)
    except re.error:
        return
    suffix = required_suffix(pattern)
    for m in compiled.finditer(text):
        assert m.group(0).endswith(suffix)


def test_claim_patterns_of_every_template():
    """The claim rules' patterns: every match found without the shortcut ends with the suffix."""
    for ruleset in load_all_rulesets():
        for kind in compile_rules(ruleset):
            if kind.NAME == "claim" and kind.suffix:
                assert kind.pattern.pattern.endswith(kind.suffix)
