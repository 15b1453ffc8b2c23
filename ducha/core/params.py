"""Query parameters, parsed and bounded in one place: a page answers 400 (the Chinese error
page), the API 422, never 500.

* :class:`QueryLimitsMiddleware` refuses, for every request, what no page asks for: control
  characters (a NUL reaches PostgreSQL as an error), overlong values, too many parameters.
* Views read typed values with :func:`get_id` and :func:`parse_date` (bounded to what the
  database and the calendar hold); an id out of range is a bad request, not an overflow.
* The API bounds its numbers in its schemas (ninja answers 422): ``MAX_ID`` for ids and
  :class:`BoundedPagination` for ``limit``/``offset``, :class:`KeysetPagination` for
  ``limit``/``cursor`` where a table grows large.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import BadRequest
from django.http import JsonResponse
from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.errors import ValidationError
from ninja.pagination import LimitOffsetPagination, PaginationBase

MAX_ID = 2**63 - 1  # BigAutoField, and SQLite's INTEGER
MAX_OFFSET = 10**9
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2200, 12, 31)
MAX_QUERY_BYTES = 8192
MAX_PARAMS = 100
MAX_VALUE_CHARS = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class BadParameter(BadRequest):
    """A query parameter out of bounds or not of its type."""


def get_id(request, name: str) -> int | None:
    """?name= as a record id (1 … MAX_ID), None when absent or empty."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_ID:
        raise BadParameter(f"{name} is not an id")
    return int(raw)


def parse_date(raw: str) -> dt.date | None:
    """YYYY-MM-DD within FIRST_DAY … LAST_DAY, else None (the caller says why)."""
    try:
        day = dt.date.fromisoformat(raw.strip())
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


class QueryLimitsMiddleware:
    """Refuses a query string no page asks for, before any view parses it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self.problem(request)
        if problem:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": problem}, status=422)
            raise BadParameter(problem)
        return self.get_response(request)

    @staticmethod
    def problem(request) -> str:
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_BYTES:
            return "query string too long"
        count = 0
        for key, values in request.GET.lists():
            count += len(values)
            if _CONTROL.search(key) or any(_CONTROL.search(v) for v in values):
                return "control character in the query string"
            if any(len(v) > MAX_VALUE_CHARS for v in values):
                return "query parameter too long"
        if count > MAX_PARAMS:
            return "too many query parameters"
        return ""


class BoundedPagination(LimitOffsetPagination):
    """limit and offset with an upper bound (ninja's offset has none: a 20-digit offset
    overflowed the database)."""

    class Input(Schema):
        limit: int = Field(
            ninja_settings.PAGINATION_PER_PAGE, ge=1, le=ninja_settings.PAGINATION_MAX_LIMIT
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class KeysetPagination(PaginationBase):
    """Pages by position, not by count: `?cursor=` is the id of the last row of the previous
    page and each page's `next` link carries it (null on the last page). A page costs the same
    at the first row and the millionth (OFFSET reads and throws away every row before it), and
    rows added meanwhile never shift a page. No total: counting a large table reads all of it.
    Ordered by id, the order rows were written in."""

    items_attribute = "items"

    class Input(Schema):
        limit: int = Field(
            ninja_settings.PAGINATION_PER_PAGE, ge=1, le=ninja_settings.PAGINATION_MAX_LIMIT
        )
        cursor: int | None = Field(
            None,
            ge=0,
            le=MAX_ID,
            description="where the page starts: after this id (the `next` link carries it)",
        )

    class Output(Schema):
        items: list[Any]
        next: str | None = Field(description="the next page's address, or null after the last page")

    def paginate_queryset(self, queryset, pagination: Input, request, **params):
        if "offset" in request.GET:  # an offset client would read page one forever
            raise ValidationError(
                [{"loc": ["query", "offset"], "msg": "offset is not supported: follow `next`"}]
            )
        queryset = queryset.order_by("pk")
        if pagination.cursor is not None:
            queryset = queryset.filter(pk__gt=pagination.cursor)
        rows = list(queryset[: pagination.limit + 1])
        following = None
        if len(rows) > pagination.limit:
            rows = rows[: pagination.limit]
            query = request.GET.copy()
            query["cursor"] = str(rows[-1].pk)
            following = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return {"items": rows, "next": following}
