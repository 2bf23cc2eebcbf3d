"""Fujian's regional table (本年度 / 历年累计), from crawler text: 平潭县 2011 and 平潭综合实验区 2013."""

from __future__ import annotations

from pathlib import Path

from validator.extract import extract
from validator.pipeline import validate_path, validate_paths
from validator.read import read_document
from validator.ruleset import load_ruleset

DATA = Path(__file__).resolve().parent.parent / "data" / "corpus"


def test_2011_units_glued_to_numbers():
    """主动公开信息数条4251516 is 425 and 1516: split by 418 + 7 = 425 and 1509 + 7 = 1516."""
    result = validate_path(str(DATA / "2011_pingtanxian-crawl.txt"))
    assert (result.template, result.year) == ("regional-fujian", 2011)
    assert [(f.rule, f.severity) for f in result.findings] == [("C3", "info")]
    ex = extract(read_document(str(DATA / "2011_pingtanxian-crawl.txt")), load_ruleset("regional-fujian"))
    got = {r: (ex.value(f"fj.{r}.year"), ex.value(f"fj.{r}.total")) for r in ("proactive", "proactive.web",
                                                                          "proactive.gazette")}
    assert got == {"proactive": (425, 1516), "proactive.web": (418, 1509), "proactive.gazette": (7, 7)}


def test_2013_listed_discrepancies():
    result = validate_path(str(DATA / "2013_pingtan-crawl.txt"))
    got = sorted((f.rule, f.severity, f.expected, f.actual) for f in result.findings)
    assert got == [("C2", "warning", 26, 24), ("T1", "error", 0, 1), ("T1", "error", 72804, 4970)]
    review = next(f for f in result.findings if f.rule == "T1" and f.actual == 1)
    assert "收到1份有关政府信息公开行政复议申请" in review.message
    c2 = next(f for f in result.findings if f.rule == "C2")
    assert "政府公报公开 一行只有 1 个数字（应为 2 个）" in c2.message


def test_2013_cumulative_against_2012():
    """历年累计 76424 − 本年度 72804 = 3620, but 2012's 历年累计 is 4359 (found with both years given)."""
    this, _ = validate_paths([str(DATA / "2013_pingtan-crawl.txt"), str(DATA / "2012_pingtan.txt")])
    (x3,) = [f for f in this.findings if f.rule == "X3"]
    assert (x3.instance, x3.severity, x3.expected, x3.actual) == ("proactive", "warning", 4359, 3620)
