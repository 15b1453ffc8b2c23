"""Behind a reverse proxy, lockout and the security log see the real client; refused sign-ins,
lockouts and refused writes are recorded for the office (docs/security.md)."""

import ipaddress

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from ducha.audit.models import AuditEntry
from ducha.core.security import LOCKED_OUT, LOGIN_FAILED, WRITE_REFUSED, client_ip

PROXY = "10.0.0.5"
ALICE = "203.0.113.9"  # two people behind the same proxy
BOB = "198.51.100.7"


@pytest.fixture
def behind_proxy(settings):
    settings.DUCHA_TRUSTED_PROXIES = (
        ipaddress.ip_network("10.0.0.0/29"),
        ipaddress.ip_network("fd00::/8"),
    )
    settings.AXES_FAILURE_LIMIT = 3


def _ip(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(settings):
    settings.DUCHA_TRUSTED_PROXIES = ()
    assert _ip(ALICE, "1.2.3.4") == ALICE
    assert _ip(PROXY, ALICE) == PROXY  # nothing trusted by default: the proxy's own


def test_forwarded_for_is_read_from_the_right_past_trusted_proxies(behind_proxy):
    assert _ip(PROXY, ALICE) == ALICE
    assert _ip(PROXY, f"1.2.3.4, {ALICE}") == ALICE  # a forged first hop is not believed
    assert _ip(PROXY, f"1.2.3.4, {ALICE}, 10.0.0.2") == ALICE  # two proxies in a row
    assert _ip(PROXY, f"{ALICE}, not-an-address") == PROXY  # garbage: the proxy stands
    assert _ip(PROXY) == PROXY
    assert _ip("fd00::1", f" {BOB} ") == BOB
    assert _ip(ALICE, BOB) == ALICE  # a client is not a proxy


def _login(client, password, remote, forwarded=None, username="heping"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


@pytest.mark.django_db
def test_one_person_behind_the_proxy_cannot_lock_out_everyone(behind_proxy, reporter_heping):
    for _ in range(3):
        _login(Client(), "wrong-password", PROXY, ALICE)
    assert _login(Client(), "pw-for-tests-only", PROXY, ALICE).status_code == 429
    # Bob comes through the same proxy: his address is his own, and he signs in.
    assert _login(Client(), "pw-for-tests-only", PROXY, BOB).status_code == 302


@pytest.mark.django_db
def test_nobody_dodges_the_lockout_by_sending_forwarded_for(behind_proxy, reporter_heping):
    # Straight to the server (not a trusted proxy): a new made-up header each time.
    for i in range(3):
        _login(Client(), "wrong-password", ALICE, f"192.0.2.{i}")
    assert _login(Client(), "pw-for-tests-only", ALICE, "192.0.2.77").status_code == 429
    # Through the proxy, with a forged header in front of the one the proxy adds.
    for i in range(3):
        _login(Client(), "wrong-password", PROXY, f"192.0.2.{i}, {BOB}")
    assert _login(Client(), "pw-for-tests-only", PROXY, f"192.0.2.99, {BOB}").status_code == 429


def _events(action):
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


@pytest.mark.django_db
def test_refused_sign_ins_and_the_lockout_are_recorded_with_the_client(
    behind_proxy, reporter_heping
):
    for _ in range(2):
        _login(Client(), "wrong-password", PROXY, ALICE)
    failed = _events(LOGIN_FAILED)
    assert [(e.changes["username"], e.changes["ip"]) for e in failed] == [("heping", ALICE)] * 2
    assert "wrong-password" not in str(failed[0].changes)  # never the password tried
    _login(Client(), "wrong-password", PROXY, ALICE)  # the third: locked
    _login(Client(), "pw-for-tests-only", PROXY, ALICE)  # refused while locked
    locked = _events(LOCKED_OUT)
    assert len(locked) == 2 and {e.changes["ip"] for e in locked} == {ALICE}
    assert len(_events(LOGIN_FAILED)) == 2


@pytest.mark.django_db
def test_refused_writes_on_pages_and_the_api_are_recorded(tianjin_plan, reporter_heping):
    client = Client()
    client.force_login(reporter_heping)
    assert client.post(reverse("registers:recompute")).status_code == 403
    assert client.get(reverse("audit:log")).status_code == 403  # a read: not a write event
    refused = client.put(
        "/api/reporting/assignments/999999", {"version": 1}, content_type="application/json"
    )
    assert refused.status_code in (403, 404)
    anonymous = Client().post("/api/reporting/assignments/1/submit", {}, "application/json")
    assert anonymous.status_code == 401
    events = _events(WRITE_REFUSED)
    assert [(e.changes["method"], e.changes["path"], e.changes["status"]) for e in events][:1] == [
        ("POST", reverse("registers:recompute"), 403)
    ]
    assert events[0].actor == reporter_heping and events[0].changes["username"] == "heping"
    assert ("POST", "/api/reporting/assignments/1/submit", 401) in [
        (e.changes["method"], e.changes["path"], e.changes["status"]) for e in events
    ]


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_is_a_refused_write(reporter_heping):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter_heping)
    assert client.post(reverse("logout")).status_code == 403
    assert _events(WRITE_REFUSED)[0].changes["path"] == reverse("logout")


@pytest.mark.django_db
def test_the_office_reads_security_events_filtered_and_in_chinese(
    behind_proxy, office, leader, reporter_heping
):
    _login(Client(), "wrong-password", PROXY, ALICE)
    _login(Client(), "wrong-password", PROXY, BOB, username="nobody")
    client = Client()
    client.force_login(office)
    log = client.get(reverse("audit:log")).content.decode()
    assert reverse("audit:security") in log  # linked where the office finds the audit log
    page = client.get(reverse("audit:security")).content.decode()
    assert "安全事件" in page and "登录被拒绝" in page
    assert ALICE in page and BOB in page
    only_bob = client.get(reverse("audit:security"), {"ip": "198.51"}).content.decode()
    assert BOB in only_bob and ALICE not in only_bob
    only_heping = client.get(reverse("audit:security"), {"username": "HEP"}).content.decode()
    assert ALICE in only_heping and BOB not in only_heping
    nothing = client.get(reverse("audit:security"), {"event": LOCKED_OUT}).content.decode()
    assert ALICE not in nothing
    bad = client.get(reverse("audit:security"), {"since": "99999-99-99", "page": "x" * 50})
    assert bad.status_code == 200  # a bad filter is ignored, not an error

    reader = Client()
    reader.force_login(leader)
    assert reader.get(reverse("audit:security")).status_code == 403
    assert ALICE not in reader.get(reverse("audit:log")).content.decode()
    unit = Client()
    unit.force_login(reporter_heping)
    assert unit.get(reverse("audit:security")).status_code == 403


@pytest.mark.django_db
def test_security_events_are_paginated(office):
    from ducha.audit.services import record

    for i in range(120):
        record(None, LOGIN_FAILED, changes={"username": f"u{i:03d}", "ip": "192.0.2.1"})
    client = Client()
    client.force_login(office)
    first = client.get(reverse("audit:security")).content.decode()
    assert "u119" in first and "u000" not in first
    last = client.get(reverse("audit:security"), {"page": 3}).content.decode()
    assert "u000" in last and "第 3 页，共 3 页" in last
