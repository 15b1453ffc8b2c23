"""The plan and indicator pages as people meet them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from ducha.assessments.services import choose_as_of, default_as_of
from ducha.audit.models import AuditEntry
from ducha.datavalues.models import DataValue
from ducha.datavalues.services import approve_value, save_value
from ducha.engine.periods import parse_period
from ducha.orgunits.models import OrgUnit
from ducha.plans.models import Plan, PlanState
from ducha.plans.planfile import parse_plan_data
from ducha.plans.services import load_plan

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_login(client, demo):
    response = client.get(reverse("plans:detail", args=[demo.plan.code]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_home_opens_the_default_plan(client, demo):
    client.login(username="leader", password="ducha-demo-2018")
    response = client.get(reverse("home"))
    assert response.status_code == 302
    # Leaders and the office start on the plan's cockpit (ducha.dashboards).
    assert response["Location"] == reverse("dashboards:cockpit", args=[demo.plan.code])


def test_plan_page_shows_every_indicator_with_its_status(client, demo):
    client.login(username="office", password="ducha-demo-2018")
    response = client.get(reverse("plans:detail", args=[demo.plan.code]), {"as_of": "2019-12-31"})
    assert response.status_code == 200
    html = response.content.decode()
    for code in demo.plan.indicators.values_list("code", flat=True):
        assert code in html
    assert "status-on_track" in html
    assert "status-no_data" in html


def test_indicator_page_has_chart_data_and_values(client, demo):
    client.login(username="office", password="ducha-demo-2018")
    url = reverse("plans:indicator", args=[demo.plan.code, "TJ-GOAL-SCALE"])
    response = client.get(url, {"as_of": "2019-12-31"})
    assert response.status_code == 200
    assert response.context["chart"]["actual"]
    assert response.context["chart"]["target"] == 1000
    assert "和平" in response.content.decode()


# --- signing in and out ----------------------------------------------------------------------


def test_login_and_logout(client, demo):
    response = client.post(
        reverse("login"), {"username": "heping", "password": "ducha-demo-2018"}, follow=True
    )
    assert response.status_code == 200 and response.context["user"].username == "heping"
    response = client.post(reverse("logout"), follow=True)
    assert not response.context["user"].is_authenticated
    assert client.get(reverse("plans:list")).status_code == 302


def test_wrong_password_shows_a_message_and_keeps_the_name(client, demo):
    response = client.post(reverse("login"), {"username": "heping", "password": "nope"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="heping"' in html and 'class="error"' in html


# --- every role sees the plan ---------------------------------------------------------------

ROLES = ["office", "leader", "gxj", "heping", "binhai_head"]


@pytest.mark.parametrize("username", ROLES)
def test_every_role_sees_the_plan_and_an_indicator(client, demo, username):
    client.login(username=username, password="ducha-demo-2018")
    plan_url = reverse("plans:detail", args=[demo.plan.code])
    assert client.get(plan_url).status_code == 200
    url = reverse("plans:indicator", args=[demo.plan.code, "TJ-GOAL-PILOT"])
    assert client.get(url).status_code == 200


def test_a_draft_plan_is_hidden_from_units_and_leaders(client, demo):
    Plan.objects.filter(pk=demo.plan.pk).update(state=PlanState.DRAFT)
    url = reverse("plans:detail", args=[demo.plan.code])
    for username, code in (("heping", 404), ("leader", 404), ("office", 200)):
        client.login(username=username, password="ducha-demo-2018")
        assert client.get(url).status_code == code, username


def _units_in_value_table(response):
    return {row.unit.code for row in response.context["summary"]}


def test_reporter_sees_only_its_own_units_values(client, demo):
    client.login(username="heping", password="ducha-demo-2018")
    url = reverse("plans:indicator", args=[demo.plan.code, "TJ-GOAL-SCALE"])
    assert _units_in_value_table(client.get(url)) == {"120101"}


def _units_with_values(plan, code):
    values = DataValue.objects.filter(indicator__plan=plan, indicator__code=code)
    return set(values.values_list("org_unit__code", flat=True))


def test_lead_unit_sees_every_units_values_of_what_it_leads(client, demo):
    client.login(username="gxj", password="ducha-demo-2018")
    url = reverse("plans:indicator", args=[demo.plan.code, "TJ-GOAL-SCALE"])
    seen = _units_in_value_table(client.get(url))
    assert seen == _units_with_values(demo.plan, "TJ-GOAL-SCALE")
    assert len(seen) >= 16  # every district (and the city's total)


def test_office_sees_every_units_values(client, demo):
    client.login(username="office", password="ducha-demo-2018")
    url = reverse("plans:indicator", args=[demo.plan.code, "TJ-GOAL-SCALE"])
    seen = _units_in_value_table(client.get(url))
    assert seen == _units_with_values(demo.plan, "TJ-GOAL-SCALE")
    assert len(seen) >= 16


def test_unknown_indicator_is_404(client, demo):
    client.login(username="office", password="ducha-demo-2018")
    url = reverse("plans:indicator", args=[demo.plan.code, "TJ-NOPE"])
    assert client.get(url).status_code == 404


def test_a_bad_as_of_shows_a_message_and_the_default(client, demo):
    client.login(username="office", password="ducha-demo-2018")
    url = reverse("plans:detail", args=[demo.plan.code])
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        response = client.get(url, {"as_of": "2019-02-30"})
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("2019-02-30" in m for m in messages)
    assert response.context["as_of"] == default_as_of(demo.plan)


def test_the_plan_page_says_which_date_it_shows_and_why(client, demo):
    client.login(username="office", password="ducha-demo-2018")
    url = reverse("plans:detail", args=[demo.plan.code])
    rule = choose_as_of(demo.plan)
    page = client.get(url).content.decode()
    assert f'data-as-of="{rule.date.isoformat()}"' in page
    assert f'data-as-of-reason="{rule.reason}"' in page and rule.label in page
    chosen = client.get(url, {"as_of": "2019-06-30"}).content.decode()
    assert 'data-as-of="2019-06-30"' in chosen and 'data-as-of-reason="asked"' in chosen
    assert "所选日期" in chosen


def test_as_of_changes_what_the_plan_page_shows(client, demo):
    client.login(username="office", password="ducha-demo-2018")
    url = reverse("plans:detail", args=[demo.plan.code])
    early = client.get(url, {"as_of": "2018-06-30"}).context["result"]
    late = client.get(url, {"as_of": "2019-12-31"}).context["result"]
    assert early.as_of == dt.date(2018, 6, 30)
    periods = {r.latest_period for r in early.indicators if r.latest_period}
    assert periods & {"2018Q1", "2018Q2"}
    assert all(parse_period(p).end <= dt.date(2018, 6, 30) for p in periods)  # nothing later
    assert [r.status for r in early.indicators] != [r.status for r in late.indicators]


# --- the plan's state ------------------------------------------------------------------------


def test_office_moves_the_plan_along_its_transitions(client, demo):
    client.login(username="office", password="ducha-demo-2018")
    url = reverse("plans:state", args=[demo.plan.code])
    assert client.post(url, {"state": "archived"}).status_code == 302
    demo.plan.refresh_from_db()
    assert demo.plan.state == PlanState.ARCHIVED
    assert AuditEntry.objects.filter(action="plans.plan.state_changed").count() == 1


def test_a_transition_not_in_the_table_is_refused(client, demo):
    client.login(username="office", password="ducha-demo-2018")
    url = reverse("plans:state", args=[demo.plan.code])
    response = client.post(url, {"state": "draft"}, follow=True)
    demo.plan.refresh_from_db()
    assert demo.plan.state == PlanState.ACTIVE
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


@pytest.mark.parametrize("username", ["leader", "heping", "gxj"])
def test_only_the_office_changes_the_plans_state(client, demo, username):
    client.login(username=username, password="ducha-demo-2018")
    url = reverse("plans:state", args=[demo.plan.code])
    assert client.post(url, {"state": "archived"}).status_code == 403
    demo.plan.refresh_from_db()
    assert demo.plan.state == PlanState.ACTIVE
    page = client.get(reverse("plans:detail", args=[demo.plan.code])).content.decode()
    assert 'name="state"' not in page


def test_state_change_needs_a_post(client, demo):
    client.login(username="office", password="ducha-demo-2018")
    assert client.get(reverse("plans:state", args=[demo.plan.code])).status_code == 405


# --- the plan page's query count does not grow with its indicators --------------------------


def _plan_with(n: int, units) -> Plan:
    data = {
        "format": "ducha-plan/1",
        "plan": {"code": f"plan-{n}", "title": f"{n}项指标的计划", "period_start": 2018,
                 "period_end": 2020, "state": "active"},
        "nodes": [{"key": str(k), "title": f"节点{k}",
                   "children": [{"key": f"{k}.1", "title": "子节点"}]} for k in range(5)],
        "indicators": [
            {"code": f"I{i}", "name": f"指标{i}", "node": f"{i % 5}.1" if i % 2 else str(i % 5),
             "unit": "亿元" if i % 2 else "家", "direction": "increase",
             "target": {"min": 100}, "lead": "工业和信息化局" if i % 3 else "和平区"}
            for i in range(n)
        ],
        "milestones": [{"code": f"M{i}", "title": f"里程碑{i}", "node": str(i % 5),
                        "lead": "科学技术局"} for i in range(n // 5)],
    }  # fmt: skip
    spec, text = parse_plan_data(data, "generated.yaml")
    plan = load_plan(spec, text).plan
    for ind in plan.indicators.all():
        for period in ("2018Q4", "2019Q2", "2019Q4"):
            for unit in (units["120101"], units["120102"]):
                dv = save_value(None, ind, unit, parse_period(period), Decimal(10))
                approve_value(None, dv)
    return plan


def test_plan_page_query_count_does_not_grow_with_indicators(
    client, demo, django_assert_num_queries
):
    units = {u.code: u for u in OrgUnit.objects.all()}
    small, large = _plan_with(5, units), _plan_with(60, units)
    client.login(username="office", password="ducha-demo-2018")
    client.get(reverse("plans:detail", args=[small.code]))  # warm caches (content types …)
    cache.clear()  # a first view: the rendered parts are not shared yet
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("plans:detail", args=[small.code]))
    assert response.status_code == 200 and len(response.context["result"].indicators) == 5
    cache.clear()
    with django_assert_num_queries(len(queries)):
        response = client.get(reverse("plans:detail", args=[large.code]))
    assert len(response.context["result"].indicators) == 60
    # 15; three for the assessment store (is it behind the approvals, asked by the default
    # date and by the read, and the indicators' states); two for the links between plans (the
    # confirmed ones that share values, and whether any reaches this plan: its panel); one
    # for the data stamp the shared parts are keyed on (core/pagecache.py)
    assert len(queries) <= 21


def test_a_repeat_view_is_shared_until_an_approval_makes_it_stale(client, demo):
    """The plan page's assessed parts come from the shared cache on a repeat view, and the
    next approval shows at once (the parts are keyed on the data stamp)."""
    ind = demo.plan.indicators.get(code="TJ-GOAL-SCALE")
    city = OrgUnit.objects.get(code="120000")
    url = reverse("plans:detail", args=[demo.plan.code])
    client.login(username="office", password="ducha-demo-2018")
    with CaptureQueriesContext(connection) as first:
        assert "result" in client.get(url, {"as_of": "2021-06-30"}).context
    with CaptureQueriesContext(connection) as repeat:
        response = client.get(url, {"as_of": "2021-06-30"})
    assert "result" not in response.context  # not assessed again
    assert len(repeat) < len(first)
    approve_value(None, save_value(None, ind, city, parse_period("2021Q1"), Decimal(12345)))
    assert "result" in client.get(url, {"as_of": "2021-06-30"}).context  # assessed anew


def test_after_the_deadline_the_pages_say_what_happened_instead_of_a_forecast(client, demo):
    from ducha.assessments.services import assess_indicators
    from ducha.engine.units import format_quantity

    ind = demo.plan.indicators.get(code="TJ-GOAL-SCALE")
    as_of = choose_as_of(demo.plan, None).date
    assert as_of > ind.deadline  # the demo plan has ended
    [r] = assess_indicators([ind], as_of)
    a = r.result
    assert a.final and str(a.status) == "not_achieved"  # 951.2 of 1000 亿元
    client.login(username="office", password="ducha-demo-2018")
    pages = [
        reverse("plans:indicator", args=[demo.plan.code, ind.code]),
        reverse("plans:detail", args=[demo.plan.code]),
        reverse("dashboards:indicator", args=[demo.plan.code, ind.code]),
        reverse("dashboards:cockpit", args=[demo.plan.code]),
    ]
    value = format_quantity(a.final_value, ind.unit)
    gap = format_quantity(a.gap, ind.unit)
    for url in pages:
        html = client.get(url).content.decode()
        assert "终期评估：未完成" in html, url
        assert f"{value} 亿元，目标 1,000" in html and f"差 {gap} 亿元" in html, url
        assert "按目前速度" not in html, url


def test_before_the_deadline_the_cockpit_still_forecasts(client, demo):
    client.login(username="office", password="ducha-demo-2018")
    url = reverse("dashboards:cockpit", args=[demo.plan.code])
    html = client.get(url, {"as_of": "2019-12-31"}).content.decode()
    assert "期限（" not in html
    assert "按目前速度" in html
