"""The assessment service: from approved values in the database to statuses, as of a date."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from ducha.assessments.services import (
    AsOfReason,
    assess_plan,
    assess_plan_at,
    choose_as_of,
    default_as_of,
    grace_years,
)
from ducha.datavalues.models import MilestoneReport, ValueStatus
from ducha.datavalues.services import approve_value, reopen_value, save_value
from ducha.demo.services import load_demo
from ducha.engine.assessment import Status
from ducha.engine.periods import decimal_year, parse_period
from ducha.plans.planfile import parse_plan_data
from ducha.plans.services import load_plan

pytestmark = pytest.mark.django_db


def indicator(code, node="1", **extra):
    spec = {
        "code": code,
        "name": f"指标{code}",
        "node": node,
        "unit": "家",
        "direction": "increase",
        "aggregation": "sum",
        "target": {"min": 100, "comparator": ">="},
        "baseline": {"value": 0, "year": 2017},
        "deadline": 2020,
        "lead": "工业和信息化局",
    }
    spec.update(extra)
    return spec


@pytest.fixture
def small_plan(tianjin_units):
    data = {
        "format": "ducha-plan/1",
        "plan": {
            "code": "small",
            "title": "小计划",
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
            indicator("SUM"),
            indicator("NONE", aggregation="none"),
            indicator("MEAN", aggregation="mean", node="1.1"),
            indicator("MAX", aggregation="max", node="1.1"),
            indicator("DISTRICT-LED", lead="和平区"),
            indicator("GOOD", node="2"),
            indicator("BAD", node="2", baseline={"value": 50, "year": 2017}),
        ],
        "milestones": [
            {"code": "M1", "title": "建成平台", "node": "2", "due": 2020, "lead": "科学技术局"}
        ],
    }
    spec, text = parse_plan_data(data, "small.yaml")
    return load_plan(spec, text).plan


def at(day: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day))


def report(plan, code, unit, period, value, approved="2020-01-15 10:00"):
    ind = plan.indicators.get(code=code)
    dv = save_value(None, ind, unit, parse_period(period), Decimal(str(value)))
    approve_value(None, dv, at=at(approved))
    return dv


def result_for(plan, code, as_of="2020-03-31"):
    result = assess_plan(plan, dt.date.fromisoformat(as_of))
    return next(r for r in result.indicators if r.indicator.code == code)


def latest_point(plan, code, as_of="2020-03-31"):
    return result_for(plan, code, as_of).series[-1]


# --- adding units up -------------------------------------------------------------------------


def test_city_figure_wins_over_the_district_sum(small_plan, tianjin_units):
    u = tianjin_units
    report(small_plan, "SUM", u["120101"], "2019Q4", 30)
    report(small_plan, "SUM", u["120103"], "2019Q4", 40)
    assert latest_point(small_plan, "SUM").value == 70
    report(small_plan, "SUM", u["120000"], "2019Q4", 100)
    point = latest_point(small_plan, "SUM")
    assert (point.value, point.units) == (100, 1)


def test_a_zone_is_not_added_when_its_district_reported(small_plan, tianjin_units):
    u = tianjin_units
    report(small_plan, "SUM", u["120116-TEDA"], "2019Q4", 20)
    report(small_plan, "SUM", u["120101"], "2019Q4", 10)
    assert latest_point(small_plan, "SUM").value == 30  # the zone counts while 滨海 is silent
    report(small_plan, "SUM", u["120116"], "2019Q4", 50)
    point = latest_point(small_plan, "SUM")
    assert (point.value, point.units) == (60, 2)


def test_aggregation_none_uses_the_lead_unit(small_plan, tianjin_units):
    u = tianjin_units
    report(small_plan, "NONE", u["120101"], "2019Q4", 10)
    assert result_for(small_plan, "NONE").series == []
    report(small_plan, "NONE", u["TJ-GXJ"], "2019Q4", 70)
    assert latest_point(small_plan, "NONE").value == 70


def test_the_lead_departments_figure_stands_for_the_city(small_plan, tianjin_units):
    u = tianjin_units
    report(small_plan, "SUM", u["120101"], "2019Q4", 10)
    report(small_plan, "SUM", u["TJ-GXJ"], "2019Q4", 80)
    assert latest_point(small_plan, "SUM").value == 80


def test_a_lead_district_is_added_like_any_district(small_plan, tianjin_units):
    u = tianjin_units
    report(small_plan, "DISTRICT-LED", u["120101"], "2019Q4", 10)
    report(small_plan, "DISTRICT-LED", u["120102"], "2019Q4", 5)
    assert latest_point(small_plan, "DISTRICT-LED").value == 15


def test_mean_and_max_aggregations(small_plan, tianjin_units):
    u = tianjin_units
    for code in ("MEAN", "MAX"):
        report(small_plan, code, u["120101"], "2019Q4", 10)
        report(small_plan, code, u["120102"], "2019Q4", 30)
    assert latest_point(small_plan, "MEAN").value == 20
    assert latest_point(small_plan, "MAX").value == 30


# --- as of a date ----------------------------------------------------------------------------


def test_a_value_approved_after_the_date_is_not_seen(small_plan, tianjin_units):
    report(small_plan, "SUM", tianjin_units["120101"], "2019Q3", 50, approved="2019-10-20 09:00")
    report(small_plan, "SUM", tianjin_units["120101"], "2019Q4", 90, approved="2020-01-20 09:00")
    before = result_for(small_plan, "SUM", "2019-12-31")
    after = result_for(small_plan, "SUM", "2020-01-31")
    assert (before.latest_period, before.result.value) == ("2019Q3", 50)
    assert (after.latest_period, after.result.value) == ("2019Q4", 90)


def test_a_later_correction_does_not_change_an_earlier_result(small_plan, tianjin_units):
    dv = report(small_plan, "SUM", tianjin_units["120101"], "2019Q3", 50, "2019-10-20 09:00")
    earlier = result_for(small_plan, "SUM", "2019-12-31").result
    reopen_value(None, dv, "统计口径调整")
    dv = save_value(None, dv.indicator, dv.org_unit, parse_period("2019Q3"), Decimal(5))
    approve_value(None, dv, at=at("2020-02-10 09:00"))
    assert result_for(small_plan, "SUM", "2019-12-31").result == earlier
    corrected = result_for(small_plan, "SUM", "2020-03-31").result
    assert corrected.value == 5 and corrected.status != earlier.status


def test_unapproved_values_do_not_count(small_plan, tianjin_units):
    ind = small_plan.indicators.get(code="SUM")
    save_value(None, ind, tianjin_units["120101"], parse_period("2019Q4"), Decimal(99))
    assert result_for(small_plan, "SUM").result.status == Status.NO_DATA


def test_a_finished_plan_is_assessed_a_quarter_after_its_end(small_plan):
    assert default_as_of(small_plan, dt.date(2019, 5, 1)) == dt.date(2019, 5, 1)
    assert default_as_of(small_plan, dt.date(2030, 1, 1)) == dt.date(2021, 3, 31)


def test_approvals_after_that_quarter_move_the_default_to_the_last_one(small_plan, tianjin_units):
    report(small_plan, "SUM", tianjin_units["120101"], "2020Q4", 80, approved="2021-02-01 09:00")
    assert choose_as_of(small_plan, None, dt.date(2030, 1, 1)).reason == AsOfReason.PLAN_ENDED
    report(small_plan, "SUM", tianjin_units["120102"], "2020Q4", 9, approved="2022-06-15 09:00")
    late = choose_as_of(small_plan, None, dt.date(2030, 1, 1))
    assert (late.date, late.reason) == (dt.date(2022, 6, 15), AsOfReason.LAST_APPROVAL)
    # never after today, and a running plan is always assessed as of today
    assert default_as_of(small_plan, dt.date(2021, 2, 10)) == dt.date(2021, 2, 10)
    assert choose_as_of(small_plan, dt.date(2019, 1, 1)).reason == AsOfReason.ASKED
    # the default assessment includes the late approval
    assert result_for(small_plan, "SUM", late.date.isoformat()).result.value == 89


def test_assessing_several_dates_at_once_equals_assessing_each(small_plan, tianjin_units):
    u = tianjin_units
    dv = report(small_plan, "SUM", u["120101"], "2019Q3", 50, approved="2019-10-20 09:00")
    report(small_plan, "MEAN", u["120102"], "2019Q4", 20, approved="2020-01-20 09:00")
    reopen_value(None, dv, "更正")
    dv = save_value(None, dv.indicator, dv.org_unit, parse_period("2019Q3"), Decimal(60))
    approve_value(None, dv, at=at("2020-02-10 09:00"))
    days = [dt.date(2020, 3, 31), dt.date(2019, 12, 31), dt.date(2018, 1, 1), dt.date(2020, 2, 1)]
    together = assess_plan_at(small_plan, days)
    for day, got in zip(days, together, strict=True):
        want = assess_plan(small_plan, day)
        assert got.as_of == day
        assert [(r.indicator.code, r.status, r.result.value) for r in got.indicators] == [
            (r.indicator.code, r.status, r.result.value) for r in want.indicators
        ]
        assert got.overall == want.overall
    values = [next(r for r in a.indicators if r.indicator.code == "SUM") for a in together]
    assert [r.result.value for r in values] == [60, 50, None, 50]


# --- milestones and roll-up ------------------------------------------------------------------


def milestone_report(plan, unit, period, progress, approved, status=ValueStatus.APPROVED):
    p = parse_period(period)
    return MilestoneReport.objects.create(
        milestone=plan.milestones.get(code="M1"),
        org_unit=unit,
        period=p.code,
        period_end=p.end,
        progress=progress,
        status=status,
        approved_at=at(approved) if status == ValueStatus.APPROVED else None,
    )


def milestone_status(plan, as_of):
    [r] = assess_plan(plan, dt.date.fromisoformat(as_of)).milestones
    return r.status


def test_milestone_status_comes_from_the_latest_approved_report(small_plan, tianjin_units):
    kjj = tianjin_units["TJ-KJJ"]
    assert milestone_status(small_plan, "2019-12-31") == Status.NO_DATA
    milestone_report(small_plan, kjj, "2019Q2", "in_progress", "2019-07-10 09:00")
    milestone_report(small_plan, kjj, "2019Q4", "completed", "2020-01-10 09:00")
    milestone_report(small_plan, kjj, "2020Q1", "blocked", "", status=ValueStatus.SUBMITTED)
    assert milestone_status(small_plan, "2019-12-31") == Status.ON_TRACK
    assert milestone_status(small_plan, "2020-06-30") == Status.ACHIEVED


def test_a_milestone_not_started_early_in_the_plan_is_on_track(small_plan, tianjin_units):
    kjj = tianjin_units["TJ-KJJ"]
    milestone_report(small_plan, kjj, "2018Q2", "not_started", "2018-07-10 09:00")
    # Less than half of 2018–2020 has gone: still on track; past half: needs acceleration.
    assert milestone_status(small_plan, "2018-09-30") == Status.ON_TRACK
    assert milestone_status(small_plan, "2019-12-31") == Status.NEEDS_ACCELERATION


def test_for_the_same_period_the_lead_units_report_counts(small_plan, tianjin_units):
    kjj, heping = tianjin_units["TJ-KJJ"], tianjin_units["120101"]  # 科学技术局 leads M1
    milestone_report(small_plan, kjj, "2019Q4", "in_progress", "2020-01-10 09:00")
    milestone_report(small_plan, heping, "2019Q4", "completed", "2020-01-12 09:00")
    assert milestone_status(small_plan, "2020-03-31") == Status.ON_TRACK
    milestone_report(small_plan, heping, "2020Q1", "completed", "2020-04-12 09:00")
    assert milestone_status(small_plan, "2020-06-30") == Status.ACHIEVED


def test_node_rolls_up_its_indicators_and_children(small_plan, tianjin_units):
    u = tianjin_units["120101"]
    report(small_plan, "GOOD", u, "2019Q4", 120)  # achieved
    report(small_plan, "BAD", u, "2019Q4", 10)  # below its baseline of 50: deterioration
    for code in ("MEAN", "MAX"):  # both well ahead of the path: on track
        report(small_plan, code, u, "2019Q4", 90)
    result = assess_plan(small_plan, dt.date(2020, 3, 31))
    statuses = {r.indicator.code: r.status for r in result.indicators}
    assert statuses["GOOD"] == Status.ACHIEVED and statuses["BAD"] == Status.DETERIORATION
    nodes = {n.node.key: n for n, _depth in result.walk()}
    assert nodes["2"].status not in (Status.ACHIEVED, Status.DETERIORATION)
    assert nodes["2"].rollup.counts[Status.ACHIEVED] == 1
    assert nodes["1.1"].status == Status.ON_TRACK
    assert nodes["1"].rollup.counts.get(Status.ON_TRACK) == 1  # its child 1.1
    assert [n.node.key for n in result.roots] == ["1", "2"]
    assert result.overall.score is not None


# --- the demo --------------------------------------------------------------------------------


def test_demo_tells_a_story_once_2019s_figures_are_in(db):
    # As of 2020Q1's end: the annual 2019 figures (sensors fell below 2017) are approved.
    demo = load_demo()
    result = assess_plan(demo.plan, dt.date(2020, 3, 31))
    seen = Counter(r.status for r in result.indicators)
    for status in (
        Status.ACHIEVED,
        Status.ON_TRACK,
        Status.DETERIORATION,
        Status.NO_DATA,
        Status.STALE,
    ):
        assert seen[status] >= 1, f"no {status} in {seen}"
    assert seen[Status.NEEDS_ACCELERATION] + seen[Status.LIMITED_PROGRESS] >= 3
    assert max(seen.values()) < len(result.indicators) / 2  # a mix, not one colour
    milestones = Counter(r.status for r in result.milestones)
    assert len(milestones) >= 3


def test_demo_is_deterministic_and_replaces_itself(db):
    first = load_demo()
    statuses = [r.status for r in assess_plan(first.plan, dt.date(2019, 12, 31)).indicators]
    second = load_demo()
    assert second.values == first.values
    again = [r.status for r in assess_plan(second.plan, dt.date(2019, 12, 31)).indicators]
    assert again == statuses


def test_without_any_plan_the_command_says_so(db):
    with pytest.raises(CommandError):
        call_command("assess", stdout=io.StringIO())


def test_a_period_only_some_units_are_approved_for_is_shown_but_not_assessed():
    from ducha.assessments.services import SeriesPoint, mark_partial_periods

    series = [
        SeriesPoint("2019Q3", 2019.75, 100.0, 16),
        SeriesPoint("2019Q4", 2020.0, 110.0, 16),
        SeriesPoint("2020Q1", 2020.25, 40.0, 5),  # 11 districts still waiting for approval
    ]
    mark_partial_periods(series, whole=set())
    assert [p.complete for p in series] == [True, True, False]


def test_a_city_figure_is_never_partial():
    from ducha.assessments.services import SeriesPoint, mark_partial_periods

    series = [SeriesPoint("2019Q4", 2020.0, 110.0, 16), SeriesPoint("2020Q1", 2020.25, 90.0, 1)]
    mark_partial_periods(series, whole={"2020Q1"})
    assert series[1].complete


def test_the_assessment_waits_for_every_units_value_of_the_latest_period(small_plan, tianjin_units):
    u = tianjin_units
    for unit, value in (("120101", 30), ("120103", 40)):
        report(small_plan, "SUM", u[unit], "2019Q3", value - 10, approved="2019-10-20 10:00")
        report(small_plan, "SUM", u[unit], "2019Q4", value, approved="2020-01-15 10:00")
    # Only one of the two districts is approved for 2020Q1 by the end of April.
    report(small_plan, "SUM", u["120101"], "2020Q1", 35, approved="2020-04-20 10:00")
    r = result_for(small_plan, "SUM", as_of="2020-04-30")
    assert (r.result.value, r.latest_period) == (70, "2019Q4")
    assert [p.period for p in r.partial_periods] == ["2020Q1"]
    assert "partial_period_left_out" in r.notes
    # Once the other district is approved the quarter counts.
    report(small_plan, "SUM", u["120103"], "2020Q1", 45, approved="2020-05-10 10:00")
    r = result_for(small_plan, "SUM", as_of="2020-05-31")
    assert (r.result.value, r.latest_period, r.partial_periods) == (80, "2020Q1", [])


# --- the final evaluation, with the plan's grace period -----------------------------------------


def test_after_the_deadline_an_indicator_awaits_its_figure_for_the_plans_grace_period(
    small_plan, tianjin_units
):
    city = tianjin_units["120000"]
    report(small_plan, "GOOD", city, "2019Q4", 60)
    report(small_plan, "GOOD", city, "2020Q3", 90, approved="2020-10-15 10:00")
    # The 2020 deadline has passed; 2020Q4 may still come for six months (the default).
    assert result_for(small_plan, "GOOD", "2021-03-31").status == Status.AWAITING_FINAL
    assert result_for(small_plan, "GOOD", "2021-07-01").status == Status.NOT_ACHIEVED_NO_DATA
    # A plan that waits a year says so until then.
    small_plan.final_grace_months = 12
    small_plan.save()
    assert result_for(small_plan, "GOOD", "2021-07-01").status == Status.AWAITING_FINAL
    # The figure for 2020Q4 arrives: not achieved, with the share of the way and the gap.
    report(small_plan, "GOOD", city, "2020Q4", 95, approved="2021-02-01 10:00")
    r = result_for(small_plan, "GOOD", "2021-07-01")
    assert r.status == Status.NOT_ACHIEVED and r.final_period == "2020Q4"
    assert r.result.gap == 5 and r.result.forecast is None and r.result.ratio is None
    # Before the deadline the same series is judged by its pace, with a forecast.
    before = result_for(small_plan, "GOOD", "2020-12-01")
    assert not before.result.final and before.result.forecast is not None


def test_a_target_reached_after_the_deadline_is_achieved_late(small_plan, tianjin_units):
    city = tianjin_units["120000"]
    report(small_plan, "GOOD", city, "2020Q4", 95, approved="2021-01-15 10:00")
    report(small_plan, "GOOD", city, "2021Q2", 104, approved="2021-07-15 10:00")
    assert result_for(small_plan, "GOOD", "2021-03-31").status == Status.NOT_ACHIEVED
    late = result_for(small_plan, "GOOD", "2021-12-31")
    assert late.status == Status.ACHIEVED_LATE and late.final_period == "2021Q2"


def test_milestones_have_a_final_evaluation_too(small_plan, tianjin_units):
    kjj = tianjin_units["TJ-KJJ"]
    milestone_report(small_plan, kjj, "2020Q3", "in_progress", "2020-10-10 09:00")
    assert milestone_status(small_plan, "2020-12-31") == Status.ON_TRACK
    assert milestone_status(small_plan, "2021-03-31") == Status.AWAITING_FINAL
    assert milestone_status(small_plan, "2021-07-01") == Status.NOT_ACHIEVED_NO_DATA
    milestone_report(small_plan, kjj, "2020Q4", "delayed", "2021-01-10 09:00")
    assert milestone_status(small_plan, "2021-03-31") == Status.NOT_ACHIEVED
    milestone_report(small_plan, kjj, "2021Q1", "completed", "2021-04-10 09:00")
    assert milestone_status(small_plan, "2021-06-30") == Status.ACHIEVED_LATE
    [m] = assess_plan(small_plan, dt.date(2021, 6, 30)).milestones
    assert m.final and m.report.period == "2021Q1"


def test_a_plan_past_its_period_reads_ended(small_plan):
    assert small_plan.state_label(dt.date(2020, 12, 31)) == "执行中"
    assert small_plan.state_label(dt.date(2021, 1, 1)) == "已结束"
    assert small_plan.has_ended(dt.date(2021, 1, 1))


@pytest.mark.parametrize(
    ("deadline", "months", "last_day"),
    [
        ("2020-12-31", 6, "2021-06-30"),  # a month's end stays a month's end
        ("2020-08-31", 6, "2021-02-28"),
        ("2020-02-29", 12, "2021-02-28"),
        ("2020-06-15", 6, "2020-12-15"),  # the same day of the month
        ("2020-12-31", 0, "2020-12-31"),  # no grace period: final figures are due at once
    ],
)
def test_the_grace_period_ends_that_many_months_after_the_deadline(deadline, months, last_day):
    d, end = dt.date.fromisoformat(deadline), dt.date.fromisoformat(last_day)
    assert decimal_year(d) + grace_years(d, months) == pytest.approx(decimal_year(end))


def test_the_last_day_of_the_grace_period_still_awaits_the_final_figure(small_plan, tianjin_units):
    report(small_plan, "GOOD", tianjin_units["120000"], "2020Q3", 90, approved="2020-10-15 10:00")
    assert result_for(small_plan, "GOOD", "2021-06-30").status == Status.AWAITING_FINAL
    assert result_for(small_plan, "GOOD", "2021-07-01").status == Status.NOT_ACHIEVED_NO_DATA
