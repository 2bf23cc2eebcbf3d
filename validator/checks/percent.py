"""percent: a stated percentage agrees with its count and the total it is a share of.

A percentage printed with d decimals stands for the interval [Y − ½·10⁻ᵈ, Y + ½·10⁻ᵈ] (XBRL
Calculations 1.1); the exact share count / total × 100 must lie inside it. The total is the figure
the text names ("占全区主动公开政府信息数的比例为57.9%"), or for "占总数" the nearest preceding
total that is not itself one of the listed shares.

Pass::

    共受理申请2555件。其中，信函申请1389件，占总数的54.36%   (1389 / 2555 = 54.364%)

Fail::

    共受理申请2555件。其中，当面申请784件，占总数的30.69%   (784 / 2555 = 30.6849%, not in [30.685, 30.695])
"""

from __future__ import annotations

from typing import Any

from validator.checks.base import Context, Kind, fmt, stated_location, table_location


def percent_rows(ctx: Context) -> list[dict[str, Any]]:
    """One row per percentage statement whose count and total are known (worked out once per evaluation:
    percent, percent_total and parts_total all read them; the rows are not to be changed)."""
    return ctx.shared("percent_rows", _percent_rows)


def _percent_rows(ctx: Context) -> list[dict[str, Any]]:
    rows = []
    for ri, ex in enumerate(ctx.extractions):
        nums = ex.narrative.numbers
        for ps in ex.narrative.percents:
            p, c = nums[ps.percent], nums[ps.count]
            if ps.total is not None:
                total = nums[ps.total].value
            elif ps.total_key and (f := ex.table_figure(ps.total_key)) is not None and f.value:
                total = f.value
            else:
                continue
            if not total:
                continue
            rows.append({"report": ri, "percent": ps.percent, "count": ps.count, "total_idx": ps.total,
                         "total_key": ps.total_key, "pct": p.value, "decimals": p.decimals, "n": c.value,
                         "total": total})
    return rows


class Percent(Kind):
    NAME = "percent"
    EXAMPLE_PASS = "共受理申请2555件。其中，信函申请1389件，占总数的54.36%"
    EXAMPLE_FAIL = "共受理申请2555件。其中，当面申请784件，占总数的30.69%"

    def frame(self, ctx: Context):
        import pandas as pd

        cols = ["report", "percent", "count", "total_idx", "total_key", "pct", "decimals", "n", "total"]
        return pd.DataFrame(percent_rows(ctx), columns=cols)

    def passes(self, df):
        half = 0.5 * 10.0 ** (-df["decimals"].astype(float))
        exact = df["n"] / df["total"] * 100
        return ((exact >= df["pct"] - half - 1e-9) & (exact <= df["pct"] + half + 1e-9))

    def explain(self, ctx: Context, df, row: Any):
        r = ctx.record(df, row)
        ex = ctx.extractions[int(r["report"])]
        nums = ex.narrative.numbers
        p, c = nums[int(r["percent"])], nums[int(r["count"])]
        d = int(r["decimals"])
        exact = r["n"] / r["total"] * 100
        half = 0.5 * 10 ** (-d)
        lo, hi = fmt(r["pct"] - half, d + 1), fmt(r["pct"] + half, d + 1)
        what = c.phrase or self.label(c.key or "")
        exact_s = f"{exact:.{d + 2}f}".rstrip("0").rstrip(".")
        message = (f"{what} {fmt(c.value)}{c.unit} ÷ 总数 {fmt(r['total'])} = {exact_s}%，"
                   f"不在所报 {p.text}% 的舍入区间 [{lo}, {hi}] 内（应为 {exact:.{d}f}%）")
        message_en = (f"{what}: {fmt(c.value)} / {fmt(r['total'])} = {exact_s}%, outside the rounding interval "
                      f"[{lo}, {hi}] of the stated {p.text}% (should be {exact:.{d}f}%)")
        locs = [stated_location(ex, p.idx, role="percent"), stated_location(ex, c.idx, role="count")]
        if r["total_idx"] is not None and r["total_idx"] == r["total_idx"]:
            locs.append(stated_location(ex, int(r["total_idx"]), role="total"))
        elif isinstance(r["total_key"], str):
            loc = table_location(ex, r["total_key"], "total")
            if loc:
                locs.append(loc)
        return [self.finding(message, message_en, expected=round(exact, d), actual=p.value, locations=locs,
                             anchor=f"{c.phrase}|{p.text}")]
