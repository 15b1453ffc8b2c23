"""Upload and review in a real browser: Playwright driving Debian's Chromium, keyboard only.

Skipped without Chromium or Playwright, except in CI (CI=true), where that is an error.
Nothing may load from another host. Screenshots go to test-artifacts/ (gitignored).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from ducha.extraction.tests.conftest import SMALL_PLAN, SMALL_PLAN_TARGETS
from ducha.plans.models import Plan, PlanState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
CHROMIUM = os.environ.get("DUCHA_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        _unavailable(f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # ORM calls between page actions
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        with sync_playwright() as p:
            launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server, office):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    tab = context.new_page()
    host = urlparse(live_server.url).hostname
    foreign: list[str] = []
    errors: list[str] = []

    def guard(route):
        if urlparse(route.request.url).hostname != host:
            foreign.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    tab.route("**/*", guard)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("dialog", lambda dialog: dialog.accept())
    tab.goto(live_server.url + "/login/")
    tab.fill("input[name=username]", office.username)
    tab.fill("input[name=password]", "pw-for-tests-only")
    tab.click("button[type=submit]")
    tab.base = live_server.url
    yield tab
    context.close()
    assert foreign == [], f"requests to other hosts: {foreign}"
    assert errors == [], f"script errors: {errors}"


def test_upload_review_by_keyboard_and_activate(page, tmp_path):
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
    page.screenshot(path=str(ARTIFACTS / "extraction-review.png"), full_page=True)

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


def test_the_review_screen_fits_a_phone(browser, page, small_draft):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    context.add_cookies(page.context.cookies())
    phone = context.new_page()
    phone.goto(page.base + f"/extraction/plans/{small_draft.code}/")
    width = phone.evaluate("document.scrollingElement.scrollWidth")
    phone.screenshot(path=str(ARTIFACTS / "extraction-review-phone.png"), full_page=True)
    context.close()
    assert width <= 390
