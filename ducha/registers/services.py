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
from django.db import transaction
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
        for indicator in indicators:
            try:
                result = computation.compute(indicator, today, cache)
            except ValueError as exc:  # a computation the plan file should have refused
                report.errors.append(str(exc))
                continue
            report.indicators += 1
            n, changed = store(indicator, result, units, approved_at=approved_at)
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


def store(indicator, result, units, *, approved_at=None) -> tuple[int, int]:
    """Write one indicator's computed values; returns (values, changed)."""
    city = units["city"]
    now = timezone.now()
    if "is_demo" not in units:
        units["is_demo"] = _demo_registers()
    is_demo = units["is_demo"]
    places = Decimal("0.0001") if indicator.unit in {"亿元", "万元", "%"} else Decimal(1)
    wanted: dict[tuple[int, str], tuple[Period, Decimal]] = {}
    for period, by_district in result.values.items():
        for district, value in by_district.items():
            if district is None and city is None:
                continue  # no city org unit loaded: the city total has nowhere to go
            unit_id = city.pk if district is None else district
            number = Decimal(repr(value)).quantize(places, rounding=ROUND_HALF_UP)
            wanted[(unit_id, period.code)] = (period, number)
    # Only the values this may write: the units and periods computed, and earlier computed
    # ones (they drop to zero below). Reading every value of the indicator — every unit and
    # period ever reported — was 7.5 of 8.1 s at 200 k values (docs/benchmarks.md).
    existing = {
        (v.org_unit_id, v.period): v
        for v in DataValue.objects.select_for_update().filter(
            Q(source=COMPUTED)
            | Q(
                org_unit_id__in={unit_id for unit_id, _code in wanted},
                period__in={code for _unit, code in wanted},
            ),
            indicator=indicator,
        )
    }
    # a district that no longer has anything counted drops to zero, it does not linger
    for (unit_id, code), old in existing.items():
        if old.source == COMPUTED and (unit_id, code) not in wanted and old.value != 0:
            wanted[(unit_id, code)] = (Period(*_period_parts(old)), Decimal(0))
    creates, updates, approvals = [], [], []
    for (unit_id, code), (period, number) in wanted.items():
        at = min(approved_at(period), now) if approved_at else now
        current = existing.get((unit_id, code))
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
    DataValue.objects.bulk_create(creates, batch_size=1000)
    DataValue.objects.bulk_update(
        updates,
        [
            "value",
            "source",
            "source_note",
            "source_url",
            "source_evidence",
            "status",
            "approved_at",
            "approved_by",
            "is_demo",
            "version",
        ],
        batch_size=1000,
    )
    # each approval carries the figure's source (名录库计算), as every approval does
    written = ApprovedValue.objects.bulk_create(
        [approval_of(v, v.approved_at, None) for v in approvals], batch_size=1000
    )
    if written:
        # assessments build on the registers' values
        from ducha.assessments import store as assessment_store

        assessment_store.approvals_written(written)
    return len(wanted), len(approvals)


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
