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
                    }
                )
    return dict(sorted(merged.items(), key=lambda kv: _code_order(kv[0])))


def _code_order(code: str) -> tuple[str, int]:
    head = code.rstrip("0123456789")
    tail = code[len(head):]
    return head, int(tail) if tail else 0
