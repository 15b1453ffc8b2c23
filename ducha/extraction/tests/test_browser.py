"""Upload and review in a real browser: Playwright driving Debian's Chromium, keyboard only.

The browser and the recorded browser context (``browser_session``) come from the root
conftest: skipped without Chromium or Playwright, except in CI (CI=true), where that is an
error; nothing may load from another host; screenshots go to test-artifacts/ (gitignored).
"""

from __future__ import annotations

import pytest

from ducha.extraction.tests.conftest import SMALL_PLAN, SMALL_PLAN_TARGETS
from ducha.plans.models import Plan, PlanState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office_session(browser_session, office):
    """The office signed in, in a desktop browser; clean (no foreign request, no error)."""
    s = browser_session().login(office.username, password="pw-for-tests-only")
    yield s
    s.assert_clean()


@pytest.fixture
def page(office_session):
    return office_session.page


def test_upload_review_by_keyboard_and_activate(office_session, page, tmp_path):
    from playwright.sync_api import expect  # importable: the browser fixture checked

    document = tmp_path / "行动计划.txt"
    document.write_text(SMALL_PLAN, encoding="gbk")
    page.goto(page.base + "/extraction/")
    page.set_input_files("input[type=file]", str(document))
    with page.expect_navigation():
        page.click("form.upload-form button[type=submit]")
    plan = Plan.objects.get()
    assert page.url.endswith(f"/extraction/plans/{plan.code}/")
    assert page.locator("mark").first.inner_text() == "全市人工智能核心产业规模达到500亿元"
    office_session.shot("extraction-review")

    codes = list(
        plan.indicators.order_by("node__position", "position").values_list("code", flat=True)
    )
    page.keyboard.press("j")
    expect(page.locator(f"#ind-{codes[0]}")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("c")
    expect(page.locator(f"#ind-{codes[1]}")).to_be_focused()  # on to the next pending one
    with page.expect_navigation():
        page.keyboard.press("d")
    assert "/drop/" in page.url
    expect(page.locator("button.danger")).to_be_focused()  # "Yes, drop it" has the focus
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert plan.indicators.count() == SMALL_PLAN_TARGETS - 1
    for reviewed, code in enumerate(codes[2:], start=2):
        expect(page.locator(f"#ind-{code}")).to_be_focused()
        page.keyboard.press("c")
        expect(page.locator("progress")).to_have_attribute("value", str(reviewed))
    assert reviewed == SMALL_PLAN_TARGETS - 1
    with page.expect_navigation():
        page.click("form.activate button")
    plan.refresh_from_db()
    assert plan.state == PlanState.ACTIVE
    assert page.url.endswith(f"/plans/{plan.code}/")


def test_the_review_screen_fits_a_phone(browser_session, office, small_draft):
    phone = browser_session(viewport={"width": 390, "height": 844})
    phone.login(office.username, password="pw-for-tests-only")
    phone.go(f"/extraction/plans/{small_draft.code}/")
    width = phone.page.evaluate("document.scrollingElement.scrollWidth")
    phone.shot("extraction-review-phone")
    assert width <= 390
    phone.assert_clean()
