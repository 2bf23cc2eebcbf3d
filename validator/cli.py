"""Command line: ``validate PATH…``, ``validate rules``, ``validate explain CODE``, ``validate extract PATH``.

Exit codes: 0 no findings at or above the fail level, 1 such findings, 2 a usage error or an input
that cannot be read or understood (one line on stderr naming the file). Heavy libraries (pandas,
pandera) are imported only when a report is actually validated, so ``--help`` is instant.
"""

from __future__ import annotations

import os
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
    parquet = "parquet"


def _fail(message: str) -> None:
    typer.echo(f"validate: error: {_one_line(message)}", err=True)
    raise typer.Exit(2)


def _one_line(text: str) -> str:
    """A message kept on one line: control characters in a file name are shown escaped (\\n, \\t)."""
    return "".join(ch if ch.isprintable() or ch == " " else repr(ch)[1:-1] for ch in str(text))


@app.command("check")
def check(
    paths: Annotated[list[str], typer.Argument(help="report files (.txt .md .html .pdf .docx), folders or globs")],
    fmt: Annotated[list[Fmt], typer.Option("--format", "-f", help="output format; repeat for several")] = None,  # type: ignore[assignment]
    output: Annotated[list[str], typer.Option("--output", "-o", help="file for the non-console format, in order")] = None,  # type: ignore[assignment]
    fail_level: Annotated[Level, typer.Option(help="exit 1 for findings at or above this severity")] = Level.error,
    template: Annotated[str, typer.Option(help="auto, or a template name (see `validate rules`)")] = "auto",
    lang: Annotated[Lang, typer.Option(help="language of messages: zh (default) or en")] = Lang.zh,
    html_report: Annotated[str, typer.Option("--html-report", help="with the console format, also write the HTML discrepancy report: a path, 'none', or 'auto' (validation-report.html when run in a terminal)")] = "auto",
    waivers: Annotated[str | None, typer.Option("--waivers", help="YAML/JSON file of acknowledged findings (by fingerprint, with a reason)")] = None,
    previous: Annotated[str | None, typer.Option("--previous", help="last year's report of the same body, for the cross-year rules")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="worker processes for many reports (0: all cores)")] = 0,
    details: Annotated[bool | None, typer.Option("--details/--summary", help="print every finding (default when 10 reports or fewer) or only the table of reports")] = None,
) -> None:
    """Check reports and print their findings."""
    from validator.inputs import expand_paths
    from validator.model import SEVERITY_RANK
    from validator.pipeline import Options, validate_paths

    if jobs < 0:
        _fail("--jobs must be 0 (all cores) or more")
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
    html_path = _html_report_path(html_report, formats, len(files))
    keep_lines = "html" in formats or html_path is not None
    options = Options(template=template)
    if len(files) <= 1:
        results = validate_paths(files, options, previous)
    else:
        results = _run_many(files, options, jobs, previous, keep_lines)
    results.extend(ReportResult(path=p, error=msg) for p, msg in problems)
    stale = []
    if waiver_list:
        from validator.waivers import apply_waivers

        stale = apply_waivers(results, waiver_list)
    # rule titles and descriptions: every format but JSON shows them
    catalogue = _catalogue() if set(formats) - {"json"} or html_path else {}
    for f, dest in zip(formats, outputs + [None] * (len(formats) - len(outputs)), strict=True):
        if f == "console":
            if dest:
                _fail("the console format prints to the terminal; use --format markdown or json for a file")
            # unreadable inputs are reported on stderr, once, below
            show = details if details is not None else len(results) <= 10
            _print_console([r for r in results if r.error is None] if show else [], lang.value, catalogue,
                           len(results))
            if len(results) > 1:
                _print_summary(results, lang.value)
        else:
            from validator.render import render

            text = render(f, results, lang=lang.value, catalogue=catalogue)
            if dest:
                _write(dest, text)
            else:
                sys.stdout.write(text)
    if html_path is not None and any(r.error is None for r in results):
        from validator.render import render

        _write(html_path, render("html", results, lang=lang.value, catalogue=catalogue))
        typer.echo(("HTML report: " if lang is Lang.en else "HTML 报告：") + html_path, err=True)
    for w in stale:
        typer.echo(_one_line(f"validate: warning: {waivers}: stale waiver {w.fingerprint} matches no finding"
                             + (f" ({w.reason})" if w.reason else "")), err=True)
    unreadable = [r for r in results if r.error is not None]
    for r in unreadable:
        typer.echo(f"validate: error: {_one_line(r.path)}: {_one_line(r.error)}", err=True)
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
    output: Annotated[str | None, typer.Option("--output", "-o", help="file to write (parquet needs one)")] = None,
    template: Annotated[str, typer.Option(help="auto, or a template name")] = "auto",
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="worker processes (0: all cores)")] = 0,
) -> None:
    """Every figure read from the reports, one row each, with its location: CSV, JSON or Parquet."""
    from validator.batch import default_jobs
    from validator.extract_export import figure_chunks
    from validator.inputs import expand_paths

    if fmt is ExtractFmt.parquet and not output:
        _fail("--format parquet needs --output FILE")
    files, problems = expand_paths(paths)
    for p, msg in problems:
        typer.echo(f"validate: error: {_one_line(p)}: {_one_line(msg)}", err=True)
    errors: list[tuple[str, str]] = []
    chunks = figure_chunks(files, template, jobs=jobs or default_jobs())
    try:
        if fmt is ExtractFmt.parquet:
            _write_parquet(output, chunks, errors)
        else:
            _write_text_table(output, fmt, chunks, errors)
    except OSError as e:
        _fail(f"{output}: cannot write ({e.strerror or e})")
    for p, msg in errors:
        typer.echo(f"validate: error: {_one_line(p)}: {_one_line(msg)}", err=True)
    raise typer.Exit(2 if problems or errors else 0)


def _write_text_table(output: str | None, fmt, chunks, errors: list) -> None:
    """CSV or JSON records, written chunk by chunk (to a temporary file first when writing a file)."""
    import json
    import os
    import tempfile

    if output:
        target = Path(output)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        out = os.fdopen(fd, "w", encoding="utf-8", newline="")
    else:
        out, tmp = sys.stdout, None
    first = True
    try:
        if fmt is ExtractFmt.json:
            out.write("[")
        for frame, errs in chunks:
            errors.extend(errs)
            if fmt is ExtractFmt.csv:
                out.write(frame.to_csv(index=False, header=first))
                first = False
            else:
                for rec in json.loads(frame.to_json(orient="records", force_ascii=False)):
                    out.write(("\n  " if first else ",\n  ") + json.dumps(rec, ensure_ascii=False))
                    first = False
        if fmt is ExtractFmt.json:
            out.write("\n]\n")
    finally:
        if tmp:
            out.close()
    if tmp:
        os.chmod(tmp, 0o644)
        os.replace(tmp, output)


def _write_parquet(output: str, chunks, errors: list) -> None:
    import os
    import tempfile

    import pyarrow as pa
    import pyarrow.parquet as pq

    target = Path(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    writer = None
    schema = None
    try:
        for frame, errs in chunks:
            errors.extend(errs)
            if frame.empty:
                continue
            table = pa.Table.from_pandas(frame.astype({c: "string" for c in _TEXT_COLUMNS}), preserve_index=False)
            if writer is None:
                schema = table.schema
                writer = pq.ParquetWriter(tmp, schema)
            writer.write_table(table.cast(schema))
    finally:
        if writer is not None:
            writer.close()
    if writer is None:
        from validator.extract_export import _empty

        pq.write_table(pa.Table.from_pandas(_empty().astype("string"), preserve_index=False), tmp)
    os.chmod(tmp, 0o644)
    os.replace(tmp, output)


_TEXT_COLUMNS = ["report", "template", "body", "key", "label", "state", "unit", "source", "text", "context", "where"]


def _html_report_path(option: str, formats: list[str], count: int) -> str | None:
    """Where the HTML discrepancy report goes with the console format: asked for, or by default in a terminal."""
    if "console" not in formats or option == "none" or count == 0:
        return None
    if option != "auto":
        return option
    return "validation-report.html" if sys.stdout.isatty() else None


def _run_many(files: list[str], options, jobs: int, previous: str | None, keep_lines: bool) -> list:
    """Many reports in worker processes, with a progress bar when a person is watching."""
    from validator import batch

    if not sys.stderr.isatty():
        return batch.run(files, options, jobs=jobs or None, previous=previous, keep_lines=keep_lines)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("检查中 checking", total=len(files))
        return batch.run(files, options, jobs=jobs or None, previous=previous, keep_lines=keep_lines,
                         progress=lambda n: bar.advance(task, n))


def _print_summary(results, lang: str) -> None:
    from rich.console import Console

    from validator.render.console import render_summary

    render_summary(results, Console(highlight=False), lang=lang)


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
    except SystemExit as done:
        if argv is None:  # the process ends here: leave without freeing every object (as mypy does)
            _hard_exit(done.code)
        raise


def _hard_exit(code: object) -> None:
    """Flush the output and end the process at once: tearing down pandas, pandera and every module
    takes longer than checking a small report. Every file the command wrote is closed by now."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (validate … | head): nothing more to say
            pass
    os._exit(status)


if __name__ == "__main__":
    main()
