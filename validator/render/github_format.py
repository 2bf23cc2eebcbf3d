"""``--format github``: GitHub Actions workflow commands that annotate the report files.

Each finding becomes ``::error file=…,line=…,col=…,title=…::message`` (warning → ``::warning``,
info → ``::notice``), placed at its first figure, with every figure's place listed in the message.
Waived findings are not annotated. ``step_summary`` gives Markdown for ``$GITHUB_STEP_SUMMARY``.
"""

from __future__ import annotations

from validator.catalogue import RuleInfo
from validator.model import Finding, ReportResult
from validator.render import labels, markdown_format

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def render(
    results: list[ReportResult], *, lang: str = "zh", catalogue: dict[str, RuleInfo] | None = None
) -> str:
    """One workflow command per line, for the job log."""
    lang = labels.norm_lang(lang)
    out: list[str] = []
    for report in results:
        if report.error is not None:
            props = {"file": report.path, "title": labels.text("unreadable", lang)}
            out.append(command("error", props, f"{report.path}: {report.error}"))
            continue
        for f in report.findings:
            if f.waived is None:
                out.append(annotation(report.path, f, lang=lang, catalogue=catalogue))
    return "".join(line + "\n" for line in out)


def annotation(
    path: str, f: Finding, *, lang: str = "zh", catalogue: dict[str, RuleInfo] | None = None
) -> str:
    """The workflow command for one finding in the report at ``path``."""
    props: dict[str, object] = {"file": path}
    first = f.locations[0] if f.locations else None
    if first is not None and first.line >= 1:
        props["line"] = first.line
        if first.column >= 1:
            props["col"] = first.column
    title = labels.rule_title(f, catalogue, lang) or labels.severity_name(f.severity, lang)
    props["title"] = f"{f.rule} {title}"
    lines = [f.text(lang)]
    for loc in f.locations:
        lines.append(
            f"{labels.place(loc, lang)} {labels.source_name(loc.source, lang)} {loc.label} {loc.text}".rstrip()
        )
    if f.suggestion_text(lang):
        lines.append(f"{labels.text('suggestion', lang)}{labels.text('colon', lang)}{f.suggestion_text(lang)}")
    lines.append(f"{labels.text('fingerprint', lang)}{labels.text('colon', lang)}{f.fingerprint}")
    return command(COMMANDS.get(f.severity, "warning"), props, "\n".join(lines))


def command(name: str, properties: dict[str, object], message: str) -> str:
    """``::name k=v,k=v::message`` with GitHub's escaping of properties and data."""
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items())
    return f"::{name} {props}::{escape_data(message)}" if props else f"::{name}::{escape_data(message)}"


def escape_data(s: str) -> str:
    """Escape a command's message: ``%`` → ``%25``, CR → ``%0D``, LF → ``%0A``."""
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    """Escape a property value: as data, and also ``:`` → ``%3A`` and ``,`` → ``%2C``."""
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def step_summary(results: list[ReportResult], lang: str = "zh") -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY``: a summary line and a table per report."""
    return markdown_format.document(results, lang=lang, level=2, column="location")
