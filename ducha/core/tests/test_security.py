"""Security basics: lockout, password rules, CSRF, and `check --deploy` in production."""

import os
import secrets
import subprocess
import sys

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_account_is_locked_after_repeated_failed_logins(
    client, settings, reporter_heping, django_user_model
):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        assert _login(client, "heping", "wrong-password").status_code in (200, 429)
    response = _login(client, "heping", "pw-for-tests-only")  # the right one, too late
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # another account from the same address is not affected
    django_user_model.objects.create_user("hexi", password="pw-for-tests-only", role="reporter")
    response = _login(client, "hexi", "pw-for-tests-only")
    assert response.status_code == 302


def test_right_password_before_the_limit_logs_in(client, reporter_heping):
    _login(client, "heping", "wrong-password")
    assert _login(client, "heping", "pw-for-tests-only").status_code == 302
    assert client.session["_auth_user_id"] == str(reporter_heping.pk)


@pytest.mark.parametrize("weak", ["short1", "12345678901", "password123"])
def test_weak_passwords_are_refused(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DUCHA_PRODUCTION": "1",
        "DUCHA_SECRET_KEY": secrets.token_urlsafe(50),
        "DUCHA_ALLOWED_HOSTS": "ducha.example.gov.cn",
        "DUCHA_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "ducha.settings",
    }
    env.pop("DUCHA_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-m", "ducha", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
