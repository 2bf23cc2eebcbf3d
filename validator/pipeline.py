"""One report from path to result: read → detect → extract → evaluate.

``validate_paths`` is what the command line calls; it never raises for a bad input: an
unreadable or unintelligible document becomes a ``ReportResult`` with ``error`` set.
"""

from __future__ import annotations

from dataclasses import dataclass

from validator.errors import InputError
from validator.model import Finding, Location, ReportResult


@dataclass
class Options:
    template: str = "auto"
    lang: str = "zh"


def validate_path(path: str, options: Options | None = None) -> ReportResult:
    """Validate one file; errors reading or understanding it are returned in ``result.error``."""
    try:
        return _validate(path, options or Options())
    except InputError as e:
        return ReportResult(path=path, error=e.problem)
    except RecursionError:
        return ReportResult(path=path, error="is nested too deeply to be read")
    except MemoryError:
        return ReportResult(path=path, error="is too large to be read in memory")
    except Exception as e:  # a bug must not hide the other reports: report it as this file's problem
        return ReportResult(path=path, error=f"internal error while checking it ({type(e).__name__}: {e}); please report")


def _validate(path: str, options: Options) -> ReportResult:
    from validator.coverage import coverage_findings
    from validator.detect import choose_template, detect_year_body, looks_like_report
    from validator.engine import evaluate
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
            raise InputError(path, "no statistics table of a known template was found "
                                   "(use --template to name one)")
        raise InputError(path, "is not a government information-disclosure annual report "
                               "(政府信息公开工作年度报告): none of its figures or headings were found")
    ex = extract(doc, ruleset, body=body, year=year)
    result = ReportResult(path=path, template=ruleset.template, template_title=ruleset.title, year=year, body=body,
                          lines=doc.lines)
    result.figures = sum(1 for f in ex.table if f.state == "value") + sum(
        1 for n in ex.narrative.numbers if n.key or n.percent)
    cover = coverage_findings(ex)
    if cover and cover[0].rule == "C1":
        if not looks_like_report(doc):
            raise InputError(path, "is not a government information-disclosure annual report "
                                   "(政府信息公开工作年度报告): none of its figures or headings were found")
        result.findings = cover
        return result
    outcome = evaluate(ruleset, [ex])[0]
    result.rules_checked = outcome.rules_checked
    result.findings = outcome.findings + cover
    if by_year and by_year != ruleset.template and options.template == "auto":
        result.findings.insert(0, _wrong_template(ruleset, by_year, year))
    return result


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
