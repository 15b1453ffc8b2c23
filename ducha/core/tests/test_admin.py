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


# --- the office's back office: what its policies allow, nothing more ------------------------


def _open(client, name, *args):
    return client.get(reverse(f"admin:{name}", args=args)).status_code


def test_the_office_uses_the_admin_as_its_policies_allow(client, demo):
    from ducha.enterprises.models import Enterprise

    client.login(username="office", password="ducha-demo-2018")
    assert _open(client, "index") == 200
    firm = Enterprise.objects.first()
    assert _open(client, "enterprises_enterprise_changelist") == 200
    assert _open(client, "enterprises_enterprise_change", firm.pk) == 200
    assert _open(client, "plans_indicator_changelist") == 200
    for name in ("scheme", "budget", "application", "payment"):
        assert _open(client, f"incentives_{name}_changelist") == 200, name
    # read-only by design, even for the office
    assert _open(client, "datavalues_approvedvalue_add") == 403


def test_nobody_but_the_operator_deletes_in_the_admin(client, demo):
    from ducha.enterprises.models import Enterprise

    firm = Enterprise.objects.first()
    user = User.objects.get(username="heping")
    client.login(username="office", password="ducha-demo-2018")
    assert _open(client, "enterprises_enterprise_delete", firm.pk) == 403
    assert _open(client, "accounts_user_delete", user.pk) == 403
    client.login(username="admin", password="ducha-demo-2018")
    assert _open(client, "accounts_user_delete", user.pk) == 200


def test_a_unit_user_made_staff_still_sees_only_what_its_policy_allows(client, demo):
    from ducha.enterprises.models import Enterprise

    heping = User.objects.get(username="heping")
    heping.is_staff = True
    heping.save()
    client.force_login(heping)
    other = Enterprise.objects.exclude(district__code="120101").first()
    assert _open(client, "enterprises_enterprise_change", other.pk) in (302, 403, 404)
    assert _open(client, "accounts_user_changelist") in (200, 403)
    page = client.get(reverse("admin:accounts_user_changelist"))
    if page.status_code == 200:  # a reporter may list users only as its policy scopes them
        assert "binhai" not in page.content.decode()


def test_the_office_cannot_make_anyone_a_superuser_in_the_admin(client, demo):
    heping = User.objects.get(username="heping")
    client.login(username="office", password="ducha-demo-2018")
    url = reverse("admin:accounts_user_change", args=[heping.pk])
    form = client.get(url).context["adminform"].form
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields
    assert "role" in form.fields and "org_unit" in form.fields


def test_the_office_cannot_take_over_a_superuser_account(client, demo):
    operator = User.objects.get(username="admin")
    client.login(username="office", password="ducha-demo-2018")
    password = reverse("admin:auth_user_password_change", args=[operator.pk])
    response = client.post(
        password, {"password1": "Hijack-2018-xyz", "password2": "Hijack-2018-xyz"}
    )
    assert response.status_code == 403
    change = reverse("admin:accounts_user_change", args=[operator.pk])
    client.post(change, {"username": "taken", "is_active": ""})
    operator.refresh_from_db()
    assert operator.username == "admin" and operator.is_active
    assert operator.check_password("ducha-demo-2018")
