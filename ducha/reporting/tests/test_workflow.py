"""The reporting workflow through its services, as the web pages and the API use them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from ducha.audit.models import AuditEntry
from ducha.datavalues.models import ApprovedValue, DataValue, MilestoneReport
from ducha.reporting import services
from ducha.reporting.models import AssignmentKind, AssignmentStatus, RoundState, Transition

S = AssignmentStatus
pytestmark = pytest.mark.django_db
SUPPLIERS = "TJ-IND-SUPPLIER50"  # manual, adds up over the districts, led by 市工业和信息化局


def test_opening_a_round_assigns_lead_units_districts_and_milestones(round_, tianjin_units):
    assert round_.deadline == dt.date(2019, 10, 21)
    suppliers = round_.assignments.filter(indicator__code=SUPPLIERS)
    assert suppliers.filter(kind=AssignmentKind.LEAD).get().org_unit.code == "TJ-GXJ"
    assert suppliers.filter(kind=AssignmentKind.CONTRIBUTOR).count() == 16
    # "none" indicators: the lead unit only
    assert round_.assignments.filter(indicator__code="TJ-SEC-LOG-EFFICIENCY").count() == 1
    milestones = round_.assignments.filter(kind=AssignmentKind.MILESTONE)
    assert milestones.count() == round_.plan.milestones.exclude(lead_unit=None).count()
    # indicators computed from the registers are nobody's to report (e.g. the pilot projects)
    assert round_.plan.indicators.filter(source="computed", frequency="quarter").exists()
    assert not round_.assignments.filter(indicator__source="computed").exists()


def test_a_second_round_for_the_same_period_is_refused(round_, office):
    with pytest.raises(services.ReportingError, match="exists already"):
        services.open_round(office, round_.plan, "2019Q3")


def test_reporter_cannot_open_a_round(tianjin_plan, reporter_heping):
    with pytest.raises(PermissionDenied):
        services.open_round(reporter_heping, tianjin_plan, "2019Q4")


def _fill_and_submit(user, a, value="12"):
    a = services.save_assignment(user, a, expected_version=a.version, value=value)
    return services.submit(user, a, expected_version=a.version)


def test_full_path_writes_an_approved_value(heping_suppliers, reporter_heping, head_heping, office):
    a = _fill_and_submit(reporter_heping, heping_suppliers)
    assert a.status == S.SUBMITTED
    a = services.unit_approve(head_heping, a, expected_version=a.version)
    assert a.status == S.UNIT_APPROVED
    assert not DataValue.objects.filter(indicator=a.indicator, org_unit=a.org_unit).exists()
    a = services.approve(office, a, expected_version=a.version)
    assert a.status == S.APPROVED
    approval = ApprovedValue.objects.get(indicator=a.indicator, org_unit=a.org_unit)
    assert approval.value == Decimal("12") and approval.period == "2019Q3"
    steps = list(Transition.objects.filter(assignment=a).values_list("from_status", "to_status"))
    assert steps == [
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.UNIT_APPROVED),
        (S.UNIT_APPROVED, S.APPROVED),
    ]
    log = [
        (e.action, e.actor, e.changes)
        for e in AuditEntry.objects.filter(
            content_type__model="assignment", object_id=str(a.pk)
        ).order_by("pk")
    ]
    assert log == [
        ("reporting.assignment.saved", reporter_heping, {"value": [None, "12"]}),
        ("reporting.assignment.submitted", reporter_heping, {"status": ["draft", "submitted"]}),
        (
            "reporting.assignment.unit_approved",
            head_heping,
            {"status": ["submitted", "unit_approved"]},
        ),
        ("reporting.assignment.approved", office, {"status": ["unit_approved", "approved"]}),
    ]


def test_lead_units_city_wide_figure_is_recorded_for_the_city(round_, office, tianjin_units):
    a = round_.assignments.get(kind=AssignmentKind.LEAD, indicator__code=SUPPLIERS)
    a = services.save_assignment(
        None, a, expected_version=None, value="8", explanation="统计局快报"
    )
    a = services.submit(None, a, expected_version=None)
    services.approve(office, a, expected_version=None)
    assert ApprovedValue.objects.get(indicator=a.indicator).org_unit.code == "120000"


def test_office_cannot_skip_the_unit_head(heping_suppliers, reporter_heping, head_heping, office):
    a = _fill_and_submit(reporter_heping, heping_suppliers)
    with pytest.raises(services.ReportingError, match="unit head"):
        services.approve(office, a, expected_version=a.version)


def test_office_approves_directly_where_the_unit_has_no_head(
    heping_suppliers, reporter_heping, office
):
    a = _fill_and_submit(reporter_heping, heping_suppliers)
    a = services.approve(office, a, expected_version=a.version)
    assert a.status == S.APPROVED
    assert "no unit head" in a.transitions.last().comment


def test_returned_with_reason_then_resubmitted(
    heping_suppliers, reporter_heping, head_heping, django_capture_on_commit_callbacks
):
    reporter_heping.email = "heping@example.org"
    reporter_heping.save()
    a = _fill_and_submit(reporter_heping, heping_suppliers)
    with pytest.raises(services.ReportingError, match="why"):
        services.return_assignment(head_heping, a, expected_version=a.version, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        a = services.return_assignment(
            head_heping, a, expected_version=a.version, reason="口径不对，请按统计局口径"
        )
    assert a.status == S.RETURNED and a.return_reason.startswith("口径")
    a = _fill_and_submit(reporter_heping, a, "13")
    assert a.status == S.SUBMITTED and a.value == 13
    assert [m.to for m in mail.outbox] == [["heping@example.org"]]
    assert "口径不对" in mail.outbox[0].body


def test_approved_is_locked_until_the_office_reopens_it(heping_suppliers, reporter_heping, office):
    a = services.approve(
        office, _fill_and_submit(reporter_heping, heping_suppliers), expected_version=None
    )
    with pytest.raises(services.ReportingError, match="cannot be changed"):
        services.save_assignment(reporter_heping, a, expected_version=a.version, value="99")
    with pytest.raises(PermissionDenied):
        services.reopen(reporter_heping, a, expected_version=a.version, reason="typo")
    a = services.reopen(office, a, expected_version=a.version, reason="区统计局更正")
    a = _fill_and_submit(reporter_heping, a, "14")
    a = services.approve(office, a, expected_version=a.version)
    values = list(
        ApprovedValue.objects.filter(indicator=a.indicator, org_unit=a.org_unit)
        .order_by("approved_at", "id")
        .values_list("value", flat=True)
    )
    assert values == [Decimal("12"), Decimal("14")]  # the correction is appended


def test_two_reviewers_cannot_overwrite_each_other(heping_suppliers, reporter_heping, office):
    a = _fill_and_submit(reporter_heping, heping_suppliers)
    seen = a.version
    services.return_assignment(office, a, expected_version=seen, reason="first reviewer")
    with pytest.raises(services.ConflictError, match="while you were working"):
        services.approve(office, a, expected_version=seen)
    a.refresh_from_db()
    assert a.status == S.RETURNED and a.return_reason == "first reviewer"


def test_reporter_cannot_edit_other_district(binhai_suppliers, reporter_heping):
    with pytest.raises(PermissionDenied):
        services.save_assignment(reporter_heping, binhai_suppliers, expected_version=1, value="1")
    binhai_suppliers.refresh_from_db()
    assert binhai_suppliers.value is None and binhai_suppliers.version == 1


def test_forged_id_in_a_bulk_save_changes_nothing(
    heping_suppliers, binhai_suppliers, reporter_heping
):
    rows = [
        {"id": heping_suppliers.pk, "version": 1, "value": "5"},
        {"id": binhai_suppliers.pk, "version": 1, "value": "6"},
    ]
    with pytest.raises(PermissionDenied, match="row 2"):
        services.save_many(reporter_heping, rows)
    heping_suppliers.refresh_from_db()
    assert heping_suppliers.value is None


def test_leader_writes_nothing(heping_suppliers, leader):
    with pytest.raises(PermissionDenied):
        services.save_assignment(leader, heping_suppliers, expected_version=1, value="1")


def test_submission_to_a_closed_round_is_refused(heping_suppliers, reporter_heping, office):
    a = services.save_assignment(reporter_heping, heping_suppliers, expected_version=1, value="3")
    services.change_round_state(office, a.round, RoundState.CLOSED)
    with pytest.raises(services.ReportingError, match="closed"):
        services.submit(reporter_heping, a, expected_version=a.version)
    a.refresh_from_db()
    assert a.status == S.DRAFT and a.value == 3


def test_bad_values_name_the_problem(heping_suppliers, reporter_heping):
    for raw, message in [("abc", "not a number"), ("-1", "negative"), ("12.5", "whole number")]:
        with pytest.raises(services.ReportingError, match=message):
            services.save_assignment(
                reporter_heping, heping_suppliers, expected_version=1, value=raw
            )
    a = services.save_assignment(
        reporter_heping, heping_suppliers, expected_version=1, value="1.2万"
    )
    assert a.value == 12000


def test_big_move_needs_an_explanation(heping_suppliers, reporter_heping, office):
    from ducha.datavalues import services as dv
    from ducha.engine.periods import parse_period

    v = dv.save_value(
        office,
        heping_suppliers.indicator,
        heping_suppliers.org_unit,
        parse_period("2019Q2"),
        Decimal("10"),
    )
    dv.approve_value(office, v)
    a = services.save_assignment(reporter_heping, heping_suppliers, expected_version=1, value="20")
    with pytest.raises(services.ReportingError, match="100%"):
        services.submit(reporter_heping, a, expected_version=a.version)
    a = services.save_assignment(
        reporter_heping, a, expected_version=a.version, explanation="新落户两家龙头企业"
    )
    assert services.submit(reporter_heping, a, expected_version=a.version).status == S.SUBMITTED


def test_off_track_city_figure_needs_an_explanation(round_, office, tianjin_units):
    from ducha.datavalues import services as dv
    from ducha.engine.periods import parse_period

    a = round_.assignments.get(kind=AssignmentKind.LEAD, indicator__code=SUPPLIERS)
    # 6 at the end of 2018 (the first figure is the baseline), target 10 in 2020:
    # 5 in 2019Q3 is a fall, but within the 30% change threshold
    v = dv.save_value(office, a.indicator, tianjin_units["120000"], parse_period("2018Q4"), 6)
    dv.approve_value(office, v)
    a = services.save_assignment(None, a, expected_version=None, value="5")
    assert services.checks.previous_value(a) == 6  # the change rule alone would let it pass
    assert services.missing_for_submission(a)
    with pytest.raises(services.ReportingError, match="assessment"):
        services.submit(None, a, expected_version=None)


def test_milestone_approval_writes_a_milestone_report(round_, office):
    a = round_.assignments.filter(kind=AssignmentKind.MILESTONE).first()
    a = services.save_assignment(None, a, expected_version=None, progress="delayed")
    with pytest.raises(services.ReportingError, match="Delayed"):
        services.submit(None, a, expected_version=None)
    a = services.save_assignment(None, a, expected_version=None, explanation="用地未落实")
    a = services.submit(None, a, expected_version=None)
    a = services.approve(office, a, expected_version=None)
    report = MilestoneReport.objects.get(milestone=a.milestone, period="2019Q3")
    assert report.progress == "delayed" and report.status == "approved"


def test_percent_sign_is_refused_for_a_value_counted_in_units(heping_suppliers, reporter_heping):
    with pytest.raises(services.ReportingError) as error:
        services.save_assignment(
            reporter_heping, heping_suppliers, expected_version=None, value="12%"
        )
    assert error.value.field == "value"
    assert "12%" in str(error.value) and "percentage" in str(error.value)
    heping_suppliers.refresh_from_db()
    assert heping_suppliers.value is None
    # A percentage indicator takes the sign as people type it.
    share = heping_suppliers.round.assignments.get(indicator__code="TJ-SEC-LOG-EFFICIENCY")
    assert services.clean_value(share, "12%") == Decimal("12")


# --- who may return, and when (each rule below once survived a mutation: issue 16) ----------


def test_a_reporter_cannot_return_a_submission_of_its_own_unit(heping_suppliers, reporter_heping):
    a = _fill_and_submit(reporter_heping, heping_suppliers)
    with pytest.raises(PermissionDenied, match="unit head or the office"):
        services.return_assignment(
            reporter_heping, a, expected_version=a.version, reason="我填错了"
        )
    a.refresh_from_db()
    assert a.status == S.SUBMITTED and a.return_reason == ""


def test_the_unit_head_cannot_return_what_it_has_sent_on_to_the_office(
    heping_suppliers, reporter_heping, head_heping
):
    a = _fill_and_submit(reporter_heping, heping_suppliers)
    a = services.unit_approve(head_heping, a, expected_version=a.version)
    with pytest.raises(services.ReportingError, match="only the office can return it now"):
        services.return_assignment(head_heping, a, expected_version=a.version, reason="再看看")
    a.refresh_from_db()
    assert a.status == S.UNIT_APPROVED and a.return_reason == ""


def test_reopening_in_a_closed_round_is_refused(heping_suppliers, reporter_heping, office):
    a = services.approve(
        office, _fill_and_submit(reporter_heping, heping_suppliers), expected_version=None
    )
    services.change_round_state(office, a.round, RoundState.CLOSED)
    with pytest.raises(services.ReportingError, match="closed: reopening it is no longer"):
        services.reopen(office, a, expected_version=a.version, reason="区统计局更正")
    a.refresh_from_db()
    assert a.status == S.APPROVED and a.return_reason == ""


# --- when a figure needs an explanation -------------------------------------------------------


def _approve_earlier(office, a, value, period="2019Q2"):
    from ducha.datavalues import services as dv
    from ducha.engine.periods import parse_period

    v = dv.save_value(office, a.indicator, a.unit_of_value, parse_period(period), Decimal(value))
    dv.approve_value(office, v)


def test_a_move_just_over_the_threshold_needs_an_explanation_and_one_at_it_does_not(
    heping_suppliers, reporter_heping, office
):
    _approve_earlier(office, heping_suppliers, "100")
    assert heping_suppliers.round.change_threshold == Decimal("0.3")
    for value, needed in [("130", False), ("70", False), ("131", True), ("69", True)]:
        a = services.save_assignment(
            reporter_heping, heping_suppliers, expected_version=None, value=value
        )
        reasons = services.checks.explanation_reasons(a)
        assert bool(reasons) == needed, (value, reasons)
        if needed:
            assert "more than 30%" in reasons[0]


def test_a_milestone_reported_completed_before_needs_an_explanation(round_, office):
    from ducha.datavalues import services as dv
    from ducha.engine.periods import parse_period

    a = round_.assignments.filter(kind=AssignmentKind.MILESTONE).first()
    dv.report_milestone(
        office, a.milestone, a.org_unit, parse_period("2019Q2"), "completed", approve=True
    )
    # "in progress" on its own needs no explanation: only the step back from completed does.
    a = services.save_assignment(None, a, expected_version=None, progress="in_progress")
    assert services.checks.explanation_reasons(a) == ["it was reported completed before"]
    with pytest.raises(services.ReportingError, match="completed before"):
        services.submit(None, a, expected_version=None)
    a = services.save_assignment(None, a, expected_version=None, progress="completed")
    assert services.checks.explanation_reasons(a) == []


# --- separation of duties (issue 10) ----------------------------------------------------------


def _second_head(tianjin_units):
    from ducha.accounts.models import User

    return User.objects.create_user(
        username="heping_head2", password="x", role="unit_head", org_unit=tianjin_units["120101"]
    )


def test_a_unit_head_cannot_approve_what_they_submitted_themselves(
    heping_suppliers, head_heping, tianjin_units
):
    a = _fill_and_submit(head_heping, heping_suppliers)
    with pytest.raises(PermissionDenied, match="separation of duties"):
        services.unit_approve(head_heping, a, expected_version=a.version)
    a.refresh_from_db()
    assert a.status == S.SUBMITTED
    assert "unit_approve" not in services.available_actions(head_heping, a)
    # another head of the unit approves it
    other = _second_head(tianjin_units)
    assert "unit_approve" in services.available_actions(other, a)
    a = services.unit_approve(other, a, expected_version=a.version)
    assert a.status == S.UNIT_APPROVED


def test_the_head_of_a_one_person_unit_may_approve_their_own_submission(
    heping_suppliers, head_heping
):
    unit = heping_suppliers.org_unit
    unit.allow_self_approval = True
    unit.save()
    a = _fill_and_submit(head_heping, heping_suppliers)
    a = services.unit_approve(head_heping, a, expected_version=a.version)
    assert a.status == S.UNIT_APPROVED


def test_the_latest_submission_decides_who_submitted(
    heping_suppliers, reporter_heping, head_heping
):
    a = _fill_and_submit(head_heping, heping_suppliers)
    a = services.return_assignment(head_heping, a, expected_version=a.version, reason="重填")
    a = _fill_and_submit(reporter_heping, a, "13")
    assert services.submitter(a) == reporter_heping
    assert services.unit_approve(head_heping, a, expected_version=a.version).status == (
        S.UNIT_APPROVED
    )


def test_the_office_never_gives_the_unit_heads_approval(
    heping_suppliers, reporter_heping, head_heping, office
):
    a = _fill_and_submit(reporter_heping, heping_suppliers)
    with pytest.raises(PermissionDenied, match="Only the unit head"):
        services.unit_approve(office, a, expected_version=a.version)
    a.refresh_from_db()
    assert a.status == S.SUBMITTED


def test_the_office_cannot_approve_directly_what_it_submitted_itself(
    heping_suppliers, office, tianjin_units
):
    from ducha.accounts.models import User

    a = _fill_and_submit(office, heping_suppliers)  # 和平区 has no unit head here
    with pytest.raises(PermissionDenied, match="separation of duties"):
        services.approve(office, a, expected_version=a.version)
    assert "approve" not in services.available_actions(office, a)
    colleague = User.objects.create_user(
        username="office2", password="x", role="office", org_unit=tianjin_units["TJ-OFFICE"]
    )
    assert services.approve(colleague, a, expected_version=a.version).status == S.APPROVED


def test_the_command_line_is_not_a_person_of_the_unit(heping_suppliers, head_heping):
    a = services.submit(
        None,
        services.save_assignment(None, heping_suppliers, expected_version=None, value="3"),
        expected_version=None,
    )
    assert services.unit_approve(head_heping, a, expected_version=a.version).status == (
        S.UNIT_APPROVED
    )


def test_separation_is_explained_on_the_page_and_in_the_api_in_chinese(
    client, heping_suppliers, head_heping
):
    from django.conf import settings
    from django.urls import reverse

    a = _fill_and_submit(head_heping, heping_suppliers)
    client.force_login(head_heping)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(reverse("reporting:assignment", args=[a.pk])).content.decode()
    assert "此报告由您本人提交" in page
    assert reverse("reporting:action", args=[a.pk, "unit_approve"]) not in page
    response = client.post(
        f"/api/reporting/assignments/{a.pk}/unit-approve",
        {"version": a.version},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "职责分离" in response.json()["detail"]
    a.refresh_from_db()
    assert a.status == S.SUBMITTED
