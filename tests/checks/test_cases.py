"""The generic driver for the per-kind YAML cases in ``cases/``: each case is a table (the seed's
consistent table with some cells changed) plus narrative paragraphs, and the exact findings."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.checks.build import consistent_national, consistent_table, national_text, report_text
from validator.pipeline import validate_path

CASES = Path(__file__).parent / "cases"


def _load():
    for f in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        for case in data["cases"]:
            yield pytest.param(data, case, id=f"{f.stem}: {case['name']}")


@pytest.mark.parametrize(("spec", "case"), list(_load()))
def test_case(spec, case, tmp_path):
    template = spec.get("template", "old-2014")
    table = dict(consistent_national() if template == "national-2021" else consistent_table(template))
    for key, value in (case.get("table") or {}).items():
        if value is None:
            table.pop(key, None)
        else:
            table[key] = value
    path = tmp_path / "case.txt"
    if template == "national-2021":
        text = national_text(table, case.get("narrative") or [], body=case.get("body", "测试区人民政府"),
                             sections=case.get("sections"))
    else:
        text = report_text(table, case.get("narrative") or [], template)
    path.write_text(text, encoding="utf-8")
    result = validate_path(str(path))
    assert result.error is None, result.error
    unmatched = list(result.findings)
    for e in case.get("expect") or []:
        match = next((f for f in unmatched if _matches(f, e)), None)
        assert match is not None, f"expected {e}, got {[_brief(f) for f in unmatched]}"
        unmatched.remove(match)
    assert not unmatched, f"unexpected findings: {[_brief(f) for f in unmatched]}"


def _plain(v):
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


def _brief(f):
    return (f.rule, f.severity, _plain(f.expected), _plain(f.actual), f.message)


def _matches(f, e) -> bool:
    """Every field the case names must agree; rule and severity are always named."""
    if (f.rule, f.severity) != (e["rule"], e["severity"]):
        return False
    for field in ("expected", "actual", "message"):
        if field in e and _plain(getattr(f, field)) != e[field]:
            return False
    return not ("message_contains" in e and e["message_contains"] not in f.message)
