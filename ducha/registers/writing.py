"""Helpers the register services share for writing many records at once."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import connection, models
from django.utils import timezone

from ducha.audit.services import _jsonable, record_many
from ducha.core.bulk import copy_rows
from ducha.engine.idnumber import mask


def assign(obj: models.Model, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set `values` on `obj`; returns {field: [old, new]} for the fields that changed."""
    changes = {}
    for name, value in values.items():
        field = obj._meta.get_field(name)
        if field.many_to_one:
            old_pk = getattr(obj, field.attname)
            new_pk = value.pk if value is not None else None
            if old_pk != new_pk:
                changes[name] = [old_pk, new_pk]
                setattr(obj, name, value)
            continue
        old = getattr(obj, name)
        if _jsonable(old) != _jsonable(value):
            changes[name] = [old, value]
            setattr(obj, name, value)
    return changes


def write(
    model: type[models.Model],
    creates: list[models.Model],
    updates: list[tuple[models.Model, dict]],
    *,
    actor,
    action: str,
    comment: str,
    batch_size: int = 2000,
    key: str | None = None,
) -> None:
    """Create and update in bulk, with one audit entry per record. With a unique `key`
    field, many new records go in through COPY/INSERT and get their ids back by key."""
    if key is not None and len(creates) > FAST_CREATE:
        fast_create(model, creates, key)
    else:
        model.objects.bulk_create(creates, batch_size=batch_size)
    now = timezone.now()
    if updates:
        for obj, _changes in updates:
            if hasattr(obj, "updated_at"):
                obj.updated_at = now
        fields = sorted({name for _obj, changes in updates for name in changes} | {"updated_at"})
        fields = [f for f in fields if any(f == fld.name for fld in model._meta.concrete_fields)]
        # the default manager: an update may restore an archived record
        model._default_manager.bulk_update(
            [obj for obj, _c in updates], fields, batch_size=batch_size
        )
    record_many(
        actor,
        f"{action}.created",
        [(obj, {"created": str(obj)}) for obj in creates],
        comment=comment,
    )
    record_many(
        actor,
        f"{action}.updated",
        [(obj, masked_changes(model, changes)) for obj, changes in updates],
        comment=comment,
    )


def masked_changes(model: type[models.Model], changes: dict) -> dict:
    """`changes` as the audit log keeps them: the model's personal fields (`PERSONAL_FIELDS`,
    the talents' ID number, birth date, phone and e-mail) masked as the pages mask them for
    everyone but the office. Leaders read the audit log; personal data is the office's only."""
    personal = set(getattr(model, "PERSONAL_FIELDS", ()))
    if not personal.intersection(changes):
        return changes
    return {
        name: _masked(change) if name in personal else change for name, change in changes.items()
    }


def _masked(change):
    if isinstance(change, list | tuple):
        return [_masked(value) for value in change]
    if change is None or change == "":
        return change
    if isinstance(change, dt.date):
        return "****-**-**"
    return mask(str(change))


FAST_CREATE = 2000


def fast_create(model: type[models.Model], objs: list[models.Model], key: str) -> None:
    """Insert new records without the ORM's per-value preparation, then read back their ids
    by their unique `key`. Values must be plain (str, int, Decimal, date, bool, None)."""
    now = timezone.now()
    db_now = (
        now if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value(now)
    )
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    rows = []
    for obj in objs:
        row = []
        for f in fields:
            value = getattr(obj, f.attname)
            if isinstance(f, models.DateTimeField) and (
                value is None and (f.auto_now or f.auto_now_add)
            ):
                value = db_now
                setattr(obj, f.attname, now)
            elif isinstance(f, models.JSONField):
                value = json.dumps(value, ensure_ascii=False)
            row.append(value)
        rows.append(row)
    copy_rows(model._meta.db_table, columns, rows)
    by_key = {getattr(obj, key): obj for obj in objs}
    keys = list(by_key)
    for i in range(0, len(keys), 5000):
        chunk = keys[i : i + 5000]
        for value, pk in model._default_manager.filter(**{f"{key}__in": chunk}).values_list(
            key, "pk"
        ):
            by_key[value].pk = pk
            by_key[value]._state.adding = False


def insert_rows(model: type[models.Model], columns: list[str], rows, batch_size: int = 5000) -> int:
    """INSERT many rows of plain values straight through the cursor (COPY on PostgreSQL):
    for the related tables of a big import (yearly figures, industries), where the ORM's
    per-value preparation costs more than the database. `columns` are column names."""
    return copy_rows(model._meta.db_table, columns, rows, batch_size=batch_size)
