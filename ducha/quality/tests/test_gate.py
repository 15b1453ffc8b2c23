"""The quality gate at submission, the reviewers' view of it, the quality page and command."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from ducha.audit.models import AuditEntry
from ducha.core.tests.columns import read_rows
from ducha.datavalues import services as values
from ducha.datavalues.importer import check_rows, read_table
from ducha.datavalues.models import ValueStatus
from ducha.quality import gate, services
from ducha.quality.models import QualitySettings
from ducha.reporting import services as reporting
from ducha.reporting.services import ReportingError

pytestmark = pytest.mark.django_db

COUNT = "TJ-IND-SUPPLIER50"  # 个, adds up over the districts, led by 工业和信息化局
PARKS = "TJ-SEC-AGRI-PARKS"  # 个 as well, led by 农业农村委员会
HISTORY = ["2018Q1", "2018Q2", "2018Q3", "2018Q4", "2019Q1", "2019Q2"]


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def approve(plan, office, lines: list[str]):
    text = "指标代码,单位,期间,数值\n" + "\n".join(lines) + "\n"
    rows = check_rows(plan, read_table("v.csv", text.encode()))
    values.import_values(office, rows, status=ValueStatus.APPROVED)


@pytest.fixture
def history(tianjin_plan, office):
    """和平区 reported 3..8 suppliers over six quarters."""
    approve(
        tianjin_plan,
        office,
        [f"{COUNT},和平区,{p},{v}" for p, v in zip(HISTORY, [3, 4, 5, 5, 6, 8], strict=True)],
    )


@pytest.fixture
def rnd(tianjin_plan, office):
    return reporting.open_round(office, tianjin_plan, "2019Q3", opened_on=dt.date(2019, 10, 8))


def heping(rnd, code=COUNT):
    return rnd.assignments.get(org_unit__code="120101", indicator__code=code)


def test_a_figure_far_from_the_units_history_needs_an_explanation(history, rnd, reporter_heping):
    a = reporting.save_assignment(reporter_heping, heping(rnd), expected_version=None, value="60")
    with pytest.raises(ReportingError) as caught:
        reporting.submit(reporter_heping, a, expected_version=None)
    assert "earlier figures" in caught.value.message and "3.5" in caught.value.message
    a = reporting.save_assignment(
        reporter_heping, a, expected_version=None, explanation="并入新区后统计口径扩大"
    )
    a = reporting.submit(reporter_heping, a, expected_version=None)
    assert [f["kind"] for f in a.quality_flags] == [gate.HISTORY]


def test_a_figure_in_line_with_its_history_goes_through(history, rnd, reporter_heping):
    a = reporting.save_assignment(reporter_heping, heping(rnd), expected_version=None, value="9")
    a = reporting.submit(reporter_heping, a, expected_version=None)
    assert a.quality_flags == []


def test_reviewers_see_the_flag_and_the_explanation(
    client, history, rnd, reporter_heping, head_heping, office
):
    a = reporting.save_assignment(
        reporter_heping, heping(rnd), expected_version=None, value="60", explanation="新口径"
    )
    reporting.submit(reporter_heping, a, expected_version=None)
    for user in (head_heping,):
        client.force_login(user)
        page = client.get(reverse("reporting:review")).content.decode()
        assert "Outlier against its own history" in page and "新口径" in page
        page = client.get(reverse("reporting:assignment", args=[a.pk])).content.decode()
        assert "Flagged by the quality check at submission" in page
    a.refresh_from_db()
    reporting.unit_approve(head_heping, a, expected_version=None)
    client.force_login(office)
    page = client.get(reverse("reporting:review")).content.decode()
    assert "Outlier against its own history" in page
    detail = client.get(f"/api/reporting/assignments/{a.pk}").json()
    assert detail["quality_flags"] and "earlier figures" in detail["quality_flags"][0]


def test_a_district_whose_change_is_far_from_the_other_districts_is_flagged(
    tianjin_plan, office, rnd, tianjin_units
):
    districts = ["和平区", "河东区", "河西区", "南开区", "河北区", "红桥区"]
    approve(tianjin_plan, office, [f"{COUNT},{d},2019Q2,10" for d in districts])
    for name, value in zip(districts[1:], ["11", "12", "10", "13", "11"], strict=True):
        a = rnd.assignments.get(org_unit__name=name, indicator__code=COUNT)
        a = reporting.save_assignment(None, a, expected_version=None, value=value)
        reporting.submit(None, a, expected_version=None)
    a = reporting.save_assignment(None, heping(rnd), expected_version=None, value="30")
    assert [f.kind for f in gate.flags_for(a)] == [gate.PEERS]
    assert "other districts" in reporting.missing_for_submission(a)[0]


def test_parts_above_the_whole_break_a_rule_between_indicators(tianjin_plan, office, rnd):
    services.add_rule(
        office,
        tianjin_plan,
        title="供应商不超过示范园区",
        whole=tianjin_plan.indicators.get(code=PARKS),
        parts=[tianjin_plan.indicators.get(code=COUNT)],
    )
    approve(tianjin_plan, office, [f"{PARKS},天津市,2019Q3,5"])
    lead = rnd.assignments.get(kind="lead", indicator__code=COUNT)
    lead = reporting.save_assignment(None, lead, expected_version=None, value="4")
    assert gate.flags_for(lead) == []
    lead = reporting.save_assignment(None, lead, expected_version=None, value="9")
    [flag] = gate.flags_for(lead)
    assert flag.kind == gate.RULE and flag.params["excess"] == 4
    assert "more than" in gate.message(flag)


def test_districts_against_the_city_within_the_tolerance_the_office_sets(
    client, tianjin_plan, office, rnd
):
    districts = list(rnd.assignments.filter(kind="contributor", indicator__code=COUNT))
    assert len(districts) == 16
    for a in districts:
        a = reporting.save_assignment(None, a, expected_version=None, value="2")
        reporting.submit(None, a, expected_version=None)
    lead = rnd.assignments.get(kind="lead", indicator__code=COUNT)
    lead = reporting.save_assignment(None, lead, expected_version=None, value="33")  # 32: 3.1%
    assert gate.flags_for(lead) == []
    lead = reporting.save_assignment(None, lead, expected_version=None, value="35")  # 9.4%
    [flag] = gate.flags_for(lead)
    assert flag.kind == gate.DISTRICTS and flag.params["sum"] == 32
    client.force_login(office)
    response = client.post(
        reverse("quality:settings"), {"what": "tolerance", "district_tolerance": "10%"}
    )
    assert response.status_code == 302
    assert gate.flags_for(lead) == []
    assert AuditEntry.objects.filter(action="quality.settings.saved").exists()


def test_a_bad_tolerance_is_refused_with_its_reason(client, tianjin_plan, office):
    client.force_login(office)
    page = client.post(
        reverse("quality:settings"), {"what": "tolerance", "district_tolerance": "80%"}
    ).content.decode()
    assert "between 0 and 50%" in page
    page = client.post(
        reverse("quality:settings"), {"what": "tolerance", "district_tolerance": "很多"}
    ).content.decode()
    assert "is not a number" in page
    assert not QualitySettings.objects.exists()


def test_a_rule_is_added_and_deactivated_on_the_settings_page(client, tianjin_plan, office):
    client.force_login(office)
    whole = tianjin_plan.indicators.get(code="TJ-GOAL-SCALE")
    parts = tianjin_plan.indicators.filter(code__in=["TJ-IND-ROBOT", "TJ-IND-SOFTWARE"])
    response = client.post(
        reverse("quality:settings"),
        {"what": "rule", "title": "两产业", "whole": whole.pk, "parts": [p.pk for p in parts]},
    )
    assert response.status_code == 302
    rule = gate.active_rules(tianjin_plan)[0][0]
    assert rule.title == "两产业"
    client.post(reverse("quality:rule_state", args=[rule.pk]), {"active": "0"})
    assert gate.active_rules(tianjin_plan) == []
    mixed = client.post(
        reverse("quality:settings"),
        {
            "what": "rule",
            "title": "混合",
            "whole": whole.pk,
            "parts": [tianjin_plan.indicators.get(code=COUNT).pk],
        },
    ).content.decode()
    assert "share one unit" in mixed


@pytest.fixture
def flagged(history, rnd, reporter_heping):
    a = reporting.save_assignment(
        reporter_heping, heping(rnd), expected_version=None, value="60", explanation="新口径"
    )
    return reporting.submit(reporter_heping, a, expected_version=None)


def test_the_quality_page_lists_outliers_with_their_explanation(client, flagged, office):
    client.force_login(office)
    page = client.get(reverse("quality:index")).content.decode()
    assert "Outlier against its own history" in page and "新口径" in page
    assert "No rule is broken." in page
    filtered = client.get(reverse("quality:index"), {"kind": "rule"}).content.decode()
    assert "No outlier among the figures submitted." in filtered
    other_unit = client.get(reverse("quality:index"), {"unit": "120103"}).content.decode()
    assert "No outlier among the figures submitted." in other_unit
    bad = client.get(reverse("quality:index"), {"round": "999"}, follow=True).content.decode()
    assert "Unknown reporting round" in bad


def test_the_quality_page_says_so_when_there_is_no_round(client, tianjin_plan, leader):
    client.force_login(leader)
    page = client.get(reverse("quality:index")).content.decode()
    assert "No reporting round yet" in page


def test_quality_command_gives_json_and_a_table(flagged):
    out = io.StringIO()
    call_command("quality", "--format", "json", "--round", "2019Q3", stdout=out)
    data = json.loads(out.getvalue())
    assert data["outliers"][0]["org_unit"] == "120101"
    assert data["outliers"][0]["explanation"] == "新口径"
    assert data["rounds"][0]["period"] == "2019Q3"
    out = io.StringIO()
    call_command("quality", stdout=out)
    assert "Outlier against its own history" in out.getvalue()
    with pytest.raises(CommandError, match="2018Q1"):
        call_command("quality", "--round", "2018Q1")


def test_quality_table_is_aligned_by_display_width(flagged):
    out = io.StringIO()
    with translation.override("zh-hans"):
        call_command("quality", stdout=out)
    lines = out.getvalue().splitlines()
    header = lines[2]
    rows = lines[3 : lines.index("", 3)]
    assert header.split() == ["填报轮次", "应报", "完整性", "及时性", "异常值", "违反校验规则"]
    cells = read_rows(header, rows)  # every cell starts at its heading's display column
    assert cells and all(
        c["填报轮次"].endswith("季度") and c["完整性"].endswith("%") for c in cells
    )
