"""HTML input: narrative blocks and table grids, every character traced to its source line and column.

A small tolerant tokenizer and tree builder (no recursion, so nothing is too deep to read) keeps the
offset of every text run and entity in the decoded source. Tables that hold data become ``Table``
grids with row and column spans expanded; layout tables (ones that wrap other tables, have a single
column, or hold long prose) are read as narrative containers instead.
"""

from __future__ import annotations

import bisect
import html as _html
import re
from collections import Counter
from html.entities import html5 as _HTML5

from validator.errors import InputError
from validator.read.cjk import wide
from validator.read.decode import decode_bytes, mostly_utf8
from validator.read.document import Block, Cell, Document, Table

# ---------------------------------------------------------------------------------------------
# Encoding

_META_CHARSET = re.compile(rb"""<meta\b[^>]{0,1024}?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml\b[^>]{0,1024}?\bencoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)


def sniff_charset(data: bytes) -> str | None:
    """The charset a page declares (``<meta charset>``, http-equiv Content-Type, or an XML declaration)."""
    head = data[:65536]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return m.group(1).decode("ascii").lower() if m else None


# ---------------------------------------------------------------------------------------------
# Tree

_VOID = {
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "hr", "img", "input", "keygen",
    "link", "meta", "param", "source", "track", "wbr", "frame", "spacer", "image",
}
# Elements whose content is raw text up to their end tag (never parsed as markup).
_RAW = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"}
# Elements whose content is not shown.
_SKIP = {
    "head", "script", "style", "title", "noscript", "template", "xml", "svg", "math", "iframe",
    "object", "select", "textarea", "button", "noembed", "noframes", "xmp", "plaintext", "datalist",
}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_CLOSES_P = {
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl",
    "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "hr", "li", "main",
    "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "ul", "dd", "dt", "listing",
} | _HEADINGS
_BLOCK = _CLOSES_P | {
    "body", "html", "caption", "tbody", "thead", "tfoot", "tr", "td", "th", "br", "legend", "option",
    "#root", "frameset",
}
_HEAD_CONTENT = {"meta", "link", "title", "style", "script", "base", "noscript", "template", "object", "bgsound"}
_TABLE_PARTS = {"tbody", "thead", "tfoot"}
_CELL_SCOPE = {"td", "th", "table", "caption", "#root"}
_MAX_END_SEARCH = 2000

_NAME_END = re.compile(r"[\t\n\f\r />]")
_START_TAG = re.compile(r"""<([A-Za-z][^\t\n\f\r />]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_START_TAG_LOOSE = re.compile(r"<([A-Za-z][^\t\n\f\r />]*)([^>]*)>")
_END_TAG = re.compile(r"</([A-Za-z][^\t\n\f\r />]*)[^>]*>")
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")
_ENTITY = re.compile(r"&(?:#([0-9]{1,10})|#[xX]([0-9a-fA-F]{1,8})|([A-Za-z][A-Za-z0-9]{0,40}))(;?)")
_SPECIAL = re.compile(r"[<&]")
_DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


class _Element:
    __slots__ = ("tag", "attrs", "start", "children", "nested", "hidden")

    def __init__(self, tag: str, attrs: dict[str, str], start: int) -> None:
        self.tag = tag
        self.attrs = attrs
        self.start = start
        self.children: list[_Element | tuple] = []
        self.nested = False  # a table holding another table
        self.hidden = "hidden" in attrs or bool(_DISPLAY_NONE.search(attrs.get("style", "")))


def _parse_attrs(text: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for m in _ATTR.finditer(text):
        name = m.group(1).lower()
        value = m.group(2) or ""
        if value[:1] in {'"', "'"}:
            value = value[1:-1]
        attrs.setdefault(name, _html.unescape(value))
    return attrs


def _decode_entity(text: str, i: int) -> tuple[str, int] | None:
    """The entity at ``text[i]`` (an ``&``): (decoded text, length in the source), or None."""
    m = _ENTITY.match(text, i)
    if not m:
        return None
    if m.group(1) is not None or m.group(2) is not None:
        return _html.unescape(m.group(0) if m.group(4) else m.group(0) + ";"), m.end() - i
    name = m.group(3)
    if m.group(4) and name + ";" in _HTML5:
        return _HTML5[name + ";"], m.end() - i
    for k in range(len(name), 1, -1):  # legacy entities without ";": the longest known prefix
        if name[:k] in _HTML5:
            return _HTML5[name[:k]], k + 1
    return None


class _TreeBuilder:
    """A tolerant HTML tree builder: implied end tags, stray end tags ignored, no recursion."""

    def __init__(self) -> None:
        self.root = _Element("#root", {}, 0)
        self.stack: list[_Element] = [self.root]
        self.open = Counter()
        self.where: dict[str, list[int]] = {"#root": [0]}  # stack indices of the open elements, by tag
        self.tables: list[_Element] = []

    # stack helpers ----------------------------------------------------------------------------
    def _push(self, el: _Element) -> None:
        self.stack[-1].children.append(el)
        self.stack.append(el)
        self.open[el.tag] += 1
        self.where.setdefault(el.tag, []).append(len(self.stack) - 1)
        if el.tag == "table":
            if self.tables:
                self.tables[-1].nested = True
            self.tables.append(el)

    def _pop_to(self, index: int) -> None:
        """Pop every element at ``index`` and above."""
        while len(self.stack) > max(index, 1):
            el = self.stack.pop()
            self.open[el.tag] -= 1
            self.where[el.tag].pop()
            if el.tag == "table" and self.tables:
                self.tables.pop()

    def _find(self, names: set[str], boundary: set[str]) -> int | None:
        """Index of the nearest open element named in ``names``, not looking past ``boundary``
        nor more than ``_MAX_END_SEARCH`` elements down (constant time: however deep the page)."""
        where = self.where
        k = 0
        for name in names:
            open_ = where.get(name)
            if open_ and open_[-1] > k:
                k = open_[-1]
        if k == 0 or k < len(self.stack) - _MAX_END_SEARCH:
            return None
        for name in boundary:
            open_ = where.get(name)
            if open_ and open_[-1] > k:
                return None
        return k

    def _leave_head(self) -> None:
        k = self._find({"head"}, {"#root"})
        if k is not None:
            self._pop_to(k)

    # events ---------------------------------------------------------------------------------
    def text(self, node: tuple) -> None:
        if self.open["head"] and node[0] == "t" and node[2].strip():
            self._leave_head()
        self.stack[-1].children.append(node)

    def start(self, tag: str, attrs: dict[str, str], offset: int, self_closing: bool) -> None:
        if tag in {"html", "body"}:
            if tag == "body":
                self._leave_head()
            self.stack[-1].children.append(_Element("body", {}, offset))  # a block boundary
            return
        if self.open["head"] and tag not in _HEAD_CONTENT and tag != "head":
            self._leave_head()
        if tag in _CLOSES_P:
            k = self._find({"p"}, _CELL_SCOPE | {"button"})
            if k is not None:
                self._pop_to(k)
        if tag in _HEADINGS and self.stack[-1].tag in _HEADINGS:
            self._pop_to(len(self.stack) - 1)
        if tag == "li":
            k = self._find({"li"}, _CELL_SCOPE | {"ul", "ol"})
            if k is not None:
                self._pop_to(k)
        elif tag in {"dd", "dt"}:
            k = self._find({"dd", "dt"}, _CELL_SCOPE | {"dl"})
            if k is not None:
                self._pop_to(k)
        elif tag in {"td", "th"}:
            if self._find({"table"}, {"#root"}) is None:
                tag = "div"
            else:
                k = self._find({"td", "th"}, {"table"})
                if k is not None:
                    self._pop_to(k)
                k = self._find({"tr", "table"} | _TABLE_PARTS | {"caption"}, {"#root"})
                if k is not None and self.stack[k].tag == "caption":
                    self._pop_to(k)
                    k = self._find({"tr", "table"} | _TABLE_PARTS, {"#root"})
                if k is not None and self.stack[k].tag != "tr":
                    self._pop_to(k + 1)
                    self._push(_Element("tr", {}, offset))
                elif k is not None:
                    self._pop_to(k + 1)
        elif tag == "tr":
            if self._find({"table"}, {"#root"}) is None:
                tag = "div"
            else:
                k = self._find({"tr", "table"} | _TABLE_PARTS, {"#root"})
                if k is not None:
                    self._pop_to(k if self.stack[k].tag == "tr" else k + 1)
        elif tag in _TABLE_PARTS or tag == "caption":
            k = self._find({"table"}, {"#root"})
            if k is None:
                tag = "div"
            else:
                self._pop_to(k + 1)
        el = _Element(tag, attrs, offset)
        if tag in _VOID or (self_closing and ":" in tag):
            self.stack[-1].children.append(el)
        else:
            self._push(el)

    def end(self, tag: str, offset: int) -> None:
        if tag == "br":
            self.stack[-1].children.append(_Element("br", {}, offset))
            return
        if tag in {"html", "body"}:
            return
        if tag == "head":
            self._leave_head()
            return
        if tag == "p":
            k = self._find({"p"}, _CELL_SCOPE | {"button"})
            if k is None:
                self.stack[-1].children.append(_Element("p", {}, offset))
            else:
                self._pop_to(k)
            return
        if tag in {"td", "th"}:
            k = self._find({"td", "th"}, {"table"})
        elif tag == "tr":
            k = self._find({"tr"}, {"table"})
        elif tag in _TABLE_PARTS:
            k = self._find({tag}, {"table"})
        elif tag == "table":
            k = self._find({"table"}, {"#root"})
        elif tag == "caption":
            k = self._find({"caption"}, {"table", "#root"})
        else:
            k = self._find({tag}, _CELL_SCOPE | {"tr"})
        if k is not None:
            self._pop_to(k)


def _build_tree(text: str) -> _Element:
    """Tokenize ``text`` and build the element tree; text nodes keep their source offsets.

    Text nodes are ``("t", offset, text)``; entities are ``("e", offset, decoded, source_length)``.
    """
    b = _TreeBuilder()
    n = len(text)
    last_gt = text.rfind(">")  # a "<" after this cannot start a tag (and looking for one is quadratic)
    i = 0
    while i < n:
        m = _SPECIAL.search(text, i)
        j = m.start() if m else n
        if j > i:
            b.text(("t", i, text[i:j]))
        if j >= n:
            break
        i = j
        if text[i] == "&":
            ent = _decode_entity(text, i)
            if ent is None:
                b.text(("t", i, "&"))
                i += 1
            else:
                b.text(("e", i, ent[0], ent[1]))
                i += ent[1]
            continue
        # text[i] == "<"
        nxt = text[i + 1 : i + 2]
        if i > last_gt and (nxt == "/" or nxt.isalpha()):  # no tag can end: text (found in constant time)
            b.text(("t", i, "<"))
            i += 1
            continue
        if text.startswith("<!--", i):
            k = text.find("-->", i + 2)
            i = n if k < 0 else k + 3
        elif nxt in {"!", "?"}:
            k = text.find(">", i + 2)
            i = n if k < 0 else k + 1
        elif nxt == "/":
            m = _END_TAG.match(text, i)
            if m:
                b.end(m.group(1).lower(), i)
                i = m.end()
            else:
                k = text.find(">", i + 2)
                if text[i + 2 : i + 3].isalpha() or text[i + 2 : i + 3] == ">" or k < 0:
                    b.text(("t", i, "<"))
                    i += 1
                else:
                    i = k + 1  # a bogus comment such as </ 3>
        elif nxt.isalpha():
            m = _START_TAG.match(text, i) or _START_TAG_LOOSE.match(text, i)
            if not m:
                b.text(("t", i, "<"))
                i += 1
                continue
            tag = m.group(1).lower()
            rest = m.group(2)
            b.start(tag, _parse_attrs(rest), i, rest.rstrip().endswith("/"))
            i = m.end()
            if tag in _RAW and not rest.rstrip().endswith("/"):
                close = re.compile(r"</" + re.escape(tag) + r"[\t\n\f\r />]", re.IGNORECASE).search(text, i)
                if close is None or tag == "plaintext":
                    i = n
                else:
                    k = text.find(">", close.end() - 1)
                    i = n if k < 0 else k + 1
                b.end(tag, i)
        else:
            b.text(("t", i, "<"))
            i += 1
    return b.root


def _walk(root: _Element):
    """Depth-first events without recursion: ("start", el), ("end", el) and text nodes.

    The consumer may ``send(False)`` after a start event to skip that element's children.
    """
    stack: list[tuple[_Element, int]] = [(root, 0)]
    while stack:
        el, k = stack[-1]
        if k >= len(el.children):
            stack.pop()
            yield ("end", el)
            continue
        stack[-1] = (el, k + 1)
        child = el.children[k]
        if isinstance(child, _Element):
            descend = yield ("start", child)
            if descend is False:
                yield None  # the value of send()
                yield ("end", child)
            else:
                stack.append((child, 0))
        else:
            yield child


# ---------------------------------------------------------------------------------------------
# Text assembly

_WS = {" ", "\t", "\n", "\r", "\f", "\v", "\xa0", "\u3000", "\u2002", "\u2003", "\u2009", "\u200a"}
_INVISIBLE = {"\u200b", "\ufeff", "\u200c", "\u200d", "\u00ad"}
_BREAK = "\uffff"  # a block boundary inside a cell (<p>, <br>…)
_ASCII_WS = re.compile(r"[ \t\n\r\f\v]+")


def _assemble(items: list[tuple], source: str) -> tuple[str, list[int], str]:
    """Visible text of ``items`` with white space collapsed and stripped.

    Returns ``(text, offsets, raw)``: ``offsets[i]`` is the source offset of ``text[i]`` (an entity's
    characters all point at its ``&``); ``raw`` is the text before collapsing non-breaking spaces and
    stripping. A line break between two CJK characters (in the source, or a <p>/<br> boundary) joins
    them without a space.
    """
    chars: list[str] = []
    offs: list[int] = []
    for it in items:
        if it[0] == "t":
            chars.extend(it[2])
            offs.extend(range(it[1], it[1] + len(it[2])))
        elif it[0] == "e":
            chars.extend(it[2])
            offs.extend([it[1]] * len(it[2]))
        else:
            chars.append(_BREAK)
            offs.append(-1)
    raw = _ASCII_WS.sub(" ", "".join(" " if c == _BREAK else c for c in chars if c not in _INVISIBLE))
    lead = next((k for k, c in enumerate(chars) if c != _BREAK), len(chars))
    trail = next((k for k, c in enumerate(reversed(chars)) if c != _BREAK), 0)
    if lead or trail:  # boundaries before the first and after the last text are not text
        raw = _ASCII_WS.sub(" ", "".join(
            " " if c == _BREAK else c for c in chars[lead : len(chars) - trail] if c not in _INVISIBLE
        ))
    out: list[str] = []
    out_offs: list[int] = []
    pending = -2  # -2: no pending white space; otherwise the offset of its first character
    pending_break = False
    for ch, off in zip(chars, offs, strict=True):
        if ch in _INVISIBLE:
            continue
        if ch in _WS or ch == _BREAK:
            if pending == -2:
                pending = off
            elif pending == -1:
                pending = off
            if ch == _BREAK or (ch == "\n" and source[off] == "\n"):
                pending_break = True
            continue
        if pending != -2 and out:
            if not (pending_break and wide(out[-1]) and wide(ch)):
                out.append(" ")
                out_offs.append(pending if pending >= 0 else off)
        pending = -2
        pending_break = False
        out.append(ch)
        out_offs.append(off)
    return "".join(out), out_offs, raw


class _Positions:
    """Offsets in the decoded source to 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def anchors(self, offsets: list[int]) -> list[tuple[int, int, int, int | None]]:
        out: list[tuple[int, int, int, int | None]] = []
        prev = -10
        for i, off in enumerate(offsets):
            if not (off == prev + 1 and prev >= 0 and self.text[prev] != "\n"):
                line, col = self.at(off)
                out.append((i, line, col, None))
            prev = off
        return out


# ---------------------------------------------------------------------------------------------
# Reading

_LONG_CELL = 400
_MAX_CELLS = 200_000  # grid positions: more (spans of thousands of rows) is no statistics table
_CAPTION_MAX = 80


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = _Positions(source)
        self.blocks: list[Block] = []
        self.tables: list[Table] = []
        self.last_was_block = False

    def add_block(self, items: list[tuple]) -> None:
        text, offs, _ = _assemble(items, self.source)
        if text:
            self.blocks.append(Block(text, self.pos.anchors(offs)))
            self.last_was_block = True

    # tables -----------------------------------------------------------------------------------
    def _table_rows(self, table: _Element) -> tuple[list[tuple[_Element, list[_Element]]], list[tuple], str]:
        """The table's rows (each with its cells), stray text outside cells, and its caption."""
        rows: list[tuple[_Element, list[_Element]]] = []
        stray: list[tuple] = []
        caption = ""
        todo: list[_Element | tuple] = list(reversed(table.children))
        while todo:
            node = todo.pop()
            if not isinstance(node, _Element):
                if node[0] != "t" or node[2].strip():
                    stray.append(node)
                continue
            if node.tag in _SKIP or node.hidden or node.tag == "table":
                continue
            if node.tag == "caption":
                caption = caption or _assemble(self._content(node), self.source)[0]
            elif node.tag == "tr":
                cells = [c for c in node.children if isinstance(c, _Element) and c.tag in {"td", "th"}]
                rows.append((node, cells))
            else:
                todo.extend(reversed(node.children))
        return rows, stray, caption

    def _content(self, el: _Element) -> list[tuple]:
        """Text items inside ``el``, with a break at every block-level boundary."""
        items: list[tuple] = []
        walker = _walk(el)
        for ev in walker:
            if ev is None:
                continue
            if ev[0] == "start":
                child = ev[1]
                if child.tag in _SKIP or child.hidden:
                    walker.send(False)
                elif child.tag in _BLOCK:
                    items.append(("b",))
            elif ev[0] == "end":
                if ev[1].tag in _BLOCK:
                    items.append(("b",))
            else:
                items.append(ev)
        return items

    def read_table(self, table: _Element) -> Table | None:
        """The table as a grid, or None when it is a layout table (read as narrative instead)."""
        if table.nested:
            return None
        rows, stray, caption = self._table_rows(table)
        grid: list[list[Cell | None]] = []
        budget = _MAX_CELLS  # positions the spans may still fill; none left: read as narrative
        for r, (_tr, cells) in enumerate(rows):
            while len(grid) <= r:
                grid.append([])
            c = 0
            for td in cells:
                row = grid[r]
                while c < len(row) and row[c] is not None:
                    c += 1
                colspan = _span(td.attrs.get("colspan"), 1000)
                rowspan = _span(td.attrs.get("rowspan"), len(rows) - r)
                if td.attrs.get("rowspan", "").strip() == "0":
                    rowspan = len(rows) - r
                budget -= rowspan * colspan
                if budget < 0:
                    return None
                text, offs, raw = _assemble(self._content(td), self.source)
                if len(text) > _LONG_CELL:
                    return None
                line, col = self.pos.at(offs[0] if offs else td.start)
                origin = Cell(text, line, col, raw=raw)
                for dr in range(rowspan):
                    while len(grid) <= r + dr:
                        grid.append([])
                    target = grid[r + dr]
                    if len(target) < c + colspan:
                        budget -= c + colspan - len(target)
                        if budget < 0:
                            return None
                        target.extend([None] * (c + colspan - len(target)))
                    for dc in range(colspan):
                        if target[c + dc] is None:
                            target[c + dc] = origin if (dr, dc) == (0, 0) else Cell(
                                text, line, col, raw=raw, spanned=True
                            )
                c += colspan
        grid = grid[: len(rows)]
        width = max((len(row) for row in grid), default=0)
        if len(rows) * width > _MAX_CELLS:
            return None
        if width <= 1 or not any(cell is not None and cell.text for row in grid for cell in row):
            return None
        out: list[list[Cell]] = []
        for (tr, _), row in zip(rows, grid, strict=True):
            line, col = self.pos.at(tr.start)
            out.append([cell if cell is not None else Cell("", line, col) for cell in row] +
                       [Cell("", line, col) for _ in range(width - len(row))])
        if stray:
            self.add_block(stray)
        if not caption and self.last_was_block and len(self.blocks[-1].text) <= _CAPTION_MAX:
            caption = self.blocks[-1].text
        return Table(out, line=self.pos.at(table.start)[0], caption=caption)

    # the document -----------------------------------------------------------------------------
    def read(self, root: _Element) -> None:
        items: list[tuple] = []

        def flush() -> None:
            if items:
                self.add_block(items)
                items.clear()

        walker = _walk(root)
        for ev in walker:
            if ev is None:
                continue
            kind = ev[0]
            if kind == "start":
                el = ev[1]
                if el.tag in _SKIP or el.hidden:
                    walker.send(False)
                    continue
                if el.tag == "table":
                    flush()
                    table = self.read_table(el)
                    if table is not None:
                        self.tables.append(table)
                        self.last_was_block = False
                        walker.send(False)
                    continue
                if el.tag in _BLOCK:
                    flush()
            elif kind == "end":
                if ev[1].tag in _BLOCK:
                    flush()
            else:
                items.append(ev)
        flush()


def _span(value: str | None, limit: int) -> int:
    try:
        n = int(re.match(r"\s*(\d+)", value or "").group(1))  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        return 1
    return max(1, min(n, max(limit, 1)))


def read_html(data: bytes, path: str) -> Document:
    """Read an HTML page (or fragment) into a Document; positions are in the decoded source."""
    declared = sniff_charset(data)
    if declared and mostly_utf8(data):
        declared = "utf-8"  # a page saved as UTF-8 often keeps its original GBK declaration
    text, encoding = decode_bytes(data, path, declared=declared)
    if not text.strip():
        raise InputError(path, "is empty")
    reader = _Reader(text)
    reader.read(_build_tree(text))
    if not reader.blocks and not reader.tables:
        raise InputError(path, "has no visible text (a page filled in by JavaScript, or not a report?)")
    return Document(
        path=path,
        format="html",
        lines=text.split("\n"),
        blocks=reader.blocks,
        tables=reader.tables,
        encoding=encoding,
    )
