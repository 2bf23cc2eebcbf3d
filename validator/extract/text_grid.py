"""The national formats' tables read from text that lost its table structure.

Text copied from a PDF keeps a row on one line (``1.属于国家秘密   0   0   0   0  0   0   0``, long
labels wrapping onto the next line); a page saved as text puts one cell per line. Both become one
stream of tokens, label text and numbers, in reading order; a grid starts at its anchor text, each
row is found by the label text accumulated since the previous row, and takes the next as many
numbers as the grid has columns (in the template's column order, which is how the national format
prints them). A row whose numbers are interrupted by text is not guessed at: it is noted as
unreadable, never read as a discrepancy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from validator.extract.figures import Figure
from validator.extract.grid import compact
from validator.extract.labels import normalise_label
from validator.numbers import ARABIC_LONGEST, nfkc_keeping_offsets, parse_arabic
from validator.read.document import Document
from validator.ruleset import Grid, RuleSet

_NUM = re.compile(r"(?<![0-9.,])[-−－]?[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?(?![0-9])")
_NUMBERING_AFTER = re.compile(r"^[.、．](?![0-9])")
_DASH = re.compile(r"(?:(?<=\s)|^)([-—–/／－])(?=\s|$)")
_PAGE = re.compile(r"^\s*[-—–]\s*\d{1,3}\s*[-—–]\s*$")


@dataclass
class Tok:
    kind: str  # "num" or "text"
    text: str
    block: int
    start: int
    value: float | None = None
    decimals: int = 0
    state: str = "value"


def tokenize(doc: Document, skip: set[int] | None = None) -> list[Tok]:
    """Numbers and the label text between them, over every block, in reading order."""
    toks: list[Tok] = []
    for bi, block in enumerate(doc.blocks):
        if skip and bi in skip:
            continue
        raw = block.text
        if _PAGE.match(raw):
            continue
        text = nfkc_keeping_offsets(raw)
        spans: list[tuple[int, int, str]] = []
        for m in _NUM.finditer(text):
            if _NUMBERING_AFTER.match(text[m.end():m.end() + 2]) and m.group(0).isdigit():
                if len(m.group(0)) <= 2:
                    continue  # "1.属于国家秘密": a numbering, part of the label
                spans.append((m.start(), m.end() - 1, "num"))  # "00000002.其他…": the 2 numbers the next label
                continue
            spans.append((m.start(), m.end(), "num"))
        for m in _DASH.finditer(text):
            spans.append((m.start(1), m.end(1), "dash"))
        spans.sort()
        pos = 0
        for a, b, kind in spans:
            if a < pos:
                continue
            if text[pos:a].strip():
                toks.append(Tok("text", text[pos:a], bi, pos))
            if kind == "num" and b - a > ARABIC_LONGEST:  # (no figure: a code, or garbage; it would read as inf)
                toks.append(Tok("text", text[a:b], bi, a))
            elif kind == "num":
                value, decimals = parse_arabic(text[a:b].replace("−", "-").replace("－", "-"))
                toks.append(Tok("num", raw[a:b], bi, a, value, decimals))
            else:
                toks.append(Tok("num", raw[a:b], bi, a, None, 0, "dash"))
            pos = b
        if text[pos:].strip():
            toks.append(Tok("text", text[pos:], bi, pos))
    return toks


def extract_text_grids(doc: Document, ruleset: RuleSet) -> tuple[list[Figure], dict[int, list[tuple[int, int]]], list[str]]:
    """Figures of every grid found in the text, the character spans of each block they used (for the
    narrative to leave alone), and notes on unreadable rows."""
    toks = tokenize(doc)
    starts: list[tuple[int, Grid]] = []
    for grid in ruleset.grids:
        idx = _find_anchor(toks, grid)
        if idx is not None:
            starts.append((idx, grid))
    starts.sort(key=lambda s: s[0])
    figures: list[Figure] = []
    notes: list[str] = []
    used: dict[int, list[tuple[int, int]]] = {}
    for i, (idx, grid) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(toks)
        figs, region_notes = _read_region(doc, ruleset, grid, toks[idx:end])
        figures.extend(figs)
        notes.extend(region_notes)
        if figs:
            last = max((f for f in figs), key=lambda f: (f.line, f.column))
            _mark(doc, used, toks[idx], last)
    return figures, used, notes


def _mark(doc: Document, used: dict[int, list[tuple[int, int]]], first: Tok, last: Figure) -> None:
    """Record the characters from a grid's anchor to its last cell as the table's, block by block."""
    end_block = next((bi for bi in range(first.block, len(doc.blocks))
                      if doc.blocks[bi].anchors and doc.blocks[bi].locate(0).line <= last.line
                      and (bi + 1 == len(doc.blocks) or doc.blocks[bi + 1].locate(0).line > last.line)), first.block)
    for bi in range(first.block, end_block + 1):
        block = doc.blocks[bi]
        a = first.start if bi == first.block else 0
        b = len(block.text)
        if bi == end_block:
            # the last cell's offset in its block
            for off in range(len(block.text)):
                pos = block.locate(off)
                if (pos.line, pos.column) == (last.line, last.column):
                    b = off + len(last.text)
                    break
        used.setdefault(bi, []).append((a, b))


def _find_anchor(toks: list[Tok], grid: Grid) -> int | None:
    """Where the grid starts; a grid without row labels must be followed by a run of its numbers."""
    anchors = [compact(a) for a in grid.anchors]
    labelled = bool(grid.rows and grid.rows[0].labels)
    for i, t in enumerate(toks):
        if t.kind == "text" and any(a and a in compact(t.text) for a in anchors):
            if labelled or _run_follows(toks, i, len(grid.columns)):
                return i
    return None


def _run_follows(toks: list[Tok], i: int, n: int, within: int = 40) -> bool:
    """Whether ``n`` numbers follow soon: as many tokens, or as many digits glued together."""
    run = 0
    for t in toks[i + 1:i + 1 + within]:
        run = run + (len(t.text) if t.text.isdigit() else 1) if t.kind == "num" else 0
        if run >= n:
            return True
    return False


def _labels(grid: Grid) -> tuple[tuple[str, str, str], ...]:
    """(row id, group, normalised label) of every printed row label."""
    hit = _LABELS.get(id(grid))
    if hit is None or hit[0] is not grid:
        labels = tuple((r.id, r.group, normalise_label(lab)) for r in grid.rows for lab in r.labels if normalise_label(lab))
        hit = _LABELS[id(grid)] = (grid, labels)
    return hit[1]


_LABELS: dict[int, tuple[Grid, tuple[tuple[str, str, str], ...]]] = {}


def _match_row(grid: Grid, acc: str, group: str | None, seen: set[str]) -> str | None:
    """The row whose label the text read since the previous row ends with (exactly, wrapped, or misprinted)."""
    best = _best_row(grid, acc, group, seen, fuzzy=False)
    return best if best is not None else _best_row(grid, acc, group, seen, fuzzy=True)


def _best_row(grid: Grid, acc: str, group: str | None, seen: set[str], fuzzy: bool) -> str | None:
    best: tuple[int, int, str] | None = None
    for rid, rgroup, lab in _labels(grid):
        if rid in seen:
            continue
        if len(lab) < 4 and rgroup not in ("", "results") and rgroup != group:
            continue  # "其他" means 3.其他 only under （六）其他处理
        if fuzzy:
            if len(lab) < 6 or not _near(acc, lab):
                continue
            end = len(acc)  # a misprinted label ("其他法律行政止公开")
        else:
            end = acc.rfind(lab)
            if end != -1:
                end += len(lab)
            else:
                k = next((k for k in range(len(lab) - 1, 5, -1) if acc.endswith(lab[:k])), 0)
                if not k:
                    continue
                end = len(acc)  # a label wrapped onto the next line: its first part ends the text
        if end < len(acc) - 12:
            continue  # too far back: the text since belongs to something else
        cand = (end, len(lab), rid)
        if best is None or cand[:2] > best[:2]:
            best = cand
    return best[2] if best else None


def _label_count(grid: Grid, acc: str) -> int:
    """How many distinct row labels the text names (a wrapped or misprinted one is not counted, nor a
    label that is also a group's, like （六）其他处理 above its three sub-rows)."""
    groups = {normalise_label(g) for gl in grid.groups.values() for g in gl}
    found = [(rid, lab) for rid, _g, lab in _labels(grid) if len(lab) >= 4 and lab in acc and lab not in groups]
    # "传真申请数" inside "信函、传真申请数" is one label, not two
    return len({rid for rid, lab in found if not any(lab != other and lab in other for _, other in found)})


def _near(acc: str, lab: str) -> bool:
    from difflib import SequenceMatcher

    if len(set(acc[-len(lab) - 3:]) & set(lab)) < 0.6 * len(set(lab)):
        return False
    best = 0.0
    for k in range(max(4, len(lab) - 4), len(lab) + 3):
        tail = re.sub(r"^[0-9]+", "", acc[-k:])
        best = max(best, SequenceMatcher(None, tail, lab, autojunk=False).ratio())
    return best >= 0.8


def _read_region(doc: Document, ruleset: RuleSet, grid: Grid, region: list[Tok]) -> tuple[list[Figure], list[str]]:
    ncols = len(grid.columns)
    labelled = bool(grid.rows and grid.rows[0].labels)
    group_labels = {gid: [normalise_label(g) for g in gl] for gid, gl in grid.groups.items()}
    out: list[Figure] = []
    notes: list[str] = []
    acc, raw_acc, group = "", "", None
    row: str | None = None
    values: list[Tok] = []
    seen: set[str] = set()
    trouble = 0
    required = {r.id for r in grid.rows if r.labels and r.id not in grid.optional_rows}
    orphans = 0  # numbers that belong to no row: trouble only if another row follows them
    recovered: list[str] = []
    ambiguous: dict[str, list[list[Tok]]] = {}

    def close_row() -> None:
        """The text after a row came before all its numbers: glued cells, or a broken row."""
        nonlocal trouble
        splits = unglue(values, ncols, *_row_checks(ruleset, grid, row)) if values else []
        if len(splits) == 1:
            out.extend(_figures(doc, ruleset, grid, row, splits[0]))
            recovered.append(_row_label(grid, row))
        elif len(splits) > 1:
            ambiguous[row] = splits
        elif labelled:
            # the next row has its own label, so nothing shifts: only this row is unreadable
            notes.append(f"{grid.title}：{_row_label(grid, row)} 一行只有 {len(values)} 个数字（应为 {ncols} 个），未能读取")
        else:
            notes.append(f"{grid.title}：一行只读到 {len(values)} 个数字（应为 {ncols} 个）")
            trouble += 1

    for t in region:
        if labelled and required and required <= seen:
            break  # every row read: what follows is no longer this table
        if t.kind == "text":
            if row is not None and values:
                close_row()
                seen.add(row)
                row, values, acc, raw_acc = None, [], "", ""
                if not labelled:
                    break
            raw_acc = (raw_acc + t.text)[-300:]
            acc = normalise_label(raw_acc)  # the whole text at once, so a bracketed note split over lines goes
            hits = [(acc.rfind(g), gid) for gid, gl in group_labels.items() for g in gl if g and g in acc]
            if hits:
                group = max(hits)[1]  # the group whose label comes last
            continue
        if row is None:
            if labelled and _label_count(grid, acc) > 1:
                # several row labels with no numbers between: the cells come column by column (or
                # scrambled), so which number belongs to which row cannot be told
                notes.append(f"{grid.title}：行标签与数字的顺序对不上（可能按列排列）")
                trouble += 1
                acc, raw_acc = "", ""
                continue
            row = _match_row(grid, acc, group, seen) if labelled else ("" if "" not in seen else None)
            if row is None:
                if out:
                    orphans += 1
                continue
            if orphans:
                trouble += 1  # numbers in the middle of the table that belong to no row
                notes.append(f"{grid.title}：有数字不属于任何一行（行标签缺失）")
                orphans = 0
            if labelled and not next(r for r in grid.rows if r.id == row).group:
                group = None
        values.append(t)
        if len(values) == ncols:
            out.extend(_figures(doc, ruleset, grid, row, values))
            seen.add(row)
            row, values, acc, raw_acc = None, [], "", ""
            if not labelled:
                break
    if row is not None and values:
        close_row()
    if ambiguous:
        chosen = _resolve(ruleset, grid, out, ambiguous)
        for rid, split in ambiguous.items():
            if rid in chosen:
                out.extend(_figures(doc, ruleset, grid, rid, chosen[rid]))
                recovered.append(_row_label(grid, rid))
            else:
                notes.append(f"{grid.title}：{_row_label(grid, rid)} 一行数字粘连，拆分方式不唯一（{len(split)} 种），未能读取")
    if trouble:
        # one misplaced number shifts every cell after it: no cell of this table can be trusted
        for f in out:
            f.state, f.value = "unreadable", None
        notes.append(f"{grid.title}：文本中的表格结构已损坏，表中数字未用于核对")
    elif recovered:
        notes.append(f"{grid.title}：以下行的数字粘连在一起，已按表内勾稽关系唯一拆分：{'、'.join(recovered)}")
    return out, list(dict.fromkeys(notes))


def unglue(values: list[Tok], ncols: int, sums: list[tuple[int, list[int]]],
           leqs: list[tuple[int, int]] = ()) -> list[list[Tok]]:
    """Every way to cut the digits of ``values`` into ``ncols`` numbers (no leading zeros, cuts kept
    between tokens) for which the row's own identities hold; each number keeps its exact position."""
    if any(t.state != "value" or not t.text.isdigit() for t in values):
        return []
    digits = "".join(t.text for t in values)
    if len(digits) < ncols or len(digits) > ncols * 7:
        return []
    owner = [(t, i) for t in values for i in range(len(t.text))]
    forced = set()
    pos = 0
    for t in values[:-1]:
        pos += len(t.text)
        forced.add(pos)
    out: list[list[Tok]] = []

    def parts_ok(cuts: list[int]) -> bool:
        nums = [int(digits[a:b]) for a, b in zip(cuts, cuts[1:], strict=False)]
        return all(nums[total] == sum(nums[p] for p in parts) for total, parts in sums) and all(
            nums[a] <= nums[b] for a, b in leqs)

    def walk(start: int, cuts: list[int]) -> None:
        if len(out) > 50:
            return
        left = ncols - (len(cuts) - 1)
        if left == 0:
            if start == len(digits) and parts_ok(cuts):
                out.append(_tokens(owner, digits, cuts))
            return
        for end in range(start + 1, min(len(digits), start + 7) + 1):
            piece = digits[start:end]
            if len(piece) > 1 and piece[0] == "0":
                break
            if any(start < f < end for f in forced):
                break  # a cut the text itself makes (a space between numbers) cannot be inside a number
            if len(digits) - end < left - 1 or len(digits) - end > (left - 1) * 7:
                continue
            walk(end, cuts + [end])

    walk(0, [0])
    return out


def _tokens(owner: list[tuple[Tok, int]], digits: str, cuts: list[int]) -> list[Tok]:
    toks = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        t, i = owner[a]
        toks.append(Tok("num", digits[a:b], t.block, t.start + i, float(int(digits[a:b])), 0))
    return toks


def _row_checks(ruleset: RuleSet, grid: Grid, row: str) -> tuple[list[tuple[int, list[int]]], list[tuple[int, int]]]:
    """The rules that lie within one row of a grid, as column positions: sums (N1 总计 = six columns, N4)
    and inequalities (本年度 ≤ 历年累计)."""
    col = {grid.key(row, c.id): i for i, c in enumerate(grid.columns)}
    sums, leqs = [], []
    for r in ruleset.rules:
        if r.kind == "sum" and isinstance(r.params.get("parts"), list) and not r.params.get("optional"):
            keys = [r.params["total"], *r.params["parts"]]
            if all(k in col for k in keys):
                sums.append((col[keys[0]], [col[k] for k in keys[1:]]))
        elif r.kind == "leq":
            leqs.extend((col[a], col[b]) for a, b in r.params["pairs"] if a in col and b in col)
    return sums, leqs


def _resolve(ruleset: RuleSet, grid: Grid, read: list[Figure], ambiguous: dict[str, list[list[Tok]]]) -> dict[str, list[Tok]]:
    """The one choice of splits for the ambiguous rows under which the grid's identities (N2, N3) hold.

    Hints (what the table almost always says, e.g. channels adding up to the total) are tried first;
    if they leave no or several choices, the prescribed identities alone decide.
    """
    known = {f.key: f.value for f in read if f.value is not None}
    rules = [r for r in ruleset.rules if r.kind in ("sum", "balance", "leq")
             and all(ruleset.figures[k].grid == grid.id for k in _rule_keys(r) if k in ruleset.figures)]
    for candidate_rules in (rules, [r for r in rules if not r.params.get("hint")]):
        chosen = _unique_choice(grid, known, ambiguous, candidate_rules)
        if chosen:
            return chosen
    return {}


def _rule_keys(rule) -> list[str]:
    p = rule.params
    if rule.kind == "sum" and isinstance(p.get("parts"), list):
        return [p["total"], *p["parts"]]
    if rule.kind == "balance":
        return [*p["left"], *p["right"]]
    if rule.kind == "leq":
        return [k for pair in p["pairs"] for k in pair]
    return []


def _unique_choice(grid: Grid, known: dict, ambiguous: dict[str, list[list[Tok]]], rules: list) -> dict[str, list[Tok]]:
    import itertools

    rows = list(ambiguous)
    good = None
    for combo in itertools.islice(itertools.product(*(ambiguous[r] for r in rows)), 50000):
        values = dict(known)
        for rid, split in zip(rows, combo, strict=True):
            for c, t in zip(grid.columns, split, strict=True):
                values[grid.key(rid, c.id)] = t.value
        if all(_holds(r, values) for r in rules):
            if good is not None:
                return {}
            good = combo
    return dict(zip(rows, good, strict=True)) if good else {}


def _holds(rule, values: dict[str, float | None]) -> bool:
    p = rule.params
    if rule.kind == "leq":
        return all(values.get(a) is None or values.get(b) is None or values[a] <= values[b] for a, b in p["pairs"])
    optional = set(p.get("optional") or [])
    if rule.kind == "sum":
        if values.get(p["total"]) is None:
            return True
        parts = [values.get(k) for k in p["parts"]]
        if any(v is None for k, v in zip(p["parts"], parts, strict=True) if k not in optional):
            return True  # not checkable
        return abs(values[p["total"]] - sum(v for v in parts if v is not None)) < 1e-9
    left = [values.get(k) for k in p["left"]]
    right = [values.get(k) for k in p["right"]]
    if any(v is None for v in left + right):
        return True
    return abs(sum(left) - sum(right)) < 1e-9


def _row_label(grid: Grid, rid: str) -> str:
    r = next(r for r in grid.rows if r.id == rid)
    return r.labels[0] if r.labels else grid.title


def _figures(doc: Document, ruleset: RuleSet, grid: Grid, rid: str, values: list[Tok]) -> list[Figure]:
    out = []
    for col, t in zip(grid.columns, values, strict=True):
        key = grid.key(rid, col.id)
        pos = doc.blocks[t.block].locate(t.start)
        label = ruleset.label(key)
        out.append(Figure(key=key, label=label, value=t.value, decimals=t.decimals, state=t.state, unit="",
                          source="table", line=pos.line, column=pos.column, page=pos.page, text=t.text,
                          context=label))
    return out
