"""Plain data shared by every stage: locations, findings and the per-report result.

Findings are frozen dataclasses holding their numbers as data, so each renderer can lay the
arithmetic out its own way. ``ReportResult.to_dict()`` is the JSON contract of ``../shared/design.md``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}


def _integral(v: Any) -> Any:
    """224.0 → 224 so every renderer prints counts as counts; 30.69 stays 30.69."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, dict):
        return {k: _integral(x) for k, x in v.items()}
    return v


# Location, Term and Finding write out their __init__ (``init=False``): the generated one of a frozen dataclass
# sets every field through ``object.__setattr__``, three times slower, and evaluation makes tens per report.


@dataclass(frozen=True, init=False)
class Location:
    """One figure involved in a finding, at the place it was printed (1-based line and column)."""

    key: str
    label: str
    value: float | None
    text: str
    source: str  # "table" or "narrative"
    line: int
    column: int
    page: int | None = None
    role: str = ""  # what the figure is in the rule: "total", "part", "narrative", "percent", …
    context: str = ""  # the printed passage around the figure (a sentence, or a table row's label)
    context_offset: int = -1  # where ``text`` starts in ``context`` (-1: not known)
    where: str = ""  # a format-specific place, e.g. "表格2 第3行 第4列" in a Word file

    def __init__(self, key: str, label: str, value: float | None, text: str, source: str, line: int, column: int,
                 page: int | None = None, role: str = "", context: str = "", context_offset: int = -1,
                 where: str = "") -> None:
        d = self.__dict__
        d["key"] = key
        d["label"] = label
        d["value"] = _integral(value)
        d["text"] = text
        d["source"] = source
        d["line"] = line
        d["column"] = column
        d["page"] = page
        d["role"] = role
        d["context"] = context
        d["context_offset"] = context_offset
        d["where"] = where

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "key": self.key,
            "label": self.label,
            "value": _plain(self.value),
            "line": self.line,
            "column": self.column,
            "text": self.text,
            "source": self.source,
        }
        if self.page is not None:
            d["page"] = self.page
        if self.role:
            d["role"] = self.role
        if self.where:
            d["where"] = self.where
        return d


@dataclass(frozen=True, init=False)
class Term:
    """One addend of a finding's arithmetic, e.g. ``专职人员数 52``."""

    label: str
    value: float

    def __init__(self, label: str, value: float) -> None:
        d = self.__dict__
        d["label"] = label
        d["value"] = _integral(value)

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "value": _plain(self.value)}


@dataclass(frozen=True, init=False)
class Finding:
    """A discrepancy found by one rule instance in one report."""

    rule: str
    severity: str
    message: str
    expected: Any = None
    actual: Any = None
    locations: tuple[Location, ...] = ()
    instance: str = ""  # the rule instance within its code (e.g. "litigation" for O5)
    title: str = ""  # the rule's one-line description
    terms: tuple[Term, ...] = ()  # the parts of a sum, for renderers that lay the arithmetic out
    message_en: str = ""
    suggestion: str | None = None
    suggestion_en: str | None = None
    waived: str | None = None  # the reason, when a waiver acknowledges this finding
    anchor: str = ""  # extra identity for the fingerprint (e.g. the narrative phrase)

    def __init__(self, rule: str, severity: str, message: str, expected: Any = None, actual: Any = None,
                 locations: tuple[Location, ...] = (), instance: str = "", title: str = "",
                 terms: tuple[Term, ...] = (), message_en: str = "", suggestion: str | None = None,
                 suggestion_en: str | None = None, waived: str | None = None, anchor: str = "") -> None:
        d = self.__dict__
        d["rule"] = rule
        d["severity"] = severity
        d["message"] = message
        d["expected"] = _integral(expected)
        d["actual"] = _integral(actual)
        d["locations"] = locations
        d["instance"] = instance
        d["title"] = title
        d["terms"] = terms
        d["message_en"] = message_en
        d["suggestion"] = suggestion
        d["suggestion_en"] = suggestion_en
        d["waived"] = waived
        d["anchor"] = anchor

    @property
    def fingerprint(self) -> str:
        """Stable across runs: rule, instance, and the keys involved, never lines or values."""
        keys = sorted({loc.key for loc in self.locations})
        basis = "|".join([self.rule, self.instance, self.anchor, *keys])
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:20]

    def text(self, lang: str = "zh") -> str:
        return self.message_en if lang == "en" and self.message_en else self.message

    def suggestion_text(self, lang: str = "zh") -> str | None:
        return self.suggestion_en if lang == "en" and self.suggestion_en else self.suggestion

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        d: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.text(lang),
            "expected": _plain(self.expected),
            "actual": _plain(self.actual),
            "fingerprint": self.fingerprint,
            "locations": [loc.to_dict() for loc in self.locations],
        }
        if self.instance:
            d["instance"] = self.instance
        if self.terms:
            d["terms"] = [t.to_dict() for t in self.terms]
        suggestion = self.suggestion_text(lang)
        if suggestion:
            d["suggestion"] = suggestion
        if self.waived is not None:
            d["waived"] = self.waived
        return d


@dataclass
class ReportResult:
    """Everything known about one validated input: what was read, and what was found."""

    path: str
    template: str | None = None
    template_title: str | None = None
    year: int | None = None
    body: str | None = None
    figures: int = 0
    rules_checked: int = 0
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None  # set when the input could not be read or understood
    lines: list[str] = field(default_factory=list)  # the decoded text, for quoting sources

    def counts(self, include_waived: bool = False) -> dict[str, int]:
        c = {s: 0 for s in SEVERITIES}
        for f in self.findings:
            if f.waived is None or include_waived:
                c[f.severity] += 1
        return c

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        d: dict[str, Any] = {"path": self.path}
        if self.error is not None:
            d["error"] = self.error
            return d
        d.update(
            {
                "template": self.template,
                "year": self.year,
                "body": self.body,
                "figures": self.figures,
                "rules_checked": self.rules_checked,
                "findings": [f.to_dict(lang) for f in self.findings],
            }
        )
        return d


def summary(results: list[ReportResult]) -> dict[str, int]:
    """Totals over all reports, as in the JSON ``summary`` object (waived findings not counted)."""
    s = {"reports": len(results), "error": 0, "warning": 0, "info": 0, "unreadable": 0}
    for r in results:
        if r.error is not None:
            s["unreadable"] += 1
        for k, v in r.counts().items():
            s[k] += v
    return s


def _plain(v: Any) -> Any:
    """Numbers as JSON would want them: 224.0 → 224, 30.69 stays 30.69."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    return v
