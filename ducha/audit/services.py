"""Writing the audit log. Every service that changes something calls `record` in its transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from ducha.audit.models import AuditEntry


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        # Normalised, so 1000 and 1000.000000 (as the database returns it) are equal.
        return format(value.normalize(), "f")
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `obj`, JSON-ready, for diffs."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: _jsonable(getattr(obj, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{"field": [old, new]} for every field whose value changed."""
    keys = before.keys() | after.keys()
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


def record(
    actor,
    action: str,
    obj: models.Model | None = None,
    *,
    changes: dict | None = None,
    comment: str = "",
    org_unit=None,
) -> AuditEntry:
    """Append one audit entry. `action` is namespaced: "plans.plan.loaded"."""
    entry = AuditEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        changes=_jsonable(changes or {}),
        comment=comment,
        org_unit=org_unit,
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(type(obj))
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:200]
    entry.save()
    return entry


def history(obj: models.Model):
    """The audit entries about `obj`, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
    ).select_related("actor")


def record_many(
    actor,
    action: str,
    items: list[tuple[models.Model, dict]],
    *,
    comment: str = "",
    batch_size: int = 5000,
    org_unit_of=None,
) -> int:
    """Append one audit entry per (object, changes), in bulk: for imports of many records.
    Straight through the cursor: a 100,000-row import writes its entries in seconds.
    `org_unit_of(obj)`, when given, is the id of the org unit each entry concerns (as
    `record`'s `org_unit`)."""
    import json

    if not items:
        return 0
    return record_rows(
        actor,
        action,
        type(items[0][0]),
        (
            (
                str(obj.pk),
                str(obj)[:200],
                json.dumps(_jsonable(changes or {}), ensure_ascii=False),
                org_unit_of(obj) if org_unit_of else None,
            )
            for obj, changes in items
        ),
        comment=comment,
        batch_size=batch_size,
    )


def record_rows(actor, action: str, model, rows, *, comment: str = "", batch_size: int = 5000):
    """`record_many` for callers that hold no model objects (an import of a million values
    writes plain tuples): `rows` of (object id as text, object repr of at most 200
    characters, changes as JSON text, org unit id or None), one entry each, by COPY on
    PostgreSQL. Returns how many were written."""
    from django.utils import timezone

    from ducha.core.bulk import copy_rows, db_datetime  # COPY on PostgreSQL, INSERTs elsewhere

    content_type = ContentType.objects.get_for_model(model).pk
    who = actor.pk if getattr(actor, "is_authenticated", False) else None
    now = db_datetime(timezone.now())
    return copy_rows(
        AuditEntry._meta.db_table,
        [
            "created_at",
            "actor_id",
            "action",
            "content_type_id",
            "object_id",
            "object_repr",
            "changes",
            "comment",
            "org_unit_id",
        ],
        (
            (now, who, action, content_type, pk, text, changes, comment, unit)
            for pk, text, changes, unit in rows
        ),
        batch_size=batch_size,
    )
