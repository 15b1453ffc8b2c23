"""Every value has a source: imports, entry, approval, API, export, pages and bulletins."""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from ducha.core.tables import ImportError_
from ducha.datavalues import services, sources
from ducha.datavalues.importer import check_rows, read_table
from ducha.datavalues.models import ApprovedValue, DataValue, ValueSource, ValueStatus
from ducha.engine.periods import parse_period
from ducha.reporting import services as reporting
from ducha.reporting.services import ReportingError

pytestmark = pytest.mark.django_db

COUNT = "TJ-IND-SUPPLIER50"
HEADER = "指标代码,单位,期间,数值,来源,口径说明,来源链接\n"
PDF = b"%PDF-1.4\n%%EOF\n"


def rows_of(plan, text: str):
    return check_rows(plan, read_table("v.csv", text.encode()))


def problems_of(plan, text: str) -> list[str]:
    with pytest.raises(ImportError_) as caught:
        rows_of(plan, text)
    return [str(p) for p in caught.value.problems]


def test_the_source_column_takes_the_chinese_label_the_english_label_or_the_key(tianjin_plan):
    rows = rows_of(
        tianjin_plan,
        HEADER
        + f"{COUNT},和平区,2019Q3,3,统计局年报,,\n"
        + f"{COUNT},河西区,2019Q3,4,Press release,,\n"
        + f"{COUNT},南开区,2019Q3,5,department,规上企业,https://tj.gov.cn/a.html\n"
        + f"{COUNT},河北区,2019Q3,6,,,\n",
    )
    assert [r.source for r in rows] == ["stats_annual", "press", "department", ""]
    assert rows[2].source_note == "规上企业"
    assert rows[2].source_url == "https://tj.gov.cn/a.html"


def test_a_bad_source_names_its_row_and_column_and_imports_nothing(tianjin_plan):
    with translation.override("zh-hans"):
        found = problems_of(
            tianjin_plan,
            HEADER
            + f"{COUNT},和平区,2019Q3,3,统计局,,\n"
            + f"{COUNT},河西区,2019Q3,4,推算,,ftp://x.cn/a\n"
            + f"{COUNT},南开区,2019Q3,5,推算,{'口' * 501},\n",
        )
    assert any(p.startswith("第 2 行") and "来源" in p and "统计局年报" in p for p in found), found
    assert any(p.startswith("第 3 行") and "来源链接" in p for p in found), found
    assert any(p.startswith("第 4 行") and "口径说明" in p and "500" in p for p in found), found
    assert DataValue.objects.count() == 0


def test_office_import_uses_the_rows_source_else_the_default_and_approval_keeps_it(
    tianjin_plan, office
):
    rows = rows_of(
        tianjin_plan,
        HEADER + f"{COUNT},和平区,2019Q3,3,统计局快报,快报口径,\n{COUNT},河西区,2019Q3,4,,,\n",
    )
    services.import_values(
        office, rows, status=ValueStatus.APPROVED, default_source=ValueSource.DEPARTMENT
    )
    heping = DataValue.objects.get(org_unit__code="120101")
    hexi = DataValue.objects.get(org_unit__code="120103")
    assert (heping.source, heping.source_note) == ("stats_flash", "快报口径")
    assert hexi.source == "department"
    approval = ApprovedValue.objects.get(data_value=heping)
    assert (approval.source, approval.source_note) == ("stats_flash", "快报口径")


def test_a_changed_source_alone_is_a_correction_that_leaves_the_old_approval(tianjin_plan, office):
    first = rows_of(tianjin_plan, HEADER + f"{COUNT},和平区,2019Q3,3,推算,,\n")
    services.import_values(office, first, status=ValueStatus.APPROVED)
    again = rows_of(tianjin_plan, HEADER + f"{COUNT},和平区,2019Q3,3,统计局年报,,\n")
    report = services.import_values(office, again, status=ValueStatus.APPROVED)
    assert report.updated == 1
    kinds = list(ApprovedValue.objects.order_by("id").values_list("source", flat=True))
    assert kinds == ["estimate", "stats_annual"]


def test_save_value_refuses_an_unknown_source_and_a_bad_link(tianjin_plan, tianjin_units, office):
    ind = tianjin_plan.indicators.get(code=COUNT)
    period = parse_period("2019Q3")
    with pytest.raises(services.WorkflowError):
        services.save_value(office, ind, tianjin_units["120101"], period, Decimal(1), source="x")
    with pytest.raises(services.WorkflowError):
        services.save_value(
            office, ind, tianjin_units["120101"], period, Decimal(1), source_url="javascript:1"
        )
    assert not DataValue.objects.exists()


@pytest.fixture
def assignment(tianjin_plan, office, tianjin_units):
    rnd = reporting.open_round(office, tianjin_plan, "2019Q3", opened_on=dt.date(2019, 10, 8))
    return rnd.assignments.get(org_unit=tianjin_units["120101"], indicator__code=COUNT)


def test_a_unit_report_defaults_to_unit_report_and_its_source_reaches_the_approved_value(
    assignment, reporter_heping, office
):
    assert assignment.source == ValueSource.UNIT_REPORT
    ev = reporting.add_evidence(reporter_heping, assignment, SimpleUploadedFile("表.pdf", PDF))
    a = reporting.save_assignment(
        reporter_heping,
        assignment,
        expected_version=None,
        value="7",
        source="部门统计",
        source_note="含在建项目",
        source_url="https://example.org/t.html",
        source_evidence=ev.pk,
    )
    reporting.submit(reporter_heping, a, expected_version=None)
    reporting.approve(office, a, expected_version=None)
    dv = DataValue.objects.get(indicator__code=COUNT, org_unit__code="120101")
    approval = ApprovedValue.objects.get(data_value=dv)
    for obj in (dv, approval):
        assert obj.source == ValueSource.DEPARTMENT
        assert obj.source_note == "含在建项目"
        assert obj.source_url == "https://example.org/t.html"
        assert obj.source_evidence_id == ev.pk


def test_the_source_attachment_must_be_one_of_the_assignments_own_files(
    assignment, tianjin_plan, reporter_heping, office, tianjin_units
):
    other = assignment.round.assignments.get(
        org_unit=tianjin_units["120103"], indicator=assignment.indicator
    )
    foreign = reporting.add_evidence(office, other, SimpleUploadedFile("b.pdf", PDF))
    with pytest.raises(ReportingError) as caught:
        reporting.save_assignment(
            reporter_heping, assignment, expected_version=None, source_evidence=foreign.pk
        )
    assert caught.value.field == "source_evidence"


def test_removing_the_source_file_clears_it_from_the_draft(assignment, reporter_heping):
    ev = reporting.add_evidence(reporter_heping, assignment, SimpleUploadedFile("a.pdf", PDF))
    reporting.save_assignment(
        reporter_heping, assignment, expected_version=None, source_evidence=ev.pk
    )
    reporting.archive_evidence(reporter_heping, ev)
    assignment.refresh_from_db()
    assert assignment.source_evidence_id is None


def test_the_assignment_page_saves_the_source_typed_in_the_form(
    client, assignment, reporter_heping
):
    client.force_login(reporter_heping)
    url = reverse("reporting:assignment", args=[assignment.pk])
    page = client.get(url).content.decode()
    assert 'name="source"' in page and 'name="source_note"' in page
    client.post(
        url,
        {
            "value": "5",
            "source": "stats_flash",
            "source_note": "快报",
            "source_url": "",
            "source_evidence": "",
            "version": assignment.version,
            "save": "1",
        },
    )
    assignment.refresh_from_db()
    assert (assignment.value, assignment.source, assignment.source_note) == (
        Decimal(5),
        "stats_flash",
        "快报",
    )


def test_a_bad_link_in_the_form_is_refused_naming_the_field(client, assignment, reporter_heping):
    client.force_login(reporter_heping)
    url = reverse("reporting:assignment", args=[assignment.pk])
    form = {"value": "5", "source": "unit_report", "source_note": "", "source_evidence": ""}
    page = client.post(
        url, {**form, "source_url": "not a url", "version": assignment.version, "save": "1"}
    ).content.decode()
    assert "来源链接：“not a url”不是网址" in page
    assignment.refresh_from_db()
    assert assignment.value is None and assignment.source_url == ""  # nothing half-written


def test_values_api_gives_every_value_a_source_object(client, tianjin_plan, office):
    rows = rows_of(tianjin_plan, HEADER + f"{COUNT},和平区,2019Q3,3,新闻发布,,https://a.cn/x\n")
    services.import_values(office, rows, status=ValueStatus.APPROVED)
    client.force_login(office)
    with translation.override("zh-hans"):
        items = client.get("/api/values", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["items"]
    assert items[0]["source"]["kind"] == "press"
    assert items[0]["source"]["url"] == "https://a.cn/x"
    assert items[0]["source"]["attachment"] is None
    assert items[0]["source"]["label"]


def test_reporting_api_reads_and_writes_the_source(client, assignment, reporter_heping):
    client.force_login(reporter_heping)
    url = f"/api/reporting/assignments/{assignment.pk}"
    body = {"version": assignment.version, "value": "4", "source": {"kind": "推算", "note": "估"}}
    response = client.put(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["source"]["kind"] == "estimate"
    assert response.json()["source"]["note"] == "估"
    bad = {"version": response.json()["version"], "source": {"url": "not a link"}}
    response = client.put(url, bad, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "source_url"


def test_the_export_carries_the_source_and_imports_again(client, tianjin_plan, office):
    rows = rows_of(tianjin_plan, HEADER + f"{COUNT},和平区,2019Q3,3,统计局年报,年报口径,\n")
    services.import_values(office, rows, status=ValueStatus.APPROVED)
    client.force_login(office)
    query = {"plan": tianjin_plan.code, "format": "csv"}
    response = client.get(reverse("datavalues:export"), query)
    text = response.content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][7:10] == ["来源", "口径说明", "来源链接"]
    with translation.override("zh-hans"):
        assert table[1][7:9] == ["统计局年报", "年报口径"]
        again = check_rows(tianjin_plan, read_table("export.csv", response.content))
    assert again[0].source == "stats_annual" and again[0].source_note == "年报口径"


def test_indicator_pages_show_each_values_source(client, tianjin_plan, office):
    rows = rows_of(tianjin_plan, HEADER + f"{COUNT},和平区,2019Q3,3,统计局快报,快报数,\n")
    services.import_values(office, rows, status=ValueStatus.APPROVED)
    client.force_login(office)
    for name in ("plans:indicator", "dashboards:indicator"):
        kwargs = (
            {"code": tianjin_plan.code, "indicator": COUNT}
            if name.startswith("plans")
            else {"plan": tianjin_plan.code, "indicator": COUNT}
        )
        page = client.get(reverse(name, kwargs=kwargs)).content.decode()
        assert "统计局快报" in page and "快报数" in page, name


def test_a_stored_link_that_is_not_a_web_address_is_shown_as_text_never_as_a_link(
    client, tianjin_plan, office
):
    rows = rows_of(
        tianjin_plan, HEADER + f"{COUNT},和平区,2019Q3,3,统计局快报,,https://tj.gov.cn/a\n"
    )
    services.import_values(office, rows, status=ValueStatus.APPROVED)
    # written past every validator, as a database restore or the admin shell could
    DataValue.objects.filter(indicator__code=COUNT).update(source_url="javascript:alert(1)")
    ApprovedValue.objects.filter(indicator__code=COUNT).update(source_url="javascript:alert(1)")
    client.force_login(office)
    url = reverse("dashboards:indicator", kwargs={"plan": tianjin_plan.code, "indicator": COUNT})
    page = client.get(url).content.decode()
    assert "javascript:alert(1)" in page  # still shown, as text
    assert 'href="javascript:' not in page


def test_the_template_offers_the_source_columns_with_a_list_of_kinds(client, tianjin_plan, office):
    from openpyxl import load_workbook

    client.force_login(office)
    response = client.get(reverse("datavalues:template"), {"plan": tianjin_plan.code})
    wb = load_workbook(io.BytesIO(response.content))
    header = [c.value for c in wb["数据"][1]]
    assert header[7:10] == ["来源", "口径说明", "来源链接"]
    kinds = [wb["列表"].cell(row=i, column=3).value for i in range(1, len(ValueSource) + 1)]
    assert "统计局年报" in kinds and "名录库计算" in kinds


def test_old_free_text_sources_become_kinds_without_losing_what_people_typed():
    migration = importlib.import_module("ducha.datavalues.migrations.0002_value_source")
    titles = {"2019年第三季度"}
    assert migration.kind_of("computed", False, titles) == ("computed", "")
    assert migration.kind_of("", True, titles) == ("computed", "")
    assert migration.kind_of("统计局年报", False, titles) == ("stats_annual", "")
    assert migration.kind_of("2019年第三季度", False, titles) == ("unit_report", "")
    assert migration.kind_of("演示数据（各区合计）", False, titles) == ("unit_report", "")
    assert migration.kind_of("市统计局2019年鉴", False, titles) == (
        "unit_report",
        "市统计局2019年鉴",
    )


def test_every_kind_reads_back_from_its_own_label_in_both_languages():
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for kind in ValueSource:
                assert sources.parse_kind(str(kind.label)) == kind.value


def test_a_units_import_fills_its_assignments_source_from_the_columns(assignment, reporter_heping):
    rows = rows_of(
        assignment.round.plan,
        HEADER + f"{COUNT},和平区,2019Q3,6,统计局快报,快报口径,https://tj.gov.cn/k.html\n",
    )
    services.import_values(reporter_heping, rows, status=ValueStatus.DRAFT)
    assignment.refresh_from_db()
    assert (assignment.value, assignment.source) == (Decimal(6), "stats_flash")
    assert assignment.source_note == "快报口径"
    assert assignment.source_url == "https://tj.gov.cn/k.html"
    assert not DataValue.objects.exists()  # only the office's approval writes a value
