"""From a Document to figures: the table's cells and the narrative's statements, each located.

``extract(doc, ruleset)`` returns an ``Extraction`` holding the long figure frame (one row per
figure, table and narrative alike), the wide table frame the identity rules run on, and the
narrative's percentages and outcome breakdowns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from validator.extract.figures import Figure, to_frame
from validator.extract.labels import LabelIndex
from validator.extract.narrative import Narrative, extract_narrative
from validator.read.document import Document
from validator.ruleset import RuleSet


@dataclass
class Extraction:
    doc: Document
    ruleset: RuleSet
    table: list[Figure]
    narrative: Narrative
    notes: list[str] = field(default_factory=list)

    def table_figure(self, key: str) -> Figure | None:
        return self._by_key.get(key)

    def __post_init__(self) -> None:
        self._by_key: dict[str, Figure] = {}
        for f in self.table:
            self._by_key.setdefault(f.key, f)

    def narrative_figures(self) -> list[Figure]:
        out = []
        for n in self.narrative.numbers:
            label = self.ruleset.label(n.key) if n.key else n.phrase
            out.append(Figure(key=n.key or "", label=label, value=n.value, decimals=n.decimals, state="value",
                              unit=n.unit, source="narrative", line=n.line, column=n.column, page=n.page,
                              text=n.text, context=n.context))
        return out

    def frame(self) -> Any:
        """Every figure, one row each (the long frame of the data contract)."""
        return to_frame(self.table + [f for f in self.narrative_figures() if f.key])

    def wide(self) -> tuple[Any, Any]:
        """One row for this report, one column per figure key: values, and decimals."""
        import pandas as pd

        keys = list(self.ruleset.figures)
        values = {k: float("nan") for k in keys}
        decimals = {k: 0 for k in keys}
        for k, f in self._by_key.items():
            if f.state == "value" and f.value is not None:
                values[k] = f.value
                decimals[k] = f.decimals
            elif f.state in ("dash", "none"):
                values[k] = 0.0  # printed as "-" or 无: nothing to report, counts as 0
        return pd.DataFrame([values], columns=keys), pd.DataFrame([decimals], columns=keys)


def extract(doc: Document, ruleset: RuleSet) -> Extraction:
    """Read every figure of ``doc`` the template ``ruleset`` knows."""
    from validator.extract.flat_table import extract_flat_table

    index = LabelIndex(ruleset)
    table, used = extract_flat_table(doc, index)
    narrative = extract_narrative(doc, ruleset, skip_blocks=used)
    return Extraction(doc, ruleset, table, narrative)
