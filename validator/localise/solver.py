"""Exact error localisation: the smallest sets of figures whose change makes every constraint hold.

In the spirit of Fellegi and Holt (1976): the failing constraints and everything connected to them form
one small linear system; candidate sets of 1, 2, … ``max_size`` variables are enumerated as hitting sets
of the failing constraints (a change set must touch every failing constraint, and each of its members is
either in a failing constraint or shares a constraint with another member), and for each set the new
values are solved for exactly, over fractions, from the equalities it touches. A solution must keep
counts whole and non-negative and every inequality it touches true. Only sets of the smallest size that
has any solution are returned: these are the minimal change sets.

When the equalities leave a value free (only an inequality bounds it, or two changes share one
equation), the caller's ``propose`` gives the values worth trying (slips of the printed figure) and
``score`` says which fits best; the solution is then marked not ``determined``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from validator.localise.constraints import System

Propose = Callable[[str], list[Fraction]]
Score = Callable[[str, Fraction], float]


@dataclass(frozen=True)
class Change:
    """One figure's correction: its printed value and the value the constraints call for."""

    key: str
    old: Fraction
    new: Fraction
    low: Fraction | None = None  # when the value is not determined: the range the constraints allow
    high: Fraction | None = None


@dataclass(frozen=True)
class Solution:
    """A minimal change set and the values that make every constraint hold."""

    changes: tuple[Change, ...]
    determined: bool  # every value follows from the equalities (no free choice was made)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.changes)

    def value(self, key: str) -> Fraction | None:
        return next((c.new for c in self.changes if c.key == key), None)


@dataclass
class Search:
    """What the search found for one group of failing constraints."""

    constraints: list[int]  # the connected component searched (indices into ``System.constraints``)
    violated: list[int]
    size: int  # the size of the minimal change sets (0: none within ``max_size``)
    solutions: list[Solution]
    truncated: bool = False  # the budget ran out before the search of ``size`` was complete


def minimal_changes(system: System, violated: list[int], *, component: list[int] | None = None, max_size: int = 3,
                    propose: Propose | None = None, score: Score | None = None, budget: int = 20000) -> Search:
    """Every minimal set of at most ``max_size`` variables whose change satisfies all constraints.

    ``violated`` are the failing constraints of one connected ``component``; ``budget`` bounds the number
    of sets solved (the search is deterministic, so a truncated search is truncated the same way every time).
    """
    comp = component if component is not None else sorted(violated)
    supports = {i: frozenset(system.constraints[i].keys) for i in violated}
    order = sorted(violated, key=lambda i: (len(supports[i]), i))
    vset = set(violated)
    # satisfied equalities: a change set touching one in a single figure cannot keep it true
    kept = {i: frozenset(c.keys) for i, c in enumerate(system.constraints) if c.op == "==" and i not in vset}
    solved = 0
    truncated = False

    def broken(s: frozenset[str]) -> list[int]:
        touched = {i for m in s for i in system.by_var.get(m, ()) if i in kept}
        return sorted((i for i in touched if len(kept[i] & s) == 1), key=lambda i: (len(kept[i]), i))

    for k in range(1, max_size + 1):
        found: list[Solution] = []
        seen: set[frozenset[str]] = set()
        stack: list[frozenset[str]] = [frozenset()]
        while stack:
            s = stack.pop()
            if len(s) == k:
                if any(not (supports[i] & s) for i in order) or broken(s):
                    continue
                solved += 1
                if solved > budget:
                    truncated = True
                    break
                sol = solve(system, s, propose=propose, score=score)
                if sol is not None:
                    found.append(sol)
                continue
            rest = [i for i in order if not (supports[i] & s)]
            if rest:
                # the set must still hit every failing constraint: branch on the smallest one left
                if _lower_bound(rest, supports) > k - len(s):
                    continue
                cands = supports[rest[0]]
            elif b := broken(s):
                # a kept equality touched by one member only: another of its figures must change too
                if _lower_bound(b, {i: kept[i] - s for i in b}) > k - len(s):
                    continue
                cands = kept[b[0]]
            else:
                cands = frozenset(v for m in s for ci in system.by_var[m] for v in system.constraints[ci].keys)
            for v in sorted(cands, reverse=True):
                if v in s:
                    continue
                t = s | {v}
                if t not in seen:
                    seen.add(t)
                    stack.append(t)
        found.sort(key=lambda sol: sol.keys)
        if found or truncated:
            return Search(comp, violated, k if found else 0, found, truncated)
    return Search(comp, violated, 0, [], truncated)


def _lower_bound(rest: list[int], supports: dict[int, frozenset[str]]) -> int:
    """A lower bound on the variables needed to hit every constraint of ``rest``: disjoint ones need one each."""
    used: set[str] = set()
    n = 0
    for i in rest:
        if not (supports[i] & used):
            n += 1
            used |= supports[i]
    return n


def solve(system: System, keys: frozenset[str] | set[str], *, propose: Propose | None = None,
          score: Score | None = None) -> Solution | None:
    """The values of ``keys`` that make every constraint hold, every key changed; None if there are none."""
    ks = sorted(keys)
    touched = sorted({i for k in ks for i in system.by_var.get(k, [])})
    eqs, ineqs = [], []
    for i in touched:
        c = system.constraints[i]
        coef = dict(c.coef)
        row = [Fraction(coef.get(k, 0)) for k in ks]
        if c.op == "==":
            eqs.append((row, Fraction(0) if system.holds(i) else -system.residual(i)))
        else:
            ineqs.append(i)
    pivots, free, rows = _rref(eqs, len(ks))
    if pivots is None:
        return None  # the equalities contradict each other
    old = [system.values[k] for k in ks]
    if not free:
        delta = [Fraction(0)] * len(ks)
        for col, (_row, rhs) in zip(pivots, rows, strict=True):
            delta[col] = rhs
        new = [o + d for o, d in zip(old, delta, strict=True)]
        if not _valid(system, ks, old, new, ineqs):
            return None
        return Solution(tuple(Change(k, o, n) for k, o, n in zip(ks, old, new, strict=True)), True)
    return _free(system, ks, old, pivots, free, rows, ineqs, propose, score)


def _rref(eqs: list[tuple[list[Fraction], Fraction]], n: int):
    """Reduced row echelon form of ``A δ = b``: (pivot columns, free columns, pivot rows) or (None, …)."""
    m = [row[:] + [rhs] for row, rhs in eqs]
    pivots: list[int] = []
    r = 0
    for col in range(n):
        p = next((i for i in range(r, len(m)) if m[i][col] != 0), None)
        if p is None:
            continue
        m[r], m[p] = m[p], m[r]
        piv = m[r][col]
        m[r] = [x / piv for x in m[r]]
        for i in range(len(m)):
            if i != r and m[i][col] != 0:
                f = m[i][col]
                m[i] = [a - f * b for a, b in zip(m[i], m[r], strict=True)]
        pivots.append(col)
        r += 1
    if any(all(x == 0 for x in row[:n]) and row[n] != 0 for row in m[r:]):
        return None, [], []
    free = [c for c in range(n) if c not in pivots]
    rows = [(row[:n], row[n]) for row in m[:r]]
    return pivots, free, rows


def _valid(system: System, ks: list[str], old: list[Fraction], new: list[Fraction], ineqs: list[int]) -> bool:
    for k, o, v in zip(ks, old, new, strict=True):
        if v == o:
            return False  # a smaller set would do: not minimal
        if k in system.integer and v.denominator != 1:
            return False
        if k not in system.signed and v < 0:
            return False
    if ineqs:
        vals = dict(system.values)
        vals.update(zip(ks, new, strict=True))
        return all(system.holds(i, vals) for i in ineqs)
    return True


def _free(system: System, ks: list[str], old: list[Fraction], pivots: list[int], free: list[int],
          rows: list[tuple[list[Fraction], Fraction]], ineqs: list[int], propose: Propose | None,
          score: Score | None) -> Solution | None:
    """Values for a set whose equalities leave some values free: the best-scoring valid choice."""
    ranges: dict[int, tuple[Fraction | None, Fraction | None]] = {}
    if not pivots and len(ks) == 1:
        ranges[0] = _interval(system, ks[0], ineqs)
        if ranges[0] is None:
            return None
    options: list[list[Fraction]] = []
    for col in free:
        k = ks[col]
        vals = list(propose(k)) if propose else []
        lo, hi = ranges.get(col, (None, None))
        for bound in (lo, hi):
            if bound is not None:
                vals.append(bound)
        vals.append(Fraction(0))
        options.append([v for v in dict.fromkeys(vals) if v != old[col]])
    best: tuple[float, Fraction, list[Fraction]] | None = None
    for combo in itertools.product(*options):
        delta = [Fraction(0)] * len(ks)
        for col, v in zip(free, combo, strict=True):
            delta[col] = v - old[col]
        for col, (row, rhs) in zip(pivots, rows, strict=True):
            delta[col] = rhs - sum((row[f] * delta[f] for f in free), Fraction(0))
        new = [o + d for o, d in zip(old, delta, strict=True)]
        if not _valid(system, ks, old, new, ineqs):
            continue
        s = math.prod(score(k, v) for k, v in zip(ks, new, strict=True)) if score else 1.0
        dist = sum((abs(d) for d in delta), Fraction(0))
        if best is None or (s, -dist) > (best[0], -best[1]):
            best = (s, dist, new)
    if best is None:
        return None
    changes = []
    for col, (k, o, v) in enumerate(zip(ks, old, best[2], strict=True)):
        lo, hi = ranges.get(col, (None, None))
        changes.append(Change(k, o, v, lo, hi))
    return Solution(tuple(changes), False)


def _interval(system: System, key: str, ineqs: list[int]) -> tuple[Fraction | None, Fraction | None] | None:
    """The values one variable may take under the inequalities it is in (and its sign and wholeness)."""
    lo: Fraction | None = None if key in system.signed else Fraction(0)
    hi: Fraction | None = None
    for i in ineqs:
        c = system.constraints[i]
        a = Fraction(dict(c.coef)[key])
        rest = system.residual(i) - a * system.values[key]  # a·x + rest <= tol
        bound = (c.tol - rest) / a
        if a > 0:
            hi = bound if hi is None else min(hi, bound)
        else:
            lo = bound if lo is None else max(lo, bound)
    if key in system.integer:
        lo = None if lo is None else Fraction(math.ceil(lo))
        hi = None if hi is None else Fraction(math.floor(hi))
    if lo is not None and hi is not None and lo > hi:
        return None
    return lo, hi
