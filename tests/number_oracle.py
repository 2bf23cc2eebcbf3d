"""Every number in a text, read the plain way: the tests' oracle for the narrative scanner's fast path.

(Formerly ``validator.numbers.find_numbers`` / ``scan_numbers``: the extractor inlines its own scan, so
only the tests use these.)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from validator.numbers import ARABIC_LONGEST, _approx, arabic_value, chinese_value, number_regex

_NUMBERS = number_regex()


@dataclass(frozen=True)
class NumberToken:
    """A number found in text: ``start``/``end`` are offsets in that text."""

    start: int
    end: int
    value: float
    decimals: int
    text: str
    chinese: bool = False
    approx: str = ""  # "", "≈", "≥" (余/多/超过) or "≤" (近)


def find_numbers(text: str) -> list[NumberToken]:
    """Every number in ``text`` (Arabic or Chinese numerals), in order, with approximation marks."""
    return [NumberToken(start, end, value, decimals, raw, chinese, _approx(text, start, end))
            for start, end, value, decimals, raw, chinese in scan_numbers(text)]


def scan_numbers(text: str) -> Iterator[tuple[int, int, float, int, str, bool]]:
    """``find_numbers`` without the approximation marks, as plain tuples
    ``(start, end, value, decimals, text, chinese)``."""
    for m in _NUMBERS.finditer(text):
        raw = m.group()
        start = m.start()
        if m.lastgroup != "cn":
            if raw[0] in "-－−" and start > 0 and text[start - 1].isdigit():
                raw = raw[1:]  # "2017-2018": a range, not a negative number
                start += 1
            if len(raw) > ARABIC_LONGEST:
                continue  # no number: a code, or garbage (it could read as inf)
            value, decimals = arabic_value(raw)
            yield start, start + len(raw), value, decimals, raw, False
        else:
            parsed = chinese_value(raw)
            if parsed is None:
                continue
            yield start, start + len(raw), float(parsed), 0, raw, True
