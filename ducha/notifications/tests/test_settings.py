"""The DUCHA_SMTP_* variables become Django's mail settings; a wrong value stops start-up."""

import json
import os
import subprocess
import sys

SCRIPT = (
    "import json, django; django.setup(); from django.conf import settings as s;"
    "print(json.dumps([s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS,"
    " s.EMAIL_USE_SSL, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.DUCHA_SMS_URL]))"
)


def _settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DUCHA_")}
    clean["DJANGO_SETTINGS_MODULE"] = "ducha.settings"
    clean["DUCHA_DATA_DIR"] = os.environ.get("DUCHA_DATA_DIR", "")
    if not clean["DUCHA_DATA_DIR"]:
        del clean["DUCHA_DATA_DIR"]
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env={**clean, **env}, capture_output=True, text=True
    )
    return done


def test_smtp_settings_come_from_the_environment():
    done = _settings(
        DUCHA_SMTP_HOST="mail.example.gov.cn",
        DUCHA_SMTP_SECURITY="ssl",
        DUCHA_SMTP_USER="ducha",
        DUCHA_SMTP_PASSWORD="pw",
        DUCHA_SMS_URL="http://127.0.0.1:9/sms",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        "ducha.notifications.mail.EmailBackend",
        "mail.example.gov.cn",
        465,
        False,
        True,
        "ducha",
        "pw",
        "http://127.0.0.1:9/sms",
    ]
    starttls = json.loads(_settings(DUCHA_SMTP_HOST="m", DUCHA_SMTP_SECURITY="starttls").stdout)
    assert starttls[2:5] == [587, True, False]


def test_without_a_mail_server_mail_is_printed_for_development():
    backend = json.loads(_settings().stdout)[0]
    assert backend == "django.core.mail.backends.console.EmailBackend"


def test_an_unknown_security_value_is_refused():
    done = _settings(DUCHA_SMTP_HOST="m", DUCHA_SMTP_SECURITY="tls")
    assert done.returncode != 0 and "DUCHA_SMTP_SECURITY" in done.stderr
