"""Bytes to text, whatever the encoding: BOMs, UTF-16 without BOM, UTF-8, GB18030/GBK, and the rest.

Line ends (LF, CRLF, CR) are normalised to LF so line numbers are the same for every encoding.
"""

from __future__ import annotations

import codecs

from validator.errors import InputError

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


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
    after the BOM and before guessing.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return _normalise(data[len(bom):].decode(name)), name
            except UnicodeDecodeError as e:
                raise InputError(path, f"starts with a {name} byte-order mark but is not valid {name}") from e
    utf16 = sniff_utf16(data)
    if utf16:
        try:
            return _normalise(data.decode(utf16)), utf16
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:65536]:
        raise InputError(path, "is a binary file, not a text document")
    candidates = ["utf-8"]
    if declared:
        candidates.insert(0, _canonical(declared))
    candidates.append("gb18030")
    for name in candidates:
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        if _looks_binary(text):
            raise InputError(path, "is a binary file, not a text document")
        return _normalise(text), name
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError(path, "is a binary file or in an unknown encoding, not a text document")
    text = str(best)
    if _looks_binary(text):
        raise InputError(path, "is a binary file, not a text document")
    return _normalise(text), best.encoding


def _canonical(name: str) -> str:
    name = name.strip().lower()
    if name in {"gb2312", "gbk", "x-gbk", "gb_2312-80"}:
        return "gb18030"  # a superset: pages that say gb2312 often use GBK characters
    return name


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    sample = text[:8192]
    bad = sum(1 for ch in sample if ch == "\x00" or (ord(ch) < 32 and ch not in "\t\n\r\f\v\x1b"))
    return bad > max(2, len(sample) // 200)


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
