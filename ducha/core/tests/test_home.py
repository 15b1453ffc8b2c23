"""Where each role lands after signing in (the home page, ``/``)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PLAN = "tianjin-2018-ai"


def _home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    return response["Location"]


@pytest.mark.parametrize("who", ["office", "leader"])
def test_leaders_and_the_office_start_on_the_cockpit(client, tianjin_plan, who, request):
    user = request.getfixturevalue(who)
    assert _home(client, user) == reverse("dashboards:cockpit", args=[PLAN])


def test_a_reporter_starts_on_its_reporting_assignments(client, tianjin_plan, reporter_heping):
    location = _home(client, reporter_heping)
    assert location == reverse("reporting:index")
    assert client.get(location).status_code == 200


def test_a_unit_head_starts_on_its_review_queue(client, tianjin_plan, head_heping):
    location = _home(client, head_heping)
    assert location == reverse("reporting:review")
    assert client.get(location).status_code == 200


def test_without_a_plan_the_office_sees_the_empty_list_of_plans(client, office):
    client.force_login(office)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert list(response.context["plans"]) == []


def test_signing_in_follows_the_same_rule(client, tianjin_plan, reporter_heping):
    response = client.post(
        reverse("login"), {"username": "heping", "password": "pw-for-tests-only"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("reporting:index")


def test_the_login_page_shows_the_product_name_not_the_server_address(client, db):
    """LoginView puts the host into ``site_name``; the brand must not use that variable."""
    response = client.get(reverse("login"), HTTP_HOST="127.0.0.1:8093")
    html = response.content.decode()
    assert response.status_code == 200
    assert "督查 · 规划督查平台" in html
    assert "127.0.0.1:8093" not in html


def test_the_language_menu_names_each_language_in_its_own_language(client, db):
    html = client.get(reverse("login")).content.decode()
    assert ">English</option>" in html and ">简体中文</option>" in html
    assert "英语" not in html
