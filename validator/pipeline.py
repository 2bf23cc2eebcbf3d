"""From paths to results: read → detect → extract (per report) → evaluate (all reports together).

``prepare`` does the per-report work and never raises for a bad input: an unreadable or
unintelligible document becomes a ``ReportResult`` with ``error`` set. ``evaluate_prepared`` runs
the rules over every prepared report of a template at once and pairs consecutive years of the same
body for the cross-year rules. ``validate_paths`` is both, and what the command line calls.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from validator.errors import InputError
from validator.model import Finding, Location, ReportResult

if TYPE_CHECKING:
    from validator.extract import Extraction


@dataclass
class Options:
    template: str = "auto"


@dataclass
class Prepared:
    """A report read and extracted, waiting for its rules."""

    result: ReportResult
    extraction: Extraction | None = None  # None when there is nothing to evaluate (error, C1)
    by_year: str = ""  # the template the data year calls for
    pre: list[Finding] = field(default_factory=list)  # findings before the rules (D1)
    post: list[Finding] = field(default_factory=list)  # findings after the rules (C2)


def validate_path(path: str, options: Options | None = None, previous: str | None = None) -> ReportResult:
    """Validate one file (with last year's report of the same body, if given)."""
    return validate_paths([path], options, previous)[0]


def validate_paths(paths: list[str], options: Options | None = None, previous: str | None = None) -> list[ReportResult]:
    """Validate several files together; consecutive years of one body are paired automatically."""
    options = options or Options()
    with collector_paused():
        prepared = [prepare(p, options) for p in paths]
        earlier = prepare(previous, options) if previous else None
        return evaluate_prepared(prepared, earlier)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Reading and checking reports makes millions of small objects that live until the reports are done;
    the garbage collector would rescan them again and again (a quarter of the time with its default
    thresholds) to find next to nothing: documents and findings hold no reference cycles to speak of, and
    are freed by their reference counts. (Batch workers let a chunk's documents go inside the pause, so the
    collector's next pass is small.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def prepare(path: str, options: Options) -> Prepared:
    """Read, detect and extract one report; problems become ``result.error``."""
    try:
        return _prepare(path, options)
    except InputError as e:
        return Prepared(ReportResult(path=path, error=e.problem))
    except RecursionError:
        return Prepared(ReportResult(path=path, error="is nested too deeply to be read"))
    except MemoryError:
        return Prepared(ReportResult(path=path, error="is too large to be read in memory"))
    except Exception as e:  # a bug must not hide the other reports: report it as this file's problem
        return Prepared(ReportResult(path=path, error=f"internal error while checking it ({type(e).__name__}: {e}); "
                                                      "please report"))


def _prepare(path: str, options: Options) -> Prepared:
    from validator.coverage import coverage_findings
    from validator.detect import choose_template, detect_year_body, looks_like_report
    from validator.extract import extract
    from validator.read import read_document
    from validator.ruleset import load_all_rulesets, load_ruleset, template_names

    doc = read_document(path)
    year, body = detect_year_body(doc)
    if options.template != "auto":
        if options.template not in template_names():
            raise InputError(path, f"unknown template {options.template!r} (known: {', '.join(template_names())})")
        ruleset, by_year = load_ruleset(options.template), ""
    else:
        ruleset, by_year = choose_template(year, doc, load_all_rulesets())
    if ruleset is None:
        if looks_like_report(doc):
            raise InputError(path, "no statistics table of a known template was found (use --template to name one)")
        raise InputError(path, _NOT_A_REPORT)
    ex = extract(doc, ruleset, body=body, year=year)
    result = ReportResult(path=path, template=ruleset.template, template_title=ruleset.title, year=year, body=body,
                          lines=doc.lines)
    result.figures = sum(1 for f in ex.table if f.state == "value") + sum(
        1 for n in ex.narrative.numbers if n.key or n.percent)
    cover = coverage_findings(ex)
    if cover and cover[0].rule == "C1":
        if not looks_like_report(doc):
            raise InputError(path, _NOT_A_REPORT)
        result.findings = cover
        return Prepared(result)
    wrong = by_year and by_year != ruleset.template and not ruleset.regional
    pre = [_wrong_template(ruleset, by_year, year)] if wrong else []
    return Prepared(result, ex, by_year, pre, cover)


_NOT_A_REPORT = ("is not a government information-disclosure annual report (政府信息公开工作年度报告): "
                 "none of its figures or headings were found")


def evaluate_prepared(prepared: list[Prepared], previous: Prepared | None = None, pair: bool = True) -> list[ReportResult]:
    """Run the rules over every prepared report, template by template, all reports at once.

    With ``pair``, consecutive years of one body among them are paired for the cross-year rules.
    """
    from validator.engine import evaluate

    pairs = pair_years([p for p in prepared if p.extraction is not None]) if pair else {}
    if previous is not None and previous.extraction is not None:
        for p in prepared:
            if p.extraction is not None:
                pairs.setdefault(id(p), previous)
    groups: dict[str, list[Prepared]] = {}
    for p in prepared:
        if p.extraction is not None:
            groups.setdefault(p.extraction.ruleset.template, []).append(p)
    for members in groups.values():
        ruleset = members[0].extraction.ruleset
        prev = [pairs[id(p)].extraction if id(p) in pairs else None for p in members]
        outcomes = evaluate(ruleset, [p.extraction for p in members], previous=prev)
        for p, outcome in zip(members, outcomes, strict=True):
            p.result.rules_checked = outcome.rules_checked
            p.result.findings = p.pre + _suggest(p.extraction, outcome.findings) + p.post
    return [p.result for p in prepared]


def _suggest(ex: Extraction, findings: list[Finding]) -> list[Finding]:
    """Which figure is most likely wrong, and what it should be, for the arithmetic findings."""
    if not any(f.severity != "info" for f in findings):
        return findings
    from validator.localise import suggest

    return suggest(ex, findings)


def pair_years(prepared: list[Prepared]) -> dict[int, Prepared]:
    """For each report, last year's report of the same body among the inputs (by id of the Prepared)."""
    by_key: dict[tuple[str, int], Prepared] = {}
    for p in prepared:
        if p.result.body and p.result.year:
            by_key.setdefault((_body_key(p.result.body), p.result.year), p)
    out: dict[int, Prepared] = {}
    for p in prepared:
        if p.result.body and p.result.year:
            earlier = by_key.get((_body_key(p.result.body), p.result.year - 1))
            if earlier is not None:
                out[id(p)] = earlier
    return out


def _body_key(body: str) -> str:
    """The body's name as it pairs across years: 淮安市洪泽区人民政府 and 洪泽区人民政府 are one body."""
    import re

    key = "".join(body.split())
    key = re.sub(r"^.{2,8}?(省|自治区)(?=.{2,})", "", key)
    return re.sub(r"^.{2,6}?市(?=.{1,8}?(区|县|旗))", "", key)


def _wrong_template(ruleset, by_year: str, year: int | None) -> Finding:
    return Finding(
        rule="D1",
        severity="warning",
        message=f"{year}年度报告应使用模板 {by_year}，但统计表使用的是 {ruleset.template}（{ruleset.title}）",
        message_en=f"a report for {year} should use template {by_year}, but its tables follow {ruleset.template}",
        expected=by_year,
        actual=ruleset.template,
        title="报告所用模板与数据年度相符",
        locations=(Location(key="document", label="全文", value=None, text="", source="document", line=1, column=1),),
    )
