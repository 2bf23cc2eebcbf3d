"""What report this is: its data year, the body that published it, and which template it uses."""

from __future__ import annotations

import re
import unicodedata

from validator.read.document import Document
from validator.ruleset import RuleSet

_TITLE = re.compile(
    r"(?P<year>(?:19|20)\d{2})\s*年(?:度)?\s*(?P<body>[^\s，,。：:（(]{0,40}?)\s*"
    r"(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?(?:报告|年报)"
)
_BODY_TITLE = re.compile(
    r"(?P<body>[^\s，,。：:（(]{2,40}?)(?P<year>(?:19|20)\d{2})\s*年(?:度)?\s*(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?报告"
)
_ISSUER_END = ("人民政府", "办公厅", "办公室", "管委会", "管理委员会", "委员会", "局", "厅", "署", "院", "中心")
REPORT_WORDS = ("政府信息公开", "信息公开工作", "政务公开")


def detect_year_body(doc: Document) -> tuple[int | None, str | None]:
    """The data year and the publishing body, from the title (and the signature line)."""
    year: int | None = None
    body: str | None = None
    previous = ""
    for b in doc.blocks[:60]:
        t = unicodedata.normalize("NFKC", b.text).strip()
        if len(t) > 120:
            previous = ""
            continue
        m = _TITLE.search(t) or _BODY_TITLE.search(t)
        if m:
            year = int(m.group("year"))
            body = m.group("body").strip() or None
            before = _BODY_TITLE.search(t)  # "平潭综合实验区2013年…报告": the body before the year
            if body is None and before is not None:
                body = before.group("body").strip() or None
            if body is None and 2 <= len(previous) <= 30 and previous.endswith(_ISSUER_END):
                body = previous  # the body on its own line above "2024 年政府信息公开工作年度报告"
            break
        previous = t
    if year is None:
        for b in doc.blocks:
            m = re.search(r"((?:19|20)\d{2})\s*年度", b.text)
            if m:
                year = int(m.group(1))
                break
    if body:
        for b in reversed(doc.blocks):
            if body not in b.text:  # (most blocks: cheaper than stripping each)
                continue
            t = b.text.strip()
            if len(t) <= 40 and t.startswith(body) and t.endswith(_ISSUER_END):
                body = t
                break
    return year, body


def looks_like_report(doc: Document) -> bool:
    head = "".join(b.text for b in doc.blocks[:400])
    return any(w in head for w in REPORT_WORDS)


def choose_template(year: int | None, doc: Document, rulesets: list[RuleSet]) -> tuple[RuleSet | None, str]:
    """The rule set whose printed labels the document uses; the year breaks ties.

    Returns the chosen rule set and the template the year calls for (may differ: a finding).
    """
    text = "".join([b.text for b in doc.blocks])
    text += "".join([c.text for t in doc.tables for row in t.rows for c in row])
    in_years = [year is not None and rs.years[0] <= year <= rs.years[1] for rs in rulesets]
    by_year = next((rs.template for rs, ok in zip(rulesets, in_years, strict=True) if ok and not rs.regional), "")
    # The winner has the most marker hits, then is in its years, then comes first in ``rulesets``:
    # the largest (hits, in_years, -index). A marker missed scans the whole text, so a rule set stops
    # being counted once even all its markers left could not make it the winner; the likeliest winners
    # (in their years, many markers) are counted first, so that most others stop at once.
    order = sorted(range(len(rulesets)), key=lambda i: (in_years[i], len(rulesets[i].markers)), reverse=True)
    best: tuple[int, bool, int] | None = None
    for i in order:
        markers, ok = rulesets[i].markers, in_years[i]
        hits, left = 0, len(markers)
        for m in markers:
            if best is not None and (hits + left, ok, -i) < best:
                break
            left -= 1
            if m in text:
                hits += 1
        else:
            if best is None or (hits, ok, -i) > best:
                best = (hits, ok, -i)
    if best is None or (best[0] == 0 and not best[1]):
        return None, by_year
    return rulesets[-best[2]], by_year
