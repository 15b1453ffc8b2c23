"""The Django admin covers every model of the foundation, and audits what it changes."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from ducha.accounts.models import User
from ducha.audit.models import AuditEntry
from ducha.datavalues.models import ApprovedValue, DataValue, MilestoneReport
from ducha.orgunits.models import OrgUnit
from ducha.plans.models import Indicator, Milestone, Plan, PlanNode

MODELS = [
    User, OrgUnit, AuditEntry, Plan, PlanNode, Indicator, Milestone, DataValue, ApprovedValue,
    MilestoneReport,
]  # fmt: skip


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_is_in_the_admin(model):
    assert admin.site.is_registered(model)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_list_and_change_pages_open(client, demo, model):
    client.login(username="admin", password="ducha-demo-2018")
    meta = model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    assert client.get(url).status_code == 200
    obj = model.objects.first()
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("model", [ApprovedValue, DataValue, AuditEntry], ids=lambda m: m.__name__)
def test_approvals_values_and_the_log_cannot_be_edited_in_the_admin(client, demo, model):
    client.login(username="admin", password="ducha-demo-2018")
    meta = model._meta
    obj = model.objects.first()
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[obj.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_an_admin_edit_is_audited(client, demo):
    client.login(username="admin", password="ducha-demo-2018")
    unit = OrgUnit.objects.get(code="120101")
    url = reverse("admin:orgunits_orgunit_change", args=[unit.pk])
    response = client.post(
        url,
        {
            "code": unit.code, "name": unit.name, "short_name": "和平新", "kind": unit.kind,
            "parent": unit.parent_id, "aliases": '["和平"]', "position": unit.position,
            "is_active": "on",
        },
    )  # fmt: skip
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="orgunits.orgunit.admin_changed")
    assert entry.changes["short_name"] == ["和平", "和平新"]
    assert entry.actor.username == "admin"


def test_office_staff_reach_the_admin_and_reporters_do_not(client, demo):
    client.login(username="heping", password="ducha-demo-2018")
    assert client.get(reverse("admin:index")).status_code == 302
