"""The reader's output: narrative blocks and table grids, every piece with its source position.

Every reader (text, HTML, PDF, Word) produces a ``Document``; the extractor never looks at the
original format. Lines and columns are 1-based, columns counted in characters of the decoded text.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Position:
    line: int
    column: int
    page: int | None = None


@dataclass
class Block:
    """A run of narrative text (a paragraph, or one line of a text file).

    ``anchors`` maps offsets in ``text`` to source positions: ``(offset, line, column, page)`` means
    ``text[offset]`` was printed at that line and column; characters after it follow on the same line.
    """

    text: str
    anchors: list[tuple[int, int, int, int | None]]
    where: str = ""  # a format-specific place, e.g. "第12段" (Word) — optional
    _offsets: tuple[list, list[int]] | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def at(cls, text: str, line: int, column: int = 1, page: int | None = None) -> Block:
        return cls(text, [(0, line, column, page)])

    def locate(self, offset: int) -> Position:
        return Position(*self.place(offset))

    def place(self, offset: int) -> tuple[int, int, int | None]:
        """``locate`` as a plain ``(line, column, page)``: for callers that locate many offsets."""
        anchors = self.anchors
        if len(anchors) == 1:  # fast path: one anchor (a line of a text file)
            start, line, column, page = anchors[0]
            return line, column + (offset - start), page
        held = self._offsets
        if held is None or held[0] is not anchors:  # worked out once per anchor list
            held = self._offsets = (anchors, [a[0] for a in anchors])
        start, line, column, page = anchors[max(bisect.bisect_right(held[1], offset) - 1, 0)]
        return line, column + (offset - start), page

    @property
    def line(self) -> int:
        return self.anchors[0][1] if self.anchors else 0


@dataclass(slots=True)
class Cell:
    """One grid cell after row/column spans are expanded.

    ``text`` is the cell's text with white space collapsed (``&nbsp;`` becomes a space, then
    stripped); ``raw`` keeps what was printed. A spanned copy has ``spanned=True`` and the
    position of the cell it copies (the copies of one cell may be one object: cells are not
    changed once a reader has made its grid).
    """

    text: str
    line: int
    column: int
    page: int | None = None
    raw: str = ""
    spanned: bool = False
    where: str = ""  # a format-specific place, e.g. "表格2 第3行 第4列" (Word) — optional


@dataclass
class Table:
    """A rectangular grid of cells, row by row."""

    rows: list[list[Cell]]
    line: int = 0
    page: int | None = None
    caption: str = ""

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class Document:
    """A decoded input: its text lines (for quoting), narrative blocks and tables in reading order."""

    path: str
    format: str  # "text", "html", "pdf", "docx"
    lines: list[str]
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    encoding: str = "utf-8"

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)
