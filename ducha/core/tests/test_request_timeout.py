"""`ducha serve` kills a request that runs past its timeout, and keeps serving the others."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

TIMEOUT = 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str, timeout: float) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _wait_until_up(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if process.poll() is not None:
            raise AssertionError(f"ducha serve exited with {process.returncode}")
        try:
            if _get(port, "/alive/", 2)[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("ducha serve did not answer within a minute")


@pytest.fixture
def server(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ducha.core.tests.slow_site",
        "DUCHA_DATA_DIR": str(tmp_path),
        "DUCHA_REQUEST_TIMEOUT": str(TIMEOUT),
        "PYTHONPATH": str(Path(__file__).resolve().parents[3]),
    }
    env.pop("DUCHA_DATABASE_URL", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ducha.cli",
            "serve",
            f"--bind=127.0.0.1:{port}",
            "--workers=1",
            "--no-jobs",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _wait_until_up(port, process)
        yield port, process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        process.stderr.close()


@pytest.mark.slow
def test_a_stuck_request_is_killed_by_the_server_timeout_and_the_server_serves_on(server):
    port, process = server
    started = time.monotonic()
    try:
        status, body = _get(port, "/stuck/", timeout=90)
    except (http.client.HTTPException, ConnectionError, TimeoutError):
        status, body = None, b""  # the worker died mid-request and the connection closed
    elapsed = time.monotonic() - started
    assert b"finished" not in body
    assert status in (None, 500)  # gunicorn answers 500 for the worker it aborts
    # gunicorn's arbiter looks about once a second; a loaded machine adds some seconds
    assert elapsed < 40, f"the stuck request ran {elapsed:.0f} s, past the {TIMEOUT} s timeout"
    assert process.poll() is None
    _wait_until_up(port, process)  # a fresh worker took over
    assert _get(port, "/alive/", 10) == (200, b"alive")
