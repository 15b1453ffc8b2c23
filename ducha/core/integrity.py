"""A unique constraint hit by a race becomes an error naming the field, never a 500.

Services look for a duplicate before they write (one payment per voucher, one application per
scheme, applicant and year …). Two requests at the same moment can both pass that look; the
database's unique constraint then stops the second one with an IntegrityError. Here that
error is recognised (the table and columns of the constraint, from PostgreSQL's diagnostics or
SQLite's message) and said as Django says a duplicate ("具有此凭证号的付款已存在。"):

* :func:`unique_guard` in a service: the write runs in a savepoint, and a violation is raised
  as the service's own error with the field, which the form or the API puts on that field;
* :func:`api_conflict` for the API and :class:`UniqueViolationMiddleware` for pages are the
  net under everything else (the admin, a write no service guards yet): 409 naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import contextmanager

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.http import JsonResponse
from django.shortcuts import render

_SQLITE = re.compile(r"UNIQUE constraint failed: (.+)")
_PG_DETAIL = re.compile(r"Key \((.+?)\)=")


def violated(error: IntegrityError) -> tuple[type[models.Model], list[str]] | None:
    """(model, field names) of the unique constraint the error reports, or None."""
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    if diag is not None:  # PostgreSQL
        if getattr(cause, "sqlstate", None) != "23505" or not diag.table_name:
            return None
        found = _PG_DETAIL.search(diag.message_detail or "")
        table = diag.table_name
        columns = [c.strip() for c in found.group(1).split(",")] if found else []
    else:  # SQLite: "UNIQUE constraint failed: table.col, table.col"
        found = _SQLITE.search(str(error))
        if not found:
            return None
        pairs = [part.strip().split(".", 1) for part in found.group(1).split(",")]
        if any(len(p) != 2 for p in pairs):
            return None
        table, columns = pairs[0][0], [p[1] for p in pairs]
    model = next((m for m in apps.get_models() if m._meta.db_table == table), None)
    if model is None:
        return None
    by_column = {f.column: f.name for f in model._meta.concrete_fields}
    return model, [by_column.get(c, c) for c in columns]


def duplicate_message(model: type[models.Model], fields: list[str]) -> str:
    """Django's own words for a duplicate, with the fields' labels (translated)."""
    error = model().unique_error_message(model, tuple(fields))
    return str(error.message % error.params)


@contextmanager
def unique_guard(make_error: Callable[[str, str], Exception], field: str | None = None):
    """Run the block in a savepoint; a unique violation is raised as make_error(message,
    field), the field being the constraint's last one unless given."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        found = violated(error)
        if found is None:
            raise
        model, fields = found
        raise make_error(duplicate_message(model, fields), field or fields[-1]) from None


def api_conflict(request, error: IntegrityError):
    """The API's handler: 409 naming the field, as ninja names fields in its 422."""
    found = violated(error)
    if found is None:
        raise error
    model, fields = found
    detail = [{"loc": ["body", f], "msg": duplicate_message(model, fields)} for f in fields]
    return JsonResponse({"detail": detail}, status=409)


class UniqueViolationMiddleware:
    """Pages: a unique violation no service turned into a form error is a 409 page naming the
    field, in the user's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, IntegrityError):
            return None
        found = violated(exception)
        if found is None:
            return None
        model, fields = found
        return render(
            request,
            "core/conflict.html",
            {"message": duplicate_message(model, fields)},
            status=409,
        )
