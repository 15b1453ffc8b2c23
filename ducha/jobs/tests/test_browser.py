"""The job page in a real browser: it follows a queued import to its outcome by itself."""

from __future__ import annotations

import pytest

from ducha.jobs.tests.conftest import values_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_job_page_follows_a_queued_import_to_its_outcome(
    browser_session, tianjin_plan, settings, queue, tmp_path
):
    from ducha.demo.services import ensure_users

    ensure_users()
    settings.DUCHA_IMPORT_SYNC_ROWS = 10
    upload = tmp_path / "季度数据.csv"
    upload.write_bytes(values_csv(24))
    office = browser_session().login("office")
    page = office.go("/values/import/")
    page.select_option("select[name=plan]", str(tianjin_plan.pk))
    page.select_option("select[name=status]", "approved")
    page.set_input_files("input[name=file]", str(upload))
    with page.expect_navigation():
        page.click("form[enctype] button[type=submit]")
    assert "/jobs/" in page.url
    status = page.locator("#job-status")
    assert "排队" in status.inner_text() and status.get_attribute("data-job-poll")

    assert queue() == 1  # a worker takes the job; the page notices by itself
    page.wait_for_selector("#job-status:not([data-job-poll])", timeout=20000)
    text = page.locator("#job-status").inner_text()
    assert "季度数据.csv" in text and "24" in text
    office.shot("job-import-done")
    office.assert_clean()
