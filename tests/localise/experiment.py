"""The alteration experiment: alter one table figure of a consistent real report, run the rules, localise.

Each trial changes one printed table figure in the report's Extraction (the file is untouched): its
derived figures are rebuilt with ``validator.extract._derive``, the whole rule set runs through
``validator.engine.evaluate`` (all trials of a report in one batch) and ``validator.localise.localise``
gets the findings. A trial counts when the rules catch the alteration (an arithmetic finding) and the
minimal change set is unique; there the altered figure must be the top candidate with its original value.

Run ``python -m tests.localise.experiment`` for the full table of rates (every figure, every style).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "corpus"
SEED = ROOT / "samples" / "000_a81f0d4f916600c6.txt"
REPORTS = {
    "seed-corrected": SEED,
    "2024_huaianshi": CORPUS / "2024_huaianshi.pdf",
    "2021_pingtan-page": CORPUS / "2021_pingtan-page.html",
}
STYLES = ("±1", "±10", "transpose", "zero")


@dataclass
class Trial:
    report: str
    key: str
    style: str
    original: float
    altered: float
    detected: bool = False  # an arithmetic rule failed
    unique: bool = False  # exactly one minimal change set
    top: bool = False  # the altered figure (alone) is the top candidate
    restored: bool = False  # … and its suggested value is the original
    kind: str = ""  # the top candidate's slip
    kinds: tuple[str, ...] = ()  # … and every slip that explains it
    text: str = ""
    ms: float = 0.0  # time to localise


def load(path: Path):
    """The Extraction of a report, as the pipeline makes it."""
    from validator.detect import choose_template, detect_year_body
    from validator.extract import extract
    from validator.read import read_document
    from validator.ruleset import load_all_rulesets

    doc = read_document(str(path))
    year, body = detect_year_body(doc)
    ruleset, _ = choose_template(year, doc, load_all_rulesets())
    return extract(doc, ruleset, body=body, year=year)


def with_values(ex, changes: dict[str, float], narrative: dict[str, float] | None = None):
    """A copy of ``ex`` with some table figures (and narrative restatements) changed, derived figures rebuilt."""
    from validator.extract import Extraction, _derive

    table = [dataclasses.replace(f, value=float(changes[f.key]), text=_fmt(changes[f.key]))
             if f.key in changes and f.state == "value" else f for f in ex.table]
    nar = ex.narrative
    if narrative:
        numbers = [dataclasses.replace(n, value=float(narrative[n.key]), text=_fmt(narrative[n.key]))
                   if n.key in narrative else n for n in nar.numbers]
        nar = dataclasses.replace(nar, numbers=numbers)
    out = Extraction(ex.doc, ex.ruleset, table, nar, list(ex.notes), ex.body, ex.year)
    out.derived = _derive(out)
    out.__post_init__()
    return out


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def base(name: str):
    """The consistent starting point: the seed with its staff total corrected (table and narrative) to 235."""
    ex = load(REPORTS[name])
    if name == "seed-corrected":
        ex = with_values(ex, {"staff.total": 235}, {"staff.total": 235})
    return ex


def altered_value(value: float, style: str, index: int) -> float | None:
    """The value one alteration style makes of ``value`` (None: the style does not apply)."""
    if not float(value).is_integer():
        return None
    v = int(value)
    if style in ("±1", "±10"):
        step = 1 if style == "±1" else 10
        return float(v - step if index % 2 and v >= step else v + step)
    if style == "zero":
        return 0.0 if v != 0 else None
    s = str(v)
    for i in range(len(s) - 1):
        if s[i] != s[i + 1] and not (i == 0 and s[i + 1] == "0"):
            return float(int(s[:i] + s[i + 1] + s[i] + s[i + 2:]))
    return None


def arithmetic_rules(ruleset) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for r in ruleset.rules:
        if r.kind == "leq":
            out.update((r.code, a) for a, _ in r.params["pairs"])
        elif r.kind in ("sum", "balance"):
            out.add((r.code, r.instance))
    return out


def run(name: str, every: int = 1, styles: tuple[str, ...] = STYLES) -> list[Trial]:
    """Every ``every``-th value figure of report ``name``, altered in each style."""
    from validator.engine import evaluate
    from validator.localise import localise

    ex = base(name)
    rs = ex.ruleset
    arith = arithmetic_rules(rs)
    (outcome,) = evaluate(rs, [ex])
    assert not [f for f in outcome.findings if (f.rule, f.instance) in arith], f"{name} is not consistent"
    figures = [f for f in ex.table if f.state == "value" and f.value is not None]
    trials: list[Trial] = []
    variants = []
    for i, f in enumerate(figures):
        if i % every:
            continue
        for style in styles:
            v = altered_value(f.value, style, i)
            if v is None or v == f.value:
                continue
            trials.append(Trial(name, f.key, style, f.value, v))
            variants.append(with_values(ex, {f.key: v}))
    outcomes = evaluate(rs, variants)
    for t, vex, out in zip(trials, variants, outcomes, strict=True):
        found = [f for f in out.findings if (f.rule, f.instance) in arith]
        if not found:
            continue
        t.detected = True
        t0 = time.perf_counter()
        sugg = localise(vex, found)
        t.ms = (time.perf_counter() - t0) * 1000
        mine = [s for s in sugg if any(t.key in c.corrections for c in s.candidates)] or sugg
        if not mine:
            continue
        s = mine[0]
        t.unique = s.unique
        t.kind = s.best.kind
        t.kinds = s.best.kinds
        t.text = s.text_zh
        t.top = s.best.culprits == (t.key,)
        t.restored = t.top and s.best.corrections[t.key] == t.original
    return trials


def rates(trials: list[Trial]) -> dict[str, float | int]:
    det = [t for t in trials if t.detected]
    uni = [t for t in det if t.unique]
    return {
        "trials": len(trials),
        "detected": len(det),
        "unique": len(uni),
        "unique_top": sum(t.top for t in uni) / len(uni) if uni else 1.0,
        "unique_restored": sum(t.restored for t in uni) / len(uni) if uni else 1.0,
        "detected_top": sum(t.top for t in det) / len(det) if det else 1.0,
        "detected_restored": sum(t.restored for t in det) / len(det) if det else 1.0,
    }


def table(trials: list[Trial]) -> str:
    """Rates per report and style, as printed by the test and by ``python -m tests.localise.experiment``."""
    lines = [f"{'report':20} {'style':10} {'trials':>6} {'caught':>6} {'unique':>6} {'top|uniq':>8} "
             f"{'restore|uniq':>12} {'top|caught':>10} {'restore|caught':>14}"]
    groups: dict[tuple[str, str], list[Trial]] = {}
    for t in trials:
        groups.setdefault((t.report, t.style), []).append(t)
        groups.setdefault((t.report, "all"), []).append(t)
        groups.setdefault(("all", t.style), []).append(t)
        groups.setdefault(("all", "all"), []).append(t)
    for (rep, style), ts in sorted(groups.items(), key=lambda kv: (kv[0][0] == "all", kv[0][0],
                                                                    kv[0][1] == "all", kv[0][1])):
        r = rates(ts)
        lines.append(f"{rep:20} {style:10} {r['trials']:>6} {r['detected']:>6} {r['unique']:>6} "
                     f"{r['unique_top']:>8.1%} {r['unique_restored']:>12.1%} {r['detected_top']:>10.1%} "
                     f"{r['detected_restored']:>14.1%}")
    return "\n".join(lines)


if __name__ == "__main__":
    t0 = time.perf_counter()
    everything = [t for name in REPORTS for t in run(name)]
    print(table(everything))
    print(f"{time.perf_counter() - t0:.1f} s")
