"""The reporting services' refusals as the person reads them (the message, the field it
names), and what each step keeps beside the move: the parts of reporting/services.py that
the rule table (who may make which move) does not read. Written for the survivors of the
mutation sample (docs/testing.md)."""

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from ducha.audit.models import AuditEntry
from ducha.reporting import services
from ducha.reporting.models import AssignmentStatus, Evidence, RoundState

S = AssignmentStatus
pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def heping_other(round_, heping_suppliers):
    """Another of 和平区's figures in the same round."""
    return (
        round_.assignments.filter(org_unit=heping_suppliers.org_unit, milestone=None)
        .exclude(pk=heping_suppliers.pk)
        .order_by("pk")
        .first()
    )


@pytest.fixture
def known(heping_other):
    """A file 和平区 gave for its other figure."""
    return services.add_evidence(
        None, heping_other, SimpleUploadedFile("统计表.pdf", PDF), description="季度统计"
    )


def _close(rnd):
    services.change_round_state(None, rnd, RoundState.CLOSED)


def test_a_reused_file_is_a_new_row_for_the_same_stored_file_with_all_it_was_given_with(
    reporter_heping, heping_suppliers, known
):
    ev = services.reuse_evidence(reporter_heping, heping_suppliers, known)
    assert ev.pk != known.pk and ev.assignment == heping_suppliers
    kept = ["file", "original_name", "content_type", "extension", "size", "sha256", "description"]
    assert {f: getattr(ev, f) for f in kept} == {f: getattr(known, f) for f in kept}
    assert ev.extension == "pdf" and ev.description == "季度统计"
    assert ev.uploaded_by == reporter_heping
    entry = AuditEntry.objects.get(action="reporting.evidence.reused")
    assert (entry.actor, entry.org_unit, entry.object_id) == (
        reporter_heping,
        heping_suppliers.org_unit,
        str(heping_suppliers.pk),
    )
    assert entry.changes == {"evidence": [None, "统计表.pdf"], "from_round": "2019Q3"}
    # the same file again is the row already there
    assert services.reuse_evidence(reporter_heping, heping_suppliers, known) == ev


def test_another_units_person_cannot_reuse_a_file_into_an_assignment(
    reporter_binhai, heping_suppliers, known
):
    with pytest.raises(PermissionDenied):
        services.reuse_evidence(reporter_binhai, heping_suppliers, known)
    assert not heping_suppliers.evidence.exists()


def test_reusing_a_file_in_a_closed_round_says_what_is_no_longer_possible(
    reporter_heping, heping_suppliers, known
):
    _close(heping_suppliers.round)
    with pytest.raises(services.ReportingError) as refused:
        services.reuse_evidence(reporter_heping, heping_suppliers, known)
    assert refused.value.message == (
        f"The round {heping_suppliers.round} is closed: adding evidence is no longer possible."
    )


def test_withdrawing_in_a_closed_round_says_what_is_no_longer_possible(
    reporter_heping, heping_suppliers
):
    a = services.save_assignment(reporter_heping, heping_suppliers, expected_version=1, value="3")
    a = services.submit(reporter_heping, a, expected_version=a.version)
    _close(a.round)
    with pytest.raises(services.ReportingError) as refused:
        services.withdraw(reporter_heping, a, expected_version=a.version)
    assert refused.value.message == (
        f"The round {a.round} is closed: withdrawing it is no longer possible."
    )


def test_a_sheet_submitted_without_evidence_names_the_items_and_the_evidence_field(
    reporter_heping, heping_suppliers
):
    row = {"id": heping_suppliers.pk, "version": 1, "value": "4"}
    with pytest.raises(services.EvidenceMissing) as refused:
        services.save_sheet(reporter_heping, [row], submit_filled=True)
    assert refused.value.field == "evidence"
    assert refused.value.assignments == [heping_suppliers]
    assert refused.value.message == f"no evidence is attached to {heping_suppliers.subject_name}"
    heping_suppliers.refresh_from_db()
    assert heping_suppliers.status == S.DRAFT and heping_suppliers.value is None


def test_a_refused_sheet_names_each_row_at_fault_by_its_number(
    reporter_heping, heping_suppliers, heping_other
):
    rows = [
        {"id": heping_suppliers.pk, "version": 1, "value": "5"},
        {"id": heping_other.pk, "version": 1, "value": "many"},
    ]
    with pytest.raises(services.SheetError) as refused:
        services.save_sheet(reporter_heping, rows, submit_filled=False)
    assert str(refused.value) == (
        "1 rows have problems; nothing was saved: row 2: many is not a number"
    )
    assert refused.value.problems == {heping_other.pk: [("value", "many is not a number")]}
    assert refused.value.stale == set()
    assert not Evidence.objects.exists()


# --- the buttons a page offers are the moves the services allow -------------------------------


def _put_in(state, a, reporter, head, office):
    a = services.save_assignment(reporter, a, expected_version=a.version, value="6")
    if state == "draft":
        return a
    a = services.submit(reporter, a, expected_version=a.version)
    if state == "submitted":
        return a
    if state == "returned":
        return services.return_assignment(head, a, expected_version=a.version, reason="核对")
    a = services.unit_approve(head, a, expected_version=a.version)
    if state == "unit_approved":
        return a
    return services.approve(office, a, expected_version=a.version)


def _allowed(user, a, action) -> bool:
    from django.db import transaction

    kwargs = {"reason": "复核"} if action in ("return", "reopen") else {}
    savepoint = transaction.savepoint()
    try:
        services.ACTIONS[action](user, a.pk, expected_version=a.version, **kwargs)
        return True
    except (services.ReportingError, PermissionDenied):
        return False
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
@pytest.mark.parametrize("state", ["draft", "submitted", "returned", "unit_approved", "approved"])
def test_the_buttons_offered_are_exactly_the_moves_the_services_allow(
    state, closed, heping_suppliers, reporter_heping, head_heping, office, leader, reporter_binhai
):
    a = _put_in(state, heping_suppliers, reporter_heping, head_heping, office)
    if closed:
        _close(a.round)
    a.refresh_from_db()
    offered, allowed = {}, {}
    for user in (office, head_heping, reporter_heping, leader, reporter_binhai):
        offered[user.username] = sorted(services.available_actions(user, a))
        allowed[user.username] = sorted(x for x in services.ACTIONS if _allowed(user, a, x))
    assert offered == allowed
    if state == "submitted" and not closed:  # the head reviews first; the office only returns
        assert offered[head_heping.username] == ["return", "unit_approve", "withdraw"]
        assert offered[office.username] == ["return"]


def test_a_source_the_person_set_on_the_sheet_counts_as_typed(reporter_heping, heping_suppliers):
    row = {"id": heping_suppliers.pk, "version": 1, "value": "4", "source": "department"}
    services.save_sheet(reporter_heping, [row], submit_filled=False)
    heping_suppliers.refresh_from_db()
    assert heping_suppliers.status == S.DRAFT  # saved, not submitted: it was not asked to
    assert heping_suppliers.effort.typed == ["source", "value"]
    assert heping_suppliers.effort.asked == ["value", "narrative", "source", "evidence"]


# --- opening a round --------------------------------------------------------------------------


def test_opening_a_round_is_audited_with_what_it_asked(tianjin_plan, office):
    rnd = services.open_round(office, tianjin_plan, "2019Q4", opened_on=dt.date(2020, 1, 6))
    entry = AuditEntry.objects.get(object_id=str(rnd.pk), content_type__model="round")
    assert (entry.action, entry.actor) == ("reporting.round.opened", office)
    assert entry.changes["assignments"] == rnd.assignments.count() > 0
    assert entry.changes["period"] == "2019Q4" and entry.changes["working_days"] == 10


@pytest.mark.parametrize(
    ("field", "kwargs", "message"),
    [
        ("working_days", {"working_days": 0}, "working days must be between 1 and 60"),
        ("working_days", {"working_days": 61}, "working days must be between 1 and 60"),
        (
            "change_threshold",
            {"change_threshold": Decimal("0")},
            "the change threshold must be a share above 0",
        ),
    ],
)
def test_a_round_opened_with_bad_settings_is_refused_naming_the_field(
    tianjin_plan, office, field, kwargs, message
):
    with pytest.raises(services.ReportingError) as refused:
        services.open_round(office, tianjin_plan, "2019Q4", **kwargs)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not tianjin_plan.rounds.exists()


# --- filling in -------------------------------------------------------------------------------


def test_a_value_given_as_a_number_is_kept_exactly(reporter_heping, heping_suppliers):
    a = services.save_assignment(
        reporter_heping, heping_suppliers, expected_version=1, value=Decimal("12")
    )
    assert a.value == Decimal("12")
    a = services.save_assignment(reporter_heping, a, expected_version=a.version, value=13)
    assert a.value == Decimal("13")


def test_a_percentage_above_100_is_refused_naming_the_value(round_, office):
    a = round_.assignments.filter(indicator__unit="%", milestone=None).first()
    with pytest.raises(services.ReportingError) as refused:
        services.save_assignment(office, a, expected_version=a.version, value="101")
    assert (refused.value.field, refused.value.message) == (
        "value",
        "a percentage cannot exceed 100",
    )


def test_an_approved_assignment_says_it_cannot_be_changed(
    reporter_heping, head_heping, office, heping_suppliers
):
    a = _put_in("approved", heping_suppliers, reporter_heping, head_heping, office)
    with pytest.raises(services.ReportingError) as refused:
        services.save_assignment(reporter_heping, a, expected_version=a.version, value="7")
    assert (
        refused.value.message == "This assignment is Approved by the office and cannot be changed."
    )


def test_an_unknown_milestone_progress_is_refused_naming_it(round_, office):
    a = round_.assignments.exclude(milestone=None).first()
    with pytest.raises(services.ReportingError) as refused:
        services.save_assignment(office, a, expected_version=a.version, progress="half")
    assert (refused.value.field, refused.value.message) == ("progress", "unknown progress half")


def test_a_save_that_does_not_name_the_source_keeps_it(reporter_heping, heping_suppliers):
    a = services.save_assignment(
        reporter_heping,
        heping_suppliers,
        expected_version=1,
        source="department",
        source_note="按工信局口径",
        source_url="https://example.gov.cn/t",
    )
    a = services.save_assignment(reporter_heping, a, expected_version=a.version, value="8")
    assert (a.source, a.source_note, a.source_url) == (
        "department",
        "按工信局口径",
        "https://example.gov.cn/t",
    )


# --- evidence ---------------------------------------------------------------------------------


def test_an_added_file_is_stored_with_its_size_type_and_digest(reporter_heping, heping_suppliers):
    ev = services.add_evidence(
        reporter_heping, heping_suppliers, SimpleUploadedFile("表.pdf", PDF), description="说明"
    )
    assert (ev.size, ev.extension, ev.content_type) == (len(PDF), "pdf", "application/pdf")
    assert ev.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (ev.original_name, ev.description, ev.uploaded_by) == ("表.pdf", "说明", reporter_heping)
    entry = AuditEntry.objects.get(action="reporting.evidence.added")
    assert entry.changes == {
        "evidence": [None, "表.pdf"],
        "size": len(PDF),
        "type": "application/pdf",
    }


def test_another_units_person_cannot_add_a_file(reporter_binhai, heping_suppliers):
    with pytest.raises(PermissionDenied):
        services.add_evidence(reporter_binhai, heping_suppliers, SimpleUploadedFile("a.pdf", PDF))
    assert not Evidence.objects.exists()


def test_adding_a_file_in_a_closed_round_says_what_is_no_longer_possible(
    reporter_heping, heping_suppliers
):
    _close(heping_suppliers.round)
    with pytest.raises(services.ReportingError) as refused:
        services.add_evidence(reporter_heping, heping_suppliers, SimpleUploadedFile("a.pdf", PDF))
    assert refused.value.message == (
        f"The round {heping_suppliers.round} is closed: adding evidence is no longer possible."
    )


# --- approval ---------------------------------------------------------------------------------


def test_an_approval_from_a_stale_version_is_a_conflict(
    reporter_heping, head_heping, office, heping_suppliers
):
    a = _put_in("unit_approved", heping_suppliers, reporter_heping, head_heping, office)
    with pytest.raises(services.ConflictError):
        services.approve(office, a, expected_version=a.version - 1)
    a.refresh_from_db()
    assert a.status == S.UNIT_APPROVED


def test_approving_what_is_not_a_submission_says_what_it_is(
    reporter_heping, office, heping_suppliers
):
    a = services.save_assignment(reporter_heping, heping_suppliers, expected_version=1, value="2")
    with pytest.raises(services.ReportingError) as refused:
        services.approve(office, a, expected_version=a.version)
    assert refused.value.message == "Only a submission can be approved; this one is Not submitted."


def test_a_direct_approval_says_why_in_its_step(reporter_heping, office, heping_suppliers):
    a = services.save_assignment(reporter_heping, heping_suppliers, expected_version=1, value="2")
    a = services.submit(reporter_heping, a, expected_version=a.version)
    a = services.approve(office, a, expected_version=a.version)
    assert a.transitions.last().comment == "approved directly: the unit has no unit head"


def test_a_removed_file_is_archived_by_whom_and_why_and_audited(reporter_heping, heping_suppliers):
    ev = services.add_evidence(reporter_heping, heping_suppliers, SimpleUploadedFile("旧.pdf", PDF))
    services.archive_evidence(reporter_heping, ev, reason="传错了")
    ev.refresh_from_db()
    assert ev.archived_at is not None
    assert (ev.archived_by, ev.archive_reason) == (reporter_heping, "传错了")
    entry = AuditEntry.objects.get(action="reporting.evidence.archived")
    assert (entry.actor, entry.comment, entry.changes) == (
        reporter_heping,
        "传错了",
        {"evidence": ["旧.pdf", None]},
    )
    assert not services.has_evidence(heping_suppliers)


def test_the_latest_submission_in_time_decides_who_submitted(
    reporter_heping, head_heping, heping_suppliers
):
    """The latest by its time, not the last row written (a record restored or loaded with
    its own times)."""
    a = services.save_assignment(reporter_heping, heping_suppliers, expected_version=1, value="3")
    a = services.submit(reporter_heping, a, expected_version=a.version)
    a = services.return_assignment(head_heping, a, expected_version=a.version, reason="核对")
    a = services.submit(head_heping, a, expected_version=a.version)
    first, second = a.transitions.filter(to_status=S.SUBMITTED).order_by("pk")
    assert services.submitter(a) == head_heping
    second.at = first.at - dt.timedelta(hours=1)
    second.save(update_fields=["at"])
    assert services.submitter(a) == reporter_heping


def test_a_plan_for_a_region_asks_only_the_districts_within_it(tianjin_plan, office, tianjin_units):
    binhai = tianjin_units["120116"]
    tianjin_plan.region = binhai  # as if it were 滨海新区's own plan
    tianjin_plan.save(update_fields=["region"])
    rnd = services.open_round(office, tianjin_plan, "2019Q3", opened_on=dt.date(2019, 10, 8))
    contributors = rnd.assignments.filter(kind="contributor")
    assert contributors.exists()
    assert set(contributors.values_list("org_unit", flat=True)) == {binhai.pk}
