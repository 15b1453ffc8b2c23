"""Uploading a policy document in the web UI: it becomes a draft plan, or nothing is written."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from ducha.audit.models import AuditEntry
from ducha.extraction.models import DocumentUpload, IndicatorReview, ReviewStatus, UploadState
from ducha.extraction.services import ExtractionFailed, confirm_indicator, upload_document
from ducha.extraction.tests.conftest import (
    SEED,
    SMALL_PLAN,
    SMALL_PLAN_TARGETS,
    docx_bytes,
    pdf_bytes,
    zip_bomb_docx,
)
from ducha.plans.models import Plan, PlanState

pytestmark = pytest.mark.django_db

URL = "/extraction/"


def _post(client, name, content, **fields):
    upload = SimpleUploadedFile(name, content)
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        return client.post(URL, {"file": upload, **fields})


@pytest.fixture
def nothing_written(office):
    """Checks afterwards that no plan, upload or audit entry was written by the test."""
    audit = AuditEntry.objects.count()
    return lambda: (
        not Plan.objects.exists()
        and not DocumentUpload.objects.exists()
        and AuditEntry.objects.count() == audit
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.txt", SMALL_PLAN.encode("utf-8")),
        ("plan-gbk.txt", SMALL_PLAN.encode("gbk")),
        ("plan.docx", docx_bytes(SMALL_PLAN)),
        ("plan.pdf", pdf_bytes(SMALL_PLAN.splitlines())),
    ],
    ids=["utf8", "gbk", "docx", "pdf"],
)
def test_office_uploads_a_document_and_gets_a_draft_plan_to_review(client, office, name, content):
    client.force_login(office)
    response = _post(client, name, content)
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("extraction:review", args=[plan.code])
    assert plan.state == PlanState.DRAFT
    assert plan.title == "某市人工智能产业发展三年行动计划（2021—2023年）"
    assert (plan.period_start, plan.period_end) == (2021, 2023)
    assert plan.indicators.count() == SMALL_PLAN_TARGETS
    assert plan.nodes.filter(title="发展目标").exists()
    upload = DocumentUpload.objects.get()
    assert (upload.state, upload.plan, upload.file_name) == (UploadState.LOADED, plan, name)
    assert upload.uploaded_by == office
    assert AuditEntry.objects.filter(action="extraction.upload.loaded").count() == 1
    assert AuditEntry.objects.filter(action="plans.plan.loaded", actor=office).count() == 1


def test_the_plan_code_is_derived_from_the_title_unless_given(client, office):
    client.force_login(office)
    _post(client, "a.txt", SMALL_PLAN.encode())
    _post(client, "b.txt", SEED.read_bytes(), code="tianjin-review")
    derived, given = Plan.objects.order_by("pk")
    assert derived.code == "msrgzncyfzsnxdjh-2021-2023"  # pinyin initials of the title
    assert given.code == "tianjin-review"
    assert given.indicators.count() == 29


def test_a_bad_plan_code_is_refused_before_reading(client, office, nothing_written):
    client.force_login(office)
    response = _post(client, "plan.txt", SMALL_PLAN.encode(), code="Mein Plan!")
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert nothing_written()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("junk.txt", bytes(range(256)) * 40, "is not text"),
        ("empty.txt", b"", "empty"),  # Django's own check
        ("blank.txt", b"\n \n\t\n", "no text"),
        ("plan.doc", b"\xd0\xcf\x11\xe0 old word", ".txt, .docx or .pdf"),
        ("broken.docx", b"PK\x03\x04 not a zip at all", "Word"),
        ("broken.pdf", b"%PDF-1.4\n garbage without objects", "PDF"),
        ("scanned.pdf", pdf_bytes([]), "no text"),
    ],
)
def test_a_bad_file_gets_a_clear_message_and_nothing_is_written(
    client, office, nothing_written, name, content, expected
):
    client.force_login(office)
    response = _post(client, name, content)
    assert response.status_code in (200, 400)
    page = response.content.decode()
    with translation.override("en"):
        messages = response.context["problems"] or [
            str(e) for errors in response.context["form"].errors.values() for e in errors
        ]
    assert any(expected in m for m in messages), messages
    assert all(m in page or m.replace("'", "&#x27;") in page for m in messages)
    assert nothing_written()


def test_a_zip_bomb_is_refused(client, office, tmp_path, nothing_written):
    client.force_login(office)
    bomb = zip_bomb_docx(tmp_path / "bomb.docx").read_bytes()
    response = _post(client, "bomb.docx", bomb)
    assert response.status_code == 400
    assert any("unsafe" in p for p in response.context["problems"])
    assert nothing_written()


@override_settings(DUCHA_EXTRACT_MAX_BYTES=4096)
def test_a_file_over_the_size_limit_is_refused_without_reading_it_all(
    client, office, nothing_written
):
    client.force_login(office)
    response = _post(client, "big.txt", ("到2020年，建成10个平台。" * 2000).encode())
    assert response.status_code == 400
    problems = response.context["problems"]
    assert any("too large" in p and "4.0" in p and "uploaded" in p for p in problems), problems
    assert nothing_written()


@override_settings(DUCHA_EXTRACT_MAX_BYTES=4096)
def test_the_service_refuses_a_document_over_the_limit_too(office, nothing_written):
    data = ("到2020年，建成10个平台。" * 400).encode()
    with translation.override("en"), pytest.raises(ExtractionFailed) as caught:
        upload_document(office, "big.txt", [data], len(data))
    assert "too large" in str(caught.value) and "big.txt" in str(caught.value)
    assert nothing_written()


def test_the_upload_form_needs_its_csrf_token(office):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(office)
    response = client.post(URL, {"file": SimpleUploadedFile("p.txt", SMALL_PLAN.encode())})
    assert response.status_code == 403
    assert not Plan.objects.exists()


def test_a_code_taken_by_an_active_plan_waits_for_another_code(client, office, tianjin_plan):
    client.force_login(office)
    response = _post(client, "plan.txt", SMALL_PLAN.encode(), code=tianjin_plan.code)
    upload = DocumentUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("extraction:upload", args=[upload.pk])
    assert upload.state == UploadState.WAITING
    assert Plan.objects.count() == 1  # the Tianjin plan, untouched
    page = client.get(response["Location"]).content.decode()
    assert 'name="replace"' not in page  # an active plan is never replaced
    refused = client.post(
        response["Location"], {"code": tianjin_plan.code, "replace": "on", "load": "1"}
    )
    assert refused.status_code == 400
    tianjin_plan.refresh_from_db()
    assert tianjin_plan.state == PlanState.ACTIVE and tianjin_plan.indicators.count() > 5
    loaded = client.post(response["Location"], {"code": "small-city-ai", "load": "1"})
    assert loaded["Location"] == reverse("extraction:review", args=["small-city-ai"])
    upload.refresh_from_db()
    assert upload.state == UploadState.LOADED
    assert Plan.objects.get(code="small-city-ai").indicators.count() == SMALL_PLAN_TARGETS


def test_replacing_a_draft_needs_confirmation_and_restarts_its_review(client, office, small_draft):
    client.force_login(office)
    first = small_draft.indicators.order_by("position").first()
    confirm_indicator(first, office)
    changed = SMALL_PLAN.replace("培育20家领军企业", "培育30家领军企业")
    response = _post(client, "v2.txt", changed.encode(), code=small_draft.code)
    upload = DocumentUpload.objects.get(file_name="v2.txt")
    assert upload.state == UploadState.WAITING
    assert small_draft.indicators.filter(target_min=20).exists()  # not replaced yet
    page = client.get(response["Location"]).content.decode()
    assert 'name="replace"' in page
    unconfirmed = client.post(response["Location"], {"code": small_draft.code, "load": "1"})
    assert unconfirmed.status_code == 400
    assert small_draft.indicators.filter(target_min=20).exists()
    done = client.post(
        response["Location"], {"code": small_draft.code, "replace": "on", "load": "1"}
    )
    assert done.status_code == 302
    small_draft.refresh_from_db()
    assert small_draft.state == PlanState.DRAFT
    assert small_draft.indicators.filter(target_min=30).exists()
    assert not small_draft.indicators.filter(target_min=20).exists()
    assert not IndicatorReview.objects.filter(status=ReviewStatus.CONFIRMED).exists()


def test_replace_ticked_on_the_upload_form_replaces_a_draft_at_once(client, office, small_draft):
    client.force_login(office)
    changed = SMALL_PLAN.replace("实施100项", "实施120项")
    response = _post(client, "v2.txt", changed.encode(), code=small_draft.code, replace="on")
    assert response["Location"] == reverse("extraction:review", args=[small_draft.code])
    assert small_draft.indicators.filter(target_min=120).exists()


def test_a_waiting_upload_can_be_discarded(client, office, small_draft):
    client.force_login(office)
    response = _post(client, "v2.txt", SMALL_PLAN.encode(), code=small_draft.code)
    client.post(response["Location"], {"discard": "1"})
    upload = DocumentUpload.objects.get(file_name="v2.txt")
    assert upload.state == UploadState.DISCARDED and upload.plan_yaml == ""
    again = client.post(response["Location"], {"code": "another-code", "load": "1"})
    assert again.status_code == 200
    assert not Plan.objects.filter(code="another-code").exists()


@pytest.mark.parametrize("who", ["leader", "reporter_heping", "head_heping"])
def test_only_the_office_may_upload(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"file": SimpleUploadedFile("p.txt", SMALL_PLAN.encode())})
    assert response.status_code == 403
    assert not Plan.objects.exists()


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_office_sees_the_upload_link_and_others_do_not(client, office, leader):
    client.force_login(office)
    assert reverse("extraction:index") in client.get(reverse("plans:list")).content.decode()
    client.force_login(leader)
    assert reverse("extraction:index") not in client.get(reverse("plans:list")).content.decode()


def test_the_drafts_list_shows_review_progress(client, office, small_draft):
    client.force_login(office)
    confirm_indicator(small_draft.indicators.first(), office)
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        page = client.get(URL).content.decode()
    assert small_draft.title in page
    assert f"1 of {SMALL_PLAN_TARGETS} reviewed" in page


def test_the_upload_page_is_in_chinese_by_default(client, office):
    client.force_login(office)
    page = client.get(URL).content.decode()
    assert "计划草稿" in page and "上传" in page


def test_a_text_without_targets_says_so_rather_than_no_text(client, office, nothing_written):
    client.force_login(office)
    notes = "这是一些会议笔记，讨论了下一步的工作安排。\n".encode()
    response = _post(client, "notes.txt", notes)
    problems = response.context["problems"]
    assert any("no quantified targets" in p for p in problems), problems
    assert not any("no text" in p or "scanned" in p for p in problems)
    assert nothing_written()
