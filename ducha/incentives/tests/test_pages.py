"""The pages: Chinese by default, bounded queries however many applications there are, input
kept on a refusal, a confirmation before rejecting, the plan page linking to its schemes."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from ducha.incentives import services
from ducha.incentives.models import Application
from ducha.incentives.tests.conftest import new_app, reviewed_app

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def many(schemes, firms):
    """Sixty applications over thirty years, in two districts: more than a page, so a
    query per row would show."""
    for year in range(2000, 2030):
        new_app(schemes["upgrade"], firms["heping"], year=year)
        new_app(schemes["award"], firms["binhai"], year=year, base=None, requested="200")
    return Application.objects.count()


@pytest.mark.parametrize(
    "url",
    [
        reverse("incentives:schemes"),
        reverse("incentives:list"),
        reverse("incentives:list") + "?state=draft&year=2019&district=120101&q=和平",
        reverse("incentives:scheme", args=["ZNGZ"]),
    ],
)
def test_list_pages_take_a_bounded_number_of_queries(
    many, office, url, django_assert_max_num_queries
):
    client = _client(office)
    client.get(url)  # warm: what a process reads once and keeps (the holiday calendar) aside
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200


def test_the_list_is_paginated_and_filtered(many, office):
    client = _client(office)
    text = client.get(reverse("incentives:list")).content.decode()
    assert "共 60 条申请" in text and "第 1 页，共 2 页" in text
    text = client.get(reverse("incentives:list"), {"scheme": "SFGC", "year": "2019"}).content
    assert "共 1 条申请" in text.decode()
    text = client.get(reverse("incentives:list"), {"q": "没有这家企业"}).content.decode()
    assert "没有符合筛选条件的申请" in text


def test_scheme_list_shows_budget_use_in_words(schemes, firms, office):
    app = reviewed_app(schemes["upgrade"], firms["heping"])
    services.approve(office, app, expected_version=None, amount="250")
    text = _client(office).get(reverse("incentives:schemes")).content.decode()
    assert "已批准 250 / 1,000" in text and "剩余 750" in text


def test_a_refused_approval_keeps_the_amount_typed_and_says_why(schemes, firms, office):
    app = reviewed_app(schemes["upgrade"], firms["heping"])
    response = _client(office).post(
        reverse("incentives:act", args=[app.pk, "approve"]),
        {"version": app.version, "amount": "450", "comment": "同意"},
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "核定金额" in text and 'value="450"' in text
    app.refresh_from_db()
    assert app.approved is None


def test_a_form_with_a_bad_amount_keeps_the_input(schemes, firms, reporter_heping):
    response = _client(reporter_heping).post(
        reverse("incentives:new"),
        {
            "scheme": schemes["upgrade"].pk,
            "enterprise": firms["heping"].credit_code,
            "year": 2019,
            "base_amount": "三千块",
            "requested": "300",
            "note": "我的备注",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200 and "不是金额" in text
    assert "我的备注" in text and "三千块" in text
    assert not Application.objects.exists()


def test_a_district_enters_and_submits_an_application(schemes, firms, reporter_heping):
    response = _client(reporter_heping).post(
        reverse("incentives:new"),
        {
            "scheme": schemes["upgrade"].pk,
            "enterprise": "和平智能软件有限公司",
            "year": 2019,
            "base_amount": "3000",
            "requested": "300",
            "submit": "1",
        },
    )
    app = Application.objects.get()
    assert response.status_code == 302 and app.state == "submitted"
    assert app.computed == Decimal(300)


def test_rejecting_asks_for_confirmation_and_a_reason(schemes, firms, gxj):
    app = services.submit(None, new_app(schemes["upgrade"], firms["heping"]), expected_version=None)
    text = _client(gxj).get(reverse("incentives:detail", args=[app.pk])).content.decode()
    assert "确定不予支持此申请吗" in text
    assert 'name="reason" rows="2" required' in text


def test_the_detail_page_shows_the_history(schemes, firms, office):
    app = reviewed_app(schemes["upgrade"], firms["heping"])
    text = _client(office).get(reverse("incentives:detail", args=[app.pk])).content.decode()
    assert "主管部门审核通过" in text and "提交" in text


def test_the_plan_page_links_to_the_schemes_of_its_sections(schemes, office, tianjin_plan):
    text = _client(office).get(reverse("plans:detail", args=[tianjin_plan.code])).content.decode()
    assert reverse("incentives:scheme", args=["ZNGZ"]) in text


def test_pages_in_english_when_asked(schemes, office):
    client = _client(office)
    client.cookies["django_language"] = "en"
    text = client.get(reverse("incentives:schemes"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Awards and subsidies" in text


def test_an_application_is_found_by_its_number(schemes, firms, office):
    app = new_app(schemes["upgrade"], firms["heping"])
    other = new_app(schemes["upgrade"], firms["binhai"])
    page = _client(office).get(reverse("incentives:list"), {"q": app.number.lower()})
    found = [a.pk for a in page.context["page"]]
    assert found == [app.pk] and other.pk not in found


def test_the_new_application_form_proposes_a_year_with_a_budget(schemes, office):
    from ducha.incentives.models import Budget

    html = _client(office).get(reverse("incentives:new")).content.decode()
    latest = Budget.objects.order_by("-year").values_list("year", flat=True).first()
    assert f'name="year" value="{latest}"' in html


def test_a_scheme_not_in_force_that_year_is_the_years_problem(schemes, firms, office):
    import datetime as dt

    schemes["upgrade"].active_to = dt.date(2020, 12, 31)
    schemes["upgrade"].save()
    response = _client(office).post(
        reverse("incentives:new"),
        {
            "scheme": schemes["upgrade"].pk,
            "enterprise": firms["heping"].credit_code,
            "year": "2099",
            "base_amount": "1000",
            "requested": "100",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors.get("year")


def test_the_edit_form_of_a_returned_application_shows_why(schemes, firms, gxj, reporter_heping):
    app = new_app(schemes["upgrade"], firms["heping"], actor=reporter_heping)
    app = services.submit(reporter_heping, app, expected_version=None)
    services.return_application(gxj, app, expected_version=None, reason="基数有误，请附发票")
    html = _client(reporter_heping).get(reverse("incentives:edit", args=[app.pk])).content.decode()
    assert "基数有误，请附发票" in html
