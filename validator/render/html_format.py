"""``--format html``: one self-contained page to read, filter and print the findings.

The page is ``templates/report.html.j2`` rendered with autoescaping on; its CSS and JS are inlined
from ``templates/report.css`` and ``templates/report.js``, and it loads nothing from the network.
This module turns results into plain view data (strings and numbers) so the template stays simple.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2

from validator import __version__
from validator.catalogue import RuleInfo
from validator.model import SEVERITIES, Finding, Location, ReportResult, summary
from validator.render import labels

TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATE = "report.html.j2"
CONTEXT_CHARS = 60  # how much of a source line to quote on each side of the figure


def render(
    results: list[ReportResult], *, lang: str = "zh", catalogue: dict[str, RuleInfo] | None = None
) -> str:
    """The HTML page as text."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.get_template(TEMPLATE).render(**view(results, lang=lang, catalogue=catalogue))


def view(
    results: list[ReportResult], *, lang: str = "zh", catalogue: dict[str, RuleInfo] | None = None
) -> dict[str, Any]:
    """The template's data: labels, summary, rule codes for the filter, and one dict per report."""
    lang = labels.norm_lang(lang)
    s = summary(results)
    reports = [_report(i, r, lang, catalogue) for i, r in enumerate(results, 1)]
    codes = sorted({f.rule for r in results if r.error is None for f in r.findings}, key=_code_order)
    total = sum(len(r["findings"]) for r in reports)
    return {
        "lang": lang,
        "html_lang": "en" if lang == "en" else "zh-CN",
        "t": labels.table(lang),
        "version": __version__,
        "severities": [
            {"key": sev, "label": labels.severity_name(sev, lang), "count": s[sev]} for sev in SEVERITIES
        ],
        "summary": {
            "reports": s["reports"],
            "unreadable": s["unreadable"],
            "figures": sum(r.figures for r in results if r.error is None),
            "rules_checked": sum(r.rules_checked for r in results if r.error is None),
            "waived": sum(1 for r in results if r.error is None for f in r.findings if f.waived is not None),
            "findings": total,
            "counted": s["error"] + s["warning"] + s["info"],
        },
        "rule_codes": [{"code": c, "title": _title_for(c, results, lang, catalogue)} for c in codes],
        "reports": reports,
    }


def _report(i: int, r: ReportResult, lang: str, catalogue: dict[str, RuleInfo] | None) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": f"report-{i}",
        "path": r.path,
        "error": r.error,
        "body": r.body,
        "year": r.year,
        "template": r.template,
        "template_title": r.template_title,
        "figures": r.figures,
        "rules_checked": r.rules_checked,
        "counts": [],
        "findings": [],
    }
    if r.error is not None:
        return d
    counts = r.counts()
    d["counts"] = [{"key": s, "label": labels.severity_name(s, lang), "count": counts[s]} for s in SEVERITIES]
    d["findings"] = [_finding(f"finding-{i}-{j}", f, r, lang, catalogue) for j, f in enumerate(r.findings, 1)]
    return d


def _finding(
    fid: str, f: Finding, r: ReportResult, lang: str, catalogue: dict[str, RuleInfo] | None
) -> dict[str, Any]:
    has_terms = bool(f.terms)
    return {
        "id": fid,
        "rule": f.rule,
        "instance": f.instance,
        "title": labels.rule_title(f, catalogue, lang),
        "severity": f.severity,
        "severity_label": labels.severity_name(f.severity, lang),
        "message": f.text(lang),
        "waived": f.waived,
        "fingerprint": f.fingerprint,
        "suggestion": f.suggestion_text(lang),
        "arithmetic": arithmetic(f) if has_terms else None,
        "expected": None if has_terms or f.expected is None else labels.fmt_number(f.expected),
        "actual": None if has_terms or f.actual is None else labels.fmt_number(f.actual),
        "sources": [_source(loc, r, lang) for loc in f.locations],
    }


def arithmetic(f: Finding) -> dict[str, Any] | None:
    """A sum finding laid out: each part, the computed sum, the reported total and the difference."""
    if not f.terms:
        return None
    parts = [{"label": t.label, "value": labels.fmt_number(t.value)} for t in f.terms]
    total: Decimal | None = Decimal(0)
    for t in f.terms:
        v = labels.decimal(t.value)
        if v is None or total is None:
            total = None
            break
        total += v
    actual = labels.decimal(f.actual)
    expected = labels.decimal(f.expected)
    return {
        "parts": parts,
        "sum": labels.fmt_number(total) if total is not None else labels.fmt_number(f.expected),
        "reported": labels.fmt_number(f.actual) if f.actual is not None else None,
        "difference": labels.fmt_signed(actual - expected)
        if actual is not None and expected is not None
        else None,
    }


def _source(loc: Location, r: ReportResult, lang: str) -> dict[str, Any]:
    before, mark, after = passage(loc, r.lines)
    return {
        "place": labels.place(loc, lang),
        "line": loc.line,
        "column": loc.column,
        "source": loc.source,
        "source_label": labels.source_name(loc.source, lang),
        "label": loc.label,
        "key": loc.key,
        "text": loc.text,
        "before": before,
        "mark": mark,
        "after": after,
    }


def passage(loc: Location, lines: list[str] | None = None) -> tuple[str, str, str]:
    """The passage to quote for a figure, split around its printed text (to be wrapped in <mark>).

    Uses the location's ``context``; without one, the source line (trimmed around the figure).
    When the printed text is not inside the passage (a table row's label), it follows it.
    """
    token = loc.text
    if loc.context:
        split = _split(loc.context, token)
        if split is not None:
            return split
        return (loc.context + " " if token else loc.context), token, ""
    if lines and 1 <= loc.line <= len(lines):
        line = lines[loc.line - 1].rstrip("\r\n")
        start = loc.column - 1
        if token and 0 <= start and line[start : start + len(token)] == token:
            split = (line[:start], token, line[start + len(token) :])
        else:
            split = _split(line, token)
        if split is not None:
            before, mark, after = split
            if len(before) > CONTEXT_CHARS:
                before = "…" + before[-CONTEXT_CHARS:].lstrip()
            if len(after) > CONTEXT_CHARS:
                after = after[:CONTEXT_CHARS].rstrip() + "…"
            return before.lstrip(), mark, after.rstrip()
        return line.strip() + " ", token, ""
    return "", token, ""


def _split(passage: str, token: str) -> tuple[str, str, str] | None:
    """Split at the first occurrence of ``token`` that is not part of a longer number."""
    if not token:
        return None
    first = -1
    i = passage.find(token)
    while i >= 0:
        if first < 0:
            first = i
        end = i + len(token)
        prev = passage[i - 1] if i > 0 else ""
        nxt = passage[end] if end < len(passage) else ""
        nxt2 = passage[end + 1] if end + 1 < len(passage) else ""
        if not (prev.isdigit() or prev == ".") and not (nxt.isdigit() or (nxt == "." and nxt2.isdigit())):
            return passage[:i], token, passage[end:]
        i = passage.find(token, i + 1)
    if first >= 0:
        return passage[:first], token, passage[first + len(token) :]
    return None


def _title_for(
    code: str, results: list[ReportResult], lang: str, catalogue: dict[str, RuleInfo] | None
) -> str:
    for r in results:
        for f in r.findings:
            if f.rule == code:
                return labels.rule_title(f, catalogue, lang)
    return ""


def _code_order(code: str) -> tuple[str, int, str]:
    m = re.fullmatch(r"(\D*)(\d+)(.*)", code)
    if m is None:
        return code, 0, ""
    return m.group(1), int(m.group(2)), m.group(3)
