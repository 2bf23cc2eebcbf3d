"""choose_template's pruned marker search against the plain count over every rule set, on random cases."""

from __future__ import annotations

import random
from types import SimpleNamespace

from validator.detect import choose_template
from validator.read.document import Block, Document


def _plain_choice(year, text, rulesets):
    """The choice as first written: every marker of every rule set counted, then a stable sort."""
    scores = []
    for rs in rulesets:
        hits = sum(1 for m in rs.markers if m in text)
        in_years = year is not None and rs.years[0] <= year <= rs.years[1]
        scores.append((hits, in_years, rs))
    by_year = next((rs.template for _, ok, rs in scores if ok and not rs.regional), "")
    scores.sort(key=lambda s: (s[0], s[1]), reverse=True)
    if not scores or (scores[0][0] == 0 and not scores[0][1]):
        return None, by_year
    return scores[0][2], by_year


def test_pruned_choice_is_the_plain_choice() -> None:
    rng = random.Random(7)
    words = ["甲乙", "丙丁", "戊", "己庚辛", "壬", "癸子", "丑寅", "卯"]
    for _ in range(3000):
        rulesets = []
        for n in range(rng.randint(0, 5)):
            lo = rng.randint(2010, 2022)
            rulesets.append(SimpleNamespace(
                template=f"t{n}", markers=tuple(rng.choice(words) for _ in range(rng.randint(0, 5))),
                years=(lo, lo + rng.randint(0, 6)), regional=rng.random() < 0.3))
        text = "".join(rng.choice(words) for _ in range(rng.randint(0, 6)))
        doc = Document(path="x", format="text", lines=[], blocks=[Block.at(text, 1)])
        year = rng.choice([None, *range(2010, 2030)])
        got = choose_template(year, doc, rulesets)
        want = _plain_choice(year, text, rulesets)
        assert got[1] == want[1]
        assert got[0] is want[0]
