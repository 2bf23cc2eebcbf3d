"""The constraints, the exact search and the slips on small hand-made systems."""

from __future__ import annotations

from fractions import Fraction as F

from validator.localise.constraints import Constraint, System
from validator.localise.slips import Evidence, classify, propose
from validator.localise.solver import minimal_changes, solve


def _sum(code: str, total: str, parts: list[str]) -> Constraint:
    return Constraint(code=code, instance="", kind="sum", coef=((total, -1), *((p, 1) for p in parts)), op="==",
                      roles=((total, "total"), *((p, "part") for p in parts)),
                      terms=((total, "total"), *((p, "part") for p in parts)))


def _leq(a: str, b: str) -> Constraint:
    return Constraint(code="L", instance=a, kind="leq", coef=((a, 1), (b, -1)), op="<=",
                      roles=((a, "part"), (b, "total")), terms=((a, "part"), (b, "total")))


def _system(values: dict[str, int], constraints: list[Constraint]) -> System:
    return System(values={k: F(v) for k, v in values.items()}, constraints=constraints, integer=set(values))


def test_a_figure_in_two_failing_rules_is_the_single_culprit():
    # a 2×2 table with row and column totals: one wrong cell breaks its row and its column
    s = _system({"a": 5, "b": 3, "c": 2, "d": 4, "r1": 7, "r2": 6, "c1": 6, "c2": 7, "t": 13},
                [_sum("R1", "r1", ["a", "b"]), _sum("R2", "r2", ["c", "d"]), _sum("C1", "c1", ["a", "c"]),
                 _sum("C2", "c2", ["b", "d"]), _sum("T", "t", ["r1", "r2"])])
    assert [s.constraints[i].code for i in s.violated()] == ["R1", "C1"]
    found = minimal_changes(s, s.violated())
    assert found.size == 1
    assert [sol.keys for sol in found.solutions] == [("a",)]
    assert found.solutions[0].value("a") == 4 and found.solutions[0].determined


def test_rule_by_rule_would_blame_more_figures():
    s = _system({"t": 10, "p": 3, "q": 4}, [_sum("S", "t", ["p", "q"])])
    found = minimal_changes(s, s.violated())
    assert sorted(sol.keys for sol in found.solutions) == [("p",), ("q",), ("t",)]
    assert {sol.keys[0]: sol.value(sol.keys[0]) for sol in found.solutions} == {"p": 6, "q": 7, "t": 7}


def test_counts_stay_whole_and_non_negative():
    s = _system({"t": 0, "p": 10, "q": 1}, [_sum("S", "t", ["p", "q"])])
    found = minimal_changes(s, s.violated())
    assert [sol.keys for sol in found.solutions] == [("t",)]  # p → −1 or q → −10 are no counts


def test_two_changes_when_one_will_not_do():
    # p is 1 short in S1 and r 1 over in S2; q, in both, cannot fix both at once
    s = _system({"t1": 10, "p": 3, "q": 6, "t2": 9, "r": 4}, [_sum("S1", "t1", ["p", "q"]), _sum("S2", "t2", ["q", "r"])])
    found = minimal_changes(s, s.violated())
    assert found.size == 2
    got = {sol.keys: {c.key: c.new for c in sol.changes} for sol in found.solutions}
    assert got[("p", "r")] == {"p": 4, "r": 3}
    assert set(got) == {("p", "r"), ("p", "t2"), ("r", "t1"), ("t1", "t2"), ("p", "q"), ("q", "r"), ("q", "t1"),
                        ("q", "t2")}
    for changes in got.values():
        vals = {**s.values, **changes}
        assert all(s.holds(i, vals) for i in range(len(s.constraints)))


def test_an_inequality_leaves_a_range():
    s = _system({"part": 120, "whole": 100}, [_leq("part", "whole")])
    found = minimal_changes(s, s.violated())
    got = {sol.keys: sol for sol in found.solutions}
    assert set(got) == {("part",), ("whole",)}
    part = got[("part",)].changes[0]
    assert not got[("part",)].determined and (part.low, part.high) == (0, 100)
    assert part.new == 100  # the nearest allowed value when no slip names another
    whole = got[("whole",)].changes[0]
    assert whole.low == 120 and whole.new == 120


def test_solve_rejects_a_set_that_changes_nothing():
    s = _system({"t": 10, "p": 3, "q": 7}, [_sum("S", "t", ["p", "q"])])
    assert solve(s, {"p"}) is None  # already holds: no change of p alone keeps it true


def test_budget_truncates_deterministically():
    s = _system({"t": 10, "p": 3, "q": 4}, [_sum("S", "t", ["p", "q"])])
    a = minimal_changes(s, s.violated(), budget=1)
    b = minimal_changes(s, s.violated(), budget=1)
    assert a.truncated and [x.keys for x in a.solutions] == [x.keys for x in b.solutions]


def test_a_larger_budget_finds_what_a_smaller_one_did_and_more():
    # the budget cuts the search's fixed order of sets: each budget solves a prefix of it
    s = _system({"a": 5, "b": 3, "c": 2, "d": 4, "r1": 9, "r2": 6, "c1": 6, "c2": 8, "t": 13},
                [_sum("R1", "r1", ["a", "b"]), _sum("R2", "r2", ["c", "d"]), _sum("C1", "c1", ["a", "c"]),
                 _sum("C2", "c2", ["b", "d"]), _sum("T", "t", ["r1", "r2"])])
    full = minimal_changes(s, s.violated())
    assert not full.truncated and full.solutions
    before: list[tuple[str, ...]] = []
    for budget in range(1, 200):
        got = minimal_changes(s, s.violated(), budget=budget)
        keys = [x.keys for x in got.solutions]
        if not got.truncated:
            assert keys == [x.keys for x in full.solutions] and got.size == full.size
            break
        assert got.size in (0, full.size) and set(before) <= set(keys) <= {x.keys for x in full.solutions}
        before = keys
    else:
        raise AssertionError("no budget was enough")


def _ev(**stated) -> Evidence:
    ev = Evidence(values={}, totals={"total"})
    for k, v in stated.items():
        ev.stated[k] = [F(v)]
    return ev


def test_slips():
    ev = _ev()
    assert classify("x", F(138), F(183), ev).kind == "transposition"
    assert classify("x", F(183), F(1383), ev).kind == "dropped_digit"
    assert classify("x", F(183), F(18), ev).kind == "extra_digit"
    assert classify("x", F(1833), F(183), ev).en == "a digit doubled: 183 printed as 1833"
    assert classify("x", F(173), F(183), ev).kind == "one_digit"
    assert classify("x", F(224), F(235), ev).kind == "arithmetic"
    assert classify("total", F(0), F(11), ev).kind == "zero_total"
    assert classify("part", F(0), F(11), ev).kind == "zero"
    assert classify("x", F(224), F(235), _ev(x=235)).kind == "narrative"
    assert classify("x", F(5), F(3), ev).kind == "arithmetic"  # one digit of one: no evidence


def test_neighbour_copy():
    ev = Evidence(values={"a": F(57), "b": F(57)}, neighbours={"a": ["b"], "b": ["a"]}, labels={"b": ("乙", "B")})
    s = classify("a", F(57), F(31), ev)
    assert s.kind == "neighbour" and "乙" in s.zh


def test_propose_offers_slip_values():
    got = propose("x", F(183), _ev(x=200))
    assert got == [200, 813, 138]
