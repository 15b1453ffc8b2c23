"""Static files: collected and compressed for serving, finders only in development, a favicon."""

import io
import os
import subprocess
import sys

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse


def _setting(name, **env):
    code = f"from django.conf import settings; print(settings.{name})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "ducha.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_whitenoise_uses_finders_only_in_development():
    assert _setting("WHITENOISE_USE_FINDERS", DUCHA_DEBUG="") == "False"
    assert _setting("WHITENOISE_USE_FINDERS", DUCHA_DEBUG="1") == "True"


def test_serve_collects_the_static_files_before_starting(settings, tmp_path, monkeypatch):
    settings.STATIC_ROOT = tmp_path / "static"
    started = []
    monkeypatch.setattr(os, "execvp", lambda file, argv: started.append(argv))
    call_command("serve", "--bind=127.0.0.1:9", stdout=io.StringIO())
    assert started and "gunicorn" in started[0]
    assert (settings.STATIC_ROOT / "ducha" / "ducha.css").is_file()
    assert (settings.STATIC_ROOT / "ducha" / "ducha.css.gz").is_file()  # compressed copy


@pytest.mark.django_db
def test_every_page_has_a_favicon(client, office):
    assert finders.find("ducha/favicon.svg")
    client.force_login(office)
    page = client.get(reverse("plans:list")).content.decode()
    assert 'rel="icon"' in page and "ducha/favicon.svg" in page
