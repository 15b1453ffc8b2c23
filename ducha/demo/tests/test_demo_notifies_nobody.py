"""`ducha demo`, however often it runs, notifies nobody: no e-mail printed or sent, no robot."""

import io

import pytest
from django.core.management import call_command

from ducha.notifications.models import Delivery, Robot
from ducha.orgunits.models import OrgUnit

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_running_the_demo_twice_sends_and_prints_nothing(
    settings, capsys, django_capture_on_commit_callbacks
):
    # the console backend, as on a machine without SMTP: every e-mail would be printed
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    for run in range(2):
        if run == 1:  # the second run finds accounts with addresses and a district's robot
            Robot.objects.create(
                name="和平区工作群",
                kind="wecom",
                org_unit=OrgUnit.objects.get(code="120101"),
                webhook_url="http://127.0.0.1:9/never",
            )
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("demo", stdout=out)
        assert "Subject:" not in capsys.readouterr().out
        assert "Subject:" not in out.getvalue()
        assert not Delivery.objects.exists()
