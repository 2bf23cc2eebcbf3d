"""Statistics tables flattened into text, one cell per line (a web page saved as text).

The seed's appendix reads: a label line (perhaps followed by a bracketed note line), an optional
unit line, then the value line, with blank or ``&nbsp;`` lines between. Labels are matched to the
template's figures; section headings (``四、行政复议数量``) tell apart labels printed twice
(``被依法纠错数`` under both 复议 and 诉讼).
"""

from __future__ import annotations

from validator.extract.figures import Figure
from validator.extract.labels import LabelIndex
from validator.numbers import ARABIC_LONGEST, CELL_FIRST, nfkc, parse_stripped_cell
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
    figure_defs = index.ruleset.figures
    line_of = index.line  # (section, key) of a label line, by the line and the section it is read in
    for i, block in enumerate(doc.blocks):
        raw = block.text
        # raw.replace("\xa0", " ").replace("\u3000", " ").strip(), replacing only what the strip left (it
        # strips both spaces: what is left of them is inside the line, where spaces stay spaces)
        t = raw.strip()
        if not t:
            continue
        if "\xa0" in t or "\u3000" in t:
            t = t.replace("\xa0", " ").replace("\u3000", " ")
        # parse_stripped_cell(t), its first tests without the call: most lines are text, most others digits
        if t[0] not in CELL_FIRST:
            state = "text"
        elif t.isdigit() and t.isascii() and len(t) <= ARABIC_LONGEST:
            state, value, decimals = "value", float(t), 0
        else:
            state, value, decimals = parse_stripped_cell(t)
        if state in ("value", "dash", "none"):
            if waiting and key:
                offset = len(raw) - len(raw.lstrip(" \t\xa0\u3000"))
                line, column, page = block.place(offset)
                figures.append(Figure(  # positional, in field order: keywords take twice as long
                    key, label, value, decimals, state, unit or figure_defs[key].unit, "table",
                    line, column, page, t, label))
                waiting = False
                used.add(block_of_label)
                used.add(i)
            continue
        if len(t) <= 2 and nfkc(t) in UNIT_WORDS:  # (NFKC never makes a unit word of a longer text)
            if waiting:
                unit = t
            continue
        if len(t) > 150 or "。" in t:
            waiting = False  # a narrative paragraph
            continue
        # index.section_of(t); whether the line is a bracketed note; else index.match(t, section) in the
        # section the line leaves in force (a note's match is needed only when no label waits for it)
        sid, found, note = line_of(t, section)
        if sid:
            section = sid
        if note:
            if waiting:
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
