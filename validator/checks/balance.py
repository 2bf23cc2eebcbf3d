"""balance: two sums of figures are equal (一 + 二 = 三（七） + 四 in table 三).

Pass::

    本年新收 859 + 上年结转 18 = 877 = 办理结果总计 805 + 结转下年度 72

Fail::

    本年新收 859 + 上年结转 18 = 877 ≠ 办理结果总计 805 + 结转下年度 70 = 875
"""

from __future__ import annotations

from typing import Any

from validator.checks.base import Columns, Context, Kind, fmt, narrative_locations, table_locations
from validator.model import Term


class Balance(Kind):
    NAME = "balance"
    COMPILED = True
    EXAMPLE_PASS = "本年新收 859 + 上年结转 18 = 877 = 办理结果总计 805 + 结转下年度 72"
    EXAMPLE_FAIL = "本年新收 859 + 上年结转 18 = 877 ≠ 办理结果总计 805 + 结转下年度 70 = 875"

    def __init__(self, rule, ruleset) -> None:
        super().__init__(rule, ruleset)
        self.left: list[str] = list(rule.params["left"])
        self.right: list[str] = list(rule.params["right"])

    def formula(self) -> str:
        return " + ".join(self.label(k) for k in self.left) + " = " + " + ".join(self.label(k) for k in self.right)

    def applicable(self, m: Columns):
        import numpy as np

        return ~np.isnan(m(self.left + self.right)).any(axis=1)

    def passes(self, m: Columns):
        import numpy as np

        tol = m.tolerance(self.left + self.right)
        diff = np.nansum(m(self.left), axis=1) - np.nansum(m(self.right), axis=1)
        return ~self.applicable(m) | (np.abs(diff) <= tol + 1e-9)

    def explain(self, ctx: Context, df, row: Any):
        ex = ctx.extractions[row]
        r = ctx.record(df, row)
        lsum, rsum = sum(r[k] for k in self.left), sum(r[k] for k in self.right)
        lz = " + ".join(f"{self.label(k)} {fmt(r[k])}" for k in self.left)
        rz = " + ".join(f"{self.label(k)} {fmt(r[k])}" for k in self.right)
        le = " + ".join(f"{self.label(k, 'en')} {fmt(r[k])}" for k in self.left)
        re_ = " + ".join(f"{self.label(k, 'en')} {fmt(r[k])}" for k in self.right)
        message = f"{lz} = {fmt(lsum)} ≠ {rz} = {fmt(rsum)}"
        message_en = f"{le} = {fmt(lsum)}, but {re_} = {fmt(rsum)}"
        locs = table_locations(ex, [(k, "left") for k in self.left] + [(k, "right") for k in self.right])
        locs += narrative_locations(ex, self.left + self.right, numbers=ctx.restatements(row))
        terms = [Term(self.label(k), r[k]) for k in self.left]
        return [self.finding(message, message_en, expected=lsum, actual=rsum, locations=locs, terms=terms)]
