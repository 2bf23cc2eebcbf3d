"""PDF input (with pdfplumber): ruled tables as grids, the text around them as narrative paragraphs.

Only visible rules count as table borders: many PDFs paint white boxes behind every line of text,
and those would otherwise turn whole pages into one-column "tables". A table cut by a page break
(no closing rule at the bottom of one page, no opening rule at the top of the next) is closed, and
the two parts are joined into one ``Table`` when they line up.

``Document.lines`` is an extracted text of the whole document: one line per narrative line and one
line per table row (cells separated by a tab, spanned copies printed empty), in page order. Every
block anchor and cell position points into those lines; ``page`` is the 1-based PDF page.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field

from validator.errors import InputError
from validator.read.cjk import join_pieces, wide
from validator.read.decode import UNPRINTABLE
from validator.read.document import Block, Cell, Document, Table

_SNAP = 3.0  # points: coordinates closer than this are the same rule
_CAPTION_MAX = 80
_PAGE_NUMBER = re.compile(r"^[-－—–_\s]*(?:第\s*)?[0-9０-９]+\s*(?:页)?(?:\s*[/／]\s*[0-9]+|\s*共\s*[0-9]+\s*页)?[-－—–_\s]*$")
_ENUMERATED = re.compile(r"^\s*(?:[（(][一二三四五六七八九十0-9]+[)）]|[0-9]+[.．、]|[一二三四五六七八九十]+、)")
_NUMBER = re.compile(r"^\s*[-－−]?[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?\s*[%％]?\s*$")


# ---------------------------------------------------------------------------------------------
# Text helpers


def _clean(text: str) -> str:
    """Collapse white space, and drop the spaces a PDF leaves between two CJK characters."""
    text = UNPRINTABLE.sub("\ufffd", re.sub(r"[\s\u3000\xa0]+", " ", text)).strip()
    if " " not in text:
        return text
    out = []
    for i, ch in enumerate(text):
        if ch == " " and 0 < i < len(text) - 1 and wide(text[i - 1]) and wide(text[i + 1]):
            continue
        out.append(ch)
    return "".join(out)


def _is_number(text: str) -> bool:
    return bool(_NUMBER.match(text))


def _white(color: object) -> bool:
    if isinstance(color, (int, float)):
        color = (color,)
    if not isinstance(color, (tuple, list)) or not color or not all(isinstance(v, (int, float)) for v in color):
        return False
    if len(color) == 4:  # CMYK
        return all(v <= 0.05 for v in color)
    return all(v >= 0.95 for v in color)


def _visible_rule(obj: dict) -> bool:
    """Keep characters and the graphics that can be table rules (painted, not white)."""
    kind = obj.get("object_type")
    if kind in {"line", "curve"}:
        return not _white(obj.get("stroking_color"))
    if kind == "rect":
        if obj.get("stroke") and not _white(obj.get("stroking_color")):
            return True
        thin = min(obj.get("width", 0), obj.get("height", 0)) < 3
        return bool(obj.get("fill")) and thin and not _white(obj.get("non_stroking_color"))
    return kind == "char"


def _cluster(values: list[float]) -> list[float]:
    """Sorted coordinates with near-duplicates (within ``_SNAP``) merged."""
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= _SNAP:
            continue
        out.append(v)
    return out


def _index(bounds: list[float], v: float) -> int:
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - v))


# ---------------------------------------------------------------------------------------------
# Page content


@dataclass
class _Line:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    text: str
    size: float


@dataclass(eq=False)
class _PCell:
    text: str
    page: int
    x0: float
    x1: float
    rows: int = 1  # rows spanned
    line: int = 0
    column: int = 0


@dataclass
class _PTable:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    bounds: list[float]  # column boundaries (x)
    grid: list[list[_PCell | None]]  # rows of origin references (the same object where spanned)
    row_pages: list[int] = field(default_factory=list)
    row_tops: list[float] = field(default_factory=list)


def _closing_rules(edges: list[dict]) -> list[dict]:
    """Horizontal rules that close tables cut by a page break.

    Where several vertical rules end at the same height with no horizontal rule there, the table
    continues on another page: add the missing rule so that its last (or first) row is found.
    """
    verticals = [e for e in edges if e.get("orientation") == "v"]
    horizontals = [e for e in edges if e.get("orientation") == "h"]
    added: list[dict] = []
    for key in ("top", "bottom"):
        groups: list[list[dict]] = []
        for e in sorted(verticals, key=lambda e: e[key]):
            if groups and e[key] - groups[-1][0][key] <= _SNAP:
                groups[-1].append(e)
            else:
                groups.append([e])
        for group in groups:
            xs = _cluster([e["x0"] for e in group])
            if len(xs) < 2:
                continue
            y = sum(e[key] for e in group) / len(group)
            x0, x1 = xs[0], xs[-1]
            covered = sum(
                max(0.0, min(h["x1"], x1) - max(h["x0"], x0))
                for h in horizontals
                if abs(h["top"] - y) <= _SNAP
            )
            if covered < 0.9 * (x1 - x0):
                added.append({
                    "object_type": "synthetic_edge", "orientation": "h", "x0": x0, "x1": x1,
                    "top": y, "bottom": y, "width": x1 - x0, "height": 0.0,
                })
    return added


def _cell_text(chars: list[dict]) -> str:
    from pdfplumber.utils import extract_text

    if not chars:
        return ""
    text = extract_text(chars)
    return _clean(join_pieces([_clean(line) for line in text.split("\n")]))


def _read_table(table: object, chars: list[dict], page_no: int) -> _PTable | None:
    cells = [c for c in table.cells if c[2] - c[0] > 1 and c[3] - c[1] > 1]  # type: ignore[attr-defined]
    if not cells:
        return None
    xs = _cluster([v for c in cells for v in (c[0], c[2])])
    ys = _cluster([v for c in cells for v in (c[1], c[3])])
    if len(xs) < 3 or len(ys) < 2:  # a single column: a frame around text, not a table
        return None
    inside: dict[int, list[dict]] = {}
    boxes = sorted(enumerate(cells), key=lambda ic: (ic[1][1], ic[1][0]))
    for ch in chars:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        for i, (x0, top, x1, bottom) in boxes:
            if x0 <= cx < x1 and top <= cy < bottom:
                inside.setdefault(i, []).append(ch)
                break
    grid: list[list[_PCell | None]] = [[None] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    for i, (x0, top, x1, bottom) in sorted(enumerate(cells), key=lambda ic: (ic[1][1], ic[1][0])):
        c0, c1, r0, r1 = _index(xs, x0), _index(xs, x1), _index(ys, top), _index(ys, bottom)
        if c1 <= c0 or r1 <= r0:
            continue
        cell = _PCell(_cell_text(inside.get(i, [])), page_no, xs[c0], xs[c1], rows=r1 - r0)
        for r in range(r0, r1):
            for c in range(c0, c1):
                if grid[r][c] is None:
                    grid[r][c] = cell

    def sliver(r: int) -> bool:  # a thin empty band, e.g. between a rule and one added by _closing_rules
        return ys[r + 1] - ys[r] < 4 and all(
            c is not None and not c.text and (r == 0 or grid[r - 1][k] is not c) for k, c in enumerate(grid[r])
        )

    keep = [r for r in range(len(grid)) if any(grid[r]) and not sliver(r)]
    grid = [grid[r] for r in keep]
    if not grid or not any(c is not None and c.text for row in grid for c in row):
        return None
    x0, top, x1, bottom = table.bbox  # type: ignore[attr-defined]
    return _PTable(
        page=page_no, top=top, bottom=bottom, x0=x0, x1=x1, bounds=xs, grid=grid,
        row_pages=[page_no] * len(grid), row_tops=[ys[r] for r in keep],
    )


def _read_page(page: object, page_no: int) -> tuple[list[_Line], list[_PTable], int]:
    """Narrative lines, tables and the number of non-blank characters on one page."""
    if all(c["x1"] - c["x0"] > 0.01 for c in page.chars if c.get("text", "").strip()):  # type: ignore[attr-defined]
        # Text printed twice (fake bold) is printed once. Not when glyphs have no width (a missing or
        # broken font): every character then sits where the previous one did, and "2555" would become "25".
        page = page.dedupe_chars()  # type: ignore[attr-defined]
    chars = [c for c in page.chars if c.get("text", "").strip()]
    if not chars:
        return [], [], 0
    ruled = page.filter(_visible_rule)
    edges = ruled.edges
    settings: dict = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
    extra = _closing_rules(edges)
    if extra:
        settings["explicit_horizontal_lines"] = extra
    tables: list[_PTable] = []
    if edges:
        for found in ruled.find_tables(table_settings=settings):
            x0, top, x1, bottom = found.bbox
            mine = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
            t = _read_table(found, mine, page_no)
            if t is not None:
                tables.append(t)

    def outside(obj: dict) -> bool:
        if obj.get("object_type") != "char":
            return False
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(t.x0 <= cx <= t.x1 and t.top <= cy <= t.bottom for t in tables)

    lines: list[_Line] = []
    for raw in page.filter(outside).extract_text_lines(strip=True, return_chars=True):
        text = _clean(raw["text"])
        if text:
            sizes = sorted(c.get("size", 0) or (c["bottom"] - c["top"]) for c in raw["chars"])
            size = sizes[len(sizes) // 2] if sizes else raw["bottom"] - raw["top"]
            lines.append(_Line(page_no, raw["top"], raw["bottom"], raw["x0"], raw["x1"], text, size))
    return lines, tables, len(chars)


# ---------------------------------------------------------------------------------------------
# Tables across pages


def _regrid(table: _PTable, bounds: list[float]) -> None:
    """Re-express ``table``'s grid over finer column ``bounds`` (spans widen as needed)."""
    rows: list[list[_PCell | None]] = []
    for row in table.grid:
        new: list[_PCell | None] = []
        for k in range(len(bounds) - 1):
            mid = (bounds[k] + bounds[k + 1]) / 2
            found = None
            for cell in row:
                if cell is not None and cell.x0 <= mid <= cell.x1:
                    found = cell
                    break
            new.append(found)
        rows.append(new)
    table.grid = rows
    table.bounds = bounds


def _replace(grid: list[list[_PCell | None]], old: _PCell, new: _PCell) -> None:
    for row in grid:
        for k, cell in enumerate(row):
            if cell is old:
                row[k] = new


def _merge(a: _PTable, b: _PTable) -> None:
    """Append ``b`` (the part of a table on the next page) to ``a``."""
    bounds = _cluster(a.bounds + b.bounds)
    _regrid(a, bounds)
    _regrid(b, bounds)
    # a header repeated at the top of the next page
    k = 0
    while k < min(3, len(b.grid) - 1, len(a.grid)) and [c.text if c else "" for c in b.grid[k]] == [
        c.text if c else "" for c in a.grid[k]
    ]:
        k += 1
    b_rows, b_pages, b_tops = b.grid[k:], b.row_pages[k:], b.row_tops[k:]  # never empty: k < len(b.grid)
    last, first = a.grid[-1], b_rows[0]
    first_cells = {id(c): c for c in first if c is not None}
    values = [j for j, c in enumerate(last) if c is not None and _is_number(c.text)]
    if (
        values
        and all(first[j] is None or not first[j].text for j in values)  # type: ignore[union-attr]
        and not any(_is_number(c.text) for c in first_cells.values())
        and any(c.text for c in first_cells.values())
    ):
        # a row cut in two by the page break: its wrapped labels continue on the next page
        for j, cell in enumerate(first):
            above = last[j]
            if cell is None or above is None or cell is above or id(cell) not in first_cells:
                continue
            if cell.text:
                above.text = join_pieces([above.text, cell.text])
            first_cells.pop(id(cell))
            _replace(b_rows, cell, above)
        b_rows, b_pages, b_tops = b_rows[1:], b_pages[1:], b_tops[1:]
    else:
        for j, cell in enumerate(first):
            above = last[j]
            if cell is None or above is None or id(cell) not in first_cells:
                continue
            if abs(cell.x0 - above.x0) > _SNAP or abs(cell.x1 - above.x1) > _SNAP:
                continue
            if not above.text or _is_number(above.text):
                continue
            if not cell.text:
                pass  # a merged cell continued: copy the one above
            elif cell.rows > 1 and above.rows == 1 and not _is_number(cell.text) and not _ENUMERATED.match(cell.text):
                above.text = join_pieces([above.text, cell.text])  # its label went on over the page break
            else:
                continue
            above.rows += cell.rows
            first_cells.pop(id(cell))
            _replace(b_rows, cell, above)
    a.grid.extend(b_rows)
    a.row_pages.extend(b_pages)
    a.row_tops.extend(b_tops)
    a.bottom = b.bottom


def _continues(a: _PTable, b: _PTable, lines_between: list[_Line]) -> bool:
    """Is ``b`` (first on its page) the rest of ``a`` (last on the page before)?"""
    if b.page != a.row_pages[-1] + 1:
        return False
    if any(not _PAGE_NUMBER.match(line.text) for line in lines_between):
        return False
    same_frame = abs(a.x0 - b.x0) <= 2 * _SNAP and abs(a.x1 - b.x1) <= 2 * _SNAP
    same_columns = len(a.bounds) == len(b.bounds)
    return same_frame or same_columns


# ---------------------------------------------------------------------------------------------
# The document


def _margins(lines: list[_Line]) -> tuple[float, float]:
    """The body's left and right margins (the most common line start, the usual line end)."""
    from collections import Counter

    starts = Counter(round(line.x0) for line in lines if not _PAGE_NUMBER.match(line.text))
    ends = sorted(line.x1 for line in lines)
    left = starts.most_common(1)[0][0] if starts else 0.0
    right = ends[int(len(ends) * 0.9)] if ends else 0.0
    return float(left), right


def read_pdf(data: bytes, path: str) -> Document:
    """Read a PDF with a text layer into a Document; raise InputError for anything unreadable."""
    import pdfplumber

    for name in ("pdfminer", "pdfplumber"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if b"%PDF" not in data[:1024]:
        raise InputError(path, "is not a valid PDF file (no %PDF header)")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as e:  # pdfplumber wraps every pdfminer failure
        raise _problem(path, e) from e
    try:
        with pdf:
            pages = [_read_page(page, k) for k, page in enumerate(pdf.pages, 1)]
            textless = sum(n for _, _, n in pages) < 10
            pictures = textless and any(page.images for page in pdf.pages)
    except InputError:
        raise
    except Exception as e:
        raise _problem(path, e) from e
    if not pages:
        raise InputError(path, "is not a valid PDF file (it has no pages)")
    if textless and pictures:
        raise InputError(path, "has no text layer (a scanned image?); it cannot be checked without OCR")
    if textless:
        raise InputError(path, "has no text: its pages are blank, or their content is missing or damaged")
    return _assemble(path, pages)


_LIBRARIES = ("pdfminer", "pdfplumber", "PIL", "pypdfium2", "charset_normalizer", "cryptography", "zlib")
_REPR_TAIL = re.compile(r":\s*(?:[\[<({]|/?b?['\"]|\\x).*$")  # ": [/'GS13', /b'\\xdd', <PDFObjRef:3>]", ": /b'Fl\\xfe'"


def _problem(path: str, e: Exception) -> InputError:
    """The one-line reason a PDF cannot be read; a bug in this module is re-raised, not blamed on the file."""
    inner = e
    while inner.args and isinstance(inner.args[0], Exception):  # pdfplumber wraps pdfminer's exceptions
        inner = inner.args[0]
    names = " ".join(c.__name__ for c in type(inner).__mro__).lower()
    if "password" in names or "encrypt" in names or "password" in str(inner).lower():
        return InputError(path, "is an encrypted PDF that cannot be opened without its password")
    if isinstance(inner, RecursionError):
        return InputError(path, "is nested too deeply to be read")
    if isinstance(inner, MemoryError):
        return InputError(path, "is too large to be read in memory")
    from pdfminer.psexceptions import PSException

    if type(inner).__name__ == "PSEOF":
        detail = "unexpected end of file; is it truncated?"
    elif isinstance(inner, PSException) or type(inner).__name__ == "MalformedPDFException":  # the library's own complaint
        detail = _REPR_TAIL.sub("", (str(inner).strip() or type(inner).__name__).splitlines()[0]).strip()
        if "/Root" in detail:  # pdfminer: "No /Root object! - Is this really a PDF?"
            detail = "damaged: it has no document catalogue; is it truncated, or not really a PDF?"
        elif type(inner).__name__ == "PDFObjectNotFound":
            detail = f"damaged: object {detail} is missing"
        elif not re.search("[A-Za-z]{3}", detail):  # a bare number or a repr: name the exception too
            detail = f"damaged: {type(inner).__name__} {detail}".strip()
    elif _raised_in(inner, _LIBRARIES):  # TypeError, KeyError… deep in pdfminer: the file is damaged
        detail = f"damaged: the PDF library failed with {type(inner).__name__}"
    else:
        raise e
    return InputError(path, f"is not a valid PDF file ({detail[:120]})")


def _raised_in(e: BaseException, packages: tuple[str, ...]) -> bool:
    """Was ``e`` raised inside one of ``packages`` rather than in this program (the innermost frame
    that belongs to either; frames in the standard library do not count)?"""
    tb, owner = e.__traceback__, ""
    while tb is not None:
        top = tb.tb_frame.f_globals.get("__name__", "").split(".")[0]
        if top in packages or top == "validator":
            owner = top
        tb = tb.tb_next
    return owner in packages


def _assemble(path: str, pages: list[tuple[list[_Line], list[_PTable], int]]) -> Document:
    # join tables cut by page breaks
    tables: list[_PTable] = []
    for k, (lines, page_tables, _) in enumerate(pages):
        for t in page_tables:
            prev = tables[-1] if tables else None
            if prev is not None and t is page_tables[0] and prev.row_pages[-1] == k:
                between = [line for line in pages[k - 1][0] if line.top >= prev.bottom - 1]
                between += [line for line in lines if line.bottom <= t.top + 1]
                if _continues(prev, t, between):
                    _merge(prev, t)
                    continue
            tables.append(t)

    # reading order: narrative lines and table rows by page, then height
    items: list[tuple[int, float, int, _Line | tuple[_PTable, int]]] = []
    for lines, _, _ in pages:
        items.extend((line.page, line.top, 0, line) for line in lines)
    for t in tables:
        for r, (page, top) in enumerate(zip(t.row_pages, t.row_tops, strict=True)):
            items.append((page, top, 1, (t, r)))
    items.sort(key=lambda it: (it[0], it[1], it[2]))
    left, right = _margins([it[3] for it in items if isinstance(it[3], _Line)])

    doc_lines: list[str] = []
    blocks: list[Block] = []
    row_lines: dict[tuple[int, int], int] = {}
    captions: dict[int, str] = {}
    para: list[tuple[_Line, int]] = []
    prev_line: _Line | None = None
    last_is_para = False  # the latest block is a paragraph with no table after it

    def flush() -> None:
        nonlocal para, last_is_para
        if para:
            text = ""
            anchors: list[tuple[int, int, int, int | None]] = []
            for line, line_no in para:
                joined = join_pieces([text, line.text])
                anchors.append((len(joined) - len(line.text), line_no, 1, line.page))
                text = joined
            blocks.append(Block(text, anchors))
            last_is_para = True
        para = []

    for _, _, _, obj in items:
        if isinstance(obj, tuple):
            t, r = obj
            if r == 0:
                flush()
                if last_is_para and len(blocks[-1].text) <= _CAPTION_MAX:
                    captions[id(t)] = blocks[-1].text
                last_is_para = False
            row_lines[(id(t), r)] = _add_row(doc_lines, t, r)
            prev_line = None
            continue
        doc_lines.append(obj.text.replace("\t", " "))
        line_no = len(doc_lines)
        if _PAGE_NUMBER.match(obj.text):
            # a page number: its own block, and no break in a paragraph running over the page
            blocks.append(Block(obj.text, [(0, line_no, 1, obj.page)]))
            continue
        if para and prev_line is not None and _continues_paragraph(prev_line, obj, left, right):
            para.append((obj, line_no))
        else:
            flush()
            para = [(obj, line_no)]
        prev_line = obj
    flush()
    blocks.sort(key=lambda b: b.line)

    result: list[Table] = []
    for t in tables:
        rows: list[list[Cell]] = []
        seen: set[int] = set()
        for r, row in enumerate(t.grid):
            cells: list[Cell] = []
            for cell in row:
                if cell is None:
                    cells.append(Cell("", row_lines[(id(t), r)], 1, page=t.row_pages[r]))
                    continue
                cells.append(Cell(cell.text, cell.line, cell.column, page=cell.page, raw=cell.text,
                                  spanned=id(cell) in seen))
                seen.add(id(cell))
            rows.append(cells)
        result.append(Table(rows, line=row_lines[(id(t), 0)], page=t.page, caption=captions.get(id(t), "")))
    return Document(path=path, format="pdf", lines=doc_lines, blocks=blocks, tables=result)


def _add_row(doc_lines: list[str], t: _PTable, r: int) -> int:
    """Print row ``r`` of ``t`` as one line (cells separated by tabs, spanned copies empty)."""
    parts: list[str] = []
    column = 1
    line_no = len(doc_lines) + 1
    for c, cell in enumerate(t.grid[r]):
        text = ""
        origin = cell is not None and cell.line == 0 and (c == 0 or t.grid[r][c - 1] is not cell)
        if origin:
            text = cell.text.replace("\t", " ")  # type: ignore[union-attr]
            cell.line, cell.column = line_no, column  # type: ignore[union-attr]
        parts.append(text)
        column += len(text) + 1
    doc_lines.append("\t".join(parts))
    return line_no


def _continues_paragraph(prev: _Line, line: _Line, left: float, right: float) -> bool:
    """Does ``line`` carry on the paragraph that ``prev`` ended (prev filled the line, no indent)?"""
    size = max(prev.size, 1.0)
    full = prev.x1 >= right - 1.5 * size
    indented = line.x0 > left + 0.8 * size
    if not full or indented:
        return False
    if line.page == prev.page:
        return 0 < line.top - prev.top <= 2.5 * size
    return line.page == prev.page + 1
