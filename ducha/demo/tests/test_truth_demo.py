"""After `ducha demo`: the values carry their sources, and the quality page lists the planted
outliers and violations (ducha/demo/quality.py)."""

import pytest
from django.test import Client
from django.urls import reverse

from ducha.accounts.models import User
from ducha.demo import quality as planted
from ducha.quality import gate, selectors

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_every_demo_value_in_the_api_has_a_source(demo):
    client = Client()
    client.force_login(User.objects.get(username="office"))
    items = client.get("/api/values", {"limit": 500}).json()["items"]
    assert items and all(item["source"]["kind"] and item["source"]["label"] for item in items)
    assert {item["source"]["kind"] for item in items} == {"unit_report"}
    computed = client.get("/api/values", {"indicator": "TJ-ECO-TALENT", "limit": 50}).json()
    assert {item["source"]["kind"] for item in computed["items"]} == {"computed"}


def test_figures_computed_from_the_registers_are_shown_as_computed(demo):
    """The approvals the registers write carry 名录库计算, as the values do: the indicator page
    reads the approvals."""
    from ducha.datavalues.models import ApprovedValue

    computed = ApprovedValue.objects.filter(indicator__source="computed")
    assert computed.exists() and not computed.exclude(source="computed").exists()
    client = Client()
    client.force_login(User.objects.get(username="leader"))
    url = reverse("dashboards:indicator", args=[demo.plan.code, "TJ-GOAL-SCALE"])
    page = client.get(url).content.decode()
    assert "名录库计算" in page and "单位填报" not in page


def test_the_quality_page_lists_the_planted_outliers_and_violations(demo):
    report = selectors.report(demo.plan)
    outliers = {
        (i.flag.period, i.unit.code, i.indicator.code)
        for i in report.outliers
        if i.kind == gate.HISTORY
    }
    for period, unit, code, _factor in planted.PLANTED + planted.OPEN_PLANTED:
        assert (period, unit, code) in outliers
    violations = {(i.flag.period, i.indicator.code, i.kind) for i in report.violations}
    for period, _unit, code, _factor in planted.PLANTED:
        assert (period, code, gate.DISTRICTS) in violations
    assert all(i.explanation for i in report.outliers)  # each one explained, as the gate asks
    # the district whose figure broke the districts' sum explained it when submitting: the
    # violation shows that explanation, and names the period as people write it
    for item in (i for i in report.violations if i.kind == gate.DISTRICTS):
        assert [a.org_unit.code for a in item.explained_by] == [
            unit for period, unit, code, _f in planted.PLANTED if code == item.indicator.code
        ]
        assert planted.EXPLANATION in item.explanation
        assert "2020年第三季度" in item.message and "2020Q3" not in item.message

    client = Client()
    client.force_login(User.objects.get(username="office"))
    page = client.get(reverse("quality:index")).content.decode()
    assert "智能农业示范园区" in page and "智能物流示范企业" in page
    assert planted.EXPLANATION in page


def test_the_demo_loads_the_published_figures_as_real_context(demo):
    from ducha.figures.models import PublishedFigure

    assert PublishedFigure.objects.count() == 17
    client = Client()
    client.force_login(User.objects.get(username="leader"))
    page = client.get(reverse("dashboards:cockpit", args=[demo.plan.code])).content.decode()
    assert "超2000亿元" in page and "市工信局局长（第六届世界智能大会新闻发布会）" in page


def test_demo_bulletins_footnote_the_sources_of_the_figures_they_quote(demo):
    from ducha.portal.models import Bulletin

    bulletin = Bulletin.objects.filter(is_demo=True).order_by("-as_of").first()
    footnote = [line for line in bulletin.body.splitlines() if line.startswith("注：")]
    assert footnote and "来源为" in footnote[0]
    assert "单位填报" in footnote[0] or "名录库计算" in footnote[0]


def test_the_public_plan_page_shows_the_published_snapshot(demo):
    from ducha.portal.models import PlanSnapshot

    snap = PlanSnapshot.objects.get(plan=demo.plan)
    page = Client().get(reverse("portal:plan", args=[demo.plan.code])).content.decode()
    assert snap.as_of.isoformat() in page and demo.plan.title in page
