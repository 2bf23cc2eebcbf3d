"""The shortcuts of ``suggest`` give what the full localisation gives.

``suggest`` ranks candidates by ``kinds_factor(slip_kinds(…))`` (a slip's factor without its texts) and builds only the
candidates its texts name; ``localise`` and ``suggestions`` build them all with ``classify``. The texts,
and the factors, must be the same.
"""

from __future__ import annotations

import random
from fractions import Fraction as F

from validator.localise import suggest, suggestion_en, suggestions
from validator.localise.slips import (
    Evidence,
    _digits,
    _kinds,
    _one_dropped,
    classify,
    kinds_factor,
    slip_kinds,
)


def _values(rng: random.Random) -> list[F | int]:
    """Printed and corrected values of every sort the slips look at."""
    out: list[F | int] = [0, 1, 9, 10, 18, 81, 100, 138, 183, 1383, 1833, 18, 1038, -3, -30, 235, 253, 2350]
    out += [rng.randint(0, 3000) for _ in range(30)]
    out += [F(rng.randint(1, 999), rng.choice((2, 5, 10, 100))) for _ in range(10)]
    return out


def test_the_ranking_factor_is_the_factor_of_classify():
    rng = random.Random(7)
    keys = [f"k{i}" for i in range(8)]
    for _ in range(60):
        vals = _values(rng)
        values = {k: rng.choice(vals) for k in keys}
        ev = Evidence(values=values, totals={k for k in keys if rng.random() < 0.3},
                      blank={k for k in keys if rng.random() < 0.2},
                      neighbours={k: rng.sample(keys, 3) for k in keys})
        for k in keys:
            for v in rng.sample(vals, 3):
                ev.stated.setdefault(k, []).append(v)
                ev.stated_by_value.setdefault(v, []).append(k)
        for _ in range(200):
            key = rng.choice(keys)
            old, new = rng.choice(vals), rng.choice(vals)
            for o, n in ((old, new), (F(old), F(new))):  # whole values as ints (the system's) and as Fractions
                assert kinds_factor(slip_kinds(key, o, n, ev)) == classify(key, o, n, ev).factor, (key, o, n)


def _digit_slips(a: str, b: str) -> list[str]:
    """The digit slips turning ``b`` into ``a``, as first written (every test on every pair)."""
    out = []
    if len(a) == len(b) and a != b:
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
            out.append("transposition")
    if _one_dropped(b, a) is not None and len(a) >= 2:
        out.append("dropped_digit")
    if _one_dropped(a, b) is not None and len(b) >= 2:
        out.append("extra_digit")
    if len(a) == len(b) > 1 and sum(x != y for x, y in zip(a, b, strict=True)) == 1:
        out.append("one_digit")
    return out


def test_the_digit_slips_are_found_as_first_written():
    rng = random.Random(5)
    ev = Evidence()
    numbers = [0, 1, 5, 10, 11, 12, 21, 100, 101, 110, 183, 138, 1383, 1833, 1838, 18, 83, 813, 1883, 1183]
    numbers += [rng.randint(0, 10 ** rng.randint(1, 5)) for _ in range(150)]
    for old in numbers:
        for new in numbers:
            want = _digit_slips(_digits(F(old)), _digits(F(new)))
            assert [k for k in _kinds("k", old, new, ev) if k not in ("zero", "zero_total")] == want, (old, new)


def test_suggest_writes_what_the_full_localisation_writes(seed):
    from tests.localise.experiment import with_values
    from validator.engine import evaluate

    ex, _ = seed
    rng = random.Random(11)
    figures = [f for f in ex.table if f.state == "value" and f.value is not None and float(f.value).is_integer()]
    variants = []
    for _ in range(60):
        changed = rng.sample(figures, rng.randint(1, 3))
        variants.append(with_values(ex, {f.key: max(0, int(f.value) + rng.choice((-10, -1, 1, 9, 100))) for f in changed}))
    outcomes = evaluate(ex.ruleset, variants)
    many = 0
    for variant, outcome in zip(variants, outcomes, strict=True):
        full = suggestions(variant, outcome.findings)
        many += any(len(s.candidates) > 3 for s in full.values())
        got = suggest(variant, outcome.findings)
        assert len(got) == len(outcome.findings)
        for f, g in zip(outcome.findings, got, strict=True):
            s = full.get(f.fingerprint)
            assert g.suggestion == (s.text_zh if s else f.suggestion)
            if s:
                assert suggestion_en(g) == s.text_en
    assert many  # some searches have more candidates than the texts name
