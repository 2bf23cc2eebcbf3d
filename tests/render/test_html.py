"""The HTML page: content, escaping, filter hooks, print CSS, and nothing fetched from the network."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from validator.model import Finding, Location, ReportResult, Term
from validator.render import render
from validator.render.html_format import TEMPLATE_DIR, arithmetic, passage

from .htmltree import Node, parse

PATH = "samples/000_a81f0d4f916600c6.txt"


@pytest.fixture
def page(results, catalogue) -> Node:
    return parse(render("html", results, catalogue=catalogue))


def cards(doc: Node) -> list[Node]:
    return doc.find_all("article", cls="finding")


def test_document_basics(page):
    html = page.find("html")
    assert html.attrs["lang"] == "zh-CN"
    assert page.find("title").text() == "政府信息公开工作年度报告校验结果"
    assert page.find("h1").text() == "政府信息公开工作年度报告校验结果"


def test_summary(page):
    values = {dd.attrs["id"]: dd.text() for dd in page.by_id("summary").find_all("dd")}
    assert values == {
        "summary-reports": "2",
        "summary-figures": "187",
        "summary-rules": "40",
        "summary-findings": "3",
        "summary-error": "2",
        "summary-warning": "1",
        "summary-info": "0",
        "summary-unreadable": "1",
    }
    labels = [dt.text() for dt in page.by_id("summary").find_all("dt")]
    assert labels == ["报告", "读取的数字", "检查的规则", "发现问题", "错误", "警告", "提示", "无法读取"]


def test_one_section_per_report_with_its_metadata(page):
    sections = page.find_all("section", cls="report")
    assert [(s.attrs["id"], s.attrs["data-path"], s.classes) for s in sections] == [
        ("report-1", PATH, ["report"]),
        ("report-2", "samples/empty.txt", ["report", "unreadable"]),
    ]
    first = sections[0]
    assert first.find("h2").text() == PATH
    meta = {dd.classes[0]: dd.text() for dd in first.find("dl", cls="report-meta").find_all("dd")}
    assert meta == {
        "body": "北京市朝阳区人民政府",
        "year": "2017",
        "template": "old-2014 (2014 年版年度报告格式)",
        "figures": "187",
        "rules-checked": "40",
        "count-error": "2",
        "count-warning": "1",
        "count-info": "0",
    }
    toc = [(a.attrs["href"], a.text()) for a in page.find("nav", cls="toc").find_all("a")]
    assert toc == [("#report-1", PATH), ("#report-2", "samples/empty.txt")]


def test_unreadable_report_shows_its_error(page):
    section = page.by_id("report-2")
    assert section.find("p", cls="read-error").text() == "无法读取 无法读取此文件：is empty"
    assert section.find_all("article") == []


def test_finding_cards_carry_the_filter_hooks(page, results):
    fps = [f.fingerprint for f in results[0].findings]
    assert [
        (
            c.attrs["id"],
            c.attrs["data-severity"],
            c.attrs["data-rule"],
            c.attrs["data-waived"],
            c.attrs["data-fingerprint"],
        )
        for c in cards(page)
    ] == [
        ("finding-1-1", "error", "O6", "false", fps[0]),
        ("finding-1-2", "warning", "P1", "false", fps[1]),
        ("finding-1-3", "error", "M1", "false", fps[2]),
    ]
    assert all("hidden" not in c.attrs for c in cards(page))


def test_filter_controls(page):
    for sev in ("error", "warning", "info", "waived"):
        box = page.by_id(f"filter-{sev}")
        assert box.tag == "input"
        assert box.attrs["type"] == "checkbox"
        assert "checked" in box.attrs
    labels = [label.text().strip() for label in page.by_id("filters").find_all("label")[:4]]
    assert labels == ["错误", "警告", "提示", "显示已豁免"]
    select = page.by_id("rule-filter")
    assert select.tag == "select"
    assert [(o.attrs["value"], o.text()) for o in select.find_all("option")] == [
        ("", "全部规则"),
        ("M1", "M1 正文所述数字与表格一致"),
        ("O6", "O6 工作人员数等于专职与兼职人员数之和"),
        ("P1", "P1 所报百分比与分子、分母相符"),
    ]
    assert page.by_id("visible-count").text() == "3"
    assert page.by_id("total-count").text() == "3"
    assert page.find("body").attrs["data-filters-ready"] == "false"  # set to "true" by the script


def test_card_header_message_and_fingerprint(page, results):
    o6 = page.by_id("finding-1-1")
    assert o6.find("span", cls="badge").text() == "错误"
    assert o6.find("h3").text() == "O6 工作人员数等于专职与兼职人员数之和"
    assert (
        o6.find("p", cls="message").text()
        == "从事政府信息公开工作人员数 224 ≠ 专职人员数 52 + 兼职人员数 183 = 235"
    )
    assert o6.find("p", cls="fingerprint").text() == f"指纹：{results[0].findings[0].fingerprint}"
    assert o6.find_all("p", cls="suggestion") == []
    p1 = page.by_id("finding-1-2")
    assert p1.find("span", cls="badge").text() == "警告"
    assert p1.find("p", cls="suggestion").text() == "建议：核对百分比：784 / 2555 = 30.68%"


def test_arithmetic_table(page):
    table = page.by_id("finding-1-1").find("table", cls="arithmetic")
    rows = [
        (tr.classes[0], [td.text() for td in tr.find_all("td")]) for tr in table.find("tbody").find_all("tr")
    ]
    assert rows == [
        ("part", ["专职人员数", "52"]),
        ("part", ["兼职人员数", "183"]),
        ("sum", ["各项合计", "235"]),
        ("reported", ["报告所列总数", "224"]),
        ("difference", ["差额（报告值 − 计算值）", "-11"]),
    ]


def test_expected_and_actual_without_terms(page):
    p1 = page.by_id("finding-1-2")
    assert p1.find_all("table") == []
    assert [(dd.classes[0], dd.text()) for dd in p1.find("dl", cls="values").find_all("dd")] == [
        ("expected", "30.68"),
        ("actual", "30.69"),
    ]
    m1 = page.by_id("finding-1-3")
    assert [dd.text() for dd in m1.find("dl", cls="values").find_all("dd")] == [
        "55 / 17 / 19",
        "55 / 11 / 25",
    ]


def test_source_passages_highlight_the_figure(page):
    sources = page.by_id("finding-1-1").find("div", cls="sources").find_all("li", cls="source")
    assert [(s.attrs["data-line"], s.attrs["data-source"]) for s in sources] == [
        ("958", "table"),
        ("966", "table"),
        ("976", "table"),
        ("158", "narrative"),
    ]
    assert sources[0].find("span", cls="place").text() == "第958行第1列"
    assert sources[0].find("span", cls="source-kind").text() == "表格"
    assert sources[0].find("q").inner_html() == "(三)从事政府信息公开工作人员数 <mark>224</mark>"
    assert sources[3].find("span", cls="place").text() == "第158行第40列"
    assert sources[3].find("span", cls="source-kind").text() == "正文"
    assert sources[3].find("q").inner_html() == (
        "从事政府信息公开工作人员<mark>224</mark>名，其中专职人员52名、兼职人员183名。"
    )
    m1 = page.by_id("finding-1-3").find_all("q", cls="passage")
    assert m1[1].inner_html() == (
        "因政府信息公开申请提起行政诉讼55件，其中维持具体行政行为或者驳回原告诉讼请求<mark>11</mark>件、被依法纠正25件。"
    )


def test_english(results, catalogue):
    doc = parse(render("html", results, lang="en", catalogue=catalogue))
    assert doc.find("html").attrs["lang"] == "en"
    assert [dt.text() for dt in doc.by_id("summary").find_all("dt")] == [
        "Reports",
        "Figures read",
        "Rules checked",
        "Findings",
        "error",
        "warning",
        "info",
        "Unreadable",
    ]
    o6 = doc.by_id("finding-1-1")
    assert o6.find("h3").text() == "O6 Staff total equals full-time plus part-time staff"
    assert o6.find("p", cls="message").text() == "staff total 224 ≠ full-time 52 + part-time 183 = 235"
    assert o6.find("span", cls="place").text() == "line 958, column 1"
    assert o6.find("span", cls="source-kind").text() == "table"
    rows = [[td.text() for td in tr.find_all("td")] for tr in o6.find("tbody").find_all("tr")]
    assert rows[-3:] == [
        ["Sum of parts", "235"],
        ["Reported total", "224"],
        ["Difference (reported − computed)", "-11"],
    ]
    assert doc.by_id("rule-filter").find("option").text() == "All rules"


def test_english_falls_back_to_chinese_message(results):
    results[0].findings[0] = replace(results[0].findings[0], message_en="")
    doc = parse(render("html", results, lang="en"))
    assert (
        doc.by_id("finding-1-1").find("p", cls="message").text().startswith("从事政府信息公开工作人员数 224")
    )


def test_without_catalogue_uses_finding_titles(results):
    doc = parse(render("html", results))
    assert doc.by_id("finding-1-1").find("h3").text() == "O6 工作人员数等于专职与兼职人员数之和"
    assert doc.by_id("finding-1-2").find("h3").text() == "P1"


def test_waived_finding_is_dimmed_with_its_reason(results):
    results[0].findings[1] = replace(results[0].findings[1], waived="四舍五入口径不同 <已核实>")
    doc = parse(render("html", results))
    card = doc.by_id("finding-1-2")
    assert card.classes == ["finding", "sev-warning", "waived"]
    assert card.attrs["data-waived"] == "true"
    assert [b.text() for b in card.find_all("span", cls="badge")] == ["警告", "已豁免"]
    assert card.find("p", cls="waiver").text() == "豁免理由：四舍五入口径不同 <已核实>"
    assert doc.by_id("summary-waived").text() == "1"
    assert doc.by_id("summary-warning").text() == "0"
    assert doc.by_id("summary-findings").text() == "2"
    assert doc.by_id("visible-count").text() == "3"  # waived cards are shown (dimmed) by default


def test_everything_is_escaped(tricky):
    text = render("html", [tricky])
    assert text.count("<script") == 1  # only the page's own inline script
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    doc = parse(text)
    card = doc.by_id("finding-1-1")
    assert card.find("p", cls="message").text() == tricky.findings[0].message
    assert card.find("h3").text() == "X1 标题, 含: 冒号 & <尖括号>"
    assert card.find("q").inner_html() == "a &lt; b &amp; c &gt; d: <mark>50</mark>% done"
    assert doc.find("dd", cls="body").text() == "<某>县 & 人民政府"
    assert doc.by_id("report-1").attrs["data-path"] == "reports/a,b:c 100%.txt"
    assert card.attrs["data-severity"] == "info"


def test_attribute_values_cannot_break_out(results):
    results[0].path = 'x" onmouseover="alert(1).txt'
    text = render("html", results)
    assert 'onmouseover="alert' not in text
    assert parse(text).by_id("report-1").attrs["data-path"] == 'x" onmouseover="alert(1).txt'


def test_self_contained_nothing_from_the_network(results, tricky, catalogue):
    for lang in ("zh", "en"):
        text = render("html", [*results, tricky], lang=lang, catalogue=catalogue)
        doc = parse(text)
        assert doc.find_all("link") == []
        assert doc.find_all("img") == []
        assert doc.find_all("iframe") == []
        assert all("src" not in n.attrs for n in doc.iter())
        assert all(n.attrs["href"].startswith("#") for n in doc.find_all("a"))
        assert len(doc.find_all("script")) == 1
        assert len(doc.find_all("style")) == 1
        for forbidden in (
            "http:",
            "https:",
            "url(",
            "@import",
            "//cdn",
            "fetch(",
            "XMLHttpRequest",
            "@font-face",
        ):
            assert forbidden not in text, forbidden


def test_print_css_hides_filters_and_shows_every_card(results):
    text = render("html", results)
    style = parse(text).find("style").text()
    media = style[style.index("@media print") :]
    assert ".filters, .toc { display: none !important; }" in media
    assert ".finding, .finding[hidden] { display: block !important; }" in media


def test_script_uses_the_documented_hooks(results):
    script = parse(render("html", results)).find("script").text()
    for hook in (
        '"filter-"',
        '"rule-filter"',
        '"filter-waived"',
        '"visible-count"',
        '"data-severity"',
        '"data-rule"',
        '"data-waived"',
        '"data-filters-ready"',
        "card.hidden",
    ):
        assert hook in script, hook
    template = re.sub(r"\s+", " ", (TEMPLATE_DIR / "report.html.j2").read_text(encoding="utf-8"))
    for hook in ("#filter-error", "#rule-filter", "#visible-count", "[data-severity]", "[data-rule]"):
        assert hook in template, hook


def test_report_without_findings(chaoyang):
    chaoyang.findings = []
    doc = parse(render("html", [chaoyang]))
    assert doc.find("p", cls="no-findings").text() == "未发现问题。"
    assert doc.find_all("nav") == []  # a single report needs no table of contents
    assert [o.attrs["value"] for o in doc.by_id("rule-filter").find_all("option")] == [""]
    assert doc.by_id("visible-count").text() == "0"


def test_passage_from_source_line_when_no_context():
    lines = ["标题", "  本年度共受理申请2555件，其中当面申请784件。"]
    loc = Location("apply.in_person", "当面申请", 784, "784", "narrative", 2, 23)
    assert lines[1][22:25] == "784"
    assert passage(loc, lines) == ("本年度共受理申请2555件，其中当面申请", "784", "件。")
    r = ReportResult(path="a.txt", lines=lines, findings=[Finding("Z1", "error", "m", locations=(loc,))])
    q = parse(render("html", [r])).find("q")
    assert q.inner_html() == "本年度共受理申请2555件，其中当面申请<mark>784</mark>件。"


def test_passage_long_line_is_trimmed():
    line = "甲" * 100 + "42" + "乙" * 100
    loc = Location("k", "l", 42, "42", "narrative", 1, 101)
    before, mark, after = passage(loc, [line])
    assert (before, mark, after) == ("…" + "甲" * 60, "42", "乙" * 60 + "…")


def test_passage_skips_digits_inside_longer_numbers():
    loc = Location("k", "l", 224, "224", "narrative", 1, 1, context="共2224人次，其中224人")
    assert passage(loc) == ("共2224人次，其中", "224", "人")
    loc = Location("k", "l", 30, "30", "narrative", 1, 1, context="占30.69%，另有30人")
    assert passage(loc) == ("占30.69%，另有", "30", "人")


def test_passage_fallbacks():
    loc = Location("k", "兼职人员数", 183, "183", "table", 9, 1, context="2.兼职人员数")
    assert passage(loc) == ("2.兼职人员数 ", "183", "")
    no_context = Location("k", "l", 5, "5", "table", 99, 1)
    assert passage(no_context, ["only one line"]) == ("", "5", "")
    assert passage(no_context) == ("", "5", "")
    second = Location("k", "l", 784, "784", "narrative", 1, 12)
    assert passage(second, ["784件，其中当面申请784件"]) == ("784件，其中当面申请", "784", "件")
    elsewhere = Location("k", "l", 7, "7", "table", 1, 50)
    assert passage(elsewhere, ["合计 7 件"]) == ("合计 ", "7", " 件")


def test_arithmetic_with_decimals_and_missing_values():
    f = Finding(
        "S1",
        "error",
        "m",
        expected=0.3,
        actual=0.31,
        terms=(
            Term("a", 0.1),
            Term("b", 0.2),
        ),
    )
    assert arithmetic(f) == {
        "parts": [{"label": "a", "value": "0.1"}, {"label": "b", "value": "0.2"}],
        "sum": "0.3",
        "reported": "0.31",
        "difference": "+0.01",
    }
    g = replace(f, expected=None, actual=None)
    assert arithmetic(g) == {
        "parts": [{"label": "a", "value": "0.1"}, {"label": "b", "value": "0.2"}],
        "sum": "0.3",
        "reported": None,
        "difference": None,
    }
    assert arithmetic(replace(f, terms=())) is None
