"""Rule kinds: the Python half of a rule (the YAML in ``rules/`` is the other half).

One module per kind; its docstring says what it checks with a passing and a failing example, and
``validate explain CODE`` shows them. The registry is explicit, no discovery magic.
"""

from __future__ import annotations

from validator.checks.base import Context, Kind
from validator.checks.claim import Claim
from validator.checks.leq import Leq
from validator.checks.outcome_mapping import OutcomeMapping
from validator.checks.parts_total import PartsTotal
from validator.checks.percent import Percent
from validator.checks.percent_total import PercentTotal
from validator.checks.restated import Restated
from validator.checks.sum import Sum

KINDS: dict[str, type[Kind]] = {
    k.NAME: k for k in (Sum, Leq, Restated, Percent, PercentTotal, PartsTotal, OutcomeMapping, Claim)
}

__all__ = ["KINDS", "Context", "Kind"]
