"""The reporting pages as each role meets them."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ducha.reporting import services
from ducha.reporting.models import AssignmentStatus, Evidence

S = AssignmentStatus
pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 200


@pytest.fixture
def as_heping(client, reporter_heping):
    client.force_login(reporter_heping)
    return client


def test_reporter_sees_only_own_district(as_heping, round_, heping_suppliers, binhai_suppliers):
    response = as_heping.get(reverse("reporting:assignments"))
    assert response.status_code == 200
    shown = {a.org_unit.code for a in response.context["page"].object_list}
    assert shown == {"120101"}
    assert "滨海" not in response.content.decode()
    assert (
        as_heping.get(reverse("reporting:assignment", args=[binhai_suppliers.pk])).status_code
        == 404
    )


def test_assignment_list_queries_do_not_grow_with_rows(as_heping, round_, office):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def sheet():
        with CaptureQueriesContext(connection) as queries:
            response = as_heping.get(reverse("reporting:assignments"))
        assert response.status_code == 200
        return len(response.context["page"].object_list), len(queries)

    rows, queries = sheet()
    # a second open round gives 和平区 as many assignments again
    services.open_round(office, round_.plan, "2019Q2", opened_on=dt.date(2019, 7, 8))
    more_rows, more_queries = sheet()
    assert more_rows > rows > 0
    assert more_queries == queries <= 15


def test_reporter_fills_and_submits_in_the_sheet(as_heping, round_, heping_suppliers):
    other = round_.assignments.get(
        org_unit=heping_suppliers.org_unit, indicator__code="TJ-SEC-MFG-EQUIP"
    )
    response = as_heping.post(
        reverse("reporting:assignments"),
        {
            "id": [heping_suppliers.pk, other.pk],
            f"version-{heping_suppliers.pk}": 1,
            f"value-{heping_suppliers.pk}": "35",
            f"version-{other.pk}": 1,
            f"value-{other.pk}": "",
            "submit": "1",
        },
    )
    # no evidence attached: saved, not submitted, and the list asks before submitting it
    assert response.status_code == 302 and response.url.endswith("?no-evidence=1")
    heping_suppliers.refresh_from_db()
    assert heping_suppliers.status == S.DRAFT and str(heping_suppliers.value) == "35.000000"
    page = as_heping.get(response.url).content.decode()
    assert 'id="no-evidence"' in page and 'value="without-evidence"' in page
    response = as_heping.post(
        response.url,
        {
            "id": [heping_suppliers.pk, other.pk],
            f"version-{heping_suppliers.pk}": heping_suppliers.version,
            f"value-{heping_suppliers.pk}": "35",
            f"version-{other.pk}": 1,
            f"value-{other.pk}": "",
            "submit": "without-evidence",
        },
    )
    assert response.status_code == 302 and "no-evidence" not in response.url
    heping_suppliers.refresh_from_db()
    other.refresh_from_db()
    assert heping_suppliers.status == S.SUBMITTED and str(heping_suppliers.value) == "35.000000"
    assert other.status == S.DRAFT  # nothing filled in: saved as it was, not submitted


def test_forged_id_in_the_sheet_is_refused_and_nothing_saved(
    as_heping, heping_suppliers, binhai_suppliers
):
    response = as_heping.post(
        reverse("reporting:assignments"),
        {
            "id": [heping_suppliers.pk, binhai_suppliers.pk],
            f"version-{heping_suppliers.pk}": 1,
            f"value-{heping_suppliers.pk}": "1",
            f"version-{binhai_suppliers.pk}": 1,
            f"value-{binhai_suppliers.pk}": "2",
        },
    )
    assert response.status_code == 200
    assert "nothing was saved" in response.content.decode()
    heping_suppliers.refresh_from_db()
    binhai_suppliers.refresh_from_db()
    assert heping_suppliers.value is None and binhai_suppliers.value is None


def test_second_editor_gets_a_clear_message_and_keeps_their_input(
    client, reporter_heping, head_heping, heping_suppliers
):
    url = reverse("reporting:assignment", args=[heping_suppliers.pk])
    services.save_assignment(head_heping, heping_suppliers, expected_version=1, value="10")
    client.force_login(reporter_heping)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = client.post(url, {"value": "11", "narrative": "我的说明", "version": 1})
    assert response.status_code == 409
    html = response.content.decode()
    # who changed it, and the versions: the conflict message, in Chinese by default
    assert f"{head_heping} 于" in html and "修改了此任务（版本 1 已变为 2" in html
    assert "我的说明" in html  # the input is still in the form
    heping_suppliers.refresh_from_db()
    assert heping_suppliers.value == 10 and heping_suppliers.narrative == ""


def test_unit_head_and_office_review(
    client, reporter_heping, head_heping, office, heping_suppliers
):
    a = services.save_assignment(reporter_heping, heping_suppliers, expected_version=1, value="3")
    a = services.submit(reporter_heping, a, expected_version=a.version)
    client.force_login(head_heping)
    queue = client.get(reverse("reporting:review"))
    assert [x.pk for x in queue.context["page"].object_list] == [a.pk]
    client.post(reverse("reporting:action", args=[a.pk, "unit_approve"]), {"version": a.version})
    a.refresh_from_db()
    assert a.status == S.UNIT_APPROVED
    client.force_login(office)
    queue = client.get(reverse("reporting:review"))
    assert a.pk in [x.pk for x in queue.context["page"].object_list]
    client.post(
        reverse("reporting:action", args=[a.pk, "return"]),
        {"version": a.version, "comment": "请补充佐证材料"},
    )
    a.refresh_from_db()
    assert a.status == S.RETURNED and a.return_reason == "请补充佐证材料"


def test_reporter_cannot_approve_through_the_page(as_heping, heping_suppliers, reporter_heping):
    a = services.save_assignment(reporter_heping, heping_suppliers, expected_version=1, value="3")
    a = services.submit(reporter_heping, a, expected_version=a.version)
    as_heping.post(reverse("reporting:action", args=[a.pk, "approve"]), {"version": a.version})
    a.refresh_from_db()
    assert a.status == S.SUBMITTED


def _upload(client, a, name, content):
    return client.post(
        reverse("reporting:evidence_upload", args=[a.pk]),
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def test_evidence_pdf_is_attached_and_only_the_unit_downloads_it(
    as_heping, client, reporter_binhai, heping_suppliers
):
    response = _upload(as_heping, heping_suppliers, "统计报表.pdf", PDF)
    ev = Evidence.objects.get(assignment=heping_suppliers)
    assert ev.content_type == "application/pdf" and ev.size == len(PDF)
    assert "统计报表.pdf" in response.content.decode()
    download = as_heping.get(reverse("reporting:evidence", args=[ev.pk]))
    assert b"".join(download.streaming_content) == PDF
    other = Client()
    other.force_login(reporter_binhai)
    assert other.get(reverse("reporting:evidence", args=[ev.pk])).status_code == 404


@pytest.mark.parametrize("content", [EXE, ELF], ids=["windows", "linux"])
def test_executable_renamed_pdf_is_refused(as_heping, heping_suppliers, content):
    response = _upload(as_heping, heping_suppliers, "report.pdf", content)
    assert "not a document" in response.content.decode() or "程序" in response.content.decode()
    assert not Evidence.objects.exists()


def test_80_mb_file_is_refused(as_heping, heping_suppliers, tmp_path):
    big = tmp_path / "scan.pdf"
    with big.open("wb") as f:
        f.write(PDF)
        f.truncate(80 * 1024 * 1024)  # sparse: 80 MB without writing them
    with big.open("rb") as f:
        response = as_heping.post(
            reverse("reporting:evidence_upload", args=[heping_suppliers.pk]),
            {"file": f},
            follow=True,
        )
    html = response.content.decode()
    assert "20 MB" in html  # refused while it arrived: the upload was never read in full
    assert not Evidence.objects.exists()


def test_evidence_removal_archives_it(as_heping, heping_suppliers):
    _upload(as_heping, heping_suppliers, "a.pdf", PDF)
    ev = Evidence.objects.get()
    as_heping.post(reverse("reporting:evidence_archive", args=[ev.pk]))
    ev.refresh_from_db()
    assert ev.archived_at is not None and ev.file.storage.exists(ev.file.name)


def test_office_opens_a_round_from_the_page(client, office, tianjin_plan):
    client.force_login(office)
    response = client.post(
        reverse("reporting:round_open"),
        {
            "plan": tianjin_plan.pk,
            "period": "2019年第四季度",
            "opened_on": "2020-01-02",
            "working_days": 10,
            "change_threshold": "0.3",
        },
    )
    assert response.status_code == 302
    rnd = tianjin_plan.rounds.get()
    assert rnd.period == "2019Q4" and rnd.deadline.isoformat() == "2020-01-16"


def test_reporter_and_leader_cannot_open_rounds(client, reporter_heping, leader):
    for user in (reporter_heping, leader):
        client.force_login(user)
        assert client.get(reverse("reporting:round_open")).status_code == 403


def test_history_of_an_assignment_is_visible_to_the_office_only(
    client, office, reporter_heping, heping_suppliers
):
    services.save_assignment(reporter_heping, heping_suppliers, expected_version=1, value="7")
    url = reverse("audit:history", args=["reporting", "assignment", heping_suppliers.pk])
    client.force_login(office)
    response = client.get(url)
    assert response.status_code == 200
    assert "reporting.assignment.saved" in response.content.decode()
    client.force_login(reporter_heping)
    assert client.get(url).status_code == 403


def test_pages_render_for_every_role(client, round_, office, leader, reporter_heping, head_heping):
    pages = [
        reverse("reporting:index"),
        reverse("reporting:round", args=[round_.pk]),
        reverse("reporting:assignments"),
    ]
    for user in (office, leader, reporter_heping, head_heping):
        client.force_login(user)
        for url in pages:
            assert client.get(url).status_code == 200, (user, url)


def test_forms_without_csrf_token_are_refused(reporter_heping, round_):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter_heping)
    a = round_.assignments.filter(org_unit=reporter_heping.org_unit).first()
    response = client.post(reverse("reporting:assignment", args=[a.pk]), {"value": "1"})
    assert response.status_code == 403
    response = client.put(
        f"/api/reporting/assignments/{a.pk}",
        {"version": 1, "value": "1"},
        content_type="application/json",
    )
    assert response.status_code == 403
    a.refresh_from_db()
    assert a.value is None


def test_pages_are_in_chinese_by_default(client, settings, reporter_heping, heping_suppliers):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(reporter_heping)
    html = client.get(reverse("reporting:assignment", args=[heping_suppliers.pk])).content.decode()
    assert "保存并报送" in html and "佐证材料" in html
    client.cookies["django_language"] = "en"
    html = client.get(reverse("reporting:assignment", args=[heping_suppliers.pk])).content.decode()
    assert "Save and submit" in html


def test_editable_assignment_offers_no_submit_button_that_discards_typed_input(
    as_heping, heping_suppliers
):
    url = reverse("reporting:assignment", args=[heping_suppliers.pk])
    html = as_heping.get(url).content.decode()
    # The only submit action is the form's own "save and submit", which sends what is typed.
    assert reverse("reporting:action", args=[heping_suppliers.pk, "submit"]) not in html
    assert 'name="submit"' in html
    response = as_heping.post(
        url,
        {
            "value": "7",
            "narrative": "新增7家",
            "version": heping_suppliers.version,
            "submit": "without-evidence",  # confirmed: submitted without evidence
        },
    )
    assert response.status_code == 302
    heping_suppliers.refresh_from_db()
    assert heping_suppliers.status == S.SUBMITTED
    assert heping_suppliers.value == 7 and heping_suppliers.narrative == "新增7家"


def test_round_form_renders_its_default_date_as_iso_in_chinese(client, settings, office):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(office)
    html = client.get(reverse("reporting:round_open")).content.decode()
    from django.utils import timezone

    today = timezone.localdate()
    assert f'value="{today.isoformat()}"' in html
    assert today.strftime("%Y/%m/%d") not in html


@pytest.mark.parametrize(
    "period, expected",
    [("abc", "不是有效期间"), ("2030Q9", "季度应为 1 至 4")],
)
def test_round_form_explains_a_bad_period_in_chinese(
    client, settings, office, tianjin_plan, period, expected
):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(office)
    response = client.post(
        reverse("reporting:round_open"),
        {
            "plan": tianjin_plan.pk,
            "period": period,
            "opened_on": "2020-01-02",
            "working_days": 10,
            "change_threshold": "0.3",
        },
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["period"])
    assert period in errors and expected in errors
    assert "not a period" not in errors and "must be" not in errors
