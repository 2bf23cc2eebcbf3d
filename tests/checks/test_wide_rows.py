"""The wide frame, built in one loop over every report's figures, holds what ``Extraction.value`` reads."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from validator.checks import Context
from validator.checks.base import DEC
from validator.extract import wide_rows
from validator.pipeline import Options, prepare

_CORPUS = sorted(p for p in (Path(__file__).parents[1] / "data" / "corpus").iterdir() if p.suffix in (".txt", ".html"))


@pytest.mark.parametrize("path", _CORPUS, ids=lambda p: p.name)
def test_wide_frame_is_each_figures_value_and_decimals(path):
    ex = prepare(str(path), Options()).extraction
    keys = list(ex.ruleset.figures)
    expected = [math.nan if ex.value(k) is None else ex.value(k) for k in keys]
    figures = [ex.table_figure(k) for k in keys]
    expected_decimals = [f.decimals if f is not None and f.state == "value" and f.value is not None else 0
                         for f in figures]
    values, decimals = wide_rows([ex, ex], keys)
    assert np.array_equal(values, expected * 2, equal_nan=True) and decimals == expected_decimals * 2
    ctx = Context.build(ex.ruleset, [ex, ex])
    for i in range(2):
        assert np.array_equal(ctx.columns(keys)[i], np.array(expected, dtype=float), equal_nan=True)
        assert np.array_equal(ctx.columns([DEC + k for k in keys])[i], np.array(expected_decimals, dtype=float))
