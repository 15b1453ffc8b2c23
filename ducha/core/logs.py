"""The access log: one line per request with its time and who made it (`ducha.access`).

Gunicorn's own access log cannot know the signed-in user; this middleware does, and writes
through Python logging, so `DUCHA_LOG_FORMAT=json` makes each request one JSON object.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings

logger = logging.getLogger("ducha.access")


def client_address(request) -> str:
    """The client's address: from X-Forwarded-For only when the request came from a proxy
    this site trusts (`DUCHA_TRUSTED_PROXIES`, nginx on the same machine in `deploy/`)."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = getattr(settings, "DUCHA_TRUSTED_PROXIES", [])
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and remote in trusted:
        return forwarded.split(",")[-1].strip() or remote
    return remote


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        if logger.isEnabledFor(logging.INFO):
            user = getattr(request, "user", None)
            username = user.get_username() if user is not None and user.is_authenticated else "-"
            ms = round((time.perf_counter() - started) * 1000, 1)
            logger.info(
                '%s "%s %s" %s %sms user=%s',
                client_address(request),
                request.method,
                request.get_full_path()[:500],
                response.status_code,
                ms,
                username,
                extra={
                    "client": client_address(request),
                    "method": request.method,
                    "path": request.path[:500],
                    "status": response.status_code,
                    "duration_ms": ms,
                    "user": username,
                },
            )
        return response
