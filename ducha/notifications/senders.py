"""How a message leaves: one function per channel, each raising `SendError` with a reason.

The group robots' formats and signatures follow their vendors' documentation:

- 企业微信: POST JSON ``{"msgtype": "text", "text": {"content": …}}`` to the webhook address
  (its ``key`` is the secret); the answer is ``{"errcode": 0, …}``.
- 钉钉: the same shape; with 加签 the address gets ``timestamp`` (milliseconds) and ``sign``
  = URL-encoded Base64 of HMAC-SHA256 over ``"{timestamp}\\n{secret}"`` keyed with the
  secret; the answer is ``{"errcode": 0, …}``.
- 飞书: POST ``{"msg_type": "text", "content": {"text": …}}``; with 签名校验 the body also
  carries ``timestamp`` (seconds) and ``sign`` = Base64 of HMAC-SHA256 of an empty message
  keyed with ``"{timestamp}\\n{secret}"``; the answer is ``{"code": 0, …}``.
- SMS: a JSON POST to DUCHA_SMS_URL (the office's adapter for its provider), documented in
  docs/notifications.md.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage, get_connection


class SendError(Exception):
    """A message did not leave. `unreachable`: the server could not be reached at all (every
    other message to it would wait for the same timeout)."""

    def __init__(self, message: str, unreachable: bool = False):
        super().__init__(message)
        self.unreachable = unreachable


def _timeout() -> int:
    return int(getattr(settings, "DUCHA_NOTIFY_TIMEOUT", 10))


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """The value of 钉钉's ``sign`` parameter, not yet URL-encoded."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def _with_query(url: str, **params) -> str:
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    return url + joiner + urllib.parse.urlencode(params)


def _post_json(url: str, payload: dict, headers: dict | None = None) -> tuple[int, bytes]:
    data = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=_timeout()) as response:
            return response.status, response.read(65536)
    except urllib.error.HTTPError as exc:
        raise SendError(f"HTTP {exc.code}: {exc.read(500).decode(errors='replace')}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise SendError(str(getattr(exc, "reason", exc)), unreachable=True) from exc


def _answer(body: bytes) -> dict:
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        raise SendError(f"not JSON: {body[:200].decode(errors='replace')}") from None
    return answer if isinstance(answer, dict) else {}


def robot_text(subject: str, body: str, url: str) -> str:
    text = "\n".join(part for part in (subject, body, url) if part)
    # 企业微信 takes at most 2048 bytes of text; the others more. Cut whole characters.
    encoded = text.encode()
    if len(encoded) > 2000:
        text = encoded[:1990].decode(errors="ignore") + "…\n" + url
    return text


def send_wecom(url: str, secret: str, text: str) -> None:
    _, body = _post_json(url, {"msgtype": "text", "text": {"content": text}})
    answer = _answer(body)
    if answer.get("errcode", 0) != 0:
        raise SendError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")


def send_dingtalk(url: str, secret: str, text: str) -> None:
    if secret:
        ts = int(time.time() * 1000)
        url = _with_query(url, timestamp=ts, sign=dingtalk_sign(secret, ts))
    _, body = _post_json(url, {"msgtype": "text", "text": {"content": text}})
    answer = _answer(body)
    if answer.get("errcode", 0) != 0:
        raise SendError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")


def send_feishu(url: str, secret: str, text: str) -> None:
    payload: dict = {"msg_type": "text", "content": {"text": text}}
    if secret:
        ts = int(time.time())
        payload.update(timestamp=str(ts), sign=feishu_sign(secret, ts))
    _, body = _post_json(url, payload)
    answer = _answer(body)
    code = answer.get("code", answer.get("StatusCode", 0))
    if code != 0:
        raise SendError(f"code {code}: {answer.get('msg', answer.get('StatusMessage', ''))}")


ROBOT_SENDERS = {"wecom": send_wecom, "dingtalk": send_dingtalk, "feishu": send_feishu}


def sms_configured() -> bool:
    return bool(getattr(settings, "DUCHA_SMS_URL", ""))


def send_sms(phone: str, text: str, key: str) -> None:
    if not sms_configured():
        raise SendError("DUCHA_SMS_URL is not set")
    token = getattr(settings, "DUCHA_SMS_TOKEN", "")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    _post_json(settings.DUCHA_SMS_URL, {"to": phone, "text": text, "key": key}, headers)


def send_email(address: str, subject: str, body: str, connection=None) -> None:
    """Send one e-mail, on `connection` when given (one SMTP session for a batch)."""
    message = EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [address],
        connection=connection or get_connection(),
    )
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:  # this address only
        raise SendError(f"{type(exc).__name__}: {exc}") from exc
    except Exception as exc:  # smtplib, ssl and socket errors alike: recorded, not raised
        raise SendError(f"{type(exc).__name__}: {exc}", unreachable=True) from exc
