"""The terminal report: grouped by severity, each finding with its arithmetic and its sources quoted."""

from __future__ import annotations

from typing import Any

from validator.model import SEVERITIES, Finding, Location, ReportResult, summary

_WORDS = {
    "zh": {
        "error": "错误", "warning": "警告", "info": "提示", "table": "表格", "narrative": "正文",
        "document": "全文", "line": "行", "figures": "读取数字", "rules": "检查规则", "clean": "未发现问题",
        "unreadable": "无法读取", "waived": "已豁免", "template": "模板", "year": "年度", "reports": "份报告",
        "total": "合计", "suggestion": "建议",
    },
    "en": {
        "error": "errors", "warning": "warnings", "info": "notes", "table": "table", "narrative": "text",
        "document": "document", "line": "line", "figures": "figures read", "rules": "rules checked",
        "clean": "no findings", "unreadable": "could not be read", "waived": "waived", "template": "template",
        "year": "year", "reports": "reports", "total": "total", "suggestion": "suggestion",
    },
}
_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}
_MARK = {"error": "✖", "warning": "▲", "info": "●"}


def render_console(results: list[ReportResult], console: Any, *, lang: str = "zh",
                   catalogue: dict[str, Any] | None = None, unreadable: int = 0) -> None:
    """Print ``results`` to a rich Console, report by report (the table of reports is ``render_summary``)."""
    w = _WORDS["en" if lang == "en" else "zh"]
    for r in results:
        _report(r, console, w, lang, catalogue or {})


def render_summary(results: list[ReportResult], console: Any, *, lang: str = "zh") -> None:
    """The table of reports: template, year, findings by severity (or why a report could not be read)."""
    from rich.table import Table

    en = lang == "en"
    table = Table(title=None if en else None, show_lines=False)
    for head in (("report", "报告"), ("body", "机关"), ("template", "模板"), ("year", "年度"), ("errors", "错误"),
                 ("warnings", "警告"), ("notes", "提示")):
        table.add_column(head[0] if en else head[1], justify="right" if head[0] in ("year", "errors", "warnings",
                                                                                      "notes") else "left")
    for r in results:
        if r.error is not None:
            table.add_row(r.path, "[red]" + ("could not be read: " if en else "无法读取：") + r.error + "[/]",
                          "", "", "", "", "")
            continue
        c = r.counts()
        table.add_row(r.path, r.body or "", r.template or "", str(r.year or ""),
                      f"[red]{c['error']}[/]" if c["error"] else "0", f"[yellow]{c['warning']}[/]" if c["warning"] else "0",
                      str(c["info"]))
    console.print(table)
    w = _WORDS["en" if en else "zh"]
    s = summary(results)
    console.print(
        f"{w['total']}: {s['reports']} {w['reports']} · "
        f"[red]{w['error']} {s['error']}[/] · [yellow]{w['warning']} {s['warning']}[/] · "
        f"[cyan]{w['info']} {s['info']}[/]" + (f" · {w['unreadable']} {s['unreadable']}" if s["unreadable"] else "")
    )


def _report(r: ReportResult, console: Any, w: dict[str, str], lang: str, catalogue: dict[str, Any]) -> None:
    from rich.markup import escape

    if r.error is not None:
        console.print(f"[bold]{escape(r.path)}[/]  [red]{w['unreadable']}[/]: {escape(r.error)}")
        return
    head = [f"[bold]{escape(r.path)}[/]"]
    if r.body:
        head.append(escape(r.body))
    if r.year:
        head.append(f"{r.year}{'年度' if lang != 'en' else ''}")
    if r.template:
        head.append(f"{w['template']} {escape(r.template)}")
    console.print("  ·  ".join(head))
    c = r.counts()
    console.print(
        f"{w['figures']} {r.figures} · {w['rules']} {r.rules_checked} · "
        f"[red]{w['error']} {c['error']}[/] · [yellow]{w['warning']} {c['warning']}[/] · [cyan]{w['info']} {c['info']}[/]"
    )
    if not r.findings:
        console.print(f"[green]✔ {w['clean']}[/]\n")
        return
    for sev in SEVERITIES:
        group = [f for f in r.findings if f.severity == sev]
        if not group:
            continue
        console.print(f"\n[{_STYLE[sev]}]{w[sev]} ({len(group)})[/]")
        for f in group:
            _finding(f, console, w, lang, catalogue)
    console.print()


def _finding(f: Finding, console: Any, w: dict[str, str], lang: str, catalogue: dict[str, Any]) -> None:
    from rich.markup import escape

    info = catalogue.get(f.rule)
    title = (info.title_en if lang == "en" and info and info.title_en else info.title if info else f.title) or ""
    waived = f"  [dim]({w['waived']}: {escape(f.waived)})[/]" if f.waived is not None else ""
    style = "dim" if f.waived is not None else _STYLE[f.severity]
    console.print(f" [{style}]{_MARK[f.severity]} {f.rule}[/] [bold]{escape(title)}[/]{waived}")
    console.print(f"   {escape(f.text(lang))}")
    suggestion = f.suggestion_en if lang == "en" and f.suggestion_en else f.suggestion
    if suggestion:
        console.print(f"   [green]{w['suggestion']}: {escape(suggestion)}[/]")
    for group in group_locations(f.locations):
        console.print("     " + _quote(group, w), highlight=False)


def group_locations(locations: tuple[Location, ...]) -> list[list[Location]]:
    """Locations in the same narrative sentence together, so the sentence is quoted once."""
    groups: list[list[Location]] = []
    for loc in locations:
        for g in groups:
            if loc.source == "narrative" and g[0].source == "narrative" and g[0].line == loc.line \
                    and g[0].context == loc.context:
                g.append(loc)
                break
        else:
            groups.append([loc])
    return groups


def highlight_spans(context: str, locs: list[Location]) -> list[tuple[str, bool]]:
    """``context`` cut into (text, is_figure) pieces, each figure at its own offset."""
    spans = []
    for loc in locs:
        i = loc.context_offset if loc.context_offset >= 0 else context.find(loc.text) if loc.text else -1
        if i >= 0 and context[i:i + len(loc.text)] == loc.text:
            spans.append((i, i + len(loc.text)))
    spans = sorted(set(spans))
    out, pos = [], 0
    for a, b in spans:
        if a < pos:
            continue
        out.append((context[pos:a], False))
        out.append((context[a:b], True))
        pos = b
    out.append((context[pos:], False))
    return [(t, m) for t, m in out if t]


def _quote(group: list[Location], w: dict[str, str]) -> str:
    from rich.markup import escape

    loc = group[0]
    where = f"{w['line']} {loc.line}:{','.join(str(g.column) for g in group)}"
    if loc.page:
        where = f"p.{loc.page} " + where
    src = w.get(loc.source, loc.source)
    if loc.source == "table":
        return f"[dim]{where:>12}[/] [blue]{src}[/] {escape(loc.context or loc.label)} = [bold red]{escape(loc.text)}[/]"
    pieces = highlight_spans(loc.context or "", group)
    body = "".join(f"[bold red]{escape(t)}[/]" if m else escape(t) for t, m in pieces) or escape(loc.text)
    return f"[dim]{where:>12}[/] [magenta]{src}[/] {body.strip()}"
