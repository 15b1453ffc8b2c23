"""Notifications reach a real SMTP server and the group robots, signed, once per event.

Every test drives a real service (a return, an approval, a 督办 case …) inside a transaction
whose commit callbacks run, as a web request's do, and looks at what the local servers got.
"""

import datetime as dt

import pytest
from django.core.management import call_command

from ducha.notifications import services
from ducha.notifications.models import Delivery, DeliveryStatus, Preference, Robot
from ducha.notifications.tests.conftest import SECRETS, SMS_TOKEN, free_port
from ducha.reporting import services as reporting
from ducha.supervision import services as supervision

pytestmark = [
    pytest.mark.django_db,
    # the plain SMTP server asks for a login without TLS: what the plain-mode test means to do
    pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS"),
]
SUPPLIERS = "TJ-IND-SUPPLIER50"


@pytest.fixture
def round_(tianjin_plan, office):
    return reporting.open_round(office, tianjin_plan, "2019Q3", opened_on=dt.date(2019, 10, 8))


@pytest.fixture
def submitted(round_, reporter_heping, head_heping):
    reporter_heping.email, reporter_heping.phone = "heping@example.org", "13800000001"
    reporter_heping.save()
    head_heping.email = "head@example.org"
    head_heping.save()
    a = round_.assignments.get(org_unit__code="120101", indicator__code=SUPPLIERS)
    a = reporting.save_assignment(reporter_heping, a, expected_version=a.version, value="12")
    return reporting.submit(reporter_heping, a, expected_version=a.version)


def _robots(server, unit):
    return {
        kind: Robot.objects.create(
            name=f"和平区{kind}群",
            kind=kind,
            org_unit=unit,
            webhook_url=url,
            secret=SECRETS.get(kind, ""),
        )
        for kind, url in [
            ("wecom", f"{server.url}/wecom/send?key=wecom-key"),
            ("dingtalk", f"{server.url}/dingtalk/robot/send?access_token=tok"),
            ("feishu", f"{server.url}/feishu/open-apis/bot/v2/hook/abc"),
        ]
    }


def test_a_return_reaches_smtp_and_every_group_robot_signed(
    submitted,
    head_heping,
    tianjin_units,
    smtp_server,
    smtp_settings,
    webhook_server,
    django_capture_on_commit_callbacks,
):
    box = smtp_server("plain")
    smtp_settings(box)
    _robots(webhook_server, tianjin_units["120101"])
    with django_capture_on_commit_callbacks(execute=True):
        reporting.return_assignment(
            head_heping, submitted, expected_version=submitted.version, reason="口径不对"
        )
    # e-mail: one to each person of the unit, in Chinese, naming the item, with its link
    assert sorted(to for to, _m in box.messages) == [["head@example.org"], ["heping@example.org"]]
    message = box.messages[0][1]
    subject = str(message["Subject"]).strip()
    assert subject.startswith("[督查]") and "退回" in subject and SUPPLIERS in subject
    assert message["From"] == "督查平台 <ducha@office.example>"
    text = message.get_content()
    assert SUPPLIERS in text and "口径不对" in text
    assert f"/reporting/assignments/{submitted.pk}/" in text
    assert box.logins == [(b"ducha", True)]  # one SMTP session for both messages
    # the three robots: each got one message it accepted (payload and signature checked)
    assert [h.verdict for h in webhook_server.hits] == ["ok", "ok", "ok"]
    for hit in webhook_server.hits:
        content = hit.body.get("text", {}).get("content") or hit.body["content"]["text"]
        assert (
            SUPPLIERS in content and "口径不对" in content and "/reporting/assignments/" in content
        )
    returned = Delivery.objects.filter(event="reporting.returned")
    assert set(returned.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert returned.count() == 5


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_mail_over_tls_checks_the_servers_certificate(
    security, submitted, head_heping, cert, smtp_server, smtp_settings,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    box = smtp_server(security, cert)
    smtp_settings(box, security, cafile=cert[0])
    with django_capture_on_commit_callbacks(execute=True):
        reporting.approve(
            None, reporting.unit_approve(head_heping, submitted, expected_version=None),
            expected_version=None,
        )  # fmt: skip
    assert sorted(to for to, _m in box.messages) == [["head@example.org"], ["heping@example.org"]]
    assert "审核通过" in str(box.messages[0][1]["Subject"])

    # Without the office's CA the self-signed certificate is refused: recorded, not raised
    smtp_settings(box, security, cafile="")
    a = submitted.__class__.objects.get(pk=submitted.pk)
    with django_capture_on_commit_callbacks(execute=True):
        reporting.reopen(None, a, expected_version=None, reason="更正")
        services.notify("test.tls", "test.tls:1", subject="主题", body="正文", users=[head_heping])
    failed = Delivery.objects.get(key__startswith="test.tls:1")
    assert failed.status == DeliveryStatus.FAILED and "CERTIFICATE" in failed.error.upper()
    assert len(box.messages) == 2


def test_a_wrong_robot_secret_is_recorded_and_the_page_still_works(
    submitted, head_heping, tianjin_units, webhook_server, client,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    robot = _robots(webhook_server, tianjin_units["120101"])["dingtalk"]
    robot.secret = "SECwrong"
    robot.save()
    client.force_login(head_heping)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/reporting/assignments/{submitted.pk}/return/",
            {"version": submitted.version, "comment": "数据有误"},
        )
    assert response.status_code == 302
    assert [h.verdict for h in webhook_server.of("dingtalk")] == ["bad signature"]
    d = Delivery.objects.get(robot=robot)
    assert d.status == DeliveryStatus.FAILED and "310000" in d.error
    # the right secret, then `ducha sendnotifications`: sent, and only that one
    robot.secret = SECRETS["dingtalk"]
    robot.save()
    call_command("sendnotifications")
    assert [h.verdict for h in webhook_server.of("dingtalk")] == ["bad signature", "ok"]
    d.refresh_from_db()
    assert d.status == DeliveryStatus.SENT and d.attempts == 2
    call_command("sendnotifications")
    assert len(webhook_server.hits) == 4  # wecom, feishu, dingtalk twice: nothing again


def test_an_unreachable_robot_does_not_break_the_request(
    submitted, head_heping, tianjin_units, client, django_capture_on_commit_callbacks
):
    Robot.objects.create(
        name="断网群",
        kind="wecom",
        org_unit=tianjin_units["120101"],
        webhook_url=f"http://127.0.0.1:{free_port()}/wecom?key=x",
    )
    client.force_login(head_heping)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/reporting/assignments/{submitted.pk}/return/",
            {"version": submitted.version, "comment": "数据有误"},
        )
    assert response.status_code == 302
    d = Delivery.objects.get(channel="wecom")
    assert d.status == DeliveryStatus.FAILED and d.error


def test_sms_goes_to_the_offices_adapter_for_those_who_chose_it(
    submitted, reporter_heping, head_heping, webhook_server, settings,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.DUCHA_SMS_URL = f"{webhook_server.url}/sms"
    settings.DUCHA_SMS_TOKEN = SMS_TOKEN
    services.set_preference(reporter_heping, reporter_heping, email=False, sms=True)
    with django_capture_on_commit_callbacks(execute=True):
        reporting.return_assignment(
            head_heping, submitted, expected_version=None, reason="请补充佐证材料"
        )
    [hit] = webhook_server.of("sms")
    assert hit.verdict == "ok" and hit.body["to"] == "13800000001"
    assert SUPPLIERS in hit.body["text"] and "/reporting/assignments/" in hit.body["text"]
    channels = set(Delivery.objects.filter(user=reporter_heping).values_list("channel", flat=True))
    assert channels == {"sms"}  # e-mail turned off


def test_sms_needs_a_mobile_number(head_heping):
    with pytest.raises(services.NotificationError, match="手机号码"):
        services.set_preference(head_heping, head_heping, email=True, sms=True)
    assert not Preference.objects.filter(user=head_heping).exists()


def test_the_same_event_is_sent_once(
    reporter_heping, webhook_server, tianjin_units, smtp_server, smtp_settings,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    box = smtp_server("plain")
    smtp_settings(box)
    reporter_heping.email = "heping@example.org"
    reporter_heping.save()
    _robots(webhook_server, tianjin_units["120101"])
    for _attempt in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.notify(
                "test.event",
                "test.event:7",
                subject="[督查] 测试",
                body="同一事件",
                users=[reporter_heping],
                units=[tianjin_units["120101"]],
            )
    services.deliver()  # a second sender finds nothing waiting
    assert len(box.messages) == 1 and len(webhook_server.hits) == 3
    assert Delivery.objects.count() == 4


def test_a_case_and_its_answer_reach_the_unit_and_the_office(
    round_, office, reporter_heping, tianjin_units, webhook_server,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    office.email = "office@example.org"
    office.save()
    Robot.objects.create(
        name="办公室群", kind="wecom", org_unit=None,
        webhook_url=f"{webhook_server.url}/wecom/office?key=wecom-key",
    )  # fmt: skip
    _robots(webhook_server, tianjin_units["120101"])
    with django_capture_on_commit_callbacks(execute=True):
        case = supervision.open_case(
            office,
            kind="rectification",
            title="产业规模数据整改",
            body="请于月底前整改",
            org_unit=tianjin_units["120101"],
            due=dt.date(2019, 11, 30),
        )
    unit_hits = [h for h in webhook_server.hits if "office" not in h.path]
    assert len(unit_hits) == 3 and not webhook_server.of("wecom/office")
    with django_capture_on_commit_callbacks(execute=True):
        supervision.move_case(
            reporter_heping, case, "reported", expected_version=None, comment="已整改完毕"
        )
    [office_hit] = webhook_server.of("wecom/office")
    assert "已整改完毕" in office_hit.body["text"]["content"]
    assert f"/supervision/cases/{case.pk}/" in office_hit.body["text"]["content"]


def test_reminders_go_to_people_and_the_units_robots_once_a_day(
    round_, reporter_heping, tianjin_units, webhook_server, django_capture_on_commit_callbacks
):
    reporter_heping.email = "heping@example.org"
    reporter_heping.save()
    _robots(webhook_server, tianjin_units["120101"])
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            supervision.send_reminders(None, today=dt.date(2019, 10, 22))
    assert [h.verdict for h in webhook_server.hits] == ["ok", "ok", "ok"]
    assert "逾期" in webhook_server.of("wecom")[0].body["text"]["content"]
    assert Delivery.objects.filter(channel="email", recipient="heping@example.org").count() == 1


def test_a_published_bulletin_is_announced_once(
    office, head_heping, tianjin_units, webhook_server, django_capture_on_commit_callbacks
):
    from ducha.portal import services as portal

    head_heping.email = "head@example.org"
    head_heping.save()
    _robots(webhook_server, tianjin_units["120101"])
    bulletin = portal.save_bulletin(office, None, title="2019年第三季度通报", body="正文")
    with django_capture_on_commit_callbacks(execute=True):
        portal.set_bulletin_state(office, bulletin, published=True)
        portal.set_bulletin_state(office, bulletin, published=False)
        portal.set_bulletin_state(office, bulletin, published=True)
    assert len(webhook_server.hits) == 3
    assert "2019年第三季度通报" in webhook_server.of("feishu")[0].body["content"]["text"]
    assert Delivery.objects.filter(user=head_heping).count() == 1


def test_muted_notifies_nobody(reporter_heping, tianjin_units, webhook_server):
    reporter_heping.email = "heping@example.org"
    reporter_heping.save()
    _robots(webhook_server, tianjin_units["120101"])
    with services.muted():
        ids = services.notify("x", "x:1", subject="s", body="b", users=[reporter_heping])
    assert ids == [] and not Delivery.objects.exists()


def test_an_unreachable_mail_server_is_tried_once_per_batch(
    round_, tianjin_units, smtp_settings, django_capture_on_commit_callbacks
):
    """A server that drops every connection: the three messages fail after one attempt, not
    three (each attempt could wait for the whole timeout)."""
    import socket
    import threading

    from ducha.accounts.models import User

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = []

    def drop():
        while True:
            try:
                conn, _addr = listener.accept()
            except OSError:
                return
            accepted.append(1)
            conn.close()

    thread = threading.Thread(target=drop, daemon=True)
    thread.start()
    try:
        smtp_settings(type("Box", (), {"port": listener.getsockname()[1]})())
        people = [
            User.objects.create(username=f"u{i}", email=f"u{i}@example.org", role="reporter")
            for i in range(3)
        ]
        with django_capture_on_commit_callbacks(execute=True):
            services.notify("test.down", "test.down:1", subject="主题", body="正文", users=people)
    finally:
        listener.close()
        thread.join(5)
    failed = Delivery.objects.filter(status=DeliveryStatus.FAILED)
    assert failed.count() == 3 and len({d.error for d in failed}) == 1
    assert len(accepted) == 1


def test_the_scheduler_sends_again_what_failed_and_queues_nothing_when_nothing_waits(
    submitted, head_heping, tianjin_units, webhook_server, django_capture_on_commit_callbacks
):
    """What `ducha sendnotifications` does from cron, `ducha scheduler` queues for the worker
    every ten minutes, but only while a message waits."""
    import django.utils.timezone as tz

    from ducha.jobs import schedule

    robot = Robot.objects.create(
        name="断网群",
        kind="wecom",
        org_unit=tianjin_units["120101"],
        webhook_url=f"http://127.0.0.1:{free_port()}/wecom?key=x",
    )
    with django_capture_on_commit_callbacks(execute=True):
        reporting.return_assignment(
            head_heping, submitted, expected_version=submitted.version, reason="数据有误"
        )
    d = Delivery.objects.get(channel="wecom")
    assert d.status == DeliveryStatus.FAILED

    robot.webhook_url = f"{webhook_server.url}/wecom/send?key=wecom-key"
    robot.save()
    night = tz.make_aware(dt.datetime(2026, 12, 8, 1, 5))  # before every daily entry
    with django_capture_on_commit_callbacks(execute=True):
        [job] = schedule.tick(night)
    job.refresh_from_db()
    assert job.kind == "notify" and job.ok and "失败 0 条" in job.result["message"]
    d.refresh_from_db()
    assert d.status == DeliveryStatus.SENT and [h.verdict for h in webhook_server.hits] == ["ok"]
    assert not services.has_waiting()
    assert schedule.tick(night + dt.timedelta(minutes=10)) == []  # nothing waits: no job


def test_a_retry_being_sent_now_is_not_sent_again_by_another_process(
    submitted, head_heping, tianjin_units, webhook_server, django_capture_on_commit_callbacks
):
    """A message recorded long ago and claimed a moment ago belongs to the process sending it;
    only a claim older than any send could take is freed (its process died)."""
    from django.utils import timezone

    _robots(webhook_server, tianjin_units["120101"])
    with django_capture_on_commit_callbacks(execute=True):
        reporting.return_assignment(
            head_heping, submitted, expected_version=submitted.version, reason="数据有误"
        )
    sent = len(webhook_server.hits)
    long_ago = timezone.now() - dt.timedelta(hours=3)
    d = Delivery.objects.filter(channel="wecom").get()
    Delivery.objects.filter(pk=d.pk).update(
        status=DeliveryStatus.SENDING, created_at=long_ago, claimed_at=timezone.now()
    )
    assert not services.has_waiting()
    services.retry_failed()
    d.refresh_from_db()
    assert d.status == DeliveryStatus.SENDING and len(webhook_server.hits) == sent

    Delivery.objects.filter(pk=d.pk).update(claimed_at=long_ago)  # its process died
    assert services.has_waiting()
    services.retry_failed()
    d.refresh_from_db()
    assert d.status == DeliveryStatus.SENT and len(webhook_server.hits) == sent + 1
