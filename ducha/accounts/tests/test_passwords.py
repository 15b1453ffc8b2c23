"""Passwords: one's own page, the rules, and a new account's one-time link and first sign-in."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from ducha.accounts.models import User
from ducha.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
OLD = "pw-for-tests-only"
NEW = "河海大桥-晨光-2026"


def _change(client, old, new, again=None):
    return client.post(
        reverse("accounts:password"),
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


def test_a_user_changes_their_password_from_the_user_menu(client, reporter_heping):
    client.force_login(reporter_heping)
    page = client.get(reverse("reporting:index")).content.decode()
    assert f'href="{reverse("accounts:password")}"' in page and "修改密码" in page
    response = _change(client, OLD, NEW)
    assert response.status_code == 302
    reporter_heping.refresh_from_db()
    assert reporter_heping.check_password(NEW)
    assert client.get(reverse("reporting:index")).status_code == 200  # still signed in here
    assert AuditEntry.objects.filter(
        action="accounts.user.password_changed", object_id=str(reporter_heping.pk)
    ).exists()
    assert Client().login(username="heping", password=NEW)


@pytest.mark.parametrize(
    "weak,message",
    [
        ("短密码abc", "密码太短"),
        ("heping12345", "密码太短"),
        ("123456789012345", "全都是数字"),
        ("password1234", "太常见"),
        ("heping-reporter", "包含了您的用户名"),
        ("和平区填报员和平区填报员", "包含了您的显示名称"),  # the display name, twice
        (OLD, "不能与当前密码相同"),
    ],
)
def test_weak_passwords_are_refused_with_a_chinese_reason(client, reporter_heping, weak, message):
    client.force_login(reporter_heping)
    response = _change(client, OLD, weak)
    assert response.status_code == 200
    assert message in response.content.decode()
    reporter_heping.refresh_from_db()
    assert reporter_heping.check_password(OLD)


def test_a_wrong_current_password_changes_nothing(client, reporter_heping):
    client.force_login(reporter_heping)
    response = _change(client, "not-the-password", NEW)
    assert "旧密码不正确" in response.content.decode()
    reporter_heping.refresh_from_db()
    assert reporter_heping.check_password(OLD)


def _add_in_admin(client, username, **extra):
    return client.post(
        reverse("admin:accounts_user_add"),
        {"username": username, "usable_password": "false", **extra},
        follow=True,
    )


@pytest.fixture
def office_staff(office):
    office.is_staff = True
    office.save()
    return office


def _link(response) -> str:
    found = re.search(r'href="(http[^"]+/account/welcome/[^"]+)"', response.content.decode())
    assert found, "the one-time link is shown to the office"
    return found.group(1)


def test_an_account_the_office_creates_gets_a_one_time_link_and_must_choose(client, office_staff):
    client.force_login(office_staff)
    response = _add_in_admin(client, "newbie")
    new = User.objects.get(username="newbie")
    assert new.must_set_password and not new.has_usable_password()
    link = _link(response)
    assert AuditEntry.objects.filter(action="accounts.user.password_link_issued").count() == 1
    assert mail.outbox == []  # no address: the office passes the link on

    stranger = Client()
    path = link.split("://", 1)[1].split("/", 1)[1]
    form = stranger.get("/" + path, follow=True)
    assert "设置您的密码" in form.content.decode()
    step = form.redirect_chain[-1][0]
    too_short = stranger.post(step, {"new_password1": "newbie", "new_password2": "newbie"})
    assert "密码太短" in too_short.content.decode()
    done = stranger.post(step, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    new.refresh_from_db()
    assert new.check_password(NEW) and not new.must_set_password
    assert stranger.get(reverse("plans:list")).status_code == 200  # signed in, free to go
    again = Client().get("/" + path, follow=True).content.decode()
    assert "链接已失效" in again  # once only


def test_a_new_account_with_an_address_gets_the_link_by_e_mail(
    client, office_staff, tianjin_units, django_capture_on_commit_callbacks
):
    client.force_login(office_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = _add_in_admin(
            client,
            "mailed",
            email="mailed@example.cn",
            display_name="河西区填报员",
            role="reporter",
            org_unit=tianjin_units["120103"].pk,
        )
    user = User.objects.get(username="mailed")
    assert user.must_set_password and user.org_unit.code == "120103"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["mailed@example.cn"]
    assert _link(response) in mail.outbox[0].body
    # A lost link: the office issues a new one from the list; the old one still works until
    # either is used.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "issue_password_links", "_selected_action": [user.pk]},
        )
    assert len(mail.outbox) == 2 and "/account/welcome/" in mail.outbox[1].body


def test_a_new_account_is_sent_to_choose_its_password_on_every_page(client, tianjin_units):
    user = User.objects.create_user("first", password="temporary-pass-given", role="leader")
    user.must_set_password = True
    user.save()
    client.force_login(user)
    response = client.get(reverse("plans:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password") + "?next=%2Fplans%2F"
    assert client.get("/api/plans").status_code == 403
    assert client.post(reverse("logout")).status_code == 302  # signing out stays possible
    client.force_login(user)
    page = client.get(reverse("accounts:password")).content.decode()
    assert "您的账号是新建的" in page
    response = client.post(
        reverse("accounts:password") + "?next=/plans/",
        {
            "old_password": "temporary-pass-given",
            "new_password1": NEW,
            "new_password2": NEW,
            "next": "/plans/",
        },
    )
    assert response["Location"] == "/plans/"
    assert client.get(reverse("plans:list")).status_code == 200


def test_the_demo_accounts_sign_in_without_being_asked_to_change(client, tianjin_plan):
    from ducha.demo.services import DEMO_PASSWORD, ensure_users

    ensure_users()
    assert not User.objects.filter(must_set_password=True).exists()
    response = client.post(reverse("login"), {"username": "leader", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get(response["Location"], follow=True).status_code == 200
    assert client.get(reverse("plans:list")).status_code == 200  # not sent to the password page
