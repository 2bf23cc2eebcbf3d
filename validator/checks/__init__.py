"""Rule kinds: the Python half of a rule (the YAML in ``rules/`` is the other half).

One module per kind; its docstring says what it checks with a passing and a failing example, and
``validate explain CODE`` shows them. The registry is explicit, no discovery magic.
"""

from __future__ import annotations

from validator.checks.balance import Balance
from validator.checks.base import Context, Kind
from validator.checks.body_condition import BodyCondition
from validator.checks.claim import Claim
from validator.checks.cross_year import CrossYear
from validator.checks.leq import Leq
from validator.checks.magnitude import Magnitude
from validator.checks.nonnegative import Nonnegative
from validator.checks.outcome_mapping import OutcomeMapping
from validator.checks.parts_total import PartsTotal
from validator.checks.percent import Percent
from validator.checks.percent_total import PercentTotal
from validator.checks.restated import Restated
from validator.checks.section_mentions import SectionMentions
from validator.checks.sections import Sections
from validator.checks.sum import Sum

KINDS: dict[str, type[Kind]] = {
    k.NAME: k
    for k in (Sum, Leq, Balance, Nonnegative, Magnitude, BodyCondition, Restated, Percent, PercentTotal, PartsTotal,
              OutcomeMapping, Claim, Sections, SectionMentions, CrossYear)
}

__all__ = ["KINDS", "Context", "Kind"]
