"""Evaluate a rule set on the figures of one or many reports.

Each rule kind gives a frame and a vectorised pass/fail function. The arithmetic identities
(sum, ≤, balance: ``Kind.COMPILED``) are compiled expressions over the wide frame and run as they
are; every other rule is a frame check and becomes a pandera ``Check`` named after the rule, run on
its frame (the narrative kinds' frames, or the wide frame shared by the table checks); its output
names the failing rows. Only the failing rows are then explained, row by row, into findings. The
same compiled rules serve one report or ten thousand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from validator.checks import KINDS, Context, Kind
from validator.model import Finding

if TYPE_CHECKING:
    import pandas as pd

    from validator.extract import Extraction
    from validator.ruleset import RuleSet


@dataclass
class Outcome:
    """What the rules said about one report."""

    findings: list[Finding]
    rules_checked: int


def compile_rules(ruleset: RuleSet) -> list[Kind]:
    """The rule set's rules as runnable kinds (hints, used only to split glued cells, are not rules)."""
    return [KINDS[r.kind](r, ruleset) for r in ruleset.rules if not r.params.get("hint")]


def evaluate(ruleset: RuleSet, extractions: list[Extraction],
             previous: list[Extraction | None] | None = None, kinds: set[str] | None = None) -> list[Outcome]:
    """Findings for every report in ``extractions`` (all of the same template).

    ``previous[i]``, when given, is last year's report of the same body as ``extractions[i]``,
    for the cross-year rules. ``kinds`` restricts the run to rules of those kinds.
    """
    import numpy as np

    ctx = Context.build(ruleset, extractions, previous)
    rules = [k for k in compile_rules(ruleset) if kinds is None or k.rule.kind in kinds]
    findings: list[list[Finding]] = [[] for _ in extractions]
    checked = np.zeros(len(extractions), dtype=np.int64)  # rules checked, per report

    groups: dict[str, tuple[pd.DataFrame, list[Kind]]] = {}
    for kind in rules:
        # table identities share the wide frame; each narrative kind builds its own
        frame_id = "wide" if type(kind).frame is Kind.frame else kind.rule.ident
        if frame_id not in groups:
            groups[frame_id] = (kind.frame(ctx), [])
        groups[frame_id][1].append(kind)

    for frame_id, (df, kinds) in groups.items():
        if df.empty:
            continue
        # (the wide frame's row i is report i; a narrative frame's rows name theirs, several rows one report)
        reports = None if frame_id == "wide" else df["report"].to_numpy(dtype=np.int64)
        for k in kinds:
            applicable = np.asarray(k.applicable(ctx.columns if k.COMPILED else df), dtype=bool)
            if reports is None:
                checked += applicable
            else:
                checked[np.unique(reports[applicable])] += 1
        for k in kinds:
            rows = _compiled_failures(k, ctx) if k.COMPILED else _check_failures(k, df)
            for row in rows:
                report = int(row) if frame_id == "wide" else int(ctx.record(df, row)["report"])
                findings[report].extend(k.explain(ctx, df, row))

    order = {"error": 0, "warning": 1, "info": 2}
    return [
        Outcome(sorted(f, key=lambda x: (order[x.severity], _first_line(x), x.rule)), n)
        for f, n in zip(findings, checked.tolist(), strict=True)
    ]


def _check_failures(kind: Kind, df: pd.DataFrame) -> list[object]:
    """The rows of ``df`` where a frame check fails, in row order: the rule as a pandera ``Check``, run on its frame.

    (The check's own output names the failing rows. A ``DataFrameSchema``'s lazy validation would also
    reshape every failing row, column by column, into a failure report nobody reads: ten times the cost.)
    """
    import pandera.pandas as pa

    result = pa.Check(kind.passes, name=kind.rule.ident, ignore_na=False)(df)
    if result.check_passed:
        return []
    return df.index[~result.check_output.to_numpy(dtype=bool)].tolist()


def _compiled_failures(kind: Kind, ctx: Context) -> list[int]:
    """The reports (rows of the wide frame) where a compiled arithmetic rule fails, in order."""
    import numpy as np

    ok = np.asarray(kind.passes(ctx.columns), dtype=bool)
    return np.flatnonzero(~ok).tolist()


def _first_line(f: Finding) -> int:
    return min([loc.line for loc in f.locations], default=0)
