"""``--format junit``: JUnit XML for CI test reports (GitLab, Jenkins, Azure, GitHub test reporters).

One ``<testsuite>`` per report (named by its path). Results carry findings rather than every rule
instance checked, so each finding is one ``<testcase>``: a ``<failure>`` for error and warning
findings, ``<skipped>`` for info findings and waived ones. Each report also has one testcase
"report readable", passing, or holding an ``<error>`` when the report could not be read.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from validator.catalogue import RuleInfo
from validator.model import Finding, ReportResult
from validator.render import labels

READABLE = "report readable"


def render(
    results: list[ReportResult], *, lang: str = "zh", catalogue: dict[str, RuleInfo] | None = None
) -> str:
    """The JUnit XML document as text, with an XML declaration."""
    root = to_element(results, lang=lang, catalogue=catalogue)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def to_element(
    results: list[ReportResult], *, lang: str = "zh", catalogue: dict[str, RuleInfo] | None = None
) -> ET.Element:
    """The ``<testsuites>`` element (see ``render``)."""
    lang = labels.norm_lang(lang)
    root = ET.Element("testsuites", {"name": "validate"})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for report in results:
        suite = _suite(report, lang, catalogue)
        root.append(suite)
        for k in totals:
            totals[k] += int(suite.get(k, "0"))
    for k, v in totals.items():
        root.set(k, str(v))
    return root


def case_name(f: Finding) -> str:
    """``O6 litigation`` for a named rule instance, else the rule and the fingerprint's first 8."""
    return f"{f.rule} {f.instance or f.fingerprint[:8]}"


def _suite(report: ReportResult, lang: str, catalogue: dict[str, Any] | None) -> ET.Element:
    path = _s(report.path)
    suite = ET.Element("testsuite", {"name": path})
    counts = {"tests": 1, "failures": 0, "errors": 0, "skipped": 0}
    if report.error is None:
        props = ET.SubElement(suite, "properties")
        for name, value in (
            ("template", report.template),
            ("year", report.year),
            ("body", report.body),
            ("figures", report.figures),
            ("rules_checked", report.rules_checked),
        ):
            if value is not None:
                ET.SubElement(props, "property", {"name": name, "value": _s(str(value))})
    readable = ET.SubElement(suite, "testcase", {"classname": path, "name": READABLE})
    if report.error is not None:
        err = ET.SubElement(readable, "error", {"type": "unreadable", "message": _s(report.error)})
        err.text = _s(f"{report.path}: {report.error}")
        counts["errors"] += 1
    for f in report.findings if report.error is None else []:
        counts["tests"] += 1
        case = ET.SubElement(suite, "testcase", {"classname": path, "name": _s(case_name(f))})
        message = _s(f.text(lang))
        if f.waived is not None:
            skipped = ET.SubElement(
                case,
                "skipped",
                {"message": _s(f"{labels.text('waived', lang)}{labels.text('colon', lang)}{f.waived}")},
            )
            skipped.text = _details(f, lang, catalogue)
            counts["skipped"] += 1
        elif f.severity in ("error", "warning"):
            failure = ET.SubElement(case, "failure", {"type": f.rule, "message": message})
            failure.text = _details(f, lang, catalogue)
            counts["failures"] += 1
        else:
            note = (
                labels.severity_name(f.severity, lang)
                + labels.paren(labels.text("not_counted", lang), lang)
                + labels.text("colon", lang)
            )
            skipped = ET.SubElement(case, "skipped", {"message": _s(note + f.text(lang))})
            skipped.text = _details(f, lang, catalogue)
            counts["skipped"] += 1
    for k, v in counts.items():
        suite.set(k, str(v))
    return suite


def _details(f: Finding, lang: str, catalogue: dict[str, Any] | None) -> str:
    """The failure body: rule and title, severity, message, each figure's place, fingerprint."""
    title = labels.rule_title(f, catalogue, lang)
    lines = [
        f"[{f.rule}] {title}".rstrip(),
        f"{labels.text('severity', lang)}{labels.text('colon', lang)}"
        f"{labels.severity_name(f.severity, lang)}",
        f.text(lang),
    ]
    for loc in f.locations:
        lines.append(
            f"  {labels.place(loc, lang)} {labels.source_name(loc.source, lang)} {loc.label} {loc.text}".rstrip()
        )
    if f.suggestion_text(lang):
        lines.append(f"{labels.text('suggestion', lang)}{labels.text('colon', lang)}{f.suggestion_text(lang)}")
    if f.waived is not None:
        lines.append(f"{labels.text('waiver_reason', lang)}{labels.text('colon', lang)}{f.waived}")
    lines.append(f"{labels.text('fingerprint', lang)}{labels.text('colon', lang)}{f.fingerprint}")
    return _s("\n".join(lines))


def _s(s: str) -> str:
    return labels.xml_safe(s)
