"""Fixtures for the format readers: where the copied corpus reports are."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    return CORPUS
