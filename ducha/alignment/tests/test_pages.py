"""The alignment pages: the review screen, the city overview, the coverage panel, the
coverage command and the demo with the district plan."""

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from ducha.alignment.models import Alignment, LinkState
from ducha.audit.models import AuditEntry
from ducha.plans.services import load_plan_file

pytestmark = pytest.mark.django_db

BINHAI = Path(__file__).resolve().parents[2] / "data" / "binhai-2019-ai" / "plan.yaml"


@pytest.fixture
def binhai(tianjin_plan):
    return load_plan_file(BINHAI, state="active").plan


def test_the_office_confirms_a_suggestion_on_the_review_screen(client, binhai, office):
    link = Alignment.objects.filter(state=LinkState.PROPOSED).first()
    client.force_login(office)
    page = client.get(reverse("alignment:review"), {"state": "proposed"})
    assert page.status_code == 200
    assert f'data-link="{link.pk}"' in page.content.decode()
    assert 'data-state="confirmed"' not in page.content.decode()
    response = client.post(
        reverse("alignment:decide", args=[link.pk]),
        {"action": "confirm", "relation": "same_measure", "note": "口径一致"},
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.state, link.relation, link.note) == ("confirmed", "same_measure", "口径一致")
    assert AuditEntry.objects.filter(action="alignment.alignment.confirmed").exists()


def test_a_relation_that_cannot_share_values_is_refused_with_a_message(client, binhai, office):
    # 项 against 个: the two may be related, but one figure cannot serve both
    link = Alignment.objects.get(source__code="T03", target__code="TJ-INN-TECHFIELDS")
    client.force_login(office)
    response = client.post(
        reverse("alignment:decide", args=[link.pk]),
        {"action": "save", "relation": "same_measure"},
        follow=True,
    )
    [message] = [str(m) for m in response.context["messages"]]
    assert "项" in message and "个" in message
    link.refresh_from_db()
    assert link.relation == "contributes_to"


def test_the_leader_reads_the_review_screen_without_forms(client, binhai, leader):
    client.force_login(leader)
    page = client.get(reverse("alignment:review")).content.decode()
    assert "data-link=" in page and "link-form" not in page


def test_the_city_overview_lists_both_plans_with_the_citys_coverage(client, binhai, leader):
    client.force_login(leader)
    page = client.get(reverse("alignment:overview")).content.decode()
    assert 'data-plan="tianjin-2018-ai"' in page and 'data-plan="binhai-2019-ai"' in page
    assert "滨海新区" in page


def test_the_plan_page_and_cockpit_show_the_coverage_of_the_city_targets(client, binhai, leader):
    client.force_login(leader)
    for url in (
        reverse("plans:detail", args=["tianjin-2018-ai"]),
        reverse("dashboards:cockpit", args=["tianjin-2018-ai"]),
    ):
        page = client.get(url).content.decode()
        assert 'data-indicator="TJ-GOAL-SCALE" data-coverage="short"' in page, url
        assert "20%" in page
        assert "· 2021年" in page and "· 2021<" not in page, url
    district = client.get(reverse("plans:detail", args=["binhai-2019-ai"])).content.decode()
    assert "智能科技产业规模" in district  # its targets feed the city's


def test_coverage_command_lists_every_city_target_as_json_and_table(binhai):
    out = StringIO()
    call_command("coverage", "--plan", "tianjin-2018-ai", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert len(data["targets"]) == 29
    keytech = next(t for t in data["targets"] if t["indicator"] == "TJ-INN-KEYTECH")
    assert keytech["contributors"][0]["indicator"] == "T03"
    assert keytech["coverage_percent"] == 80.0
    out = StringIO()
    call_command("coverage", "--plan", "tianjin-2018-ai", stdout=out)
    table = out.getvalue()
    assert "binhai-2019-ai/T01" in table and "20%" in table
    # years and late contributions read as words, not a bare number and a "!"
    assert "2021年（期限晚于本目标）" in table and "!" not in table


def test_api_lists_both_plans_with_their_regions(client, binhai, leader):
    client.force_login(leader)
    plans = client.get("/api/plans").json()
    assert {p["code"]: p["region"] for p in plans} == {
        "tianjin-2018-ai": None,
        "binhai-2019-ai": "120116",
    }
    coverage = client.get("/api/plans/tianjin-2018-ai/coverage").json()
    assert coverage["summary"]["short"] == 3


def test_the_bulletin_reports_the_coverage_of_the_citys_targets(tianjin_plan, office):
    from ducha.portal.services import compose_draft
    from ducha.reporting import services as reporting

    rnd = reporting.open_round(office, tianjin_plan, "2019Q3", opened_on=dt.date(2019, 10, 8))
    load_plan_file(BINHAI)  # a draft: not in a bulletin
    draft, _facts = compose_draft(rnd)
    assert "规划目标对接" not in draft.body
    load_plan_file(BINHAI, state="active")
    draft, _facts = compose_draft(rnd)
    assert "规划目标对接" in draft.body and "26项尚无其他规划目标对接" in draft.body
    [table] = [t for t in draft.tables if t["caption"] == "规划目标对接情况"]
    scale = next(row for row in table["rows"] if row[0] == "智能科技产业规模")
    assert scale[3:5] == ["200亿元", "20.0%"]
    assert "人工智能核心产业规模200亿元（2021年）" in scale[2]


def test_the_cascade_demo_loads_the_district_plan_active_with_its_links_and_figures(
    tianjin_plan, office, client
):
    from ducha.assessments.services import assess_plan
    from ducha.demo.cascade import load_cascade_demo

    plan = load_cascade_demo(office)
    assert plan.state == "active" and plan.region.code == "120116"
    confirmed = Alignment.objects.filter(source__plan=plan, state=LinkState.CONFIRMED)
    assert confirmed.count() == 3
    result = assess_plan(plan, dt.date(2022, 3, 31))
    assert all(r.series[-1].period == "2021" for r in result.indicators)
    assert {r.status for r in result.indicators} >= {"achieved", "not_achieved"}
    client.force_login(office)
    cockpit = client.get(reverse("dashboards:cockpit", args=[plan.code]))
    assert cockpit.status_code == 200


def test_the_alignments_command_writes_the_plan_files_section_back(binhai):
    import yaml

    out = StringIO()
    call_command("alignments", "--plan", "binhai-2019-ai", stdout=out)
    written = yaml.safe_load(out.getvalue())["alignments"]
    shipped = yaml.safe_load(BINHAI.read_text(encoding="utf-8"))["alignments"]
    assert [row for row in written if "state" not in row] == shipped
    assert {row.get("state") for row in written} == {None, "proposed"}


def test_the_office_adds_a_link_the_platform_did_not_suggest(client, binhai, office):
    t06 = binhai.indicators.get(code="T06")
    leaders = Alignment.objects.filter(target__code="TJ-GOAL-LEADERS", source=t06)
    assert not leaders.exists()
    client.force_login(office)
    page = client.get(reverse("alignment:review")).content.decode()
    assert 'action="/alignment/add/"' in page
    target = binhai.indicators.model.objects.get(code="TJ-GOAL-LEADERS")
    body = {"source": t06.pk, "target": target.pk, "relation": "contributes_to", "note": "龙头"}
    client.post(reverse("alignment:add"), body)
    link = leaders.get()
    assert (link.state, link.origin, link.decided_by) == ("confirmed", "office", office)
    response = client.post(reverse("alignment:add"), body, follow=True)  # twice: refused
    assert leaders.count() == 1
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"


def test_an_extracted_plan_gets_suggestions_and_they_follow_its_region(
    client, tianjin_plan, office, tianjin_units
):
    from ducha.extraction.services import upload_document
    from ducha.extraction.tests.conftest import SMALL_PLAN

    data = SMALL_PLAN.encode("utf-8")
    draft = upload_document(office, "small.txt", [data], len(data), code="small-draft").upload.plan
    before = set(Alignment.objects.filter(source__plan=draft).values_list("relation", flat=True))
    assert before == {"succeeds"}  # no region, 2021–2023: the city's next plan
    client.force_login(office)
    form = {
        "title": draft.title,
        "period_start": 2019,  # corrected: a district's plan beside the city's
        "period_end": 2021,
        "region": tianjin_units["120116"].pk,
    }
    response = client.post(reverse("extraction:details", args=[draft.code]), form)
    assert response.status_code == 302
    after = set(Alignment.objects.filter(source__plan=draft).values_list("relation", flat=True))
    assert after == {"contributes_to"}
