"""Writes the registers toolkit makes: importing a register file, and recomputing the
indicators counted from registers into approved values.

Computed values are stored like reported ones, per period and org unit (each district, and
the city's own total, which the assessment prefers), as an approved ``DataValue`` with source
"computed" and an ``ApprovedValue`` appended only when the number changed, so that an
assessment "as of" an earlier date still sees what was computed then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.audit.services import record
from ducha.core.integrity import unique_guard
from ducha.core.policies import require
from ducha.core.tables import ImportError_, Problem
from ducha.datavalues.models import ApprovedValue, DataValue, ValueStatus
from ducha.datavalues.services import approval_of
from ducha.engine.periods import Period
from ducha.orgunits.models import OrgUnit, OrgUnitKind
from ducha.plans.models import Indicator, Plan, PlanState
from ducha.registers import computation
from ducha.registers.base import ImportReport, Register
from ducha.registers.importer import parse_file
from ducha.registers.writing import masked_changes

COMPUTED = "computed"
PLACES = Decimal("0.000001")


# --- imports ---------------------------------------------------------------------------------


def import_register(
    actor,
    register: Register,
    name: str,
    data: bytes,
    *,
    dry_run: bool = False,
    is_demo: bool = False,
) -> ImportReport:
    """Check the whole file, write it all or nothing, then recompute what counts it.

    ImportError_ lists every problem with its row and column; nothing is written then.
    `dry_run` checks and reports what would change, and writes nothing.
    """
    if actor is not None:
        require(actor, "add", register.model)
    parsed = parse_file(register.sheets, name, data)
    with transaction.atomic():
        # a record another import or the admin added at the same moment: named, not a 500
        with unique_guard(_duplicate_problem):
            report = register.apply(actor, parsed, source=name, is_demo=is_demo)
        if dry_run:
            report.dry_run = True
            transaction.set_rollback(True)
            return report
        record(
            actor,
            f"{register.model._meta.app_label}.import",
            None,
            changes={"created": report.created, "updated": report.updated},
            comment=name,
        )
        if register.sources and report.changed:
            report.recomputed = recompute(None, sources=set(register.sources)).changed
    return report


def _duplicate_problem(message: str, field: str) -> ImportError_:
    return ImportError_([Problem(0, "", message)])


# --- recomputing -----------------------------------------------------------------------------


@dataclass
class RecomputeReport:
    indicators: int = 0
    values: int = 0
    changed: int = 0
    errors: list[str] = field(default_factory=list)


def computed_indicators(plan: Plan | None = None, sources: set[str] | None = None):
    qs = Indicator.objects.filter(source="computed").select_related("plan")
    qs = qs.filter(plan=plan) if plan is not None else qs.exclude(plan__state=PlanState.ARCHIVED)
    out = []
    for ind in qs.order_by("plan_id", "position"):
        if sources is not None:
            names = _source_names(ind.computation)
            if not names & sources:
                continue
        out.append(ind)
    return out


def _source_names(spec: dict) -> set[str]:
    names = {spec.get("register")}
    for part in spec.get("parts") or []:
        if isinstance(part, dict):
            names.add(part.get("register"))
    return names


def recompute(
    actor,
    plan: Plan | None = None,
    *,
    sources: set[str] | None = None,
    today: dt.date | None = None,
    approved_at: Callable[[Period], dt.datetime] | None = None,
) -> RecomputeReport:
    """Recompute every computed indicator (of `plan`, or of every plan not archived; only
    those counting `sources` when given) and store the values that changed."""
    if actor is not None and not actor.is_office:
        raise PermissionDenied(_("Only the leading-group office recomputes indicators."))
    report = RecomputeReport()
    units = _unit_map()
    cache: dict = {}
    with transaction.atomic():
        indicators = computed_indicators(plan, sources)
        computation.prefetch(indicators, cache)
        results = []
        for indicator in indicators:
            try:
                results.append((indicator, computation.compute(indicator, today, cache)))
            except ValueError as exc:  # a computation the plan file should have refused
                report.errors.append(str(exc))
        # every indicator's values written together: one read of what is there, one write
        # of each kind and one refresh of the assessment store, not one of each per indicator
        for indicator, (n, changed) in zip(
            (i for i, _r in results), store(results, units, approved_at=approved_at), strict=True
        ):
            report.indicators += 1
            report.values += n
            report.changed += changed
            if changed:
                record(
                    actor,
                    "registers.indicator.recomputed",
                    indicator,
                    changes={"values": n, "changed": changed},
                )
    return report


def _unit_map() -> dict:
    city = OrgUnit.objects.filter(kind=OrgUnitKind.CITY, parent__isnull=True).first()
    return {"city": city}


def _demo_registers() -> bool:
    """Whether any register holds demo records: computed values then count as demo too."""
    from ducha.registers.base import CATALOGUE

    for register in CATALOGUE.values():
        has_flag = any(f.name == "is_demo" for f in register.model._meta.concrete_fields)
        if has_flag and register.model._default_manager.filter(is_demo=True).exists():
            return True
    return False


# What a recompute changes on a value it holds (the figure, and that it is approved and
# computed); written with one UPDATE a row (executemany), not Django's bulk_update, whose
# CASE per row and field cost 1.1 s for a few hundred rows at 1 M enterprises.
_WRITES = [
    "value", "source", "source_note", "source_url", "source_evidence", "status", "approved_at",
    "approved_by", "is_demo", "version",
]  # fmt: skip


def store(results, units, *, approved_at=None) -> list[tuple[int, int]]:
    """Write the computed values of [(indicator, result)]; returns (values, changed) each."""
    city = units["city"]
    now = timezone.now()
    if "is_demo" not in units:
        units["is_demo"] = _demo_registers()
    is_demo = units["is_demo"]
    wanted_of = []
    for indicator, result in results:
        places = Decimal("0.0001") if indicator.unit in {"亿元", "万元", "%"} else Decimal(1)
        wanted: dict[tuple[int, str], tuple[Period, Decimal]] = {}
        for period, by_district in result.values.items():
            for district, value in by_district.items():
                if district is None and city is None:
                    continue  # no city org unit loaded: the city total has nowhere to go
                unit_id = city.pk if district is None else district
                number = Decimal(repr(value)).quantize(places, rounding=ROUND_HALF_UP)
                wanted[(unit_id, period.code)] = (period, number)
        wanted_of.append(wanted)
    existing = _existing(results, wanted_of)
    out, creates, updates, approvals = [], [], [], []
    for (indicator, _result), wanted in zip(results, wanted_of, strict=True):
        held = existing.get(indicator.pk, {})
        # a district that no longer has anything counted drops to zero, it does not linger
        for (unit_id, code), old in held.items():
            if old.source == COMPUTED and (unit_id, code) not in wanted and old.value != 0:
                wanted[(unit_id, code)] = (Period(*_period_parts(old)), Decimal(0))
        changed = 0
        for (unit_id, code), (period, number) in wanted.items():
            at = min(approved_at(period), now) if approved_at else now
            current = held.get((unit_id, code))
            if current is None:
                current = DataValue(
                    indicator=indicator,
                    org_unit_id=unit_id,
                    period=code,
                    period_end=period.end,
                    value=number,
                    source=COMPUTED,
                    note=_("computed from registers"),
                    status=ValueStatus.APPROVED,
                    is_demo=is_demo,
                    submitted_at=at,
                    approved_at=at,
                )
                creates.append(current)
            elif (
                current.value != number
                or current.status != ValueStatus.APPROVED
                or current.source != COMPUTED
            ):
                current.value = number
                if current.source != COMPUTED:  # what described the typed figure no longer does
                    current.source_note, current.source_url, current.source_evidence = "", "", None
                current.source = COMPUTED
                current.status = ValueStatus.APPROVED
                current.approved_at = at
                current.approved_by = None
                current.is_demo = is_demo
                current.version += 1
                updates.append(current)
            else:
                continue
            approvals.append(current)
            changed += 1
        out.append((len(wanted), changed))
    DataValue.objects.bulk_create(creates, batch_size=1000)
    _update(updates)
    # each approval carries the figure's source (名录库计算), as every approval does
    written = ApprovedValue.objects.bulk_create(
        [approval_of(v, v.approved_at, None) for v in approvals], batch_size=1000
    )
    if written:
        # assessments build on the registers' values
        from ducha.assessments import store as assessment_store

        assessment_store.approvals_written(written)
    return out


def _existing(results, wanted_of) -> dict[int, dict[tuple[int, str], DataValue]]:
    """The values the recompute may write, locked, per indicator: those of the units and
    periods computed, and earlier computed ones (they drop to zero). Reading every value of
    the indicators — every unit and period ever reported — was 7.5 of 8.1 s at 200 k values;
    one read for every indicator, not one each (docs/benchmarks.md)."""
    if not results:
        return {}
    unit_ids = {unit_id for wanted in wanted_of for unit_id, _code in wanted}
    codes = {code for wanted in wanted_of for _unit, code in wanted}
    found: dict[int, dict[tuple[int, str], DataValue]] = {}
    rows = DataValue.objects.select_for_update().filter(
        Q(source=COMPUTED) | Q(org_unit_id__in=unit_ids, period__in=codes),
        indicator_id__in=[indicator.pk for indicator, _r in results],
    )
    for v in rows:
        found.setdefault(v.indicator_id, {})[(v.org_unit_id, v.period)] = v
    return found


def _update(values: list[DataValue]) -> None:
    if not values:
        return
    fields = [DataValue._meta.get_field(name) for name in _WRITES]
    sets = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    table = connection.ops.quote_name(DataValue._meta.db_table)
    rows = [
        [f.get_db_prep_save(getattr(v, f.attname), connection) for f in fields] + [v.pk]
        for v in values
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", rows)


def _period_parts(value: DataValue) -> tuple[str, int, int]:
    from ducha.engine.periods import parse_period

    p = parse_period(value.period)
    return p.kind, p.year, p.index


# --- single records (admin and forms) --------------------------------------------------------


@transaction.atomic
def save_record(actor, obj, changed: list[str] | None = None):
    """Save one register record edited in the admin or a form (which validated it)."""
    created = obj.pk is None
    if actor is not None:
        require(actor, "add" if created else "change", type(obj) if created else obj)
    obj.save()
    label = f"{obj._meta.app_label}.{obj._meta.model_name}"
    record(
        actor,
        f"{label}.{'created' if created else 'updated'}",
        obj,
        changes=masked_changes(
            type(obj), {name: [None, getattr(obj, name, None)] for name in changed or []}
        ),
    )
    return obj


@transaction.atomic
def archive_record(actor, obj, reason: str = ""):
    """Take a record out of the register (lists, exports, checks and every computed
    indicator) without deleting it, then recompute what counted it."""
    return _set_archived(actor, obj, timezone.now(), "archived", reason)


@transaction.atomic
def restore_record(actor, obj, reason: str = ""):
    """Put an archived record back into the register, then recompute what counts it."""
    return _set_archived(actor, obj, None, "restored", reason)


def _set_archived(actor, obj, when, verb: str, reason: str):
    if actor is not None:
        require(actor, "delete", obj)
    if (obj.archived_at is None) == (when is None):
        return obj
    before = obj.archived_at
    obj.archived_at = when
    obj.save(update_fields=["archived_at", "updated_at"])
    label = f"{obj._meta.app_label}.{obj._meta.model_name}"
    record(
        actor,
        f"{label}.{verb}",
        obj,
        changes={"archived_at": [before, when]},
        comment=reason,
    )
    recompute_after_edit(obj)
    return obj


def recompute_after_edit(obj) -> int:
    """Recompute the indicators that count the register of ``obj`` (an edit by hand, in
    the admin or a form, moves them as an import does); returns how many values changed."""
    from ducha.registers.base import CATALOGUE

    sources = set()
    for register in CATALOGUE.values():
        if isinstance(obj, register.model):
            sources |= set(register.sources)
    return recompute(None, sources=sources).changed if sources else 0
