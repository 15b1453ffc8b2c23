"""`ducha serve` as an administrator meets it: a busy port, an address, the static files."""

import socket

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ducha.core import staticstamp
from ducha.core.management.commands.serve import check_free, split_bind


def test_a_busy_port_fails_at_once_with_a_clear_chinese_message():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(CommandError) as exc:
            call_command("serve", bind=f"127.0.0.1:{port}")
    message = str(exc.value)
    assert f"端口 {port}" in message and "已被占用" in message
    assert f"--bind 127.0.0.1:{port + 1}" in message


def test_a_free_port_passes_the_check():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    check_free(f"127.0.0.1:{port}")  # nothing listens there any more


@pytest.mark.parametrize(
    "bind, expected",
    [
        ("127.0.0.1:8000", ("127.0.0.1", 8000)),
        ("[::1]:9000", ("::1", 9000)),
        (":80", ("0.0.0.0", 80)),
    ],
)
def test_bind_addresses_are_read_as_gunicorn_reads_them(bind, expected):
    assert split_bind(bind) == expected


@pytest.mark.parametrize("bind", ["127.0.0.1", "127.0.0.1:99999", "127.0.0.1:http"])
def test_a_bind_without_a_usable_port_is_refused_in_chinese(bind):
    with pytest.raises(CommandError) as exc:
        split_bind(bind)
    assert "端口" in str(exc.value) or "地址" in str(exc.value)


def test_collected_static_files_are_stale_only_until_collected_again(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATICFILES_DIRS = [tmp_path / "src"]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "site.css").write_text("body { color: #111 }\n" * 200)
    assert staticstamp.is_stale()  # never collected
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "static" / "site.css.gz").exists()  # compressed once, here
    assert not staticstamp.is_stale()
    (tmp_path / "src" / "site.css").write_text("body { color: #222; margin: 0 }")
    assert staticstamp.is_stale()  # an upgrade changed a file: serve collects again
