"""The office's checks: park designations, duplicates, districts, sums."""

import pytest
from django.core.management import call_command

from ducha.registers.checks import run_checks
from ducha.registers.tests.conftest import code, csv_bytes, run_import

pytestmark = pytest.mark.django_db


def test_each_check_finds_what_it_is_for(registers):
    org = "MA05JJ8K1"
    run_import(
        "enterprises",
        csv_bytes(f"""
企业名称,统一社会信用代码,所在区,所在园区,主导产业
天津甲软件有限公司,{code("120106", "MA05JJ8K2")},,子牙开发区,智能软件
天津乙机器人有限公司,{code("120118", "MA05JJ8K3")},,子牙开发区,智能机器人
天津市海河智能科技有限公司,{code("120101", org)},和平区,,智能软件
海河智能科技（天津）有限公司,{code("120103", org)},河西区,,智能软件
"""),
    )
    report = run_checks()
    assert [e.name for e, _park, _i in report.park_mismatches] == ["天津甲软件有限公司"]
    assert [len(members) for _org, members in report.same_organisation] == [2]
    assert {(a.name, b.name) for a, b, _s in report.similar_names} == {
        ("天津市海河智能科技有限公司", "海河智能科技（天津）有限公司")
    } or {(b.name, a.name) for a, b, _s in report.similar_names} == {
        ("天津市海河智能科技有限公司", "海河智能科技（天津）有限公司")
    }
    # registered in 红桥区 (120106), recorded in 静海区 through its park
    assert [e.name for e, _d in report.district_vs_code] == ["天津甲软件有限公司"]


def test_district_sums_are_compared_with_the_city_total(registers):
    from ducha.datavalues.importer import check_rows
    from ducha.datavalues.services import import_values

    rows = check_rows(
        registers,
        [
            ["指标代码", "单位", "期间", "数值"],
            ["TJ-SEC-AGRI-PARKS", "120000", "2019Q4", 10],
            ["TJ-SEC-AGRI-PARKS", "120101", "2019Q4", 4],
            ["TJ-SEC-AGRI-PARKS", "120102", "2019Q4", 5],
            ["TJ-SEC-LOG-ENTERPRISES", "120000", "2019Q4", 3],
            ["TJ-SEC-LOG-ENTERPRISES", "120101", "2019Q4", 3],
        ],
    )
    import_values(None, rows, status="approved")
    sums = run_checks().sums
    assert [(ind.code, period, str(city), str(total)) for ind, period, city, total, _n in sums] == [
        ("TJ-SEC-AGRI-PARKS", "2019Q4", "10.000000", "9.000000")
    ]


def test_the_command_says_what_it_found_and_fails(registers, capsys):
    run_import(
        "enterprises",
        csv_bytes(f"""
企业名称,统一社会信用代码,所在区,所在园区,主导产业
天津甲软件有限公司,{code("120118", "MA05JJ8K2")},,子牙开发区,智能软件
"""),
    )
    with pytest.raises(SystemExit):
        call_command("registerchecks")
    assert "天津甲软件有限公司" in capsys.readouterr().out
