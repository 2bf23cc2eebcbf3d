"""GitHub Actions workflow commands and the step summary."""

from __future__ import annotations

from dataclasses import replace

from validator.render import render
from validator.render.github_format import command, escape_data, escape_property, step_summary

PATH = "samples/000_a81f0d4f916600c6.txt"


def test_one_command_per_finding_and_unreadable_report(results, catalogue):
    fps = [f.fingerprint for f in results[0].findings]
    lines = render("github", results, catalogue=catalogue).splitlines()
    assert lines == [
        f"::error file={PATH},line=958,col=1,title=O6 工作人员数等于专职与兼职人员数之和::"
        "从事政府信息公开工作人员数 224 ≠ 专职人员数 52 + 兼职人员数 183 = 235"
        "%0A第958行第1列 表格 从事政府信息公开工作人员数 224"
        "%0A第966行第1列 表格 专职人员数 52"
        "%0A第976行第1列 表格 兼职人员数 183"
        "%0A第158行第40列 正文 从事政府信息公开工作人员数 224"
        f"%0A指纹：{fps[0]}",
        f"::warning file={PATH},line=129,col=33,title=P1 所报百分比与分子、分母相符::"
        "当面申请 784 件占 2555 件的 30.6849%25，不在所报 30.69%25 的舍入区间 [30.685, 30.695] 内"
        "%0A第129行第33列 正文 当面申请占比 30.69"
        "%0A第129行第27列 正文 当面申请 784"
        "%0A第129行第15列 正文 受理申请总数 2555"
        "%0A建议：核对百分比：784 / 2555 = 30.68%25"
        f"%0A指纹：{fps[1]}",
        f"::error file={PATH},line=170,col=16,title=M1 正文所述数字与表格一致::"
        "正文所述行政诉讼 55 件（维持 11 件、纠正 25 件）与表格（55 件，维持 17 件、纠正 19 件）不一致"
        "%0A第170行第16列 正文 行政诉讼总数 55"
        "%0A第170行第40列 正文 维持具体行政行为或者驳回原告诉讼请求 11"
        "%0A第170行第49列 正文 被依法纠正 25"
        "%0A第1118行第1列 表格 行政诉讼数 55"
        "%0A第1122行第1列 表格 维持具体行政行为或者驳回原告诉讼请求数 17"
        "%0A第1126行第1列 表格 被依法纠正数 19"
        f"%0A指纹：{fps[2]}",
        "::error file=samples/empty.txt,title=无法读取::samples/empty.txt: is empty",
    ]


def test_title_falls_back_to_the_finding_title_then_severity(results):
    lines = render("github", results).splitlines()
    assert ",title=O6 工作人员数等于专职与兼职人员数之和::" in lines[0]
    assert ",title=P1 警告::" in lines[1]
    lines_en = render("github", results, lang="en").splitlines()
    assert ",title=P1 warning::" in lines_en[1]
    assert (
        lines_en[0]
        .split("::")[2]
        .startswith("staff total 224 ≠ full-time 52 + part-time 183 = 235%0Aline 958, column 1")
    )
    assert lines_en[-1] == "::error file=samples/empty.txt,title=Unreadable::samples/empty.txt: is empty"


def test_info_is_notice_and_everything_is_escaped(tricky):
    (line,) = render("github", [tricky]).splitlines()
    fp = tricky.findings[0].fingerprint
    assert line == (
        "::notice file=reports/a%2Cb%3Ac 100%25.txt,line=3,col=17,"
        "title=X1 标题%2C 含%3A 冒号 & <尖括号>::"
        "a < b & c > d: 50%25 done%0D%0Aline two, with :: and <script>alert(1)</script> | *star* `tick`"
        "%0A第3行第17列 正文 数值<甲> 50"
        f"%0A指纹：{fp}"
    )


def test_waived_findings_are_not_annotated(results):
    results[0].findings[0] = replace(results[0].findings[0], waived="已核实")
    lines = render("github", results).splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["::warning", "::error", "::error"]
    assert "line=958" not in "".join(lines)


def test_escaping_functions():
    assert escape_data("100%\r\nnext: a,b") == "100%25%0D%0Anext: a,b"
    assert escape_property("100%\r\nnext: a,b") == "100%25%0D%0Anext%3A a%2Cb"
    assert escape_data("%0A") == "%250A"  # an already-escaped-looking text is not mistaken for an escape
    assert command("notice", {}, "x") == "::notice::x"
    assert command("error", {"file": "a:b.txt", "line": 3}, "m") == "::error file=a%3Ab.txt,line=3::m"


def test_no_findings_no_output(chaoyang):
    chaoyang.findings = []
    assert render("github", [chaoyang]) == ""


def test_step_summary(results):
    results[0].findings[2] = replace(results[0].findings[2], waived="口径不同 | 已说明")
    assert step_summary(results) == "\n".join(
        [
            "## 政府信息公开工作年度报告校验结果",
            "",
            "报告 2 · 错误 1 · 警告 1 · 提示 0 · 已豁免 1 · 无法读取 1",
            "",
            f"### `{PATH}`",
            "",
            "发布机关 北京市朝阳区人民政府 · 年度 2017 · 模板 old-2014 · 读取的数字 187 · 检查的规则 40 · "
            "错误 1 · 警告 1 · 提示 0",
            "",
            "| 规则 | 严重程度 | 说明 | 位置 |",
            "| --- | --- | --- | --- |",
            "| O6 | 错误 | 从事政府信息公开工作人员数 224 ≠ 专职人员数 52 + 兼职人员数 183 = 235 | "
            "第958行第1列 表格<br>第966行第1列 表格<br>第976行第1列 表格<br>第158行第40列 正文 |",
            "| P1 | 警告 | 当面申请 784 件占 2555 件的 30.6849%，不在所报 30.69% 的舍入区间 \\[30.685, 30.695\\] 内"
            "<br>建议：核对百分比：784 / 2555 = 30.68% | 第129行第33列 正文<br>第129行第27列 正文<br>第129行第15列 正文 |",
            "| M1 | 错误（已豁免） | 正文所述行政诉讼 55 件（维持 11 件、纠正 25 件）与表格（55 件，维持 17 件、纠正 19 件）不一致"
            "<br>豁免理由：口径不同 \\| 已说明 | 第170行第16列 正文<br>第170行第40列 正文<br>第170行第49列 正文<br>"
            "第1118行第1列 表格<br>第1122行第1列 表格<br>第1126行第1列 表格 |",
            "",
            "### `samples/empty.txt`",
            "",
            "**无法读取**：is empty",
            "",
        ]
    )


def test_step_summary_english(chaoyang):
    text = step_summary([chaoyang], lang="en")
    assert text.splitlines()[:3] == [
        "## Annual report validation results",
        "",
        "Reports 1 · Error 2 · Warning 1 · Info 0",
    ]
    assert "| Rule | Severity | Message | Location |" in text
    assert (
        "| O6 | error | staff total 224 ≠ full-time 52 + part-time 183 = 235 | line 958, column 1 table<br>"
        in text
    )
