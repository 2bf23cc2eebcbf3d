"""Which figure is wrong, and what it should be: error localisation for the arithmetic rules.

The failing ``sum``/``balance``/``leq`` rules of a report and every rule connected to them form a small
linear system over the table's cells (``constraints``). The smallest sets of cells whose change makes
*all* of them hold together are found exactly (``solver``, after Fellegi and Holt): a cell in several
failing rules is the likelier culprit because changing it alone repairs them all. The candidate
corrections are then ranked by how believable they are (``slips``): a narrative that states the right
value, a total left at 0, transposed or dropped digits, a neighbour's value copied; and against how
reliable the printed figure is (the narrative restating it with the same value).

``suggest(extraction, findings)`` returns the findings with ``suggestion`` (Chinese) filled in on the
arithmetic findings involved; ``suggestion_en(finding)`` gives the English text of such a finding, and
``suggestions(extraction, findings)`` the structured form, by finding fingerprint.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from validator.localise.constraints import ARITHMETIC_KINDS, Constraint, System, build_system, exact
from validator.localise.slips import (
    Evidence,
    Slip,
    classify,
    evidence,
    fmt,
    kinds_factor,
    propose,
    reliability,
    slip_kinds,
)
from validator.localise.solver import Search, Solution, minimal_changes
from validator.model import Finding

if TYPE_CHECKING:
    from validator.extract import Extraction
    from validator.ruleset import RuleSet

__all__ = ["Candidate", "Suggestion", "localise", "suggest", "suggestion_en", "suggestions"]

MAX_SIZE = 3  # the largest change set searched
CLEAR = 2.0  # the best candidate is "most likely" when at least this many times likelier than the next
SHOWN = 3  # candidates named in the text
PROPOSED = ("narrative", "transposition")  # slips that name a value of their own (see slips.propose)


@dataclass(frozen=True)
class Candidate:
    """One minimal correction: the figures to change, their new values and why they are believable."""

    corrections: dict[str, float]  # figure key → corrected value
    old: dict[str, float]  # figure key → printed value
    slips: tuple[Slip, ...]  # one per corrected figure, in the order of ``culprits``
    score: float  # relative likelihood: slip factors × reliability of the printed figures
    determined: bool  # the values follow from the rules (False: one choice within what they allow)
    bounds: dict[str, tuple[float | None, float | None]]  # key → (low, high) when not determined

    @property
    def culprits(self) -> tuple[str, ...]:
        return tuple(self.corrections)

    @property
    def kind(self) -> str:
        """The likeliest slip behind the correction (``arithmetic`` when none explains it)."""
        best = max(self.slips, key=lambda s: s.factor, default=None)
        return best.kind if best else "arithmetic"

    @property
    def kinds(self) -> tuple[str, ...]:
        """Every slip that explains a part of the correction, likeliest first."""
        out = sorted(self.slips, key=lambda s: -s.factor)
        return tuple(dict.fromkeys(k for s in out for k in (s.kind, *s.also)))


@dataclass(frozen=True)
class Suggestion:
    """The localisation of one group of failing arithmetic rules."""

    text_zh: str
    text_en: str
    candidates: tuple[Candidate, ...]  # best first
    unique: bool  # exactly one minimal change set
    rules: tuple[str, ...]  # the failing rule instances it explains ("O6", "N4:review")
    fingerprints: tuple[str, ...] = ()  # the findings it was attached to
    complete: bool = True  # False when the search budget ran out (there may be other candidates)

    @property
    def best(self) -> Candidate:
        return self.candidates[0]

    @property
    def corrections(self) -> dict[str, float]:
        return self.best.corrections

    @property
    def culprits(self) -> tuple[str, ...]:
        return self.best.culprits

    @property
    def kind(self) -> str:
        return self.best.kind

    def to_dict(self) -> dict[str, Any]:
        """The structured form, for JSON: the best correction first, then every candidate."""
        return {
            "text": {"zh": self.text_zh, "en": self.text_en},
            "kind": self.kind,
            "unique": self.unique,
            "complete": self.complete,
            "rules": list(self.rules),
            "corrections": dict(self.corrections),
            "candidates": [{"corrections": dict(c.corrections), "printed": dict(c.old), "kinds": list(c.kinds),
                            "score": round(c.score, 6), "determined": c.determined,
                            **({"bounds": {k: list(b) for k, b in c.bounds.items()}} if c.bounds else {})}
                           for c in self.candidates],
        }


def localise(ex: Extraction, findings: list[Finding] | None = None, *, max_size: int = MAX_SIZE) -> list[Suggestion]:
    """One suggestion per group of failing arithmetic rules of ``ex`` (only groups with a finding, if given)."""
    return _localise(ex, findings, max_size, full=True)


def _localise(ex: Extraction, findings: list[Finding] | None, max_size: int, *, full: bool) -> list[Suggestion]:
    """``localise``; unless ``full``, each suggestion holds only the candidates its texts name (what ``suggest``
    needs: the texts are the same)."""
    system = build_system(ex)
    violated = system.violated()
    if not violated:
        return []
    wanted: set[tuple[str, str]] | None = None
    if findings is not None:
        wanted = {(f.rule, f.instance) for f in findings}
    ev = evidence(ex, system)
    slip = _Slips(ev)
    out: list[Suggestion] = []
    vset = set(violated)
    for comp in system.components(violated):
        failing = [i for i in comp if i in vset]
        if wanted is not None and not any(_ident(system.constraints[i]) in wanted for i in failing):
            continue
        for search in _searches(system, comp, failing, slip, max_size):
            s = _suggestion(system, search, slip, full)
            if s is not None:
                out.append(s)
    return out


def suggestions(ex: Extraction, findings: list[Finding]) -> dict[str, Suggestion]:
    """The suggestion for each arithmetic finding that has one, by finding fingerprint."""
    return _suggestions(ex, findings, None)


def _suggestions(ex: Extraction, findings: list[Finding], fingerprints: list[str] | None) -> dict[str, Suggestion]:
    """``suggestions``, given the findings' fingerprints when they are known (each one is a hash)."""
    out: dict[str, Suggestion] = {}
    arithmetic = ex.ruleset.memo("localise.arithmetic", _arithmetic_rules)
    for s in localise(ex, findings):
        rules = set(s.rules)
        fps = tuple(f.fingerprint if fingerprints is None else fingerprints[j] for j, f in enumerate(findings)
                    if (f.rule, f.instance) in arithmetic and _ident_of(f) in rules)
        s = replace(s, fingerprints=fps)
        for fp in fps:
            out[fp] = s
    return out


def suggest(ex: Extraction, findings: list[Finding]) -> list[Finding]:
    """``findings`` with ``suggestion`` (Chinese) set on the arithmetic findings a localisation explains."""
    found = _localise(ex, findings, MAX_SIZE, full=False)
    if not found:
        return findings
    # as ``suggestions``: a finding of an arithmetic rule instance gets the last suggestion explaining that
    # instance (findings sharing a fingerprint share the rule and instance); only those need their fingerprint
    by_ident = {r: s for s in found for r in s.rules}
    arithmetic = ex.ruleset.memo("localise.arithmetic", _arithmetic_rules)
    out = []
    for f in findings:
        s = by_ident.get(_ident_of(f)) if (f.rule, f.instance) in arithmetic else None
        if s is None:
            out.append(f)
            continue
        out.append(_suggested(f, s.text_zh, s.text_en))
    return out


def _suggested(f: Finding, zh: str, en: str) -> Finding:
    """``replace(f, suggestion=zh, suggestion_en=en)`` without its checks: a copy of the fields with those two set
    (the others are f's own, already as Finding's constructor makes them)."""
    g = object.__new__(Finding)
    d = g.__dict__
    d.update(f.__dict__)
    d["suggestion"] = zh
    d["suggestion_en"] = en
    return g


def suggestion_en(finding: Finding) -> str | None:
    """The English text of a suggestion ``suggest`` made (None for a finding it did not touch)."""
    if not finding.suggestion:
        return None
    return finding.suggestion_en


# ----------------------------------------------------------------------------------------------------
def _ident(c: Constraint) -> tuple[str, str]:
    return c.code, c.instance


def _ident_of(f: Finding) -> str:
    return f"{f.rule}:{f.instance}" if f.instance else f.rule


def _arithmetic_rules(ruleset: RuleSet) -> frozenset[tuple[str, str]]:
    """(code, instance) of every arithmetic rule instance, as findings carry them (kept per rule set)."""
    out: set[tuple[str, str]] = set()
    for r in ruleset.rules:
        if r.kind not in ARITHMETIC_KINDS:
            continue
        if r.kind == "leq":
            out.update((r.code, a) for a, _ in r.params["pairs"])
        else:
            out.add((r.code, r.instance))
    return frozenset(out)


def _searches(system: System, comp: list[int], failing: list[int], slip: _Slips, max_size: int) -> list[Search]:
    """The joint search over the component; failing that, one per cluster of failing rules sharing a cell."""

    def run(violated: list[int]) -> Search:
        return minimal_changes(system, violated, component=comp, max_size=max_size,
                               propose=lambda k: propose(k, system.values[k], slip.ev),
                               score=lambda k, v: slip.factor(k, system.values[k], v))

    search = run(failing)
    if search.solutions:
        return [search]
    clusters = _clusters(system, failing)
    if len(clusters) == 1:
        return []
    return [s for s in (run(c) for c in clusters) if s.solutions]


def _clusters(system: System, failing: list[int]) -> list[list[int]]:
    out: list[tuple[set[str], list[int]]] = []
    for i in failing:
        keys = set(system.constraints[i].keys)
        hit = [c for c in out if c[0] & keys]
        merged = (set(keys), [i])
        for c in hit:
            merged[0].update(c[0])
            merged[1].extend(c[1])
            out.remove(c)
        out.append(merged)
    return sorted((sorted(c[1]) for c in out), key=lambda c: c[0])


class _Slips:
    """``classify`` on one report's evidence, each correction classified once (one recurs across candidates)."""

    def __init__(self, ev: Evidence) -> None:
        self.ev = ev
        self.memo: dict[tuple[str, int, int, int, int], Slip] = {}
        self.measures: dict[tuple[str, int, int, int, int], tuple[float, float]] = {}
        self.kinds: dict[tuple[str, int, int, int, int], list[str]] = {}  # slip_kinds, for measures and memo alike

    def __call__(self, key: str, old: Fraction, new: Fraction) -> Slip:
        # keyed by numerators and denominators, equal exactly when the values are: a Fraction's own hash is slow
        memo_key = (key, old.numerator, old.denominator, new.numerator, new.denominator)
        got = self.memo.get(memo_key)
        if got is None:
            got = self.memo[memo_key] = classify(key, old, new, self.ev, self._kinds(key, old, new, memo_key))
        return got

    def _kinds(self, key: str, old: Fraction, new: Fraction, memo_key: tuple[str, int, int, int, int]) -> list[str]:
        got = self.kinds.get(memo_key)
        if got is None:
            got = self.kinds[memo_key] = slip_kinds(key, old, new, self.ev)
        return got

    def factor(self, key: str, old: Fraction, new: Fraction) -> float:
        """The slip's factor × the printed figure's reliability: a candidate's score is their product."""
        return self.measure(key, old, new)[0]

    def measure(self, key: str, old: Fraction, new: Fraction) -> tuple[float, float]:
        """``factor`` and ``_relative`` of one correction: what ranking the candidates needs of it."""
        memo_key = (key, old.numerator, old.denominator, new.numerator, new.denominator)
        got = self.measures.get(memo_key)
        if got is None:
            ev = self.ev
            factor = kinds_factor(self._kinds(key, old, new, memo_key))
            got = self.measures[memo_key] = (factor * reliability(key, old, ev), _relative(old, new))
        return got


def _rank(sol: Solution, slip: _Slips) -> tuple[float, float]:
    """``_candidate``'s ranking key of ``sol`` but its culprits (the same factors multiplied, and relatives added,
    in the same order), without making the candidate."""
    factors, relatives = [], []
    for c in sol.changes:
        f, r = slip.measure(c.key, c.old, c.new)
        factors.append(f)
        relatives.append(r)
    return -math.prod(factors), sum(relatives)


def _candidate(sol: Solution, slip: _Slips) -> tuple[Candidate, float]:
    slips, factors, relatives = [], [], []
    corrections: dict[str, float] = {}
    old: dict[str, float] = {}
    bounds: dict[str, tuple[float | None, float | None]] = {}
    for c in sol.changes:
        s = slip(c.key, c.old, c.new)
        slips.append(s)
        f, r = slip.measure(c.key, c.old, c.new)
        factors.append(f)  # = s.factor × reliability
        relatives.append(r)
        corrections[c.key] = _num(c.new)
        old[c.key] = _num(c.old)
        if c.low is not None or c.high is not None:
            bounds[c.key] = (_opt(c.low), _opt(c.high))
    cand = Candidate(corrections=corrections, old=old, slips=tuple(slips), score=math.prod(factors),
                     determined=sol.determined, bounds=bounds)
    return cand, sum(relatives)


def _relative(old: Fraction, new: Fraction) -> float:
    """``|new − old| / max(|new|, |old|, 1)`` as a float (whole numbers divide exactly rounded as they are)."""
    if old.denominator == 1 and new.denominator == 1:
        o, n = old.numerator, new.numerator
        return abs(n - o) / max(abs(n), abs(o), 1)
    return float(abs(new - old) / max(abs(new), abs(old), 1))


def _num(v: Fraction) -> float:
    return v.numerator if v.denominator == 1 else float(v)  # (the numerator: int() of a Fraction is slow)


def _opt(v: Fraction | None) -> float | None:
    return None if v is None else _num(v)


def _suggestion(system: System, search: Search, slip: _Slips, full: bool = True) -> Suggestion | None:
    """The suggestion of one search: every candidate, best first (unless ``full``, only the ones its texts name)."""
    sols = search.solutions
    if not sols:
        return None
    ev = slip.ev
    if full or len(sols) <= SHOWN:
        ranked = sorted((_candidate(sol, slip) for sol in sols), key=lambda cr: (-cr[0].score, cr[1], cr[0].culprits))
        cands = tuple(c for c, _ in ranked)
    else:
        # the order of _candidate's ranking without making the candidates: the solutions come sorted by their
        # keys (the culprits), so their index breaks ties as the culprits do
        order = sorted(range(len(sols)), key=lambda j: (*_rank(sols[j], slip), j))
        cands = tuple(_candidate(sols[j], slip)[0] for j in order[:SHOWN])
    unique = len(sols) == 1 and not search.truncated
    zh, en = _texts(system, search, cands, len(sols), unique, ev)
    rules = tuple(system.constraints[i].ident for i in search.violated)
    return Suggestion(text_zh=zh, text_en=en, candidates=cands, unique=unique, rules=rules,
                      complete=not search.truncated)


# texts ------------------------------------------------------------------------------------------------
def _texts(system: System, search: Search, cands: tuple[Candidate, ...], count: int, unique: bool,
           ev: Evidence) -> tuple[str, str]:
    """The texts, from the best candidates (at least the ``SHOWN`` first) of ``count``."""
    best = cands[0]
    eqs = _equations(system, search, best) if not best.bounds else []  # (a ranged correction has none)
    head_zh = _correction(best, ev, "zh", eqs)
    head_en = _correction(best, ev, "en", eqs)
    reason_zh = "；".join(s.zh for s in best.slips if s.zh)
    reason_en = "; ".join(s.en for s in best.slips if s.en)
    shown = cands[:SHOWN]
    alts_zh = [_correction(c, ev, "zh") for c in shown[1:]]
    alts_en = [_correction(c, ev, "en") for c in shown[1:]]
    more = count - len(shown)
    confirmed = _confirmed(shown, ev)
    dash_zh = f"——{reason_zh}" if reason_zh else ""
    dash_en = f" — {reason_en}" if reason_en else ""
    if unique:
        zh = f"可以确定：{head_zh}{dash_zh}"
        en = f"determined: {head_en}{dash_en}"
        if confirmed:
            zh += f"（正文也为 {'、'.join(fmt(v) for _, v in confirmed)}，但与算式不符）"
            en += f" (the narrative also prints {', '.join(fmt(v) for _, v in confirmed)}, against the arithmetic)"
        return zh, en
    clear = best.score >= CLEAR * cands[1].score
    if clear:
        zh = f"最可能是 {head_zh}{dash_zh}；也可能是 " + "，或 ".join(alts_zh)
        en = f"most likely {head_en}{dash_en}; or " + ", or ".join(alts_en)
    else:
        zh = f"无法唯一确定，可能是 {head_zh}{dash_zh}，或 " + "，或 ".join(alts_zh)
        en = f"cannot be pinned down: {head_en}{dash_en}, or " + ", or ".join(alts_en)
    if more:
        zh += f" 等 {count} 种改法"
        en += f" ({count} possible fixes in all)"
    culprits = [k for c in shown for k in c.old]
    if not clear and confirmed and len(confirmed) == len(culprits):
        zh += f"；正文也复述了 {'、'.join(fmt(v) for _, v in confirmed)}，各种改法同样得到印证，需核对原始记录"
        en += (f"; the narrative restates {', '.join(fmt(v) for _, v in confirmed)} too, so each fix is equally "
               "confirmed: check the source records")
        return zh, en
    others = [(k, v) for k, v in confirmed if k not in best.corrections]
    if others:
        zh += f"；正文与统计表均为 {'、'.join(fmt(v) for _, v in others)}"
        en += f"; both narrative and table print {', '.join(fmt(v) for _, v in others)}"
    return zh, en


def _confirmed(shown: tuple[Candidate, ...], ev: Evidence) -> list[tuple[str, float]]:
    """The printed values of the corrected figures that the narrative states too (30.69 as printed,
    not the binary float's expansion)."""
    return [(k, v) for c in shown for k, v in c.old.items() if ev.confirmed(k, exact(v))]


def _correction(cand: Candidate, ev: Evidence, lang: str, eqs: list[str] | None = None) -> str:
    """One candidate's corrections in words, with ``eqs`` (the arithmetic it restores) when its values are fixed."""
    parts = []
    ranged = False
    for (k, v), slip in zip(cand.corrections.items(), cand.slips, strict=True):
        label = ev.label(k, lang)
        lo, hi = cand.bounds.get(k, (None, None))
        if lo is None and hi is None:
            parts.append(f"{label} 应为 {fmt(v)}" if lang == "zh" else f"{label} should be {fmt(v)}")
            continue
        ranged = True
        text = _range(label, lo, hi, lang)
        if slip.kind in PROPOSED and v not in (lo, hi):  # a value a slip explains, within what the rules allow
            text += f"，可能是 {fmt(v)}" if lang == "zh" else f", perhaps {fmt(v)}"
        parts.append(text)
    text = ("、" if lang == "zh" else " and ").join(parts)
    if not cand.determined and not cand.bounds:
        text += "（一种可能的取法）" if lang == "zh" else " (one possible choice)"
    if eqs and not ranged:
        text += f"（{'；'.join(eqs)}）" if lang == "zh" else f" ({'; '.join(eqs)})"
    return text


def _range(label: str, lo: float | None, hi: float | None, lang: str) -> str:
    if lang == "zh":
        if lo is not None and hi is not None and lo > 0:
            return f"{label} 应在 {fmt(lo)} 至 {fmt(hi)} 之间"
        return f"{label} 应不大于 {fmt(hi)}" if hi is not None else f"{label} 应不小于 {fmt(lo)}"
    if lo is not None and hi is not None and lo > 0:
        return f"{label} should be between {fmt(lo)} and {fmt(hi)}"
    return f"{label} should be at most {fmt(hi)}" if hi is not None else f"{label} should be at least {fmt(lo)}"


def _equations(system: System, search: Search, cand: Candidate) -> list[str]:
    """The failing rules touching the corrected figures, with the corrected values (at most two)."""
    fixed = {k: exact(v) for k, v in cand.corrections.items()}  # over the printed values (not a copy of them all)
    changed = set(fixed)
    out = []
    for i in search.violated:
        c = system.constraints[i]
        if changed.isdisjoint(c.keys):
            continue
        out.append(_equation(system, c, fixed, changed))
        if len(out) == 2:
            break
    return out


def _equation(system: System, c: Constraint, fixed: dict[str, Fraction], changed: set[str]) -> str:
    """Constraint ``c`` written out with the values of ``system``, the ``fixed`` ones corrected."""
    vals: dict[str, Fraction] = {}  # each figure's value once (a long side asks for it up to three times)
    expansions = system.expansions
    printed = system.values

    def val(k: str) -> Fraction:
        got = vals.get(k)
        if got is None:
            exp = expansions.get(k)
            # a printed figure is its own value (the sum of 1·value, of the same type); ints stay ints
            if exp is None:
                got = fixed[k] if k in fixed else printed[k]
            else:
                got = sum(a * (fixed[v] if v in fixed else printed[v]) for v, a in exp)
            vals[k] = got
        return got

    def touched(k: str) -> bool:
        exp = expansions.get(k)
        return k in changed if exp is None else any(v in changed for v, _ in exp)

    def side(keys: list[str]) -> str:
        if len(keys) <= 6:
            return " + ".join(fmt(val(k)) for k in keys)
        shown = [k for k in keys if val(k) != 0 or touched(k)]
        if len(shown) > 6:
            keep = [k for k in shown if touched(k)]
            others = [k for k in shown if not touched(k)][: max(0, 5 - len(keep))]
            kept = set(keep) | set(others)
            shown = [k for k in keys if k in kept] + ["…"]
        return " + ".join("…" if k == "…" else fmt(val(k)) for k in shown) or "0"

    terms = list(c.terms)
    if c.kind == "sum":
        total = [k for k, r in terms if r == "total"]
        parts = [k for k, r in terms if r == "part"]
        return f"{side(parts)} = {side(total)}"
    if c.kind == "balance":
        return f"{side([k for k, r in terms if r == 'left'])} = {side([k for k, r in terms if r == 'right'])}"
    return f"{side([terms[0][0]])} ≤ {side([terms[1][0]])}"
