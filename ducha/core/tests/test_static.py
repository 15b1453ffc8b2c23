"""Static files: collected and compressed for serving, finders only in development, a favicon."""

import io
import os
import socket
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


class _Started:
    """What `ducha serve` starts, recorded instead of run: each stops at once."""

    def __init__(self, argv, **kwargs):
        self.argv = argv
        STARTED.append(argv)

    def poll(self):
        return 0

    def wait(self, timeout=None):
        return 0

    def send_signal(self, signum):
        pass


STARTED: list = []


def test_serve_collects_the_static_files_only_when_they_changed(settings, tmp_path, monkeypatch):
    from ducha.core.management.commands import serve

    settings.STATIC_ROOT = tmp_path / "static"
    monkeypatch.setattr(serve.subprocess, "Popen", _Started)
    STARTED.clear()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        bind = f"127.0.0.1:{probe.getsockname()[1]}"  # free once the probe is closed
    out = io.StringIO()
    call_command("serve", f"--bind={bind}", stdout=out)
    assert (settings.STATIC_ROOT / "ducha" / "ducha.css").is_file()
    assert (settings.STATIC_ROOT / "ducha" / "ducha.css.gz").is_file()  # compressed copy
    gunicorn = next(argv for argv in STARTED if "gunicorn" in argv)
    assert f"--bind={bind}" in gunicorn
    assert any("worker" in argv for argv in STARTED) and any("scheduler" in a for a in STARTED)
    assert "静态文件" in out.getvalue()

    css = settings.STATIC_ROOT / "ducha" / "ducha.css"
    collected_at = css.stat().st_mtime_ns
    out = io.StringIO()
    call_command("serve", f"--bind={bind}", "--no-jobs", stdout=out)  # a second start
    assert css.stat().st_mtime_ns == collected_at and "静态文件" not in out.getvalue()
    assert not any("worker" in argv for argv in STARTED[3:])


@pytest.mark.django_db
def test_every_page_has_a_favicon(client, office):
    assert finders.find("ducha/favicon.svg")
    client.force_login(office)
    page = client.get(reverse("plans:list")).content.decode()
    assert 'rel="icon"' in page and "ducha/favicon.svg" in page
