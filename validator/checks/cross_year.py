"""cross_year: a figure of this year's report agrees with last year's report of the same body.

``current`` and ``previous`` are weighted sums of figures (``{key: +1 or -1}``) of the two reports;
they must be equal. Reorganisations and documents that lapse without a 废止 break these identities,
so they are warnings. Checked only when last year's report is given (``--previous``) or among the
inputs, and only from ``from_year`` on.

Pass::

    2022年 上年结转（总计） 34 = 2021年 结转下年度继续办理（总计） 34

Fail::

    2022年 上年结转（总计） 30 ≠ 2021年 结转下年度继续办理（总计） 34
"""

from __future__ import annotations

from typing import Any

from validator.checks.base import Context, Kind, fmt, table_location


class CrossYear(Kind):
    NAME = "cross_year"
    EXAMPLE_PASS = "2022年 上年结转（总计） 34 = 2021年 结转下年度继续办理（总计） 34"
    EXAMPLE_FAIL = "2022年 上年结转（总计） 30 ≠ 2021年 结转下年度继续办理（总计） 34"

    def __init__(self, rule, ruleset) -> None:
        super().__init__(rule, ruleset)
        self.current: dict[str, int] = dict(rule.params["current"])
        self.previous: dict[str, int] = dict(rule.params["previous"])
        self.from_year = int(rule.params.get("from_year", 0))

    def formula(self) -> str:
        return f"{_expr(self, self.current)}（本年） = {_expr(self, self.previous)}（上一年）"

    def frame(self, ctx: Context):
        import pandas as pd

        rows = []
        for ri, ex in enumerate(ctx.extractions):
            prev = ctx.previous[ri] if ctx.previous else None
            if prev is None or (ex.year or 0) < self.from_year:
                continue
            cur = [ex.value(k) for k in self.current]
            old = [prev.value(k) if k in prev.ruleset.figures else None for k in self.previous]
            if any(v is None for v in cur + old):
                continue
            rows.append({"report": ri,
                         "current": sum(w * v for w, v in zip(self.current.values(), cur, strict=True)),
                         "previous": sum(w * v for w, v in zip(self.previous.values(), old, strict=True))})
        return pd.DataFrame(rows, columns=["report", "current", "previous"])

    def passes(self, df):
        return (df["current"] - df["previous"]).abs() < 1e-9

    def explain(self, ctx: Context, df, row: Any):
        r = ctx.record(df, row)
        ri = int(r["report"])
        ex, prev = ctx.extractions[ri], ctx.previous[ri]
        cur_terms = _terms(self, ex, self.current)
        old_terms = _terms(self, prev, self.previous)
        message = (f"{ex.year}年 {cur_terms} = {fmt(r['current'])}，"
                   f"但{prev.year}年报告 {old_terms} = {fmt(r['previous'])}")
        message_en = (f"{ex.year}: {_terms(self, ex, self.current, 'en')} = {fmt(r['current'])}, but last year's report "
                      f"({prev.year}) gives {_terms(self, prev, self.previous, 'en')} = {fmt(r['previous'])}")
        locs = [loc for k in self.current if (loc := table_location(ex, k, "current"))]
        for k in self.previous:
            loc = table_location(prev, k, "previous")
            if loc is not None:
                from dataclasses import replace

                locs.append(replace(loc, where=f"上一年报告 {prev.doc.path}"))
        return [self.finding(message, message_en, expected=r["previous"], actual=r["current"], locations=locs)]


def _expr(kind: Kind, weights: dict[str, int]) -> str:
    out = ""
    for i, (k, w) in enumerate(weights.items()):
        sign = ("" if i == 0 else " + ") if w > 0 else (" − " if i else "−")
        out += sign + kind.label(k)
    return out


def _terms(kind: Kind, ex, weights: dict[str, int], lang: str = "zh") -> str:
    out = ""
    for i, (k, w) in enumerate(weights.items()):
        sign = ("" if i == 0 else " + ") if w > 0 else (" − " if i else "−")
        out += f"{sign}{kind.label(k, lang)} {fmt(ex.value(k))}"
    return out
