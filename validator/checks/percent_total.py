"""percent_total: the shares of a complete breakdown add up to 100%.

When the counts of several "占总数的Y%" statements add up to their common total, the list is
complete and its percentages must add up to 100, within n·½·10⁻ᵈ for n rounded terms.

Pass::

    当面申请784件，占30.69%；传真1件，占0.04%；信函1389件，占54.36%；互联网381件，占14.91%  (= 100.00)

Fail::

    当面申请784件，占30.69%；传真1件，占0.04%；信函1389件，占54.36%；互联网381件，占15.91%  (= 101.00)
"""

from __future__ import annotations

from typing import Any

from validator.checks.base import Context, Kind, fmt, stated_location
from validator.checks.percent import percent_rows


def share_groups(ctx: Context) -> list[dict[str, Any]]:
    """Percentage statements grouped by the total they share (two or more members); worked out once per
    evaluation (percent_total and parts_total both read them; the groups are not to be changed)."""
    return ctx.shared("share_groups", _share_groups)


def _share_groups(ctx: Context) -> list[dict[str, Any]]:
    groups: dict[tuple[int, Any], list[dict[str, Any]]] = {}
    for r in percent_rows(ctx):
        groups.setdefault((r["report"], r["total_idx"] if r["total_idx"] is not None else r["total_key"]), []).append(r)
    out = []
    for (report, _), members in groups.items():
        if len(members) < 2:
            continue
        out.append({
            "report": report,
            "members": [m["percent"] for m in members],
            "counts": [m["count"] for m in members],
            "total": members[0]["total"],
            "total_idx": members[0]["total_idx"],
            "count_sum": sum(m["n"] for m in members),
            "pct_sum": sum(m["pct"] for m in members),
            "tol": sum(0.5 * 10 ** (-m["decimals"]) for m in members),
            "decimals": max(m["decimals"] for m in members),
        })
    return out


class PercentTotal(Kind):
    NAME = "percent_total"
    EXAMPLE_PASS = "当面申请784件，占30.69%；传真1件，占0.04%；信函1389件，占54.36%；互联网381件，占14.91%"
    EXAMPLE_FAIL = "当面申请784件，占30.69%；传真1件，占0.04%；信函1389件，占54.36%；互联网381件，占15.91%"

    def frame(self, ctx: Context):
        import pandas as pd

        cols = ["report", "members", "counts", "total", "total_idx", "count_sum", "pct_sum", "tol", "decimals"]
        return pd.DataFrame(share_groups(ctx), columns=cols)

    def applicable(self, df):
        return (df["count_sum"] - df["total"]).abs() < 1e-9

    def passes(self, df):
        return ~self.applicable(df) | ((df["pct_sum"] - 100).abs() <= df["tol"] + 1e-9)

    def explain(self, ctx: Context, df, row: Any):
        r = ctx.record(df, row)
        ex = ctx.extractions[int(r["report"])]
        nums = ex.narrative.numbers
        d = int(r["decimals"])
        parts = " + ".join(f"{nums[i].text}%" for i in r["members"])
        message = (f"各项数量之和等于总数 {fmt(r['total'])}，但其百分比 {parts} = {r['pct_sum']:.{d}f}%，"
                   f"不是 100%（允许舍入误差 ±{r['tol']:.{d + 1}f}）")
        message_en = (f"the parts add up to the total {fmt(r['total'])}, but their shares {parts} = "
                      f"{r['pct_sum']:.{d}f}%, not 100% (rounding allows ±{r['tol']:.{d + 1}f})")
        locs = [stated_location(ex, i, role="percent") for i in r["members"]]
        anchor = "|".join(nums[i].phrase for i in r["counts"])
        return [self.finding(message, message_en, expected=100, actual=round(r["pct_sum"], d), locations=locs,
                             anchor=anchor)]
