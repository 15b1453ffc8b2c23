"""The amount rule is pure (ducha/engine/incentives.py): a cap is never exceeded, a larger
base never gives less, a fixed rule ignores the base."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ducha.engine.incentives import FIXED, SHARE, AmountRule, RuleError, compute

money = st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False)
rates = st.decimals(min_value=0, max_value=100, places=3, allow_nan=False)


@given(base=money, rate=rates, cap=money)
def test_computed_amount_never_exceeds_the_cap(base, rate, cap):
    rule = AmountRule(SHARE, rate_percent=rate, cap=cap)
    assert Decimal(0) <= compute(rule, base) <= cap


@given(a=money, b=money, rate=rates, cap=st.one_of(st.none(), money))
def test_computed_amount_is_monotone_in_the_base(a, b, rate, cap):
    rule = AmountRule(SHARE, rate_percent=rate, cap=cap)
    low, high = sorted((a, b))
    assert compute(rule, low) <= compute(rule, high)


@given(base=money, rate=rates)
def test_share_without_cap_is_the_rate_of_the_base_rounded_down_to_the_yuan(base, rate):
    amount = compute(AmountRule(SHARE, rate_percent=rate), base)
    exact = base * rate / 100
    assert amount <= exact < amount + Decimal("0.0001")


def test_ten_percent_of_the_investment_capped_at_five_million():
    rule = AmountRule(SHARE, rate_percent=Decimal(10), cap=Decimal(500))
    assert compute(rule, Decimal(3000)) == Decimal(300)
    assert compute(rule, Decimal(8000)) == Decimal(500)


def test_fixed_rule_gives_its_amount_whatever_the_base():
    rule = AmountRule(FIXED, fixed=Decimal(200), cap=Decimal(150))
    assert compute(rule) == compute(rule, Decimal(10**6)) == Decimal(150)


def test_share_rule_without_a_base_names_the_base():
    with pytest.raises(RuleError) as exc:
        compute(AmountRule(SHARE, rate_percent=Decimal(10)), None)
    assert exc.value.field == "base"


def test_incomplete_rules_are_refused():
    with pytest.raises(RuleError):
        AmountRule(FIXED)
    with pytest.raises(RuleError):
        AmountRule(SHARE, rate_percent=Decimal(-1))
