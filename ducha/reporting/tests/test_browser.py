"""The evidence trap in a real browser, as 滨海新区's reporter and its unit head: the warning
before submitting without evidence, evidence added after submitting, withdrawing, and the
evidence status in the head's review queue (Playwright, the root conftest's sessions)."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def english():
    """Overrides the app's English default: these pages are read in Chinese, as officials do."""
    yield


@pytest.fixture
def assignment(tianjin_plan):
    from ducha.demo.services import ensure_users
    from ducha.reporting import services

    ensure_users()
    rnd = services.open_round(None, tianjin_plan, "2019Q3", opened_on=dt.date(2030, 1, 7))
    return rnd.assignments.get(org_unit__code="120116", indicator__code="TJ-IND-SUPPLIER50")


def test_reporter_is_warned_adds_evidence_and_withdraws_and_the_head_sees_it(
    browser_session, assignment, tmp_path
):
    url = f"/reporting/assignments/{assignment.pk}/"
    reporter = browser_session().login("binhai")
    page = reporter.go(url)
    # the evidence section comes before the submit button
    evidence_y = page.locator("#evidence").bounding_box()["y"]
    assert evidence_y < page.locator("button[name=submit]").bounding_box()["y"]
    page.fill("input[name=value]", "4")
    with page.expect_navigation():
        page.click("button[name=submit]")
    assert "未附佐证材料" in page.locator("[role=alert]").inner_text()
    assert page.locator("button[value=without-evidence]").inner_text() == "不附佐证材料，仍然报送"
    with page.expect_navigation():
        page.click("button[value=without-evidence]")
    assert "已报送" in page.locator("h1 + p").inner_text()

    head = browser_session().login("binhai_head")
    queue = head.go("/reporting/review/")
    assert "无" in queue.locator("tbody tr").first.inner_text()

    # submitted, the reporter still attaches a file before review starts
    pdf = tmp_path / "统计表.pdf"
    pdf.write_bytes(PDF)
    page = reporter.go(url)
    page.set_input_files("#evidence input[type=file]", str(pdf))
    with page.expect_navigation():
        page.click("#evidence button[type=submit]")
    assert "统计表.pdf" in page.locator("#evidence").inner_text()
    queue = head.go("/reporting/review/")
    assert "有（1）" in queue.locator("tbody tr").first.inner_text()

    # and withdraws it (confirming the question) to correct the figure
    page = reporter.go(url)
    with page.expect_navigation():
        page.click("text=撤回报送")
    assert reporter.dialogs and "撤回" in reporter.dialogs[-1]
    assert (
        "草稿" in page.locator("h1 + p").inner_text()
        or "未报送" in page.locator("h1 + p").inner_text()
    )
    assert head.go("/reporting/review/").locator("tbody tr").count() == 0
    reporter.assert_clean()
    head.assert_clean()
