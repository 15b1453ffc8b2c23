"""/healthz for monitoring, and the access log: what an administrator's tools read."""

import datetime as dt
import ipaddress
import json
import logging
import logging.config

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_signing_in_and_says_nothing_sensitive(client, settings):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "migrations", "jobs", "disk"}
    assert body["checks"]["migrations"] == {"ok": True, "pending": 0}
    assert body["checks"]["jobs"]["oldest_queued_seconds"] is None
    text = response.content.decode()
    for secret in (str(settings.DATA_DIR), settings.SECRET_KEY, "postgres", "sqlite"):
        assert secret not in text


def test_healthz_fails_with_503_when_a_job_waits_too_long(client, settings, office):
    from django_tasks_db.models import DBTaskResult

    from ducha.jobs.services import start
    from ducha.jobs.tests import handlers
    from ducha.jobs.tests.conftest import DATABASE_TASKS

    settings.TASKS = DATABASE_TASKS  # queued, and no worker running
    job = start(office, handlers.count, kind="test", title="无人处理")
    DBTaskResult.objects.filter(pk=job.task_id).update(
        enqueued_at=timezone.now() - dt.timedelta(seconds=settings.DUCHA_HEALTH_QUEUE_SECONDS + 60)
    )
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail" and body["checks"]["jobs"]["ok"] is False
    assert body["checks"]["jobs"]["oldest_queued_seconds"] > settings.DUCHA_HEALTH_QUEUE_SECONDS
    assert body["checks"]["database"]["ok"] is True


def test_healthz_fails_when_the_data_disk_is_nearly_full(client, settings):
    settings.DUCHA_HEALTH_DISK_MB = 10**9  # a petabyte free, or it is "full"
    body = client.get(reverse("healthz")).json()
    assert body["status"] == "fail" and body["checks"]["disk"]["ok"] is False


def test_each_request_is_logged_with_its_time_and_user(client, office, caplog):
    client.force_login(office)
    with caplog.at_level(logging.INFO, logger="ducha.access"):
        client.get(reverse("jobs:list"), REMOTE_ADDR="10.1.2.3")
        client.logout()
        client.get(reverse("healthz"))
    first, second = (r for r in caplog.records if r.name == "ducha.access")
    assert first.user == "office" and first.status == 200 and first.path == "/jobs/"
    assert first.duration_ms >= 0 and first.client == "10.1.2.3"
    assert "user=office" in first.getMessage() and "ms" in first.getMessage()
    assert second.user == "-"


def test_the_forwarded_address_counts_only_from_a_trusted_proxy(client, settings, caplog):
    settings.DUCHA_TRUSTED_PROXIES = (ipaddress.ip_network("127.0.0.1"),)
    with caplog.at_level(logging.INFO, logger="ducha.access"):
        client.get(reverse("healthz"), HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9")
        client.get(reverse("healthz"), REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="1.1.1.1")
    via_proxy, direct = (r for r in caplog.records if r.name == "ducha.access")
    assert via_proxy.client == "203.0.113.9"  # what nginx appended: the real peer
    assert direct.client == "198.51.100.7"  # anyone else's header is ignored


def test_json_logs_are_one_object_a_line_with_the_request_fields():
    from ducha import settings as ducha_settings

    config = ducha_settings.LOGGING["formatters"]["json"]
    formatter = logging.config.DictConfigurator({}).configure_formatter(dict(config))
    record = logging.LogRecord("ducha.access", logging.INFO, "x", 1, "GET /", None, None)
    record.user, record.duration_ms = "office", 12.5
    line = json.loads(formatter.format(record))
    assert line["logger"] == "ducha.access" and line["level"] == "INFO"
    assert line["message"] == "GET /" and line["user"] == "office" and line["duration_ms"] == 12.5
