"""Fixtures for the localisation tests: extractions of the seed and of the corpus reports, with their findings."""

from __future__ import annotations

import pytest

from tests.localise.experiment import CORPUS, SEED, load


def _evaluated(path):
    from validator.engine import evaluate

    ex = load(path)
    return ex, evaluate(ex.ruleset, [ex])[0].findings


@pytest.fixture(scope="session")
def seed():
    """The seed's Extraction and findings (O6: 224 ≠ 52 + 183)."""
    return _evaluated(SEED)


@pytest.fixture(scope="session")
def hongzequ():
    """洪泽 2023: table 四's 行政复议 and 复议后起诉 totals printed as 0."""
    return _evaluated(CORPUS / "2023_hongzequ.pdf")
