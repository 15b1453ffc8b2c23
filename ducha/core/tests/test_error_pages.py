"""Error pages people meet: in Chinese by default, inside the site's frame, with a way on."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


def test_a_reporter_refused_the_audit_log_gets_a_chinese_403_page_with_the_nav(
    client, reporter_heping
):
    client.force_login(reporter_heping)
    response = client.get(reverse("audit:log"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>403 Forbidden</h1>" not in html
    assert "您无权打开此页面" in html
    assert 'class="mainnav"' in html and reverse("reporting:index") in html
    assert f'href="{reverse("home")}"' in html


def test_an_unknown_address_gets_a_chinese_404_page_with_the_nav(client, reporter_heping):
    client.force_login(reporter_heping)
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Not Found" not in html
    assert "页面不存在" in html
    assert 'class="mainnav"' in html


def test_the_404_page_follows_the_chosen_language(client, reporter_heping):
    client.force_login(reporter_heping)
    client.cookies["django_language"] = "en"
    html = client.get("/no-such-page/").content.decode()
    assert "No such page" in html


def test_the_500_page_is_standalone_chinese_with_english_below(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = defaults.server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错了" in html and "Server error" in html
    assert html.index("服务器出错了") < html.index("Server error (500)")


def test_a_form_sent_without_a_valid_csrf_token_gets_a_chinese_page(reporter_heping):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter_heping)
    response = client.post(reverse("logout"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "CSRF verification failed" not in html
    assert "表单无法提交" in html
