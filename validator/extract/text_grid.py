"""Grids read from text without table structure (placeholder until the text layouts are supported)."""

from __future__ import annotations

from validator.extract.figures import Figure
from validator.read.document import Document
from validator.ruleset import RuleSet


def extract_text_grids(doc: Document, ruleset: RuleSet) -> tuple[list[Figure], set[int], list[str]]:
    return [], set(), []
