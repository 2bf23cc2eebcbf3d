"""The fast paths of the narrative extractor against the plain spelling of the same rules, on random text."""

from __future__ import annotations

import bisect
import random
import re

import pytest

from tests.number_oracle import scan_numbers
from validator.extract.narrative import (
    _DELIM_RE,
    _SENTENCE_ENDS,
    COUNT_UNITS,
    DATE_UNITS,
    _clause_begin,
    _clean_phrase,
    _sentence_at,
    extract_narrative,
)
from validator.numbers import _approx, nfkc_keeping_offsets
from validator.read.document import Block, Document
from validator.ruleset import load_ruleset

_ALPHABET = ("0123456789０９-.,，。；一二十百万亿两三零年月日季度周第件条个人次元万亿小时%％余多 \u3000\xa0"
             "占共受理申请其中：（）")
_COUNT_UNIT = re.compile("|".join(map(re.escape, COUNT_UNITS)))


# The list-based spellings of the clause and sentence searches the extractor makes on the reversed text.

def _clause_start(delims: list[int], pos: int, floor: int) -> int:
    """Where the clause holding ``pos`` starts: just after the last delimiter before ``pos`` (``delims``
    are the sorted offsets of the text's ``_DELIMS``), but not before ``floor``."""
    if pos <= floor:
        return pos
    k = bisect.bisect_left(delims, pos)
    return max(floor, delims[k - 1] + 1) if k else floor


def _sentence(text: str, ends: list[int], start: int, end: int) -> tuple[str, int]:
    """The sentence around ``text[start:end]`` (at most about 80 characters each side) and the figure's
    offset in it; ``ends`` are the sorted offsets of the text's sentence ends."""
    reach = 80
    k = bisect.bisect_left(ends, start)
    if k and ends[k - 1] >= start - reach:
        a, prefix = ends[k - 1] + 1, ""  # just after the previous sentence's end
    else:
        a = max(0, start - reach)
        prefix = "…" if a > 0 and text[a - 1] not in _SENTENCE_ENDS else ""
    k = bisect.bisect_left(ends, end, k)
    if k < len(ends) and ends[k] < end + reach:
        return prefix + text[a:ends[k] + 1], start - a + len(prefix)  # up to the sentence's end, with it
    b = min(len(text), end + reach)
    if b < len(text) and text[b] not in _SENTENCE_ENDS:
        return prefix + text[a:b] + "…", start - a + len(prefix)
    return prefix + text[a:b + 1], start - a + len(prefix)


def _plain_numbers(text: str, table_spans: list[tuple[int, int]]) -> list[tuple]:
    """The narrative's numbers as the extractor first found them: every number ``scan_numbers`` finds,
    its unit read from the four characters after it (after at most three spaces), its context from the
    list of sentence ends."""
    text = nfkc_keeping_offsets(text)
    out = []
    prev_end = 0
    delims = [m.start() for m in _DELIM_RE.finditer(text)]
    ends = [i for i in delims if text[i] in _SENTENCE_ENDS]
    for tok_start, tok_end, value, decimals, _raw, chinese in scan_numbers(text):
        if any(a <= tok_start < e for a, e in table_spans):
            prev_end = tok_end
            continue
        g = text[tok_end:tok_end + 3]
        gap = len(g) - len(g.lstrip(" \u3000\xa0"))
        after = text[tok_end + gap:tok_end + gap + 4]
        if (tok_start and text[tok_start - 1] == "第") or after.startswith(DATE_UNITS):
            prev_end = tok_end
            continue
        percent = after[:1] in ("%", "％")
        rest = after[1:] if after[:1] in ("余", "多") else after
        unit = "%" if percent else ((um := _COUNT_UNIT.match(rest)) and um.group(0) or "")
        if chinese and not unit:
            continue
        if not chinese and value >= 10_000_000 and not unit:
            continue
        end = tok_end + gap + (1 if percent else (after.index(unit) + len(unit) if unit else -gap))
        phrase = _clean_phrase(text[_clause_start(delims, tok_start, prev_end):tok_start])
        out.append((tok_start, end, value, decimals, unit, _approx(text, tok_start, tok_end), percent, phrase,
                    not unit and not percent, *_sentence(text, ends, tok_start, end)))
        prev_end = end
    return out


def _random_blocks(n: int, longest: int = 30) -> list[str]:
    rng = random.Random(11)
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, longest))) for _ in range(n)]


@pytest.mark.parametrize(("with_spans", "longest"), [(False, 30), (True, 30), (False, 400)])
def test_narrative_numbers_match_their_plain_spelling(with_spans: bool, longest: int) -> None:
    """(Blocks of up to 400 characters: contexts that reach their 80 characters, figures that share one.)"""
    ruleset = load_ruleset("national-2021")
    rng = random.Random(5)
    texts = _random_blocks(4000 if longest <= 30 else 600, longest)
    blocks = [Block(t, [(0, i + 1, 1, None), (len(t) // 2, i + 1, 40, 2)]) for i, t in enumerate(texts)]
    spans: dict[int, list[tuple[int, int]]] = {}
    if with_spans:
        for i, t in enumerate(texts):
            if t and rng.random() < 0.7:
                a = rng.randrange(len(t))
                spans[i] = [(a, a + rng.randint(1, 8))]
    doc = Document("random.txt", "text", texts, blocks)
    got = extract_narrative(doc, ruleset, skip_blocks=spans).numbers
    expected = [(bi, *n) for bi, t in enumerate(texts) for n in _plain_numbers(t, spans.get(bi, []))]
    assert [(n.block, n.start, n.end, n.value, n.decimals, n.unit, n.approx, n.percent, n.phrase, n.bare,
             n.context, n.context_offset) for n in got] == expected
    for n in got:
        block = blocks[n.block]
        pos = block.locate(n.start)
        assert (n.line, n.column, n.page) == (pos.line, pos.column, pos.page)


def test_block_place_matches_locate() -> None:
    block = Block("x" * 50, [(0, 3, 5, None), (10, 4, 1, 2), (30, 9, 7, 3)])
    for off in range(50):
        i = max(bisect.bisect_right([0, 10, 30], off) - 1, 0)
        start, line, column, page = block.anchors[i]
        assert block.place(off) == (line, column + off - start, page)
        assert block.locate(off).column == column + off - start


def test_searches_match_the_list_spellings() -> None:
    """The searches of the reversed text against the bisections of the lists of delimiters."""
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


def test_sentence_matches_its_plain_spelling() -> None:
    def plain(text: str, start: int, end: int) -> tuple[str, int]:
        reach = 80
        lo = max(0, start - reach)
        before = [i for i in range(lo, start) if text[i] in _SENTENCE_ENDS]
        a = before[-1] + 1 if before else lo
        after = [i for i in range(end, min(len(text), end + reach)) if text[i] in _SENTENCE_ENDS]
        b = after[0] if after else min(len(text), end + reach)
        prefix = "…" if a > 0 and text[a - 1] not in _SENTENCE_ENDS else ""
        suffix = "…" if b < len(text) and text[b] not in _SENTENCE_ENDS else ""
        return prefix + text[a:b + 1 if not suffix else b] + suffix, start - a + len(prefix)

    rng = random.Random(3)
    for _ in range(3000):
        text = "".join(rng.choice("一二。；;！?\n，,件 ") for _ in range(rng.randint(1, 300)))
        ends = [i for i, ch in enumerate(text) if ch in _SENTENCE_ENDS]
        for _ in range(5):
            start = rng.randrange(len(text))
            end = min(len(text), start + rng.randint(0, 4))
            assert _sentence(text, ends, start, end) == plain(text, start, end), (text, start, end)


def test_keyed_back_matches_the_walk_back() -> None:
    from validator.extract.narrative import Stated, _back, _keyed_back

    rng = random.Random(9)
    for _ in range(300):
        numbers = [Stated(i, 0, i, i + 1, 1.0, 0, "1", "件", "", rng.random() < 0.2, "", 1, 1, None, "",
                          key=rng.choice([None, "a", "b", "c"])) for i in range(rng.randint(0, 900))]
        by_key: dict[str, list[int]] = {}
        for m in numbers:
            if m.key is not None and not m.percent:
                by_key.setdefault(m.key, []).append(m.idx)
        for idx in range(0, len(numbers), 7):
            for key in ("a", "b", "z"):
                plain = [m for m in _back(numbers, idx, limit=400) if m.key == key and not m.percent]
                assert list(_keyed_back(numbers, by_key, key, idx)) == plain


def test_long_runs_of_numerals_take_linear_time() -> None:
    import time

    from validator.extract.narrative import _FIGURE_NUMBERS

    def seconds(text: str) -> float:
        start = time.perf_counter()
        assert not list(_FIGURE_NUMBERS.finditer(text))
        return time.perf_counter() - start

    short = min(seconds(("一" * 8 + "x") * 66_000) for _ in range(3))
    long = min(seconds(("一" * 298 + "x") * 2_000) for _ in range(3))  # as long, in runs 37x as long
    assert long < 5 * short + 0.05  # quadratic: about 37x


def test_runs_too_long_to_be_numbers_are_found_and_skipped() -> None:
    """A run of hundreds of numerals is found (as one token) but is no number: read digit by digit it would
    exceed a float (309 九) or the digits int() accepts (over 4,300), and the report could not be read."""
    from validator.extract.narrative import _FIGURE_NUMBERS

    assert [m.span() for m in _FIGURE_NUMBERS.finditer("x" + "一" * 300 + "。" + "九" * 299)] == [(1, 301)]
    ruleset = load_ruleset("national-2021")
    for run in ("九" * 309 + "件", "九" * 5000 + "件", "一" * 33 + "件", "9" * 400 + "件", "9" * 33 + "件",
                "9" * 400 + "%", "１" * 400 + "件", "9" * 400, "9" * 5000 + ".5件"):
        narrative = extract_narrative(Document("x.txt", "text", [], [Block.at("共" + run, 1)]), ruleset)
        assert narrative.numbers == []
    kept = extract_narrative(Document("x.txt", "text", [], [Block.at("共受理申请二千五百五十五件", 1)]), ruleset)
    assert [(n.value, n.text) for n in kept.numbers] == [(2555.0, "二千五百五十五")]
    kept = extract_narrative(Document("x.txt", "text", [], [Block.at("共" + "9" * 32 + "件", 1)]), ruleset)
    assert [(n.value, n.text) for n in kept.numbers] == [(float("9" * 32), "9" * 32)]


def test_in_brackets_matches_its_plain_spelling() -> None:
    """Whether a position is inside a bracket: the nearest of （ ( ） ) 。 within 199 characters before it
    opens one."""
    from validator.extract.narrative import _in_brackets

    def plain(text: str, pos: int) -> bool:
        marks = [i for i in range(max(0, pos - 199), pos) if text[i] in "（()）。"]
        return bool(marks) and text[marks[-1]] in "（("

    rng = random.Random(17)
    for _ in range(3000):
        text = "".join(rng.choice("（()）。一，x") for _ in range(rng.randint(1, 260)))
        for pos in {rng.randrange(len(text) + 1) for _ in range(8)} | {0, len(text)}:
            assert _in_brackets(text, pos) == plain(text, pos), (text, pos)


def test_classify_is_the_first_category_that_matches() -> None:
    """Breakdown items classified (and remembered) as the plain loop over the categories does."""
    from validator.extract.narrative import _classify
    from validator.ruleset import load_all_rulesets

    rng = random.Random(19)
    breakdowns = [bd for rs in load_all_rulesets() for bd in rs.breakdowns]
    words = sorted({p for bd in breakdowns for c in bd.categories for p in c.patterns if p.isalnum()})
    phrases = ["".join(rng.choice(words + ["的", "申请", "复议", "x"]) for _ in range(rng.randint(0, 4)))
               for _ in range(500)]
    for bd in breakdowns:
        for phrase in phrases * 2:  # (the second time, remembered)
            plain = next((c.key for c in bd.categories if any(re.search(p, phrase) for p in c.patterns)), None)
            assert _classify(bd, phrase) == plain, (bd.name, phrase)


def test_each_count_unit_is_listed_once():
    from validator.extract.narrative import COUNT_UNITS

    assert len(set(COUNT_UNITS)) == len(COUNT_UNITS)
