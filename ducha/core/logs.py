"""The access log: one line per request with its time and who made it (`ducha.access`).

Gunicorn's own access log cannot know the signed-in user; this middleware does, and writes
through Python logging, so `DUCHA_LOG_FORMAT=json` makes each request one JSON object.
"""

from __future__ import annotations

import logging
import time

from ducha.core.security import client_ip

logger = logging.getLogger("ducha.access")


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
                client_ip(request),
                request.method,
                request.get_full_path()[:500],
                response.status_code,
                ms,
                username,
                extra={
                    "client": client_ip(request),
                    "method": request.method,
                    "path": request.path[:500],
                    "status": response.status_code,
                    "duration_ms": ms,
                    "user": username,
                },
            )
        return response
