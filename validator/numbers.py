"""How numbers are printed in these reports, and how to read them back exactly.

Full-width digits, thousands separators, Chinese numerals (五期, 十三篇, 两千余条), approximate
words (约, 近, 超过, 余) and the many ways of printing "nothing" in a table cell (blank, ``&nbsp;``,
``-``, ``—``, ``/``, ``无``). Every token keeps its offset in the text it came from.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

FULLWIDTH = str.maketrans("０１２３４５６７８９．－％，", "0123456789.-%,")

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
CN_NUMERAL = "零〇一二两三四五六七八九十百千万亿"

# A number as printed: optional sign, digits with optional thousands separators, optional decimals.
_ARABIC = r"[-－−]?[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?"
_ARABIC_NUMBER = rf"(?<![0-9０-９.．]){_ARABIC}(?![0-9０-９])"  # not inside another number
_D, _S = "0-9０-９", "-－−"
_TAIL = r"(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?(?![0-9０-９])"


# The same matches as f"(?P<arabic>{_ARABIC_NUMBER})|(?P<cn>[{CN_NUMERAL}]+)", written to start with
# a character class so that the regex engine skips ahead to candidates (3x faster on long text):
# the first character is taken, then the branch its kind allows, the look-behind moved past it.
# A Chinese match ends with the empty group ``cn`` (``m.lastgroup == "cn"``).
def number_regex(chinese: str = rf"[{CN_NUMERAL}]*") -> re.Pattern[str]:
    """The regex of every number in a text (Arabic or Chinese numerals). ``chinese`` spells a Chinese
    numeral after its first character (itself a numeral): a caller may narrow it, with look-arounds, to
    the numerals it uses."""
    return re.compile(
        rf"[{_S}{_D}{CN_NUMERAL}]"
        rf"(?:(?<=[{_S}])(?<![{_D}.．][{_S}])[{_D}]+{_TAIL}"  # a sign, then digits
        rf"|(?<=[{_D}])(?<![{_D}.．][{_D}])[{_D}]*{_TAIL}"  # a digit
        rf"|(?<=[{CN_NUMERAL}]){chinese}(?P<cn>))"  # Chinese numerals
    )


_APPROX_AFTER = ("余", "多", "左右", "以上", "上下")

DASHES = {"-", "－", "—", "——", "–", "―", "─", "/", "／", "\\", "…"}
NONE_WORDS = {"无", "暂无", "没有"}


def normalise_digits(text: str) -> str:
    """Full-width digits and signs to ASCII, keeping every character's position."""
    return text.translate(FULLWIDTH)


def parse_arabic(token: str) -> tuple[float, int]:
    """``"2,555"`` → (2555.0, 0); ``"30.69"`` → (30.69, 2)."""
    t = normalise_digits(token).replace(",", "").replace("−", "-")
    decimals = len(t.split(".", 1)[1]) if "." in t else 0
    return float(t), decimals


_CN_LONGEST = 32  # characters
# The longest Arabic number (characters, with its sign, separators and decimals) read as one: a longer run
# of digits is no figure a report prints (a code, garbage), and from 309 digits on it reads as ``inf``.
ARABIC_LONGEST = 32


def parse_chinese(token: str) -> int | None:
    """Chinese numerals to an integer: 十三 → 13, 两千 → 2000, 二〇一七 → 2017; None if malformed.

    A run longer than any number a report prints (九千九百九十九亿…) is not one: read digit by digit it
    could exceed a float, or the digits ``int()`` accepts.
    """
    if not token or len(token) > _CN_LONGEST:
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


def arabic_value(raw: str) -> tuple[float, int]:
    """``parse_arabic``, with fast paths for the common cases, ASCII with no thousands separator ("2555",
    "30.69": nothing to translate or remove)."""
    if raw.isascii() and "," not in raw:
        dot = raw.find(".")
        return float(raw), (0 if dot < 0 else len(raw) - dot - 1)
    return parse_arabic(raw)


@lru_cache(maxsize=4096)
def chinese_value(token: str) -> int | None:
    """A Chinese numeral token's value as a number in the text: ``parse_chinese``, but None for a lone
    万, 亿, 百 or 千 too. Remembered: the same numerals (五期, 两千) recur in every report."""
    return None if token in _LONE_UNITS else parse_chinese(token)


_LONE_UNITS = frozenset({"万", "亿", "百", "千"})


def _approx(text: str, start: int, end: int) -> str:
    if text[end:end + 1] not in "余多左以上" and text[start - 1:start] not in "过逾近约":
        return ""  # no approximation word starts right after the number or ends right before it
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
    return parse_stripped_cell(text.replace("\xa0", " ").replace("\u3000", " ").strip())


def parse_stripped_cell(t: str) -> tuple[str, float | None, int]:
    """``parse_cell`` of a text already stripped, no-break and ideographic spaces made plain first."""
    if not t:
        return "blank", None, 0
    if t[0] not in CELL_FIRST:  # cannot be a dash, a none word or a number: text (most cells and lines)
        return "text", None, 0
    if t.isascii() and t.isdigit():  # the common value, "58524"
        return ("value", float(t), 0) if len(t) <= ARABIC_LONGEST else ("text", None, 0)
    if t[-1] not in _CELL_LAST:  # a line that starts with a year or a numbering ("2017年，…", "1.申请情况")
        return "text", None, 0
    if t in DASHES or not t.strip(_DASH_CHARS):  # only dash characters
        return "dash", None, 0
    if t in NONE_WORDS:
        return "none", None, 0
    m = _CELL_NUMBER.match(t)
    if m and len(m.group(1)) <= ARABIC_LONGEST:
        value, decimals = parse_arabic(m.group(1))
        return "value", value, decimals
    return "text", None, 0


_DASH_CHARS = "-－—–―─/／"
# The first characters of a dash (DASHES, _DASH_CHARS), a none word (NONE_WORDS) or a number (_ARABIC):
# a stripped text starting with another is a "text" cell.
# The last characters of the same (a stripped number ends with a digit or a percent sign).
_CELL_LAST = frozenset("".join(DASHES) + _DASH_CHARS + "".join(w[-1] for w in NONE_WORDS) + "%％0123456789０１２３４５６７８９")
CELL_FIRST = frozenset("".join(DASHES) + _DASH_CHARS + "".join(NONE_WORDS) + "-－−0123456789０１２３４５６７８９")

_is_nfkc = unicodedata.is_normalized
# Full-width punctuation common in these reports, each replaced by its NFKC form (a one-character
# compatibility decomposition, so replacing it first leaves the NFKC of the whole text unchanged).
_FULLWIDTH_PUNCT = (("，", ","), ("（", "("), ("）", ")"), ("；", ";"), ("：", ":"), ("！", "!"), ("？", "?"),
                    ("％", "%"))


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, fast for text whose only unnormalised characters are
    common full-width punctuation: replaced one by one, the result is checked to be NFKC already."""
    if _is_nfkc("NFKC", text):
        return text
    folded = text
    for wide, narrow in _FULLWIDTH_PUNCT:
        if wide in folded:
            folded = folded.replace(wide, narrow)
    return folded if _is_nfkc("NFKC", folded) else unicodedata.normalize("NFKC", text)


def nfkc_keeping_offsets(text: str) -> str:
    """The NFKC form (full-width digits and brackets made plain) when it keeps every character's offset,
    i.e. no character expands; else the text as it is."""
    folded = nfkc(text)
    return folded if len(folded) == len(text) else text
