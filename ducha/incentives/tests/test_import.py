"""Applications from a spreadsheet: through the register toolkit, all or nothing, every
problem named by row and column; the template and the export of the filtered list."""

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from ducha.core.tables import ImportError_
from ducha.incentives.models import Application, AppState
from ducha.registers.tests.conftest import csv_bytes, run_import, xlsx_bytes

pytestmark = pytest.mark.django_db


def _problems(data, actor=None, name="file.csv"):
    with pytest.raises(ImportError_) as exc:
        run_import("incentives", data, name=name, actor=actor)
    return [str(p) for p in exc.value.problems]


def test_import_creates_drafts_and_submitted_applications(schemes, firms, office):
    heping, binhai = firms["heping"].credit_code, firms["binhai"].credit_code
    data = csv_bytes(
        "奖补政策,申请企业,年度,基数金额(元),申请金额(万元),状态\n"
        f'ZNGZ,{heping},2019,"30,000,000",300,草稿\n'
        f"智能化改造补助,{binhai},2019,2千万,200,已提交\n"
        f"SFGC,滨海智能机器人有限公司,2019,,200,\n"
    )
    report = run_import("incentives", data, actor=office)
    assert report.created == 3
    apps = {a.enterprise.credit_code + a.scheme.code: a for a in Application.objects.all()}
    first = apps[heping + "ZNGZ"]
    assert (first.base_amount, first.computed, first.state) == (
        Decimal(3000),
        Decimal(300),
        AppState.DRAFT,
    )
    assert apps[binhai + "ZNGZ"].base_amount == Decimal(2000)
    assert apps[binhai + "ZNGZ"].state == AppState.SUBMITTED


def test_import_is_all_or_nothing_and_names_the_row(schemes, firms, office):
    heping = firms["heping"].credit_code
    data = csv_bytes(
        "奖补政策,申请企业,年度,基数金额(万元),申请金额(万元)\n"
        f"ZNGZ,{heping},2019,3000,300\n"
        f"ZNGZ,{firms['binhai'].credit_code},2019,,300\n"
        f"无此政策,{heping},2019,3000,300\n"
    )
    problems = _problems(data, actor=office)
    assert Application.objects.count() == 0
    assert any(p.startswith("第 3 行") and "基数金额" in p for p in problems), problems
    assert any(p.startswith("第 4 行") and "奖补政策" in p for p in problems), problems


def test_import_refuses_a_duplicate_of_a_submitted_application(schemes, firms, office):
    from ducha.incentives import services
    from ducha.incentives.tests.conftest import new_app

    services.submit(None, new_app(schemes["upgrade"], firms["heping"]), expected_version=None)
    data = csv_bytes(
        f"奖补政策,申请企业,年度,基数金额(万元),申请金额(万元)\nZNGZ,{firms['heping'].credit_code},2019,3000,300"
    )
    problems = _problems(data, actor=office)
    assert any("第 2 行" in p and "已有" in p for p in problems), problems


def test_a_district_cannot_import_for_another_district(schemes, firms, reporter_heping):
    data = csv_bytes(
        "奖补政策,申请企业,年度,基数金额(万元),申请金额(万元)\n"
        f"ZNGZ,{firms['heping'].credit_code},2019,3000,300\n"
        f"ZNGZ,{firms['binhai'].credit_code},2019,3000,300\n"
    )
    problems = _problems(data, actor=reporter_heping)
    assert len(problems) == 1 and "第 3 行" in problems[0]
    assert Application.objects.count() == 0


def test_an_xlsx_with_a_money_header_without_unit_is_refused(schemes, firms, office):
    data = xlsx_bytes(
        {
            "奖补申请": [
                ["奖补政策", "申请企业", "年度", "申请金额"],
                ["SFGC", firms["heping"].credit_code, 2019, 200],
            ]
        }
    )
    problems = _problems(data, actor=office, name="a.xlsx")
    assert any("申请金额" in p and "单位" in p for p in problems), problems


def test_template_and_filtered_export_share_the_headers(schemes, firms, office):
    from ducha.incentives.tests.conftest import new_app

    new_app(schemes["upgrade"], firms["heping"])
    new_app(schemes["award"], firms["binhai"], base=None, requested="200")
    client = Client()
    client.force_login(office)
    template = load_workbook(io.BytesIO(client.get(reverse("incentives:template")).content))
    header = [c.value for c in template["奖补申请"][1]]
    assert header[:6] == [
        "奖补政策",
        "申请企业",
        "项目编号",
        "年度",
        "基数金额(万元)",
        "申请金额(万元)",
    ]
    response = client.get(reverse("incentives:export", args=["xlsx"]), {"scheme": "SFGC"})
    sheet = load_workbook(io.BytesIO(response.content))["奖补申请"]
    rows = list(sheet.values)
    assert list(rows[0]) == header
    assert [r[0] for r in rows[1:]] == ["SFGC"]
    # and an exported draft imports again unchanged
    csv = client.get(reverse("incentives:export", args=["csv"]), {"scheme": "SFGC"}).content
    report = run_import("incentives", csv, actor=office)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
