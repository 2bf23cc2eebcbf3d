"""claim: a sweeping statement in the text ("均获维持", "全部按期答复") agrees with the table.

The rule gives a pattern to find in the narrative and a condition on a table figure that
contradicts it (``when: {key: …, above: 0}``); a report that says the one while its table shows
the other gets a finding, quoting the sentence.

Pass::

    已到答复期的申请全部按期答复；统计表延期办结数 0

Fail::

    已到答复期的2258全部按期答复；统计表延期办结数 472
"""

from __future__ import annotations

import re
from typing import Any

from validator.checks.base import (
    Context,
    Kind,
    figure_locations,
    fmt,
    required_literals,
    when_condition,
)
from validator.model import Location


class Claim(Kind):
    NAME = "claim"
    EXAMPLE_PASS = "已到答复期的申请全部按期答复；统计表延期办结数 0"
    EXAMPLE_FAIL = "已到答复期的2258全部按期答复；统计表延期办结数 472"

    def __init__(self, rule, ruleset) -> None:
        super().__init__(rule, ruleset)
        self.pattern = re.compile(rule.params["pattern"])
        self.literals = required_literals(rule.params["pattern"])  # (a block with none of them cannot match)
        self.keys, self.above = when_condition(rule)

    def frame(self, ctx: Context):
        import pandas as pd

        rows = []
        search, literals = self.pattern.search, self.literals
        for ri, ex in enumerate(ctx.extractions):
            for bi, block in enumerate(ex.doc.blocks):
                text = block.text
                if literals:
                    for lit in literals:
                        if lit in text:
                            break
                    else:
                        continue
                m = search(text)
                if not m:
                    continue
                values = [ex.table_figure(k) for k in self.keys]
                total = sum(f.value for f in values if f is not None and f.value is not None)
                present = any(f is not None and f.value is not None for f in values)
                rows.append({"report": ri, "block": bi, "start": m.start(), "value": total, "present": present})
                break
        return pd.DataFrame(rows, columns=["report", "block", "start", "value", "present"])

    def passes(self, df):
        return ~(df["present"].astype(bool) & (df["value"] > self.above))

    def explain(self, ctx: Context, df, row: Any):
        r = ctx.record(df, row)
        ex = ctx.extractions[int(r["report"])]
        block = ex.doc.blocks[int(r["block"])]
        text = block.text
        a = text.rfind("。", 0, int(r["start"])) + 1
        b = text.find("。", int(r["start"]))
        sentence = text[a:b if b != -1 else len(text)].strip(" ，,")
        shown = [k for k in self.keys if (ex.value(k) or 0) > 0] or self.keys
        what = "、".join(f"{self.label(k)} {fmt(ex.value(k))}" for k in shown)
        what_en = ", ".join(f"{self.label(k, 'en')} {fmt(ex.value(k))}" for k in shown)
        note, note_en = self.rule.params.get("note", ""), self.rule.params.get("note_en", "")
        if len(shown) == 1:
            message = f"正文称“{sentence}”，但统计表{self.label(shown[0])}为 {fmt(r['value'])}"
        else:
            message = f"正文称“{sentence}”，但统计表{what}（合计 {fmt(r['value'])}）"
        message += f"（{note}）" if note else ""
        message_en = f"the text says “{sentence}”, but the table reports {what_en}" + (
            f" ({note_en})" if note_en else "")
        pos = block.locate(a + (len(text[a:]) - len(text[a:].lstrip(" ，,"))))
        locs = [Location(key="narrative:claim", label="正文", value=None, text=sentence[:20], source="narrative",
                         line=pos.line, column=pos.column, page=pos.page, role="claim", context=sentence)]
        locs += [loc for k in shown for loc in figure_locations(ex, k, "table")]
        return [self.finding(message, message_en, expected=f"≤ {fmt(self.above)}", actual=r["value"], locations=locs)]
