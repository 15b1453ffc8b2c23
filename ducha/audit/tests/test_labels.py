"""The audit log and history panels read in words: actions, fields and values by their labels,
the stored codes kept on hover for the office."""

import re

import pytest
from django.urls import reverse

from ducha.audit.services import record

pytestmark = pytest.mark.django_db


def test_the_audit_log_shows_actions_fields_and_statuses_by_their_labels(client, office):
    record(
        None,
        "reporting.assignment.approved",
        changes={"status": ["unit_approved", "approved"]},
    )
    record(None, "orgunits.orgunit.created", changes={"name": "和平区", "is_active": True})
    client.force_login(office)
    html = client.get(reverse("audit:log")).content.decode()
    assert "填报任务 · 审核通过" in html
    assert 'title="reporting.assignment.approved"' in html  # the code stays for the office
    assert '<strong title="status">状态</strong>：单位负责人已审核 → 办公室已审核' in html
    assert "unit_approved →" not in html
    assert "是" in html and "True" not in html


def test_an_unknown_action_falls_back_to_its_code(client, office):
    record(None, "nowhere.thing.wobbled", changes={"x": [[1, 2], {"a": ["b", "c"]}]})
    client.force_login(office)
    html = client.get(reverse("audit:log")).content.decode()
    assert "nowhere.thing.wobbled" in html
    assert "{'a'" not in html and "[1, 2]" not in html
    assert "a：b、c" in html


def test_a_foreign_key_in_a_change_reads_as_the_name_it_points_at(client, office, tianjin_plan):
    from ducha.orgunits.models import OrgUnit

    heping, hexi = OrgUnit.objects.get(code="120101"), OrgUnit.objects.get(code="120103")
    indicator = tianjin_plan.indicators.first()
    record(
        None, "plans.indicator.updated", indicator, changes={"lead_unit_id": [heping.pk, hexi.pk]}
    )
    client.force_login(office)
    html = client.get(reverse("audit:log")).content.decode()
    assert f"{heping.name} → {hexi.name}" in html
    assert f"{heping.pk} → {hexi.pk}" not in html


def test_every_verb_the_services_log_reads_in_words(client, office):
    record(None, "incentives.application.paid_part", changes={"paid": ["0", "300"]})
    record(None, "supervision.case.in_progress")
    record(None, "incentives.budget.admin_changed")
    client.force_login(office)
    html = client.get(reverse("audit:log")).content.decode()
    for code in ("paid_part", "in_progress", "admin_changed"):
        assert f">{code}" not in html and f"· {code}" not in html
    assert "部分拨付" in html and "在管理后台修改" in html


def test_a_long_text_is_cut_in_the_log(client, office):
    record(None, "portal.bulletin.updated", changes={"body": ["", "通报正文。" * 200]})
    client.force_login(office)
    html = client.get(reverse("audit:log")).content.decode()
    assert "通报正文。" * 10 in html and "通报正文。" * 100 not in html
    assert re.search(r"共 10\d\d 字", html)  # how long the whole text is
