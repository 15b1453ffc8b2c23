"""Reporting once, in a real browser: a reporter with ten open assignments and more submits
them all from one sheet, prefilled, in a single save (issue 14's "done when"), on a desktop
and at 390 px. Playwright with Debian's Chromium, as in the dashboards' browser tests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PASSWORD = "pw-for-tests-only"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def twelve_open(tianjin_plan, office, reporter_heping):
    """和平区 reported 2019Q1 (figures, narratives, 口径, a file each; approved, round closed);
    the office then opened 2019Q2 and 2019Q3: twelve open assignments, each with something
    known, its evidence included (a row submitted without evidence is asked about first)."""
    from ducha.reporting import services
    from ducha.reporting.models import AssignmentStatus

    q1 = services.open_round(office, tianjin_plan, "2019Q1", opened_on=dt.date(2019, 4, 8))
    mine = list(q1.assignments.filter(org_unit=reporter_heping.org_unit).order_by("pk"))
    for n, a in enumerate(mine, start=1):
        services.add_evidence(None, a, SimpleUploadedFile(f"一季度台账{n}.pdf", PDF + bytes(n)))
        a = services.save_assignment(
            None,
            a,
            expected_version=None,
            value=str(n * 2),
            narrative=f"一季度第{n}项进展正常。",
            source="department",
            source_note="区统计口径",
        )
        a = services.submit(None, a, expected_version=None)
        services.approve(None, a, expected_version=None)
    services.change_round_state(office, q1, "closed")
    for period, opened in (("2019Q2", dt.date(2019, 7, 8)), ("2019Q3", dt.date(2019, 10, 8))):
        services.open_round(office, tianjin_plan, period, opened_on=opened)
    count = tianjin_plan.rounds.filter(
        state="open",
        assignments__org_unit=reporter_heping.org_unit,
        assignments__status=AssignmentStatus.DRAFT,
    ).count()
    assert count >= 10
    return count


def _sheet(session, count):
    page = session.go("/reporting/")
    with page.expect_navigation():
        page.click("a[href='/reporting/sheet/']")
    page.wait_for_load_state("networkidle")
    rows = page.locator("tr.sheet-row")
    assert rows.count() == count
    return page, rows


def _paste(page, selector, text):
    page.eval_on_selector(
        selector,
        """(el, text) => {
            const data = new DataTransfer();
            data.setData('text/plain', text);
            el.focus();
            el.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true,
                                                          cancelable: true}));
        }""",
        text,
    )


def test_a_reporter_submits_twelve_prefilled_assignments_in_one_save(browser_session, twelve_open):
    from ducha.audit.models import AuditEntry
    from ducha.reporting.models import Assignment, Evidence

    s = browser_session().login("heping", PASSWORD)
    page, _rows = _sheet(s, twelve_open)
    values = page.locator("input[data-col=value]")
    prefilled = [v for v in values.all() if v.input_value()]
    assert len(prefilled) == twelve_open  # every figure proposed from 2019Q1
    assert page.locator(".origin").first.is_visible()  # with where it came from
    assert page.locator("input[type=checkbox][name^=evidence-]:checked").count() == twelve_open
    s.shot("sheet-desktop-prefilled")

    # keyboard: Enter moves down the column, as in a spreadsheet
    values.nth(0).focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.name") == values.nth(1).get_attribute("name")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.name") == values.nth(0).get_attribute("name")

    # a column copied from Excel: full-width digits and 千分位 commas, one line a row
    first = values.nth(0).get_attribute("name")
    _paste(page, f"input[name='{first}']", "２\r\n4\r\n6\r\n")
    assert [values.nth(i).input_value() for i in range(3)] == ["２", "4", "6"]
    assert "3" in page.locator("#sheet-paste-note").inner_text()

    with page.expect_navigation():
        page.click("button[name=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/reporting/sheet/")
    mine = Assignment.objects.filter(org_unit__code="120101", round__state="open")
    assert set(mine.values_list("status", flat=True)) == {"submitted"}
    assert mine.count() == twelve_open
    # each figure is the one confirmed: 2019Q1's for the same indicator
    q1 = dict(
        Assignment.objects.filter(org_unit__code="120101", round__period="2019Q1").values_list(
            "indicator", "value"
        )
    )
    assert all(a.value == q1[a.indicator_id] for a in mine)
    # one save wrote what the assignment page writes, one audit entry per step
    submitted = AuditEntry.objects.filter(action="reporting.assignment.submitted")
    assert submitted.filter(object_id__in=[str(a.pk) for a in mine]).count() == twelve_open
    assert (
        Evidence.objects.filter(assignment__in=mine).count() == twelve_open
    )  # reused, not uploaded
    assert page.locator("tr.sheet-row").count() == 0  # nothing left to fill in
    s.shot("sheet-desktop-submitted")
    s.assert_clean()


def test_the_sheet_fits_a_phone_and_saves_from_it(browser_session, twelve_open):
    from ducha.reporting.models import Assignment

    s = browser_session(viewport=PHONE).login("heping", PASSWORD)
    page, rows = _sheet(s, twelve_open)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = rows.nth(0).bounding_box()
    assert box["width"] <= PHONE["width"]
    s.shot("sheet-phone-390")
    with page.expect_navigation():
        page.click("button[name=submit]")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    mine = Assignment.objects.filter(org_unit__code="120101", round__state="open")
    assert set(mine.values_list("status", flat=True)) == {"submitted"}
    s.assert_clean()
