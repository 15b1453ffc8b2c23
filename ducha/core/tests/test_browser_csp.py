"""Under the Content-Security-Policy, the pages without charts still work in a real browser:
sign-in, the error pages, the password pages, the admin and the API's Swagger UI (served
from ducha itself). Any CSP violation or script error fails (BrowserSession.assert_clean);
the pages with charts are checked by test_hostile_text.py."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(tianjin_plan):
    from ducha.demo.services import ensure_users

    ensure_users()
    return tianjin_plan


def test_sign_in_admin_api_docs_and_error_pages_run_under_the_csp(browser_session, people):
    s = browser_session()
    s.go("/login/")
    s.assert_clean()
    s.login("office")
    page = s.go(reverse("api:openapi-view"))
    page.wait_for_selector(".opblock", timeout=20000)  # Swagger UI drew the operations
    assert page.locator(".opblock").count() > 5
    for path in [
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_add"),
        reverse("admin:parks_park_changelist"),
        reverse("accounts:password"),
        reverse("audit:security"),
    ]:
        assert s.page.goto(f"{s.base}{path}").status == 200, path
        s.page.wait_for_load_state("networkidle")
    # The admin's own scripts run: the user list's "select all" box ticks every row.
    s.go(reverse("admin:accounts_user_changelist"))
    s.page.check("#action-toggle")
    assert s.page.locator("input.action-select:checked").count() > 1
    s.assert_clean()

    response = s.page.goto(f"{s.base}/no-such-page/")
    assert response.status == 404
    s.errors.clear()  # the browser reports the 404 itself
    # "Back" without inline script: it returns to the previous page.
    s.page.click("a[data-back]")
    s.page.wait_for_url(f"**{reverse('admin:accounts_user_changelist')}")
    s.assert_clean()


def test_confirmations_and_the_language_switch_work_without_inline_script(browser_session, people):
    s = browser_session().login("office")
    page = s.go(reverse("registers:index"))
    with page.expect_navigation():
        page.click("form[data-confirm] button[type=submit]")
    assert s.dialogs and "重新计算" in s.dialogs[0]
    page.select_option("select[name=language]", "en")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    s.assert_clean()
