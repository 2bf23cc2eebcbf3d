"""``--format markdown``: a Markdown report to paste into an issue, a wiki or a pull request.

A heading per report, a summary line, and a table of findings (rule, severity in words, message,
lines). Unreadable reports are listed with their error. Cell text is escaped so that ``|``,
``<``, ``*`` and the like print as themselves.
"""

from __future__ import annotations

import re

from validator.catalogue import RuleInfo
from validator.model import SEVERITIES, Finding, ReportResult, summary
from validator.render import labels

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def render(
    results: list[ReportResult], *, lang: str = "zh", catalogue: dict[str, RuleInfo] | None = None
) -> str:
    """The Markdown report as text."""
    return document(results, lang=lang, level=1, column="lines")


def document(results: list[ReportResult], *, lang: str = "zh", level: int = 1, column: str = "lines") -> str:
    """Title at heading ``level``, summary, then one section per report.

    ``column`` chooses the last table column: ``"lines"`` (line numbers) or ``"location"``
    (each figure's line, column and source).
    """
    lang = labels.norm_lang(lang)
    h = "#" * level
    out = [f"{h} {labels.text('title', lang)}", "", summary_line(results, lang), ""]
    for report in results:
        out.append(f"{h}# {md_code(report.path)}")
        out.append("")
        if report.error is not None:
            out.append(f"**{labels.text('unreadable', lang)}**{_colon(lang)}{md_escape(report.error)}")
            out.append("")
            continue
        out.append(report_line(report, lang))
        out.append("")
        if not report.findings:
            out.append(labels.text("no_findings", lang))
            out.append("")
            continue
        last = labels.text("lines" if column == "lines" else "location", lang)
        out.append(
            f"| {labels.text('rule', lang)} | {labels.text('severity', lang)} | "
            f"{labels.text('message', lang)} | {last} |"
        )
        out.append("| --- | --- | --- | --- |")
        for f in report.findings:
            out.append(_row(f, lang, column))
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def summary_line(results: list[ReportResult], lang: str = "zh") -> str:
    """``报告 2 · 错误 2 · 警告 1 · 提示 0 · 无法读取 1`` (waived shown only when some are)."""
    s = summary(results)
    parts = [f"{labels.text('reports', lang)} {s['reports']}"]
    parts += [f"{_sev_heading(sev, lang)} {s[sev]}" for sev in SEVERITIES]
    waived = sum(1 for r in results for f in r.findings if f.waived is not None)
    if waived:
        parts.append(f"{labels.text('waived', lang)} {waived}")
    if s["unreadable"]:
        parts.append(f"{labels.text('unreadable', lang)} {s['unreadable']}")
    return " · ".join(parts)


def report_line(report: ReportResult, lang: str = "zh") -> str:
    """What was read from one report, and what was found in it, on one line."""
    parts = []
    for key, value in (("body", report.body), ("year", report.year), ("template", report.template)):
        if value is not None and value != "":
            parts.append(f"{labels.text(key, lang)} {md_escape(str(value))}")
    parts.append(f"{labels.text('figures', lang)} {report.figures}")
    parts.append(f"{labels.text('rules_checked', lang)} {report.rules_checked}")
    counts = report.counts()
    parts += [f"{_sev_heading(sev, lang)} {counts[sev]}" for sev in SEVERITIES]
    return " · ".join(parts)


def md_escape(text: str) -> str:
    """Text safe inside a Markdown table cell: punctuation backslash-escaped, newlines as ``<br>``."""
    s = _MD_SPECIAL.sub(r"\\\1", text)
    return s.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def md_code(text: str) -> str:
    """``text`` as an inline code span, fenced with more backticks than it contains."""
    text = text.replace("\r", " ").replace("\n", " ")
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _row(f: Finding, lang: str, column: str) -> str:
    sev = labels.severity_name(f.severity, lang)
    message = md_escape(f.text(lang))
    if f.waived is not None:
        sev += labels.paren(labels.text("waived", lang), lang)
        message += f"<br>{labels.text('waiver_reason', lang)}{_colon(lang)}{md_escape(f.waived)}"
    if f.suggestion_text(lang):
        message += f"<br>{labels.text('suggestion', lang)}{_colon(lang)}{md_escape(f.suggestion_text(lang))}"
    if column == "lines":
        last = ", ".join(str(n) for n in labels.line_numbers(f))
    else:
        last = "<br>".join(
            md_escape(f"{labels.place(loc, lang)} {labels.source_name(loc.source, lang)}")
            for loc in f.locations
        )
    return f"| {md_escape(f.rule)} | {sev} | {message} | {last} |"


def _sev_heading(sev: str, lang: str) -> str:
    name = labels.severity_name(sev, lang)
    return name.capitalize() if lang == "en" else name


def _colon(lang: str) -> str:
    return ": " if lang == "en" else "："
