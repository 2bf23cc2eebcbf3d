"""parts_total: the parts the text lists add up to the total it gives for them.

Two kinds of list are checked: a list of shares whose percentages add up to 100% (so it claims to
be complete), and an outcome breakdown after "其中" ending in a catch-all (其他…) or exceeding
its total. A partial list ("其中，维持42件") is not an error.

Pass::

    行政诉讼案91件。其中，判决驳回诉讼请求55件，判决撤销8件，…，其他情形19件  (55+8+3+4+2+19 = 91)

Fail::

    行政诉讼案91件。其中，判决驳回诉讼请求55件，判决撤销8件，…，其他情形29件  (= 101)
"""

from __future__ import annotations

from typing import Any

from validator.checks.base import Context, Kind, fmt, stated_location
from validator.checks.percent_total import share_groups
from validator.model import Term


class PartsTotal(Kind):
    NAME = "parts_total"
    EXAMPLE_PASS = "行政诉讼案91件。其中，判决驳回诉讼请求55件，判决撤销8件，判决履行法定职责3件，裁定驳回起诉4件，裁定撤诉2件，其他情形19件"
    EXAMPLE_FAIL = "行政诉讼案91件。其中，判决驳回诉讼请求55件，判决撤销8件，判决履行法定职责3件，裁定驳回起诉4件，裁定撤诉2件，其他情形29件"

    def frame(self, ctx: Context):
        import pandas as pd

        rows = []
        for g in share_groups(ctx):
            complete = abs(g["pct_sum"] - 100) <= g["tol"] + 1e-9
            if complete and g["total_idx"] is not None:
                rows.append({"report": g["report"], "total_idx": g["total_idx"], "items": g["counts"],
                             "total": g["total"], "sum": g["count_sum"], "strict": True})
        for ri, ex in enumerate(ctx.extractions):
            nums = ex.narrative.numbers
            for b in ex.narrative.breakdowns:
                items = [it.number for it in b.items]
                last = nums[items[-1]].phrase
                rows.append({"report": ri, "total_idx": b.total, "items": items, "total": nums[b.total].value,
                             "sum": sum(nums[i].value for i in items), "strict": "其他" in last})
        return pd.DataFrame(rows, columns=["report", "total_idx", "items", "total", "sum", "strict"])

    def passes(self, df):
        over = df["sum"] > df["total"] + 1e-9
        under = df["sum"] < df["total"] - 1e-9
        return ~(over | (under & df["strict"].astype(bool)))

    def explain(self, ctx: Context, df, row: Any):
        r = ctx.record(df, row)
        ex = ctx.extractions[int(r["report"])]
        nums = ex.narrative.numbers
        total = nums[int(r["total_idx"])]
        items = [nums[i] for i in r["items"]]
        zh = " + ".join(f"{n.phrase} {n.text}" for n in items)
        message = f"正文列举的各项 {zh} = {fmt(r['sum'])}，但正文给出的总数为 {total.text}{total.unit}"
        message_en = f"the parts the text lists add up to {fmt(r['sum'])}, but the text gives the total as {total.text}"
        locs = [stated_location(ex, total.idx, role="total")] + [stated_location(ex, n.idx, role="part") for n in items]
        return [self.finding(message, message_en, expected=r["sum"], actual=total.value, locations=locs,
                             terms=[Term(n.phrase, n.value) for n in items], anchor=total.phrase)]
