"""A figure as read from the document, and the long frame that holds them (one row per figure)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

COLUMNS = ["key", "label", "value", "decimals", "state", "unit", "source", "line", "column", "page", "text",
           "context", "where"]


@dataclass(slots=True)
class Figure:
    """One number (or empty cell) read from a table or the narrative, with where it was printed."""

    key: str
    label: str
    value: float | None
    decimals: int
    state: str  # value / blank / dash / none / missing
    unit: str
    source: str  # table / narrative
    line: int
    column: int
    page: int | None = None
    text: str = ""
    context: str = ""
    where: str = ""

    def as_row(self) -> dict[str, Any]:
        return asdict(self)


def to_frame(figures: list[Figure]) -> Any:
    """The long frame of ``../shared/design.md``: one row per figure."""
    import pandas as pd

    if not figures:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    return pd.DataFrame([f.as_row() for f in figures], columns=COLUMNS)
