"""Shared fixtures: the repository root, the seed report, and a helper to validate text."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "000_a81f0d4f916600c6.txt"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_result():
    from validator.pipeline import validate_path

    return validate_path(str(SEED))


def brief(findings) -> list[tuple]:
    """(rule, severity, expected, actual) of each finding, for one-line assertions."""
    return [(f.rule, f.severity, f.expected, f.actual) for f in findings]
