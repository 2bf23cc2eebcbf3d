"""UI strings in Chinese and English, and the small formatting helpers the text renderers share.

Everything a reader sees that is not a finding's own message comes from here, so the HTML,
Markdown, JUnit and GitHub outputs name things the same way (错误/警告/提示, 第958行第1列, …).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from validator.model import Finding, Location

LANGS = ("zh", "en")

_SEVERITY = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}

_SOURCE = {
    "zh": {"table": "表格", "narrative": "正文"},
    "en": {"table": "table", "narrative": "text"},
}

_TEXT: dict[str, dict[str, str]] = {
    "title": {"zh": "政府信息公开工作年度报告校验结果", "en": "Annual report validation results"},
    "summary": {"zh": "概要", "en": "Summary"},
    "reports": {"zh": "报告", "en": "Reports"},
    "findings": {"zh": "发现问题", "en": "Findings"},
    "figures": {"zh": "读取的数字", "en": "Figures read"},
    "rules_checked": {"zh": "检查的规则", "en": "Rules checked"},
    "unreadable": {"zh": "无法读取", "en": "Unreadable"},
    "waived": {"zh": "已豁免", "en": "Waived"},
    "rule": {"zh": "规则", "en": "Rule"},
    "severity": {"zh": "严重程度", "en": "Severity"},
    "message": {"zh": "说明", "en": "Message"},
    "lines": {"zh": "行号", "en": "Lines"},
    "location": {"zh": "位置", "en": "Location"},
    "path": {"zh": "文件", "en": "File"},
    "body": {"zh": "发布机关", "en": "Body"},
    "year": {"zh": "年度", "en": "Year"},
    "template": {"zh": "模板", "en": "Template"},
    "no_findings": {"zh": "未发现问题。", "en": "No findings."},
    "sum": {"zh": "各项合计", "en": "Sum of parts"},
    "reported_total": {"zh": "报告所列总数", "en": "Reported total"},
    "difference": {"zh": "差额（报告值 − 计算值）", "en": "Difference (reported − computed)"},
    "expected": {"zh": "应为", "en": "Expected"},
    "actual": {"zh": "实际", "en": "Actual"},
    "item": {"zh": "项目", "en": "Item"},
    "value": {"zh": "数值", "en": "Value"},
    "sources": {"zh": "原文出处", "en": "Sources"},
    "fingerprint": {"zh": "指纹", "en": "Fingerprint"},
    "suggestion": {"zh": "建议", "en": "Suggestion"},
    "waiver_reason": {"zh": "豁免理由", "en": "Waiver reason"},
    "filters": {"zh": "筛选", "en": "Filter"},
    "all_rules": {"zh": "全部规则", "en": "All rules"},
    "show_waived": {"zh": "显示已豁免", "en": "Show waived"},
    "visible": {"zh": "当前显示", "en": "Showing"},
    "filtered_out": {"zh": "当前筛选条件下没有发现问题。", "en": "No findings match the current filter."},
    "read_error": {"zh": "无法读取此文件", "en": "This file could not be read"},
    "not_counted": {"zh": "不计为失败", "en": "not counted as a failure"},
    "line_col": {"zh": "第{line}行第{column}列", "en": "line {line}, column {column}"},
    "line": {"zh": "第{line}行", "en": "line {line}"},
    "page": {"zh": "第{page}页", "en": "page {page}"},
    "colon": {"zh": "：", "en": ": "},
}


def norm_lang(lang: str) -> str:
    """``"en"`` stays English; anything else is Chinese, the default."""
    return "en" if lang == "en" else "zh"


def text(key: str, lang: str = "zh", **fields: Any) -> str:
    """The UI string ``key`` in ``lang``, with ``{placeholders}`` filled from ``fields``."""
    s = _TEXT[key][norm_lang(lang)]
    return s.format(**fields) if fields else s


def table(lang: str = "zh") -> dict[str, str]:
    """Every UI string of ``lang`` by key (for templates)."""
    lang = norm_lang(lang)
    return {k: v[lang] for k, v in _TEXT.items()}


def severity_name(severity: str, lang: str = "zh") -> str:
    """错误 / 警告 / 提示 (or error / warning / info)."""
    return _SEVERITY[norm_lang(lang)].get(severity, severity)


def source_name(source: str, lang: str = "zh") -> str:
    """表格 / 正文 (or table / text) for a location's ``source``."""
    return _SOURCE[norm_lang(lang)].get(source, source)


def paren(s: str, lang: str = "zh") -> str:
    """`` (s)`` in English, ``（s）`` in Chinese."""
    return f" ({s})" if norm_lang(lang) == "en" else f"（{s}）"


def place(loc: Location, lang: str = "zh") -> str:
    """Where a figure was printed: ``第958行第1列`` (with the page for PDFs, ``where`` for Word)."""
    if loc.column and loc.column > 0:
        s = text("line_col", lang, line=loc.line, column=loc.column)
    else:
        s = text("line", lang, line=loc.line)
    if loc.page is not None:
        s = text("page", lang, page=loc.page) + (" " if lang == "en" else "") + s
    if loc.where:
        s += paren(loc.where, lang)
    return s


def line_numbers(finding: Finding) -> list[int]:
    """The distinct lines of a finding's locations, in ascending order."""
    return sorted({loc.line for loc in finding.locations if loc.line and loc.line > 0})


def rule_title(finding: Finding, catalogue: dict[str, Any] | None, lang: str = "zh") -> str:
    """The rule's one-line title: from the catalogue when given, else the finding's own."""
    info = (catalogue or {}).get(finding.rule)
    if info is not None:
        if norm_lang(lang) == "en" and getattr(info, "title_en", ""):
            return info.title_en
        if info.title:
            return info.title
    return finding.title


def decimal(v: Any) -> Decimal | None:
    """``v`` as an exact Decimal (via its shortest repr), or None when it is not a number."""
    if isinstance(v, bool) or not isinstance(v, int | float | Decimal):
        return None
    try:
        d = Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def fmt_number(v: Any) -> str:
    """A number as printed: 224.0 → ``224``, 30.69 → ``30.69``; lists as ``55 / 17 / 19``."""
    if v is None:
        return ""
    if isinstance(v, list | tuple):
        return " / ".join(fmt_number(x) for x in v)
    if isinstance(v, dict):
        return "，".join(f"{k} {fmt_number(x)}" for k, x in v.items())
    d = decimal(v)
    if d is None:
        return str(v)
    return _plain_decimal(d)


def plain(v: Any) -> Any:
    """A value as JSON wants it: 224.0 → 224, 30.69 stays 30.69, tuples become lists."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [plain(x) for x in v]
    return v


def fmt_signed(d: Decimal) -> str:
    """A difference with its sign: ``-11``, ``+0.01``, ``0``."""
    s = _plain_decimal(d)
    return s if d <= 0 else "+" + s


def _plain_decimal(d: Decimal) -> str:
    if d == d.to_integral_value():
        return str(int(d))
    s = format(d.normalize(), "f")
    return s


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(s: str) -> str:
    """Drop the control characters XML 1.0 cannot carry at all."""
    return _XML_BAD.sub("", s)
