"""Results built by hand, modelled on samples/000_a81f0d4f916600c6.txt (北京市朝阳区 2017)."""

from __future__ import annotations

import pytest

from validator.catalogue import RuleInfo
from validator.model import Finding, Location, ReportResult, Term

PATH = "samples/000_a81f0d4f916600c6.txt"

STAFF_SENTENCE = "从事政府信息公开工作人员224名，其中专职人员52名、兼职人员183名。"
APPLY_SENTENCE = "本年度共受理政府信息公开申请2555件，其中当面申请784件，占30.69%；"
LITIGATION_SENTENCE = (
    "因政府信息公开申请提起行政诉讼55件，其中维持具体行政行为或者驳回原告诉讼请求11件、被依法纠正25件。"
)


def narrative(key: str, label: str, value: float, text: str, line: int, sentence: str) -> Location:
    """A narrative figure whose column is where ``text`` sits in ``sentence`` (the whole line)."""
    return Location(
        key=key,
        label=label,
        value=value,
        text=text,
        source="narrative",
        line=line,
        column=sentence.index(text) + 1,
        role="narrative",
        context=sentence,
    )


def o6_finding() -> Finding:
    return Finding(
        rule="O6",
        severity="error",
        message="从事政府信息公开工作人员数 224 ≠ 专职人员数 52 + 兼职人员数 183 = 235",
        message_en="staff total 224 ≠ full-time 52 + part-time 183 = 235",
        expected=235,
        actual=224,
        title="工作人员数等于专职与兼职人员数之和",
        terms=(Term("专职人员数", 52), Term("兼职人员数", 183)),
        locations=(
            Location(
                key="staff.total",
                label="从事政府信息公开工作人员数",
                value=224,
                text="224",
                source="table",
                line=958,
                column=1,
                role="total",
                context="(三)从事政府信息公开工作人员数",
            ),
            Location(
                key="staff.full_time",
                label="专职人员数",
                value=52,
                text="52",
                source="table",
                line=966,
                column=1,
                role="part",
                context="其中：1.专职人员数（不包括政府公报及政府网站工作人员数）",
            ),
            Location(
                key="staff.part_time",
                label="兼职人员数",
                value=183,
                text="183",
                source="table",
                line=976,
                column=1,
                role="part",
                context="2.兼职人员数",
            ),
            Location(
                key="staff.total",
                label="从事政府信息公开工作人员数",
                value=224,
                text="224",
                source="narrative",
                line=158,
                column=40,
                role="narrative",
                context=STAFF_SENTENCE,
            ),
        ),
    )


def p1_finding() -> Finding:
    return Finding(
        rule="P1",
        severity="warning",
        message="当面申请 784 件占 2555 件的 30.6849%，不在所报 30.69% 的舍入区间 [30.685, 30.695] 内",
        message_en="in-person requests 784 of 2555 are 30.6849%, outside the rounding interval "
        "[30.685, 30.695] of the reported 30.69%",
        expected=30.68,
        actual=30.69,
        instance="apply.in_person",
        locations=(
            narrative("apply.in_person_pct", "当面申请占比", 30.69, "30.69", 129, APPLY_SENTENCE),
            narrative("apply.in_person", "当面申请", 784, "784", 129, APPLY_SENTENCE),
            narrative("apply.received", "受理申请总数", 2555, "2555", 129, APPLY_SENTENCE),
        ),
        suggestion="核对百分比：784 / 2555 = 30.68%",
    )


def m1_finding() -> Finding:
    return Finding(
        rule="M1",
        severity="error",
        message="正文所述行政诉讼 55 件（维持 11 件、纠正 25 件）与表格（55 件，维持 17 件、纠正 19 件）不一致",
        message_en="the text gives administrative litigation 55 (upheld 11, corrected 25) "
        "but the table gives 55 (upheld 17, corrected 19)",
        expected=[55, 17, 19],
        actual=[55, 11, 25],
        instance="litigation",
        anchor="因政府信息公开申请提起行政诉讼",
        locations=(
            narrative("litigation.total", "行政诉讼总数", 55, "55", 170, LITIGATION_SENTENCE),
            narrative(
                "litigation.upheld",
                "维持具体行政行为或者驳回原告诉讼请求",
                11,
                "11",
                170,
                LITIGATION_SENTENCE,
            ),
            narrative("litigation.corrected", "被依法纠正", 25, "25", 170, LITIGATION_SENTENCE),
            Location(
                "litigation.total",
                "行政诉讼数",
                55,
                "55",
                "table",
                1118,
                1,
                role="total",
                context="三、因政府信息公开申请提起行政诉讼的情况",
            ),
            Location(
                "litigation.upheld",
                "维持具体行政行为或者驳回原告诉讼请求数",
                17,
                "17",
                "table",
                1122,
                1,
                role="part",
                context="（一）维持具体行政行为或者驳回原告诉讼请求数",
            ),
            Location(
                "litigation.corrected",
                "被依法纠正数",
                19,
                "19",
                "table",
                1126,
                1,
                role="part",
                context="（二）被依法纠正数",
            ),
        ),
    )


def chaoyang_result() -> ReportResult:
    return ReportResult(
        path=PATH,
        template="old-2014",
        template_title="2014 年版年度报告格式",
        year=2017,
        body="北京市朝阳区人民政府",
        figures=187,
        rules_checked=40,
        findings=[o6_finding(), p1_finding(), m1_finding()],
    )


def unreadable_result() -> ReportResult:
    return ReportResult(path="samples/empty.txt", error="is empty")


@pytest.fixture
def chaoyang() -> ReportResult:
    return chaoyang_result()


@pytest.fixture
def unreadable() -> ReportResult:
    return unreadable_result()


@pytest.fixture
def results() -> list[ReportResult]:
    """The Chaoyang report with its three findings, then an unreadable input."""
    return [chaoyang_result(), unreadable_result()]


TRICKY_MESSAGE = "a < b & c > d: 50% done\r\nline two, with :: and <script>alert(1)</script> | *star* `tick`"


@pytest.fixture
def tricky() -> ReportResult:
    """A report whose path and message contain every character some format must escape."""
    return ReportResult(
        path="reports/a,b:c 100%.txt",
        template="new-2021",
        year=2021,
        body="<某>县 & 人民政府",
        figures=3,
        rules_checked=2,
        findings=[
            Finding(
                rule="X1",
                severity="info",
                message=TRICKY_MESSAGE,
                message_en="en: 100% <ok> & fine, really",
                expected=1,
                actual=2,
                title="标题, 含: 冒号 & <尖括号>",
                locations=(
                    Location(
                        "x.value", "数值<甲>", 50, "50", "narrative", 3, 17, context="a < b & c > d: 50% done"
                    ),
                ),
            )
        ],
    )


@pytest.fixture
def catalogue() -> dict[str, RuleInfo]:
    return {
        "M1": RuleInfo(
            code="M1",
            title="正文所述数字与表格一致",
            title_en="Figures in the text match the tables",
            severity="error",
            kind="narrative-matches-table",
            templates=("old-2014", "new-2021"),
            description="正文中提到的数字应与统计表中的同一数字相等。",
            description_en="A figure quoted in the text must equal the same figure in the tables.",
            example_pass="正文 55 件，表格 55 件",
            example_fail="正文维持 11 件，表格维持 17 件",
            instances=("litigation", "review"),
        ),
        "O6": RuleInfo(
            code="O6",
            title="工作人员数等于专职与兼职人员数之和",
            title_en="Staff total equals full-time plus part-time staff",
            severity="error",
            kind="sum",
            templates=("old-2014",),
            description="从事政府信息公开工作人员数应等于专职人员数与兼职人员数之和。",
            description_en="The staff total must equal full-time plus part-time staff.",
            example_pass="235 = 52 + 183",
            example_fail="224 ≠ 52 + 183",
        ),
        "P1": RuleInfo(
            code="P1",
            title="所报百分比与分子、分母相符",
            title_en="Reported percentages match their numerator and denominator",
            severity="warning",
            kind="percent",
            templates=("old-2014", "new-2021"),
        ),
    }
