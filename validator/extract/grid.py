"""Two-dimensional statistics tables (the national formats' tables 二, 三 and 四) read from table grids.

The reader gives every table as a rectangular grid with spans expanded (HTML, PDF, Word). A grid
of the template is found by its anchor text; its columns by their header paths (``行政诉讼 /
复议后起诉 / 结果维持``: the header cells above a column, top to bottom); its rows by their labels,
the label cells to the left giving the group (``（三）不予公开``) that tells apart labels printed
twice. Every cell keeps its state: a blank cell is not a zero unless the template says so.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from validator.extract.figures import Figure
from validator.extract.labels import normalise_label
from validator.numbers import parse_cell
from validator.read.document import Cell, Document, Table
from validator.ruleset import Grid, RuleSet

_UNIT_TAIL = re.compile(r"^\s*([-−－]?[0-9０-９][0-9０-９,，.．]*)\s*(万元|元|件|条|个|项|次|人)\s*$")


@functools.lru_cache(maxsize=16384)
def cell_state(text: str) -> tuple[str, float | None, int]:
    """parse_cell, also accepting a unit glued to the number ("251000元")."""
    state, value, decimals = parse_cell(text)
    if state == "text":
        m = _UNIT_TAIL.match(unicodedata.normalize("NFKC", text))
        if m:
            return parse_cell(m.group(1))
    return state, value, decimals


@functools.lru_cache(maxsize=16384)
def _is_value(text: str) -> bool:
    """Whether a cell holds a number (``cell_state``)."""
    return cell_state(text)[0] == "value"


_TEXT = operator.attrgetter("text")


def same_label(text: str, label: str) -> bool:
    """Whether a printed (normalised) header or row label is the template's label."""
    if not text or not label:
        return False
    if text == label:
        return True
    if len(label) >= 4 and len(text) >= 4 and (label in text or text in label):
        return True
    if len(label) >= 6 and abs(len(label) - len(text)) <= 3:
        return SequenceMatcher(None, text, label, autojunk=False).ratio() >= 0.85
    return False


@dataclass
class _Segment:
    table: Table
    start: int  # first header row
    data: int  # first data row
    end: int  # one past the last row
    width: int  # the table's


def extract_grids(doc: Document, ruleset: RuleSet) -> tuple[list[Figure], list[str]]:
    """Every cell of every grid of the template found in the document's tables (each figure labelled
    with the template's label, its context too); and notes on what was not."""
    figures: list[Figure] = []
    notes: list[str] = []
    anchors = ruleset.memo("grid_anchors", _grid_anchors)
    views = [_TableView(t) for t in doc.tables]
    for grid in ruleset.grids:
        seg = _locate(views, grid, anchors[grid.id])
        if seg is None:
            continue
        figures.extend(_read(seg, grid, ruleset, notes))
    return figures, notes


@functools.lru_cache(maxsize=8192)
def compact(text: str) -> str:
    """Text for anchor search: NFKC, no spaces or punctuation, but bracketed words kept (第二十条第（五）项)."""
    t = unicodedata.normalize("NFKC", text)
    return _NOT_ANCHOR.sub("", t)


_NOT_ANCHOR = re.compile(r"[\s,，、。;；:：“”\"'‘’《》()（）\[\]【】/]")


class _TableView:
    """A table with each row's compacted cell texts and whether it holds a number, worked out once
    for all the grids that look for their anchors in it."""

    def __init__(self, table: Table) -> None:
        self.table = table
        # each row's compacted cell texts joined by NUL, which no anchor holds: an anchor is in the
        # joined row exactly when it is in one of its cells
        self.rows = rows = ["\0".join([compact(c.text) for c in row]) for row in table.rows]
        # all rows joined by SOH (in no anchor either): the first row holding an anchor is where one
        # search of the whole table finds it, not a search of each row
        self.text = "\1".join(rows)
        self.starts = list(itertools.accumulate((len(r) + 1 for r in rows[:-1]), initial=0))
        self.caption = compact(table.caption)
        self._numeric: dict[int, bool] = {}
        self.width = table.width

    def has_anchor(self, r: int, anchors: re.Pattern[str]) -> bool:
        """Whether row ``r`` holds one of the anchors (``_any_of``)."""
        return anchors.search(self.rows[r]) is not None

    def first_with(self, anchors: re.Pattern[str], r: int) -> int | None:
        """The first row from ``r`` on that holds one of the anchors, or None."""
        if r >= len(self.rows):
            return None
        m = anchors.search(self.text, self.starts[r])
        return None if m is None else bisect.bisect_right(self.starts, m.start()) - 1

    def numeric(self, r: int) -> bool:
        hit = self._numeric.get(r)
        if hit is None:
            hit = self._numeric[r] = any(map(_is_value, map(_TEXT, self.table.rows[r])))  # (no Python step per cell)
        return hit


@functools.lru_cache(maxsize=256)
def _any_of(anchors: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern found in a text exactly when one of the (non-empty) ``anchors`` is in it."""
    words = sorted({a for a in anchors if a}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)) if words else "(?!)")


_Anchors = tuple[list[str], re.Pattern[str], re.Pattern[str]]


def _grid_anchors(ruleset: RuleSet) -> dict[str, _Anchors]:
    """For each grid of the template (by id): its compacted anchors, a pattern finding any of them, and a
    pattern finding any other grid's anchor. Built once per rule set."""
    anchors = {g.id: [compact(a) for a in g.anchors] for g in ruleset.grids}
    return {gid: (own, _any_of(tuple(own)), _any_of(tuple(a for g, al in anchors.items() if g != gid for a in al)))
            for gid, own in anchors.items()}


def _locate(views: list[_TableView], grid: Grid, anchors: _Anchors) -> _Segment | None:
    own, own_anchor, others = anchors
    for view in views:
        table = view.table
        rows = table.rows
        if own_anchor.search(view.caption):  # (one of the anchors in the caption)
            start = 0
        else:
            start = view.first_with(own_anchor, 0)
            if start is None:
                continue
            while start > 0 and not view.numeric(start - 1) and not view.has_anchor(start - 1, others):
                start -= 1
        end = len(rows)
        r = view.first_with(others, start + 1)
        while r is not None:  # the first row after start with another grid's anchor and none of its own
            if not view.has_anchor(r, own_anchor):
                end = r
                break
            r = view.first_with(others, r + 1)
        data = next((r for r in range(start, end) if view.numeric(r)), None)
        if data is None:  # a table with no number at all: its data rows are the labelled ones
            data = next((r for r in range(start + 1, end) if _row_match(grid, rows[r], {})), end)
        return _Segment(table, start, data, end, view.width)
    return None


def _header_paths(seg: _Segment) -> list[list[str]]:
    width = seg.width
    paths: list[list[str]] = []
    for j in range(width):
        path: list[str] = []
        for r in range(seg.start, seg.data):
            row = seg.table.rows[r]
            t = normalise_label(row[j].text) if j < len(row) else ""
            if t and (not path or path[-1] != t):
                path.append(t)
        paths.append(path)
    return paths


def _column_map(grid: Grid, paths: list[list[str]]) -> dict[str, int]:
    """Grid column id → table column index (the same header paths come back in every report of a template)."""
    return _remembered(_memo(grid).colmaps, tuple(map(tuple, paths)), lambda: _map_columns(grid, paths))


def _map_columns(grid: Grid, paths: list[list[str]]) -> dict[str, int]:
    out: dict[str, int] = {}
    taken: set[int] = set()
    for col in grid.columns:
        for label in col.labels:
            parts = [normalise_label(p) for p in label.split("/")]
            j = next((j for j, path in enumerate(paths) if j not in taken and _path_matches(path, parts)), None)
            if j is not None:
                out[col.id] = j
                taken.add(j)
                break
    return out


def _path_matches(path: list[str], parts: list[str]) -> bool:
    if not path or not same_label(path[-1], parts[-1]):
        return False
    i = 0
    for element in path[:-1]:
        if i < len(parts) - 1 and same_label(element, parts[i]):
            i += 1
    return i == len(parts) - 1


def _row_match(grid: Grid, row: list[Cell], colmap: dict[str, int], first_value: int | None = None) -> str | None:
    """The grid row id of a table row, from its label cells (right to left), or None.

    ``first_value``: the first column ``colmap`` maps (its smallest index), if worked out already.
    Remembered by the label cells' texts as printed: the same row labels come back in every report.
    """
    if first_value is None:
        first_value = min(colmap.values(), default=len(row))
    printed = (tuple([c.text for c in row[:first_value]]), bool(colmap))
    memo = _memo(grid)
    rid = memo.printed_rows.get(printed, _UNKNOWN)
    if rid is _UNKNOWN:
        rid = _remembered(memo.printed_rows, printed, lambda: _label_match(grid, printed[0], bool(colmap)))
    return rid


_UNKNOWN = object()


def _label_match(grid: Grid, printed: tuple[str, ...], has_columns: bool) -> str | None:
    """``_match_labels`` of the printed label cells, remembered by their normalised labels."""
    labels: list[str] = []
    for text in printed:
        t = normalise_label(text)
        if t and (not labels or labels[-1] != t):
            labels.append(t)
    return _remembered(_memo(grid).rows, (tuple(labels), has_columns),
                       lambda: _match_labels(grid, labels, has_columns))


def _remembered(memo: dict, key: object, work: Callable[[], object]) -> Any:
    """``work()``, remembered in ``memo`` under ``key`` (emptied when it holds more than _MEMO_LIMIT)."""
    if key in memo:
        return memo[key]
    if len(memo) > _MEMO_LIMIT:
        memo.clear()
    found = memo[key] = work()
    return found


class _GridMemo:
    """What reading a grid works out from the template's text alone, or from template text that every
    report of the template repeats (header paths, row labels): worked out once per process, not per report."""

    def __init__(self, grid: Grid) -> None:
        self.grid = grid  # (kept, so that its id is not reused while this is in _MEMOS)
        self.colmaps: dict[tuple[tuple[str, ...], ...], dict[str, int]] = {}  # by header paths
        self.rows: dict[tuple[tuple[str, ...], bool], str | None] = {}  # by (normalised labels, columns known)
        self.printed_rows: dict[tuple[tuple[str, ...], bool], str | None] = {}  # by (label cells, columns known)
        self.headers: dict[tuple, _Columns] = {}  # column maps by the header rows' cells as printed
        self.names: dict[str, dict[str, tuple[str, str]]] = {}  # row id → column id → (key, label)
        self._ruleset: RuleSet | None = None  # (the one the grid belongs to)

    def cell_names(self, rid: str, ruleset: RuleSet) -> dict[str, tuple[str, str]]:
        """For each column of row ``rid``: the figure's key and its label in the template ``ruleset``."""
        if self._ruleset is not ruleset:
            self.names, self._ruleset = {}, ruleset
        names = self.names.get(rid)
        if names is None:
            names = self.names[rid] = {
                c.id: (key, ruleset.label(key)) for c in self.grid.columns for key in (self.grid.key(rid, c.id),)}
        return names


def _memo(grid: Grid) -> _GridMemo:
    memo = _MEMOS.get(id(grid))
    if memo is None or memo.grid is not grid:
        if len(_MEMOS) > 256:
            _MEMOS.clear()
        memo = _MEMOS[id(grid)] = _GridMemo(grid)
    return memo


_MEMOS: dict[int, _GridMemo] = {}
_MEMO_LIMIT = 20_000  # header paths or row labels kept per grid (then it starts afresh)


def _match_labels(grid: Grid, labels: list[str], has_columns: bool) -> str | None:
    if not grid.rows or not grid.rows[0].labels:
        return "" if labels == [] or has_columns else None
    group = None
    for t in labels:
        for gid, glabels in grid.groups.items():
            if any(same_label(t, normalise_label(g)) for g in glabels):
                group = gid
    for t in reversed(labels):
        candidates = [r for r in grid.rows if any(normalise_label(lab) == t for lab in r.labels)]
        if not candidates:
            candidates = [r for r in grid.rows if any(same_label(t, normalise_label(lab)) for lab in r.labels)]
        if group:
            in_group = [r for r in candidates if r.group == group]
            candidates = in_group or [r for r in candidates if not r.group or r.group == "results"]
        else:
            candidates = [r for r in candidates if r.group in ("", "results")] or candidates
        if len(candidates) >= 1:
            return candidates[0].id
    return None


class _Columns:
    """A header's column map and, for each grid row, the cells to read: ``(column index, figure key,
    label)`` in the map's order (worked out once per header and row, not per report)."""

    __slots__ = ("colmap", "first_value", "last", "plans", "ruleset")

    def __init__(self, colmap: dict[str, int]) -> None:
        self.colmap = colmap
        self.first_value = min(colmap.values(), default=None)  # the first column it maps
        self.last = max(colmap.values(), default=-1)  # the last
        self.plans: dict[str, list[tuple[int, str, str]]] = {}  # by grid row id
        self.ruleset: RuleSet | None = None  # (the one the plans' keys and labels come from)

    def plan(self, rid: str, memo: _GridMemo, ruleset: RuleSet) -> list[tuple[int, str, str]]:
        names = memo.cell_names(rid, ruleset)
        plan = self.plans[rid] = [(j, *names[cid]) for cid, j in self.colmap.items()]
        return plan


def _read(seg: _Segment, grid: Grid, ruleset: RuleSet, notes: list[str]) -> list[Figure]:
    rows = seg.table.rows
    # the column map, remembered by the header cells as printed (and the table's width, which the paths depend on)
    header = (seg.width, *(tuple([c.text for c in rows[r]]) for r in range(seg.start, seg.data)))
    memo = _memo(grid)
    columns = memo.headers.get(header)
    if columns is None:
        columns = _remembered(memo.headers, header, lambda: _Columns(_column_map(grid, _header_paths(seg))))
    colmap = columns.colmap
    if len(colmap) < len(grid.columns):
        missing = [c.id for c in grid.columns if c.id not in colmap]
        notes.append(f"{grid.title}: 未找到列 {', '.join(missing)}")
    if columns.ruleset is not ruleset:
        columns.plans, columns.ruleset = {}, ruleset
    plans = columns.plans
    figures: list[Figure] = []
    seen: set[str] = set()
    first_value, last = columns.first_value, columns.last
    has_columns = bool(colmap)
    printed_rows = memo.printed_rows
    for r in range(seg.data, seg.end):
        row = rows[r]
        width = len(row)
        # _row_match(grid, row, colmap, first), its remembered answer looked up here
        first = width if first_value is None else first_value
        rid = printed_rows.get((tuple([c.text for c in row[:first]]), has_columns), _UNKNOWN)
        if rid is _UNKNOWN:
            rid = _row_match(grid, row, colmap, first)
        if rid is None or rid in seen:
            continue
        if rid == "" and not any(cell_state(row[j].text)[0] != "text" for j in colmap.values() if j < width):
            continue
        seen.add(rid)
        plan = plans.get(rid)
        if plan is None:
            plan = columns.plan(rid, memo, ruleset)
        for j, key, label in plan if width > last else [p for p in plan if p[0] < width]:
            cell = row[j]
            text = cell.text
            state, value, decimals = cell_state(text)
            if state == "text":
                state = "unreadable"
            figures.append(Figure(  # positional, in field order: keywords take twice as long
                key, label, value, decimals, state, "", "table", cell.line, cell.column, cell.page,
                text if text else cell.raw, label, cell.where))
    return figures
