"""The decoder's and HTML reader's shortcuts give what the general path gives."""

from __future__ import annotations

import pytest

from validator.read import read_document
from validator.read.decode import UNPRINTABLE, _normalise, decode_bytes

SAMPLES = [
    "政府信息公开\n申请95件",
    "政府信息公开\r\n申请95件\r",
    "政府\x85信息\x9f公开",  # C1 controls: 0xC2 0x85, 0xC2 0x9F in UTF-8
    "政府\x1b[31m信息\x7f公开\x00",
    "Â©政府信息公开",  # 0xC2 0xA9 (printable) and 0xC3: a 0xC2 byte that is not a control
    "政府\x0b信息\x0c公开\t",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_utf8_shortcut_matches_normalise(text):
    data = text.encode("utf-8")
    got, encoding = decode_bytes(data, "x.txt")
    assert encoding == "utf-8"
    assert got == _normalise(text)
    assert not UNPRINTABLE.search(got)


def test_file_is_read_whole(tmp_path):
    p = tmp_path / "r.html"
    p.write_text("<table><tr><td>申请</td><td>95</td></tr></table>", encoding="utf-8")
    doc = read_document(p)
    assert [[c.text for c in row] for row in doc.tables[0].rows] == [["申请", "95"]]


@pytest.mark.parametrize(
    "cells, expected",
    [
        ("<td><p>申请</p></td><td><p>&nbsp;</p></td>", [["申请", ""]]),
        ("<td><p>申请</p></td><td><p>&nbsp;9</p></td>", [["申请", "9"]]),
        ("<td><p> 申请 </p></td><td><p hidden>9</p></td>", [["申请", ""]]),
        ("<td><p>申请</p></td><td colspan=2><p>9</p></td>", [["申请", "9", "9"]]),
    ],
)
def test_common_cells(tmp_path, cells, expected):
    p = tmp_path / "r.html"
    p.write_text(f"<table><tr>{cells}</tr></table>", encoding="utf-8")
    doc = read_document(p)
    assert [[c.text for c in row] for row in doc.tables[0].rows] == expected
    raws = [c.raw for c in doc.tables[0].rows[0]]
    assert raws[0].strip() == "申请"


def test_file_that_grew_after_stat_is_read_whole(tmp_path, monkeypatch):
    import pathlib
    import types

    p = tmp_path / "r.html"
    p.write_text("<table><tr><td>申请</td><td>95</td></tr></table>", encoding="utf-8")
    monkeypatch.setattr(pathlib.Path, "stat", lambda self, **kw: types.SimpleNamespace(st_size=10, st_mode=0o100644))
    doc = read_document(p)
    assert [[c.text for c in row] for row in doc.tables[0].rows] == [["申请", "95"]]
