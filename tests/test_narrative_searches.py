"""The narrative's clause and sentence searches on the reversed text against the list-based spellings."""

from __future__ import annotations

import random

from validator.extract.narrative import (
    _DELIM_RE,
    _SENTENCE_ENDS,
    _clause_begin,
    _clause_start,
    _sentence,
    _sentence_at,
)


def test_searches_match_the_list_spellings() -> None:
    rng = random.Random(13)
    for _ in range(4000):
        text = "".join(rng.choice("一二。；;！?\n，,：:件 ") for _ in range(rng.randint(1, 300)))
        rev = text[::-1]
        delims = [m.start() for m in _DELIM_RE.finditer(text)]
        ends = [i for i in delims if text[i] in _SENTENCE_ENDS]
        for _ in range(5):
            start = rng.randrange(len(text))
            end = min(len(text), start + rng.randint(0, 4))
            floor = rng.randint(0, start + 2)
            assert _clause_begin(rev, start, floor) == _clause_start(delims, start, floor), (text, start, floor)
            assert _sentence_at(text, rev, start, end) == _sentence(text, ends, start, end), (text, start, end)
