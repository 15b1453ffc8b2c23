"""The demo registers tell the demo's story through the computed indicators."""

import datetime as dt

import pytest

from ducha.assessments.services import assess_plan
from ducha.demo.services import load_demo
from ducha.enterprises.models import Enterprise
from ducha.projects.models import Project
from ducha.registers.checks import run_checks
from ducha.talents.models import Talent

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_registers_have_the_size_asked_and_tell_the_story():
    report = load_demo()
    r = report.registers
    assert 4800 <= r.enterprises <= 5200
    assert 250 <= r.projects <= 350
    assert r.platforms == 60
    assert 450 <= r.talents <= 650
    assert Enterprise.objects.filter(is_demo=False).count() == 0
    assert Talent.objects.filter(is_demo=True).count() == r.talents
    assert not Project.objects.filter(is_demo=False).exists()

    result = assess_plan(report.plan, dt.date(2021, 3, 31))
    by_code = {x.indicator.code: x for x in result.indicators}
    scale = by_code["TJ-GOAL-SCALE"]
    assert scale.result.value < 1000 and scale.status not in {"achieved"}  # the total lags
    assert by_code["TJ-IND-ROBOT"].status == "achieved"  # robots are achieved
    # sensors deteriorate: by the end of the plan they missed, having gone backwards
    sensor = by_code["TJ-IND-SENSOR"]
    assert sensor.status == "not_achieved" and sensor.result.progress_share < 0
    assert by_code["TJ-GOAL-PLATFORM"].result.value == 3  # 3 of "2至3": exceeded
    assert by_code["TJ-INN-TECHFIELDS"].result.value == 8
    for code in ("TJ-GOAL-LEADERS", "TJ-GOAL-PILOT", "TJ-ECO-TALENT"):
        assert by_code[code].series, code  # every computed indicator has values

    checks = run_checks()  # the deliberate anomalies are found
    assert checks.park_mismatch_count >= 5
    assert len(checks.same_organisation) >= 2
    assert len(checks.similar_names) >= 3
    assert checks.district_vs_code_count >= 4
    # computed district values add up to the city's (a manual indicator's open reporting round
    # may not: some districts have not reported yet)
    assert [row for row in checks.sums if row[0].source == "computed"] == []
