"""``--format sarif``: SARIF 2.1.0 for code-scanning dashboards (GitHub, Azure DevOps, VS Code).

One run; the driver's ``rules`` come from the catalogue; each finding is a result whose first
location is primary and whose other figures are ``relatedLocations``; waived findings carry an
external suppression; an unreadable report is a tool execution notification.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from validator import __version__
from validator.catalogue import RuleInfo
from validator.model import Finding, Location, ReportResult, summary
from validator.render import labels

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "validatorFingerprint/v1"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def render(
    results: list[ReportResult], *, lang: str = "zh", catalogue: dict[str, RuleInfo] | None = None
) -> str:
    """The SARIF log as indented JSON text."""
    return json.dumps(to_sarif(results, lang=lang, catalogue=catalogue), ensure_ascii=False, indent=2) + "\n"


def to_sarif(
    results: list[ReportResult], *, lang: str = "zh", catalogue: dict[str, RuleInfo] | None = None
) -> dict[str, Any]:
    """The SARIF log as a dict (see ``render``)."""
    lang = labels.norm_lang(lang)
    rules, index = _rules(results, lang, catalogue)
    sarif_results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for report in results:
        uri = artifact_uri(report.path)
        if report.error is not None:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{report.path}: {report.error}"},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
                    "descriptor": {"id": "unreadable-input"},
                }
            )
            continue
        for finding in report.findings:
            sarif_results.append(_result(finding, uri, index, lang))
    invocation: dict[str, Any] = {"executionSuccessful": not notifications}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    driver: dict[str, Any] = {
        "name": "validate",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": rules,
    }
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "invocations": [invocation],
                "language": "en-US" if lang == "en" else "zh-CN",
                "columnKind": "unicodeCodePoints",
                "results": sarif_results,
                "properties": {"summary": summary(results)},
            }
        ],
    }


def artifact_uri(path: str) -> str:
    """The report path as a URI reference: relative paths stay relative, with ``/`` separators."""
    if "\\" in path and not path.startswith("/"):
        p = PureWindowsPath(path)
        if p.is_absolute():
            return p.as_uri()
        posix = p.as_posix()
    else:
        pp = PurePosixPath(path)
        if pp.is_absolute():
            return pp.as_uri()
        posix = pp.as_posix()
    return quote(posix, safe="/-._~!$&'()*+,;=@")


def _rules(
    results: list[ReportResult], lang: str, catalogue: dict[str, RuleInfo] | None
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Rule descriptors: the whole catalogue, plus any rule a finding names that it lacks."""
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for code, info in (catalogue or {}).items():
        index[code] = len(rules)
        rules.append(_descriptor(info, lang))
    for report in results:
        for f in report.findings:
            if f.rule not in index:
                index[f.rule] = len(rules)
                d: dict[str, Any] = {"id": f.rule}
                if f.title:
                    d["shortDescription"] = {"text": f.title}
                d["defaultConfiguration"] = {"level": LEVELS.get(f.severity, "warning")}
                rules.append(d)
    return rules, index


def _descriptor(info: RuleInfo, lang: str) -> dict[str, Any]:
    title = info.title_en if lang == "en" and info.title_en else info.title
    description = info.description_en if lang == "en" and info.description_en else info.description
    d: dict[str, Any] = {"id": info.code}
    if title:
        d["shortDescription"] = {"text": title}
    if description:
        d["fullDescription"] = {"text": description}
    d["defaultConfiguration"] = {"level": LEVELS.get(info.severity, "warning")}
    help_lines = [description or title or info.code]
    if info.example_pass:
        help_lines.append(("Passes: " if lang == "en" else "通过示例：") + info.example_pass)
    if info.example_fail:
        help_lines.append(("Fails: " if lang == "en" else "不通过示例：") + info.example_fail)
    d["help"] = {"text": "\n".join(help_lines)}
    props: dict[str, Any] = {}
    if info.kind:
        props["tags"] = [info.kind]
    if info.templates:
        props["templates"] = list(info.templates)
    if info.instances:
        props["instances"] = list(info.instances)
    if props:
        d["properties"] = props
    return d


def _result(f: Finding, uri: str, index: dict[str, int], lang: str) -> dict[str, Any]:
    r: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index[f.rule],
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": f.text(lang)},
    }
    locs = [_location(loc, uri, i) for i, loc in enumerate(f.locations)]
    r["locations"] = locs[:1] if locs else [{"physicalLocation": {"artifactLocation": {"uri": uri}}}]
    if len(locs) > 1:
        r["relatedLocations"] = locs[1:]
    r["partialFingerprints"] = {FINGERPRINT_KEY: f.fingerprint}
    if f.waived is not None:
        r["suppressions"] = [{"kind": "external", "state": "accepted", "justification": f.waived}]
    props: dict[str, Any] = {"severity": f.severity}
    if f.instance:
        props["instance"] = f.instance
    if f.expected is not None:
        props["expected"] = labels.plain(f.expected)
    if f.actual is not None:
        props["actual"] = labels.plain(f.actual)
    if f.terms:
        props["terms"] = [t.to_dict() for t in f.terms]
    if f.suggestion_text(lang):
        props["suggestion"] = f.suggestion_text(lang)
    r["properties"] = props
    return r


def _location(loc: Location, uri: str, i: int) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    if loc.line and loc.line >= 1:
        region: dict[str, Any] = {"startLine": loc.line}
        if loc.column and loc.column >= 1:
            region["startColumn"] = loc.column
            if loc.text:
                region["endColumn"] = loc.column + len(loc.text)
        if loc.text:
            region["snippet"] = {"text": loc.text}
        physical["region"] = region
    d: dict[str, Any] = {"id": i, "physicalLocation": physical}
    d["message"] = {"text": f"{loc.label} {loc.text}".strip() or loc.key}
    props: dict[str, Any] = {"key": loc.key, "source": loc.source}
    if loc.role:
        props["role"] = loc.role
    if loc.page is not None:
        props["page"] = loc.page
    if loc.where:
        props["where"] = loc.where
    d["properties"] = props
    return d
