"""Figures stated in the narrative: counts with units, percentages and outcome breakdowns.

- every count keeps its unit and the phrase before it; the phrase is matched to a table figure
  when the template knows it ("共受理申请2555件" → 收到申请数);
- every percentage is tied to the count it describes and to the total it is a share of: the figure
  the text names ("占全区主动公开政府信息数的比例为57.9%") or, for "占总数", the nearest preceding
  total that is not itself one of the listed parts;
- every outcome breakdown ("维持42件，撤销25件…") is classified by the template's wording map.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from unicodedata import is_normalized as _is_nfkc

from validator.extract.labels import normalise_label
from validator.numbers import (
    ARABIC_LONGEST,
    CN_NUMERAL,
    _approx,
    arabic_value,
    chinese_value,
    nfkc_keeping_offsets,
    number_regex,
)
from validator.read.document import Document
from validator.ruleset import Breakdown, RuleSet

COUNT_UNITS = ("人次", "件次", "万元", "亿元", "元", "件", "条", "次", "个", "人", "名", "篇", "项", "期", "份",
               "家", "场", "宗", "起", "部", "批", "则", "封", "户", "天", "小时")
MONEY = {"元": 1.0, "万元": 10_000.0, "亿元": 100_000_000.0}
# Units a narrative may use for a figure of a given unit (a "6个部分" is not a count of 件).
COMPATIBLE_UNITS = {
    "件": {"件", "宗", "起", "例", "件次", "份", "次"},
    "条": {"条", "件", "篇", "项", "份", "个"},
    "篇": {"篇", "条", "件", "份"},
    "次": {"次", "场", "期", "场次"},
    "个": {"个", "家", "处", "所"},
    "人": {"人", "名", "人次"},
    "人次": {"人次", "人", "名"},
}
DATE_UNITS = ("年", "月", "日", "号", "时", "分", "岁", "届", "季度", "周")
_DELIMS = "，,。；;：:！？!?\n"  # clause ends, the sentence ends among them
_DELIM_RE = re.compile(f"[{_DELIMS}]")
_LEAD_WORDS = ("其中", "包括", "以及", "另有", "分别", "共计", "合计", "总计", "共", "及", "和", "与", "、", "“", "\"")
_TAIL_WORDS = ("的比例为", "的比重为", "的比例", "比例为", "比重为", "数量为", "数为", "达到", "共计", "合计", "总计",
               "约为", "的", "为", "达", "共", "计", "约", "近", "超过", "逾", "有")
_TOTAL_WORDS = ("总数", "总量", "全部", "总体", "总件数", "申请总数", "总和", "合计")
# What follows a number (after at most 3 spaces: PDF text puts spaces between digits and words): a date
# unit, a percent sign, or (after 余/多) a count unit, the first of COUNT_UNITS that fits. A look-ahead
# after the number (it always succeeds: all of it is optional), so that a number and what follows it are
# one match, and the scan resumes right after the number, as it would without it.
_FOLLOWING = (
    rf"(?=[ \u3000\xa0]{{0,3}}+(?:(?P<date>{'|'.join(map(re.escape, DATE_UNITS))})|(?P<percent>[%％])"
    rf"|[余多]?(?P<unit>{'|'.join(map(re.escape, COUNT_UNITS))}))?)"
)
_ALL_NUMBERS = re.compile(number_regex().pattern + _FOLLOWING)
# The numbers a figure can be (fast path): Chinese numerals only where a unit, percent sign or date unit
# may follow, or after 第 (the last two matter as they end the clause before the next figure); the others
# (一方面, 统一…), most Chinese numerals in the narrative, are not even found. A run that fails is not
# tried again from within (its tail has the same end, and a numeral, not 第, before it): the look-behind
# only keeps a long run of numerals from costing quadratic time. (A run of 300 numerals or more is found
# anyway: its value may be too large for a float, or for int() to read, and reading it failed before.)
_FIRSTS = "".join(dict.fromkeys(w[0] for w in (*COUNT_UNITS, *DATE_UNITS, "%", "％")))
_FIGURE_NUMBERS = re.compile(number_regex(
    rf"(?<![{CN_NUMERAL}]{{2}})(?:(?<=第.)[{CN_NUMERAL}]*+|[{CN_NUMERAL}]{{299}}[{CN_NUMERAL}]*+"
    rf"|[{CN_NUMERAL}]*+(?=[ \u3000\xa0]{{0,3}}[余多]?[{re.escape(_FIRSTS)}]))"
).pattern + _FOLLOWING)
# (the groups by number: a look-up by name costs more; both patterns number them alike)
_UNIT, _PERCENT = _FIGURE_NUMBERS.groupindex["unit"], _FIGURE_NUMBERS.groupindex["percent"]
assert (_UNIT, _PERCENT) == (_ALL_NUMBERS.groupindex["unit"], _ALL_NUMBERS.groupindex["percent"])
# What _approx looks at first: the character after a number, the one before it ("" too: at the text's ends)
_APPROX_AFTER_FIRST = "余多左以上"
_APPROX_BEFORE_LAST = "过逾近约"
_HEADING = re.compile(r"^\s*(?:[(（]?[一二三四五六七八九十\d]{1,2}[)）]|[一二三四五六七八九十]{1,2}[、.．]|\d{1,2}[、.．])")


@dataclass(slots=True)
class Stated:
    """One number in the narrative."""

    idx: int
    block: int
    start: int
    end: int  # end of the number and its unit
    value: float
    decimals: int
    text: str
    unit: str
    approx: str
    percent: bool
    phrase: str
    line: int
    column: int
    page: int | None
    context: str
    context_offset: int = -1
    key: str | None = None
    role: str = ""  # "", "breakdown", "percent"
    after: str = ""  # the words after the number that named its figure ("有关政府信息公开行政复议申请")
    bare: bool = False  # no unit (a count only by context)


@dataclass
class PercentStatement:
    """"X件，占总数的Y%": the percentage, its count and its total (indices into ``numbers``)."""

    percent: int
    count: int
    total: int | None
    total_key: str | None  # when the text names the total by a table label and states no number
    phrase: str


@dataclass
class BreakdownItem:
    number: int
    category: str | None  # figure key of the table row it maps to


@dataclass
class BreakdownStatement:
    breakdown: Breakdown
    total: int  # index into numbers
    items: list[BreakdownItem] = field(default_factory=list)


@dataclass
class Narrative:
    numbers: list[Stated]
    percents: list[PercentStatement]
    breakdowns: list[BreakdownStatement]


_CACHE_LIMIT = 50_000


class PhraseIndex:
    """Finds the figure a narrative phrase names, by the template's labels and narrative phrases."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        aliases: dict[str, set[str]] = {}
        for f in ruleset.figures.values():
            for a in (*f.labels, *f.narrative):
                n = normalise_label(a)
                if len(n) >= 2:
                    aliases.setdefault(n, set()).add(f.key)
        # an alias shared by two figures names neither
        self.aliases = {a: next(iter(k)) for a, k in aliases.items() if len(k) == 1}
        self.by_last: dict[str, list[tuple[str, str]]] = {}
        for a, k in self.aliases.items():
            self.by_last.setdefault(a[-1], []).append((a, k))
        # remembered by the phrase as printed and by its core (phrases vary from report to report:
        # bounded, so a worker's memory stays flat)
        # match(phrase, strong_only=False): the figure a phrase names, an alias ending it (strong), or
        # ending within 4 characters of its end (the remembered function itself: no method around it)
        self.match = lru_cache(maxsize=_CACHE_LIMIT)(self._match_printed)
        self._core = lru_cache(maxsize=_CACHE_LIMIT)(self._match)

    def _match_printed(self, phrase: str, strong_only: bool = False) -> str | None:
        p = _strip_tail(normalise_label(phrase))
        return self._core(p, strong_only) if p else None

    def _match(self, p: str, strong_only: bool) -> str | None:
        best: tuple[int, str] | None = None
        ambiguous = False
        candidates = [c for ch in dict.fromkeys(p[-5:]) for c in self.by_last.get(ch, ())]
        for alias, key in candidates:
            if p.endswith(alias):
                score = 1000 + len(alias)
            elif not strong_only and alias in p and len(p) - (p.rfind(alias) + len(alias)) <= 4:
                score = len(alias)  # the alias ends just before the number ("…申请中，已到答复期的")
            else:
                continue
            if best is None or score > best[0]:
                best, ambiguous = (score, key), False
            elif score == best[0] and key != best[1]:
                ambiguous = True
        if best is None or ambiguous:
            return None
        return best[1]


@lru_cache(maxsize=8192)
def _strip_tail(p: str) -> str:
    if not p.endswith(_TAIL_WORDS):
        return p
    changed = True
    while changed and p:
        changed = False
        for w in _TAIL_WORDS:
            if p.endswith(w) and len(p) > len(w):
                p = p[: -len(w)]
                changed = True
    return p


def _clause_begin(rev: str, pos: int, floor: int) -> int:
    """Where the clause holding ``pos`` starts: just after the last delimiter (``_DELIMS``) before ``pos``,
    but not before ``floor``. ``rev`` is the text reversed, where that delimiter is the first one a search
    from ``pos`` finds (no further than ``floor``): each figure costs only the length of its clause, not
    of its block. (tests/test_narrative_fast.py holds it to a bisection of the list of delimiters.)"""
    if pos <= floor:
        return pos
    n = len(rev)
    m = _DELIM_SEARCH(rev, n - pos, n - floor)
    return n - m.start() if m else floor


_DELIM_SEARCH = _DELIM_RE.search


@lru_cache(maxsize=8192)
def _clean_phrase(s: str) -> str:
    s = s.strip(" \t\xa0\u3000,，、;；:：“”\"")
    if s.endswith("的") and len(s) > 1:
        s = s[:-1].rstrip("“”\"")
    changed = s.startswith(_LEAD_WORDS)
    while changed:
        changed = False
        for w in _LEAD_WORDS:
            if s.startswith(w) and len(s) > len(w):
                s = s[len(w):].lstrip(" ,，、:：")
                changed = True
    return s


def phrase_index(ruleset: RuleSet) -> PhraseIndex:
    """The phrase index of a rule set, built once per process."""
    return ruleset.memo("phrase_index", PhraseIndex)


def extract_narrative(doc: Document, ruleset: RuleSet,
                      skip_blocks: set[int] | dict[int, list[tuple[int, int]]] | None = None) -> Narrative:
    """Every count, percentage and outcome breakdown the narrative states.

    ``skip_blocks``: blocks that are table, or (a dict) the character spans of blocks that are.
    """
    spans = skip_blocks if isinstance(skip_blocks, dict) else {}
    if isinstance(skip_blocks, dict):
        skip_blocks = {b for b, ss in skip_blocks.items() if any(a == 0 and e >= len(doc.blocks[b].text) for a, e in ss)}
    phrases = phrase_index(ruleset)
    match = phrases.match
    numbers: list[Stated] = []
    # the figure each number's phrase names (phrases.match(n.phrase); None for a percentage), worked out
    # once for _breakdowns, the figures' keys and _percents
    named: list[str | None] = []
    percents: list[Stated] = []  # the percentages among them, collected as they are found
    headings: set[int] = set()
    for bi, block in enumerate(doc.blocks):
        if (skip_blocks and bi in skip_blocks) or block.where == "table":
            continue
        text = block.text
        if not _is_nfkc("NFKC", text):  # (most blocks are: no call to make)
            text = nfkc_keeping_offsets(text)
        if len(text) <= 24 and _HEADING.match(text):
            headings.add(bi)
        prev_end = 0
        table_spans = spans.get(bi, ())
        rev: str | None = None  # the text reversed, made at the first figure: where clauses and sentences start
        # (a table span keeps every Chinese numeral: one in a span ends the clause before the next figure)
        pattern = _ALL_NUMBERS if table_spans else _FIGURE_NUMBERS
        # scan_numbers(text, pattern) (tests/number_oracle.py), inlined for speed: no generator, and no value for the numbers
        # dropped before it is needed (years, dates, 第…); tests/test_narrative_fast.py holds them equal
        for token in pattern.finditer(text):
            tok_start, tok_end = token.span()
            kind = token.lastgroup  # "date", "percent", "unit"; else "cn" (Chinese) or None (Arabic)
            first = text[tok_start]
            chinese = first in CN_NUMERAL
            if chinese:
                parsed = chinese_value(text[tok_start:tok_end])
                if parsed is None:
                    continue
            else:
                if first in "-－−" and tok_start and text[tok_start - 1].isdigit():
                    tok_start += 1  # "2017-2018": a range, not a negative number
                if tok_end - tok_start > ARABIC_LONGEST:
                    continue  # no number (as an over-long run of Chinese numerals): it could read as inf
            if table_spans and any(a <= tok_start < e for a, e in table_spans):
                prev_end = tok_end
                continue
            before = text[tok_start - 1] if tok_start else ""  # (the character before the number)
            if kind == "date" or before == "第":
                prev_end = tok_end
                continue
            if chinese:
                value, decimals = float(parsed), 0
            else:
                raw = text[tok_start:tok_end]
                value, decimals = (float(raw), 0) if raw.isdigit() and raw.isascii() else arabic_value(raw)
            if kind == "unit":
                percent, unit, end = False, token.group(_UNIT), token.end(_UNIT)
            elif kind == "percent":
                percent, unit, end = True, "%", token.end(_PERCENT)
            else:
                if chinese or value >= 10_000_000:
                    continue  # 一方面, 统一…: Chinese numerals count only with a unit; telephone numbers and codes
                percent, unit, end = False, "", tok_end
            if rev is None:  # the block's first figure
                rev = text[::-1]
                n_text = len(text)
                # the last sentence worked out (its start, the offset of its end, its text), while its ends
                # are known to bound the next figure's too: the figures of one sentence share it
                sentence_start, sentence_end, sentence = 0, -1, ""
                anchors = block.anchors  # one anchor (a line of a text file): block.place, without a call
                first_anchor = anchors[0] if len(anchors) == 1 else None
            # _clause_begin(rev, tok_start, prev_end), inlined
            if tok_start <= prev_end:
                start_clause = tok_start
            else:
                m = _DELIM_SEARCH(rev, n_text - tok_start, n_text - prev_end)
                start_clause = n_text - m.start() if m else prev_end
            if first_anchor is not None:
                line, column, page = first_anchor[1], first_anchor[2] + tok_start - first_anchor[0], first_anchor[3]
            else:
                line, column, page = block.place(tok_start)
            # _sentence_at(text, rev, tok_start, end), or the previous figure's sentence when it has the
            # same result: its ends (both found, no end between them) within reach of this figure's
            if tok_start - sentence_start < _REACH and end <= sentence_end < end + _REACH:
                context, context_offset = sentence, tok_start - sentence_start
            else:  # _sentence_at(text, rev, tok_start, end), inlined
                lo = tok_start - _REACH if tok_start > _REACH else 0
                m = _END_SEARCH(rev, n_text - tok_start, n_text - lo)
                if m:
                    a, cut_before = n_text - m.start(), False  # just after the previous sentence's end
                else:
                    a = lo
                    cut_before = a > 0 and text[a - 1] not in _SENTENCE_ENDS
                m = _END_SEARCH(text, end, end + _REACH)
                cut_after = False
                if m:
                    b = m.end()  # up to the sentence's end, with it
                else:
                    b = end + _REACH
                    if b >= n_text:
                        b = n_text
                    elif text[b] in _SENTENCE_ENDS:
                        b += 1
                    else:
                        cut_after = True
                context, context_offset = text[a:b], tok_start - a
                if cut_before or cut_after:
                    if cut_before:
                        context, context_offset = "…" + context, context_offset + 1
                    if cut_after:
                        context += "…"
                    sentence_end = -1
                else:  # from a sentence end or the text's start to the next end or the text's end: known
                    # to bound the next figure's too, while both are within its reach
                    sentence_start, sentence_end, sentence = a, b - 1, context
            # (_approx only where an approximation word may touch the number: most have none)
            approx = (_approx(text, tok_start, tok_end) if text[tok_end:tok_end + 1] in _APPROX_AFTER_FIRST
                      or before in _APPROX_BEFORE_LAST else "")
            phrase = _clean_phrase(text[start_clause:tok_start])
            numbers.append(Stated(  # positional, in field order: keywords take twice as long
                len(numbers), bi, tok_start, end, value, decimals,
                block.text[tok_start:tok_end],  # text, as printed (the search ran on the NFKC form)
                unit, approx, percent, phrase,
                line, column, page, context, context_offset, None, "", "",
                not unit,  # bare (a percentage's unit is "%")
            ))
            if percent:
                percents.append(numbers[-1])
                named.append(None)
            else:
                named.append(match(phrase))
            prev_end = end
    breakdowns = _breakdowns(doc, ruleset, numbers, named)
    in_breakdown = {it.number for b in breakdowns for it in b.items}
    figures = ruleset.figures
    # the indices of each figure's numbers (no percentages), in order: where _percents looks for totals
    by_key: dict[str, list[int]] = {}
    for n in numbers:
        if n.percent or n.idx in in_breakdown:
            continue  # (a breakdown's items keep no key; its total gets one here)
        phrase = n.phrase
        if n.bare and not normalise_label(phrase).endswith("数"):
            continue
        key = named[n.idx]
        if key is None:
            # the wider phrase: the text since the previous number of the block (labels with commas inside)
            lo, i = 0, n.idx - 1
            while i >= 0 and (m := numbers[i]).block == n.block:
                if m.end <= n.start:
                    lo = m.end
                    break
                i -= 1
            wider = _clean_phrase(doc.blocks[n.block].text[lo:n.start])
            if wider:
                key = phrases.match(wider, strong_only=True)
        if key is not None:
            if _SUB_SCOPE_SEARCH(phrase) is not None:
                key = None  # "各乡镇主动公开政府信息1037条": a part of the body, not the table's figure
            elif (exclude := figures[key].exclude) and any(w in n.context for w in exclude):
                key = None  # "开设窗口26个，共受理申请121510件": 审批 applications, not disclosure requests
        if key is None and n.unit:
            clean = _clean_phrase(phrase)
            if clean.endswith(_VERBS) and len(clean) <= 6:
                key = _after_match(doc, n, phrases)  # "收到1份有关政府信息公开行政复议申请"
        n.key = key
        if key is not None:
            by_key.setdefault(key, []).append(n.idx)
    shares = _percents(doc, numbers, percents, phrases, sorted(headings), by_key, named)
    return Narrative(numbers, shares, breakdowns)


def _back(numbers: list[Stated], idx: int, limit: int = 400):
    """The numbers before ``numbers[idx]``, nearest first, at most ``limit`` back: the searches for a
    share's total look only so far, so long documents stay linear."""
    return reversed(numbers[max(0, idx - limit):idx])


def _in_brackets(text: str, pos: int) -> bool:
    """Whether ``pos`` is inside a bracket: the nearest bracket before it (within a sentence) opens one."""
    lo = max(0, pos - 199)  # the nearest of （ ( ） ) 。 in the 199 characters before pos: an open bracket,
    i = max(text.rfind("（", lo, pos), text.rfind("(", lo, pos))  # with no ） ) 。 after it
    return i >= 0 and text.find("）", i, pos) < 0 and text.find(")", i, pos) < 0 and text.find("。", i, pos) < 0


def _sentence_at(text: str, rev: str, start: int, end: int) -> tuple[str, int]:
    """The sentence around ``text[start:end]`` (at most about 80 characters each side) and the figure's
    offset in it. The previous sentence end is the first a search of the reversed text ``rev`` finds from
    ``start`` back, the next the first a search from ``end`` finds, each search reaching no further than
    the context does, so a long unpunctuated run costs the same for every figure. (tests/test_narrative_fast.py
    holds it to a bisection of the list of sentence ends.)"""
    reach = _REACH
    n = len(text)
    lo = start - reach if start > reach else 0
    m = _END_SEARCH(rev, n - start, n - lo)
    if m:
        a, prefix = n - m.start(), ""  # just after the previous sentence's end
    else:
        a = lo
        prefix = "…" if a > 0 and text[a - 1] not in _SENTENCE_ENDS else ""
    m = _END_SEARCH(text, end, end + reach)
    if m:
        return prefix + text[a:m.end()], start - a + len(prefix)  # up to the sentence's end, with it
    b = min(n, end + reach)
    if b < n and text[b] not in _SENTENCE_ENDS:
        return prefix + text[a:b] + "…", start - a + len(prefix)
    return prefix + text[a:b + 1], start - a + len(prefix)


_SENTENCE_ENDS = "。；;！？!?\n"
_REACH = 80  # how far a figure's context reaches each side
_END_SEARCH = re.compile(f"[{re.escape(_SENTENCE_ENDS)}]").search

_SUB_SCOPES = ("各乡镇", "乡镇", "各单位", "区直", "县直", "市直", "各部门", "公开办", "管委会", "街道", "下属",
               "各区", "各县", "各地")


# Whether a phrase names a part of the body as its subject (乡镇, 区直单位, 某部门…): any of them, anywhere
_SUB_SCOPE_SEARCH = re.compile("|".join(map(re.escape, _SUB_SCOPES))).search


_VERBS = ("收到", "受理", "接到", "发生", "办理", "共有", "共")


def _after_match(doc: Document, n: Stated, phrases: PhraseIndex) -> str | None:
    """The figure named right after the number, when the words before it are only a verb."""
    text = doc.blocks[n.block].text
    raw = text[n.end:n.end + 30]
    if raw[:1] in "(（":
        return None
    for stop in "，,。；;：:(（":
        raw = raw.split(stop)[0]
    skip = next((len(w) for w in ("有关", "关于", "的") if raw.startswith(w)), 0)
    for k in range(len(raw), skip + 1, -1):
        key = phrases.match(raw[skip:k], strong_only=True)
        if key:
            n.after = raw[:k]
            return key
    return None


def _breakdowns(doc: Document, ruleset: RuleSet, numbers: list[Stated],
                named: list[str | None]) -> list[BreakdownStatement]:
    """"行政复议申请97件。其中，维持…42件，撤销的25件…" → items classified by the wording map.

    ``named``: the figure each number's phrase names (``PhraseIndex.match``), None for a percentage."""
    out: list[BreakdownStatement] = []
    first: dict[str, Breakdown] = {}  # the first breakdown of each total
    for b in ruleset.breakdowns:
        first.setdefault(b.total, b)
    consumed: set[int] = set()
    for n in numbers:
        if n.percent or n.bare or n.idx in consumed:
            continue
        bd = first.get(named[n.idx])
        if bd is None:
            continue
        text = doc.blocks[n.block].text
        # items follow in the same sentence, or in the next one when it starts with 其中
        dot = _sentence_end(text, n.end)
        stop = dot
        if dot < len(text) and text[dot + 1:dot + 5].lstrip().startswith("其中"):
            stop = _sentence_end(text, dot + 1)
        items = []
        # the numbers after n in its block, up to stop (a block's numbers are in order of their starts)
        for i in range(n.idx + 1, len(numbers)):
            m = numbers[i]
            if m.block != n.block or m.start >= stop:
                break
            if m.start < n.end or m.percent:
                continue
            if m.unit and (name := named[i]) is not None and any(
                    b.total == name for b in ruleset.breakdowns if b is not bd):
                break  # the next breakdown's total ("…；行政诉讼46件，其中…")
            items.append(m)
        if len(items) < 2:
            continue
        stmt = BreakdownStatement(bd, n.idx)
        consumed.update(m.idx for m in items)
        for m in items:
            stmt.items.append(BreakdownItem(m.idx, _classify(bd, m.phrase)))
            m.role = "breakdown"
        n.key = bd.total
        out.append(stmt)
    return out


def _sentence_end(text: str, start: int) -> int:
    """The index of the 。 or ； that ends the sentence running from ``start`` (or the text's end)."""
    ends = [i for i in (text.find("。", start), text.find("；", start), text.find(";", start)) if i != -1]
    return min(ends) if ends else len(text)


def _classify(bd: Breakdown, phrase: str) -> str | None:
    """The first category of ``bd`` one of whose patterns the phrase holds (remembered by the phrase:
    items are worded alike from report to report, "维持", "撤销的"; bounded)."""
    categories, memo = _category_patterns(bd)
    held = memo.get(phrase, _UNSEEN)
    if held is not _UNSEEN:
        return held
    found = next((key for key, patterns in categories if any(p.search(phrase) for p in patterns)), None)
    if len(memo) >= 4096:
        memo.clear()
    memo[phrase] = found
    return found


_UNSEEN = object()


def _category_patterns(bd: Breakdown) -> tuple[list[tuple[str, list[re.Pattern[str]]]], dict[str, str | None]]:
    """The categories of a template's breakdown, each with its patterns compiled, worked out once; and
    the categories of the phrases classified so far."""
    held = _PATTERNS.get(id(bd))
    if held is None or held[0] is not bd:
        if len(_PATTERNS) > 256:
            _PATTERNS.clear()
        held = _PATTERNS[id(bd)] = (bd, [(c.key, [re.compile(p) for p in c.patterns]) for c in bd.categories], {})
    return held[1], held[2]


_PATTERNS: dict[int, tuple[Breakdown, list[tuple[str, list[re.Pattern[str]]]], dict[str, str | None]]] = {}


def _percents(doc: Document, numbers: list[Stated], percents: list[Stated], phrases: PhraseIndex,
              headings: list[int], by_key: dict[str, list[int]], named: list[str | None]) -> list[PercentStatement]:
    """Each percentage (of ``percents``, those of ``numbers``) tied to its count and its total.

    ``by_key``: the indices of each figure's numbers (no percentages), in order: the searches for a
    share's total by its figure bisect these instead of walking back over every number. ``named``: the
    figure each number's phrase names (``phrases.match``)."""
    out: list[PercentStatement] = []
    numerators: set[int] = set()
    pending: list[tuple[Stated, Stated, str]] = []
    for p in percents:
        count = None  # the nearest number before p in its block that is not a percentage
        for i in range(p.idx - 1, -1, -1):
            m = numbers[i]
            if m.block != p.block:
                break
            if not m.percent:
                count = m
                break
        if count is None or count.bare and count.end < p.start - 30:
            continue
        between = doc.blocks[p.block].text[count.end:p.start]
        if "占" not in between or "。" in between or "；" in between or ";" in between:
            continue
        share = between[between.index("占") + 1:]
        numerators.add(count.idx)
        pending.append((p, count, share))
    if not pending:
        return out
    for p, count, share in pending:
        p.role = "percent"
        core = _strip_tail(normalise_label(share))
        total: Stated | None = None
        total_key: str | None = None
        if core and not core.startswith(_TOTAL_WORDS):
            total_key = phrases.match(share)
            if total_key:
                total = next(_keyed_back(numbers, by_key, total_key, count.idx), None)
        if total is None and total_key is None:
            subject = named[count.idx]  # "县直各单位主动公开政府信息303条": a share of 主动公开政府信息
            if subject is not None:
                total = next((m for m in _keyed_back(numbers, by_key, subject, count.idx)
                              if m.idx not in numerators and m.value >= count.value), None)
            if total is None:
                total = _lead(numbers, count, numerators, headings, doc)
        out.append(PercentStatement(p.idx, count.idx, total.idx if total else None,
                                    total_key if total is None else None, share))
    return out


def _keyed_back(numbers: list[Stated], by_key: dict[str, list[int]], key: str, idx: int, limit: int = 400):
    """``m for m in _back(numbers, idx, limit) if m.key == key and not m.percent``, found by bisection:
    ``by_key`` holds the indices of each figure's numbers (no percentages), in order."""
    held = by_key.get(key, [])
    stop = max(0, idx - limit)
    for k in range(bisect.bisect_left(held, idx) - 1, -1, -1):
        if held[k] < stop:
            return
        yield numbers[held[k]]


def _lead(numbers: list[Stated], count: Stated, numerators: set[int], headings: list[int],
          doc: Document | None = None) -> Stated | None:
    """The nearest preceding total a "占总数" share refers to, within the current heading's section.

    Numbers in brackets ("（含上年度结转申请18件…）") are details, never the total.
    """
    marks = headings  # sorted block indices of the headings
    below = bisect.bisect_right(marks, count.block)
    section = marks[below - 1] if below else -1  # the block of the heading count's section starts at
    for i in range(count.idx - 1, max(0, count.idx - 400) - 1, -1):  # (_back, by index: no copy of the list)
        m = numbers[i]
        # The bracket test comes last, as it costs most: a heading between also ends the search for
        # a number in brackets (every earlier number lies beyond it too), and a number that fails the
        # other tests is passed over either way.
        if m.block < section:
            return None  # a heading lies between: another section
        if m.percent or m.idx in numerators or m.role == "breakdown":
            continue
        if m.unit in MONEY or m.decimals:
            continue
        if m.value >= count.value and m.value > 0:
            if doc is not None and _in_brackets(doc.blocks[m.block].text, m.start):
                continue
            return m
    return None
