"""HTML input: narrative blocks and table grids, every character traced to its source line and column.

A small tolerant tokenizer and tree builder (no recursion, so nothing is too deep to read) keeps the
offset of every text run and entity in the decoded source. Tables that hold data become ``Table``
grids with row and column spans expanded; layout tables (ones that wrap other tables, have a single
column, or hold long prose) are read as narrative containers instead.

Speed matters (a batch reads thousands of pages): one regular expression finds the next tag or
entity, attributes are parsed only when asked for, and text is assembled run by run, not character
by character.
"""

from __future__ import annotations

import bisect
import html as _html
import re
from collections.abc import Iterable
from html.entities import html5 as _HTML5
from itertools import accumulate, islice
from typing import Any

from validator.errors import InputError
from validator.read.cjk import wide
from validator.read.decode import decode_bytes
from validator.read.document import Block, Cell, Document, Table

# ---------------------------------------------------------------------------------------------
# Encoding

_META = r"""meta\b[^>]{0,1024}?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)"""
_XML = r"""\?xml\b[^>]{0,1024}?\bencoding\s*=\s*["']([A-Za-z0-9_.:\-]+)"""
_META_CHARSET = re.compile(("<" + _META).encode(), re.IGNORECASE)
_DECLARATION = re.compile(f"<(?:{_META}|{_XML})".encode(), re.IGNORECASE)  # (group 1: meta, 2: XML)


def sniff_charset(data: bytes) -> str | None:
    """The charset a page declares (``<meta charset>``, http-equiv Content-Type, or an XML declaration;
    a meta declaration first, wherever it is)."""
    head = data[:65536]
    m = _DECLARATION.search(head)  # (one pass over the head when it has no XML declaration before a meta one)
    if m is not None and m.group(1) is None:  # an XML declaration: a meta one after it comes first
        m = _META_CHARSET.search(head, m.start() + 1) or m
    return m.group(m.lastindex or 0).decode("ascii").lower() if m else None


# ---------------------------------------------------------------------------------------------
# Tree

_VOID = {
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "hr", "img", "input", "keygen",
    "link", "meta", "param", "source", "track", "wbr", "frame", "spacer", "image",
}
# Elements whose content is raw text up to their end tag (never parsed as markup).
_RAW = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"}
_RAW_END = {tag: re.compile(r"</" + tag + r"[\t\n\f\r />]", re.IGNORECASE) for tag in _RAW}
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
_HEAD_CONTENT = {"meta", "link", "title", "style", "script", "base", "noscript", "template", "object", "bgsound", "head"}
_TABLE_PARTS = {"tbody", "thead", "tfoot"}
_CELLS = {"td", "th"}
# Scopes for _TreeBuilder._find: an open element named here stops the search (the root always does).
_CELL_SCOPE = ("td", "th", "table", "caption")
_P_SCOPE = (*_CELL_SCOPE, "button")
_LI_SCOPE = (*_CELL_SCOPE, "ul", "ol")
_DD_SCOPE = (*_CELL_SCOPE, "dl")
_END_SCOPE = (*_CELL_SCOPE, "tr")
_ROW_PARENTS = ("tr", "table", "tbody", "thead", "tfoot")
_ROW_PARENTS_OR_CAPTION = (*_ROW_PARENTS, "caption")
_MAX_END_SEARCH = 2000
# Start tags with rules of their own (implied end tags, void, raw text, tables); any other is just pushed.
_START_RULES = _CLOSES_P | _TABLE_PARTS | _CELLS | _VOID | _RAW | {"tr", "caption", "html", "body"}
# Start tags whose only rule is to close an open <p>.
_CLOSE_P_ONLY = _CLOSES_P - _HEADINGS - _VOID - _RAW - {"li", "dd", "dt", "table"}
# The elements an end tag closes (the nearest open one), and the elements it does not look past;
# any other end tag closes the nearest open element of its name, not looking past _END_SCOPE.
_END_SEARCH = {
    "td": (("td", "th"), ("table",)),
    "th": (("td", "th"), ("table",)),
    "tr": (("tr",), ("table",)),
    "tbody": (("tbody",), ("table",)),
    "thead": (("thead",), ("table",)),
    "tfoot": (("tfoot",), ("table",)),
    "table": (("table",), ()),
    "caption": (("caption",), ("table",)),
}

# A token: a whole start tag, end tag, comment (one that never ends runs to the end) or declaration when
# there is one, else the "<" alone; an "&" with what an entity may be made of (see _ENTITY). A comment
# ends at the first "-->" from its "!-" ("<!-->" is one). (The attributes' repetition is possessive:
# giving back part of it can never be followed by ">". It is written as unquoted text, then quoted values
# each followed by unquoted text: the same match as (?:[^>"']++|"[^"]*+"|'[^']*+')*+, found faster.)
_AMPERSAND_TOKEN = r"&(?:(?:#[0-9]{1,10}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{0,40});?)?"
_TOKEN_PATTERN = (
    r"""(<(?:[A-Za-z][^\t\n\f\r />]*[^>"']*+(?:(?:"[^"]*+"|'[^']*+')[^>"']*+)*+>|/[A-Za-z][^>]*>"""
    r"""|!--(?:-?>|(?s:.*?)-->|(?s:.*))|[!?][^>]*>)?"""
    r"|" + _AMPERSAND_TOKEN + ")"
)
_TOKEN = re.compile(_TOKEN_PATTERN)
_AMPERSANDS = re.compile(_AMPERSAND_TOKEN)  # (the tokens in text without "<")
_NAME = re.compile(r"[A-Za-z][^\t\n\f\r />]*")
_QUOTES_CLOSED = re.compile(r"""[^>"']*+(?:(?:"[^"]*+"|'[^']*+')[^>"']*+)*+""")  # (a start tag's attributes, as in _TOKEN)
_START_TAG = re.compile(r"""<([A-Za-z][^\t\n\f\r />]*)((?:[^>"']++|"[^"]*+"|'[^']*+')*+)>""")
_END_TAG = re.compile(r"</([A-Za-z][^\t\n\f\r />]*)")
# Kinds of token (_TreeBuilder._kind). Start tags: one without rules of its own, one whose only rule is to
# close an open <p>, a cell, a row, any other; then an end tag, an entity, a comment or declaration, an "&"
# or "<" that starts none (or a comment that never ends).
_PUSH, _CLOSE_P, _CELL, _ROW, _RULES, _END, _ENTITY_REF, _SKIPPED, _AMPERSAND, _LESS_THAN = range(10)
_COMMENT = (_SKIPPED, "", "", False)  # (what _kind says a comment is)
_WINDOW = 32768  # (see _TreeBuilder.build)
# What tokens are (_TreeBuilder._kind, _tag_kind) and cells' spans (_Reader.read_table), kept from page to page: each
# depends on its key alone, and the pages of a batch repeat their tags. At most _MAX_KEPT of each (emptied
# when full: a page whose tags all differ gains nothing from them), keys of at most _MAX_KEY characters
# (so that what is kept stays small, whatever the pages).
_KINDS: dict[str, tuple] = {}
_TAG_KINDS: dict[str, tuple | bool] = {}  # (_TreeBuilder._tag_kind: by name)
_PART_KINDS: dict[str, tuple | bool] = {}  # (and by name + ">", a whole part: every key ends with ">")
_SPANS: dict[str, tuple[int, str | None]] = {}
_SINGLE = (1, None)  # (in _SPANS: a cell spanning nothing, the most common)
_MAX_KEPT = 4096
_MAX_KEY = 1024


def _keep(cache: dict[str, Any], key: str, value: Any) -> Any:
    """``value``, remembered under ``key`` in one of the caches kept from page to page (see above)."""
    if len(key) <= _MAX_KEY:
        if len(cache) >= _MAX_KEPT:
            cache.clear()
        cache[key] = value
    return value
_START_TAG_LOOSE = re.compile(r"<([A-Za-z][^\t\n\f\r />]*)([^>]*)>")
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")
_ENTITY = re.compile(r"&(?:#([0-9]{1,10})|#[xX]([0-9a-fA-F]{1,8})|([A-Za-z][A-Za-z0-9]{0,40}))(;?)")
_SPECIAL = re.compile(r"[<&]")
_DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_DIGITS = re.compile(r"\s*(\d+)")


# An element is a list: [tag, source, start, hidden, nested, child, child...], where ``source`` is the text
# of its attributes (see ``_parse_attrs``), ``start`` its offset, ``hidden`` whether its attributes hide it
# (see ``_hides``), ``nested`` whether it is a table holding another table; its children (elements, and text
# items, which are tuples) follow. (A list, not an object: a page has hundreds of elements, and a list is
# made in a fraction of the time, its children appended to it directly.) Hot loops index it with literals.
_Element = list
_TAG, _SOURCE, _START, _HIDDEN, _NESTED, _CHILDREN = range(6)
_REVERSED_CHILDREN = slice(None, _NESTED, -1)  # (el[_REVERSED_CHILDREN]: its children, the last first)


def _element(tag: str, source: str, start: int, hidden: bool = False) -> _Element:
    return [tag, source, start, hidden, False]


def _hides(source: str) -> bool:
    """Whether attributes ``source`` hide their element: ``hidden``, ``display: none``, ``visibility: hidden``."""
    low = source.lower()
    # Parsed only when a word can match (ignoring case, "ı" and "İ" match "i", "ſ" matches "s"; an entity, anything)
    if not ("hidden" in low or "display" in low or "&" in source or "\u0131" in source or "\u0130" in source
            or "\u017f" in source):
        return False
    attrs = _parse_attrs(source)
    return "hidden" in attrs or bool(_DISPLAY_NONE.search(attrs.get("style", "")))


def _parse_attrs(text: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for m in _ATTR.finditer(text):
        name = m.group(1).lower()
        value = m.group(2) or ""
        if value[:1] in {'"', "'"}:
            value = value[1:-1]
        attrs.setdefault(name, _html.unescape(value))
    return attrs


def _decode_entity(m: re.Match[str]) -> tuple[str, int] | None:
    """The entity ``m`` (an ``_ENTITY`` match): (decoded text, length in the source), or None."""
    if m.group(1) is not None or m.group(2) is not None:
        return _html.unescape(m.group(0) if m.group(4) else m.group(0) + ";"), len(m.group(0))
    name = m.group(3)
    if m.group(4) and name + ";" in _HTML5:
        return _HTML5[name + ";"], len(m.group(0))
    for k in range(len(name), 1, -1):  # legacy entities without ";": the longest known prefix
        if name[:k] in _HTML5:
            return _HTML5[name[:k]], k + 1
    return None


class _TreeBuilder:
    """A tolerant HTML tree builder: implied end tags, stray end tags ignored, no recursion.

    ``build`` tokenizes and handles the common cases inline (text, a start tag that closes nothing,
    an end tag of the innermost element); ``start`` and ``end`` apply the rules to the rest.
    """

    def __init__(self) -> None:
        self.root = _element("#root", "", 0)
        self.stack: list[_Element] = [self.root]
        self.heads: list[int] = []  # stack indices of open <head> elements
        self.paragraphs: list[int] = []  # and of open <p> elements
        # stack indices of the open elements, by tag
        self.where: dict[str, list[int]] = {"#root": [0], "head": self.heads, "p": self.paragraphs}
        for tag in ("table", "td", "th"):  # (their lists are looked at for every cell: kept by build)
            self.where[tag] = []
        self.hides: dict[str, bool] = {"": False}  # _hides, by attributes
        self.entities: dict[str, tuple[str, int] | None] = {}  # _decode_entity, by source
        self.kinds = _KINDS  # _kind, by token

    # stack helpers ----------------------------------------------------------------------------
    def _element(self, tag: str, source: str, offset: int) -> _Element:
        """A new element (not yet in the tree)."""
        hidden = self.hides.get(source)
        if hidden is None:
            hidden = self.hides[source] = _hides(source)
        return [tag, source, offset, hidden, False]

    def _push(self, tag: str, source: str, offset: int) -> None:
        """Open a new element in the innermost open one."""
        el = self._element(tag, source, offset)
        stack = self.stack
        stack[-1].append(el)
        open_ = self.where.get(tag)
        if open_ is None:
            open_ = self.where[tag] = []
        open_.append(len(stack))
        stack.append(el)
        if tag == "table" and len(open_) > 1:  # a table in a table (the open ones: where["table"])
            stack[open_[-2]][_NESTED] = True

    def _pop_to(self, index: int) -> None:
        """Pop every element at ``index`` and above."""
        stack = self.stack
        index = max(index, 1)
        where = self.where
        while len(stack) > index:
            tag = stack.pop()[_TAG]
            where[tag].pop()

    def _find(self, names: tuple[str, ...], boundary: tuple[str, ...] = ()) -> int | None:
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
        if self.heads and self.heads[-1] >= len(self.stack) - _MAX_END_SEARCH:
            self._pop_to(self.heads[-1])

    # tokens ---------------------------------------------------------------------------------
    def build(self, text: str) -> _Element:
        """Tokenize ``text`` and build the element tree; text nodes keep their source offsets.

        Text nodes are ``("t", offset, text)``; entities are ``("e", offset, decoded, source_length)``.
        """
        stack, where = self.stack, self.where
        heads, paragraphs, kinds = self.heads, self.paragraphs, self.kinds  # (changed in place, never replaced)
        open_tables, open_tds, open_ths = where["table"], where["td"], where["th"]  # (and these)
        tag_kinds, part_kinds = _TAG_KINDS, _PART_KINDS
        n = len(text)
        # Up to the last ">": tags, entities and text. (A "<" after it cannot start a tag, and looking for one
        # there would be quadratic: a "<" that starts no tag costs at most the distance to the last ">".)
        # For speed the text is split at every "<" at once (str.split, a window of it at a time), and a part
        # whose first ">" ends a token by itself (a start tag whose quotes close, an end tag, a declaration, a
        # short comment: see _tag_kind) is that token, the rest of the part text; at any other "<", _TOKEN
        # finds the token. When reading goes on past a part (a raw-text element, what _other_lt reads, a
        # comment holding "<"), the parts read past are skipped (counted: each "<" starts one) and reading
        # goes on where it was left; past the window, in a new window from there (so that a long stretch read
        # past, a script full of "<", is not split for nothing).
        stop = text.rfind(">") + 1
        i = 0  # where reading goes on
        while True:
            # the next window: from the next "<" to a "<" _WINDOW characters on (or the stop)
            window = text.find("<", i, stop)
            if window < 0:
                break
            if i < window:
                self._run(text, i, window)
            i = pos = window  # (pos: where the next part's "<" is)
            window_end = text.find("<", window + _WINDOW, stop)
            if window_end < 0:
                window_end = stop
            split = text[window + 1 : window_end].split("<")
            parts, looked_up = iter(split), iter(split)  # (both skipped alike: see below)
            # (the most common case, in short: a token with no text after it, such as "/td>", known by the whole
            # part, looked up in C: _tag_kind keeps what a name is under name + ">" in _PART_KINDS as well)
            current = stack[-1]  # (the innermost open element: set again after every change to the stack)
            for part, info in zip(parts, map(part_kinds.get, looked_up), strict=True):
                j = pos  # the part's "<"
                pos += len(part) + 1  # (one int made, not two: len(part) + 1 is mostly a small int, kept by Python)
                if info:
                    if info[0] == _END and current[0] == info[1]:  # (the commonest: "/td>", "/p>"; see below)
                        top = info[1]
                        del stack[-1]
                        current = stack[-1]
                        where[top].pop()
                        continue
                    end = pos  # where the token ends
                    rest = ""
                else:
                    name, gt, rest = part.partition(">")
                    info = tag_kinds.get(name) if gt else False
                    if info:  # (the common case)
                        end = pos - len(rest)
                    else:
                        if info is None:
                            info = self._tag_kind(name)
                        if info:
                            end = pos - len(rest)
                        elif part.startswith("!--") and (end := text.find("-->", j + 4, stop)) >= 0:
                            # a comment holding "<" or ">", found without _TOKEN (what it would find: a comment
                            # ending at the first ">" of its part is a whole token)
                            info = _COMMENT
                            end += 3
                            rest = None
                        else:  # (rest: None, the text after the token is not the rest of the part)
                            token = _TOKEN.match(text, j, stop).group()  # type: ignore[union-attr]
                            info = kinds.get(token) or self._kind(token)
                            end = j + len(token)
                            rest = None
                kind, tag, source, hidden = info
                if kind < _END:  # a start tag
                    # plain: the start tag implies no end tag and is not void, so it is just pushed
                    if heads:
                        plain = False
                    elif kind <= _CLOSE_P:
                        plain = kind == _PUSH or not paragraphs
                    elif kind == _RULES or not open_tables or open_tables[-1] < len(stack) - _MAX_END_SEARCH:
                        plain = False
                    elif kind == _CELL:  # a cell in the open row
                        plain = current[0] == "tr" and not open_tds and not open_ths
                    else:  # a row in the open table (part)
                        top = current[0]
                        plain = top in _ROW_PARENTS and top != "tr"
                    if plain:  # (self._push, inline; a table is never plain, so no table is nested here)
                        el = [tag, source, j, hidden, False]  # (_element)
                        current.append(el)
                        try:  # (a subscript, not where.get: no method call for the common case)
                            where[tag].append(len(stack))
                        except KeyError:  # (the first of its tag)
                            where[tag] = [len(stack)]
                        stack.append(el)
                        current = el
                        if rest == "":  # (nothing after it: the next part, in short)
                            continue
                        i = end
                    else:
                        i = self._start_tag(text, tag, source, j, end)
                        current = stack[-1]
                elif kind == _END:
                    i = end
                    top = current[0]
                    if top == tag or (top in _CELLS and tag in _CELLS):
                        # it closes the innermost element (no other can be nearer; <br>, <html> and <body>
                        # are never open)
                        del stack[-1]
                        where[top].pop()
                    else:
                        self.end(tag, j)
                    current = stack[-1]
                elif kind == _SKIPPED:  # a comment or a declaration
                    i = end
                else:  # a "<" that starts no well-formed tag (_ENTITY_REF and _AMPERSAND come in runs only)
                    i = self._other_lt(text, j)
                    current = stack[-1]
                # then the text up to the next "<"
                if i != end or rest is None:  # (reading goes on elsewhere than after a part's first ">")
                    if i > pos:  # read past the part: skip the parts that start before i, and read on from i
                        if i >= window_end:
                            break
                        skipped = text.count("<", pos, i)
                        if skipped == 1:  # (the most common: a comment holding a "<")
                            next(parts, None)
                            next(looked_up, None)
                        else:
                            next(islice(parts, skipped, skipped), None)
                            next(islice(looked_up, skipped, skipped), None)
                        pos = text.find("<", i, window_end)
                        if pos < 0:
                            break
                    rest = text[i:pos]
                if rest:
                    if "&" in rest:
                        # (a whole entity, such as "&nbsp;" in <td><p>&nbsp;</p></td>: a token as it is)
                        entity = kinds.get(rest) if rest[0] == "&" else None
                        if entity and entity[0] == _ENTITY_REF and entity[2] == len(rest):
                            current.append(("e", i, entity[1], entity[2]))
                        else:
                            self._run(text, i, pos)
                            current = stack[-1]
                    elif heads:
                        self.text(("t", i, rest))
                        current = stack[-1]
                    else:
                        current.append(("t", i, rest))
            else:  # (every part read: i, where reading goes on, is set for a part only when it is needed)
                i = window_end
        if i < stop:
            self._run(text, i, stop)
            i = stop
        # After the last ">" (or a raw-text element that runs to the end): no tag can end here.
        while i < n:
            m = _SPECIAL.search(text, i)
            j = m.start() if m else n
            if j > i:
                self.text(("t", i, text[i:j]))
            if j >= n:
                break
            if text[j] == "&":
                i = self._entity(text, j)
            elif text[j + 1 : j + 2] in {"!", "?"}:  # a comment or declaration that never ends
                i = n
            else:
                self.text(("t", j, "<"))
                i = j + 1
        return self.root

    def _run(self, text: str, i: int, end: int) -> None:
        """The text ``text[i:end]`` (which holds no "<"): text items, and entities."""
        heads, kinds = self.heads, self.kinds
        children = self.stack[-1]  # (where the text goes: only self.text, leaving <head>, changes it)
        while (j := text.find("&", i, end)) >= 0:
            if j > i:
                if heads:
                    self.text(("t", i, text[i:j]))
                    children = self.stack[-1]
                else:
                    children.append(("t", i, text[i:j]))
            # (an entity known from its ";" is that token, the one _AMPERSANDS would match: in short)
            semicolon = text.find(";", j, min(j + 44, end))
            info = kinds.get(text[j : semicolon + 1]) if semicolon >= 0 else None
            if info is None:
                token = _AMPERSANDS.match(text, j, end).group()  # type: ignore[union-attr]
                info = kinds.get(token) or self._kind(token)
            kind, decoded, length, _ = info
            if kind == _ENTITY_REF:
                children.append(("e", j, decoded, length))  # (self.text: an entity never leaves <head>)
                i = j + length
            else:  # an "&" that starts no entity
                if heads:
                    self.text(("t", j, "&"))
                    children = self.stack[-1]
                else:
                    children.append(("t", j, "&"))
                i = j + 1
        if end > i:
            if heads:
                self.text(("t", i, text[i:end]))
            else:
                children.append(("t", i, text[i:end]))

    def _tag_kind(self, name: str) -> tuple | bool:
        """What ``"<" + name + ">"`` is (see ``_kind``) when it is a whole token whatever follows it (the
        token _TOKEN finds at its "<"), else False; remembered in ``_TAG_KINDS`` (and under name + ">" in
        ``_PART_KINDS``). It is one when it is a start tag whose quotes all close before the ">" (when it
        takes the longest name, as _TOKEN tries first: a quote left open could pair with one after the ">"),
        an end tag, a declaration, or a comment that ends at this ">"."""
        first = name[:1]
        if first.isascii() and first.isalpha():
            whole = _QUOTES_CLOSED.fullmatch(name, _NAME.match(name).end()) is not None  # type: ignore[union-attr]
        elif first == "/":
            second = name[1:2]
            whole = second.isascii() and second.isalpha()
        elif name.startswith("!--"):
            whole = name in {"!--", "!---"} or (len(name) >= 5 and name.endswith("--"))
        else:
            whole = first in {"!", "?"}
        info = self._classify("<" + name + ">") if whole else False
        _keep(_PART_KINDS, name + ">", info)  # (a whole part: see build)
        return _keep(_TAG_KINDS, name, info)

    def _kind(self, token: str) -> tuple:
        """``_classify(token)``, remembered in ``self.kinds``."""
        return _keep(self.kinds, token, self._classify(token))

    def _classify(self, token: str) -> tuple:
        """What ``token`` (a ``_TOKEN`` match) is: ``(kind, tag, attributes, hidden)`` for a
        start tag, ``(_END, tag, "", False)``, ``(_ENTITY_REF, decoded, length, False)``, or
        ``(_SKIPPED | _AMPERSAND | _LESS_THAN, "", "", False)``."""
        info: tuple
        if token[0] == "<" and token[1:2].isalpha():  # a start tag (the most common: first)
            name, source = _START_TAG.match(token).groups()  # type: ignore[union-attr]
            tag = name.lower()
            hidden = self.hides.get(source)
            if hidden is None:
                hidden = self.hides[source] = _hides(source)
            if tag not in _START_RULES:
                kind = _PUSH if ":" not in tag or not source.rstrip().endswith("/") else _RULES
            elif tag in _CLOSE_P_ONLY:
                kind = _CLOSE_P
            elif tag in _CELLS:
                kind = _CELL
            elif tag == "tr":
                kind = _ROW
            else:
                kind = _RULES
            info = (kind, tag, source, hidden)
        elif token[0] == "&":
            ent = self._decoded(_ENTITY.match(token))
            info = (_AMPERSAND, "", "", False) if ent is None else (_ENTITY_REF, ent[0], ent[1], False)
        elif token == "<" or token.startswith("<!--") and not token.endswith("-->"):  # (_other_lt: to the end)
            info = (_LESS_THAN, "", "", False)
        elif token[1] == "/":
            info = (_END, _END_TAG.match(token).group(1).lower(), "", False)  # type: ignore[union-attr]
        else:  # "<!" or "<?"
            info = (_SKIPPED, "", "", False)
        return info

    def _start_tag(self, text: str, tag: str, source: str, i: int, end: int) -> int:
        """The start tag ``text[i:end]``; returns where reading goes on (past a raw-text element's content)."""
        self.start(tag, source, i)
        if tag in _RAW and not source.rstrip().endswith("/"):
            close = _RAW_END[tag].search(text, end)
            if close is None or tag == "plaintext":
                end = len(text)
            else:
                k = text.find(">", close.end() - 1)
                end = len(text) if k < 0 else k + 1
            self.end(tag, end)
        return end

    def _entity(self, text: str, i: int) -> int:
        """The ``&`` at ``text[i]``: an entity, or a plain ``&``; returns the offset after it."""
        ent = self._decoded(_ENTITY.match(text, i))
        if ent is None:
            self.text(("t", i, "&"))
            return i + 1
        self.stack[-1].append(("e", i, ent[0], ent[1]))  # (self.text: an entity never leaves <head>)
        return i + ent[1]

    def _decoded(self, m: re.Match[str] | None) -> tuple[str, int] | None:
        """The entity ``m`` (an ``_ENTITY`` match, or None) decoded, memoised by its source; None if it is none."""
        if m is None:
            return None
        key = m.group(0)
        ent = self.entities.get(key, False)
        if ent is False:
            ent = self.entities[key] = _decode_entity(m)
        return ent

    def _other_lt(self, text: str, i: int) -> int:
        """A ``<`` (before the last ``>``) that starts no well-formed tag: a comment, a declaration,
        a bogus end tag, a start tag with unbalanced quotes, or plain text."""
        n = len(text)
        nxt = text[i + 1 : i + 2]
        if text.startswith("<!--", i):
            k = text.find("-->", i + 2)
            return n if k < 0 else k + 3
        if nxt in {"!", "?"}:
            k = text.find(">", i + 2)
            return n if k < 0 else k + 1
        if nxt == "/":
            k = text.find(">", i + 2)
            if text[i + 2 : i + 3].isalpha() or text[i + 2 : i + 3] == ">" or k < 0:
                self.text(("t", i, "<"))
                return i + 1
            return k + 1  # a bogus comment such as </ 3>
        if nxt.isalpha():
            m = _START_TAG_LOOSE.match(text, i)
            if m:
                return self._start_tag(text, m.group(1).lower(), m.group(2), i, m.end())
        self.text(("t", i, "<"))
        return i + 1

    # events ---------------------------------------------------------------------------------
    def text(self, node: tuple) -> None:
        if self.heads and node[0] == "t" and node[2].strip():
            self._leave_head()
        self.stack[-1].append(node)

    def start(self, tag: str, source: str, offset: int) -> None:
        """A start tag; ``source`` is the text of its attributes."""
        if tag == "html" or tag == "body":
            if tag == "body":
                self._leave_head()
            self.stack[-1].append(_element("body", "", offset))  # a block boundary
            return
        if self.heads and tag not in _HEAD_CONTENT:
            self._leave_head()
        if tag in _CLOSES_P:
            k = self._find(("p",), _P_SCOPE)
            if k is not None:
                self._pop_to(k)
            if tag in _HEADINGS and self.stack[-1][_TAG] in _HEADINGS:
                self._pop_to(len(self.stack) - 1)
            if tag == "li":
                k = self._find(("li",), _LI_SCOPE)
                if k is not None:
                    self._pop_to(k)
            elif tag == "dd" or tag == "dt":
                k = self._find(("dd", "dt"), _DD_SCOPE)
                if k is not None:
                    self._pop_to(k)
        elif tag == "td" or tag == "th":
            if self._find(("table",)) is None:
                tag = "div"
            else:
                k = self._find(("td", "th"), ("table",))
                if k is not None:
                    self._pop_to(k)
                k = self._find(_ROW_PARENTS_OR_CAPTION)
                if k is not None and self.stack[k][_TAG] == "caption":
                    self._pop_to(k)
                    k = self._find(_ROW_PARENTS)
                if k is not None and self.stack[k][_TAG] != "tr":
                    self._pop_to(k + 1)
                    self._push("tr", "", offset)
                elif k is not None:
                    self._pop_to(k + 1)
        elif tag == "tr":
            if self._find(("table",)) is None:
                tag = "div"
            else:
                k = self._find(_ROW_PARENTS)
                if k is not None:
                    self._pop_to(k if self.stack[k][_TAG] == "tr" else k + 1)
        elif tag in _TABLE_PARTS or tag == "caption":
            k = self._find(("table",))
            if k is None:
                tag = "div"
            else:
                self._pop_to(k + 1)
        if tag in _VOID or (":" in tag and source.rstrip().endswith("/")):
            self.stack[-1].append(self._element(tag, source, offset))
        else:
            self._push(tag, source, offset)

    def end(self, tag: str, offset: int) -> None:
        if tag == "br":
            self.stack[-1].append(_element("br", "", offset))
            return
        if tag == "html" or tag == "body":
            return
        if tag == "head":
            self._leave_head()
            return
        if tag == "p":
            k = self._find(("p",), _P_SCOPE)
            if k is None:
                self.stack[-1].append(_element("p", "", offset))
            else:
                self._pop_to(k)
            return
        if tag in _END_SEARCH:
            k = self._find(*_END_SEARCH[tag])
        elif self.where.get(tag):
            k = self._find((tag,), _END_SCOPE)
        else:  # a stray end tag
            return
        if k is not None:
            self._pop_to(k)


def _build_tree(text: str) -> _Element:
    """The element tree of ``text`` (see ``_TreeBuilder.build``)."""
    return _TreeBuilder().build(text)


# ---------------------------------------------------------------------------------------------
# Text assembly

_WS = {" ", "\t", "\n", "\r", "\f", "\v", "\xa0", "\u3000", "\u2002", "\u2003", "\u2009", "\u200a"}
_INVISIBLE = {"\u200b", "\ufeff", "\u200c", "\u200d", "\u00ad"}
_BREAK = "\uffff"  # a block boundary inside a cell (<p>, <br>…)
_BREAK_ITEM = ("b",)
_BLOCK_END = ("end",)  # (in _Reader.read: where a block element ends)
_ASCII_WS = re.compile(r"[ \t\n\r\f\v]+")


def _chars(chars: set[str]) -> str:
    return "".join(re.escape(c) for c in sorted(chars))


# Runs of visible characters (group 1), of white space or breaks (group 2), of invisible characters.
_RUNS = re.compile(
    f"([^{_chars(_WS | _INVISIBLE | {_BREAK})}]+)|([{_chars(_WS | {_BREAK})}]+)|[{_chars(_INVISIBLE)}]+"
)
_NOT_VISIBLE = re.compile(f"[{_chars(_WS | _INVISIBLE | {_BREAK})}]")
_VISIBLE = re.compile(f"[^{_chars(_WS | _INVISIBLE | {_BREAK})}]")
_NOT_SPACE = re.compile(f"[^{_chars(_WS | {_BREAK})}]")
_RAW_CHANGES = re.compile(f"[{_chars(_INVISIBLE | {_BREAK})} \t\n\r\f\v]")  # what _raw changes
_RAW_TEXT = str.maketrans({**dict.fromkeys(_INVISIBLE), _BREAK: " "})


def _blank(s: str) -> bool:
    """Whether ``s`` shows nothing and ``_raw`` would keep it as it is (``&nbsp;``...)."""
    return bool(_NOT_VISIBLE.search(s)) and not _VISIBLE.search(s) and not _RAW_CHANGES.search(s)


_BLANK: dict[str, bool] = {}  # _blank, by an entity's text (see _Reader._cell_text)


def _assemble(items: list[tuple], source: str) -> tuple[str, list[tuple[int, int]]]:
    """Visible text of ``items`` with white space collapsed and stripped.

    Returns ``(text, marks)``: ``(i, offset)`` in ``marks`` says ``text[i]`` is at that source offset
    and the characters after it follow it in the source, up to the next mark (an entity's characters
    all point at its ``&``). A line break between two CJK characters (in the source, or a <p>/<br>
    boundary) joins them without a space.
    """
    if len(items) == 1 and items[0][0] == "t":  # fast path: one run of visible characters (most paragraphs)
        _, offset, s = items[0]
        # (what the loop below makes of it; of the characters _NOT_VISIBLE finds only " " is printable, and
        # str.isprintable is faster than the search over a long paragraph)
        if s and ((" " not in s and s.isprintable()) or not _NOT_VISIBLE.search(s)):
            return s, [(0, offset)]
    out: list[str] = []
    marks: list[tuple[int, int]] = []
    size = 0  # characters in out
    last = ""  # the last character in out
    prev = -10  # the source offset of the last character in out
    pending = -2  # -2: no pending white space; otherwise the offset of its first character (-1: a break)
    pending_break = False
    for it in items:
        kind = it[0]
        if kind == "b":
            if pending == -2:
                pending = -1
            pending_break = True
            continue
        offset = it[1]
        s = it[2]
        entity = kind == "e"
        if not s:
            continue
        if not _NOT_VISIBLE.search(s):
            runs: Iterable[tuple[str | None, str | None, int]] = ((s, None, 0),)
        elif not _NOT_SPACE.search(s):
            runs = ((None, s, 0),)
        else:
            runs = ((m.group(1), m.group(2), m.start()) for m in _RUNS.finditer(s))
        for visible, space, at in runs:
            off = offset if entity else offset + at
            if visible is None:
                if space is not None:
                    if pending < 0:
                        pending = off
                    if _BREAK in space or (not entity and "\n" in space):
                        pending_break = True
                continue
            if pending != -2 and size:
                if not (pending_break and wide(last) and wide(visible[0])):
                    p = pending if pending >= 0 else off
                    if not (p == prev + 1 and prev >= 0 and source[prev] != "\n"):
                        marks.append((size, p))
                    out.append(" ")
                    size += 1
                    prev = p
            pending = -2
            pending_break = False
            if not (off == prev + 1 and prev >= 0 and source[prev] != "\n"):
                marks.append((size, off))
            if entity:  # every character of an entity is at its "&"
                marks.extend((size + k, off) for k in range(1, len(visible)))
                prev = off
            else:
                prev = off + len(visible) - 1
            out.append(visible)
            size += len(visible)
            last = visible[-1]
    return "".join(out), marks


def _raw(items: list[tuple]) -> str:
    """The text of ``items`` before collapsing non-breaking spaces and stripping (breaks are spaces)."""
    s = "".join([_BREAK if it[0] == "b" else it[2] for it in items]).strip(_BREAK)
    return _ASCII_WS.sub(" ", s.translate(_RAW_TEXT))


class _Positions:
    """Offsets in the decoded source to 1-based (line, column)."""

    def __init__(self, lines: list[str]) -> None:
        """``lines``: the source split at "\\n"."""
        # where each line starts: the lengths of those before it, each with its "\n" (all in C, for speed)
        self.starts = list(accumulate(map((1).__add__, map(len, lines[:-1])), initial=0))

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def anchors(self, marks: list[tuple[int, int]]) -> list[tuple[int, int, int, int | None]]:
        starts = self.starts
        out: list[tuple[int, int, int, int | None]] = []
        for i, off in marks:
            line = bisect.bisect_right(starts, off)
            out.append((i, line, off - starts[line - 1] + 1, None))
        return out


def _content(el: _Element) -> list[tuple]:
    """Text items inside ``el``, with a break at every block-level boundary (no recursion)."""
    items: list[tuple] = []
    todo = el[_REVERSED_CHILDREN]  # what is left to visit, the next last; a break stands for a block's end
    if el[_TAG] in _BLOCK:
        todo.insert(0, _BREAK_ITEM)
    while todo:
        node = todo.pop()
        if type(node) is tuple:
            items.append(node)
            continue
        tag = node[0]
        if tag in _SKIP or node[3]:  # (hidden)
            if tag in _BLOCK:
                items.append(_BREAK_ITEM)
            continue
        if tag in _BLOCK:
            items.append(_BREAK_ITEM)
            todo.append(_BREAK_ITEM)
        todo.extend(node[_REVERSED_CHILDREN])
    return items


# ---------------------------------------------------------------------------------------------
# Reading

_LONG_CELL = 400
_MAX_CELLS = 200_000  # grid positions: more (spans of thousands of rows) is no statistics table
_CAPTION_MAX = 80


class _Reader:
    def __init__(self, source: str, lines: list[str]) -> None:
        """``lines``: ``source`` split at "\\n"."""
        self.source = source
        self.pos = _Positions(lines)
        self.blocks: list[Block] = []
        self.tables: list[Table] = []
        self.last_was_block = False
        self.spans = _SPANS  # (colspan, given rowspan), by cell attributes

    def add_block(self, items: list[tuple]) -> None:
        text, marks = _assemble(items, self.source)
        if text:
            self.blocks.append(Block(text, self.pos.anchors(marks)))
            self.last_was_block = True

    # tables -----------------------------------------------------------------------------------
    def _table_rows(self, table: _Element) -> tuple[list[_Element], list[tuple], str]:
        """The table's rows (its <tr> elements: their cells are their <td> and <th> children), stray text
        outside cells, and its caption."""
        rows: list[_Element] = []
        stray: list[tuple] = []
        caption = ""
        todo: list[_Element | tuple] = table[_REVERSED_CHILDREN]
        while todo:
            node = todo.pop()
            if type(node) is tuple:
                if node[0] != "t" or node[2].strip():
                    stray.append(node)
                continue
            tag = node[_TAG]
            if tag in _SKIP or node[_HIDDEN] or tag == "table":
                continue
            if tag == "caption":
                caption = caption or _assemble(_content(node), self.source)[0]
            elif tag == "tr":
                rows.append(node)
            else:
                todo.extend(node[_REVERSED_CHILDREN])
        return rows, stray, caption

    def _cell_text(self, td: _Element) -> tuple[str, int, str]:
        """A cell's text, the source offset of its first character (of the cell when it is empty), raw text."""
        # The common cells, <td><p>text</p></td> and <td><p>&nbsp;</p></td>: a chain of single shown
        # elements down to one text item, the only one _content would list (between breaks).
        node = td
        while len(node) == 6:  # (one child)
            node = node[5]
            if type(node) is tuple:
                s = node[2]
                if node[0] == "e":  # (an entity's text is one of a few, &nbsp; the most common: looked at once)
                    blank = _BLANK.get(s)
                    if blank is None:
                        blank = _keep(_BLANK, s, _blank(s))
                    if blank:
                        return "", td[2], s
                    break
                if not _NOT_VISIBLE.search(s):
                    if node[0] == "t":  # one run of visible characters: nothing to collapse
                        return s, node[1], s
                elif not _VISIBLE.search(s) and not _RAW_CHANGES.search(s):  # blank (&nbsp;…)
                    return "", td[2], s
                break
            if node[0] in _SKIP or node[3]:  # (hidden)
                break
        items = _content(td)
        texts = [it for it in items if it[0] != "b"]
        if not texts:
            return "", td[_START], ""
        if len(texts) == 1:  # the common cases, in short
            kind, offset, s = texts[0][:3]
            if not _NOT_VISIBLE.search(s):
                if kind == "t":  # one run of visible characters: nothing to collapse
                    return s, offset, s
            elif not _VISIBLE.search(s) and not _RAW_CHANGES.search(s):  # blank (&nbsp;…)
                return "", td[_START], s
        text, marks = _assemble(items, self.source)
        return text, marks[0][1] if marks else td[_START], _raw(items)

    def read_table(self, table: _Element) -> Table | None:
        """The table as a grid, or None when it is a layout table (read as narrative instead)."""
        if table[_NESTED]:
            return None
        rows, stray, caption = self._table_rows(table)
        grid: list[list[Cell | None]] = []
        budget = _MAX_CELLS  # positions the spans may still fill; none left: read as narrative
        gaps: set[int] = set()  # rows that have had positions left None (filled in below, once the width is known)
        starts = self.pos.starts  # (self.pos.at, inline)
        cell_text = self._cell_text
        spans = self.spans
        new = object.__new__
        filled = False  # a cell with text (every cell read is in the grid, at its place or spanned)
        line_start, next_start = 0, -1  # (the line the last cell is on: where it starts, and the next one)
        for r, tr in enumerate(rows):
            if len(grid) == r:  # (rows spanned into from above are there already)
                grid.append([])
            c = 0
            row = grid[r]  # (spans below extend it in place)
            for td in tr[_CHILDREN:]:
                if type(td) is tuple or td[0] not in _CELLS:  # (text between cells, or another element)
                    continue
                source = td[1]
                given = spans.get(source)
                if given is None:  # (pages repeat their cells' attributes: looked at once each)
                    given = _SINGLE
                    if "span" in source.lower():  # (no other character lowers to one of "span")
                        attrs = _parse_attrs(source)
                        given = (_span(attrs.get("colspan"), 1000), attrs.get("rowspan"))
                    _keep(spans, source, given)
                # the cell's text: <td>x</td> and <td><p>x</p></td> with x one run of visible characters or a
                # blank entity (&nbsp;), in short (what _cell_text makes of them); any other by _cell_text
                node = td[5] if len(td) == 6 else None
                if type(node) is list and len(node) == 6 and not node[3] and node[0] not in _SKIP:
                    node = node[5]
                if type(node) is not tuple:
                    text, offset, raw = cell_text(td)
                elif node[0] == "t" and (
                    (" " not in (text := node[2]) and text.isprintable()) or not _NOT_VISIBLE.search(text)
                ):  # (one run of visible characters: see _assemble)
                    offset = node[1]
                    raw = text
                elif node[0] == "e" and _BLANK.get(node[2]):
                    text, offset, raw = "", td[2], node[2]
                else:
                    text, offset, raw = cell_text(td)
                if len(text) > _LONG_CELL:
                    return None
                if text:
                    filled = True
                if not line_start <= offset < next_start:  # (on another line than the last cell: rarely)
                    line = bisect.bisect_right(starts, offset)
                    line_start = starts[line - 1]
                    next_start = starts[line] if line < len(starts) else len(self.source) + 1
                col = offset - line_start + 1
                # Cell(text, line, col, None, raw), made field by field: its __init__, a Python function called
                # from C, is a third of the cost of a cell made by Cell(...) (every field is set: test_html_cells)
                origin = new(Cell)
                origin.text = text
                origin.line = line
                origin.column = col
                origin.page = None
                origin.raw = raw
                origin.spanned = False
                origin.where = ""
                if given is _SINGLE and c == len(row):  # the most common case, in short: the next position
                    budget -= 2  # (as below: the cell, then the position it takes)
                    if budget < 0:
                        return None
                    row.append(origin)
                    c += 1
                    continue
                while c < len(row) and row[c] is not None:
                    c += 1
                colspan, rowspan_given = given
                rowspan = 1
                if rowspan_given:
                    rowspan = _span(rowspan_given, len(rows) - r)
                    if rowspan_given.strip() == "0":
                        rowspan = len(rows) - r
                budget -= rowspan * colspan
                if budget < 0:
                    return None
                if rowspan == colspan == 1:  # the common case, in short
                    if len(row) == c:  # (the next position: no gap to fill)
                        budget -= 1
                        if budget < 0:
                            return None
                        row.append(origin)
                        c += 1
                        continue
                    if len(row) < c:
                        budget -= c + 1 - len(row)
                        if budget < 0:
                            return None
                        gaps.add(r)
                        row.extend([None] * (c + 1 - len(row)))
                    row[c] = origin
                    c += 1
                    continue
                if rowspan == 1 and len(row) == c:  # spanning columns only, from the next position: in short
                    budget -= colspan
                    if budget < 0:
                        return None
                    row.append(origin)
                    row.extend([Cell(text, line, col, None, raw, True)] * (colspan - 1))
                    c += colspan
                    continue
                copy = None  # (one spanned copy for every position the cell spans: cells are not changed once read)
                for dr in range(rowspan):
                    while len(grid) <= r + dr:
                        grid.append([])
                    target = grid[r + dr]
                    if len(target) < c + colspan:
                        budget -= c + colspan - len(target)
                        if budget < 0:
                            return None
                        if len(target) < c:
                            gaps.add(r + dr)
                        target.extend([None] * (c + colspan - len(target)))
                    for dc in range(colspan):
                        if target[c + dc] is None:
                            if dr == dc == 0:
                                target[c] = origin
                            else:
                                if copy is None:
                                    copy = Cell(text, line, col, None, raw, True)
                                target[c + dc] = copy
                c += colspan
        del grid[len(rows) :]  # (rows spanned into below the last)
        width = max((len(row) for row in grid), default=0)
        if len(rows) * width > _MAX_CELLS:
            return None
        if width <= 1 or not filled:
            return None
        # the grid made rectangular: its gaps, and the positions missing at the end of a row, filled with
        # empty cells at their row's start (rows that have neither, most, as they are)
        for r, (tr, row) in enumerate(zip(rows, grid, strict=True)):
            if len(row) < width or r in gaps:
                line, col = self.pos.at(tr[_START])
                row[:] = [cell if cell is not None else Cell("", line, col) for cell in row] + \
                    [Cell("", line, col) for _ in range(width - len(row))]
        if stray:
            self.add_block(stray)
        if not caption and self.last_was_block and len(self.blocks[-1].text) <= _CAPTION_MAX:
            caption = self.blocks[-1].text
        return Table(grid, line=self.pos.at(table[_START])[0], caption=caption)  # type: ignore[arg-type]

    # the document -----------------------------------------------------------------------------
    def read(self, root: _Element) -> None:
        """Blocks and tables in reading order (depth first, no recursion)."""
        items: list[tuple] = []

        def flush() -> None:
            if items:
                self.add_block(items)
                items.clear()

        todo = [_BLOCK_END, *root[_REVERSED_CHILDREN]]  # what is left to visit, the next last
        while todo:
            node = todo.pop()
            if type(node) is tuple:
                if node is _BLOCK_END:
                    flush()
                else:
                    items.append(node)
                continue
            tag = node[0]
            if tag in _SKIP or node[3]:  # (hidden)
                if tag in _BLOCK:  # its end is still a boundary
                    flush()
                continue
            if tag == "table":
                flush()
                table = self.read_table(node)
                if table is not None:
                    self.tables.append(table)
                    self.last_was_block = False
                    continue
            if tag in _BLOCK:  # (a layout table too)
                flush()
                todo.append(_BLOCK_END)
            todo.extend(node[_REVERSED_CHILDREN])
        flush()


def _span(value: str | None, limit: int) -> int:
    m = _DIGITS.match(value) if value else None
    if m is None:
        return 1
    try:
        n = int(m.group(1))
    except ValueError:
        return 1
    return max(1, min(n, max(limit, 1)))


def read_html(data: bytes, path: str) -> Document:
    """Read an HTML page (or fragment) into a Document; positions are in the decoded source."""
    text, encoding = decode_bytes(data, path, declared=sniff_charset(data))  # (not believed if mostly UTF-8)
    if not text or text.isspace():  # (not text.strip(): no copy of the page)
        raise InputError(path, "is empty")
    lines = text.split("\n")
    reader = _Reader(text, lines)
    reader.read(_build_tree(text))
    if not reader.blocks and not reader.tables:
        raise InputError(path, "has no visible text (a page filled in by JavaScript, or not a report?)")
    return Document(
        path=path,
        format="html",
        lines=lines,
        blocks=reader.blocks,
        tables=reader.tables,
        encoding=encoding,
    )
