"""Matching printed row labels to figure keys, tolerant of the ways real reports vary them.

``1.`` / ``1、`` / ``（一）`` numbering, ``其中：`` prefixes, half- and full-width brackets,
explanatory notes in brackets, quotes, and small typos (``其他法律行政止公开``) all match.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

from validator.ruleset import RuleSet

_NUMBERING = re.compile(
    r"^(?:[(（\[【]?\s*[一二三四五六七八九十\d]{1,3}\s*[)）\]】]|[一二三四五六七八九十]{1,3}\s*[、.．]|\d{1,2}\s*[、.．](?!\d))\s*"
)
_PREFIXES = ("其中：", "其中:", "其中，", "其中,", "其中")
_NOTE = re.compile(r"[(（][^()（）]*[)）]")
_PUNCT = re.compile(r"[\s,，、。;；:：“”\"'‘’《》<>〈〉「」『』()（）\[\]【】·•\-—_/]")


@lru_cache(maxsize=65536)
def normalise_label(text: str) -> str:
    """The comparable core of a label: no numbering, no 其中, no notes, no punctuation or spaces."""
    t = unicodedata.normalize("NFKC", text).replace("\xa0", " ").strip()
    for _ in range(3):
        t2 = _NUMBERING.sub("", t).strip()
        for p in _PREFIXES:
            if t2.startswith(p):
                t2 = t2[len(p):].strip()
        if t2 == t:
            break
        t = t2
    core = _NOTE.sub("", t) if _NOTE.sub("", t).strip() else t
    return _PUNCT.sub("", core)


def numbering_of(text: str) -> str:
    """The printed numbering of a label ("一、", "(二)", "3."), or ""."""
    t = unicodedata.normalize("NFKC", text).strip()
    m = _NUMBERING.match(t)
    return m.group(0).strip() if m else ""


def is_top_heading(text: str) -> bool:
    """A top-level heading such as ``四、行政复议数量`` (Chinese numeral + 、)."""
    t = unicodedata.normalize("NFKC", text).strip()
    return bool(re.match(r"^[一二三四五六七八九十]{1,3}\s*[、.．]", t))


def label_index(ruleset: RuleSet) -> LabelIndex:
    """The label index of a rule set: built once per process, its fuzzy-match cache kept."""
    return ruleset.memo("label_index", LabelIndex)


class LabelIndex:
    """Finds the figure key for a printed label, preferring keys of the current section.

    ``match(text, section=None)``: the key of the figure printed with label ``text``, or None;
    ``section_of(text)``: the section a heading opens, or None; ``line(text, section)``: both, the match in
    the section the line leaves in force (``section_of(text) or section``), and whether the line is a
    bracketed note (then not matched). All remembered by the printed text
    (called for every line of a flat table: the remembered functions themselves, no method around them).
    """

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self.by_label: dict[str, list[str]] = {}
        for f in ruleset.figures.values():
            for lab in f.labels:
                self.by_label.setdefault(normalise_label(lab), []).append(f.key)
        self._fuzzy_cache: dict[str, list[str]] = {}
        self.section_of = lru_cache(maxsize=50_000)(self._section_of)  # by the printed line
        self.match = lru_cache(maxsize=50_000)(self._match)  # by the printed label and its section
        # line(text, section): (section_of(text), match(text, the section then in force), False), or for a
        # bracketed note (no numbering) (section_of(text), None, True): one look-up per label line of a flat table
        self.line = lru_cache(maxsize=50_000)(self._line)
        self.sections: dict[str, str] = {}
        for sid, labels in ruleset.sections.items():
            for lab in labels:
                self.sections[normalise_label(lab)] = sid

    def _section_of(self, text: str) -> str | None:
        n = normalise_label(text)
        if n in self.sections:
            return self.sections[n]
        for lab, sid in self.sections.items():
            if len(n) >= 4 and (n.startswith(lab) or lab.startswith(n)) and is_top_heading(text):
                return sid
        return None

    def _line(self, text: str, section: str | None) -> tuple[str | None, str | None, bool]:
        sid = self.section_of(text)
        if text[:1] in "(（" and not numbering_of(text):
            return sid, None, True  # a bracketed note: not matched here
        return sid, self.match(text, sid or section), False

    def _match(self, text: str, section: str | None = None) -> str | None:
        n = normalise_label(text)
        if not n:
            return None
        keys = self.by_label.get(n)
        if not keys:
            keys = self._fuzzy(n)
        if not keys:
            return None
        if section:
            in_section = [k for k in keys if self.ruleset.figures[k].section == section]
            if in_section:
                return in_section[0]
            if len(keys) > 1:
                return None  # ambiguous outside its section
        return keys[0]

    def _fuzzy(self, n: str) -> list[str]:
        if n in self._fuzzy_cache:
            return self._fuzzy_cache[n]
        self._fuzzy_cache[n] = keys = self._fuzzy_search(n)
        return keys

    def _fuzzy_search(self, n: str) -> list[str]:
        if len(n) < 6 or len(n) > 80:
            return []
        chars = set(n)
        best, best_keys = 0.0, []
        for lab, keys in self.by_label.items():
            if abs(len(lab) - len(n)) > max(3, len(lab) // 5):
                continue
            if len(chars & set(lab)) < 0.8 * len(set(lab)):
                continue
            r = SequenceMatcher(None, n, lab, autojunk=False).ratio()
            if r > best:
                best, best_keys = r, keys
        return best_keys if best >= 0.88 else []
