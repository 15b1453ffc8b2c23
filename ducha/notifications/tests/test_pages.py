"""The pages: the office's group robots (secrets never shown back), each person's channels,
a unit head's own robots."""

import pytest

from ducha.notifications.models import Delivery, Preference, Robot
from ducha.notifications.tests.conftest import SECRETS

pytestmark = pytest.mark.django_db
DING = "https://oapi.dingtalk.example/robot/send?access_token=0123456789abcdef0123456789abcdef"


def test_the_office_adds_a_robot_and_never_sees_its_secret_again(client, office, tianjin_units):
    client.force_login(office)
    response = client.post(
        "/notifications/robots/new/",
        {
            "name": "和平区督查群",
            "kind": "dingtalk",
            "org_unit": tianjin_units["120101"].pk,
            "webhook_url": DING,
            "secret": SECRETS["dingtalk"],
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    robot = Robot.objects.get()
    assert robot.secret == SECRETS["dingtalk"] and robot.webhook_url == DING
    for page in ["/notifications/robots/", f"/notifications/robots/{robot.pk}/"]:
        html = client.get(page).content.decode()
        assert "和平区督查群" in html
        assert SECRETS["dingtalk"] not in html and "0123456789abcdef0123456789abcdef" not in html
        assert "SECd••••••89" in html  # enough to recognise it, not to use it
    # an edit that leaves the secret and address empty keeps both
    client.post(
        f"/notifications/robots/{robot.pk}/",
        {"name": "和平区工作群", "kind": "dingtalk", "org_unit": tianjin_units["120101"].pk},
    )
    robot.refresh_from_db()
    assert robot.name == "和平区工作群" and not robot.enabled
    assert robot.secret == SECRETS["dingtalk"] and robot.webhook_url == DING
    # the audit log says the secret was set, never what it is
    from ducha.audit.models import AuditEntry

    entries = AuditEntry.objects.filter(action__startswith="notifications.robot")
    assert entries.count() == 2 and SECRETS["dingtalk"] not in str(list(entries.values()))


def test_a_new_robot_needs_an_address(client, office):
    client.force_login(office)
    response = client.post("/notifications/robots/new/", {"name": "群", "kind": "wecom"})
    assert response.status_code == 200 and not Robot.objects.exists()
    assert "请填写 Webhook 地址" in response.content.decode()


def test_the_test_button_says_how_it_went(client, office, webhook_server):
    robot = Robot.objects.create(
        name="办公室群",
        kind="feishu",
        webhook_url=f"{webhook_server.url}/feishu/hook/x",
        secret=SECRETS["feishu"],
    )
    client.force_login(office)
    response = client.post(f"/notifications/robots/{robot.pk}/test/", follow=True)
    assert "测试消息已发送到 办公室群" in response.content.decode()
    assert [h.verdict for h in webhook_server.hits] == ["ok"]
    robot.secret = "wrong-secret"
    robot.save()
    response = client.post(f"/notifications/robots/{robot.pk}/test/", follow=True)
    assert "测试消息失败" in response.content.decode() and "19021" in response.content.decode()
    assert Delivery.objects.filter(robot=robot).count() == 2


def test_a_unit_head_turns_the_units_robot_off_and_nobody_else_can(
    client, head_heping, reporter_heping, reporter_binhai, tianjin_units
):
    robot = Robot.objects.create(
        name="和平区群", kind="wecom", org_unit=tianjin_units["120101"], webhook_url=DING
    )
    client.force_login(reporter_heping)
    html = client.get("/notifications/").content.decode()
    assert "和平区群" in html and "停用" not in html  # a reporter sees it, may not change it
    assert (
        client.post(f"/notifications/robots/{robot.pk}/use/", {"enabled": "0"}).status_code == 403
    )
    client.force_login(reporter_binhai)
    assert (
        client.post(f"/notifications/robots/{robot.pk}/use/", {"enabled": "0"}).status_code == 404
    )
    client.force_login(head_heping)
    assert "停用" in client.get("/notifications/").content.decode()
    client.post(f"/notifications/robots/{robot.pk}/use/", {"enabled": "0"})
    robot.refresh_from_db()
    assert not robot.enabled


def test_a_person_turns_email_off(client, reporter_heping):
    client.force_login(reporter_heping)
    html = client.get("/notifications/").content.decode()
    assert "通知设置" in html and "领导小组办公室尚未开通短信" in html
    response = client.post("/notifications/", {})
    assert response.status_code == 302
    pref = Preference.objects.get(user=reporter_heping)
    assert not pref.email and not pref.sms


def test_deliveries_page_shows_the_office_everything_and_a_person_their_own(
    client, office, reporter_heping, reporter_binhai
):
    for user in (reporter_heping, reporter_binhai):
        Delivery.objects.create(
            key=f"k:{user.pk}",
            event="x",
            channel="email",
            recipient=f"{user.username}@example.org",
            user=user,
            subject=f"给{user.username}的通知",
            body="正文",
        )
    client.force_login(office)
    html = client.get("/notifications/deliveries/").content.decode()
    assert "给heping的通知" in html and "给binhai的通知" in html
    client.force_login(reporter_heping)
    html = client.get("/notifications/deliveries/").content.decode()
    assert "给heping的通知" in html and "给binhai的通知" not in html
