"""Statistics tables flattened into text, one cell per line (a web page saved as text).

The seed's appendix reads: a label line (perhaps followed by a bracketed note line), an optional
unit line, then the value line, with blank or ``&nbsp;`` lines between. Labels are matched to the
template's figures; section headings (``四、行政复议数量``) tell apart labels printed twice
(``被依法纠错数`` under both 复议 and 诉讼).
"""

from __future__ import annotations

from validator.extract.figures import Figure
from validator.extract.labels import LabelIndex, numbering_of
from validator.numbers import nfkc, parse_stripped_cell
from validator.read.document import Document

UNIT_WORDS = {"条", "件", "次", "个", "人", "名", "元", "万元", "人次", "篇", "项", "期", "份", "家", "场"}


def extract_flat_table(doc: Document, index: LabelIndex) -> tuple[list[Figure], set[int]]:
    """Figures of a one-cell-per-line table, and the indices of the blocks that belong to it."""
    figures: list[Figure] = []
    used: set[int] = set()
    section: str | None = None
    # The label line read last, while it waits for its value (``waiting``): its figure's key, its label,
    # its block and the unit printed under it. (Locals, not an object: most lines are labels.)
    waiting = False
    key: str | None = None
    label, block_of_label, unit = "", 0, ""
    for i, block in enumerate(doc.blocks):
        raw = block.text
        t = raw.replace("\xa0", " ").replace("\u3000", " ").strip()
        if not t:
            continue
        state, value, decimals = parse_stripped_cell(t)
        if state in ("value", "dash", "none"):
            if waiting and key:
                offset = len(raw) - len(raw.lstrip(" \t\xa0\u3000"))
                line, column, page = block.place(offset)
                figures.append(Figure(  # positional, in field order: keywords take twice as long
                    key, label, value, decimals, state, unit or index.ruleset.figures[key].unit, "table",
                    line, column, page, t, label))
                waiting = False
                used.update((block_of_label, i))
            continue
        if len(t) <= 2 and nfkc(t) in UNIT_WORDS:  # (NFKC never makes a unit word of a longer text)
            if waiting:
                unit = t
            continue
        if len(t) > 150 or "。" in t:
            waiting = False  # a narrative paragraph
            continue
        sid = index.section_of(t)
        if sid:
            section = sid
        if waiting and t[0] in "(（" and not numbering_of(t):
            label += t  # a bracketed note under the label
            if key is None:
                key = index.match(label, section)
            continue
        found = index.match(t, section)
        if found is None and waiting and key is None:
            joined = label + t  # a label wrapped onto the next line
            found = index.match(joined, section)
            if found:
                key, label, unit = found, joined, ""
                continue
        waiting, key, label, block_of_label, unit = True, found, t, i, ""
    return figures, used
