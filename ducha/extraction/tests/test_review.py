"""Reviewing a draft plan: confirm, edit, drop, add; only the office; activate when done."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from ducha.audit.models import AuditEntry
from ducha.extraction import services
from ducha.extraction.models import IndicatorReview, ReviewStatus
from ducha.extraction.tests.conftest import SMALL_PLAN_TARGETS
from ducha.plans.models import Indicator, PlanState
from ducha.plans.services import change_plan_state, update_indicator

pytestmark = pytest.mark.django_db


def _url(name, plan, indicator=None):
    args = [plan.code] + ([indicator.code] if indicator is not None else [])
    return reverse(f"extraction:{name}", args=args)


def _first(plan) -> Indicator:
    return plan.indicators.order_by("node__position", "position").first()


def _status(indicator) -> str:
    fresh = services.reviewable_indicators(indicator.plan).get(pk=indicator.pk)
    return services.review_status(fresh)


def _edit_data(indicator, **changes):
    data = {
        "name": indicator.name,
        "unit": indicator.unit,
        "target_min": str(indicator.target_min),
        "target_max": "",
        "comparator": indicator.comparator,
        "kind": indicator.kind,
        "direction": str(indicator.direction),
        "deadline": str(indicator.deadline.year),
        "baseline_value": "",
        "baseline_period": "",
        "lead_unit": "",
        "frequency": indicator.frequency,
        "aggregation": indicator.aggregation,
        "sentence": indicator.sentence,
        "save_confirm": "1",
    }
    data.update(changes)
    return data


# --- the page -----------------------------------------------------------------------------------


def test_each_indicator_is_shown_beside_its_sentence_marked_in_the_node_text(
    client, office, seed_draft
):
    client.force_login(office)
    page = client.get(_url("review", seed_draft)).content.decode()
    shown = list(
        seed_draft.indicators.select_related("node").order_by("node__position", "position")
    )[:20]
    for indicator in shown:
        assert indicator.sentence in indicator.node.text
        assert f"<mark>{escape(indicator.sentence)}</mark>" in page
        assert f'id="ind-{indicator.code}"' in page
    assert page.count('<article class="review-item') == len(shown) == 20  # of 29


def test_the_marked_sentence_sits_in_the_text_around_it(client, office, small_draft):
    client.force_login(office)
    page = client.get(_url("review", small_draft)).content.decode()
    assert "到2023年，<mark>全市人工智能核心产业规模达到500亿元</mark>，培育20家" in page


def test_markup_in_the_plan_text_is_escaped_around_the_mark(client, office, small_draft):
    indicator = _first(small_draft)
    node = indicator.node
    node.text = "<b>注意</b>" + node.text
    node.save()
    client.force_login(office)
    page = client.get(_url("review", small_draft)).content.decode()
    assert "&lt;b&gt;注意&lt;/b&gt;" in page and "<b>注意</b>" not in page
    assert f"<mark>{indicator.sentence}</mark>" in page


def test_progress_counts_reviewed_indicators(client, office, seed_draft):
    client.force_login(office)
    services.confirm_indicator(_first(seed_draft), office)
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        page = client.get(_url("review", seed_draft)).content.decode()
    assert "1 of 29 reviewed" in page
    assert '<progress max="29" value="1"' in page


def test_long_plans_are_paginated_and_filtered(client, office, seed_draft):
    client.force_login(office)
    second = client.get(_url("review", seed_draft), {"page": 2})
    assert second.context["page"].number == 2
    assert len(second.context["page"].object_list) == 9  # 29 = 20 + 9
    services.confirm_indicator(_first(seed_draft), office)
    pending = client.get(_url("review", seed_draft), {"show": "pending"})
    assert pending.context["page"].paginator.count == 28
    confirmed = client.get(_url("review", seed_draft), {"show": "confirmed"})
    assert [i.indicator for i in confirmed.context["page"].object_list] == [_first(seed_draft)]


def test_indicators_are_grouped_by_their_node(client, office, small_draft):
    client.force_login(office)
    groups = client.get(_url("review", small_draft)).context["groups"]
    assert [g.node.title for g in groups] == ["发展目标", "壮大产业集群", "推进示范应用"]
    assert [len(g.items) for g in groups] == [3, 1, 1]


def test_the_review_page_costs_the_same_queries_for_a_longer_plan(
    client, office, small_draft, seed_draft, django_assert_max_num_queries
):
    client.force_login(office)
    client.get(_url("review", small_draft))  # warm the session and content types
    with django_assert_max_num_queries(12) as small:
        client.get(_url("review", small_draft))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(_url("review", seed_draft))


def test_the_review_page_is_in_chinese_by_default(client, office, small_draft):
    client.force_login(office)
    page = client.get(_url("review", small_draft)).content.decode()
    assert "审核" in page and "待审核" in page and "确认" in page


# --- confirm ------------------------------------------------------------------------------------


def test_confirming_records_who_and_when_and_moves_to_the_next_pending(client, office, small_draft):
    client.force_login(office)
    first, second = small_draft.indicators.order_by("node__position", "position")[:2]
    response = client.post(_url("confirm", small_draft, first))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#ind-{second.code}")
    review = IndicatorReview.objects.get(indicator=first)
    assert (review.status, review.reviewed_by) == (ReviewStatus.CONFIRMED, office)
    assert review.reviewed_at is not None
    assert AuditEntry.objects.filter(action="extraction.indicator.confirmed").count() == 1
    assert _status(second) == ReviewStatus.PENDING


def test_confirming_twice_changes_nothing(client, office, small_draft):
    client.force_login(office)
    first = _first(small_draft)
    client.post(_url("confirm", small_draft, first))
    client.post(_url("confirm", small_draft, first))
    assert AuditEntry.objects.filter(action="extraction.indicator.confirmed").count() == 1


def test_reopening_makes_an_indicator_pending_again(client, office, small_draft):
    client.force_login(office)
    first = _first(small_draft)
    services.confirm_indicator(first, office)
    client.post(_url("reopen", small_draft, first))
    assert _status(first) == ReviewStatus.PENDING


def test_a_confirmation_lapses_when_the_indicator_changes_afterwards(office, small_draft):
    first = _first(small_draft)
    services.confirm_indicator(first, office)
    assert _status(first) == ReviewStatus.CONFIRMED
    update_indicator(first, None, target_min=Decimal(600), target_max=Decimal(600))
    assert _status(first) == ReviewStatus.PENDING


# --- edit ---------------------------------------------------------------------------------------


def test_editing_saves_every_field_and_confirms(client, office, small_draft, tianjin_units):
    client.force_login(office)
    indicator = _first(small_draft)
    lead, support = tianjin_units["120116"], tianjin_units["120101"]
    data = _edit_data(
        indicator,
        name="人工智能核心产业营业收入",
        unit="亿元",
        target_min="450",
        target_max="550",
        comparator=">=",
        deadline="2023-06-30",
        baseline_value="300",
        baseline_period="2020",
        lead_unit=str(lead.pk),
        supporting_units=[str(support.pk)],
        frequency="year",
        aggregation="max",
    )
    response = client.post(_url("edit", small_draft, indicator), data)
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.name == "人工智能核心产业营业收入"
    assert (indicator.target_min, indicator.target_max) == (Decimal(450), Decimal(550))
    assert indicator.comparator == ">=" and indicator.deadline == dt.date(2023, 6, 30)
    assert (indicator.baseline_value, indicator.baseline_period) == (Decimal(300), "2020")
    assert indicator.lead_unit == lead
    assert list(indicator.supporting_units.all()) == [support]
    assert (indicator.frequency, indicator.aggregation) == ("year", "max")
    assert _status(indicator) == ReviewStatus.CONFIRMED
    entry = AuditEntry.objects.get(action="plans.indicator.updated")
    assert entry.actor == office and "target_min" in entry.changes


def test_save_review_later_keeps_the_indicator_pending(client, office, small_draft):
    client.force_login(office)
    indicator = _first(small_draft)
    data = _edit_data(indicator, name="新名称")
    del data["save_confirm"]
    data["save_only"] = "1"
    client.post(_url("edit", small_draft, indicator), data)
    indicator.refresh_from_db()
    assert indicator.name == "新名称"
    assert _status(indicator) == ReviewStatus.PENDING


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"target_min": "10", "target_max": "5"}, "target_max", "上限不能低于目标值"),
        ({"target_min": "-1"}, "target_min", "0"),
        ({"target_min": "很多"}, "target_min", "数"),
        ({"unit": "斗"}, "unit", "不是已知的单位"),
        ({"kind": "change", "unit": "亿元"}, "unit", "%"),
        ({"deadline": "明年"}, "deadline", "不是年份或日期"),
        ({"deadline": "2019"}, "deadline", "不能早于计划开始"),
        ({"baseline_value": "300"}, "baseline_period", "基期值和基期"),
        ({"baseline_value": "300", "baseline_period": "去年"}, "baseline_period", "不是期间"),
        ({"sentence": "这句话不在原文中"}, "sentence", "原文"),
        ({"name": ""}, "name", "必填"),
    ],
)
def test_a_bad_edit_is_refused_with_a_chinese_message_and_nothing_changes(
    client, office, small_draft, changes, field, message
):
    client.force_login(office)
    indicator = _first(small_draft)
    before = (indicator.name, indicator.unit, indicator.target_min, indicator.deadline)
    response = client.post(_url("edit", small_draft, indicator), _edit_data(indicator, **changes))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(message in e for e in errors[field]), errors[field]
    page = response.content.decode()
    assert escape(errors[field][0]) in page
    indicator.refresh_from_db()
    assert (indicator.name, indicator.unit, indicator.target_min, indicator.deadline) == before
    assert not AuditEntry.objects.filter(action="plans.indicator.updated").exists()


def test_the_lead_unit_cannot_also_support(client, office, small_draft, tianjin_units):
    client.force_login(office)
    indicator = _first(small_draft)
    unit = tianjin_units["120116"]
    data = _edit_data(indicator, lead_unit=str(unit.pk), supporting_units=[str(unit.pk)])
    response = client.post(_url("edit", small_draft, indicator), data)
    assert response.status_code == 400
    assert "supporting_units" in response.context["form"].errors


def test_the_edit_form_shows_the_sentence_marked_and_current_values(client, office, small_draft):
    client.force_login(office)
    indicator = _first(small_draft)
    page = client.get(_url("edit", small_draft, indicator)).content.decode()
    assert f"<mark>{indicator.sentence}</mark>" in page
    assert 'value="500"' in page and 'value="2023"' in page


# --- drop ---------------------------------------------------------------------------------------


def test_dropping_asks_first_then_removes_the_indicator(client, office, small_draft):
    client.force_login(office)
    indicator = _first(small_draft)
    page = client.get(_url("drop", small_draft, indicator)).content.decode()
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    assert f"<mark>{indicator.sentence}</mark>" in page and 'method="post"' in page
    response = client.post(_url("drop", small_draft, indicator))
    assert response.status_code == 302
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    assert small_draft.indicators.count() == SMALL_PLAN_TARGETS - 1
    entry = AuditEntry.objects.get(action="plans.indicator.deleted")
    assert entry.changes["indicator"] == indicator.code and entry.actor == office


def test_dropping_needs_a_post(client, office, small_draft):
    client.force_login(office)
    indicator = _first(small_draft)
    client.get(_url("drop", small_draft, indicator))
    assert Indicator.objects.filter(pk=indicator.pk).exists()


# --- add ----------------------------------------------------------------------------------------


def test_a_missed_target_is_added_from_a_sentence_of_its_node(client, office, small_draft):
    client.force_login(office)
    node = small_draft.nodes.get(title="发展目标")
    sentence = "培育20家领军企业"
    Indicator.objects.filter(plan=small_draft, sentence=sentence).delete()
    form_page = client.get(_url("add", small_draft), {"node": node.key, "sentence": sentence})
    initial = form_page.context["form"].initial
    assert (initial["unit"], initial["target_min"], initial["deadline"]) == ("家", "20", "2023")
    assert f">{sentence}</a>" in form_page.content.decode()  # every clause can be picked
    data = _edit_data(_first(small_draft), name="领军企业", unit="家", target_min="20")
    data.update(node=node.key, sentence=sentence, code=initial["code"])
    response = client.post(_url("add", small_draft), data)
    assert response.status_code == 302
    added = small_draft.indicators.get(sentence=sentence)
    assert (added.node, added.target_min, added.unit) == (node, Decimal(20), "家")
    assert _status(added) == ReviewStatus.CONFIRMED
    assert AuditEntry.objects.filter(action="plans.indicator.created", actor=office).exists()


def test_an_added_indicator_needs_a_free_code(client, office, small_draft):
    client.force_login(office)
    node = small_draft.nodes.get(title="发展目标")
    data = _edit_data(_first(small_draft))
    data.update(node=node.key, code=_first(small_draft).code)
    response = client.post(_url("add", small_draft), data)
    assert response.status_code == 400
    assert "code" in response.context["form"].errors
    assert small_draft.indicators.count() == SMALL_PLAN_TARGETS


def test_every_node_is_listed_for_adding(client, office, small_draft):
    client.force_login(office)
    page = client.get(_url("nodes", small_draft)).content.decode()
    assert "加强组织领导，完善工作机制。" in page  # a node with no indicator
    assert page.count("?node=") >= small_draft.nodes.exclude(text="").count()


# --- activation ---------------------------------------------------------------------------------


def test_activation_is_refused_while_indicators_are_pending(client, office, small_draft):
    client.force_login(office)
    services.confirm_indicator(_first(small_draft), office)
    response = client.post(_url("activate", small_draft), follow=True)
    small_draft.refresh_from_db()
    assert small_draft.state == PlanState.DRAFT
    messages = [str(m) for m in response.context["messages"]]
    assert any("4" in m and str(SMALL_PLAN_TARGETS) in m for m in messages), messages


def test_the_plan_pages_own_state_button_is_refused_too(client, office, small_draft):
    client.force_login(office)
    response = client.post(
        reverse("plans:state", args=[small_draft.code]), {"state": "active"}, follow=True
    )
    small_draft.refresh_from_db()
    assert small_draft.state == PlanState.DRAFT
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    with pytest.raises(ValueError):
        change_plan_state(small_draft, PlanState.ACTIVE, office)


def test_activation_succeeds_once_every_indicator_is_confirmed_or_dropped(
    client, office, small_draft
):
    client.force_login(office)
    indicators = list(small_draft.indicators.all())
    services.drop_indicator(indicators[0], office)
    for indicator in indicators[1:]:
        services.confirm_indicator(indicator, office)
    response = client.post(_url("activate", small_draft))
    assert response["Location"] == reverse("plans:detail", args=[small_draft.code])
    small_draft.refresh_from_db()
    assert small_draft.state == PlanState.ACTIVE
    assert AuditEntry.objects.filter(action="plans.plan.state_changed").count() == 1


def test_an_active_plan_is_no_longer_reviewed_or_edited(client, office, small_draft):
    for indicator in small_draft.indicators.all():
        services.confirm_indicator(indicator, office)
    services.activate_plan(small_draft, office)
    client.force_login(office)
    indicator = _first(small_draft)
    page = client.get(_url("review", small_draft)).content.decode()
    assert _url("confirm", small_draft, indicator) not in page
    client.post(_url("reopen", small_draft, indicator))
    assert _status(indicator) == ReviewStatus.CONFIRMED
    client.post(_url("drop", small_draft, indicator))
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    client.post(_url("edit", small_draft, indicator), _edit_data(indicator, name="改"))
    indicator.refresh_from_db()
    assert indicator.name != "改"


def test_the_draft_plan_page_links_to_the_review(client, office, small_draft):
    client.force_login(office)
    page = client.get(reverse("plans:detail", args=[small_draft.code])).content.decode()
    assert _url("review", small_draft) in page


# --- permissions --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["leader", "reporter_heping", "head_heping"])
def test_only_the_office_reviews(client, request, small_draft, office, who):
    client.force_login(request.getfixturevalue(who))
    indicator = _first(small_draft)
    for name in ("review", "nodes", "add"):
        assert client.get(_url(name, small_draft)).status_code == 403
    for name in ("edit", "drop"):
        assert client.get(_url(name, small_draft, indicator)).status_code == 403
    for name in ("confirm", "reopen", "drop"):
        assert client.post(_url(name, small_draft, indicator)).status_code == 403
    edit = client.post(_url("edit", small_draft, indicator), _edit_data(indicator, name="改"))
    assert edit.status_code == 403
    assert client.post(_url("activate", small_draft)).status_code == 403
    assert _status(indicator) == ReviewStatus.PENDING
    assert Indicator.objects.get(pk=indicator.pk).name == indicator.name
    small_draft.refresh_from_db()
    assert small_draft.state == PlanState.DRAFT


def test_services_refuse_other_roles(small_draft, reporter_heping):
    from django.core.exceptions import PermissionDenied

    indicator = _first(small_draft)
    with pytest.raises(PermissionDenied):
        services.confirm_indicator(indicator, reporter_heping)
    with pytest.raises(PermissionDenied):
        services.drop_indicator(indicator, reporter_heping)
    with pytest.raises(PermissionDenied):
        update_indicator(indicator, reporter_heping, name="x")


# --- the plan's header --------------------------------------------------------------------------


def test_the_office_corrects_the_title_and_period_of_a_draft(client, office, small_draft):
    client.force_login(office)
    data = {
        "title": "某市人工智能产业发展三年行动计划",
        "short_title": "人工智能行动计划",
        "issuer": "某市人民政府",
        "issued_on": "2021-03-01",
        "period_start": "2021",
        "period_end": "2024",
        "outlook_year": "2025",
    }
    response = client.post(_url("details", small_draft), data)
    assert response.status_code == 302
    small_draft.refresh_from_db()
    assert (small_draft.short_title, small_draft.period_end) == ("人工智能行动计划", 2024)
    assert small_draft.issued_on == dt.date(2021, 3, 1)
    entry = AuditEntry.objects.get(action="plans.plan.updated")
    assert entry.changes["period_end"] == [2023, 2024]


def test_a_period_that_ends_before_it_starts_is_refused(client, office, small_draft):
    client.force_login(office)
    data = {"title": "计划", "period_start": "2021", "period_end": "2019"}
    response = client.post(_url("details", small_draft), data)
    assert response.status_code == 400
    assert "不能早于" in response.context["form"].errors["period_end"][0]
    small_draft.refresh_from_db()
    assert small_draft.period_end == 2023


def test_only_the_office_corrects_plan_details(client, leader, small_draft):
    client.force_login(leader)
    response = client.post(
        _url("details", small_draft), {"title": "x", "period_start": "2021", "period_end": "2023"}
    )
    assert response.status_code == 403
    small_draft.refresh_from_db()
    assert small_draft.title != "x"


def test_a_draft_loaded_from_ducha_extract_yaml_is_reviewed_and_activated_in_the_web_ui(
    client, office, tmp_path
):
    import io

    from django.core.management import call_command

    from ducha.extraction.tests.conftest import SEED

    plan_file = tmp_path / "plan.yaml"
    call_command("extract", str(SEED), format="yaml", code="tj-cli", output=str(plan_file),
                 stderr=io.StringIO())  # fmt: skip
    call_command("loadplan", str(plan_file), stdout=io.StringIO())
    client.force_login(office)
    review = client.get(reverse("extraction:review", args=["tj-cli"]))
    assert review.status_code == 200 and review.context["progress"].total == 29
    refused = client.post(reverse("extraction:activate", args=["tj-cli"]), follow=True)
    assert "29" in " ".join(str(m) for m in refused.context["messages"])
    plan = refused.context["plan"]
    for indicator in plan.indicators.all():
        assert client.post(_url("confirm", plan, indicator)).status_code == 302
    client.post(reverse("extraction:activate", args=["tj-cli"]))
    plan.refresh_from_db()
    assert plan.state == PlanState.ACTIVE


def test_plan_issue_date_renders_as_iso_in_chinese():
    import datetime as dt

    from django.utils import translation

    from ducha.extraction.forms import PlanDetailsForm

    with translation.override("zh-hans"):
        html = str(PlanDetailsForm(initial={"issued_on": dt.date(2018, 1, 18)})["issued_on"])
    assert 'value="2018-01-18"' in html


def test_the_target_accepts_numbers_as_people_type_them(client, office, small_draft):
    client.force_login(office)
    indicator = _first(small_draft)
    data = _edit_data(
        indicator, unit="亿元", target_min="1,000", target_max="1,200", baseline_value="1.2万"
    )
    data["baseline_period"] = "2020"
    response = client.post(_url("edit", small_draft, indicator), data)
    assert response.status_code == 302, response.context["form"].errors
    indicator.refresh_from_db()
    assert (indicator.target_min, indicator.target_max) == (Decimal(1000), Decimal(1200))
    assert indicator.baseline_value == Decimal(12000)
    # A browser's number box would refuse "1,000" before it is sent: a text box it is.
    html = client.get(_url("edit", small_draft, indicator)).content.decode()
    assert 'type="number" name="target_min"' not in html and 'name="target_min"' in html
