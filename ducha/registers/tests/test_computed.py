"""Indicators computed from the registers: stored like reported values, recomputed after
imports, read by the assessment, and traced back to their records."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from ducha.assessments.services import assess_plan
from ducha.core.filespec import FileSpecError
from ducha.datavalues.models import ApprovedValue, DataValue
from ducha.registers import drilldown
from ducha.registers.services import recompute
from ducha.registers.tests.conftest import code, csv_bytes, run_import

pytestmark = pytest.mark.django_db

A = code("120116", "MA05JJ8K1")
B = code("120104", "MA05JJ8K2")
C = code("120116", "MA05JJ8K3")


@pytest.fixture
def firms(registers):
    run_import(
        "enterprises",
        csv_bytes(f"""
企业名称,统一社会信用代码,所在区,主导产业,2018年营业收入(亿元),2019年营业收入(亿元)
天津甲机器人有限公司,{A},滨海新区,智能机器人,10,12.5
天津乙软件有限公司,{B},南开区,智能软件,2,3
天津丙文创有限公司,{C},滨海新区,智能文化创意,50,60
"""),
    )
    recompute(None)  # the indicators of the other registers too
    return registers


def value(code_, period, unit="120000"):
    return DataValue.objects.get(indicator__code=code_, period=period, org_unit__code=unit).value


def test_industry_scales_and_the_total_come_from_revenue_in_the_indicators_unit(firms):
    assert value("TJ-IND-ROBOT", "2019") == Decimal("12.5")
    assert value("TJ-IND-ROBOT", "2019", "120116") == Decimal("12.5")
    assert value("TJ-IND-SOFTWARE", "2018", "120104") == Decimal("2")
    # the total counts the six new industries only: the culture company is a sector
    assert value("TJ-GOAL-SCALE", "2019") == Decimal("15.5")


def test_computed_values_are_approved_and_marked_computed(firms):
    v = DataValue.objects.get(
        indicator__code="TJ-GOAL-SCALE", period="2019", org_unit__code="120000"
    )
    assert (v.status, v.source) == ("approved", "computed")
    assert ApprovedValue.objects.filter(data_value=v).count() == 1


def test_a_year_without_any_revenue_is_missing_not_zero(firms):
    assert not DataValue.objects.filter(indicator__code="TJ-IND-ROBOT", period="2020").exists()


def test_the_assessment_reads_computed_values_like_reported_ones(firms):
    result = assess_plan(firms, dt.date(2030, 1, 1))
    robot = next(r for r in result.indicators if r.indicator.code == "TJ-IND-ROBOT")
    assert [(p.period, p.value) for p in robot.series] == [("2018", 10.0), ("2019", 12.5)]


def test_an_import_recomputes_and_appends_an_approval_only_when_a_value_changes(firms):
    before = ApprovedValue.objects.count()
    run_import(
        "enterprises",
        csv_bytes(f"""
统一社会信用代码,2019年营业收入(万元)
{A},150000
"""),
    )
    assert value("TJ-IND-ROBOT", "2019") == Decimal("15")
    # robot 2019 (city and 滨海新区) and the total 2019 (city and 滨海新区) changed
    assert ApprovedValue.objects.count() - before == 4
    assert recompute(None).changed == 0  # nothing changed since: nothing appended


def test_a_district_that_loses_its_last_record_drops_to_zero(firms):
    run_import("enterprises", csv_bytes(f"统一社会信用代码,所在区\n{B},和平区"))
    assert value("TJ-IND-SOFTWARE", "2019", "120104") == 0
    assert value("TJ-IND-SOFTWARE", "2019", "120101") == Decimal("3")


def test_leading_enterprises_are_those_holding_the_tier_at_period_end(firms):
    from ducha.enterprises.models import Enterprise
    from ducha.enterprises.services import end_tier, grant_tier

    a = Enterprise.objects.get(credit_code=A)
    tier = grant_tier(None, a, "leader", dt.date(2019, 2, 1))
    grant_tier(None, a, "dragon_head", dt.date(2019, 2, 1))  # both tiers: counted once
    end_tier(None, tier, dt.date(2019, 9, 30))  # still held on the last day of 2019Q3
    recompute(None, today=dt.date(2020, 6, 1))
    assert value("TJ-GOAL-LEADERS", "2018Q4") == 0
    assert value("TJ-GOAL-LEADERS", "2019Q1") == 1
    assert value("TJ-GOAL-LEADERS", "2019Q3") == 1
    assert value("TJ-GOAL-LEADERS", "2019Q4") == 1  # the 龙头 tier is still held


def test_the_drill_down_lists_the_records_and_their_total_matches(firms, office):
    ind = firms.indicators.get(code="TJ-GOAL-SCALE")
    behind = drilldown.records_behind(ind, "2019", "120000", office)
    names = [row["record"].name for row in behind.rows[0:10]]
    assert names == ["天津甲机器人有限公司", "天津乙软件有限公司"]
    assert behind.total == pytest.approx(15.5)
    assert behind.stored == Decimal("15.5")
    district = drilldown.records_behind(ind, "2019", "120104", office)
    assert [row["record"].name for row in district.rows[0:10]] == ["天津乙软件有限公司"]


def test_a_district_sees_only_its_own_records_behind_a_value(firms):
    from ducha.accounts.models import User

    nankai = User.objects.create_user("nankai", password="x" * 12, role="reporter")
    nankai.org_unit_id = (
        firms.indicators.model.objects.none()
        .model._meta.apps.get_model("orgunits", "OrgUnit")
        .objects.get(code="120104")
        .pk
    )
    nankai.save()
    ind = firms.indicators.get(code="TJ-GOAL-SCALE")
    with pytest.raises(drilldown.NotFound):  # not its value
        drilldown.records_behind(ind, "2019", "120000", nankai)
    own = drilldown.records_behind(ind, "2019", "120104", nankai)
    assert own.total == pytest.approx(3)


def test_as_of_an_earlier_date_the_assessment_sees_the_value_computed_then(firms):
    then = timezone.make_aware(dt.datetime(2020, 3, 1, 9, 0))
    ApprovedValue.objects.update(approved_at=then)  # as if computed on 2020-03-01
    run_import("enterprises", csv_bytes(f"统一社会信用代码,2019年营业收入(万元)\n{A},150000"))

    def robot_2019(as_of):
        result = assess_plan(firms, as_of)
        series = next(r for r in result.indicators if r.indicator.code == "TJ-IND-ROBOT").series
        return next(p.value for p in series if p.period == "2019")

    assert robot_2019(dt.date(2021, 1, 1)) == 12.5
    assert robot_2019(timezone.localdate()) == 15.0


def test_a_plan_file_with_a_bad_computation_is_refused_with_the_path(registers, tmp_path):
    from ducha.demo.services import PLAN_FILE as TIANJIN_PLAN
    from ducha.plans.services import load_plan_file

    text = TIANJIN_PLAN.read_text(encoding="utf-8").replace(
        "filters: {main_industry: robot}", "filters: {main_industry: robots}"
    )
    text = text.replace("source_file: plan.txt", f"source_file: {TIANJIN_PLAN.parent / 'plan.txt'}")
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileSpecError) as exc:
        load_plan_file(path)
    assert "(TJ-IND-ROBOT).computation.filters.main_industry: robots is not one of" in str(
        exc.value
    )


def test_a_reported_indicators_computation_is_checked_too(registers, tmp_path):
    """A manual indicator's computation proposes its figure to the units (reporting.prefill):
    a mistake in it is refused like a computed one's."""
    from ducha.demo.services import PLAN_FILE as TIANJIN_PLAN
    from ducha.plans.services import load_plan_file

    text = TIANJIN_PLAN.read_text(encoding="utf-8").replace(
        'filters: {type: [national_pilot, city_pilot], domain: "3.3"}',
        'filters: {type: [national_pilots], domain: "3.3"}',
    )
    text = text.replace("source_file: plan.txt", f"source_file: {TIANJIN_PLAN.parent / 'plan.txt'}")
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileSpecError) as exc:
        load_plan_file(path)
    assert "(TJ-SEC-LOG-ENTERPRISES).computation.filters.type[0]: national_pilots is not" in str(
        exc.value
    )


def test_the_value_importer_refuses_computed_indicators(firms):
    from ducha.datavalues.importer import ImportError_, check_rows

    with pytest.raises(ImportError_) as exc:
        check_rows(
            firms, [["指标代码", "单位", "期间", "数值"], ["TJ-IND-ROBOT", "120116", "2019", 1]]
        )
    assert "computed from registers" in str(exc.value)


def test_a_computation_is_explained_with_field_and_choice_labels_not_codes(firms):
    from django.utils import translation

    with translation.override("zh-hans"):
        scale = " ".join(drilldown.explain(firms.indicators.get(code="TJ-GOAL-SCALE")))
        leaders = " ".join(drilldown.explain(firms.indicators.get(code="TJ-GOAL-LEADERS")))
    for code_ in ("revenue", "main_industry", "robot", "software", "(year)"):
        assert code_ not in scale
    assert "营业收入" in scale and "主导产业 = 智能机器人、智能软件" in scale
    for code_ in ("enterprise的", "tier =", "leader", "dragon_head", "自since起"):
        assert code_ not in leaders
    assert "称号 = 领军企业、龙头企业" in leaders and "不同企业的个数" in leaders


def test_a_family_of_pieces_is_read_in_one_query_with_the_same_values(firms):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ducha.registers import computation
    from ducha.registers.services import computed_indicators

    indicators = computed_indicators(firms)
    alone = {i.code: computation.compute(i).values for i in indicators}
    cache: dict = {}
    with CaptureQueriesContext(connection) as sent:
        computation.prefetch(indicators, cache)
    revenue = [q for q in sent.captured_queries if "enterpriseyear" in q["sql"]]
    assert len(revenue) == 1  # the six industries (and the total's pieces): one scan
    with CaptureQueriesContext(connection) as later:
        shared = {i.code: computation.compute(i, cache=cache).values for i in indicators}
    assert not [q for q in later.captured_queries if "enterpriseyear" in q["sql"]]
    assert shared == alone
    assert alone["TJ-IND-SOFTWARE"]  # something was counted
