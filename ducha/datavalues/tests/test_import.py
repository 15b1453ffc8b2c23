"""Importing values as people do it: `ducha importvalues`, the web page, and the template."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from ducha.audit.models import AuditEntry
from ducha.datavalues.models import ApprovedValue, DataValue, ValueStatus

pytestmark = pytest.mark.django_db

HEADER = "指标代码,单位,期间,数值,说明\n"
# Indicators people report by hand (many others are computed from the registers and refused):
COUNT = "TJ-IND-SUPPLIER50"  # a count, quarterly, added up over the districts
SHARE = "TJ-SEC-LOG-EFFICIENCY"  # a percentage, quarterly, with decimals
LEADERS = "TJ-SEC-LOG-ENTERPRISES"  # 家, quarterly


def run_import(path, *args) -> str:
    out = io.StringIO()
    call_command("importvalues", str(path), *args, stdout=out)
    return out.getvalue()


def csv_file(tmp_path, body: str, encoding="utf-8", name="values.csv"):
    path = tmp_path / name
    path.write_bytes((HEADER + body).encode(encoding))
    return path


def xlsx_bytes(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def value_of(code, unit_code, period):
    return DataValue.objects.get(
        indicator__code=code, org_unit__code=unit_code, period=period
    ).value


def table_counts():
    return (DataValue.objects.count(), ApprovedValue.objects.count(), AuditEntry.objects.count())


# --- encodings and formats ------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_imports_in_every_encoding_excel_saves(tianjin_plan, tmp_path, encoding):
    path = csv_file(tmp_path, f"{COUNT},和平区,2019Q3,12,试点\n", encoding=encoding)
    run_import(path)
    dv = DataValue.objects.get(indicator__code=COUNT, org_unit__code="120101")
    assert dv.value == 12 and dv.note == "试点" and dv.status == ValueStatus.APPROVED
    assert ApprovedValue.objects.filter(data_value=dv).count() == 1


def test_xlsx_imports(tianjin_plan, tmp_path):
    path = tmp_path / "values.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [
                ["指标代码", "单位", "期间", "数值"],
                [COUNT, "120101", "2019Q3", 7],
                [SHARE, "滨海新区", "2019Q3", 12.34],
            ]
        )
    )
    run_import(path)
    assert value_of(COUNT, "120101", "2019Q3") == 7
    assert value_of(SHARE, "120116", "2019Q3") == Decimal("12.34")


@pytest.mark.parametrize(
    "typed, indicator, expected",
    [
        ('"1,000"', COUNT, Decimal(1000)),
        ("１２３", COUNT, Decimal(123)),
        ("12.5%", "TJ-SEC-TRAFFIC-BUSMON", Decimal("12.5")),
        ("二百", COUNT, Decimal(200)),
        ("1.2万", COUNT, Decimal(12000)),
    ],
)
def test_numbers_as_people_type_them(tianjin_plan, tmp_path, typed, indicator, expected):
    unit = "交通运输委员会" if indicator == "TJ-SEC-TRAFFIC-BUSMON" else "和平区"
    run_import(csv_file(tmp_path, f"{indicator},{unit},2019Q3,{typed},\n"))
    assert DataValue.objects.get(indicator__code=indicator, period="2019Q3").value == expected


def test_command_reports_counts(tianjin_plan, tmp_path):
    with translation.override("en"):
        output = run_import(csv_file(tmp_path, f"{COUNT},和平区,2019Q3,12,\n"))
    assert "1 new" in output


# --- bad input: every problem named by row and column, nothing written ---------------------

BAD_ROWS = {
    "quarter 5": (f"{COUNT},和平区,2019Q5,10,", "期间", "2019Q5"),
    "negative count": (f"{COUNT},和平区,2019Q3,-3,", "数值", "-3"),
    "unknown org unit": (f"{COUNT},火星区,2019Q3,10,", "单位", "火星区"),
    "not a number": (f"{COUNT},和平区,2019Q3,很多,", "数值", "很多"),
    "unknown indicator": ("TJ-NOPE,和平区,2019Q3,10,", "指标代码", "TJ-NOPE"),
    "wrong frequency": (f"{COUNT},和平区,2019,10,", "期间", "2019"),
    "percent for a count": (f"{COUNT},和平区,2019Q3,12%,", "数值", "12%"),
    "computed indicator": ("TJ-GOAL-PILOT,和平区,2019Q3,10,", "指标代码", "TJ-GOAL-PILOT"),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_one_bad_row_among_good_ones_imports_nothing(tianjin_plan, tmp_path, case):
    bad, column, shown = BAD_ROWS[case]
    body = (
        f"{COUNT},河西区,2019Q3,5,\n"  # row 2: good
        f"{bad}\n"  # row 3: bad
        f"{SHARE},南开区,2019Q3,45.5,\n"  # row 4: good
    )
    before = table_counts()
    with pytest.raises(CommandError) as error:
        run_import(csv_file(tmp_path, body))
    message = str(error.value)
    assert "values.csv" in message
    assert "3" in message and column in message and shown in message
    with translation.override("en"), pytest.raises(CommandError) as error:
        run_import(csv_file(tmp_path, body))
    assert f"row 3, column {column}" in str(error.value)
    assert table_counts() == before


def test_duplicate_row_names_both_rows(tianjin_plan, tmp_path):
    body = f"{COUNT},和平区,2019Q3,5,\n{COUNT},120101,2019Q3,6,\n"
    with translation.override("en"), pytest.raises(CommandError) as error:
        run_import(csv_file(tmp_path, body))
    message = str(error.value)
    assert "row 3, column 期间" in message and "row 2" in message
    assert DataValue.objects.count() == 0


def test_every_bad_row_is_listed_not_only_the_first(tianjin_plan, tmp_path):
    body = f"{COUNT},火星区,2019Q3,5,\n{COUNT},和平区,2019Q5,6,\n"
    with translation.override("en"), pytest.raises(CommandError) as error:
        run_import(csv_file(tmp_path, body))
    assert "row 2" in str(error.value) and "row 3" in str(error.value)


def test_missing_column_is_named(tianjin_plan, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text(f"指标代码,单位,数值\n{COUNT},和平区,5\n", "utf-8")
    with translation.override("en"), pytest.raises(CommandError) as error:
        run_import(path)
    assert "column 期间" in str(error.value) and "missing" in str(error.value)


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("empty.csv", b"", "empty"),
        ("blank.csv", b"  \n\n", "empty"),
        ("header.csv", HEADER.encode(), "no rows"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".xls"),
        ("junk.csv", bytes(range(256)) * 4, "not a CSV"),
        ("broken.xlsx", b"PK\x03\x04this is no workbook", "workbook"),
    ],
)
def test_files_that_are_not_value_tables_say_why(tianjin_plan, tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    with translation.override("en"), pytest.raises(CommandError) as error:
        run_import(path)
    assert name in str(error.value) and words in str(error.value)
    assert DataValue.objects.count() == 0


def test_approved_value_is_locked_against_a_submission(tianjin_plan, tmp_path):
    run_import(csv_file(tmp_path, f"{COUNT},和平区,2019Q3,5,\n"))
    before = table_counts()
    path = csv_file(tmp_path, f"{COUNT},和平区,2019Q3,9,\n")
    with translation.override("en"), pytest.raises(CommandError) as error:
        run_import(path, "--status", "submitted")
    assert "row 2" in str(error.value) and "locked" in str(error.value)
    assert table_counts() == before
    assert value_of(COUNT, "120101", "2019Q3") == 5


def test_approved_reimport_is_a_correction_that_keeps_history(tianjin_plan, tmp_path):
    run_import(csv_file(tmp_path, f"{COUNT},和平区,2019Q3,5,\n"))
    run_import(csv_file(tmp_path, f"{COUNT},和平区,2019Q3,9,\n"))
    assert value_of(COUNT, "120101", "2019Q3") == 9
    values = ApprovedValue.objects.order_by("approved_at", "id").values_list("value", flat=True)
    assert list(values) == [5, 9]


def test_each_imported_value_has_its_audit_entry_naming_its_unit_and_change(tianjin_plan, tmp_path):
    run_import(csv_file(tmp_path, f"{COUNT},和平区,2019Q3,5,\n{COUNT},滨海新区,2019Q3,7,\n"))
    run_import(csv_file(tmp_path, f"{COUNT},和平区,2019Q3,9,\n{COUNT},滨海新区,2019Q3,7,\n"))
    entries = AuditEntry.objects.filter(action="datavalues.value.imported").order_by("id")
    seen = [
        (e.org_unit.code, e.object_id, [v and Decimal(v) for v in e.changes["value"]])
        for e in entries
    ]
    heping = DataValue.objects.get(org_unit__code="120101")
    binhai = DataValue.objects.get(org_unit__code="120116")
    assert seen == [
        ("120101", str(heping.pk), [None, 5]),
        ("120116", str(binhai.pk), [None, 7]),
        ("120101", str(heping.pk), [5, 9]),
    ]
    assert heping.version == 2 and binhai.version == 1
    assert [a.data_value_id for a in ApprovedValue.objects.order_by("id")] == [
        heping.pk, binhai.pk, heping.pk
    ]  # fmt: skip


def test_identical_reimport_changes_nothing(tianjin_plan, tmp_path):
    path = csv_file(tmp_path, f"{COUNT},和平区,2019Q3,5,\n")
    run_import(path)
    before = table_counts()
    with translation.override("en"):
        output = run_import(path)
    assert "1 unchanged" in output
    assert table_counts() == before


# --- the template --------------------------------------------------------------------------


def test_xlsx_template_filled_in_round_trips(tianjin_plan, tmp_path):
    path = tmp_path / "template.xlsx"
    call_command("template", "values", "-o", str(path), stdout=io.StringIO())
    wb = load_workbook(path)
    sheet = wb["数据"]
    header = [c.value for c in sheet[1]]
    codes = [row[0].value for row in sheet.iter_rows(min_row=2) if row[0].value]
    # every indicator reported by hand; the computed ones are the registers' to fill
    manual = tianjin_plan.indicators.filter(source="manual")
    assert set(codes) == set(manual.values_list("code", flat=True))
    assert "TJ-GOAL-PILOT" not in codes
    # Fill in two rows, leave the others as they came.
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in (COUNT, LEADERS):
            row[header.index("单位")].value = "和平区"
            row[header.index("期间")].value = "2019Q3"
            row[header.index("数值")].value = 42
    wb.save(path)
    run_import(path)
    assert value_of(COUNT, "120101", "2019Q3") == 42
    assert value_of(LEADERS, "120101", "2019Q3") == 42
    assert DataValue.objects.count() == 2


def test_xlsx_template_has_drop_down_lists(tianjin_plan, tmp_path):
    path = tmp_path / "template.xlsx"
    call_command("template", "values", "-o", str(path), stdout=io.StringIO())
    wb = load_workbook(path)
    validations = wb["数据"].data_validations.dataValidation
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in validations if v.type == "list"}
    assert "A2" in lists and "D2" in lists  # indicator codes and org units
    hidden = wb["列表"]
    listed_codes = {c.value for c in hidden["A"] if c.value}
    listed_units = {c.value for c in hidden["B"] if c.value}
    assert COUNT in listed_codes
    assert "和平区" in listed_units and "滨海新区" in listed_units


def test_csv_template_filled_in_round_trips(tianjin_plan, tmp_path):
    path = tmp_path / "template.csv"
    call_command("template", "values", "-o", str(path), stdout=io.StringIO())
    lines = path.read_bytes().decode("utf-8-sig").splitlines()
    filled = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        if cells[0] == COUNT:
            cells[3:6] = ["南开区", "2020Q1", "15"]
        filled.append(",".join(cells))
    path.write_text("\n".join(filled) + "\n", "utf-8-sig")
    run_import(path)
    assert value_of(COUNT, "120104", "2020Q1") == 15
    assert DataValue.objects.count() == 1


def test_template_command_refuses_unknown_suffix(tianjin_plan, tmp_path):
    with pytest.raises(CommandError):
        call_command("template", "values", "-o", str(tmp_path / "t.txt"))


# --- the web page ---------------------------------------------------------------------------


def upload(client, plan, name, data, status=ValueStatus.SUBMITTED):
    return client.post(
        reverse("datavalues:import"),
        {"plan": plan.pk, "status": status, "file": SimpleUploadedFile(name, data)},
    )


@pytest.fixture
def round_2019q3(tianjin_plan, office):
    """An open round for 2019Q3: 和平区 is asked for its own COUNT and LEADERS figures."""
    import datetime as dt

    from ducha.reporting.services import open_round

    return open_round(office, tianjin_plan, "2019Q3", opened_on=dt.date(2019, 10, 8))


def test_reporter_import_as_submitted_fills_the_round_assignment_and_reaches_review(
    client, tianjin_plan, reporter_heping, head_heping, round_2019q3
):
    client.force_login(reporter_heping)
    data = (HEADER + f"{COUNT},和平区,2019Q3,8,新增8家\n").encode("gbk")
    response = upload(client, tianjin_plan, "和平.csv", data)
    assert response.status_code == 302
    a = round_2019q3.assignments.get(org_unit__code="120101", indicator__code=COUNT)
    assert a.status == "submitted" and a.value == 8 and a.narrative == "新增8家"
    assert a.transitions.get().actor == reporter_heping
    # It is in the unit head's review queue, like a report typed on the assignment page.
    client.force_login(head_heping)
    queue = client.get(reverse("reporting:review")).context["page"].object_list
    assert [x.pk for x in queue] == [a.pk]
    # Nothing bypassed the workflow: no value exists until the office approves.
    assert DataValue.objects.count() == 0 and not ApprovedValue.objects.exists()


def test_reporter_import_as_draft_fills_the_assignment_without_submitting(
    client, tianjin_plan, reporter_heping, round_2019q3
):
    client.force_login(reporter_heping)
    data = (HEADER + f"{COUNT},和平区,2019Q3,8,\n").encode()
    response = upload(client, tianjin_plan, "v.csv", data, status=ValueStatus.DRAFT)
    assert response.status_code == 302
    a = round_2019q3.assignments.get(org_unit__code="120101", indicator__code=COUNT)
    assert a.status == "draft" and a.value == 8


def test_reporter_import_without_a_note_keeps_what_the_unit_wrote(
    client, tianjin_plan, reporter_heping, round_2019q3
):
    from ducha.reporting import services as reporting

    a = round_2019q3.assignments.get(org_unit__code="120101", indicator__code=COUNT)
    reporting.save_assignment(None, a, expected_version=None, value="8", narrative="已写的说明")
    client.force_login(reporter_heping)
    data = (HEADER + f"{COUNT},和平区,2019Q3,9,\n").encode()
    response = upload(client, tianjin_plan, "v.csv", data, status=ValueStatus.DRAFT)
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.value == 9 and a.narrative == "已写的说明"


def test_reporter_import_without_an_open_assignment_is_refused_naming_the_row(
    client, tianjin_plan, reporter_heping, round_2019q3
):
    client.force_login(reporter_heping)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # 2019Q3 is asked for; 2019Q4 has no open round.
    data = (HEADER + f"{COUNT},和平区,2019Q3,8,\n{COUNT},和平区,2019Q4,9,\n").encode()
    response = upload(client, tianjin_plan, "v.csv", data)
    assert response.status_code == 200
    problems = response.context["problems"]
    assert len(problems) == 1
    assert "row 3" in problems[0] and "no open reporting round" in problems[0]
    assert "2019Q4" in problems[0]
    a = round_2019q3.assignments.get(org_unit__code="120101", indicator__code=COUNT)
    assert a.status == "draft" and a.value is None  # all or nothing
    assert DataValue.objects.count() == 0


def test_reporter_import_needing_an_explanation_imports_nothing(
    client, tianjin_plan, reporter_heping, round_2019q3, tmp_path
):
    # 和平区's last approved figure was 10: 100 moves far more than the round's 30%.
    run_import(csv_file(tmp_path, f"{COUNT},和平区,2019Q2,10,\n"), "--status", "approved")
    client.force_login(reporter_heping)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = (HEADER + f"{LEADERS},和平区,2019Q3,3,\n{COUNT},和平区,2019Q3,100,\n").encode()
    response = upload(client, tianjin_plan, "v.csv", data)
    assert response.status_code == 200
    [problem] = response.context["problems"]
    assert "row 3" in problem and "explain" in problem and "原因说明" in problem
    statuses = set(
        round_2019q3.assignments.filter(org_unit__code="120101").values_list("status", flat=True)
    )
    assert statuses == {"draft"}
    assert not round_2019q3.assignments.filter(value__isnull=False).exists()
    # With the explanation in the file, both rows are submitted.
    data = (
        "指标代码,单位,期间,数值,说明,原因说明\n"
        f"{LEADERS},和平区,2019Q3,3,,\n{COUNT},和平区,2019Q3,100,,新引进龙头企业\n"
    ).encode()
    assert upload(client, tianjin_plan, "v.csv", data).status_code == 302
    a = round_2019q3.assignments.get(org_unit__code="120101", indicator__code=COUNT)
    assert a.status == "submitted" and a.explanation == "新引进龙头企业"


def test_page_lists_per_row_problems_and_imports_nothing(client, tianjin_plan, reporter_heping):
    client.force_login(reporter_heping)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = xlsx_bytes(
        [
            ["指标代码", "单位", "期间", "数值"],
            [COUNT, "和平区", "2019Q3", 3],
            [COUNT, "和平区", "2019Q5", 4],
            [COUNT, "火星区", "2019Q2", "abc"],
        ]
    )
    response = upload(client, tianjin_plan, "v.xlsx", data)
    assert response.status_code == 200
    problems = response.context["problems"]
    assert any("row 3, column 期间" in p for p in problems)
    assert any("row 4, column 单位" in p for p in problems)
    assert any("row 4, column 数值" in p for p in problems)
    assert "nothing was imported" in response.content.decode()
    assert DataValue.objects.count() == 0


def test_reporter_cannot_import_for_another_district(
    client, tianjin_plan, reporter_heping, round_2019q3
):
    # The open round asks 滨海新区 for this figure: the refusal is the unit's, not the round's.
    client.force_login(reporter_heping)
    data = (HEADER + f"{COUNT},滨海新区,2019Q3,8,\n").encode()
    response = upload(client, tianjin_plan, "v.csv", data)
    assert response.status_code == 200
    # refused while the rows are checked, before any reference is resolved (docs/security.md)
    [problem] = response.context["problems"]
    assert problem.startswith("第 2 行“单位”列") and problem.endswith("您只能填报和平区的数据")
    binhai = round_2019q3.assignments.get(org_unit__code="120116", indicator__code=COUNT)
    assert binhai.value is None and binhai.status == "draft"
    assert DataValue.objects.count() == 0


def test_reporter_cannot_choose_approved(client, tianjin_plan, reporter_heping):
    client.force_login(reporter_heping)
    data = (HEADER + f"{COUNT},和平区,2019Q3,8,\n").encode()
    response = upload(client, tianjin_plan, "v.csv", data, status=ValueStatus.APPROVED)
    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    assert DataValue.objects.count() == 0


def test_leader_may_not_import(client, tianjin_plan, leader):
    client.force_login(leader)
    assert client.get(reverse("datavalues:import")).status_code == 403


def test_page_template_download_round_trips(client, tianjin_plan, office):
    client.force_login(office)
    response = client.get(reverse("datavalues:template"), {"plan": tianjin_plan.code})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    wb = load_workbook(io.BytesIO(response.content))
    sheet = wb["数据"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == LEADERS:
            row[3].value, row[4].value, row[5].value = "河北区", "2019Q4", "三十"
    out = io.BytesIO()
    wb.save(out)
    response = upload(client, tianjin_plan, "filled.xlsx", out.getvalue(), ValueStatus.APPROVED)
    assert response.status_code == 302
    assert value_of(LEADERS, "120105", "2019Q4") == 30
    assert ApprovedValue.objects.count() == 1


def test_reporter_template_lists_only_own_unit(client, tianjin_plan, reporter_heping):
    client.force_login(reporter_heping)
    response = client.get(reverse("datavalues:template"), {"format": "csv"})
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert all(line.split(",")[3] == "和平区" for line in lines[1:])


def test_page_problems_are_chinese_by_default(client, tianjin_plan, reporter_heping):
    client.force_login(reporter_heping)
    data = (HEADER + f"{COUNT},和平区,2019Q5,8,\n").encode()
    response = upload(client, tianjin_plan, "v.csv", data)
    assert any("第 2 行" in p and "期间" in p for p in response.context["problems"])
    assert "未导入任何数据" in response.content.decode()


def test_a_file_that_is_not_a_workbook_is_explained_in_chinese(client, tianjin_plan, office):
    client.force_login(office)
    response = upload(client, tianjin_plan, "values.xlsx", b"PK\x03\x04 this is not a workbook")
    assert response.status_code == 200
    [problem] = response.context["problems"]
    assert "不是可读取的 Excel 工作簿" in problem and ".xlsx 或 CSV" in problem
    assert "BadZipFile" not in problem


def test_a_units_import_is_refused_for_another_units_row_before_anything_else(
    tianjin_plan, reporter_heping, round_2019q3
):
    """The round asks 滨海新区 for this figure, so only the unit check can refuse the row."""
    from django.core.exceptions import PermissionDenied

    from ducha.core.tables import read_table
    from ducha.datavalues.importer import check_rows
    from ducha.datavalues.services import import_values

    data = (HEADER + f"{COUNT},滨海新区,2019Q3,8,\n").encode()
    rows = check_rows(tianjin_plan, read_table("v.csv", data))
    with translation.override("en"), pytest.raises(PermissionDenied) as refused:
        import_values(reporter_heping, rows)
    assert str(refused.value) == "row 2: you may only report for 和平区"
    binhai = round_2019q3.assignments.get(org_unit__code="120116", indicator__code=COUNT)
    assert binhai.value is None and binhai.status == "draft"
