"""Bytes to text, whatever the encoding: BOMs, UTF-16 without BOM, UTF-8, GB18030/GBK, and the rest.

Line ends (LF, CRLF, CR) are normalised to LF so line numbers are the same for every encoding.
"""

from __future__ import annotations

import codecs
import re

from validator.errors import InputError

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


# bytes that are control characters in every encoding tried here (none is part of a multi-byte character)
_CONTROL_BYTES = bytes(b for b in range(32) if chr(b) not in "\t\n\r\f\v\x1b")


def _plausible(text: str) -> float:
    """Share of characters a Chinese report is made of: ASCII, CJK, CJK punctuation, full-width forms."""
    if not text:
        return 0.0
    ok = sum(
        1 for ch in text
        if (" " <= ch <= "~") or ch in "\t\n\r\xa0" or "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef" or "\u2000" <= ch <= "\u206f"
    )
    return ok / len(text)


def sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: it has NUL bytes, and one byte order decodes to plausible text."""
    sample = data[:8192]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    best, score = None, 0.0
    for name in ("utf-16-le", "utf-16-be"):
        try:
            s = _plausible(sample.decode(name))
        except UnicodeDecodeError:
            continue
        if s > score:
            best, score = name, s
    return best if score >= 0.9 else None


def decode_bytes(data: bytes, path: str, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``; raise InputError for binary data.

    ``declared`` is an encoding the document names itself (an HTML meta charset); it is tried
    after the BOM and before guessing, unless it is not UTF-8 and the data is mostly UTF-8 (a page
    saved as UTF-8 often keeps its original GBK declaration). A few undecodable bytes (a file cut off
    inside a character, a stray byte) become U+FFFD rather than making the whole file unreadable.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            try:
                return _normalise(body.decode(name)), name
            except UnicodeDecodeError as e:
                text, bad = _replaced(body, name)
                if bad <= _tolerance(body) and not _looks_binary(text):
                    return _normalise(text), name
                raise InputError(path, f"starts with a {name} byte-order mark but is not valid {name}") from e
    utf16 = sniff_utf16(data)
    if utf16:
        text, bad = _replaced(data, utf16)
        if bad <= _tolerance(data):
            return _normalise(text), utf16
    # No ASCII byte that UNPRINTABLE matches, in one pass over the data: then it has no control byte either
    # (_CONTROL_BYTES are some of them), and valid UTF-8 without a 0xC2 byte decodes to printable text.
    printable_ascii = len(data.translate(None, _UNPRINTABLE_ASCII)) == len(data)
    if not printable_ascii:
        sample = data[:65536]
        controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
        if controls > max(2, len(sample) // 200):  # a stray NUL or two is damage, not a binary file
            raise InputError(path, "is a binary file, not a text document")
    utf8 = _Utf8(data)  # (decoded as UTF-8 once, however many times it is asked for below)
    if declared and declared != "utf-8" and utf8.mostly():
        declared = "utf-8"
    candidates = ["utf-8"]
    if declared:
        candidates.insert(0, _canonical(declared))
    candidates.append("gb18030")
    for name in dict.fromkeys(candidates):
        if name == "gb18030" and utf8.mostly():
            # UTF-8 with a few broken bytes: GB18030 would decode it, as nonsense
            text, _ = utf8.replaced()
            if _looks_binary(text):
                raise InputError(path, "is a binary file, not a text document")
            return _normalise(text), "utf-8"
        if name == "utf-8":
            text = utf8.strict()
            if text is None:
                continue
            if printable_ascii and b"\xc2" not in data:  # the common case, in short: no binary characters,
                return _lf(text), name  # nothing for _normalise to replace but line ends
        else:
            try:
                text = data.decode(name)
            except (UnicodeDecodeError, LookupError):
                continue
        if _looks_binary(text):
            raise InputError(path, "is a binary file, not a text document")
        return _normalise(text), name
    best: tuple[int, str, str] | None = None  # (bad bytes, text, encoding)
    for name in dict.fromkeys(candidates):
        try:
            text, bad = utf8.replaced() if name == "utf-8" else _replaced(data, name)
        except LookupError:
            continue
        if bad <= _tolerance(data) and (best is None or bad < best[0]):
            best = (bad, text, name)
    if best is not None and not _looks_binary(best[1]):
        return _normalise(best[1]), best[2]
    import charset_normalizer

    guess = charset_normalizer.from_bytes(data).best()
    if guess is None:
        raise InputError(path, "is a binary file or in an unknown encoding, not a text document")
    text = str(guess)
    if _looks_binary(text):
        raise InputError(path, "is a binary file, not a text document")
    return _normalise(text), guess.encoding


class _Utf8:
    """Some bytes read as UTF-8, decoded at most once whatever is asked (a page's declaration, the
    candidates and the fallback all ask; a full decode of a page costs as much as reading much of it)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._replaced: tuple[str, int] | None = None
        self._mostly: bool | None = None

    def replaced(self) -> tuple[str, int]:
        """``_replaced(data, "utf-8")``."""
        if self._replaced is None:
            self._replaced = _replaced(self.data, "utf-8")
        return self._replaced

    def strict(self) -> str | None:
        """The data decoded as UTF-8, or None when it is not valid UTF-8."""
        if self._replaced is None:  # (a strict decode stops at the first bad byte: GBK pages fail early)
            try:
                return self.data.decode("utf-8")
            except UnicodeDecodeError:
                return None
        text, bad = self._replaced
        # Valid when every U+FFFD was one in the data (each bad sequence makes one more, and never takes
        # part of a U+FFFD that follows it: its first byte, 0xEF, is not a continuation byte).
        return text if bad == 0 or bad == self.data.count(b"\xef\xbf\xbd") else None  # (U+FFFD)

    def mostly(self) -> bool:
        """``_mostly`` of the data (False for ASCII: it has no multi-byte characters)."""
        if self._mostly is None:
            self._mostly = not self.data.isascii() and _mostly(*self.replaced())
        return self._mostly


def _replaced(data: bytes, name: str) -> tuple[str, int]:
    """``data`` decoded with U+FFFD for every undecodable sequence, and how many there were."""
    text = data.decode(name, errors="replace")
    return text, text.count("\ufffd")


def _tolerance(data: bytes) -> int:
    """How many undecodable sequences a text file may have: a few, or one per thousand bytes."""
    return max(8, len(data) // 1000)


def _mostly(text: str, bad: int) -> bool:
    """Whether data that decodes as UTF-8 to ``text``, with ``bad`` sequences replaced, is UTF-8 text with
    multi-byte characters, apart from a few broken sequences (a cut-off file, bytes lost here and there): at
    least twenty good multi-byte characters for every bad sequence. Text in another encoding, or binary
    data, has few valid multi-byte sequences and many bad ones."""
    wide = len(text) - len(text.encode("ascii", errors="ignore")) - bad
    return wide >= 10 and wide >= 20 * bad


def _canonical(name: str) -> str:
    name = name.strip().lower()
    if name in {"gb2312", "gbk", "x-gbk", "gb_2312-80"}:
        return "gb18030"  # a superset: pages that say gb2312 often use GBK characters
    if name.replace("-", "").replace("_", "").startswith(("utf16", "utf32", "ucs2", "ucs4", "unicode", "utf7")):
        return "utf-8"  # a page without a BOM that says UTF-16 is not UTF-16 (it would have NULs); no UTF-7 on the web
    return name


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    sample = text[:8192]
    bad = len(_BINARY_CHARS.findall(sample))
    return bad > max(2, len(sample) // 200)


# the same control characters as _CONTROL_BYTES, in decoded text
_BINARY_CHARS = re.compile(f"[{re.escape(_CONTROL_BYTES.decode('ascii'))}]")


# Control characters (NUL from damage, ESC sequences that would drive the terminal when a finding quotes
# the line, C1 controls) and lone surrogates (UTF-7 and the like) cannot be printed: U+FFFD, one for one.
UNPRINTABLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


# The bytes of UNPRINTABLE's ASCII characters; in valid UTF-8 its C1 controls are 0xC2 0x80-0x9F (and
# surrogates cannot be encoded).
_UNPRINTABLE_ASCII = bytes(b for b in range(0x80) if UNPRINTABLE.match(chr(b)))


def _normalise(text: str) -> str:
    """LF line ends; unprintable characters become U+FFFD like any other unreadable byte."""
    return UNPRINTABLE.sub("\ufffd", _lf(text))


def _lf(text: str) -> str:
    """LF line ends (CRLF and CR become LF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
