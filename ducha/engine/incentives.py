"""The amount an award or subsidy rule gives (六(三)3 奖补): pure, no Django.

A rule is either a fixed amount (一次性落户奖励 200万元) or a share of a base amount
(按智能化改造投资额的10%，最高500万元), optionally capped. Amounts are Decimals in 万元 with
four decimals (one yuan), rounded down, so that rounding never lifts an amount over its cap
and a larger base never gives less.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

FIXED = "fixed"
SHARE = "share"
PLACES = Decimal("0.0001")  # 万元 to the yuan


class RuleError(ValueError):
    """The rule cannot give an amount for this input; `field` names what is missing."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class AmountRule:
    kind: str  # FIXED or SHARE
    fixed: Decimal | None = None  # 万元, for FIXED
    rate_percent: Decimal | None = None  # 10 for 10%, for SHARE
    cap: Decimal | None = None  # 万元; None: no cap

    def __post_init__(self):
        if self.kind not in (FIXED, SHARE):
            raise RuleError(f"unknown rule kind {self.kind!r}", "kind")
        if self.kind == FIXED and (self.fixed is None or self.fixed < 0):
            raise RuleError("a fixed rule needs a fixed amount of at least 0", "fixed")
        if self.kind == SHARE and (self.rate_percent is None or self.rate_percent < 0):
            raise RuleError("a share rule needs a rate of at least 0", "rate_percent")
        if self.cap is not None and self.cap < 0:
            raise RuleError("a cap cannot be negative", "cap")

    @property
    def needs_base(self) -> bool:
        return self.kind == SHARE


def compute(rule: AmountRule, base: Decimal | None = None) -> Decimal:
    """What the rule gives for `base` (万元): never above the cap, never negative, and never
    less for a larger base. A share rule without a base raises RuleError("base")."""
    if rule.kind == FIXED:
        amount = rule.fixed
    else:
        if base is None:
            raise RuleError("a share rule needs the base amount", "base")
        if base < 0:
            raise RuleError("the base amount cannot be negative", "base")
        amount = base * rule.rate_percent / Decimal(100)
    amount = amount.quantize(PLACES, rounding=ROUND_DOWN)
    if rule.cap is not None and amount > rule.cap:
        amount = rule.cap
    return amount


def remaining(budget: Decimal | None, committed: Decimal) -> Decimal | None:
    """What is left of a budget after the approved amounts (None: no budget set)."""
    if budget is None:
        return None
    return budget - committed


def used_share(budget: Decimal | None, committed: Decimal) -> float | None:
    """Committed / budget as a float for bars (None when there is no budget, or it is 0)."""
    if not budget:
        return None
    return float(committed / budget)
