"""Register records are archived, never deleted: they leave every list and computed
indicator, stay in the audit log, and come back when restored or imported again."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ducha.audit.models import AuditEntry
from ducha.datavalues.models import DataValue
from ducha.enterprises.models import Enterprise
from ducha.orgunits.models import OrgUnit
from ducha.registers.services import archive_record, restore_record
from ducha.registers.tests.conftest import code, csv_bytes, problems_of, run_import

pytestmark = pytest.mark.django_db

A = code("120116", "MA05JJ8K1")
B = code("120104", "MA05JJ8K2")


@pytest.fixture
def firms(registers):
    run_import(
        "enterprises",
        csv_bytes(f"""
企业名称,统一社会信用代码,所在区,主导产业,2019年营业收入(亿元)
天津甲机器人有限公司,{A},滨海新区,智能机器人,12.5
天津乙机器人有限公司,{B},南开区,智能机器人,3
"""),
    )
    return registers


def robot_2019(unit="120000"):
    return DataValue.objects.get(
        indicator__code="TJ-IND-ROBOT", period="2019", org_unit__code=unit
    ).value


def test_an_archived_enterprise_counts_nowhere_and_comes_back_when_restored(firms, office):
    firm = Enterprise.objects.get(credit_code=A)
    archive_record(office, firm, reason="重复录入")
    assert robot_2019() == Decimal("3")
    assert not Enterprise.objects.filter(credit_code=A).exists()
    assert Enterprise.all_objects.filter(credit_code=A).exists()  # kept, not deleted
    restore_record(office, firm)
    assert robot_2019() == Decimal("15.5")
    actions = list(
        AuditEntry.objects.filter(object_id=str(firm.pk)).values_list("action", flat=True)
    )
    assert "enterprises.enterprise.archived" in actions
    assert "enterprises.enterprise.restored" in actions


def test_a_reporter_cannot_archive_a_record(firms, reporter_binhai):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        archive_record(reporter_binhai, Enterprise.objects.get(credit_code=A))
    assert Enterprise.objects.filter(credit_code=A).exists()


def test_the_list_leaves_archived_records_out(firms, office, client):
    archive_record(office, Enterprise.objects.get(credit_code=A))
    client.force_login(office)
    page = client.get(reverse("enterprises:list")).content.decode()
    assert "天津乙机器人有限公司" in page and "天津甲机器人有限公司" not in page


def test_importing_an_archived_enterprise_restores_it(firms, office):
    firm = Enterprise.objects.get(credit_code=A)
    archive_record(office, firm)
    report = run_import("enterprises", csv_bytes(f"统一社会信用代码,2019年营业收入(亿元)\n{A},20"))
    assert report.updated == 1
    firm.refresh_from_db()
    assert firm.archived_at is None
    assert robot_2019() == Decimal("23")


def test_a_project_cannot_name_an_archived_enterprise(firms, office):
    archive_record(office, Enterprise.objects.get(credit_code=A))
    problems = problems_of(
        "projects",
        csv_bytes(f"项目编号,项目名称,项目类型,实施企业\nP-1,智能工厂,市级试点示范,{A}"),
    )
    assert any("archived" in p and "实施企业" in p for p in problems), problems


def test_the_admin_offers_archive_not_delete(firms, admin_client):
    firm = Enterprise.objects.get(credit_code=A)
    url = reverse("admin:enterprises_enterprise_changelist")
    assert admin_client.get(
        reverse("admin:enterprises_enterprise_delete", args=[firm.pk])
    ).status_code in (403, 302)
    response = admin_client.post(
        url, {"action": "archive_selected", "_selected_action": [firm.pk]}, follow=True
    )
    assert response.status_code == 200
    firm.refresh_from_db()
    assert firm.archived_at is not None
    assert robot_2019() == Decimal("3")
    archived = admin_client.get(url, {"archived": "yes"}).content.decode()
    assert "天津甲机器人有限公司" in archived


def test_an_edit_in_the_admin_recomputes_what_counts_the_record(firms, admin_client):
    firm = Enterprise.objects.get(credit_code=A)
    url = reverse("admin:enterprises_enterprise_change", args=[firm.pk])
    data = _change_form_data(admin_client.get(url).context)
    data["district"] = OrgUnit.objects.get(code="120101").pk  # moves from 滨海新区 to 和平区
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert robot_2019("120101") == Decimal("12.5")
    assert robot_2019("120116") == 0


def _change_form_data(context) -> dict:
    """What the admin's change form would post back unchanged, inlines included."""
    data = {}
    form = context["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is not None and value is not False:
            data[name] = value.pk if hasattr(value, "pk") else value
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management.initial.get(name, "")
        for sub in formset.initial_forms:
            for name in sub.fields:
                value = sub.instance.pk if name == "id" else sub.initial.get(name)
                if value is not None and value is not False:
                    data[sub.add_prefix(name)] = value.pk if hasattr(value, "pk") else value
    return data


def test_every_register_admin_list_opens(firms, admin_client):
    from ducha.registers import base

    for register in base.CATALOGUE.values():
        meta = register.model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, url


def test_the_office_finds_the_way_to_archive_from_the_record_page(firms, office, client):
    firm = Enterprise.objects.get(credit_code=B)
    detail = reverse("enterprises:detail", args=[firm.pk])
    admin_change = reverse("admin:enterprises_enterprise_change", args=[firm.pk])
    office.is_staff = True  # as `ducha demo` makes the office
    office.save()
    client.force_login(office)
    assert admin_change in client.get(detail).content.decode()


def test_the_record_history_reads_in_words(firms, office, client):
    firm = Enterprise.objects.get(credit_code=B)
    archive_record(office, firm, reason="重复")
    restore_record(office, firm)
    client.force_login(office)
    html = client.get(reverse("enterprises:detail", args=[firm.pk])).content.decode()
    assert "enterprises.enterprise.restored" not in html.replace(
        'title="enterprises.enterprise.restored"', ""
    )
    assert "企业 · 恢复" in html


def test_a_link_to_an_archived_record_names_it_without_a_dead_link(firms, office):
    from django.template import Context, Template

    firm = Enterprise.objects.get(credit_code=A)
    archive_record(office, firm)
    firm.refresh_from_db()
    from django.utils import translation

    with translation.override("zh-hans"):
        html = Template("{% load registers %}{% record_link e 'enterprises:detail' %}").render(
            Context({"user": office, "e": firm})
        )
    assert "href" not in html and firm.name in html and "已归档" in html


def test_the_office_archives_from_the_record_page_and_a_reporter_cannot(
    firms, office, reporter_binhai, client
):
    firm = Enterprise.objects.get(credit_code=A)  # 滨海新区
    url = reverse("registers:archive", args=["enterprises", firm.pk])
    client.force_login(reporter_binhai)
    assert client.post(url).status_code == 403
    assert Enterprise.objects.filter(pk=firm.pk).exists()
    client.force_login(office)
    page = client.get(reverse("enterprises:detail", args=[firm.pk])).content.decode()
    assert url in page and "data-confirm=" in page
    response = client.post(url, {"reason": "重复录入"})
    assert response.status_code == 302 and response["Location"] == reverse("enterprises:list")
    assert not Enterprise.objects.filter(pk=firm.pk).exists()
    assert robot_2019() == Decimal("3")


def test_parks_of_the_plan_are_never_archived(registers, office, client):
    from ducha.parks.models import Park

    park = Park.objects.first()
    client.force_login(office)
    assert client.post(reverse("registers:archive", args=["parks", park.pk])).status_code == 404
