"""One roll-up, everywhere: every node of the demo plan has the same status on the plan tree,
the cockpit, the plan page, the API, ``ducha assess``, the bulletin and the public page, and
each comes with how it was reached. And after the plan's deadline none of them forecasts."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from ducha.assessments.labels import STATUS_LABELS, rollup_explanation
from ducha.assessments.services import assess_plan, choose_as_of
from ducha.engine.assessment import PACE_STATUSES
from ducha.portal import services as portal_services

pytestmark = pytest.mark.django_db

NODE = re.compile(r'class="node-status" data-node="([^"]*)" data-status="([a-z_]+)"')


def shown(html: str) -> dict[str, str]:
    """{node key ("" for the whole plan): status} of every node a page shows; a node shown
    twice on one page must show the same status both times."""
    found: dict[str, str] = {}
    for key, status in NODE.findall(html):
        assert found.setdefault(key, status) == status, (key, found[key], status)
    return found


def page(client, url, as_of) -> str:
    response = client.get(url, {"as_of": as_of} if as_of else {})
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("as_of", ["2020-06-30", None])  # mid-plan, and the default date
def test_every_node_shows_the_same_status_everywhere(client, demo, as_of):
    plan = demo.plan
    day = dt.date.fromisoformat(as_of) if as_of else choose_as_of(plan, None).date
    result = assess_plan(plan, day)
    truth = {r.node.key: str(r.status) for r, _depth in result.walk()}
    truth[""] = str(result.overall.status)
    day = day.isoformat()
    client.login(username="office", password="ducha-demo-2018")

    api = client.get(f"/api/assessments/{plan.code}", {"as_of": day}).json()
    api_nodes = {n["code"]: n["status"] for n in api["nodes"]}
    api_nodes[""] = api["status"]
    assert api_nodes == truth  # the API is the engine's roll-up, node for node
    for n in api["nodes"]:
        assert n["explanation"] and n["rule"]

    out = io.StringIO()
    call_command("assess", "--as-of", day, "--format", "json", stdout=out)
    command = json.loads(out.getvalue())
    assert {n["code"]: n["status"] for n in command["nodes"]} | {"": command["status"]} == truth

    places = {
        "tree": page(client, reverse("dashboards:tree", args=[plan.code]), day),
        "plan page": page(client, reverse("plans:detail", args=[plan.code]), day),
        "cockpit": page(client, reverse("dashboards:cockpit", args=[plan.code]), day),
    }
    if as_of is None:  # the public page shows the plan as of its default date
        client.logout()
        places["public page"] = page(client, reverse("portal:plan", args=[plan.code]), None)
    seen = {name: shown(html) for name, html in places.items()}
    for name, statuses in seen.items():
        assert statuses, name
        for key, status in statuses.items():
            assert status == truth[key], (name, key, status, truth[key])
    # the tree and the plan page show every node; the cockpit and the public page the
    # chapters and sections with something to assess, and the plan as a whole
    assert set(seen["tree"]) >= {k for k in truth if k and _has_items(api, k)}
    assert set(seen["plan page"]) >= {k for k in truth if k}
    top = {n["code"] for n in api["nodes"] if n["depth"] <= 1 and n["counts"]}
    assert set(seen["cockpit"]) >= top | {""}
    if "public page" in seen:
        assert set(seen["public page"]) >= top | {""}

    # The bulletin's table of chapters and sections says the same, in words.
    rnd = plan.rounds.filter(period_end__lte=day).order_by("-period_end").first()
    draft, facts = portal_services.compose_draft(rnd, dt.date.fromisoformat(day))
    labels = {str(s): str(label) for s, label in STATUS_LABELS.items()}
    assert {s.key for s in facts.sections} == top
    for line in facts.sections:
        assert line.status_code == truth[line.key], line
        assert line.status == labels[truth[line.key]]
    table = next(t for t in draft.tables if t["caption"] == "分章节评估情况")
    assert [row[1] for row in table["rows"]] == [s.status for s in facts.sections]
    assert facts.overall == labels[truth[""]]


def _has_items(api, key) -> bool:
    return any(n["code"] == key and n["counts"] for n in api["nodes"])


def test_each_node_says_how_its_status_was_reached(client, demo):
    result = assess_plan(demo.plan)
    client.login(username="office", password="ducha-demo-2018")
    html = page(client, reverse("dashboards:tree", args=[demo.plan.code]), None)
    plan_page = page(client, reverse("plans:detail", args=[demo.plan.code]), None)
    for node, _depth in result.walk():
        if not node.rollup.counts:
            continue
        why = rollup_explanation(node)
        n_ind, n_ms = len(node.indicators), len(node.milestones)
        assert why.startswith("由") and "汇总：" in why
        if n_ind:
            assert f"{n_ind}项指标" in why
        if n_ms:
            assert f"{n_ms}项任务" in why
        # every status among its direct children is counted by name
        for status, count in node.rollup.counts.items():
            assert f"{STATUS_LABELS[status]} {count}" in why
        assert why in html and why in plan_page, node.node.key


def test_after_the_deadline_no_place_forecasts(client, demo):
    """The issue's "done when": as of 2026-12-07 nothing past its deadline has a pace status."""
    out = io.StringIO()
    call_command("assess", "--as-of", "2026-12-07", "--format", "json", stdout=out)
    doc = json.loads(out.getvalue())
    pace = {str(s) for s in PACE_STATUSES}
    past = [i for i in doc["indicators"] if i["deadline"] < "2026-12-07"]
    assert past and not [i["code"] for i in past if i["status"] in pace]
    assert all(i["forecast"] is None and i["ratio"] is None and i["final"] for i in past)
    due = [m for m in doc["milestones"] if m["deadline"] < "2026-12-07"]
    assert due and not [m["code"] for m in due if m["status"] in pace]
    # a node whose items are all past their deadline has a final status too
    assert all(n["status"] not in pace for n in doc["nodes"] if n["final"])
    assert doc["plan_ended"] and doc["status"] not in pace


def test_after_the_deadline_no_page_forecasts(client, demo):
    """The issue's reproductions, as of 2026-12-07: 智能农业示范园区 and 智能科技产业规模
    no longer read 进度正常 or 需加快进度, nor does any node on the tree or the plan page;
    the plan reads 已结束."""
    day = "2026-12-07"
    client.login(username="office", password="ducha-demo-2018")
    pace = {str(s) for s in PACE_STATUSES}
    pace_words = [str(STATUS_LABELS[s]) for s in PACE_STATUSES]
    code = demo.plan.code
    for url in (reverse("dashboards:tree", args=[code]), reverse("plans:detail", args=[code])):
        html = page(client, url, day)
        statuses = shown(html)
        assert statuses and not {k: s for k, s in statuses.items() if s in pace}, url
        assert "已结束" in html and "执行中" not in html, url
    result = assess_plan(demo.plan, dt.date.fromisoformat(day))
    for indicator, final_label in (
        ("TJ-SEC-AGRI-PARKS", "未完成（无数据）"),
        ("TJ-GOAL-SCALE", "未完成"),
    ):
        [r] = [r for r in result.indicators if r.indicator.code == indicator]
        assert str(STATUS_LABELS[r.status]) == final_label
        for url in (
            reverse("dashboards:indicator", args=[code, indicator]),
            reverse("plans:indicator", args=[code, indicator]),
        ):
            html = page(client, url, day)
            assert final_label in html and not [w for w in pace_words if w in html], url
