"""The rule catalogue users browse (`validate rules`, `validate explain CODE`) and SARIF describes.

Built from the YAML rule sets in ``rules/`` and the docstrings of the rule kinds, so the
documentation lives beside the rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RuleInfo:
    """One rule code as the catalogue shows it."""

    code: str
    title: str  # one line, Chinese
    title_en: str
    severity: str  # the default severity (an instance may differ, e.g. O4 below/above)
    kind: str  # the rule kind (sum, leq, percent, …)
    templates: tuple[str, ...] = ()
    description: str = ""  # what it checks and why (Chinese)
    description_en: str = ""
    example_pass: str = ""
    example_fail: str = ""
    instances: tuple[str, ...] = field(default=())
    formulas: tuple[str, ...] = field(default=())  # each instance's identity in the report's own terms


def load_catalogue() -> dict[str, RuleInfo]:
    """Every rule code of every shipped rule set, in code order."""
    from validator.ruleset import load_all_rulesets

    merged: dict[str, RuleInfo] = {}
    for rs in load_all_rulesets():
        for info in rs.catalogue():
            old = merged.get(info.code)
            if old is None:
                merged[info.code] = info
            else:
                merged[info.code] = RuleInfo(
                    **{
                        **old.__dict__,
                        "templates": tuple(dict.fromkeys(old.templates + info.templates)),
                        "instances": tuple(dict.fromkeys(old.instances + info.instances)),
                        "formulas": tuple(dict.fromkeys(old.formulas + info.formulas)),
                    }
                )
    for code, title, title_en in _DOCUMENT_RULES:
        severity = {"C1": "error", "C3": "info"}.get(code, "warning")
        merged.setdefault(code, RuleInfo(code=code, title=title, title_en=title_en, severity=severity, kind="document",
                                         templates=("*",)))
    return dict(sorted(merged.items(), key=lambda kv: _code_order(kv[0])))


# Findings about the document as a whole, raised by the pipeline rather than a rule set.
_DOCUMENT_RULES = (
    ("C1", "统计表完整可读", "the statistics table was found and read"),
    ("C2", "统计表全部读取", "every figure of the statistics tables was read"),
    ("C3", "粘连的表格数字已按勾稽关系拆分", "cells glued together were split back by the table's identities"),
    ("D1", "报告所用模板与数据年度相符", "the report uses the template of its data year"),
)


_GROUPS = ("O", "N", "X", "T", "P", "M", "C", "D")


def _code_order(code: str) -> tuple[int, str, int]:
    """Table identities first (O, N, X), then narrative checks (T, P, M), then document checks (C, D)."""
    head = code.rstrip("0123456789")
    tail = code[len(head):]
    group = _GROUPS.index(head) if head in _GROUPS else len(_GROUPS)
    return group, head, int(tail) if tail else 0
