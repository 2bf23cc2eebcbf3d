"""Command line: ``validate PATH…``, ``validate rules``, ``validate explain CODE``, ``validate extract PATH``.

Exit codes: 0 no findings at or above the fail level, 1 such findings, 2 a usage error or an input
that cannot be read or understood (one line on stderr naming the file). Heavy libraries (pandas,
pandera) are imported only when a report is actually validated, so ``--help`` is instant.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

SUBCOMMANDS = {"check", "rules", "explain", "extract"}

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="政府信息公开工作年度报告一致性检查 — consistency validator for government information-disclosure annual "
         "reports.\n\nvalidate REPORT… checks reports (this is the default command); validate rules lists the rule "
         "catalogue; validate explain CODE explains one rule; validate extract REPORT… exports every figure.",
)


class Fmt(str, Enum):
    console = "console"
    json = "json"
    html = "html"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    markdown = "markdown"


class Level(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


class ExtractFmt(str, Enum):
    csv = "csv"
    json = "json"


def _fail(message: str) -> None:
    typer.echo(f"validate: error: {message}", err=True)
    raise typer.Exit(2)


@app.command("check")
def check(
    paths: Annotated[list[str], typer.Argument(help="report files (.txt .md .html .pdf .docx), folders or globs")],
    fmt: Annotated[list[Fmt], typer.Option("--format", "-f", help="output format; repeat for several")] = None,  # type: ignore[assignment]
    output: Annotated[list[str], typer.Option("--output", "-o", help="file for the non-console format, in order")] = None,  # type: ignore[assignment]
    fail_level: Annotated[Level, typer.Option(help="exit 1 for findings at or above this severity")] = Level.error,
    template: Annotated[str, typer.Option(help="auto, or a template name (see `validate rules`)")] = "auto",
    lang: Annotated[Lang, typer.Option(help="language of messages: zh (default) or en")] = Lang.zh,
    html_report: Annotated[str | None, typer.Option("--html-report", help="also write the HTML discrepancy report here (console format only)")] = None,
    waivers: Annotated[str | None, typer.Option("--waivers", help="YAML/JSON file of acknowledged findings (by fingerprint, with a reason)")] = None,
    previous: Annotated[str | None, typer.Option("--previous", help="last year's report of the same body, for the cross-year rules")] = None,
) -> None:
    """Check reports and print their findings."""
    from validator.inputs import expand_paths
    from validator.model import SEVERITY_RANK
    from validator.pipeline import Options, validate_paths

    formats = [f.value for f in (fmt or [Fmt.console])]
    outputs = list(output or [])
    if len(outputs) > len(formats):
        _fail("more --output files than --format values")
    stdout_formats = [f for f in formats[len(outputs):] if f != "console"]
    if len(stdout_formats) + ("console" in formats[len(outputs):]) > 1:
        _fail("only one format can go to standard output; give --output for the others")
    from validator.model import ReportResult

    waiver_list = _load_waivers(waivers) if waivers else []
    files, problems = expand_paths(paths)
    if previous is not None and not Path(previous).is_file():
        _fail(f"{previous}: --previous must name one report file")
    results = validate_paths(files, Options(template=template, lang=lang.value), previous)
    results.extend(ReportResult(path=p, error=msg) for p, msg in problems)
    stale = []
    if waiver_list:
        from validator.waivers import apply_waivers

        stale = apply_waivers(results, waiver_list)
    catalogue = _catalogue()
    for f, dest in zip(formats, outputs + [None] * (len(formats) - len(outputs)), strict=True):
        if f == "console":
            if dest:
                _fail("the console format prints to the terminal; use --format markdown or json for a file")
            # unreadable inputs are reported on stderr, once, below
            _print_console([r for r in results if r.error is None], lang.value, catalogue, len(results))
        else:
            from validator.render import render

            text = render(f, results, lang=lang.value, catalogue=catalogue)
            if dest:
                _write(dest, text)
            else:
                sys.stdout.write(text)
    if html_report and "console" in formats:
        from validator.render import render

        _write(html_report, render("html", results, lang=lang.value, catalogue=catalogue))
    for w in stale:
        typer.echo(f"validate: warning: {waivers}: stale waiver {w.fingerprint} matches no finding"
                   + (f" ({w.reason})" if w.reason else ""), err=True)
    unreadable = [r for r in results if r.error is not None]
    for r in unreadable:
        typer.echo(f"validate: error: {r.path}: {r.error}", err=True)
    if unreadable:
        raise typer.Exit(2)
    threshold = SEVERITY_RANK[fail_level.value]
    failing = any(SEVERITY_RANK[f.severity] >= threshold and f.waived is None for r in results for f in r.findings)
    raise typer.Exit(1 if failing else 0)


@app.command("rules")
def rules(
    lang: Annotated[Lang, typer.Option(help="zh or en")] = Lang.zh,
) -> None:
    """List the rule catalogue: code, severity, templates, what it checks."""
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    en = lang is Lang.en
    for col in (("code", "代码"), ("severity", "级别"), ("templates", "模板"), ("checks", "检查内容")):
        table.add_column(col[0] if en else col[1])
    for info in _catalogue().values():
        table.add_row(info.code, info.severity, ", ".join(info.templates),
                      info.title_en if en and info.title_en else info.title)
    Console().print(table)


@app.command("explain")
def explain(
    code: Annotated[str, typer.Argument(help="a rule code, e.g. O6")],
    lang: Annotated[Lang, typer.Option(help="zh or en")] = Lang.zh,
) -> None:
    """Explain one rule: what it checks and why, with a passing and a failing example."""
    cat = _catalogue()
    info = cat.get(code.upper())
    if info is None:
        _fail(f"unknown rule code {code!r} (see `validate rules`)")
    en = lang is Lang.en
    typer.echo(f"{info.code}  {info.title_en if en and info.title_en else info.title}")
    typer.echo(f"{'severity' if en else '级别'}: {info.severity}    {'kind' if en else '类型'}: {info.kind}    "
               f"{'templates' if en else '模板'}: {', '.join(info.templates)}")
    if len(info.instances) > 1:
        typer.echo(f"{'instances' if en else '实例'}: {', '.join(info.instances)}")
    for formula in info.formulas:
        typer.echo(f"  {formula}")
    desc = info.description_en if en and info.description_en else info.description
    if desc:
        typer.echo("\n" + desc)
    if info.example_pass:
        typer.echo(f"\n{'passes' if en else '通过'}:  {info.example_pass}")
    if info.example_fail:
        typer.echo(f"{'fails' if en else '不通过'}:  {info.example_fail}")


@app.command("extract")
def extract_cmd(
    paths: Annotated[list[str], typer.Argument(help="report files, folders or globs")],
    fmt: Annotated[ExtractFmt, typer.Option("--format", "-f")] = ExtractFmt.csv,
    output: Annotated[str | None, typer.Option("--output", "-o")] = None,
    template: Annotated[str, typer.Option(help="auto, or a template name")] = "auto",
) -> None:
    """Every figure read from the reports, one row each, with its location."""
    from validator.extract_export import export_figures
    from validator.inputs import expand_paths

    files, problems = expand_paths(paths)
    for p, msg in problems:
        typer.echo(f"validate: error: {p}: {msg}", err=True)
    frame, errors = export_figures(files, template)
    for p, msg in errors:
        typer.echo(f"validate: error: {p}: {msg}", err=True)
    if fmt is ExtractFmt.csv:
        text = frame.to_csv(index=False)
    else:
        text = frame.to_json(orient="records", force_ascii=False, indent=2) + "\n"
    if output:
        _write(output, text)
    else:
        sys.stdout.write(text)
    raise typer.Exit(2 if problems or errors else 0)


def _load_waivers(path: str) -> list:
    from validator.errors import InputError
    from validator.waivers import load_waivers

    try:
        return load_waivers(path)
    except InputError as e:
        _fail(str(e))
        raise  # unreachable


def _catalogue() -> dict:
    from validator.catalogue import load_catalogue
    from validator.ruleset import RuleSetError

    try:
        return load_catalogue()
    except RuleSetError as e:
        _fail(str(e))
        raise  # unreachable


def _print_console(results, lang: str, catalogue: dict, total: int) -> None:
    if not results:
        return
    from rich.console import Console

    from validator.render.console import render_console

    render_console(results, Console(highlight=False), lang=lang, catalogue=catalogue, unreadable=total - len(results))


def _write(dest: str, text: str) -> None:
    """Write atomically: a reader never sees half a report."""
    import os
    import tempfile

    target = Path(dest)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report is an ordinary file
        os.replace(tmp, target)
    except OSError as e:
        _fail(f"{dest}: cannot write ({e.strerror or e})")


def main(argv: list[str] | None = None) -> None:
    """Entry point: ``validate PATH…`` runs ``check``; subcommand names run themselves."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] not in SUBCOMMANDS and args[0] not in ("--help", "-h"):
        args.insert(0, "check")
    try:
        app(args=args, prog_name="validate", standalone_mode=True)
    except KeyboardInterrupt:
        typer.echo("validate: interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
