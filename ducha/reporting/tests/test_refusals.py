"""The reporting services' refusals as the person reads them (the message, the field it
names), and what each step keeps beside the move: the parts of reporting/services.py that
the rule table (who may make which move) does not read. Written for the survivors of the
mutation sample (docs/testing.md)."""

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
    assert heping_suppliers.effort.typed == ["source", "value"]
    assert heping_suppliers.effort.asked == ["value", "narrative", "source", "evidence"]
