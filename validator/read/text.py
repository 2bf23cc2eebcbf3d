"""Plain text (and Markdown) input.

- Lines wrapped inside a paragraph (text copied from a PDF: a sentence continues on the next line
  with no blank line between) are joined into one block, each line keeping its own position.
- Markdown pipe tables (``| 一、本年新收… | 95 | 0 | … |``) become table grids.
- Everything else is one block per line. Tables flattened into text (one cell per line, one row per
  line) are recognised later by the extractor, which knows the template's labels.
"""

from __future__ import annotations

import re

from validator.errors import InputError
from validator.read.decode import decode_bytes
from validator.read.document import Block, Cell, Document, Table

_END = tuple("。！？；：!?;:）)”")
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}\s*[、.．](?!\d)|#)")
# A line ending in three or more numbers (a table row), matched on the reversed line: searching for
# (?:[\s|]+[-−]?\d[\d,.]*){3,}\s*\|?\s*$ forwards takes time quadratic in the length of a run of numbers.
_ROWLIKE_REVERSED = re.compile(r"\s*\|?\s*(?:[\d,.]*\d[-−]?[\s|]+){3}")
_PIPE = re.compile(r"^\s*\|.*\|\s*$")
# never two \s* side by side: on a long run of spaces that would take quadratic time
_SEPARATOR = re.compile(r"^\s*(?:\|\s*)?:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*(?:\|\s*)?$")


def read_text(data: bytes, path: str) -> Document:
    text, encoding = decode_bytes(data, path)
    if not text.strip():
        raise InputError(path, "is empty")
    lines = text.split("\n")
    blocks: list[Block] = []
    tables: list[Table] = []
    joined: dict[int, list[tuple[int, str]]] = {}  # blocks of several lines: (line number, text) of each
    previous = ""  # the last line added to the current block ("" when the block is closed)
    table_end = 0  # the lines before it are a pipe table's, read already
    for i, line in enumerate(lines):
        if not line or line.isspace():  # (most lines of a text saved from a page: tested first)
            previous = ""
            continue
        if i < table_end:
            continue
        if "|" in line and _PIPE.match(line):
            j = i
            while j < len(lines) and (_PIPE.match(lines[j]) or _SEPARATOR.match(lines[j])):
                j += 1
            tables.append(_pipe_table(lines, i, j, blocks[-1].text if blocks else ""))
            for n in range(i, j):  # also as text, for tables whose Markdown grid came out scrambled
                if not _SEPARATOR.match(lines[n]):
                    blocks.append(Block(lines[n].replace("|", " "), [(0, n + 1, 1, None)], where="table"))
            table_end, previous = j, ""
            continue
        if previous and _continues(previous, line):
            parts = joined.get(len(blocks) - 1)
            if parts is None:  # (the block still holds its first line alone)
                first = blocks[-1]
                parts = joined[len(blocks) - 1] = [(first.anchors[0][1], first.text)]
            parts.append((i + 1, line))
        else:
            blocks.append(Block(line, [(0, i + 1, 1, None)]))  # (Block.at(line, i + 1), without the call: one a line)
        previous = line
    for bi, parts in joined.items():  # joined once here: appending line by line would be quadratic
        offsets, pos = [], 0
        for n, text in parts:
            offsets.append((pos, n, 1, None))
            pos += len(text)
        block = blocks[bi]
        block.text = "".join(text for _, text in parts)
        block.anchors = offsets
    return Document(path=path, format="text", lines=lines, blocks=blocks, tables=tables, encoding=encoding)


def _continues(previous: str, line: str) -> bool:
    """Whether ``line`` goes on with the sentence ``previous`` left unfinished (a wrapped paragraph)."""
    p = previous.rstrip()
    if len(p.strip()) < 18 or p.endswith(_END) or _rowlike(p) or _rowlike(line):
        return False
    return not _HEADING.match(line)


def _rowlike(line: str) -> bool:
    """Does ``line`` end in three or more numbers, as a table row printed on one line does?"""
    return _ROWLIKE_REVERSED.match(line[::-1]) is not None


def _pipe_table(lines: list[str], start: int, end: int, caption: str) -> Table:
    rows: list[list[Cell]] = []
    for n in range(start, end):
        line = lines[n]
        if _SEPARATOR.match(line):
            continue
        cells: list[Cell] = []
        bars = [m.start() for m in re.finditer(r"(?<!\\)\|", line)]
        for a, b in zip(bars, bars[1:], strict=False):
            raw = line[a + 1:b]
            lead = len(raw) - len(raw.lstrip())
            cells.append(Cell(text=raw.strip().replace("\\|", "|"), line=n + 1, column=a + 2 + lead, raw=raw))
        rows.append(cells)
    width = max((len(r) for r in rows), default=0)
    for r in rows:
        while len(r) < width:
            r.append(Cell(text="", line=r[-1].line if r else 0, column=len(lines[r[-1].line - 1]) if r else 0))
    return Table(rows=rows, line=start + 1, caption=caption[-80:])
