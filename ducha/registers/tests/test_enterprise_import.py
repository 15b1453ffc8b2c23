"""Importing enterprises: what is normalised, what is refused (naming row and column), and
that a file with any problem writes nothing."""

import datetime as dt
from decimal import Decimal

import pytest

from ducha.enterprises.models import Enterprise, EnterpriseTier, EnterpriseYear
from ducha.registers.tests.conftest import code, csv_bytes, problems_of, run_import, xlsx_bytes

pytestmark = pytest.mark.django_db

ROBOT = code("120116", "MA05JJ8K7")
SOFT = code("120104", "MA05JJ8K8")
HEADER = "企业名称,统一社会信用代码,所在区,所在园区,主导产业,落户日期,2019年营业收入(万元)"


def test_a_good_file_creates_enterprises_with_their_figures(registers):
    data = csv_bytes(f"""
{HEADER}
天津甲机器人有限公司,{ROBOT},,天津开发区,智能机器人,2019.3,125000
天津乙软件有限公司,{SOFT},南开区,,智能软件,2018年6月,30000
""")
    report = run_import("enterprises", data)
    assert (report.created, report.updated) == (2, 0)
    robot = Enterprise.objects.get(credit_code=ROBOT)
    assert robot.district.code == "120116"  # from the park
    assert robot.park.code == "teda"
    assert robot.settled_on == dt.date(2019, 3, 1)
    assert EnterpriseYear.objects.get(enterprise=robot, year=2019).revenue == Decimal("125000")


def test_revenue_in_yi_yuan_is_converted_to_wan_yuan(registers):
    data = csv_bytes(f"""
企业名称,统一社会信用代码,所在区,主导产业,2019年营业收入（亿元）
天津甲机器人有限公司,{ROBOT},滨海新区,智能机器人,12.5
""")
    run_import("enterprises", data)
    assert EnterpriseYear.objects.get(year=2019).revenue == Decimal("125000")


def test_a_money_column_without_a_unit_is_refused(registers):
    data = csv_bytes(f"""
企业名称,统一社会信用代码,所在区,主导产业,2019年营业收入
天津甲机器人有限公司,{ROBOT},滨海新区,智能机器人,12.5
""")
    problems = problems_of("enterprises", data)
    assert problems == [
        "row 1, column 2019年营业收入: say the unit in the header, e.g. 营业收入(万元)"
    ]
    assert not Enterprise.objects.exists()


def test_lower_case_and_full_width_credit_codes_are_normalised(registers):
    full_width = SOFT.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    data = csv_bytes(f"""
企业名称,统一社会信用代码,所在区,主导产业
天津甲机器人有限公司,{ROBOT.lower()},滨海新区,智能机器人
天津乙软件有限公司,{full_width},南开区,智能软件
""")
    run_import("enterprises", data)
    assert set(Enterprise.objects.values_list("credit_code", flat=True)) == {ROBOT, SOFT}


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (ROBOT[:-1] + ("1" if ROBOT[-1] != "1" else "2"), "fails the check"),
        (ROBOT[:-1], "has 17 characters; a credit code has 18"),
        (ROBOT[:5] + "O" + ROBOT[6:], "contains O"),
    ],
)
def test_bad_credit_codes_are_refused_with_row_and_column(registers, bad, message):
    data = csv_bytes(f"""
企业名称,统一社会信用代码,所在区,主导产业
天津乙软件有限公司,{SOFT},南开区,智能软件
天津甲机器人有限公司,{bad},滨海新区,智能机器人
""")
    problems = problems_of("enterprises", data)
    assert len(problems) == 1
    assert problems[0].startswith("row 3, column 统一社会信用代码:")
    assert message in problems[0]
    assert not Enterprise.objects.exists()  # all or nothing


def test_dates_as_excel_serials_and_month_text_are_read(registers):
    data = xlsx_bytes(
        {
            "企业": [
                ["企业名称", "统一社会信用代码", "所在区", "主导产业", "落户日期", "迁出日期"],
                ["天津甲机器人有限公司", ROBOT, "滨海新区", "智能机器人", 43539, "2020年3月"],
                ["天津乙软件有限公司", SOFT, "南开区", "智能软件", "2019.3", None],
            ]
        }
    )
    run_import("enterprises", data, "file.xlsx")
    robot = Enterprise.objects.get(credit_code=ROBOT)
    assert robot.settled_on == dt.date(2019, 3, 15)
    assert robot.exited_on == dt.date(2020, 3, 31)  # an end date written to the month: its last day
    assert Enterprise.objects.get(credit_code=SOFT).settled_on == dt.date(2019, 3, 1)


def test_a_park_or_district_that_does_not_exist_is_refused(registers):
    data = csv_bytes(f"""
企业名称,统一社会信用代码,所在区,所在园区,主导产业
天津甲机器人有限公司,{ROBOT},,月球工业园,智能机器人
天津乙软件有限公司,{SOFT},塘沽区,,智能软件
""")
    problems = problems_of("enterprises", data)
    assert (
        "row 2, column 所在园区: no park is called 月球工业园 (see the list of parks)" in problems
    )
    assert "row 3, column 所在区: no district is called 塘沽区" in problems


def test_a_zone_names_its_district_and_a_park_in_another_district_is_refused(registers):
    data = csv_bytes(f"""
企业名称,统一社会信用代码,所在区,所在园区,主导产业
天津甲机器人有限公司,{ROBOT},滨海高新区,,智能机器人
天津乙软件有限公司,{SOFT},南开区,天津开发区,智能软件
""")
    problems = problems_of("enterprises", data)
    assert problems == ["row 3, column 所在园区: 天津经济技术开发区 is in 滨海新区, not in 南开区"]
    data = csv_bytes(f"""
企业名称,统一社会信用代码,所在区,主导产业
天津甲机器人有限公司,{ROBOT},滨海高新区,智能机器人
""")
    run_import("enterprises", data)
    assert Enterprise.objects.get().district.code == "120116"


def test_the_district_comes_from_the_address_or_else_the_credit_code(registers):
    city_code = code("120000", "MA05JJ8K9")
    data = csv_bytes(f"""
企业名称,统一社会信用代码,地址,主导产业
天津甲机器人有限公司,{ROBOT},,智能机器人
天津乙软件有限公司,{city_code},天津市河西区友谊路1号,智能软件
""")
    run_import("enterprises", data)
    assert Enterprise.objects.get(credit_code=ROBOT).district.code == "120116"
    assert Enterprise.objects.get(credit_code=city_code).district.code == "120103"


def test_without_any_clue_to_the_district_the_row_is_refused(registers):
    city_code = code("120000", "MA05JJ8K9")
    data = csv_bytes(f"""
企业名称,统一社会信用代码,主导产业
天津乙软件有限公司,{city_code},智能软件
""")
    [problem] = problems_of("enterprises", data)
    assert problem.startswith("row 2, column 所在区: is empty, and neither a park")


def test_an_update_matched_by_credit_code_keeps_what_empty_cells_do_not_say(registers):
    run_import(
        "enterprises",
        csv_bytes(f"""
{HEADER}
天津甲机器人有限公司,{ROBOT},滨海新区,,智能机器人,2019.3,125000
"""),
    )
    report = run_import(
        "enterprises",
        csv_bytes(f"""
企业名称,统一社会信用代码,2020年营业收入(亿元)
天津甲机器人股份有限公司,{ROBOT},15
"""),
    )
    assert (report.created, report.updated) == (0, 1)
    robot = Enterprise.objects.get()
    assert robot.name == "天津甲机器人股份有限公司"
    assert robot.main_industry == "robot"
    assert robot.settled_on == dt.date(2019, 3, 1)
    assert {y.year: y.revenue for y in robot.years.all()} == {
        2019: Decimal("125000"),
        2020: Decimal("150000"),
    }


def test_the_same_credit_code_twice_in_a_file_is_refused(registers):
    data = csv_bytes(f"""
企业名称,统一社会信用代码,所在区,主导产业
天津甲机器人有限公司,{ROBOT},滨海新区,智能机器人
天津甲机器人有限公司二,{ROBOT.lower()},滨海新区,智能机器人
""")
    assert problems_of("enterprises", data) == [
        "row 3, column 统一社会信用代码: the same record is also on row 2"
    ]


def test_gbk_csv_and_unknown_columns(registers):
    data = csv_bytes(
        f"""
企业名称,统一社会信用代码,所在区,主导产业,营业收人(万元)
天津甲机器人有限公司,{ROBOT},滨海新区,智能机器人,1
""",
        "gbk",
    )
    [problem] = problems_of("enterprises", data)
    assert problem.startswith("row 1, column 营业收人(万元): unknown column")


def test_a_workbook_with_tiers_and_rankings_imports_them_all(registers):
    data = xlsx_bytes(
        {
            "企业": [
                ["企业名称", "统一社会信用代码", "所在区", "主导产业"],
                ["天津甲机器人有限公司", ROBOT, "滨海新区", "智能机器人"],
            ],
            "称号": [
                ["统一社会信用代码", "称号", "起始日期", "终止日期"],
                [ROBOT, "领军企业", "2019.3", None],
                [ROBOT, "瞪羚", 43101, "2019年12月"],
            ],
            "榜单": [["统一社会信用代码", "榜单", "年份", "排名"], [ROBOT, "中国500强", 2020, 321]],
        }
    )
    run_import("enterprises", data, "file.xlsx")
    tiers = {t.tier: (t.since, t.until) for t in EnterpriseTier.objects.all()}
    assert tiers == {
        "leader": (dt.date(2019, 3, 1), None),
        "gazelle": (dt.date(2018, 1, 1), dt.date(2019, 12, 31)),
    }
    assert Enterprise.objects.get().rankings.get().rank == 321


def test_a_tier_for_an_unknown_enterprise_is_refused(registers):
    data = xlsx_bytes(
        {"称号": [["统一社会信用代码", "称号", "起始日期"], [ROBOT, "领军企业", "2019.3"]]}
    )
    [problem] = problems_of("enterprises", data, "file.xlsx")
    assert problem == (
        "sheet 称号, row 2, column 统一社会信用代码: "
        "no enterprise with this credit code is registered"
    )


def test_a_dry_run_writes_nothing(registers):
    data = csv_bytes(f"""
{HEADER}
天津甲机器人有限公司,{ROBOT},滨海新区,,智能机器人,2019.3,125000
""")
    report = run_import("enterprises", data, dry_run=True)
    assert report.created == 1
    assert not Enterprise.objects.exists()


def test_a_reporter_may_not_import(registers, reporter_heping):
    from django.core.exceptions import PermissionDenied

    data = csv_bytes(f"{HEADER}\n天津甲机器人有限公司,{ROBOT},滨海新区,,智能机器人,2019.3,1")
    with pytest.raises(PermissionDenied):
        run_import("enterprises", data, actor=reporter_heping)
