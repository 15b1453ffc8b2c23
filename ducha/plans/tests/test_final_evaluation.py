"""A plan past its end reads 已结束 and has a final-evaluation page (终期评估); its bulletin has
a final-evaluation section. Before its end neither is offered and the plan reads 执行中."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from ducha.assessments.labels import STATUS_LABELS
from ducha.assessments.services import assess_plan, choose_as_of
from ducha.engine.assessment import FINAL_STATUSES, Status
from ducha.portal import services as portal_services

pytestmark = pytest.mark.django_db

MID_PLAN = "2020-06-30"


@pytest.fixture
def office(client, demo):
    client.login(username="office", password="ducha-demo-2018")
    return client


def test_the_final_evaluation_lists_every_target_past_its_deadline(office, demo):
    plan = demo.plan
    as_of = choose_as_of(plan, None).date
    result = assess_plan(plan, as_of)
    html = office.get(reverse("plans:final", args=[plan.code])).content.decode()
    assert "已结束" in html and "终期评估" in html
    rows = dict(re.findall(r'<tr data-code="([^"]+)" data-status="([a-z_]+)">', html))
    due = [r for r in result.indicators if r.indicator.deadline < as_of]
    due_ms = [m for m in result.milestones if m.milestone.due < as_of]
    assert due and due_ms
    assert rows == {r.indicator.code: str(r.status) for r in due} | {
        m.milestone.code: str(m.status) for m in due_ms
    }
    assert set(rows.values()) <= {str(s) for s in FINAL_STATUSES | {Status.ACHIEVED}}
    # 智能科技产业规模: 951.2 of 1,000 亿元 for 2020, from the city's own figure
    scale = next(r for r in due if r.indicator.code == "TJ-GOAL-SCALE")
    row = html.split('data-code="TJ-GOAL-SCALE"')[1].split("</tr>")[0]
    assert "951.2 亿元" in row and "48.8 亿元" in row and "天津市" in row
    assert scale.final_period in row


def test_an_ended_plan_links_its_final_evaluation_from_the_plan_page_and_the_cockpit(office, demo):
    final_url = reverse("plans:final", args=[demo.plan.code])
    for url in (
        reverse("plans:detail", args=[demo.plan.code]),
        reverse("dashboards:cockpit", args=[demo.plan.code]),
    ):
        ended = office.get(url).content.decode()
        assert final_url in ended and "已结束" in ended and "执行中" not in ended, url
        running = office.get(url, {"as_of": MID_PLAN}).content.decode()
        assert final_url not in running and "执行中" in running and "已结束" not in running, url
    plans = office.get(reverse("plans:list")).content.decode()
    assert "已结束" in plans


def test_the_plan_page_explains_r_and_the_score_and_links_the_method(office, demo):
    html = office.get(
        reverse("dashboards:tree", args=[demo.plan.code]), {"as_of": MID_PLAN}
    ).content.decode()
    method = reverse("assessments:method")
    assert f'href="{method}#r"' in html and f'href="{method}#score"' in html
    assert "R：目前的实际进度与按期完成所需进度之比" in html
    assert "得分 0～4：下属各项得分的加权平均" in html
    # the method page itself is public and explains every status in Chinese
    office.logout()
    page = office.get(method).content.decode()
    for label in STATUS_LABELS.values():
        assert str(label) in page
    assert "进度比 R" in page and "终期评估" in page and "得分与汇总" in page


def test_a_bulletin_after_the_plans_end_has_a_final_evaluation_section(demo):
    rnd = demo.plan.rounds.order_by("-period_end").first()
    draft, facts = portal_services.compose_draft(rnd, dt.date(2021, 9, 30))
    assert facts.final is not None and "二、终期评估" in draft.body
    table = next(t for t in draft.tables if t["caption"] == "终期评估情况")
    result = assess_plan(demo.plan, dt.date(2021, 9, 30))
    names = [row[0] for row in table["rows"]]
    assert names == [r.indicator.name for r in result.indicators if r.result.final] + [
        m.milestone.title for m in result.milestones if m.final
    ]
    scale = next(row for row in table["rows"] if row[0] == "智能科技产业规模")
    assert scale[3] == "未完成" and scale[4] == "951.2亿元" and scale[7] == "48.8亿元"
    # the lagging section leaves the targets past their deadline to the final evaluation
    assert "智能科技产业规模（牵头单位" not in draft.body.split("三、")[1].split("四、")[0]

    before = demo.plan.rounds.filter(period_end__lte=MID_PLAN).order_by("-period_end").first()
    draft, facts = portal_services.compose_draft(before, dt.date.fromisoformat(MID_PLAN))
    assert facts.final is None and "终期评估" not in draft.body
