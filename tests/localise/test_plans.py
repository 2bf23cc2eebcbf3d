"""What the search keeps between reports: row reductions recorded once, and layouts shared by reports.

The kept parts must depend on which figures are printed only, never on their values: a report solved
with them gets exactly what it gets from scratch.
"""

from __future__ import annotations

import random
from fractions import Fraction as F

from validator.localise import constraints, localise, solver
from validator.localise.constraints import Constraint, System


def _rref(rows: list[list[F]], rhs: list[F], n: int) -> tuple[list[int], list[list[F]], list[F]] | None:
    """Gauss–Jordan on ``[A | b]`` itself, over fractions: the reference (None: inconsistent)."""
    m = [row[:] + [b] for row, b in zip(rows, rhs, strict=True)]
    pivots: list[int] = []
    r = 0
    for col in range(n):
        p = next((i for i in range(r, len(m)) if m[i][col] != 0), None)
        if p is None:
            continue
        m[r], m[p] = m[p], m[r]
        m[r] = [x / m[r][col] for x in m[r]]
        for i in range(len(m)):
            if i != r and m[i][col] != 0:
                f = m[i][col]
                m[i] = [a - f * b for a, b in zip(m[i], m[r], strict=True)]
        pivots.append(col)
        r += 1
    if any(row[n] != 0 for row in m[r:]):
        return None
    return pivots, [row[:n] for row in m[:r]], [row[n] for row in m[:r]]


def test_the_recorded_reduction_is_the_reduction_of_the_values():
    rng = random.Random(3)
    keys = list("abcdef")
    for _ in range(400):
        cs = []
        for j in range(rng.randint(1, 6)):
            ks = rng.sample(keys, rng.randint(1, 4))
            cs.append(Constraint(code=f"S{j}", instance="", kind="sum", op="==",
                                 coef=tuple((k, rng.choice((-2, -1, 1, 1, 3))) for k in ks)))
        values = {k: F(rng.randint(0, 30), rng.choice((1, 1, 2))) for k in keys}
        s = System(values=values, constraints=cs)
        shape = solver._Shape(s)
        for size in (1, 2, 3):
            ks = tuple(sorted(rng.sample(keys, size)))
            plan = shape.plan(frozenset(ks))
            eqs = sorted({i for k in ks for i in s.by_var.get(k, ())})
            rows = [[F(dict(cs[i].coef).get(k, 0)) for k in ks] for i in eqs]
            want = _rref(rows, [F(s.needed[i]) for i in eqs], len(ks))
            consistent = all(solver._dot(c, s.needed) == 0 for c in plan.zero)
            assert consistent == (want is not None)
            if want is not None:
                assert list(plan.pivots) == want[0]
                assert [list(r) for r in plan.rows] == want[1]
                assert [solver._dot(c, s.needed) for c in plan.rhs] == want[2]


def _sum(code: str, total: str, parts: list[str]) -> Constraint:
    return Constraint(code=code, instance="", kind="sum", coef=((total, -1), *((p, 1) for p in parts)), op="==")


def test_systems_of_one_shape_share_their_tables_but_not_their_values():
    cs = [_sum("R1", "r1", ["a", "b"]), _sum("C1", "c1", ["a", "c"])]
    one = System(values={"a": F(5), "b": F(3), "c": F(2), "r1": F(7), "c1": F(6)}, constraints=list(cs))
    two = System(values={"a": F(1), "b": F(3), "c": F(2), "r1": F(7), "c1": F(6)}, constraints=list(cs))
    got_one = solver.minimal_changes(one, one.violated())
    got_two = solver.minimal_changes(two, two.violated())
    assert solver._shape(one) is solver._shape(two)
    assert [sol.value("a") for sol in got_one.solutions if sol.keys == ("a",)] == [4]
    assert [sol.value("a") for sol in got_two.solutions if sol.keys == ("a",)] == [4]
    assert [x.keys for x in got_two.solutions] == [x.keys for x in got_one.solutions]


def test_reports_printing_the_same_figures_share_a_layout(seed):
    from tests.localise.experiment import with_values

    ex, findings = seed
    other = with_values(ex, {"staff.part_time": 184})
    assert constraints.layout(ex) is constraints.layout(other)
    warm = [s.to_dict() for s in localise(other)]
    constraints.layout(other).memo.clear()
    ex.ruleset._memo.pop("localise.layouts", None)
    solver._SHAPES.clear()
    assert [s.to_dict() for s in localise(other)] == warm  # the same from scratch
    assert warm != [s.to_dict() for s in localise(ex, findings)]
