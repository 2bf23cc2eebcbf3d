"""How much of the template's tables was read: a badly converted file must never look clean.

C1 (error): the statistics tables were not found at all — nothing could be checked.
C2 (warning): they were found but only partly read; the finding says which tables and rows are
missing or unreadable, so the auditor knows which checks did not run.
C3 (info): rows whose cells a crawler glued together ("640020470") were split back by the table's
own identities — the one split under which they hold.
"""

from __future__ import annotations

from validator.extract import Extraction
from validator.model import Finding, Location

MIN_FIGURES = 5


def _doc_location() -> Location:
    return Location(key="document", label="全文", value=None, text="", source="document", line=1, column=1)


RECOVERED = "已按表内勾稽关系唯一拆分"


def coverage_findings(ex: Extraction) -> list[Finding]:
    """C1 or C2 for the parts of the template's tables that were not read; C3 for rows recovered."""
    recovered = [n for n in ex.notes if RECOVERED in n]
    c3 = [Finding(
        rule="C3", severity="info", title="粘连的表格数字已按勾稽关系拆分",
        message="；".join(recovered) + "（拆分后的数字满足表内各项勾稽关系，且拆法唯一）",
        message_en=f"cells glued together without separators were split by the table's own identities in "
                   f"{len(recovered)} table(s); each split was the only one under which the identities hold",
        expected=None, actual=len(recovered), locations=(_doc_location(),))] if recovered else []
    return _coverage(ex) + c3


def _coverage(ex: Extraction) -> list[Finding]:
    rs = ex.ruleset
    read = {f.key for f in ex.table if f.state != "unreadable"}
    expected = rs.memo("coverage_expected", _expected)
    found = sum(1 for f in expected if f.key in read)
    if found < MIN_FIGURES:
        return [Finding(
            rule="C1", severity="error", title="统计表完整可读",
            message=f"未找到{rs.title}的统计表：{len(expected)} 个统计数字只读到 {found} 个，无法核对（文件可能转换不完整）",
            message_en=f"the statistics tables ({rs.title_en}) were not found: {found} of {len(expected)} figures read; "
                       "nothing could be checked (a badly converted file?)",
            expected=len(expected), actual=found, locations=(_doc_location(),))]
    if found == len(expected):
        return []
    missing: list[str] = []
    if rs.grids:
        for grid in rs.grids:
            keys = [f.key for f in expected if f.grid == grid.id]
            got = [k for k in keys if k in read]
            if not got:
                missing.append(f"{grid.title}（未找到）")
            elif len(got) < len(keys):
                rows = []
                for r in grid.rows:
                    rk = [k for k in keys if rs.figures[k].row == r.id]
                    if rk and not all(k in read for k in rk):
                        rows.append(r.labels[0] if r.labels else grid.title)
                missing.append(f"{grid.title}（缺 {len(keys) - len(got)} 个：{'、'.join(rows[:6])}{'等' if len(rows) > 6 else ''}）")
    else:
        missing = [f.label for f in expected if f.key not in read]
        missing = missing[:8] + (["等"] if len(missing) > 8 else [])
    notes = "；".join(dict.fromkeys(n for n in ex.notes if RECOVERED not in n))
    message = (f"统计表只读到 {found}/{len(expected)} 个数字，涉及的核对未进行：{'；'.join(missing)}"
               + (f"。读取说明：{notes}" if notes else ""))
    return [Finding(
        rule="C2", severity="warning", title="统计表全部读取",
        message=message,
        message_en=f"only {found} of {len(expected)} table figures were read; the checks that need the others did not run",
        expected=len(expected), actual=found, locations=(_doc_location(),))]


def _expected(rs) -> list:
    """The figures every report of the template prints: not derived, not an optional form of a row."""
    return [f for f in rs.figures.values() if not f.derived and not _optional(f.key, rs)]


def _optional(key: str, rs) -> bool:
    """Figures a report may legitimately not print: the alternative forms of a row (（六）其他处理 as one
    row or three; 信函、传真 as one row or two)."""
    f = rs.figures[key]
    grid = next((g for g in rs.grids if g.id == f.grid), None)
    return grid is not None and f.row in grid.optional_rows
