"""The seed re-encoded or with other line ends gives the same findings at the same places."""

from __future__ import annotations

import codecs

import pytest

from validator.pipeline import validate_path


def _signature(result):
    return [(f.rule, f.severity, f.message, f.expected, f.actual,
             tuple((loc.line, loc.column, loc.text) for loc in f.locations)) for f in result.findings]


VARIANTS = {
    "gb18030": lambda t: t.encode("gb18030"),
    "gbk": lambda t: t.encode("gbk", errors="strict"),
    "utf-16 with BOM": lambda t: t.encode("utf-16"),
    "utf-16-le without BOM": lambda t: t.encode("utf-16-le"),
    "utf-16-be with BOM": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "utf-8 with BOM": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "CRLF": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    "CR": lambda t: t.replace("\n", "\r").encode("utf-8"),
    "gb18030 + CRLF": lambda t: t.replace("\n", "\r\n").encode("gb18030"),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_same_findings(variant, seed_path, seed_result, tmp_path):
    text = seed_path.read_text(encoding="utf-8")
    if variant == "gbk":
        text = text.replace("\xa0", " ")  # GBK has no no-break space; the cells stay blank either way
    p = tmp_path / f"seed-{variant.replace(' ', '_')}.txt"
    p.write_bytes(VARIANTS[variant](text))
    result = validate_path(str(p))
    assert result.error is None
    assert _signature(result) == _signature(seed_result)
    assert len(result.findings) == 5


def test_fullwidth_digits_and_thousands_separators(seed_path, tmp_path):
    text = seed_path.read_text(encoding="utf-8")
    text = text.replace("从事政府信息公开工作人员224名", "从事政府信息公开工作人员２２４名")
    text = text.replace("全区各公开机构共受理申请2555件", "全区各公开机构共受理申请2,555件")
    p = tmp_path / "fw.txt"
    p.write_text(text, encoding="utf-8")
    result = validate_path(str(p))
    o6 = next(f for f in result.findings if f.rule == "O6")
    narr = [loc for loc in o6.locations if loc.source == "narrative" and loc.key == "staff.total"]
    assert [(loc.value, loc.text, loc.line, loc.column) for loc in narr] == [(224, "２２４", 163, 48)]
    p1 = next(f for f in result.findings if f.rule == "P1" and "当面申请" in f.message)
    assert [(loc.value, loc.text) for loc in p1.locations if loc.role == "total"] == [(2555, "2,555")]
