"""The evidence trap of issue 14: evidence before the submit button, a warning and a
confirmation before submitting without it, evidence added and a submission withdrawn until
review starts, and evidence status in every review queue."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ducha.audit.models import AuditEntry
from ducha.reporting import services
from ducha.reporting.models import AssignmentStatus

S = AssignmentStatus
pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _client(user, language="en"):
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(user)
    return client


def _page(a):
    return reverse("reporting:assignment", args=[a.pk])


def _attach(client, a, name="统计表.pdf"):
    return client.post(
        reverse("reporting:evidence_upload", args=[a.pk]), {"file": SimpleUploadedFile(name, PDF)}
    )


def _submitted(a, user):
    a = services.save_assignment(user, a, expected_version=None, value="4")
    return services.submit(user, a, expected_version=None)


def test_the_evidence_section_comes_before_the_submit_button(
    settings, reporter_heping, heping_suppliers
):
    settings.LANGUAGE_CODE = "zh-hans"
    html = _client(reporter_heping, "zh-hans").get(_page(heping_suppliers)).content.decode()
    assert 0 < html.index('id="evidence"') < html.index("保存并报送")
    assert "未附佐证材料" in html or "佐证材料：无" in html


def test_submitting_without_evidence_saves_the_draft_and_asks_to_confirm(
    reporter_heping, heping_suppliers
):
    client = _client(reporter_heping)
    response = client.post(
        _page(heping_suppliers), {"value": "4", "version": 1, "submit": "1"}, follow=True
    )
    heping_suppliers.refresh_from_db()
    assert heping_suppliers.status == S.DRAFT and heping_suppliers.value == 4  # input kept
    html = response.content.decode()
    assert "No evidence is attached." in html
    assert 'value="without-evidence"' in html and "Submit without evidence" in html
    # confirmed: it goes, without evidence
    response = client.post(
        _page(heping_suppliers),
        {"value": "4", "version": heping_suppliers.version, "submit": "without-evidence"},
    )
    assert response.status_code == 302
    heping_suppliers.refresh_from_db()
    assert heping_suppliers.status == S.SUBMITTED


def test_submitting_with_evidence_needs_no_confirmation(reporter_heping, heping_suppliers):
    client = _client(reporter_heping)
    _attach(client, heping_suppliers)
    response = client.post(_page(heping_suppliers), {"value": "4", "version": 1, "submit": "1"})
    assert response.status_code == 302 and "no-evidence" not in response["Location"]
    heping_suppliers.refresh_from_db()
    assert heping_suppliers.status == S.SUBMITTED


def test_an_incomplete_report_says_what_is_missing_before_asking_about_evidence(
    reporter_heping, heping_suppliers
):
    response = _client(reporter_heping).post(
        _page(heping_suppliers), {"value": "", "version": 1, "submit": "1"}
    )
    assert response.status_code == 200
    assert "enter the value" in response.content.decode()


def test_the_reporter_adds_evidence_after_submitting_and_the_head_sees_it(
    reporter_heping, head_heping, heping_suppliers
):
    a = _submitted(heping_suppliers, reporter_heping)
    reporter = _client(reporter_heping)
    upload = reverse("reporting:evidence_upload", args=[a.pk])
    assert upload in reporter.get(_page(a)).content.decode()
    head = _client(head_heping)
    queue = head.get(reverse("reporting:review")).content.decode()
    assert "none" in queue and "yes (1)" not in queue
    _attach(reporter, a)
    assert a.evidence.count() == 1
    assert "reporting.evidence.added" in AuditEntry.objects.values_list("action", flat=True)
    assert "yes (1)" in head.get(reverse("reporting:review")).content.decode()
    # once the head has approved it, review has started: no more evidence from the unit
    services.unit_approve(head_heping, a, expected_version=None)
    assert (
        reverse("reporting:evidence_upload", args=[a.pk])
        not in reporter.get(_page(a)).content.decode()
    )
    _attach(reporter, a, "晚到.pdf")
    assert a.evidence.count() == 1


def test_the_office_queue_shows_evidence_status(
    office, reporter_heping, head_heping, heping_suppliers, binhai_suppliers, reporter_binhai
):
    a = _submitted(heping_suppliers, reporter_heping)
    services.unit_approve(head_heping, a, expected_version=None)
    services.add_evidence(reporter_binhai, binhai_suppliers, SimpleUploadedFile("a.pdf", PDF))
    services.add_evidence(reporter_binhai, binhai_suppliers, SimpleUploadedFile("b.pdf", PDF))
    _submitted(binhai_suppliers, reporter_binhai)  # 滨海新区 has no unit head: to the office
    response = _client(office).get(reverse("reporting:review"))
    rows = {r.pk: r.evidence_count for r in response.context["page"].object_list}
    assert rows == {a.pk: 0, binhai_suppliers.pk: 2}
    html = response.content.decode()
    assert "yes (2)" in html and "none" in html


def test_the_reporter_withdraws_a_submission_until_review_starts(
    reporter_heping, head_heping, heping_suppliers
):
    a = _submitted(heping_suppliers, reporter_heping)
    client = _client(reporter_heping)
    withdraw = reverse("reporting:action", args=[a.pk, "withdraw"])
    assert withdraw in client.get(_page(a)).content.decode()
    response = client.post(withdraw, {"version": a.version, "comment": "补充佐证材料"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == S.DRAFT and a.value == 4  # the figure stays, to correct
    assert a.first_submitted_at is None  # a withdrawn first submission is not a report
    step = a.transitions.order_by("-id").first()
    assert (step.from_status, step.to_status, step.action, step.comment) == (
        S.SUBMITTED,
        S.DRAFT,
        "withdrawn",
        "补充佐证材料",
    )
    entry = AuditEntry.objects.filter(action="reporting.assignment.withdrawn").get()
    assert entry.actor_id == reporter_heping.pk
    # submitted again and approved by the head: review has started, no withdrawing
    a = services.submit(reporter_heping, a, expected_version=None)
    services.unit_approve(head_heping, a, expected_version=None)
    assert withdraw not in client.get(_page(a)).content.decode()
    client.post(withdraw, {"version": a.version + 1})
    a.refresh_from_db()
    assert a.status == S.UNIT_APPROVED


def test_withdrawing_a_resubmission_keeps_the_first_submission_time(
    reporter_heping, head_heping, heping_suppliers
):
    a = _submitted(heping_suppliers, reporter_heping)
    first = a.first_submitted_at
    a = services.return_assignment(head_heping, a, expected_version=None, reason="口径不对")
    a = services.submit(reporter_heping, a, expected_version=None)
    a = services.withdraw(reporter_heping, a, expected_version=None)
    assert a.status == S.DRAFT and a.first_submitted_at == first


def test_the_office_returns_rather_than_withdraws(office, reporter_heping, heping_suppliers):
    from django.core.exceptions import PermissionDenied

    a = _submitted(heping_suppliers, reporter_heping)
    assert "withdraw" not in services.available_actions(office, a)
    with pytest.raises(PermissionDenied):
        services.withdraw(office, a, expected_version=None)


def test_the_api_withdraws_and_tells_of_missing_evidence(reporter_heping, heping_suppliers):
    client = _client(reporter_heping)
    url = f"/api/reporting/assignments/{heping_suppliers.pk}"
    body = client.get(url).json()
    assert body["evidence_files"] == 0 and body["warnings"] == ["no evidence is attached"]
    a = _submitted(heping_suppliers, reporter_heping)
    response = client.post(
        f"{url}/withdraw", {"version": a.version}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == S.DRAFT
    response = client.post(
        f"{url}/withdraw", {"version": response.json()["version"]}, content_type="application/json"
    )
    assert response.status_code == 400  # a draft is not a submission
