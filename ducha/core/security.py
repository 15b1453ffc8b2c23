"""Sign-in lockout (django-axes), the client's address behind a proxy, and security events.

`LockoutBackend` is django-axes' standalone backend, except that an `authenticate()` call
without a request (Django's test client `login()`, a management command) is not a login
attempt over the web and is left to the next backend instead of being refused.
Every sign-in through a page passes its request and is counted.

`client_ip` is the address the lockout counts and the security log records: the peer's own,
or, when the peer is a trusted proxy (`DUCHA_TRUSTED_PROXIES`), the client X-Forwarded-For
names. Nobody can lock everyone out through the proxy's address, and nobody dodges the
lockout by sending the header themselves.

Security events go to the one audit log under ``security.``: refused sign-ins, lockouts and
refused writes (`SecurityEventMiddleware`); the office reads them on /audit/security/.
"""

from __future__ import annotations

import ipaddress
import logging

from axes.backends import AxesStandaloneBackend
from django.conf import settings

log = logging.getLogger("ducha.security")

LOGIN_FAILED = "security.login.failed"
LOCKED_OUT = "security.login.locked_out"
WRITE_REFUSED = "security.write.refused"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address) -> bool:
    return address is not None and any(
        address in network for network in settings.DUCHA_TRUSTED_PROXIES
    )


def client_ip(request) -> str:
    """The client's address: X-Forwarded-For is read from the right, past trusted proxies
    only; the first hop no trusted proxy vouches for is the client."""
    peer = request.META.get("REMOTE_ADDR", "")
    if not _trusted(_address(peer)):
        return peer
    client = peer
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:
            break  # garbage: the last address a trusted proxy gave stands
        client = str(address)
        if not _trusted(address):
            break
    return client


def record_event(request, action: str, *, username: str = "", **details) -> None:
    """One security event in the audit log. Never lets the request fail: a broken log is
    reported in the server's log instead."""
    from ducha.audit.services import record

    user = getattr(request, "user", None)
    actor = user if user is not None and user.is_authenticated else None
    changes = {
        "ip": client_ip(request),
        "method": request.method,
        "path": request.path[:300],
        **({"username": username[:150]} if username else {}),
        **details,
    }
    try:
        record(actor, action, None, changes=changes, org_unit=getattr(actor, "org_unit", None))
    except Exception:
        log.exception("could not record the security event %s %s", action, changes)
    log.warning("%s %s", action, changes)


def on_login_failed(sender, credentials, request=None, **kwargs):
    # A locked account's attempts are recorded as lockouts (axes signals those itself).
    if request is None or getattr(request, "axes_locked_out", False):
        return
    record_event(request, LOGIN_FAILED, username=str(credentials.get("username") or ""))


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    if request is None:
        return
    failures = getattr(request, "axes_failures_since_start", None)
    record_event(request, LOCKED_OUT, username=str(username or ""), failures=failures)


class SecurityEventMiddleware:
    """Records every refused write (403, and 401 from the API) on pages, the admin and the API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in WRITE_METHODS and response.status_code in (401, 403):
            username = getattr(getattr(request, "user", None), "username", "") or ""
            record_event(request, WRITE_REFUSED, username=username, status=response.status_code)
        return response
