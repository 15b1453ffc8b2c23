"""Applying a one-sheet register file: match rows to records by a key, resolve references,
create or update in bulk. The register services (projects, platforms …) call this with the
part that is theirs: how a row becomes field values."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

from ducha.core.policies import require
from ducha.registers.base import ImportReport
from ducha.registers.columns import CellError
from ducha.registers.importer import ParsedRow, ParsedSheet, Problems
from ducha.registers.references import References
from ducha.registers.writing import assign, write

CHUNK = 2000


def apply_simple(
    actor,
    parsed: dict[str, ParsedSheet],
    *,
    model: type[models.Model],
    sheet: str,
    key: str,
    resolve: Callable[[ParsedSheet, ParsedRow, References, Problems, models.Model | None], dict],
    action: str,
    source: str,
    is_demo: bool,
    refs: References | None = None,
    enterprise_columns: tuple[str, ...] = (),
) -> ImportReport:
    """`resolve(sheet, row, refs, problems, current)` returns the field values of one row
    (reporting problems itself); rows are matched to records by `key`."""
    if actor is not None:
        require(actor, "add", model)
    refs = refs or References(user=actor)
    problems = Problems()
    report = ImportReport()
    data = parsed.get(sheet)
    rows = data.rows if data else []
    keys = sorted({row.values[key] for row in rows if key in row.values})
    existing = {}
    for i in range(0, len(keys), CHUNK):
        # archived records too: a row for one brings it back (see ``restoring``)
        for obj in refs.visible(model.all_objects).filter(**{f"{key}__in": keys[i : i + CHUNK]}):
            existing[getattr(obj, key)] = obj
    if enterprise_columns:
        refs.prefetch_enterprises(
            row.values[c] for row in rows for c in enterprise_columns if c in row.values
        )
    creates, updates = [], []
    has_demo_flag = any(f.name == "is_demo" for f in model._meta.concrete_fields)
    for row in rows:
        current = existing.get(row.values[key])
        try:
            fields = resolve(data, row, refs, problems, current)
        except CellError as exc:  # a resolver may raise for the row's key column
            problems.at(data, row, key, str(exc))
            continue
        if fields is None:
            continue
        fields = restoring(current, fields)
        demo = {"is_demo": is_demo} if has_demo_flag else {}
        obj = current or model(**{key: row.values[key]}, **demo)
        changes = assign(obj, fields)
        if current is None:
            creates.append(obj)
        elif changes:
            updates.append((obj, changes))
    problems.raise_if_any()
    write(model, creates, updates, actor=actor, action=action, comment=source)
    report.created, report.updated = len(creates), len(updates)
    report.unchanged = len(rows) - len(creates) - len(updates)
    report.count(sheet, "created", len(creates))
    report.count(sheet, "updated", len(updates))
    return report


def restoring(current, fields: dict) -> dict:
    """An imported row for an archived record puts the record back in the register."""
    if current is not None and getattr(current, "archived_at", None) is not None:
        return {**fields, "archived_at": None}
    return fields


def ref(refs_method, sheet, row, column, problems, *, required=False):
    """Resolve one reference cell; reports the problem and returns None on failure."""
    if column not in row.values:
        if required:
            problems.at(sheet, row, column, _is_empty())
        return None
    try:
        return refs_method(row.values[column])
    except CellError as exc:
        problems.at(sheet, row, column, str(exc))
        return None


def _is_empty() -> str:
    from django.utils.translation import gettext as _

    return _("is empty")


def optional(row: ParsedRow, column: str, current, attr: str | None = None, default=""):
    """The row's value, else the stored one (empty cells keep what is stored)."""
    if column in row.values:
        return row.values[column]
    if current is not None:
        return getattr(current, attr or column)
    return default


def start_date(row: ParsedRow, column: str, current):
    """A date that starts something: the first day of a month or year written 2019.3."""
    if column in row.values:
        return row.values[column].date
    return getattr(current, column) if current is not None else None


def end_date(row: ParsedRow, column: str, current):
    """A date that ends something: the last day of a month or year written 2019.3."""
    if column in row.values:
        return row.values[column].last_day
    return getattr(current, column) if current is not None else None
