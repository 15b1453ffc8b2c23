"""A local SMTP server (aiosmtpd: plain, STARTTLS, SMTPS) and a local HTTP server standing in for
the group robots and the SMS adapter, each on a free loopback port, each stopped by the test.

The HTTP server checks every request the way the vendors do: 钉钉's ``timestamp`` and
``sign`` on the address, 飞书's in the body, computed here independently of the code under
test, and answers as they do (an error code when the signature is wrong).
"""

from __future__ import annotations

import base64
import email
import email.policy
import hashlib
import hmac
import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
import urllib.parse
import warnings
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

SECRETS = {"dingtalk": "SECdingtalk-test-secret-0123456789", "feishu": "feishu-test-secret-42"}
SMS_TOKEN = "sms-adapter-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Hit:
    path: str
    query: dict
    headers: dict
    body: dict
    verdict: str  # "ok" or why the server refused it


@dataclass
class WebhookServer:
    url: str
    hits: list[Hit] = field(default_factory=list)

    def of(self, kind: str) -> list[Hit]:
        return [h for h in self.hits if h.path.startswith(f"/{kind}")]


def _check(path: str, query: dict, headers: dict, body: dict) -> tuple[str, dict]:
    """The vendor's verdict and answer for one request."""
    now = time.time()
    if path.startswith("/wecom"):
        ok = query.get("key") == "wecom-key" and body.get("msgtype") == "text"
        ok = ok and bool(body.get("text", {}).get("content"))
        return (
            ("ok", {"errcode": 0, "errmsg": "ok"})
            if ok
            else (
                "bad payload",
                {"errcode": 40008, "errmsg": "invalid message type"},
            )
        )
    if path.startswith("/dingtalk"):
        if body.get("msgtype") != "text" or not body.get("text", {}).get("content"):
            return "bad payload", {"errcode": 40035, "errmsg": "缺少参数 json"}
        ts = query.get("timestamp", "")
        secret = SECRETS["dingtalk"]
        expected = base64.b64encode(
            hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
        ).decode()
        fresh = ts.isdigit() and abs(now * 1000 - int(ts)) < 3600 * 1000
        if not fresh or query.get("sign") != expected:
            return "bad signature", {"errcode": 310000, "errmsg": "sign not match"}
        return "ok", {"errcode": 0, "errmsg": "ok"}
    if path.startswith("/feishu"):
        if body.get("msg_type") != "text" or not body.get("content", {}).get("text"):
            return "bad payload", {"code": 9499, "msg": "Bad Request"}
        ts = str(body.get("timestamp", ""))
        key = f"{ts}\n{SECRETS['feishu']}".encode()
        expected = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
        fresh = ts.isdigit() and abs(now - int(ts)) < 3600
        if not fresh or body.get("sign") != expected:
            return "bad signature", {"code": 19021, "msg": "sign match fail"}
        return "ok", {"code": 0, "msg": "success"}
    if path.startswith("/sms"):
        if headers.get("authorization") != f"Bearer {SMS_TOKEN}":
            return "bad token", {"error": "unauthorised"}
        if not (body.get("to") and body.get("text") and body.get("key")):
            return "bad payload", {"error": "to, text and key are required"}
        return "ok", {"ok": True}
    return "unknown path", {}


@pytest.fixture
def webhook_server():
    hits: list[Hit] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            parts = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(parts.query))
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            try:
                body = json.loads(raw)
            except ValueError:
                body = {}
            headers = {k.lower(): v for k, v in self.headers.items()}
            verdict, answer = _check(parts.path, query, headers, body)
            hits.append(Hit(parts.path, query, headers, body, verdict))
            status = 401 if verdict == "bad token" else 200
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield WebhookServer(f"http://127.0.0.1:{server.server_address[1]}", hits)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def cert(tmp_path):
    """A throwaway self-signed certificate for 127.0.0.1 (openssl), and its key."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    key, crt = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(key), "-out", str(crt), "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return crt, key


@dataclass
class Mailbox:
    port: int
    messages: list = field(default_factory=list)
    logins: list = field(default_factory=list)


@pytest.fixture
def smtp_server():
    """``smtp_server(mode, cert=None)`` starts aiosmtpd (mode: plain, starttls or ssl) with
    login required; every server started is stopped after the test."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    started = []

    def start(mode="plain", cert=None):
        box = Mailbox(free_port())

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                message = email.message_from_bytes(
                    envelope.original_content, policy=email.policy.default
                )
                box.messages.append((envelope.rcpt_tos, message))
                return "250 OK"

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login == b"ducha" and auth_data.password == b"mail-pass"
            box.logins.append((auth_data.login, ok))
            return AuthResult(success=ok)

        context = None
        if cert is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(cert[0]), str(cert[1]))
        kwargs = {"authenticator": authenticator, "auth_required": True}
        if mode == "starttls":
            kwargs.update(tls_context=context, require_starttls=True)
        elif mode == "ssl":
            # aiosmtpd does not count implicit TLS as TLS for AUTH; the line is encrypted
            kwargs.update(ssl_context=context, auth_require_tls=False)
        else:
            kwargs.update(auth_require_tls=False)
        with warnings.catch_warnings():  # plain mode: login without TLS is what it tests
            warnings.simplefilter("ignore", UserWarning)
            controller = Controller(Handler(), hostname="127.0.0.1", port=box.port, **kwargs)
            controller.start()
        started.append(controller)
        return box

    yield start
    for controller in started:
        controller.stop()


@pytest.fixture
def smtp_settings(settings):
    """Point Django's mail at a local server: ``smtp_settings(box, security, cafile)``."""

    def use(box, security="", cafile=""):
        settings.EMAIL_BACKEND = "ducha.notifications.mail.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", box.port
        settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "ducha", "mail-pass"
        settings.EMAIL_USE_TLS = security == "starttls"
        settings.EMAIL_USE_SSL = security == "ssl"
        settings.EMAIL_TIMEOUT = 5
        settings.DUCHA_SMTP_CA_FILE = str(cafile) if cafile else ""
        settings.DEFAULT_FROM_EMAIL = "督查平台 <ducha@office.example>"

    return use
