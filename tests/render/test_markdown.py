"""Markdown: exact text, and escaping proven by parsing the output back with markdown-it."""

from __future__ import annotations

import html
import re
from dataclasses import replace

from markdown_it import MarkdownIt

from validator.model import Finding, ReportResult
from validator.render import render
from validator.render.markdown_format import md_code, md_escape

PATH = "samples/000_a81f0d4f916600c6.txt"


def to_html(md: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(md)


def cells(md: str) -> list[list[str]]:
    """Each body row of every table, as the HTML inside its cells."""
    rows = re.findall(r"<tr>(.*?)</tr>", to_html(md), flags=re.S)
    return [re.findall(r"<td>(.*?)</td>", row, flags=re.S) for row in rows if "<td>" in row]


def test_full_document(results):
    assert render("markdown", results) == "\n".join(
        [
            "# 政府信息公开工作年度报告校验结果",
            "",
            "报告 2 · 错误 2 · 警告 1 · 提示 0 · 无法读取 1",
            "",
            f"## `{PATH}`",
            "",
            "发布机关 北京市朝阳区人民政府 · 年度 2017 · 模板 old-2014 · 读取的数字 187 · 检查的规则 40 · "
            "错误 2 · 警告 1 · 提示 0",
            "",
            "| 规则 | 严重程度 | 说明 | 行号 |",
            "| --- | --- | --- | --- |",
            "| O6 | 错误 | 从事政府信息公开工作人员数 224 ≠ 专职人员数 52 + 兼职人员数 183 = 235 | 158, 958, 966, 976 |",
            "| P1 | 警告 | 当面申请 784 件占 2555 件的 30.6849%，不在所报 30.69% 的舍入区间 \\[30.685, 30.695\\] 内"
            "<br>建议：核对百分比：784 / 2555 = 30.68% | 129 |",
            "| M1 | 错误 | 正文所述行政诉讼 55 件（维持 11 件、纠正 25 件）与表格（55 件，维持 17 件、纠正 19 件）不一致"
            " | 170, 1118, 1122, 1126 |",
            "",
            "## `samples/empty.txt`",
            "",
            "**无法读取**：is empty",
            "",
        ]
    )


def test_english(results):
    text = render("markdown", results, lang="en")
    lines = text.splitlines()
    assert lines[0] == "# Annual report validation results"
    assert lines[2] == "Reports 2 · Error 2 · Warning 1 · Info 0 · Unreadable 1"
    assert lines[6] == (
        "Body 北京市朝阳区人民政府 · Year 2017 · Template old-2014 · Figures read 187 · Rules checked 40 · "
        "Error 2 · Warning 1 · Info 0"
    )
    assert lines[8] == "| Rule | Severity | Message | Lines |"
    assert (
        lines[10]
        == "| O6 | error | staff total 224 ≠ full-time 52 + part-time 183 = 235 | 158, 958, 966, 976 |"
    )
    assert lines[-1] == "**Unreadable**: is empty"


def test_table_parses_into_the_right_cells(results):
    rows = cells(render("markdown", results))
    assert [len(r) for r in rows] == [4, 4, 4]
    assert rows[1][2] == (
        "当面申请 784 件占 2555 件的 30.6849%，不在所报 30.69% 的舍入区间 [30.685, 30.695] 内"
        "<br>建议：核对百分比：784 / 2555 = 30.68%"
    )


def test_special_characters_print_as_themselves(tricky):
    message = "a < b & c > d | *star* `tick` [x](y) _u_ ~~s~~ \\ back <script>x</script>\nline two"
    tricky.findings[0] = replace(tricky.findings[0], message=message)
    md = render("markdown", [tricky])
    (row,) = cells(md)
    assert row[0] == "X1"
    assert row[1] == "提示"
    # every character survives as text: escaped once for HTML, nothing interpreted as Markdown
    assert row[2] == html.escape(message.split("\n")[0], quote=True).replace("&#x27;", "'") + "<br>line two"
    assert row[3] == "3"
    assert "<script>" not in to_html(md)
    body_line = md.splitlines()[6]
    assert body_line.startswith("发布机关 \\<某\\>县 \\& 人民政府 · ")
    assert "<p>发布机关 &lt;某&gt;县 &amp; 人民政府 · " in to_html(md)


def test_waived_finding_marked_and_not_counted(results):
    results[0].findings[0] = replace(results[0].findings[0], waived="兼职含专职")
    md = render("markdown", results)
    assert "报告 2 · 错误 1 · 警告 1 · 提示 0 · 已豁免 1 · 无法读取 1" in md
    assert (
        "| O6 | 错误（已豁免） | 从事政府信息公开工作人员数 224 ≠ 专职人员数 52 + 兼职人员数 183 = 235<br>豁免理由：兼职含专职 |"
        in md
    )


def test_report_without_findings(chaoyang):
    chaoyang.findings = []
    md = render("markdown", [chaoyang])
    assert md.endswith("错误 0 · 警告 0 · 提示 0\n\n未发现问题。\n")
    assert "| --- |" not in md


def test_report_without_metadata():
    r = ReportResult(path="x.txt", findings=[Finding(rule="Z1", severity="error", message="m")])
    md = render("markdown", [r])
    assert "\n读取的数字 0 · 检查的规则 0 · 错误 1 · 警告 0 · 提示 0\n" in md
    assert "| Z1 | 错误 | m |  |" in md


def test_helpers():
    assert md_escape("a|b") == "a\\|b"
    assert md_escape("1\r\n2\r3") == "1<br>2<br>3"
    assert md_code("a`b") == "``a`b``"
    assert md_code("`x`") == "`` `x` ``"
    assert md_code("plain.txt") == "`plain.txt`"
