"""nonnegative: counts are non-negative whole numbers; only amounts may carry decimals and only
changes (本年增/减) may be negative.

Pass::

    本年新收政府信息公开申请数量 859

Fail::

    本年新收政府信息公开申请数量 -3   (or 85.9)
"""

from __future__ import annotations

from typing import Any

from validator.checks.base import DEC, Context, Kind, fmt, table_location


class Nonnegative(Kind):
    NAME = "nonnegative"
    EXAMPLE_PASS = "本年新收政府信息公开申请数量 859"
    EXAMPLE_FAIL = "本年新收政府信息公开申请数量 -3（或 85.9）"

    def __init__(self, rule, ruleset) -> None:
        super().__init__(rule, ruleset)
        figs = [f for f in ruleset.figures.values() if not f.derived]
        self.counts = [f.key for f in figs if not f.signed]
        self.whole = [f.key for f in figs if not f.decimals_allowed]

    def _bad(self, df):
        import pandas as pd

        neg = df[self.counts] < 0
        frac = df[[DEC + k for k in self.whole]].to_numpy() > 0
        frac = pd.DataFrame(frac, index=df.index, columns=self.whole)
        return neg, frac

    def _matrix(self, df, columns: list[str]):
        """``df[columns]`` as a float matrix, picked from the whole frame's array (the wide frame has hundreds
        of columns: pandas' own selection of a few hundred costs several times more)."""
        return df.to_numpy(dtype=float)[:, df.columns.get_indexer(columns)]

    def applicable(self, df):
        import numpy as np
        import pandas as pd

        return pd.Series(~np.isnan(self._matrix(df, self.counts)).all(axis=1), index=df.index)

    def passes(self, df):
        import pandas as pd

        neg = (self._matrix(df, self.counts) < 0).any(axis=1)
        frac = (self._matrix(df, [DEC + k for k in self.whole]) > 0).any(axis=1)
        return pd.Series(~(neg | frac), index=df.index)

    def explain(self, ctx: Context, df, row: Any):
        ex = ctx.extractions[row]
        neg, frac = self._bad(df.loc[[row]])
        out = []
        for k in [c for c in self.counts if bool(neg.loc[row, c])] + [c for c in self.whole if bool(frac.loc[row, c])]:
            v = df.loc[row, k]
            negative = v < 0
            message = f"{self.label(k)} 为 {fmt(v, int(df.loc[row, DEC + k]))}：" + ("件数不能为负数" if negative else "件数应为整数")
            message_en = f"{self.label(k, 'en')} is {fmt(v)}: " + ("a count cannot be negative" if negative
                                                                     else "a count must be a whole number")
            loc = table_location(ex, k, "value")
            out.append(self.finding(message, message_en, expected="≥ 0" if negative else "整数", actual=v,
                                    locations=[loc] if loc else [], instance=k))
        return out
