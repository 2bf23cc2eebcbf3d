"""The experiment: alter each table figure of a consistent real report in turn, and localise the alteration.

Reports: the seed with its staff total corrected to 235 (table and narrative; old 2014 table), 淮安市 2024
(PDF) and 平潭 2021 (HTML), both 2021 format and consistent as published. Styles: ±1, ±10, transposed
digits, set to 0. Where the rules catch the alteration and the minimal change set is unique, the altered
figure must be the top candidate and its suggested value the original, in at least 90% of the trials.
"""

from __future__ import annotations

import pytest

from tests.localise.experiment import REPORTS, rates, run, table


@pytest.fixture(scope="module")
def trials():
    return [t for name in REPORTS for t in run(name)]


def test_rates(trials, capsys):
    with capsys.disabled():
        print("\n" + table(trials))
    r = rates(trials)
    assert r["unique"] >= 500  # most alterations of the 2021 tables are pinned down by their two rules
    assert r["unique_top"] >= 0.9
    assert r["unique_restored"] >= 0.9
    # over every caught alteration, unique or not, the slips and the narrative still rank the truth first mostly
    assert r["detected_top"] >= 0.8


@pytest.mark.parametrize("style", ["±1", "±10", "transpose", "zero"])
def test_each_style_is_exercised(trials, style):
    r = rates([t for t in trials if t.style == style])
    assert r["unique"] >= 20
    assert r["unique_top"] >= 0.9 and r["unique_restored"] >= 0.9


def test_slips_are_recognised(trials):
    caught = [t for t in trials if t.detected and t.top]
    kinds = {t.style: {x.kind for x in caught if x.style == t.style} for t in caught}
    assert "transposition" in kinds["transpose"]
    assert "narrative" in kinds["±1"]  # the seed's narrative restates most of its table
    transposed = [t for t in caught if t.style == "transpose"]
    assert sum("transposition" in t.kinds for t in transposed) / len(transposed) >= 0.9
    zeroed = [t for t in caught if t.style == "zero" and t.original > 0]
    assert sum(t.kinds[0] in ("zero", "zero_total", "narrative") for t in zeroed) / len(zeroed) >= 0.8
