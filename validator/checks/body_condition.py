"""body_condition: a figure that the publishing body, by what it is, should not report.

The rule names a pattern for the body's name (e.g. districts, counties and townships, which
have no power to make 规章) and the figures that must then be zero or absent.

Pass::

    淮安市人民政府：规章 现行有效件数 35

Fail::

    淮安市洪泽区人民政府：规章 本年制发件数 2
"""

from __future__ import annotations

import re
from typing import Any

from validator.checks.base import Context, Kind, fmt, table_location


class BodyCondition(Kind):
    NAME = "body_condition"
    EXAMPLE_PASS = "淮安市人民政府：规章 现行有效件数 35"
    EXAMPLE_FAIL = "淮安市洪泽区人民政府：规章 本年制发件数 2"

    def __init__(self, rule, ruleset) -> None:
        super().__init__(rule, ruleset)
        self.body = re.compile(rule.params["body"])
        self.keys: list[str] = list(rule.params["keys"])

    def frame(self, ctx: Context):
        import pandas as pd

        rows = []
        for ri, ex in enumerate(ctx.extractions):
            body = ex.body or ""
            if not body or not self.body.search(body):
                continue
            values = {k: ctx.wide.loc[ri, k] for k in self.keys}
            rows.append({"report": ri, "body": body, **values})
        return pd.DataFrame(rows, columns=["report", "body", *self.keys])

    def passes(self, df):
        return ~(df[self.keys].fillna(0) > 0).any(axis=1)

    def explain(self, ctx: Context, df, row: Any):
        r = ctx.record(df, row)
        ex = ctx.extractions[int(r["report"])]
        shown = [k for k in self.keys if r[k] == r[k] and r[k] > 0]
        what = "、".join(f"{self.label(k)} {fmt(r[k])}" for k in shown)
        what_en = ", ".join(f"{self.label(k, 'en')} {fmt(r[k])}" for k in shown)
        note, note_en = self.rule.params.get("note", ""), self.rule.params.get("note_en", "")
        message = f"{r['body']}报告了{what}" + (f"（{note}）" if note else "")
        message_en = f"{r['body']} reports {what_en}" + (f" ({note_en})" if note_en else "")
        locs = [loc for k in shown if (loc := table_location(ex, k, "value"))]
        return [self.finding(message, message_en, expected=0, actual=sum(r[k] for k in shown), locations=locs)]
