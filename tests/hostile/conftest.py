"""Fixtures for the hostile-input tests: the seed report and a corpus page, as bytes."""

from __future__ import annotations

import pytest

from tests.hostile.builders import SEED, SHANGHAI


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    return SEED.read_bytes()


@pytest.fixture(scope="session")
def shanghai_bytes() -> bytes:
    return SHANGHAI.read_bytes()
