"""JUnit XML: one suite per report, one case per finding, counts that CI tools can trust."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

from validator.render import render
from validator.render.junit_format import READABLE, case_name

PATH = "samples/000_a81f0d4f916600c6.txt"


def parse(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def counts(el: ET.Element) -> dict[str, str]:
    return {k: el.get(k) for k in ("tests", "failures", "errors", "skipped")}


def test_suites_cases_and_counts(results):
    root = parse(render("junit", results))
    assert root.tag == "testsuites"
    assert counts(root) == {"tests": "5", "failures": "3", "errors": "1", "skipped": "0"}
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [PATH, "samples/empty.txt"]
    assert counts(suites[0]) == {"tests": "4", "failures": "3", "errors": "0", "skipped": "0"}
    assert counts(suites[1]) == {"tests": "1", "failures": "0", "errors": "1", "skipped": "0"}
    fp = results[0].findings[0].fingerprint
    cases = suites[0].findall("testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        (PATH, "report readable"),
        (PATH, f"O6 {fp[:8]}"),
        (PATH, "P1 apply.in_person"),
        (PATH, "M1 litigation"),
    ]
    assert list(cases[0]) == []  # the readable case passes


def test_report_properties(results):
    suite = parse(render("junit", results)).find("testsuite")
    props = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert props == {
        "template": "old-2014",
        "year": "2017",
        "body": "北京市朝阳区人民政府",
        "figures": "187",
        "rules_checked": "40",
    }


def test_failure_type_message_and_body(results, catalogue):
    root = parse(render("junit", results, catalogue=catalogue))
    case = root.find("testsuite").findall("testcase")[1]
    failure = case.find("failure")
    assert failure.get("type") == "O6"
    assert failure.get("message") == "从事政府信息公开工作人员数 224 ≠ 专职人员数 52 + 兼职人员数 183 = 235"
    assert failure.text == "\n".join(
        [
            "[O6] 工作人员数等于专职与兼职人员数之和",
            "严重程度：错误",
            "从事政府信息公开工作人员数 224 ≠ 专职人员数 52 + 兼职人员数 183 = 235",
            "  第958行第1列 表格 从事政府信息公开工作人员数 224",
            "  第966行第1列 表格 专职人员数 52",
            "  第976行第1列 表格 兼职人员数 183",
            "  第158行第40列 正文 从事政府信息公开工作人员数 224",
            f"指纹：{results[0].findings[0].fingerprint}",
        ]
    )


def test_english(results, catalogue):
    root = parse(render("junit", results, lang="en", catalogue=catalogue))
    failure = root.find("testsuite").findall("testcase")[2].find("failure")
    assert failure.get("message").startswith("in-person requests 784 of 2555 are 30.6849%")
    assert failure.text.splitlines()[:2] == [
        "[P1] Reported percentages match their numerator and denominator",
        "Severity: warning",
    ]
    assert "  line 129, column 33 text 当面申请占比 30.69" in failure.text.splitlines()
    assert "Suggestion: 核对百分比：784 / 2555 = 30.68%" in failure.text.splitlines()


def test_unreadable_report_is_an_error_case(results):
    suite = parse(render("junit", results)).findall("testsuite")[1]
    assert suite.find("properties") is None
    (case,) = suite.findall("testcase")
    assert (case.get("classname"), case.get("name")) == ("samples/empty.txt", READABLE)
    error = case.find("error")
    assert error.get("type") == "unreadable"
    assert error.get("message") == "is empty"
    assert error.text == "samples/empty.txt: is empty"


def test_waived_and_info_findings_are_skipped(results, tricky):
    results[0].findings[2] = replace(results[0].findings[2], waived="正文口径不同，已说明")
    root = parse(render("junit", [results[0], tricky]))
    assert counts(root) == {"tests": "6", "failures": "2", "errors": "0", "skipped": "2"}
    first, second = root.findall("testsuite")
    assert counts(first) == {"tests": "4", "failures": "2", "errors": "0", "skipped": "1"}
    waived = first.findall("testcase")[3]
    assert waived.find("failure") is None
    assert waived.find("skipped").get("message") == "已豁免：正文口径不同，已说明"
    assert waived.find("skipped").text.splitlines()[-2] == "豁免理由：正文口径不同，已说明"
    assert counts(second) == {"tests": "2", "failures": "0", "errors": "0", "skipped": "1"}
    info = second.findall("testcase")[1].find("skipped")
    assert info.get("message").startswith("提示（不计为失败）：a < b & c > d: 50% done")


def test_escaping_round_trips(tricky):
    text = render("junit", [tricky])
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    assert "a &lt; b &amp; c &gt; d" in text
    root = parse(text)
    suite = root.find("testsuite")
    assert suite.get("name") == "reports/a,b:c 100%.txt"
    skipped = suite.findall("testcase")[1].find("skipped")
    # the attribute keeps the CR LF (serialised as character references) and every character
    assert skipped.get("message") == "提示（不计为失败）：" + tricky.findings[0].message
    assert "\r\n" in skipped.get("message")
    body = {p.get("name"): p.get("value") for p in suite.find("properties")}["body"]
    assert body == "<某>县 & 人民政府"


def test_control_characters_are_dropped():
    from validator.model import Finding, ReportResult

    r = ReportResult(
        path="a\x01.txt", findings=[Finding(rule="Z1", severity="error", message="bad\x00\x0bchar")]
    )
    root = parse(render("junit", [r]))
    suite = root.find("testsuite")
    assert suite.get("name") == "a.txt"
    assert suite.findall("testcase")[1].find("failure").get("message") == "badchar"


def test_case_name_prefers_instance(results):
    o6, p1, _ = results[0].findings
    assert case_name(o6) == "O6 " + o6.fingerprint[:8]
    assert case_name(p1) == "P1 apply.in_person"


def test_no_results():
    root = parse(render("junit", []))
    assert counts(root) == {"tests": "0", "failures": "0", "errors": "0", "skipped": "0"}
    assert list(root) == []
