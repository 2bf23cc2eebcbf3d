"""sections: the report has the prescribed sections (一、总体情况 … 六、其他需要报告的事项), in order.

Headings are found by their numeral and a key word of their title, wherever the text puts them
(on their own line, or inline in a page flattened to one line).

Pass::

    一、总体情况 … 二、主动公开政府信息情况 … 六、其他需要报告的事项

Fail::

    一、总体情况 … 三、收到和处理政府信息公开申请情况 … (二 missing)
"""

from __future__ import annotations

import bisect
import itertools
import re
from typing import Any

from validator.checks.base import Context, Kind
from validator.model import Location


class Sections(Kind):
    NAME = "sections"
    EXAMPLE_PASS = "一、总体情况 … 二、主动公开政府信息情况 … 六、其他需要报告的事项"
    EXAMPLE_FAIL = "一、总体情况 … 三、收到和处理政府信息公开申请情况 …（缺少二）"

    def __init__(self, rule, ruleset) -> None:
        super().__init__(rule, ruleset)
        self.sections = rule.params["sections"]
        self.patterns = [
            re.compile(rf"(?:^|[\s。；;：:>0-9）)])\s*{s['id']}\s*[、.．]\s*[^。\n]{{0,16}}?(?:{'|'.join(s['patterns'])})")
            for s in self.sections
        ]
        # (for the whole text: "$" in a pattern is a block's end there too)
        self.joined_patterns = [re.compile(p.pattern, re.MULTILINE) for p in self.patterns]
        # Plain patterns (no anchors, boundaries or look-arounds in the titles' words) match the whole
        # text exactly where they match a block, so no hit there means no heading; any other, to be safe,
        # is looked for in every block.
        self.plain = [not any(t in "".join(s["patterns"]) for t in ("$", "\\", "(?", "^")) for s in self.sections]
        # Where a heading's numeral is, followed by its mark ("二、"): rare, and found fast, as the search
        # starts with a literal. (The whole pattern starts with a class, so a search for it tries every position.)
        self.leads = [re.compile(rf"(?:{s['id']})(?=\s*[、.．])") for s in self.sections]

    def _search(self, i: int, text: str, whole: bool = False) -> re.Match[str] | None:
        """``pattern.search(text)`` for section ``i``, the same match, found faster: the pattern is tried only
        where it can start, before a numeral with its mark (at the white space before it, or the character
        before that, or the text's start)."""
        pat = (self.joined_patterns if whole else self.patterns)[i]
        if not self.plain[i]:
            return pat.search(text)
        for lead in self.leads[i].finditer(text):
            q = r = lead.start()
            while r > 0 and text[r - 1].isspace():  # (str.isspace is what \s matches)
                r -= 1
            for start in range(max(r - 1, 0), q + 1):
                m = pat.match(text, start)
                if m:
                    return m
        return None

    def _found(self, ex) -> list[tuple[int, int, int] | None]:
        """For each section: (block, offset) of its heading, or None."""
        blocks = ex.doc.blocks
        # One search of the whole text says from which block on to look: a heading found in a block is
        # found in the joined text too, at or after that block's start (less its "\n"), so no block
        # before the first hit there can hold one. (No hit there: no block holds one, for plain patterns.)
        joined = "\n".join(b.text for b in blocks)
        starts = list(itertools.accumulate((len(b.text) + 1 for b in blocks[:-1]), initial=0))
        out: list[tuple[int, int, int] | None] = []
        for i, plain in enumerate(self.plain):
            hit = None
            first = self._search(i, joined, whole=True)
            if first is not None:
                since = bisect.bisect_right(starts, first.start()) - 1
            else:
                since = len(blocks) if plain else 0
            for bi in range(since, len(blocks)):
                m = self._search(i, blocks[bi].text)
                if m:
                    start = m.start() + len(m.group(0)) - len(m.group(0).lstrip(" \t。；;：:>\n0123456789）)"))
                    hit = (bi, start, 0)
                    break
            out.append(hit)
        return out

    def frame(self, ctx: Context):
        import pandas as pd

        rows = []
        for ri, ex in enumerate(ctx.extractions):
            found = self._found(ex)
            missing = [s["id"] for s, f in zip(self.sections, found, strict=True) if f is None]
            present = [(f[0], f[1], s["id"]) for s, f in zip(self.sections, found, strict=True) if f is not None]
            ordered = [p[2] for p in sorted(present)]
            expected = [p[2] for p in present]
            rows.append({"report": ri, "missing": missing, "ordered": ordered, "expected": expected,
                         "ok": not missing and ordered == expected})
        return pd.DataFrame(rows, columns=["report", "missing", "ordered", "expected", "ok"])

    def passes(self, df):
        return df["ok"].astype(bool)

    def explain(self, ctx: Context, df, row: Any):
        r = ctx.record(df, row)
        ex = ctx.extractions[int(r["report"])]
        titles = {s["id"]: s["title"] for s in self.sections}
        out = []
        doc_loc = Location(key="document", label="全文", value=None, text="", source="document", line=1, column=1)
        if r["missing"]:
            names = "、".join(f"{i}、{titles[i]}" for i in r["missing"])
            out.append(self.finding(f"报告缺少规定的部分：{names}", f"the report lacks the prescribed section(s): "
                                    f"{', '.join(r['missing'])}", expected="六个部分", actual=f"缺少 {len(r['missing'])} 个",
                                    locations=[doc_loc], instance="missing"))
        if list(r["ordered"]) != list(r["expected"]):
            found = dict(zip([s["id"] for s in self.sections], self._found(ex), strict=True))
            locs = []
            for sid in r["ordered"]:
                bi, off, _ = found[sid]
                pos = ex.doc.blocks[bi].locate(off)
                locs.append(Location(key=f"section.{sid}", label=titles[sid], value=None, text=sid, source="narrative",
                                     line=pos.line, column=pos.column, page=pos.page, role="heading",
                                     context=ex.doc.blocks[bi].text[off:off + 30]))
            out.append(self.finding(f"报告各部分顺序为 {'、'.join(r['ordered'])}，应为 {'、'.join(r['expected'])}",
                                    f"the sections come in the order {', '.join(r['ordered'])}",
                                    expected="、".join(r["expected"]), actual="、".join(r["ordered"]), locations=locs,
                                    instance="order"))
        return out
