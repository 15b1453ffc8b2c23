"""The assessment store gives exactly what the full computation from every approval gives.

Random histories (approvals in any order of time, ties, reopened and re-approved values,
approvals written without telling the store) are assessed as of random dates both ways.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ducha.assessments import store
from ducha.assessments.models import SeriesKey, SeriesVersion, StoreMark
from ducha.assessments.services import assess_plan_at
from ducha.assessments.tests.test_services import indicator
from ducha.datavalues.models import ApprovedValue, DataValue, ValueStatus
from ducha.datavalues.services import approval_of, approve_value, reopen_value, save_value
from ducha.engine.periods import parse_period
from ducha.orgunits.models import OrgUnit
from ducha.plans.planfile import parse_plan_data
from ducha.plans.services import load_plan

pytestmark = pytest.mark.django_db

CODES = ["SUM", "NONE", "MEAN", "MAX", "MIN", "DISTRICT-LED", "RANGE"]
# the city, the lead department, three districts and a zone inside 滨海新区
UNITS = ["120000", "TJ-GXJ", "120101", "120103", "120116", "120116-TEDA"]
PERIODS = ["2018Q2", "2018Q4", "2019Q1", "2019Q4", "2020Q2", "2020Q4"]
START = dt.datetime(2018, 1, 1, 9, 0)


@pytest.fixture
def plan(tianjin_units):
    data = {
        "format": "ducha-plan/1",
        "plan": {
            "code": "store",
            "title": "存储",
            "period_start": 2018,
            "period_end": 2020,
            "state": "active",
        },
        "nodes": [
            {
                "key": "1",
                "label": "一、",
                "title": "甲",
                "children": [{"key": "1.1", "title": "乙"}],
            },
            {"key": "2", "label": "二、", "title": "丙"},
        ],
        "indicators": [
            indicator(code, **extra)
            for code, extra in [
                ("SUM", {"baseline": {"value": 10, "year": 2017}}),
                ("NONE", {"aggregation": "none"}),
                ("MEAN", {"aggregation": "mean", "node": "1.1"}),
                ("MAX", {"aggregation": "max", "node": "1.1", "baseline": None}),
                ("MIN", {"aggregation": "min", "node": "2"}),
                ("DISTRICT-LED", {"lead": "和平区", "node": "2"}),
                ("RANGE", {"node": "2", "target": {"min": 400, "max": 900}}),
            ]
        ],
    }
    spec, text = parse_plan_data(data, "store.yaml")
    return load_plan(spec, text).plan


event = st.tuples(
    st.sampled_from(CODES),
    st.sampled_from(UNITS),
    st.sampled_from(PERIODS),
    st.integers(min_value=-5, max_value=500),
    st.integers(min_value=0, max_value=1300),  # days after 2018-01-01
    st.sampled_from([0, 0, 6]),  # hours after 9:00: many approvals share a moment
    st.sampled_from(["service", "service", "service", "raw"]),
)
days = st.lists(st.integers(min_value=0, max_value=1700), min_size=1, max_size=4)


def _approve(plan, units, code, unit, period, value, when, how):
    """Approve (reopening first when approved) through the services, or write the approval
    row alone, as a path that does not tell the store would."""
    indicator = plan.indicators.get(code=code)
    org_unit = units[unit]
    current = DataValue.objects.filter(
        indicator=indicator, org_unit=org_unit, period=period
    ).first()
    if how == "raw":
        dv = current or save_value(None, indicator, org_unit, parse_period(period), Decimal(value))
        dv.value = Decimal(value)
        approval_of(dv, when, None).save()
        return
    if current is not None and current.status == ValueStatus.APPROVED:
        reopen_value(None, current, "更正")
    dv = save_value(None, indicator, org_unit, parse_period(period), Decimal(value))
    approve_value(None, dv, at=when)


def _assert_same(plan, dates):
    from_store = assess_plan_at(plan, dates)
    full = assess_plan_at(plan, dates, from_store=False)
    for a, b in zip(from_store, full, strict=True):
        for x, y in zip(a.indicators, b.indicators, strict=True):
            assert x.series == y.series, x.indicator.code
            assert x.result == y.result, x.indicator.code
            assert x.latest_period == y.latest_period
        assert [(n.node.pk, n.rollup) for n, _ in a.walk()] == [
            (n.node.pk, n.rollup) for n, _ in b.walk()
        ]
        assert a.overall == b.overall


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=st.lists(event, min_size=1, max_size=25), as_of_days=days)
def test_store_assesses_exactly_like_the_full_computation(plan, tianjin_units, history, as_of_days):
    with transaction.atomic():
        for code, unit, period, value, day, hours, how in history:
            when = timezone.make_aware(START + dt.timedelta(days=day, hours=hours))
            _approve(plan, tianjin_units, code, unit, period, value, when, how)
        dates = [(START + dt.timedelta(days=d)).date() for d in as_of_days]
        _assert_same(plan, dates)
        transaction.set_rollback(True)


def _at(day):
    return timezone.make_aware(dt.datetime.fromisoformat(day))


def test_a_reapproval_adds_a_version_and_keeps_the_earlier_one(plan, tianjin_units):
    u = tianjin_units
    ind = plan.indicators.get(code="SUM")
    dv = save_value(None, ind, u["120101"], parse_period("2019Q4"), Decimal(10))
    approve_value(None, dv, at=_at("2020-01-10 09:00"))
    reopen_value(None, dv, "更正")
    dv = save_value(None, ind, u["120101"], parse_period("2019Q4"), Decimal(12))
    approve_value(None, dv, at=_at("2020-02-10 09:00"))
    key = SeriesKey.objects.get(indicator=ind, period="2019Q4")
    assert list(key.versions.order_by("valid_from").values_list("value", flat=True)) == [10, 12]
    early, late = assess_plan_at(plan, [dt.date(2020, 1, 31), dt.date(2020, 2, 29)])
    assert [r.indicators[0].series[-1].value for r in (early, late)] == [10, 12]


def test_an_approval_the_store_was_not_told_of_is_read_after_catching_up(plan, tianjin_units):
    ind = plan.indicators.get(code="SUM")
    dv = save_value(None, ind, tianjin_units["120103"], parse_period("2019Q4"), Decimal(33))
    ApprovedValue.objects.create(
        data_value=dv,
        indicator=ind,
        org_unit=dv.org_unit,
        period="2019Q4",
        period_end=dv.period_end,
        value=Decimal(33),
        approved_at=_at("2020-01-10 09:00"),
    )
    assert not SeriesKey.objects.filter(indicator=ind).exists()
    [result] = assess_plan_at(plan, [dt.date(2020, 3, 31)])
    assert result.indicators[0].series[-1].value == 33
    assert StoreMark.objects.get().last_approval_id == ApprovedValue.objects.latest("pk").pk


def test_changing_the_aggregation_rebuilds_the_indicator_on_the_next_read(plan, tianjin_units):
    ind = plan.indicators.get(code="SUM")
    for unit, value in (("120101", 10), ("120103", 30)):
        dv = save_value(None, ind, tianjin_units[unit], parse_period("2019Q4"), Decimal(value))
        approve_value(None, dv, at=_at("2020-01-10 09:00"))
    assert assess_plan_at(plan, [dt.date(2020, 3, 31)])[0].indicators[0].series[-1].value == 40
    ind.aggregation = "max"
    ind.save()
    assert assess_plan_at(plan, [dt.date(2020, 3, 31)])[0].indicators[0].series[-1].value == 30


def test_moving_a_unit_in_the_tree_rebuilds_on_the_next_read(plan, tianjin_units):
    ind = plan.indicators.get(code="SUM")
    for unit, value in (("120116", 50), ("120101", 7)):
        dv = save_value(None, ind, tianjin_units[unit], parse_period("2019Q4"), Decimal(value))
        approve_value(None, dv, at=_at("2020-01-10 09:00"))
    assert assess_plan_at(plan, [dt.date(2020, 3, 31)])[0].indicators[0].series[-1].value == 57
    # 和平区 made a zone of 滨海新区 (an absurd edit, but a tree edit): it no longer counts
    OrgUnit.objects.filter(pk=tianjin_units["120101"].pk).update(parent=tianjin_units["120116"])
    point = assess_plan_at(plan, [dt.date(2020, 3, 31)])[0].indicators[0].series[-1]
    assert (point.value, point.counts(tianjin_units["120101"].pk)) == (50, False)


def test_rebuild_command_recomputes_the_store_from_the_approvals(plan, tianjin_units):
    ind = plan.indicators.get(code="SUM")
    dv = save_value(None, ind, tianjin_units["120101"], parse_period("2019Q4"), Decimal(10))
    approve_value(None, dv, at=_at("2020-01-10 09:00"))
    SeriesVersion.objects.update(value=999)  # a store gone wrong
    out = io.StringIO()
    call_command("rebuildassessments", stdout=out)
    assert list(SeriesVersion.objects.values_list("value", flat=True)) == [10]
    assert out.getvalue().strip()


def test_the_migration_builds_the_store_of_an_existing_database(plan, tianjin_units):
    from importlib import import_module

    from django.apps import apps

    ind = plan.indicators.get(code="MEAN")
    for unit, value in (("120101", 10), ("120103", 30)):
        dv = save_value(None, ind, tianjin_units[unit], parse_period("2019Q4"), Decimal(value))
        approve_value(None, dv, at=_at("2020-01-10 09:00"))
    SeriesKey.objects.all().delete()
    StoreMark.objects.all().delete()
    import_module("ducha.assessments.migrations.0002_build_assessment_store").build(apps, None)
    assert list(SeriesVersion.objects.values_list("value", "units")) == [(20.0, 2)]
    assert StoreMark.objects.get().last_approval_id == ApprovedValue.objects.latest("pk").pk


def test_an_old_and_the_current_assessment_read_one_version_per_period(
    plan, tianjin_units, django_assert_max_num_queries
):
    ind = plan.indicators.get(code="SUM")
    for i, day in enumerate(["2019-01-10", "2019-04-10", "2019-07-10", "2019-10-10"]):
        for unit in ("120101", "120103"):
            current = DataValue.objects.filter(indicator=ind, org_unit=tianjin_units[unit]).first()
            if current is not None:
                reopen_value(None, current, "更正")
            dv = save_value(None, ind, tianjin_units[unit], parse_period("2018Q4"), Decimal(i))
            approve_value(None, dv, at=_at(f"{day} 09:00"))
    found = store.versions_at([ind.pk], [dt.date(2019, 1, 31), dt.date(2019, 12, 31)])
    assert [rows[ind.pk] for rows in found] == [
        [("2018Q4", 0.0, 2, False, None, "")],
        [("2018Q4", 6.0, 2, False, None, "")],
    ]
