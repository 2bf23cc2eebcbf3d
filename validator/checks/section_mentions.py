"""section_mentions: a section of the text says what the table says happened.

When a table figure shows something happened (fee notices were sent: 申请人逾期未按收费通知要求缴纳费用
> 0), the section the format reserves for it (六、其他需要报告的事项, on 信息处理费) must mention it.

Pass::

    表三 逾期未按收费通知缴纳费用 2 件；六、其他需要报告的事项：本年度收取信息处理费 0 元……

Fail::

    表三 逾期未按收费通知缴纳费用 2 件；六、其他需要报告的事项：无。
"""

from __future__ import annotations

import re
from typing import Any

from validator.checks.base import Context, Kind, figure_locations, fmt, when_condition
from validator.model import Location


class SectionMentions(Kind):
    NAME = "section_mentions"
    EXAMPLE_PASS = "表三 逾期未按收费通知缴纳费用 2 件；六、其他需要报告的事项：本年度收取信息处理费 0 元……"
    EXAMPLE_FAIL = "表三 逾期未按收费通知缴纳费用 2 件；六、其他需要报告的事项：无。"

    def __init__(self, rule, ruleset) -> None:
        super().__init__(rule, ruleset)
        self.heading = re.compile(rule.params["heading"])
        self.words = re.compile(rule.params["words"])
        self.keys, self.above = when_condition(rule)

    def frame(self, ctx: Context):
        import pandas as pd

        rows = []
        for ri, ex in enumerate(ctx.extractions):
            total = sum(v for k in self.keys if (v := ex.value(k)) is not None)
            if not total > self.above:
                continue
            section = self._section(ex)
            if section is None:
                continue  # no such section at all: S1 says so
            bi, start, text = section
            rows.append({"report": ri, "block": bi, "start": start, "value": total,
                         "mentioned": bool(self.words.search(text))})
        return pd.DataFrame(rows, columns=["report", "block", "start", "value", "mentioned"])

    def _section(self, ex) -> tuple[int, int, str] | None:
        """(block, offset, text) of the section from its heading to the end of the narrative."""
        for bi, block in enumerate(ex.doc.blocks):
            m = self.heading.search(block.text)
            if m:
                rest = [block.text[m.start():]] + [b.text for b in ex.doc.blocks[bi + 1:] if b.where != "table"]
                return bi, m.start(), "\n".join(rest)[:3000]
        return None

    def passes(self, df):
        return df["mentioned"].astype(bool)

    def explain(self, ctx: Context, df, row: Any):
        r = ctx.record(df, row)
        ex = ctx.extractions[int(r["report"])]
        block = ex.doc.blocks[int(r["block"])]
        pos = block.locate(int(r["start"]))
        what = "、".join(self.label(k) for k in self.keys)
        note, note_en = self.rule.params.get("note", ""), self.rule.params.get("note_en", "")
        message = f"统计表{what}为 {fmt(r['value'])}，但“{block.text[int(r['start']):int(r['start']) + 12]}”部分没有提及" + (
            f"（{note}）" if note else "")
        message_en = f"the table reports {', '.join(self.label(k, 'en') for k in self.keys)} as {fmt(r['value'])}, " \
                     f"but the section does not mention it" + (f" ({note_en})" if note_en else "")
        locs = [Location(key="narrative:section", label="正文", value=None, text=block.text[int(r["start"]):][:6],
                         source="narrative", line=pos.line, column=pos.column, page=pos.page, role="heading",
                         context=block.text[int(r["start"]):int(r["start"]) + 60])]
        locs += [loc for k in self.keys for loc in figure_locations(ex, k, "table")]
        return [self.finding(message, message_en, expected="提及", actual="未提及", locations=locs)]
