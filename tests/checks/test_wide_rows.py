"""The wide frame, built in one loop over every report's figures, holds what ``Extraction.row`` says."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from validator.checks import Context
from validator.pipeline import Options, prepare

_CORPUS = sorted(p for p in (Path(__file__).parents[1] / "data" / "corpus").iterdir() if p.suffix in (".txt", ".html"))


@pytest.mark.parametrize("path", _CORPUS, ids=lambda p: p.name)
def test_wide_frame_is_the_rows(path):
    ex = prepare(str(path), Options()).extraction
    keys = list(ex.ruleset.figures)
    values, decimals = ex.row(keys)
    ctx = Context.build(ex.ruleset, [ex, ex])
    for i in range(2):
        assert np.array_equal(ctx.columns(keys)[i], np.array(values, dtype=float), equal_nan=True)
        assert np.array_equal(ctx.columns(["~dec:" + k for k in keys])[i], np.array(decimals, dtype=float))
