"""restated: a figure the narrative restates equals the table's value.

The narrative's phrase before a number is matched to a table row by the template's labels and
narrative phrases ("共受理申请2555件" → 收到申请数). Units are respected (元 and 万元 convert);
approximate wording is an inequality: "超过/余" means at least, "近" at most, "约" is not checked.

Pass::

    正文“共受理申请2555件”，统计表收到申请数 2555

Fail::

    正文“共受理申请2555件”，统计表收到申请数 2556
"""

from __future__ import annotations

from typing import Any

from validator.checks.base import Context, Kind, derived_terms, figure_locations, fmt, stated_location
from validator.extract.narrative import COMPATIBLE_UNITS, MONEY
from validator.model import Term


class Restated(Kind):
    NAME = "restated"
    EXAMPLE_PASS = "正文“共受理申请2555件”，统计表收到申请数 2555"
    EXAMPLE_FAIL = "正文“共受理申请2555件”，统计表收到申请数 2556"

    def frame(self, ctx: Context):
        import pandas as pd

        figures = self.ruleset.figures
        # (numbers only: a frame with text columns costs several times more to build and to read back)
        columns = ("report", "idx", "stated", "table", "bound", "tol")
        report, idx, stated, table, bound, tol_ = data = tuple([] for _ in columns)
        for ri, ex in enumerate(ctx.extractions):
            table_figure, value = ex.table_figure, ex.value
            for n in ctx.restatements(ri):  # (numbers with a key, not percentages, not breakdown items)
                if n.approx == "≈":
                    continue
                k = n.key
                f = table_figure(k)
                if f is None or f.state != "value" or f.value is None:
                    continue
                fdef = figures[k]
                unit = f.unit or fdef.unit
                if n.unit and unit in COMPATIBLE_UNITS and n.unit not in COMPATIBLE_UNITS[unit]:
                    continue  # "六个部分" does not restate a count of 件
                scale = 1.0
                if unit in MONEY or n.unit in MONEY:
                    if not (unit in MONEY and n.unit in MONEY):
                        continue
                    scale = MONEY[n.unit] / MONEY[unit]
                tol = 0.5 * 10 ** (-n.decimals) * scale if n.decimals else 0.0
                if fdef.also and not n.approx and any(v is None or v == n.value * scale for v in map(value, fdef.also)):
                    continue  # the text may mean another reading of the figure (一 + 二 for "共受理"), or can't tell
                report.append(ri)
                idx.append(n.idx)
                stated.append(n.value * scale)
                table.append(f.value)
                bound.append(0 if not n.approx else 1 if n.approx == "≥" else -1)  # "超过": at least; "近": at most
                tol_.append(tol + 0.5 * 10 ** (-f.decimals) * (f.decimals > 0))
        return pd.DataFrame(dict(zip(columns, data, strict=True)), columns=list(columns))

    def passes(self, df):
        eq = (df["stated"] - df["table"]).abs() <= df["tol"] + 1e-9
        at_least = df["table"] >= df["stated"] - df["tol"]
        at_most = df["table"] <= df["stated"] + df["tol"]
        return eq.where(df["bound"] == 0, at_least.where(df["bound"] == 1, at_most))

    def explain(self, ctx: Context, df, row: Any):
        r = ctx.record(df, row)
        ex = ctx.extractions[int(r["report"])]
        n = ex.narrative.numbers[int(r["idx"])]
        key = n.key
        table = ex.table_figure(key)
        said = f"{n.phrase}{n.text}{n.unit}{n.after}"
        relation = {"": "≠", "≥": "<", "≤": ">"}[n.approx]
        parts = derived_terms(ex, key)
        shown = fmt(table.value, table.decimals)
        if parts:
            shown_zh = f"{shown}（{' + '.join(f'{lab} {fmt(v)}' for lab, v in parts)}）"
        else:
            shown_zh = shown
        message = (f"正文“{said}”与统计表不一致：{self.label(key)} 统计表为 {shown_zh}，"
                   f"正文为 {'' if not n.approx else n.approx}{fmt(n.value, n.decimals)}{n.unit}"
                   f"（{shown} {relation} {fmt(n.value, n.decimals)}）")
        message_en = (f"the text says “{said}”, but the table reports {self.label(key, 'en')} as {shown}"
                      + (f" ({' + '.join(fmt(v) for _, v in parts)})" if parts else ""))
        locs = [stated_location(ex, n.idx, key, "narrative"), *figure_locations(ex, key, "table")]
        return [self.finding(message, message_en, expected=table.value, actual=n.value, locations=locs,
                             terms=[Term(lab, v) for lab, v in parts], anchor=n.phrase)]
