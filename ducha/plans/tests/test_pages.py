"""The plan and indicator pages as people meet them."""

import pytest
from django.urls import reverse

from ducha.demo.services import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    return load_demo()


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
