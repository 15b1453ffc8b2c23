"""Projects (with their workflow), platforms, key technologies, talents and teams."""

import datetime as dt

import pytest
from django.urls import reverse

from ducha.engine.idnumber import make_id
from ducha.projects import services as project_services
from ducha.projects.models import Project
from ducha.registers.tests.conftest import code, csv_bytes, problems_of, run_import
from ducha.talents.models import Talent

pytestmark = pytest.mark.django_db

A = code("120116", "MA05JJ8K1")
PASSPORT_HEADER = "姓名,证件类型,证件号码,人才类别,所在区,引进日期"
PROJECT_HEADER = "项目编号,项目名称,项目类型,所属领域,所在区,签约日期,开工日期,投产日期,验收日期"


@pytest.fixture
def firm(registers):
    run_import(
        "enterprises",
        csv_bytes(
            f"企业名称,统一社会信用代码,所在区,主导产业\n天津甲机器人有限公司,{A},滨海新区,智能机器人"
        ),
    )
    return registers


def test_a_project_stage_follows_its_dates(firm):
    run_import(
        "projects",
        csv_bytes(f"""
{PROJECT_HEADER},实施企业
P-1,机器人示范,市级试点示范,3.1,滨海新区,2019.1,2019.3,,,{A}
P-2,智能工厂,国家级试点示范,智能制造,西青区,2018-01-05,2018-06-01,2019-01-01,2019-12-01,
"""),
    )
    p1, p2 = Project.objects.order_by("code")
    assert p1.stage == "started" and p1.enterprise.credit_code == A
    assert p1.domain.key == "3.1"
    assert p2.stage == "accepted" and p2.domain.key == "3.1"


def test_a_step_without_the_step_before_it_is_refused(firm):
    data = csv_bytes(f"""
{PROJECT_HEADER}
P-1,机器人示范,市级试点示范,3.1,滨海新区,2019.1,,2019.6,
P-2,智能工厂,国家级试点示范,3.1,西青区,2019.5,2019.3,,
""")
    problems = problems_of("projects", data)
    assert problems == [
        "row 2, column 投产日期: a project reaches 投产 only after 开工: give that date too",
        "row 3, column 开工日期: is before the date of 签约",
    ]


def test_an_import_cannot_take_a_project_back(firm):
    run_import(
        "projects",
        csv_bytes(f"{PROJECT_HEADER}\nP-1,示范,市级试点示范,3.1,滨海新区,2019.1,2019.3,2019.9,"),
    )
    data = csv_bytes("项目编号,当前阶段\nP-1,洽谈")
    [problem] = problems_of("projects", data)
    assert "cannot go back" in problem or "the dates say" in problem


def test_advancing_a_project_checks_the_workflow_and_the_date(firm, office):
    run_import(
        "projects", csv_bytes(f"{PROJECT_HEADER}\nP-1,示范,市级试点示范,3.1,滨海新区,2019.1,,,")
    )
    project = Project.objects.get()
    with pytest.raises(project_services.WorkflowError):
        project_services.advance(office, project, "accepted", dt.date(2019, 6, 1))
    with pytest.raises(project_services.WorkflowError):
        project_services.advance(office, project, "started", dt.date(2018, 6, 1))
    project_services.advance(office, project, "started", dt.date(2019, 6, 1))
    assert project.stage == "started" and project.started_on == dt.date(2019, 6, 1)


def test_the_office_corrects_a_stage_with_a_reason_and_later_dates_are_cleared(firm, office):
    run_import(
        "projects",
        csv_bytes(f"{PROJECT_HEADER}\nP-1,示范,市级试点示范,3.1,滨海新区,2019.1,2019.3,2019.9,"),
    )
    project = Project.objects.get()
    with pytest.raises(project_services.WorkflowError):
        project_services.correct_stage(office, project, "signed", "")
    project_services.correct_stage(office, project, "signed", "开工日期填错")
    assert (project.stage, project.started_on, project.operating_on) == ("signed", None, None)


def test_an_unknown_plan_section_is_refused(firm):
    data = csv_bytes(f"{PROJECT_HEADER}\nP-1,示范,市级试点示范,9.9,滨海新区,2019.1,,,")
    [problem] = problems_of("projects", data)
    assert problem.startswith("row 2, column 所属领域: the plan has no section 9.9")


def test_a_platform_takes_its_district_from_a_registered_holder(firm):
    run_import(
        "platforms",
        csv_bytes(
            f"平台名称,级别,平台类型,依托单位,认定日期\n机器人重点实验室,国家级,重点实验室,{A},2019.6"
        ),
    )
    from ducha.platforms.models import Platform

    platform = Platform.objects.get()
    assert platform.district.code == "120116" and platform.holder.credit_code == A


def test_key_technologies_need_a_field_from_the_plan(firm):
    data = csv_bytes(f"技术名称,技术领域,突破单位,突破日期\n语音识别,量子计算,{A},2019.6")
    [problem] = problems_of("technologies", data)
    assert problem.startswith(
        "row 2, column 技术领域: 量子计算 is not one of: 知识计算引擎与知识服务技术"
    )


def test_a_talent_id_number_is_checked_and_must_agree_with_the_birth_date(firm):
    good = make_id("12010119800101001")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    data = csv_bytes(f"""
姓名,证件号码,出生日期,人才类别,所在区,引进日期
张伟,{bad},,高端研发人才,和平区,2019.5
李娜,{good},1981-01-01,高端研发人才,和平区,2019.5
""")
    problems = problems_of("talents", data)
    assert problems[0].startswith(f"row 2, column 证件号码: {bad} fails the check")
    assert problems[1] == (
        "row 3, column 出生日期: 1981-01-01 differs from the birth date in the ID number "
        "(1980-01-01)"
    )
    data = csv_bytes(
        f"姓名,证件号码,人才类别,所在区,引进日期\n李娜,{good.lower()},高端研发人才,和平区,2019.5"
    )
    run_import("talents", data)
    assert Talent.objects.get().birth_date == dt.date(1980, 1, 1)


def test_a_passport_is_not_checked_as_a_resident_id(firm):
    data = csv_bytes(PASSPORT_HEADER + "\nJohn Smith,护照,E12345678,顶尖人才,和平区,2019.5")
    run_import("talents", data)
    assert Talent.objects.get().id_number == "E12345678"


def test_top_talents_and_teams_add_up_into_one_indicator(firm):
    from ducha.datavalues.models import DataValue
    from ducha.registers.services import recompute

    run_import(
        "teams", csv_bytes("团队名称,团队级别,所在区,引进日期\n类脑计算团队,顶尖团队,和平区,2019.2")
    )
    run_import(
        "talents",
        csv_bytes(PASSPORT_HEADER + "\nJohn Smith,护照,E1,顶尖人才,和平区,2019.5"),
    )
    recompute(None, today=dt.date(2020, 1, 1))
    values = dict(
        DataValue.objects.filter(
            indicator__code="TJ-ECO-TOPTALENT", org_unit__code="120000"
        ).values_list("period", "value")
    )
    assert (values["2018Q4"], values["2019Q1"], values["2019Q2"]) == (0, 1, 2)


def test_parks_keep_their_approximate_point_and_a_bad_one_is_refused(
    registers, client, office, tmp_path
):
    import yaml

    from ducha.core.filespec import FileSpecError, load_yaml
    from ducha.parks.models import Park
    from ducha.parks.services import TIANJIN_PARKS, load_park_file

    teda = Park.objects.get(code="teda")
    assert teda.longitude is not None and 117 < teda.longitude < 118
    assert 38 < teda.latitude < 40
    client.force_login(office)
    page = client.get(reverse("parks:detail", args=[teda.pk])).content.decode()
    assert f"{teda.longitude:.3f}, {teda.latitude:.3f}" in page
    data = load_yaml(TIANJIN_PARKS)
    first = data["parks"][0]
    first["point"] = list(reversed(first["point"]))  # latitude and longitude swapped
    path = tmp_path / "parks.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FileSpecError) as error:
        load_park_file(path)
    assert "parks[0] (teda).point[0]" in str(error.value)
    teda.refresh_from_db()
    assert 117 < teda.longitude < 118  # nothing written


def test_a_project_step_dated_in_the_future_is_refused_naming_the_date(firm, office, settings):
    from django.utils import timezone, translation

    run_import(
        "projects", csv_bytes(f"{PROJECT_HEADER}\nP-1,示范,市级试点示范,3.1,滨海新区,2019.1,,,")
    )
    project = Project.objects.get()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with translation.override("zh-hans"), pytest.raises(project_services.WorkflowError) as error:
        project_services.advance(office, project, "started", tomorrow)
    assert "步骤日期" in str(error.value) and tomorrow.isoformat() in str(error.value)
    project.refresh_from_db()
    assert project.stage == "signed" and project.started_on is None
    # Today is fine.
    project_services.advance(office, project, "started", timezone.localdate())
    assert project.started_on == timezone.localdate()


def test_cancelling_a_project_on_its_page_asks_for_confirmation(client, firm, office):
    run_import(
        "projects", csv_bytes(f"{PROJECT_HEADER}\nP-1,示范,市级试点示范,3.1,滨海新区,2019.1,,,")
    )
    project = Project.objects.get()
    client.force_login(office)
    html = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    action = f'action="{reverse("projects:advance", args=[project.pk])}"'
    start = html.rindex("<form", 0, html.index(action))
    tag = html[start : html.index(">", html.index(action))]
    # asked only when the stage chosen is 终止 (ducha.js reads these attributes)
    assert 'data-confirm-field="stage" data-confirm-value="cancelled"' in tag
    assert "终止该项目" in tag
