"""How numbers are printed in these reports, and how to read them back exactly.

Full-width digits, thousands separators, Chinese numerals (五期, 十三篇, 两千余条), approximate
words (约, 近, 超过, 余) and the many ways of printing "nothing" in a table cell (blank, ``&nbsp;``,
``-``, ``—``, ``/``, ``无``). Every token keeps its offset in the text it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FULLWIDTH = str.maketrans("０１２３４５６７８９．－％，", "0123456789.-%,")

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
CN_NUMERAL = "零〇一二两三四五六七八九十百千万亿"

# A number as printed: optional sign, digits with optional thousands separators, optional decimals.
_ARABIC = r"[-－−]?[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?"
_NUMBER_RE = re.compile(
    rf"(?P<arabic>(?<![0-9０-９.．]){_ARABIC}(?![0-9０-９]))"
    rf"|(?P<cn>[{CN_NUMERAL}]+)"
)
_APPROX_AFTER = ("余", "多", "左右", "以上", "上下")

DASHES = {"-", "－", "—", "——", "–", "―", "─", "/", "／", "\\", "…"}
NONE_WORDS = {"无", "暂无", "没有"}


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


def normalise_digits(text: str) -> str:
    """Full-width digits and signs to ASCII, keeping every character's position."""
    return text.translate(FULLWIDTH)


def parse_arabic(token: str) -> tuple[float, int]:
    """``"2,555"`` → (2555.0, 0); ``"30.69"`` → (30.69, 2)."""
    t = normalise_digits(token).replace(",", "").replace("−", "-")
    decimals = len(t.split(".", 1)[1]) if "." in t else 0
    return float(t), decimals


def parse_chinese(token: str) -> int | None:
    """Chinese numerals to an integer: 十三 → 13, 两千 → 2000, 二〇一七 → 2017; None if malformed."""
    if not token:
        return None
    if all(ch in "零〇一二三四五六七八九" for ch in token) and len(token) > 1:
        return int("".join(str(_CN_DIGITS[ch]) for ch in token))  # digit-by-digit, as in years
    total, section, digit = 0, 0, None
    for ch in token:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit >= 10_000:
                section = (section + (digit or 0)) * unit
                total += section
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
        else:
            return None
    return total + section + (digit or 0)


def find_numbers(text: str) -> list[NumberToken]:
    """Every number in ``text`` (Arabic or Chinese numerals), in order, with approximation marks."""
    out: list[NumberToken] = []
    for m in _NUMBER_RE.finditer(text):
        raw = m.group(0)
        if m.group("arabic"):
            if raw[0] in "-－−" and m.start() > 0 and text[m.start() - 1].isdigit():
                raw = raw[1:]  # "2017-2018": a range, not a negative number
                start = m.start() + 1
            else:
                start = m.start()
            value, decimals = parse_arabic(raw)
            chinese = False
        else:
            start = m.start()
            parsed = parse_chinese(raw)
            if parsed is None or raw in {"万", "亿", "百", "千"}:
                continue
            value, decimals, chinese = float(parsed), 0, True
        end = start + len(raw)
        out.append(NumberToken(start, end, value, decimals, raw, chinese, _approx(text, start, end)))
    return out


def _approx(text: str, start: int, end: int) -> str:
    before = text[max(0, start - 4):start]
    after = text[end:end + 3]
    if after.startswith(_APPROX_AFTER) or before.endswith(("超过", "逾")):
        return "≥"
    if before.endswith(("近", "将近", "接近")):
        return "≤"
    if before.endswith(("约", "大约")) or after.startswith("左右"):
        return "≈"
    return ""


_CELL_NUMBER = re.compile(rf"^\s*({_ARABIC})\s*(%|％)?\s*$")


def parse_cell(text: str) -> tuple[str, float | None, int]:
    """A table cell's state and value: ("value", 58524.0, 0), ("blank", None, 0), ("dash", …)…

    States: value, blank (empty or white space only), dash (``-``, ``—``, ``/``…), none (``无``),
    text (anything else: a label, a note).
    """
    t = text.replace("\xa0", " ").replace("\u3000", " ").strip()
    if not t:
        return "blank", None, 0
    if t in DASHES or set(t) <= set("-－—–―─/／"):
        return "dash", None, 0
    if t in NONE_WORDS:
        return "none", None, 0
    m = _CELL_NUMBER.match(t)
    if m:
        value, decimals = parse_arabic(m.group(1))
        return "value", value, decimals
    return "text", None, 0
