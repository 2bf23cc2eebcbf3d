"""leq: a figure is at most another (an "of which" row and its parent, a channel and the total).

Each pair ``[part, whole]`` is checked on its own; a failing pair is one finding.

Pass::

    主动公开规范性文件数 33874 ≤ 主动公开政府信息数 58524

Fail::

    政府网站公开政府信息数 60000 > 主动公开政府信息数 58524
"""

from __future__ import annotations

from typing import Any

from validator.checks.base import Columns, Context, Kind, fmt, narrative_locations, table_location


class Leq(Kind):
    NAME = "leq"
    COMPILED = True
    EXAMPLE_PASS = "主动公开规范性文件数 33874 ≤ 主动公开政府信息数 58524"
    EXAMPLE_FAIL = "政府网站公开政府信息数 60000 > 主动公开政府信息数 58524"

    def __init__(self, rule, ruleset) -> None:
        super().__init__(rule, ruleset)
        self.pairs: list[tuple[str, str]] = [(a, b) for a, b in rule.params["pairs"]]

    def formula(self) -> str:
        return "；".join(f"{self.label(a)} ≤ {self.label(b)}" for a, b in self.pairs)

    def applicable(self, m: Columns):
        import numpy as np

        a, b = m([a for a, _ in self.pairs]), m([b for _, b in self.pairs])
        return (~np.isnan(a) & ~np.isnan(b)).any(axis=1)

    def passes(self, m: Columns):
        a, b = m([a for a, _ in self.pairs]), m([b for _, b in self.pairs])
        return ~(a > b + 1e-9).any(axis=1)  # NaN compares False: not applicable passes

    def explain(self, ctx: Context, df, row: Any):
        ex = ctx.extractions[row]
        r = ctx.record(df, row)
        out = []
        for a, b in self.pairs:
            if not r[a] > r[b] + 1e-9:
                continue
            message = f"{self.label(a)} {fmt(r[a])} > {self.label(b)} {fmt(r[b])}（分项不能大于其上级项）"
            message_en = f"{self.label(a, 'en')} {fmt(r[a])} exceeds {self.label(b, 'en')} {fmt(r[b])}"
            locs = [table_location(ex, a, "part"), table_location(ex, b, "total")]
            locs = [loc for loc in locs if loc] + narrative_locations(ex, [a, b], numbers=ctx.restatements(row))
            out.append(self.finding(message, message_en, expected=f"≤ {fmt(r[b])}", actual=r[a], locations=locs,
                                    instance=a))
        return out
