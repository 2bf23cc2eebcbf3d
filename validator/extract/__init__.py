"""From a Document to figures: the table's cells and the narrative's statements, each located.

``extract(doc, ruleset)`` returns an ``Extraction`` holding the long figure frame (one row per
figure, table and narrative alike), the wide table frame the identity rules run on, and the
narrative's percentages and outcome breakdowns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from validator.extract.figures import Figure, to_frame
from validator.extract.labels import label_index
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
    body: str | None = None
    year: int | None = None
    derived: list[Figure] = field(default_factory=list)

    def table_figure(self, key: str) -> Figure | None:
        return self._by_key.get(key)

    def __post_init__(self) -> None:
        self._by_key: dict[str, Figure] = {}
        for f in self.table:
            self._by_key.setdefault(f.key, f)
        for f in self.derived:
            self._by_key.setdefault(f.key, f)

    def value(self, key: str) -> float | None:
        """A figure's value for arithmetic: blank counts as 0 where the template says blank means zero."""
        f = self._by_key.get(key)
        return None if f is None else _arithmetic(f, self.ruleset.figures)

    def snapshot(self, keys: set[str]) -> Extraction:
        """A small copy holding only ``keys``' figures (what cross-year rules read), without the document."""
        doc = Document(path=self.doc.path, format=self.doc.format, lines=[])
        table = [f for f in self.table + self.derived if f.key in keys]
        return Extraction(doc, self.ruleset, table, Narrative([], [], []), body=self.body, year=self.year)

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


def _arithmetic(f: Figure, figures: dict[str, Any]) -> float | None:
    """``Extraction.value`` of the figure ``f``: its value, 0 for a dash, none or a blank meaning zero, else None."""
    state = f.state
    if state == "value":
        return f.value
    if state in ("dash", "none") or (state == "blank" and figures[f.key].blank == "zero"):
        return 0.0
    return None


def extract(doc: Document, ruleset: RuleSet, body: str | None = None, year: int | None = None) -> Extraction:
    """Read every figure of ``doc`` the template ``ruleset`` knows."""
    notes: list[str] = []
    used: set[int] | dict[int, list[tuple[int, int]]] = set()
    if ruleset.grids:
        from validator.extract.grid import extract_grids

        table, notes = extract_grids(doc, ruleset)
        if doc.format == "text":  # no table structure, or Markdown tables that came out scrambled
            from validator.extract.text_grid import extract_text_grids

            text_table, text_used, text_notes = extract_text_grids(doc, ruleset)
            if _filled(text_table) > _filled(table):
                table, used, notes = text_table, text_used, text_notes
    else:
        from validator.extract.flat_table import extract_flat_table

        table, used = extract_flat_table(doc, label_index(ruleset))
    narrative = extract_narrative(doc, ruleset, skip_blocks=used)
    ex = Extraction(doc, ruleset, table, narrative, notes, body, year)
    ex.derived = _derive(ex)
    by_key = ex._by_key  # (what __post_init__ would make again: the table's figures, then the derived)
    for f in ex.derived:
        by_key.setdefault(f.key, f)
    return ex


def _filled(figures: list[Figure]) -> int:
    return sum(1 for f in figures if f.state != "unreadable")


def wide_rows(extractions: list[Extraction], keys: list[str]) -> tuple[list[float], list[int]]:
    """Every report's row of the wide frame, concatenated: the value of each figure key as ``Extraction.value``
    reads it (NaN if unknown), and its decimals (0 unless printed).

    (``value``'s reading written out in one loop over every figure of every report: the per-figure calls were
    most of building the wide frame.)
    """
    nan = float("nan")
    values: list[float] = []
    decimals: list[int] = []
    add_value, add_decimals = values.append, decimals.append
    for ex in extractions:
        zero_blank = ex.ruleset.memo("blank_zero", _blank_zero)
        for f in map(ex._by_key.get, keys):
            if f is None:
                add_value(nan)
                add_decimals(0)
            elif (state := f.state) == "value":
                v = f.value
                add_value(nan if v is None else v)
                add_decimals(0 if v is None else f.decimals)
            elif state == "dash" or state == "none" or (state == "blank" and f.key in zero_blank):
                add_value(0.0)
                add_decimals(0)
            else:
                add_value(nan)
                add_decimals(0)
    return values, decimals


def _derive(ex: Extraction) -> list[Figure]:
    """Figures the template defines from others: a row's total as printed or else summed, group totals."""
    out: list[Figure] = []
    derived = ex.ruleset.memo("derived_figures", _derived_figures)
    if not derived:
        return out
    by_key = ex._by_key
    blank_zero = ex.ruleset.memo("blank_zero", _blank_zero)
    # every figure's value for arithmetic (ex.value, _arithmetic without the call: most cells are blank),
    # a derived figure's replacing it once worked out
    values = {k: f.value if (state := f.state) == "value" else
              0.0 if state in ("dash", "none") or (state == "blank" and k in blank_zero) else None
              for k, f in by_key.items()}
    get = values.get
    for fdef, summed in derived:
        v: float | None = None
        source = fdef.prefer
        if source:
            preferred = by_key.get(source)
            v = get(source) if preferred is not None and preferred.state == "value" else None
        if v is None:
            parts = [get(k) for k in fdef.sum_of]
            if None in parts or not parts:
                missing = [k for k, p in zip(fdef.sum_of, parts, strict=True) if p is None]
                if len(missing) == len(parts) or any(k not in fdef.optional for k in missing):
                    continue  # a sum with a part not read is unknown, not smaller
                v = sum(p for p in parts if p is not None)
            else:
                v = sum(parts)
            source = ""  # the first part read
            for k in fdef.sum_of:
                if k in by_key:
                    source = k
                    break
        values[fdef.key] = v
        anchor = by_key.get(source) if source else None
        if anchor is None:
            line, column, page, text = 0, 0, None, ""
        else:
            line, column, page, text = anchor.line, anchor.column, anchor.page, anchor.text
        out.append(Figure(fdef.key, fdef.label, v, 0, "value", fdef.unit, "derived", line, column, page, text,
                          summed if source != fdef.prefer else fdef.label))
    return out


def _blank_zero(ruleset: RuleSet) -> frozenset[str]:
    """The keys of the figures whose blank cell means zero."""
    return frozenset(k for k, f in ruleset.figures.items() if f.blank == "zero")


def _derived_figures(ruleset: RuleSet) -> list[tuple[Any, str]]:
    """The template's derived figures, each with the labels of its parts joined (its context when summed)."""
    return [(f, "＋".join(ruleset.label(k) for k in f.sum_of)) for f in ruleset.figures.values() if f.derived]
