"""``required_literals``: literals one of which every match of a pattern contains, used to skip blocks."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from validator.checks.base import required_literals
from validator.engine import compile_rules
from validator.ruleset import load_all_rulesets


@pytest.mark.parametrize(("pattern", "literals"), [
    ("(未发生|没有发生|无|未收到|没有)(因政府信息公开(工作)?(而)?(被申请)?)?行政复议", ("行政复议",)),
    ("(未收到|没有收到|无)(政府信息公开|依申请公开)申请", ("政府信息公开", "依申请公开")),
    ("(全部|均|全都|全数)(按期|按时|在法定期限内)(答复|办结)", ("答复", "办结")),
    ("(均获维持|均维持)", ("均获维持", "均维持")),
    ("维持|撤销", ()),  # an alternative outside any group
    ("全部维持?", ("全部维",)),  # the last character is optional
    ("(维持){2}", ()),
    ("维持{1,2}撤销", ("撤销",)),
    ("a(b|)c", ("c",)),  # a group with an empty alternative
    ("ab+c", ("ab",)),
    (r"维持\d", ()),
    ("维持[了]", ()),
    ("(?i)维持", ()),
    ("均.维持", ("维持",)),
    ("^均维持$", ("均维持",)),
])
def test_examples(pattern, literals):
    assert required_literals(pattern) == literals


_PIECES = st.lists(st.sampled_from(["维持", "均", "了", "(", ")", "|", "?", "*", "+", ".", "{1,2}", "{0,1}", "撤销",
                                    "^", "$"]), max_size=9).map("".join)


@settings(max_examples=1000, deadline=None)
@given(_PIECES, st.text(alphabet="维持均了撤销x", max_size=14))
def test_every_match_contains_one(pattern, text):
    try:
        compiled = re.compile(pattern)
    except (re.error, OverflowError):
        return
    literals = required_literals(pattern)
    if not literals:
        return
    for m in compiled.finditer(text):
        assert any(lit in m.group(0) for lit in literals)
    if compiled.search(text):
        assert any(lit in text for lit in literals)


def test_claim_patterns_of_every_template():
    """The claim rules' patterns all get literals to test first."""
    for ruleset in load_all_rulesets():
        for kind in compile_rules(ruleset):
            if kind.NAME == "claim":
                assert kind.literals, kind.rule.params["pattern"]
