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
