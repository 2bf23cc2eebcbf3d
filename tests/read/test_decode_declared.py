"""A declared charset against the bytes: pages declaring another encoding than UTF-8 that are mostly UTF-8
are read as UTF-8 (valid, with a literal U+FFFD, or with a few broken bytes); real GBK pages as GB18030."""

from __future__ import annotations

import pytest

from validator.read.decode import _mostly, _Utf8, decode_bytes
from validator.read.html import read_html


def _replaced(data: bytes) -> tuple[str, int]:
    text = data.decode("utf-8", errors="replace")
    return text, text.count("\ufffd")


BODY = "<p>本年新收政府信息公开申请数量共计二十一件，其中当面申请三件。</p>"


@pytest.mark.parametrize(
    "declared, data, expected",
    [
        ("gbk", BODY.encode("utf-8"), ("utf-8", BODY)),
        ("gbk", BODY.encode("gb18030"), ("gb18030", BODY)),
        ("gb2312", (BODY + "\ufffd").encode("utf-8"), ("utf-8", BODY + "\ufffd")),  # a U+FFFD in the page
        ("gbk", BODY.encode("utf-8") + "件".encode()[:2], ("utf-8", BODY + "\ufffd")),  # cut off in a character
        ("gbk", b"\xff" + BODY.encode("utf-8") + b"\xfe", ("utf-8", "\ufffd" + BODY + "\ufffd")),
        ("iso-8859-1", BODY.encode("utf-8"), ("utf-8", BODY)),
        ("iso-8859-1", b"<p>caf\xe9 95</p>", ("iso-8859-1", "<p>café 95</p>")),
        ("utf8", BODY.encode("utf-8"), ("utf-8", BODY)),
        ("utf8", b"<p>95</p>", ("utf8", "<p>95</p>")),  # (ASCII: not mostly UTF-8, the declaration stands)
        ("utf-16", BODY.encode("utf-8"), ("utf-8", BODY)),
    ],
)
def test_declared_charset(declared, data, expected):
    text, encoding = decode_bytes(data, "x.html", declared=declared)
    assert (encoding, text) == expected


def test_declared_gbk_page_read_as_utf8():
    doc = read_html(b'<meta charset="gbk">' + BODY.encode("utf-8"), "a.html")
    assert (doc.encoding, doc.blocks[0].text) == ("utf-8", BODY[3:-4])


@pytest.mark.parametrize(
    "data",
    [
        BODY.encode(),
        BODY.encode() + b"\xe4\xb8",
        "\ufffd".encode() + BODY.encode(),
        "\ufffd".encode() * 3 + b"\xe0" + "\ufffd".encode() + b"\xf0\x90" + "\ufffd".encode(),
        b"\xef\xbf" + "\ufffd".encode(),
        b"\xed\xa0\x80" + BODY.encode(),  # an encoded surrogate: not valid UTF-8
        BODY.encode("gb18030"),
        b"",
    ],
)
def test_utf8_decoded_once_agrees_with_decoding(data):
    utf8 = _Utf8(data)
    assert utf8.mostly() == (not data.isascii() and _mostly(*_replaced(data)))
    try:
        expected = data.decode("utf-8")
    except UnicodeDecodeError:
        expected = None
    assert utf8.strict() == expected  # (from the decode with replacements, when it was made)
    assert _Utf8(data).strict() == expected
