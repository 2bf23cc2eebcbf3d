"""Build a small report text (title, narrative, one-cell-per-line table) for rule-kind cases."""

from __future__ import annotations

from functools import cache

from validator.extract.labels import normalise_label
from validator.ruleset import load_ruleset


@cache
def consistent_table(template: str = "old-2014") -> dict[str, float]:
    """The seed's table with its one table error (staff 224 ≠ 52 + 183) corrected: every identity holds."""
    from tests.conftest import SEED
    from validator.extract import extract
    from validator.read import read_document

    ex = extract(read_document(str(SEED)), load_ruleset(template))
    values = {f.key: f.value for f in ex.table}
    values["staff.total"] = 235
    return values


def report_text(table: dict[str, float | str], narrative: list[str], template: str = "old-2014",
                year: int = 2017) -> str:
    rs = load_ruleset(template)
    lines = [f"{year}年测试区政府信息公开工作年度报告", ""]
    for para in narrative:
        lines += [para, ""]
    lines += ["附表：", "", "政府信息公开情况统计表", "", "统计指标", "", "单位", "", "统计数", ""]
    section = None
    for key, fdef in rs.figures.items():
        if key not in table:
            continue
        value = table[key]
        if fdef.section != section:
            section = fdef.section
            heading = rs.sections[section][0]
            lines += [heading, "", "\xa0", ""]
            if normalise_label(heading) == normalise_label(fdef.label):
                lines += [_fmt(value), ""]
                continue
        lines += [fdef.label, "", "\xa0", "", _fmt(value), ""]
    return "\n".join(lines) + "\n"


def _fmt(v: float | str) -> str:
    if isinstance(v, str):
        return v
    return str(int(v)) if float(v).is_integer() else str(v)


@cache
def consistent_national() -> dict[str, float]:
    """平潭 2021 (national 2021 format, consistent as published): its table values."""
    from tests.conftest import ROOT
    from validator.extract import extract
    from validator.read import read_document

    ex = extract(read_document(str(ROOT / "tests" / "data" / "corpus" / "2021_pingtan-page.html")),
                 load_ruleset("national-2021"))
    return {f.key: f.value for f in ex.table if f.state == "value"}


SECTIONS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def national_text(table: dict[str, float | str], narrative: list[str], body: str = "测试区人民政府", year: int = 2021,
                  sections: list[str] | None = None) -> str:
    """A national-format (2021) report as text copied from a PDF: one table row per line."""
    rs = load_ruleset("national-2021")
    heads = SECTIONS if sections is None else sections

    def head(prefix: str) -> list[str]:
        return [h for h in heads if h.startswith(prefix)]

    lines = [body, f"{year}年政府信息公开工作年度报告", "", *head("一"), *narrative, "", *head("二")]
    grids = {g.id: g for g in rs.grids}
    for gid in ("t2.regs", "t2.licensing", "t2.actions", "t2.fees", "t3", "t4"):
        grid = grids[gid]
        if gid == "t3":
            lines.append(head("三")[0] if head("三") else "")
        elif gid == "t4":
            lines += [*head("四"), "行政复议 行政诉讼", "结果维持 结果纠正 其他结果 尚未审结 总计"]
        else:
            lines.append(grid.anchors[0])
        group = None
        for row in grid.rows:
            cells = [table.get(grid.key(row.id, c.id)) for c in grid.columns]
            if all(v is None for v in cells):
                continue
            if row.group and row.group in grid.groups and row.group != group:
                lines.append(grid.groups[row.group][0])
            group = row.group
            label = row.labels[0] if row.labels else ""
            lines.append(f"{label}    " + "   ".join(_fmt(v) if v is not None else "" for v in cells))
        lines.append("")
    lines += [*head("五"), "存在的问题略。", *head("六"), "无。", ""]
    return "\n".join(lines)
