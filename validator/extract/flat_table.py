"""Statistics tables flattened into text, one cell per line (a web page saved as text).

The seed's appendix reads: a label line (perhaps followed by a bracketed note line), an optional
unit line, then the value line, with blank or ``&nbsp;`` lines between. Labels are matched to the
template's figures; section headings (``四、行政复议数量``) tell apart labels printed twice
(``被依法纠错数`` under both 复议 and 诉讼).
"""

from __future__ import annotations

from dataclasses import dataclass

from validator.extract.figures import Figure
from validator.extract.labels import LabelIndex, numbering_of
from validator.numbers import nfkc, parse_stripped_cell
from validator.read.document import Document

UNIT_WORDS = {"条", "件", "次", "个", "人", "名", "元", "万元", "人次", "篇", "项", "期", "份", "家", "场"}


@dataclass
class _Pending:
    key: str | None
    label: str
    block: int
    filled: bool = False
    unit: str = ""


def extract_flat_table(doc: Document, index: LabelIndex) -> tuple[list[Figure], set[int]]:
    """Figures of a one-cell-per-line table, and the indices of the blocks that belong to it."""
    figures: list[Figure] = []
    used: set[int] = set()
    section: str | None = None
    pending: _Pending | None = None
    for i, block in enumerate(doc.blocks):
        raw = block.text
        t = raw.replace("\xa0", " ").replace("\u3000", " ").strip()
        if not t:
            continue
        state, value, decimals = parse_stripped_cell(t)
        if state in ("value", "dash", "none"):
            if pending and pending.key and not pending.filled:
                offset = len(raw) - len(raw.lstrip(" \t\xa0\u3000"))
                line, column, page = block.place(offset)
                fdef = index.ruleset.figures[pending.key]
                figures.append(Figure(  # positional, in field order: keywords take twice as long
                    pending.key, pending.label, value, decimals, state, pending.unit or fdef.unit, "table",
                    line, column, page, t, pending.label))
                pending.filled = True
                used.update((pending.block, i))
            continue
        if len(t) <= 2 and nfkc(t) in UNIT_WORDS:  # (NFKC never makes a unit word of a longer text)
            if pending and not pending.filled:
                pending.unit = t
            continue
        if len(t) > 150 or "。" in t:
            pending = None  # a narrative paragraph
            continue
        sid = index.section_of(t)
        if sid:
            section = sid
        if pending and not pending.filled and t[0] in "(（" and not numbering_of(t):
            pending.label += t  # a bracketed note under the label
            if pending.key is None:
                pending.key = index.match(pending.label, section)
            continue
        key = index.match(t, section)
        if key is None and pending and not pending.filled and pending.key is None:
            joined = pending.label + t  # a label wrapped onto the next line
            key = index.match(joined, section)
            if key:
                pending = _Pending(key, joined, pending.block)
                continue
        pending = _Pending(key, t, i)
    return figures, used
