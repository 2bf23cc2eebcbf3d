"""magnitude: a figure implausibly large for its unit (a fee amount entered in 元 instead of 万元).

Pass::

    行政事业性收费 本年收费金额（万元） 96171.6

Fail::

    行政事业性收费 本年收费金额（万元） 961716000
"""

from __future__ import annotations

from typing import Any

from validator.checks.base import Context, Kind, fmt, table_location


class Magnitude(Kind):
    NAME = "magnitude"
    EXAMPLE_PASS = "行政事业性收费 本年收费金额（万元） 96171.6"
    EXAMPLE_FAIL = "行政事业性收费 本年收费金额（万元） 961716000"

    def __init__(self, rule, ruleset) -> None:
        super().__init__(rule, ruleset)
        self.key: str = rule.params["key"]
        self.above = float(rule.params["above"])

    def applicable(self, df):
        return df[self.key].notna()

    def passes(self, df):
        return ~(df[self.key] > self.above)

    def explain(self, ctx: Context, df, row: Any):
        ex = ctx.extractions[row]
        v = df.loc[row, self.key]
        note, note_en = self.rule.params.get("note", ""), self.rule.params.get("note_en", "")
        message = f"{self.label(self.key)} 为 {fmt(v)}，超过 {fmt(self.above)}" + (f"（{note}）" if note else "")
        message_en = f"{self.label(self.key, 'en')} is {fmt(v)}, above {fmt(self.above)}" + (f" ({note_en})" if note_en else "")
        loc = table_location(ex, self.key, "value")
        return [self.finding(message, message_en, expected=f"≤ {fmt(self.above)}", actual=v, locations=[loc] if loc else [])]
