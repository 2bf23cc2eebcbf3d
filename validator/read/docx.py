"""Word .docx input (with python-docx): paragraphs and tables in body order.

``Document.lines`` is an extracted text: one line per non-empty paragraph and one line per table
row (cells separated by a tab, spanned copies printed empty). Blocks and cells point into those
lines, and say where they are in Word terms: "第N段" for a paragraph, "表格N 第R行 第C列" for a
cell. Merged cells (``gridSpan`` across, ``vMerge`` down) are expanded into spanned copies.
A table that only lays out the page (one column, tables inside it, or long prose in a cell) is
read as narrative.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from validator.errors import InputError
from validator.read.cjk import join_pieces
from validator.read.decode import UNPRINTABLE
from validator.read.document import Block, Cell, Document, Table

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _TBL, _TR, _TC, _R, _T = _W + "p", _W + "tbl", _W + "tr", _W + "tc", _W + "r", _W + "t"
_SKIP_IN_PARAGRAPH = {_W + "txbxContent", _W + "del", _W + "moveFrom", _MC + "Fallback", _W + "rPr", _W + "pPr"}
_CAPTION_MAX = 80
_LONG_CELL = 400
_MAX_CELLS = 200_000  # grid positions of one table: more (gridSpan in the thousands) is read as narrative
_MAX_UNPACKED = 512 * 1024 * 1024  # bytes of all the parts together (a zip bomb is refused)
_XML_WHERE = re.compile(r"\s*\(<string>, line \d+\)\s*$")


def _collapse(text: str) -> str:
    return re.sub(r"[\s\u3000\xa0]+", " ", text).strip()


def _val(el: object, path: str) -> str | None:
    found = el.find(path)  # type: ignore[attr-defined]
    if found is None:
        return None
    return found.get(_W + "val", "")


def _int(value: str | None, default: int = 1) -> int:
    try:
        return max(1, min(int(value or default), 1000))
    except ValueError:
        return default


def _paragraph_raw(p: object) -> str:
    """The text of a ``w:p``: runs, hyperlinks, fields and insertions; deletions, text boxes and
    hidden runs left out. Line breaks are kept as "\\n", tabs as "\\t"."""
    out: list[str] = []
    stack = [iter(p)]  # type: ignore[call-overload]
    while stack:
        el = next(stack[-1], None)
        if el is None:
            stack.pop()
            continue
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP_IN_PARAGRAPH:
            continue
        if tag == _R and el.find(_W + "rPr/" + _W + "vanish") is not None:
            v = _val(el, _W + "rPr/" + _W + "vanish")
            if v not in {"0", "false", "off"}:
                continue
        if tag == _T:
            out.append(el.text or "")
        elif tag in {_W + "tab", _W + "ptab"}:
            out.append("\t")
        elif tag in {_W + "br", _W + "cr"}:
            out.append("\n")
        elif tag == _W + "noBreakHyphen":
            out.append("-")
        elif tag == _W + "sym":
            char = el.get(_W + "char", "")
            try:
                code = int(char, 16)
                symbol = chr(code - 0xF000 if code >= 0xF000 else code)
            except ValueError:  # not hexadecimal, or beyond U+10FFFF
                continue
            out.append("\ufffd" if UNPRINTABLE.match(symbol) else symbol)
        elif tag == _P:
            if out:
                out.append("\n")
            stack.append(iter(el))
        else:
            stack.append(iter(el))
    return "".join(out)


def _paragraph_text(p: object) -> str:
    raw = _paragraph_raw(p)
    return join_pieces([_collapse(part) for part in raw.split("\n")])


@dataclass(eq=False)
class _DCell:
    text: str
    raw: str
    row: int = 0
    col: int = 0
    line: int = 0
    column: int = 0


def _cell_text(tc: object) -> tuple[str, str]:
    paragraphs = [
        _paragraph_raw(p)
        for p in tc.iter(_P)  # type: ignore[attr-defined]
        if not any(a.tag in _SKIP_IN_PARAGRAPH for a in p.iterancestors())
    ]
    parts = [_collapse(piece) for raw in paragraphs for piece in raw.split("\n")]
    return join_pieces(parts), "\n".join(paragraphs)


def _grid(tbl: object) -> list[list[_DCell | None]] | None:
    """The table's grid of origin references (spanned positions share the origin object), or None
    when its spans would make it larger than ``_MAX_CELLS`` positions."""
    grid: list[list[_DCell | None]] = []
    budget = _MAX_CELLS
    for tr in tbl.iterchildren(_TR):  # type: ignore[attr-defined]
        r = len(grid)
        before = _val(tr, _W + "trPr/" + _W + "gridBefore")
        row: list[_DCell | None] = [None] * (_int(before) if before not in {None, "", "0"} else 0)
        budget -= len(row) + 1
        if budget < 0:
            return None
        tcs = list(tr.iterchildren(_TC))
        for sdt in tr.iterchildren(_W + "sdt"):  # cells wrapped in content controls
            content = sdt.find(_W + "sdtContent")
            if content is not None:
                tcs.extend(content.iterchildren(_TC))
        for tc in tcs:
            span = _int(_val(tc, _W + "tcPr/" + _W + "gridSpan"))
            vmerge = _val(tc, _W + "tcPr/" + _W + "vMerge")
            hmerge = _val(tc, _W + "tcPr/" + _W + "hMerge")
            c = len(row)
            above = grid[r - 1][c] if r > 0 and c < len(grid[r - 1]) else None
            if vmerge is not None and vmerge != "restart" and above is not None:
                origin = above
            elif hmerge is not None and hmerge != "restart" and row and row[-1] is not None:
                origin = row[-1]
            else:
                text, raw = _cell_text(tc)
                origin = _DCell(text, raw, r, c)
            budget -= span
            if budget < 0:
                return None
            row.extend([origin] * span)
        grid.append(row)
    width = max((len(r) for r in grid), default=0)
    return grid if len(grid) * width <= _MAX_CELLS else None


def _is_layout(tbl: object, grid: list[list[_DCell | None]] | None) -> bool:
    if grid is None:
        return True
    width = max((len(r) for r in grid), default=0)
    if width <= 1 or tbl.find(".//" + _TC + "//" + _TBL) is not None:  # type: ignore[attr-defined]
        return True
    return any(c is not None and len(c.text) > _LONG_CELL for row in grid for c in row)


def _body(body: object) -> Iterator[tuple[str, object, list[list[_DCell | None]] | None]]:
    """Paragraphs and data tables in body order; content controls opened, layout tables unpacked."""
    stack = [iter(body)]  # type: ignore[call-overload]
    while stack:
        el = next(stack[-1], None)
        if el is None:
            stack.pop()
            continue
        tag = el.tag
        if tag == _P:
            yield "p", el, None
        elif tag == _TBL:
            grid = _grid(el)
            if _is_layout(el, grid):
                inner = [child for tr in el.iterchildren(_TR) for tc in tr.iterchildren(_TC) for child in tc]
                stack.append(iter(inner))
            elif grid:
                yield "t", el, grid
        elif tag == _W + "sdt":
            content = el.find(_W + "sdtContent")
            if content is not None:
                stack.append(iter(content))
        elif tag in {_W + "customXml", _W + "smartTag"}:
            stack.append(iter(el))


def _open(data: bytes, path: str) -> object:
    import docx

    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError(path, "is an old binary Word .doc file, not .docx; save it as .docx first")
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as e:
        if _first_entry_intact(data):
            raise InputError(path, "is not a valid Word .docx file (the zip archive is damaged or cut off)") from e
        raise InputError(path, "is not a valid Word .docx file (not a zip archive)") from e
    names = {i.filename for i in infos}
    unpacked = sum(i.file_size for i in infos)
    if unpacked > _MAX_UNPACKED:
        raise InputError(path, f"is too large to be read ({unpacked // (1024 * 1024)} MB unpacked; "
                               f"the limit is {_MAX_UNPACKED // (1024 * 1024)} MB)")
    if "word/document.xml" not in names:
        if "xl/workbook.xml" in names:
            raise InputError(path, "is an Excel workbook, not a Word .docx file")
        if "ppt/presentation.xml" in names:
            raise InputError(path, "is a PowerPoint file, not a Word .docx file")
        if not any(n.startswith("word/") and n.endswith(".xml") for n in names):
            raise InputError(path, "is not a valid Word .docx file (word/document.xml is missing)")
    from lxml import etree

    try:
        document = docx.Document(io.BytesIO(data))
    except etree.XMLSyntaxError as e:
        message = _XML_WHERE.sub("", str(e).strip().splitlines()[0] if str(e).strip() else "")
        if "Excessive depth" in message:
            raise InputError(path, "is nested too deeply to be read (XML elements more than 256 levels deep)") from e
        if "huge" in message.lower() or "too long" in message or "Resource limit" in message:
            raise InputError(path, "is too large to be read (an XML text or element beyond the parser's limits)") from e
        raise InputError(path, f"is not a valid Word .docx file (malformed XML: {message[:120] or 'XMLSyntaxError'})") from e
    except (AttributeError, TypeError, IndexError, AssertionError) as e:  # deep in python-docx: a damaged part
        raise InputError(path, f"is not a valid Word .docx file (damaged: the Word library failed with "
                               f"{type(e).__name__})") from e
    except Exception as e:  # python-docx raises KeyError, ValueError, zip errors…
        message = str(e.args[0]) if isinstance(e, KeyError) and e.args else str(e)
        detail = message.strip().splitlines()[0] if message.strip() else type(e).__name__
        detail = re.sub(r"\s+and header b['\"].*$", "", detail)  # zipfile: "File name in directory 'x' and header b'…'"
        if detail.startswith("no relationship of type") and detail.rstrip("'").find("officeDocument") > 0:
            detail = "_rels/.rels names no main document"
        raise InputError(path, f"is not a valid Word .docx file ({detail[:120]})") from e
    if getattr(document.element, "body", None) is None:
        raise InputError(path, "is not a valid Word .docx file (word/document.xml has no document body)")
    return document


def _first_entry_intact(data: bytes) -> bool:
    """Does ``data`` start like a real zip (a local header naming a file) though its directory is gone?"""
    if not data.startswith(b"PK\x03\x04") or len(data) < 30:
        return False
    name_length = int.from_bytes(data[26:28], "little")
    name = data[30 : 30 + name_length]
    return 0 < name_length <= 1024 and len(name) == name_length and all(32 <= c < 127 for c in name)


def read_docx(data: bytes, path: str) -> Document:
    """Read a Word .docx into a Document; raise InputError for a file that is not one, or is empty."""
    document = _open(data, path)
    lines: list[str] = []
    blocks: list[Block] = []
    tables: list[Table] = []
    last_paragraph: str | None = None  # the paragraph just before the next table, if nothing came between
    for kind, el, grid in _body(document.element.body):  # type: ignore[attr-defined]
        if kind == "p":
            text = _paragraph_text(el).replace("\t", " ")
            if not text:
                continue
            lines.append(text)
            blocks.append(Block(text, [(0, len(lines), 1, None)], where=f"第{len(blocks) + 1}段"))
            last_paragraph = text
            continue
        assert grid is not None
        number = len(tables) + 1
        width = max(len(r) for r in grid)
        first_line = len(lines) + 1
        rows: list[list[Cell]] = []
        for r, row in enumerate(grid):
            row = row + [None] * (width - len(row))
            line_no = len(lines) + 1
            parts: list[str] = []
            column = 1
            for c, cell in enumerate(row):
                text = ""
                if cell is not None and cell.line == 0:
                    cell.row, cell.col = r, c
                    cell.line, cell.column = line_no, column
                    text = cell.text.replace("\t", " ")
                parts.append(text)
                column += len(text) + 1
            lines.append("\t".join(parts))
            cells: list[Cell] = []
            for c, cell in enumerate(row):
                if cell is None:
                    cells.append(Cell("", line_no, 1 + sum(len(p) + 1 for p in parts[:c]),
                                      where=f"表格{number} 第{r + 1}行 第{c + 1}列"))
                    continue
                origin = (cell.row, cell.col) == (r, c)
                cells.append(Cell(cell.text, cell.line, cell.column, raw=cell.raw, spanned=not origin,
                                  where=f"表格{number} 第{cell.row + 1}行 第{cell.col + 1}列"))
            rows.append(cells)
        caption = last_paragraph if last_paragraph and len(last_paragraph) <= _CAPTION_MAX else ""
        tables.append(Table(rows, line=first_line, caption=caption))
        last_paragraph = None
    if not blocks and not any(c.text for t in tables for row in t.rows for c in row):
        raise InputError(path, "is empty (the document has no text)")
    return Document(path=path, format="docx", lines=lines, blocks=blocks, tables=tables)
