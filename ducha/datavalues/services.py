"""Writes to values: save, approve, reopen, and import a whole file at once.

`actor=None` is the command line, run by a trusted operator with the office's rights.
Every function is atomic and leaves one audit entry per change.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.audit.services import _jsonable, diff, record, record_rows, snapshot
from ducha.core.conflicts import StaleVersion
from ducha.core.policies import allows
from ducha.datavalues import sources
from ducha.datavalues.importer import ValueRow
from ducha.datavalues.models import (
    VALUE_TRANSITIONS,
    ApprovedValue,
    DataValue,
    MilestoneProgress,
    MilestoneReport,
    ValueSource,
    ValueStatus,
)
from ducha.engine.periods import Period


class WorkflowError(Exception):
    """A value cannot move to the state asked for (locked, wrong state, edited meanwhile)."""


# What the audit entry of a saved value compares.
SOURCED = ["value", "note", "source", "source_note", "source_url", "source_evidence_id"]


def approval_of(value: DataValue, at, actor) -> ApprovedValue:
    """The approval row of `value` as it stands (figure and source), not saved yet."""
    return ApprovedValue(
        data_value=value,
        indicator_id=value.indicator_id,
        org_unit_id=value.org_unit_id,
        period=value.period,
        period_end=value.period_end,
        value=value.value,
        approved_at=at,
        approved_by=actor,
        **{k: getattr(value, k) for k in APPROVAL_SOURCE},
    )


APPROVAL_SOURCE = ["source", "source_note", "source_url", "source_evidence_id"]

# What an import changes on a value it already holds (written in bulk).
IMPORT_WRITES = [
    "value", "note", "source", "source_note", "source_url", "is_demo", "updated_by",
    "updated_at", "status", "version", "submitted_at", "approved_at", "approved_by",
]  # fmt: skip


def _store_approvals(approvals: list[ApprovedValue]) -> None:
    """Bring the assessment store up to date with approvals just saved (same transaction)."""
    _store_keys({(a.indicator_id, a.period) for a in approvals})


def _store_keys(keys: set[tuple[int, str]]) -> None:
    """The same, for the (indicator id, period) of approvals written as plain rows."""
    if keys:
        from ducha.assessments import store  # assessments build on this app

        store.sync(keys)


class ValueConflict(StaleVersion, WorkflowError):
    """Someone else changed the value since the caller read it (a page would answer 409)."""


def _check(actor, action: str, value: DataValue) -> None:
    if actor is None:
        return
    if not allows(actor, action, value) and not (
        value.pk is None and _may_write_unit(actor, action, value)
    ):
        raise PermissionDenied(_("You may not do this for %s.") % value.org_unit)


def _may_write_unit(actor, action: str, value: DataValue) -> bool:
    """For a value not saved yet: may the actor write values of that org unit?"""
    if actor.is_office:
        return True
    return actor.role in {"reporter", "unit_head"} and actor.org_unit_id == value.org_unit_id


def _transition(value: DataValue, new_status: str) -> None:
    """Refuse a move the workflow does not have, and a move to the state the value is in:
    approving an approved value would append a second approval, reopening a draft would
    audit a change that is none (no caller relies on such a move being a silent no-op)."""
    if new_status == value.status:
        raise WorkflowError(
            _("the value is already %s; this cannot be done again") % value.get_status_display()
        )
    if new_status not in VALUE_TRANSITIONS[value.status]:
        raise WorkflowError(
            _("a value that is %(old)s cannot become %(new)s")
            % {"old": value.get_status_display(), "new": ValueStatus(new_status).label}
        )


@transaction.atomic
def save_value(
    actor,
    indicator,
    org_unit,
    period: Period,
    value: Decimal,
    *,
    note: str = "",
    source: str = ValueSource.UNIT_REPORT,
    source_note: str = "",
    source_url: str = "",
    source_evidence=None,
    expected_version: int | None = None,
    is_demo: bool = False,
) -> DataValue:
    """Create or edit the draft value for indicator × unit × period, with its source.

    An approved value is locked: it must be reopened with a reason first. `expected_version`
    guards against two people overwriting each other (optimistic locking).
    """
    try:
        checked = sources.clean(source, source_note, source_url)
    except sources.SourceError as exc:
        raise WorkflowError(exc.message) from None
    current = (
        DataValue.objects.select_for_update()
        .filter(indicator=indicator, org_unit=org_unit, period=period.code)
        .first()
    )
    obj = current or DataValue(
        indicator=indicator, org_unit=org_unit, period=period.code, period_end=period.end
    )
    _check(actor, "change" if current else "add", obj)
    if current is not None:
        if expected_version is not None and current.version != expected_version:
            raise ValueConflict(_("someone else changed this value meanwhile; reload and retry"))
        if current.status == ValueStatus.APPROVED:
            raise WorkflowError(_("the value is approved and locked; reopen it to correct it"))
    before = {k: getattr(obj, k) for k in SOURCED} if current else {}
    obj.value, obj.note, obj.is_demo = value, note, is_demo
    obj.source, obj.source_note, obj.source_url = checked.kind, checked.note, checked.url
    obj.source_evidence = source_evidence
    obj.updated_by = actor if actor is not None else None
    if current is None:
        obj.created_by = obj.updated_by
    else:
        obj.version += 1
    obj.save()
    after = {k: getattr(obj, k) for k in SOURCED}
    record(
        actor,
        "datavalues.value.saved",
        obj,
        changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
        org_unit=org_unit,
    )
    return obj


@transaction.atomic
def approve_value(actor, value: DataValue, *, at: dt.datetime | None = None) -> ApprovedValue:
    """Approve a value: it counts in assessments from `at` (now) on, and is locked."""
    if actor is not None and not actor.is_office:
        raise PermissionDenied(_("Only the leading-group office approves values."))
    _transition(value, ValueStatus.APPROVED)
    old = value.status
    value.status = ValueStatus.APPROVED
    value.approved_at = at or timezone.now()
    value.approved_by = actor
    value.version += 1
    value.save()
    approval = approval_of(value, value.approved_at, actor)
    approval.save()
    _store_approvals([approval])
    record(
        actor,
        "datavalues.value.approved",
        value,
        changes={"status": [old, value.status], "value": [None, value.value]},
        org_unit=value.org_unit,
    )
    return approval


@transaction.atomic
def reopen_value(actor, value: DataValue, reason: str) -> DataValue:
    """Unlock an approved value for a correction. Its approval keeps counting until the
    corrected value is approved in turn."""
    if actor is not None and not actor.is_office:
        raise PermissionDenied(_("Only the leading-group office reopens approved values."))
    if not reason.strip():
        raise WorkflowError(_("say why the value is reopened"))
    _transition(value, ValueStatus.DRAFT)
    old = value.status
    value.status = ValueStatus.DRAFT
    value.version += 1
    value.save()
    record(
        actor,
        "datavalues.value.reopened",
        value,
        changes={"status": [old, value.status]},
        comment=reason,
        org_unit=value.org_unit,
    )
    return value


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    approved: int = 0
    # The ids of the values written, in order; `values` reads them (an import of a million
    # rows holds no model objects).
    value_ids: list[int] = field(default_factory=list, repr=False)
    # A unit's import fills its assignments in open reporting rounds (see import_values).
    submitted: int = 0
    assignments: list = field(default_factory=list, repr=False)

    @property
    def values(self) -> list[DataValue]:
        found = DataValue.objects.in_bulk(self.value_ids)
        return [found[pk] for pk in self.value_ids]


@transaction.atomic
def import_values(
    actor,
    rows: list[ValueRow],
    *,
    status: str = ValueStatus.SUBMITTED,
    source_name: str = "",
    default_source: str = ValueSource.UNIT_REPORT,
    is_demo: bool = False,
) -> ImportReport:
    """Write checked rows, all or nothing.

    The office (or the command line) writes values directly and may import straight to
    approved, e.g. official statistics. An approved value is only overwritten by an approved
    import, which counts as a correction.

    A unit imports only its own values, and only into what a reporting round asks of it: each
    row fills the unit's assignment for that indicator and period in an open round, through the
    reporting workflow (saved as a draft, or submitted with the same checks as on the
    assignment page), so the import reaches the unit head's and the office's review like any
    report. A row no open round asks for is refused (docs/reporting.md).

    Each row's source is its 来源 column; a row without one gets `default_source` (the import
    page asks for it; 单位填报 unless the office says otherwise). `source_name`, the file's
    name, goes to the audit entry.
    """
    if default_source not in ValueSource.values:
        raise WorkflowError(_("unknown source %s") % default_source)
    if status not in ValueStatus.values:
        raise WorkflowError(_("unknown status %s") % status)
    office = actor is None or actor.is_office
    if status == ValueStatus.APPROVED and not office:
        raise PermissionDenied(_("Only the leading-group office approves values."))
    if not office:
        for row in rows:
            if actor.org_unit_id != row.org_unit.pk:
                raise PermissionDenied(
                    _("row %(row)d: you may only report for %(unit)s")
                    % {"row": row.row, "unit": actor.org_unit}
                )
        # Reporting builds on this module, so it is imported here rather than at the top.
        from ducha.reporting.services import import_into_rounds

        return import_into_rounds(
            actor, rows, submit=status == ValueStatus.SUBMITTED, default_source=default_source
        )
    return _import_as_office(actor, rows, status, source_name, default_source, is_demo)


# The columns of a new value and of an approval, as an import writes them (plain tuples).
NEW_VALUE_COLUMNS = [
    "indicator_id", "org_unit_id", "period", "period_end", "value", "note", "status", "is_demo",
    "version", "created_at", "created_by_id", "updated_at", "updated_by_id", "submitted_at",
    "approved_at", "approved_by_id", "source", "source_note", "source_url",
]  # fmt: skip
APPROVAL_COLUMNS = [
    "data_value_id", "indicator_id", "org_unit_id", "period", "period_end", "value",
    "approved_at", "approved_by_id", "source", "source_note", "source_url", "source_evidence_id",
]  # fmt: skip


def _import_as_office(actor, rows, status, source_name, default_source, is_demo) -> ImportReport:
    """The office's (and the command line's) import: every row decided first, then written in
    bulk. New values, their approvals and audit entries go as plain tuples straight into COPY
    (a million rows would spend most of their time as model objects otherwise); values the
    database already holds are read, compared and updated as model objects, as before."""
    from ducha.core.bulk import copy_rows, db_datetime, insert_new

    report = ImportReport()
    held = dict(
        _held_keys(
            DataValue.objects.select_for_update().filter(
                indicator__in={r.indicator.pk for r in rows},
                org_unit__in={r.org_unit.pk for r in rows},
                period__in={r.period.code for r in rows},
            )
        )
    )
    current_of = DataValue.objects.in_bulk(list(held.values())) if held else {}
    now = timezone.now()
    stamp = db_datetime(now)
    who = actor.pk if actor is not None else None
    approving = status == ValueStatus.APPROVED
    submitted = stamp if status in (ValueStatus.SUBMITTED, ValueStatus.APPROVED) else None
    ends: dict[str, str] = {}  # period code -> its end as text, once per period
    labels: dict[int, str] = {}  # org unit id -> its name, for the audit entries' object
    created, updated, audited = [], [], []
    for row in rows:
        ind, unit, code = row.indicator.pk, row.org_unit.pk, row.period.code
        pk = held.get((ind, unit, code))
        if pk is None:  # new: a plain tuple
            end = ends.get(code)
            if end is None:
                end = ends[code] = row.period.end.isoformat()
            kind, note, url = _row_source(row, default_source)
            created.append((
                ind, unit, code, end, str(row.value), _note(row), status, is_demo, 1,
                stamp, who, stamp, who, submitted,
                stamp if approving else None, who if approving else None, kind, note, url,
            ))  # fmt: skip
            continue
        obj = current_of[pk]
        changes = _update_from_row(obj, row, status, default_source, is_demo, actor, now)
        if changes is None:
            report.unchanged += 1
            continue
        updated.append(obj)
        if changes:
            audited.append((str(obj.pk), str(obj)[:200], _changes_json(changes), obj.org_unit_id))
    ids = insert_new(DataValue._meta.db_table, NEW_VALUE_COLUMNS, created)
    DataValue.objects.bulk_update(updated, IMPORT_WRITES, batch_size=1000)
    report.created, report.updated = len(created), len(updated)
    report.approved = len(created) + len(updated) if approving else 0
    report.value_ids = ids + [obj.pk for obj in updated]
    if approving:
        approvals = [
            (pk, *row[:5], stamp, who, *row[16:19], None)
            for pk, row in zip(ids, created, strict=True)
        ] + [
            (obj.pk, obj.indicator_id, obj.org_unit_id, obj.period, obj.period_end, obj.value,
             stamp, who, obj.source, obj.source_note, obj.source_url, obj.source_evidence_id)
            for obj in updated
        ]  # fmt: skip
        copy_rows(ApprovedValue._meta.db_table, APPROVAL_COLUMNS, approvals)
        _store_keys({(a[1], a[3]) for a in approvals})
    indicator_codes = {r.indicator.pk: r.indicator.code for r in rows}
    for r in rows:
        labels.setdefault(r.org_unit.pk, str(r.org_unit))
    new_entries = (
        (
            str(pk),
            f"{indicator_codes[row[0]]} {labels[row[1]]} {row[2]}"[:200],
            f'{{"value": [null, "{_jsonable(Decimal(row[4]))}"]}}',
            row[1],
        )
        for pk, row in zip(ids, created, strict=True)
    )
    record_rows(
        actor,
        "datavalues.value.imported",
        DataValue,
        itertools.chain(new_entries, audited),
        comment=source_name,
    )
    return report


def _held_keys(queryset):
    """(indicator id, unit id, period) -> id of the values `queryset` holds, read as tuples."""
    for pk, ind, unit, period in queryset.values_list(
        "pk", "indicator_id", "org_unit_id", "period"
    ):
        yield (ind, unit, period), pk


def _changes_json(changes: dict) -> str:
    return json.dumps(_jsonable(changes), ensure_ascii=False)


def _update_from_row(obj, row, status, default_source, is_demo, actor, now) -> dict | None:
    """Bring a value the database holds to what `row` says, in memory; the changes to audit
    (empty: none worth an entry), or None when an approved value is imported unchanged."""
    if obj.status == ValueStatus.APPROVED:
        if status != ValueStatus.APPROVED:
            raise WorkflowError(
                _("row %d: the value is approved and locked; the office must reopen it") % row.row
            )
        if (
            obj.value == row.value
            and obj.note == _note(row)
            and _row_source(row, default_source) == _source_of(obj)
        ):
            return None
    changes = {"value": [obj.value, row.value]} if obj.value != row.value else {}
    new_source = _row_source(row, default_source)
    if _source_of(obj) != new_source:
        changes["source"] = [list(_source_of(obj)), list(new_source)]
    obj.value, obj.note = row.value, _note(row)
    obj.source, obj.source_note, obj.source_url = new_source
    obj.is_demo = is_demo
    obj.updated_by = actor
    obj.updated_at = now
    obj.status = status
    obj.version += 1
    if status in (ValueStatus.SUBMITTED, ValueStatus.APPROVED):
        obj.submitted_at = obj.submitted_at or now
    if status == ValueStatus.APPROVED:
        obj.approved_at, obj.approved_by = now, actor
    return changes


def _row_source(row: ValueRow, default: str) -> tuple[str, str, str]:
    return (row.source or default, row.source_note, row.source_url)


def _source_of(value: DataValue) -> tuple[str, str, str]:
    return (value.source, value.source_note, value.source_url)


def _note(row: ValueRow) -> str:
    """The value's note: 说明, and 原因说明 when the file has one (kept, not dropped)."""
    if not row.explanation:
        return row.note[:2000]
    return "\n".join(x for x in (row.note, row.explanation) if x)[:2000]


@transaction.atomic
def report_milestone(
    actor,
    milestone,
    org_unit,
    period: Period,
    progress: str,
    *,
    note: str = "",
    evidence: str = "",
    approve: bool = False,
    is_demo: bool = False,
) -> MilestoneReport:
    """Create or update a unit's report on a milestone for a period; approving it (the office
    only) makes it count in assessments from now on. Hook used by reporting rounds.

    An approved report is locked: only another approval (the office's correction) changes it;
    a report without one is refused rather than sent back to submitted, which would take
    the approved progress out of the assessment on a unit's word."""
    if approve and actor is not None and not actor.is_office:
        raise PermissionDenied(_("Only the leading-group office approves values."))
    if progress not in MilestoneProgress.values:
        raise WorkflowError(_("unknown progress %s") % progress)
    report = (
        MilestoneReport.objects.select_for_update()
        .filter(milestone=milestone, org_unit=org_unit, period=period.code)
        .first()
    )
    before = snapshot(report, ["progress", "note", "status"]) if report else {}
    if report is None:
        report = MilestoneReport(
            milestone=milestone,
            org_unit=org_unit,
            period=period.code,
            period_end=period.end,
            created_by=actor,
            is_demo=is_demo,
        )
    if actor is not None and not actor.is_office and not _may_write_unit(actor, "change", report):
        raise PermissionDenied(_("You may not do this for %s.") % org_unit)
    if report.status == ValueStatus.APPROVED and not approve:
        # Approved is locked, as a value is: the assessment counts its progress. A correction
        # comes back through the reporting round and the office's approval (approve=True).
        raise WorkflowError(
            _("the milestone report is approved and locked; only the office's approval changes it")
        )
    report.progress, report.note, report.evidence = progress, note, evidence
    if approve:
        report.status, report.approved_at = ValueStatus.APPROVED, timezone.now()
    else:
        report.status = ValueStatus.SUBMITTED
    report.save()
    record(
        actor,
        "datavalues.milestonereport.approved" if approve else "datavalues.milestonereport.saved",
        report,
        changes=diff(before, snapshot(report, ["progress", "note", "status"])),
        org_unit=org_unit,
    )
    return report
