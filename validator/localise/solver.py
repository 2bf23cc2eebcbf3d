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

What depends only on the constraints' coefficients, not on the values, is worked out once per shape of
system and kept (``_Shape``): the sets tried for a pattern of failing constraints, and for each set the
row reduction of its equalities (``R δ = T b``: the values only supply ``b``). Many reports of one
template share a shape, so a report mostly pays for its own arithmetic.
"""

from __future__ import annotations

import itertools
import math
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

from validator.localise.constraints import System

Propose = Callable[[str], list[Fraction]]
Score = Callable[[str, Fraction], float]
Number = int | Fraction  # exact: ints where the arithmetic stays whole, which is fast
Combination = tuple[tuple[int, Number], ...]  # Σ factor·b[constraint] over (constraint, factor)

SHAPES = 64  # shapes found by their coefficients (then that index starts afresh; a layout keeps its own)
PLANS = 30_000  # plans kept over every shape, about 40 MB (then every shape starts afresh)
PATTERNS = 2_000  # patterns of failing constraints kept per shape (then it starts afresh)


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
    solutions: list[Solution]  # sorted by their keys
    truncated: bool = False  # the budget ran out before the search of ``size`` was complete


def minimal_changes(system: System, violated: list[int], *, component: list[int] | None = None, max_size: int = 3,
                    propose: Propose | None = None, score: Score | None = None, budget: int = 20000) -> Search:
    """Every minimal set of at most ``max_size`` variables whose change satisfies all constraints.

    ``violated`` are the failing constraints of one connected ``component``; ``budget`` bounds the number
    of sets solved (the search is deterministic, so a truncated search is truncated the same way every time).
    """
    comp = component if component is not None else sorted(violated)
    shape = _shape(system)
    solved = 0
    truncated = False
    for k in range(1, max_size + 1):
        level = shape.level(tuple(violated), k, budget)
        n = len(level.plans)
        if n > budget - solved:  # the budget runs out within this size: solve what it allows
            n = budget - solved
            truncated = True
        solved += n
        found = _solve_each(system, level, n, propose, score)  # (sorted by keys)
        if found or truncated:
            return Search(comp, violated, k if found else 0, found, truncated)
    return Search(comp, violated, 0, [], truncated)


def solve(system: System, keys: frozenset[str] | set[str], *, propose: Propose | None = None,
          score: Score | None = None) -> Solution | None:
    """The values of ``keys`` that make every constraint hold, every key changed; None if there are none."""
    level = _compile([_shape(system).plan(frozenset(keys))])
    return next(iter(_solve_each(system, level, 1, propose, score)), None)


# the value-free part: one per shape of system --------------------------------------------------------
class _Plan(NamedTuple):
    """How to solve for one set of keys, whatever the values: ``A δ = b`` reduced to ``R δ = T b``.

    ``A`` holds the coefficients of the keys in the equalities they touch, ``b`` those equalities' residuals
    (``T`` is the record of the row operations of the reduction, so ``T b`` is what reducing ``[A | b]``
    gives). The equalities are consistent exactly when the rows of ``T`` past the pivots give 0.
    """

    ks: tuple[str, ...]  # sorted
    pivots: tuple[int, ...]  # pivot columns
    free: tuple[int, ...]  # the other columns
    rows: tuple[tuple[Number, ...], ...]  # the pivot rows of R
    rhs: tuple[Combination, ...]  # the pivot rows of T
    zero: tuple[Combination, ...]  # the other rows of T
    ineqs: tuple[int, ...]  # the inequalities the keys are in
    ineq_terms: tuple[tuple[int, tuple[tuple[int, int], ...]], ...]  # (inequality, ((column, coefficient), …))


class _Shape:
    """The tables of the search that depend on the constraints' coefficients only, filled as they are needed."""

    live: weakref.WeakSet[_Shape] = weakref.WeakSet()
    kept = 0  # plans kept over every live shape

    def __init__(self, system: System) -> None:
        cs = system.constraints
        self.supports = [frozenset(c.keys) for c in cs]
        self.coef = [dict(c.coef) for c in cs]
        self.equality = [c.op == "==" for c in cs]
        self.by_var = {k: tuple(v) for k, v in system.by_var.items()}
        # each variable's equalities, and (for the variables in any) inequalities, ascending
        self.eqs_of = {k: tuple(sorted({i for i in v if self.equality[i]})) for k, v in self.by_var.items()}
        self.ineqs_of = {k: tuple(sorted({i for i in v if not self.equality[i]})) for k, v in self.by_var.items()
                         if not all(self.equality[i] for i in v)}
        self.plans: dict[frozenset[str], _Plan] = {}
        self.levels: dict[tuple[tuple[int, ...], int], tuple[_Level, ...]] = {}
        _Shape.live.add(self)

    def plan(self, keys: frozenset[str]) -> _Plan:
        p = self.plans.get(keys)
        if p is None:
            if _Shape.kept >= PLANS:
                for shape in list(_Shape.live):
                    shape.plans.clear()
                    shape.levels.clear()
                _Shape.kept = 0
            p = self.plans[keys] = self._reduce(tuple(sorted(keys)))
            _Shape.kept += 1
        return p

    def level(self, violated: tuple[int, ...], k: int, budget: int) -> _Level:
        """The sets of size ``k`` the search solves, in its order; no more than the budget left after the smaller sizes
        allows (and one more, so that running out of it shows)."""
        key = (violated, budget)
        levels = self.levels.get(key, ())
        if len(levels) < k:
            if len(self.levels) >= PATTERNS:
                self.levels.clear()
            while len(levels) < k:
                left = budget + 1 - sum(len(lv.plans) for lv in levels)
                sets = itertools.islice(self._sets(list(violated), len(levels) + 1), max(left, 0))
                levels = (*levels, _compile([self.plan(s) for s in sets]))
            self.levels[key] = levels  # replaced whole, never changed in place
        return levels[k - 1]

    def _sets(self, violated: list[int], k: int) -> Iterator[frozenset[str]]:
        """The candidate sets of ``k`` variables: hitting sets of the failing constraints that keep the rest whole."""
        supports = {i: self.supports[i] for i in violated}
        order = sorted(violated, key=lambda i: (len(supports[i]), i))
        vset = set(violated)
        # satisfied equalities: a change set touching one in a single figure cannot keep it true
        kept = {i: self.supports[i] for i in range(len(self.supports)) if self.equality[i] and i not in vset}

        by_var = self.by_var

        def broken(s: frozenset[str]) -> list[int]:
            touched = {i for m in s for i in by_var.get(m, ()) if i in kept}
            return sorted((i for i in touched if len(kept[i] & s) == 1), key=lambda i: (len(kept[i]), i))

        def any_broken(s: frozenset[str]) -> bool:
            """``bool(broken(s))``, without listing them."""
            for m in s:
                for i in by_var.get(m, ()):
                    if i in kept and len(kept[i] & s) == 1:
                        return True
            return False

        seen: set[frozenset[str]] = set()
        stack: list[frozenset[str]] = [frozenset()]
        while stack:
            s = stack.pop()
            if len(s) == k:
                for i in order:  # (a loop, not all(…): this runs for every set)
                    if supports[i].isdisjoint(s):
                        break  # a failing constraint it misses
                else:
                    if not any_broken(s):
                        yield s
                continue
            rest = [i for i in order if supports[i].isdisjoint(s)]
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
                cands = frozenset(v for m in s for ci in by_var[m] for v in self.supports[ci])
            for v in sorted(cands, reverse=True):
                if v in s:
                    continue
                t = s | {v}
                if t not in seen:
                    seen.add(t)
                    stack.append(t)

    def _reduce(self, ks: tuple[str, ...]) -> _Plan:
        """The plan of ``ks``: the reduction of the coefficients of ``ks`` in the equalities they touch.

        The reduction depends on that small matrix alone, and few matrices recur (±1 and 0 in a few rows),
        so it is kept by matrix (``_reduced``) and its rows of ``T`` renamed to this system's equalities.
        """
        eqs_of, coef = self.eqs_of, self.coef
        eqs = eqs_of.get(ks[0], ()) if len(ks) == 1 else sorted({i for k in ks for i in eqs_of.get(k, ())})
        red = _reduced(len(ks), tuple([coef[i].get(k, 0) for i in eqs for k in ks]))
        # eqs ascending: renamed, the combinations stay sorted
        rhs = tuple([tuple([(eqs[j], x) for j, x in comb]) for comb in red.rhs])
        zero = tuple([tuple([(eqs[j], x) for j, x in comb]) for comb in red.zero])
        if self.ineqs_of.keys().isdisjoint(ks):
            return _Plan(ks, red.pivots, red.free, red.rows, rhs, zero, (), ())
        ineqs = tuple(sorted({i for k in ks for i in self.ineqs_of.get(k, ())}))
        ineq_terms = tuple([(i, tuple([(col, coef[i][k]) for col, k in enumerate(ks) if k in coef[i]]))
                            for i in ineqs])
        return _Plan(ks, red.pivots, red.free, red.rows, rhs, zero, ineqs, ineq_terms)


class _Reduced(NamedTuple):
    """A plan without its names: ``rhs`` and ``zero`` over the rows of the matrix (0, 1, …), not equalities."""

    pivots: tuple[int, ...]
    free: tuple[int, ...]
    rows: tuple[tuple[Number, ...], ...]
    rhs: tuple[Combination, ...]
    zero: tuple[Combination, ...]


class _Level(NamedTuple):
    """The plans of one size of a search, with the rows they share listed once.

    The sets of a level overlap: many share a key whose row of ``T`` is the same (HTML reports: some 250 rows
    in 100 sets, 17 of them distinct), so a report works each distinct row out once and every set reads it.
    """

    plans: list[_Plan]
    rows: tuple[tuple[str, Combination], ...]  # (key, row of T) of the plans without a free column
    zeros: tuple[Combination, ...]  # the rows of T that must give 0
    uses: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]  # per plan: its rows (one per key), its zeros
    order: tuple[int, ...]  # the plans by their keys: the order of the solutions


def _compile(plans: list[_Plan]) -> _Level:
    rows: dict[tuple[str, Combination], int] = {}
    zeros: dict[Combination, int] = {}
    uses = []
    for plan in plans:
        own = () if plan.free else tuple([rows.setdefault(kr, len(rows)) for kr in zip(plan.ks, plan.rhs, strict=True)])
        uses.append((own, tuple([zeros.setdefault(z, len(zeros)) for z in plan.zero])))
    order = tuple(sorted(range(len(plans)), key=lambda j: plans[j].ks))
    return _Level(plans, tuple(rows), tuple(zeros), tuple(uses), order)


REDUCED = 4096  # matrices kept (then it starts afresh); a few hundred occur in practice
_REDUCED: dict[tuple[int, tuple[int, ...]], _Reduced] = {}


def _reduced(n: int, flat: tuple[int, ...]) -> _Reduced:
    """``_gauss_jordan(n, flat)``, kept by matrix (flat: a flat tuple hashes faster than a tuple of rows)."""
    red = _REDUCED.get((n, flat))
    if red is None:
        if len(_REDUCED) >= REDUCED:
            _REDUCED.clear()
        red = _REDUCED[(n, flat)] = _gauss_jordan(n, flat)
    return red


def _gauss_jordan(n: int, flat: tuple[int, ...]) -> _Reduced:
    """Gauss–Jordan on ``[A | I]``: the same row operations as on ``[A | b]``, recorded.

    ``A`` has ``n`` columns and is given row after row in ``flat``. Exact throughout: ints while the
    pivots divide evenly (with ±1 coefficients, always), else fractions. Each row carries its part of
    ``T`` sparsely, as {row of A: factor}.
    """
    m = len(flat) // n if n else 0
    coefs: list[list[Number]] = [list(flat[r * n:(r + 1) * n]) for r in range(m)]  # A, row by row
    parts: list[dict[int, Number]] = [{i: 1} for i in range(m)]  # T, row by row
    pivots: list[int] = []
    r = 0
    for col in range(n):
        p = next((i for i in range(r, len(coefs)) if coefs[i][col] != 0), None)
        if p is None:
            continue
        coefs[r], coefs[p] = coefs[p], coefs[r]
        parts[r], parts[p] = parts[p], parts[r]
        a, t = coefs[r], parts[r]
        piv = a[col]
        if piv == -1:
            a = coefs[r] = [-x for x in a]
            t = parts[r] = {j: -x for j, x in t.items()}
        elif piv != 1:
            a = coefs[r] = [_quotient(x, piv) for x in a]
            t = parts[r] = {j: _quotient(x, piv) for j, x in t.items()}
        for i, ai in enumerate(coefs):
            f = ai[col]
            if f != 0 and i != r:
                coefs[i] = [x - f * y for x, y in zip(ai, a, strict=True)]
                ti = parts[i]  # each row's own dict
                for j, x in t.items():
                    ti[j] = ti.get(j, 0) - f * x
        pivots.append(col)
        r += 1

    def combination(t: dict[int, Number]) -> Combination:
        return tuple(sorted(jx for jx in t.items() if jx[1] != 0))

    return _Reduced(
        pivots=tuple(pivots), free=tuple(c for c in range(n) if c not in pivots),
        rows=tuple(tuple(a) for a in coefs[:r]),
        rhs=tuple(combination(t) for t in parts[:r]), zero=tuple(combination(t) for t in parts[r:]))


_SHAPES: dict[tuple[tuple[tuple[tuple[str, int], ...], str], ...], _Shape] = {}


def _shape(system: System) -> _Shape:
    """The tables for ``system``'s shape (its constraints' coefficients and operators), shared by every system of it."""
    if isinstance(system.shape, _Shape):
        return system.shape
    memo = system.layout.memo if system.layout is not None else {}
    if isinstance(shape := memo.get("shape"), _Shape):
        system.shape = shape
        return shape
    sig = tuple((c.coef, c.op) for c in system.constraints)
    shape = _SHAPES.get(sig)
    if shape is None:
        if len(_SHAPES) >= SHAPES:
            _SHAPES.clear()
        shape = _SHAPES[sig] = _Shape(system)
    system.shape = memo["shape"] = shape
    return shape


def _quotient(x: Number, d: Number) -> Number:
    """``x / d`` exactly: an int when it divides evenly."""
    q = Fraction(x) / d
    return q.numerator if q.denominator == 1 else q


def _lower_bound(rest: list[int], supports: dict[int, frozenset[str]]) -> int:
    """A lower bound on the variables needed to hit every constraint of ``rest``: disjoint ones need one each."""
    used: set[str] = set()
    n = 0
    for i in rest:
        if not (supports[i] & used):
            n += 1
            used |= supports[i]
    return n


# the values: one report ------------------------------------------------------------------------------
def _solve_each(system: System, level: _Level, n: int, propose: Propose | None, score: Score | None) -> list[Solution]:
    """The first ``n`` plans of ``level`` with ``system``'s values: the solutions of those that have one (not
    inconsistent, unchanged, not whole, …), sorted by their keys. One loop for a whole level: this runs for every
    set of every search. Each distinct row is worked out once, and its change made once and shared by the
    solutions using it."""
    need = system.needed
    values = system.values
    signed, integer = system.signed, system.integer
    # each row: its change of the key (None: that key cannot change so, and no set with the row has a solution)
    delta: list[Number | None] = []
    for k, comb in level.rows:
        d: Number = 0  # _dot(comb, need), inline
        for i, a in comb:
            d += a * need[i]
        if d == 0:
            delta.append(None)  # a smaller set would do: not minimal
            continue
        v = values[k] + d
        if (v < 0 and k not in signed) or (v.denominator != 1 and k in integer):
            delta.append(None)
        else:
            delta.append(d)
    consistent = [_dot(comb, need) == 0 for comb in level.zeros]
    made: list[Change | None] = [None] * len(delta)
    found: list[Solution] = []
    plans, uses = level.plans, level.uses
    for j in level.order:
        if j >= n:
            continue  # beyond the budget
        own, zeros = uses[j]
        if zeros and not all([consistent[z] for z in zeros]):
            continue  # the equalities contradict each other
        plan = plans[j]
        if plan.free:
            sol = _free(system, plan, [values[k] for k in plan.ks], [_dot(comb, need) for comb in plan.rhs],
                        propose, score)
            if sol is not None:
                found.append(sol)
            continue
        # every column a pivot, in order: each change is one row of T b (checked as _valid does)
        for r in own:
            if delta[r] is None:
                break
        else:
            if plan.ineq_terms and not _inequalities_hold(system, plan, [delta[r] for r in own]):
                continue
            changes = []
            for r in own:
                c = made[r]
                if c is None:
                    k = level.rows[r][0]
                    o = values[k]
                    c = made[r] = Change(k, o, Fraction(o + delta[r]))
                changes.append(c)
            found.append(Solution(tuple(changes), True))
    return found


def _dot(comb: Combination, need: list[Fraction]) -> Number:
    t: Number = 0
    for i, a in comb:
        t += a * need[i]
    return t


def _inequalities_hold(system: System, plan: _Plan, delta: list[Number]) -> bool:
    """Every inequality the keys are in, ``Σ coef·x <= tol``, at the changed values."""
    res = system.residuals
    constraints = system.constraints
    for i, terms in plan.ineq_terms:
        if not res[i] + sum(a * delta[col] for col, a in terms) <= constraints[i].tol:
            return False
    return True


def _valid(system: System, plan: _Plan, old: list[Number], delta: list[Number]) -> bool:
    for k, o, d in zip(plan.ks, old, delta, strict=True):
        if d == 0:
            return False  # a smaller set would do: not minimal
        v = o + d
        if k in system.integer and v.denominator != 1:
            return False
        if k not in system.signed and v < 0:
            return False
    return _inequalities_hold(system, plan, delta)


def _free(system: System, plan: _Plan, old: list[Number], cs: list[Number], propose: Propose | None,
          score: Score | None) -> Solution | None:
    """Values for a set whose equalities leave some values free: the best-scoring valid choice."""
    ks, pivots, free = plan.ks, plan.pivots, plan.free
    ranges: dict[int, tuple[Fraction | None, Fraction | None]] = {}
    if not pivots and len(ks) == 1:
        ranges[0] = _interval(system, ks[0], plan.ineqs)
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
        delta: list[Number] = [Fraction(0)] * len(ks)
        for col, v in zip(free, combo, strict=True):
            delta[col] = v - old[col]
        for col, row, rhs in zip(pivots, plan.rows, cs, strict=True):
            delta[col] = rhs - sum((row[f] * delta[f] for f in free), Fraction(0))
        if not _valid(system, plan, old, delta):
            continue
        new = [o + d for o, d in zip(old, delta, strict=True)]
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


def _interval(system: System, key: str, ineqs: tuple[int, ...]) -> tuple[Fraction | None, Fraction | None] | None:
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
