"""The optional second real plan (滨海新区 2019) loads beside the city plan and assigns its
targets to the district."""

from pathlib import Path

import pytest

from ducha.plans.models import Plan
from ducha.plans.services import load_plan_file

pytestmark = pytest.mark.django_db

BINHAI = Path(__file__).resolve().parents[2] / "data" / "binhai-2019-ai" / "plan.yaml"


def test_the_binhai_plan_loads_with_its_six_targets_led_by_the_district(tianjin_plan):
    load_plan_file(BINHAI)
    plan = Plan.objects.get(code="binhai-2019-ai")
    assert (plan.period_start, plan.period_end, plan.state) == (2019, 2021, "draft")
    indicators = list(plan.indicators.order_by("position"))
    assert [(i.target_min, i.unit) for i in indicators][:2] == [(200, "亿元"), (1000, "亿元")]
    assert len(indicators) == 6
    assert {i.lead_unit.name for i in indicators} == {"滨海新区"}
    assert {i.deadline.year for i in indicators} == {2021}
    assert all(i.sentence in plan.source_text for i in indicators)
