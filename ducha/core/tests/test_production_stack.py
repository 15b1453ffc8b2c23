"""The production stack of `deploy/`, end to end on this machine.

The systemd units, the nginx site and the environment template of `deploy/` are rendered
with loopback ports and a temporary directory, and their very commands are started: two
gunicorn instances behind nginx's upstream, a job worker and the scheduler, on a PostgreSQL
database of its own. Then people work through nginx: a reporter submits, the unit head
approves, the office approves, and the assessment changes, on both app servers at once.
Everything started is stopped, and the temporary directory and database are removed.

nginx runs unprivileged: its own prefix, pid, temp and log paths; as `nobody` when the
test runs as root (CI). Runs in the PostgreSQL pass of `make test`; in CI (CI=true) a
missing nginx is a failure, not a skip.
"""

from __future__ import annotations

import http.client
import http.cookies
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
PASSWORD = "ducha-demo-2018"  # the demo accounts'
CLIENT_ADDRESS = "127.0.0.2"  # people reach nginx from here; nginx reaches gunicorn from .1

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- rendering deploy/ ---------------------------------------------------------------------------


def read_env_template(path: Path) -> dict[str, str]:
    env = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value.strip()
    return env


def read_unit(path: Path) -> dict[str, str]:
    """The [Service] settings of a systemd unit (one value per key is all deploy/ uses)."""
    section, service = None, {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            service[key] = value
    return service


def replace_once(text: str, old: str, new: str) -> str:
    """A rendering step that must find what it replaces: deploy/ changing shape fails here."""
    assert old in text, f"deploy/ no longer contains {old!r}"
    return text.replace(old, new)


class Stack:
    def __init__(self, base: Path, database_url: str):
        self.base = base
        self.data = base / "data"
        self.logs = base / "logs"
        self.web_ports = [free_port(), free_port()]
        self.nginx_port = free_port()
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs.mkdir(parents=True)
        self.env_file = base / "ducha.env"
        env = read_env_template(DEPLOY / "ducha.env.example")
        site = f"http://127.0.0.1:{self.nginx_port}"
        env.update(
            DUCHA_SECRET_KEY=secrets.token_urlsafe(50),
            DUCHA_PRODUCTION="0",  # plain HTTP on loopback: no secure-only cookies
            DUCHA_ALLOWED_HOSTS="127.0.0.1,localhost",
            DUCHA_CSRF_TRUSTED_ORIGINS=site,
            DUCHA_BASE_URL=site,
            DUCHA_DATABASE_URL=database_url,
            DUCHA_DATA_DIR=str(self.data),
            DUCHA_WORKERS="2",
            # the template's mail server is an example: nothing leaves this machine
            DUCHA_SMTP_HOST="",
            DUCHA_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        )
        assert env["DUCHA_TRUSTED_PROXIES"] == "127.0.0.1"  # what the template says
        self.env_file.write_text("".join(f"{k}={v}\n" for k, v in env.items()))
        self.env = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
        for key in ("DUCHA_TASKS_BACKEND", "DUCHA_TEST_SQLITE_NAME"):
            self.env.pop(key, None)

    # the commands of the units, as systemd would run them
    def unit_command(self, unit: str, instance: str = "") -> list[str]:
        service = read_unit(DEPLOY / "systemd" / unit)
        assert service["EnvironmentFile"] == "/etc/ducha/ducha.env"
        assert service["WorkingDirectory"] == "/opt/ducha"
        line = service["ExecStart"].replace("%i", instance)
        line = replace_once(line, "/opt/ducha/.venv/bin/", str(Path(sys.executable).parent) + "/")
        line = re.sub(r"\$\{(\w+)\}", lambda m: self.env[m.group(1)], line)
        return shlex.split(line)

    def ducha(self, *args: str, timeout: float = 600) -> str:
        result = subprocess.run(
            [str(Path(sys.executable).parent / "ducha"), *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, f"ducha {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def start(self, name: str, argv: list[str], **kwargs) -> None:
        log = (self.logs / f"{name}.log").open("w")
        self.processes[name] = subprocess.Popen(
            argv, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, **kwargs
        )
        log.close()

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def wait_http(self, port: int, path: str = "/healthz", seconds: float = 180) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for name, proc in self.processes.items():
                assert proc.poll() is None, f"{name} stopped:\n{self.log(name)}"
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", path)
                if conn.getresponse().status in (200, 503):
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"nothing answered on port {port}")

    def render_nginx(self) -> list[str]:
        """nginx.conf around deploy's site, with its own prefix, and the command to run it."""
        prefix = self.base / "nginx"
        for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (prefix / "temp" / sub).mkdir(parents=True)
        site = (DEPLOY / "nginx" / "ducha.conf").read_text()
        for shipped, port in zip((8001, 8002), self.web_ports, strict=True):
            site = replace_once(site, f"server 127.0.0.1:{shipped} ", f"server 127.0.0.1:{port} ")
        site = replace_once(site, "listen 80;", f"listen 127.0.0.1:{self.nginx_port};")
        site = replace_once(site, "listen [::]:80;", "")
        site = replace_once(site, "/var/log/nginx/", f"{self.logs}/nginx-")
        site = replace_once(site, "alias /var/lib/ducha/static/;", f"alias {self.data}/static/;")
        (prefix / "ducha-site.conf").write_text(site)
        temp = prefix / "temp"
        (prefix / "nginx.conf").write_text(
            f"""daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {self.logs}/nginx-error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {temp}/client_body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {prefix}/ducha-site.conf;
}}
"""
        )
        argv = [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", "stderr"]
        if os.geteuid() == 0:  # CI runs as root: nginx itself does not
            # nobody must pass through the test run's own temporary directories (0700) to
            # reach the prefix; passing, not listing.
            own = os.environ.get("PYTEST_DUCHA_OWN_TMP")
            for parent in self.base.parents:
                if own and parent.is_relative_to(own):
                    parent.chmod(parent.stat().st_mode | 0o001)
            for path in [self.base, *self.base.rglob("*")]:
                if path.is_dir():
                    path.chmod(0o755)
            for path in [prefix, *prefix.rglob("*"), self.logs, *self.logs.rglob("*")]:
                os.chown(path, *_nobody())
            argv = ["runuser", "-u", "nobody", "--", *argv]
        return argv

    def stop(self) -> None:
        for proc in self.processes.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for name, proc in self.processes.items():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
                raise AssertionError(f"{name} did not stop on SIGTERM") from None


def _nobody() -> tuple[int, int]:
    import pwd

    entry = pwd.getpwnam("nobody")
    return entry.pw_uid, entry.pw_gid


# --- a person at a browser (cookies, CSRF), from the client address ------------------------------


class Person:
    def __init__(self, port: int, source: str = CLIENT_ADDRESS):
        self.port, self.source = port, source
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body=None, headers=None, form=None):
        headers = dict(headers or {})
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
            headers["Content-Type"] = "application/json"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method not in ("GET", "HEAD") and "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60, source_address=(self.source, 0)
        )
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie(header)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value
        conn.close()
        return response, data

    def login(self, username: str) -> Person:
        _, page = self.request("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        response, _ = self.request(
            "POST",
            "/login/",
            form={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        )
        assert response.status == 302, f"{username} could not sign in"
        return self

    def api(self, method: str, path: str, body=None) -> dict:
        response, data = self.request(method, f"/api{path}", body=body)
        assert response.status == 200, (path, response.status, data[:500])
        return json.loads(data)


def indicator_status(person: Person, code: str) -> tuple[str, float | None]:
    doc = person.api("GET", "/assessments/tianjin-2018-ai")
    found = next(i for i in doc["indicators"] if i["code"] == code)
    return found["status"], found["value"]


def tree_status(person: Person, code: str) -> str:
    """The status the plan tree (the cockpit's memoised assessment) shows for an indicator."""
    _, page = person.request("GET", "/dashboards/tianjin-2018-ai/tree/")
    html = page.decode()
    at = html.index(f">{code}<")
    row = html[html.rfind("<tr", 0, at) : html.find("</tr>", at)]
    return re.findall(r"status status-([a-z_]+)", row)[-1]


# --- the test ------------------------------------------------------------------------------------


@pytest.fixture
def stack_database(transactional_db):
    """A database of its own on the PostgreSQL server of the test run, dropped afterwards.
    (Through the test database's connection, outside any transaction: CREATE DATABASE.)"""
    url = os.environ.get("DUCHA_DATABASE_URL", "")
    if connection.vendor != "postgresql" or not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("runs in the PostgreSQL pass of make test (DUCHA_DATABASE_URL)")
    name = f"ducha_stack_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/" + name))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_the_deploy_stack_serves_a_reporting_round_trip_through_nginx(stack_database):
    if NGINX is None:
        message = "nginx is not installed (apt-get install nginx)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"the production stack test cannot run in CI: {message}", pytrace=False)
        pytest.skip(message)
    base = Path(tempfile.mkdtemp(prefix="ducha-stack-"))
    stack = Stack(base, stack_database)
    try:
        _run(stack)
    except BaseException:
        stack.stop()
        for name in stack.processes:
            print(f"--- {name}\n{stack.log(name)[-3000:]}")
        raise
    else:
        stack.stop()
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _run(stack: Stack) -> None:
    # what docs/deployment.md has the administrator run once
    stack.ducha("migrate", "--noinput", "-v0")
    _collect_static(stack)
    stack.ducha("demo")  # the org units, the plan, accounts for every role, an open round

    for i, port in enumerate(stack.web_ports):
        stack.start(f"web{i + 1}", stack.unit_command("ducha-web@.service", str(port)))
    stack.start("worker", stack.unit_command("ducha-worker@.service", "1"))
    stack.start("scheduler", stack.unit_command("ducha-scheduler.service"))
    for port in stack.web_ports:
        stack.wait_http(port)
    stack.start("nginx", stack.render_nginx())
    stack.wait_http(stack.nginx_port)

    # /healthz through nginx: everything fine, the queue served by the worker
    anyone = Person(stack.nginx_port)
    response, data = anyone.request("GET", "/healthz")
    health = json.loads(data)
    assert response.status == 200 and health["status"] == "ok", health

    # static files come from nginx, compressed, and never reach gunicorn
    gzip = {"Accept-Encoding": "gzip"}
    response, data = anyone.request("GET", "/static/ducha/ducha.css", headers=gzip)
    assert response.status == 200 and response.getheader("Content-Encoding") == "gzip"
    assert response.getheader("Server", "").startswith("nginx")

    # the reporting round trip, each person through nginx
    reporter = Person(stack.nginx_port).login("gxj")
    head = Person(stack.nginx_port).login("gxj_head")
    office = Person(stack.nginx_port).login("office")
    a = next(
        x
        for x in reporter.api("GET", "/reporting/assignments?limit=200")["items"]
        if x["indicator"] == "TJ-ECO-DOMAINPILOT"
    )
    before = indicator_status(office, "TJ-ECO-DOMAINPILOT")
    path = f"/reporting/assignments/{a['id']}"
    a = reporter.api(
        "PUT", path, {"version": a["version"], "value": "40", "explanation": "新增试点企业"}
    )
    a = reporter.api("POST", f"{path}/submit", {"version": a["version"]})
    a = head.api("POST", f"{path}/unit-approve", {"version": a["version"]})

    # two app servers, one truth: both have the plan tree memoised before the approval …
    direct = [Person(port, "127.0.0.1").login("office") for port in stack.web_ports]
    tree_before = [tree_status(p, "TJ-ECO-DOMAINPILOT") for p in direct]
    assert tree_before[0] == tree_before[1] != "achieved"
    # … the office approves through nginx (one of them takes it) …
    a = office.api("POST", f"{path}/approve", {"version": a["version"]})
    assert a["status"] == "approved"
    # … and both show it at once, the assessment too
    assert [tree_status(p, "TJ-ECO-DOMAINPILOT") for p in direct] == ["achieved", "achieved"]
    after = indicator_status(office, "TJ-ECO-DOMAINPILOT")
    assert before != after and after == ("achieved", 40.0)

    # one data directory: a bulletin's Word file, asked for on one server, rendered by the
    # worker, is downloaded from the other
    _, public = anyone.request("GET", "/public/")
    bulletin = re.search(rb"/public/bulletins/(\d+)/", public).group(1).decode()
    url = f"/public/bulletins/{bulletin}/docx/"
    first, second = (Person(port, "127.0.0.1") for port in stack.web_ports)
    response, page = first.request("GET", url)
    assert response.status == 200 and b'http-equiv="refresh"' in page  # being made
    deadline = time.monotonic() + 180
    while b'http-equiv="refresh"' in page and time.monotonic() < deadline:
        time.sleep(0.5)
        response, page = second.request("GET", url + "?wait=1")
    response, data = second.request("GET", url)
    assert response.getheader("Content-Disposition", "").startswith("attachment")
    assert data[:2] == b"PK"  # a .docx
    # a background job through the site: the office opens a round, the worker opens it
    response, page = office.request("GET", "/reporting/rounds/new/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    plan_id = re.search(rb'<option value="(\d+)"', page).group(1)
    response, _ = office.request(
        "POST",
        "/reporting/rounds/new/",
        form={
            "csrfmiddlewaretoken": token,
            "plan": plan_id,
            "period": "2021Q1",
            "opened_on": "2021-04-01",
            "working_days": "10",
            "change_threshold": "0.3",
        },
    )
    assert response.status == 302 and "/jobs/" in response.getheader("Location")
    job_path = urllib.parse.urlsplit(response.getheader("Location")).path
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        _, fragment = office.request("GET", f"{job_path}status/")
        if b"data-job-poll" not in fragment:
            break
        time.sleep(0.5)
    assert "已开启".encode() in fragment or b"2021" in fragment, fragment.decode()[:800]
    assert b"/reporting/rounds/" in fragment

    # the real client address reached the app through nginx (DUCHA_TRUSTED_PROXIES)
    logs = stack.log("web1") + stack.log("web2")
    assert f"{CLIENT_ADDRESS} " in logs and "user=office" in logs
    assert "/static/" not in logs


def _collect_static(stack: Stack) -> None:
    """`ducha collectstatic`, as the administrator runs it; the copy `make install` collected
    for this checkout is reused when it is current (compressing every file takes a minute)."""
    from ducha.core import staticstamp

    collected = ROOT / "var" / "static"  # the default data directory's
    stamp = collected / staticstamp.STAMP_NAME
    if stamp.exists() and stamp.read_text().strip() == staticstamp.fingerprint():
        shutil.copytree(collected, stack.data / "static")
    else:
        stack.ducha("collectstatic", "--noinput", "-v0")


def test_nginx_takes_every_upload_the_app_takes_and_waits_as_long_as_gunicorn():
    from django.conf import settings

    site = (DEPLOY / "nginx" / "ducha.conf").read_text()
    limit_mb = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))
    largest = max(
        settings.DUCHA_IMPORT_MAX_BYTES,
        settings.DUCHA_EVIDENCE_MAX_BYTES,
        settings.DUCHA_EXTRACT_MAX_BYTES,
    )
    assert largest < limit_mb * 1024 * 1024 <= largest + 4 * 1024 * 1024  # the form's overhead
    unit = read_unit(DEPLOY / "systemd" / "ducha-web@.service")["ExecStart"]
    timeout = re.search(r"--timeout (\S+)", unit).group(1)
    if timeout.startswith("${"):  # the unit reads it from the settings file
        env = (DEPLOY / "ducha.env.example").read_text()
        timeout = re.search(rf"^{timeout[2:-1]}=(\d+)$", env, re.M).group(1)
    gunicorn_timeout = int(timeout)
    read_timeout = int(re.search(r"proxy_read_timeout (\d+)s;", site).group(1))
    assert read_timeout > gunicorn_timeout  # gunicorn answers (or gives up) before nginx does
    assert "X-Forwarded-For $remote_addr" in site


def test_the_web_unit_starts_with_serves_defaults_when_the_settings_file_leaves_them_out():
    """An env file without DUCHA_WORKERS or DUCHA_REQUEST_TIMEOUT must not leave gunicorn's
    `--workers` empty: the unit carries the same defaults as `ducha serve`."""
    from ducha.core.management.commands import serve

    unit = read_unit(DEPLOY / "systemd" / "ducha-web@.service")
    defaults = dict(pair.split("=", 1) for pair in unit["Environment"].split())
    used = set(re.findall(r"\$\{(\w+)\}", unit["ExecStart"]))
    assert used <= set(defaults), used - set(defaults)
    source = Path(serve.__file__).read_text()
    for name, value in defaults.items():
        assert re.search(rf"""['"]{name}['"],\s*['"]?{value}['"]?\)""", source), name
