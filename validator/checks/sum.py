"""sum: a total equals the sum of its parts.

Checks ``total = part₁ + part₂ + …`` on the table, within half a unit of the last printed decimal
of every rounded term (money); counts are exact. ``parts: children`` takes every figure whose
parent is the total. ``below:``/``above:`` give a different severity when the parts fall short of
or exceed the total (e.g. refusals citing several reasons).

Pass::

    从事政府信息公开工作人员数 235 = 专职人员数 52 + 兼职人员数 183

Fail::

    从事政府信息公开工作人员数 224 ≠ 专职人员数 52 + 兼职人员数 183 = 235
"""

from __future__ import annotations

from typing import Any

from validator.checks.base import (
    DEC,
    Columns,
    Context,
    Kind,
    fmt,
    narrative_locations,
    table_locations,
    tolerance,
)
from validator.model import Term


class Sum(Kind):
    NAME = "sum"
    COMPILED = True
    EXAMPLE_PASS = "从事政府信息公开工作人员数 235 = 专职人员数 52 + 兼职人员数 183"
    EXAMPLE_FAIL = "从事政府信息公开工作人员数 224 ≠ 专职人员数 52 + 兼职人员数 183 = 235"

    def __init__(self, rule, ruleset) -> None:
        super().__init__(rule, ruleset)
        self.total: str = rule.params["total"]
        parts = rule.params["parts"]
        self.parts: list[str] = ruleset.children(self.total) if parts == "children" else list(parts)
        self.optional = [k for k in rule.params.get("optional") or [] if k in ruleset.figures]
        self.required = [k for k in self.parts if k not in self.optional]
        self._roles = [(self.total, "total")] + [(k, "part") for k in self.parts]  # a finding's table locations

    def formula(self) -> str:
        return f"{self.label(self.total)} = " + " + ".join(self.label(k) for k in self.parts)

    def _cols(self) -> list[str]:
        return [self.total, *self.parts]

    def applicable(self, m: Columns):
        """Every part present, except the optional ones (a form of a row the report need not print)."""
        import numpy as np

        return ~np.isnan(m([self.total, *self.required])).any(axis=1) & ~np.isnan(m(self.parts)).all(axis=1)

    def passes(self, m: Columns):
        import numpy as np

        tol = m.tolerance(self._cols())
        parts = m(self.parts)
        total = np.nansum(parts, axis=1)
        total[np.isnan(parts).all(axis=1)] = np.nan  # (no part at all: no sum)
        diff = total - m([self.total])[:, 0]
        with np.errstate(invalid="ignore"):
            return ~self.applicable(m) | (np.abs(diff) <= tol + 1e-9)

    def explain(self, ctx: Context, df, row: Any):
        ex = ctx.extractions[row]
        r = ctx.record(df, row)
        total = r[self.total]
        parts = [(k, v, int(r[DEC + k])) for k in self.parts if (v := r[k]) == v]  # optional parts may be absent
        s = sum(v for _, v, _ in parts)
        decs = [d for _, _, d in parts] + [int(r[DEC + self.total])]
        shown = max(decs)
        if abs(s - total) <= tolerance(decs) + 1e-9:
            return []
        severity = self.rule.params.get("below" if s < total else "above", self.rule.severity)
        zh, en = self._labels, self._labels_en
        printed = [fmt(v, d) for _, v, d in parts]
        zh_terms = " + ".join(f"{zh.get(k, k)} {p}" for (k, _, _), p in zip(parts, printed, strict=True))
        en_terms = " + ".join(f"{en.get(k, k)} {p}" for (k, _, _), p in zip(parts, printed, strict=True))
        message = f"{self.label(self.total)} {fmt(total, shown)} ≠ {zh_terms} = {fmt(s, shown)}"
        message_en = f"{en_terms} = {fmt(s, shown)}, but {self.label(self.total, 'en')} is reported as {fmt(total, shown)}"
        locs = table_locations(ex, self._roles)
        locs += narrative_locations(ex, self._cols(), numbers=ctx.restatements(row))
        terms = [Term(zh.get(k, k), v) for k, v, _ in parts]
        # (rounding a whole number to 6 places gives it back: skip numpy's round, microseconds a call)
        expected = s if isinstance(s, float) and s.is_integer() and abs(s) < 1e9 else round(s, 6)
        return [self.finding(message, message_en, severity=severity, expected=expected, actual=total,
                             locations=locs, terms=terms)]
