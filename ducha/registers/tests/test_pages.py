"""The register pages as people meet them: who sees what, filters, exports, templates."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ducha.enterprises.models import Enterprise
from ducha.registers.tests.conftest import code, csv_bytes, run_import

pytestmark = pytest.mark.django_db

A = code("120101", "MA05JJ8K1")
B = code("120116", "MA05JJ8K2")
ID = "120101198001010012"


@pytest.fixture
def data(registers):
    from ducha.engine.idnumber import make_id

    global ID
    ID = make_id("12010119800101001")
    run_import(
        "enterprises",
        csv_bytes(f"""
企业名称,统一社会信用代码,所在区,所在园区,主导产业,2019年营业收入(万元)
天津和平软件有限公司,{A},和平区,,智能软件,100
天津滨海机器人有限公司,{B},,天津开发区,智能机器人,200
"""),
    )
    run_import(
        "talents",
        csv_bytes(f"""
姓名,证件号码,手机号码,人才类别,工作单位,引进日期
张伟,{ID},13812345678,高端研发人才,{A},2019.5
"""),
    )
    return registers


def login(client, user):
    client.force_login(user)
    return client


def test_the_office_sees_every_district(client, data, office):
    response = login(client, office).get(reverse("enterprises:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "天津和平软件有限公司" in html and "天津滨海机器人有限公司" in html


def test_a_district_reporter_sees_only_its_own_district(client, data, reporter_heping):
    html = login(client, reporter_heping).get(reverse("enterprises:list")).content.decode()
    assert "天津和平软件有限公司" in html
    assert "天津滨海机器人有限公司" not in html
    other = Enterprise.objects.get(credit_code=B)
    assert client.get(reverse("enterprises:detail", args=[other.pk])).status_code == 404


def test_a_reporter_cannot_import_into_a_register(client, data, reporter_heping):
    response = login(client, reporter_heping).get(reverse("enterprises:import"))
    assert response.status_code == 403


def test_a_leader_reads_everything_but_imports_nothing(client, data, leader):
    login(client, leader)
    assert "天津滨海机器人有限公司" in client.get(reverse("enterprises:list")).content.decode()
    assert client.get(reverse("enterprises:import")).status_code == 403


def test_filters_and_search_narrow_the_list(client, data, office):
    login(client, office)
    html = client.get(reverse("enterprises:list"), {"park": "teda"}).content.decode()
    assert "天津滨海机器人有限公司" in html and "天津和平软件有限公司" not in html
    html = client.get(reverse("enterprises:list"), {"industry": "software"}).content.decode()
    assert "天津和平软件有限公司" in html and "天津滨海机器人有限公司" not in html
    html = client.get(reverse("enterprises:list"), {"q": A[:10]}).content.decode()
    assert "天津和平软件有限公司" in html and "天津滨海机器人有限公司" not in html


def test_the_list_page_needs_the_same_queries_for_many_records(
    client, data, office, django_assert_max_num_queries
):
    login(client, office)
    client.get(reverse("enterprises:list"))  # warm caches (content types, sessions)
    rows = "\n".join(
        f"天津企业{i}有限公司,{code('120101', f'MA05J{i:04d}')},和平区,智能软件" for i in range(60)
    )
    run_import("enterprises", csv_bytes("企业名称,统一社会信用代码,所在区,主导产业\n" + rows))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("enterprises:list"))
    assert response.context["page"].paginator.count == 62


def test_personal_data_is_masked_for_everyone_but_the_office(client, data, office, leader):
    from ducha.talents.models import Talent

    talent = Talent.objects.get()
    html = login(client, leader).get(reverse("talents:detail", args=[talent.pk])).content.decode()
    assert ID not in html and "13812345678" not in html
    assert "138****5678" in html
    html = login(client, office).get(reverse("talents:detail", args=[talent.pk])).content.decode()
    assert ID in html and "13812345678" in html


def test_exports_leave_personal_data_out_unless_allowed_and_asked(client, data, office, leader):
    url = reverse("talents:export", args=["csv"])
    body = login(client, leader).get(url, {"personal": "1"}).content.decode("utf-8-sig")
    assert ID not in body and "证件号码" not in body
    body = login(client, office).get(url).content.decode("utf-8-sig")
    assert ID not in body and "手机号码" not in body
    body = client.get(url, {"personal": "1"}).content.decode("utf-8-sig")
    assert ID in body and "13812345678" in body


def test_an_export_imports_again_unchanged(client, data, office):
    xlsx = login(client, office).get(reverse("enterprises:export", args=["xlsx"])).content
    report = run_import("enterprises", xlsx, "export.xlsx")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)


@pytest.mark.parametrize("suffix", ["json", "pdf", "xls", "XLSX"])
def test_an_unknown_export_format_is_not_found(client, data, office, suffix):
    response = login(client, office).get(f"/registers/enterprises/export.{suffix}")
    assert response.status_code == 404


FORMULA = '=HYPERLINK("http://x","点我")'


def test_a_formula_like_name_is_exported_as_text_never_as_a_formula(client, data, office):
    import csv

    Enterprise.objects.filter(credit_code=A).update(name=FORMULA, note="+cmd|' /C calc'!A0")
    login(client, office)
    xlsx = client.get(reverse("enterprises:export", args=["xlsx"])).content
    sheet = load_workbook(io.BytesIO(xlsx))["企业"]
    cells = {c.value: c for row in sheet.iter_rows(min_row=2) for c in row}
    assert cells[FORMULA].data_type == "s"
    assert cells["+cmd|' /C calc'!A0"].data_type == "s"
    assert cells[100].data_type == "n"  # numbers stay numbers
    body = client.get(reverse("enterprises:export", args=["csv"])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + FORMULA in cells and FORMULA not in cells
    assert "+cmd|' /C calc'!A0" not in cells
    assert "100" in cells
    # The workbook still imports again unchanged: the text is stored as it was typed.
    report = run_import("enterprises", xlsx, "export.xlsx")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)


def test_the_template_has_drop_down_lists_on_a_hidden_sheet(client, data, office):
    body = login(client, office).get(reverse("enterprises:template")).content
    wb = load_workbook(io.BytesIO(body))
    assert wb["列表"].sheet_state == "hidden"
    sheet = wb["企业"]
    header = [c.value for c in sheet[1]]
    assert "统一社会信用代码" in header and any("营业收入(万元)" in str(h) for h in header)
    formulas = {dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert len(formulas) >= 3  # district, park, main industry
    # The 主导产业 column's drop-down reads the industries from the hidden sheet.
    column = get_column_letter(header.index("主导产业") + 1)
    [dv] = [
        dv
        for dv in sheet.data_validations.dataValidation
        if any(r.coord.startswith(f"{column}2:") for r in dv.sqref.ranges)
    ]
    where = re.fullmatch(r"=列表!\$([A-Z]+)\$1:\$\1\$(\d+)", dv.formula1)
    assert where, dv.formula1
    listed = [c.value for c in wb["列表"][where[1]][: int(where[2])]]
    assert {"智能机器人", "智能软件", "智能传感器", "智能制造"} <= set(listed)


def test_the_template_command_writes_every_register(tmp_path, registers):
    from django.core.management import call_command

    for key in ("enterprises", "projects", "platforms", "technologies", "talents", "teams"):
        out = tmp_path / f"{key}.xlsx"
        call_command("template", key, "-o", str(out))
        assert load_workbook(out).sheetnames[0] == "列表"


def test_only_the_office_recomputes_and_sees_the_checks(client, data, office, leader):
    login(client, leader)
    assert client.post(reverse("registers:recompute")).status_code == 403
    assert client.get(reverse("registers:checks")).status_code == 403
    login(client, office)
    response = client.post(reverse("registers:recompute"))
    assert response.status_code == 302
    assert client.get(reverse("registers:checks")).status_code == 200


def test_the_computed_page_links_each_value_to_its_records(client, data, office):
    login(client, office)
    html = client.get(
        reverse("registers:computed", args=[data.code, "TJ-IND-SOFTWARE"])
    ).content.decode()
    url = reverse("registers:drilldown", args=[data.code, "TJ-IND-SOFTWARE", "2019", "120101"])
    assert url in html
    html = client.get(url).content.decode()
    assert "天津和平软件有限公司" in html and "天津滨海机器人有限公司" not in html


def test_the_index_says_in_words_what_each_computed_indicator_counts(client, registers, office):
    client.force_login(office)
    html = client.get(reverse("registers:index")).content.decode()
    assert "enterprise-years" not in html  # the plan file's key, not words for people
    assert "企业" in html


def test_a_file_that_is_not_a_workbook_is_explained_in_chinese(client, registers, office):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, office)
    fake = SimpleUploadedFile("企业.xlsx", b"PK\x03\x04 this is not a workbook")
    response = client.post(reverse("enterprises:import"), {"file": fake})
    assert response.status_code == 200
    [problem] = response.context["problems"]
    assert "不是可读取的 Excel 工作簿" in problem and "CSV" in problem
    assert "BadZipFile" not in problem


def test_a_related_record_the_user_may_not_open_is_named_not_linked(data, reporter_heping):
    from django.template import Context, Template

    template = Template("{% load registers %}{% record_link e 'enterprises:detail' %}")
    own = Enterprise.objects.get(credit_code=A)
    other = Enterprise.objects.get(credit_code=B)
    html = template.render(Context({"user": reporter_heping, "e": own}))
    assert f'href="{reverse("enterprises:detail", args=[own.pk])}"' in html
    html = template.render(Context({"user": reporter_heping, "e": other}))
    assert "href" not in html and other.name in html


def test_the_talent_page_links_its_employer_only_when_visible(client, data, reporter_binhai):
    from ducha.talents.models import Talent

    talent = Talent.objects.get()  # works for the 和平 enterprise
    talent.district = Enterprise.objects.get(credit_code=B).district
    talent.save()
    response = login(client, reporter_binhai).get(reverse("talents:detail", args=[talent.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    employer = Enterprise.objects.get(credit_code=A)
    assert employer.name in html
    assert reverse("enterprises:detail", args=[employer.pk]) not in html
